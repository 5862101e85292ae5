//! Webhooks: the endpoints partners register, the deliveries owed to them, and the log of
//! each attempt.
//!
//! The outbox is the change log: a change and its row commit together, so an event is
//! never lost or invented. `webhook_cursor` (one row) is how far the log has been fanned
//! out into deliveries; the fan-out writes the deliveries and moves the cursor in one
//! transaction, and `(endpoint_id, change_seq)` is unique, so that a change is owed to an
//! endpoint once whatever happens.

use crate::table::{create, drop, entity, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let endpoint = entity("webhook_endpoint")
            .col(schema::string("url"))
            // The events, comma-separated: "article.published,comment.approved".
            .col(schema::text("events"))
            .col(schema::big_integer_null("site_id"))
            .col(schema::big_integer_null("organisation_id"))
            .col(schema::boolean("include_subtree").default(false))
            // The signing secrets, newest first, separated by spaces: during a rotation
            // every delivery is signed with each.
            .col(schema::text("secrets"))
            .col(schema::timestamp_with_time_zone_null(
                "previous_secret_expires_at",
            ))
            .col(schema::big_integer_null("created_by"))
            .col(schema::timestamp_with_time_zone_null("failing_since"))
            .col(schema::timestamp_with_time_zone_null("disabled_at"))
            .col(schema::text_null("disabled_reason"))
            .col(schema::timestamp_with_time_zone_null("deleted_at"))
            .foreign_key(&mut fk(
                "webhook_endpoint",
                "site_id",
                "site",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        let delivery = entity("webhook_delivery")
            .col(schema::big_integer("endpoint_id"))
            // The Standard Webhooks message id: the same on every retry and replay.
            .col(schema::string("message_id"))
            .col(schema::string("event_type"))
            .col(schema::big_integer("change_seq"))
            .col(schema::text("payload"))
            // "pending", "delivered" or "dead" (retries exhausted).
            .col(schema::string("status"))
            .col(schema::integer("attempts").default(0))
            .col(schema::timestamp_with_time_zone("next_attempt_at"))
            .col(schema::timestamp_with_time_zone_null("locked_until"))
            .col(schema::timestamp_with_time_zone_null("delivered_at"))
            .foreign_key(&mut fk(
                "webhook_delivery",
                "endpoint_id",
                "webhook_endpoint",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        let attempt = entity("webhook_attempt")
            .col(schema::big_integer("delivery_id"))
            .col(schema::integer_null("status_code"))
            .col(schema::big_integer("latency_ms"))
            // The first bytes of the answer, or why there was none.
            .col(schema::text("response"))
            .col(schema::boolean("ok"))
            .foreign_key(&mut fk(
                "webhook_attempt",
                "delivery_id",
                "webhook_delivery",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        let cursor = Table::create()
            .table("webhook_cursor")
            .col(schema::integer("id").primary_key())
            .col(schema::big_integer("seq"))
            .to_owned();
        create(
            manager,
            vec![endpoint, delivery, attempt, cursor],
            vec![
                index("webhook_delivery", &["endpoint_id", "change_seq"], true),
                // What is due: the worker's claim.
                index("webhook_delivery", &["status", "next_attempt_at"], false),
                index("webhook_attempt", &["delivery_id", "id"], false),
            ],
        )
        .await?;
        // The fan-out starts at the log's end: endpoints hear of what happens after them.
        let start = Query::insert()
            .into_table("webhook_cursor")
            .columns(["id", "seq"])
            .select_from(
                Query::select()
                    .expr(Expr::val(1))
                    .expr(Expr::cust("COALESCE(MAX(seq), 0)"))
                    .from("change_log")
                    .to_owned(),
            )
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(start).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            &[
                "webhook_cursor",
                "webhook_attempt",
                "webhook_delivery",
                "webhook_endpoint",
            ],
        )
        .await
    }
}
