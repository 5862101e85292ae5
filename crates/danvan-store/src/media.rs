//! The media library's records. The bytes are elsewhere (the media storage, under the
//! hash); a record says what they are, whose they are and what the newsroom wrote of them.

use crate::StoreError;
use crate::clock::now;
use crate::entities::media::{self, Column, Entity};
use crate::page::{Page, PageRequest};
use danvan_domain::media::{MediaData, MediaKind, MediaText};
use danvan_domain::{AccountId, MediaId, Name, Record, SiteId, Title};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};

/// A stored item.
pub type Media = Record<MediaId, MediaData>;

fn record(m: media::Model) -> Result<Media, StoreError> {
    Ok(Record {
        id: MediaId(m.id),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: 1,
        deleted_at: m.deleted_at,
        data: MediaData {
            site_id: SiteId(m.site_id),
            hash: m.hash,
            kind: crate::crud::stored("media", MediaKind::from_code(&m.kind))?,
            mime: m.mime,
            size: m.size,
            width: m.width,
            height: m.height,
            thumbhash: m.thumbhash,
            colour: m.colour,
            text: MediaText {
                caption: m.caption.map(Title::from_stored),
                alt: m.alt.map(Title::from_stored),
                credit: m.credit.map(Name::from_stored),
            },
            file_name: m.file_name.map(Name::from_stored),
            created_by: m.created_by.map(AccountId),
        },
    })
}

/// What the library's search reads of an item: its text and its file's name, as folded
/// words (see [`danvan_text::words_key`]).
fn search_key(text: &MediaText, file_name: Option<&Name>) -> String {
    let parts = [
        text.caption.as_ref().map(Title::as_str),
        text.alt.as_ref().map(Title::as_str),
        text.credit.as_ref().map(Name::as_str),
        file_name.map(Name::as_str),
    ];
    danvan_text::words_key(&parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

/// Stores a new item, or gives the site's item of the same bytes (brought back when it was
/// deleted, its text kept): `true` with a new one.
pub async fn keep(
    db: &impl ConnectionTrait,
    data: &MediaData,
) -> Result<(Media, bool), StoreError> {
    let at = now();
    let row = media::ActiveModel {
        created_at: Set(at),
        updated_at: Set(at),
        site_id: Set(data.site_id.0),
        hash: Set(data.hash.clone()),
        kind: Set(data.kind.code().to_owned()),
        mime: Set(data.mime.clone()),
        size: Set(data.size),
        width: Set(data.width),
        height: Set(data.height),
        thumbhash: Set(data.thumbhash.clone()),
        colour: Set(data.colour.clone()),
        caption: Set(data.text.caption.as_ref().map(ToString::to_string)),
        alt: Set(data.text.alt.as_ref().map(ToString::to_string)),
        credit: Set(data.text.credit.as_ref().map(ToString::to_string)),
        file_name: Set(data.file_name.as_ref().map(ToString::to_string)),
        created_by: Set(data.created_by.map(|a| a.0)),
        deleted_at: Set(None),
        search_key: Set(Some(search_key(&data.text, data.file_name.as_ref()))),
        ..Default::default()
    };
    let inserted = Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::SiteId, Column::Hash])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let found = Entity::find()
        .filter(Column::SiteId.eq(data.site_id.0))
        .filter(Column::Hash.eq(&data.hash))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::not_found("media", &data.hash))?;
    if inserted == 0 && found.deleted_at.is_some() {
        Entity::update_many()
            .col_expr(
                Column::DeletedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(Column::UpdatedAt, Expr::value(at))
            .filter(Column::Id.eq(found.id))
            .exec(db)
            .await?;
        return Ok((
            record(media::Model {
                deleted_at: None,
                updated_at: at,
                ..found
            })?,
            false,
        ));
    }
    Ok((record(found)?, inserted > 0))
}

/// The item with `id`, deleted or not.
pub async fn get(db: &impl ConnectionTrait, id: MediaId) -> Result<Option<Media>, StoreError> {
    Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The items with these ids that exist, deleted or not.
pub async fn get_many(
    db: &impl ConnectionTrait,
    ids: &[MediaId],
) -> Result<Vec<Media>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().map(|i| i.0)))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// What a look through a site's library asks for.
#[derive(Debug, Clone, Default)]
pub struct LibraryFilter {
    /// Photos only, or files only; both when `None`.
    pub kind: Option<MediaKind>,
    /// Words the item's caption, alt text, credit or file name has words beginning with,
    /// with or without diacritics; every item when empty.
    pub words: String,
}

