//! `/webhooks`: partners' endpoints, for admins and a site's editors, as GraphQL's
//! `createWebhook` and the like; the rules are `danvan_service::webhooks`'.

use crate::Rest;
use crate::caller;
use crate::problem::Problem;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_domain::OrganisationId;
use danvan_service::id::{decode, encode, kind};
use danvan_service::webhooks::{self, WebhookInput};
use danvan_store::webhook::{Attempt, Delivery, Endpoint};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An endpoint to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"url": "https://doitac.example.vn/danvan-hook", "events": ["article.published"], "site": "gia-vien"}))]
pub struct NewWebhook {
    /// Where deliveries are POSTed; not a loopback, private or link-local address.
    pub url: String,
    /// The events: `article.published`, `article.updated`, `article.unpublished`,
    /// `article.deleted`, `comment.approved`.
    pub events: Vec<String>,
    /// Only this site's events (its slug); editors must name their site.
    #[serde(default)]
    pub site: Option<String>,
    /// Only events concerning this organisation (its global id).
    #[serde(default)]
    pub organisation: Option<String>,
    /// With `organisation`: the organisations below it too.
    #[serde(default)]
    pub include_subtree: bool,
}

/// A partner's endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Its global id.
    pub id: String,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The events it is told of.
    pub events: Vec<String>,
    /// Only this site's events (its global id).
    pub site_id: Option<String>,
    /// Only events concerning this organisation (its global id).
    pub organisation_id: Option<String>,
    /// With `organisationId`: the organisations below it too.
    pub include_subtree: bool,
    /// When it was registered.
    pub created_at: String,
    /// Since when every delivery has failed, while they do.
    pub failing_since: Option<String>,
    /// When it was disabled for failing.
    pub disabled_at: Option<String>,
    /// Why.
    pub disabled_reason: Option<String>,
}

impl From<Endpoint> for Webhook {
    fn from(e: Endpoint) -> Self {
        Self {
            id: encode(kind::WEBHOOK, e.id),
            url: e.url,
            events: e.events,
            site_id: e.site_id.map(|s| encode(kind::SITE, s.0)),
            organisation_id: e.organisation_id.map(|o| encode(kind::ORGANISATION, o.0)),
            include_subtree: e.include_subtree,
            created_at: crate::view::time(e.created_at),
            failing_since: e.failing_since.map(crate::view::time),
            disabled_at: e.disabled.as_ref().map(|(at, _)| crate::view::time(*at)),
            disabled_reason: e.disabled.map(|(_, why)| why),
        }
    }
}

/// A registered endpoint and its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    /// The endpoint.
    pub webhook: Webhook,
    /// `whsec_…`: the key of the `webhook-signature` HMAC (Standard Webhooks).
    pub secret: String,
}

/// An event owed to an endpoint, and each attempt at it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// Its global id.
    pub id: String,
    /// The `webhook-id` header, the same on every attempt and replay.
    pub message_id: String,
    /// `article.published` …
    pub event_type: String,
    /// `PENDING`, `DELIVERED` or `DEAD`.
    pub status: String,
    /// When it was owed.
    pub created_at: String,
    /// When it is tried next, while pending.
    pub next_attempt_at: String,
    /// When it was delivered.
    pub delivered_at: Option<String>,
    /// Each attempt, oldest first.
    pub attempts: Vec<WebhookAttempt>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttempt {
    /// When.
    pub at: String,
    /// The HTTP status of the answer, when there was one.
    pub status_code: Option<u16>,
    /// How long it took, in milliseconds.
    pub latency_ms: i64,
    /// The first bytes of the answer, or why there was none.
    pub response: String,
    /// Whether it was delivered.
    pub ok: bool,
}

fn delivery(d: Delivery, attempts: Vec<Attempt>) -> WebhookDelivery {
    WebhookDelivery {
        id: encode(kind::WEBHOOK_DELIVERY, d.id),
        message_id: d.message_id,
        event_type: d.event_type,
        status: d.status.as_str().to_ascii_uppercase(),
        created_at: crate::view::time(d.created_at),
        next_attempt_at: crate::view::time(d.next_attempt_at),
        delivered_at: d.delivered_at.map(crate::view::time),
        attempts: attempts
            .into_iter()
            .map(|a| WebhookAttempt {
                at: crate::view::time(a.at),
                status_code: a.status_code,
                latency_ms: a.latency_ms,
                response: a.response,
                ok: a.ok,
            })
            .collect(),
    }
}

/// What to send again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Replay {
    /// One delivery (its global id).
    #[serde(default)]
    pub delivery: Option<String>,
    /// Every delivery owed since this time (RFC 3339).
    #[serde(default)]
    pub since: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// How many deliveries were sent again.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Replayed {
    /// How many.
    pub replayed: u64,
}

fn webhook_id(id: &str) -> Result<i64, Problem> {
    decode(kind::WEBHOOK, id).map_err(|e| Problem::parameter("id", e.message()))
}

