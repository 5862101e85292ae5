//! Articles, with their byline, images, related articles and links.

use crate::change::{Action, Concept, NewChange};
use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, ids, stored, stored_time,
};
use crate::entities::{
    article, article_author, article_image, article_media, article_organisation, article_related,
    meeting,
};
use crate::keyset::{self, Part, SortKey};
use crate::links::Link;
use crate::organisation::OrganisationScope;
use crate::page::shelve;
use crate::{Page, PageRequest, StoreError, Total};
use chrono::{DateTime, Utc};
use danvan_domain::OrganisationId;
use danvan_domain::article::{ArticleData, ArticleStatus, Author, Image, Source};
use danvan_domain::html::BodyFormat;
use danvan_domain::media::MediaUse;
use danvan_domain::meeting::MeetingKind;
use danvan_domain::{AdminUnitId, CampaignId, CategoryId};
use danvan_domain::{
    ArticleId, Body, DomainError, MeetingId, Name, PersonId, Record, SiteId, Slug, TagId, Title,
    Url,
};
use sea_orm::QueryTrait;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, TransactionSession, TransactionTrait,
};
use serde_json::Value as Json;
use std::collections::HashMap;

/// A stored article.
pub type Article = Record<ArticleId, ArticleData>;

const TAGS: Link = Link {
    table: "article_tag",
    owner: "article_id",
    other: "tag_id",
};
const CATEGORIES: Link = Link {
    table: "article_category",
    owner: "article_id",
    other: "category_id",
};
const ORGANISATIONS: Link = Link {
    table: "article_organisation",
    owner: "article_id",
    other: "organisation_id",
};
const ADMIN_UNITS: Link = Link {
    table: "article_admin_unit",
    owner: "article_id",
    other: "admin_unit_id",
};
const DOCUMENTS: Link = Link {
    table: "article_document",
    owner: "article_id",
    other: "document_id",
};
const PEOPLE: Link = Link {
    table: "article_person",
    owner: "article_id",
    other: "person_id",
};
const CAMPAIGNS: Link = Link {
    table: "article_campaign",
    owner: "article_id",
    other: "campaign_id",
};

/// Every link table of an article, in the order of [`linked_ids`].
const LINKS: [Link; 7] = [
    TAGS,
    CATEGORIES,
    ORGANISATIONS,
    ADMIN_UNITS,
    DOCUMENTS,
    CAMPAIGNS,
    PEOPLE,
];

/// What an article links to, table by table in the order of [`LINKS`].
fn linked_ids(data: &ArticleData) -> [Vec<i64>; 7] {
    [
        raw(&data.tag_ids),
        raw(&data.category_ids),
        raw(&data.organisation_ids),
        raw(&data.admin_unit_ids),
        raw(&data.document_ids),
        raw(&data.campaign_ids),
        raw(&data.person_ids),
    ]
}

pub(crate) struct Res;

impl Resource for Res {
    type Entity = article::Entity;
    type Id = ArticleId;
    type Data = ArticleData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Article;
    const WHAT: &'static str = "article";

    fn id_column() -> article::Column {
        article::Column::Id
    }

    fn check(data: &ArticleData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &ArticleData, stamps: Stamps) -> ActiveOf<Self> {
        let source = data.source.as_ref();
        article::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            site_id: Set(data.site_id.raw()),
            slug: Set(data.slug.to_string()),
            title: Set(data.title.to_string()),
            title_key: Set(danvan_text::collation_key(data.title.as_str())),
            lead: Set(data.lead.to_string()),
            body: Set(data.body.to_string()),
            status: Set(data.status.code().to_owned()),
            published_at: Set(data.published_at.map(stored_time)),
            publish_at: Set(data.publish_at.map(stored_time)),
            source_name: Set(source.map(|s| s.name.to_string())),
            source_url: Set(source.and_then(|s| s.url.as_ref()).map(Url::to_string)),
            source_published_at: Set(source.and_then(|s| s.published_at).map(stored_time)),
            canonical_url: Set(data.canonical_url.as_ref().map(Url::to_string)),
            view_count: Set(data.view_count),
            meeting_id: Set(data.meeting_id.map(Key::raw)),
            fingerprint: Set(data.fingerprint.clone()),
            created_by: Set(data.created_by.map(Key::raw)),
            body_format: Set(data.body_format.code().to_owned()),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        let source = match m.source_name {
            Some(name) => Some(Source {
                name: Name::from_stored(name),
                url: m.source_url.map(Url::from_stored),
                published_at: m.source_published_at,
            }),
            None => None,
        };
        Ok(Record {
            id: ArticleId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: ArticleData {
                site_id: SiteId(m.site_id),
                slug: Slug::from_stored(m.slug),
                title: Title::from_stored(m.title),
                lead: Body::from_stored(m.lead),
                body: Body::from_stored(m.body),
                body_format: stored(Self::WHAT, BodyFormat::from_code(&m.body_format))?,
                status: stored(Self::WHAT, ArticleStatus::from_code(&m.status))?,
                published_at: m.published_at,
                publish_at: m.publish_at,
                authors: Vec::new(),
                source,
                canonical_url: m.canonical_url.map(Url::from_stored),
                view_count: m.view_count,
                tag_ids: Vec::new(),
                category_ids: Vec::new(),
                related_ids: Vec::new(),
                cover_id: None,
                images: Vec::new(),
                attachment_ids: Vec::new(),
                organisation_ids: Vec::new(),
                admin_unit_ids: Vec::new(),
                document_ids: Vec::new(),
                campaign_ids: Vec::new(),
                person_ids: Vec::new(),
                meeting_id: m.meeting_id.map(MeetingId),
                fingerprint: m.fingerprint,
                created_by: m.created_by.map(danvan_domain::AccountId),
            },
        })
    }
}

/// Stores a new article with everything attached to it, all or nothing.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    data: &ArticleData,
) -> Result<Article, StoreError> {
    let txn = crate::begin_write(db).await?;
    let article = create_in(&txn, data).await?;
    txn.commit().await?;
    Ok(article)
}

/// Stores a new article as part of the transaction `txn` is in, without a savepoint of its
/// own: on an error, what was written so far is the caller's to roll back (the importer
/// rolls back the page's savepoint). Nothing is read back: the new article is what was
/// written, its fields as the database keeps them and its attachments as given.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    data: &ArticleData,
) -> Result<Article, StoreError> {
    let mut article = crud::insert::<Res, _>(txn, data).await?;
    write_children(txn, article.id, data, Attached::New).await?;
    attach(&mut article.data, data);
    crate::search::index_new(txn, &[document(&article)]).await?;
    log(txn, &article, created(article.data.status)).await?;
    Ok(article)
}

