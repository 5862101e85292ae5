//! The `organisation` table.

use sea_orm::entity::prelude::*;

/// An organisation in the tree.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub deleted_at: Option<DateTimeUtc>,
    pub merged_into: Option<i64>,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub level: String,
    pub name: String,
    pub short_name: Option<String>,
    pub abbreviation: Option<String>,
    pub slug: String,
    pub admin_unit_id: Option<i64>,
    pub founded_on: Option<Date>,
    pub dissolved_on: Option<Date>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
