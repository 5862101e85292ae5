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
    fn status(&self) -> StatusCode {
        match self.0.code() {
            code::BAD_USER_INPUT => StatusCode::BAD_REQUEST,
            code::NOT_FOUND => StatusCode::NOT_FOUND,
            code::CONFLICT => StatusCode::CONFLICT,
            code::LIMIT_EXCEEDED => StatusCode::PAYLOAD_TOO_LARGE,
            code::UNAUTHENTICATED => StatusCode::UNAUTHORIZED,
            code::FORBIDDEN => StatusCode::FORBIDDEN,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.0.code(), "message": self.0.message() } });
        (self.status(), Json(body)).into_response()
    }
}

impl From<ParseRequestError> for HttpError {
    fn from(err: ParseRequestError) -> Self {
        match err {
            ParseRequestError::PayloadTooLarge => Self(ApiError::LimitExceeded(
                "the request body is too large".into(),
            )),
            other => Self(ApiError::BadUserInput(format!(
                "not a GraphQL request: {}",
                other
            ))),
        }
    }
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
