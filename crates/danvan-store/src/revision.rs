//! Article revisions: an article as it was before a change, kept in the transaction of the
//! change, numbered per article, with who made the change and which fields it replaced.
//! A revision can be restored: its content comes back as a new change, so nothing is lost
//! by restoring either.

use crate::StoreError;
use crate::article::Article;
use crate::crud::{Key, now};
use crate::entities::article_revision;
use chrono::{DateTime, Utc};
use danvan_domain::article::{ArticleData, Author, Image};
use danvan_domain::{ArticleId, Body, DomainError, Name, PersonId, Slug, Title, Url};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

/// Who changes an article, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change<'a> {
    /// Why: "import", "update", "restore revision 3", "publish".
    pub reason: &'a str,
    /// Who: "account:3"; `None` for the command line.
    pub actor: Option<&'a str>,
}

/// A kept revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRevision {
    /// The article.
    pub article_id: ArticleId,
    /// 1 for the first revision kept of the article, then 2, 3 …
    pub number: i32,
    /// When it was kept, which is when the change was made.
    pub created_at: DateTime<Utc>,
    /// Why the change was made.
    pub reason: String,
    /// Who made the change, when known.
    pub actor: Option<String>,
    /// The fields the change replaced, in the API's names.
    pub changed: Vec<String>,
    /// The article as it was before the change.
    pub snapshot: Value,
}

fn ids<T: Key>(list: &[T]) -> Value {
    list.iter().map(|id| id.raw()).collect()
}

/// The article's fields as JSON, in the API's names: everything a restore brings back, and
/// the workflow fields for the record.
pub fn snapshot(data: &ArticleData) -> Value {
    json!({
        "slug": data.slug.as_str(),
        "title": data.title.as_str(),
        "lead": data.lead.as_str(),
        "body": data.body.as_str(),
        "bodyFormat": data.body_format.code(),
        "status": data.status.code(),
        "publishedAt": data.published_at.map(|t| t.to_rfc3339()),
        "publishAt": data.publish_at.map(|t| t.to_rfc3339()),
        "viewCount": data.view_count,
        "authors": data.authors.iter().map(|a| json!({
            "name": a.name.as_str(),
            "personId": a.person_id.map(|p| p.0),
            "organisation": a.organisation.as_ref().map(|o| o.as_str()),
        })).collect::<Vec<_>>(),
        "source": data.source.as_ref().map(|s| s.name.as_str()),
        "cover": data.cover_id.map(|m| m.0),
        "attachments": ids(&data.attachment_ids),
        "images": data.images.iter().map(|i| json!({
            "media": i.media_id.map(|m| m.0),
            "url": i.url.as_ref().map(|u| u.as_str()),
            "caption": i.caption,
            "alt": i.alt,
        })).collect::<Vec<_>>(),
        "canonicalUrl": data.canonical_url.as_ref().map(|u| u.as_str()),
        "tags": ids(&data.tag_ids),
        "categories": ids(&data.category_ids),
        "related": ids(&data.related_ids),
        "organisations": ids(&data.organisation_ids),
        "adminUnits": ids(&data.admin_unit_ids),
        "documents": ids(&data.document_ids),
        "campaigns": ids(&data.campaign_ids),
        "people": ids(&data.person_ids),
        "meeting": data.meeting_id.map(|m| m.0),
        "fingerprint": data.fingerprint,
    })
}

/// The names of the fields whose values differ between two snapshots.
fn changed(before: &Value, after: &Value) -> Vec<String> {
    let (Some(before), Some(after)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    after
        .iter()
        .filter(|(key, value)| before.get(*key) != Some(*value))
        .map(|(key, _)| key.clone())
        .collect()
}

/// Keeps `before` as the article's next revision, noting which fields `after` replaces.
pub async fn keep(
    db: &impl ConnectionTrait,
    before: &Article,
    after: &ArticleData,
    change: Change<'_>,
) -> Result<ArticleRevision, StoreError> {
    let last = article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(before.id.raw()))
        .order_by_desc(article_revision::Column::Number)
        .one(db)
        .await?;
    let number = last.map_or(1, |r| r.number + 1);
    let at = now();
    let snapshot = snapshot(&before.data);
    let changed = changed(&snapshot, &self::snapshot(after));
    let row = article_revision::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        article_id: Set(before.id.raw()),
        number: Set(number),
        reason: Set(change.reason.to_owned()),
        actor: Set(change.actor.map(str::to_owned)),
        snapshot: Set(snapshot.to_string()),
        changed: Set(Some(Value::from(changed.clone()).to_string())),
    }
    .insert(db)
    .await?;
    Ok(ArticleRevision {
        article_id: before.id,
        number,
        created_at: row.created_at,
        reason: row.reason,
        actor: row.actor,
        changed,
        snapshot,
    })
}

fn corrupt(detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: "article revision",
        detail: detail.to_string(),
    }
}

