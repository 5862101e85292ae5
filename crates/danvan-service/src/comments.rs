//! Readers' comments: anyone may post on a published article, within a rate per client; a
//! comment waits until an editor of the article's site approves or rejects it; only
//! approved ones are public.

use crate::id::{self, kind};
use crate::{Caller, ServiceError};
use chrono::Utc;
use danvan_auth::Action;
use danvan_domain::comment::{CommentData, CommentStatus};
use danvan_domain::{ArticleId, CommentBody, CommentId, Name, SiteId};
use danvan_store::DatabaseConnection;
use danvan_store::comment::Comment;
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
    fn admit(&self, client: &str) -> Result<(), ServiceError> {
        let now = Instant::now();
        let mut seen = self.seen.lock().map_err(|_| ServiceError::Internal)?;
        // Forget clients whose window has passed, so that the map does not grow forever.
        if seen.len() > 10_000 {
            seen.retain(|_, times| times.back().is_some_and(|t| now - *t < self.window));
        }
        let times = seen.entry(client.to_owned()).or_default();
        while times.front().is_some_and(|t| now - *t >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max {
            // The oldest comment in the window leaves it first.
            let wait = times.front().map_or(self.window, |oldest| {
                self.window.saturating_sub(now - *oldest)
            });
            let wait = wait.as_secs().max(1);
            return Err(ServiceError::RateLimited(
                format!(
                    "at most {} comments in {} minutes; try again in {wait} s",
                    self.max,
                    self.window.as_secs() / 60
                ),
                wait,
            ));
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

/// Posts a reader's comment on a published article: plain text of at most 500 characters,
/// waiting for moderation, and counted against the client's `rate` when there is one.
pub async fn post(
    db: &DatabaseConnection,
    caller: &Caller,
    rate: Option<&CommentRate>,
    article_id: ArticleId,
    author_name: &str,
    body: &str,
) -> Result<Comment, ServiceError> {
    caller.authorize(Action::PostComment)?;
    let public = danvan_store::article::get(db, article_id)
        .await?
        .filter(|a| a.data.is_public_at(Utc::now()));
    if public.is_none() {
        return Err(ServiceError::NotFound(format!(
            "no article {}",
            id::encode(kind::ARTICLE, article_id.0)
        )));
    }
    let data = CommentData::new(
        article_id,
        Name::parse_field("authorName", author_name)?,
        CommentBody::parse(body)?,
    );
    // Counted after the checks: a refused comment does not use up the client's quota.
    if let Some(rate) = rate {
        rate.admit(caller.client.as_deref().unwrap_or("unknown"))?;
    }
    Ok(danvan_store::comment::create(db, &data).await?)
}

/// Approves or rejects a comment (editors of the article's site); it can be changed again.
pub async fn moderate(
    db: &DatabaseConnection,
    caller: &Caller,
    id: CommentId,
    status: CommentStatus,
) -> Result<Comment, ServiceError> {
    let comment = danvan_store::comment::get(db, id).await?.ok_or_else(|| {
        ServiceError::NotFound(format!("no comment {}", id::encode(kind::COMMENT, id.0)))
    })?;
    let article = danvan_store::article::get_any(db, comment.data.article_id)
        .await?
        .ok_or(ServiceError::Internal)?;
    caller.authorize(Action::Moderate(article.data.site_id))?;
    let Some(account) = caller.principal.account() else {
        return Err(ServiceError::Forbidden("only accounts moderate".into()));
    };
    Ok(danvan_store::comment::moderate(db, comment.id, status, account.id).await?)
}

/// Checks that the caller may read a site's comments in every status (its moderators).
pub fn authorize_queue(caller: &Caller, site: SiteId) -> Result<(), ServiceError> {
    caller.authorize(Action::Moderate(site)).map(|_| ())
}
