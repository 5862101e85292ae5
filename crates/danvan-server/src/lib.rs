#![doc = include_str!("../README.md")]

mod app;
mod auth;
pub mod cli;
mod client;
pub mod config;
mod crawl;
pub mod demo;
mod error;
mod graphiql;
mod graphql;
mod health;
pub mod import;
pub mod media;
mod merge;
mod metrics;
mod replicas;
pub mod sites;
mod subscriptions;
mod telemetry;
pub mod users;

pub use app::{AppState, Connections, Stopping, prepare, router, serve, serve_with};
pub use config::Settings;
