//! The one error type of the auth crate.

/// Why a request is refused, or a secret could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No valid credentials where some are needed: sign in first.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Signed in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The machine could not give randomness or hash a password: our fault.
    #[error("cannot {0}")]
    Internal(&'static str),
}
