//! Writing documents into the index, in the transaction that writes their record.

use crate::StoreError;
use crate::connect::Backend;
use crate::crud::now;
use crate::entities::search_doc;
use chrono::{DateTime, NaiveDate, Utc};
use danvan_text::{fold, search_key};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use sea_orm::{QueryOrder, QuerySelect};

/// The kinds of record the index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    /// Articles.
    Article,
    /// Meetings.
    Meeting,
    /// "Dân vận khéo" models.
    DvkModel,
    /// People.
    Person,
    /// Organisations.
    Organisation,
}

impl SearchKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Article,
        Self::Meeting,
        Self::DvkModel,
        Self::Person,
        Self::Organisation,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Meeting => "meeting",
            Self::DvkModel => "dvk_model",
            Self::Person => "person",
            Self::Organisation => "organisation",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What the index holds of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The kind of record.
    pub kind: SearchKind,
    /// The record's id.
    pub ref_id: i64,
    /// The site, for articles.
    pub site_id: Option<i64>,
    /// Whether the public may find it (given its publication time has come).
    pub public: bool,
    /// When it was published, for articles.
    pub published_at: Option<DateTime<Utc>>,
    /// The day date filters look at.
    pub day: Option<NaiveDate>,
    /// The title or name.
    pub title: String,
    /// The text.
    pub body: String,
}

/// The words of a text, joined by single spaces.
pub(crate) fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The row of a document, new (`existing` none) or rewritten.
fn row(doc: &Document, existing: Option<&search_doc::Model>) -> search_doc::ActiveModel {
    let now = now();
    search_doc::ActiveModel {
        id: existing.map_or(sea_orm::ActiveValue::NotSet, |e| Set(e.id)),
        created_at: existing.map_or(Set(now), |e| Set(e.created_at)),
        updated_at: Set(now),
        kind: Set(doc.kind.code().to_owned()),
        ref_id: Set(doc.ref_id),
        site_id: Set(doc.site_id),
        public: Set(doc.public),
        published_at: Set(doc.published_at),
        day: Set(doc.day),
        title: Set(doc.title.clone()),
        body: Set(doc.body.clone()),
        title_key: Set(words(&search_key(&doc.title))),
        body_key: Set(words(&search_key(&doc.body))),
        title_fold: Set(words(&fold(&doc.title))),
        body_fold: Set(words(&fold(&doc.body))),
    }
}

/// Writes the documents of records that have none yet, many to a statement: the bulk path.
pub(crate) async fn index_new(
    db: &impl ConnectionTrait,
    docs: &[Document],
) -> Result<(), StoreError> {
    // 15 columns a row stays well under SQLite's 32,766 bound parameters a statement.
    for chunk in docs.chunks(1000) {
        let ids = search_doc::Entity::insert_many(chunk.iter().map(|d| row(d, None)))
            .exec_with_returning_keys(db)
            .await?;
        full_text(db, ids, false).await?;
        remember_titles(db, chunk).await?;
    }
    Ok(())
}

/// Adds the words of these documents' titles to the vocabulary corrections come from.
async fn remember_titles(db: &impl ConnectionTrait, docs: &[Document]) -> Result<(), StoreError> {
    let forms: Vec<String> = docs
        .iter()
        .flat_map(|d| [words(&search_key(&d.title)), words(&fold(&d.title))])
        .collect();
    super::vocabulary::remember(db, forms.iter().map(String::as_str)).await
}

/// Writes (or rewrites) a record's document.
pub(crate) async fn index(db: &impl ConnectionTrait, doc: &Document) -> Result<(), StoreError> {
    let existing = search_doc::Entity::find()
        .filter(search_doc::Column::Kind.eq(doc.kind.code()))
        .filter(search_doc::Column::RefId.eq(doc.ref_id))
        .one(db)
        .await?;
    let row = row(doc, existing.as_ref());
    if existing.as_ref().is_none_or(|e| e.title != doc.title) {
        remember_titles(db, std::slice::from_ref(doc)).await?;
    }
    let saved = if existing.is_some() {
        row.update(db).await?
    } else {
        row.insert(db).await?
    };
    full_text(db, vec![saved.id], true).await
}

/// The records of a kind whose title (a name) has this search key: the same words once
/// tone placement and case are set aside ("Huyện uỷ Gia Viễn" finds "Huyện ủy Gia Viễn").
pub(crate) async fn ids_by_title(
    db: &impl ConnectionTrait,
    kind: SearchKind,
    title: &str,
) -> Result<Vec<i64>, StoreError> {
    Ok(search_doc::Entity::find()
        .select_only()
        .column(search_doc::Column::RefId)
        .filter(search_doc::Column::Kind.eq(kind.code()))
        .filter(search_doc::Column::TitleKey.eq(words(&search_key(title))))
        .order_by_asc(search_doc::Column::RefId)
        .into_tuple()
        .all(db)
        .await?)
}

/// SQLite's full-text tables and the columns of `search_doc` each indexes: everything
/// for search, titles with prefix indexes for suggestions.
const FULL_TEXT: [(&str, &[&str]); 2] = [
    ("search_fts", &["title_fold", "body_fold"]),
    ("suggest_fts", &["title_fold"]),
];

/// Copies documents into SQLite's full-text tables, which keep their own copy (`replace`
/// when the documents were there before). PostgreSQL keeps its tsvector itself, a
/// generated column.
async fn full_text(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
    replace: bool,
) -> Result<(), StoreError> {
    if Backend::of(db) != Backend::Sqlite {
        return Ok(());
    }
    for (table, columns) in FULL_TEXT {
        if replace {
            db.execute(
                &Query::delete()
                    .from_table(table)
                    .and_where(Expr::col("rowid").is_in(ids.iter().copied()))
                    .to_owned(),
            )
            .await?;
        }
        let mut rows = Query::select();
        rows.column(search_doc::Column::Id)
            .columns(columns.iter().copied())
            .from(search_doc::Entity)
            .and_where(search_doc::Column::Id.is_in(ids.iter().copied()));
        let copy = Query::insert()
            .into_table(table)
            .columns(std::iter::once("rowid").chain(columns.iter().copied()))
            .select_from(rows)
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
            .to_owned();
        db.execute(&copy).await?;
    }
    Ok(())
}
