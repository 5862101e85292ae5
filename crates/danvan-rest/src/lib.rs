#![doc = include_str!("../README.md")]

pub mod caching;
pub mod caller;
mod kept;
pub mod openapi;
pub mod paging;
pub mod params;
pub mod problem;
pub mod rate;
pub mod view;

mod articles;
mod auth;
mod comments;
mod figures;
mod media;
mod meetings;
mod models;
mod organisations;
mod people;
mod references;
mod search;
mod sites;
mod sync;
mod webhooks;

use axum::Router;
use axum::routing::{get, post};
use danvan_service::comments::CommentRate;
use danvan_service::session::Sessions;
use danvan_service::sync::Retention;
use danvan_store::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;

pub use danvan_service::freshness::Freshness;

pub use articles::whole_article;
pub use caching::{CachePolicy, Responses};
pub use problem::Problem;
pub use rate::{RateLimiter, Rates};

/// Where the JSON API is served.
pub const PREFIX: &str = "/api/v1";

/// What the JSON API's handlers share.
#[derive(Clone)]
pub struct Rest {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    /// Writes, and what they read.
    db: DatabaseConnection,
    /// Reads, when they have a pool of their own (SQLite).
    readers: Option<DatabaseConnection>,
    sessions: Sessions,
    comments: Arc<CommentRate>,
    retention: Retention,
    cache: CachePolicy,
    rates: Arc<RateLimiter>,
    /// What the public's view of the articles depends on, known in memory.
    freshness: Freshness,
    /// Public answers kept under their tag (feeds and sitemaps).
    responses: Responses,
    /// Public answers of the JSON API kept under their address, purged by what they show
    /// (see `danvan_service::answers`).
    answers: danvan_service::answers::Answers,
    validator_max_age: Duration,
    /// Which addresses webhooks may be registered at.
    webhook_targets: danvan_service::webhooks::Targets,
    /// Readers' views, counted in memory.
    views: Arc<danvan_service::views::ViewCounter>,
    /// The media library, when the server keeps one.
    media: Option<danvan_service::media::Served>,
}

/// The settings of the JSON API.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long public answers may be kept.
    pub cache: CachePolicy,
    /// How long the change log is kept for syncs.
    pub retention: Retention,
    /// Partners' request rates.
    pub rates: Rates,
    /// How long a process trusts the change log's end it last read before reading it
    /// again: writes through another process are seen within this time (its own at once).
    pub validator_max_age: Duration,
    /// The most bytes of public answers kept in memory (zero: none), for the JSON API's
    /// answers and as many again for feeds and sitemaps.
    pub response_cache_bytes: u64,
    /// Which addresses webhooks may be registered at.
    pub webhook_targets: danvan_service::webhooks::Targets,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cache: CachePolicy::default(),
            retention: Retention::default(),
            rates: Rates::default(),
            validator_max_age: Duration::from_secs(1),
            response_cache_bytes: 32 * 1024 * 1024,
            webhook_targets: danvan_service::webhooks::Targets::default(),
        }
    }
}

impl Rest {
    /// The JSON API on `db`, checking credentials with `sessions` and limiting comments
    /// with `comments` (the same limiter as GraphQL's, so that a client has one quota).
    pub fn new(
        db: DatabaseConnection,
        sessions: Sessions,
        comments: Arc<CommentRate>,
        settings: Settings,
    ) -> Self {
        let freshness = Freshness::new(db.clone(), settings.validator_max_age);
        Self {
            inner: Arc::new(Inner {
                answers: danvan_service::answers::Answers::new(
                    db.clone(),
                    freshness.clone(),
                    settings.response_cache_bytes,
                    Duration::from_secs(settings.cache.max_age.into()),
                ),
                freshness,
                db,
                readers: None,
                sessions,
                comments,
                retention: settings.retention,
                cache: settings.cache,
                rates: Arc::new(RateLimiter::new(settings.rates)),
                responses: Responses::new(
                    settings.response_cache_bytes,
                    Duration::from_secs(settings.cache.max_age.into()),
                ),
                validator_max_age: settings.validator_max_age,
                webhook_targets: settings.webhook_targets,
                views: Arc::default(),
                media: None,
            }),
        }
    }

