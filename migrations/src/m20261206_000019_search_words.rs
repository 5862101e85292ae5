//! The words of every searchable title, as written (one tone placement, lower case) and
//! folded: the vocabulary a search's corrections are drawn from ("dan vna" → "dân vận").
//! Titles rather than whole texts: they hold the portals' names, places and terms, and
//! the fifteen words of a title cost a write nothing, where the hundreds of a body would.
//! Filled here for the documents there are; the store adds the words of each title after.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;
use sea_orm_migration::sea_orm::ConnectionTrait;
use std::collections::BTreeSet;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Documents read at a time while filling.
const BATCH: u64 = 5_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("search_word")
                    .col(schema::string("word").primary_key())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let mut words = BTreeSet::new();
        let mut after = 0_i64;
        loop {
            let page = Query::select()
                .columns(["id", "title_key", "title_fold"])
                .from("search_doc")
                .and_where(Expr::col("id").gt(after))
                .order_by("id", Order::Asc)
                .limit(BATCH)
                .to_owned();
            let rows = db.query_all(&page).await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("", "id")?;
            for row in &rows {
                for column in ["title_key", "title_fold"] {
                    let text: String = row.try_get("", column)?;
                    words.extend(text.split(' ').filter(|w| !w.is_empty()).map(str::to_owned));
                }
            }
        }
        let words: Vec<String> = words.into_iter().collect();
        for chunk in words.chunks(1_000) {
            let mut insert = Query::insert();
            insert.into_table("search_word").columns(["word"]);
            for word in chunk {
                insert
                    .values([word.as_str().into()])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
            }
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("search_word").to_owned())
            .await
    }
}
