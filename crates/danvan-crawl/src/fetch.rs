//! Fetching, politely and robustly. Per host: `robots.txt` obeyed (fetched once; its
//! `Crawl-delay` honoured when longer than ours), at most two requests in flight, and a
//! pause between the starts of two requests. Per request: a timeout, retries with back-off
//! on 429, 5xx and lost connections (`Retry-After` honoured), redirects followed a few
//! times and only on the same host, a size limit, and the validators of the last answer
//! sent so that an unchanged page costs a 304.

use danvan_store::crawl::Validators;
use reqwest::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
    RETRY_AFTER,
};
use reqwest::{StatusCode, Url};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};
use tokio::time::Instant;

/// Requests in flight to one host at most.
const IN_FLIGHT_PER_HOST: usize = 2;
/// Redirects followed for one address at most.
const MAX_REDIRECTS: usize = 5;
/// The longest pause a `Retry-After` or a `Crawl-delay` is honoured with; a host asking for
/// more is asked at this pace.
const LONGEST_PAUSE: Duration = Duration::from_secs(60);

/// How to behave towards a portal.
#[derive(Debug, Clone)]
pub struct Politeness {
    /// The pause between the starts of two requests to one host (longer when the host's
    /// `robots.txt` asks for longer).
    pub delay: Duration,
    /// How long one request may take.
    pub timeout: Duration,
    /// How many times a request is tried again after a 429, a 5xx or a lost connection.
    pub retries: u32,
    /// The first pause before trying again (doubled each time) when the host names none.
    pub backoff: Duration,
    /// The largest answer read.
    pub max_bytes: usize,
    /// The `User-Agent`: danvan, its version, and where to write to about the crawl.
    pub user_agent: String,
}

impl Politeness {
    /// The defaults: a second between requests, 30 s for each, three retries; `contact`
    /// (a web page or a `mailto:`) is named in the `User-Agent`.
    pub fn new(contact: Option<&str>) -> Self {
        Self {
            delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_secs(2),
            max_bytes: 10 * 1024 * 1024,
            user_agent: match contact {
                Some(contact) => format!(
                    "danvan/{} (+{contact}; archive import)",
                    env!("CARGO_PKG_VERSION")
                ),
                None => format!("danvan/{} (archive import)", env!("CARGO_PKG_VERSION")),
            },
        }
    }
}

/// A fetched answer.
#[derive(Debug)]
pub enum Fetched {
    /// A 2xx answer.
    Page {
        /// Where it came from after redirects.
        url: Url,
        /// Its `Content-Type`.
        content_type: String,
        /// Its bytes.
        body: Vec<u8>,
        /// Its validators.
        validators: Validators,
    },
    /// 304: not changed since the validators sent.
    NotModified,
}

/// Why an address could not be fetched, told to the person running the crawl.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// `robots.txt` disallows it.
    #[error("robots.txt disallows it")]
    Disallowed,
    /// `robots.txt` could not be read (not a 4xx): nothing is fetched from the host, as
    /// RFC 9309 says.
    #[error("robots.txt could not be read ({0}), so nothing is fetched from the host")]
    RobotsUnreadable(String),
    /// An answer other than 2xx, 304 or a redirect.
    #[error("HTTP {0}")]
    Status(u16),
    /// More redirects than followed.
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    /// A redirect back to an address already visited.
    #[error("a redirect loop (back to {0})")]
    RedirectLoop(String),
    /// A redirect to another host.
    #[error("a redirect off the portal (to {0})")]
    OffHost(String),
    /// Larger than the limit.
    #[error("larger than {0} bytes")]
    TooLarge(usize),
    /// No answer in time.
    #[error("no answer in {0} s")]
    Timeout(u64),
    /// The connection failed.
    #[error("the connection failed: {0}")]
    Network(String),
}

impl FetchError {
    /// Whether trying again later may help.
    fn transient(&self) -> bool {
        match self {
            Self::Status(code) => *code == 429 || (500..600).contains(code),
            Self::Timeout(_) | Self::Network(_) => true,
            _ => false,
        }
    }
}

/// What a host's `robots.txt` allows.
enum Rules {
    All,
    Nothing(String),
    Robot(Box<texting_robots::Robot>),
}

/// One host's pace.
struct Host {
    gate: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
    delay: Mutex<Duration>,
    rules: OnceCell<Rules>,
    sitemaps: Mutex<Vec<String>>,
}

