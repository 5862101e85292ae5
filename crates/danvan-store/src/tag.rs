//! Tags.

use crate::crud::{
    self, ActiveOf, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions, standard_functions,
    update_function,
};
use crate::entities::tag;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::tag::TagData;
use danvan_domain::{Name, Record, Slug, TagId};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored tag.
pub type Tag = Record<TagId, TagData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = tag::Entity;
    type Id = TagId;
    type Data = TagData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Tag;
    const WHAT: &'static str = "tag";

    fn id_column() -> tag::Column {
        tag::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &TagData, stamps: Stamps) -> ActiveOf<Self> {
        tag::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            name: Set(data.name.to_string()),
            slug: Set(data.slug.to_string()),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: TagId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: TagData {
                name: Name::from_stored(m.name),
                slug: Slug::from_stored(m.slug),
            },
        })
    }
}

standard_functions!(Res, TagData, Tag, TagId, "tag");
update_function!(Res, TagData, Tag, TagId, "tag");
lifecycle_functions!(Res, Tag, TagId, "tag");

/// The tag with this slug, if any.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &Slug) -> Result<Option<Tag>, StoreError> {
    crud::one::<Res, _>(
        db,
        tag::Entity::find().filter(tag::Column::Slug.eq(slug.as_str())),
    )
    .await
}

/// A page of tags, oldest first.
pub async fn list(db: &impl ConnectionTrait, page: &PageRequest) -> Result<Page<Tag>, StoreError> {
    crud::list::<Res, _>(db, tag::Entity::find(), page).await
}

/// How many there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, tag::Entity::find()).await
}
