//! Readers' views of articles ("328 lượt xem"): counted in memory, which costs a lookup in
//! a map, and written to the database in one statement every few seconds and when the
//! server stops, so that counting a view costs almost nothing. A process that dies loses
//! the views counted since its last flush, at most one interval's.

use crate::ServiceError;
use danvan_domain::ArticleId;
use danvan_store::DatabaseConnection;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The most articles with views waiting; a view of one more is not counted until the next
/// flush makes room, so that a flood of made-up ids cannot grow memory.
pub const MAX_WAITING: usize = 100_000;

/// Views counted and not yet written.
#[derive(Debug, Default)]
pub struct ViewCounter {
    waiting: Mutex<HashMap<ArticleId, i64>>,
    stats: Stats,
}

/// What a counter has done since the start, for a server's metrics.
#[derive(Debug, Default)]
struct Stats {
    counted: AtomicU64,
    written: AtomicU64,
    flushes: AtomicU64,
    failed_flushes: AtomicU64,
}

/// What a [`ViewCounter`] has done since the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewStats {
    /// Views counted.
    pub counted: u64,
    /// Views handed to the database by flushes (there a view of an article that is not
    /// public is dropped).
    pub written: u64,
    /// Flushes that wrote something.
    pub flushes: u64,
    /// Flushes that failed; their views wait for the next.
    pub failed_flushes: u64,
}

impl ViewCounter {
    /// Counts a view of `article`. Whether it is a public article is checked when the
    /// count is written: a view of anything else is then dropped.
    pub fn count(&self, article: ArticleId) -> Result<(), ServiceError> {
        let mut waiting = self.waiting.lock().map_err(|_| ServiceError::Internal)?;
        if waiting.len() >= MAX_WAITING && !waiting.contains_key(&article) {
            return Ok(());
        }
        *waiting.entry(article).or_default() += 1;
        self.stats.counted.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// What this counter has done since the start.
    pub fn stats(&self) -> ViewStats {
        ViewStats {
            counted: self.stats.counted.load(Ordering::Relaxed),
            written: self.stats.written.load(Ordering::Relaxed),
            flushes: self.stats.flushes.load(Ordering::Relaxed),
            failed_flushes: self.stats.failed_flushes.load(Ordering::Relaxed),
        }
    }

    /// Writes the views counted so far; gives back how many. If the write fails they are
    /// kept for the next flush.
    pub async fn flush(&self, db: &DatabaseConnection) -> Result<i64, ServiceError> {
        let taken: Vec<(ArticleId, i64)> = {
            let mut waiting = self.waiting.lock().map_err(|_| ServiceError::Internal)?;
            waiting.drain().collect()
        };
        if taken.is_empty() {
            return Ok(0);
        }
        match danvan_store::article::add_views(db, &taken).await {
            Ok(_) => {
                let written: i64 = taken.iter().map(|(_, n)| n).sum();
                self.stats.flushes.fetch_add(1, Ordering::Relaxed);
                self.stats
                    .written
                    .fetch_add(u64::try_from(written).unwrap_or(0), Ordering::Relaxed);
                Ok(written)
            }
            Err(error) => {
                self.stats.failed_flushes.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut waiting) = self.waiting.lock() {
                    for (id, n) in taken {
                        *waiting.entry(id).or_default() += n;
                    }
                }
                Err(error.into())
            }
        }
    }

    /// Flushes every `interval` until dropped.
    pub async fn flush_every(
        self: std::sync::Arc<Self>,
        db: DatabaseConnection,
        interval: std::time::Duration,
    ) {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.flush(&db).await {
                tracing::error!(?error, "cannot write the views counted");
            }
        }
    }
}
