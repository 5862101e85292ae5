//! Offline sync: a client keeps a copy of a site's public articles and asks, with the token
//! of its last sync, for what changed since. Each page brings the articles that are public
//! now, a tombstone for each that is not (deleted, taken back, archived, or scheduled for
//! later), and a token to continue from; a client asks again with it while `has_more`, and
//! keeps the last one for its next sync.
//!
//! A sync runs in up to three phases, each a walk that writes meanwhile cannot disturb,
//! over a fixed end of the change log (`upto`) and a fixed time (`now`), carried in the
//! token from page to page:
//!
//! 1. `Full`, without a token: every article public at `now`, in the order of their ids.
//! 2. `Log`, from a token: the last change of each article of the site logged after the
//!    token and up to `upto` (see `danvan_store::change` for why nothing that commits late
//!    is skipped).
//! 3. `Due`, after `Log`: the articles that no write touched but whose publication time
//!    came between the token's time and `now`, the scheduled ones.
//!
//! The last page's token is `Done`: `upto` and `now`, from which the next sync starts.

use crate::ServiceError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use danvan_domain::article::ArticleStatus;
use danvan_domain::{ArticleId, SiteId};
use danvan_store::DatabaseConnection;
use danvan_store::article::{Article, ArticleFilter};
use danvan_store::change::{self, Concept};

/// The most items a page holds.
pub const PAGE_MAX: u64 = 500;

/// Where a sync stands, as its token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// Listing what is public, after this id.
    Full {
        site: i64,
        upto: i64,
        now: i64,
        after: i64,
    },
    /// Reading the log from `since` to `upto`, after the row numbered `after`.
    Log {
        site: i64,
        since: i64,
        then: i64,
        upto: i64,
        now: i64,
        after: i64,
    },
    /// The articles whose time came between `then` and `now`, after this id.
    Due {
        site: i64,
        since: i64,
        then: i64,
        upto: i64,
        now: i64,
        after: i64,
    },
    /// Everything up to `upto` and `now` is read.
    Done { site: i64, upto: i64, now: i64 },
}

const TOKEN_VERSION: &str = "s1";

impl Token {
    fn site(self) -> i64 {
        match self {
            Self::Full { site, .. }
            | Self::Log { site, .. }
            | Self::Due { site, .. }
            | Self::Done { site, .. } => site,
        }
    }

    /// The time the sync this token continues compares against the retention.
    fn then(self) -> Option<i64> {
        match self {
            Self::Full { now, .. } => Some(now),
            Self::Log { then, .. } | Self::Due { then, .. } => Some(then),
            Self::Done { now, .. } => Some(now),
        }
    }

    /// The token's kind and numbers, in the order `decode` reads them.
    fn parts(self) -> (&'static str, Vec<i64>) {
        match self {
            Self::Full {
                site,
                upto,
                now,
                after,
            } => ("f", vec![site, upto, now, after]),
            Self::Log {
                site,
                since,
                then,
                upto,
                now,
                after,
            } => ("l", vec![site, since, then, upto, now, after]),
            Self::Due {
                site,
                since,
                then,
                upto,
                now,
                after,
            } => ("u", vec![site, since, then, upto, now, after]),
            Self::Done { site, upto, now } => ("d", vec![site, upto, now]),
        }
    }

    fn encode(self) -> String {
        let (kind, numbers) = self.parts();
        let numbers: Vec<String> = numbers.iter().map(i64::to_string).collect();
        URL_SAFE_NO_PAD.encode(format!("{TOKEN_VERSION}.{kind}.{}", numbers.join(".")))
    }

    fn decode(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.split('.');
        if parts.next()? != TOKEN_VERSION {
            return None;
        }
        let kind = parts.next()?;
        let numbers: Vec<i64> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
        let token = match (kind, numbers.as_slice()) {
            ("f", &[site, upto, now, after]) => Self::Full {
                site,
                upto,
                now,
                after,
            },
            ("l", &[site, since, then, upto, now, after]) => Self::Log {
                site,
                since,
                then,
                upto,
                now,
                after,
            },
            ("u", &[site, since, then, upto, now, after]) => Self::Due {
                site,
                since,
                then,
                upto,
                now,
                after,
            },
            ("d", &[site, upto, now]) => Self::Done { site, upto, now },
            _ => return None,
        };
        Some(token)
    }
}

/// Why an article is no longer in the public's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GoneReason {
    /// Deleted.
    Deleted,
    /// Taken back to a draft or to review.
    Unpublished,
    /// Archived.
    Archived,
    /// Published for a later time, not yet come.
    Scheduled,
}

