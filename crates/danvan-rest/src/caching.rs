//! HTTP caching of public answers: a strong `ETag` on every public GET, `If-None-Match`
//! answered 304 with no body, `Last-Modified` / `If-Modified-Since` where an answer has a
//! time, `Cache-Control` (public with `max-age` and `stale-while-revalidate`; `private,
//! no-store` for anything asked with credentials) and `Vary`.
//!
//! An endpoint that can tell what its answer depends on without building it (the article
//! lists: the change log's end and the newest public time, see [`Validator`], known in
//! memory) sets the `ETag` itself and answers 304 before reading anything, or the answer
//! kept under that tag ([`Responses`]); the others are hashed once built.
//!
//! A compressed answer is another representation, so its `ETag` gets the coding appended
//! (`"…-gzip"`, as Apache's mod_deflate does) by [`mark_encoding`], outside compression;
//! a revalidation with such a tag matches the answer it came from.

use crate::caller::Credentials;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
pub use danvan_service::freshness::Validator;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long clients and caches may keep public answers.
#[derive(Debug, Clone, Copy)]
pub struct CachePolicy {
    /// `max-age`, seconds.
    pub max_age: u32,
    /// `stale-while-revalidate`, seconds.
    pub stale_while_revalidate: u32,
}

impl Default for CachePolicy {
    fn default() -> Self {
        Self {
            max_age: 30,
            stale_while_revalidate: 300,
        }
    }
}

/// The most bytes of an answer hashed for its `ETag`; a larger answer goes without one.
pub(crate) const HASHED_MAX: usize = 32 * 1024 * 1024;

/// What `Vary` says: the answer changes with these headers.
const VARY: &str = "accept-encoding, authorization, x-api-key";

/// The content codings the compression layer may apply.
const CODINGS: [&str; 4] = ["gzip", "br", "zstd", "deflate"];

/// The tag of a representation from the parts it is made of.
pub fn tag_of(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    format!("\"{}\"", URL_SAFE_NO_PAD.encode(&hash.finalize()[..18]))
}

/// The `ETag` of the answer to `uri` while the public's view is `validator`.
pub fn tag_for(validator: &Validator, uri: &str) -> String {
    let newest = validator
        .newest_public
        .map(|t| t.timestamp_micros())
        .unwrap_or_default();
    tag_of(&[
        b"v1",
        uri.as_bytes(),
        &validator.high_water.to_le_bytes(),
        &newest.to_le_bytes(),
    ])
}

/// Public answers kept in memory under their `ETag`, up to a number of bytes.
///
/// Only answers whose tag is made from the [`Validator`] are kept: their tag changes
/// whenever an article they show is written or a scheduled one's time comes, and the least
/// used make room for new ones. What they show that the change log does not follow (a
/// view count, a site's name) is kept no longer than a client may keep the answer itself
/// (`max-age`).
#[derive(Clone)]
pub struct Responses {
    kept: Option<Arc<quick_cache::sync::Cache<String, Arc<Kept>, Weight>>>,
    max_age: Duration,
}

/// An answer as kept: what the handler set, before the shared middleware adds its headers.
struct Kept {
    made: Instant,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// An entry weighs its body and its tag.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Kept>> for Weight {
    fn weight(&self, key: &String, kept: &Arc<Kept>) -> u64 {
        (key.len() + kept.body.len() + 256) as u64
    }
}

impl Responses {
    /// At most `bytes` of answers (zero: none kept), each for `max_age` at most.
    pub fn new(bytes: u64, max_age: Duration) -> Self {
        let kept = (bytes > 0).then(|| {
            // The number of entries is a hint for the cache's tables: lists of 20 light
            // articles weigh about 10 KiB.
            let entries = usize::try_from(bytes / 10_240)
                .unwrap_or(usize::MAX)
                .max(16);
            Arc::new(quick_cache::sync::Cache::with_weighter(
                entries, bytes, Weight,
            ))
        });
        Self { kept, max_age }
    }

    /// The answer kept under `tag`, if any.
    pub fn get(&self, tag: &str) -> Option<Response> {
        let kept = self.kept.as_ref()?.get(tag)?;
        if kept.made.elapsed() >= self.max_age {
            return None;
        }
        let mut response = Response::new(Body::from(kept.body.clone()));
        *response.status_mut() = kept.status;
        *response.headers_mut() = kept.headers.clone();
        Some(response)
    }

    /// Keeps `response` under `tag` when it is a success, and gives it back.
    pub async fn keep(&self, tag: &str, response: Response) -> Response {
        let Some(kept) = &self.kept else {
            return response;
        };
        if response.status() != StatusCode::OK {
            return response;
        }
        let made = Instant::now();
        let (parts, body) = response.into_parts();
        let Ok(body) = to_bytes(body, HASHED_MAX).await else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        kept.insert(
            tag.to_owned(),
            Arc::new(Kept {
                made,
                status: parts.status,
                headers: parts.headers.clone(),
                body: body.clone(),
            }),
        );
        Response::from_parts(parts, Body::from(body))
    }
}

