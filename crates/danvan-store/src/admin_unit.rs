//! Administrative units and their succession.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, stored, update_function,
};
use crate::entities::{admin_unit, admin_unit_succession};
use crate::{Page, PageRequest, StoreError};
use chrono::NaiveDate;
use danvan_domain::admin_unit::{AdminLevel, AdminUnitData, Succession, SuccessionKind};
use danvan_domain::{AdminUnitId, DomainError, Name, Record};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveModelTrait, QueryOrder};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored unit.
pub type AdminUnit = Record<AdminUnitId, AdminUnitData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = admin_unit::Entity;
    type Id = AdminUnitId;
    type Data = AdminUnitData;
    const LOGGED: crate::change::Concept = crate::change::Concept::AdminUnit;
    const WHAT: &'static str = "administrative unit";

    fn id_column() -> admin_unit::Column {
        admin_unit::Column::Id
    }

    fn check(data: &AdminUnitData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &AdminUnitData, stamps: Stamps) -> ActiveOf<Self> {
        admin_unit::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            level: Set(data.level.code().to_owned()),
            code: Set(data.code.clone()),
            name: Set(data.name.to_string()),
            parent_id: Set(data.parent_id.map(Key::raw)),
            valid_from: Set(data.valid_from),
            valid_to: Set(data.valid_to),
            name_key: Set(Some(danvan_text::fold(data.name.as_str()))),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: AdminUnitId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: AdminUnitData {
                level: stored(Self::WHAT, AdminLevel::from_code(&m.level))?,
                code: m.code,
                name: Name::from_stored(m.name),
                parent_id: m.parent_id.map(AdminUnitId),
                valid_from: m.valid_from,
                valid_to: m.valid_to,
            },
        })
    }
}

standard_functions!(
    Res,
    AdminUnitData,
    AdminUnit,
    AdminUnitId,
    "administrative unit"
);
update_function!(
    Res,
    AdminUnitData,
    AdminUnit,
    AdminUnitId,
    "administrative unit"
);
lifecycle_functions!(Res, AdminUnit, AdminUnitId, "administrative unit");

/// A page of units, oldest first; with `as_of`, only those that existed on that day.
pub async fn list(
    db: &impl ConnectionTrait,
    as_of: Option<NaiveDate>,
    page: &PageRequest,
) -> Result<Page<AdminUnit>, StoreError> {
    crud::list::<Res, _>(db, select(as_of), page).await
}

fn select(as_of: Option<NaiveDate>) -> sea_orm::Select<admin_unit::Entity> {
    let mut select = admin_unit::Entity::find();
    if let Some(day) = as_of {
        select = select
            .filter(
                admin_unit::Column::ValidFrom
                    .is_null()
                    .or(admin_unit::Column::ValidFrom.lte(day)),
            )
            .filter(
                admin_unit::Column::ValidTo
                    .is_null()
                    .or(admin_unit::Column::ValidTo.gte(day)),
            );
    }
    select
}

/// How many units there are; with `as_of`, how many existed on that day.
pub async fn count(db: &impl ConnectionTrait, as_of: Option<NaiveDate>) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(as_of)).await
}

/// Units with this name (without its level word), any level, any time.
pub async fn by_name(db: &impl ConnectionTrait, name: &Name) -> Result<Vec<AdminUnit>, StoreError> {
    admin_unit::Entity::find()
        .filter(admin_unit::Column::Name.eq(name.as_str()))
        .order_by_asc(admin_unit::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Res::record)
        .collect()
}

