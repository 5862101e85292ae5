//! A crawl run: the frontier's due addresses fetched (sitemaps and feeds first, then
//! listings, then articles), what they lead to added to the frontier, each article read
//! and imported as `danvan import` would, and each address's outcome written as soon as it
//! is known, so that a crawl stopped anywhere goes on from there.

use crate::CrawlError;
use crate::discover::{self, Scope};
use crate::fetch::{FetchError, Fetched, Fetcher, Politeness};
use chrono::NaiveDate;
use danvan_ingest::extract::Places;
use danvan_service::import::{Importer, Outcome as Saved, places_of, save_page};
use danvan_store::DatabaseConnection;
use danvan_store::crawl::{self, Entry, Found, Kind, Outcome, Validators};
use danvan_store::site::Site;
use reqwest::Url;
use std::future::Future;
use std::sync::Arc;
use tokio::task::JoinSet;

/// What to crawl and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to start: a portal's home or category pages, sitemaps or feeds.
    pub starts: Vec<Url>,
    /// Only addresses whose path starts with this.
    pub prefix: Option<String>,
    /// Only articles of this day or later.
    pub since: Option<NaiveDate>,
    /// At most this many articles fetched in this run of the command; the rest stays due.
    pub max_pages: Option<usize>,
    /// How to behave towards the portal.
    pub politeness: Politeness,
    /// Who brings the pages in, for revisions and the audit log.
    pub importer: Option<Importer>,
}

/// What a crawl did, for the person running it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles new to the frontier.
    pub found: usize,
    /// Addresses fetched (answered, changed or not).
    pub fetched: usize,
    /// Articles imported: new.
    pub created: usize,
    /// Articles imported: changed pages.
    pub updated: usize,
    /// Addresses not changed since the last crawl.
    pub unchanged: usize,
    /// Addresses `robots.txt` disallows.
    pub skipped_by_robots: usize,
    /// Addresses left alone for another reason (not a page, older than `--since`).
    pub skipped: usize,
    /// Addresses that failed, and why.
    pub failed: Vec<(String, String)>,
    /// Addresses still due when the run stopped (stopped, or `--max-pages` reached).
    pub left: bool,
}

impl Summary {
    /// The summary as a line.
    pub fn line(&self) -> String {
        format!(
            "{} found, {} fetched, {} imported ({} new, {} changed), {} unchanged, {} skipped by robots.txt, {} skipped, {} failed",
            self.found,
            self.fetched,
            self.created + self.updated,
            self.created,
            self.updated,
            self.unchanged,
            self.skipped_by_robots,
            self.skipped,
            self.failed.len()
        )
    }
}

/// Where a start address points: a sitemap, a feed, or a listing page.
fn start_kind(url: &Url) -> Kind {
    let path = url.path().to_ascii_lowercase();
    if path.ends_with(".xml") && path.contains("sitemap") {
        Kind::Sitemap
    } else if path.ends_with(".rss")
        || path.ends_with(".atom")
        || path.ends_with("/feed")
        || path.ends_with("/rss")
        || path.contains("/rss/")
        || path.ends_with("rss.xml")
    {
        Kind::Feed
    } else {
        Kind::Listing
    }
}

/// A crawl of one site.
struct Crawl<'a> {
    db: &'a DatabaseConnection,
    site: &'a Site,
    options: &'a Options,
    scopes: Vec<Scope>,
    places: Places,
    summary: Summary,
}

