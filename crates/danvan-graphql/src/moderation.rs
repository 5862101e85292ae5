//! Readers' comments: anyone may post on a published article; a comment waits until an
//! editor of the article's site approves or rejects it; only approved ones are public.
//! The rules are `danvan_service::comments`'; these resolvers translate.

use crate::ApiError;
use crate::comment::Comment;
use crate::connection::{List, Paging, list};
use crate::context::{caller, db};
use crate::enums::CommentStatus;
use crate::id;
use async_graphql::{Context, ID, Object, Result};
use danvan_domain::{ArticleId, CommentId};
use danvan_service::comments;

pub use danvan_service::comments::CommentRate;

/// The comment mutations.
#[derive(Default)]
pub struct ModerationMutation;

#[Object]
impl ModerationMutation {
    /// Posts a reader's comment on a published article. It is plain text of at most 500
    /// characters (counted as a reader counts them), waits for moderation, and is limited
    /// per client (`RATE_LIMITED`, with `retryAfter`, when a client posts too many).
    async fn post_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] article: ID,
        #[graphql(desc = "The name the reader gives.")] author_name: String,
        #[graphql(desc = "The comment: plain text, at most 500 characters.")] body: String,
    ) -> Result<Comment> {
        let article_id = ArticleId(id::decode(id::ARTICLE, &article)?);
        let rate = ctx
            .data::<std::sync::Arc<CommentRate>>()
            .ok()
            .map(AsRef::as_ref);
        let comment = comments::post(db(ctx)?, caller(ctx), rate, article_id, &author_name, &body)
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
        let id = CommentId(id::decode(id::COMMENT, &id)?);
        let moderated = comments::moderate(db(ctx)?, caller(ctx), id, status.into())
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
        comments::authorize_queue(caller(ctx), site_id).map_err(ApiError::from)?;
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
