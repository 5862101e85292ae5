//! Organisations and people merged by an editor: the record merged away keeps the id of
//! the one it became, so that its old id (in a partner's link, a cached page) still leads
//! somewhere.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["organisation", "person"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(schema::big_integer_null("merged_into"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("merged_into")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
