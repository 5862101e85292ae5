//! What the news refers to: documents, campaigns, tags, a site's categories, and
//! administrative units with their history.

use crate::Rest;
use crate::paging::{List, PageParams, Paging, answer, respond};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::{AdminUnit, Campaign, Category, Document, Tag};
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use danvan_domain::AdminUnitId;
use danvan_service::id::{decode, kind};
use danvan_service::{ServiceError, reading};

/// Referenced documents, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/documents",
    tag = "references",
    summary = "Referenced documents",
    params(("code" = Option<String>, Query, description = "Only the document with this code, as printed.", example = "25-NQ/TW"), PageParams),
    responses(
        (status = 200, description = "A page of documents.", body = List<Document>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn documents(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let code = params.text("code");
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    if let Some(code) = code {
        let found = danvan_store::document::by_code(db, &code).await?;
        let page = danvan_store::Page {
            cursors: found
                .iter()
                .map(|_| danvan_store::Cursor::from(String::new()))
                .collect(),
            items: found.into_iter().collect(),
            ..Default::default()
        };
        let count = paging.count.then(|| (page.items.len() as u64).into());
        return Ok(respond(&uri, List::of(page, count, |d| Document::from(&d))));
    }
    let page = danvan_store::document::list(db, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::document::count(db),
        |d| Document::from(&d),
    )
    .await
}

/// Campaigns, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/campaigns",
    tag = "references",
    summary = "Campaigns",
    params(PageParams),
    responses(
        (status = 200, description = "A page of campaigns.", body = List<Campaign>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn campaigns(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let page = danvan_store::campaign::list(db, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::campaign::count(db),
        |c| Campaign::from(&c),
    )
    .await
}

/// Tags, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    tag = "references",
    summary = "Tags",
    params(PageParams),
    responses(
        (status = 200, description = "A page of tags.", body = List<Tag>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn tags(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let page = danvan_store::tag::list(db, &paging.request).await?;
    answer(&uri, &paging, page, danvan_store::tag::count(db), |t| {
        Tag::from(&t)
    })
    .await
}

/// A site's categories, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/categories",
    tag = "references",
    summary = "A site's categories",
    params(("site" = String, Path, description = "The site's slug.", example = "gia-vien"), PageParams),
    responses(
        (status = 200, description = "A page of categories.", body = List<Category>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn categories(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    Path(site): Path<String>,
    mut params: Params,
) -> Result<Response, Problem> {
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let site_id = reading::site_id(db, &site)
        .await
        .map_err(|e| Problem::from(e).at("site"))?;
    let page = danvan_store::category::list(db, site_id, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::category::count(db, site_id),
        |c| Category::from(&c),
    )
    .await
}

/// Administrative units, oldest first, each with what it took over and what took it over.
#[utoipa::path(
    get,
    path = "/api/v1/admin-units",
    tag = "references",
    summary = "Administrative units",
    params(("asOf" = Option<chrono::NaiveDate>, Query, description = "Only the units that existed on this day.", example = "2025-07-01"), PageParams),
    responses(
        (status = 200, description = "A page of units.", body = List<AdminUnit>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn admin_units(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let as_of = params.day("asOf")?;
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let page = danvan_store::admin_unit::list(db, as_of, &paging.request).await?;
    let ids: Vec<AdminUnitId> = page.items.iter().map(|u| u.id).collect();
    // Every unit's successions in two statements.
    let to = danvan_store::admin_unit::successions_to_many(db, &ids).await?;
    let from = danvan_store::admin_unit::successions_from_many(db, &ids).await?;
    let none = Vec::new();
    answer(
        &uri,
        &paging,
        page,
        danvan_store::admin_unit::count(db, as_of),
        |u| {
            AdminUnit::of(
                &u,
                to.get(&u.id).unwrap_or(&none),
                from.get(&u.id).unwrap_or(&none),
            )
        },
    )
    .await
}

/// One administrative unit with its history.
#[utoipa::path(
    get,
    path = "/api/v1/admin-units/{id}",
    tag = "references",
    summary = "One administrative unit",
    params(("id" = String, Path, description = "The unit's global id.")),
    responses(
        (status = 200, description = "The unit, with its predecessors and successors.", body = AdminUnit),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not a unit's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such unit.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn admin_unit(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let raw = decode(kind::ADMIN_UNIT, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    let db = rest.reader();
    let unit = danvan_store::admin_unit::get(db, AdminUnitId(raw))
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no administrative unit {id}")))?;
    let to = danvan_store::admin_unit::successions_to(db, unit.id).await?;
    let from = danvan_store::admin_unit::successions_from(db, unit.id).await?;
    Ok(Json(AdminUnit::of(&unit, &to, &from)).into_response())
}
