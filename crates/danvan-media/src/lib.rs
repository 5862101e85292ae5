//! danvan's media: a file's type from its bytes, images cleaned and measured, renditions,
//! and the storage they live in (a local folder or an S3-compatible store).
//!
//! Nothing here knows the database or who is asking: the service layer decides who may
//! upload and who may see, and keeps the records; this crate keeps the bytes.

mod error;
pub mod format;
pub mod library;
pub mod picture;
pub mod receive;
pub mod rendition;
pub mod storage;

pub use error::MediaError;
pub use format::{Format, Kind};
pub use library::{Kept, Library};
pub use receive::{Received, SizeLimits};
pub use rendition::Encoding;
pub use storage::{Place, S3Place, Storage};
