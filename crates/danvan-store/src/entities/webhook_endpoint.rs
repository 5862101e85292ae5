//! The `webhook_endpoint` table.

use sea_orm::entity::prelude::*;

/// A partner's endpoint.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub url: String,
    #[sea_orm(column_type = "Text")]
    pub events: String,
    pub site_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub include_subtree: bool,
    #[sea_orm(column_type = "Text")]
    pub secrets: String,
    pub previous_secret_expires_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub failing_since: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub disabled_reason: Option<String>,
    pub deleted_at: Option<DateTimeUtc>,
}

/// Relations are joined explicitly in queries; none are declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