    /// The JSON API with its reads run on `readers` (see `danvan_store::connect_readers`).
    pub fn with_readers(self, readers: DatabaseConnection) -> Self {
        let mut inner = (*self.inner).clone();
        inner.freshness = Freshness::new(readers.clone(), inner.validator_max_age);
        inner.answers = inner.answers.on(readers.clone(), inner.freshness.clone());
        inner.readers = Some(readers);
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The JSON API keeping its answers beside `other` (GraphQL's), reading the change log
    /// once for both.
    pub fn with_answers_beside(self, other: &danvan_service::answers::Answers) -> Self {
        let mut inner = (*self.inner).clone();
        inner.answers = inner.answers.sharing_log_with(other);
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The JSON API counting readers' views in `views` (shared with the other doors).
    pub fn with_views(self, views: Arc<danvan_service::views::ViewCounter>) -> Self {
        let mut inner = (*self.inner).clone();
        inner.views = views;
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The JSON API serving the media library `media`.
    pub fn with_media(self, media: danvan_service::media::Served) -> Self {
        let mut inner = (*self.inner).clone();
        inner.media = Some(media);
        Self {
            inner: Arc::new(inner),
        }
    }

    /// How long public answers may be kept.
    pub fn cache_policy(&self) -> CachePolicy {
        self.inner.cache
    }

    /// What the public's view of the articles depends on: a server moves it with
    /// [`Freshness::changed`] after each request that may have written.
    pub fn freshness(&self) -> &Freshness {
        &self.inner.freshness
    }

    /// Public answers kept under their tag (feeds and sitemaps).
    pub fn responses(&self) -> &Responses {
        &self.inner.responses
    }

    /// The JSON API's public answers kept under their address.
    pub fn answers(&self) -> &danvan_service::answers::Answers {
        &self.inner.answers
    }

    /// Where reads run: on the readers' pool or replica when there is one, unless the
    /// caller wrote lately (see `danvan_service::reads`).
    pub(crate) fn reader(&self) -> &DatabaseConnection {
        match &self.inner.readers {
            Some(readers) if !danvan_service::reads::reads_on_primary() => readers,
            _ => &self.inner.db,
        }
    }

    /// Where writes run.
    pub(crate) fn writer(&self) -> &DatabaseConnection {
        &self.inner.db
    }
}

/// The routes of the JSON API under [`PREFIX`], and `/api/docs`.
pub fn router<S: Clone + Send + Sync + 'static>(rest: Rest) -> Router<S> {
    let public = Router::new()
        .route("/sites", get(sites::list))
        .route("/sites/{site}", get(sites::one))
        .route("/sites/{site}/articles/{slug}", get(articles::by_slug))
        .route("/sites/{site}/categories", get(references::categories))
        .route("/articles", get(articles::list))
        .route("/articles/{id}", get(articles::one))
        .route("/organisations", get(organisations::list))
        .route("/organisations/{id}", get(organisations::one))
        .route("/organisations/{id}/children", get(organisations::children))
        .route(
            "/organisations/{id}/ancestors",
            get(organisations::ancestors),
        )
        .route("/people", get(people::list))
        .route("/people/{id}", get(people::one))
        .route("/positions", get(people::positions))
        .route("/meetings", get(meetings::list))
        .route("/meetings/{id}", get(meetings::one))
        .route("/dvk-models", get(models::list))
        .route("/dvk-models/counts", get(models::counts))
        .route("/dvk-models/{id}", get(models::one))
        .route("/report-figures", get(figures::list))
        .route("/report-figures/series", get(figures::series))
        .route("/documents", get(references::documents))
        .route("/campaigns", get(references::campaigns))
        .route("/tags", get(references::tags))
        .route("/admin-units", get(references::admin_units))
        .route("/admin-units/{id}", get(references::admin_unit))
        .route("/search", get(search::search))
        .route("/suggest", get(search::suggest))
        .route("/sync", get(sync::sync))
        .route("/openapi.json", get(openapi::document))
        .layer(axum::middleware::from_fn_with_state(
            rest.clone(),
            kept::answer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            rest.inner.cache,
            caching::conditional,
        ));
    let api = Router::new()
        .merge(public)
        .route("/articles/{id}/comments", post(comments::post))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{id}", axum::routing::delete(webhooks::delete))
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/webhooks/{id}/replay", post(webhooks::replay))
        .route("/webhooks/{id}/rotate-secret", post(webhooks::rotate))
        .route("/webhooks/{id}/enable", post(webhooks::enable))
        .fallback(|| async {
            Problem::new(
                axum::http::StatusCode::NOT_FOUND,
                danvan_service::code::NOT_FOUND,
                "no such path in the JSON API",
            )
        })
        .method_not_allowed_fallback(method_not_allowed);
    let api = with_caller(api, &rest).with_state(rest.clone());
    // Counting a view is the request a portal sends most after reading: it needs no
    // caller, no partner's rate and has no body to compress, so it is routed beside the
    // JSON API rather than through its layers.
    let views = Router::new()
        .route(
            &format!("{PREFIX}/articles/{{id}}/views"),
            post(articles::count_view),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(rest);
    compressed(Router::new().nest(PREFIX, api))
        .merge(views)
        .merge(openapi::docs())
}

/// The media library's routes: uploads, whose bodies are held to the largest file's limit
/// (each kind's own is checked as the bytes arrive) rather than the JSON API's, the items,
/// and their files at `/media/{id}/…`.
pub fn media_router<S: Clone + Send + Sync + 'static>(rest: Rest) -> Router<S> {
    // The multipart envelope and the text fields around the largest file.
    let largest = rest.inner.media.as_ref().map_or(0, |m| {
        let limits = m.library.limits();
        usize::try_from(limits.image.max(limits.document)).unwrap_or(usize::MAX)
    });
    let upload = Router::new()
        .route(
            &format!("{PREFIX}/media"),
            post(media::upload).get(media::library),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            largest.saturating_add(1024 * 1024),
        ));
    let routes = Router::new()
        .merge(upload)
        .route(
            &format!("{PREFIX}/media/{{id}}"),
            get(media::one).patch(media::describe).delete(media::delete),
        )
        .route("/media/{id}/{file}", get(media::file))
        .method_not_allowed_fallback(method_not_allowed);
    with_caller(routes, &rest).with_state(rest)
}

/// `routes` knowing who calls (a token or a partner's key) and holding partners to their
/// rates, as every route of the JSON API does.
fn with_caller(routes: Router<Rest>, rest: &Rest) -> Router<Rest> {
    routes
        .layer(axum::middleware::from_fn_with_state(
            rest.clone(),
            caller::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            rest.inner.rates.clone(),
            rate::limit,
        ))
}

/// The answer to a method a path does not take.
async fn method_not_allowed() -> Problem {
    Problem::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        danvan_service::code::METHOD_NOT_ALLOWED,
        "this path does not take this method",
    )
}

/// `router` with its answers compressed as `Accept-Encoding` asks (gzip, br, zstd), each
/// compressed answer's `ETag` naming its coding: for this door and GraphQL's.
pub fn compressed<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn(caching::mark_encoding))
}
