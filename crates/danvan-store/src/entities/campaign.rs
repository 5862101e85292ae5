//! The `campaign` table.

use sea_orm::entity::prelude::*;

/// A campaign or emulation movement.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub name: String,
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub organisation_id: Option<i64>,
    pub started_on: Option<Date>,
    pub ended_on: Option<Date>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
