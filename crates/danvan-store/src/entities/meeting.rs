//! The `meeting` table.

use sea_orm::entity::prelude::*;

/// A meeting; the period is kept as its code and its first and last day, for range filters.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub kind: String,
    pub held_on: Date,
    pub location: Option<String>,
    pub organiser_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub attendance_note: Option<String>,
    pub period: Option<String>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
