//! Where a read runs when the database has a read replica.
//!
//! A replica answers public reads so that the primary keeps its strength for writes, but
//! it replays the primary's writes a moment late. A caller who has just written would then
//! read the world as it was before their write. So a server remembers, for a short window,
//! who wrote through it ([`RecentWriters`]), and runs such a caller's next requests with
//! their reads on the primary ([`on_primary`]); a request that writes reads on the primary
//! throughout, as it always did. The doors ask [`reads_on_primary`] where to read.
//!
//! The window is this server's: behind a load balancer that sends a caller's next request
//! to another server, that server reads on its replica, which is then late by its
//! replication lag (usually milliseconds) rather than by the window.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

tokio::task_local! {
    /// Set while a request of a caller who wrote lately is answered.
    static ON_PRIMARY: ();
}

/// Runs `work` (a request's answer) with its reads on the primary.
pub async fn on_primary<F: std::future::Future>(work: F) -> F::Output {
    ON_PRIMARY.scope((), work).await
}

/// Whether the request being answered reads on the primary: its caller wrote lately.
pub fn reads_on_primary() -> bool {
    ON_PRIMARY.try_with(|()| ()).is_ok()
}

/// The callers who wrote through this server within a window, by a key of theirs.
#[derive(Clone, Default)]
pub struct RecentWriters {
    window: Duration,
    seen: Arc<Mutex<HashMap<u64, Instant>>>,
}

/// Past this many callers remembered, those whose window has passed are forgotten.
const PRUNE_AT: usize = 10_000;

impl RecentWriters {
    /// Remembering each writer for `window`; a zero window (no replica) remembers nobody.
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            seen: Arc::default(),
        }
    }

    /// Whether anybody is remembered at all: there is a replica to keep them from.
    pub fn is_on(&self) -> bool {
        !self.window.is_zero()
    }

    /// The key a caller is remembered by: their credentials when they sent some (two
    /// tokens of one account are two callers, which only costs a read on the replica),
    /// else their address.
    pub fn key(credentials: &[&[u8]], client: Option<std::net::IpAddr>) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        if credentials.iter().any(|c| !c.is_empty()) {
            credentials.hash(&mut hasher);
        } else {
            client.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Notes that `key` wrote just now.
    pub fn wrote(&self, key: u64) {
        if !self.is_on() {
            return;
        }
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= PRUNE_AT {
            seen.retain(|_, at| now.duration_since(*at) < self.window);
        }
        seen.insert(key, now);
    }

    /// Whether `key` wrote within the window.
    pub fn wrote_lately(&self, key: u64) -> bool {
        if !self.is_on() {
            return false;
        }
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(&key).is_some_and(|at| at.elapsed() < self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_writer_reads_on_the_primary_for_the_window_only() {
        let writers = RecentWriters::new(Duration::from_millis(50));
        let editor = RecentWriters::key(&[b"Bearer abc"], None);
        let reader = RecentWriters::key(&[], Some([203, 0, 113, 7].into()));
        assert_ne!(editor, reader);
        writers.wrote(editor);
        assert!(writers.wrote_lately(editor));
        assert!(!writers.wrote_lately(reader));
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(!writers.wrote_lately(editor));

        assert!(!reads_on_primary());
        assert!(on_primary(async { reads_on_primary() }).await);
    }

    #[test]
    fn without_a_replica_nobody_is_remembered() {
        let writers = RecentWriters::new(Duration::ZERO);
        writers.wrote(1);
        assert!(!writers.wrote_lately(1));
    }
}
