//! `/organisations`: the tree of Party committees, boards, fronts and mass organisations.

use crate::Rest;
use crate::articles::id_param;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::Organisation;
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use danvan_domain::OrganisationId;
use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
use danvan_service::ServiceError;
use danvan_service::id::{decode, kind};
use danvan_store::organisation::OrganisationFilter;

/// Organisations, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    tag = "organisations",
    summary = "Organisations",
    params(
        ("parent" = Option<String>, Query, description = "Only the direct children of this organisation (its global id)."),
        ("roots" = Option<bool>, Query, description = "Only the organisations without a parent."),
        ("kind" = Option<String>, Query, description = "Only of this kind (as GraphQL's OrganisationKind)."),
        ("level" = Option<String>, Query, description = "Only at this level: CENTRAL, PROVINCE, DISTRICT, COMMUNE…"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of organisations.", body = List<Organisation>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let parent = id_param(&mut params, "parent", kind::ORGANISATION, OrganisationId)?;
    let roots = params.flag("roots")?;
    let filter = OrganisationFilter {
        parent: match (parent, roots) {
            (Some(parent), _) => Some(Some(parent)),
            (None, true) => Some(None),
            (None, false) => None,
        },
        kind: params.choice("kind", OrganisationKind::ALL, OrganisationKind::code)?,
        level: params.choice("level", OrganisationLevel::ALL, OrganisationLevel::code)?,
    };
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let page = danvan_store::organisation::list(db, &filter, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::organisation::count(db, &filter),
        |o| Organisation::from(&o),
    )
    .await
}

async fn found(rest: &Rest, id: &str) -> Result<danvan_store::organisation::Organisation, Problem> {
    let raw = decode(kind::ORGANISATION, id).map_err(|e| Problem::parameter("id", e.message()))?;
    // A merged organisation's id leads to the one it was merged into.
    let now = danvan_service::merges::organisation_now(rest.reader(), OrganisationId(raw)).await?;
    danvan_store::organisation::get(rest.reader(), now)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no organisation {id}")).into())
}

/// One organisation.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}",
    tag = "organisations",
    summary = "One organisation",
    params(("id" = String, Path, description = "The organisation's global id.")),
    responses(
        (status = 200, description = "The organisation.", body = Organisation),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not an organisation's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    Ok(Json(Organisation::from(&found(&rest, &id).await?)).into_response())
}

/// The organisations directly below one.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/children",
    tag = "organisations",
    summary = "An organisation's children",
    params(("id" = String, Path, description = "The organisation's global id.")),
    responses(
        (status = 200, description = "Its children, oldest first.", body = Vec<Organisation>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not an organisation's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn children(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let parent = found(&rest, &id).await?;
    let children = danvan_store::organisation::children(rest.reader(), parent.id).await?;
    Ok(Json(children.iter().map(Organisation::from).collect::<Vec<_>>()).into_response())
}

/// The organisations above one, its parent first.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/ancestors",
    tag = "organisations",
    summary = "An organisation's ancestors",
    params(("id" = String, Path, description = "The organisation's global id.")),
    responses(
        (status = 200, description = "Its ancestors, its parent first, up to the root.", body = Vec<Organisation>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not an organisation's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn ancestors(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let child = found(&rest, &id).await?;
    let chain = danvan_store::organisation::ancestors(rest.reader(), child.id).await?;
    Ok(Json(chain.iter().map(Organisation::from).collect::<Vec<_>>()).into_response())
}
