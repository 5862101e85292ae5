//! The change log: a row for each change of a record that readers follow (offline sync;
//! feeds, webhooks and subscriptions next), written in the transaction of the change, so
//! that a change and its row commit together or not at all.
//!
//! # Why a reader never skips a row that commits late
//!
//! Rows are numbered by `seq`, and a reader remembers the highest number it has read. On
//! PostgreSQL two writers could take numbers 7 and 8, and 8 commit first: a reader between
//! the two commits would see 8, remember it, and never read 7. So a writer takes one
//! transaction-scoped advisory lock (`LOCK`) just before it numbers its row, as the last
//! step of its transaction, and holds it until it commits or rolls back. Numbers are then
//! handed out in commit order: a writer gets its number only after every writer numbered
//! before it has finished, and PostgreSQL makes a commit visible before it releases the
//! transaction's locks. What a reader sees of the log is therefore always every row up to
//! some number (numbers of rolled-back writes are gaps that never fill), and "the highest
//! number seen" is a safe place to continue from. Writers wait on each other only for the
//! moment between numbering and committing. SQLite has one writer at a time, which orders
//! commits by itself.
//!
//! # Retention
//!
//! Rows older than the retention period are removed by [`purge`]; a reader whose place is
//! older than that has to start over (the service answers it `GONE`).

use crate::entities::change_log;
use crate::{Backend, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// The advisory lock that numbers change-log rows in commit order on PostgreSQL (an
/// arbitrary constant: "danvan-c" in ASCII).
const LOCK: i64 = 0x6461_6e76_616e_2d63;

/// What kind of record changed. Every write of every concept is logged; each reader
/// follows the concepts it serves (sync and webhooks the articles and the directory's
/// meetings, models and figures; the response cache all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concept {
    /// An article.
    Article,
    /// A reader's comment.
    Comment,
    /// A meeting.
    Meeting,
    /// A "Dân vận khéo" model.
    DvkModel,
    /// A report figure.
    ReportFigure,
    /// An organisation.
    Organisation,
    /// A person.
    Person,
    /// A person's position in an organisation.
    Position,
    /// A document (a resolution, a plan, a report).
    Document,
    /// A campaign.
    Campaign,
    /// A tag.
    Tag,
    /// A site's category.
    Category,
    /// A site.
    Site,
    /// An administrative unit.
    AdminUnit,
    /// An item of a media library (what the newsroom says of it, its deletion): the
    /// answers that show it change with it.
    Media,
}

impl Concept {
    /// Every concept.
    pub const ALL: [Self; 15] = [
        Self::Article,
        Self::Comment,
        Self::Meeting,
        Self::DvkModel,
        Self::ReportFigure,
        Self::Organisation,
        Self::Person,
        Self::Position,
        Self::Document,
        Self::Campaign,
        Self::Tag,
        Self::Category,
        Self::Site,
        Self::AdminUnit,
        Self::Media,
    ];

    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Comment => "comment",
            Self::Meeting => "meeting",
            Self::DvkModel => "dvk_model",
            Self::ReportFigure => "report_figure",
            Self::Organisation => "organisation",
            Self::Person => "person",
            Self::Position => "position",
            Self::Document => "document",
            Self::Campaign => "campaign",
            Self::Tag => "tag",
            Self::Category => "category",
            Self::Site => "site",
            Self::AdminUnit => "admin_unit",
            Self::Media => "media",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// What happened to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Made.
    Created,
    /// Changed, staying in the state it was in.
    Updated,
    /// Published, now or for later.
    Published,
    /// Taken back from publication to a draft or to review.
    Unpublished,
    /// Archived.
    Archived,
    /// Deleted (softly).
    Deleted,
    /// Brought back from deletion.
    Restored,
    /// Approved by a moderator (a comment).
    Approved,
}

impl Action {
    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
            Self::Archived => "archived",
            Self::Deleted => "deleted",
            Self::Restored => "restored",
            Self::Approved => "approved",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [
            Self::Created,
            Self::Updated,
            Self::Published,
            Self::Unpublished,
            Self::Archived,
            Self::Deleted,
            Self::Restored,
            Self::Approved,
        ]
        .into_iter()
        .find(|a| a.as_str() == name)
    }
}

/// A row of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its place in the log.
    pub seq: i64,
    /// What kind of record.
    pub concept: Concept,
    /// The record's id.
    pub record_id: i64,
    /// The site the record belongs to.
    pub site_id: Option<i64>,
    /// What happened.
    pub action: Action,
    /// When it was written.
    pub at: DateTime<Utc>,
}

/// A change to be written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewChange {
    pub concept: Concept,
    pub record_id: i64,
    pub site_id: Option<i64>,
    pub action: Action,
}

tokio::task_local! {
    /// The rows held back by [`held_back`] on this task.
    static HELD: std::cell::RefCell<Vec<NewChange>>;
}

/// Change rows held back from the log while one transaction writes many records (a batch
/// of imported pages), to be written as its last step by [`write_held`].
#[derive(Debug, Default)]
pub struct Held(Vec<NewChange>);

