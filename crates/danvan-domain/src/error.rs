//! The one error type of the domain crate.

/// Why a value was refused. Each variant names the field so that an API can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A required text is empty once white space is removed.
    #[error("{field} must not be empty")]
    Empty {
        /// The field.
        field: &'static str,
    },
    /// A text is longer than its limit, counted in characters as a reader counts them.
    #[error("{field} must be at most {max} characters, got {actual}")]
    TooLong {
        /// The field.
        field: &'static str,
        /// The limit.
        max: usize,
        /// The length given.
        actual: usize,
    },
    /// A value does not have the form the field needs.
    #[error("{field} is invalid: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong, in words a caller can show.
        reason: String,
    },
    /// A span of time ends before it starts.
    #[error("{field} ends ({end}) before it starts ({start})")]
    EndsBeforeStart {
        /// The field.
        field: &'static str,
        /// The start as given.
        start: String,
        /// The end as given.
        end: String,
    },
    /// A code that names none of a closed set of values.
    #[error("{field} has no value {code:?}")]
    UnknownCode {
        /// The field.
        field: &'static str,
        /// The code given.
        code: String,
    },
}

impl DomainError {
    /// Shorthand for [`DomainError::Invalid`].
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    /// The field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Empty { field }
            | Self::TooLong { field, .. }
            | Self::Invalid { field, .. }
            | Self::EndsBeforeStart { field, .. }
            | Self::UnknownCode { field, .. } => field,
        }
    }
}
