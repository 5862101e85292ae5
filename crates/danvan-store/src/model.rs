//! "Dân vận khéo" models.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, stored, update_function,
};
use crate::entities::dvk_model;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::model::{
    DvkArea, DvkField, DvkKind, DvkModelData, DvkStatus, Recognition, RecognitionLevel,
};
use danvan_domain::{
    AdminUnitId, Body, DomainError, DvkModelId, OrganisationId, Period, Record, Title,
};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored model.
pub type DvkModel = Record<DvkModelId, DvkModelData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = dvk_model::Entity;
    type Id = DvkModelId;
    type Data = DvkModelData;
    const LOGGED: crate::change::Concept = crate::change::Concept::DvkModel;
    const WHAT: &'static str = "model";

    fn id_column() -> dvk_model::Column {
        dvk_model::Column::Id
    }

    fn check(data: &DvkModelData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &DvkModelData, stamps: Stamps) -> ActiveOf<Self> {
        let recognition = data.recognition.as_ref();
        dvk_model::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            name: Set(data.name.to_string()),
            description: Set(data.description.to_string()),
            kind: Set(data.kind.code().to_owned()),
            field: Set(data.field.code().to_owned()),
            organisation_id: Set(data.organisation_id.map(Key::raw)),
            admin_unit_id: Set(data.admin_unit_id.map(Key::raw)),
            period: Set(data.period.map(|p| p.code())),
            period_start: Set(data.period.map(|p| p.start())),
            period_end: Set(data.period.map(|p| p.end())),
            status: Set(data.status.code().to_owned()),
            recognition_level: Set(recognition.map(|r| r.level.code().to_owned())),
            recognition_decision: Set(
                recognition.and_then(|r| danvan_domain::note(r.decision.as_deref()))
            ),
            recognised_on: Set(recognition.and_then(|r| r.recognised_on)),
            area: Set(data.area.map(|a| a.code().to_owned())),
        }
    }

    fn document(model: &RecordOf<Self>) -> Option<crate::search::Document> {
        let data = &model.data;
        Some(crate::search::Document {
            kind: crate::search::SearchKind::DvkModel,
            ref_id: model.id.raw(),
            site_id: None,
            public: true,
            published_at: None,
            day: data.recognition.as_ref().and_then(|r| r.recognised_on),
            title: data.name.to_string(),
            body: data.description.to_string(),
        })
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        let recognition = match &m.recognition_level {
            Some(level) => Some(Recognition {
                level: stored(Self::WHAT, RecognitionLevel::from_code(level))?,
                decision: m.recognition_decision,
                recognised_on: m.recognised_on,
            }),
            None => None,
        };
        Ok(Record {
            id: DvkModelId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: DvkModelData {
                name: Title::from_stored(m.name),
                description: Body::from_stored(m.description),
                kind: stored(Self::WHAT, DvkKind::from_code(&m.kind))?,
                field: stored(Self::WHAT, DvkField::from_code(&m.field))?,
                organisation_id: m.organisation_id.map(OrganisationId),
                admin_unit_id: m.admin_unit_id.map(AdminUnitId),
                period: stored(
                    Self::WHAT,
                    m.period.as_deref().map(Period::from_code).transpose(),
                )?,
                status: stored(Self::WHAT, DvkStatus::from_code(&m.status))?,
                recognition,
                area: stored(
                    Self::WHAT,
                    m.area.as_deref().map(DvkArea::from_code).transpose(),
                )?,
            },
        })
    }
}

standard_functions!(Res, DvkModelData, DvkModel, DvkModelId, "model");
update_function!(Res, DvkModelData, DvkModel, DvkModelId, "model");
lifecycle_functions!(Res, DvkModel, DvkModelId, "model");

/// Which models to list.
#[derive(Debug, Clone, Default)]
pub struct DvkModelFilter {
    /// In this field.
    pub field: Option<DvkField>,
    /// With this status.
    pub status: Option<DvkStatus>,
    /// One of these organisations.
    pub organisations: Option<crate::organisation::OrganisationScope>,
    /// Whose period overlaps this one.
    pub period: Option<Period>,
    /// Running in one of these administrative units.
    pub admin_units: Option<Vec<AdminUnitId>>,
}

/// The rows a filter selects.
fn select(filter: &DvkModelFilter) -> sea_orm::Select<dvk_model::Entity> {
    let mut select = dvk_model::Entity::find();
    if let Some(units) = &filter.admin_units {
        select = select.filter(dvk_model::Column::AdminUnitId.is_in(units.iter().map(|u| u.raw())));
    }
    if let Some(field) = filter.field {
        select = select.filter(dvk_model::Column::Field.eq(field.code()));
    }
    if let Some(status) = filter.status {
        select = select.filter(dvk_model::Column::Status.eq(status.code()));
    }
    if let Some(scope) = &filter.organisations {
        select = select.filter(dvk_model::Column::OrganisationId.is_in(scope.raw()));
    }
    if let Some(period) = filter.period {
        select = select
            .filter(dvk_model::Column::PeriodStart.lte(period.end()))
            .filter(dvk_model::Column::PeriodEnd.gte(period.start()));
    }
    select
}

