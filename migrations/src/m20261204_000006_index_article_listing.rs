//! An index that answers "is this article listed" from the index alone.
//!
//! Lists of an organisation's, a person's or a meeting's articles find their ids in a link
//! table, then keep those that are live, published and due. On SQLite those columns come
//! after the body in the row, so each check read the body's overflow pages; at a district
//! board's few thousand articles that was most of the page's time. With the id first and
//! the listing columns after it, each check is one lookup in a small index. PostgreSQL keeps
//! long bodies out of the row (TOAST) and reads these columns from the row itself; its
//! planner left such an index unused, so it is made on SQLite only.

use crate::table::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn listing() -> IndexCreateStatement {
    index(
        "article",
        &["id", "deleted_at", "status", "published_at", "site_id"],
        false,
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        manager.create_index(listing()).await?;
        // SQLite's planner takes a new index only once it has statistics for it: a database
        // analysed before (by the importer or the benchmark) gets them for this table, from
        // a sample so that a million articles take a moment.
        let db = manager.get_connection();
        let analysed = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT 1 AS x FROM sqlite_master WHERE name = 'sqlite_stat1'",
            ))
            .await?
            .is_some();
        if analysed {
            db.execute_unprepared(
                "PRAGMA analysis_limit = 1000; ANALYZE article; PRAGMA analysis_limit = 0;",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let name = listing()
            .get_index_spec()
            .get_name()
            .unwrap_or_default()
            .to_owned();
        manager
            .drop_index(Index::drop().name(name).table("article").to_owned())
            .await
    }
}
