#![doc = include_str!("../README.md")]

pub mod feeds;
pub mod sitemaps;
pub mod webhooks;

use axum::Router;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use danvan_domain::meeting::MeetingKind;
use danvan_rest::caching::{self, Responses};
use danvan_rest::params::Params;
use danvan_rest::{Freshness, Problem};
use danvan_service::ServiceError;
use danvan_service::syndication::{self, FeedScope};
use danvan_store::DatabaseConnection;
use danvan_store::site::Site;
use feeds::{Format, Links};
use std::sync::Arc;

/// What partners are told, and how much.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address partners reach this server at (`https://api.danvan.example.vn`): feeds'
    /// own links, the sitemaps' addresses, and the stable ids of feed items.
    pub api_url: String,
    /// The site of `/feeds/rss.xml` and the other feeds without a site; the first site when
    /// unset.
    pub default_site: Option<String>,
    /// The items of a feed unless `limit` asks for fewer or more (up to 100).
    pub feed_items: u64,
    /// How many minutes a reader may keep a feed (RSS `ttl`).
    pub ttl_minutes: u32,
    /// The most addresses a sitemap file lists (50,000 at most).
    pub sitemap_max_urls: u64,
    /// The media library, its addresses absolute (a CDN's, or `api_url`), for the photos
    /// of feeds and sitemaps.
    pub media: Option<danvan_service::media::Served>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            api_url: "http://127.0.0.1:8080".into(),
            default_site: None,
            feed_items: 50,
            ttl_minutes: 15,
            sitemap_max_urls: syndication::SITEMAP_MAX_URLS,
            media: None,
        }
    }
}

/// What the feeds' and sitemaps' handlers share.
#[derive(Clone)]
pub struct Syndication {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    freshness: Freshness,
    responses: Responses,
    settings: Settings,
}

impl Syndication {
    /// Feeds and sitemaps read from `db`, tagged by `freshness` and kept in `responses`
    /// (the JSON API's, so that a process has one of each).
    pub fn new(
        db: DatabaseConnection,
        freshness: Freshness,
        responses: Responses,
        mut settings: Settings,
    ) -> Self {
        settings.api_url = settings.api_url.trim_end_matches('/').to_owned();
        Self {
            inner: Arc::new(Inner {
                db,
                freshness,
                responses,
                settings,
            }),
        }
    }

    fn db(&self) -> &DatabaseConnection {
        &self.inner.db
    }

    fn api(&self) -> &str {
        &self.inner.settings.api_url
    }

    /// Answers a public GET as [`caching::kept`] does.
    async fn cached<F>(&self, uri: &Uri, headers: &HeaderMap, build: F) -> Result<Response, Problem>
    where
        F: Future<Output = Result<Response, Problem>>,
    {
        caching::kept(
            &self.inner.freshness,
            &self.inner.responses,
            uri,
            headers,
            build,
        )
        .await
    }

    async fn site(&self, slug: Option<&str>) -> Result<Site, ServiceError> {
        match slug {
            Some(slug) => syndication::site(self.db(), slug).await,
            None => {
                syndication::default_site(self.db(), self.inner.settings.default_site.as_deref())
                    .await
            }
        }
    }
}

/// The feeds, the sitemaps and `robots.txt`, compressed and revalidated as the JSON API's
/// answers are.
pub fn router<S: Clone + Send + Sync + 'static>(syndication: Syndication) -> Router<S> {
    let routes = Router::new()
        .route("/feeds/{file}", get(default_feed))
        .route("/feeds/{site}/{file}", get(site_feed))
        .route("/feeds/{site}/{of}/{slug}/{file}", get(scoped_feed))
        .route(
            "/feeds/{site}/organisations/{slug}/subtree/{file}",
            get(subtree_feed),
        )
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{site}/{file}", get(sitemap_file))
        .route("/robots.txt", get(robots))
        .layer(axum::middleware::from_fn_with_state(
            danvan_rest::CachePolicy::default(),
            caching::conditional,
        ))
        .with_state(syndication);
    danvan_rest::compressed(routes)
}