/// How many records a filter selects.
pub async fn count(db: &impl ConnectionTrait, filter: &DvkModelFilter) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(filter)).await
}

/// A page of models, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &DvkModelFilter,
    page: &PageRequest,
) -> Result<Page<DvkModel>, StoreError> {
    crud::list::<Res, _>(db, select(filter), page).await
}

/// What to group models by when counting them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DvkGrouping {
    /// By field.
    Field,
    /// By status.
    Status,
    /// By period.
    Period,
    /// By owning organisation.
    Organisation,
}

/// How many models one group holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DvkGroup {
    /// Of a field.
    Field(DvkField),
    /// Of a status.
    Status(DvkStatus),
    /// Of a period.
    Period(Period),
    /// Of an organisation.
    Organisation(OrganisationId),
    /// Without a value for the grouping (no period, no organisation).
    None,
}

/// How many models a filter selects, group by group, largest group first.
pub async fn counts(
    db: &impl ConnectionTrait,
    filter: &DvkModelFilter,
    by: DvkGrouping,
) -> Result<Vec<(DvkGroup, u64)>, StoreError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{QueryOrder, QuerySelect};
    let column = match by {
        DvkGrouping::Field => dvk_model::Column::Field,
        DvkGrouping::Status => dvk_model::Column::Status,
        DvkGrouping::Period => dvk_model::Column::Period,
        DvkGrouping::Organisation => dvk_model::Column::OrganisationId,
    };
    let count = Expr::col(dvk_model::Column::Id).count();
    let grouped = select(filter)
        .select_only()
        .column(column)
        .column_as(count.clone(), "n")
        .group_by(column)
        .order_by_desc(count)
        .order_by_asc(column);
    let groups = if by == DvkGrouping::Organisation {
        let rows: Vec<(Option<i64>, i64)> = grouped.into_tuple().all(db).await?;
        rows.into_iter()
            .map(|(id, n)| {
                (
                    id.map_or(DvkGroup::None, |id| {
                        DvkGroup::Organisation(OrganisationId(id))
                    }),
                    n,
                )
            })
            .collect::<Vec<_>>()
    } else {
        let rows: Vec<(Option<String>, i64)> = grouped.into_tuple().all(db).await?;
        rows.into_iter()
            .map(|(code, n)| {
                let group = match (by, code) {
                    (_, None) => DvkGroup::None,
                    (DvkGrouping::Field, Some(c)) => {
                        DvkGroup::Field(stored(Res::WHAT, DvkField::from_code(&c))?)
                    }
                    (DvkGrouping::Status, Some(c)) => {
                        DvkGroup::Status(stored(Res::WHAT, DvkStatus::from_code(&c))?)
                    }
                    (_, Some(c)) => DvkGroup::Period(stored(Res::WHAT, Period::from_code(&c))?),
                };
                Ok((group, n))
            })
            .collect::<Result<Vec<_>, StoreError>>()?
    };
    Ok(groups
        .into_iter()
        .map(|(g, n)| (g, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The first models (oldest first) owned by each organisation, `first` of each, in one
/// statement however many organisations there are.
pub async fn first_by_organisation(
    db: &impl ConnectionTrait,
    organisations: &[OrganisationId],
    first: u64,
) -> Result<std::collections::HashMap<OrganisationId, Page<DvkModel>>, StoreError> {
    let select = dvk_model::Entity::find()
        .filter(dvk_model::Column::OrganisationId.is_in(organisations.iter().map(|o| o.raw())));
    let pages = crud::first_per_parent::<Res, _>(db, select, "organisation_id", first).await?;
    Ok(pages
        .into_iter()
        .map(|(parent, page)| (OrganisationId(parent), page))
        .collect())
}

/// The models with this name, whatever the tone placement or case, oldest first.
pub async fn by_name(db: &impl ConnectionTrait, name: &str) -> Result<Vec<DvkModel>, StoreError> {
    let ids: Vec<DvkModelId> =
        crate::search::ids_by_title(db, crate::search::SearchKind::DvkModel, name)
            .await?
            .into_iter()
            .map(DvkModelId)
            .collect();
    let mut found = get_many(db, &ids).await?;
    found.sort_by_key(|m| m.id.raw());
    Ok(found)
}
