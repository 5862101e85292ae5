//! Sites (portals).

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, update_function,
};
use crate::entities::site;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::site::{SiteData, UrlPattern};
use danvan_domain::{AdminUnitId, Body, Name, OrganisationId, Record, SiteId, Slug, Url};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored site.
pub type Site = Record<SiteId, SiteData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = site::Entity;
    type Id = SiteId;
    type Data = SiteData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Site;
    const WHAT: &'static str = "site";

    fn id_column() -> site::Column {
        site::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &SiteData, stamps: Stamps) -> ActiveOf<Self> {
        site::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            slug: Set(data.slug.to_string()),
            name: Set(data.name.to_string()),
            base_url: Set(data.base_url.as_ref().map(Url::to_string)),
            description: Set(data.description.to_string()),
            organisation_id: Set(data.organisation_id.map(Key::raw)),
            admin_unit_id: Set(data.admin_unit_id.map(Key::raw)),
            public_url: Set(data.public_url.as_ref().map(|p| p.as_str().to_owned())),
            full_text_feeds: Set(data.full_text_feeds),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: SiteId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: SiteData {
                slug: Slug::from_stored(m.slug),
                name: Name::from_stored(m.name),
                base_url: m.base_url.map(Url::from_stored),
                description: Body::from_stored(m.description),
                organisation_id: m.organisation_id.map(OrganisationId),
                admin_unit_id: m.admin_unit_id.map(AdminUnitId),
                public_url: m.public_url.map(UrlPattern::from_stored),
                full_text_feeds: m.full_text_feeds,
            },
        })
    }
}

standard_functions!(Res, SiteData, Site, SiteId, "site");
update_function!(Res, SiteData, Site, SiteId, "site");
lifecycle_functions!(Res, Site, SiteId, "site");

/// The site with this slug, if any.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &Slug) -> Result<Option<Site>, StoreError> {
    crud::one::<Res, _>(
        db,
        site::Entity::find().filter(site::Column::Slug.eq(slug.as_str())),
    )
    .await
}

/// A page of sites, oldest first.
pub async fn list(db: &impl ConnectionTrait, page: &PageRequest) -> Result<Page<Site>, StoreError> {
    crud::list::<Res, _>(db, site::Entity::find(), page).await
}

/// How many there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, site::Entity::find()).await
}
