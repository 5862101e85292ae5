//! Configuration: defaults, then an optional TOML file, then environment variables.
//!
//! | setting | TOML key | environment |
//! |---|---|---|
//! | database | `database_url` | `DATABASE_URL` (or `DANVAN_DATABASE_URL`) |
//! | read replicas | `[database] read_url` (one URL or a list), `read_your_writes_ms` | `DANVAN_DATABASE__READ_URL`, … |
//! | waiting for the database | `[database] wait_ms` | `DANVAN_DATABASE__WAIT_MS` |
//! | address | `bind` | `DANVAN_BIND` |
//! | demo data | `demo` | `DANVAN_DEMO` |
//! | log filter | `log` | `DANVAN_LOG` (`RUST_LOG` wins when set) |
//! | GraphQL limits, introspection | `[graphql] max_depth`, …, `introspection` | `DANVAN_GRAPHQL__MAX_DEPTH`, … |
//! | HTTP limits | `[http] body_limit_bytes`, `request_timeout_secs`, `header_read_timeout_secs`, `max_connections`, `shutdown_secs` | `DANVAN_HTTP__BODY_LIMIT_BYTES`, … |
//! | tokens | `[auth] issuer`, `audience`, `access_token_minutes`, `refresh_token_days` | `DANVAN_AUTH__ISSUER`, … |
//! | signing keys | `[[auth.signing_keys]] kid`, `secret` (base64, at least 32 bytes; the first signs) | — |
//! | comment rate | `[auth] comments_per_window`, `comment_window_secs` | `DANVAN_AUTH__COMMENTS_PER_WINDOW`, … |
//! | JSON API caching | `[api] cache_max_age_secs`, `cache_stale_while_revalidate_secs` | `DANVAN_API__CACHE_MAX_AGE_SECS`, … |
//! | sync retention | `[api] sync_retention_days` | `DANVAN_API__SYNC_RETENTION_DAYS` |
//! | the public view in memory | `[api] validator_max_age_ms`, `response_cache_mb` | `DANVAN_API__VALIDATOR_MAX_AGE_MS`, … |
//! | readers' views | `[api] view_flush_ms` | `DANVAN_API__VIEW_FLUSH_MS` |
//! | feeds and sitemaps | `[syndication] api_url`, `default_site`, `feed_items`, `feed_ttl_minutes`, `sitemap_max_urls` | `DANVAN_SYNDICATION__API_URL`, … |
//! | webhooks | `[webhooks] allow_private_targets`, `poll_ms`, `timeout_secs`, `retry_first_secs`, `retry_longest_secs`, `retry_hours`, `disable_after_hours` | `DANVAN_WEBHOOKS__ALLOW_PRIVATE_TARGETS`, … |
//! | traces over OTLP | `[telemetry] otlp_endpoint`, `otlp_protocol`, `service_name`, `sample_ratio` | `DANVAN_TELEMETRY__OTLP_ENDPOINT`, … |
//! | media library | `[media] folder`, `s3_bucket`, `s3_endpoint`, `s3_region`, `s3_access_key_id`, `s3_secret_access_key`, `max_image_mb`, `max_document_mb`, `widths`, `public_url`, `grace_hours` | `DANVAN_MEDIA__FOLDER`, … |
//! | partners' rates | `[api] key_requests_per_minute`; `[api.key_rates]` "dv_prefix" = n | `DANVAN_API__KEY_REQUESTS_PER_MINUTE` |
//!
//! Without configured signing keys, a random key is made on the first start and kept in the
//! database, so that the embedded default needs no configuration and every server on one
//! database shares it. In production, configure keys: to rotate, put the new key first and
//! keep the old one listed until its tokens have expired.
//!
//! Only variables that name a setting are read: `DANVAN_PASSWORD` and a deployment's own
//! `DANVAN_*` variables are not settings, and do not break loading them.
//!
//! The file is `danvan.toml` in the working folder when it exists, or the one named by
//! `--config` / `DANVAN_CONFIG`.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The embedded default: a SQLite file beside the working folder, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/danvan.db";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event (its level, time, message, fields and spans: the request
    /// id among them), for a log collector.
    Json,
}

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// `sqlite://path` or `postgres://user@host/db`.
    pub database_url: String,
    /// Read replicas of a PostgreSQL database.
    pub database: DatabaseSettings,
    /// The address to listen on.
    pub bind: SocketAddr,
    /// Whether to load the demo data into an empty database: unset loads it into an empty
    /// embedded (SQLite) database only; `true` into any empty database; `false` never.
    pub demo: Option<bool>,
    /// The `tracing` filter, e.g. `info` or `danvan=debug,info`.
    pub log: String,
    /// How log lines are written: `text` for a person, `json` for a log collector.
    pub log_format: LogFormat,
    /// Limits on GraphQL requests.
    pub graphql: danvan_graphql::Limits,
    /// Limits on HTTP requests.
    pub http: HttpSettings,
    /// Accounts, tokens and comment limits.
    pub auth: AuthSettings,
    /// The JSON API: caching, sync, partners' rates.
    pub api: ApiSettings,
    /// Feeds and sitemaps for partner portals.
    pub syndication: SyndicationSettings,
    /// Webhook deliveries.
    pub webhooks: WebhookSettings,
    /// OpenTelemetry traces.
    pub telemetry: TelemetrySettings,
    /// How `danvan crawl` behaves towards a portal.
    pub crawl: CrawlSettings,
    /// The media library: where its files are, how large they may be, which renditions.
    pub media: MediaSettings,
}

