//! The `dvk_model` table.

use sea_orm::entity::prelude::*;

/// A "Dân vận khéo" model; the recognition is kept in columns of its own.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dvk_model")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub kind: String,
    pub field: String,
    pub organisation_id: Option<i64>,
    pub admin_unit_id: Option<i64>,
    pub period: Option<String>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub status: String,
    pub recognition_level: Option<String>,
    pub recognition_decision: Option<String>,
    pub recognised_on: Option<Date>,
    pub area: Option<String>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
