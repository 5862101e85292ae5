//! Opening a database and bringing its schema up to date.

use crate::StoreError;
use danvan_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use std::path::Path;
use std::time::Duration;

/// The database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a connection uses.
    pub fn of(db: &impl ConnectionTrait) -> Self {
        match db.get_database_backend() {
            DbBackend::Postgres => Self::Postgres,
            _ => Self::Sqlite,
        }
    }
}

/// Opens the database at `url`: `sqlite://path/to/file.db` or `postgres://…`.
///
/// A SQLite file and its folder are created when missing; the file is switched to WAL mode
/// (readers do not wait for the writer) and foreign keys are enforced on every connection.
/// On SQLite the pool holds one connection, the writer; see [`connect_readers`].
pub async fn connect(url: &str) -> Result<DatabaseConnection, StoreError> {
    connect_waiting(url, DEFAULT_WAIT).await
}

/// How long a statement waits for a connection by default, before it fails as
/// [`StoreError::Unavailable`].
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// As [`connect`], with statements waiting at most `wait` for a connection (and a new
/// connection at most `wait` to be made): when the database is away, a request fails after
/// `wait` rather than hanging.
pub async fn connect_waiting(url: &str, wait: Duration) -> Result<DatabaseConnection, StoreError> {
    let url = if url.starts_with("sqlite:") {
        prepare_sqlite(url)?
    } else {
        url.to_owned()
    };
    let mut options = ConnectOptions::new(url);
    options
        .connect_timeout(wait)
        .acquire_timeout(wait)
        .sqlx_logging(false)
        // Another process's write (an import) holds the file's lock for a moment: a
        // statement waits for it as long as for a connection, then fails as unavailable.
        .map_sqlx_sqlite_opts(move |o| sqlite_settings(o).busy_timeout(wait));
    let db = Database::connect(options).await?;
    if Backend::of(&db) == Backend::Sqlite {
        // WAL is a property of the file, kept once set; foreign keys are per connection,
        // and sqlx turns them on for every connection it opens.
        db.execute_unprepared("PRAGMA journal_mode = WAL;").await?;
    }
    Ok(db)
}

/// Opens the pool that reads run on beside `connect`'s, for a SQLite file: SQLite serves
/// one writer at a time, so `connect` keeps a single connection for writes (no writer ever
/// waits on another's lock), and reads, which WAL lets run beside it on snapshots of their
/// own, get a pool of read-only connections, two for each core. `None` for PostgreSQL,
/// whose one pool serves both, and for an in-memory SQLite database, which one connection
/// holds.
pub async fn connect_readers(url: &str) -> Result<Option<DatabaseConnection>, StoreError> {
    connect_readers_waiting(url, DEFAULT_WAIT).await
}

/// As [`connect_readers`], waiting at most `wait` for a connection.
pub async fn connect_readers_waiting(
    url: &str,
    wait: Duration,
) -> Result<Option<DatabaseConnection>, StoreError> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(None);
    }
    let size = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
    let mut options = ConnectOptions::new(prepare_sqlite(url)?);
    options
        .max_connections(u32::try_from(size).unwrap_or(4))
        .min_connections(1)
        .connect_timeout(wait)
        .acquire_timeout(wait)
        .sqlx_logging(false)
        // A write through this pool is a bug: it is refused rather than raced.
        .map_sqlx_sqlite_opts(move |o| {
            sqlite_settings(o)
                .pragma("query_only", "ON")
                .busy_timeout(wait)
        });
    Ok(Some(Database::connect(options).await?))
}

/// Opens a PostgreSQL read replica of the database `connect` opened, for reads only: its
/// connections are read-only (`default_transaction_read_only`), so that a write sent there
/// by mistake is refused on any server, a replica or not.
pub async fn connect_replica(url: &str, wait: Duration) -> Result<DatabaseConnection, StoreError> {
    if !url.starts_with("postgres") {
        return Err(StoreError::Database(sea_orm::DbErr::Custom(
            "a read replica is a PostgreSQL database (postgres://…)".into(),
        )));
    }
    let mut options = ConnectOptions::new(url);
    options
        .connect_timeout(wait)
        .acquire_timeout(wait)
        .sqlx_logging(false)
        .map_sqlx_postgres_opts(|o| o.options([("default_transaction_read_only", "on")]));
    Ok(Database::connect(options).await?)
}

