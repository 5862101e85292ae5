//! Tags in the schema.

use crate::id;
use async_graphql::{ID, Object};
use danvan_store::tag::Tag as TagRecord;

/// A keyword ("Từ khóa") shared by every site.
pub struct Tag(pub(crate) TagRecord);

#[Object]
impl Tag {
    /// The global id.
    async fn id(&self) -> ID {
        id::encode("Tag", self.0.id.0)
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
