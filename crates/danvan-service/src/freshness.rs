//! What the public's view of the articles depends on, kept in memory: the change log's end
//! and the newest publication time the public can see. Public answers are tagged and
//! cached by it (an `ETag`, a response cache), so knowing it without reading the database
//! on every request is what makes a revalidation or a cached list cheap.
//!
//! It is read again from the database when any of these happened since it was last read:
//!
//! - a request that may write finished in this process ([`Freshness::changed`]): a client
//!   that writes and then reads sees its write at once;
//! - a scheduled article's time came (the earliest future publication time is read with
//!   it), which moves the public's view without a write;
//! - `max_age` passed, for writes by another process (another server on the same
//!   PostgreSQL, `danvan import`): those are seen within `max_age`.
//!
//! One request at a time reads it; the others wait for its answer rather than read too.

use crate::ServiceError;
use chrono::{DateTime, Utc};
use danvan_store::DatabaseConnection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// What the public's view of the articles depends on, known before an answer is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validator {
    /// The change log's highest number: every write of an article moves it.
    pub high_water: i64,
    /// The newest publication time not after now: a scheduled article's time coming
    /// moves it without a write.
    pub newest_public: Option<DateTime<Utc>>,
}

impl Validator {
    /// Reads it from the database at `now`, with the earliest publication time after
    /// `now` (until when it holds, writes aside).
    pub async fn read(
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> Result<(Self, Option<DateTime<Utc>>), ServiceError> {
        let high_water = danvan_store::change::high_water(db).await?;
        let newest_public = danvan_store::article::newest_public_time(db, now).await?;
        let next = danvan_store::article::next_scheduled_time(db, now).await?;
        Ok((
            Self {
                high_water,
                newest_public,
            },
            next,
        ))
    }
}

/// The [`Validator`] as this process last read it, and when to read it again.
#[derive(Clone)]
pub struct Freshness {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    max_age: Duration,
    /// Moved by every request that may have written.
    epoch: AtomicU64,
    known: RwLock<Option<Known>>,
    /// Held by the one request reading the validator.
    reading: tokio::sync::Mutex<()>,
    /// Told of every request that may have written: what waits for writes (the webhook
    /// worker) wakes at once.
    writes: tokio::sync::watch::Sender<u64>,
}

#[derive(Debug, Clone, Copy)]
struct Known {
    validator: Validator,
    /// The epoch before it was read: a write finished later makes it old.
    epoch: u64,
    /// When reading it began.
    read_at: Instant,
    /// The next scheduled publication, when the public's view changes by itself.
    until: Option<DateTime<Utc>>,
}

impl Freshness {
    /// Reads from `db`, trusting what it read for `max_age` at most (zero: read every time).
    pub fn new(db: DatabaseConnection, max_age: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                max_age,
                epoch: AtomicU64::new(0),
                known: RwLock::new(None),
                reading: tokio::sync::Mutex::new(()),
                writes: tokio::sync::watch::Sender::new(0),
            }),
        }
    }

    /// The validator now.
    pub async fn current(&self) -> Result<Validator, ServiceError> {
        if let Some(validator) = self.known() {
            return Ok(validator);
        }
        let _reading = self.inner.reading.lock().await;
        if let Some(validator) = self.known() {
            return Ok(validator);
        }
        // The epoch and the clock before reading: a write that finishes while this reads
        // leaves what is read already old.
        let epoch = self.inner.epoch.load(Ordering::Acquire);
        let read_at = Instant::now();
        let (validator, until) = Validator::read(&self.inner.db, Utc::now()).await?;
        if let Ok(mut known) = self.inner.known.write() {
            *known = Some(Known {
                validator,
                epoch,
                read_at,
                until,
            });
        }
        Ok(validator)
    }

    /// A request that may have written has finished: read the validator again.
    pub fn changed(&self) {
        self.inner.epoch.fetch_add(1, Ordering::AcqRel);
        self.inner.writes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Follows the commits of other processes on the same PostgreSQL (see
    /// `danvan_store::change::Follower`): each is taken as a write of this process, so that
    /// what this server answers and delivers follows them at once rather than within
    /// `max_age`. Runs until dropped; does nothing on SQLite.
    pub async fn follow(self, db: DatabaseConnection) {
        let mut follower = loop {
            match danvan_store::change::Follower::start(&db).await {
                Ok(Some(follower)) => break follower,
                Ok(None) => return,
                Err(error) => {
                    tracing::warn!(
                        ?error,
                        "cannot listen for other servers' writes; trying again"
                    );
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        };
        loop {
            match follower.next().await {
                Ok(_) => self.changed(),
                Err(error) => {
                    // Some commits may have gone unheard: take it that something changed.
                    self.changed();
                    tracing::warn!(?error, "lost the notifications of other servers' writes");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// A receiver told of each [`Freshness::changed`].
    pub fn writes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.writes.subscribe()
    }

    /// What was last read, while it still holds.
    fn known(&self) -> Option<Validator> {
        let known = (*self.inner.known.read().ok()?)?;
        let holds = known.epoch == self.inner.epoch.load(Ordering::Acquire)
            && known.read_at.elapsed() < self.inner.max_age
            && known.until.is_none_or(|until| Utc::now() < until);
        holds.then_some(known.validator)
    }
}
