//! The crawler's frontier: the addresses a crawl of a site has found and what became of
//! each. A run fetches what is due; each address stops being due when its answer has been
//! dealt with, so a crawl stopped or killed goes on with what is still due. A new run (no
//! address due) makes the sitemaps, feeds, listings and failed articles due again, and an
//! article again only when the site says it changed after it was fetched.

use crate::StoreError;
use crate::clock::now;
use crate::entities::crawl_url::{ActiveModel, Column, Entity, Model};
use chrono::{DateTime, Utc};
use danvan_domain::SiteId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// What an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A sitemap or a sitemap index.
    Sitemap,
    /// An RSS or Atom feed.
    Feed,
    /// A category listing page (or one of its further pages).
    Listing,
    /// An article.
    Article,
}

impl Kind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sitemap => "sitemap",
            Self::Feed => "feed",
            Self::Listing => "listing",
            Self::Article => "article",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "sitemap" => Self::Sitemap,
            "feed" => Self::Feed,
            "listing" => Self::Listing,
            _ => Self::Article,
        }
    }

    /// The order a run fetches in: what finds articles before the articles.
    fn rank(self) -> i16 {
        match self {
            Self::Sitemap => 0,
            Self::Feed => 1,
            Self::Listing => 2,
            Self::Article => 3,
        }
    }
}

/// An address found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The absolute address.
    pub url: String,
    /// What it is.
    pub kind: Kind,
    /// When the site says it last changed.
    pub changed_at: Option<DateTime<Utc>>,
}

/// An address of the frontier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its row.
    pub id: i64,
    /// The address.
    pub url: String,
    /// What it is.
    pub kind: Kind,
    /// The last answer's `ETag`.
    pub etag: Option<String>,
    /// The last answer's `Last-Modified`.
    pub last_modified: Option<String>,
}

/// What became of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A sitemap, feed or listing read for its links.
    Read,
    /// An article imported (new or changed).
    Imported {
        /// The article's slug.
        slug: String,
    },
    /// Not changed since it was last fetched or imported.
    Unchanged {
        /// The article's slug, when the importer named it.
        slug: Option<String>,
    },
    /// Left alone on purpose (robots.txt, not a page, older than asked).
    Skipped {
        /// Why.
        reason: String,
    },
    /// Could not be fetched or imported.
    Failed {
        /// Why.
        reason: String,
    },
}

/// Whether a run of the site's crawl is under way (some address is still due).
pub async fn running(db: &impl ConnectionTrait, site: SiteId) -> Result<bool, StoreError> {
    let due = Entity::find()
        .filter(Column::SiteId.eq(site.0))
        .filter(Column::Due.eq(true))
        .count(db)
        .await?;
    Ok(due > 0)
}

/// Begins a new run: the sitemaps, feeds and listings are read again (asking only for what
/// changed), and the articles that failed are tried again.
pub async fn begin_run(db: &impl ConnectionTrait, site: SiteId) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::Due, Expr::value(true))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::SiteId.eq(site.0))
        .filter(
            Condition::any()
                .add(Column::Kind.ne(Kind::Article.as_str()))
                .add(Column::State.eq("failed")),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Adds what was found; gives how many articles are new to the frontier. An address known
/// already becomes due again when `again` is set (the addresses a crawl starts from), or
/// when it is an article the site says changed after it was fetched.
pub async fn add(
    db: &impl ConnectionTrait,
    site: SiteId,
    found: &[Found],
    again: bool,
) -> Result<usize, StoreError> {
    let mut new_articles = 0;
    let now = now();
    for chunk in found.chunks(300) {
        let urls: Vec<&str> = chunk.iter().map(|f| f.url.as_str()).collect();
        let known: HashMap<String, Model> = Entity::find()
            .filter(Column::SiteId.eq(site.0))
            .filter(Column::Url.is_in(urls))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.url.clone(), m))
            .collect();
        let mut rows = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for f in chunk {
            if !seen.insert(f.url.as_str()) {
                continue;
            }
            match known.get(&f.url) {
                None => {
                    if f.kind == Kind::Article {
                        new_articles += 1;
                    }
                    rows.push(ActiveModel {
                        created_at: Set(now),
                        updated_at: Set(now),
                        site_id: Set(site.0),
                        url: Set(f.url.clone()),
                        kind: Set(f.kind.as_str().to_owned()),
                        rank: Set(f.kind.rank()),
                        due: Set(true),
                        state: Set("new".to_owned()),
                        reason: Set(None),
                        article_slug: Set(None),
                        etag: Set(None),
                        last_modified: Set(None),
                        changed_at: Set(f.changed_at.map(crate::clock::stored_time)),
                        fetched_at: Set(None),
                        ..Default::default()
                    });
                }
                Some(old) if !old.due => {
                    let changed = match (f.changed_at, old.fetched_at) {
                        (Some(changed), Some(fetched)) => changed > fetched,
                        _ => false,
                    };
                    if again || (f.kind == Kind::Article && changed) {
                        Entity::update_many()
                            .col_expr(Column::Due, Expr::value(true))
                            .col_expr(Column::UpdatedAt, Expr::value(now))
                            .col_expr(
                                Column::ChangedAt,
                                Expr::value(f.changed_at.or(old.changed_at)),
                            )
                            .filter(Column::Id.eq(old.id))
                            .exec(db)
                            .await?;
                    }
                }
                Some(_) => {}
            }
        }
        if !rows.is_empty() {
            Entity::insert_many(rows).exec_without_returning(db).await?;
        }
    }
    Ok(new_articles)
}

