//! Logs and traces: one line per event on standard error, one span per request carrying its
//! request id; and, when a collector is configured, the same spans sent as OpenTelemetry
//! traces over OTLP/HTTP, joined to the caller's trace when the request carries a W3C
//! `traceparent`.

use crate::config::{LogFormat, OtlpProtocol, Settings, TelemetrySettings};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// What the libraries below say at `info` that nobody running danvan can act on:
/// PostgreSQL's notices ("relation \"seaql_migrations\" already exists, skipping", on every
/// command) and the migrator's own progress (danvan logs the outcome). Kept at `warn`
/// unless the filter names them.
const QUIET: [&str; 2] = ["sqlx::postgres::notice=warn", "sea_orm_migration=warn"];

/// The traces being sent, flushed when the process stops.
#[derive(Default)]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Sends the spans not sent yet, and stops sending.
    pub fn shutdown(self) {
        if let Some(traces) = self.traces
            && let Err(error) = traces.shutdown()
        {
            tracing::warn!(%error, "could not send the last traces");
        }
    }
}

/// Starts logging to standard error with `RUST_LOG`, else the configured filter, as text or
/// as JSON lines; and sends traces when `[telemetry] otlp_endpoint` names a collector.
/// Called within the runtime: the exporter sends on it.
pub fn init(settings: &Settings) -> Telemetry {
    let given = std::env::var("RUST_LOG").unwrap_or_else(|_| settings.log.clone());
    let mut filter = EnvFilter::try_new(&given).unwrap_or_else(|_| EnvFilter::new("info"));
    for directive in QUIET {
        let target = directive.split('=').next().unwrap_or_default();
        if !given.contains(target)
            && let Ok(directive) = directive.parse()
        {
            filter = filter.add_directive(directive);
        }
    }
    let lines = tracing_subscriber::fmt::layer()
        .with_target(false)
        // Standard output is for what a command prints (a schema, an import report).
        .with_writer(std::io::stderr);
    let lines = match settings.log_format {
        LogFormat::Text => lines.boxed(),
        LogFormat::Json => lines.json().with_current_span(true).boxed(),
    }
    .with_filter(filter);
    let (traces, problem) = match tracer(&settings.telemetry) {
        Ok(traces) => (traces, None),
        Err(problem) => (None, Some(problem)),
    };
    // Traces have a filter of their own: the log's level (`warn` in production, say) is
    // no reason to lose the request spans, which are `info`.
    let spans = traces.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("danvan"))
            .with_filter(tracing_subscriber::filter::LevelFilter::INFO)
    });
    // A second call (as in tests) keeps the first subscriber; that is not an error worth
    // stopping for.
    let _ = tracing_subscriber::registry()
        .with(lines)
        .with(spans)
        .try_init();
    if let Some(problem) = problem {
        tracing::error!(%problem, "traces are not sent");
    } else if traces.is_some() {
        tracing::info!(endpoint = %settings.telemetry.otlp_endpoint, "traces are sent over OTLP");
    }
    Telemetry { traces }
}

/// The provider sending spans to the configured collector, `None` when none is.
fn tracer(settings: &TelemetrySettings) -> Result<Option<SdkTracerProvider>, String> {
    let base = settings.otlp_endpoint.trim().trim_end_matches('/');
    if base.is_empty() {
        return Ok(None);
    }
    let endpoint = if base.ends_with("/v1/traces") {
        base.to_owned()
    } else {
        format!("{base}/v1/traces")
    };
    let protocol = match settings.otlp_protocol {
        OtlpProtocol::Protobuf => opentelemetry_otlp::Protocol::HttpBinary,
        OtlpProtocol::Json => opentelemetry_otlp::Protocol::HttpJson,
    };
    let client = Client::new().map_err(|e| e.to_string())?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_endpoint(endpoint)
        .with_protocol(protocol)
        .build()
        .map_err(|e| e.to_string())?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(settings.service_name.clone())
        .build();
    opentelemetry::global::set_text_map_propagator(
        opentelemetry_sdk::propagation::TraceContextPropagator::new(),
    );
    Ok(Some(
        SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(
                settings.sample_ratio.clamp(0.0, 1.0),
            ))))
            .with_resource(resource)
            .build(),
    ))
}

/// Joins `span` to the trace the request's `traceparent` names, if any.
pub fn join_caller_trace(span: &tracing::Span, headers: &axum::http::HeaderMap) {
    use tracing_opentelemetry::OpenTelemetrySpanExt;
    if !headers.contains_key("traceparent") {
        return;
    }
    let parent = opentelemetry::global::get_text_map_propagator(|propagator| {
        propagator.extract(&opentelemetry_http::HeaderExtractor(headers))
    });
    let _ = span.set_parent(parent);
}

/// The exporter's HTTP client: the workspace's reqwest, run on the server's runtime. The
/// SDK's batch processor exports from a thread of its own, outside the runtime, so each
/// request is spawned onto the runtime and awaited from there.
#[derive(Debug, Clone)]
struct Client {
    http: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

impl Client {
    fn new() -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
            runtime: tokio::runtime::Handle::current(),
        })
    }
}

#[async_trait::async_trait]
impl opentelemetry_http::HttpClient for Client {
    async fn send_bytes(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Response<bytes::Bytes>, opentelemetry_http::HttpError> {
        let http = self.http.clone();
        let sent = self.runtime.spawn(async move {
            let request = reqwest::Request::try_from(request)?;
            let response = http.execute(request).await?;
            let status = response.status();
            let body = response.bytes().await?;
            let mut answer = http::Response::new(body);
            *answer.status_mut() = status;
            Ok::<_, reqwest::Error>(answer)
        });
        Ok(sent.await??)
    }
}
