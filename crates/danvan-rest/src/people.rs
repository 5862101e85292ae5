//! `/people` and `/positions`: who is named in the news, the posts they hold, and who
//! held a post on a day.

use crate::Rest;
use crate::articles::id_param;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::{Person, Position};
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use danvan_domain::{OrganisationId, PersonId};
use danvan_service::ServiceError;
use danvan_service::id::{decode, kind};
use danvan_store::position::PositionFilter;

/// People, in Vietnamese name order, each with their posts.
#[utoipa::path(
    get,
    path = "/api/v1/people",
    tag = "people",
    summary = "People named in the news",
    params(PageParams),
    responses(
        (status = 200, description = "A page of people, each with the posts they hold.", body = List<Person>),
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
    let page = danvan_store::person::list(db, &paging.request).await?;
    let ids: Vec<PersonId> = page.items.iter().map(|p| p.id).collect();
    // Every person's posts in one statement.
    let positions = danvan_store::position::of_people(db, &ids, None).await?;
    answer(&uri, &paging, page, danvan_store::person::count(db), |p| {
        Person::of(
            &p,
            positions.get(&p.id).map(Vec::as_slice).unwrap_or_default(),
        )
    })
    .await
}

/// One person with their posts.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}",
    tag = "people",
    summary = "One person",
    params(("id" = String, Path, description = "The person's global id.")),
    responses(
        (status = 200, description = "The person with the posts they hold.", body = Person),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not a person's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such person.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let raw = decode(kind::PERSON, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    let db = rest.reader();
    // A merged person's id leads to the one they were merged into.
    let now = danvan_service::merges::person_now(db, PersonId(raw)).await?;
    let person = danvan_store::person::get(db, now)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no person {id}")))?;
    let positions = danvan_store::position::of_person(db, person.id).await?;
    Ok(Json(Person::of(&person, &positions)).into_response())
}

/// Posts: who held post X in organisation Y on day D.
#[utoipa::path(
    get,
    path = "/api/v1/positions",
    tag = "people",
    summary = "Who held a post",
    description = "Posts, filtered: `title=Trưởng Ban&organisation=…&on=2024-07-11` answers who held that post on that day.",
    params(
        ("title" = Option<String>, Query, description = "The post's title as written.", example = "Trưởng Ban"),
        ("organisation" = Option<String>, Query, description = "In this organisation (its global id)."),
        ("person" = Option<String>, Query, description = "Held by this person (their global id)."),
        ("on" = Option<chrono::NaiveDate>, Query, description = "Held on this day.", example = "2024-07-11"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of posts.", body = List<Position>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn positions(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let filter = PositionFilter {
        person_id: id_param(&mut params, "person", kind::PERSON, PersonId)?,
        organisation_id: id_param(
            &mut params,
            "organisation",
            kind::ORGANISATION,
            OrganisationId,
        )?,
        active_on: params.day("on")?,
        title: params
            .text("title")
            .map(|t| danvan_text::normalize_line(&t)),
    };
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let page = danvan_store::position::list(db, &filter, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::position::count(db, &filter),
        |p| Position::from(&p),
    )
    .await
}
