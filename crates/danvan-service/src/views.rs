//! Readers' views of articles ("328 lượt xem"): counted in memory, which costs a lookup in
//! a map, and written to the database in one statement every few seconds and when the
//! server stops, so that counting a view costs almost nothing. A process that dies loses
//! the views counted since its last flush, at most one interval's.

use crate::ServiceError;
use danvan_domain::ArticleId;
use danvan_store::DatabaseConnection;
use std::collections::HashMap;
use std::sync::Mutex;

/// The most articles with views waiting; a view of one more is not counted until the next
/// flush makes room, so that a flood of made-up ids cannot grow memory.
pub const MAX_WAITING: usize = 100_000;

/// Views counted and not yet written.
#[derive(Debug, Default)]
pub struct ViewCounter {
    waiting: Mutex<HashMap<ArticleId, i64>>,
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
        Ok(())
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
            Ok(_) => Ok(taken.iter().map(|(_, n)| n).sum()),
            Err(error) => {
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
