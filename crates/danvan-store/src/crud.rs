//! Create, read, update and list, written once for every concept that maps to one table.
//! A concept module describes its table with [`Resource`] and adds what is its own
//! (children, lookups by slug, filters).

use crate::StoreError;
use crate::keyset::{self, Part, SortKey};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use danvan_domain::{DomainError, Record, Slug};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, ModelTrait, QueryFilter, Select,
};

/// A typed id over the raw 64-bit key.
pub(crate) trait Key: Copy + Send + Sync {
    fn from_raw(raw: i64) -> Self;
    fn raw(self) -> i64;
}

macro_rules! keys {
    ($($id:ident),+) => {$(
        impl Key for danvan_domain::$id {
            fn from_raw(raw: i64) -> Self {
                Self(raw)
            }
            fn raw(self) -> i64 {
                self.0
            }
        }
    )+};
}

keys!(
    AccountId,
    AdminUnitId,
    ApiKeyId,
    ArticleId,
    CampaignId,
    CategoryId,
    CommentId,
    DocumentId,
    DvkModelId,
    MediaId,
    MeetingId,
    OrganisationId,
    PersonId,
    PositionId,
    ReportFigureId,
    SiteId,
    TagId
);

/// Typed ids from raw keys.
pub(crate) fn ids<K: Key>(raw: impl IntoIterator<Item = i64>) -> Vec<K> {
    raw.into_iter().map(K::from_raw).collect()
}

pub(crate) use crate::clock::{now, stored_time};

/// The timestamps to write: `created_at` only on insert.
pub(crate) struct Stamps {
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Stamps {
    pub(crate) fn created(&self) -> ActiveValue<DateTime<Utc>> {
        self.created_at
            .map_or(ActiveValue::NotSet, ActiveValue::Set)
    }
}

pub(crate) type ModelOf<R> = <<R as Resource>::Entity as EntityTrait>::Model;
pub(crate) type ActiveOf<R> = <<R as Resource>::Entity as EntityTrait>::ActiveModel;
pub(crate) type RecordOf<R> = Record<<R as Resource>::Id, <R as Resource>::Data>;

/// How a concept maps to its table.
pub(crate) trait Resource {
    type Entity: EntityTrait;
    type Id: Key;
    type Data: Send + Sync;
    /// The concept's name, in errors and cursors.
    const WHAT: &'static str;

    /// The `id` column.
    fn id_column() -> <Self::Entity as EntityTrait>::Column;

    /// Checks the rules that span fields, before anything is written.
    fn check(_data: &Self::Data) -> Result<(), DomainError> {
        Ok(())
    }

    /// The row for `data`.
    fn active(id: ActiveValue<i64>, data: &Self::Data, stamps: Stamps) -> ActiveOf<Self>;

    /// The record a row holds (children, if any, are added by the concept module).
    fn record(model: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError>;

    /// What the search index holds of a record, for the concepts that can be searched.
    fn document(_record: &RecordOf<Self>) -> Option<crate::search::Document> {
        None
    }

    /// The change log's name for the concept: every write of a record is logged with it.
    const LOGGED: crate::change::Concept;
}

/// Writes the change log's row of a write of a record of `R`, if its concept is logged: as
/// the last step of the transaction `db` is in.
pub(crate) async fn logged<R: Resource>(
    db: &impl ConnectionTrait,
    id: i64,
    action: crate::change::Action,
) -> Result<(), StoreError> {
    let change = crate::change::NewChange {
        concept: R::LOGGED,
        record_id: id,
        site_id: None,
        action,
    };
    crate::change::record(db, &[change]).await
}

/// Reads a value the store itself wrote; a failure means the row was changed behind the
/// store's back, which is our fault, not the caller's.
pub(crate) fn stored<T>(
    what: &'static str,
    value: Result<T, DomainError>,
) -> Result<T, StoreError> {
    value.map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

pub(crate) async fn insert<R, C>(db: &C, data: &R::Data) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
    ModelOf<R>: IntoActiveModel<ActiveOf<R>>,
    ActiveOf<R>: ActiveModelTrait<Entity = R::Entity> + ActiveModelBehavior + Send,
{
    R::check(data)?;
    let now = now();
    let stamps = Stamps {
        created_at: Some(now),
        updated_at: now,
    };
    let model = R::active(ActiveValue::NotSet, data, stamps)
        .insert(db)
        .await?;
    let record = R::record(model)?;
    // A new record has no document yet: written without looking for one first.
    if let Some(document) = R::document(&record) {
        crate::search::index_new(db, std::slice::from_ref(&document)).await?;
    }
    Ok(record)
}

/// Writes a record's search document, if its concept has one; a deleted record's is kept but
/// not public.
async fn index<R, C>(db: &C, record: &RecordOf<R>) -> Result<(), StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    if let Some(mut document) = R::document(record) {
        document.public &= record.deleted_at.is_none();
        crate::search::index(db, &document).await?;
    }
    Ok(())
}

/// The record with this id, deleted or not; `NotFound` when there is none.
async fn existing<R, C>(db: &C, id: R::Id) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    get_any::<R, C>(db, id)
        .await?
        .ok_or_else(|| StoreError::not_found(R::WHAT, id.raw()))
}

/// The record as a write just left it, with its search document written to match.
async fn reread<R, C>(db: &C, id: R::Id) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    let record = existing::<R, C>(db, id).await?;
    index::<R, C>(db, &record).await?;
    Ok(record)
}

