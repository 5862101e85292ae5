//! The `position` table.

use sea_orm::entity::prelude::*;

/// A title held in an organisation for a term.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "position")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub person_id: i64,
    pub organisation_id: i64,
    pub title: String,
    pub term_start: Date,
    pub term_end: Option<Date>,
    pub rank: i32,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