/// One feed: `file` names the format, `scope` what it follows within `site` (the default
/// site when `None`).
async fn feed(
    syndication: Syndication,
    uri: Uri,
    headers: HeaderMap,
    site: Option<String>,
    scope: FeedScope,
    file: String,
) -> Result<Response, Problem> {
    let Some(format) = Format::of_file(&file) else {
        return Err(ServiceError::NotFound(format!(
            "no feed {file:?}: rss.xml, atom.xml or feed.json"
        ))
        .into());
    };
    let mut params = Params::parse(uri.query().unwrap_or_default())?;
    let limit = params
        .parse_as::<u64>("limit", "a number of items from 1 to 100")?
        .unwrap_or(syndication.inner.settings.feed_items);
    if !(1..=syndication::FEED_MAX).contains(&limit) {
        return Err(Problem::parameter("limit", "from 1 to 100 items"));
    }
    params.finish()?;
    let cached_uri = uri.clone();
    syndication
        .cached(&cached_uri, &headers, async {
            let site = syndication.site(site.as_deref()).await?;
            let feed = syndication::feed(syndication.db(), site, &scope, Utc::now(), limit).await?;
            let this = format!("{}{}", syndication.api(), uri);
            let path = uri.path();
            let folder = path.strip_suffix(format.file()).unwrap_or(path);
            let links = Links {
                media: syndication.inner.settings.media.clone(),
                api: syndication.api().to_owned(),
                alternates: Format::ALL
                    .into_iter()
                    .map(|f| (f, format!("{}{folder}{}", syndication.api(), f.file())))
                    .collect(),
                this,
                ttl_minutes: syndication.inner.settings.ttl_minutes,
            };
            let body = format.write(&feed, &links);
            let mut response =
                ([(header::CONTENT_TYPE, format.content_type())], body).into_response();
            if let Some(modified) = caching::last_modified(feeds::last_modified(&feed)) {
                response
                    .headers_mut()
                    .insert(header::LAST_MODIFIED, modified);
            }
            Ok(response)
        })
        .await
}

async fn default_feed(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, Problem> {
    feed(s, uri, headers, None, FeedScope::Site, file).await
}

async fn site_feed(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path((site, file)): Path<(String, String)>,
) -> Result<Response, Problem> {
    feed(s, uri, headers, Some(site), FeedScope::Site, file).await
}

/// A feed of one thing a site's news is about: `/feeds/{site}/{of}/{slug}/{file}`, `of`
/// being `organisations`, `tags`, `categories`, `campaigns` or `meetings` (a kind).
async fn scoped_feed(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path((site, of, slug, file)): Path<(String, String, String, String)>,
) -> Result<Response, Problem> {
    let scope = match of.as_str() {
        "organisations" => FeedScope::Organisation {
            slug,
            subtree: false,
        },
        "tags" => FeedScope::Tag(slug),
        "categories" => FeedScope::Category(slug),
        "campaigns" => FeedScope::Campaign(slug),
        "meetings" => FeedScope::MeetingKind(meeting_kind(&slug)?),
        _ => {
            return Err(ServiceError::NotFound(format!(
                "no feeds of {of:?}: organisations, tags, categories, campaigns or meetings"
            ))
            .into());
        }
    };
    feed(s, uri, headers, Some(site), scope, file).await
}

/// An organisation's feed with the organisations below it.
async fn subtree_feed(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path((site, slug, file)): Path<(String, String, String)>,
) -> Result<Response, Problem> {
    let scope = FeedScope::Organisation {
        slug,
        subtree: true,
    };
    feed(s, uri, headers, Some(site), scope, file).await
}

/// A meeting kind in a path: its code with hyphens, `final-review`.
fn meeting_kind(raw: &str) -> Result<MeetingKind, Problem> {
    MeetingKind::ALL
        .iter()
        .copied()
        .find(|k| k.code().replace('_', "-") == raw)
        .ok_or_else(|| {
            let known: Vec<String> = MeetingKind::ALL
                .iter()
                .map(|k| k.code().replace('_', "-"))
                .collect();
            ServiceError::NotFound(format!("no meeting kind {raw:?}: {}", known.join(", "))).into()
        })
}

/// Every site, for the sitemap index and `robots.txt`.
async fn sites(db: &DatabaseConnection) -> Result<Vec<Site>, ServiceError> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let request = danvan_store::PageRequest::new(danvan_store::page::MAX_PAGE_SIZE, after);
        let page = danvan_store::site::list(db, &request).await?;
        after = page.cursors.last().cloned();
        let more = page.has_next_page;
        all.extend(page.items);
        if !more || after.is_none() {
            return Ok(all);
        }
    }
}

