//! Readers' comments in the schema.

use async_graphql::Object;
use chrono::{DateTime, FixedOffset};
use danvan_store::comment::Comment as CommentRecord;
use danvan_text::time::to_vietnam;

/// A reader's comment, shown once an editor has approved it.
pub struct Comment(pub(crate) CommentRecord);

/// A reader's comment, shown once an editor has approved it.
#[Object]
impl Comment {
    /// The global id.
    async fn id(&self) -> async_graphql::ID {
        crate::id::encode(crate::id::COMMENT, self.0.id.0)
    }

    /// Where it stands in moderation; the public sees only approved comments.
    async fn status(&self) -> crate::enums::CommentStatus {
        self.0.data.status.into()
    }

    /// The name the reader gave.
    async fn author_name(&self) -> &str {
        self.0.data.author_name.as_str()
    }

    /// The comment, at most 500 characters.
    async fn body(&self) -> &str {
        self.0.data.body.as_str()
    }

    /// When it was posted, in Vietnam time.
    async fn created_at(&self) -> DateTime<FixedOffset> {
        to_vietnam(self.0.created_at)
    }
}
