//! Organisations and their tree.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, stored, update_function,
};
use crate::entities::organisation;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::organisation::{OrganisationData, OrganisationKind, OrganisationLevel};
use danvan_domain::{AdminUnitId, DomainError, Name, OrganisationId, Record, Slug};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use sea_orm::{QueryOrder, QuerySelect};

/// A stored organisation.
pub type Organisation = Record<OrganisationId, OrganisationData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = organisation::Entity;
    type Id = OrganisationId;
    type Data = OrganisationData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Organisation;
    const WHAT: &'static str = "organisation";

    fn id_column() -> organisation::Column {
        organisation::Column::Id
    }

    fn check(data: &OrganisationData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &OrganisationData, stamps: Stamps) -> ActiveOf<Self> {
        organisation::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            merged_into: ActiveValue::NotSet,
            parent_id: Set(data.parent_id.map(Key::raw)),
            kind: Set(data.kind.code().to_owned()),
            level: Set(data.level.code().to_owned()),
            name: Set(data.name.to_string()),
            short_name: Set(data.short_name.as_ref().map(Name::to_string)),
            abbreviation: Set(data.abbreviation.as_ref().map(Name::to_string)),
            slug: Set(data.slug.to_string()),
            admin_unit_id: Set(data.admin_unit_id.map(Key::raw)),
            founded_on: Set(data.founded_on),
            dissolved_on: Set(data.dissolved_on),
        }
    }

    fn document(organisation: &RecordOf<Self>) -> Option<crate::search::Document> {
        let data = &organisation.data;
        // The short name and abbreviation are how readers type it: "MTTQ", "Ban Dân vận Huyện ủy".
        let body = [data.short_name.as_ref(), data.abbreviation.as_ref()]
            .into_iter()
            .flatten()
            .map(Name::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        Some(crate::search::Document {
            kind: crate::search::SearchKind::Organisation,
            ref_id: organisation.id.raw(),
            site_id: None,
            public: true,
            published_at: None,
            day: None,
            title: data.name.to_string(),
            body,
        })
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        let name =
            |s: Option<String>| stored(Self::WHAT, s.as_deref().map(Name::parse).transpose());
        Ok(Record {
            id: OrganisationId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: OrganisationData {
                parent_id: m.parent_id.map(OrganisationId),
                kind: stored(Self::WHAT, OrganisationKind::from_code(&m.kind))?,
                level: stored(Self::WHAT, OrganisationLevel::from_code(&m.level))?,
                name: Name::from_stored(m.name),
                short_name: name(m.short_name)?,
                abbreviation: name(m.abbreviation)?,
                slug: Slug::from_stored(m.slug),
                admin_unit_id: m.admin_unit_id.map(AdminUnitId),
                founded_on: m.founded_on,
                dissolved_on: m.dissolved_on,
            },
        })
    }
}

standard_functions!(
    Res,
    OrganisationData,
    Organisation,
    OrganisationId,
    "organisation"
);
update_function!(
    Res,
    OrganisationData,
    Organisation,
    OrganisationId,
    "organisation"
);
lifecycle_functions!(Res, Organisation, OrganisationId, "organisation");

/// Replaces an organisation's data, refusing a parent that would put it inside itself.
pub async fn update_checked(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    id: OrganisationId,
    expected: Option<i64>,
    data: &OrganisationData,
) -> Result<Organisation, StoreError> {
    if let Some(parent) = data.parent_id
        && (parent == id || ancestors(db, parent).await?.iter().any(|o| o.id == id))
    {
        return Err(
            DomainError::invalid("parent", "an organisation cannot sit inside itself").into(),
        );
    }
    update(db, id, expected, data).await
}

/// The organisation with this slug, if any.
pub async fn by_slug(
    db: &impl ConnectionTrait,
    slug: &Slug,
) -> Result<Option<Organisation>, StoreError> {
    crud::one::<Res, _>(
        db,
        organisation::Entity::find().filter(organisation::Column::Slug.eq(slug.as_str())),
    )
    .await
}

/// Which organisations to list.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Only the direct children of this one; `Some(None)` for the roots.
    pub parent: Option<Option<OrganisationId>>,
    /// Only of this kind.
    pub kind: Option<OrganisationKind>,
    /// Only at this level.
    pub level: Option<OrganisationLevel>,
}

/// The rows a filter selects.
fn select(filter: &OrganisationFilter) -> sea_orm::Select<organisation::Entity> {
    let mut select = organisation::Entity::find();
    match filter.parent {
        Some(Some(parent)) => {
            select = select.filter(organisation::Column::ParentId.eq(parent.raw()))
        }
        Some(None) => select = select.filter(organisation::Column::ParentId.is_null()),
        None => {}
    }
    if let Some(kind) = filter.kind {
        select = select.filter(organisation::Column::Kind.eq(kind.code()));
    }
    if let Some(level) = filter.level {
        select = select.filter(organisation::Column::Level.eq(level.code()));
    }
    select
}

