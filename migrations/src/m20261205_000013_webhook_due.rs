//! The time up to which the webhooks' fan-out has told of scheduled articles whose time
//! came: such an article is told of when it becomes public, not when it was scheduled.

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
                    .table("webhook_cursor")
                    .add_column(schema::timestamp_with_time_zone_null("due_until"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_cursor")
                    .drop_column("due_until")
                    .to_owned(),
            )
            .await
    }
}
