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
    /// The database cannot be reached now (it is down, restarting, or every connection is
    /// busy past the wait): the request may be tried again shortly.
    #[error("the database is unavailable")]
    Unavailable(#[source] DbErr),
    /// The database takes no writes now: its file is read-only, its disk is full, or it
    /// is a standby. Nothing of the write was kept; someone must make room or make it
    /// writable.
    #[error("the database cannot take writes")]
    Unwritable(#[source] DbErr),
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
            _ if unreachable(&err) => Self::Unavailable(err),
            _ if unwritable(&err) => Self::Unwritable(err),
            _ => Self::Database(err),
        }
    }
}

/// What the database said of a failed statement: SQLite's primary result code (the low
/// byte of its extended code), or PostgreSQL's SQLSTATE.
enum Said {
    Sqlite(i32),
    Postgres(String),
}

/// The code the database gave with `err`, when it is a statement's failure.
fn said(err: &DbErr) -> Option<Said> {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let Sqlx::Database(db) = e.as_ref() else {
        return None;
    };
    if db
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some()
    {
        db.code()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| Said::Sqlite(c & 0xff))
    } else {
        db.code().map(|c| Said::Postgres(c.into_owned()))
    }
}

/// Whether `err` says the database could not be reached, rather than that a statement
/// failed: no connection to be had within the wait, a connection refused or cut, a
/// server shutting down, starting or out of connections (PostgreSQL's classes 08 and 57P,
/// 53300), or a SQLite file locked by another process's write past the wait
/// (`SQLITE_BUSY`, `SQLITE_LOCKED`).
fn unreachable(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
            if matches!(
                e.as_ref(),
                Sqlx::Io(_)
                    | Sqlx::Tls(_)
                    | Sqlx::PoolTimedOut
                    | Sqlx::PoolClosed
                    | Sqlx::WorkerCrashed
                    | Sqlx::Protocol(_)
            ) =>
        {
            return true;
        }
        _ => {}
    }
    match said(err) {
        Some(Said::Sqlite(code)) => matches!(code, 5 | 6),
        Some(Said::Postgres(code)) => {
            code.starts_with("08") || code.starts_with("57P") || code == "53300"
        }
        None => false,
    }
}

/// Whether `err` says the database takes no writes: SQLite's `SQLITE_READONLY` and
/// `SQLITE_FULL` (the file or its folder read-only, the disk full, or the file at its
/// `max_page_count`); PostgreSQL's class 53 (a full disk, out of memory; too many
/// connections is `unreachable`'s) and `read_only_sql_transaction` (a standby, or a
/// read-only session).
fn unwritable(err: &DbErr) -> bool {
    match said(err) {
        Some(Said::Sqlite(code)) => matches!(code, 8 | 13),
        Some(Said::Postgres(code)) => code.starts_with("53") || code == "25006",
        None => false,
    }
}

/// Says which unique key a violation is about without passing on the database's message
/// (which is SQL detail). PostgreSQL names our indexes `uq_<table>_<columns>`; SQLite
/// reports `<table>.<column>, …`.
fn unique_key_name(detail: &str) -> String {
    // Longest first, so that `admin_unit_succession` is not read as `admin_unit`.
    const TABLES: [(&str, &str); 10] = [
        ("admin_unit_succession", "succession"),
        ("meeting_participant", "participant"),
        ("organisation", "organisation"),
        ("admin_unit", "administrative unit"),
        ("category", "category"),
        ("campaign", "campaign"),
        ("document", "document"),
        ("article", "article"),
        ("site", "site"),
        ("tag", "tag"),
    ];
    let (table, columns) =
        if let Some((_, sqlite)) = detail.split_once("UNIQUE constraint failed: ") {
            let columns: Vec<&str> = sqlite
                .split(", ")
                .filter_map(|c| c.trim().split_once('.').map(|(_, column)| column))
                .collect();
            (sqlite.split('.').next().unwrap_or_default(), columns)
        } else if let Some(index) = detail.split('"').find(|part| part.starts_with("uq_")) {
            let rest = &index[3..];
            let table = TABLES
                .iter()
                .map(|(t, _)| *t)
                .find(|t| rest.starts_with(&format!("{t}_")))
                .unwrap_or_default();
            let columns = rest
                .get(table.len() + 1..)
                .map(|c| vec![c])
                .unwrap_or_default();
            (table, columns)
        } else {
            ("", Vec::new())
        };
    let what = TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map_or("record", |(_, w)| *w);
    let a = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let key = columns
        .iter()
        .map(|c| c.replace("site_id_", "").replace("_id", ""))
        .filter(|c| c != "site")
        .collect::<Vec<_>>()
        .join(" and ");
    match (
        key.is_empty(),
        columns.iter().any(|c| c.starts_with("site_id")),
    ) {
        (true, _) => format!("{a} {what} with the same key"),
        (false, true) => format!("{a} {what} with this {key} in this site"),
        (false, false) => format!("{a} {what} with this {key}"),
    }
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

#[cfg(test)]
mod tests {
    use super::unique_key_name;

    #[test]
    fn both_backends_name_the_key_alike() {
        let sqlite = unique_key_name("UNIQUE constraint failed: article.site_id, article.slug");
        let postgres = unique_key_name(
            "duplicate key value violates unique constraint \"uq_article_site_id_slug\"",
        );
        assert_eq!(sqlite, "an article with this slug in this site");
        assert_eq!(sqlite, postgres);
        assert_eq!(
            unique_key_name("UNIQUE constraint failed: tag.slug"),
            "a tag with this slug"
        );
        assert_eq!(
            unique_key_name("duplicate key value violates unique constraint \"uq_document_code\""),
            "a document with this code"
        );
        assert_eq!(
            unique_key_name("something else"),
            "a record with the same key"
        );
    }
}
