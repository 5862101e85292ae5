//! GraphQL over HTTP at `/graphql`, following the GraphQL-over-HTTP specification: POST
//! with JSON for every operation, GET for queries only, `application/graphql-response+json`
//! with meaningful status codes for clients that accept it, and GraphiQL for a browser.
//!
//! Every answer here is a GraphQL response (`{"errors":[{"message","extensions":{"code"}}]}`),
//! also for a bad token, a body that is not JSON or one too large, so that GraphQL clients
//! show the message rather than a network error.
//!
//! Cross-site request forgery: a browser sends a POST with `text/plain`,
//! `application/x-www-form-urlencoded` or `multipart/form-data` to another site without
//! asking first. The first two are not accepted at all; a multipart request (file uploads
//! under the GraphQL multipart request specification) is run only when it carries a header
//! that makes a browser ask first (`Authorization`, `X-Api-Key`, `GraphQL-Preflight`,
//! `Apollo-Require-Preflight`), as Apollo Server's CSRF prevention does. JSON itself always
//! makes a browser ask.

use crate::AppState;
use crate::error::HttpError;
use async_graphql::http::MultipartOptions;
use axum::body::Body;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use danvan_graphql::{ApiError, code};
use std::net::SocketAddr;

/// The media type of the GraphQL-over-HTTP specification.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Headers a browser sends cross-site only after a preflight the site must allow.
const PREFLIGHT_HEADERS: [&str; 4] = [
    "authorization",
    "x-api-key",
    "graphql-preflight",
    "apollo-require-preflight",
];

/// How the answer is written, from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// `application/graphql-response+json`: 4xx when the request could not run.
    Modern,
    /// `application/json`, as GraphQL clients before the specification expect: 200 with
    /// `errors` once the request is a GraphQL request.
    Legacy,
}

impl Answer {
    /// The answer a client accepts; `None` when it accepts neither JSON type. A missing
    /// `Accept` is `application/json`, as the specification says.
    fn of(headers: &HeaderMap) -> Option<Self> {
        let accept = header_text(headers, header::ACCEPT);
        if accept.trim().is_empty() {
            return Some(Self::Legacy);
        }
        let mut legacy = false;
        for range in accept.split(',') {
            let media = range.split(';').next().unwrap_or_default().trim();
            match media.to_ascii_lowercase().as_str() {
                GRAPHQL_RESPONSE => return Some(Self::Modern),
                "application/json" | "application/*" | "*/*" => legacy = true,
                _ => {}
            }
        }
        legacy.then_some(Self::Legacy)
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::Modern => GRAPHQL_RESPONSE,
            Self::Legacy => "application/json",
        }
    }
}

/// Executes an operation sent in a POST body: JSON, or multipart with a preflight header.
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(answer) = Answer::of(&headers) else {
        return not_acceptable();
    };
    let mut request = match read_post(&state, &headers, body).await {
        Ok(request) => request,
        Err(err) => return error_response(answer, err),
    };
    let operation = crate::metrics::Operation::of(&request);
    let caller = match crate::auth::caller(&state, &headers, Some(client)).await {
        Ok(caller) => caller,
        Err(HttpError(err)) => return error_response(answer, err),
    };
    // A kept answer is looked up before the query is parsed: what is kept under the
    // query's own text was a query's answer. A mutation is not kept, and runs as it would.
    let (reads_only, mut response) = if keepable(&state, &headers) {
        (false, kept(&state, answer, request, caller, false).await)
    } else {
        let reads_only = danvan_graphql::reads_only(&mut request);
        let response = state.api.execute(request, caller).await;
        (reads_only, respond(answer, response))
    };
    if reads_only || response.headers().contains_key("x-cache") {
        // A query over POST writes nothing: what public answers depend on stays known.
        response
            .extensions_mut()
            .insert(danvan_rest::caching::Unwritten);
    }
    response.extensions_mut().insert(operation);
    response
}

