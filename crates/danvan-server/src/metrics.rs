//! Prometheus metrics at `/metrics`, in the OpenMetrics text format: requests by route,
//! method and status, and their latency; GraphQL operations by name; kept GraphQL and
//! JSON API answers found, built and purged; the database pools' connections and how long
//! taking one takes; open subscription sockets and subscriptions; the webhook
//! outbox's depth and each delivery attempt (its time, and how long the delivery had been
//! owed); readers' views counted and flushed. Each server counts its own; Prometheus adds
//! them up across servers (the outbox is shared: every server reports the same depth).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

type Labels = Vec<(&'static str, String)>;

/// This server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    kept: Family<Labels, Counter>,
    pool: Family<Labels, Gauge>,
    pool_wait: Family<Labels, Gauge<f64, std::sync::atomic::AtomicU64>>,
    sockets: Gauge,
    subscriptions: Gauge,
    outbox: Gauge,
    operations: Family<Labels, Counter>,
    operation_latency: Family<Labels, Histogram, fn() -> Histogram>,
    /// The operation names counted so far: a client names its operations, so past
    /// [`MOST_OPERATIONS`] of them the others are counted as `other`.
    operation_names: Mutex<HashSet<String>>,
    attempts: Family<Labels, Counter>,
    attempt_latency: Histogram,
    owed_for: Histogram,
}

/// The most GraphQL operation names with series of their own.
const MOST_OPERATIONS: usize = 200;

/// The GraphQL operation a response answered, as its name: `anonymous` when it has none,
/// `invalid` when the name is no GraphQL name (or longer than 64 characters).
#[derive(Debug, Clone)]
pub struct Operation(String);

impl Operation {
    /// The operation `request` names, or its query's first operation is named.
    pub fn of(request: &async_graphql::Request) -> Self {
        let name = request
            .operation_name
            .as_deref()
            .or_else(|| named_in(&request.query));
        Self(match name {
            None | Some("") => "anonymous".to_owned(),
            Some(name)
                if name.len() <= 64
                    && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                name.to_owned()
            }
            Some(_) => "invalid".to_owned(),
        })
    }
}