impl GoneReason {
    /// Its name, as the doors give it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deleted => "deleted",
            Self::Unpublished => "unpublished",
            Self::Archived => "archived",
            Self::Scheduled => "scheduled",
        }
    }
}

/// An article a client should remove from its copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    /// Its id.
    pub id: ArticleId,
    /// Its slug, for a client that keys its copy by slug.
    pub slug: String,
    /// When it left the public's view (its last change).
    pub at: DateTime<Utc>,
    /// Why.
    pub reason: GoneReason,
}

/// One page of a sync.
#[derive(Debug, Clone)]
pub struct SyncPage {
    /// Articles public now, to add or replace.
    pub articles: Vec<Article>,
    /// Articles to remove.
    pub tombstones: Vec<Tombstone>,
    /// The token to ask with next: for the next page while `has_more`, else for the next
    /// sync.
    pub token: String,
    /// Whether this sync has more pages.
    pub has_more: bool,
}

/// How long the change log is kept; a token older than this is `GONE`.
#[derive(Debug, Clone, Copy)]
pub struct Retention(pub Duration);

impl Default for Retention {
    fn default() -> Self {
        Self(Duration::days(30))
    }
}

/// Removes the change log's rows older than `retention`, keeping what the webhooks' fan-out
/// still owes (the log is its outbox). Gives back how many.
pub async fn purge(db: &DatabaseConnection, retention: Retention) -> Result<u64, ServiceError> {
    let outbox = change::Outbox {
        fanned_out: danvan_store::webhook::cursor(db).await?,
        owed_from: danvan_store::webhook::oldest_endpoint(db).await?,
    };
    Ok(change::purge(db, Utc::now() - retention.0, outbox).await?)
}

/// A page of the sync of `site` from `since` (none: from nothing) at `now`, at most
/// `limit` items.
pub async fn sync(
    db: &DatabaseConnection,
    site: SiteId,
    since: Option<&str>,
    limit: u64,
    retention: Retention,
    now: DateTime<Utc>,
) -> Result<SyncPage, ServiceError> {
    let limit = limit.clamp(1, PAGE_MAX);
    let token = match since {
        None => Token::Full {
            site: site.0,
            upto: change::high_water(db).await?,
            now: micros(now),
            after: 0,
        },
        Some(raw) => {
            let token = Token::decode(raw).ok_or_else(|| {
                ServiceError::BadUserInput("since: not a sync token of danvan".into())
            })?;
            if token.site() != site.0 {
                return Err(ServiceError::BadUserInput(
                    "since: the token is of another site".into(),
                ));
            }
            let horizon = micros(now - retention.0);
            if token.then().is_some_and(|then| then < horizon) {
                return Err(ServiceError::Gone(
                    "since: the token is older than the change log keeps; sync again without one"
                        .into(),
                ));
            }
            match token {
                Token::Done {
                    site,
                    upto,
                    now: then,
                } => Token::Log {
                    site,
                    since: upto,
                    then,
                    upto: change::high_water(db).await?,
                    now: micros(now),
                    after: 0,
                },
                other => other,
            }
        }
    };
    let mut page = SyncPage {
        articles: Vec::new(),
        tombstones: Vec::new(),
        token: String::new(),
        has_more: false,
    };
    let next = read(db, token, limit, &mut page).await?;
    page.has_more = !matches!(next, Token::Done { .. });
    page.token = next.encode();
    Ok(page)
}