/// Fetches for one crawl.
pub struct Fetcher {
    client: reqwest::Client,
    politeness: Politeness,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

impl Fetcher {
    /// A fetcher that behaves as `politeness` says.
    pub fn new(politeness: Politeness) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(politeness.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(politeness.timeout)
            .connect_timeout(politeness.timeout.min(Duration::from_secs(10)))
            .build()?;
        Ok(Self {
            client,
            politeness,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(host_key(url))
            .or_insert_with(|| {
                Arc::new(Host {
                    gate: Semaphore::new(IN_FLIGHT_PER_HOST),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                    delay: Mutex::new(self.politeness.delay),
                    rules: OnceCell::new(),
                    sitemaps: Mutex::new(Vec::new()),
                })
            })
            .clone()
    }

    /// Whether the host's `robots.txt` lets danvan fetch `url` (fetched once per host: a
    /// missing one allows everything, an unreachable one nothing, as RFC 9309 says).
    pub async fn allowed(&self, url: &Url) -> Result<(), FetchError> {
        let host = self.host(url);
        let rules = host
            .rules
            .get_or_init(|| async {
                let Ok(robots_url) = url.join("/robots.txt") else {
                    return Rules::All;
                };
                match self.get_once(&host, &robots_url, None).await {
                    Ok(Answer::Body { body, .. }) => {
                        match texting_robots::Robot::new("danvan", &body) {
                            Ok(robot) => {
                                if let Some(secs) =
                                    robot.delay.filter(|d| d.is_finite() && *d > 0.0)
                                {
                                    let asked = Duration::from_secs_f32(secs).min(LONGEST_PAUSE);
                                    let mut delay =
                                        host.delay.lock().unwrap_or_else(|e| e.into_inner());
                                    *delay = (*delay).max(asked);
                                }
                                *host.sitemaps.lock().unwrap_or_else(|e| e.into_inner()) =
                                    robot.sitemaps.clone();
                                Rules::Robot(Box::new(robot))
                            }
                            Err(_) => Rules::All,
                        }
                    }
                    Err((FetchError::Status(code), _)) if (400..500).contains(&code) => Rules::All,
                    Ok(_) => Rules::All,
                    Err((error, _)) => Rules::Nothing(error.to_string()),
                }
            })
            .await;
        match rules {
            Rules::All => Ok(()),
            Rules::Nothing(reason) => Err(FetchError::RobotsUnreadable(reason.clone())),
            Rules::Robot(robot) if robot.allowed(url.as_str()) => Ok(()),
            Rules::Robot(_) => Err(FetchError::Disallowed),
        }
    }

    /// The sitemaps the host's `robots.txt` names (after [`Fetcher::allowed`]).
    pub fn sitemaps(&self, url: &Url) -> Vec<String> {
        let host = self.host(url);
        let sitemaps = host.sitemaps.lock().unwrap_or_else(|e| e.into_inner());
        sitemaps.clone()
    }

    /// Fetches `url`, following redirects on its host, trying again after transient
    /// failures, asking only for a change when `validators` are given.
    pub async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.allowed(url).await?;
        let host = self.host(url);
        let mut current = url.clone();
        let mut visited = vec![url.to_string()];
        loop {
            match self.get_retrying(&host, &current, validators).await? {
                Answer::Body {
                    content_type,
                    body,
                    validators,
                } => {
                    return Ok(Fetched::Page {
                        url: current,
                        content_type,
                        body,
                        validators,
                    });
                }
                Answer::NotModified => return Ok(Fetched::NotModified),
                Answer::Redirect(location) => {
                    let next = current
                        .join(&location)
                        .map_err(|_| FetchError::Status(302))?;
                    if host_key(&next) != host_key(url) {
                        return Err(FetchError::OffHost(next.to_string()));
                    }
                    if visited.contains(&next.to_string()) {
                        return Err(FetchError::RedirectLoop(next.to_string()));
                    }
                    if visited.len() > MAX_REDIRECTS {
                        return Err(FetchError::TooManyRedirects);
                    }
                    self.allowed(&next).await?;
                    visited.push(next.to_string());
                    current = next;
                }
            }
        }
    }

    async fn get_retrying(
        &self,
        host: &Host,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Answer, FetchError> {
        let mut attempt = 0;
        loop {
            match self.get_once(host, url, validators).await {
                Err((error, retry_after))
                    if error.transient() && attempt < self.politeness.retries =>
                {
                    let pause = retry_after
                        .unwrap_or_else(|| self.politeness.backoff * 2u32.saturating_pow(attempt))
                        .min(LONGEST_PAUSE);
                    tracing::debug!(%url, %error, ?pause, "trying again");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                result => return result.map_err(|(error, _)| error),
            }
        }
    }

    /// One request, in the host's turn.
    async fn get_once(
        &self,
        host: &Host,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Answer, (FetchError, Option<Duration>)> {
        let _permit = host.gate.acquire().await.map_err(|_| {
            (
                FetchError::Network("the crawl is stopping".to_owned()),
                None,
            )
        })?;
        {
            let mut next_start = host.next_start.lock().await;
            tokio::time::sleep_until(*next_start).await;
            let delay = *host.delay.lock().unwrap_or_else(|e| e.into_inner());
            *next_start = Instant::now() + delay;
        }
        let mut request = self.client.get(url.clone());
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, modified);
            }
        }
        let timeout = self.politeness.timeout.as_secs();
        let failed = |e: reqwest::Error| {
            if e.is_timeout() {
                FetchError::Timeout(timeout)
            } else {
                FetchError::Network(without_url(&e))
            }
        };
        let mut response = request.send().await.map_err(|e| (failed(e), None))?;
        let status = response.status();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Answer::NotModified);
        }
        if status.is_redirection() {
            return match header(LOCATION) {
                Some(location) => Ok(Answer::Redirect(location)),
                None => Err((FetchError::Status(status.as_u16()), None)),
            };
        }
        if !status.is_success() {
            let retry_after = header(RETRY_AFTER)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err((FetchError::Status(status.as_u16()), retry_after));
        }
        let max = self.politeness.max_bytes;
        if header(CONTENT_LENGTH)
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|n| n > max)
        {
            return Err((FetchError::TooLarge(max), None));
        }
        let content_type = header(CONTENT_TYPE).unwrap_or_default();
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| (failed(e), None))? {
            if body.len() + chunk.len() > max {
                return Err((FetchError::TooLarge(max), None));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer::Body {
            content_type,
            body,
            validators,
        })
    }
}

/// An answer to one request.
enum Answer {
    Body {
        content_type: String,
        body: Vec<u8>,
        validators: Validators,
    },
    NotModified,
    Redirect(String),
}

/// A client error without the address (the report names it already).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(&format!(" ({url})"), "");
        text = text.replace(&format!(" for url ({url})"), "");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}
