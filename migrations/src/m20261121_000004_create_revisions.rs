//! Article revisions, and an index that finds a person or an organisation by its name
//! with tone placement and case set aside (the importer matches names this way).

use crate::table::{self, entity, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            entity("article_revision")
                .col(big_integer("article_id"))
                // 1, 2, 3 … per article, in the order the revisions were kept.
                .col(integer("number"))
                // Why it was kept: "import" when a changed page replaced the article.
                .col(string("reason"))
                .col(string_null("actor"))
                // The article as it was before the change, as JSON text.
                .col(text("snapshot"))
                .foreign_key(&mut fk(
                    "article_revision",
                    "article_id",
                    "article",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("article_revision", &["article_id", "number"], true),
            index("search_doc", &["kind", "title_key"], false),
        ];
        table::create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_search_doc_kind_title_key")
                    .table("search_doc")
                    .to_owned(),
            )
            .await?;
        table::drop(manager, &["article_revision"]).await
    }
}
