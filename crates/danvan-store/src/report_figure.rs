//! Report figures.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, stored, update_function,
};
use crate::entities::report_figure;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::report_figure::{FigureQualifier, ReportFigureData};
use danvan_domain::{
    ArticleId, DomainError, MeetingId, Name, OrganisationId, Period, Record, ReportFigureId,
};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored report figure.
pub type ReportFigure = Record<ReportFigureId, ReportFigureData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = report_figure::Entity;
    type Id = ReportFigureId;
    type Data = ReportFigureData;
    const LOGGED: crate::change::Concept = crate::change::Concept::ReportFigure;
    const WHAT: &'static str = "report figure";

    fn id_column() -> report_figure::Column {
        report_figure::Column::Id
    }

    fn check(data: &ReportFigureData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &ReportFigureData, stamps: Stamps) -> ActiveOf<Self> {
        report_figure::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            indicator_key: Set(data.indicator_key.clone()),
            indicator_label: Set(data.indicator_label.to_string()),
            value: Set(data.value),
            qualifier: Set(data.qualifier.code().to_owned()),
            denominator: Set(data.denominator),
            unit: Set(danvan_domain::note(data.unit.as_deref())),
            period: Set(data.period.map(|p| p.code())),
            period_start: Set(data.period.map(|p| p.start())),
            period_end: Set(data.period.map(|p| p.end())),
            organisation_id: Set(data.organisation_id.map(Key::raw)),
            article_id: Set(data.article_id.map(Key::raw)),
            meeting_id: Set(data.meeting_id.map(Key::raw)),
            wording: Set(danvan_domain::note(data.wording.as_deref())),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: ReportFigureId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: ReportFigureData {
                indicator_key: m.indicator_key,
                indicator_label: Name::from_stored(m.indicator_label),
                value: m.value,
                qualifier: stored(Self::WHAT, FigureQualifier::from_code(&m.qualifier))?,
                denominator: m.denominator,
                unit: m.unit,
                period: stored(
                    Self::WHAT,
                    m.period.as_deref().map(Period::from_code).transpose(),
                )?,
                organisation_id: m.organisation_id.map(OrganisationId),
                article_id: m.article_id.map(ArticleId),
                meeting_id: m.meeting_id.map(MeetingId),
                wording: m.wording,
            },
        })
    }
}

standard_functions!(
    Res,
    ReportFigureData,
    ReportFigure,
    ReportFigureId,
    "report figure"
);
update_function!(
    Res,
    ReportFigureData,
    ReportFigure,
    ReportFigureId,
    "report figure"
);
lifecycle_functions!(Res, ReportFigure, ReportFigureId, "report figure");

/// Which figures to list.
#[derive(Debug, Clone, Default)]
pub struct ReportFigureFilter {
    /// Of this indicator.
    pub indicator_key: Option<String>,
    /// One of these organisations.
    pub organisations: Option<crate::organisation::OrganisationScope>,
    /// Stated by this article.
    pub article_id: Option<ArticleId>,
    /// Reported at this meeting.
    pub meeting_id: Option<MeetingId>,
    /// Whose period lies within this one.
    pub within: Option<Period>,
}

/// The rows a filter selects.
fn select(filter: &ReportFigureFilter) -> sea_orm::Select<report_figure::Entity> {
    let mut select = report_figure::Entity::find();
    if let Some(key) = &filter.indicator_key {
        select = select.filter(report_figure::Column::IndicatorKey.eq(key.as_str()));
    }
    if let Some(scope) = &filter.organisations {
        select = select.filter(report_figure::Column::OrganisationId.is_in(scope.raw()));
    }
    if let Some(id) = filter.article_id {
        select = select.filter(report_figure::Column::ArticleId.eq(id.raw()));
    }
    if let Some(id) = filter.meeting_id {
        select = select.filter(report_figure::Column::MeetingId.eq(id.raw()));
    }
    if let Some(period) = filter.within {
        select = select
            .filter(report_figure::Column::PeriodStart.gte(period.start()))
            .filter(report_figure::Column::PeriodEnd.lte(period.end()));
    }
    select
}

/// How many records a filter selects.
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &ReportFigureFilter,
) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(filter)).await
}

/// A page of figures, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ReportFigureFilter,
    page: &PageRequest,
) -> Result<Page<ReportFigure>, StoreError> {
    crud::list::<Res, _>(db, select(filter), page).await
}

