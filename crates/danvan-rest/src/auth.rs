//! `/auth/login`, `/auth/refresh`, `/auth/logout`: signing in for clients of the JSON API,
//! the same use cases as GraphQL's `login`, `refreshSession` and `logout`.

use crate::problem::Problem;
use crate::{Rest, caller};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_service::session::{self, Session};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "bientap", "password": "mật khẩu biên tập"}))]
pub struct Login {
    /// The account's name.
    pub username: String,
    /// Its password.
    pub password: String,
}

/// A refresh token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Refresh {
    /// The refresh token of the last sign-in or refresh.
    pub refresh_token: String,
}

/// Who signed in.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// The account's name.
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// ADMIN, EDITOR or REPORTER.
    pub role: String,
}

/// A sign-in: the tokens and who they are for.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// For `Authorization: Bearer …`.
    pub access_token: String,
    /// When it expires (15 minutes by default).
    pub access_token_expires_at: String,
    /// To get the next access token, once; shown once.
    pub refresh_token: String,
    /// When it expires.
    pub refresh_token_expires_at: String,
    /// Who signed in.
    pub account: SignedIn,
}

impl From<Session> for Tokens {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access.token,
            access_token_expires_at: crate::view::time(s.access.expires_at),
            refresh_token: s.refresh_token,
            refresh_token_expires_at: crate::view::time(s.refresh_expires_at),
            account: SignedIn {
                username: s.account.data.username.as_str().to_owned(),
                display_name: s.account.data.display_name.to_string(),
                role: crate::view::value(s.account.data.role.code()),
            },
        }
    }
}

/// A JSON body, or the problem with it.
pub(crate) fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Problem> {
    body.map(|Json(b)| b).map_err(|rejection| {
        let status = rejection.status();
        let (status, code) = match status {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                (status, danvan_service::code::UNSUPPORTED_MEDIA_TYPE)
            }
            StatusCode::PAYLOAD_TOO_LARGE => (status, danvan_service::code::LIMIT_EXCEEDED),
            _ => (
                StatusCode::BAD_REQUEST,
                danvan_service::code::BAD_USER_INPUT,
            ),
        };
        Problem::new(status, code, format!("the body: {}", rejection.body_text()))
    })
}

async fn signed_in(
    rest: &Rest,
    caller: &danvan_service::Caller,
    operation: &str,
    outcome: Result<Session, danvan_service::ServiceError>,
) -> Result<Response, Problem> {
    session::audit(
        rest.writer(),
        caller,
        operation,
        outcome.as_ref().map_err(|e| e.code()),
    )
    .await;
    Ok(Json(Tokens::from(outcome?)).into_response())
}

/// Signs in.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    summary = "Sign in",
    request_body(content = Login, content_type = "application/json"),
    responses(
        (status = 200, description = "An access token and a refresh token.", body = Tokens),
        (status = 400, description = "The body is not credentials.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "The user name or the password is wrong.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins of this account or from this address: `Retry-After` says in how many seconds to try again.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn login(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    request: Result<Json<Login>, JsonRejection>,
) -> Result<Response, Problem> {
    let request = body(request)?;
    let outcome = session::login(
        rest.writer(),
        &rest.inner.sessions,
        &request.username,
        &request.password,
        caller.client.as_deref(),
    )
    .await;
    signed_in(&rest, &caller, "login", outcome).await
}

/// Exchanges a refresh token for new tokens; the old one works no more.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    summary = "Refresh",
    request_body(content = Refresh, content_type = "application/json"),
    responses(
        (status = 200, description = "New tokens.", body = Tokens),
        (status = 400, description = "The body is not a refresh token.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "The refresh token is not valid (used, revoked or expired): sign in again.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn refresh(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    request: Result<Json<Refresh>, JsonRejection>,
) -> Result<Response, Problem> {
    let request = body(request)?;
    let outcome =
        session::refresh(rest.writer(), &rest.inner.sessions, &request.refresh_token).await;
    signed_in(&rest, &caller, "refreshSession", outcome).await
}

/// Signs out: the refresh token and every token refreshed from the same sign-in stop.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    summary = "Sign out",
    request_body(content = Refresh, content_type = "application/json"),
    responses(
        (status = 204, description = "Signed out (also when the token was not valid)."),
        (status = 400, description = "The body is not a refresh token.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn logout(
    State(rest): State<Rest>,
    request: Result<Json<Refresh>, JsonRejection>,
) -> Result<Response, Problem> {
    let request = body(request)?;
    session::logout(rest.writer(), &request.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
