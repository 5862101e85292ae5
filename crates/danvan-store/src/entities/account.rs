//! The `account` table.

use sea_orm::entity::prelude::*;

/// Someone who writes or moderates.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub site_id: Option<i64>,
    pub disabled: bool,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
