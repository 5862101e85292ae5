//! The errors clients see, each with a stable code: the use cases' errors, and those of
//! the GraphQL door itself (a method, a media type).

use async_graphql::ErrorExtensions;
use danvan_service::ServiceError;
use danvan_store::StoreError;

pub use danvan_service::code;

/// An error as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The input is malformed or breaks a rule; the message says which.
    BadUserInput(String),
    /// Nothing found.
    NotFound(String),
    /// A unique key is taken.
    Conflict(String),
    /// More than the limits allow.
    LimitExceeded(String),
    /// Too many of a kind lately; try again after this many seconds.
    RateLimited(String, u64),
    /// The database cannot be reached now.
    Unavailable,
    /// The database takes no writes now.
    Unwritable,
    /// What the request continues from is no longer kept.
    Gone(String),
    /// Credentials are missing or not valid.
    Unauthenticated(String),
    /// The credentials do not allow this.
    Forbidden(String),
    /// The method may not do this.
    MethodNotAllowed(String),
    /// The body's media type is not accepted.
    UnsupportedMediaType(String),
    /// An uploaded file is larger than its kind may be.
    TooLarge(String),
    /// No acceptable media type to answer in.
    NotAcceptable(String),
    /// Our fault.
    Internal,
}

impl ApiError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput(_) => code::BAD_USER_INPUT,
            Self::NotFound(_) => code::NOT_FOUND,
            Self::Conflict(_) => code::CONFLICT,
            Self::LimitExceeded(_) => code::LIMIT_EXCEEDED,
            Self::RateLimited(..) => code::RATE_LIMITED,
            Self::Unavailable | Self::Unwritable => code::SERVICE_UNAVAILABLE,
            Self::Gone(_) => code::GONE,
            Self::Unauthenticated(_) => code::UNAUTHENTICATED,
            Self::Forbidden(_) => code::FORBIDDEN,
            Self::MethodNotAllowed(_) => code::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType(_) => code::UNSUPPORTED_MEDIA_TYPE,
            Self::TooLarge(_) => code::PAYLOAD_TOO_LARGE,
            Self::NotAcceptable(_) => code::NOT_ACCEPTABLE,
            Self::Internal => code::INTERNAL,
        }
    }

    /// The message for the client.
    pub fn message(&self) -> &str {
        match self {
            Self::BadUserInput(m)
            | Self::NotFound(m)
            | Self::Conflict(m)
            | Self::LimitExceeded(m)
            | Self::RateLimited(m, _)
            | Self::Gone(m)
            | Self::Unauthenticated(m)
            | Self::Forbidden(m)
            | Self::MethodNotAllowed(m)
            | Self::UnsupportedMediaType(m)
            | Self::TooLarge(m)
            | Self::NotAcceptable(m) => m,
            Self::Unavailable => ServiceError::Unavailable.message_static(),
            Self::Unwritable => ServiceError::Unwritable.message_static(),
            Self::Internal => "internal error",
        }
    }
}

impl ApiError {
    /// The error as a GraphQL response's error, with its code: for a request refused
    /// before it runs (a limit, a method, credentials).
    pub fn to_server_error(&self) -> async_graphql::ServerError {
        let mut error = async_graphql::ServerError::new(self.message(), None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", async_graphql::Value::from(self.code()));
        if let Some(wait) = self.retry_after() {
            extensions.set("retryAfter", async_graphql::Value::from(wait));
        }
        error.extensions = Some(extensions);
        error
    }
}

impl ApiError {
    /// Seconds the client should wait before trying again: a rate limit's, or while the
    /// database is unavailable.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited(_, wait) => Some(*wait),
            Self::Unavailable => Some(danvan_service::RETRY_UNAVAILABLE_SECS),
            Self::Unwritable => Some(danvan_service::RETRY_UNWRITABLE_SECS),
            _ => None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::BadUserInput(m) => Self::BadUserInput(m),
            ServiceError::NotFound(m) => Self::NotFound(m),
            ServiceError::Conflict(m) => Self::Conflict(m),
            ServiceError::LimitExceeded(m) => Self::LimitExceeded(m),
            ServiceError::TooLarge(m) => Self::TooLarge(m),
            ServiceError::UnsupportedMediaType(m) => Self::UnsupportedMediaType(m),
            ServiceError::RateLimited(m, wait) => Self::RateLimited(m, wait),
            ServiceError::Unavailable => Self::Unavailable,
            ServiceError::Unwritable => Self::Unwritable,
            ServiceError::Gone(m) => Self::Gone(m),
            ServiceError::Unauthenticated(m) => Self::Unauthenticated(m),
            ServiceError::Forbidden(m) => Self::Forbidden(m),
            ServiceError::Internal => Self::Internal,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        ServiceError::from(err).into()
    }
}

impl From<danvan_auth::AuthError> for ApiError {
    fn from(err: danvan_auth::AuthError) -> Self {
        ServiceError::from(err).into()
    }
}

impl From<danvan_domain::DomainError> for ApiError {
    fn from(err: danvan_domain::DomainError) -> Self {
        ServiceError::from(err).into()
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        let code = err.code();
        async_graphql::Error::new(err.message()).extend_with(|_, ext| {
            ext.set("code", code);
            // What HTTP would say in `Retry-After`: seconds to wait.
            if let Some(wait) = err.retry_after() {
                ext.set("retryAfter", wait);
            }
        })
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        self.clone().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use danvan_domain::DomainError;

    fn code_of(err: StoreError) -> &'static str {
        ApiError::from(err).code()
    }

    #[test]
    fn store_errors_map_to_stable_codes() {
        assert_eq!(
            code_of(DomainError::Empty { field: "title" }.into()),
            code::BAD_USER_INPUT
        );
        assert_eq!(
            code_of(StoreError::not_found("article", 1)),
            code::NOT_FOUND
        );
        assert_eq!(
            code_of(StoreError::Conflict {
                what: "slug".into()
            }),
            code::CONFLICT
        );
        assert_eq!(code_of(StoreError::MissingReference), code::BAD_USER_INPUT);
        assert_eq!(code_of(StoreError::BadCursor), code::BAD_USER_INPUT);
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let err = ApiError::from(StoreError::Database(danvan_store::DbErr::Custom(
            "SELECT secret FROM users".into(),
        )));
        assert_eq!(err.code(), code::INTERNAL);
        assert_eq!(err.message(), "internal error");
        let gql = async_graphql::Error::from(err);
        assert!(!gql.message.contains("SELECT"));
    }

    #[test]
    fn graphql_errors_carry_the_code_extension() {
        let gql = async_graphql::Error::from(ApiError::LimitExceeded("too many".into()));
        let ext = gql.extensions.expect("extensions");
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from(code::LIMIT_EXCEEDED))
        );
    }
}
