//! A closed-loop load generator: each connection sends a request, reads the whole answer,
//! and sends the next, for a set time. Written on hyper's connection API, so that the client
//! costs little beside the server on the same machine, and so that every answer is checked.

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// One request, sent again and again.
#[derive(Debug, Clone)]
pub struct Target {
    /// The server.
    pub addr: SocketAddr,
    /// GET or POST.
    pub method: Method,
    /// Path and query.
    pub path: String,
    /// The body of a POST.
    pub body: Bytes,
    /// Headers beyond `host` and `accept`.
    pub headers: Vec<(&'static str, String)>,
    /// The status a good answer has.
    pub expect: StatusCode,
}

impl Target {
    /// A GET of `path`.
    pub fn get(addr: SocketAddr, path: &str) -> Self {
        Self {
            addr,
            method: Method::GET,
            path: path.to_owned(),
            body: Bytes::new(),
            headers: Vec::new(),
            expect: StatusCode::OK,
        }
    }

    /// A GET of `path` revalidating a copy whose tag is `etag`: a 304 is a good answer.
    pub fn revalidate(addr: SocketAddr, path: &str, etag: &str) -> Self {
        Self {
            headers: vec![("if-none-match", etag.to_owned())],
            expect: StatusCode::NOT_MODIFIED,
            ..Self::get(addr, path)
        }
    }

    /// A GraphQL POST of `query` with `variables`.
    pub fn graphql(addr: SocketAddr, query: &str, variables: &serde_json::Value) -> Self {
        let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
        Self {
            addr,
            method: Method::POST,
            path: "/graphql".to_owned(),
            body: Bytes::from(body),
            headers: Vec::new(),
            expect: StatusCode::OK,
        }
    }

    pub(crate) fn request(&self) -> anyhow::Result<Request<Full<Bytes>>> {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(&self.path)
            .header("host", self.addr.to_string())
            .header("accept", "application/json");
        let typed = self.headers.iter().any(|(name, _)| *name == "content-type");
        if self.method == Method::POST && !typed {
            builder = builder.header("content-type", "application/json");
        }
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        Ok(builder.body(Full::new(self.body.clone()))?)
    }
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Answers received with status 200 in the measured time.
    pub requests: u64,
    /// Answers with another status, or connections that failed.
    pub errors: u64,
    /// The measured time.
    pub elapsed: Duration,
    /// Each answer's latency, sorted.
    latencies: Vec<Duration>,
}

impl Outcome {
    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which a share `p` (0 to 1) of answers came.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[rank.min(self.latencies.len() - 1)]
    }
}

/// Sends `target` once and returns the answer's body: checks a query before loading it.
pub async fn once(target: &Target) -> anyhow::Result<Bytes> {
    let mut sender = connect(target.addr).await?;
    let response = sender.send_request(target.request()?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if status != target.expect {
        bail!(
            "{} {} answered {status}: {}",
            target.method,
            target.path,
            String::from_utf8_lossy(&body)
        );
    }
    Ok(body)
}

/// One request, and the `ETag` of its answer.
pub async fn once_with_tag(target: &Target) -> anyhow::Result<(Bytes, Option<String>)> {
    let mut sender = connect(target.addr).await?;
    let response = sender.send_request(target.request()?).await?;
    let status = response.status();
    let tag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.into_body().collect().await?.to_bytes();
    if status != StatusCode::OK {
        bail!("{} {} answered {status}", target.method, target.path);
    }
    Ok((body, tag))
}

/// One request, and the value of one header of its answer.
pub async fn once_with_header(
    target: &Target,
    name: &str,
) -> anyhow::Result<(Bytes, Option<String>)> {
    let mut sender = connect(target.addr).await?;
    let response = sender.send_request(target.request()?).await?;
    let status = response.status();
    let value = response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.into_body().collect().await?.to_bytes();
    if status != target.expect {
        bail!("{} {} answered {status}", target.method, target.path);
    }
    Ok((body, value))
}

pub(crate) async fn connect(
    addr: SocketAddr,
) -> anyhow::Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// Keeps `connections` connections busy with `target` for `warmup` (not counted) and then
/// `duration`.
pub async fn run(
    target: &Target,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let measure_from = started + warmup;
    let stop = measure_from + duration;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            connection_loop(target, measure_from, stop).await
        }));
    }
    let mut outcome = Outcome {
        requests: 0,
        errors: 0,
        elapsed: duration,
        latencies: Vec::new(),
    };
    for task in tasks {
        let (latencies, errors) = task.await??;
        outcome.requests += latencies.len() as u64;
        outcome.errors += errors;
        outcome.latencies.extend(latencies);
    }
    outcome.latencies.sort_unstable();
    Ok(outcome)
}

async fn connection_loop(
    target: Target,
    measure_from: Instant,
    stop: Instant,
) -> anyhow::Result<(Vec<Duration>, u64)> {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut sender = connect(target.addr).await?;
    loop {
        let sent = Instant::now();
        if sent >= stop {
            break;
        }
        let ok = match sender.send_request(target.request()?).await {
            Ok(response) => {
                let status = response.status();
                response.into_body().collect().await.is_ok() && status == target.expect
            }
            Err(_) => false,
        };
        let done = Instant::now();
        // Answers that arrive in the measured window count, wherever they were sent from.
        if done >= measure_from && done <= stop {
            if ok {
                latencies.push(done - sent);
            } else {
                errors += 1;
            }
        }
        if !ok {
            // A refused or broken connection: open another, as a browser would.
            sender = connect(target.addr).await?;
        }
    }
    Ok((latencies, errors))
}
