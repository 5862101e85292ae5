//! PostgreSQL's planner sees ten times as many of the index's words (statistics target
//! 1,000 on `search_doc.tsv`, from the default 100). With the default, a word it has no
//! figure for is guessed to be in some 440 of 100,000 documents, so a search for a rare
//! word ("MTTQ", a slip such as "so kte") walked every document newest first, in the hope
//! of finding its 50 title matches early: 680 ms, for 13 matches or none. With the longer
//! list the guess is a few dozen, the index is asked instead, and the same search takes
//! 2–5 ms; common words keep the newest-first walk that stops after the first page.
//! SQLite's full-text index needs nothing of the kind.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE search_doc ALTER COLUMN tsv SET STATISTICS 1000")
            .await?;
        db.execute_unprepared("ANALYZE search_doc").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE search_doc ALTER COLUMN tsv SET STATISTICS -1")
            .await?;
        Ok(())
    }
}
