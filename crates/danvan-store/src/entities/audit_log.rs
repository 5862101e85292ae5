//! The `audit_log` table.

use sea_orm::entity::prelude::*;

/// One mutation, as it was asked for and how it ended.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub actor: String,
    pub account_id: Option<i64>,
    pub operation: String,
    pub target: Option<String>,
    pub outcome: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub client: Option<String>,
    pub request_id: Option<String>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
