//! The `comment` table.

use sea_orm::entity::prelude::*;

/// A reader's comment.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "comment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub article_id: i64,
    pub author_name: String,
    pub body: String,
    pub status: String,
    pub moderated_at: Option<DateTimeUtc>,
    pub moderated_by: Option<i64>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
