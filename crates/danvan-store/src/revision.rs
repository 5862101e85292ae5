//! Article revisions: an article as it was before a change, kept in the transaction of the
//! change, numbered per article.

use crate::StoreError;
use crate::article::Article;
use crate::crud::{Key, now};
use crate::entities::article_revision;
use chrono::{DateTime, Utc};
use danvan_domain::ArticleId;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

/// A kept revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRevision {
    /// The article.
    pub article_id: ArticleId,
    /// 1 for the first revision kept of the article, then 2, 3 …
    pub number: i32,
    /// When it was kept.
    pub created_at: DateTime<Utc>,
    /// Why: "import" when a changed page replaced the article.
    pub reason: String,
    /// Who made the change, when known.
    pub actor: Option<String>,
    /// The article as it was.
    pub snapshot: Value,
}

/// The article's fields as JSON, as a reader and an editor see them.
fn snapshot(article: &Article) -> Value {
    let data = &article.data;
    json!({
        "slug": data.slug.as_str(),
        "title": data.title.as_str(),
        "lead": data.lead.as_str(),
        "body": data.body.as_str(),
        "status": data.status.code(),
        "publishedAt": data.published_at.map(|t| t.to_rfc3339()),
        "viewCount": data.view_count,
        "authors": data.authors.iter().map(|a| json!({
            "name": a.name.as_str(),
            "organisation": a.organisation.as_ref().map(|o| o.as_str()),
        })).collect::<Vec<_>>(),
        "source": data.source.as_ref().map(|s| s.name.as_str()),
        "captions": data.images.iter().map(|i| i.caption.clone()).collect::<Vec<_>>(),
        "fingerprint": data.fingerprint,
        "updatedAt": article.updated_at.to_rfc3339(),
    })
}

/// Keeps the article as it is now as its next revision.
pub async fn keep(
    db: &impl ConnectionTrait,
    article: &Article,
    reason: &str,
    actor: Option<&str>,
) -> Result<ArticleRevision, StoreError> {
    let last = article_revision::Entity::find()
        .filter(article_revision::Column::ArticleId.eq(article.id.raw()))
        .order_by_desc(article_revision::Column::Number)
        .one(db)
        .await?;
    let number = last.map_or(1, |r| r.number + 1);
    let at = now();
    let snapshot = snapshot(article);
    let row = article_revision::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        article_id: Set(article.id.raw()),
        number: Set(number),
        reason: Set(reason.to_owned()),
        actor: Set(actor.map(str::to_owned)),
        snapshot: Set(snapshot.to_string()),
    }
    .insert(db)
    .await?;
    Ok(ArticleRevision {
        article_id: article.id,
        number,
        created_at: row.created_at,
        reason: row.reason,
        actor: row.actor,
        snapshot,
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
        .map(|row| {
            Ok(ArticleRevision {
                article_id,
                number: row.number,
                created_at: row.created_at,
                reason: row.reason,
                actor: row.actor,
                snapshot: serde_json::from_str(&row.snapshot).map_err(|e| StoreError::Corrupt {
                    what: "article revision",
                    detail: e.to_string(),
                })?,
            })
        })
        .collect()
}