fn xml(body: std::io::Result<String>) -> Result<Response, Problem> {
    let body = body.map_err(|_| ServiceError::Internal)?;
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// The JSON API's address of an article: a feed item's stable id, and the address of an
/// article with no other.
pub(crate) fn api_address(api: &str, id: i64) -> String {
    format!(
        "{api}/api/v1/articles/{}",
        danvan_service::id::encode(danvan_service::id::kind::ARTICLE, id)
    )
}

/// The characters of [`api_address`], for planning sitemaps.
fn api_address_chars(api: &str) -> u64 {
    api_address(api, i64::MAX).chars().count() as u64
}

async fn sitemap_index(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    Params::parse(uri.query().unwrap_or_default())?.finish()?;
    s.cached(&uri, &headers, async {
        let now = Utc::now();
        let mut files = Vec::new();
        for site in sites(s.db()).await? {
            let plan = syndication::sitemap_plan(
                s.db(),
                &site,
                now,
                s.inner.settings.sitemap_max_urls,
                api_address_chars(s.api()),
            )
            .await?;
            let slug = site.data.slug.as_str();
            for number in 1..=plan.files {
                files.push((
                    format!("{}/sitemaps/{slug}/articles-{number}.xml", s.api()),
                    None,
                ));
            }
            files.push((format!("{}/sitemaps/{slug}/news.xml", s.api()), None));
        }
        xml(sitemaps::index(&files))
    })
    .await
}

async fn sitemap_file(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path((site, file)): Path<(String, String)>,
) -> Result<Response, Problem> {
    Params::parse(uri.query().unwrap_or_default())?.finish()?;
    let number = match file.as_str() {
        "news.xml" => None,
        other => Some(
            other
                .strip_prefix("articles-")
                .and_then(|n| n.strip_suffix(".xml"))
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or_else(|| {
                    ServiceError::NotFound(format!(
                        "no sitemap {other:?}: articles-N.xml or news.xml"
                    ))
                })?,
        ),
    };
    s.cached(&uri, &headers, async {
        let site = syndication::site(s.db(), &site).await?;
        let now = Utc::now();
        let api = s.api();
        match number {
            None => {
                let articles = syndication::news(s.db(), site.id, now).await?;
                let media = s.inner.settings.media.as_ref();
                xml(sitemaps::news(
                    &site,
                    &articles,
                    |a| syndication::address(&site, a, || api_address(api, a.id.0)),
                    |a| media.map(|m| m.photos_of(&a.data)).unwrap_or_default(),
                ))
            }
            Some(number) => {
                let plan = syndication::sitemap_plan(
                    s.db(),
                    &site,
                    now,
                    s.inner.settings.sitemap_max_urls,
                    api_address_chars(api),
                )
                .await?;
                let entries = syndication::sitemap_file(s.db(), &site, now, plan, number).await?;
                let photos = match &s.inner.settings.media {
                    Some(media) => {
                        let ids: Vec<_> = entries.iter().map(|e| e.id).collect();
                        let width = media.partner_width();
                        danvan_store::article::photos_of(s.db(), &ids)
                            .await
                            .map_err(danvan_service::ServiceError::from)?
                            .into_iter()
                            .map(|(article, photos)| {
                                let addresses = photos
                                    .into_iter()
                                    .map(|p| {
                                        media.rendition_url(p, width, danvan_media::Encoding::Jpeg)
                                    })
                                    .collect::<Vec<_>>();
                                (article, addresses)
                            })
                            .collect()
                    }
                    None => std::collections::HashMap::new(),
                };
                xml(sitemaps::urlset(
                    &entries,
                    |e| syndication::entry_address(&site, e, || api_address(api, e.id.0)),
                    |e| photos.get(&e.id).cloned().unwrap_or_default(),
                ))
            }
        }
    })
    .await
}

async fn robots(
    State(s): State<Syndication>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    s.cached(&uri, &headers, async {
        let mut named = vec![format!("{}/sitemap.xml", s.api())];
        for site in sites(s.db()).await? {
            named.push(format!("{}/sitemaps/{}/news.xml", s.api(), site.data.slug));
        }
        Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            sitemaps::robots(&named),
        )
            .into_response())
    })
    .await
}
