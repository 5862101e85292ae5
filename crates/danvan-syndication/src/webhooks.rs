//! The webhook worker of a server: it fans the change log out into deliveries (the rules
//! are `danvan_service::webhooks`'), leases the deliveries that are due, POSTs each signed
//! as Standard Webhooks says, and logs what came of it. Several servers on one PostgreSQL
//! each run one: the fan-out takes turns on a locked row, a delivery is leased to one
//! worker at a time, and an endpoint's deliveries go one after the other, in order.
//!
//! A delivery never reaches an address the configuration does not allow: the endpoint's
//! address is checked again before each attempt, the HTTP client resolves names through a
//! resolver that refuses private addresses (so a name that changes its address between
//! the check and the connection gets nowhere), and redirects are not followed.

use chrono::{Duration, Utc};
use danvan_service::ServiceError;
use danvan_service::freshness::Freshness;
use danvan_service::webhooks::{self, RetryPolicy, Shapes, Targets};
use danvan_store::DatabaseConnection;
use danvan_store::article::Article;
use danvan_store::webhook::{Attempt, Delivery, Endpoint, Next};
use std::net::SocketAddr;
use std::sync::Arc;

/// How the worker runs.
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// Which addresses deliveries may reach.
    pub targets: Targets,
    /// How often the worker looks for work when nothing wakes it.
    pub poll: std::time::Duration,
    /// How long an endpoint has to answer.
    pub timeout: std::time::Duration,
    /// How failed deliveries are retried.
    pub retry: RetryPolicy,
    /// How many deliveries a worker has in flight.
    pub concurrency: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            targets: Targets::default(),
            poll: std::time::Duration::from_millis(250),
            timeout: std::time::Duration::from_secs(10),
            retry: RetryPolicy::default(),
            concurrency: 16,
        }
    }
}

/// The bytes of an endpoint's answer kept in the delivery log.
const RESPONSE_KEPT: usize = 256;

/// Articles in the JSON API's whole shape, their media at absolute addresses.
struct RestShapes<'a>(Option<&'a danvan_service::media::Served>);

impl Shapes for RestShapes<'_> {
    async fn article(
        &self,
        db: &DatabaseConnection,
        article: Article,
    ) -> Result<serde_json::Value, ServiceError> {
        danvan_rest::whole_article(db, self.0, article).await
    }

    fn directory(&self, record: &webhooks::Directory) -> serde_json::Value {
        use danvan_rest::view;
        let value = match record {
            webhooks::Directory::Meeting(m) => serde_json::to_value(view::Meeting::from(m)),
            webhooks::Directory::DvkModel(m) => serde_json::to_value(view::DvkModel::from(m)),
            webhooks::Directory::ReportFigure(f) => {
                serde_json::to_value(view::ReportFigure::from(f))
            }
        };
        value.unwrap_or_default()
    }
}

/// A name resolver that refuses what webhooks may not reach.
struct Guarded(Targets);

impl reqwest::dns::Resolve for Guarded {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let targets = self.0;
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if !targets.allow_private && found.iter().any(|a| webhooks::is_private(a.ip())) {
                return Err("the name resolves to a private address".into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addresses)
        })
    }
}

/// What a worker tells of each attempt at a delivery, for a server's metrics.
#[derive(Debug, Clone, Copy)]
pub struct AttemptSeen {
    /// Whether the endpoint took it (a 2xx answer).
    pub ok: bool,
    /// How long the attempt took.
    pub took: std::time::Duration,
    /// How long the delivery had been owed, from the change it tells of.
    pub owed_for: std::time::Duration,
}

/// Told of each attempt.
pub type Observer = Arc<dyn Fn(AttemptSeen) + Send + Sync>;

/// A server's webhook worker.
#[derive(Clone)]
pub struct Worker {
    db: DatabaseConnection,
    freshness: Freshness,
    client: reqwest::Client,
    settings: WorkerSettings,
    observer: Option<Observer>,
    media: Option<danvan_service::media::Served>,
}

