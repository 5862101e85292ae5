//! Live updates: the change log told, as it grows, to whoever listens in this process (the
//! GraphQL subscriptions), and the rules of what each listener hears.
//!
//! One task per process ([`Live::run`]) follows the log: it wakes when this process wrote,
//! when another process on the same PostgreSQL announced a commit (`Freshness::follow`
//! turns those notifications into the same wake-up), and every second for what came due
//! (a scheduled article whose time came writes nothing). It reads the rows after the last
//! one it told, reads once the article or comment each row is about, and broadcasts both; a
//! scheduled article whose time came is told as its publication then. Every listener
//! filters the same broadcast in memory, by what its caller may see of the record as it was
//! read: ten thousand subscribers of one site cost one read per change, not ten thousand.
//!
//! A listener that falls behind by more than the broadcast holds has missed events: its
//! stream ends with `LIMIT_EXCEEDED` rather than keeping them for it, so a slow client
//! costs nothing but its place in the one bounded buffer.

use crate::{Caller, ServiceError, articles, reading, webhooks};
use chrono::{DateTime, Utc};
use danvan_domain::{ArticleId, CommentId, OrganisationId, SiteId};
use danvan_store::DatabaseConnection;
use danvan_store::article::Article;
use danvan_store::change::{Action, Change, Concept};
use danvan_store::comment::Comment;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// What a listener hears, in order: each event, or the error that ends it.
pub type Events<T> = futures::stream::BoxStream<'static, Result<T, ServiceError>>;

/// How many events the broadcast holds for its slowest listener.
pub const BUFFER: usize = 1024;

/// How often the log is looked at without a wake-up: scheduled articles coming due, and
/// commits whose notification was lost.
const TICK: Duration = Duration::from_secs(1);

/// The most rows read from the log at once.
const BATCH: u64 = 500;

/// The change log as it grows, for the listeners of this process.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    events: broadcast::Sender<Arc<Event>>,
}

/// A row of the log with the record it is about, as read just after it was written.
#[derive(Debug)]
struct Event {
    change: Change,
    /// The article (deleted ones too) of an article's row.
    article: Option<Article>,
    /// The comment of a comment's row.
    comment: Option<Comment>,
}

impl Event {
    /// The events of `changes`, in order, each with its record as read now: the batch's
    /// articles in one statement (and their links in a few more), so that telling keeps up
    /// with many writes a second; read one by one, it fell behind under a hundred writes a
    /// second (BENCHMARKS.md, the soak).
    async fn read_all(
        db: &DatabaseConnection,
        changes: Vec<Change>,
    ) -> Result<Vec<Self>, ServiceError> {
        let ids: std::collections::BTreeSet<i64> = changes
            .iter()
            .filter(|c| c.concept == Concept::Article)
            .map(|c| c.record_id)
            .collect();
        let ids: Vec<ArticleId> = ids.into_iter().map(ArticleId).collect();
        let articles: std::collections::HashMap<i64, Article> =
            danvan_store::article::get_any_many(db, &ids)
                .await?
                .into_iter()
                .map(|a| (a.id.0, a))
                .collect();
        let mut events = Vec::with_capacity(changes.len());
        for change in changes {
            let (mut article, mut comment) = (None, None);
            match change.concept {
                Concept::Article => article = articles.get(&change.record_id).cloned(),
                Concept::Comment if change.action == Action::Approved => {
                    comment = danvan_store::comment::get(db, CommentId(change.record_id)).await?;
                }
                _ => {}
            }
            events.push(Self {
                change,
                article,
                comment,
            });
        }
        Ok(events)
    }
}

