//! `/meetings`: conferences, reviews and thematic sessions.

use crate::Rest;
use crate::articles::id_param;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::Meeting;
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use danvan_domain::meeting::MeetingKind;
use danvan_domain::{MeetingId, OrganisationId};
use danvan_service::id::{decode, kind};
use danvan_service::{ServiceError, reading};

/// Meetings, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/meetings",
    tag = "meetings",
    summary = "Meetings",
    params(
        ("kind" = Option<String>, Query, description = "Of this kind: INTERIM_REVIEW, FINAL_REVIEW, THEMATIC, OTHER."),
        ("organiser" = Option<String>, Query, description = "Held by this organisation (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organiser`: also the organisations below it."),
        ("from" = Option<chrono::NaiveDate>, Query, description = "Held on or after this day."),
        ("to" = Option<chrono::NaiveDate>, Query, description = "Held on or before this day."),
        ("period" = Option<String>, Query, description = "Reviewing a period that overlaps this one (a period code).", example = "2020-H1"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of meetings.", body = List<Meeting>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let query = reading::MeetingQuery {
        kind: params.choice("kind", MeetingKind::ALL, MeetingKind::code)?,
        organiser: id_param(&mut params, "organiser", kind::ORGANISATION, OrganisationId)?,
        include_subtree: params.flag("includeSubtree")?,
        from: params.day("from")?,
        to: params.day("to")?,
        period: params.text("period"),
    };
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let filter = reading::meetings(db, query).await?;
    let page = danvan_store::meeting::list(db, &filter, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::meeting::count(db, &filter),
        |m| Meeting::from(&m),
    )
    .await
}

/// One meeting.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{id}",
    tag = "meetings",
    summary = "One meeting",
    params(("id" = String, Path, description = "The meeting's global id.")),
    responses(
        (status = 200, description = "The meeting.", body = Meeting),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not a meeting's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let raw = decode(kind::MEETING, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    let found = danvan_store::meeting::get_many(rest.reader(), &[MeetingId(raw)])
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no meeting {id}")))?;
    Ok(Json(Meeting::from(&found)).into_response())
}