/// Runs `writes` with the change rows of every write it makes held back instead of written
/// (see [`Held`]). Writing them at once, as each record is written, would take the log's
/// lock early and hold it while the rest of the batch writes: a concurrent writer holding a
/// row the batch needs next, and waiting for the lock at its own end, would deadlock with
/// it (PostgreSQL then aborts one of the two).
pub async fn held_back<T>(writes: impl std::future::Future<Output = T>) -> (T, Held) {
    HELD.scope(std::cell::RefCell::new(Vec::new()), async move {
        let out = writes.await;
        let held = HELD.with(|h| std::mem::take(&mut *h.borrow_mut()));
        (out, Held(held))
    })
    .await
}

/// Where the rows held back so far end, to forget those after it with [`forget_held_after`]
/// when the writes that made them are rolled back (a page's savepoint). Zero outside
/// [`held_back`].
pub fn held_mark() -> usize {
    HELD.try_with(|h| h.borrow().len()).unwrap_or(0)
}

/// Forgets the rows held back after `mark`.
pub fn forget_held_after(mark: usize) {
    let _outside = HELD.try_with(|h| h.borrow_mut().truncate(mark));
}

/// Writes the rows held back, as the last step of the transaction `db` is in.
pub async fn write_held(db: &impl ConnectionTrait, held: Held) -> Result<(), StoreError> {
    write(db, &held.0).await
}

/// Writes the rows of changes, as the last step of the transaction `db` is in: see the
/// module's comment for why it must be last. Within [`held_back`] they are held instead.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    changes: &[NewChange],
) -> Result<(), StoreError> {
    let holding = HELD.try_with(|h| h.borrow_mut().extend_from_slice(changes));
    if holding.is_ok() {
        return Ok(());
    }
    write(db, changes).await
}

async fn write(db: &impl ConnectionTrait, changes: &[NewChange]) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let at = crate::clock::now();
    if Backend::of(db) == Backend::Postgres {
        return record_on_postgres(db, changes, at).await;
    }
    let rows: Vec<_> = changes
        .iter()
        .map(|c| change_log::ActiveModel {
            seq: sea_orm::ActiveValue::NotSet,
            concept: Set(c.concept.as_str().to_owned()),
            record_id: Set(c.record_id),
            site_id: Set(c.site_id),
            action: Set(c.action.as_str().to_owned()),
            at: Set(at),
        })
        .collect();
    // 5 columns a row: 1,000 rows stay under SQLite's bound parameters.
    for chunk in rows.chunks(1000) {
        change_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// On PostgreSQL the lock, the rows and the notice are one statement (one round trip: a
/// batch of imported pages writes it for every page). The lock's CTE is materialised and
/// the rows are drawn from a join with it, so the lock is held before the first row takes
/// its number. Every listening server is told the log's new end when the transaction
/// commits (and never if it rolls back): see [`Follower`]. The highest number written here
/// is the log's end, since nobody else can number rows while the lock is held.
async fn record_on_postgres(
    db: &impl ConnectionTrait,
    changes: &[NewChange],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let rows: Vec<_> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "concept": c.concept.as_str(),
                "record_id": c.record_id,
                "site_id": c.site_id,
                "action": c.action.as_str(),
            })
        })
        .collect();
    let sql = format!(
        "WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock($1)), \
         written AS (\
           INSERT INTO change_log (concept, record_id, site_id, action, at) \
           SELECT c.concept, c.record_id, c.site_id, c.action, $2 \
           FROM locked, json_to_recordset($3::json) \
             AS c(concept text, record_id bigint, site_id bigint, action text) \
           RETURNING seq) \
         SELECT pg_notify('{CHANNEL}', max(seq)::text) FROM written"
    );
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [
            LOCK.into(),
            at.into(),
            serde_json::Value::from(rows).to_string().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The PostgreSQL channel on which each commit of change-log rows is announced.
const CHANNEL: &str = "danvan_changes";

/// What follows the change log's commits from other processes: on PostgreSQL a `LISTEN`
/// on the channel each commit notifies (a server then knows at once that another one
/// wrote); nothing on SQLite, which one process serves.
pub struct Follower(sea_orm::sqlx::postgres::PgListener);

impl Follower {
    /// Starts listening on `db`, when it is PostgreSQL.
    pub async fn start(db: &sea_orm::DatabaseConnection) -> Result<Option<Self>, StoreError> {
        if Backend::of(db) != Backend::Postgres {
            return Ok(None);
        }
        let pool = db.get_postgres_connection_pool();
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool)
            .await
            .map_err(|e| StoreError::from(sea_orm::DbErr::Custom(e.to_string())))?;
        listener
            .listen(CHANNEL)
            .await
            .map_err(|e| StoreError::from(sea_orm::DbErr::Custom(e.to_string())))?;
        Ok(Some(Self(listener)))
    }

    /// The log's end announced by the next commit. After a lost connection the listener
    /// connects again; what was announced meanwhile is not heard, which readers cover by
    /// reading the log again now and then.
    pub async fn next(&mut self) -> Result<i64, StoreError> {
        let notification = self
            .0
            .recv()
            .await
            .map_err(|e| StoreError::from(sea_orm::DbErr::Custom(e.to_string())))?;
        Ok(notification.payload().parse().unwrap_or_default())
    }
}

