#![doc = include_str!("../README.md")]

mod app;
pub mod cli;
pub mod config;
pub mod demo;
mod error;
mod graphql;
mod health;
pub mod import;
mod telemetry;

pub use app::{AppState, prepare, router, serve};
pub use config::Settings;