/// Records that a unit passed (all or part of) its area to another.
/// Both units are logged as changed: each shows the succession.
pub async fn add_succession(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    succession: &Succession,
) -> Result<(), StoreError> {
    use sea_orm::TransactionSession;
    succession.validate()?;
    let txn = crate::begin_write(db).await?;
    admin_unit_succession::ActiveModel {
        predecessor_id: Set(succession.predecessor_id.raw()),
        successor_id: Set(succession.successor_id.raw()),
        kind: Set(succession.kind.code().to_owned()),
        effective_on: Set(succession.effective_on),
    }
    .insert(&txn)
    .await?;
    let changes =
        [succession.predecessor_id, succession.successor_id].map(|unit| crate::change::NewChange {
            concept: crate::change::Concept::AdminUnit,
            record_id: unit.raw(),
            site_id: None,
            action: crate::change::Action::Updated,
        });
    crate::change::record(&txn, &changes).await?;
    txn.commit().await?;
    Ok(())
}

fn succession(m: admin_unit_succession::Model) -> Result<Succession, StoreError> {
    Ok(Succession {
        predecessor_id: AdminUnitId(m.predecessor_id),
        successor_id: AdminUnitId(m.successor_id),
        kind: stored("succession", SuccessionKind::from_code(&m.kind))?,
        effective_on: m.effective_on,
    })
}

