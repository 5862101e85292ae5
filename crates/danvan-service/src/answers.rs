//! Public answers kept in memory under what they show, and purged by the change log.
//!
//! A door that answers the public (GraphQL queries, the JSON API) keeps an answer under a
//! key of its own (the operation and its variables) together with what it shows: the
//! records it holds ([`Shows::Record`]), the concepts it lists ([`Shows::Concept`]: a list
//! changes when any record of its concept is made, changed or removed), or anything at all
//! ([`Shows::Everything`], for answers computed over many concepts). Every write of every
//! concept is a row of the change log; this reads the rows once per process as the log
//! grows and notes, for each thing shown, the row that last changed it. A kept answer is
//! good while nothing it shows changed after the row the log was at when it was built, so
//! a publication empties the lists of articles and the article's own page, and leaves an
//! organisation's page or another article's page alone.
//!
//! The log's end is known through [`Freshness`]: moved at once by the writes of this
//! process, by other processes' through PostgreSQL's notifications (or within its
//! `max_age`). The answer is checked on every use rather than removed when a row comes, so
//! an answer built while a write commits is never kept past it. A scheduled article's time
//! coming writes no row: lists of articles are also checked against the newest public
//! publication time. What the log does not follow (view counts) is kept no longer than
//! `max_age`, as long as a client may keep the answer itself.

use crate::ServiceError;
use crate::freshness::{Freshness, Validator};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use danvan_store::DatabaseConnection;
use danvan_store::change::Concept;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Something an answer shows, whose change makes the answer old.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shows {
    /// One record: its change (only) makes the answer old.
    Record(Concept, i64),
    /// Records of a concept, some or all, not known one by one (a list, a count): any
    /// change of the concept makes the answer old.
    Concept(Concept),
    /// Anything: any change makes the answer old.
    Everything,
}

impl Shows {
    /// The name a cache in front of the server (a CDN) knows it by, in the
    /// `Surrogate-Key` and `Cache-Tag` headers: a record by its global id, a concept by its
    /// kind's name, everything as `all`.
    pub fn key(&self) -> String {
        match self {
            Self::Record(concept, id) => crate::id::encode(crate::id::kind_of(*concept), *id),
            Self::Concept(concept) => crate::id::kind_of(*concept).to_owned(),
            Self::Everything => "all".to_owned(),
        }
    }
}

/// Where the public's view was when an answer was begun; what it is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    /// The change log's row the answers kept here have been checked up to.
    seq: i64,
    /// The newest public publication time.
    newest_public: Option<DateTime<Utc>>,
    /// When.
    at: Instant,
}

/// An answer as kept.
#[derive(Debug)]
pub struct Answer {
    /// The answer's bytes.
    pub body: Bytes,
    /// What it shows.
    pub shows: Vec<Shows>,
    /// What it shows, as a cache in front names it: the [`Shows::key`]s, space-separated.
    pub keys: String,
    /// The door's tag of the answer (its `ETag`), made once.
    pub tag: String,
    /// Headers the answer carries besides those of every kept answer (a `Link` to the
    /// next page, `Last-Modified`), as names and values.
    pub headers: Vec<(String, String)>,
    /// Where the public's view was when it was begun.
    begun: Position,
}

/// Public answers kept in memory, at most a number of bytes of them.
#[derive(Clone)]
pub struct Answers {
    inner: Arc<Inner>,
}

struct Inner {
    kept: Option<quick_cache::sync::Cache<[u8; 32], Arc<Answer>, Weight>>,
    bytes: u64,
    /// What the change log said, shared by the answers kept beside these (see
    /// [`Answers::sharing_log_with`]): its rows are read once per process, whichever door
    /// asks.
    log: Arc<Log>,
    /// Answers found, not found, and found old and dropped, for a server's metrics.
    stats: [std::sync::atomic::AtomicU64; 3],
}

/// The change log as the kept answers follow it.
struct Log {
    freshness: Freshness,
    db: DatabaseConnection,
    max_age: Duration,
    changed: RwLock<Changed>,
    /// Held by the one request reading the log's new rows.
    reading: tokio::sync::Mutex<()>,
}

