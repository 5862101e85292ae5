//! The one error type of the store.

use danvan_domain::DomainError;
use sea_orm::{DbErr, SqlErr};

/// Why a store operation failed. The first four are the caller's to fix; `Database` is ours,
/// and its detail must never reach a client.
#[derive(thiserror::Error)]
pub enum StoreError {
    /// The data broke a domain rule.
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// No such row.
    #[error("{what} {id} not found")]
    NotFound {
        /// The kind of thing looked for.
        what: &'static str,
        /// Its id, slug or code.
        id: String,
    },
    /// A unique key is taken: a slug in a site, a document code.
    #[error("{what} already exists")]
    Conflict {
        /// What is already there.
        what: String,
    },
    /// The data names a row that does not exist (a site, an organisation, a tag …).
    #[error("the data refers to a record that does not exist")]
    MissingReference,
    /// A cursor that this store did not give out, or that belongs to another listing.
    #[error("the cursor is not valid for this list")]
    BadCursor,
    /// A stored row no longer satisfies the domain's rules (it was changed behind the
    /// store's back); our fault, not the caller's.
    #[error("stored {what} is invalid: {detail}")]
    Corrupt {
        /// The kind of record.
        what: &'static str,
        /// The rule it breaks.
        detail: String,
    },
    /// The database failed.
    #[error("database error")]
    Database(#[source] DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        // Constraint violations are the caller's doing; classify them here, once.
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => Self::Conflict {
                what: unique_key_name(&detail),
            },
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::MissingReference,
            _ => Self::Database(err),
        }
    }
}

/// Names the unique key in a violation's message without passing on the message itself
/// (which is SQL detail): our keys are named `uq_<table>_<columns>` on PostgreSQL, while
/// SQLite reports `<table>.<column>`.
fn unique_key_name(detail: &str) -> String {
    const KEYS: [(&str, &str); 8] = [
        (
            "article_site_id_slug",
            "an article with this slug in this site",
        ),
        (
            "article.site_id, article.slug",
            "an article with this slug in this site",
        ),
        (
            "category_site_id_slug",
            "a category with this slug in this site",
        ),
        (
            "category.site_id, category.slug",
            "a category with this slug in this site",
        ),
        ("document", "a document with this code"),
        ("admin_unit_succession", "this succession"),
        ("meeting_participant", "this participant"),
        ("slug", "a record with this slug"),
    ];
    KEYS.iter()
        .find(|(key, _)| detail.contains(key))
        .map_or_else(
            || "a record with the same key".to_owned(),
            |(_, what)| (*what).to_owned(),
        )
}

impl std::fmt::Debug for StoreError {
    // Walks the whole source chain, so that a log line shows the database's own message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")?;
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            write!(f, "\n  caused by: {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl StoreError {
    /// A [`StoreError::NotFound`].
    pub fn not_found(what: &'static str, id: impl std::fmt::Display) -> Self {
        Self::NotFound {
            what,
            id: id.to_string(),
        }
    }
}
