//! The `article_organisation` table.

use sea_orm::entity::prelude::*;

/// An organisation an article concerns, in order, with the time the article is listed from.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "article_organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub article_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    pub position: i32,
    /// The article's publication time while it is published and not deleted, else null;
    /// kept by the database's triggers (migration `m20261204_000008`), never written here.
    pub listed_at: Option<DateTimeUtc>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