/// Gives `to` the attachments of `from`, as [`write_children`] stores them.
fn attach(to: &mut ArticleData, from: &ArticleData) {
    to.authors.clone_from(&from.authors);
    to.images = from
        .images
        .iter()
        .map(|i| Image {
            media_id: i.media_id,
            url: i.url.clone(),
            caption: danvan_domain::note(i.caption.as_deref()),
            alt: danvan_domain::note(i.alt.as_deref()),
        })
        .collect();
    to.cover_id = from.cover_id;
    to.attachment_ids.clone_from(&from.attachment_ids);
    to.related_ids.clone_from(&from.related_ids);
    to.tag_ids.clone_from(&from.tag_ids);
    to.category_ids.clone_from(&from.category_ids);
    to.organisation_ids.clone_from(&from.organisation_ids);
    to.admin_unit_ids.clone_from(&from.admin_unit_ids);
    to.document_ids.clone_from(&from.document_ids);
    to.campaign_ids.clone_from(&from.campaign_ids);
    to.person_ids.clone_from(&from.person_ids);
}

/// Replaces an article's data and everything attached to it, all or nothing, keeping the
/// article as it was as a revision (who, when, what changed) in the same transaction.
/// `Conflict` when `expected` is not the current version or the article is deleted.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: ArticleId,
    expected: Option<i64>,
    data: &ArticleData,
    change: crate::revision::Change<'_>,
) -> Result<(Article, crate::revision::ArticleRevision), StoreError> {
    if data.related_ids.contains(&id) {
        return Err(
            DomainError::invalid("related", "an article cannot be related to itself").into(),
        );
    }
    let txn = crate::begin_write(db).await?;
    let before = get_any(&txn, id)
        .await?
        .ok_or_else(|| StoreError::not_found(Res::WHAT, id))?;
    crud::update_from::<Res, _>(&txn, &before, expected, data).await?;
    let revision = crate::revision::keep(&txn, &before, data, change).await?;
    write_children(&txn, id, data, Attached::Replaced).await?;
    let article = reread(&txn, id).await?;
    log(&txn, &article, moved(before.data.status, data.status)).await?;
    txn.commit().await?;
    Ok((article, revision))
}

/// Writes the change-log row of a change to `article`: the last step of its transaction.
async fn log(
    db: &impl ConnectionTrait,
    article: &Article,
    action: Action,
) -> Result<(), StoreError> {
    let change = NewChange {
        concept: Concept::Article,
        record_id: article.id.raw(),
        site_id: Some(article.data.site_id.raw()),
        action,
    };
    crate::change::record(db, &[change]).await
}

/// What making an article is, for the change log: a publication when it is made published
/// (an import, a direct publication), so that readers of the log (webhooks) tell it from a
/// draft.
fn created(status: ArticleStatus) -> Action {
    match status {
        ArticleStatus::Published => Action::Published,
        _ => Action::Created,
    }
}

/// What a change of status from `before` to `after` is, for the change log.
fn moved(before: ArticleStatus, after: ArticleStatus) -> Action {
    use ArticleStatus::{Archived, Draft, InReview, Published};
    match (before, after) {
        (b, a) if b == a => Action::Updated,
        (_, Published) => Action::Published,
        (_, Archived) => Action::Archived,
        (Published | Archived, Draft | InReview) => Action::Unpublished,
        _ => Action::Updated,
    }
}

/// Reads an article back inside the transaction that wrote it, and writes its search
/// document there too: the index moves with the content.
async fn reread(db: &impl ConnectionTrait, id: ArticleId) -> Result<Article, StoreError> {
    let article = get_any(db, id)
        .await?
        .ok_or_else(|| StoreError::not_found(Res::WHAT, id))?;
    crate::search::index(db, &document(&article)).await?;
    Ok(article)
}

/// What the search index holds of an article: public once published (and its time has
/// come, which the search checks), its lead and body as text.
fn document(article: &Article) -> crate::search::Document {
    document_of(article.id, &article.data, article.deleted_at)
}

fn document_of(
    id: ArticleId,
    data: &ArticleData,
    deleted_at: Option<DateTime<Utc>>,
) -> crate::search::Document {
    let text = data.body_text();
    let body = [data.lead.as_str(), text.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    crate::search::Document {
        kind: crate::search::SearchKind::Article,
        ref_id: id.raw(),
        site_id: Some(data.site_id.raw()),
        public: data.status == ArticleStatus::Published && deleted_at.is_none(),
        published_at: data.published_at,
        day: data
            .published_at
            .map(|at| danvan_text::time::to_vietnam(at).date_naive()),
        title: data.title.to_string(),
        body,
    }
}

fn raw<K: Key>(keys: &[K]) -> Vec<i64> {
    keys.iter().map(|k| k.raw()).collect()
}

/// Whether the articles whose children are written are new (nothing attached yet, so
/// nothing to clear: ten statements a new article saves) or existing ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attached {
    New,
    Replaced,
}

async fn write_children(
    db: &impl ConnectionTrait,
    id: ArticleId,
    data: &ArticleData,
    attached: Attached,
) -> Result<(), StoreError> {
    write_children_of_many(db, &[(id, data)], attached).await
}

