//! Errors as RFC 9457 problem details (`application/problem+json`), with the stable code
//! every door sends and, where one parameter is at fault, its name.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use danvan_service::{ServiceError, code};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where the kinds of problem are described: `type` is this and the code.
const TYPE_BASE: &str = "https://danvan.example.vn/problems/";

/// A problem on its way to the client (boxed: it travels in every handler's `Err`).
#[derive(Debug, Clone)]
pub struct Problem(Box<ProblemDetails>);

impl std::ops::Deref for Problem {
    type Target = ProblemDetails;
    fn deref(&self) -> &ProblemDetails {
        &self.0
    }
}

impl std::ops::DerefMut for Problem {
    fn deref_mut(&mut self) -> &mut ProblemDetails {
        &mut self.0
    }
}

/// A problem, as a client reads it (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://danvan.example.vn/problems/not-found",
    "title": "Không tìm thấy",
    "status": 404,
    "detail": "no site \"gia-vien\"",
    "code": "NOT_FOUND",
    "parameter": "site"
}))]
pub struct ProblemDetails {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem, in Vietnamese.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// The stable code, as GraphQL's `extensions.code`.
    pub code: String,
    /// The parameter at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Seconds to wait before trying again (429, 503).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem with `status` and `code`.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        let title = match status {
            StatusCode::BAD_REQUEST => "Yêu cầu không hợp lệ",
            StatusCode::UNAUTHORIZED => "Chưa xác thực",
            StatusCode::FORBIDDEN => "Không có quyền",
            StatusCode::NOT_FOUND => "Không tìm thấy",
            StatusCode::METHOD_NOT_ALLOWED => "Phương thức không được phép",
            StatusCode::NOT_ACCEPTABLE => "Không có định dạng phù hợp",
            StatusCode::CONFLICT => "Xung đột",
            StatusCode::GONE => "Không còn lưu giữ",
            StatusCode::PAYLOAD_TOO_LARGE => "Yêu cầu quá lớn",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Định dạng không được hỗ trợ",
            StatusCode::UNPROCESSABLE_ENTITY => "Dữ liệu không hợp lệ",
            StatusCode::TOO_MANY_REQUESTS => "Quá nhiều yêu cầu",
            StatusCode::SERVICE_UNAVAILABLE => "Dịch vụ tạm thời không sẵn sàng",
            _ => "Lỗi máy chủ",
        };
        Self(Box::new(ProblemDetails {
            kind: format!("{TYPE_BASE}{}", code.to_ascii_lowercase().replace('_', "-")),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.into(),
            parameter: None,
            retry_after: None,
        }))
    }

    /// A parameter of the request that is not valid: 400 `BAD_USER_INPUT` naming it.
    pub fn parameter(name: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        Self::new(
            StatusCode::BAD_REQUEST,
            code::BAD_USER_INPUT,
            format!("{name}: {detail}"),
        )
        .at(name)
    }

    /// The same problem, told with `detail`.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// The same problem, naming `name` as the parameter at fault.
    pub fn at(mut self, name: &str) -> Self {
        self.parameter = Some(name.into());
        self
    }

    /// The status of a use case's error: each code has one.
    pub fn status_of(code: &str) -> StatusCode {
        match code {
            code::BAD_USER_INPUT => StatusCode::BAD_REQUEST,
            code::NOT_FOUND => StatusCode::NOT_FOUND,
            code::CONFLICT => StatusCode::CONFLICT,
            code::LIMIT_EXCEEDED => StatusCode::BAD_REQUEST,
            code::GONE => StatusCode::GONE,
            code::UNAUTHENTICATED => StatusCode::UNAUTHORIZED,
            code::FORBIDDEN => StatusCode::FORBIDDEN,
            code::METHOD_NOT_ALLOWED => StatusCode::METHOD_NOT_ALLOWED,
            code::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
            code::NOT_ACCEPTABLE => StatusCode::NOT_ACCEPTABLE,
            code::RATE_LIMITED => StatusCode::TOO_MANY_REQUESTS,
            code::SERVICE_UNAVAILABLE => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The code of a client over its rate.
pub use code::RATE_LIMITED;

impl From<ServiceError> for Problem {
    fn from(err: ServiceError) -> Self {
        let code = err.code();
        let status = Self::status_of(code);
        // A message that starts with a parameter's name ("since: …") names it.
        let parameter = err
            .message()
            .split_once(": ")
            .map(|(name, _)| name)
            .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()))
            .map(str::to_owned);
        let mut problem = Self::new(status, code, err.message());
        problem.parameter = parameter;
        problem.retry_after = err.retry_after();
        problem
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&*self.0).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<danvan_store::StoreError> for Problem {
    fn from(err: danvan_store::StoreError) -> Self {
        ServiceError::from(err).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_status_and_our_faults_say_nothing() {
        let cases = [
            (ServiceError::BadUserInput("limit: too big".into()), 400),
            (ServiceError::NotFound("no site".into()), 404),
            (ServiceError::Conflict("stale".into()), 409),
            (ServiceError::Gone("since: old".into()), 410),
            (ServiceError::Unauthenticated("sign in".into()), 401),
            (ServiceError::Forbidden("no".into()), 403),
            (ServiceError::Internal, 500),
        ];
        for (err, status) in cases {
            let problem = Problem::from(err.clone());
            assert_eq!(problem.status, status, "{err:?}");
            assert_eq!(problem.code, err.code());
        }
        let internal = Problem::from(ServiceError::Internal);
        assert_eq!(internal.detail, "internal error");
        assert_eq!(
            Problem::from(ServiceError::BadUserInput("limit: too big".into())).parameter,
            Some("limit".into())
        );
        assert_eq!(
            Problem::from(ServiceError::NotFound("no site \"x: y\"".into())).parameter,
            None
        );
    }
}