pub(crate) async fn update<R, C>(
    db: &C,
    id: R::Id,
    expected: Option<i64>,
    data: &R::Data,
) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
    ModelOf<R>: IntoActiveModel<ActiveOf<R>>,
    ActiveOf<R>: ActiveModelTrait<Entity = R::Entity> + ActiveModelBehavior + Send,
{
    let current = existing::<R, C>(db, id).await?;
    update_from::<R, C>(db, &current, expected, data).await
}

/// [`update`] of a record the caller has just read (in the same transaction), so that it is
/// not read twice.
pub(crate) async fn update_from<R, C>(
    db: &C,
    current: &RecordOf<R>,
    expected: Option<i64>,
    data: &R::Data,
) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
    ModelOf<R>: IntoActiveModel<ActiveOf<R>>,
    ActiveOf<R>: ActiveModelTrait<Entity = R::Entity> + ActiveModelBehavior + Send,
{
    R::check(data)?;
    check_editable::<R>(current, expected)?;
    let id = current.id;
    let stamps = Stamps {
        created_at: None,
        updated_at: now(),
    };
    let mut active = R::active(ActiveValue::Set(id.raw()), data, stamps);
    bump::<R>(&mut active, current.version)?;
    // The version is checked again in the statement itself: two editors who read the same
    // version cannot both write it.
    let done = R::Entity::update_many()
        .set(active)
        .filter(R::id_column().eq(id.raw()))
        .filter(column::<R>(VERSION)?.eq(current.version))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(stale::<R>(id, current.version));
    }
    reread::<R, C>(db, id).await
}

const VERSION: &str = "version";
const DELETED_AT: &str = "deleted_at";

/// The column of `R`'s table with this name; every versioned table has `version` and
/// `deleted_at`, so looking them up by name saves each concept from naming them.
fn column<R: Resource>(name: &str) -> Result<<R::Entity as EntityTrait>::Column, StoreError> {
    use sea_orm::{IdenStatic, Iterable};
    <R::Entity as EntityTrait>::Column::iter()
        .find(|c| c.as_str() == name)
        .ok_or(StoreError::Corrupt {
            what: R::WHAT,
            detail: format!("the table has no {name} column"),
        })
}

/// Whether `R`'s table keeps deleted rows.
fn soft_deletes<R: Resource>() -> Option<<R::Entity as EntityTrait>::Column> {
    column::<R>(DELETED_AT).ok()
}

/// Hides deleted rows from `select`.
pub(crate) fn live<R: Resource>(select: Select<R::Entity>) -> Select<R::Entity> {
    match soft_deletes::<R>() {
        Some(deleted) => select.filter(deleted.is_null()),
        None => select,
    }
}

fn stale<R: Resource>(id: R::Id, version: i64) -> StoreError {
    StoreError::Conflict {
        what: format!(
            "a newer version of {} {} (the version edited was {version}; read it again and \
             repeat the change)",
            R::WHAT,
            id.raw()
        ),
    }
}

/// The record about to change: it exists, is not deleted, and is at `expected` when the
/// caller names the version it edits (the importer, which replaces pages wholesale, does not).
async fn editable<R, C>(db: &C, id: R::Id, expected: Option<i64>) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    let current = existing::<R, C>(db, id).await?;
    check_editable::<R>(&current, expected)?;
    Ok(current)
}

/// Whether a record may change: not deleted, and at `expected` when the caller names it.
fn check_editable<R: Resource>(
    current: &RecordOf<R>,
    expected: Option<i64>,
) -> Result<(), StoreError> {
    if current.deleted_at.is_some() {
        return Err(StoreError::Conflict {
            what: format!(
                "{} {} is deleted; restore it first",
                R::WHAT,
                current.id.raw()
            ),
        });
    }
    match expected {
        Some(version) if version != current.version => Err(stale::<R>(current.id, version)),
        _ => Ok(()),
    }
}

/// Sets the next version on a row about to be written.
fn bump<R: Resource>(active: &mut ActiveOf<R>, current: i64) -> Result<(), StoreError>
where
    ActiveOf<R>: ActiveModelTrait<Entity = R::Entity>,
{
    active.set(column::<R>(VERSION)?, (current + 1).into());
    Ok(())
}

