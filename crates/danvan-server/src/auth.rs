//! Credentials over HTTP: who each request comes from (`Authorization: Bearer`, or a
//! partner's `X-Api-Key`), the signing keys, and `POST /auth/login`, `/auth/refresh` and
//! `/auth/logout` for clients that sign in without GraphQL.

use crate::AppState;
use crate::config::AuthSettings;
use crate::error::HttpError;
use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use danvan_auth::{SigningKey, TokenKeys};
use danvan_graphql::{ApiError, Caller, Session, Sessions};
use danvan_store::DatabaseConnection;
use danvan_store::signing_key::StoredKey;
use serde::Deserialize;
use serde_json::json;

/// The keys and lifetimes of `settings`; without configured keys, the database's, made on
/// the first start.
pub async fn sessions(
    db: &DatabaseConnection,
    settings: &AuthSettings,
) -> anyhow::Result<Sessions> {
    let keys = TokenKeys::new(
        signing_keys(db, settings).await?,
        settings.issuer.clone(),
        settings.audience.clone(),
        chrono::Duration::minutes(settings.access_token_minutes.max(1)),
    )
    .map_err(anyhow::Error::msg)?;
    Ok(Sessions::new(
        keys,
        chrono::Duration::days(settings.refresh_token_days.max(1)),
    ))
}

/// The key that signs the addresses of media files not yet public: made from the first
/// signing key, so that every server on the database signs and checks alike, and no
/// address signed for a file opens an access token or the other way round.
pub async fn media_key(
    db: &DatabaseConnection,
    settings: &AuthSettings,
) -> anyhow::Result<Vec<u8>> {
    let keys = signing_keys(db, settings).await?;
    let first = keys.first().context("no signing key")?;
    Ok(danvan_service::media::address_key(&first.secret))
}

/// The configured signing keys, or without any the database's, made on the first start.
async fn signing_keys(
    db: &DatabaseConnection,
    settings: &AuthSettings,
) -> anyhow::Result<Vec<SigningKey>> {
    let configured = settings
        .signing_keys
        .iter()
        .map(|k| {
            let secret = STANDARD
                .decode(k.secret.trim())
                .with_context(|| format!("signing key {:?}: the secret is not base64", k.kid))?;
            Ok(SigningKey {
                kid: k.kid.clone(),
                secret,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if configured.is_empty() {
        stored_keys(db).await
    } else {
        Ok(configured)
    }
}

async fn stored_keys(db: &DatabaseConnection) -> anyhow::Result<Vec<SigningKey>> {
    let mut stored = danvan_store::signing_key::all(db).await?;
    if stored.is_empty() {
        let secret = danvan_auth::secret::random_bytes(32)?;
        let key = StoredKey {
            kid: format!("db-{}", danvan_auth::secret::random(6)?),
            secret: STANDARD.encode(secret),
        };
        danvan_store::signing_key::add(db, &key).await?;
        tracing::info!(kid = %key.kid, "made a signing key for access tokens");
        // Read back: another server starting at the same time may have made one too, and
        // every server must check the tokens of the others.
        stored = danvan_store::signing_key::all(db).await?;
    }
    stored
        .into_iter()
        .map(|k| {
            Ok(SigningKey {
                secret: STANDARD.decode(&k.secret).context("a stored signing key")?,
                kid: k.kid,
            })
        })
        .collect()
}

fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Who sends a request: its credentials checked, its address and id noted.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<std::net::SocketAddr>,
) -> Result<Caller, HttpError> {
    // The header's rules are the JSON API's, one reading of them for both doors.
    let credentials =
        danvan_rest::caller::Credentials::of(headers).map_err(|e| HttpError(ApiError::from(e)))?;
    let (bearer, api_key) = (credentials.bearer, credentials.api_key);
    let principal = state
        .api
        .authenticate(bearer, api_key)
        .await
        .map_err(HttpError)?;
    Ok(Caller {
        principal,
        client: client.map(|a| a.ip().to_string()),
        request_id: header_value(headers, "x-request-id").map(str::to_owned),
    })
}

/// `POST /auth/login`'s body.
#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
}

/// `POST /auth/refresh` and `/auth/logout`'s body.
#[derive(Deserialize)]
pub struct RefreshBody {
    #[serde(rename = "refreshToken")]
    refresh_token: String,
}

type Body<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

fn body<T>(body: Body<T>) -> Result<T, HttpError> {
    body.map(|Json(b)| b).map_err(|e| {
        // A body cut at the limit while it streamed is too large, not malformed.
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return HttpError(crate::error::too_large());
        }
        HttpError(ApiError::BadUserInput(format!(
            "the body: {}",
            e.body_text()
        )))
    })
}

/// Notes a sign-in, refresh or sign-out in the audit log (see `session::audit`).
async fn audit(
    state: &AppState,
    headers: &HeaderMap,
    client: std::net::SocketAddr,
    operation: &str,
    outcome: &Result<Session, ApiError>,
) {
    let caller = Caller {
        principal: danvan_auth::Principal::default(),
        client: Some(client.ip().to_string()),
        request_id: header_value(headers, "x-request-id").map(str::to_owned),
    };
    let outcome = outcome.as_ref().map_err(ApiError::code);
    danvan_graphql::session::audit(&state.db, &caller, operation, outcome).await;
}

fn session_json(session: Session) -> Response {
    let account = &session.account;
    Json(json!({
        "accessToken": session.access.token,
        "accessTokenExpiresAt": danvan_text::time::to_vietnam(session.access.expires_at).to_rfc3339(),
        "refreshToken": session.refresh_token,
        "refreshTokenExpiresAt": danvan_text::time::to_vietnam(session.refresh_expires_at).to_rfc3339(),
        "account": {
            "username": account.data.username.as_str(),
            "displayName": account.data.display_name.as_str(),
            "role": account.data.role.code(),
        },
    }))
    .into_response()
}

type Client = axum::extract::ConnectInfo<std::net::SocketAddr>;

fn answer(outcome: Result<Session, ApiError>) -> Response {
    match outcome {
        Ok(session) => session_json(session),
        Err(err) => HttpError(err).into_response(),
    }
}

/// `POST /auth/login {"username", "password"}`: the same as the `login` mutation.
pub async fn login(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(client): Client,
    headers: HeaderMap,
    request: Body<LoginBody>,
) -> Response {
    let request = match body(request) {
        Ok(request) => request,
        Err(err) => return err.into_response(),
    };
    let address = client.ip().to_string();
    let outcome = state
        .api
        .login(&request.username, &request.password, Some(&address))
        .await;
    audit(&state, &headers, client, "login", &outcome).await;
    answer(outcome)
}

/// `POST /auth/refresh {"refreshToken"}`: the same as the `refreshSession` mutation.
pub async fn refresh(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(client): Client,
    headers: HeaderMap,
    request: Body<RefreshBody>,
) -> Response {
    let request = match body(request) {
        Ok(request) => request,
        Err(err) => return err.into_response(),
    };
    let outcome = state.api.refresh(&request.refresh_token).await;
    audit(&state, &headers, client, "refreshSession", &outcome).await;
    answer(outcome)
}

/// `POST /auth/logout {"refreshToken"}`: the same as the `logout` mutation.
pub async fn logout(State(state): State<AppState>, request: Body<RefreshBody>) -> Response {
    let request = match body(request) {
        Ok(request) => request,
        Err(err) => return err.into_response(),
    };
    match state.api.logout(&request.refresh_token).await {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(err) => HttpError(err).into_response(),
    }
}
