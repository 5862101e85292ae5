//! Readers' views: `countView`, counted as `danvan_service::views` says.

use crate::ApiError;
use crate::id;
use async_graphql::{Context, ID, Object, Result};
use danvan_domain::ArticleId;
use danvan_service::views::ViewCounter;
use std::sync::Arc;

/// The view mutation.
#[derive(Default)]
pub struct ViewMutation;

#[Object]
impl ViewMutation {
    /// Counts a reader's view of an article (anyone; not written to the audit log). The
    /// count shows in `viewCount` within a few seconds.
    async fn count_view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article read.")] article: ID,
    ) -> Result<bool> {
        let id = ArticleId(id::decode(id::ARTICLE, &article)?);
        let views = ctx
            .data::<Arc<ViewCounter>>()
            .map_err(|_| ApiError::Internal)?;
        views.count(id).map_err(ApiError::from)?;
        Ok(true)
    }
}
