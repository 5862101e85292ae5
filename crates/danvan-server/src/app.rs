//! The application: its state, its router and how it serves.

use crate::config::Settings;
use crate::{auth, error, graphiql, graphql, health, subscriptions};
use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::{get, post};
use danvan_graphql::Api;
use danvan_store::DatabaseConnection;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: DatabaseConnection,
    /// The GraphQL API, with its limits.
    pub api: Api,
    /// The JSON API.
    pub rest: danvan_rest::Rest,
    /// Readers' views, counted in memory and written now and then.
    pub views: std::sync::Arc<danvan_service::views::ViewCounter>,
    view_flush: Duration,
    /// Feeds and sitemaps.
    pub syndication: danvan_syndication::Syndication,
    syndication_settings: danvan_syndication::Settings,
    webhook_settings: danvan_syndication::webhooks::WorkerSettings,
    pub(crate) body_limit: usize,
    timeout: Duration,
    /// The change log as it grows, for subscriptions.
    pub(crate) live: danvan_service::live::Live,
    /// The subscription sockets each client holds.
    pub(crate) sockets: subscriptions::Sockets,
    pub(crate) subscription_limits: danvan_graphql::Limits,
    /// Whose forwarded client addresses are believed.
    trusted_proxies: crate::client::TrustedProxies,
    /// Public GraphQL answers kept in memory.
    pub(crate) answers: danvan_service::answers::Answers,
    /// This server's metrics, at `/metrics`.
    pub(crate) metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// Read replicas, and the one read on.
    pub(crate) replicas: crate::replicas::Replicas,
    /// Who wrote lately: their reads run on the database itself, not on a replica.
    writers: danvan_service::reads::RecentWriters,
    /// Told when the server stops: subscription sockets close with 1001.
    pub stopping: Stopping,
    /// The media library.
    pub media: danvan_service::media::Served,
    media_grace: Duration,
}

/// Whether the server is stopping, for work that outlives a request (subscription sockets),
/// which hyper's graceful shutdown does not wait for.
#[derive(Clone, Default)]
pub struct Stopping(std::sync::Arc<tokio::sync::watch::Sender<bool>>);

impl Stopping {
    /// Tells everything waiting in [`Stopping::stopped`].
    pub fn stop(&self) {
        self.0.send_replace(true);
    }

    /// Completes once [`Stopping::stop`] has been called.
    pub async fn stopped(&self) {
        let mut told = self.0.subscribe();
        // `Err` only when the sender is gone, which it is not while `self` lives.
        let _ = told.wait_for(|stopping| *stopping).await;
    }
}

impl AppState {
    /// The state for `db` under `settings`; the signing keys are read (or, on a first
    /// start without configured keys, made) here.
    pub async fn new(db: DatabaseConnection, settings: &Settings) -> anyhow::Result<Self> {
        let sessions = crate::auth::sessions(&db, &settings.auth).await?;
        // One limiter for both doors: a client has one quota of comments.
        let comments = std::sync::Arc::new(danvan_graphql::CommentRate::new(
            settings.auth.comments_per_window.max(1),
            Duration::from_secs(settings.auth.comment_window_secs.max(1)),
        ));
        let views = std::sync::Arc::new(danvan_service::views::ViewCounter::default());
        let media = danvan_service::media::Served::new(
            std::sync::Arc::new(crate::media::library(settings)?),
            settings.media.public_url.trim_end_matches('/').to_owned(),
            crate::auth::media_key(&db, &settings.auth).await?,
        );
        let rest = danvan_rest::Rest::new(
            db.clone(),
            sessions.clone(),
            comments.clone(),
            danvan_rest::Settings {
                webhook_targets: settings.webhooks.targets(),
                ..settings.api.rest()
            },
        )
        .with_views(views.clone())
        .with_media(media.clone());
        let mut syndication_settings = settings.syndication();
        // Partners get absolute addresses: the CDN's when one is named, else this server's.
        syndication_settings.media = Some(danvan_service::media::Served {
            base_url: if media.base_url.is_empty() {
                syndication_settings.api_url.clone()
            } else {
                media.base_url.clone()
            },
            ..media.clone()
        });
        let live = danvan_service::live::Live::new(db.clone());
        let answers = danvan_service::answers::Answers::new(
            db.clone(),
            rest.freshness().clone(),
            settings
                .graphql
                .response_cache_mb
                .saturating_mul(1024 * 1024),
            Duration::from_secs(rest.cache_policy().max_age.into()),
        );
        // One reading of the change log for both doors' kept answers.
        let rest = rest.with_answers_beside(&answers);
        Ok(Self {
            answers,
            metrics: std::sync::Arc::default(),
            replicas: crate::replicas::Replicas::default(),
            writers: danvan_service::reads::RecentWriters::default(),
            syndication: syndication(db.clone(), &rest, syndication_settings.clone()),
            syndication_settings,
            webhook_settings: settings.webhooks.worker(),
            rest,
            api: Api::new(
                db.clone(),
                settings.graphql,
                sessions,
                comments,
                settings.api.rest().retention,
            )
            .with_webhook_targets(settings.webhooks.targets())
            .with_views(views.clone())
            .with_live(live.clone())
            .with_media(media.clone()),
            media,
            media_grace: Duration::from_secs(u64::from(settings.media.grace_hours) * 3600),
            live,
            sockets: subscriptions::Sockets::default(),
            stopping: Stopping::default(),
            subscription_limits: settings.graphql.bounded(),
            trusted_proxies: crate::client::TrustedProxies::parse(&settings.http.trusted_proxies)
                .map_err(anyhow::Error::msg)?,
            views,
            view_flush: Duration::from_millis(settings.api.view_flush_ms.max(10)),
            db,
            body_limit: settings.http.body_limit_bytes,
            timeout: Duration::from_secs(settings.http.request_timeout_secs),
        })
    }

