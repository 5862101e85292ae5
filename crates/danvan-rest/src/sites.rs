//! `/sites`: the portals that publish through danvan.

use crate::Rest;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::Site;
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use danvan_service::reading;

/// The portals, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/sites",
    tag = "sites",
    summary = "The portals",
    params(PageParams),
    responses(
        (status = 200, description = "A page of sites.", body = List<Site>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let page = danvan_store::site::list(db, &paging.request).await?;
    answer(&uri, &paging, page, danvan_store::site::count(db), |s| {
        Site::of(&s)
    })
    .await
}

/// One portal by its slug.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}",
    tag = "sites",
    summary = "One portal",
    params(("site" = String, Path, description = "The site's slug.", example = "gia-vien")),
    responses(
        (status = 200, description = "The site.", body = Site),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not a slug.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    Path(site): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let slug = reading::slug("site", &site)?;
    let found = danvan_store::site::by_slug(rest.reader(), &slug)
        .await?
        .ok_or_else(|| danvan_service::ServiceError::NotFound(format!("no site {site:?}")))?;
    Ok(Json(Site::of(&found)).into_response())
}
