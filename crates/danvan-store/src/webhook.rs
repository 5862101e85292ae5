//! Webhooks: partners' endpoints, the deliveries owed to them and the log of attempts.
//!
//! The outbox is the change log (see `crate::change`): a change and its row commit
//! together. [`lock_place`], [`owe`] and [`advance`] write what the fan-out owes in one
//! transaction, the cursor row locked on PostgreSQL so that one process fans out at a time
//! (and only from the place it read); a delivery is unique by endpoint and change, so
//! nothing is owed twice. [`claim`] leases
//! the deliveries that are due to one worker (`FOR UPDATE SKIP LOCKED` on PostgreSQL), the
//! oldest of each endpoint only, so that an endpoint hears of its events in order.

use crate::entities::{webhook_attempt, webhook_cursor, webhook_delivery, webhook_endpoint};
use crate::{Backend, StoreError};
use chrono::{DateTime, Duration, Utc};
use danvan_domain::{AccountId, OrganisationId, SiteId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession,
    TransactionTrait,
};

/// A partner's endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// Its number.
    pub id: i64,
    /// When it was registered: it hears of changes after this.
    pub created_at: DateTime<Utc>,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The event types it wants: "article.published".
    pub events: Vec<String>,
    /// Only this site's events.
    pub site_id: Option<SiteId>,
    /// Only events concerning this organisation …
    pub organisation_id: Option<OrganisationId>,
    /// … or the organisations below it.
    pub include_subtree: bool,
    /// The signing secrets, newest first.
    pub secrets: Vec<String>,
    /// Until when the secret before the newest still signs, after a rotation.
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// Who registered it.
    pub created_by: Option<AccountId>,
    /// Since when every delivery has failed, if they do.
    pub failing_since: Option<DateTime<Utc>>,
    /// When it was disabled for failing, and why.
    pub disabled: Option<(DateTime<Utc>, String)>,
}

/// An endpoint to register.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    /// Where deliveries are POSTed (checked by the caller).
    pub url: String,
    /// The event types it wants.
    pub events: Vec<String>,
    /// Only this site's events.
    pub site_id: Option<SiteId>,
    /// Only events concerning this organisation.
    pub organisation_id: Option<OrganisationId>,
    /// With the organisations below it.
    pub include_subtree: bool,
    /// The first signing secret.
    pub secret: String,
    /// Who registers it.
    pub created_by: Option<AccountId>,
}

fn endpoint_of(m: webhook_endpoint::Model) -> Endpoint {
    Endpoint {
        id: m.id,
        created_at: m.created_at,
        url: m.url,
        events: m
            .events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        site_id: m.site_id.map(SiteId),
        organisation_id: m.organisation_id.map(OrganisationId),
        include_subtree: m.include_subtree,
        secrets: m.secrets.split(' ').map(str::to_owned).collect(),
        previous_secret_until: m.previous_secret_expires_at,
        created_by: m.created_by.map(AccountId),
        failing_since: m.failing_since,
        disabled: m
            .disabled_at
            .map(|at| (at, m.disabled_reason.unwrap_or_default())),
    }
}

/// Registers an endpoint.
pub async fn create_endpoint(
    db: &impl ConnectionTrait,
    new: &NewEndpoint,
) -> Result<Endpoint, StoreError> {
    let now = crate::clock::now();
    let model = webhook_endpoint::ActiveModel {
        id: NotSet,
        created_at: Set(now),
        updated_at: Set(now),
        url: Set(new.url.clone()),
        events: Set(new.events.join(",")),
        site_id: Set(new.site_id.map(|s| s.0)),
        organisation_id: Set(new.organisation_id.map(|o| o.0)),
        include_subtree: Set(new.include_subtree),
        secrets: Set(new.secret.clone()),
        previous_secret_expires_at: Set(None),
        created_by: Set(new.created_by.map(|a| a.0)),
        failing_since: Set(None),
        disabled_at: Set(None),
        disabled_reason: Set(None),
        deleted_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(endpoint_of(model))
}

/// The endpoint with this number, unless deleted.
pub async fn endpoint(db: &impl ConnectionTrait, id: i64) -> Result<Option<Endpoint>, StoreError> {
    Ok(webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .map(endpoint_of))
}

/// Every endpoint not deleted, of `site` when given, oldest first.
pub async fn endpoints(
    db: &impl ConnectionTrait,
    site: Option<SiteId>,
) -> Result<Vec<Endpoint>, StoreError> {
    let mut select = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::DeletedAt.is_null())
        .order_by_asc(webhook_endpoint::Column::Id);
    if let Some(site) = site {
        select = select.filter(webhook_endpoint::Column::SiteId.eq(site.0));
    }
    Ok(select.all(db).await?.into_iter().map(endpoint_of).collect())
}

