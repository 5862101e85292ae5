//! The `webhook_cursor` table: one row, how far the change log has been fanned out.

use sea_orm::entity::prelude::*;

/// The fan-out's place.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_cursor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub seq: i64,
    pub due_until: Option<DateTimeUtc>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
