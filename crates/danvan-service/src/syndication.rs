//! What partner portals syndicate: the public articles of a feed (a site's, or an
//! organisation's, a tag's, a category's, a campaign's or a meeting kind's within it), the
//! site's sitemap entries, and where each article lives on the site's front end. Feeds,
//! sitemaps and webhooks all link to [`address`].

use crate::ServiceError;
use crate::reading::{self, ArticleQuery};
use chrono::{DateTime, Duration, Utc};
use danvan_domain::meeting::MeetingKind;
use danvan_domain::{SiteId, TagId};
use danvan_store::DatabaseConnection;
use danvan_store::article::{Article, ArticleOrder};
use danvan_store::site::Site;
use danvan_store::tag::Tag;
use std::collections::BTreeMap;

/// The most items a feed holds.
pub const FEED_MAX: u64 = 100;

/// What a feed follows within its site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    /// Every public article of the site.
    Site,
    /// The articles concerning an organisation, by its slug; with `subtree`, also those
    /// concerning the organisations below it.
    Organisation {
        /// The organisation's slug.
        slug: String,
        /// Whether the organisations below it count.
        subtree: bool,
    },
    /// The articles with a tag, by its slug.
    Tag(String),
    /// The articles in one of the site's categories, by its slug.
    Category(String),
    /// The articles reporting on a campaign, by its slug.
    Campaign(String),
    /// The articles reporting meetings of a kind.
    MeetingKind(MeetingKind),
}

/// A feed's articles and what its items name.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The site.
    pub site: Site,
    /// What the feed follows within the site, by name ("Ban Dân vận Tỉnh ủy"), for all but
    /// the site's own.
    pub subject: Option<String>,
    /// Newest first.
    pub articles: Vec<Article>,
    /// The tags the articles carry.
    pub tags: BTreeMap<TagId, Tag>,
}

impl Feed {
    /// When the feed last changed: its newest article's last change.
    pub fn updated(&self) -> Option<DateTime<Utc>> {
        self.articles.iter().map(|a| a.updated_at).max()
    }
}

/// The site a feed or sitemap without one names: `configured` (a slug) when set, else the
/// first site.
pub async fn default_site(
    db: &DatabaseConnection,
    configured: Option<&str>,
) -> Result<Site, ServiceError> {
    if let Some(slug) = configured {
        return site(db, slug).await;
    }
    let first = danvan_store::site::list(db, &danvan_store::PageRequest::first(1)).await?;
    first
        .items
        .into_iter()
        .next()
        .ok_or_else(|| ServiceError::NotFound("there is no site yet".into()))
}

/// The site with this slug; `NOT_FOUND` when there is none.
pub async fn site(db: &DatabaseConnection, slug: &str) -> Result<Site, ServiceError> {
    let parsed = reading::slug("site", slug)?;
    danvan_store::site::by_slug(db, &parsed)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no site {slug:?}")))
}

