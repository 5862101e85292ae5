//! Merging two records of the same body or the same person that an import (or an editor)
//! made twice: every link to the one merged away moves to the one kept, the one merged
//! away is deleted softly and remembers which it became, so that its old id still
//! resolves. The caller holds the transaction: a merge is whole or not at all.

use crate::StoreError;
use crate::entities::{organisation, person};
use danvan_domain::{OrganisationId, PersonId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// The tables whose column names an organisation, and the link tables (whose rows would
/// repeat when an owner links both records) by their owner column.
const ORGANISATION_COLUMNS: [(&str, &str); 9] = [
    ("organisation", "parent_id"),
    ("meeting", "organiser_id"),
    ("position", "organisation_id"),
    ("report_figure", "organisation_id"),
    ("dvk_model", "organisation_id"),
    ("site", "organisation_id"),
    ("campaign", "organisation_id"),
    ("webhook_endpoint", "organisation_id"),
    ("document", "issuer_id"),
];
const ORGANISATION_LINKS: [(&str, &str, &str); 1] =
    [("article_organisation", "article_id", "organisation_id")];

const PERSON_COLUMNS: [(&str, &str); 2] =
    [("position", "person_id"), ("article_author", "person_id")];
const PERSON_LINKS: [(&str, &str, &str); 2] = [
    ("article_person", "article_id", "person_id"),
    ("meeting_participant", "meeting_id", "person_id"),
];

/// What a merge moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    /// Rows that named the record merged away and now name the one kept.
    pub rows: u64,
}

/// Moves every row naming `from` to `into`; a link row whose owner already links `into`
/// is dropped instead of repeated.
async fn move_rows(
    txn: &DatabaseTransaction,
    columns: &[(&'static str, &'static str)],
    links: &[(&'static str, &'static str, &'static str)],
    from: i64,
    into: i64,
) -> Result<Moved, StoreError> {
    let mut moved = Moved::default();
    for &(table, owner, column) in links {
        let linked_both = Query::select()
            .column(owner)
            .from(table)
            .and_where(Expr::col(column).eq(into))
            .to_owned();
        txn.execute(
            &Query::delete()
                .from_table(table)
                .and_where(Expr::col(column).eq(from))
                .and_where(Expr::col(owner).in_subquery(linked_both))
                .to_owned(),
        )
        .await?;
        moved.rows += txn
            .execute(
                &Query::update()
                    .table(table)
                    .value(column, into)
                    .and_where(Expr::col(column).eq(from))
                    .to_owned(),
            )
            .await?
            .rows_affected();
    }
    for &(table, column) in columns {
        moved.rows += txn
            .execute(
                &Query::update()
                    .table(table)
                    .value(column, into)
                    .and_where(Expr::col(column).eq(from))
                    .to_owned(),
            )
            .await?
            .rows_affected();
    }
    Ok(moved)
}

/// Merges organisation `from` into `into`: its links, posts, meetings, figures, models,
/// sites, campaigns, documents and child bodies move to `into`; `from` is deleted and
/// resolves to `into`. Refused when `into` is `from` or lies below it.
pub async fn organisations(
    txn: &DatabaseTransaction,
    from: OrganisationId,
    into: OrganisationId,
) -> Result<Moved, StoreError> {
    let mut above = Some(into);
    while let Some(id) = above {
        if id == from {
            return Err(StoreError::Invalid(danvan_domain::DomainError::Invalid {
                field: "into",
                reason: "an organisation cannot be merged into itself or a body below it"
                    .to_owned(),
            }));
        }
        above = crate::organisation::get(txn, id)
            .await?
            .and_then(|o| o.data.parent_id);
    }
    let moved = move_rows(
        txn,
        &ORGANISATION_COLUMNS,
        &ORGANISATION_LINKS,
        from.0,
        into.0,
    )
    .await?;
    crate::organisation::delete(txn, from, None).await?;
    organisation::Entity::update_many()
        .col_expr(organisation::Column::MergedInto, Expr::value(into.0))
        .filter(organisation::Column::Id.eq(from.0))
        .exec(txn)
        .await?;
    Ok(moved)
}

/// Merges person `from` into `into`: their posts, bylines, articles and meetings move to
/// `into`; `from` is deleted and resolves to `into`.
pub async fn people(
    txn: &DatabaseTransaction,
    from: PersonId,
    into: PersonId,
) -> Result<Moved, StoreError> {
    if from == into {
        return Err(StoreError::Invalid(danvan_domain::DomainError::Invalid {
            field: "into",
            reason: "a person cannot be merged into themselves".to_owned(),
        }));
    }
    let moved = move_rows(txn, &PERSON_COLUMNS, &PERSON_LINKS, from.0, into.0).await?;
    crate::person::delete(txn, from, None).await?;
    person::Entity::update_many()
        .col_expr(person::Column::MergedInto, Expr::value(into.0))
        .filter(person::Column::Id.eq(from.0))
        .exec(txn)
        .await?;
    Ok(moved)
}

/// Follows merges from `id` (merges of merges too): the last record it leads to, if the
/// record was merged at all. `merged_into` reads one record's mark.
async fn follow<F, Fut>(id: i64, merged_into: F) -> Result<Option<i64>, StoreError>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Option<i64>, StoreError>>,
{
    let mut now = None;
    let mut at = id;
    // A chain longer than this is a loop, which merges cannot make.
    for _ in 0..32 {
        match merged_into(at).await? {
            Some(next) => {
                now = Some(next);
                at = next;
            }
            None => break,
        }
    }
    Ok(now)
}

/// The organisation a merged one became (following merges of merges), if it was merged.
pub async fn organisation_now(
    db: &impl ConnectionTrait,
    id: OrganisationId,
) -> Result<Option<OrganisationId>, StoreError> {
    let now = follow(id.0, |at| async move {
        Ok(organisation::Entity::find_by_id(at)
            .one(db)
            .await?
            .and_then(|row| row.merged_into))
    })
    .await?;
    Ok(now.map(OrganisationId))
}

/// The person a merged one became (following merges of merges), if they were merged.
pub async fn person_now(
    db: &impl ConnectionTrait,
    id: PersonId,
) -> Result<Option<PersonId>, StoreError> {
    let now = follow(id.0, |at| async move {
        Ok(person::Entity::find_by_id(at)
            .one(db)
            .await?
            .and_then(|row| row.merged_into))
    })
    .await?;
    Ok(now.map(PersonId))
}