    /// The state with GraphQL queries run on `readers` (see `danvan_store::connect_readers`).
    pub fn with_readers(self, readers: DatabaseConnection) -> Self {
        let rest = self.rest.with_readers(readers.clone());
        let answers = self.answers.on(readers.clone(), rest.freshness().clone());
        let rest = rest.with_answers_beside(&answers);
        Self {
            answers,
            api: self.api.with_readers(readers.clone()),
            syndication: syndication(readers, &rest, self.syndication_settings.clone()),
            rest,
            ..self
        }
    }

    /// The state with public reads run on `replicas`' chosen one, and a caller's reads
    /// on the database itself for `read_your_writes` after their write.
    pub(crate) fn with_replicas(
        self,
        replicas: crate::replicas::Replicas,
        read_your_writes: Duration,
    ) -> Self {
        let state = match replicas.in_use() {
            Some(replica) => Self {
                writers: danvan_service::reads::RecentWriters::new(read_your_writes),
                ..self.with_readers(replica.clone())
            },
            None => self,
        };
        Self { replicas, ..state }
    }
}

impl AppState {
    /// Writes the views counted every `view_flush_ms`, until dropped.
    pub fn view_flusher(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        self.views
            .clone()
            .flush_every(self.db.clone(), self.view_flush)
    }

    /// Removes media items deleted longer ago than the grace period, and the files no item
    /// names any more, at start and every hour, until dropped. With several servers each
    /// does it: an item already removed is simply not found again.
    pub fn media_purger(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let (db, library) = (self.db.clone(), self.media.library.clone());
        let grace = chrono::Duration::from_std(self.media_grace).unwrap_or(chrono::Duration::MAX);
        async move {
            let mut hourly = tokio::time::interval(Duration::from_secs(3600));
            loop {
                hourly.tick().await;
                match danvan_service::media::purge(&db, &library, grace).await {
                    Ok(0) => {}
                    Ok(items) => {
                        tracing::info!(items, "removed media deleted past the grace period")
                    }
                    Err(error) => tracing::error!(?error, "cannot remove deleted media"),
                }
            }
        }
    }

    /// Tells subscribers of the change log as it grows, woken by this server's writes and
    /// by other servers' (see `Freshness::follow`), until dropped.
    pub fn live_updates(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        self.live.clone().run(self.rest.freshness().writes())
    }

    /// The webhook worker of this server: it writes, so it works on the database itself,
    /// and wakes on this server's writes.
    pub fn webhook_worker(&self) -> anyhow::Result<danvan_syndication::webhooks::Worker> {
        let metrics = self.metrics.clone();
        Ok(danvan_syndication::webhooks::Worker::new(
            self.db.clone(),
            self.rest.freshness().clone(),
            self.webhook_settings,
        )?
        .with_observer(std::sync::Arc::new(move |seen| metrics.attempt(seen)))
        .with_media(self.syndication_settings.media.clone()))
    }
}

/// Feeds and sitemaps on `db`, sharing the JSON API's view of what is public and its kept
/// answers.
fn syndication(
    db: DatabaseConnection,
    rest: &danvan_rest::Rest,
    settings: danvan_syndication::Settings,
) -> danvan_syndication::Syndication {
    danvan_syndication::Syndication::new(
        db,
        rest.freshness().clone(),
        rest.responses().clone(),
        settings,
    )
}