/// Crawls into `site` until nothing is due, `--max-pages` articles were fetched, or `stop`
/// completes; calls `progress` after each address.
pub async fn crawl(
    db: &DatabaseConnection,
    site: &Site,
    options: &Options,
    stop: impl Future<Output = ()>,
    mut progress: impl FnMut(&Summary),
) -> Result<Summary, CrawlError> {
    let fetcher = Arc::new(Fetcher::new(options.politeness.clone()).map_err(CrawlError::Client)?);
    let mut crawl = Crawl {
        db,
        site,
        options,
        scopes: options
            .starts
            .iter()
            .map(|s| Scope::new(s, options.prefix.as_deref()))
            .collect(),
        places: places_of(db, site).await.map_err(CrawlError::Store)?,
        summary: Summary::default(),
    };
    if !crawl::running(db, site.id).await? {
        crawl::begin_run(db, site.id).await?;
    }
    // The starts, with the sitemaps `robots.txt` names and the usual `/sitemap.xml`.
    let mut starts = Vec::new();
    for start in &options.starts {
        starts.push(Found {
            url: start.to_string(),
            kind: start_kind(start),
            changed_at: None,
        });
        // Reads robots.txt, for the sitemaps it names; what it forbids is told per address.
        let _ = fetcher.allowed(start).await;
        let mut sitemaps = fetcher.sitemaps(start);
        if sitemaps.is_empty()
            && let Ok(usual) = start.join("/sitemap.xml")
        {
            sitemaps.push(usual.to_string());
        }
        for sitemap in sitemaps {
            if let Ok(url) = Url::parse(&sitemap)
                && crawl.scopes.iter().any(|s| s.same_host(&url))
            {
                starts.push(Found {
                    url: url.to_string(),
                    kind: Kind::Sitemap,
                    changed_at: None,
                });
            }
        }
    }
    crawl::add(db, site.id, &starts, true).await?;

    tokio::pin!(stop);
    let mut in_flight: JoinSet<(Entry, Result<Fetched, FetchError>)> = JoinSet::new();
    let mut busy: Vec<i64> = Vec::new();
    let mut articles_started = 0usize;
    let capacity = 2 * crawl.scopes.len().max(1);
    loop {
        let room = capacity.saturating_sub(in_flight.len());
        if room > 0 {
            for entry in crawl::due(db, site.id, room as u64, &busy).await? {
                if entry.kind == Kind::Article {
                    // Sorted by rank: nothing but articles is left after the first.
                    if options.max_pages.is_some_and(|m| articles_started >= m) {
                        break;
                    }
                    articles_started += 1;
                }
                busy.push(entry.id);
                let fetcher = fetcher.clone();
                in_flight.spawn(async move {
                    let url = Url::parse(&entry.url);
                    let validators = Validators {
                        etag: entry.etag.clone(),
                        last_modified: entry.last_modified.clone(),
                    };
                    let result = match url {
                        Ok(url) => fetcher.get(&url, Some(&validators)).await,
                        Err(e) => Err(FetchError::Network(format!("not an address: {e}"))),
                    };
                    (entry, result)
                });
            }
        }
        if in_flight.is_empty() {
            break;
        }
        let joined = tokio::select! {
            joined = in_flight.join_next() => joined,
            () = &mut stop => {
                in_flight.shutdown().await;
                crawl.summary.left = true;
                return Ok(crawl.summary);
            }
        };
        let Some(joined) = joined else { break };
        let (entry, result) = joined.map_err(|e| CrawlError::Task(e.to_string()))?;
        busy.retain(|id| *id != entry.id);
        crawl.handle(&entry, result).await?;
        progress(&crawl.summary);
    }
    crawl.summary.left = crawl::running(db, site.id).await?;
    Ok(crawl.summary)
}