/// The newest `limit` public articles at `now` that `scope` follows within `site`.
pub async fn feed(
    db: &DatabaseConnection,
    site: Site,
    scope: &FeedScope,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Feed, ServiceError> {
    let mut query = ArticleQuery {
        site: Some(site.data.slug.to_string()),
        ..ArticleQuery::default()
    };
    let not_found = |what: &str, slug: &str| ServiceError::NotFound(format!("no {what} {slug:?}"));
    let subject = match scope {
        FeedScope::Site => None,
        FeedScope::Organisation { slug, subtree } => {
            let found =
                danvan_store::organisation::by_slug(db, &reading::slug("organisation", slug)?)
                    .await?
                    .ok_or_else(|| not_found("organisation", slug))?;
            query.organisation = Some(found.id);
            query.include_subtree = *subtree;
            Some(found.data.name.to_string())
        }
        FeedScope::Tag(slug) => {
            let found = danvan_store::tag::by_slug(db, &reading::slug("tag", slug)?)
                .await?
                .ok_or_else(|| not_found("tag", slug))?;
            query.tag = Some(found.data.slug.to_string());
            Some(found.data.name.to_string())
        }
        FeedScope::Category(slug) => {
            let found =
                danvan_store::category::by_slug(db, site.id, &reading::slug("category", slug)?)
                    .await?
                    .ok_or_else(|| not_found("category", slug))?;
            query.category = Some(found.id);
            Some(found.data.name.to_string())
        }
        FeedScope::Campaign(slug) => {
            let found = danvan_store::campaign::by_slug(db, &reading::slug("campaign", slug)?)
                .await?
                .ok_or_else(|| not_found("campaign", slug))?;
            query.campaign = Some(found.id);
            Some(found.data.name.to_string())
        }
        FeedScope::MeetingKind(kind) => {
            query.meeting_kind = Some(*kind);
            Some(kind.label().to_owned())
        }
    };
    let reading = reading::public_articles(db, query, now).await?;
    let request = danvan_store::PageRequest::first(limit.clamp(1, FEED_MAX));
    let articles = reading::articles(db, &reading, ArticleOrder::NewestPublished, &request)
        .await?
        .page
        .items;
    let tag_ids: Vec<TagId> = articles
        .iter()
        .flat_map(|a| a.data.tag_ids.iter().copied())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let tags = danvan_store::tag::get_many(db, &tag_ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(Feed {
        site,
        subject,
        articles,
        tags,
    })
}

/// Where an article lives for readers: the site's front end when it names a pattern,
/// else the page it was copied from, else `fallback` (the JSON API's address of it).
pub fn address(site: &Site, article: &Article, fallback: impl FnOnce() -> String) -> String {
    public_address(site, article).unwrap_or_else(fallback)
}

/// Where an article lives on the web, if anywhere: the site's front end when it names a
/// pattern, else the page it was copied from.
pub fn public_address(site: &Site, article: &Article) -> Option<String> {
    locate(
        site,
        &article.data.slug,
        article.id.0,
        article.data.canonical_url.as_ref(),
    )
}

fn locate(
    site: &Site,
    slug: &danvan_domain::Slug,
    id: i64,
    copied_from: Option<&danvan_domain::Url>,
) -> Option<String> {
    match (&site.data.public_url, copied_from) {
        (Some(pattern), _) => Some(pattern.address(slug, id)),
        (None, copied_from) => copied_from.map(ToString::to_string),
    }
}

/// How far back a news sitemap reaches: Google News takes the last two days.
pub const NEWS_WINDOW: Duration = Duration::days(2);

/// The most entries of a news sitemap.
pub const NEWS_MAX: u64 = 1000;

/// The public articles of `site` published in the two days before `now`, newest first.
pub async fn news(
    db: &DatabaseConnection,
    site: SiteId,
    now: DateTime<Utc>,
) -> Result<Vec<Article>, ServiceError> {
    let filter = danvan_store::article::ArticleFilter {
        site_id: Some(site),
        public_at: Some(now),
        published_from: Some(now - NEWS_WINDOW),
        ..Default::default()
    };
    let request = danvan_store::PageRequest::first(NEWS_MAX);
    Ok(
        danvan_store::article::list(db, &filter, ArticleOrder::NewestPublished, &request)
            .await?
            .items,
    )
}

/// How a site's sitemap is cut into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapPlan {
    /// The public articles.
    pub count: u64,
    /// The most a file lists.
    pub per_file: u64,
    /// The files, at least one (an empty sitemap is still a sitemap).
    pub files: u64,
}

/// The most a sitemap file may hold: 50,000 addresses, 50 MB (sitemaps.org).
pub const SITEMAP_MAX_URLS: u64 = 50_000;
/// See [`SITEMAP_MAX_URLS`].
pub const SITEMAP_MAX_BYTES: u64 = 50 * 1000 * 1000;

/// The bytes of one `<url>` beyond its address: the tags and a `lastmod`.
const SITEMAP_ENTRY_BYTES: u64 = 96;
/// The bytes of a file beyond its entries: the declaration and `<urlset>`.
const SITEMAP_FILE_BYTES: u64 = 256;

/// How `site`'s public articles at `now` are cut into files of at most `max_urls`
/// addresses (and at most [`SITEMAP_MAX_URLS`]) and [`SITEMAP_MAX_BYTES`]; `fallback_chars`
/// is the length of the address an article without any other gets.
///
/// The bytes are bounded before anything is written: each address is counted at its
/// longest (every character five bytes, as `&amp;`), so that no file can pass the limit
/// and every file's entries are known from the plan alone.
pub async fn sitemap_plan(
    db: &DatabaseConnection,
    site: &Site,
    now: DateTime<Utc>,
    max_urls: u64,
    fallback_chars: u64,
) -> Result<SitemapPlan, ServiceError> {
    let (count, longest_copied) =
        danvan_store::article::sitemap_extent(db, &sitemap_filter(site.id, now)).await?;
    let longest = match &site.data.public_url {
        // The slug (at most 200 characters) and the id (at most 20 digits) in the pattern.
        Some(pattern) => pattern.as_str().chars().count() as u64 + 220,
        None => longest_copied.max(fallback_chars),
    };
    let entry = SITEMAP_ENTRY_BYTES + 5 * longest;
    let by_bytes = (SITEMAP_MAX_BYTES - SITEMAP_FILE_BYTES) / entry;
    let per_file = max_urls.clamp(1, SITEMAP_MAX_URLS).min(by_bytes).max(1);
    Ok(SitemapPlan {
        count,
        per_file,
        files: count.div_ceil(per_file).max(1),
    })
}

/// The entries of file `number` (from 1) of `site`'s sitemap; `NOT_FOUND` past the last.
pub async fn sitemap_file(
    db: &DatabaseConnection,
    site: &Site,
    now: DateTime<Utc>,
    plan: SitemapPlan,
    number: u64,
) -> Result<Vec<danvan_store::article::SitemapEntry>, ServiceError> {
    if number == 0 || number > plan.files {
        return Err(ServiceError::NotFound(format!(
            "the sitemap of {:?} has {} files",
            site.data.slug.as_str(),
            plan.files
        )));
    }
    let offset = (number - 1) * plan.per_file;
    Ok(danvan_store::article::sitemap_entries(
        db,
        &sitemap_filter(site.id, now),
        offset,
        plan.per_file,
    )
    .await?)
}

fn sitemap_filter(site: SiteId, now: DateTime<Utc>) -> danvan_store::article::ArticleFilter {
    danvan_store::article::ArticleFilter {
        site_id: Some(site),
        public_at: Some(now),
        ..Default::default()
    }
}

/// Where an entry of a sitemap lives: as [`address`].
pub fn entry_address(
    site: &Site,
    entry: &danvan_store::article::SitemapEntry,
    fallback: impl FnOnce() -> String,
) -> String {
    locate(site, &entry.slug, entry.id.0, entry.canonical_url.as_ref()).unwrap_or_else(fallback)
}
