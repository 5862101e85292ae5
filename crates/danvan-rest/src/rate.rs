//! Partners' request rates: each API key may make so many requests a minute (a default,
//! or the key's own figure from the settings); past it the answer is 429 with
//! `Retry-After`, and every answer to a keyed request says where the key stands in the
//! `RateLimit-Policy` and `RateLimit` headers (IETF draft "RateLimit header fields").
//!
//! Counted per process, in fixed windows of a minute: with several servers a key gets the
//! rate on each, which bounds a flood without shared state.

use crate::problem::{Problem, RATE_LIMITED};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// The rates of the settings.
#[derive(Debug, Clone, Default)]
pub struct Rates {
    /// Requests a minute for a key without a figure of its own.
    pub default_per_minute: u32,
    /// Requests a minute for particular keys, by the key's prefix (the part before its
    /// secret, as `createApiKey` shows it: `dv_…`), or by the whole key.
    pub per_key: HashMap<String, u32>,
}

/// The keys' windows.
#[derive(Debug, Default)]
pub struct RateLimiter {
    rates: Rates,
    windows: Mutex<HashMap<[u8; 16], (Instant, u32)>>,
}

/// Where a key stands after a request.
struct Standing {
    limit: u32,
    remaining: u32,
    reset: u64,
    admitted: bool,
}

impl RateLimiter {
    /// A limiter for `rates`.
    pub fn new(rates: Rates) -> Self {
        Self {
            rates,
            windows: Mutex::default(),
        }
    }

    fn rate_of(&self, key: &str) -> u32 {
        self.rates
            .per_key
            .iter()
            .find(|(prefix, _)| key.starts_with(prefix.as_str()))
            .map_or(self.rates.default_per_minute, |(_, rate)| *rate)
    }

    fn admit(&self, key: &str, now: Instant) -> Option<Standing> {
        let limit = self.rate_of(key);
        if limit == 0 {
            return None;
        }
        let digest = Sha256::digest(key.as_bytes());
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        let mut windows = self.windows.lock().ok()?;
        // Forget finished windows now and then, so that the map does not grow forever.
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, used) = windows.entry(id).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *used = 0;
        }
        let admitted = *used < limit;
        if admitted {
            *used += 1;
        }
        let reset = WINDOW
            .saturating_sub(now.duration_since(*start))
            .as_secs()
            .max(1);
        Some(Standing {
            limit,
            remaining: limit - *used,
            reset,
            admitted,
        })
    }
}

/// The middleware: counts a keyed request, refuses it past the key's rate.
pub async fn limit(
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    let key = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(standing) = key.and_then(|key| limiter.admit(&key, Instant::now())) else {
        return next.run(request).await;
    };
    let mut response = if standing.admitted {
        next.run(request).await
    } else {
        let mut problem = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            RATE_LIMITED,
            format!(
                "this API key may make {} requests a minute; try again in {} s",
                standing.limit, standing.reset
            ),
        );
        problem.retry_after = Some(standing.reset);
        problem.into_response()
    };
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&format!("{};w=60", standing.limit)) {
        headers.insert("ratelimit-policy", policy);
    }
    if let Ok(now) = HeaderValue::from_str(&format!(
        "limit={}, remaining={}, reset={}",
        standing.limit, standing.remaining, standing.reset
    )) {
        headers.insert("ratelimit", now);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_rate_a_minute_then_waits() {
        let limiter = RateLimiter::new(Rates {
            default_per_minute: 3,
            per_key: HashMap::from([("dv_big".to_owned(), 5)]),
        });
        let start = Instant::now();
        let admitted = |key: &str, at: Instant| limiter.admit(key, at).map(|s| s.admitted);
        for _ in 0..3 {
            assert_eq!(admitted("dv_small_1", start), Some(true));
        }
        assert_eq!(admitted("dv_small_1", start), Some(false));
        assert_eq!(admitted("dv_small_2", start), Some(true), "keys are apart");
        for _ in 0..5 {
            assert_eq!(admitted("dv_big_1", start), Some(true));
        }
        assert_eq!(admitted("dv_big_1", start), Some(false));
        assert_eq!(
            admitted("dv_small_1", start + WINDOW),
            Some(true),
            "a new minute"
        );
    }
}
