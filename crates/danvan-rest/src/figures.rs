//! `/report-figures`: the figures reports state, and an indicator's series.

use crate::Rest;
use crate::articles::id_param;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::ReportFigure;
use axum::Json;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Response};
use danvan_domain::{ArticleId, MeetingId, OrganisationId};
use danvan_service::id::kind;
use danvan_service::reading;
use serde::Serialize;
use utoipa::ToSchema;

/// Figures, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/report-figures",
    tag = "report-figures",
    summary = "Report figures",
    params(
        ("indicator" = Option<String>, Query, description = "Of this indicator key.", example = "dvk.models_recognised"),
        ("organisation" = Option<String>, Query, description = "About this organisation (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organisation`: also the organisations below it."),
        ("article" = Option<String>, Query, description = "Stated by this article (its global id)."),
        ("meeting" = Option<String>, Query, description = "Reported at this meeting (its global id)."),
        ("within" = Option<String>, Query, description = "Whose period lies within this one (a period code).", example = "2024"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of figures.", body = List<ReportFigure>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let query = reading::ReportFigureQuery {
        indicator: params.text("indicator"),
        organisation: id_param(
            &mut params,
            "organisation",
            kind::ORGANISATION,
            OrganisationId,
        )?,
        include_subtree: params.flag("includeSubtree")?,
        article: id_param(&mut params, "article", kind::ARTICLE, ArticleId)?,
        meeting: id_param(&mut params, "meeting", kind::MEETING, MeetingId)?,
        within: params.text("within"),
    };
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let filter = reading::report_figures(db, query).await?;
    let page = danvan_store::report_figure::list(db, &filter, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::report_figure::count(db, &filter),
        |f| ReportFigure::from(&f),
    )
    .await
}

/// One period of an indicator's series.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"period": "2024", "total": 19.0, "denominator": null, "figures": 3}))]
pub struct SeriesPoint {
    /// The period's code.
    pub period: String,
    /// The sum of the values.
    pub total: f64,
    /// The sum of the denominators, when any figure has one.
    pub denominator: Option<f64>,
    /// How many figures were added.
    pub figures: u64,
}

/// An indicator over time, added up period by period over an organisation (and its
/// subtree): the roll-up of a province's districts.
#[utoipa::path(
    get,
    path = "/api/v1/report-figures/series",
    tag = "report-figures",
    summary = "An indicator's series",
    params(
        ("indicator" = String, Query, description = "The indicator key.", example = "dvk.models_recognised"),
        ("organisation" = Option<String>, Query, description = "Only figures about this organisation (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organisation`: the organisations below it too (a roll-up)."),
        ("from" = Option<chrono::NaiveDate>, Query, description = "Only periods starting on or after this day."),
        ("to" = Option<chrono::NaiveDate>, Query, description = "Only periods ending on or before this day."),
    ),
    responses(
        (status = 200, description = "The periods in order.", body = Vec<SeriesPoint>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn series(
    State(rest): State<Rest>,
    mut params: Params,
) -> Result<Response, Problem> {
    let indicator = params
        .text("indicator")
        .ok_or_else(|| Problem::parameter("indicator", "is required"))?;
    let organisation = id_param(
        &mut params,
        "organisation",
        kind::ORGANISATION,
        OrganisationId,
    )?;
    let include_subtree = params.flag("includeSubtree")?;
    let from = params.day("from")?;
    let to = params.day("to")?;
    params.finish()?;
    let db = rest.reader();
    let scope = reading::scope(db, organisation, include_subtree).await?;
    let series =
        danvan_store::report_figure::series(db, &indicator, scope.as_ref(), from, to).await?;
    let points: Vec<SeriesPoint> = series
        .into_iter()
        .map(|p| SeriesPoint {
            period: p.period.code(),
            total: p.total,
            denominator: p.denominator,
            figures: p.figures,
        })
        .collect();
    Ok(Json(points).into_response())
}
