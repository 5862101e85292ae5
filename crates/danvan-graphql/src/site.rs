//! Sites in the schema.

use crate::id;
use async_graphql::{ID, Object};
use danvan_store::site::Site as SiteRecord;

/// A portal that publishes through danvan.
pub struct Site(pub(crate) SiteRecord);

#[Object]
impl Site {
    /// The global id.
    async fn id(&self) -> ID {
        id::encode("Site", self.0.id.0)
    }

    /// Unique among sites; used in URLs and in `articles(site:)`.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }

    /// The portal's name.
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// The portal's public address.
    async fn base_url(&self) -> Option<&str> {
        self.0.data.base_url.as_ref().map(|u| u.as_str())
    }

    /// A short description.
    async fn description(&self) -> &str {
        self.0.data.description.as_str()
    }
}
