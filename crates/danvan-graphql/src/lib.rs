#![doc = include_str!("../README.md")]

mod account;
mod admin_unit;
mod article;
mod audit;
mod comment;
mod connection;
mod context;
mod directory;
mod document;
mod enums;
mod error;
mod execute;
mod filter;
mod id;
mod limits;
mod loader;
mod media;
mod meeting;
mod method;
mod model;
mod moderation;
mod newsroom;
mod node;
mod organisation;
mod period;
mod preview;
mod query;
mod reference;
mod registry;
mod report_figure;
mod reporting;
mod search;
pub mod shows;
mod views;
mod webhook;
pub use danvan_service::session;
mod site;
mod stats;
mod subscription;
mod sync;
mod tag;
mod writing;
pub mod ws;

pub use context::Caller;
pub use error::{ApiError, code};
pub use moderation::CommentRate;
pub use session::{Session, Sessions};

/// Every query: what the public reads, and what the newsroom, moderators and admins read.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(
    query::PublicQuery,
    newsroom::NewsroomQuery,
    moderation::ModerationQuery,
    account::AccountQuery,
    audit::AuditQuery,
    sync::SyncQuery,
    webhook::WebhookQuery,
    media::MediaQuery,
);

/// Every mutation. Each asks the one policy of `danvan-auth` before it acts, and each is
/// written to the audit log.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    account::AccountMutation,
    newsroom::NewsroomMutation,
    directory::DirectoryMutation,
    registry::RegistryMutation,
    reporting::ReportingMutation,
    reference::ReferenceMutation,
    moderation::ModerationMutation,
    preview::PreviewMutation,
    webhook::WebhookMutation,
    views::ViewMutation,
    media::MediaMutation,
);

use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, LruCacheStorage,
};
use async_graphql::{SDLExportOptions, Schema, SchemaBuilder};
use danvan_store::DatabaseConnection;
pub use subscription::Subscription;

/// The served schema.
pub type DanvanSchema = Schema<Query, Mutation, Subscription>;

/// How much one request may ask for: the `[graphql]` section of the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
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
    /// The most fields (and fragment spreads) one query may write.
    pub max_fields: usize,
    /// The most directives one query may write.
    pub max_directives: usize,
    /// The deepest nesting of introspection fields, from `__schema` or `__type` down.
    pub max_introspection_depth: usize,
    /// Whether the schema can be read by introspection (`__schema`, `__type`).
    pub introspection: bool,
    /// The most subscriptions one WebSocket runs at once.
    pub subscriptions_per_connection: usize,
    /// The most subscription WebSockets one client address holds open on one server.
    pub connections_per_client: usize,
    /// Seconds a new WebSocket has to send `connection_init`.
    pub init_timeout_secs: u64,
    /// Seconds between the server's keep-alive pings.
    pub keep_alive_secs: u64,
    /// Mebibytes of public query answers each server keeps (zero: none kept).
    pub response_cache_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 1000,
            max_page_size: danvan_store::page::MAX_PAGE_SIZE,
            persisted_queries: 1024,
            max_aliases: 30,
            max_fields: 300,
            max_directives: 50,
            // graphql-js's introspection query nests 15 deep (its default type depth of
            // nine `ofType`s); one more level for a tool that asks for ten.
            max_introspection_depth: 16,
            introspection: true,
            subscriptions_per_connection: 20,
            connections_per_client: 50,
            init_timeout_secs: 10,
            keep_alive_secs: 15,
            response_cache_mb: 32,
        }
    }
}

impl Limits {
    /// The limits with what the store and the cache can do: a page size the store serves,
    /// at least one persisted query.
    pub fn bounded(self) -> Self {
        Self {
            max_page_size: self
                .max_page_size
                .clamp(1, danvan_store::page::MAX_PAGE_SIZE),
            persisted_queries: self.persisted_queries.max(1),
            subscriptions_per_connection: self.subscriptions_per_connection.max(1),
            connections_per_client: self.connections_per_client.max(1),
            ..self
        }
    }
}

/// The schema's shape, without data or limits.
pub fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
}

