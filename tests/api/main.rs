//! End-to-end tests: the real router, served on a free port, against a fresh SQLite file and
//! a fresh PostgreSQL database, driven over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod answers;
mod articles;
mod auth;
mod clusters;
mod directory;
mod feeds;
mod health;
mod helpers;
mod http;
mod introspection;
mod media;
mod newsroom;
mod openapi;
mod outage;
mod preview;
mod replicas;
mod reports;
mod rest;
mod roles;
mod saturation;
mod schema;
mod search;
mod subscriptions;
mod webhooks;
mod writing;