/// Deletes a record softly: it is kept, hidden from every read, its search document no
/// longer public, until [`restore`] brings it back.
pub(crate) async fn soft_delete<R, C>(
    db: &C,
    id: R::Id,
    expected: Option<i64>,
) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    let current = editable::<R, C>(db, id, expected).await?;
    mark_deleted::<R, C>(db, id, current.version, Some(now())).await
}

/// Brings a deleted record back as it was.
pub(crate) async fn restore<R, C>(db: &C, id: R::Id) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    let current = existing::<R, C>(db, id).await?;
    if current.deleted_at.is_none() {
        return Err(StoreError::Conflict {
            what: format!("{} {} is not deleted", R::WHAT, id.raw()),
        });
    }
    mark_deleted::<R, C>(db, id, current.version, None).await
}

async fn mark_deleted<R, C>(
    db: &C,
    id: R::Id,
    version: i64,
    deleted_at: Option<DateTime<Utc>>,
) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    use sea_orm::sea_query::Expr;
    let deleted = soft_deletes::<R>().ok_or(StoreError::Corrupt {
        what: R::WHAT,
        detail: "the table keeps no deleted rows".into(),
    })?;
    let done = R::Entity::update_many()
        .col_expr(deleted, Expr::value(deleted_at))
        .col_expr(column::<R>(VERSION)?, Expr::value(version + 1))
        .filter(R::id_column().eq(id.raw()))
        .filter(column::<R>(VERSION)?.eq(version))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(stale::<R>(id, version));
    }
    reread::<R, C>(db, id).await
}

/// The record with this id, deleted or not (for editors, who may restore it).
pub(crate) async fn get_any<R, C>(db: &C, id: R::Id) -> Result<Option<RecordOf<R>>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    R::Entity::find()
        .filter(R::id_column().eq(id.raw()))
        .one(db)
        .await?
        .map(R::record)
        .transpose()
}

pub(crate) async fn get<R, C>(db: &C, id: R::Id) -> Result<Option<RecordOf<R>>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    one::<R, C>(db, R::Entity::find().filter(R::id_column().eq(id.raw()))).await
}

/// The first record a query finds.
pub(crate) async fn one<R, C>(
    db: &C,
    select: Select<R::Entity>,
) -> Result<Option<RecordOf<R>>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    live::<R>(select).one(db).await?.map(R::record).transpose()
}

/// All records with these ids, in no particular order.
pub(crate) async fn many<R, C>(db: &C, ids: &[R::Id]) -> Result<Vec<RecordOf<R>>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let raw = ids.iter().map(|id| id.raw());
    live::<R>(R::Entity::find())
        .filter(R::id_column().is_in(raw))
        .all(db)
        .await?
        .into_iter()
        .map(R::record)
        .collect()
}

/// The order of a list in id order: oldest first.
fn by_id<R: Resource>() -> SortKey<<R::Entity as EntityTrait>::Column> {
    SortKey {
        list: R::WHAT,
        parts: vec![Part::Int(R::id_column())],
        descending: false,
    }
}

/// A page of the records `select` finds, in id order.
pub(crate) async fn list<R, C>(
    db: &C,
    select: Select<R::Entity>,
    page: &PageRequest,
) -> Result<Page<RecordOf<R>>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    let id = R::id_column();
    let select = live::<R>(select);
    let page = keyset::fetch(db, select, &by_id::<R>(), page, |row| {
        vec![keyset::int(row.get(id))]
    })
    .await?;
    page.try_map(R::record)
}

/// The first `first` records (oldest first) of each parent, in one statement; `parent` names
/// the column of `select`'s table that holds the parent's id.
pub(crate) async fn first_per_parent<R, C>(
    db: &C,
    select: Select<R::Entity>,
    parent: &'static str,
    first: u64,
) -> Result<std::collections::HashMap<i64, Page<RecordOf<R>>>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
{
    use sea_orm::{EntityName, QueryTrait};
    let id = R::id_column();
    let table = R::Entity::default().table_name();
    let pages = keyset::first_per_parent::<R::Entity, _>(
        db,
        live::<R>(select).into_query(),
        (table, parent),
        &by_id::<R>(),
        first,
        |row| vec![keyset::int(row.get(id))],
    )
    .await?;
    pages
        .into_iter()
        .map(|(parent, page)| Ok((parent, page.try_map(R::record)?)))
        .collect()
}

