//! A stored value: what callers write, plus what the store keeps about it.

use chrono::{DateTime, Utc};

/// A value as stored: its id, when it was created and last updated (UTC), and its data.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<I, T> {
    /// The id the store gave it.
    pub id: I,
    /// When it was first stored.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
    /// 1 when created, one more with each update: an update names the version it edits, and
    /// a stale one is refused instead of overwriting someone else's change.
    pub version: i64,
    /// When it was deleted; a deleted record is kept, hidden, until it is restored.
    pub deleted_at: Option<DateTime<Utc>>,
    /// The value itself.
    pub data: T,
}
