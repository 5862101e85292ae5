//! The `site` table.

use sea_orm::entity::prelude::*;

/// A portal.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "site")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub slug: String,
    pub name: String,
    pub base_url: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub organisation_id: Option<i64>,
    pub admin_unit_id: Option<i64>,
    pub public_url: Option<String>,
    pub full_text_feeds: bool,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