/// Opens the configured database, applies pending migrations and, on a first start,
/// loads the demo data (see [`Settings::demo`]).
pub async fn prepare(settings: &Settings) -> anyhow::Result<AppState> {
    let wait = settings.database.wait();
    let db = danvan_store::connect_waiting(&settings.database_url, wait).await?;
    danvan_store::migrate(&db).await?;
    let wants_demo = settings.demo.unwrap_or_else(|| settings.is_embedded());
    if wants_demo && danvan_store::is_empty(&db).await? {
        let loaded = crate::demo::load(&db).await?;
        tracing::info!(
            sites = loaded.sites,
            articles = loaded.articles,
            "loaded the demo data into the empty database"
        );
    }
    let state = AppState::new(db, settings).await?;
    if !settings.database.read_url.is_empty() {
        if settings.is_embedded() {
            anyhow::bail!("read replicas ([database] read_url) are for PostgreSQL, not SQLite");
        }
        let replicas = crate::replicas::Replicas::open(&settings.database.read_url, wait).await;
        return Ok(state.with_replicas(
            replicas,
            Duration::from_millis(settings.database.read_your_writes_ms),
        ));
    }
    Ok(
        match danvan_store::connect_readers_waiting(&settings.database_url, wait).await? {
            Some(readers) => state.with_readers(readers),
            None => state,
        },
    )
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The router `danvan serve` runs: GraphQL, health, and the middleware every request goes through.
pub fn router(state: AppState) -> Router {
    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                let route = request
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map_or("unmatched", axum::extract::MatchedPath::as_str);
                // `otel.*` name and kind the span where traces are sent (see `telemetry`).
                let span = tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %id,
                    otel.name = %format!("{} {route}", request.method()),
                    otel.kind = "server",
                );
                crate::telemetry::join_caller_trace(&span, request.headers());
                span
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::custom(|_| {
            use axum::response::IntoResponse;
            tracing::error!("a request handler panicked");
            error::HttpError(danvan_graphql::ApiError::Internal).into_response()
        }))
        .layer(axum::middleware::from_fn_with_state(
            state.timeout,
            error::bound_time,
        ));
    // GraphiQL's files are large and cached for good: compressed once per browser.
    let graphiql = Router::new()
        .route(
            &format!("{}/{{file}}", graphiql::PREFIX),
            get(graphiql::asset),
        )
        .layer(tower_http::compression::CompressionLayer::new());
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(crate::metrics::serve))
        .layer(axum::middleware::from_fn_with_state(
            state.body_limit,
            error::limit_body,
        ))
        // After the layer above: `/graphql` limits its body itself, so that the refusal is
        // a GraphQL response.
        .merge(graphql_routes(&state))
        .route("/graphql/ws", get(subscriptions::upgrade))
        .merge(graphiql)
        .merge(
            danvan_rest::router(state.rest.clone())
                .layer(axum::extract::DefaultBodyLimit::max(state.body_limit))
                .layer(axum::middleware::from_fn_with_state(
                    state.body_limit,
                    error::limit_declared_body,
                )),
        )
        .merge(danvan_rest::media_router(state.rest.clone()))
        .merge(danvan_syndication::router(state.syndication.clone()))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::metrics::record,
        ))
        .layer(axum::middleware::from_fn_with_state(
            danvan_rest::caching::Writes {
                freshness: state.rest.freshness().clone(),
                writers: state.writers.clone(),
            },
            danvan_rest::caching::mark_writes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            crate::client::resolve,
        ))
        .layer(middleware)
        .with_state(state)
}

/// `/graphql`: compressed as the client accepts, and a GET (a persisted query) answered
/// with an `ETag` and 304 as the JSON API's answers are.
fn graphql_routes(state: &AppState) -> Router<AppState> {
    danvan_rest::compressed(
        Router::new()
            .route("/graphql", get(graphql::get).post(graphql::post))
            .layer(axum::middleware::from_fn_with_state(
                state.rest.cache_policy(),
                danvan_rest::caching::conditional,
            )),
    )
}

/// Serves `router` on `listener` until `shutdown` completes, then finishes the requests in
/// flight (within the shutdown deadline) and returns; with the default [`Connections`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, Connections::default()).await
}

/// What one client's connections may hold of the server.
#[derive(Debug, Clone, Copy)]
pub struct Connections {
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
    /// How long the requests in flight when the server is told to stop may take to finish;
    /// past it their connections are closed.
    pub shutdown_deadline: Duration,
}

impl Connections {
    /// The limits `http` sets.
    pub fn of(http: &crate::config::HttpSettings) -> Self {
        Self {
            header_read_timeout: Duration::from_secs(http.header_read_timeout_secs.max(1)),
            max_connections: http.max_connections.max(1),
            shutdown_deadline: Duration::from_secs(http.shutdown_secs),
        }
    }
}

impl Default for Connections {
    fn default() -> Self {
        Self::of(&crate::config::HttpSettings::default())
    }
}

/// As [`serve`], within `limits`: HTTP/1 and HTTP/2 (and WebSocket upgrades) through
/// hyper's connection builder, which, unlike `axum::serve`, can time out a client that
/// trickles its headers (slowloris); connections past the most are closed at once.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    limits: Connections,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "too many connections: closed a new one");
            continue;
        };
        // The peer's address reaches handlers as `ConnectInfo`: the audit log and the
        // comment limit need it.
        let router = router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                tower::ServiceExt::oneshot(router.clone(), request)
            },
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "a connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_deadline, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            deadline = ?limits.shutdown_deadline,
            "requests still in flight at the shutdown deadline were cut"
        );
    }
    Ok(())
}