/// How many records a filter selects.
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &OrganisationFilter,
) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(filter)).await
}

/// A page of organisations, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &OrganisationFilter,
    page: &PageRequest,
) -> Result<Page<Organisation>, StoreError> {
    crud::list::<Res, _>(db, select(filter), page).await
}

/// The direct children of an organisation, oldest first.
pub async fn children(
    db: &impl ConnectionTrait,
    id: OrganisationId,
) -> Result<Vec<Organisation>, StoreError> {
    Ok(children_of(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// The direct children of each of these organisations, oldest first, in one statement.
pub async fn children_of(
    db: &impl ConnectionTrait,
    parents: &[OrganisationId],
) -> Result<std::collections::HashMap<OrganisationId, Vec<Organisation>>, StoreError> {
    let mut children: std::collections::HashMap<OrganisationId, Vec<Organisation>> =
        std::collections::HashMap::new();
    let rows = organisation::Entity::find()
        .filter(organisation::Column::ParentId.is_in(parents.iter().map(|p| p.raw())))
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let child = Res::record(row)?;
        if let Some(parent) = child.data.parent_id {
            children.entry(parent).or_default().push(child);
        }
    }
    Ok(children)
}

/// The chain of parents of an organisation, nearest first. The tree is shallow
/// (central > province > district > commune, plus boards), so one query a level is fine;
/// a cycle, which updates refuse, would end the walk rather than loop.
pub async fn ancestors(
    db: &impl ConnectionTrait,
    id: OrganisationId,
) -> Result<Vec<Organisation>, StoreError> {
    let mut chain: Vec<Organisation> = Vec::new();
    let mut next = get(db, id).await?.and_then(|o| o.data.parent_id);
    while let Some(parent_id) = next {
        if parent_id == id || chain.iter().any(|o| o.id == parent_id) {
            break;
        }
        let Some(parent) = get(db, parent_id).await? else {
            break;
        };
        next = parent.data.parent_id;
        chain.push(parent);
    }
    Ok(chain)
}

/// A set of organisations for a filter: one organisation, or one with its whole subtree
/// (a province committee with its boards, the districts under it, their boards …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationScope {
    ids: Vec<OrganisationId>,
}

impl OrganisationScope {
    /// Just this organisation.
    pub fn only(id: OrganisationId) -> Self {
        Self { ids: vec![id] }
    }

    /// The organisations in the scope.
    pub fn ids(&self) -> &[OrganisationId] {
        &self.ids
    }

    pub(crate) fn raw(&self) -> Vec<i64> {
        self.ids.iter().map(|id| id.raw()).collect()
    }
}

/// The organisation and everything below it, one query per level of the tree (which is
/// shallow: central > province > district > commune, and their boards).
pub async fn subtree(
    db: &impl ConnectionTrait,
    id: OrganisationId,
) -> Result<OrganisationScope, StoreError> {
    let mut ids = vec![id];
    let mut frontier = vec![id.raw()];
    while !frontier.is_empty() {
        let children: Vec<i64> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .filter(organisation::Column::ParentId.is_in(frontier))
            .into_tuple()
            .all(db)
            .await?;
        // A cycle, which updates refuse, would otherwise make this loop for ever.
        frontier = children
            .into_iter()
            .filter(|c| !ids.contains(&OrganisationId(*c)))
            .collect();
        ids.extend(frontier.iter().map(|c| OrganisationId(*c)));
    }
    Ok(OrganisationScope { ids })
}

/// Organisations named `name`, with tone placement, case and spacing set aside, or whose
/// abbreviation or short name is exactly `name`; the oldest first.
pub async fn by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Vec<Organisation>, StoreError> {
    let mut ids: Vec<OrganisationId> =
        crate::search::ids_by_title(db, crate::search::SearchKind::Organisation, name)
            .await?
            .into_iter()
            .map(OrganisationId)
            .collect();
    let also: Vec<i64> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(
            sea_orm::Condition::any()
                .add(organisation::Column::Abbreviation.eq(name))
                .add(organisation::Column::ShortName.eq(name)),
        )
        .into_tuple()
        .all(db)
        .await?;
    ids.extend(also.into_iter().map(OrganisationId));
    ids.sort_by_key(|id| id.raw());
    ids.dedup();
    let mut found = get_many(db, &ids).await?;
    found.sort_by_key(|o| o.id.raw());
    Ok(found)
}

/// `base` if no organisation has it, else the first of `base-2`, `base-3` … that is free:
/// two bodies of the same name (the Mặt trận of two communes called Yên Bình) get two
/// slugs, as two articles of the same title do.
pub async fn unique_slug(db: &impl ConnectionTrait, base: &Slug) -> Result<Slug, StoreError> {
    crud::free_slug(base, |candidates| async move {
        Ok(organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Slug)
            .filter(organisation::Column::Slug.is_in(candidates))
            .into_tuple()
            .all(db)
            .await?)
    })
    .await
}
