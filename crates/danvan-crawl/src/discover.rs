//! Finding a portal's articles: in its sitemaps (and sitemap indexes), in its RSS and Atom
//! feeds, and on its category listing pages with their further pages ("Trang sau", "›",
//! `?page=2`). Only addresses on the crawl's host and under its prefix are kept; on a
//! listing page, only links that look like articles or like the listing's next pages, so
//! that the crawl does not wander into the rest of the portal.

use chrono::{DateTime, NaiveDate, Utc};
use danvan_store::crawl::{Found, Kind};
use quick_xml::Reader;
use quick_xml::events::Event;
use reqwest::Url;
use scraper::{Html, Selector};

/// The longest address kept: longer ones are session ids and search pages, not articles.
const MAX_URL_CHARS: usize = 2000;

/// Where a crawl may go: one host, under one path prefix.
#[derive(Debug, Clone)]
pub struct Scope {
    host: String,
    port: Option<u16>,
    prefix: String,
}

impl Scope {
    /// The host of `start`, under `prefix` (`/` when none).
    pub fn new(start: &Url, prefix: Option<&str>) -> Self {
        let prefix = prefix.map_or_else(
            || "/".to_owned(),
            |p| format!("/{}", p.trim_start_matches('/')),
        );
        Self {
            host: start.host_str().unwrap_or_default().to_ascii_lowercase(),
            port: start.port_or_known_default(),
            prefix,
        }
    }

    /// Whether `url` is on the crawl's host (whatever its path).
    pub fn same_host(&self, url: &Url) -> bool {
        matches!(url.scheme(), "http" | "https")
            && url
                .host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case(&self.host))
            && url.port_or_known_default() == self.port
    }

    /// Whether `url` is on the crawl's host and under its prefix.
    pub fn holds(&self, url: &Url) -> bool {
        self.same_host(url) && url.path().starts_with(&self.prefix)
    }
}

/// `href` resolved against `base`, without its fragment; `None` when it is not an address
/// a crawl can fetch.
pub fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.len() > MAX_URL_CHARS {
        return None;
    }
    let mut url = base.join(href).ok()?;
    url.set_fragment(None);
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// Files that are not pages: a link to one is not followed.
fn is_file(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    const FILES: [&str; 18] = [
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".doc", ".docx", ".xls", ".xlsx",
        ".ppt", ".pptx", ".zip", ".rar", ".mp3", ".mp4", ".css",
    ];
    FILES.iter().any(|ext| path.ends_with(ext)) || path.ends_with(".js")
}

/// Whether an address (and the text of the link to it, when there is one) looks like an
/// article rather than a section, a tag or a search. Portals name articles by their title
/// ("/tin-tuc/hoi-nghi-so-ket-cong-tac-dan-van-6-thang.html") or by a number
/// ("/ChiTiet.aspx?id=1234", "/tin-tuc/-/asset_publisher/abc/content/12345"); sections have
/// short names (a year is no id: "/dai-hoi-2025" is a section). A link whose text reads like a headline (six words or more) is an article
/// whatever its address.
pub fn looks_like_article(url: &Url, text: Option<&str>) -> bool {
    if is_file(url) {
        return false;
    }
    let words = |s: &str| s.split(['-', '_', '+']).filter(|w| !w.is_empty()).count();
    let last = url
        .path_segments()
        .and_then(|mut s| s.rfind(|p| !p.is_empty()))
        .unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    // A number longer than a year is an id ("hoi-nghi-123456"); a bare number is one too.
    let digits = stem.chars().filter(char::is_ascii_digit).count();
    let numbered = digits >= 5 || (digits >= 4 && digits == stem.len());
    let id_query = url.query_pairs().any(|(k, v)| {
        let k = k.to_ascii_lowercase();
        (k == "id" || k.ends_with("id")) && v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty()
    });
    let headline = text.is_some_and(|t| t.split_whitespace().count() >= 6);
    words(stem) >= 4 || numbered || id_query || headline
}

/// Whether a link on a listing page leads to the listing's next (or another) page: its
/// text says so, or its address carries a page number.
fn looks_like_next_page(url: &Url, text: &str) -> bool {
    let text = text.trim().to_lowercase();
    let by_text = matches!(
        text.as_str(),
        "›" | "»"
            | ">"
            | ">>"
            | "sau"
            | "tiếp"
            | "next"
            | "trang sau"
            | "trang tiếp"
            | "tiếp theo"
            | "xem tiếp"
    ) || text.starts_with("trang sau")
        || (!text.is_empty() && text.len() <= 4 && text.chars().all(|c| c.is_ascii_digit()));
    let by_query = url.query_pairs().any(|(k, v)| {
        matches!(
            k.to_ascii_lowercase().as_str(),
            "page" | "p" | "trang" | "pageindex" | "paged" | "cur"
        ) && v.chars().all(|c| c.is_ascii_digit())
    });
    let segments: Vec<&str> = url
        .path_segments()
        .map(Iterator::collect)
        .unwrap_or_default();
    let by_path = segments.windows(2).any(|w| {
        matches!(w[0], "page" | "trang" | "p")
            && w[1].chars().all(|c| c.is_ascii_digit())
            && !w[1].is_empty()
    }) || segments.last().is_some_and(|s| {
        s.strip_prefix("trang-")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
    });
    by_text || by_query || by_path
}

