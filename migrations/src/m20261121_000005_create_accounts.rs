//! Accounts, their refresh tokens, partners' API keys, the keys that sign access tokens and
//! the audit log; and what the editorial workflow keeps on the content: soft deletion on
//! every concept, versions (for optimistic concurrency), an article's author account,
//! what each revision changed, and who moderated a comment.

use crate::table::{self, entity, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use ForeignKeyAction::{Cascade, Restrict};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The concepts an editor can delete and restore: a deleted row stays, marked, so that
/// nothing pointing at it breaks and a restore brings it back whole.
const SOFT_DELETED: &[&str] = &[
    "site",
    "admin_unit",
    "organisation",
    "person",
    "position",
    "tag",
    "category",
    "document",
    "campaign",
    "meeting",
    "article",
    "dvk_model",
    "report_figure",
];

/// Columns added to tables that already hold data; each is nullable or has a default, so
/// that existing rows stay valid. SQLite adds one column per statement.
fn added_columns() -> Vec<(&'static str, ColumnDef)> {
    let mut columns = Vec::new();
    for table in SOFT_DELETED {
        columns.push((*table, timestamp_with_time_zone_null("deleted_at")));
        // Counts the record's updates; an update names the version it edits.
        columns.push((*table, big_integer("version").default(1).to_owned()));
    }
    columns.extend([
        // "text" for copied pages, "html" for bodies written (and sanitised) through the API.
        ("article", string("body_format").default("text").to_owned()),
        // The account that wrote the article, when it was written through the API.
        ("article", big_integer_null("created_by")),
        // The names of the fields the change replaced, as a JSON list.
        ("article_revision", text_null("changed")),
        ("comment", timestamp_with_time_zone_null("moderated_at")),
        ("comment", big_integer_null("moderated_by")),
    ]);
    columns
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            entity("account")
                .col(string("username"))
                .col(string("display_name"))
                // argon2id, in the PHC string format (algorithm, parameters and salt included).
                .col(string("password_hash"))
                .col(string("role"))
                .col(big_integer_null("site_id"))
                .col(boolean("disabled").default(false))
                .foreign_key(&mut fk("account", "site_id", "site", Restrict))
                .to_owned(),
            entity("refresh_token")
                .col(big_integer("account_id"))
                // Every token rotated from one sign-in shares the family; reuse of a rotated
                // token revokes the whole family.
                .col(string("family"))
                // SHA-256 of the token: the token itself is never stored.
                .col(string("token_hash"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("rotated_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("refresh_token", "account_id", "account", Cascade))
                .to_owned(),
            entity("api_key")
                .col(string("name"))
                .col(string("key_hash"))
                // Scope codes, comma-separated: "read,embargoed".
                .col(string("scopes"))
                .col(big_integer_null("site_id"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("api_key", "site_id", "site", Restrict))
                .to_owned(),
            entity("signing_key")
                .col(string("kid"))
                // The HMAC secret, base64; generated on a first start without configured keys.
                .col(string("secret"))
                .to_owned(),
            entity("audit_log")
                // Who: "account:3", "api_key:1" or "public"; the ids are kept without foreign
                // keys so that the log outlives what it names.
                .col(string("actor"))
                .col(big_integer_null("account_id"))
                .col(string("operation"))
                .col(string_null("target"))
                // "ok", or the error code the client got.
                .col(string("outcome"))
                // The arguments, as JSON, with secrets left out.
                .col(text("detail"))
                .col(string_null("client"))
                .col(string_null("request_id"))
                .to_owned(),
        ];
        let indexes = vec![
            index("account", &["username"], true),
            index("refresh_token", &["token_hash"], true),
            index("refresh_token", &["family"], false),
            index("refresh_token", &["account_id"], false),
            index("api_key", &["key_hash"], true),
            index("signing_key", &["kid"], true),
            index("audit_log", &["created_at", "id"], false),
            index("audit_log", &["account_id", "id"], false),
            index("article", &["created_by"], false),
        ];
        for (table, column) in added_columns() {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        table::create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table::drop(
            manager,
            &[
                "audit_log",
                "signing_key",
                "api_key",
                "refresh_token",
                "account",
            ],
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_article_created_by")
                    .table("article")
                    .to_owned(),
            )
            .await?;
        for (table, column) in added_columns() {
            let name = column.get_column_name();
            manager
                .alter_table(Table::alter().table(table).drop_column(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
