//! The search index: one document per searchable record (article, meeting, "Dân vận
//! khéo" model, person, organisation), with its text as written (for snippets), its
//! search key (one tone placement, lower case) and its folded text (no diacritics). The
//! folded text is indexed for full-text retrieval: an FTS5 table on SQLite, a weighted
//! tsvector with a GIN index on PostgreSQL.

use crate::table::{self, entity, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            entity("search_doc")
                .col(string("kind"))
                .col(big_integer("ref_id"))
                .col(big_integer_null("site_id"))
                // Published (articles) or always shown (the other kinds).
                .col(boolean("public"))
                .col(timestamp_with_time_zone_null("published_at"))
                // The day a date filter looks at: publication, meeting, recognition.
                .col(date_null("day"))
                .col(text("title"))
                .col(text("body"))
                .col(text("title_key"))
                .col(text("body_key"))
                .col(text("title_fold"))
                .col(text("body_fold"))
                .to_owned(),
        ];
        let indexes = vec![
            index("search_doc", &["kind", "ref_id"], true),
            index("search_doc", &["site_id"], false),
        ];
        table::create(manager, tables, indexes).await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE search_doc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (\
                     setweight(to_tsvector('simple', title_fold), 'A') || \
                     setweight(to_tsvector('simple', body_fold), 'B')) STORED",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX ix_search_doc_tsv ON search_doc USING GIN (tsv)",
                )
                .await?;
            }
            _ => {
                // The text is folded before it gets here, so the tokenizer only splits.
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE search_fts USING fts5(\
                     title_fold, body_fold, tokenize = 'unicode61 remove_diacritics 0')",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP TABLE IF EXISTS search_fts")
                .await?;
        }
        table::drop(manager, &["search_doc"]).await
    }
}
