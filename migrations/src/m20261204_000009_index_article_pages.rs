//! Indexes that find the article a page was imported as.
//!
//! The importer asks, for each page, whether the site already holds it: by fingerprint (an
//! index since the start), else at the same address (`canonical_url`), else with the same
//! title and publication time. The last two had no index to start from: PostgreSQL walked
//! the index of every article by status and time looking for the one time, SQLite read the
//! site's articles, and each page took longer than the one before as the site grew.

use crate::table::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn indexes() -> [IndexCreateStatement; 2] {
    [
        index("article", &["site_id", "canonical_url"], false),
        index("article", &["site_id", "published_at"], false),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in indexes() {
            crate::table::drop_index(manager, "article", index).await?;
        }
        Ok(())
    }
}