/// What a listing page leads to.
#[derive(Debug, Default)]
pub struct Listing {
    /// Its articles.
    pub articles: Vec<Found>,
    /// Its further pages.
    pub pages: Vec<Found>,
    /// The feeds it announces.
    pub feeds: Vec<Found>,
}

fn found(url: Url, kind: Kind, changed_at: Option<DateTime<Utc>>) -> Found {
    Found {
        url: url.to_string(),
        kind,
        changed_at,
    }
}

/// The links of a listing page at `base` that stay in `scope`.
pub fn listing(html: &str, base: &Url, scope: &Scope) -> Listing {
    let document = Html::parse_document(html);
    let mut out = Listing::default();
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| {
            document
                .select(&s)
                .next()
                .and_then(|b| b.value().attr("href"))
                .and_then(|h| resolve(base, h))
        })
        .unwrap_or_else(|| base.clone());
    if let Ok(alternate) = Selector::parse("link[rel~=alternate][href]") {
        for link in document.select(&alternate) {
            let feed_type = link.value().attr("type").unwrap_or_default();
            if (feed_type.contains("rss") || feed_type.contains("atom"))
                && let Some(url) = link.value().attr("href").and_then(|h| resolve(&base, h))
                && scope.same_host(&url)
            {
                out.feeds.push(found(url, Kind::Feed, None));
            }
        }
    }
    if let Ok(next) = Selector::parse("link[rel~=next][href], a[rel~=next][href]") {
        for link in document.select(&next) {
            if let Some(url) = link.value().attr("href").and_then(|h| resolve(&base, h))
                && scope.holds(&url)
            {
                out.pages.push(found(url, Kind::Listing, None));
            }
        }
    }
    let Ok(anchors) = Selector::parse("a[href]") else {
        return out;
    };
    for anchor in document.select(&anchors) {
        let Some(url) = anchor.value().attr("href").and_then(|h| resolve(&base, h)) else {
            continue;
        };
        if !scope.holds(&url) || url == base || is_file(&url) {
            continue;
        }
        let text: String = anchor.text().collect::<Vec<_>>().join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = anchor.value().attr("title").unwrap_or_default();
        if looks_like_next_page(&url, &text) {
            out.pages.push(found(url, Kind::Listing, None));
        } else if looks_like_article(&url, Some(if text.is_empty() { title } else { &text })) {
            out.articles.push(found(url, Kind::Article, None));
        }
    }
    out
}

