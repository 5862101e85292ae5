//! The `article` table.

use sea_orm::entity::prelude::*;

/// An article; its source is kept in columns of its own.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "article")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub site_id: i64,
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub title_key: String,
    #[sea_orm(column_type = "Text")]
    pub lead: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub status: String,
    pub published_at: Option<DateTimeUtc>,
    pub publish_at: Option<DateTimeUtc>,
    pub source_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub source_url: Option<String>,
    pub source_published_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub canonical_url: Option<String>,
    pub view_count: i64,
    pub meeting_id: Option<i64>,
    pub fingerprint: Option<String>,
    pub created_by: Option<i64>,
    pub body_format: String,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
