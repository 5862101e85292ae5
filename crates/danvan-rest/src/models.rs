//! `/dvk-models`: "Dân vận khéo" models and exemplars, and their counts for dashboards.

use crate::Rest;
use crate::articles::id_param;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::{self, DvkModel};
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Response};
use danvan_domain::model::{DvkField, DvkStatus};
use danvan_domain::{AdminUnitId, DvkModelId, OrganisationId};
use danvan_service::id::{decode, encode, kind};
use danvan_service::{ServiceError, reading};
use danvan_store::model::{DvkGroup, DvkGrouping};
use serde::Serialize;
use utoipa::ToSchema;

fn query(params: &mut Params) -> Result<reading::DvkModelQuery, Problem> {
    Ok(reading::DvkModelQuery {
        field: params.choice("field", DvkField::ALL, DvkField::code)?,
        status: params.choice("status", DvkStatus::ALL, DvkStatus::code)?,
        organisation: id_param(params, "organisation", kind::ORGANISATION, OrganisationId)?,
        include_subtree: params.flag("includeSubtree")?,
        period: params.text("period"),
        admin_unit: id_param(params, "adminUnit", kind::ADMIN_UNIT, AdminUnitId)?,
    })
}

/// Models, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/dvk-models",
    tag = "dvk-models",
    summary = "\"Dân vận khéo\" models",
    params(
        ("field" = Option<String>, Query, description = "In this field (as GraphQL's DvkField)."),
        ("status" = Option<String>, Query, description = "With this status (as GraphQL's DvkStatus)."),
        ("organisation" = Option<String>, Query, description = "Owned by this organisation (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organisation`: also the organisations below it."),
        ("period" = Option<String>, Query, description = "Whose period overlaps this one (a period code).", example = "2016..2020"),
        ("adminUnit" = Option<String>, Query, description = "Running in this administrative unit or its area through time."),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of models.", body = List<DvkModel>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let query = query(&mut params)?;
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let filter = reading::dvk_models(db, query).await?;
    let page = danvan_store::model::list(db, &filter, &paging.request).await?;
    answer(
        &uri,
        &paging,
        page,
        danvan_store::model::count(db, &filter),
        |m| DvkModel::from(&m),
    )
    .await
}

/// One model.
#[utoipa::path(
    get,
    path = "/api/v1/dvk-models/{id}",
    tag = "dvk-models",
    summary = "One \"Dân vận khéo\" model",
    params(("id" = String, Path, description = "The model's global id.")),
    responses(
        (status = 200, description = "The model.", body = DvkModel),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not a model's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such model.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    params.finish()?;
    let raw = decode(kind::DVK_MODEL, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    let found = danvan_store::model::get(rest.reader(), DvkModelId(raw))
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no model {id}")))?;
    Ok(Json(DvkModel::from(&found)).into_response())
}

/// How many models one group holds.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"field": "ECONOMY", "count": 19}))]
pub struct DvkModelCount {
    /// The field, with `by=FIELD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The status, with `by=STATUS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The period's code, with `by=PERIOD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The organisation's global id, with `by=ORGANISATION`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    /// How many.
    pub count: u64,
}

/// Models counted by field, status, period or organisation, largest group first.
#[utoipa::path(
    get,
    path = "/api/v1/dvk-models/counts",
    tag = "dvk-models",
    summary = "\"Dân vận khéo\" models counted",
    description = "What a dashboard's bar chart needs in one request: the models the filter selects, counted group by group (a group without a value, such as models of no period, has no key).",
    params(
        ("by" = String, Query, description = "What to group by: FIELD, STATUS, PERIOD or ORGANISATION."),
        ("field" = Option<String>, Query, description = "In this field."),
        ("status" = Option<String>, Query, description = "With this status."),
        ("organisation" = Option<String>, Query, description = "Owned by this organisation (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organisation`: also the organisations below it."),
        ("period" = Option<String>, Query, description = "Whose period overlaps this one (a period code)."),
        ("adminUnit" = Option<String>, Query, description = "Running in this administrative unit or its area."),
    ),
    responses(
        (status = 200, description = "The groups, largest first.", body = Vec<DvkModelCount>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn counts(
    State(rest): State<Rest>,
    mut params: Params,
) -> Result<Response, Problem> {
    const BY: [(&str, DvkGrouping); 4] = [
        ("field", DvkGrouping::Field),
        ("status", DvkGrouping::Status),
        ("period", DvkGrouping::Period),
        ("organisation", DvkGrouping::Organisation),
    ];
    let all: Vec<usize> = (0..BY.len()).collect();
    let by = params
        .choice("by", &all, |i| BY[i].0)?
        .map(|i| BY[i].1)
        .ok_or_else(|| Problem::parameter("by", "is required"))?;
    let query = query(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let filter = reading::dvk_models(db, query).await?;
    let groups = danvan_store::model::counts(db, &filter, by).await?;
    let counts: Vec<DvkModelCount> = groups
        .into_iter()
        .map(|(group, count)| {
            let mut out = DvkModelCount {
                field: None,
                status: None,
                period: None,
                organisation_id: None,
                count,
            };
            match group {
                DvkGroup::Field(f) => out.field = Some(view::value(f.code())),
                DvkGroup::Status(s) => out.status = Some(view::value(s.code())),
                DvkGroup::Period(p) => out.period = Some(p.code()),
                DvkGroup::Organisation(o) => {
                    out.organisation_id = Some(encode(kind::ORGANISATION, o.0));
                }
                DvkGroup::None => {}
            }
            out
        })
        .collect();
    Ok(Json(counts).into_response())
}