/// How far behind its primary a replica is: the time since the last transaction it
/// replayed, `None` on a database that is no replica.
pub async fn replication_lag(db: &DatabaseConnection) -> Result<Option<f64>, StoreError> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Lag {
        seconds: Option<f64>,
    }
    if Backend::of(db) != Backend::Postgres {
        return Ok(None);
    }
    let lag = Lag::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT CASE WHEN pg_is_in_recovery() \
         THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END AS seconds",
    ))
    .one(db)
    .await?;
    Ok(lag.and_then(|l| l.seconds))
}

/// What every SQLite connection is opened with: `synchronous = FULL`, so that a commit is
/// on the disk (the write-ahead log synced) before it is acknowledged and survives a power
/// cut as well as a killed process (`NORMAL` would keep it through a killed process only);
/// and a page cache of 8 MiB (SQLite's default is 2 MiB). The file is not mapped into memory (`mmap_size`): measured at 100,000 articles
/// it made the home page about a sixth faster under load, but every connection's mapping
/// counted the file again in the server's resident memory (725 MiB after the load instead
/// of 169 MiB); see BENCHMARKS.md.
fn sqlite_settings(
    options: sea_orm::sqlx::sqlite::SqliteConnectOptions,
) -> sea_orm::sqlx::sqlite::SqliteConnectOptions {
    options
        .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
        .pragma("cache_size", "-8192")
}

/// Creates the folder of a SQLite file and asks for the file to be created.
fn prepare_sqlite(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") {
        return Ok(url.to_owned());
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Database(sea_orm::DbErr::Custom(format!(
                "cannot create the folder {}: {e}",
                dir.display()
            )))
        })?;
    }
    Ok(if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    })
}

/// Begins a transaction that writes. On SQLite it takes the file's write lock at once
/// (`BEGIN IMMEDIATE`), waiting for it as long as for any lock (`busy_timeout`): a
/// transaction begun as a reader that later writes would fail at once, without waiting,
/// whenever another process (an import) wrote in between (`SQLITE_BUSY`), as SQLite cannot
/// move a reader's snapshot forward. On PostgreSQL it is a plain `BEGIN`.
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Applies every migration not yet applied.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), StoreError> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// The connections of `db`'s pool: (open, idle).
pub fn pool_use(db: &DatabaseConnection) -> Option<(u32, usize)> {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        _ => None,
    }
}

/// How long taking a connection from `db`'s pool takes now: what a request waits when the
/// pool is busy, sampled.
pub async fn pool_wait(db: &DatabaseConnection) -> Option<Duration> {
    let began = std::time::Instant::now();
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            drop(db.get_postgres_connection_pool().acquire().await.ok()?);
        }
        sea_orm::DbBackend::Sqlite => {
            drop(db.get_sqlite_connection_pool().acquire().await.ok()?);
        }
        _ => return None,
    }
    Some(began.elapsed())
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), StoreError> {
    db.ping().await?;
    Ok(())
}

/// Whether the database holds no content yet (no site), as on a first start.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, StoreError> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    Ok(crate::entities::site::Entity::find().count(db).await? == 0)
}

/// Refreshes the query planner's statistics. After a bulk load PostgreSQL otherwise plans
/// searches as if the tables were small (measured: 338 ms a search right after loading
/// 100,000 articles, 7 ms after this).
pub async fn analyze(db: &DatabaseConnection) -> Result<(), StoreError> {
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_file_url_asks_for_creation() {
        let dir = std::env::temp_dir().join("danvan-connect-test");
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(prepare_sqlite(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir());
        assert_eq!(
            prepare_sqlite("sqlite::memory:").unwrap(),
            "sqlite::memory:"
        );
        assert_eq!(
            prepare_sqlite("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
    }
}