/// Up to `limit` due addresses, sitemaps and feeds first, then listings, then articles,
/// leaving out `busy` (those being fetched).
pub async fn due(
    db: &impl ConnectionTrait,
    site: SiteId,
    limit: u64,
    busy: &[i64],
) -> Result<Vec<Entry>, StoreError> {
    let mut query = Entity::find()
        .filter(Column::SiteId.eq(site.0))
        .filter(Column::Due.eq(true));
    if !busy.is_empty() {
        query = query.filter(Column::Id.is_not_in(busy.to_vec()));
    }
    Ok(query
        .order_by_asc(Column::Rank)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Entry {
            id: m.id,
            kind: Kind::parse(&m.kind),
            url: m.url,
            etag: m.etag,
            last_modified: m.last_modified,
        })
        .collect())
}

/// The validators of an answer, kept to ask next time only for a change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// Records what became of an address; it is no longer due. `validators` are those of a
/// fresh answer (`None` keeps the old ones: nothing new was fetched, or nothing usable).
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    outcome: &Outcome,
    validators: Option<&Validators>,
) -> Result<(), StoreError> {
    let now = now();
    let (state, reason, slug) = match outcome {
        Outcome::Read => ("read", None, None),
        Outcome::Imported { slug } => ("imported", None, Some(slug.clone())),
        Outcome::Unchanged { slug } => ("unchanged", None, slug.clone()),
        Outcome::Skipped { reason } => ("skipped", Some(reason.clone()), None),
        Outcome::Failed { reason } => ("failed", Some(reason.clone()), None),
    };
    let mut update = Entity::update_many()
        .col_expr(Column::Due, Expr::value(false))
        .col_expr(Column::State, Expr::value(state))
        .col_expr(Column::Reason, Expr::value(reason))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id));
    if !matches!(outcome, Outcome::Failed { .. } | Outcome::Skipped { .. }) {
        update = update.col_expr(Column::FetchedAt, Expr::value(now));
    }
    if let Some(slug) = slug {
        update = update.col_expr(Column::ArticleSlug, Expr::value(slug));
    }
    if let Some(v) = validators {
        update = update
            .col_expr(Column::Etag, Expr::value(v.etag.clone()))
            .col_expr(Column::LastModified, Expr::value(v.last_modified.clone()));
    }
    update.exec(db).await?;
    Ok(())
}

/// An address as the frontier holds it, for reports and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The address.
    pub url: String,
    /// What it is.
    pub kind: Kind,
    /// Still to be fetched in this run.
    pub due: bool,
    /// "new", "read", "imported", "unchanged", "skipped" or "failed".
    pub state: String,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    /// The article it became.
    pub article_slug: Option<String>,
}

/// Every address of the site's frontier, in the order found.
pub async fn list(db: &impl ConnectionTrait, site: SiteId) -> Result<Vec<State>, StoreError> {
    Ok(Entity::find()
        .filter(Column::SiteId.eq(site.0))
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| State {
            kind: Kind::parse(&m.kind),
            url: m.url,
            due: m.due,
            state: m.state,
            reason: m.reason,
            article_slug: m.article_slug,
        })
        .collect())
}