fn revision(
    article_id: ArticleId,
    row: article_revision::Model,
) -> Result<ArticleRevision, StoreError> {
    Ok(ArticleRevision {
        article_id,
        number: row.number,
        created_at: row.created_at,
        reason: row.reason,
        actor: row.actor,
        changed: match row.changed {
            Some(text) => serde_json::from_str(&text).map_err(corrupt)?,
            None => Vec::new(),
        },
        snapshot: serde_json::from_str(&row.snapshot).map_err(corrupt)?,
    })
}

/// The revisions kept of an article, the newest first.
pub async fn of_article(
    db: &impl ConnectionTrait,
    article_id: ArticleId,
) -> Result<Vec<ArticleRevision>, StoreError> {
    article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(article_id.raw()))
        .order_by_desc(article_revision::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(|row| revision(article_id, row))
        .collect()
}

/// One revision of an article.
pub async fn get(
    db: &impl ConnectionTrait,
    article_id: ArticleId,
    number: i32,
) -> Result<Option<ArticleRevision>, StoreError> {
    article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(article_id.raw()))
        .filter(article_revision::Column::Number.eq(number))
        .one(db)
        .await?
        .map(|row| revision(article_id, row))
        .transpose()
}

/// `current` with the content of a revision put back: headline, slug, lead, body, byline,
/// images and links. The workflow (status, publication time) and counters stay as they
/// are now: restoring old wording does not unpublish an article. Fields a revision does
/// not hold (it was kept before they existed) keep their current value.
pub fn restored(snapshot: &Value, current: &ArticleData) -> Result<ArticleData, StoreError> {
    fn text<'a>(snapshot: &'a Value, key: &str) -> Option<&'a str> {
        snapshot.get(key).and_then(Value::as_str)
    }
    fn list<T>(snapshot: &Value, key: &str, current: &[T], make: fn(i64) -> T) -> Vec<T>
    where
        T: Clone,
    {
        match snapshot.get(key).and_then(Value::as_array) {
            Some(items) => items.iter().filter_map(Value::as_i64).map(make).collect(),
            None => current.to_vec(),
        }
    }
    let check = |e: DomainError| corrupt(e);
    let mut data = current.clone();
    if let Some(title) = text(snapshot, "title") {
        data.title = Title::parse(title).map_err(check)?;
    }
    if let Some(slug) = text(snapshot, "slug") {
        data.slug = Slug::parse(slug).map_err(check)?;
    }
    if let Some(lead) = text(snapshot, "lead") {
        data.lead = Body::parse(lead).map_err(check)?;
    }
    if let Some(body) = text(snapshot, "body") {
        data.body = Body::parse(body).map_err(check)?;
        data.body_format = match text(snapshot, "bodyFormat") {
            Some(code) => danvan_domain::html::BodyFormat::from_code(code).map_err(check)?,
            None => danvan_domain::html::BodyFormat::Text,
        };
    }
    if let Some(authors) = snapshot.get("authors").and_then(Value::as_array) {
        data.authors = authors
            .iter()
            .map(|a| {
                Ok(Author {
                    name: Name::parse(text(a, "name").unwrap_or_default()).map_err(check)?,
                    person_id: a.get("personId").and_then(Value::as_i64).map(PersonId),
                    organisation: text(a, "organisation")
                        .map(Name::parse)
                        .transpose()
                        .map_err(check)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
    }
    if let Some(images) = snapshot.get("images").and_then(Value::as_array) {
        data.images = images
            .iter()
            .map(|i| {
                Ok(Image {
                    media_id: i
                        .get("media")
                        .and_then(Value::as_i64)
                        .map(danvan_domain::MediaId),
                    url: text(i, "url").map(Url::parse).transpose().map_err(check)?,
                    caption: text(i, "caption").map(str::to_owned),
                    alt: text(i, "alt").map(str::to_owned),
                })
            })
            .collect::<Result<_, StoreError>>()?;
    }
    if let Some(cover) = snapshot.get("cover") {
        data.cover_id = cover.as_i64().map(danvan_domain::MediaId);
    }
    data.attachment_ids = list(
        snapshot,
        "attachments",
        &current.attachment_ids,
        danvan_domain::MediaId,
    );
    data.tag_ids = list(snapshot, "tags", &current.tag_ids, danvan_domain::TagId);
    data.category_ids = list(
        snapshot,
        "categories",
        &current.category_ids,
        danvan_domain::CategoryId,
    );
    data.related_ids = list(snapshot, "related", &current.related_ids, ArticleId);
    data.organisation_ids = list(
        snapshot,
        "organisations",
        &current.organisation_ids,
        danvan_domain::OrganisationId,
    );
    data.admin_unit_ids = list(
        snapshot,
        "adminUnits",
        &current.admin_unit_ids,
        danvan_domain::AdminUnitId,
    );
    data.document_ids = list(
        snapshot,
        "documents",
        &current.document_ids,
        danvan_domain::DocumentId,
    );
    data.campaign_ids = list(
        snapshot,
        "campaigns",
        &current.campaign_ids,
        danvan_domain::CampaignId,
    );
    data.person_ids = list(snapshot, "people", &current.person_ids, PersonId);
    Ok(data)
}
