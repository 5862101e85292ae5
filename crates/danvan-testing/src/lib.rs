#![doc = include_str!("../README.md")]
#![expect(
    clippy::expect_used,
    reason = "a test database that cannot be made must fail the test at once"
)]

pub mod office;
pub mod photo;
pub mod storage;

use futures::FutureExt;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// The variable that names the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "TEST_DATABASE_URL";

/// A database that exists for one test.
pub struct TestDatabase {
    /// Where it is, as `danvan serve` would be told.
    pub url: String,
    /// A connection to it, migrated.
    pub db: DatabaseConnection,
    cleanup: Cleanup,
}

enum Cleanup {
    /// Held so that the folder lives as long as the test.
    Sqlite(tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

/// The backends a test can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

impl TestDatabase {
    /// A fresh, migrated SQLite database in a file of its own.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/danvan.db", dir.path().display());
        let db = danvan_store::connect(&url).await.expect("open SQLite");
        danvan_store::migrate(&db).await.expect("migrate SQLite");
        Self {
            url,
            db,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh, migrated PostgreSQL database, or `None` (with a message) when
    /// `TEST_DATABASE_URL` is unset.
    pub async fn postgres(test: &str) -> Option<Self> {
        let database = Self::postgres_unmigrated(test).await?;
        danvan_store::migrate(&database.db)
            .await
            .expect("migrate PostgreSQL");
        Some(database)
    }

    /// A fresh, empty PostgreSQL database without any table, as a new deployment has, or
    /// `None` (with a message) when `TEST_DATABASE_URL` is unset.
    pub async fn postgres_unmigrated(test: &str) -> Option<Self> {
        let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
            eprintln!(
                "skipped on PostgreSQL: {test} (set {POSTGRES_URL_VAR}=postgres://… to run it)"
            );
            return None;
        };
        let name = format!("danvan_test_{}", uuid::Uuid::new_v4().simple());
        let admin = danvan_store::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("{POSTGRES_URL_VAR} is set but PostgreSQL does not answer: {e}")
        });
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await.expect("close the admin connection");
        let url = with_database(&admin_url, &name);
        let db = danvan_store::connect(&url)
            .await
            .expect("open the test database");
        danvan_store::migrate(&db)
            .await
            .expect("migrate PostgreSQL");
        Some(Self {
            url,
            db,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// A fresh database on `backend`, or `None` when that backend is not configured.
    pub async fn on(backend: Backend, test: &str) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres(test).await,
        }
    }

    /// Closes the connection and removes the database.
    pub async fn drop_database(self) {
        let _ = self.db.close().await;
        match self.cleanup {
            Cleanup::Sqlite(dir) => drop(dir),
            Cleanup::Postgres { admin_url, name } => {
                let admin = danvan_store::connect(&admin_url)
                    .await
                    .expect("reconnect to drop");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .expect("drop the test database");
                let _ = admin.close().await;
            }
        }
    }
}

/// The same URL with another database name in its path.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs `test` on a fresh database of `backend` and removes the database afterwards,
/// also when the test fails.
pub async fn run<F, Fut>(backend: Backend, name: &str, test: F)
where
    F: FnOnce(TestDatabase) -> Fut,
    Fut: Future<Output = TestDatabase>,
{
    let Some(database) = TestDatabase::on(backend, name).await else {
        return;
    };
    let url = database.url.clone();
    let outcome = AssertUnwindSafe(test(database)).catch_unwind().await;
    match outcome {
        Ok(database) => database.drop_database().await,
        Err(panic) => {
            // The test has the database; drop it by name so that nothing is left behind.
            if backend == Backend::Postgres
                && let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR)
                && let Some(name) = url
                    .rsplit('/')
                    .next()
                    .map(|n| n.split('?').next().unwrap_or(n).to_owned())
                && let Ok(admin) = danvan_store::connect(&admin_url).await
            {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
            std::panic::resume_unwind(panic);
        }
    }
}

/// Declares each listed `async fn(TestDatabase) -> TestDatabase` as a test on SQLite and a
/// test on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    $crate::run($crate::Backend::Sqlite, stringify!($test), super::$test).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    $crate::run($crate::Backend::Postgres, stringify!($test), super::$test).await;
                }
            )+
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_database_replaces_the_path() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h:5432/test?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