/// The media library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaSettings {
    /// The folder of the files when no bucket is named; empty: `media` beside the SQLite
    /// database file, or `media` in the working folder with PostgreSQL (where no SQLite folder is made).
    pub folder: String,
    /// An S3-compatible bucket for the files (several servers share it); empty: the folder.
    pub s3_bucket: String,
    /// The S3-compatible store's address when it is not AWS (`http://minio:9000`).
    pub s3_endpoint: String,
    /// The bucket's region (`us-east-1` when empty).
    pub s3_region: String,
    /// The access key id; `AWS_ACCESS_KEY_ID` when empty.
    pub s3_access_key_id: String,
    /// The secret; `AWS_SECRET_ACCESS_KEY` when empty.
    pub s3_secret_access_key: String,
    /// The largest image, in megabytes.
    pub max_image_mb: u64,
    /// The largest document, in megabytes.
    pub max_document_mb: u64,
    /// The widths renditions are made at: nobody can ask for another.
    pub widths: Vec<u32>,
    /// What the addresses of files start with: empty for paths on this server (`/media/…`),
    /// or a CDN's address in front of it.
    pub public_url: String,
    /// How long a deleted item's file is kept before it is removed.
    pub grace_hours: u32,
}

impl Default for MediaSettings {
    fn default() -> Self {
        let limits = danvan_media::SizeLimits::default();
        Self {
            folder: String::new(),
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: String::new(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: String::new(),
            max_image_mb: limits.image / (1024 * 1024),
            max_document_mb: limits.document / (1024 * 1024),
            widths: danvan_media::library::DEFAULT_WIDTHS.to_vec(),
            public_url: String::new(),
            grace_hours: 24 * 7,
        }
    }
}

impl MediaSettings {
    /// Where the files are, for a server on `database_url`.
    pub fn place(&self, database_url: &str) -> danvan_media::Place {
        let given = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
        if !self.s3_bucket.is_empty() {
            return danvan_media::Place::S3(danvan_media::S3Place {
                bucket: self.s3_bucket.clone(),
                endpoint: given(&self.s3_endpoint),
                region: given(&self.s3_region),
                access_key_id: given(&self.s3_access_key_id),
                secret_access_key: given(&self.s3_secret_access_key),
            });
        }
        if !self.folder.is_empty() {
            return danvan_media::Place::Folder(PathBuf::from(&self.folder));
        }
        let beside_database = database_url
            .strip_prefix("sqlite://")
            .filter(|path| !path.contains(":memory:") && !path.contains("mode=memory"))
            .map(|path| path.split('?').next().unwrap_or(path))
            .and_then(|file| Path::new(file).parent().map(|dir| dir.join("media")));
        danvan_media::Place::Folder(beside_database.unwrap_or_else(|| PathBuf::from("media")))
    }

