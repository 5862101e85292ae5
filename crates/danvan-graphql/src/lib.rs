#![doc = include_str!("../README.md")]

mod admin_unit;
mod article;
mod comment;
mod connection;
mod context;
mod document;
mod enums;
mod error;
mod execute;
mod filter;
mod id;
mod limits;
mod loader;
mod meeting;
mod model;
mod node;
mod organisation;
mod period;
mod preview;
mod query;
mod report_figure;
mod search;
mod site;
mod stats;
mod tag;

pub use error::{ApiError, code};
pub use preview::Mutation;
pub use query::Query;

use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, LruCacheStorage,
};
use async_graphql::{EmptySubscription, SDLExportOptions, Schema, SchemaBuilder};
use danvan_store::DatabaseConnection;

/// The served schema.
pub type DanvanSchema = Schema<Query, Mutation, EmptySubscription>;

/// How much one request may ask for. Set from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deepest nesting of fields.
    pub max_depth: usize,
    /// The highest complexity (roughly, the number of fields resolved).
    pub max_complexity: usize,
    /// The most items one page of a list may hold.
    pub max_page_size: u64,
    /// How many persisted queries each server keeps.
    pub persisted_queries: usize,
    /// The most aliased fields one query may hold.
    pub max_aliases: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 1000,
            max_page_size: danvan_store::page::MAX_PAGE_SIZE,
            persisted_queries: 1024,
            max_aliases: 30,
        }
    }
}

/// The schema's shape, without data or limits.
pub fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation, EmptySubscription)
}

/// The API as the server runs it: the schema with its limits, on a database.
#[derive(Clone)]
pub struct Api {
    schema: DanvanSchema,
    db: DatabaseConnection,
}

impl Api {
    /// The API on `db`, with `limits`.
    pub fn new(db: DatabaseConnection, limits: Limits) -> Self {
        let schema = builder()
            .limit_depth(limits.max_depth)
            .limit_complexity(limits.max_complexity)
            // Automatic persisted queries: a mobile app may send only a query's SHA-256 hash
            // once the query is known. Each replica keeps its own cache; a miss makes the
            // client send the query again, so nothing needs sharing between replicas.
            .extension(ApolloPersistedQueries::new(LruCacheStorage::new(
                limits.persisted_queries.max(1),
            )))
            .extension(limits::AliasLimit {
                max: limits.max_aliases,
            })
            .data(db.clone())
            .data(limits)
            .finish();
        Self { schema, db }
    }

    /// Executes one request, with loaders of its own; every error in the response carries
    /// a stable code.
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let request = request.data(loader::for_request(self.db.clone()));
        execute::execute(&self.schema, request).await
    }
}

/// The schema in SDL, as `schema.graphql` holds it.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().sorted_fields())
}
