//! Sites in the schema.

use crate::admin_unit::AdminUnit;
use crate::context::load;
use crate::id;
use crate::organisation::Organisation;
use async_graphql::{Context, ID, Object, Result};
use danvan_store::site::Site as SiteRecord;

/// A portal that publishes through danvan.
pub struct Site(pub(crate) SiteRecord);

/// A portal that publishes through danvan.
#[Object]
impl Site {
    /// Counts the changes: send it back with an update.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::SITE, self.0.id.0)
    }

    /// Unique among sites; used in URLs and in `articles(filter: { site })`.
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

    /// Where the portal's front end shows an article, naming `{slug}` or `{id}`; feeds,
    /// sitemaps and webhooks link there.
    async fn public_url(&self) -> Option<&str> {
        self.0.data.public_url.as_ref().map(|u| u.as_str())
    }

    /// Whether the site's feeds carry each article's whole body, or only its lead.
    async fn full_text_feeds(&self) -> bool {
        self.0.data.full_text_feeds
    }

    /// A short description.
    async fn description(&self) -> &str {
        self.0.data.description.as_str()
    }

    /// The organisation that runs the portal.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.organisation_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }

    /// The administrative unit the portal serves.
    async fn admin_unit(&self, ctx: &Context<'_>) -> Result<Option<AdminUnit>> {
        let Some(id) = self.0.data.admin_unit_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(AdminUnit))
    }
}
