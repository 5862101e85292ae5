//! `/sync`: a mobile app's offline copy of a site kept current (see
//! `danvan_service::sync`).

use crate::Rest;
use crate::articles::{Article, Shape, views};
use crate::params::Params;
use crate::problem::Problem;
use crate::view;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use danvan_service::id::{encode, kind};
use danvan_service::reading;
use serde::Serialize;
use utoipa::ToSchema;

/// An article the client should remove.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    /// Its global id.
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// When it left the public's view.
    pub at: String,
    /// Why: DELETED, UNPUBLISHED, ARCHIVED or SCHEDULED (published for a later time).
    pub reason: String,
}

/// One page of a sync.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"articles": [], "tombstones": [{"id": "QXJ0aWNsZToz", "slug": "hoi-nghi-so-ket", "at": "2024-07-12T09:00:00+07:00", "reason": "DELETED"}], "token": "czEuZC4xLjQyLjE3MjA3NTA0MDAwMDAwMDA", "hasMore": false}))]
pub struct SyncPage {
    /// Articles to add or replace (light form, whole with `full=true`).
    #[schema(value_type = Vec<Article>)]
    pub articles: Vec<serde_json::Value>,
    /// Articles to remove.
    pub tombstones: Vec<Tombstone>,
    /// The token to ask with next: the next page's while `hasMore`, else the next sync's.
    pub token: String,
    /// Whether this sync has more pages.
    pub has_more: bool,
}

/// A page of what changed in a site since a token.
#[utoipa::path(
    get,
    path = "/api/v1/sync",
    tag = "sync",
    summary = "Offline sync",
    description = "Without `since`, every public article of the site; with the `token` of an earlier answer, what changed since: articles created or changed (and scheduled ones whose time came), and a tombstone for each deleted, unpublished, archived or rescheduled. Ask again with the answer's `token` while `hasMore`; keep the last token for the next sync. A token older than the change log keeps is refused with 410: sync again without one.",
    params(
        ("site" = String, Query, description = "The site's slug.", example = "gia-vien"),
        ("since" = Option<String>, Query, description = "The token of the last answer."),
        ("full" = Option<bool>, Query, description = "Whole articles instead of the light form."),
        ("limit" = Option<u32>, Query, description = "Items a page holds, 1 to 500 (100 by default).", minimum = 1, maximum = 500),
    ),
    responses(
        (status = 200, description = "A page of changes.", body = SyncPage),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid (a token not of danvan, or of another site).", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "The token is older than the change log keeps.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn sync(
    State(rest): State<Rest>,
    mut params: Params,
) -> Result<Response, Problem> {
    let site = params
        .text("site")
        .ok_or_else(|| Problem::parameter("site", "is required"))?;
    let since = params.text("since");
    let whole = params.flag("full")?;
    let limit = params
        .parse_as::<u64>("limit", "a whole number")?
        .unwrap_or(100);
    if !(1..=danvan_service::sync::PAGE_MAX).contains(&limit) {
        return Err(Problem::parameter(
            "limit",
            format!("must be from 1 to {}", danvan_service::sync::PAGE_MAX),
        ));
    }
    params.finish()?;
    let db = rest.reader();
    let site_id = reading::site_id(db, &site)
        .await
        .map_err(|e| Problem::from(e).at("site"))?;
    let page = danvan_service::sync::sync(
        db,
        site_id,
        since.as_deref(),
        limit,
        rest.inner.retention,
        Utc::now(),
    )
    .await?;
    let shape_of = Shape::plain(whole);
    let body = SyncPage {
        articles: views(db, rest.inner.media.as_ref(), page.articles, &shape_of).await?,
        tombstones: page
            .tombstones
            .into_iter()
            .map(|t| Tombstone {
                id: encode(kind::ARTICLE, t.id.0),
                slug: t.slug,
                at: view::time(t.at),
                reason: view::value(t.reason.as_str()),
            })
            .collect(),
        token: page.token,
        has_more: page.has_more,
    };
    Ok(Json(body).into_response())
}