    /// The largest file of each kind.
    pub fn limits(&self) -> danvan_media::SizeLimits {
        danvan_media::SizeLimits {
            image: self.max_image_mb.saturating_mul(1024 * 1024),
            document: self.max_document_mb.saturating_mul(1024 * 1024),
        }
    }
}

/// How `danvan crawl` behaves towards a portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrawlSettings {
    /// Where the portal's people can reach whoever runs the crawl (a web page or a
    /// `mailto:`), sent in the `User-Agent`; empty, the address of the site imported into.
    pub contact: String,
    /// The pause between two requests to one host (longer when its `robots.txt` asks).
    pub delay_ms: u64,
    /// How long one request may take.
    pub timeout_secs: u64,
    /// How many times a request is tried again after a 429, a 5xx or a lost connection.
    pub retries: u32,
    /// The first pause before trying again, doubled each time, when the host names none.
    pub backoff_ms: u64,
}

impl Default for CrawlSettings {
    fn default() -> Self {
        let defaults = danvan_crawl::Politeness::new(None);
        Self {
            contact: String::new(),
            delay_ms: defaults.delay.as_millis() as u64,
            timeout_secs: defaults.timeout.as_secs(),
            retries: defaults.retries,
            backoff_ms: defaults.backoff.as_millis() as u64,
        }
    }
}

impl CrawlSettings {
    /// The politeness these settings describe; `site_url` is the contact when none is set.
    pub fn politeness(&self, site_url: Option<&str>) -> danvan_crawl::Politeness {
        let contact = Some(self.contact.as_str())
            .filter(|c| !c.is_empty())
            .or(site_url);
        let mut politeness = danvan_crawl::Politeness::new(contact);
        politeness.delay = std::time::Duration::from_millis(self.delay_ms);
        politeness.timeout = std::time::Duration::from_secs(self.timeout_secs.max(1));
        politeness.retries = self.retries;
        politeness.backoff = std::time::Duration::from_millis(self.backoff_ms);
        politeness
    }
}

/// OpenTelemetry traces, sent over OTLP/HTTP to a collector: none unless an endpoint is
/// named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelemetrySettings {
    /// The collector's OTLP/HTTP address, `http://collector:4318` (spans go to its
    /// `/v1/traces`); empty sends nothing.
    pub otlp_endpoint: String,
    /// How spans are encoded.
    pub otlp_protocol: OtlpProtocol,
    /// The `service.name` the spans carry.
    pub service_name: String,
    /// The share of traces kept, 0 to 1, for traces that begin here; a request whose
    /// caller's trace (`traceparent`) was sampled is traced as its caller decided.
    pub sample_ratio: f64,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        Self {
            otlp_endpoint: String::new(),
            otlp_protocol: OtlpProtocol::Protobuf,
            service_name: "danvan".to_owned(),
            sample_ratio: 1.0,
        }
    }
}

/// OTLP over HTTP: protobuf (what collectors expect by default) or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OtlpProtocol {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json`.
    Json,
}

/// Read replicas: where public reads may run beside the database itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// PostgreSQL read replicas of `database_url` (one URL, or a list): a server reads on
    /// one of them, writes and its callers' reads just after their writes going to the
    /// database itself. None by default.
    #[serde(deserialize_with = "one_or_more")]
    pub read_url: Vec<String>,
    /// How long after a caller's write their reads go to the database itself rather than
    /// to a replica, which may not have the write yet.
    pub read_your_writes_ms: u64,
    /// How long a request waits for a database connection (or for a new one to be made)
    /// before it is answered 503 `SERVICE_UNAVAILABLE`: when the database is away or every
    /// connection is busy, requests fail after this rather than hang.
    pub wait_ms: u64,
}

impl DatabaseSettings {
    /// [`DatabaseSettings::wait_ms`], at least 100 ms.
    pub fn wait(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.wait_ms.max(100))
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            read_url: Vec::new(),
            read_your_writes_ms: 5000,
            wait_ms: 5000,
        }
    }
}