async fn change_endpoint(
    db: &impl ConnectionTrait,
    id: i64,
    change: impl FnOnce(&mut webhook_endpoint::ActiveModel, &webhook_endpoint::Model),
) -> Result<Endpoint, StoreError> {
    let current = webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| StoreError::not_found("webhook", id))?;
    let mut active: webhook_endpoint::ActiveModel = current.clone().into();
    change(&mut active, &current);
    active.updated_at = Set(crate::clock::now());
    Ok(endpoint_of(active.update(db).await?))
}

/// Deletes an endpoint: nothing more is delivered to it.
pub async fn delete_endpoint(db: &impl ConnectionTrait, id: i64) -> Result<Endpoint, StoreError> {
    change_endpoint(db, id, |a, _| a.deleted_at = Set(Some(crate::clock::now()))).await
}

/// Signs with `secret` from now on, and with the current secrets until `previous_until`.
pub async fn rotate_secret(
    db: &impl ConnectionTrait,
    id: i64,
    secret: &str,
    previous_until: DateTime<Utc>,
) -> Result<Endpoint, StoreError> {
    change_endpoint(db, id, |a, current| {
        let newest = current.secrets.split(' ').next().unwrap_or_default();
        a.secrets = Set(format!("{secret} {newest}"));
        a.previous_secret_expires_at = Set(Some(previous_until));
    })
    .await
}

/// Enables an endpoint disabled for failing.
pub async fn enable(db: &impl ConnectionTrait, id: i64) -> Result<Endpoint, StoreError> {
    change_endpoint(db, id, |a, _| {
        a.disabled_at = Set(None);
        a.disabled_reason = Set(None);
        a.failing_since = Set(None);
    })
    .await
}

/// Where the fan-out stands: the last change it told of, and the time up to which it told
/// of scheduled articles whose time came (`None` before it first looked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The change log's number.
    pub seq: i64,
    /// The time.
    pub due_until: Option<DateTime<Utc>>,
}

/// The fan-out's place, read in `txn`; on PostgreSQL the cursor's row stays locked until
/// `txn` ends, so that one process fans out at a time.
pub async fn lock_place(txn: &DatabaseTransaction) -> Result<Place, StoreError> {
    let mut select = webhook_cursor::Entity::find_by_id(1);
    if Backend::of(txn) == Backend::Postgres {
        select = select.lock(LockType::Update);
    }
    Ok(select.one(txn).await?.map_or(
        Place {
            seq: 0,
            due_until: None,
        },
        |c| Place {
            seq: c.seq,
            due_until: c.due_until,
        },
    ))
}

/// The fan-out's place, as last written.
pub async fn place(db: &impl ConnectionTrait) -> Result<Place, StoreError> {
    Ok(webhook_cursor::Entity::find_by_id(1).one(db).await?.map_or(
        Place {
            seq: 0,
            due_until: None,
        },
        |c| Place {
            seq: c.seq,
            due_until: c.due_until,
        },
    ))
}

/// A delivery to owe.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// To whom.
    pub endpoint_id: i64,
    /// "article.published".
    pub event_type: String,
    /// The change it tells of.
    pub change_seq: i64,
    /// The body, JSON.
    pub payload: String,
}

/// Owes these deliveries (in the fan-out's transaction); one already owed stays as it is.
pub async fn owe(txn: &DatabaseTransaction, deliveries: &[NewDelivery]) -> Result<(), StoreError> {
    if deliveries.is_empty() {
        return Ok(());
    }
    let now = crate::clock::now();
    let rows = deliveries.iter().map(|d| webhook_delivery::ActiveModel {
        id: NotSet,
        created_at: Set(now),
        updated_at: Set(now),
        endpoint_id: Set(d.endpoint_id),
        message_id: Set(format!("msg_{}_{}", d.change_seq, d.endpoint_id)),
        event_type: Set(d.event_type.clone()),
        change_seq: Set(d.change_seq),
        payload: Set(d.payload.clone()),
        status: Set(Status::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        delivered_at: Set(None),
    });
    let rows: Vec<_> = rows.collect();
    for chunk in rows.chunks(200) {
        webhook_delivery::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    webhook_delivery::Column::EndpointId,
                    webhook_delivery::Column::ChangeSeq,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Moves the fan-out's place (in its transaction).
pub async fn advance(txn: &DatabaseTransaction, to: Place) -> Result<(), StoreError> {
    webhook_cursor::Entity::update_many()
        .col_expr(webhook_cursor::Column::Seq, Expr::value(to.seq))
        .col_expr(webhook_cursor::Column::DueUntil, Expr::value(to.due_until))
        .filter(webhook_cursor::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(())
}

/// When the oldest endpoint not deleted was registered: no change before is owed to any.
pub async fn oldest_endpoint(
    db: &impl ConnectionTrait,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::DeletedAt.is_null())
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .one(db)
        .await?
        .map(|e| e.created_at))
}

/// The fan-out's place in the change log: the log keeps every row after it.
pub async fn cursor(db: &impl ConnectionTrait) -> Result<i64, StoreError> {
    Ok(place(db).await?.seq)
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// To be delivered, now or at its next attempt.
    Pending,
    /// Answered with a 2xx.
    Delivered,
    /// Retried for as long as the policy says, in vain.
    Dead,
}

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Dead => "dead",
        }
    }

    fn parse(name: &str) -> Self {
        match name {
            "delivered" => Self::Delivered,
            "dead" => Self::Dead,
            _ => Self::Pending,
        }
    }
}

