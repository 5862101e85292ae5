//! People.

use crate::crud::{
    self, ActiveOf, ModelOf, RecordOf, Resource, Stamps, standard_functions, stored,
};
use crate::entities::person;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::person::PersonData;
use danvan_domain::{Body, Name, PersonId, Record};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored person.
pub type Person = Record<PersonId, PersonData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = person::Entity;
    type Id = PersonId;
    type Data = PersonData;
    const WHAT: &'static str = "person";

    fn id_column() -> person::Column {
        person::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &PersonData, stamps: Stamps) -> ActiveOf<Self> {
        person::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            full_name: Set(data.full_name.to_string()),
            given_name: Set(data.given_name().to_owned()),
            bio: Set(data.bio.to_string()),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: PersonId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            data: PersonData {
                full_name: stored(Self::WHAT, Name::parse(&m.full_name))?,
                bio: stored(Self::WHAT, Body::parse(&m.bio))?,
            },
        })
    }
}

standard_functions!(Res, PersonData, Person, PersonId, "person");

/// People whose full name is exactly this (after normalisation); names repeat, so there may be several.
pub async fn by_full_name(
    db: &impl ConnectionTrait,
    full_name: &Name,
) -> Result<Vec<Person>, StoreError> {
    person::Entity::find()
        .filter(person::Column::FullName.eq(full_name.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(Res::record)
        .collect()
}

/// A page of people, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Person>, StoreError> {
    crud::list::<Res, _>(db, person::Entity::find(), page).await
}

/// How many there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, person::Entity::find()).await
}
