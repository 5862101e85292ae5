//! Tags and categories in the schema.

use crate::context::load;
use crate::id;
use crate::site::Site;
use async_graphql::{Context, ID, Object, Result};
use danvan_store::category::Category as CategoryRecord;
use danvan_store::tag::Tag as TagRecord;

/// A keyword ("Từ khóa") shared by every site.
pub struct Tag(pub(crate) TagRecord);

/// A keyword ("Từ khóa") shared by every site.
#[Object]
impl Tag {
    /// Counts the changes: send it back with an update.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::TAG, self.0.id.0)
    }

    /// The keyword as written.
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// Unique among tags.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }
}

/// A section of one site.
pub struct Category(pub(crate) CategoryRecord);

/// A section of one site.
#[Object]
impl Category {
    /// Counts the changes: send it back with an update.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::CATEGORY, self.0.id.0)
    }

    /// The name shown in menus.
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// Unique within the site.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }

    /// The site.
    async fn site(&self, ctx: &Context<'_>) -> Result<Option<Site>> {
        Ok(load(ctx, self.0.data.site_id).await?.map(Site))
    }

    /// The enclosing category.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Category>> {
        let Some(parent) = self.0.data.parent_id else {
            return Ok(None);
        };
        Ok(load(ctx, parent).await?.map(Category))
    }
}
