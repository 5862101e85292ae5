//! Prometheus metrics at `/metrics`, in the OpenMetrics text format: requests by route,
//! method and status, their latency, kept GraphQL answers found or built, the database
//! pool, open subscription sockets and the webhook outbox's depth. Each server counts its
//! own; Prometheus adds them up across servers (the outbox is shared: every server reports
//! the same depth).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

type Labels = Vec<(&'static str, String)>;

/// This server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    kept: Family<Labels, Counter>,
    pool: Family<Labels, Gauge>,
    sockets: Gauge,
    outbox: Gauge,
}

fn latency_buckets() -> Histogram {
    // 0.1 ms to about 3 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("danvan");
        let requests = Family::<Labels, Counter>::default();
        let latency =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_buckets);
        let kept = Family::<Labels, Counter>::default();
        let pool = Family::<Labels, Gauge>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request to its answer's head, by route",
            latency.clone(),
        );
        registry.register(
            "graphql_kept_answers",
            "Public GraphQL answers given from memory (hit) or built and kept (miss)",
            kept.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Connections of the database pools, by pool and state",
            pool.clone(),
        );
        let sockets = Gauge::default();
        registry.register(
            "subscription_sockets",
            "GraphQL subscription WebSockets open on this server",
            sockets.clone(),
        );
        let outbox = Gauge::default();
        registry.register(
            "webhook_deliveries_pending",
            "Webhook deliveries owed and not yet made (the outbox's depth, shared by every server)",
            outbox.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            kept,
            pool,
            sockets,
            outbox,
        }
    }
}

impl Metrics {
    /// A kept answer found (`HIT`) or built (`MISS`).
    pub fn kept(&self, result: &'static str) {
        self.kept
            .get_or_create(&vec![("result", result.to_ascii_lowercase())])
            .inc();
    }

    fn pool(&self, name: &'static str, db: &danvan_store::DatabaseConnection) {
        let Some((size, idle)) = danvan_store::pool_use(db) else {
            return;
        };
        let idle = u32::try_from(idle).unwrap_or(u32::MAX);
        for (state, count) in [("idle", idle), ("busy", size.saturating_sub(idle))] {
            self.pool
                .get_or_create(&vec![
                    ("pool", name.to_owned()),
                    ("state", state.to_owned()),
                ])
                .set(i64::from(count));
        }
    }
}

/// The middleware that counts and times every request, by the route it matched.
pub async fn record(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let began = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics
        .latency
        .get_or_create(&vec![("route", route.clone())])
        .observe(began.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&vec![
            ("route", route),
            ("method", method),
            ("status", status),
        ])
        .inc();
    response
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>) -> Response {
    state.metrics.pool("primary", &state.db);
    state
        .metrics
        .sockets
        .set(i64::try_from(state.sockets.count()).unwrap_or(i64::MAX));
    match danvan_store::webhook::pending(&state.db).await {
        Ok(pending) => {
            state
                .metrics
                .outbox
                .set(i64::try_from(pending).unwrap_or(i64::MAX));
        }
        Err(error) => tracing::warn!(?error, "cannot count the webhook outbox for /metrics"),
    }
    let mut text = String::new();
    if encode(&mut text, &state.metrics.registry).is_err() {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