/// The name of the operation a query begins with: `Home` in `query Home { … }`.
fn named_in(query: &str) -> Option<&str> {
    let rest = query.trim_start();
    let rest = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| rest.strip_prefix(keyword))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn delay_buckets() -> Histogram {
    // 1 ms to about a day: a delivery may be retried for 24 hours.
    Histogram::new(exponential_buckets(0.001, 4.0, 14))
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
        let pool_wait = Family::<Labels, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
        registry.register(
            "db_pool_wait_seconds",
            "How long taking a connection from each database pool took at this scrape",
            pool_wait.clone(),
        );
        let sockets = Gauge::default();
        registry.register(
            "subscription_sockets",
            "GraphQL subscription WebSockets open on this server",
            sockets.clone(),
        );
        let subscriptions = Gauge::default();
        registry.register(
            "subscriptions",
            "GraphQL subscriptions running on this server (each following the change log)",
            subscriptions.clone(),
        );
        let outbox = Gauge::default();
        registry.register(
            "webhook_deliveries_pending",
            "Webhook deliveries owed and not yet made (the outbox's depth, shared by every server)",
            outbox.clone(),
        );
        let operations = Family::<Labels, Counter>::default();
        registry.register(
            "graphql_operations",
            "GraphQL requests over HTTP, by operation name and status",
            operations.clone(),
        );
        let operation_latency =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_buckets);
        registry.register(
            "graphql_operation_duration_seconds",
            "Time from a GraphQL request to its answer's head, by operation name",
            operation_latency.clone(),
        );
        let attempts = Family::<Labels, Counter>::default();
        registry.register(
            "webhook_attempts",
            "Webhook delivery attempts made by this server, by outcome",
            attempts.clone(),
        );
        let attempt_latency = latency_buckets();
        registry.register(
            "webhook_attempt_duration_seconds",
            "Time a webhook delivery attempt took, to the endpoint's answer",
            attempt_latency.clone(),
        );
        let owed_for = delay_buckets();
        registry.register(
            "webhook_delivery_delay_seconds",
            "Time from a change to its webhook delivery's successful attempt",
            owed_for.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            kept,
            pool,
            pool_wait,
            sockets,
            subscriptions,
            outbox,
            operations,
            operation_latency,
            operation_names: Mutex::default(),
            attempts,
            attempt_latency,
            owed_for,
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

    /// An attempt at a webhook delivery, as the worker tells it.
    pub fn attempt(&self, seen: danvan_syndication::webhooks::AttemptSeen) {
        let outcome = if seen.ok { "delivered" } else { "failed" };
        self.attempts
            .get_or_create(&vec![("outcome", outcome.to_owned())])
            .inc();
        self.attempt_latency.observe(seen.took.as_secs_f64());
        if seen.ok {
            self.owed_for.observe(seen.owed_for.as_secs_f64());
        }
    }

    /// The label a GraphQL operation is counted under.
    fn operation_label(&self, operation: &Operation) -> String {
        let Ok(mut names) = self.operation_names.lock() else {
            return "other".to_owned();
        };
        if names.contains(&operation.0) {
            return operation.0.clone();
        }
        if names.len() < MOST_OPERATIONS {
            names.insert(operation.0.clone());
            return operation.0.clone();
        }
        "other".to_owned()
    }

    async fn pool(&self, name: &'static str, db: &danvan_store::DatabaseConnection) {
        if let Some(wait) = danvan_store::pool_wait(db).await {
            self.pool_wait
                .get_or_create(&vec![("pool", name.to_owned())])
                .set(wait.as_secs_f64());
        }
        self.pool_use(name, db);
    }

    fn pool_use(&self, name: &'static str, db: &danvan_store::DatabaseConnection) {
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
    let took = began.elapsed().as_secs_f64();
    metrics
        .latency
        .get_or_create(&vec![("route", route.clone())])
        .observe(took);
    if let Some(operation) = response.extensions().get::<Operation>() {
        let name = metrics.operation_label(operation);
        metrics
            .operation_latency
            .get_or_create(&vec![("operation", name.clone())])
            .observe(took);
        metrics
            .operations
            .get_or_create(&vec![("operation", name), ("status", status.clone())])
            .inc();
    }
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
    state.metrics.pool("primary", &state.db).await;
    if let Some(replica) = state.replicas.in_use() {
        state.metrics.pool("replica", replica).await;
    }
    state
        .metrics
        .sockets
        .set(i64::try_from(state.sockets.count()).unwrap_or(i64::MAX));
    state
        .metrics
        .subscriptions
        .set(i64::try_from(state.live.listeners()).unwrap_or(i64::MAX));
    match danvan_store::webhook::pending(&state.db).await {
        Ok(pending) => {
            state
                .metrics
                .outbox
                .set(i64::try_from(pending).unwrap_or(i64::MAX));
        }
        Err(error) => tracing::warn!(?error, "cannot count the webhook outbox for /metrics"),
    }
    // What other parts count themselves is read now, into a registry of this scrape.
    let mut counted = Registry::with_prefix("danvan");
    counted.register_collector(Box::new(Counted {
        graphql: state.answers.stats(),
        rest: state.rest.answers().stats(),
        views: state.views.stats(),
    }));
    let mut text = String::new();
    let encoded = encode_registry(&mut text, &state.metrics.registry)
        .and_then(|()| encode_registry(&mut text, &counted))
        .and_then(|()| encode_eof(&mut text));
    if encoded.is_err() {
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

/// Counts other parts keep themselves, as read at a scrape.
#[derive(Debug)]
struct Counted {
    graphql: danvan_service::answers::AnswerStats,
    rest: danvan_service::answers::AnswerStats,
    views: danvan_service::views::ViewStats,
}

impl Collector for Counted {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let counters = [
            (
                "graphql_kept_answers_purged",
                "Kept public GraphQL answers found old (something they show changed) and dropped",
                self.graphql.purged,
            ),
            (
                "rest_kept_answers_hits",
                "Public JSON API answers given from memory",
                self.rest.found,
            ),
            (
                "rest_kept_answers_misses",
                "Public JSON API answers built (none kept, or the one kept was old)",
                self.rest.missed,
            ),
            (
                "rest_kept_answers_purged",
                "Kept public JSON API answers found old (something they show changed) and dropped",
                self.rest.purged,
            ),
            (
                "views_counted",
                "Readers' views counted in memory",
                self.views.counted,
            ),
            (
                "views_written",
                "Readers' views handed to the database by flushes",
                self.views.written,
            ),
            (
                "view_flushes",
                "Flushes of the views counted that wrote",
                self.views.flushes,
            ),
            (
                "view_flush_failures",
                "Flushes of the views counted that failed (their views wait for the next)",
                self.views.failed_flushes,
            ),
        ];
        for (name, help, value) in counters {
            let counter = ConstCounter::new(value);
            let metric = encoder.encode_descriptor(name, help, None, counter.metric_type())?;
            counter.encode(metric)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(query: &str, name: Option<&str>) -> String {
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = name {
            request = request.operation_name(name);
        }
        Operation::of(&request).0
    }

    #[test]
    fn an_operation_is_counted_by_its_name() {
        assert_eq!(
            label("query Home { articles { nodes { id } } }", None),
            "Home"
        );
        assert_eq!(
            label("  mutation   Publish($id: ID!) { x }", None),
            "Publish"
        );
        assert_eq!(
            label("query Home { a } query Other { b }", Some("Other")),
            "Other"
        );
        assert_eq!(label("{ sites { nodes { id } } }", None), "anonymous");
        assert_eq!(label("query { a }", None), "anonymous");
        assert_eq!(label("{ a }", Some("Tin-tức mới")), "invalid");
        assert_eq!(label("{ a }", Some(&"A".repeat(65))), "invalid");
    }

    #[test]
    fn past_the_most_names_the_others_are_other() {
        let metrics = Metrics::default();
        for n in 0..MOST_OPERATIONS {
            let name = format!("Q{n}");
            assert_eq!(metrics.operation_label(&Operation(name.clone())), name);
        }
        assert_eq!(metrics.operation_label(&Operation("Late".into())), "other");
        assert_eq!(metrics.operation_label(&Operation("Q7".into())), "Q7");
    }
}
