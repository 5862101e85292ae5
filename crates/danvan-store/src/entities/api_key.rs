//! The `api_key` table.

use sea_orm::entity::prelude::*;

/// A partner's API key, by its digest.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub name: String,
    pub key_hash: String,
    pub scopes: String,
    pub site_id: Option<i64>,
    pub revoked_at: Option<DateTimeUtc>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
