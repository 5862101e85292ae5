//! Readers' comments: anyone may post on a published article; a comment waits until an
//! editor of the article's site approves or rejects it; only approved ones are public.

use crate::ApiError;
use crate::comment::Comment;
use crate::connection::{List, Paging, list};
use crate::context::{authorize, caller, db};
use crate::enums::CommentStatus;
use crate::id;
use async_graphql::{Context, ID, Object, Result};
use chrono::Utc;
use danvan_auth::Action;
use danvan_domain::comment::CommentData;
use danvan_domain::{ArticleId, CommentBody, CommentId, Name};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many comments one client may post in a window of time. A sliding window per client
/// address, kept in memory: each server counts its own clients, which is enough to stop a
/// flood without shared state.
#[derive(Debug)]
pub struct CommentRate {
    max: usize,
    window: Duration,
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl CommentRate {
    /// At most `max` comments per client in `window`.
    pub fn new(max: usize, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a comment from `client`, or refuses it when the client has posted too many.
    fn admit(&self, client: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut seen = self.seen.lock().map_err(|_| ApiError::Internal)?;
        // Forget clients whose window has passed, so that the map does not grow forever.
        if seen.len() > 10_000 {
            seen.retain(|_, times| times.back().is_some_and(|t| now - *t < self.window));
        }
        let times = seen.entry(client.to_owned()).or_default();
        while times.front().is_some_and(|t| now - *t >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max {
            return Err(ApiError::LimitExceeded(format!(
                "at most {} comments in {} minutes; try again later",
                self.max,
                self.window.as_secs() / 60
            )));
        }
        times.push_back(now);
        Ok(())
    }
}

impl Default for CommentRate {
    fn default() -> Self {
        Self::new(5, Duration::from_secs(600))
    }
}

async fn comment_for_moderation(
    ctx: &Context<'_>,
    id: &ID,
) -> Result<danvan_store::comment::Comment, ApiError> {
    let db = db(ctx)?;
    let raw = CommentId(id::decode(id::COMMENT, id)?);
    let comment = danvan_store::comment::get(db, raw)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no comment {}", id.as_str())))?;
    let article = danvan_store::article::get_any(db, comment.data.article_id)
        .await?
        .ok_or(ApiError::Internal)?;
    authorize(ctx, Action::Moderate(article.data.site_id))?;
    Ok(comment)
}

/// The comment mutations.
#[derive(Default)]
pub struct ModerationMutation;

#[Object]
impl ModerationMutation {
    /// Posts a reader's comment on a published article. It is plain text of at most 500
    /// characters (counted as a reader counts them), waits for moderation, and is limited
    /// per client (`LIMIT_EXCEEDED` when a client posts too many).
    async fn post_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] article: ID,
        #[graphql(desc = "The name the reader gives.")] author_name: String,
        #[graphql(desc = "The comment: plain text, at most 500 characters.")] body: String,
    ) -> Result<Comment> {
        authorize(ctx, Action::PostComment)?;
        let db = db(ctx)?;
        let article_id = ArticleId(id::decode(id::ARTICLE, &article)?);
        let public = danvan_store::article::get(db, article_id)
            .await
            .map_err(ApiError::from)?
            .filter(|a| a.data.is_public_at(Utc::now()));
        if public.is_none() {
            return Err(ApiError::NotFound(format!("no article {}", article.as_str())).into());
        }
        let data = CommentData::new(
            article_id,
            Name::parse_field("authorName", &author_name).map_err(ApiError::from)?,
            CommentBody::parse(&body).map_err(ApiError::from)?,
        );
        // Counted after the checks: a refused comment does not use up the client's quota.
        if let Ok(rate) = ctx.data::<CommentRate>() {
            let client = caller(ctx).client.as_deref().unwrap_or("unknown");
            rate.admit(client)?;
        }
        let comment = danvan_store::comment::create(db, &data)
            .await
            .map_err(ApiError::from)?;
        Ok(Comment(comment))
    }

    /// Approves or rejects a comment (editors of the article's site). It can be changed
    /// again later.
    async fn moderate_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment.")] id: ID,
        #[graphql(desc = "`APPROVED` to show it, `REJECTED` to keep it hidden.")]
        status: CommentStatus,
    ) -> Result<Comment> {
        let comment = comment_for_moderation(ctx, &id).await?;
        let Some(account) = caller(ctx).principal.account() else {
            return Err(ApiError::Forbidden("only accounts moderate".into()).into());
        };
        let moderated =
            danvan_store::comment::moderate(db(ctx)?, comment.id, status.into(), account.id)
                .await
                .map_err(ApiError::from)?;
        Ok(Comment(moderated))
    }
}

/// The moderation queries.
#[derive(Default)]
pub struct ModerationQuery;

#[Object]
impl ModerationQuery {
    /// Comments on a site's articles in one status, oldest first: `PENDING` is the
    /// moderation queue (editors of the site).
    async fn site_comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug of the site.")] site: String,
        #[graphql(
            desc = "The status; `PENDING` by default.",
            default_with = "CommentStatus::Pending"
        )]
        status: CommentStatus,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
    ) -> Result<List<Comment>> {
        let db = db(ctx)?;
        let site_id = crate::query::site_id(db, &site).await?;
        authorize(ctx, Action::Moderate(site_id))?;
        let request = Paging::forward(first, after).request(ctx)?;
        let status = status.into();
        let page = danvan_store::comment::of_site(db, site_id, status, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::comment::count_of_site(&db, site_id, status).await },
            Comment,
        ))
    }
}