/// One point of an indicator's time series: the figures of one period, added up.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// The period.
    pub period: Period,
    /// The sum of the values.
    pub total: f64,
    /// The sum of the denominators, when any figure has one.
    pub denominator: Option<f64>,
    /// How many figures were added.
    pub figures: u64,
}

/// An indicator over time: its figures within the scope, added up period by period, in
/// the order of the periods; `from` and `to` bound the periods. Figures without a period
/// are left out.
pub async fn series(
    db: &impl ConnectionTrait,
    indicator_key: &str,
    organisations: Option<&crate::organisation::OrganisationScope>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<Vec<SeriesPoint>, StoreError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{QueryOrder, QuerySelect};
    let filter = ReportFigureFilter {
        indicator_key: Some(indicator_key.to_owned()),
        organisations: organisations.cloned(),
        ..ReportFigureFilter::default()
    };
    let mut grouped = select(&filter).filter(report_figure::Column::Period.is_not_null());
    if let Some(from) = from {
        grouped = grouped.filter(report_figure::Column::PeriodStart.gte(from));
    }
    if let Some(to) = to {
        grouped = grouped.filter(report_figure::Column::PeriodEnd.lte(to));
    }
    let rows: Vec<(String, Option<f64>, Option<f64>, i64)> = grouped
        .select_only()
        .column(report_figure::Column::Period)
        .column_as(Expr::col(report_figure::Column::Value).sum(), "total")
        .column_as(
            Expr::col(report_figure::Column::Denominator).sum(),
            "denominator",
        )
        .column_as(Expr::col(report_figure::Column::Id).count(), "n")
        .group_by(report_figure::Column::Period)
        .group_by(report_figure::Column::PeriodStart)
        .group_by(report_figure::Column::PeriodEnd)
        .order_by_asc(report_figure::Column::PeriodStart)
        .order_by_asc(report_figure::Column::PeriodEnd)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(period, total, denominator, n)| {
            Ok(SeriesPoint {
                period: stored(Res::WHAT, Period::from_code(&period))?,
                total: total.unwrap_or(0.0),
                denominator,
                figures: u64::try_from(n).unwrap_or(0),
            })
        })
        .collect()
}

async fn grouped(
    db: &impl ConnectionTrait,
    column: report_figure::Column,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, Vec<ReportFigure>>, StoreError> {
    use sea_orm::{ModelTrait, QueryOrder};
    let mut groups: std::collections::HashMap<i64, Vec<ReportFigure>> =
        std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(groups);
    }
    let rows = report_figure::Entity::find()
        .filter(column.is_in(ids))
        .order_by_asc(report_figure::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let sea_orm::Value::BigInt(Some(parent)) = row.get(column) else {
            continue;
        };
        groups.entry(parent).or_default().push(Res::record(row)?);
    }
    Ok(groups)
}

/// The figures each article states, in one statement for all the articles.
pub async fn of_articles(
    db: &impl ConnectionTrait,
    articles: &[ArticleId],
) -> Result<std::collections::HashMap<ArticleId, Vec<ReportFigure>>, StoreError> {
    let groups = grouped(
        db,
        report_figure::Column::ArticleId,
        articles.iter().map(|a| a.raw()).collect(),
    )
    .await?;
    Ok(groups.into_iter().map(|(k, v)| (ArticleId(k), v)).collect())
}

/// The figures reported at each meeting, in one statement for all the meetings.
pub async fn of_meetings(
    db: &impl ConnectionTrait,
    meetings: &[MeetingId],
) -> Result<std::collections::HashMap<MeetingId, Vec<ReportFigure>>, StoreError> {
    let groups = grouped(
        db,
        report_figure::Column::MeetingId,
        meetings.iter().map(|m| m.raw()).collect(),
    )
    .await?;
    Ok(groups.into_iter().map(|(k, v)| (MeetingId(k), v)).collect())
}

/// The first figures (oldest first) about each organisation, `first` of each, in one
/// statement however many organisations there are.
pub async fn first_by_organisation(
    db: &impl ConnectionTrait,
    organisations: &[OrganisationId],
    first: u64,
) -> Result<std::collections::HashMap<OrganisationId, Page<ReportFigure>>, StoreError> {
    let select = report_figure::Entity::find()
        .filter(report_figure::Column::OrganisationId.is_in(organisations.iter().map(|o| o.raw())));
    let pages = crud::first_per_parent::<Res, _>(db, select, "organisation_id", first).await?;
    Ok(pages
        .into_iter()
        .map(|(parent, page)| (OrganisationId(parent), page))
        .collect())
}
