//! The `person` table.

use sea_orm::entity::prelude::*;

/// A person; `given_name` is kept for sorting in Vietnamese name order.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub merged_into: Option<i64>,
    pub full_name: String,
    pub given_name: String,
    pub name_key: String,
    #[sea_orm(column_type = "Text")]
    pub bio: String,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