/// The entries of a sitemap (`<urlset>`: articles in `scope` that look like articles) or a
/// sitemap index (`<sitemapindex>`: further sitemaps on the host), with their `lastmod`.
pub fn sitemap(xml: &str, scope: &Scope) -> Result<Vec<Found>, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut out = Vec::new();
    let mut entry: Option<Kind> = None;
    let mut loc: Option<String> = None;
    let mut lastmod: Option<String> = None;
    let mut saw_root = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("not a sitemap: {e}"))?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                b"urlset" | b"sitemapindex" => saw_root = true,
                b"url" => entry = Some(Kind::Article),
                b"sitemap" => entry = Some(Kind::Sitemap),
                name @ (b"loc" | b"lastmod") if entry.is_some() => {
                    let end = e.name().as_ref().to_vec();
                    let raw = reader
                        .read_text(quick_xml::name::QName(&end))
                        .map_err(|e| format!("not a sitemap: {e}"))?;
                    let raw = raw.decode().map_err(|e| format!("not a sitemap: {e}"))?;
                    let text = quick_xml::escape::unescape(&raw)
                        .map_or_else(|_| raw.to_string(), |t| t.into_owned());
                    if name == b"loc" {
                        loc = Some(text.trim().to_owned());
                    } else {
                        lastmod = Some(text.trim().to_owned());
                    }
                }
                _ => {}
            },
            Event::End(e) => {
                if matches!(e.local_name().as_ref(), b"url" | b"sitemap")
                    && let Some(kind) = entry.take()
                {
                    let changed = lastmod.take().as_deref().and_then(parse_time);
                    if let Some(url) = loc.take().and_then(|l| Url::parse(&l).ok()) {
                        let keep = match kind {
                            Kind::Sitemap => scope.same_host(&url),
                            _ => scope.holds(&url) && looks_like_article(&url, None),
                        };
                        if keep {
                            out.push(found(url, kind, changed));
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err("not a sitemap: no <urlset> or <sitemapindex>".to_owned());
    }
    Ok(out)
}

/// The articles of an RSS or Atom feed that stay in `scope`, with their dates.
pub fn feed(xml: &str, scope: &Scope) -> Result<Vec<Found>, String> {
    let mut out = Vec::new();
    if let Ok(channel) = rss::Channel::read_from(xml.as_bytes()) {
        for item in channel.items() {
            let changed = item.pub_date().and_then(parse_time);
            if let Some(url) = item.link().and_then(|l| Url::parse(l.trim()).ok())
                && scope.holds(&url)
            {
                out.push(found(url, Kind::Article, changed));
            }
        }
        return Ok(out);
    }
    let feed = atom_syndication::Feed::read_from(xml.as_bytes())
        .map_err(|e| format!("not an RSS or Atom feed: {e}"))?;
    for entry in feed.entries() {
        let link = entry
            .links()
            .iter()
            .find(|l| l.rel() == "alternate")
            .or_else(|| entry.links().first());
        if let Some(url) = link.and_then(|l| Url::parse(l.href().trim()).ok())
            && scope.holds(&url)
        {
            out.push(found(
                url,
                Kind::Article,
                Some(entry.updated().with_timezone(&Utc)),
            ));
        }
    }
    Ok(out)
}

/// A sitemap's or a feed's time: W3C datetime, a bare date, or RFC 2822.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            let day = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
            Some(danvan_text::time::from_vietnam_local(
                day.and_hms_opt(0, 0, 0)?,
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn articles_are_told_from_sections() {
        for article in [
            "https://dvt.vn/tin-tuc/hoi-nghi-so-ket-cong-tac-dan-van.html",
            "https://dvt.vn/ChiTiet.aspx?id=1234",
            "https://dvt.vn/tin-tuc/-/asset_publisher/x/content/12345",
            "https://dvt.vn/2023/03/14/ky-ket-quy-che-phoi-hop/",
            "https://dvt.vn/tin-tuc/56789",
        ] {
            assert!(looks_like_article(&url(article), None), "{article}");
        }
        for section in [
            "https://dvt.vn/tin-tuc",
            "https://dvt.vn/tin-tuc/dan-van-kheo",
            "https://dvt.vn/lien-he.html",
            "https://dvt.vn/dai-hoi-2025",
            "https://dvt.vn/uploads/anh-hoi-nghi-so-ket-2023.jpg",
        ] {
            assert!(!looks_like_article(&url(section), None), "{section}");
        }
        assert!(looks_like_article(
            &url("https://dvt.vn/tin/abc"),
            Some("Huyện ủy tổ chức hội nghị tổng kết công tác dân vận")
        ));
    }

    #[test]
    fn a_crawl_stays_on_its_host_and_under_its_prefix() {
        let scope = Scope::new(&url("https://dvt.vn/tin-tuc"), Some("tin-tuc"));
        assert!(scope.holds(&url("https://dvt.vn/tin-tuc/hoi-nghi-so-ket-cong-tac.html")));
        assert!(scope.holds(&url("https://DVT.vn/tin-tuc?page=2")));
        assert!(!scope.holds(&url("https://dvt.vn/gioi-thieu/lich-su-ban-dan-van.html")));
        assert!(!scope.holds(&url(
            "https://khac.vn/tin-tuc/hoi-nghi-so-ket-cong-tac.html"
        )));
        assert!(!scope.holds(&url(
            "http://dvt.vn:8080/tin-tuc/hoi-nghi-so-ket-cong-tac.html"
        )));
        assert!(scope.same_host(&url("https://dvt.vn/sitemap.xml")));
        let html = r#"<a href="/tin-tuc/hoi-nghi-giao-ban-cong-tac-dan-van.html">Giao ban</a>
            <a href="/van-ban/quy-che-phoi-hop-ban-dan-van-mat-tran.html">Quy chế</a>"#;
        let found = listing(html, &url("https://dvt.vn/tin-tuc"), &scope);
        let articles: Vec<&str> = found.articles.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            articles,
            ["https://dvt.vn/tin-tuc/hoi-nghi-giao-ban-cong-tac-dan-van.html"]
        );
    }

    #[test]
    fn next_pages_are_told_by_their_text_or_number() {
        assert!(looks_like_next_page(
            &url("https://dvt.vn/tin-tuc/x"),
            "Trang sau"
        ));
        assert!(looks_like_next_page(&url("https://dvt.vn/tin-tuc/x"), "›"));
        assert!(looks_like_next_page(
            &url("https://dvt.vn/tin-tuc?page=2"),
            "Cuối"
        ));
        assert!(looks_like_next_page(
            &url("https://dvt.vn/tin-tuc/trang-3"),
            ""
        ));
        assert!(looks_like_next_page(
            &url("https://dvt.vn/tin-tuc/page/3/"),
            ""
        ));
        assert!(!looks_like_next_page(
            &url("https://dvt.vn/tin-tuc/hoi-nghi"),
            "Hội nghị"
        ));
    }

    #[test]
    fn sitemap_dates_are_read_in_every_form() {
        assert!(parse_time("2024-08-05T09:15:00+07:00").is_some());
        assert!(parse_time("2024-08-05").is_some());
        assert!(parse_time("Mon, 05 Aug 2024 09:15:00 +0700").is_some());
        assert_eq!(parse_time("hôm qua"), None);
    }
}