/// Writes (or replaces) what is attached to each of these articles, a few statements per
/// kind of attachment however many articles there are.
async fn write_children_of_many(
    db: &impl ConnectionTrait,
    articles: &[(ArticleId, &ArticleData)],
    attached: Attached,
) -> Result<(), StoreError> {
    let owners: Vec<i64> = articles.iter().map(|(id, _)| id.raw()).collect();
    if attached == Attached::Replaced {
        article_author::Entity::delete_many()
            .filter(article_author::Column::ArticleId.is_in(owners.clone()))
            .exec(db)
            .await?;
        article_image::Entity::delete_many()
            .filter(article_image::Column::ArticleId.is_in(owners.clone()))
            .exec(db)
            .await?;
        article_media::Entity::delete_many()
            .filter(article_media::Column::ArticleId.is_in(owners.clone()))
            .exec(db)
            .await?;
        article_related::Entity::delete_many()
            .filter(article_related::Column::ArticleId.is_in(owners))
            .exec(db)
            .await?;
    }
    let authors: Vec<_> = articles
        .iter()
        .flat_map(|(id, data)| {
            data.authors
                .iter()
                .zip(0..)
                .map(|(a, position)| article_author::ActiveModel {
                    article_id: Set(id.raw()),
                    position: Set(position),
                    name: Set(a.name.to_string()),
                    person_id: Set(a.person_id.map(Key::raw)),
                    organisation: Set(a.organisation.as_ref().map(Name::to_string)),
                })
        })
        .collect();
    insert_in_chunks(db, authors).await?;
    let images: Vec<_> = articles
        .iter()
        .flat_map(|(id, data)| {
            data.images
                .iter()
                .zip(0..)
                .map(|(i, position)| article_image::ActiveModel {
                    article_id: Set(id.raw()),
                    position: Set(position),
                    media_id: Set(i.media_id.map(|m| m.0)),
                    url: Set(i.url.as_ref().map(Url::to_string)),
                    caption: Set(danvan_domain::note(i.caption.as_deref())),
                    alt: Set(danvan_domain::note(i.alt.as_deref())),
                })
        })
        .collect();
    insert_in_chunks(db, images).await?;
    // Every use of a library item: the cover, the photos among the images, the files
    // attached. The cover and the files are read back from here; the whole is what says
    // whether an item is public and whether it may be deleted.
    let media: Vec<_> = articles
        .iter()
        .flat_map(|(id, data)| {
            let row = move |role: MediaUse, position: i32, media: danvan_domain::MediaId| {
                article_media::ActiveModel {
                    article_id: Set(id.raw()),
                    role: Set(role.code().to_owned()),
                    position: Set(position),
                    media_id: Set(media.0),
                }
            };
            let cover = data.cover_id.map(|m| row(MediaUse::Cover, 0, m));
            let images = data
                .images
                .iter()
                .zip(0..)
                .filter_map(move |(i, position)| {
                    i.media_id.map(|m| row(MediaUse::Image, position, m))
                });
            let attachments = data
                .attachment_ids
                .iter()
                .zip(0..)
                .map(move |(m, position)| row(MediaUse::Attachment, position, *m));
            cover.into_iter().chain(images).chain(attachments)
        })
        .collect();
    insert_in_chunks(db, media).await?;
    let related: Vec<_> = articles
        .iter()
        .flat_map(|(id, data)| {
            data.related_ids
                .iter()
                .zip(0..)
                .map(|(r, position)| article_related::ActiveModel {
                    article_id: Set(id.raw()),
                    related_id: Set(r.raw()),
                    position: Set(position),
                })
        })
        .collect();
    insert_in_chunks(db, related).await?;
    let linked: Vec<(i64, [Vec<i64>; 7])> = articles
        .iter()
        .map(|(id, data)| (id.raw(), linked_ids(data)))
        .collect();
    for (kind, link) in LINKS.into_iter().enumerate() {
        let owners: Vec<(i64, &[i64])> = linked
            .iter()
            .map(|(owner, ids)| (*owner, ids[kind].as_slice()))
            .collect();
        match attached {
            Attached::New => link.insert_many(db, &owners).await?,
            Attached::Replaced => link.replace_many(db, &owners).await?,
        }
    }
    Ok(())
}

/// Inserts the rows of an attachment table, a thousand to a statement: a few columns a row
/// stay under SQLite's 32,766 bound parameters.
async fn insert_in_chunks<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), StoreError>
where
    A: sea_orm::ActiveModelTrait + Clone + Send,
{
    for chunk in rows.chunks(1000) {
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Stores many new articles at once with everything attached to them, all or nothing, a
/// few statements per thousand articles: the bulk path, for loading a portal's archive or
/// a generated data set. The same checks as [`create`]; slugs must be free.
pub async fn create_many<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    articles: &[ArticleData],
) -> Result<Vec<ArticleId>, StoreError> {
    for data in articles {
        Res::check(data)?;
    }
    let txn = crate::begin_write(db).await?;
    let now = crud::now();
    let mut ids = Vec::with_capacity(articles.len());
    // 24 columns a row: 1,000 rows stay under SQLite's 32,766 bound parameters.
    for chunk in articles.chunks(1000) {
        let rows = chunk.iter().map(|data| {
            let stamps = Stamps {
                created_at: Some(now),
                updated_at: now,
            };
            Res::active(ActiveValue::NotSet, data, stamps)
        });
        let mut keys: Vec<i64> = article::Entity::insert_many(rows)
            .exec_with_returning_keys(&txn)
            .await?;
        // Both backends number the rows of one statement in the order they are given.
        keys.sort_unstable();
        if keys.len() != chunk.len() {
            return Err(StoreError::Corrupt {
                what: Res::WHAT,
                detail: format!("{} rows written for {} articles", keys.len(), chunk.len()),
            });
        }
        ids.extend(keys.into_iter().map(ArticleId));
    }
    let pairs: Vec<(ArticleId, &ArticleData)> = ids.iter().copied().zip(articles).collect();
    for chunk in pairs.chunks(1000) {
        write_children_of_many(&txn, chunk, Attached::New).await?;
    }
    let documents: Vec<_> = pairs
        .iter()
        .map(|(id, data)| document_of(*id, data, None))
        .collect();
    crate::search::index_new(&txn, &documents).await?;
    let changes: Vec<NewChange> = pairs
        .iter()
        .map(|(id, data)| NewChange {
            concept: Concept::Article,
            record_id: id.raw(),
            site_id: Some(data.site_id.raw()),
            action: created(data.status),
        })
        .collect();
    crate::change::record(&txn, &changes).await?;
    txn.commit().await?;
    Ok(ids)
}

/// The statement that reads what is attached to a batch of articles: one row per article,
/// each kind of attachment a JSON array in its order. The driver then hands over a row per
/// article rather than a row per tag, author or link, and the batch is one statement
/// rather than ten (a page of twenty articles was ten statements and about two hundred rows).
/// The ids come as one JSON array, so that the statement is the same, and prepared once,
/// whatever the batch's size.
fn children_sql(backend: crate::Backend) -> &'static str {
    use std::sync::LazyLock;
    fn build(backend: crate::Backend) -> String {
        let postgres = backend == crate::Backend::Postgres;
        let array_where = |items: &str, table: &str, condition: &str| {
            if postgres {
                format!(
                    "(SELECT coalesce(json_agg({items} ORDER BY position), '[]')::text \
                     FROM {table} c WHERE c.article_id = a.id{condition})"
                )
            } else {
                format!(
                    "(SELECT json_group_array({items} ORDER BY position) \
                     FROM {table} c WHERE c.article_id = a.id{condition})"
                )
            }
        };
        let array = |items: &str, table: &str| array_where(items, table, "");
        let tuple = if postgres {
            "json_build_array"
        } else {
            "json_array"
        };
        let mut columns = vec![
            format!(
                "{} AS authors",
                array(
                    &format!("{tuple}(name, person_id, organisation)"),
                    "article_author"
                )
            ),
            format!(
                "{} AS images",
                array(
                    &format!("{tuple}(url, caption, alt, media_id)"),
                    "article_image"
                )
            ),
            format!(
                "{} AS cover",
                array_where("media_id", "article_media", " AND c.role = 'cover'")
            ),
            format!(
                "{} AS attachments",
                array_where("media_id", "article_media", " AND c.role = 'attachment'")
            ),
            format!("{} AS related", array("related_id", "article_related")),
        ];
        for (i, link) in LINKS.iter().enumerate() {
            columns.push(format!("{} AS link_{i}", array(link.other, link.table)));
        }
        let ids = if postgres {
            "(SELECT value::bigint FROM json_array_elements_text($1::json))"
        } else {
            "(SELECT value FROM json_each(?))"
        };
        format!(
            "SELECT a.id AS owner, {} FROM article a WHERE a.id IN {ids}",
            columns.join(", ")
        )
    }
    static SQLITE: LazyLock<String> = LazyLock::new(|| build(crate::Backend::Sqlite));
    static POSTGRES: LazyLock<String> = LazyLock::new(|| build(crate::Backend::Postgres));
    match backend {
        crate::Backend::Sqlite => &SQLITE,
        crate::Backend::Postgres => &POSTGRES,
    }
}