/// One word or a list of them: `read_url = "postgres://…"` and `read_url = ["…", "…"]`.
/// A word may hold several, separated by commas, as an environment variable would.
fn one_or_more<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMore {
        One(String),
        More(Vec<String>),
    }
    let words = match OneOrMore::deserialize(d)? {
        OneOrMore::One(word) => vec![word],
        OneOrMore::More(words) => words,
    };
    Ok(words
        .iter()
        .flat_map(|w| w.split(','))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect())
}

/// How webhooks are delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhookSettings {
    /// Whether endpoints may be on loopback, private or link-local addresses (a partner
    /// on the same private network; tests). Off, such endpoints are refused (SSRF).
    pub allow_private_targets: bool,
    /// How often a server looks for deliveries due when no write of its own wakes it.
    pub poll_ms: u64,
    /// How long an endpoint has to answer.
    pub timeout_secs: u64,
    /// The wait after a first failure; it doubles with each next one.
    pub retry_first_secs: i64,
    /// The longest wait between attempts.
    pub retry_longest_secs: i64,
    /// How long a delivery is retried before it is given up.
    pub retry_hours: i64,
    /// How long an endpoint may fail every delivery before it is disabled.
    pub disable_after_hours: i64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        let retry = danvan_service::webhooks::RetryPolicy::default();
        Self {
            allow_private_targets: false,
            poll_ms: 250,
            timeout_secs: 10,
            retry_first_secs: retry.first.num_seconds(),
            retry_longest_secs: retry.longest.num_seconds(),
            retry_hours: retry.retry_for.num_hours(),
            disable_after_hours: retry.disable_after.num_hours(),
        }
    }
}

impl WebhookSettings {
    /// The worker's settings.
    pub fn worker(&self) -> danvan_syndication::webhooks::WorkerSettings {
        use chrono::Duration;
        danvan_syndication::webhooks::WorkerSettings {
            targets: self.targets(),
            poll: std::time::Duration::from_millis(self.poll_ms.max(10)),
            timeout: std::time::Duration::from_secs(self.timeout_secs.max(1)),
            retry: danvan_service::webhooks::RetryPolicy {
                first: Duration::seconds(self.retry_first_secs.max(0)),
                longest: Duration::seconds(self.retry_longest_secs.max(1)),
                retry_for: Duration::hours(self.retry_hours.max(0)),
                disable_after: Duration::hours(self.disable_after_hours.max(0)),
            },
            concurrency: 16,
        }
    }

    /// Which addresses endpoints may have.
    pub fn targets(&self) -> danvan_service::webhooks::Targets {
        danvan_service::webhooks::Targets {
            allow_private: self.allow_private_targets,
        }
    }
}

/// What partner portals are told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyndicationSettings {
    /// The address partners reach this server at (`https://api.danvan.example.vn`), for the
    /// links of feeds and sitemaps; `http://` and the bound address when unset.
    pub api_url: Option<String>,
    /// The slug of the site of `/feeds/rss.xml` and the other feeds without a site; the
    /// first site when unset.
    pub default_site: Option<String>,
    /// Items a feed holds unless its `limit` says otherwise (at most 100).
    pub feed_items: u64,
    /// Minutes a feed reader may keep a feed (RSS `ttl`).
    pub feed_ttl_minutes: u32,
    /// The most addresses a sitemap file lists (at most 50,000).
    pub sitemap_max_urls: u64,
}

impl Default for SyndicationSettings {
    fn default() -> Self {
        let defaults = danvan_syndication::Settings::default();
        Self {
            api_url: None,
            default_site: None,
            feed_items: defaults.feed_items,
            feed_ttl_minutes: defaults.ttl_minutes,
            sitemap_max_urls: defaults.sitemap_max_urls,
        }
    }
}

impl Settings {
    /// The feeds' and sitemaps' own settings.
    pub fn syndication(&self) -> danvan_syndication::Settings {
        let s = &self.syndication;
        danvan_syndication::Settings {
            api_url: s.api_url.clone().unwrap_or_else(|| {
                // A server bound to every address is reached at its loopback one here.
                let mut bound = self.bind;
                if bound.ip().is_unspecified() {
                    bound.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
                }
                format!("http://{bound}")
            }),
            default_site: s.default_site.clone(),
            feed_items: s.feed_items.clamp(1, danvan_service::syndication::FEED_MAX),
            ttl_minutes: s.feed_ttl_minutes,
            sitemap_max_urls: s.sitemap_max_urls,
            // Set by the application state, which holds the library.
            media: None,
        }
    }
}

