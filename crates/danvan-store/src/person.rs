//! People.

use crate::crud::{
    ActiveOf, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions, standard_functions,
    update_function,
};
use crate::entities::person;
use crate::keyset::{self, Part, SortKey};
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
    const LOGGED: crate::change::Concept = crate::change::Concept::Person;
    const WHAT: &'static str = "person";

    fn id_column() -> person::Column {
        person::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &PersonData, stamps: Stamps) -> ActiveOf<Self> {
        person::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            merged_into: ActiveValue::NotSet,
            full_name: Set(data.full_name.to_string()),
            given_name: Set(data.given_name().to_owned()),
            name_key: Set(danvan_text::name_collation_key(data.full_name.as_str())),
            bio: Set(data.bio.to_string()),
        }
    }

    fn document(person: &RecordOf<Self>) -> Option<crate::search::Document> {
        Some(crate::search::Document {
            kind: crate::search::SearchKind::Person,
            ref_id: person.id.0,
            site_id: None,
            public: true,
            published_at: None,
            day: None,
            title: person.data.full_name.to_string(),
            body: person.data.bio.to_string(),
        })
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: PersonId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: PersonData {
                full_name: Name::from_stored(m.full_name),
                bio: Body::from_stored(m.bio),
            },
        })
    }
}

standard_functions!(Res, PersonData, Person, PersonId, "person");
update_function!(Res, PersonData, Person, PersonId, "person");
lifecycle_functions!(Res, Person, PersonId, "person");

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

/// A page of people in Vietnamese name order: by given name, then middle names, then
/// family name (see `danvan_text::name_collation_key`).
pub async fn list(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Person>, StoreError> {
    let key = SortKey {
        list: "person.name",
        parts: vec![
            Part::Text(person::Column::NameKey),
            Part::Int(person::Column::Id),
        ],
        descending: false,
    };
    let page = keyset::fetch(db, person::Entity::find(), &key, page, |p| {
        vec![p.name_key.clone().into(), p.id.into()]
    })
    .await?;
    page.try_map(Res::record)
}

/// How many there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, person::Entity::find()).await
}

/// People named `name` with tone placement, case and spacing set aside ("Nguyễn Thị Thuỷ"
/// is "Nguyễn Thị Thủy"); names repeat, so there may be several, the oldest first.
pub async fn by_name(db: &impl ConnectionTrait, name: &str) -> Result<Vec<Person>, StoreError> {
    let ids: Vec<PersonId> =
        crate::search::ids_by_title(db, crate::search::SearchKind::Person, name)
            .await?
            .into_iter()
            .map(PersonId)
            .collect();
    let mut found = get_many(db, &ids).await?;
    found.sort_by_key(|p| p.id.0);
    Ok(found)
}