impl Live {
    /// Follows the log of `db` (once [`Live::run`] runs).
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                events: broadcast::Sender::new(BUFFER),
            }),
        }
    }

    /// How many listen now, in this process.
    pub fn listeners(&self) -> usize {
        self.inner.events.receiver_count()
    }

    /// Broadcasts the log's new rows as they come, woken by `writes` (see
    /// `Freshness::writes`) or every second. Runs until dropped.
    ///
    /// It reads the log whether or not anyone listens (a statement per wake-up, two a
    /// second when idle): a listener that subscribes is then sure to hear of every commit
    /// after its subscription, which a pump that started reading only then could miss.
    pub async fn run(self, mut writes: tokio::sync::watch::Receiver<u64>) {
        let mut told: Option<Told> = None;
        loop {
            match self.tell(told).await {
                Ok(now) => told = Some(now),
                Err(error) => {
                    tracing::warn!(?error, "cannot read the change log for live updates");
                }
            }
            tokio::select! {
                changed = writes.changed() => if changed.is_err() {
                    // The server is stopping.
                    return;
                },
                () = tokio::time::sleep(TICK) => {}
            }
        }
    }

    /// Broadcasts what came after `from` (from the log's end now when `None`).
    async fn tell(&self, from: Option<Told>) -> Result<Told, ServiceError> {
        let db = &self.inner.db;
        let now = Utc::now();
        let Some(mut told) = from else {
            return Ok(Told {
                seq: danvan_store::change::high_water(db).await?,
                due_until: now,
            });
        };
        loop {
            let changes = danvan_store::change::after(db, told.seq, BATCH).await?;
            let more = changes.len() as u64 >= BATCH;
            let last = changes.last().map(|c| c.seq);
            // Read only for someone; nobody listening is not an error. A failed read tells
            // nothing of the batch, and the next wake-up reads it again.
            if self.listeners() > 0 {
                for event in Event::read_all(db, changes).await? {
                    let _ = self.inner.events.send(Arc::new(event));
                }
            }
            if let Some(seq) = last {
                told.seq = seq;
            }
            if !more {
                break;
            }
        }
        let due = webhooks::due_articles(db, told.due_until, now, BATCH).await?;
        told.due_until = match (due.len() as u64 >= BATCH, due.last()) {
            (true, Some((_, article))) => article.data.published_at.unwrap_or(now),
            _ => now,
        };
        for (seq, article) in due {
            let change = Change {
                seq,
                concept: Concept::Article,
                record_id: article.id.0,
                site_id: Some(article.data.site_id.0),
                action: Action::Published,
                at: article.data.published_at.unwrap_or(now),
            };
            let _ = self.inner.events.send(Arc::new(Event {
                change,
                article: Some(article),
                comment: None,
            }));
        }
        Ok(told)
    }

    fn receiver(&self) -> Receiver {
        Receiver(self.inner.events.subscribe())
    }

    /// Public articles as they are published (at once, or when a scheduled time comes) in
    /// the site of slug `site` (every site when `None`), concerning the organisation
    /// `organisation` (with its subtree when asked) when given.
    pub async fn articles_published(
        &self,
        site: Option<&str>,
        organisation: Option<OrganisationId>,
        include_subtree: bool,
    ) -> Result<Events<Article>, ServiceError> {
        let db = &self.inner.db;
        let site = reading::site_of(db, site).await?;
        if let Some(id) = organisation
            && danvan_store::organisation::get(db, id).await?.is_none()
        {
            return Err(ServiceError::NotFound(format!(
                "no organisation {}",
                crate::id::encode(crate::id::kind::ORGANISATION, id.0)
            )));
        }
        let organisations = reading::scope(db, organisation, include_subtree)
            .await?
            .map(|scope| scope.ids().to_vec());
        Ok(self.published(site, organisations))
    }

    fn published(
        &self,
        site: Option<SiteId>,
        organisations: Option<Vec<OrganisationId>>,
    ) -> Events<Article> {
        self.receiver().filter(move |event| {
            let change = &event.change;
            let wanted = matches!(change.action, Action::Published | Action::Restored)
                && site.is_none_or(|s| change.site_id == Some(s.0));
            let article = event.article.as_ref().filter(|_| wanted)?;
            // Public when the change was made (by the writer's clock) or now; scheduled for
            // later, it is told of when its time comes, not before.
            let public = article.deleted_at.is_none()
                && article.data.is_public_at(change.at.max(Utc::now()));
            let concerns = organisations.as_ref().is_none_or(|wanted| {
                article
                    .data
                    .organisation_ids
                    .iter()
                    .any(|o| wanted.contains(o))
            });
            (public && concerns).then(|| article.clone())
        })
    }

    /// Each change of the article `id`, with the article as `caller` may see it then
    /// (`None` once it is gone from their view). Nothing at all when `caller` may not see
    /// it now.
    pub async fn article_changes(
        &self,
        caller: Caller,
        id: ArticleId,
    ) -> Result<Events<ArticleChange>, ServiceError> {
        // Listening from before the read: a change made meanwhile is not missed.
        let receiver = self.receiver();
        let visible = danvan_store::article::get_any(&self.inner.db, id)
            .await?
            .is_some_and(|a| articles::is_visible(&caller, &a, Utc::now()));
        if !visible {
            return Err(no_article(id));
        }
        Ok(receiver.filter(move |event| {
            let change = &event.change;
            if change.concept != Concept::Article || change.record_id != id.0 {
                return None;
            }
            let article = event
                .article
                .as_ref()
                .filter(|a| articles::is_visible(&caller, a, Utc::now()))
                .cloned();
            Some(ArticleChange {
                seq: change.seq,
                action: change.action,
                at: change.at,
                article,
            })
        }))
    }

    /// Comments on the article `id` as they are approved. The article must be one the
    /// public sees.
    pub async fn comments_approved(&self, id: ArticleId) -> Result<Events<Comment>, ServiceError> {
        let receiver = self.receiver();
        let public = danvan_store::article::get(&self.inner.db, id)
            .await?
            .is_some_and(|a| a.data.is_public_at(Utc::now()));
        if !public {
            return Err(no_article(id));
        }
        Ok(receiver.filter(move |event| {
            event
                .comment
                .as_ref()
                .filter(|c| {
                    c.data.article_id == id
                        && c.data.status == danvan_domain::comment::CommentStatus::Approved
                })
                .cloned()
        }))
    }

    /// The log's rows of `site` as they are written: what a client that keeps a copy of the
    /// site (see `sync`) hears of to sync again at once. Only the rows' numbers, kinds and
    /// actions: what changed is read through the sync, as the caller may see it. A row of an
    /// article is told only when the caller may see the article, or when it leaves a view
    /// it was in (unpublished, archived, deleted after publication): a draft's making and
    /// edits are nobody's business but the newsroom's.
    pub async fn changes(
        &self,
        caller: Caller,
        site: &str,
    ) -> Result<Events<Change>, ServiceError> {
        let site = reading::site_id(&self.inner.db, site).await?;
        Ok(self.receiver().filter(move |event| {
            let change = &event.change;
            // A library's items are not synced (their articles carry what they say of
            // them), and most are the newsroom's business until an article shows them.
            if change.site_id != Some(site.0) || change.concept == Concept::Media {
                return None;
            }
            let told = match (&event.article, change.action) {
                (Some(article), Action::Unpublished | Action::Archived | Action::Deleted) => {
                    article.data.published_at.is_some()
                        || articles::is_visible(&caller, article, Utc::now())
                }
                (Some(article), _) => {
                    articles::is_visible(&caller, article, change.at.max(Utc::now()))
                }
                // An article no longer there at all: nothing to tell of it.
                (None, _) if change.concept == Concept::Article => false,
                (None, _) => true,
            };
            told.then(|| change.clone())
        }))
    }
}