/// The JSON API's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiSettings {
    /// How long clients and caches may keep a public answer (`max-age`).
    pub cache_max_age_secs: u32,
    /// How long past that they may serve it while revalidating.
    pub cache_stale_while_revalidate_secs: u32,
    /// How long the change log is kept for offline sync; an older token starts over.
    pub sync_retention_days: i64,
    /// Requests a minute an API key may make, unless `key_rates` says otherwise; 0 for
    /// no limit.
    pub key_requests_per_minute: u32,
    /// Requests a minute for particular keys, by the start of the key.
    pub key_rates: std::collections::BTreeMap<String, u32>,
    /// How long a server trusts the change log's end it last read (what public answers are
    /// tagged and kept by) before reading it again: its own writes are seen at once, those
    /// of other processes on the same database within this time. 0 reads it every time.
    pub validator_max_age_ms: u64,
    /// The most MiB of the JSON API's public answers a server keeps in memory, and as
    /// many of feeds and sitemaps; 0 keeps none.
    pub response_cache_mb: u64,
    /// How often the readers' views counted in memory are written (and when the server
    /// stops): a process that dies loses at most this much of them.
    pub view_flush_ms: u64,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            cache_max_age_secs: 30,
            cache_stale_while_revalidate_secs: 300,
            sync_retention_days: 30,
            key_requests_per_minute: 600,
            key_rates: std::collections::BTreeMap::new(),
            validator_max_age_ms: 1000,
            response_cache_mb: 32,
            view_flush_ms: 5000,
        }
    }
}

impl ApiSettings {
    /// The JSON API's own settings.
    pub fn rest(&self) -> danvan_rest::Settings {
        danvan_rest::Settings {
            cache: danvan_rest::CachePolicy {
                max_age: self.cache_max_age_secs,
                stale_while_revalidate: self.cache_stale_while_revalidate_secs,
            },
            retention: danvan_service::sync::Retention(chrono::Duration::days(
                self.sync_retention_days.max(1),
            )),
            rates: danvan_rest::Rates {
                default_per_minute: self.key_requests_per_minute,
                per_key: self.key_rates.clone().into_iter().collect(),
            },
            validator_max_age: std::time::Duration::from_millis(self.validator_max_age_ms),
            response_cache_bytes: self.response_cache_mb.saturating_mul(1024 * 1024),
            webhook_targets: danvan_service::webhooks::Targets::default(),
        }
    }
}

/// How tokens are signed and how long they live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    /// The `iss` of access tokens.
    pub issuer: String,
    /// The `aud` of access tokens.
    pub audience: String,
    /// How long an access token lives.
    pub access_token_minutes: i64,
    /// How long a refresh token lives.
    pub refresh_token_days: i64,
    /// Keys that sign (the first) and check (all) access tokens.
    pub signing_keys: Vec<SigningKeySetting>,
    /// How many comments one client may post in a window.
    pub comments_per_window: usize,
    /// The window, in seconds.
    pub comment_window_secs: u64,
}

/// A configured signing key.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningKeySetting {
    /// Its name, written in each token's header.
    pub kid: String,
    /// The secret, base64 (standard alphabet), at least 32 bytes once decoded.
    pub secret: String,
}

impl std::fmt::Debug for SigningKeySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeySetting")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            issuer: "danvan".into(),
            audience: "danvan-api".into(),
            access_token_minutes: 15,
            refresh_token_days: 30,
            signing_keys: Vec::new(),
            comments_per_window: 5,
            comment_window_secs: 600,
        }
    }
}

