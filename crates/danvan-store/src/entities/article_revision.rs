//! The `article_revision` table.

use sea_orm::entity::prelude::*;

/// An article as it was before a change.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "article_revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub article_id: i64,
    pub number: i32,
    pub reason: String,
    pub actor: Option<String>,
    pub snapshot: String,
    pub changed: Option<String>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
