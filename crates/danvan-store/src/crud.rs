//! Create, read, update and list, written once for every concept that maps to one table.
//! A concept module describes its table with [`Resource`] and adds what is its own
//! (children, lookups by slug, filters).

use crate::StoreError;
use crate::keyset::{self, Part, SortKey};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, SubsecRound, Utc};
use danvan_domain::{DomainError, Record};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DbErr,
    EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, Select,
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
    AdminUnitId,
    ArticleId,
    CampaignId,
    CategoryId,
    CommentId,
    DocumentId,
    DvkModelId,
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

/// The current time as stored: UTC, to the microsecond, which both backends keep exactly.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Rounds a time given by a caller to what the database keeps.
pub(crate) fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

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
    if let Some(document) = R::document(&record) {
        crate::search::index(db, &document).await?;
    }
    Ok(record)
}

pub(crate) async fn update<R, C>(
    db: &C,
    id: R::Id,
    data: &R::Data,
) -> Result<RecordOf<R>, StoreError>
where
    R: Resource,
    C: ConnectionTrait,
    ModelOf<R>: IntoActiveModel<ActiveOf<R>>,
    ActiveOf<R>: ActiveModelTrait<Entity = R::Entity> + ActiveModelBehavior + Send,
{
    R::check(data)?;
    let stamps = Stamps {
        created_at: None,
        updated_at: now(),
    };
    match R::active(ActiveValue::Set(id.raw()), data, stamps)
        .update(db)
        .await
    {
        Ok(model) => {
            let record = R::record(model)?;
            if let Some(document) = R::document(&record) {
                crate::search::index(db, &document).await?;
            }
            Ok(record)
        }
        Err(DbErr::RecordNotUpdated | DbErr::RecordNotFound(_)) => {
            Err(StoreError::not_found(R::WHAT, id.raw()))
        }
        Err(e) => Err(e.into()),
    }
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
    select.one(db).await?.map(R::record).transpose()
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
    R::Entity::find()
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
        select.into_query(),
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

/// Writes the standard functions of a one-table concept: `create`, `get`, `update`, `list`.
macro_rules! standard_functions {
    ($res:ty, $data:ty, $record:ty, $id:ty, $what:literal) => {
        #[doc = concat!("Stores a new ", $what, " (and its search document), all or nothing.")]
        pub async fn create(
            db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
            data: &$data,
        ) -> Result<$record, $crate::StoreError> {
            use sea_orm::TransactionSession;
            let txn = db.begin().await?;
            let record = $crate::crud::insert::<$res, _>(&txn, data).await?;
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

        #[doc = concat!("Replaces the data of a ", $what, "; `NotFound` if there is none.")]
        pub async fn update(
            db: &(impl sea_orm::ConnectionTrait + sea_orm::TransactionTrait),
            id: $id,
            data: &$data,
        ) -> Result<$record, $crate::StoreError> {
            use sea_orm::TransactionSession;
            let txn = db.begin().await?;
            let record = $crate::crud::update::<$res, _>(&txn, id, data).await?;
            txn.commit().await?;
            Ok(record)
        }
    };
}

pub(crate) use standard_functions;