/// One article's attachments as [`children_sql`] reads them.
#[derive(Default, Clone)]
struct Children {
    authors: Vec<Author>,
    images: Vec<Image>,
    cover: Vec<i64>,
    attachments: Vec<i64>,
    related: Vec<i64>,
    links: [Vec<i64>; 7],
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what: Res::WHAT,
        detail: format!("attachments that do not read back: {e}"),
    })
}

/// Fills in what is attached to articles read from their table, in one statement for the
/// whole batch.
async fn with_children(
    db: &impl ConnectionTrait,
    mut articles: Vec<Article>,
) -> Result<Vec<Article>, StoreError> {
    if articles.is_empty() {
        return Ok(articles);
    }
    let owners: Vec<i64> = articles.iter().map(|a| a.id.raw()).collect();
    let backend = crate::Backend::of(db);
    let statement = sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        children_sql(backend),
        [Json::from(owners).to_string().into()],
    );
    let mut children: HashMap<i64, Children> = HashMap::with_capacity(articles.len());
    for row in db.query_all_raw(statement).await? {
        let text = |column: &str| row.try_get::<String>("", column);
        let authors: Vec<(String, Option<i64>, Option<String>)> = json(&text("authors")?)?;
        type ImageRow = (Option<String>, Option<String>, Option<String>, Option<i64>);
        let images: Vec<ImageRow> = json(&text("images")?)?;
        let mut links: [Vec<i64>; 7] = Default::default();
        for (i, link) in links.iter_mut().enumerate() {
            *link = json(&text(&format!("link_{i}"))?)?;
        }
        children.insert(
            row.try_get("", "owner")?,
            Children {
                authors: authors
                    .into_iter()
                    .map(|(name, person, organisation)| Author {
                        name: Name::from_stored(name),
                        person_id: person.map(PersonId),
                        organisation: organisation.map(Name::from_stored),
                    })
                    .collect(),
                images: images
                    .into_iter()
                    .map(|(url, caption, alt, media)| Image {
                        media_id: media.map(danvan_domain::MediaId),
                        url: url.map(Url::from_stored),
                        caption,
                        alt,
                    })
                    .collect(),
                cover: json(&text("cover")?)?,
                attachments: json(&text("attachments")?)?,
                related: json(&text("related")?)?,
                links,
            },
        );
    }
    // An article may come more than once (in the pages of several organisations), so the
    // attachments are copied, not moved out.
    for article in &mut articles {
        let found = children.get(&article.id.raw()).cloned().unwrap_or_default();
        let data = &mut article.data;
        let [
            tags,
            categories,
            organisations,
            admin_units,
            documents,
            campaigns,
            people,
        ] = found.links;
        data.authors = found.authors;
        data.images = found.images;
        data.cover_id = found.cover.first().map(|m| danvan_domain::MediaId(*m));
        data.attachment_ids = found
            .attachments
            .into_iter()
            .map(danvan_domain::MediaId)
            .collect();
        data.related_ids = ids(found.related);
        data.tag_ids = ids(tags);
        data.category_ids = ids(categories);
        data.organisation_ids = ids(organisations);
        data.admin_unit_ids = ids(admin_units);
        data.document_ids = ids(documents);
        data.campaign_ids = ids(campaigns);
        data.person_ids = ids(people);
    }
    Ok(articles)
}

/// Every article with one of these ids, with what is attached to them, in no particular order.
pub async fn get_many(
    db: &impl ConnectionTrait,
    ids: &[ArticleId],
) -> Result<Vec<Article>, StoreError> {
    let found = crud::many::<Res, _>(db, ids).await?;
    with_children(db, found).await
}

/// The articles with these ids, deleted or not, with what is attached to them: a sync's
/// page, where a deleted article is a tombstone. Ids without an article are left out.
pub async fn get_any_many(
    db: &impl ConnectionTrait,
    ids: &[ArticleId],
) -> Result<Vec<Article>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = article::Entity::find()
        .filter(article::Column::Id.is_in(raw(ids)))
        .all(db)
        .await?
        .into_iter()
        .map(Res::record)
        .collect::<Result<Vec<_>, _>>()?;
    with_children(db, found).await
}

/// The ids of the articles `filter` selects, in the order of their ids from the one after
/// `after`: a walk through a whole set that rows added or removed meanwhile do not
/// disturb.
pub async fn ids_after(
    db: &impl ConnectionTrait,
    filter: &ArticleFilter,
    after: ArticleId,
    limit: u64,
) -> Result<Vec<ArticleId>, StoreError> {
    let ids: Vec<i64> = select(filter)
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::Id.gt(after.raw()))
        .order_by_asc(article::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().map(ArticleId).collect())
}

/// The newest publication time the public can see at `now`: it moves when an article is
/// published and when a scheduled article's time comes, which writes nothing. With the
/// change log's end it tells whether anything public changed (an HTTP cache's validator).
pub async fn newest_public_time(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let newest: Option<Option<DateTime<Utc>>> = crud::live::<Res>(article::Entity::find())
        .select_only()
        .column_as(article::Column::PublishedAt.max(), "newest")
        .filter(article::Column::Status.eq(ArticleStatus::Published.code()))
        .filter(article::Column::PublishedAt.lte(now))
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.flatten())
}

/// The earliest publication time after `now` of a published article: when the public's
/// view next changes without a write (a scheduled article's time comes).
pub async fn next_scheduled_time(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let next: Option<Option<DateTime<Utc>>> = crud::live::<Res>(article::Entity::find())
        .select_only()
        .column_as(article::Column::PublishedAt.min(), "next")
        .filter(article::Column::Status.eq(ArticleStatus::Published.code()))
        .filter(article::Column::PublishedAt.gt(now))
        .into_tuple()
        .one(db)
        .await?;
    Ok(next.flatten())
}