/// The units that took over from this one.
pub async fn successions_from(
    db: &impl ConnectionTrait,
    id: AdminUnitId,
) -> Result<Vec<Succession>, StoreError> {
    Ok(successions_from_many(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// The units this one took over from.
pub async fn successions_to(
    db: &impl ConnectionTrait,
    id: AdminUnitId,
) -> Result<Vec<Succession>, StoreError> {
    Ok(successions_to_many(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// The successions from each of these units, in one statement.
pub async fn successions_from_many(
    db: &impl ConnectionTrait,
    ids: &[AdminUnitId],
) -> Result<std::collections::HashMap<AdminUnitId, Vec<Succession>>, StoreError> {
    let column = admin_unit_succession::Column::PredecessorId;
    let links =
        successions_where(db, column, ids, admin_unit_succession::Column::SuccessorId).await?;
    Ok(group(links, |s| s.predecessor_id))
}

/// The successions to each of these units, in one statement.
pub async fn successions_to_many(
    db: &impl ConnectionTrait,
    ids: &[AdminUnitId],
) -> Result<std::collections::HashMap<AdminUnitId, Vec<Succession>>, StoreError> {
    let column = admin_unit_succession::Column::SuccessorId;
    let links = successions_where(
        db,
        column,
        ids,
        admin_unit_succession::Column::PredecessorId,
    )
    .await?;
    Ok(group(links, |s| s.successor_id))
}

async fn successions_where(
    db: &impl ConnectionTrait,
    column: admin_unit_succession::Column,
    ids: &[AdminUnitId],
    order: admin_unit_succession::Column,
) -> Result<Vec<Succession>, StoreError> {
    admin_unit_succession::Entity::find()
        .filter(column.is_in(ids.iter().map(|id| id.raw())))
        .order_by_asc(order)
        .all(db)
        .await?
        .into_iter()
        .map(succession)
        .collect()
}

fn group(
    links: Vec<Succession>,
    key: impl Fn(&Succession) -> AdminUnitId,
) -> std::collections::HashMap<AdminUnitId, Vec<Succession>> {
    let mut groups: std::collections::HashMap<AdminUnitId, Vec<Succession>> =
        std::collections::HashMap::new();
    for link in links {
        groups.entry(key(&link)).or_default().push(link);
    }
    groups
}

/// The units that cover a unit's area on `day`: the unit itself while it exists, else its
/// successors, followed through every later reorganisation. "huyện Gia Viễn" (ended
/// 30/6/2025) resolves on 1/7/2025 to the communes that took its area.
pub async fn resolve_on(
    db: &impl ConnectionTrait,
    id: AdminUnitId,
    day: NaiveDate,
) -> Result<Vec<AdminUnit>, StoreError> {
    let mut found: Vec<AdminUnit> = Vec::new();
    let mut visited = std::collections::HashSet::new();
    let mut queue = vec![id];
    while let Some(next) = queue.pop() {
        if !visited.insert(next) {
            continue;
        }
        let unit = get(db, next)
            .await?
            .ok_or_else(|| StoreError::not_found(Res::WHAT, next))?;
        if unit.data.exists_on(day) {
            found.push(unit);
            continue;
        }
        for link in successions_from(db, next).await? {
            if link.effective_on <= day {
                queue.push(link.successor_id);
            }
        }
    }
    found.sort_by_key(|u| u.id);
    Ok(found)
}

/// A unit's whole area through time: the unit, the units inside it, and the units whose
/// area it took over (with the units inside those), however many reorganisations back.
/// "All news about today's Ninh Bình" is news about every unit this returns.
pub async fn area(
    db: &impl ConnectionTrait,
    id: AdminUnitId,
) -> Result<Vec<AdminUnitId>, StoreError> {
    use sea_orm::QuerySelect;
    let mut found = vec![id];
    let mut frontier = vec![id.raw()];
    while !frontier.is_empty() {
        let children: Vec<i64> = admin_unit::Entity::find()
            .select_only()
            .column(admin_unit::Column::Id)
            .filter(admin_unit::Column::ParentId.is_in(frontier.clone()))
            .into_tuple()
            .all(db)
            .await?;
        let predecessors: Vec<i64> = admin_unit_succession::Entity::find()
            .select_only()
            .column(admin_unit_succession::Column::PredecessorId)
            .filter(admin_unit_succession::Column::SuccessorId.is_in(frontier))
            .into_tuple()
            .all(db)
            .await?;
        frontier = children
            .into_iter()
            .chain(predecessors)
            .filter(|u| !found.contains(&AdminUnitId(*u)))
            .collect();
        frontier.sort_unstable();
        frontier.dedup();
        found.extend(frontier.iter().map(|u| AdminUnitId(*u)));
    }
    Ok(found)
}

/// The units whose folded name is one of `keys` ("ha giang"), any level, any time: each
/// with its key.
pub(crate) async fn named_folded(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<Vec<(String, AdminUnitId)>, StoreError> {
    use sea_orm::QuerySelect;
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<(Option<String>, i64)> = admin_unit::Entity::find()
        .select_only()
        .column(admin_unit::Column::NameKey)
        .column(admin_unit::Column::Id)
        .filter(admin_unit::Column::NameKey.is_in(keys.iter().cloned()))
        .filter(admin_unit::Column::DeletedAt.is_null())
        .order_by_asc(admin_unit::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|(key, id)| Some((key?, AdminUnitId(id))))
        .collect())
}

/// Units with their history: the units they took over from, back through every
/// reorganisation, and the units that took them over, forward ("Hà Giang" and today's
/// Tuyên Quang). Not sideways: a predecessor's other successors are not its history.
pub(crate) async fn with_history(
    db: &impl ConnectionTrait,
    units: &[AdminUnitId],
) -> Result<Vec<AdminUnitId>, StoreError> {
    use sea_orm::QuerySelect;
    let mut found: Vec<i64> = units.iter().map(|u| u.raw()).collect();
    for (from, to) in [
        (
            admin_unit_succession::Column::SuccessorId,
            admin_unit_succession::Column::PredecessorId,
        ),
        (
            admin_unit_succession::Column::PredecessorId,
            admin_unit_succession::Column::SuccessorId,
        ),
    ] {
        let mut frontier: Vec<i64> = units.iter().map(|u| u.raw()).collect();
        // Reorganisations are few; the bound also stops a cycle in bad data.
        for _ in 0..8 {
            if frontier.is_empty() {
                break;
            }
            let next: Vec<i64> = admin_unit_succession::Entity::find()
                .select_only()
                .column(to)
                .filter(from.is_in(frontier))
                .into_tuple()
                .all(db)
                .await?;
            frontier = next.into_iter().filter(|u| !found.contains(u)).collect();
            frontier.sort_unstable();
            frontier.dedup();
            found.extend(&frontier);
        }
    }
    Ok(found.into_iter().map(AdminUnitId).collect())
}
