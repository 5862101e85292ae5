//! The `webhook_attempt` table.

use sea_orm::entity::prelude::*;

/// One try at a delivery.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub delivery_id: i64,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    #[sea_orm(column_type = "Text")]
    pub response: String,
    pub ok: bool,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
