//! The errors of the use cases, each with the stable code both doors send.

use danvan_store::StoreError;

/// The stable codes of `extensions.code` (GraphQL) and `error.code` (JSON): one table for
/// every door, so that a client reads the same code whichever way it asked.
pub mod code {
    /// The input is malformed or breaks a rule.
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// Nothing with that id, slug or code.
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// A unique key is taken, or an update is stale.
    pub const CONFLICT: &str = "CONFLICT";
    /// The request asks for more than the limits allow.
    pub const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
    /// Too many requests of a kind (comments, failed sign-ins, a partner's per-minute
    /// quota): try again after the time the error names.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    /// A sync token older than the change log keeps: start again without one.
    pub const GONE: &str = "GONE";
    /// The request needs a signed-in user.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// The user may not do this.
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// A mutation sent with GET.
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    /// The request's body is of a media type that is not accepted, or has none.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
    /// An uploaded file is larger than its kind may be.
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    /// The client accepts no media type the answer can be given in.
    pub const NOT_ACCEPTABLE: &str = "NOT_ACCEPTABLE";
    /// The database cannot be reached now; try again after the time the error names.
    pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
    /// Our fault; the detail is in the server log.
    pub const INTERNAL: &str = "INTERNAL";
}

/// Why a use case did not do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceError {
    /// The input is malformed or breaks a rule; the message says which.
    BadUserInput(String),
    /// Nothing found.
    NotFound(String),
    /// A unique key is taken, or the record changed since it was read.
    Conflict(String),
    /// More than the limits allow.
    LimitExceeded(String),
    /// An uploaded file is larger than its kind may be.
    TooLarge(String),
    /// An uploaded file is of a type that is not kept (SVG, a program, an unknown file).
    UnsupportedMediaType(String),
    /// Too many of a kind lately; the client may try again after this many seconds.
    RateLimited(String, u64),
    /// The database cannot be reached now; the client may try again shortly.
    Unavailable,
    /// The database takes no writes now (read-only, or its disk full): nothing was written.
    Unwritable,
    /// What the request continues from is no longer kept.
    Gone(String),
    /// Credentials are missing or not valid.
    Unauthenticated(String),
    /// The credentials do not allow this.
    Forbidden(String),
    /// Our fault; the detail went to the log.
    Internal,
}

impl ServiceError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput(_) => code::BAD_USER_INPUT,
            Self::NotFound(_) => code::NOT_FOUND,
            Self::Conflict(_) => code::CONFLICT,
            Self::LimitExceeded(_) => code::LIMIT_EXCEEDED,
            Self::TooLarge(_) => code::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => code::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited(..) => code::RATE_LIMITED,
            Self::Unavailable | Self::Unwritable => code::SERVICE_UNAVAILABLE,
            Self::Gone(_) => code::GONE,
            Self::Unauthenticated(_) => code::UNAUTHENTICATED,
            Self::Forbidden(_) => code::FORBIDDEN,
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
            | Self::TooLarge(m)
            | Self::UnsupportedMediaType(m)
            | Self::RateLimited(m, _)
            | Self::Gone(m)
            | Self::Unauthenticated(m)
            | Self::Forbidden(m) => m,
            Self::Unavailable | Self::Unwritable => self.message_static(),
            Self::Internal => "internal error",
        }
    }

    /// The message of an error that carries none of its own.
    pub fn message_static(&self) -> &'static str {
        match self {
            Self::Unavailable => "the database is unavailable; try again shortly",
            Self::Unwritable => {
                "the database cannot take writes now (read-only, or its disk is full); \
                 nothing was written"
            }
            _ => "internal error",
        }
    }
}

/// Seconds a client is told to wait before trying again when the database is unavailable.
pub const RETRY_UNAVAILABLE_SECS: u64 = 5;

/// Seconds a client is told to wait before writing again when the database takes no
/// writes: someone has to make room, which takes longer than a restart.
pub const RETRY_UNWRITABLE_SECS: u64 = 60;

impl ServiceError {
    /// Seconds the client should wait before trying again, for a rate limit.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited(_, seconds) => Some(*seconds),
            Self::Unavailable => Some(RETRY_UNAVAILABLE_SECS),
            Self::Unwritable => Some(RETRY_UNWRITABLE_SECS),
            _ => None,
        }
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ServiceError {}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Invalid(e) => Self::BadUserInput(e.to_string()),
            StoreError::NotFound { .. } => Self::NotFound(err.to_string()),
            StoreError::Conflict { .. } => Self::Conflict(err.to_string()),
            StoreError::MissingReference | StoreError::BadCursor => {
                Self::BadUserInput(err.to_string())
            }
            StoreError::Unavailable(_) => {
                tracing::warn!(error = ?err, "the database is unavailable");
                Self::Unavailable
            }
            StoreError::Unwritable(_) => {
                tracing::error!(error = ?err, "the database takes no writes");
                Self::Unwritable
            }
            StoreError::Corrupt { .. } | StoreError::Database(_) => {
                // The client gets a code; the log gets the whole chain.
                tracing::error!(error = ?err, "store failure");
                Self::Internal
            }
        }
    }
}

impl From<danvan_auth::AuthError> for ServiceError {
    fn from(err: danvan_auth::AuthError) -> Self {
        use danvan_auth::AuthError;
        match err {
            AuthError::Unauthenticated(m) => Self::Unauthenticated(m.into()),
            AuthError::Forbidden(m) => Self::Forbidden(m.into()),
            AuthError::Internal(what) => {
                tracing::error!(what, "authentication failure");
                Self::Internal
            }
        }
    }
}

impl From<danvan_domain::DomainError> for ServiceError {
    fn from(err: danvan_domain::DomainError) -> Self {
        Self::BadUserInput(err.to_string())
    }
}

impl From<danvan_media::MediaError> for ServiceError {
    fn from(err: danvan_media::MediaError) -> Self {
        use danvan_media::MediaError;
        match err {
            MediaError::TooLarge(m) => Self::TooLarge(m),
            MediaError::Unsupported(m) => Self::UnsupportedMediaType(m),
            MediaError::Unreadable(m) | MediaError::Incomplete(m) => Self::BadUserInput(m),
            MediaError::NoSuchRendition(m) => Self::NotFound(m),
            MediaError::NotFound => {
                tracing::error!("a media item's file is missing from the storage");
                Self::NotFound("the file is missing from the storage".into())
            }
            MediaError::Storage(detail) => {
                tracing::error!(%detail, "media storage failure");
                Self::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use danvan_auth::AuthError;

    #[test]
    fn the_policy_s_refusals_keep_their_codes_and_hide_our_faults() {
        let cases = [
            (
                AuthError::Unauthenticated("sign in first"),
                code::UNAUTHENTICATED,
            ),
            (AuthError::Forbidden("not yours"), code::FORBIDDEN),
            (AuthError::Internal("hash the password"), code::INTERNAL),
        ];
        for (err, expected) in cases {
            let err = ServiceError::from(err);
            assert_eq!(err.code(), expected);
            assert!(!err.message().contains("hash"), "{err}");
        }
        let store = ServiceError::from(StoreError::Database(danvan_store::DbErr::Custom(
            "SELECT secret FROM users".into(),
        )));
        assert_eq!(
            (store.code(), store.message()),
            (code::INTERNAL, "internal error")
        );
    }
}