/// Fills `page` from `token` on, up to `limit` items, and gives back where the next page
/// starts.
async fn read(
    db: &DatabaseConnection,
    mut token: Token,
    limit: u64,
    page: &mut SyncPage,
) -> Result<Token, ServiceError> {
    loop {
        let room = limit.saturating_sub(len(page));
        if room == 0 && !matches!(token, Token::Done { .. }) {
            return Ok(token);
        }
        token = match token {
            Token::Full {
                site,
                upto,
                now,
                after,
            } => {
                let filter = ArticleFilter {
                    site_id: Some(SiteId(site)),
                    public_at: Some(time(now)),
                    ..Default::default()
                };
                let ids = danvan_store::article::ids_after(db, &filter, ArticleId(after), room + 1)
                    .await?;
                let more = ids.len() as u64 > room;
                let ids = &ids[..ids.len().min(room as usize)];
                let last = ids.last().map_or(after, |id| id.0);
                page.articles
                    .extend(danvan_store::article::get_many(db, ids).await?);
                if more {
                    return Ok(Token::Full {
                        site,
                        upto,
                        now,
                        after: last,
                    });
                }
                Token::Done { site, upto, now }
            }
            Token::Log {
                site,
                since,
                then,
                upto,
                now,
                after,
            } => {
                let changes =
                    change::last_changes(db, site, Concept::Article, since, upto, after, room + 1)
                        .await?;
                let more = changes.len() as u64 > room;
                let changes = &changes[..changes.len().min(room as usize)];
                let last = changes.last().map_or(after, |c| c.seq);
                let ids: Vec<ArticleId> = changes.iter().map(|c| ArticleId(c.record_id)).collect();
                let at: std::collections::HashMap<i64, DateTime<Utc>> =
                    changes.iter().map(|c| (c.record_id, c.at)).collect();
                let found = danvan_store::article::get_any_many(db, &ids).await?;
                for article in found {
                    let when = at.get(&article.id.0).copied().unwrap_or(article.updated_at);
                    sort(article, when, time(now), page);
                }
                if more {
                    return Ok(Token::Log {
                        site,
                        since,
                        then,
                        upto,
                        now,
                        after: last,
                    });
                }
                Token::Due {
                    site,
                    since,
                    then,
                    upto,
                    now,
                    after: 0,
                }
            }
            Token::Due {
                site,
                since,
                then,
                upto,
                now,
                after,
            } => {
                // Strictly after the last sync's time: what was public then came with it.
                let filter = ArticleFilter {
                    site_id: Some(SiteId(site)),
                    public_at: Some(time(now)),
                    published_from: Some(time(then) + Duration::microseconds(1)),
                    ..Default::default()
                };
                let ids = danvan_store::article::ids_after(db, &filter, ArticleId(after), room + 1)
                    .await?;
                let more = ids.len() as u64 > room;
                let ids = &ids[..ids.len().min(room as usize)];
                let last = ids.last().map_or(after, |id| id.0);
                // Those the log named came in its phase, as they are now.
                let raw: Vec<i64> = ids.iter().map(|id| id.0).collect();
                let logged =
                    change::changed_between(db, Concept::Article, &raw, since, upto).await?;
                let due: Vec<ArticleId> = ids
                    .iter()
                    .copied()
                    .filter(|id| !logged.contains(&id.0))
                    .collect();
                page.articles
                    .extend(danvan_store::article::get_many(db, &due).await?);
                if more {
                    return Ok(Token::Due {
                        site,
                        since,
                        then,
                        upto,
                        now,
                        after: last,
                    });
                }
                Token::Done { site, upto, now }
            }
            done @ Token::Done { .. } => return Ok(done),
        };
    }
}

fn len(page: &SyncPage) -> u64 {
    (page.articles.len() + page.tombstones.len()) as u64
}

/// Puts an article the log named where it belongs at `now`: among the articles if the
/// public may read it, else among the tombstones with the reason.
fn sort(article: Article, changed: DateTime<Utc>, now: DateTime<Utc>, page: &mut SyncPage) {
    let reason = if article.deleted_at.is_some() {
        Some(GoneReason::Deleted)
    } else {
        match article.data.status {
            ArticleStatus::Published if article.data.is_public_at(now) => None,
            ArticleStatus::Published => Some(GoneReason::Scheduled),
            ArticleStatus::Archived => Some(GoneReason::Archived),
            ArticleStatus::Draft | ArticleStatus::InReview => Some(GoneReason::Unpublished),
        }
    };
    match reason {
        None => page.articles.push(article),
        Some(reason) => page.tombstones.push(Tombstone {
            id: article.id,
            slug: article.data.slug.to_string(),
            at: changed,
            reason,
        }),
    }
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

fn time(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_back_as_written_and_refuse_anything_else() {
        let tokens = [
            Token::Full {
                site: 3,
                upto: 10,
                now: 1_700_000_000_000_000,
                after: 42,
            },
            Token::Log {
                site: 3,
                since: 10,
                then: 5,
                upto: 20,
                now: 6,
                after: 11,
            },
            Token::Due {
                site: 3,
                since: 10,
                then: 5,
                upto: 20,
                now: 6,
                after: 0,
            },
            Token::Done {
                site: 3,
                upto: 20,
                now: 6,
            },
        ];
        for token in tokens {
            assert_eq!(Token::decode(&token.encode()), Some(token));
        }
        for bad in ["", "abc", "czEuZC4xLjI", "czEueC4xLjIuMw", "czIuZC4xLjIuMw"] {
            assert_eq!(Token::decode(bad), None, "{bad}");
        }
    }
}