/// What an [`Answers`] has done since the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerStats {
    /// Lookups that found a good answer.
    pub found: u64,
    /// Lookups that found none (or an old one).
    pub missed: u64,
    /// Answers found old (something they show changed) and dropped.
    pub purged: u64,
}

const FOUND: usize = 0;
const MISSED: usize = 1;
const PURGED: usize = 2;

/// What the log's rows said, up to a row.
#[derive(Debug, Default)]
struct Changed {
    /// The last row read; `None` before the first use (nothing is kept yet then).
    seq: Option<i64>,
    /// The last row that changed each thing shown, and when it was read.
    last: HashMap<Shows, (i64, Instant)>,
    /// The last row of all.
    any: i64,
    /// The row at which everything kept was last dropped: an answer begun before it is old.
    cleared: i64,
}

/// More rows than this between two reads: everything kept is dropped rather than read row
/// by row (an import).
const MOST_ROWS: usize = 10_000;

/// An answer weighs its body and what it shows.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<[u8; 32], Arc<Answer>> for Weight {
    fn weight(&self, _key: &[u8; 32], answer: &Arc<Answer>) -> u64 {
        let headers: usize = answer.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
        (answer.body.len()
            + answer.keys.len()
            + answer.tag.len()
            + headers
            + answer.shows.len() * 24
            + 128) as u64
    }
}

impl Answers {
    /// At most `bytes` of answers (zero: nothing kept), each for `max_age` at most, on the
    /// public view `freshness` follows.
    pub fn new(
        db: DatabaseConnection,
        freshness: Freshness,
        bytes: u64,
        max_age: Duration,
    ) -> Self {
        let log = Arc::new(Log {
            freshness,
            db,
            max_age,
            changed: RwLock::default(),
            reading: tokio::sync::Mutex::new(()),
        });
        Self::with_log(log, bytes)
    }

    fn with_log(log: Arc<Log>, bytes: u64) -> Self {
        let kept = (bytes > 0).then(|| {
            // A hint for the cache's tables: a page of articles weighs about 20 KiB.
            let entries = usize::try_from(bytes / 20_480)
                .unwrap_or(usize::MAX)
                .max(16);
            quick_cache::sync::Cache::with_weighter(entries, bytes, Weight)
        });
        Self {
            inner: Arc::new(Inner {
                kept,
                bytes,
                log,
                stats: Default::default(),
            }),
        }
    }

    /// Empty answers as large as these may grow, following the change log as `other`
    /// does: another door's answers beside `other`, whose new rows are then read once for
    /// both.
    pub fn sharing_log_with(&self, other: &Self) -> Self {
        Self::with_log(other.inner.log.clone(), self.inner.bytes)
    }

    /// Answers kept as these are, on the public view `freshness` follows on `db`.
    pub fn on(&self, db: DatabaseConnection, freshness: Freshness) -> Self {
        Self::new(db, freshness, self.inner.bytes, self.inner.log.max_age)
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.inner.kept.is_some()
    }

    /// The public's view now, the log's new rows read first: what an answer is looked up
    /// with, and kept with when it is built.
    pub async fn position(&self) -> Result<Position, ServiceError> {
        let at = Instant::now();
        let validator = self.inner.log.freshness.current().await?;
        let seq = self.catch_up(&validator).await?;
        Ok(Position {
            seq,
            newest_public: validator.newest_public,
            at,
        })
    }

    /// The answer kept under `key`, if it is still good at `now`.
    pub fn get(&self, key: &[u8; 32], now: &Position) -> Option<Arc<Answer>> {
        let kept = self.inner.kept.as_ref()?;
        let found = kept.get(key).and_then(|answer| {
            if self.good(&answer, now) {
                Some(answer)
            } else {
                kept.remove(key);
                self.count(PURGED);
                None
            }
        });
        self.count(if found.is_some() { FOUND } else { MISSED });
        found
    }

