//! The `change_log` table.

use sea_orm::entity::prelude::*;

/// One change of a record that readers follow.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub concept: String,
    pub record_id: i64,
    pub site_id: Option<i64>,
    pub action: String,
    pub at: DateTimeUtc,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