/// The article with this id, if any, whatever its status.
pub async fn get(db: &impl ConnectionTrait, id: ArticleId) -> Result<Option<Article>, StoreError> {
    let Some(article) = crud::get::<Res, _>(db, id).await? else {
        return Ok(None);
    };
    Ok(with_children(db, vec![article]).await?.pop())
}

/// The article of a site with this slug, if any, whatever its status.
pub async fn by_slug(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    slug: &Slug,
) -> Result<Option<Article>, StoreError> {
    let select = article::Entity::find().filter(article::Column::Slug.eq(slug.as_str()));
    first_of_site(db, site_id, select).await
}

/// The oldest article of a site that `select` finds, with what is attached to it.
async fn first_of_site(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    select: sea_orm::Select<article::Entity>,
) -> Result<Option<Article>, StoreError> {
    let select = select
        .filter(article::Column::SiteId.eq(site_id.raw()))
        .order_by_asc(article::Column::Id);
    let Some(article) = crud::one::<Res, _>(db, select).await? else {
        return Ok(None);
    };
    Ok(with_children(db, vec![article]).await?.pop())
}

/// A slug for a new article of a site: `base` when it is free there, else `base-2`,
/// `base-3` … (slugs are unique per site, and two articles may share a title).
///
/// The candidates are looked up by their exact value, a few at a time, in the unique index
/// of `(site_id, slug)`. A prefix match (`LIKE 'base-%'`) used no index on either database
/// (SQLite's `LIKE` ignores case, PostgreSQL's index follows the collation), so every new
/// article read all of its site's slugs: the importer slowed as the site grew.
pub async fn unique_slug(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    base: &Slug,
) -> Result<Slug, StoreError> {
    crud::free_slug(base, |candidates| async move {
        Ok(article::Entity::find()
            .select_only()
            .column(article::Column::Slug)
            .filter(article::Column::SiteId.eq(site_id.raw()))
            .filter(article::Column::Slug.is_in(candidates))
            .into_tuple()
            .all(db)
            .await?)
    })
    .await
}

/// The article of a site imported from a page with this fingerprint, if any.
pub async fn by_fingerprint(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    fingerprint: &str,
) -> Result<Option<Article>, StoreError> {
    let select = article::Entity::find().filter(article::Column::Fingerprint.eq(fingerprint));
    first_of_site(db, site_id, select).await
}

/// The article of a site at this address (a saved page's canonical link): the same page,
/// whatever changed on it since.
pub async fn by_canonical_url(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    url: &Url,
) -> Result<Option<Article>, StoreError> {
    let select = article::Entity::find().filter(article::Column::CanonicalUrl.eq(url.to_string()));
    first_of_site(db, site_id, select).await
}

/// The article of a site with this title and publication time: the page it was imported
/// from, changed since (its fingerprint no longer matches).
pub async fn same_page(
    db: &impl ConnectionTrait,
    site_id: SiteId,
    title: &Title,
    published_at: Option<DateTime<Utc>>,
) -> Result<Option<Article>, StoreError> {
    let select = article::Entity::find().filter(article::Column::Title.eq(title.as_str()));
    let select = match published_at {
        Some(at) => select.filter(article::Column::PublishedAt.eq(at)),
        None => select.filter(article::Column::PublishedAt.is_null()),
    };
    first_of_site(db, site_id, select).await
}

/// Deletes an article softly: hidden from every read (and from search) until restored;
/// `Conflict` if `expected` is not its current version.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: ArticleId,
    expected: Option<i64>,
) -> Result<Article, StoreError> {
    let txn = crate::begin_write(db).await?;
    crud::soft_delete::<Res, _>(&txn, id, expected).await?;
    let article = reread(&txn, id).await?;
    log(&txn, &article, Action::Deleted).await?;
    txn.commit().await?;
    Ok(article)
}

/// Brings a deleted article back, with everything attached to it.
pub async fn restore<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: ArticleId,
) -> Result<Article, StoreError> {
    let txn = crate::begin_write(db).await?;
    crud::restore::<Res, _>(&txn, id).await?;
    let article = reread(&txn, id).await?;
    log(&txn, &article, Action::Restored).await?;
    txn.commit().await?;
    Ok(article)
}

/// The article with this id, deleted or not, with what is attached to it.
pub async fn get_any(
    db: &impl ConnectionTrait,
    id: ArticleId,
) -> Result<Option<Article>, StoreError> {
    let Some(found) = crud::get_any::<Res, _>(db, id).await? else {
        return Ok(None);
    };
    Ok(with_children(db, vec![found]).await?.pop())
}

/// Which articles to list.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Of this site.
    pub site_id: Option<SiteId>,
    /// With this status.
    pub status: Option<ArticleStatus>,
    /// Only what the public may read at this time: published, and its time has come.
    pub public_at: Option<DateTime<Utc>>,
    /// Concerning one of these organisations.
    pub organisations: Option<OrganisationScope>,
    /// With this tag.
    pub tag_id: Option<TagId>,
    /// Reporting this meeting.
    pub meeting_id: Option<MeetingId>,
    /// Published at or after this time.
    pub published_from: Option<DateTime<Utc>>,
    /// Published before this time.
    pub published_before: Option<DateTime<Utc>>,
    /// In this category.
    pub category_id: Option<CategoryId>,
    /// Reporting on this campaign.
    pub campaign_id: Option<CampaignId>,
    /// Concerning one of these administrative units.
    pub admin_units: Option<Vec<AdminUnitId>>,
    /// Reporting a meeting of this kind.
    pub meeting_kind: Option<MeetingKind>,
    /// Mentioning this person.
    pub person_id: Option<PersonId>,
    /// Written through the API by this account.
    pub created_by: Option<danvan_domain::AccountId>,
    /// Only articles scheduled after this time: published, their time still to come.
    pub embargoed_at: Option<DateTime<Utc>>,
}

/// The order of a list of articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArticleOrder {
    /// Newest publication first; articles without a publication time are left out.
    #[default]
    NewestPublished,
    /// Newest created first, whatever the status.
    NewestCreated,
    /// Most viewed first.
    MostViewed,
    /// By title, in Vietnamese alphabetical order.
    Title,
}

