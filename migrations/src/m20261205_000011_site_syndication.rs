//! What a site tells partners: where its front end shows an article (`public_url`, a URL
//! with `{slug}` or `{id}`), which feeds, sitemaps and webhooks link to, and whether its
//! feeds carry each article's whole body (`full_text_feeds`) or only its lead.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite adds no more at a time.
        manager
            .alter_table(
                Table::alter()
                    .table("site")
                    .add_column(schema::string_null("public_url"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("site")
                    .add_column(schema::boolean("full_text_feeds").default(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["full_text_feeds", "public_url"] {
            manager
                .alter_table(Table::alter().table("site").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