/// Writes the standard functions of a one-table concept: `create`, `get`, `get_many`.
macro_rules! standard_functions {
    ($res:ty, $data:ty, $record:ty, $id:ty, $what:literal) => {
        #[doc = concat!("Stores a new ", $what, " (and its search document), all or nothing.")]
        pub async fn create(
            db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
            data: &$data,
        ) -> Result<$record, $crate::StoreError> {
            use sea_orm::TransactionSession;
            let txn = $crate::begin_write(db).await?;
            let record = $crate::crud::insert::<$res, _>(&txn, data).await?;
            $crate::crud::logged::<$res>(
                &txn,
                $crate::crud::Key::raw(record.id),
                $crate::change::Action::Created,
            )
            .await?;
            txn.commit().await?;
            Ok(record)
        }

        #[doc = concat!("The ", $what, " with this id, if any.")]
        pub async fn get(
            db: &impl sea_orm::ConnectionTrait,
            id: $id,
        ) -> Result<Option<$record>, $crate::StoreError> {
            $crate::crud::get::<$res, _>(db, id).await
        }

        #[doc = concat!("Every ", $what, " with one of these ids, in no particular order.")]
        pub async fn get_many(
            db: &impl sea_orm::ConnectionTrait,
            ids: &[$id],
        ) -> Result<Vec<$record>, $crate::StoreError> {
            $crate::crud::many::<$res, _>(db, ids).await
        }
    };
}

/// Writes `update` for a one-table concept: the data replaced, at the version the caller
/// read.
macro_rules! update_function {
    ($res:ty, $data:ty, $record:ty, $id:ty, $what:literal) => {
        #[doc = concat!("Replaces the data of a ", $what, "; `NotFound` if there is none, ")]
        #[doc = "`Conflict` if it is deleted or `expected` is not its current version."]
        pub async fn update(
            db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
            id: $id,
            expected: Option<i64>,
            data: &$data,
        ) -> Result<$record, $crate::StoreError> {
            use sea_orm::TransactionSession;
            let txn = $crate::begin_write(db).await?;
            let record = $crate::crud::update::<$res, _>(&txn, id, expected, data).await?;
            $crate::crud::logged::<$res>(
                &txn,
                $crate::crud::Key::raw(id),
                $crate::change::Action::Updated,
            )
            .await?;
            txn.commit().await?;
            Ok(record)
        }
    };
}

/// Writes `delete`, `restore` and `get_any` for a concept that keeps deleted records.
macro_rules! lifecycle_functions {
    ($res:ty, $record:ty, $id:ty, $what:literal) => {
        #[doc = concat!("Deletes a ", $what, " softly: hidden from every read until restored.")]
        pub async fn delete(
            db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
            id: $id,
            expected: Option<i64>,
        ) -> Result<$record, $crate::StoreError> {
            use sea_orm::TransactionSession;
            let txn = $crate::begin_write(db).await?;
            let record = $crate::crud::soft_delete::<$res, _>(&txn, id, expected).await?;
            $crate::crud::logged::<$res>(
                &txn,
                $crate::crud::Key::raw(id),
                $crate::change::Action::Deleted,
            )
            .await?;
            txn.commit().await?;
            Ok(record)
        }

        #[doc = concat!("Brings a deleted ", $what, " back.")]
        pub async fn restore(
            db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
            id: $id,
        ) -> Result<$record, $crate::StoreError> {
            use sea_orm::TransactionSession;
            let txn = $crate::begin_write(db).await?;
            let record = $crate::crud::restore::<$res, _>(&txn, id).await?;
            $crate::crud::logged::<$res>(
                &txn,
                $crate::crud::Key::raw(id),
                $crate::change::Action::Restored,
            )
            .await?;
            txn.commit().await?;
            Ok(record)
        }

        #[doc = concat!("The ", $what, " with this id, deleted or not.")]
        pub async fn get_any(
            db: &impl sea_orm::ConnectionTrait,
            id: $id,
        ) -> Result<Option<$record>, $crate::StoreError> {
            $crate::crud::get_any::<$res, _>(db, id).await
        }
    };
}

pub(crate) use {lifecycle_functions, standard_functions, update_function};

/// `base` if it is free, else the first free of `base-2`, `base-3` …, asking `taken` which
/// of a handful of candidates are in use, by their exact values (an index answers that; a
/// prefix match answers from no index on either database).
pub(crate) async fn free_slug<F, Fut>(base: &Slug, taken: F) -> Result<Slug, StoreError>
where
    F: Fn(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>, StoreError>>,
{
    /// Candidates looked up at once: `base` and the next fifteen numbers first.
    const AT_ONCE: u64 = 16;
    let candidate = |n: u64| match n {
        1 => base.to_string(),
        n => format!("{base}-{n}"),
    };
    let mut from = 1;
    loop {
        let candidates: Vec<String> = (from..from + AT_ONCE).map(candidate).collect();
        let in_use = taken(candidates.clone()).await?;
        if let Some(free) = candidates.into_iter().find(|c| !in_use.contains(c)) {
            return Ok(Slug::parse(&free)?);
        }
        from += AT_ONCE;
    }
}
