//! The one error of the media crate.

/// What went wrong with a file or the storage.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The file is larger than its kind may be.
    #[error("{0}")]
    TooLarge(String),
    /// The bytes are no image or document danvan keeps (SVG among them).
    #[error("{0}")]
    Unsupported(String),
    /// The bytes say they are an image but do not decode as one.
    #[error("{0}")]
    Unreadable(String),
    /// The upload stopped before its end.
    #[error("the upload was cut short: {0}")]
    Incomplete(String),
    /// A rendition of a width or format that is not made.
    #[error("{0}")]
    NoSuchRendition(String),
    /// Nothing is stored under the key.
    #[error("no such file in the storage")]
    NotFound,
    /// The storage failed (a full disk, an unreachable object store).
    #[error("storage: {0}")]
    Storage(String),
}

impl From<std::io::Error> for MediaError {
    fn from(error: std::io::Error) -> Self {
        Self::Storage(error.to_string())
    }
}

impl From<object_store::Error> for MediaError {
    fn from(error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { .. } => Self::NotFound,
            other => Self::Storage(other.to_string()),
        }
    }
}
