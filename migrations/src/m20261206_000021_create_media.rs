//! The media library: one row an item (a photo, an attached file) of a site. The bytes are
//! in the media storage under the item's hash, so that the same file in two sites is stored
//! once; `(site_id, hash)` is unique, so that the same file uploaded twice in a site is one
//! item. A deleted item is kept, hidden, for a grace period before its bytes go.

use crate::table::{create, drop, entity, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let media = entity("media")
            .col(schema::big_integer("site_id"))
            .col(schema::string_len("hash", 64))
            // "image" or "document".
            .col(schema::string("kind"))
            .col(schema::string("mime"))
            .col(schema::big_integer("size"))
            .col(schema::integer_null("width"))
            .col(schema::integer_null("height"))
            .col(schema::string_null("thumbhash"))
            .col(schema::string_null("colour"))
            .col(schema::text_null("caption"))
            .col(schema::text_null("alt"))
            .col(schema::text_null("credit"))
            .col(schema::text_null("file_name"))
            .col(schema::big_integer_null("created_by"))
            .col(schema::timestamp_with_time_zone_null("deleted_at"))
            .foreign_key(&mut fk(
                "media",
                "site_id",
                "site",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![media],
            vec![
                index("media", &["site_id", "hash"], true),
                // The library of a site, newest first.
                index("media", &["site_id", "id"], false),
                // Whether any item still names a file (housekeeping).
                index("media", &["hash"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["media"]).await
    }
}