/// The rows a filter selects.
fn select(filter: &ArticleFilter) -> Select<article::Entity> {
    let mut select = crud::live::<Res>(article::Entity::find());
    if let Some(site) = filter.site_id {
        select = select.filter(article::Column::SiteId.eq(site.raw()));
    }
    if let Some(status) = filter.status {
        select = select.filter(article::Column::Status.eq(status.code()));
    }
    if let Some(now) = filter.public_at {
        select = select
            .filter(article::Column::Status.eq(ArticleStatus::Published.code()))
            .filter(article::Column::PublishedAt.lte(now));
    }
    if let Some(now) = filter.embargoed_at {
        select = select
            .filter(article::Column::Status.eq(ArticleStatus::Published.code()))
            .filter(article::Column::PublishedAt.gt(now));
    }
    if let Some(account) = filter.created_by {
        select = select.filter(article::Column::CreatedBy.eq(account.raw()));
    }
    if let Some(scope) = &filter.organisations {
        select = select.filter(
            Expr::col(article::Column::Id).in_subquery(ORGANISATIONS.owners_of_any(scope.raw())),
        );
    }
    if let Some(id) = filter.tag_id {
        select = select.filter(TAGS.links("article", id.raw()));
    }
    if let Some(id) = filter.meeting_id {
        select = select.filter(article::Column::MeetingId.eq(id.raw()));
    }
    if let Some(from) = filter.published_from {
        select = select.filter(article::Column::PublishedAt.gte(from));
    }
    if let Some(before) = filter.published_before {
        select = select.filter(article::Column::PublishedAt.lt(before));
    }
    if let Some(id) = filter.category_id {
        select = select.filter(CATEGORIES.links("article", id.raw()));
    }
    if let Some(id) = filter.campaign_id {
        select = select.filter(CAMPAIGNS.links("article", id.raw()));
    }
    if let Some(units) = &filter.admin_units {
        let units = units.iter().map(|u| u.raw()).collect();
        select = select
            .filter(Expr::col(article::Column::Id).in_subquery(ADMIN_UNITS.owners_of_any(units)));
    }
    if let Some(id) = filter.person_id {
        select =
            select.filter(Expr::col(article::Column::Id).in_subquery(PEOPLE.owners_of(id.raw())));
    }
    if let Some(kind) = filter.meeting_kind {
        use sea_orm::sea_query::Query;
        let meetings = Query::select()
            .column(meeting::Column::Id)
            .from(meeting::Entity)
            .and_where(Expr::col(meeting::Column::Kind).eq(kind.code()))
            .to_owned();
        select = select.filter(Expr::col(article::Column::MeetingId).in_subquery(meetings));
    }
    select
}

/// The ids of the articles a filter selects, as a subquery: for a search limited by a
/// list's filters.
pub(crate) fn ids_selected(filter: &ArticleFilter) -> sea_orm::sea_query::SelectStatement {
    select(filter)
        .select_only()
        .column(article::Column::Id)
        .into_query()
}

/// A page of articles.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ArticleFilter,
    order: ArticleOrder,
    page: &PageRequest,
) -> Result<Page<Article>, StoreError> {
    let mut select = select(filter);
    let page = match order {
        ArticleOrder::NewestPublished => match concerning_only(filter) {
            Some((scope, now)) => listed_concerning(db, scope, now, page).await?,
            None => {
                select = select.filter(article::Column::PublishedAt.is_not_null());
                keyset::fetch(db, select, &newest_published(), page, newest_published_key).await?
            }
        },
        ArticleOrder::NewestCreated => {
            let key = SortKey {
                list: "article.newest-created",
                parts: vec![Part::Int(article::Column::Id)],
                descending: true,
            };
            keyset::fetch(db, select, &key, page, |a| vec![a.id.into()]).await?
        }
        ArticleOrder::MostViewed => {
            let key = SortKey {
                list: "article.most-viewed",
                parts: vec![
                    Part::Int(article::Column::ViewCount),
                    Part::Int(article::Column::Id),
                ],
                descending: true,
            };
            keyset::fetch(db, select, &key, page, |a| {
                vec![a.view_count.into(), a.id.into()]
            })
            .await?
        }
        ArticleOrder::Title => {
            let key = SortKey {
                list: "article.title",
                parts: vec![
                    Part::Text(article::Column::TitleKey),
                    Part::Int(article::Column::Id),
                ],
                descending: false,
            };
            keyset::fetch(db, select, &key, page, |a| {
                vec![a.title_key.clone().into(), a.id.into()]
            })
            .await?
        }
    };
    let mut page = page.try_map(Res::record)?;
    let items = with_children(db, std::mem::take(&mut page.items)).await?;
    Ok(page.with_items(items))
}

/// The organisations and the time of a filter that asks for nothing but the public
/// articles concerning some organisations: an organisation's page, which the link table
/// answers alone.
fn concerning_only(filter: &ArticleFilter) -> Option<(&OrganisationScope, DateTime<Utc>)> {
    // Every field named, so that a new one is considered here.
    let ArticleFilter {
        site_id: None,
        status: None,
        public_at: Some(now),
        organisations: Some(scope),
        tag_id: None,
        meeting_id: None,
        published_from: None,
        published_before: None,
        category_id: None,
        campaign_id: None,
        admin_units: None,
        meeting_kind: None,
        person_id: None,
        created_by: None,
        embargoed_at: None,
    } = filter
    else {
        return None;
    };
    Some((scope, *now))
}

/// The links of public articles concerning `scope` at `now`, one row an article (an article
/// may concern several organisations of a subtree). `listed_at` is set only while an article
/// is published and not deleted, so the index of `(organisation_id, listed_at, article_id)`
/// answers alone, however many articles the organisation has.
fn listed_links(
    scope: &OrganisationScope,
    now: DateTime<Utc>,
) -> Select<article_organisation::Entity> {
    let ids = scope.raw();
    let several = ids.len() > 1;
    let select = article_organisation::Entity::find()
        .filter(article_organisation::Column::OrganisationId.is_in(ids))
        .filter(article_organisation::Column::ListedAt.lte(stored_time(now)));
    if several {
        select
            .group_by(article_organisation::Column::ListedAt)
            .group_by(article_organisation::Column::ArticleId)
    } else {
        select
    }
}