/// The highest number in the log, 0 when it is empty: where a reader that has read
/// everything stands.
pub async fn high_water(db: &impl ConnectionTrait) -> Result<i64, StoreError> {
    let max: Option<Option<i64>> = change_log::Entity::find()
        .select_only()
        .column_as(change_log::Column::Seq.max(), "max")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

/// The time of the oldest row still kept, if any.
pub async fn oldest(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = change_log::Entity::find()
        .order_by_asc(change_log::Column::Seq)
        .one(db)
        .await?;
    Ok(row.map(|r| r.at))
}

/// The last change of each record of `concept` in `site` among the rows numbered above
/// `since` and up to `upto`, in the order of those last changes, from the one after
/// `after` (a number): a sync's page, where a record changed three times comes once.
pub async fn last_changes(
    db: &impl ConnectionTrait,
    site_id: i64,
    concept: Concept,
    since: i64,
    upto: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<Change>, StoreError> {
    let later = Alias::new("later");
    let col = |c: &str| Expr::col((Alias::new("change_log"), Alias::new(c)));
    let later_col = |c: &str| Expr::col((later.clone(), Alias::new(c)));
    let superseded = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(Alias::new("change_log"), later.clone())
            .and_where(
                later_col("concept").equals((Alias::new("change_log"), Alias::new("concept"))),
            )
            .and_where(
                later_col("record_id").equals((Alias::new("change_log"), Alias::new("record_id"))),
            )
            .and_where(later_col("seq").gt(col("seq")))
            .and_where(later_col("seq").lte(upto))
            .to_owned(),
    );
    let rows = change_log::Entity::find()
        .filter(change_log::Column::SiteId.eq(site_id))
        .filter(change_log::Column::Concept.eq(concept.as_str()))
        .filter(change_log::Column::Seq.gt(Ord::max(since, after)))
        .filter(change_log::Column::Seq.lte(upto))
        .filter(superseded.not())
        .order_by_asc(change_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    rows.into_iter().map(change).collect()
}

/// The rows numbered above `after`, in order, at most `limit`: the webhooks' fan-out.
pub async fn after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<Change>, StoreError> {
    change_log::Entity::find()
        .filter(change_log::Column::Seq.gt(after))
        .order_by_asc(change_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(change)
        .collect()
}

/// The number of the newest row of each of these records that has one, in one statement.
pub async fn latest(
    db: &impl ConnectionTrait,
    concept: Concept,
    record_ids: &[i64],
) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
    if record_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(i64, i64)> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::RecordId)
        .column_as(change_log::Column::Seq.max(), "seq")
        .filter(change_log::Column::Concept.eq(concept.as_str()))
        .filter(change_log::Column::RecordId.is_in(record_ids.to_vec()))
        .group_by(change_log::Column::RecordId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Whether `record_id` has a row numbered above `since` and up to `upto`.
pub async fn changed_between(
    db: &impl ConnectionTrait,
    concept: Concept,
    record_ids: &[i64],
    since: i64,
    upto: i64,
) -> Result<Vec<i64>, StoreError> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::RecordId)
        .distinct()
        .filter(change_log::Column::Concept.eq(concept.as_str()))
        .filter(change_log::Column::RecordId.is_in(record_ids.to_vec()))
        .filter(change_log::Column::Seq.gt(since))
        .filter(change_log::Column::Seq.lte(upto))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids)
}

/// What the change log must keep beyond its retention: the rows the webhooks' fan-out has
/// not reached (it is their outbox), unless they are older than every endpoint, which
/// hears only of what happens after it is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outbox {
    /// The last row fanned out.
    pub fanned_out: i64,
    /// When the oldest endpoint was registered; `None` when there is none.
    pub owed_from: Option<DateTime<Utc>>,
}

/// Removes the rows written before `before`: the retention policy. Gives back how many.
/// The newest row is kept whatever its age, so that the log's end ([`high_water`]) never
/// goes back and numbers a reader holds stay ahead of nothing; so are the rows `outbox`
/// still needs.
pub async fn purge(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    outbox: Outbox,
) -> Result<u64, StoreError> {
    let end = high_water(db).await?;
    let not_owed = match outbox.owed_from {
        Some(from) => change_log::Column::Seq
            .lte(outbox.fanned_out)
            .or(change_log::Column::At.lt(from)),
        None => Expr::val(true),
    };
    let done = change_log::Entity::delete_many()
        .filter(change_log::Column::At.lt(before))
        .filter(change_log::Column::Seq.lt(end))
        .filter(not_owed)
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

fn change(m: change_log::Model) -> Result<Change, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        what: "change",
        detail,
    };
    let concept = Concept::parse(&m.concept)
        .ok_or_else(|| corrupt(format!("unknown concept {:?}", m.concept)))?;
    let action = Action::parse(&m.action)
        .ok_or_else(|| corrupt(format!("unknown action {:?}", m.action)))?;
    Ok(Change {
        seq: m.seq,
        concept,
        record_id: m.record_id,
        site_id: m.site_id,
        action,
        at: m.at,
    })
}
