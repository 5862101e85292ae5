//! The `admin_unit_succession` table.

use sea_orm::entity::prelude::*;

/// A link from a unit to one that took over its area.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_unit_succession")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub predecessor_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub successor_id: i64,
    pub kind: String,
    pub effective_on: Date,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