/// A page of the public articles concerning `scope`, newest published first, its order and
/// its cursors those of [`newest_published`] (a cursor of either continues in the other):
/// the page's ids from one range of the link table's index, then only their rows.
async fn listed_concerning(
    db: &impl ConnectionTrait,
    scope: &OrganisationScope,
    now: DateTime<Utc>,
    page: &PageRequest,
) -> Result<Page<article::Model>, StoreError> {
    use sea_orm::{QuerySelect, QueryTrait};
    let key = SortKey {
        list: newest_published().list,
        parts: vec![
            Part::Time(article_organisation::Column::ListedAt),
            Part::Int(article_organisation::Column::ArticleId),
        ],
        descending: true,
    };
    let reading = keyset::Reading::of(&key, page)?;
    let mut links = listed_links(scope, now);
    if let Some(beyond) = reading.beyond.clone() {
        links = links.filter(beyond);
    }
    let mut ids = key
        .ordered(links, reading.forward)
        .select_only()
        .column(article_organisation::Column::ArticleId)
        .limit(reading.limit);
    if reading.offset > 0 {
        ids = ids.offset(reading.offset);
    }
    let rows = article::Entity::find()
        .filter(Expr::col((article::Entity, article::Column::Id)).in_subquery(ids.into_query()));
    let rows = newest_published()
        .ordered(rows, reading.forward)
        .all(db)
        .await?;
    Ok(reading.page(rows, key.list, newest_published_key))
}

/// Newest publication first; the key of `list` with [`ArticleOrder::NewestPublished`].
fn newest_published() -> SortKey<article::Column> {
    SortKey {
        list: "article.newest-published",
        parts: vec![
            Part::Time(article::Column::PublishedAt),
            Part::Int(article::Column::Id),
        ],
        descending: true,
    }
}

fn newest_published_key(a: &article::Model) -> Vec<Json> {
    vec![a.published_at.map_or(Json::Null, keyset::time), a.id.into()]
}

/// Turns pages of rows into pages of articles, attachments loaded for all pages at once.
async fn pages_of_articles<K: Key + Eq + std::hash::Hash>(
    db: &impl ConnectionTrait,
    pages: HashMap<i64, Page<article::Model>>,
) -> Result<HashMap<K, Page<Article>>, StoreError> {
    let (rows, shelved) = shelve(
        pages
            .into_iter()
            .map(|(parent, page)| (K::from_raw(parent), page)),
    );
    let records = rows
        .into_iter()
        .map(Res::record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(shelved.put_back(with_children(db, records).await?))
}

/// The newest public articles linked to each parent through `link`, `first` of each.
async fn newest_by_link<K: Key + Eq + std::hash::Hash>(
    db: &impl ConnectionTrait,
    link: Link,
    parents: Vec<i64>,
    first: u64,
    public_at: DateTime<Utc>,
) -> Result<HashMap<K, Page<Article>>, StoreError> {
    use sea_orm::QueryTrait;
    use sea_orm::sea_query::Alias;
    let filter = ArticleFilter {
        public_at: Some(public_at),
        ..ArticleFilter::default()
    };
    let table = || Alias::new(link.table);
    let mut query = select(&filter).into_query();
    query
        .inner_join(
            table(),
            Expr::col((table(), Alias::new(link.owner)))
                .equals((article::Entity, article::Column::Id)),
        )
        .and_where(Expr::col((table(), Alias::new(link.other))).is_in(parents));
    let pages = keyset::first_per_parent::<article::Entity, _>(
        db,
        query,
        (link.table, link.other),
        &newest_published(),
        first,
        newest_published_key,
    )
    .await?;
    pages_of_articles(db, pages).await
}

/// The newest public articles concerning each organisation, `first` of each, in one
/// statement however many organisations there are. Each page's cursors continue in
/// `list` with [`ArticleOrder::NewestPublished`].
pub async fn newest_by_organisation(
    db: &impl ConnectionTrait,
    organisations: &[OrganisationId],
    first: u64,
    public_at: DateTime<Utc>,
) -> Result<HashMap<OrganisationId, Page<Article>>, StoreError> {
    newest_by_link(db, ORGANISATIONS, raw(organisations), first, public_at).await
}

/// The newest public articles that mention each person, `first` of each, in one statement.
pub async fn newest_by_person(
    db: &impl ConnectionTrait,
    people: &[PersonId],
    first: u64,
    public_at: DateTime<Utc>,
) -> Result<HashMap<PersonId, Page<Article>>, StoreError> {
    newest_by_link(db, PEOPLE, raw(people), first, public_at).await
}

/// The newest public articles reporting each meeting, `first` of each, in one statement.
pub async fn newest_by_meeting(
    db: &impl ConnectionTrait,
    meetings: &[MeetingId],
    first: u64,
    public_at: DateTime<Utc>,
) -> Result<HashMap<MeetingId, Page<Article>>, StoreError> {
    use sea_orm::QueryTrait;
    let filter = ArticleFilter {
        public_at: Some(public_at),
        ..ArticleFilter::default()
    };
    let query = select(&filter)
        .filter(article::Column::MeetingId.is_in(meetings.iter().map(|m| m.raw())))
        .into_query();
    let pages = keyset::first_per_parent::<article::Entity, _>(
        db,
        query,
        ("article", "meeting_id"),
        &newest_published(),
        first,
        newest_published_key,
    )
    .await?;
    pages_of_articles(db, pages).await
}

/// The most articles a list counts: a site's or a tag's list at a million articles stops
/// counting there, and says "at least" (a portal's pager shows the first 500 pages of 20).
pub const COUNT_BOUND: u64 = 10_000;

/// How many articles a filter selects (articles without a publication time included), up
/// to [`COUNT_BOUND`].
pub async fn count(db: &impl ConnectionTrait, filter: &ArticleFilter) -> Result<Total, StoreError> {
    count_within(db, filter, COUNT_BOUND).await
}

/// How many articles a filter selects, up to `bound`.
pub async fn count_within(
    db: &impl ConnectionTrait,
    filter: &ArticleFilter,
    bound: u64,
) -> Result<Total, StoreError> {
    match concerning_only(filter) {
        Some((scope, now)) => keyset::count_up_to(db, listed_links(scope, now), bound).await,
        None => keyset::count_up_to(db, select(filter), bound).await,
    }
}

/// One line of a sitemap: what an article's address is made of, and its last change.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapEntry {
    /// The article.
    pub id: ArticleId,
    /// Its slug within its site.
    pub slug: Slug,
    /// The page it was copied from, if any.
    pub canonical_url: Option<Url>,
    /// Its last change.
    pub updated_at: DateTime<Utc>,
}

/// The articles `filter` selects in the order of their ids, `limit` of them from `offset`:
/// a page of a sitemap, read without anything attached.
pub async fn sitemap_entries(
    db: &impl ConnectionTrait,
    filter: &ArticleFilter,
    offset: u64,
    limit: u64,
) -> Result<Vec<SitemapEntry>, StoreError> {
    let rows: Vec<(i64, String, Option<String>, DateTime<Utc>)> = select(filter)
        .select_only()
        .column(article::Column::Id)
        .column(article::Column::Slug)
        .column(article::Column::CanonicalUrl)
        .column(article::Column::UpdatedAt)
        .order_by_asc(article::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, canonical_url, updated_at)| SitemapEntry {
            id: ArticleId(id),
            slug: Slug::from_stored(slug),
            canonical_url: canonical_url.map(Url::from_stored),
            updated_at,
        })
        .collect())
}

