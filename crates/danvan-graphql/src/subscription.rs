//! Subscriptions: what `danvan_service::live` tells, in the schema's types. Served over
//! WebSocket (the graphql-transport-ws protocol, see `crate::ws`), with the caller of the
//! connection and the limits of every operation.

use crate::article::Article;
use crate::comment::Comment;
use crate::context::caller;
use crate::enums::{ChangeAction, ChangeConcept};
use crate::{ApiError, id};
use async_graphql::{Context, ID, Result, SimpleObject, Subscription};
use chrono::{DateTime, FixedOffset};
use danvan_domain::{ArticleId, OrganisationId};
use danvan_service::live::{Events, Live};
use danvan_text::time::to_vietnam;
use futures::{Stream, StreamExt};

/// Every subscription.
#[derive(Default)]
pub struct Subscription;

/// A change of one article.
#[derive(SimpleObject)]
pub struct ArticleChanged {
    /// What happened.
    action: ChangeAction,
    /// When, in Vietnam time.
    at: DateTime<FixedOffset>,
    /// The article now; `null` once it is gone from the caller's view (unpublished,
    /// deleted).
    article: Option<Article>,
}

/// A row of a site's change log.
#[derive(SimpleObject)]
pub struct Change {
    /// Its place in the log: a sync token taken before it is older than this.
    seq: String,
    /// What kind of record changed.
    concept: ChangeConcept,
    /// The record's global id.
    id: ID,
    /// What happened.
    action: ChangeAction,
    /// When, in Vietnam time.
    at: DateTime<FixedOffset>,
}

impl From<danvan_store::change::Change> for Change {
    fn from(change: danvan_store::change::Change) -> Self {
        let kind = danvan_service::id::kind_of(change.concept);
        Self {
            seq: change.seq.to_string(),
            concept: change.concept.into(),
            id: id::encode(kind, change.record_id),
            action: change.action.into(),
            at: to_vietnam(change.at),
        }
    }
}

fn live<'a>(ctx: &Context<'a>) -> Result<&'a Live, ApiError> {
    ctx.data::<Live>().map_err(|_| {
        tracing::error!("a subscription ran without live updates");
        ApiError::Internal
    })
}

/// The events of `stream` in the schema's types, errors with their codes.
fn events<T: 'static, U>(
    stream: Events<T>,
    shape: impl Fn(T) -> U + Send + 'static,
) -> impl Stream<Item = Result<U>> + Send + 'static {
    stream.map(move |event| event.map(&shape).map_err(|e| ApiError::from(e).into()))
}

#[Subscription]
impl Subscription {
    /// Public articles as they are published, at once or when their scheduled time comes:
    /// of one site (its slug), or every site; concerning one organisation, or its whole
    /// subtree with `includeSubtree`.
    async fn article_published(
        &self,
        ctx: &Context<'_>,
        site: Option<String>,
        organisation: Option<ID>,
        #[graphql(default = false)] include_subtree: bool,
    ) -> Result<impl Stream<Item = Result<Article>> + use<>> {
        let organisation = organisation
            .map(|o| id::decode(id::ORGANISATION, &o).map(OrganisationId))
            .transpose()?;
        let stream = live(ctx)?
            .articles_published(site.as_deref(), organisation, include_subtree)
            .await
            .map_err(ApiError::from)?;
        Ok(events(stream, Article))
    }

    /// Each change of one article the caller may see: its edits, its publication, its
    /// withdrawal or deletion (then `article` is `null`).
    async fn article_changed(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<impl Stream<Item = Result<ArticleChanged>> + use<>> {
        let article = ArticleId(id::decode(id::ARTICLE, &id)?);
        let stream = live(ctx)?
            .article_changes(caller(ctx).clone(), article)
            .await
            .map_err(ApiError::from)?;
        Ok(events(stream, |change| ArticleChanged {
            action: change.action.into(),
            at: to_vietnam(change.at),
            article: change.article.map(Article),
        }))
    }

    /// Comments on one public article as a moderator approves them.
    async fn comment_approved(
        &self,
        ctx: &Context<'_>,
        article: ID,
    ) -> Result<impl Stream<Item = Result<Comment>> + use<>> {
        let article = ArticleId(id::decode(id::ARTICLE, &article)?);
        let stream = live(ctx)?
            .comments_approved(article)
            .await
            .map_err(ApiError::from)?;
        Ok(events(stream, Comment))
    }

    /// The change log of a site (its slug) as it grows, as far as the caller may see it: a
    /// client that keeps a copy of the site syncs (`changes`) when it hears of one.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        site: String,
    ) -> Result<impl Stream<Item = Result<Change>> + use<>> {
        let stream = live(ctx)?
            .changes(caller(ctx).clone(), &site)
            .await
            .map_err(ApiError::from)?;
        Ok(events(stream, Change::from))
    }
}
