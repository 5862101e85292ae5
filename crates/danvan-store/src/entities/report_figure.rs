//! The `report_figure` table.

use sea_orm::entity::prelude::*;

/// A figure a report states.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "report_figure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub indicator_key: String,
    pub indicator_label: String,
    pub value: f64,
    pub qualifier: String,
    pub denominator: Option<f64>,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub organisation_id: Option<i64>,
    pub article_id: Option<i64>,
    pub meeting_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub wording: Option<String>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