/// The endpoints the caller manages.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    summary = "Registered endpoints",
    responses(
        (status = 200, description = "Every endpoint for admins; their site's for editors.", body = Vec<Webhook>),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or a site's editor.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
) -> Result<Json<Vec<Webhook>>, Problem> {
    let found = webhooks::endpoints(rest.writer(), &caller).await?;
    Ok(Json(found.into_iter().map(Webhook::from).collect()))
}

/// Registers an endpoint.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    summary = "Register an endpoint",
    request_body(content = NewWebhook, content_type = "application/json"),
    responses(
        (status = 201, description = "Registered; the secret is shown this once.", body = Registered),
        (status = 400, description = "An address webhooks may not reach, or an unknown event.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin, or not an editor of the site named.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such site or organisation.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    body: Result<Json<NewWebhook>, JsonRejection>,
) -> Result<Response, Problem> {
    let input = crate::auth::body(body)?;
    let organisation = match &input.organisation {
        Some(id) => Some(OrganisationId(
            decode(kind::ORGANISATION, id)
                .map_err(|e| Problem::parameter("organisation", e.message()))?,
        )),
        None => None,
    };
    let input = WebhookInput {
        url: input.url,
        events: input.events,
        site: input.site,
        organisation,
        include_subtree: input.include_subtree,
    };
    let (webhook, secret) =
        webhooks::register(rest.writer(), &caller, input, rest.inner.webhook_targets).await?;
    let body = Registered {
        webhook: webhook.into(),
        secret,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Deletes an endpoint.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "webhooks",
    summary = "Delete an endpoint",
    params(("id" = String, Path, description = "The endpoint's global id.")),
    responses(
        (status = 200, description = "Deleted: nothing more is delivered to it.", body = Webhook),
        (status = 400, description = "Not an endpoint's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not this endpoint's admin or editor.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn delete(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(id): Path<String>,
) -> Result<Json<Webhook>, Problem> {
    let deleted = webhooks::delete(rest.writer(), &caller, webhook_id(&id)?).await?;
    Ok(Json(deleted.into()))
}

/// An endpoint's newest deliveries.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    tag = "webhooks",
    summary = "The delivery log",
    params(("id" = String, Path, description = "The endpoint's global id.")),
    responses(
        (status = 200, description = "The newest 50 deliveries, newest first, with each attempt.", body = Vec<WebhookDelivery>),
        (status = 400, description = "Not an endpoint's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not this endpoint's admin or editor.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn deliveries(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(id): Path<String>,
) -> Result<Json<Vec<WebhookDelivery>>, Problem> {
    let found = webhooks::deliveries(rest.writer(), &caller, webhook_id(&id)?, 50).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(d, attempts)| delivery(d, attempts))
            .collect(),
    ))
}

/// Sends deliveries again.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/replay",
    tag = "webhooks",
    summary = "Replay deliveries",
    params(("id" = String, Path, description = "The endpoint's global id.")),
    request_body(content = Replay, content_type = "application/json"),
    responses(
        (status = 200, description = "How many are sent again, with their `webhook-id`.", body = Replayed),
        (status = 400, description = "Neither a delivery nor a time.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not this endpoint's admin or editor.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn replay(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(id): Path<String>,
    body: Result<Json<Replay>, JsonRejection>,
) -> Result<Json<Replayed>, Problem> {
    let id = webhook_id(&id)?;
    let input = crate::auth::body(body)?;
    let delivery = match &input.delivery {
        Some(d) => Some(
            decode(kind::WEBHOOK_DELIVERY, d)
                .map_err(|e| Problem::parameter("delivery", e.message()))?,
        ),
        None => None,
    };
    let replayed = webhooks::replay(
        rest.writer(),
        &caller,
        id,
        delivery,
        input.since.map(|t| t.to_utc()),
    )
    .await?;
    Ok(Json(Replayed { replayed }))
}

/// Gives an endpoint a new secret.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/rotate-secret",
    tag = "webhooks",
    summary = "A new secret",
    params(("id" = String, Path, description = "The endpoint's global id.")),
    responses(
        (status = 200, description = "The new secret, shown this once; for a day deliveries are signed with the old one as well.", body = Registered),
        (status = 400, description = "Not an endpoint's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not this endpoint's admin or editor.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn rotate(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(id): Path<String>,
) -> Result<Json<Registered>, Problem> {
    let (webhook, secret) =
        webhooks::rotate_secret(rest.writer(), &caller, webhook_id(&id)?).await?;
    Ok(Json(Registered {
        webhook: webhook.into(),
        secret,
    }))
}

/// Enables an endpoint disabled for failing.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/enable",
    tag = "webhooks",
    summary = "Enable a disabled endpoint",
    params(("id" = String, Path, description = "The endpoint's global id.")),
    responses(
        (status = 200, description = "Enabled; what it is owed is delivered.", body = Webhook),
        (status = 400, description = "Not an endpoint's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not this endpoint's admin or editor.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn enable(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(id): Path<String>,
) -> Result<Json<Webhook>, Problem> {
    let enabled = webhooks::enable(rest.writer(), &caller, webhook_id(&id)?).await?;
    Ok(Json(enabled.into()))
}
