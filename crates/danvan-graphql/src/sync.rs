//! `changes`: the offline sync of a site, as the JSON API's `/sync` gives it (see
//! `danvan_service::sync`).

use crate::article::Article;
use crate::context::db;
use crate::{ApiError, id};
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use danvan_service::reading;
use danvan_service::sync::{GoneReason, Retention};

/// Why an article left the public's view.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum TombstoneReason {
    /// Deleted.
    Deleted,
    /// Taken back to a draft or to review.
    Unpublished,
    /// Archived.
    Archived,
    /// Published for a later time, not yet come.
    Scheduled,
}

impl From<GoneReason> for TombstoneReason {
    fn from(reason: GoneReason) -> Self {
        match reason {
            GoneReason::Deleted => Self::Deleted,
            GoneReason::Unpublished => Self::Unpublished,
            GoneReason::Archived => Self::Archived,
            GoneReason::Scheduled => Self::Scheduled,
        }
    }
}

/// An article a client should remove from its copy.
#[derive(SimpleObject)]
pub struct Tombstone {
    /// Its global id.
    id: ID,
    /// Its slug.
    slug: String,
    /// When it left the public's view, in Vietnam time.
    at: DateTime<FixedOffset>,
    /// Why.
    reason: TombstoneReason,
}

/// One page of a sync.
#[derive(SimpleObject)]
pub struct Changes {
    /// Articles public now, to add or replace.
    articles: Vec<Article>,
    /// Articles to remove.
    tombstones: Vec<Tombstone>,
    /// The token to ask with next: the next page's while `hasMore`, else the next sync's.
    token: String,
    /// Whether this sync has more pages.
    has_more: bool,
}

/// The sync query.
#[derive(Default)]
pub struct SyncQuery;

#[Object]
impl SyncQuery {
    /// What changed in a site since a token: without `since`, every public article; with
    /// the `token` of an earlier answer, the articles created or changed since (and
    /// scheduled ones whose time came) and a tombstone for each that left the public's
    /// view. Ask again with the answer's `token` while `hasMore`; keep the last token for
    /// the next sync. A token older than the change log keeps is `GONE`: start again
    /// without one.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site's slug.")] site: String,
        #[graphql(desc = "The token of the last answer.")] since: Option<String>,
        #[graphql(desc = "Items a page holds, 1 to 500.", default = 100)] first: i32,
    ) -> Result<Changes> {
        let db = db(ctx)?;
        let site_id = reading::site_id(db, &site).await.map_err(ApiError::from)?;
        let retention = ctx.data::<Retention>().copied().unwrap_or_default();
        let limit = u64::try_from(first).unwrap_or(1);
        let page =
            danvan_service::sync::sync(db, site_id, since.as_deref(), limit, retention, Utc::now())
                .await
                .map_err(ApiError::from)?;
        crate::article::prefetch(ctx, &page.articles).await?;
        Ok(Changes {
            articles: page.articles.into_iter().map(Article).collect(),
            tombstones: page
                .tombstones
                .into_iter()
                .map(|t| Tombstone {
                    id: id::encode(id::ARTICLE, t.id.0),
                    slug: t.slug,
                    at: danvan_text::time::to_vietnam(t.at),
                    reason: t.reason.into(),
                })
                .collect(),
            token: page.token,
            has_more: page.has_more,
        })
    }
}