fn no_article(id: ArticleId) -> ServiceError {
    ServiceError::NotFound(format!(
        "no article {}",
        crate::id::encode(crate::id::kind::ARTICLE, id.0)
    ))
}

/// A change of one article, as a listener hears it.
#[derive(Debug, Clone)]
pub struct ArticleChange {
    /// Its place in the change log.
    pub seq: i64,
    /// What happened.
    pub action: Action,
    /// When.
    pub at: DateTime<Utc>,
    /// The article now, if the listener may see it.
    pub article: Option<Article>,
}

/// Where the broadcast stands.
#[derive(Debug, Clone, Copy)]
struct Told {
    /// The last row broadcast.
    seq: i64,
    /// Scheduled articles public up to this time were told of.
    due_until: DateTime<Utc>,
}

/// One listener's place in the broadcast.
struct Receiver(broadcast::Receiver<Arc<Event>>);

impl Receiver {
    /// What `pick` makes of the broadcast's events, in order, skipping those it makes
    /// nothing of; ends with `LIMIT_EXCEEDED` when the listener fell behind.
    fn filter<T, F>(self, pick: F) -> Events<T>
    where
        T: Send + 'static,
        F: Fn(&Event) -> Option<T> + Send + 'static,
    {
        Box::pin(futures::stream::unfold(
            Some((self.0, pick)),
            |state| async move {
                let (mut receiver, pick) = state?;
                loop {
                    match receiver.recv().await {
                        Ok(event) => {
                            if let Some(item) = pick(&event) {
                                return Some((Ok(item), Some((receiver, pick))));
                            }
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                        Err(broadcast::error::RecvError::Lagged(missed)) => {
                            let error = ServiceError::LimitExceeded(format!(
                                "too slow: {missed} events were missed; subscribe again"
                            ));
                            return Some((Err(error), None));
                        }
                    }
                }
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn event(seq: i64) -> Arc<Event> {
        Arc::new(Event {
            change: Change {
                seq,
                concept: Concept::Meeting,
                record_id: seq,
                site_id: None,
                action: Action::Created,
                at: Utc::now(),
            },
            article: None,
            comment: None,
        })
    }

    #[tokio::test]
    async fn a_listener_hears_what_it_picks_in_order() {
        let (sender, receiver) = broadcast::channel(8);
        let mut events =
            Receiver(receiver).filter(|e| (e.change.seq % 2 == 0).then_some(e.change.seq));
        for seq in 1..=5 {
            sender.send(event(seq)).unwrap();
        }
        drop(sender);
        let heard: Vec<i64> = events.by_ref().map(Result::unwrap).collect().await;
        assert_eq!(heard, vec![2, 4]);
    }

    #[tokio::test]
    async fn a_listener_that_falls_behind_is_ended_not_kept() {
        let (sender, receiver) = broadcast::channel(2);
        let mut events = Receiver(receiver).filter(|e| Some(e.change.seq));
        // Four sent while it read nothing: the buffer held two.
        for seq in 1..=4 {
            sender.send(event(seq)).unwrap();
        }
        let first = events.next().await.expect("an item");
        assert_eq!(
            first.unwrap_err().code(),
            crate::error::code::LIMIT_EXCEEDED
        );
        assert!(events.next().await.is_none(), "ended after the error");
        // Its place in the broadcast is given up: nothing more is kept for it.
        assert_eq!(sender.receiver_count(), 0);
    }
}