/// The API as the server runs it: the schema with its limits, on a database.
#[derive(Clone)]
pub struct Api {
    /// Every request may run here: the extensions check its shape, look up persisted
    /// queries, refuse mutations over GET and log mutations.
    schema: DanvanSchema,
    /// The same schema without extensions, for plain queries, whose shape `execute` checks
    /// itself. With any extension, async-graphql wraps every field of an answer in the
    /// extensions' hooks and looks its type up by name; a page of twenty articles resolves
    /// some six hundred fields, and that was a third of its time.
    reads: DanvanSchema,
    limits: Limits,
    db: DatabaseConnection,
    /// Where queries run when reads have a pool of their own (SQLite); mutations, and
    /// everything they read, stay on `db`.
    readers: Option<DatabaseConnection>,
    sessions: Sessions,
    /// Which addresses webhooks may be registered at.
    targets: danvan_service::webhooks::Targets,
    /// Readers' views, counted in memory.
    views: std::sync::Arc<danvan_service::views::ViewCounter>,
    /// The change log as it grows, for subscriptions.
    live: Option<danvan_service::live::Live>,
    /// The media library, when the server keeps one.
    media: Option<danvan_service::media::Served>,
}

impl Api {
    /// The API on `db`, with `limits` (bounded to what the store serves), signing tokens as `sessions` says and limiting
    /// comments at `comments`.
    pub fn new(
        db: DatabaseConnection,
        limits: Limits,
        sessions: Sessions,
        comments: std::sync::Arc<CommentRate>,
        retention: danvan_service::sync::Retention,
    ) -> Self {
        let limits = limits.bounded();
        let base = || {
            let mut schema = builder();
            if !limits.introspection {
                schema = schema.disable_introspection();
            }
            schema
                .limit_complexity(limits.max_complexity)
                .data(db.clone())
                .data(limits)
                .data(sessions.clone())
                .data(retention)
        };
        let reads = base().finish();
        let schema = base()
            // Depth is checked by `limits::ShapeLimits`, which counts introspection apart.
            // Automatic persisted queries: a mobile app may send only a query's SHA-256 hash
            // once the query is known. Each replica keeps its own cache; a miss makes the
            // client send the query again, so nothing needs sharing between replicas.
            .extension(ApolloPersistedQueries::new(LruCacheStorage::new(
                limits.persisted_queries,
            )))
            .extension(limits::ShapeLimits(limits))
            .extension(method::QueriesOnlyOverGet)
            .extension(audit::AuditLog)
            .extension(shows::NoteShown)
            // Comments are posted by mutations only.
            .data(comments)
            .finish();
        Self {
            schema,
            reads,
            limits,
            db,
            readers: None,
            sessions,
            targets: danvan_service::webhooks::Targets::default(),
            views: std::sync::Arc::default(),
            live: None,
            media: None,
        }
    }

    /// The API serving the media library `media` (`uploadMedia`, `Image.renditions`).
    pub fn with_media(self, media: danvan_service::media::Served) -> Self {
        Self {
            media: Some(media),
            ..self
        }
    }

    /// The API with subscriptions following `live`.
    pub fn with_live(self, live: danvan_service::live::Live) -> Self {
        Self {
            live: Some(live),
            ..self
        }
    }

    /// The API counting readers' views in `views` (shared with the other doors).
    pub fn with_views(self, views: std::sync::Arc<danvan_service::views::ViewCounter>) -> Self {
        Self { views, ..self }
    }

    /// The API with webhooks allowed to reach what `targets` says.
    pub fn with_webhook_targets(self, targets: danvan_service::webhooks::Targets) -> Self {
        Self { targets, ..self }
    }

    /// The API with queries run on `readers` (see `danvan_store::connect_readers`).
    pub fn with_readers(self, readers: DatabaseConnection) -> Self {
        Self {
            readers: Some(readers),
            ..self
        }
    }

    /// Executes one request from `caller`, with loaders of its own; every error in the
    /// response carries a stable code.
    pub async fn execute(
        &self,
        request: async_graphql::Request,
        caller: Caller,
    ) -> async_graphql::Response {
        self.run(request, caller, None).await
    }

    /// Executes one public request whose answer may be kept (see
    /// `danvan_service::answers`): as [`Api::execute`] (or [`Api::execute_safe`], when
    /// `safe`), and what its answer shows, `None` when it may not be kept (it wrote, or
    /// failed).
    pub async fn execute_kept(
        &self,
        mut request: async_graphql::Request,
        caller: Caller,
        safe: bool,
    ) -> (
        async_graphql::Response,
        Option<Vec<danvan_service::answers::Shows>>,
    ) {
        if safe {
            request = method::SafeMethod::mark(request);
        }
        let seen = shows::Seen::default();
        let response = self.run(request, caller, Some(seen.clone())).await;
        let shows = seen.finish(&response);
        (response, shows)
    }