/// An event owed to an endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Its number.
    pub id: i64,
    /// When it was owed.
    pub created_at: DateTime<Utc>,
    /// To whom.
    pub endpoint_id: i64,
    /// The Standard Webhooks message id, the same on every attempt.
    pub message_id: String,
    /// "article.published".
    pub event_type: String,
    /// The change it tells of.
    pub change_seq: i64,
    /// The body.
    pub payload: String,
    /// Where it stands.
    pub status: Status,
    /// Attempts so far.
    pub attempts: i32,
    /// When it is next tried.
    pub next_attempt_at: DateTime<Utc>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
}

fn delivery_of(m: webhook_delivery::Model) -> Delivery {
    Delivery {
        id: m.id,
        created_at: m.created_at,
        endpoint_id: m.endpoint_id,
        message_id: m.message_id,
        event_type: m.event_type,
        change_seq: m.change_seq,
        payload: m.payload,
        status: Status::parse(&m.status),
        attempts: m.attempts,
        next_attempt_at: m.next_attempt_at,
        delivered_at: m.delivered_at,
    }
}

/// Leases up to `limit` deliveries that are due at `now` for `lease`: the oldest pending
/// one of each endpoint that is not disabled, and only when no other worker holds it.
pub async fn claim(
    db: &(impl ConnectionTrait + TransactionTrait),
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<(Delivery, Endpoint)>, StoreError> {
    let txn = crate::begin_write(db).await?;
    let earlier = Alias::new("earlier");
    let head = Query::select()
        .expr(Expr::val(1))
        .from_as(Alias::new("webhook_delivery"), earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), Alias::new("endpoint_id")))
                .equals((Alias::new("webhook_delivery"), Alias::new("endpoint_id"))),
        )
        .and_where(Expr::col((earlier.clone(), Alias::new("status"))).eq(Status::Pending.as_str()))
        .and_where(Expr::col((earlier, Alias::new("id"))).lt(Expr::col((
            Alias::new("webhook_delivery"),
            Alias::new("id"),
        ))))
        .to_owned();
    let live = Query::select()
        .column(webhook_endpoint::Column::Id)
        .from(webhook_endpoint::Entity)
        .and_where(Expr::col(webhook_endpoint::Column::DeletedAt).is_null())
        .and_where(Expr::col(webhook_endpoint::Column::DisabledAt).is_null())
        .to_owned();
    let mut select = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(Status::Pending.as_str()))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .filter(
            webhook_delivery::Column::LockedUntil
                .is_null()
                .or(webhook_delivery::Column::LockedUntil.lt(now)),
        )
        .filter(Expr::exists(head).not())
        .filter(webhook_delivery::Column::EndpointId.in_subquery(live))
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit);
    if Backend::of(db) == Backend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let due = select.all(&txn).await?;
    if due.is_empty() {
        txn.commit().await?;
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::LockedUntil,
            Expr::value(now + lease),
        )
        .filter(webhook_delivery::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    let endpoint_ids: Vec<i64> = due.iter().map(|d| d.endpoint_id).collect();
    let endpoints: std::collections::HashMap<i64, Endpoint> = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Id.is_in(endpoint_ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.id, endpoint_of(m)))
        .collect();
    txn.commit().await?;
    Ok(due
        .into_iter()
        .filter_map(|d| {
            let endpoint = endpoints.get(&d.endpoint_id)?.clone();
            Some((delivery_of(d), endpoint))
        })
        .collect())
}

/// What one attempt at a delivery got.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The HTTP status, when there was an answer.
    pub status_code: Option<u16>,
    /// How long it took.
    pub latency_ms: i64,
    /// The first bytes of the answer, or why there was none.
    pub response: String,
    /// Whether it counts as delivered (a 2xx).
    pub ok: bool,
    /// When it was made.
    pub at: DateTime<Utc>,
}

/// What comes of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again then.
    RetryAt(DateTime<Utc>),
    /// Give up: the delivery is dead.
    GiveUp,
}