/// Limits on HTTP requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// The largest request body accepted.
    pub body_limit_bytes: usize,
    /// How long a request may take (its body read included) before it is dropped and
    /// answered 503 `SERVICE_UNAVAILABLE` with `Retry-After`.
    pub request_timeout_secs: u64,
    /// Reverse proxies and load balancers (CIDR blocks or addresses) whose `Forwarded` and
    /// `X-Forwarded-For` headers name the client; nobody's by default.
    pub trusted_proxies: Vec<String>,
    /// How long a client may take to send a request's headers (on a new connection, or
    /// after the last answer on a kept one) before the connection is closed: a client that
    /// trickles its headers cannot hold a connection for ever.
    pub header_read_timeout_secs: u64,
    /// The most connections open at once; past it a new connection is closed at once.
    pub max_connections: usize,
    /// How long the requests in flight at SIGTERM may take to finish before their
    /// connections are closed and the server exits.
    pub shutdown_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            database: DatabaseSettings::default(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            demo: None,
            log: "info".to_owned(),
            log_format: LogFormat::Text,
            graphql: danvan_graphql::Limits::default(),
            http: HttpSettings::default(),
            auth: AuthSettings::default(),
            api: ApiSettings::default(),
            syndication: SyndicationSettings::default(),
            webhooks: WebhookSettings::default(),
            telemetry: TelemetrySettings::default(),
            crawl: CrawlSettings::default(),
            media: MediaSettings::default(),
        }
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit_bytes: 256 * 1024,
            request_timeout_secs: 30,
            trusted_proxies: Vec::new(),
            header_read_timeout_secs: 10,
            max_connections: 10_000,
            shutdown_secs: 30,
        }
    }
}

/// The `DANVAN_*` variables that are read, but are not settings.
const OTHER_VARIABLES: [&str; 2] = ["DANVAN_CONFIG", "DANVAN_PASSWORD"];

/// The setting a `DANVAN_*` variable would name: `DANVAN_GRAPHQL__MAX_DEPTH` is
/// `graphql.max_depth`.
fn setting_of(variable: &str) -> Option<String> {
    variable
        .strip_prefix("DANVAN_")
        .map(|rest| rest.to_ascii_lowercase().replace("__", "."))
}

/// Every setting that takes a single value, as a dotted path: `bind`, `graphql.max_depth`.
/// Read off the settings themselves, so that a new setting is named in the environment
/// without a second list to keep.
fn setting_keys() -> Vec<String> {
    fn walk(prefix: &str, value: &serde_json::Value, keys: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (name, inner) in map {
                    let path = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    walk(&path, inner, keys);
                }
            }
            // The signing keys, a list of tables, are set in the file only; a list of words
            // (`trusted_proxies`) may come from the environment too (`["10.0.0.0/8"]`).
            serde_json::Value::Array(_) if prefix == "auth.signing_keys" => {}
            _ => keys.push(prefix.to_owned()),
        }
    }
    let mut keys = Vec::new();
    if let Ok(tree) = serde_json::to_value(Settings::default()) {
        walk("", &tree, &mut keys);
    }
    keys
}

/// The file read when no other is named.
const DEFAULT_FILE: &str = "danvan.toml";