/// Reads a POST body into a request, refusing what a browser could send cross-site.
async fn read_post(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<async_graphql::Request, ApiError> {
    let content_type = header_text(headers, header::CONTENT_TYPE);
    let mut params = content_type.split(';');
    let media = params
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let charset_ok = params.all(|p| match p.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    });
    match media.as_str() {
        "application/json" if charset_ok => {
            let bytes = read_body(state, headers, body).await?;
            let request =
                serde_json::from_slice::<async_graphql::Request>(&bytes).map_err(|err| {
                    ApiError::BadUserInput(format!("the body is not a GraphQL request: {err}"))
                })?;
            with_query(request)
        }
        "application/json" => Err(ApiError::UnsupportedMediaType(
            "a GraphQL request is UTF-8 JSON".into(),
        )),
        "multipart/form-data" => {
            let preflighted = PREFLIGHT_HEADERS.iter().any(|h| headers.contains_key(*h));
            if !preflighted {
                return Err(ApiError::BadUserInput(
                    "a multipart request must carry a `GraphQL-Preflight: 1` (or `Authorization`) header, which makes a browser ask before sending it from another site".into(),
                ));
            }
            // Files go to temporary files as they arrive (async-graphql's `tempfile`), so
            // the body is streamed, held to the largest media file, never read whole.
            let largest = state.media.library.limits();
            let largest = usize::try_from(largest.image.max(largest.document))
                .unwrap_or(usize::MAX)
                .max(state.body_limit);
            let limit = largest.saturating_add(1024 * 1024);
            if crate::error::declares_over(headers, limit) {
                return Err(crate::error::too_large());
            }
            let mut seen = 0usize;
            let stream = futures::StreamExt::map(body.into_data_stream(), move |chunk| {
                let chunk = chunk.map_err(std::io::Error::other)?;
                seen = seen.saturating_add(chunk.len());
                if seen > limit {
                    return Err(std::io::Error::other("the request body is too large"));
                }
                Ok(chunk)
            });
            let options = MultipartOptions::default()
                .max_file_size(largest)
                .max_num_files(16);
            async_graphql::http::receive_body(
                Some(content_type),
                futures::TryStreamExt::into_async_read(stream),
                options,
            )
            .await
            .map_err(|err| HttpError::from(err).0)
        }
        "" => Err(ApiError::UnsupportedMediaType(
            "send the request as `Content-Type: application/json`".into(),
        )),
        other => Err(ApiError::UnsupportedMediaType(format!(
            "{other} is not accepted: send the request as `Content-Type: application/json`"
        ))),
    }
}

/// The request, if it names something to run: a query, or a persisted query's hash.
/// `request` with the `operationName` its query string names: the GraphQL over HTTP
/// specification spells it so, and async-graphql's parser reads only `operation_name`.
fn with_operation_name(request: async_graphql::Request, query: &str) -> async_graphql::Request {
    if request.operation_name.is_some() {
        return request;
    }
    let named = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(name, _)| name == "operationName")
                .map(|(_, value)| value)
        });
    match named {
        Some(name) if !name.is_empty() => request.operation_name(name),
        _ => request,
    }
}

fn with_query(request: async_graphql::Request) -> Result<async_graphql::Request, ApiError> {
    if request.query.trim().is_empty() && !request.extensions.contains_key("persistedQuery") {
        return Err(ApiError::BadUserInput(
            "the request has no `query` (nor a persisted query's hash)".into(),
        ));
    }
    Ok(request)
}

/// The body, at most the configured number of bytes.
async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<axum::body::Bytes, ApiError> {
    if crate::error::declares_over(headers, state.body_limit) {
        return Err(crate::error::too_large());
    }
    // The only way reading fails with a client still listening is the limit.
    axum::body::to_bytes(body, state.body_limit)
        .await
        .map_err(|_| crate::error::too_large())
}

/// Serves GraphiQL to a browser, and executes a query given in the URL to anyone else.
/// A mutation over GET is refused with 405: GET must be safe to repeat and to cache.
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let accept = header_text(&headers, header::ACCEPT);
    if accept.contains("text/html") {
        let policy = [(
            header::CONTENT_SECURITY_POLICY,
            crate::graphiql::CONTENT_SECURITY_POLICY,
        )];
        return (policy, Html(crate::graphiql::page("/graphql"))).into_response();
    }
    let Some(answer) = Answer::of(&headers) else {
        return not_acceptable();
    };
    let query = query.as_deref().unwrap_or("");
    let request = async_graphql::http::parse_query_string(query)
        .map_err(|err| HttpError::from(err).0)
        .map(|request| with_operation_name(request, query))
        .and_then(with_query);
    let request = match request {
        Ok(request) => request,
        Err(err) => return error_response(answer, err),
    };
    let operation = crate::metrics::Operation::of(&request);
    let caller = match crate::auth::caller(&state, &headers, Some(client)).await {
        Ok(caller) => caller,
        Err(HttpError(err)) => return error_response(answer, err),
    };
    let mut response = if keepable(&state, &headers) {
        kept(&state, answer, request, caller, true).await
    } else {
        respond(answer, state.api.execute_safe(request, caller).await)
    };
    response.extensions_mut().insert(operation);
    response
}

/// Whether a request's answer may be kept: the public's (no credentials at all), with
/// answers kept.
fn keepable(state: &AppState, headers: &HeaderMap) -> bool {
    state.answers.enabled()
        && !danvan_rest::caller::Credentials::any(headers)
        && !danvan_service::reads::reads_on_primary()
}

/// Answers a public query from the answers kept (see `danvan_service::answers`), or runs
/// it and keeps its answer when it may be kept. `safe`: it came by GET.
async fn kept(
    state: &AppState,
    answer: Answer,
    request: async_graphql::Request,
    caller: danvan_service::Caller,
    safe: bool,
) -> Response {
    let Some(key) = danvan_graphql::shows::key_of(&request) else {
        return respond(answer, run(state, request, caller, safe).await);
    };
    let now = match state.answers.position().await {
        Ok(now) => now,
        Err(error) => {
            // The answer can still be given, built afresh.
            tracing::warn!(?error, "cannot read the change log for the kept answers");
            return respond(answer, run(state, request, caller, safe).await);
        }
    };
    if let Some(kept) = state.answers.get(&key, &now) {
        state.metrics.kept("HIT");
        return write_kept(answer, &kept, "HIT");
    }
    let (response, shows) = state.api.execute_kept(request, caller, safe).await;
    let Some(shows) = shows else {
        return respond(answer, response);
    };
    let body = match serde_json::to_vec(&response) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "cannot serialise a GraphQL response");
            return HttpError(ApiError::Internal).into_response();
        }
    };
    // Tagged once here: the conditional middleware would hash the body on every request.
    let tag = danvan_rest::caching::tag_of(&[&body]);
    let kept = state
        .answers
        .keep(key, now, body.into(), tag, Vec::new(), shows);
    state.metrics.kept("MISS");
    write_kept(answer, &kept, "MISS")
}