impl Worker {
    /// A worker on `db`, woken by the writes `freshness` hears of.
    pub fn new(
        db: DatabaseConnection,
        freshness: Freshness,
        settings: WorkerSettings,
    ) -> Result<Self, ServiceError> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(Guarded(settings.targets)))
            .user_agent(concat!("danvan-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| ServiceError::Internal)?;
        Ok(Self {
            db,
            freshness,
            client,
            settings,
            observer: None,
            media: None,
        })
    }

    /// The worker giving the media of the articles it delivers at `media`'s addresses.
    pub fn with_media(self, media: Option<danvan_service::media::Served>) -> Self {
        Self { media, ..self }
    }

    /// The worker telling `observer` of each attempt.
    pub fn with_observer(self, observer: Observer) -> Self {
        Self {
            observer: Some(observer),
            ..self
        }
    }

    /// Works until the task is dropped: after every write of this server at once, and at
    /// least every `poll`.
    pub async fn run(self) {
        let mut writes = self.freshness.writes();
        loop {
            writes.borrow_and_update();
            if let Err(error) = self.work().await {
                tracing::error!(?error, "the webhook worker could not work");
            }
            tokio::select! {
                _ = writes.changed() => {}
                () = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    /// Fans out what changed and delivers what is due, until nothing is: gives back how many
    /// attempts were made.
    pub async fn work(&self) -> Result<usize, ServiceError> {
        let mut made = 0;
        loop {
            webhooks::fan_out(&self.db, &RestShapes(self.media.as_ref()), 200).await?;
            let lease =
                Duration::from_std(self.settings.timeout * 3).unwrap_or(Duration::minutes(1));
            let due = danvan_store::webhook::claim(
                &self.db,
                Utc::now(),
                lease,
                self.settings.concurrency,
            )
            .await?;
            if due.is_empty() {
                return Ok(made);
            }
            made += due.len();
            let attempts = due
                .into_iter()
                .map(|(delivery, endpoint)| self.attempt(delivery, endpoint));
            for result in futures::future::join_all(attempts).await {
                result?;
            }
        }
    }

    /// One attempt at a delivery, logged.
    async fn attempt(&self, delivery: Delivery, endpoint: Endpoint) -> Result<(), ServiceError> {
        let at = Utc::now();
        let started = std::time::Instant::now();
        let answer = self.send(&delivery, &endpoint).await;
        let took = started.elapsed();
        let latency_ms = i64::try_from(took.as_millis()).unwrap_or(i64::MAX);
        let attempt = match answer {
            Ok((status, head)) => Attempt {
                status_code: Some(status),
                latency_ms,
                response: head,
                ok: (200..300).contains(&status),
                at,
            },
            Err(why) => Attempt {
                status_code: None,
                latency_ms,
                response: why,
                ok: false,
                at,
            },
        };
        if let Some(observer) = &self.observer {
            observer(AttemptSeen {
                ok: attempt.ok,
                took,
                owed_for: (at - delivery.created_at).to_std().unwrap_or_default(),
            });
        }
        let retry = self.settings.retry;
        let next = if attempt.ok {
            Next::GiveUp
        } else {
            retry.after_failure(
                delivery.created_at,
                delivery.attempts + 1,
                Utc::now(),
                rand_unit(),
            )
        };
        if !attempt.ok {
            tracing::warn!(
                endpoint = endpoint.id,
                delivery = delivery.id,
                status = ?attempt.status_code,
                response = %attempt.response,
                "a webhook delivery failed"
            );
        }
        danvan_store::webhook::finish(&self.db, &delivery, &attempt, next, retry.disable_after)
            .await?;
        Ok(())
    }

    /// POSTs a delivery: the status and the first bytes of the answer, or why there is none.
    async fn send(
        &self,
        delivery: &Delivery,
        endpoint: &Endpoint,
    ) -> Result<(u16, String), String> {
        webhooks::resolve(&endpoint.url, self.settings.targets)
            .await
            .map_err(|e| e.to_string())?;
        let timestamp = Utc::now().timestamp();
        let now = Utc::now();
        let secrets: Vec<&str> = endpoint
            .secrets
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 0 || endpoint.previous_secret_until.is_some_and(|t| now < t))
            .map(|(_, s)| s.as_str())
            .collect();
        let signature = danvan_auth::webhook::signature(
            &secrets,
            &delivery.message_id,
            timestamp,
            delivery.payload.as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        let response = self
            .client
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap_or_default();
        let head = String::from_utf8_lossy(&body[..body.len().min(RESPONSE_KEPT)]).into_owned();
        Ok((status, head))
    }
}

/// Why a request got no answer, in a line.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "no answer in time".into()
    } else if error.is_connect() {
        format!("could not connect: {error}")
    } else {
        error.to_string()
    }
}

/// A number in [0, 1) for the jitter of retries: the low bits of the clock are random
/// enough to spread retries apart.
fn rand_unit() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    f64::from(nanos % 1_000_000) / 1_000_000.0
}