impl Crawl<'_> {
    fn scope_of(&self, url: &Url) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.same_host(url))
    }

    /// Adds what a page leads to, leaving out articles the site dates before `--since`.
    async fn add(&mut self, found: Vec<Found>) -> Result<(), CrawlError> {
        let since = self
            .options
            .since
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(danvan_text::time::from_vietnam_local);
        let (keep, old): (Vec<Found>, Vec<Found>) = found.into_iter().partition(|f| {
            !(f.kind == Kind::Article && since.zip(f.changed_at).is_some_and(|(s, c)| c < s))
        });
        self.summary.skipped += old.len();
        self.summary.found += crawl::add(self.db, self.site.id, &keep, false).await?;
        Ok(())
    }

    async fn handle(
        &mut self,
        entry: &Entry,
        result: Result<Fetched, FetchError>,
    ) -> Result<(), CrawlError> {
        let (outcome, validators) = match result {
            Err(FetchError::Disallowed) => {
                self.summary.skipped_by_robots += 1;
                (
                    Outcome::Skipped {
                        reason: FetchError::Disallowed.to_string(),
                    },
                    None,
                )
            }
            Err(FetchError::Status(code @ (404 | 410))) if entry.kind != Kind::Article => {
                self.summary.skipped += 1;
                (
                    Outcome::Skipped {
                        reason: format!("HTTP {code}: not there"),
                    },
                    None,
                )
            }
            Err(error) => (
                Outcome::Failed {
                    reason: error.to_string(),
                },
                None,
            ),
            Ok(Fetched::NotModified) => {
                self.summary.fetched += 1;
                (Outcome::Unchanged { slug: None }, None)
            }
            Ok(Fetched::Page {
                url,
                content_type,
                body,
                validators,
            }) => {
                self.summary.fetched += 1;
                let outcome = self.read(entry, &url, &content_type, &body).await?;
                // A page that failed is asked for whole next time.
                let keep = !matches!(outcome, Outcome::Failed { .. });
                (outcome, keep.then_some(validators))
            }
        };
        match &outcome {
            Outcome::Unchanged { .. } => self.summary.unchanged += 1,
            Outcome::Failed { reason } => {
                self.summary
                    .failed
                    .push((entry.url.clone(), reason.clone()));
            }
            _ => {}
        }
        crawl::finish(self.db, entry.id, &outcome, validators.as_ref()).await?;
        Ok(())
    }

    /// Reads a fetched page as what its address is.
    async fn read(
        &mut self,
        entry: &Entry,
        url: &Url,
        content_type: &str,
        body: &[u8],
    ) -> Result<Outcome, CrawlError> {
        let (text, _) = crate::decode::decode(body);
        let Some(scope) = self.scope_of(url).cloned() else {
            return Ok(Outcome::Failed {
                reason: "off the portal".to_owned(),
            });
        };
        let html = content_type.is_empty()
            || content_type.contains("html")
            || (content_type.starts_with("text/plain") && entry.kind == Kind::Article);
        match entry.kind {
            Kind::Sitemap => match discover::sitemap(&text, &scope) {
                Ok(found) => {
                    self.add(found).await?;
                    Ok(Outcome::Read)
                }
                Err(reason) => Ok(Outcome::Failed { reason }),
            },
            Kind::Feed => match discover::feed(&text, &scope) {
                Ok(found) => {
                    self.add(found).await?;
                    Ok(Outcome::Read)
                }
                Err(reason) => Ok(Outcome::Failed { reason }),
            },
            Kind::Listing | Kind::Article if !html => {
                self.summary.skipped += 1;
                Ok(Outcome::Skipped {
                    reason: format!("not a page ({content_type})"),
                })
            }
            Kind::Listing => {
                let listing = discover::listing(&text, url, &scope);
                let mut found = listing.articles;
                found.extend(listing.pages);
                found.extend(listing.feeds);
                self.add(found).await?;
                Ok(Outcome::Read)
            }
            Kind::Article => Ok(self.import(url, &text).await),
        }
    }

    /// Imports an article's page as `danvan import` does.
    async fn import(&mut self, url: &Url, text: &str) -> Outcome {
        let page = match danvan_ingest::RawPage::from_bytes(text.as_bytes()) {
            Ok(page) => page,
            Err(e) => {
                return Outcome::Failed {
                    reason: e.to_string(),
                };
            }
        };
        let mut article = danvan_ingest::read_page(&page);
        if article.title.is_empty() {
            return Outcome::Failed {
                reason: "no title found".to_owned(),
            };
        }
        if let (Some(since), Some(published)) = (self.options.since, &article.published)
            && published.date < since
        {
            self.summary.skipped += 1;
            return Outcome::Skipped {
                reason: format!("published {}, before --since", published.date),
            };
        }
        // The address it was fetched from names the page when the page names none.
        if article.canonical_url.is_none() {
            article.canonical_url = Some(url.to_string());
        }
        let extraction = danvan_ingest::extract(&article, self.places.clone());
        match save_page(
            self.db,
            self.site,
            &article,
            &extraction,
            self.options.importer.as_ref(),
        )
        .await
        {
            Ok((Saved::Created { slug }, _)) => {
                self.summary.created += 1;
                Outcome::Imported { slug }
            }
            Ok((Saved::Updated { slug, .. }, _)) => {
                self.summary.updated += 1;
                Outcome::Imported { slug }
            }
            Ok((Saved::Unchanged { slug }, _)) => Outcome::Unchanged { slug: Some(slug) },
            Ok((Saved::Read, _)) => Outcome::Read,
            Ok((Saved::Failed { reason }, _)) | Err(reason) => Outcome::Failed { reason },
        }
    }
}
