#![doc = include_str!("../README.md")]

mod caller;
mod error;
pub mod import;

pub use caller::Caller;
pub use error::{ServiceError, code};
