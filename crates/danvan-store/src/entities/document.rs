//! The `document` table.

use sea_orm::entity::prelude::*;

/// A referenced document.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub code: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub issuer_id: Option<i64>,
    pub issued_on: Option<Date>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
