//! An organisation's articles listed from the link table's index alone.
//!
//! An organisation's page (newest first, page 2, with its count) found the organisation's
//! articles in `article_organisation`, then read each article to keep those published and
//! not deleted, and sorted them by publication time: a district board's few thousand
//! articles at a million read on every view, where the page shows twenty. With the time an
//! article is listed from beside each link, and an index of `(organisation_id, listed_at,
//! article_id)`, the page is one backward range of that index and the count one range of it.
//!
//! `listed_at` is the article's `published_at` while its status is `published` and it is not
//! deleted, else null. Triggers keep it, so that every write (the store's, a bulk import, a
//! hand-made fix in SQL) keeps it right; the store only reads it. A scheduled article has
//! its future time there, and `listed_at <= now` keeps it out until then.

use crate::table::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "article_organisation";
const COLUMN: &str = "listed_at";

fn listing() -> IndexCreateStatement {
    index(TABLE, &["organisation_id", COLUMN, "article_id"], false)
}

/// The time an article of alias `a` is listed from; the one place the rule is written in SQL.
fn listed(a: &str) -> String {
    format!(
        "CASE WHEN {a}.status = 'published' AND {a}.deleted_at IS NULL \
         THEN {a}.published_at END"
    )
}

const SQLITE_UP: [&str; 2] = [
    "CREATE TRIGGER article_organisation_listed AFTER INSERT ON article_organisation
     BEGIN
       UPDATE article_organisation SET listed_at = (SELECT LISTED FROM article a WHERE a.id = NEW.article_id)
       WHERE article_id = NEW.article_id AND organisation_id = NEW.organisation_id;
     END",
    "CREATE TRIGGER article_listed AFTER UPDATE OF status, published_at, deleted_at ON article
     WHEN OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
       OR OLD.deleted_at IS NOT NEW.deleted_at
     BEGIN
       UPDATE article_organisation SET listed_at = (SELECT LISTED FROM article a WHERE a.id = NEW.id)
       WHERE article_id = NEW.id;
     END",
];

const POSTGRES_UP: [&str; 4] = [
    "CREATE FUNCTION danvan_article_organisation_listed() RETURNS trigger AS $$
     BEGIN
       NEW.listed_at := (SELECT LISTED FROM article a WHERE a.id = NEW.article_id);
       RETURN NEW;
     END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER article_organisation_listed BEFORE INSERT ON article_organisation
     FOR EACH ROW EXECUTE FUNCTION danvan_article_organisation_listed()",
    "CREATE FUNCTION danvan_article_listed() RETURNS trigger AS $$
     BEGIN
       UPDATE article_organisation SET listed_at = (SELECT LISTED FROM article a WHERE a.id = NEW.id)
       WHERE article_id = NEW.id;
       RETURN NULL;
     END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER article_listed AFTER UPDATE OF status, published_at, deleted_at ON article
     FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
       OR OLD.published_at IS DISTINCT FROM NEW.published_at
       OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
     EXECUTE FUNCTION danvan_article_listed()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TABLE)
                    .add_column(ColumnDef::new(COLUMN).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE article_organisation SET listed_at = \
             (SELECT {} FROM article a WHERE a.id = article_organisation.article_id)",
            listed("a")
        ))
        .await?;
        manager.create_index(listing()).await?;
        let triggers: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => &POSTGRES_UP,
            _ => &SQLITE_UP,
        };
        for trigger in triggers {
            db.execute_unprepared(&trigger.replace("LISTED", &listed("a")))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS article_listed ON article",
                "DROP TRIGGER IF EXISTS article_organisation_listed ON article_organisation",
                "DROP FUNCTION IF EXISTS danvan_article_listed()",
                "DROP FUNCTION IF EXISTS danvan_article_organisation_listed()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS article_listed",
                "DROP TRIGGER IF EXISTS article_organisation_listed",
            ],
        };
        for drop in drops {
            db.execute_unprepared(drop).await?;
        }
        crate::table::drop_index(manager, TABLE, listing()).await?;
        manager
            .alter_table(Table::alter().table(TABLE).drop_column(COLUMN).to_owned())
            .await
    }
}