/// How many articles `filter` selects, and the most characters of a copied page's address
/// among them: what a sitemap's pages are planned from.
pub async fn sitemap_extent(
    db: &impl ConnectionTrait,
    filter: &ArticleFilter,
) -> Result<(u64, u64), StoreError> {
    let row: Option<(i64, i64)> = select(filter)
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(COALESCE(MAX(LENGTH(canonical_url)), 0) AS BIGINT)"),
            "longest",
        )
        .into_tuple()
        .one(db)
        .await?;
    let (count, longest) = row.unwrap_or_default();
    Ok((
        u64::try_from(count).unwrap_or_default(),
        u64::try_from(longest).unwrap_or_default(),
    ))
}

/// Adds readers' views to public articles' counts, many articles in one statement; an
/// article that is no longer public gets none. The count is not an edit: the version, the
/// change time and the change log stay as they are. Gives back how many articles changed.
pub async fn add_views(
    db: &impl ConnectionTrait,
    counts: &[(ArticleId, i64)],
) -> Result<u64, StoreError> {
    use sea_orm::sea_query::CaseStatement;
    let mut changed = 0;
    // Two values an article: 400 articles stay well under SQLite's bound parameters.
    for chunk in counts.chunks(400) {
        let mut added = CaseStatement::new();
        for (id, views) in chunk {
            added = added.case(article::Column::Id.eq(id.raw()), *views);
        }
        let added = added.finally(0);
        let done = article::Entity::update_many()
            .col_expr(
                article::Column::ViewCount,
                Expr::col(article::Column::ViewCount).add(Expr::Case(Box::new(added))),
            )
            .filter(article::Column::Id.is_in(chunk.iter().map(|(id, _)| id.raw())))
            .filter(article::Column::Status.eq(ArticleStatus::Published.code()))
            .filter(article::Column::DeletedAt.is_null())
            .exec(db)
            .await?;
        changed += done.rows_affected;
    }
    Ok(changed)
}

/// The articles that use a media item, as far as whether it may be public depends on them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MediaUses {
    /// How many articles use it, deleted ones included (they may be restored).
    pub articles: u64,
    /// Whether one of them is public at the time asked: published, its time come, not
    /// deleted.
    pub public: bool,
}

/// The articles that use `media` (as cover, photo or attachment), deleted or not.
pub(crate) fn using(media: danvan_domain::MediaId) -> sea_orm::sea_query::SimpleExpr {
    article::Column::Id.in_subquery(
        sea_orm::sea_query::Query::select()
            .column(article_media::Column::ArticleId)
            .from(article_media::Entity)
            .and_where(article_media::Column::MediaId.eq(media.0))
            .to_owned(),
    )
}

/// How the articles using `media` stand at `now`.
pub async fn media_uses(
    db: &impl ConnectionTrait,
    media: danvan_domain::MediaId,
    now: DateTime<Utc>,
) -> Result<MediaUses, StoreError> {
    // Status, publication time, deletion time of each article using it.
    type Standing = (String, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
    let rows: Vec<Standing> = article::Entity::find()
        .select_only()
        .column(article::Column::Status)
        .column(article::Column::PublishedAt)
        .column(article::Column::DeletedAt)
        .filter(using(media))
        .into_tuple()
        .all(db)
        .await?;
    Ok(MediaUses {
        articles: rows.len() as u64,
        public: rows.iter().any(|(status, published_at, deleted_at)| {
            status == ArticleStatus::Published.code()
                && published_at.is_some_and(|at| at <= now)
                && deleted_at.is_none()
        }),
    })
}

/// The library photos of each of these articles: its cover, then its images', each once.
pub async fn photos_of(
    db: &impl ConnectionTrait,
    articles: &[ArticleId],
) -> Result<HashMap<ArticleId, Vec<danvan_domain::MediaId>>, StoreError> {
    if articles.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String, i32, i64)> = article_media::Entity::find()
        .select_only()
        .column(article_media::Column::ArticleId)
        .column(article_media::Column::Role)
        .column(article_media::Column::Position)
        .column(article_media::Column::MediaId)
        .filter(article_media::Column::ArticleId.is_in(raw(articles)))
        .filter(article_media::Column::Role.is_in([MediaUse::Cover.code(), MediaUse::Image.code()]))
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = rows;
    // The cover first, then the images in their order.
    rows.sort_by_key(|(article, role, position, _)| {
        (*article, role != MediaUse::Cover.code(), *position)
    });
    let mut photos: HashMap<ArticleId, Vec<danvan_domain::MediaId>> = HashMap::new();
    for (article, _, _, media) in rows {
        let list = photos.entry(ArticleId(article)).or_default();
        let media = danvan_domain::MediaId(media);
        if !list.contains(&media) {
            list.push(media);
        }
    }
    Ok(photos)
}

/// The pictures of a site's articles that are still only addresses elsewhere (no library
/// photo), after article `after`, the first `limit` articles' worth: each article with its
/// addresses, in order.
pub async fn pictures_to_fetch(
    db: &impl ConnectionTrait,
    site: SiteId,
    after: ArticleId,
    limit: u64,
) -> Result<Vec<(ArticleId, Vec<String>)>, StoreError> {
    let owners: Vec<i64> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::SiteId.eq(site.raw()))
        .filter(article::Column::DeletedAt.is_null())
        .filter(article::Column::Id.gt(after.raw()))
        .filter(
            article::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(article_image::Column::ArticleId)
                    .from(article_image::Entity)
                    .and_where(article_image::Column::MediaId.is_null())
                    .and_where(article_image::Column::Url.is_not_null())
                    .to_owned(),
            ),
        )
        .order_by_asc(article::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let rows: Vec<(i64, String)> = article_image::Entity::find()
        .select_only()
        .column(article_image::Column::ArticleId)
        .column(article_image::Column::Url)
        .filter(article_image::Column::ArticleId.is_in(owners.clone()))
        .filter(article_image::Column::MediaId.is_null())
        .filter(article_image::Column::Url.is_not_null())
        .order_by_asc(article_image::Column::ArticleId)
        .order_by_asc(article_image::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let mut found: Vec<(ArticleId, Vec<String>)> = Vec::new();
    for (article, url) in rows {
        match found.last_mut() {
            Some((id, urls)) if id.raw() == article => urls.push(url),
            _ => found.push((ArticleId(article), vec![url])),
        }
    }
    Ok(found)
}