impl Settings {
    /// Loads the settings: defaults, the TOML file (`file`, else `danvan.toml` if present),
    /// then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        Self::figment(file, Env::raw()).extract().map_err(Box::new)
    }

    fn figment(file: Option<&Path>, env: Env) -> Figment {
        let file: PathBuf = file.map_or_else(|| PathBuf::from(DEFAULT_FILE), Path::to_path_buf);
        // `Toml::file` is optional by design: a missing default file is no error. A file the
        // user named must exist, which `cli` checks before calling.
        let mut figment =
            Figment::from(Serialized::defaults(Settings::default())).merge(Toml::file(file));
        // Only the names of settings: other `DANVAN_*` variables (the password of `danvan
        // user create`, a deployment's own) are none of the settings' business.
        let keys = setting_keys();
        let prefixed = env.clone().filter_map(move |key| {
            setting_of(key.as_str())
                .filter(|k| keys.contains(k))
                .map(Into::into)
        });
        figment = figment.merge(prefixed);
        let database_url =
            env.filter_map(|key| (key.as_str() == "DATABASE_URL").then(|| "database_url".into()));
        figment.merge(database_url)
    }

    /// The `DANVAN_*` names among `names` that are no setting and none of the other
    /// variables danvan reads (`DANVAN_CONFIG`, `DANVAN_PASSWORD`): most likely misspelt.
    pub fn unknown_variables<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let keys = setting_keys();
        names
            .into_iter()
            .filter(|name| !OTHER_VARIABLES.contains(name))
            .filter(|name| setting_of(name).is_some_and(|key| !keys.contains(&key)))
            .collect()
    }

    /// Whether the database at this URL is the embedded SQLite one.
    pub fn is_embedded(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment::Jail's closures return figment::Error, which is large"
)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn with_nothing_set_the_server_uses_the_embedded_defaults() {
        Jail::expect_with(|_| {
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(settings, Settings::default());
            assert_eq!(settings.database_url, "sqlite://data/danvan.db");
            assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
            Ok(())
        });
    }

    #[test]
    fn the_environment_overrides_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "danvan.toml",
                "bind = \"0.0.0.0:9000\"\ndemo = false\n[graphql]\nmax_depth = 8\n",
            )?;
            jail.set_env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/danvan");
            jail.set_env("DANVAN_BIND", "127.0.0.1:9999");
            jail.set_env("DANVAN_GRAPHQL__MAX_COMPLEXITY", "200");
            jail.set_env(
                "DANVAN_HTTP__TRUSTED_PROXIES",
                "[\"127.0.0.1\", \"10.0.0.0/8\"]",
            );
            jail.set_env("DANVAN_CONFIG", "danvan.toml");
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(
                settings.database_url,
                "postgres://postgres@127.0.0.1:5432/danvan"
            );
            assert_eq!(settings.bind.to_string(), "127.0.0.1:9999");
            assert_eq!(settings.demo, Some(false));
            assert_eq!(settings.graphql.max_depth, 8);
            assert_eq!(settings.graphql.max_complexity, 200);
            assert_eq!(settings.http.trusted_proxies, ["127.0.0.1", "10.0.0.0/8"]);
            assert!(!settings.is_embedded());
            Ok(())
        });
    }

    #[test]
    fn other_danvan_variables_are_not_read_as_settings() {
        Jail::expect_with(|jail| {
            jail.set_env("DANVAN_PASSWORD", "mật khẩu quản trị dài");
            jail.set_env("DANVAN_DEPLOYMENT", "tỉnh Lam Sơn");
            jail.set_env("DANVAN_GRAPHQL__INTROSPECTION", "false");
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert!(!settings.graphql.introspection);
            Ok(())
        });
        let names = [
            "DANVAN_PASSWORD",
            "DANVAN_BNID",
            "DANVAN_BIND",
            "DANVAN_CONFIG",
            "PATH",
        ];
        assert_eq!(Settings::unknown_variables(names), ["DANVAN_BNID"]);
    }

    #[test]
    fn an_unknown_setting_is_an_error() {
        Jail::expect_with(|jail| {
            jail.create_file("danvan.toml", "bnid = \"0.0.0.0:9000\"\n")?;
            assert!(Settings::load(None).is_err());
            Ok(())
        });
    }

    #[test]
    fn read_replicas_are_one_url_or_several() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "danvan.toml",
                "[database]\nread_url = \"postgres://danvan@replica-1/danvan\"\n",
            )?;
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(
                settings.database.read_url,
                ["postgres://danvan@replica-1/danvan"]
            );
            jail.set_env(
                "DANVAN_DATABASE__READ_URL",
                "postgres://danvan@replica-1/danvan, postgres://danvan@replica-2/danvan",
            );
            jail.set_env("DANVAN_DATABASE__READ_YOUR_WRITES_MS", "2000");
            let settings = Settings::load(None).map_err(|e| *e)?;
            assert_eq!(settings.database.read_url.len(), 2);
            assert_eq!(
                settings.database.read_url[1],
                "postgres://danvan@replica-2/danvan"
            );
            assert_eq!(settings.database.read_your_writes_ms, 2000);
            assert!(Settings::unknown_variables(["DANVAN_DATABASE__READ_URL"]).is_empty());
            Ok(())
        });
    }
}
