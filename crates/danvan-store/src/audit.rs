//! The audit log: one row per mutation, who asked, what, how it ended, from where.

use crate::StoreError;
use crate::crud::{Key, now};
use crate::entities::audit_log;
use crate::keyset::{self, Part, SortKey};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use danvan_domain::AccountId;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// One entry as stored: what was written, with the id and the time the store gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Its id; the log's order.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// What was written.
    pub entry: NewEntry,
}

/// What a caller writes; the store adds the id and the time.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    /// Who: "account:3", "api_key:1", "public".
    pub actor: String,
    /// The account, when one was signed in.
    pub account_id: Option<AccountId>,
    /// The mutation: "publishArticle".
    pub operation: String,
    /// What it was about, when it names one thing: an id.
    pub target: Option<String>,
    /// "ok", or the error code the client got.
    pub outcome: String,
    /// The arguments, as JSON, secrets left out.
    pub detail: serde_json::Value,
    /// Where from: the client's address.
    pub client: Option<String>,
    /// The request id, to find the request in the server log.
    pub request_id: Option<String>,
}

fn record(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: m.id,
        at: m.created_at,
        entry: NewEntry {
            actor: m.actor,
            account_id: m.account_id.map(AccountId),
            operation: m.operation,
            target: m.target,
            outcome: m.outcome,
            // Written by `record_entry` from a JSON value; anything else is kept as text.
            detail: serde_json::from_str(&m.detail).unwrap_or(serde_json::Value::String(m.detail)),
            client: m.client,
            request_id: m.request_id,
        },
    }
}

/// Writes an entry.
pub async fn record_entry(db: &impl ConnectionTrait, entry: NewEntry) -> Result<i64, StoreError> {
    let at = now();
    let row = audit_log::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        actor: Set(entry.actor),
        account_id: Set(entry.account_id.map(|a| a.raw())),
        operation: Set(entry.operation),
        target: Set(entry.target),
        outcome: Set(entry.outcome),
        detail: Set(entry.detail.to_string()),
        client: Set(entry.client),
        request_id: Set(entry.request_id),
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// What to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// Only what this account did.
    pub account_id: Option<AccountId>,
    /// Only this mutation.
    pub operation: Option<String>,
    /// Only entries about this target.
    pub target: Option<String>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub before: Option<DateTime<Utc>>,
}

/// How many entries a filter selects.
pub async fn count(db: &impl ConnectionTrait, filter: &AuditFilter) -> Result<u64, StoreError> {
    keyset::count(db, select(filter)).await
}

fn select(filter: &AuditFilter) -> sea_orm::Select<audit_log::Entity> {
    let mut select = audit_log::Entity::find();
    if let Some(account) = filter.account_id {
        select = select.filter(audit_log::Column::AccountId.eq(account.raw()));
    }
    if let Some(operation) = &filter.operation {
        select = select.filter(audit_log::Column::Operation.eq(operation.as_str()));
    }
    if let Some(target) = &filter.target {
        select = select.filter(audit_log::Column::Target.eq(target.as_str()));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_log::Column::CreatedAt.gte(from));
    }
    if let Some(before) = filter.before {
        select = select.filter(audit_log::Column::CreatedAt.lt(before));
    }
    select
}

/// A page of entries, the newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<AuditEntry>, StoreError> {
    let select = select(filter);
    let key = SortKey {
        list: "audit",
        parts: vec![Part::Int(audit_log::Column::Id)],
        descending: true,
    };
    let page = keyset::fetch(db, select, &key, page, |row| {
        vec![serde_json::Value::from(row.id)]
    })
    .await?;
    page.try_map(|row| Ok(record(row)))
}
