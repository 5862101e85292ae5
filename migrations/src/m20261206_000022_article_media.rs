//! Articles use the media library: an image may be a library photo (`article_image.media_id`,
//! beside the address an imported page gave), and `article_media` holds every use of an
//! item by an article (its cover, its photos, the files attached, in order). The cover and
//! the files are read from it; the whole says whether an item is public (an article that
//! uses it is) and whether it may be deleted (nothing uses it).

use crate::table::{create, drop, fk, index, link};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("article_image")
                    .add_column(schema::big_integer_null("media_id"))
                    .to_owned(),
            )
            .await?;
        let uses = link("article_media")
            .col(schema::big_integer("article_id"))
            // "cover", "image" or "attachment".
            .col(schema::string("role"))
            .col(schema::integer("position"))
            .col(schema::big_integer("media_id"))
            .primary_key(
                Index::create()
                    .col("article_id")
                    .col("role")
                    .col("position"),
            )
            .foreign_key(&mut fk(
                "article_media",
                "article_id",
                "article",
                ForeignKeyAction::Cascade,
            ))
            // An item in use is not removed: deleting it is refused while an article uses it.
            .foreign_key(&mut fk(
                "article_media",
                "media_id",
                "media",
                ForeignKeyAction::Restrict,
            ))
            .to_owned();
        create(
            manager,
            vec![uses],
            vec![index("article_media", &["media_id"], false)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["article_media"]).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("article_image")
                    .drop_column("media_id")
                    .to_owned(),
            )
            .await
    }
}
