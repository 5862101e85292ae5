//! Errors as HTTP responses: the JSON envelope `{"error":{"code":…,"message":…}}` with the
//! same stable codes as GraphQL's `extensions.code`.

use async_graphql::ParseRequestError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_graphql::{ApiError, code};
use serde_json::json;

/// An [`ApiError`] on its way out over HTTP.
pub struct HttpError(pub ApiError);

impl HttpError {
    /// The HTTP status of the error's code.
    pub fn status(&self) -> StatusCode {
        match self.0.code() {
            code::BAD_USER_INPUT => StatusCode::BAD_REQUEST,
            code::NOT_FOUND => StatusCode::NOT_FOUND,
            code::CONFLICT => StatusCode::CONFLICT,
            code::LIMIT_EXCEEDED => StatusCode::PAYLOAD_TOO_LARGE,
            code::RATE_LIMITED => StatusCode::TOO_MANY_REQUESTS,
            code::SERVICE_UNAVAILABLE => StatusCode::SERVICE_UNAVAILABLE,
            code::UNAUTHENTICATED => StatusCode::UNAUTHORIZED,
            code::FORBIDDEN => StatusCode::FORBIDDEN,
            code::METHOD_NOT_ALLOWED => StatusCode::METHOD_NOT_ALLOWED,
            code::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
            code::NOT_ACCEPTABLE => StatusCode::NOT_ACCEPTABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.0.code(), "message": self.0.message() } });
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = self.0.retry_after() {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

impl From<ParseRequestError> for HttpError {
    fn from(err: ParseRequestError) -> Self {
        match err {
            ParseRequestError::PayloadTooLarge => Self(too_large()),
            other => Self(ApiError::BadUserInput(format!(
                "not a GraphQL request: {}",
                other
            ))),
        }
    }
}

/// Refuses a request body over `limit` bytes with `LIMIT_EXCEEDED`: at once when its
/// `Content-Length` says so, and while it streams otherwise. Enforced on the body stream
/// itself, since the GraphQL extractor reads the stream rather than axum's size-checked `Bytes`.
pub async fn limit_body(
    axum::extract::State(limit): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if declares_over(request.headers(), limit) {
        return HttpError(too_large()).into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Bounds every request by `limit` (`http.request_timeout_secs`), reading its body
/// included: a request that takes longer (a slow client's body, a database held up by a
/// lock) is dropped, with whatever it was doing, and answered 503 `SERVICE_UNAVAILABLE`
/// with `Retry-After`, in its door's shape, so that a client can tell it from a refusal
/// and try again. A write dropped this way is rolled back: its transaction never commits.
pub async fn bound_time(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if let Ok(response) = tokio::time::timeout(limit, next.run(request)).await {
        return response;
    }
    tracing::warn!(path, ?limit, "a request took longer than its time");
    let message = format!(
        "the request took longer than {} s; try again shortly",
        limit.as_secs()
    );
    let retry = danvan_service::RETRY_UNAVAILABLE_SECS;
    let mut response = if path.starts_with("/graphql") {
        let body = json!({ "errors": [{
            "message": message,
            "extensions": { "code": code::SERVICE_UNAVAILABLE, "retryAfter": retry },
        }] });
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    } else if path.starts_with("/api/") {
        return danvan_rest::Problem::from(danvan_service::ServiceError::Unavailable)
            .with_detail(message)
            .into_response();
    } else {
        let body = json!({ "error": { "code": code::SERVICE_UNAVAILABLE, "message": message } });
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    };
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(retry),
    );
    response
}

/// The JSON API's refusal of a body its `Content-Length` says is over `limit`: at once, as
/// problem details, rather than after reading up to the limit (a client that sends the
/// head and waits would wait for the request timeout). A body that says nothing of its
/// length is cut at the limit where the JSON API reads it.
pub async fn limit_declared_body(
    axum::extract::State(limit): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if declares_over(request.headers(), limit) {
        let refused = too_large();
        return danvan_rest::Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            refused.code(),
            refused.message(),
        )
        .into_response();
    }
    next.run(request).await
}

/// Whether the request's `Content-Length` says its body is over `limit` bytes.
pub(crate) fn declares_over(headers: &axum::http::HeaderMap, limit: usize) -> bool {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|len| len > limit)
}

/// The refusal of a body over the limit.
pub(crate) fn too_large() -> ApiError {
    ApiError::LimitExceeded("the request body is too large".into())
}

/// The answer to a path that names nothing.
pub async fn not_found() -> HttpError {
    HttpError(ApiError::NotFound("no such path".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_status() {
        let status = |e: ApiError| HttpError(e).status();
        assert_eq!(
            status(ApiError::BadUserInput(String::new())),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(ApiError::NotFound(String::new())),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(ApiError::Conflict(String::new())),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status(ApiError::LimitExceeded(String::new())),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            status(ApiError::Internal),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
