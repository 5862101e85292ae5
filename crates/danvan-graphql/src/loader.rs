//! Batching of relation look-ups: every `site`, `organiser` or `tags` field of a page of
//! results is answered by one query per kind of record, not one per parent.
//!
//! Each request gets its own loader with its own cache, so that a list can prefetch the
//! relations its selection asks for in one batch each (see `article::prefetch`), and no
//! record is served stale from another request.

use crate::ApiError;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use danvan_domain::{
    AdminUnitId, ArticleId, CampaignId, CategoryId, DocumentId, DvkModelId, MeetingId,
    OrganisationId, PersonId, ReportFigureId, SiteId, TagId,
};
use danvan_store::DatabaseConnection;
use std::collections::HashMap;

/// Loads records by id from the store, in batches.
pub struct StoreLoader {
    db: DatabaseConnection,
}

/// The loaders of one request.
pub(crate) type Loaders = DataLoader<StoreLoader, HashMapCache>;

/// Fresh loaders for one request.
pub(crate) fn for_request(db: DatabaseConnection) -> Loaders {
    DataLoader::with_cache(StoreLoader { db }, tokio::spawn, HashMapCache::default())
}

macro_rules! load_by_id {
    ($($id:ty => $module:ident::$record:ident),+ $(,)?) => {$(
        impl Loader<$id> for StoreLoader {
            type Value = danvan_store::$module::$record;
            type Error = ApiError;

            async fn load(&self, keys: &[$id]) -> Result<HashMap<$id, Self::Value>, ApiError> {
                let records = danvan_store::$module::get_many(&self.db, keys).await?;
                Ok(records.into_iter().map(|r| (r.id, r)).collect())
            }
        }
    )+};
}

load_by_id!(
    AdminUnitId => admin_unit::AdminUnit,
    ArticleId => article::Article,
    CampaignId => campaign::Campaign,
    CategoryId => category::Category,
    DocumentId => document::Document,
    DvkModelId => model::DvkModel,
    MeetingId => meeting::Meeting,
    OrganisationId => organisation::Organisation,
    PersonId => person::Person,
    ReportFigureId => report_figure::ReportFigure,
    SiteId => site::Site,
    TagId => tag::Tag,
);
