//! Failed sign-ins, counted by a key (an account, a client address) in the database, so
//! that several servers count the same failures. Each failure is one atomic upsert: two
//! servers failing the same key at once count two.

use crate::StoreError;
use crate::entities::sign_in_failure::{Column, Entity};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The failures of one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failures {
    /// The key: `account:quantri`, `client:203.0.113.7`.
    pub key: String,
    /// Failures since the count last started.
    pub failures: i32,
    /// Until when sign-ins are refused, if they are.
    pub locked_until: Option<DateTime<Utc>>,
}

/// The failures of these keys that have any.
pub async fn get(db: &impl ConnectionTrait, keys: &[String]) -> Result<Vec<Failures>, StoreError> {
    Ok(Entity::find()
        .filter(Column::Key.is_in(keys.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| Failures {
            key: m.key,
            failures: m.failures,
            locked_until: m.locked_until,
        })
        .collect())
}

/// Counts a failure of `key` at `now`, the count starting again when the last failure was
/// before `since`; gives the count.
pub async fn failed(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let table = Alias::new("sign_in_failure");
    let count = Expr::case(
        Expr::col((table.clone(), Column::LastFailedAt)).lt(since),
        Expr::val(1),
    )
    .finally(Expr::col((table, Column::Failures)).add(1));
    let upsert = Query::insert()
        .into_table(Entity)
        .columns([Column::Key, Column::Failures, Column::LastFailedAt])
        .values([key.into(), 1.into(), now.into()])
        .map_err(|e| StoreError::Database(sea_orm::DbErr::Custom(e.to_string())))?
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(Column::Failures, count)
                .value(Column::LastFailedAt, now)
                .to_owned(),
        )
        .to_owned();
    db.execute(&upsert).await?;
    let row = Entity::find_by_id(key.to_owned()).one(db).await?;
    Ok(row.map(|r| r.failures).unwrap_or(1))
}

/// Refuses sign-ins of `key` until `until`.
pub async fn lock(
    db: &impl ConnectionTrait,
    key: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::val(until))
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets the failures of `key` (a sign-in succeeded).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), StoreError> {
    Entity::delete_many()
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}
