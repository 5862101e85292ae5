#![doc = include_str!("../README.md")]

mod error;
pub mod password;
pub mod policy;
pub mod secret;
pub mod token;
pub mod webhook;

pub use error::AuthError;
pub use policy::{Action, Principal, authorize};
pub use token::{AccessToken, SigningKey, TokenKeys};