async fn run(
    state: &AppState,
    request: async_graphql::Request,
    caller: danvan_service::Caller,
    safe: bool,
) -> async_graphql::Response {
    if safe {
        state.api.execute_safe(request, caller).await
    } else {
        state.api.execute(request, caller).await
    }
}

/// A kept answer: 200, with its `ETag` and what it shows named for a cache in front
/// (`Surrogate-Key`, as Fastly and Varnish read it; `Cache-Tag`, as Cloudflare does). Over
/// GET the conditional middleware adds how long such a cache may keep it and answers a
/// revalidation 304.
fn write_kept(
    answer: Answer,
    kept: &danvan_service::answers::Answer,
    cache: &'static str,
) -> Response {
    let mut http = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, answer.media_type())],
        Body::from(kept.body.clone()),
    )
        .into_response();
    let headers = http.headers_mut();
    headers.insert("x-cache", HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&kept.tag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&kept.keys) {
        headers.insert("surrogate-key", value);
    }
    if let Ok(value) = HeaderValue::from_str(&kept.keys.replace(' ', ",")) {
        headers.insert("cache-tag", value);
    }
    http
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn not_acceptable() -> Response {
    let err = ApiError::NotAcceptable(format!("accept {GRAPHQL_RESPONSE} or application/json"));
    error_response(Answer::Legacy, err)
}

/// A request that did not get as far as running, as a GraphQL response.
fn error_response(answer: Answer, err: ApiError) -> Response {
    let error = err.to_server_error();
    let status = HttpError(err).status();
    write(
        answer,
        status,
        &async_graphql::Response::from_errors(vec![error]),
        true,
    )
}

/// Writes a GraphQL response. With `application/graphql-response+json`, a request that
/// could not be executed at all (it does not parse, is invalid, or passes a limit) gets 400
/// and no `data`; with `application/json`, 200. A mutation over GET is 405 either way.
fn respond(answer: Answer, response: async_graphql::Response) -> Response {
    // Errors of a request that never ran have no path; field errors always have one.
    let not_executed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let first_code = response
        .errors
        .first()
        .and_then(|e| e.extensions.as_ref())
        .and_then(|ext| ext.get("code"))
        .and_then(|code| match code {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        });
    // Nothing answered because the database is away: 503 with `Retry-After`, which load
    // balancers and clients retry on, whatever the response's media type.
    let unavailable = response.data == async_graphql::Value::Null
        && first_code == Some(code::SERVICE_UNAVAILABLE);
    let status = if not_executed && first_code == Some(code::METHOD_NOT_ALLOWED) {
        StatusCode::METHOD_NOT_ALLOWED
    } else if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if answer == Answer::Modern && not_executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut http = write(answer, status, &response, not_executed);
    if unavailable {
        http.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(danvan_service::RETRY_UNAVAILABLE_SECS),
        );
    }
    http
}

fn write(
    answer: Answer,
    status: StatusCode,
    response: &async_graphql::Response,
    not_executed: bool,
) -> Response {
    let body = serde_json::to_value(response).map(|mut value| {
        // The specification: a request that did not run has no `data` entry at all.
        if not_executed && let Some(map) = value.as_object_mut() {
            map.remove("data");
        }
        value
    });
    let body = match body.and_then(|value| serde_json::to_vec(&value)) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "cannot serialise a GraphQL response");
            return HttpError(ApiError::Internal).into_response();
        }
    };
    let mut http = (status, [(header::CONTENT_TYPE, answer.media_type())], body).into_response();
    let headers = http.headers_mut();
    match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        StatusCode::UNAUTHORIZED => {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        _ => {}
    }
    http
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(accept: &str) -> Option<Answer> {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(accept) {
            headers.insert(header::ACCEPT, value);
        }
        Answer::of(&headers)
    }

    #[test]
    fn the_answer_follows_accept() {
        assert_eq!(answer(""), Some(Answer::Legacy));
        assert_eq!(answer("application/json"), Some(Answer::Legacy));
        assert_eq!(answer("*/*"), Some(Answer::Legacy));
        let both = "application/graphql-response+json, application/json;q=0.9";
        assert_eq!(answer(both), Some(Answer::Modern));
        assert_eq!(
            answer("application/graphql-response+json; charset=utf-8"),
            Some(Answer::Modern)
        );
        assert_eq!(answer("text/xml"), None);
    }
}