    async fn run(
        &self,
        mut request: async_graphql::Request,
        caller: Caller,
        seen: Option<shows::Seen>,
    ) -> async_graphql::Response {
        let reads_only = execute::only_reads(&mut request);
        let db = match &self.readers {
            Some(readers) if reads_only && !danvan_service::reads::reads_on_primary() => readers,
            _ => &self.db,
        };
        if let Some(seen) = seen.clone() {
            request = request.data(seen);
        }
        // A persisted query's text may not be in the request yet; the extension fills it in.
        // What an answer shows is noted by an extension too.
        let plain_query =
            reads_only && seen.is_none() && !request.extensions.contains_key("persistedQuery");
        let schema = if plain_query {
            if let Ok(document) = request.parsed_query()
                && let Err(error) = limits::ShapeLimits(self.limits).check(document)
            {
                return async_graphql::Response::from_errors(vec![error.to_server_error()]);
            }
            &self.reads
        } else {
            &self.schema
        };
        let request = self.with_data(request, db, loader::for_request(db.clone()), caller);
        execute::execute(schema, request).await
    }

    /// `request` with what resolvers take from its context: the database it runs on, its
    /// loaders and its caller, and what the API shares.
    fn with_data(
        &self,
        request: async_graphql::Request,
        db: &DatabaseConnection,
        loaders: loader::Loaders,
        caller: Caller,
    ) -> async_graphql::Request {
        let mut request = request
            .data(db.clone())
            .data(loaders)
            .data(self.targets)
            .data(self.views.clone())
            .data(caller);
        if let Some(live) = &self.live {
            request = request.data(live.clone());
        }
        if let Some(media) = &self.media {
            request = request.data(media.clone());
        }
        request
    }

    /// Runs one subscription from `caller`: its events as responses, or one response with
    /// the errors that kept it from starting (see `ws`). Its loaders keep nothing from one
    /// event to the next: a subscription lives long, and what its first event loaded may
    /// have changed by the next.
    pub fn subscribe(
        &self,
        request: async_graphql::Request,
        caller: Caller,
    ) -> impl futures::Stream<Item = async_graphql::Response> + Send + 'static {
        let loaders = loader::for_request(self.db.clone());
        loaders.enable_all_cache(false);
        let request = self.with_data(request, &self.db, loaders, caller);
        let schema = self.schema.clone();
        futures::StreamExt::map(schema.execute_stream(request), |mut response| {
            execute::ensure_codes(&mut response);
            response
        })
    }

    /// Executes one request that came by a safe method (GET): as [`Api::execute`], but a
    /// mutation is refused with `METHOD_NOT_ALLOWED` before anything runs.
    pub async fn execute_safe(
        &self,
        request: async_graphql::Request,
        caller: Caller,
    ) -> async_graphql::Response {
        self.execute(method::SafeMethod::mark(request), caller)
            .await
    }

    /// Who sends a request with these credentials (see [`session::authenticate`]).
    pub async fn authenticate(
        &self,
        bearer: Option<&str>,
        api_key: Option<&str>,
    ) -> Result<danvan_auth::Principal, ApiError> {
        Ok(session::authenticate(&self.db, &self.sessions, bearer, api_key).await?)
    }

    /// Signs in from `client` (its address; see [`session::login`]).
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: Option<&str>,
    ) -> Result<Session, ApiError> {
        Ok(session::login(&self.db, &self.sessions, username, password, client).await?)
    }

    /// Exchanges a refresh token (see [`session::refresh`]).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, ApiError> {
        Ok(session::refresh(&self.db, &self.sessions, refresh_token).await?)
    }

    /// Signs out (see [`session::logout`]).
    pub async fn logout(&self, refresh_token: &str) -> Result<(), ApiError> {
        Ok(session::logout(&self.db, refresh_token).await?)
    }
}

/// Whether a request runs a query only (no mutation): a door need not treat it as a write.
pub fn reads_only(request: &mut async_graphql::Request) -> bool {
    execute::only_reads(request)
}

/// The schema in SDL, as `schema.graphql` holds it.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().sorted_fields())
}
