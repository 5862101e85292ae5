//! What the newsroom wrote of an item and the name it was uploaded under, as folded words
//! (" quang canh hoi nghi"), so that its library is searched with or without diacritics. Filled here
//! for the items there are; the store writes it with every item after.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("media")
                    .add_column(schema::text_null("search_key"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let rows = db
            .query_all_raw(Statement::from_string(
                manager.get_database_backend(),
                "SELECT id, caption, alt, credit, file_name FROM media",
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let mut texts = Vec::new();
            for column in ["caption", "alt", "credit", "file_name"] {
                let text: Option<String> = row.try_get("", column)?;
                texts.extend(text);
            }
            let update = Query::update()
                .table("media")
                .value("search_key", danvan_text::words_key(&texts.join(" ")))
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("media")
                    .drop_column("search_key")
                    .to_owned(),
            )
            .await
    }
}
