//! The change log: one row for each change of a record that readers follow (offline sync
//! now; feeds, webhooks and subscriptions next), written in the transaction of the change.
//!
//! `seq` orders the log. SQLite numbers rows with `AUTOINCREMENT`, so that a number is
//! never given out again once the oldest rows are removed by the retention policy;
//! PostgreSQL with its sequence. Why a reader never skips a row that commits late is told
//! in `danvan_store::change`.

use crate::table::{create, drop, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("change_log")
            .col(schema::big_pk_auto("seq"))
            // What changed: its concept ("article") and id, and the site it belongs to.
            .col(schema::string("concept"))
            .col(schema::big_integer("record_id"))
            .col(schema::big_integer_null("site_id"))
            // "created", "updated", "published", "unpublished", "archived", "deleted",
            // "restored".
            .col(schema::string("action"))
            .col(schema::timestamp_with_time_zone("at"))
            .to_owned();
        create(
            manager,
            vec![table],
            vec![
                // A site's changes in order: a sync's page.
                index("change_log", &["site_id", "concept", "seq"], false),
                // A record's later changes: whether a row is the last of its record.
                index("change_log", &["concept", "record_id", "seq"], false),
                // The oldest rows: the retention policy's removal.
                index("change_log", &["at"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["change_log"]).await
    }
}
