#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod answers;
pub mod articles;
pub mod audit;
mod caller;
pub mod comments;
pub mod directory;
mod error;
pub mod freshness;
pub mod id;
pub mod import;
pub mod live;
pub mod media;
pub mod merges;
pub mod organisations;
pub mod reading;
pub mod reads;
pub mod sections;
pub mod session;
pub mod sync;
pub mod syndication;
pub mod views;
pub mod webhooks;

pub use caller::Caller;
pub use error::{RETRY_UNAVAILABLE_SECS, RETRY_UNWRITABLE_SECS, ServiceError, code};