/// Answers a public GET whose answer depends on nothing but what the [`Validator`]
/// follows: a 304 when the client's copy is current, the answer kept under its tag when
/// there is one, else the one `build` makes, tagged and kept.
pub async fn kept<F>(
    freshness: &danvan_service::freshness::Freshness,
    responses: &Responses,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    build: F,
) -> Result<Response, crate::Problem>
where
    F: Future<Output = Result<Response, crate::Problem>>,
{
    let validator = freshness.current().await?;
    let tag = tag_for(&validator, &uri.to_string());
    if none_match(headers, &tag) {
        return Ok(not_modified(&tag));
    }
    if let Some(kept) = responses.get(&tag) {
        return Ok(kept);
    }
    let mut response = build.await?;
    if let Ok(value) = HeaderValue::from_str(&tag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(responses.keep(&tag, response).await)
}

/// Whether `If-None-Match` in `headers` names `tag` (or `*`), whatever coding was appended.
pub fn none_match(headers: &HeaderMap, tag: &str) -> bool {
    let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    value.split(',').map(str::trim).any(|candidate| {
        let candidate = candidate.trim_start_matches("W/");
        candidate == "*" || strip_coding(candidate) == tag
    })
}

fn strip_coding(tag: &str) -> String {
    for coding in CODINGS {
        if let Some(base) = tag.strip_suffix(&format!("-{coding}\"")) {
            return format!("{base}\"");
        }
    }
    tag.to_owned()
}

/// A 304 for `tag`.
pub fn not_modified(tag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(value) = HeaderValue::from_str(tag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The middleware of the public GET endpoints.
pub async fn conditional(
    State(policy): State<CachePolicy>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let authenticated = Credentials::any(request.headers());
    let conditions = request.headers().clone();
    let response = next.run(request).await;
    let status = response.status();
    if status != StatusCode::OK && status != StatusCode::NOT_MODIFIED {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static(VARY));
    if authenticated {
        parts.headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return Response::from_parts(parts, body);
    }
    if let Ok(value) = HeaderValue::from_str(&format!(
        "public, max-age={}, stale-while-revalidate={}",
        policy.max_age, policy.stale_while_revalidate
    )) {
        parts.headers.insert(header::CACHE_CONTROL, value);
    }
    if status == StatusCode::NOT_MODIFIED {
        return Response::from_parts(parts, body);
    }
    let (tag, body) = match parts
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    {
        Some(tag) => (tag.to_owned(), body),
        None => match to_bytes(body, HASHED_MAX).await {
            Ok(bytes) => (tag_of(&[&bytes]), Body::from(bytes)),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    let unchanged = if conditions.contains_key(header::IF_NONE_MATCH) {
        none_match(&conditions, &tag)
    } else {
        not_modified_since(&conditions, &parts.headers)
    };
    if unchanged {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, body)
}

/// A response's mark that its request, though not by a safe method, wrote nothing that
/// public answers show (a GraphQL query over POST, a reader's view counted).
#[derive(Debug, Clone, Copy)]
pub struct Unwritten;

/// What the middleware of every door notes of a request that may have written.
#[derive(Clone)]
pub struct Writes {
    /// Read again before the next public answer is tagged.
    pub freshness: danvan_service::freshness::Freshness,
    /// Who wrote lately, whose reads then run on the primary rather than a replica.
    pub writers: danvan_service::reads::RecentWriters,
}

/// The middleware of every door: after a request by a method that may write (a GraphQL
/// mutation, a comment, a sign-in), what public answers depend on is read again before
/// the next one is tagged, so that a client reads its own writes; unless the answer is
/// marked [`Unwritten`]. With a read replica, the caller's requests for a while after read
/// on the primary (see `danvan_service::reads`).
pub async fn mark_writes(State(writes): State<Writes>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let writer = writes.writers.is_on().then(|| writer_key(&request));
    let response = match writer {
        Some(key) if writes.writers.wrote_lately(key) => {
            danvan_service::reads::on_primary(next.run(request)).await
        }
        _ => next.run(request).await,
    };
    if !safe && response.extensions().get::<Unwritten>().is_none() {
        writes.freshness.changed();
        if let Some(key) = writer {
            writes.writers.wrote(key);
        }
    }
    response
}

/// Who sent `request`, as [`danvan_service::reads::RecentWriters`] remembers them.
fn writer_key(request: &Request) -> u64 {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map_or(&[][..], HeaderValue::as_bytes)
    };
    let client = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    danvan_service::reads::RecentWriters::key(
        &[header(header::AUTHORIZATION.as_str()), header("x-api-key")],
        client,
    )
}

/// Whether `If-Modified-Since` is at or after the answer's `Last-Modified`.
fn not_modified_since(conditions: &HeaderMap, answer: &HeaderMap) -> bool {
    let time = |headers: &HeaderMap, name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
    };
    match (
        time(conditions, header::IF_MODIFIED_SINCE),
        time(answer, header::LAST_MODIFIED),
    ) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

/// `Last-Modified` for `at`, in the HTTP date format.
pub fn last_modified(at: DateTime<Utc>) -> Option<HeaderValue> {
    HeaderValue::from_str(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).ok()
}

/// The middleware outside compression: a compressed answer's `ETag` names its coding.
pub async fn mark_encoding(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let coding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(coding) = coding
        && let Some(tag) = response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
        && let Some(base) = tag.strip_suffix('"')
        && let Ok(value) = HeaderValue::from_str(&format!("{base}-{coding}\""))
    {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_matches_whatever_coding_was_appended() {
        let tag = tag_of(&[b"body"]);
        let mut headers = HeaderMap::new();
        let gzip = format!("{}-gzip\"", tag.trim_end_matches('"'));
        for sent in [tag.clone(), gzip, format!("W/{tag}"), "\"other\", *".into()] {
            headers.insert(
                header::IF_NONE_MATCH,
                HeaderValue::from_str(&sent).expect("ascii"),
            );
            assert!(none_match(&headers, &tag), "{sent}");
        }
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!none_match(&headers, &tag));
    }
}
