//! Positions people hold.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, stored, update_function,
};
use crate::entities::position;
use crate::{Page, PageRequest, StoreError};
use chrono::NaiveDate;
use danvan_domain::position::PositionData;
use danvan_domain::{Name, OrganisationId, PersonId, PositionId, Record, Term};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use sea_orm::{Condition, QueryOrder};

/// A stored position.
pub type Position = Record<PositionId, PositionData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = position::Entity;
    type Id = PositionId;
    type Data = PositionData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Position;
    const WHAT: &'static str = "position";

    fn id_column() -> position::Column {
        position::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &PositionData, stamps: Stamps) -> ActiveOf<Self> {
        position::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            person_id: Set(data.person_id.raw()),
            organisation_id: Set(data.organisation_id.raw()),
            title: Set(data.title.to_string()),
            term_start: Set(data.term.start()),
            term_end: Set(data.term.end()),
            rank: Set(data.rank),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: PositionId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: PositionData {
                person_id: PersonId(m.person_id),
                organisation_id: OrganisationId(m.organisation_id),
                title: Name::from_stored(m.title),
                term: stored(Self::WHAT, Term::new(m.term_start, m.term_end))?,
                rank: m.rank,
            },
        })
    }
}

standard_functions!(Res, PositionData, Position, PositionId, "position");
update_function!(Res, PositionData, Position, PositionId, "position");
lifecycle_functions!(Res, Position, PositionId, "position");

/// Which positions to list.
#[derive(Debug, Clone, Default)]
pub struct PositionFilter {
    /// Held by this person.
    pub person_id: Option<PersonId>,
    /// In this organisation.
    pub organisation_id: Option<OrganisationId>,
    /// Held on this day.
    pub active_on: Option<NaiveDate>,
    /// With this title, as written ("Trưởng Ban"): who held a post.
    pub title: Option<String>,
}

/// The rows a filter selects.
fn select(filter: &PositionFilter) -> sea_orm::Select<position::Entity> {
    let mut select = position::Entity::find();
    if let Some(person) = filter.person_id {
        select = select.filter(position::Column::PersonId.eq(person.raw()));
    }
    if let Some(organisation) = filter.organisation_id {
        select = select.filter(position::Column::OrganisationId.eq(organisation.raw()));
    }
    if let Some(title) = &filter.title {
        select = select.filter(position::Column::Title.eq(title.as_str()));
    }
    if let Some(day) = filter.active_on {
        select = select.filter(position::Column::TermStart.lte(day)).filter(
            Condition::any()
                .add(position::Column::TermEnd.is_null())
                .add(position::Column::TermEnd.gte(day)),
        );
    }
    select
}

/// How many records a filter selects.
pub async fn count(db: &impl ConnectionTrait, filter: &PositionFilter) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(filter)).await
}

/// A page of positions, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &PositionFilter,
    page: &PageRequest,
) -> Result<Page<Position>, StoreError> {
    crud::list::<Res, _>(db, select(filter), page).await
}

/// Every position a person holds or held, in the order an article lists them.
pub async fn of_person(
    db: &impl ConnectionTrait,
    person_id: PersonId,
) -> Result<Vec<Position>, StoreError> {
    Ok(of_people(db, &[person_id], None)
        .await?
        .remove(&person_id)
        .unwrap_or_default())
}

/// The positions of each of these people (held on `active_on`, when given), in the order
/// an article lists them, in one statement.
pub async fn of_people(
    db: &impl ConnectionTrait,
    people: &[PersonId],
    active_on: Option<NaiveDate>,
) -> Result<std::collections::HashMap<PersonId, Vec<Position>>, StoreError> {
    let ids = people.iter().map(|p| p.raw()).collect();
    let found = grouped(db, position::Column::PersonId, ids, active_on).await?;
    Ok(found
        .into_iter()
        .map(|(id, list)| (PersonId(id), list))
        .collect())
}

/// The positions held in each of these organisations (on `active_on`, when given),
/// oldest first, in one statement.
pub async fn of_organisations(
    db: &impl ConnectionTrait,
    organisations: &[OrganisationId],
    active_on: Option<NaiveDate>,
) -> Result<std::collections::HashMap<OrganisationId, Vec<Position>>, StoreError> {
    let ids = organisations.iter().map(|o| o.raw()).collect();
    let found = grouped(db, position::Column::OrganisationId, ids, active_on).await?;
    Ok(found
        .into_iter()
        .map(|(id, list)| (OrganisationId(id), list))
        .collect())
}

async fn grouped(
    db: &impl ConnectionTrait,
    owner: position::Column,
    ids: Vec<i64>,
    active_on: Option<NaiveDate>,
) -> Result<std::collections::HashMap<i64, Vec<Position>>, StoreError> {
    let filter = PositionFilter {
        active_on,
        ..PositionFilter::default()
    };
    let rows = select(&filter)
        .filter(owner.is_in(ids))
        .order_by_asc(position::Column::Rank)
        .order_by_asc(position::Column::Id)
        .all(db)
        .await?;
    let mut groups: std::collections::HashMap<i64, Vec<Position>> =
        std::collections::HashMap::new();
    for row in rows {
        let key = match owner {
            position::Column::PersonId => row.person_id,
            _ => row.organisation_id,
        };
        groups.entry(key).or_default().push(Res::record(row)?);
    }
    Ok(groups)
}