    fn count(&self, which: usize) {
        self.inner.stats[which].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// What these answers have done since the start.
    pub fn stats(&self) -> AnswerStats {
        let read =
            |which: usize| self.inner.stats[which].load(std::sync::atomic::Ordering::Relaxed);
        AnswerStats {
            found: read(FOUND),
            missed: read(MISSED),
            purged: read(PURGED),
        }
    }

    /// Keeps `body` (tagged `tag`, with `headers`) under `key`: an answer begun at
    /// `begun` that shows `shows`.
    pub fn keep(
        &self,
        key: [u8; 32],
        begun: Position,
        body: Bytes,
        tag: String,
        headers: Vec<(String, String)>,
        shows: Vec<Shows>,
    ) -> Arc<Answer> {
        let keys = shows.iter().map(Shows::key).collect::<Vec<_>>().join(" ");
        let answer = Arc::new(Answer {
            body,
            shows,
            keys,
            tag,
            headers,
            begun,
        });
        if let Some(kept) = &self.inner.kept {
            kept.insert(key, answer.clone());
        }
        answer
    }

    /// Whether nothing `answer` shows changed since it was begun.
    fn good(&self, answer: &Answer, now: &Position) -> bool {
        let begun = &answer.begun;
        if now.at.saturating_duration_since(begun.at) >= self.inner.log.max_age {
            return false;
        }
        let Ok(changed) = self.inner.log.changed.read() else {
            return false;
        };
        if begun.seq < changed.cleared {
            return false;
        }
        let after = |shows: &Shows| {
            changed
                .last
                .get(shows)
                .is_some_and(|(seq, _)| *seq > begun.seq)
        };
        // A scheduled article's time coming changes lists of articles without a row.
        let same_public = begun.newest_public == now.newest_public;
        answer.shows.iter().all(|shows| match shows {
            Shows::Everything => changed.any <= begun.seq && same_public,
            Shows::Record(..) => !after(shows),
            Shows::Concept(concept) => {
                !after(shows) && (*concept != Concept::Article || same_public)
            }
        })
    }

    /// Reads the log's rows after the last read, up to `validator`'s end, into what
    /// changed; gives the last row read.
    async fn catch_up(&self, validator: &Validator) -> Result<i64, ServiceError> {
        let end = validator.high_water;
        if let Some(seq) = self.read_up_to()
            && seq >= end
        {
            return Ok(seq);
        }
        let _reading = self.inner.log.reading.lock().await;
        let mut seq = match self.read_up_to() {
            Some(seq) if seq >= end => return Ok(seq),
            Some(seq) => seq,
            None => {
                // The first use: nothing is kept, so nothing before now needs reading.
                if let Ok(mut changed) = self.inner.log.changed.write() {
                    changed.seq = Some(end);
                    changed.any = end;
                }
                return Ok(end);
            }
        };
        let mut rows = Vec::new();
        while seq < end && rows.len() <= MOST_ROWS {
            let page = danvan_store::change::after(&self.inner.log.db, seq, 1000).await?;
            let Some(last) = page.last() else { break };
            seq = last.seq;
            rows.extend(page);
        }
        let read_at = Instant::now();
        let Ok(mut changed) = self.inner.log.changed.write() else {
            return Ok(seq);
        };
        if rows.len() > MOST_ROWS {
            // Too many to note one by one: every answer kept before is old.
            if let Some(kept) = &self.inner.kept {
                kept.clear();
            }
            changed.last.clear();
            seq = seq.max(end);
            changed.cleared = seq;
        } else {
            for row in &rows {
                for shows in [
                    Shows::Record(row.concept, row.record_id),
                    Shows::Concept(row.concept),
                ] {
                    changed.last.insert(shows, (row.seq, read_at));
                }
            }
        }
        changed.seq = Some(seq.max(end));
        changed.any = changed.any.max(seq);
        // What changed longer ago than an answer is kept need not be remembered: every
        // answer begun before it is too old anyway.
        let max_age = self.inner.log.max_age;
        if changed.last.len() > 4096 {
            changed
                .last
                .retain(|_, (_, at)| read_at.saturating_duration_since(*at) < max_age);
        }
        Ok(seq.max(end))
    }

    fn read_up_to(&self) -> Option<i64> {
        self.inner.log.changed.read().ok().and_then(|c| c.seq)
    }
}
