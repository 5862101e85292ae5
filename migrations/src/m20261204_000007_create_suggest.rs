//! On SQLite, an index of titles alone, with prefix indexes, for suggestions.
//!
//! A suggestion's last word is a prefix ("dan van kh"). Without a prefix index FTS5 answers
//! a prefix by merging the lists of every word that starts with it, in titles and bodies
//! alike ("kh": khéo, không, khu, khai, …), which grew with the archive: 6 ms at 100,000
//! articles, 73 ms at a million. Titles with prefix indexes of one to three letters keep
//! that one list read, whatever the size. PostgreSQL's GIN index answers prefixes itself.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE VIRTUAL TABLE suggest_fts USING fts5(\
             title_fold, prefix = '1 2 3', tokenize = 'unicode61 remove_diacritics 0')",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO suggest_fts (rowid, title_fold) SELECT id, title_fold FROM search_doc",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP TABLE IF EXISTS suggest_fts")
                .await?;
        }
        Ok(())
    }
}