/// A site's items not deleted that `filter` asks for.
fn library_of(site: SiteId, filter: &LibraryFilter) -> sea_orm::Select<Entity> {
    let mut query = Entity::find()
        .filter(Column::SiteId.eq(site.0))
        .filter(Column::DeletedAt.is_null());
    if let Some(kind) = filter.kind {
        query = query.filter(Column::Kind.eq(kind.code()));
    }
    // Folded words are letters and digits only: nothing in them means anything to LIKE.
    for word in danvan_text::words_key(&filter.words).split_whitespace() {
        query = query.filter(Column::SearchKey.like(format!("% {word}%")));
    }
    query
}

/// A page of a site's library (items not deleted), newest first.
pub async fn library(
    db: &impl ConnectionTrait,
    site: SiteId,
    filter: &LibraryFilter,
    page: &PageRequest,
) -> Result<Page<Media>, StoreError> {
    let key = crate::keyset::SortKey {
        list: "media",
        parts: vec![crate::keyset::Part::Int(Column::Id)],
        descending: true,
    };
    crate::keyset::fetch(db, library_of(site, filter), &key, page, |row| {
        vec![serde_json::Value::from(row.id)]
    })
    .await?
    .try_map(record)
}

/// How many items of a site's library `filter` asks for.
pub async fn library_count(
    db: &impl ConnectionTrait,
    site: SiteId,
    filter: &LibraryFilter,
) -> Result<u64, StoreError> {
    crate::keyset::count(db, library_of(site, filter)).await
}

/// Writes the change log's rows of a change of `item`, as the last step of the transaction
/// `db` is in: the item's own, and with `shown` an update of each article that shows it
/// (not deleted), since what a reader of the article gets changed with it (its kept
/// answers, the copies of offline clients, partners' copies through webhooks).
async fn logged(
    db: &impl ConnectionTrait,
    item: &Media,
    action: crate::change::Action,
    shown: bool,
) -> Result<(), StoreError> {
    use crate::change::{Action, Concept, NewChange};
    use crate::entities::article;
    let mut changes = vec![NewChange {
        concept: Concept::Media,
        record_id: item.id.0,
        site_id: Some(item.data.site_id.0),
        action,
    }];
    if shown {
        let articles: Vec<(i64, i64)> = article::Entity::find()
            .select_only()
            .column(article::Column::Id)
            .column(article::Column::SiteId)
            .filter(crate::article::using(item.id))
            .filter(article::Column::DeletedAt.is_null())
            .order_by_asc(article::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        changes.extend(articles.into_iter().map(|(id, site)| NewChange {
            concept: Concept::Article,
            record_id: id,
            site_id: Some(site),
            action: Action::Updated,
        }));
    }
    crate::change::record(db, &changes).await
}

/// Replaces what the newsroom wrote of `item`.
pub async fn set_text<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    item: &Media,
    text: &MediaText,
) -> Result<(), StoreError> {
    let txn = crate::begin_write(db).await?;
    Entity::update_many()
        .col_expr(
            Column::Caption,
            Expr::value(text.caption.as_ref().map(ToString::to_string)),
        )
        .col_expr(
            Column::Alt,
            Expr::value(text.alt.as_ref().map(ToString::to_string)),
        )
        .col_expr(
            Column::Credit,
            Expr::value(text.credit.as_ref().map(ToString::to_string)),
        )
        .col_expr(
            Column::SearchKey,
            Expr::value(search_key(text, item.data.file_name.as_ref())),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(item.id.0))
        .exec(&txn)
        .await?;
    logged(&txn, item, crate::change::Action::Updated, true).await?;
    txn.commit().await?;
    Ok(())
}

/// Marks `item` deleted now; its bytes stay until the grace period has passed.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    item: &Media,
) -> Result<(), StoreError> {
    let txn = crate::begin_write(db).await?;
    let at = now();
    let deleted = Entity::update_many()
        .col_expr(Column::DeletedAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(item.id.0))
        .filter(Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    if deleted.rows_affected > 0 {
        // No article shows an item that may be deleted.
        logged(&txn, item, crate::change::Action::Deleted, false).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Items deleted before `before`, whose grace period has passed.
pub async fn deleted_before(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Media>, StoreError> {
    Entity::find()
        .filter(Column::DeletedAt.lt(before))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// Removes an item's record for good.
pub async fn remove(db: &impl ConnectionTrait, id: MediaId) -> Result<(), StoreError> {
    Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

/// Whether any item (of any site, deleted or not) names the bytes of `hash`.
pub async fn hash_in_use(db: &impl ConnectionTrait, hash: &str) -> Result<bool, StoreError> {
    Ok(Entity::find()
        .filter(Column::Hash.eq(hash))
        .count(db)
        .await?
        > 0)
}

/// Every hash an item names, with the media type stored under it.
pub async fn every_file(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Hash)
        .column(Column::Mime)
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}
