//! Batching of relation look-ups: every `site` or `tags` field of a page of articles is
//! answered by one query per kind, not one per article.

use crate::ApiError;
use async_graphql::dataloader::{DataLoader, Loader};
use danvan_domain::{OrganisationId, SiteId, TagId};
use danvan_store::DatabaseConnection;
use danvan_store::organisation::Organisation;
use danvan_store::site::Site;
use danvan_store::tag::Tag;
use std::collections::HashMap;

/// Loads records by id from the store, in batches.
pub(crate) struct StoreLoader {
    db: DatabaseConnection,
}

/// The request-independent loader; batches form within one request's execution.
pub(crate) fn data_loader(db: DatabaseConnection) -> DataLoader<StoreLoader> {
    DataLoader::new(StoreLoader { db }, tokio::spawn)
}

macro_rules! load_by_id {
    ($id:ty, $record:ty, $module:ident) => {
        impl Loader<$id> for StoreLoader {
            type Value = $record;
            type Error = ApiError;

            async fn load(&self, keys: &[$id]) -> Result<HashMap<$id, $record>, ApiError> {
                let records = danvan_store::$module::get_many(&self.db, keys).await?;
                Ok(records.into_iter().map(|r| (r.id, r)).collect())
            }
        }
    };
}

load_by_id!(SiteId, Site, site);
load_by_id!(TagId, Tag, tag);
load_by_id!(OrganisationId, Organisation, organisation);
