//! Categories of a site.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, update_function,
};
use crate::entities::category;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::category::CategoryData;
use danvan_domain::{CategoryId, Name, Record, SiteId, Slug};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored category.
pub type Category = Record<CategoryId, CategoryData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = category::Entity;
    type Id = CategoryId;
    type Data = CategoryData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Category;
    const WHAT: &'static str = "category";

    fn id_column() -> category::Column {
        category::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &CategoryData, stamps: Stamps) -> ActiveOf<Self> {
        category::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            site_id: Set(data.site_id.raw()),
            parent_id: Set(data.parent_id.map(Key::raw)),
            name: Set(data.name.to_string()),
            slug: Set(data.slug.to_string()),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: CategoryId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: CategoryData {
                site_id: SiteId(m.site_id),
                parent_id: m.parent_id.map(CategoryId),
                name: Name::from_stored(m.name),
                slug: Slug::from_stored(m.slug),
            },
        })
    }
}

standard_functions!(Res, CategoryData, Category, CategoryId, "category");
update_function!(Res, CategoryData, Category, CategoryId, "category");
lifecycle_functions!(Res, Category, CategoryId, "category");

/// The category of a site with this slug, if any.
pub async fn by_slug(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    slug: &Slug,
) -> Result<Option<Category>, StoreError> {
    let select = category::Entity::find()
        .filter(category::Column::SiteId.eq(site_id.raw()))
        .filter(category::Column::Slug.eq(slug.as_str()));
    crud::one::<Res, _>(db, select).await
}

/// A page of a site's categories, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    page: &PageRequest,
) -> Result<Page<Category>, StoreError> {
    let select = category::Entity::find().filter(category::Column::SiteId.eq(site_id.raw()));
    crud::list::<Res, _>(db, select, page).await
}

/// How many categories a site has.
pub async fn count(db: &impl ConnectionTrait, site_id: SiteId) -> Result<u64, StoreError> {
    let select = category::Entity::find().filter(category::Column::SiteId.eq(site_id.raw()));
    crate::keyset::count(db, select).await
}