/// Logs an attempt and moves the delivery on: delivered, due again, or dead; an endpoint
/// that has failed for `disable_after` is disabled, saying why, and one that answers is no
/// longer failing.
pub async fn finish(
    db: &(impl ConnectionTrait + TransactionTrait),
    delivery: &Delivery,
    attempt: &Attempt,
    next: Next,
    disable_after: Duration,
) -> Result<(), StoreError> {
    let txn = crate::begin_write(db).await?;
    webhook_attempt::ActiveModel {
        id: NotSet,
        created_at: Set(attempt.at),
        updated_at: Set(attempt.at),
        delivery_id: Set(delivery.id),
        status_code: Set(attempt.status_code.map(i32::from)),
        latency_ms: Set(attempt.latency_ms),
        response: Set(attempt.response.clone()),
        ok: Set(attempt.ok),
    }
    .insert(&txn)
    .await?;
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Attempts,
            Expr::col(webhook_delivery::Column::Attempts).add(1),
        )
        .col_expr(
            webhook_delivery::Column::LockedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(webhook_delivery::Column::UpdatedAt, Expr::value(attempt.at));
    update = match (attempt.ok, next) {
        (true, _) => update
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(Status::Delivered.as_str()),
            )
            .col_expr(
                webhook_delivery::Column::DeliveredAt,
                Expr::value(attempt.at),
            ),
        (false, Next::RetryAt(at)) => {
            update.col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at))
        }
        (false, Next::GiveUp) => update.col_expr(
            webhook_delivery::Column::Status,
            Expr::value(Status::Dead.as_str()),
        ),
    };
    update
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .exec(&txn)
        .await?;
    let endpoint = webhook_endpoint::Entity::find_by_id(delivery.endpoint_id)
        .one(&txn)
        .await?
        .ok_or_else(|| StoreError::not_found("webhook", delivery.endpoint_id))?;
    let mut active: webhook_endpoint::ActiveModel = endpoint.clone().into();
    if attempt.ok {
        if endpoint.failing_since.is_some() {
            active.failing_since = Set(None);
            active.update(&txn).await?;
        }
    } else {
        let since = endpoint.failing_since.unwrap_or(attempt.at);
        active.failing_since = Set(Some(since));
        if attempt.at - since >= disable_after && endpoint.disabled_at.is_none() {
            active.disabled_at = Set(Some(attempt.at));
            active.disabled_reason = Set(Some(format!(
                "every delivery failed since {} (the last: {})",
                since.to_rfc3339(),
                attempt.response
            )));
        }
        active.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The deliveries of an endpoint, newest first, at most `limit`.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    endpoint_id: i64,
    limit: u64,
) -> Result<Vec<Delivery>, StoreError> {
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(delivery_of)
        .collect())
}

/// The delivery with this number.
/// How many deliveries are owed and not yet made: the outbox's depth.
pub async fn pending(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(Status::Pending.as_str()))
        .count(db)
        .await?)
}

/// One delivery by its id.
pub async fn delivery(db: &impl ConnectionTrait, id: i64) -> Result<Option<Delivery>, StoreError> {
    Ok(webhook_delivery::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(delivery_of))
}

/// The attempts at each of these deliveries, oldest first, in one statement.
pub async fn attempts(
    db: &impl ConnectionTrait,
    delivery_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Attempt>>, StoreError> {
    let mut by_delivery: std::collections::HashMap<i64, Vec<Attempt>> =
        std::collections::HashMap::new();
    if delivery_ids.is_empty() {
        return Ok(by_delivery);
    }
    let rows = webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.is_in(delivery_ids.to_vec()))
        .order_by_asc(webhook_attempt::Column::Id)
        .all(db)
        .await?;
    for m in rows {
        by_delivery.entry(m.delivery_id).or_default().push(Attempt {
            status_code: m.status_code.and_then(|c| u16::try_from(c).ok()),
            latency_ms: m.latency_ms,
            response: m.response,
            ok: m.ok,
            at: m.created_at,
        });
    }
    Ok(by_delivery)
}

/// Makes deliveries of `endpoint_id` due again now: the one numbered `delivery`, or every
/// one owed since `since`. Gives back how many.
pub async fn replay(
    db: &impl ConnectionTrait,
    endpoint_id: i64,
    delivery: Option<i64>,
    since: Option<DateTime<Utc>>,
) -> Result<u64, StoreError> {
    let now = crate::clock::now();
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(Status::Pending.as_str()),
        )
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            webhook_delivery::Column::LockedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(webhook_delivery::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id));
    if let Some(id) = delivery {
        update = update.filter(webhook_delivery::Column::Id.eq(id));
    }
    if let Some(since) = since {
        update = update.filter(webhook_delivery::Column::CreatedAt.gte(since));
    }
    Ok(update.exec(db).await?.rows_affected)
}
