//! Failed sign-ins, counted per account and per client address in the database, so that
//! every server of a deployment slows down the same guesser.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sign_in_failure")
                    // "account:quantri" or "client:203.0.113.7".
                    .col(schema::string("key").primary_key())
                    .col(schema::integer("failures"))
                    .col(schema::timestamp_with_time_zone("last_failed_at"))
                    .col(schema::timestamp_with_time_zone_null("locked_until"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("sign_in_failure").to_owned())
            .await
    }
}
