//! Readers' comments ("Ý kiến"), held for moderation.

use crate::enums::coded_enum;
use crate::{ArticleId, CommentBody, Name};

coded_enum! {
    /// Where a comment stands in moderation; only approved comments are public.
    pub enum CommentStatus as "status" {
        /// Waiting for an editor.
        Pending = "pending", "Chờ duyệt";
        /// Public.
        Approved = "approved", "Đã duyệt";
        /// Refused by an editor.
        Rejected = "rejected", "Từ chối";
    }
}

/// A reader's comment on an article.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentData {
    /// The article commented on.
    pub article_id: ArticleId,
    /// The name the reader gave.
    pub author_name: Name,
    /// The comment, at most 500 characters.
    pub body: CommentBody,
    /// Moderation state.
    pub status: CommentStatus,
}

impl CommentData {
    /// A new comment, pending moderation.
    pub fn new(article_id: ArticleId, author_name: Name, body: CommentBody) -> Self {
        Self {
            article_id,
            author_name,
            body,
            status: CommentStatus::Pending,
        }
    }
}
