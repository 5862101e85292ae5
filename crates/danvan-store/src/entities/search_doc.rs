//! The `search_doc` table (its full-text index lives beside it, per backend).

use sea_orm::entity::prelude::*;

/// One searchable record.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "search_doc")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub kind: String,
    pub ref_id: i64,
    pub site_id: Option<i64>,
    pub public: bool,
    pub published_at: Option<DateTimeUtc>,
    pub day: Option<Date>,
    pub title: String,
    pub body: String,
    pub title_key: String,
    pub body_key: String,
    pub title_fold: String,
    pub body_fold: String,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
