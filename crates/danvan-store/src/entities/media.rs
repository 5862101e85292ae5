//! The `media` table.

use sea_orm::entity::prelude::*;

/// An item of the media library.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub site_id: i64,
    pub hash: String,
    pub kind: String,
    pub mime: String,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub thumbhash: Option<String>,
    pub colour: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub caption: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub alt: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub credit: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub file_name: Option<String>,
    pub created_by: Option<i64>,
    pub deleted_at: Option<DateTimeUtc>,
    /// What the newsroom wrote of it and its file's name, folded, for the library's search.
    #[sea_orm(column_type = "Text")]
    pub search_key: Option<String>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
