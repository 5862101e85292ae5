//! Store tests: every concept on a fresh SQLite file and a fresh PostgreSQL database.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod articles;
mod directory;
mod fixtures;
mod imports;
mod media;
mod reports;
mod search;

mod backend {
    use danvan_testing::TestDatabase;

    #[tokio::test]
    async fn sqlite_files_use_wal_sync_each_commit_and_enforce_foreign_keys() {
        let t = TestDatabase::sqlite().await;
        let mode: String = fetch_one(&t, "PRAGMA journal_mode").await;
        assert_eq!(mode, "wal");
        // FULL (2): a commit is synced to the disk before it is acknowledged.
        let synchronous: i32 = fetch_one(&t, "PRAGMA synchronous").await;
        assert_eq!(synchronous, 2);
        let fk: i32 = fetch_one(&t, "PRAGMA foreign_keys").await;
        assert_eq!(fk, 1);
        t.drop_database().await;
    }

    #[tokio::test]
    async fn sqlite_reads_have_a_pool_that_refuses_writes() {
        use sea_orm::ConnectionTrait;
        let t = TestDatabase::sqlite().await;
        let readers = danvan_store::connect_readers(&t.url)
            .await
            .unwrap()
            .unwrap();
        let sites: i64 = {
            let row = readers
                .query_one_raw(sea_orm::Statement::from_string(
                    readers.get_database_backend(),
                    "SELECT COUNT(*) FROM site",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index(0).unwrap()
        };
        assert_eq!(sites, 0);
        let write = readers
            .execute_unprepared("INSERT INTO tag (name, slug) VALUES ('Dân vận', 'dan-van')")
            .await;
        assert!(write.is_err(), "a write went through the read pool");
        assert!(
            danvan_store::connect_readers("sqlite::memory:")
                .await
                .unwrap()
                .is_none()
        );
        t.drop_database().await;
    }

    async fn fetch_one<T: sea_orm::TryGetable>(t: &TestDatabase, sql: &str) -> T {
        use sea_orm::{ConnectionTrait, Statement};
        let row =
            t.db.query_one_raw(Statement::from_string(t.db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap();
        row.try_get_by_index(0).unwrap()
    }
}
