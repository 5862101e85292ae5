//! A feed in the three formats readers take: RSS 2.0 (with `content:encoded`, `dc:creator`
//! and `atom:link rel="self"`), Atom 1.0 and JSON Feed 1.1. The XML is written by the
//! `rss` and `atom_syndication` crates; JSON Feed, which has no crate of the same standing,
//! by serde types of our own.
//!
//! Every format says the same of an article: its stable id (the JSON API's address of it,
//! which no edit changes), its address on the site's front end, title, lead as summary,
//! the whole sanitised body where the site allows it, authors, tags as categories, the
//! first image, and its times in Vietnam time.

use chrono::{DateTime, FixedOffset, Timelike, Utc};
use danvan_service::syndication::{self, Feed};
use danvan_store::article::Article;
use serde::Serialize;

/// The formats a feed is written in, by the file name that asks for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RSS 2.0, `rss.xml`.
    Rss,
    /// Atom 1.0, `atom.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl Format {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Rss, Self::Atom, Self::Json];

    /// The format a file name asks for.
    pub fn of_file(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.file() == name)
    }

    /// The file name.
    pub fn file(self) -> &'static str {
        match self {
            Self::Rss => "rss.xml",
            Self::Atom => "atom.xml",
            Self::Json => "feed.json",
        }
    }

    /// The media type it is served as.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Rss => "application/rss+xml; charset=utf-8",
            Self::Atom => "application/atom+xml; charset=utf-8",
            Self::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// `feed` written in this format.
    pub fn write(self, feed: &Feed, links: &Links) -> String {
        let items: Vec<Item> = feed
            .articles
            .iter()
            .map(|a| Item::of(feed, a, links))
            .collect();
        let head = Head::of(feed, links);
        match self {
            Self::Rss => rss(&head, &items),
            Self::Atom => atom(&head, &items),
            Self::Json => json(&head, &items),
        }
    }
}

/// Where a feed is and what it links to.
#[derive(Debug, Clone)]
pub struct Links {
    /// The address partners reach this server at, without a final `/`.
    pub api: String,
    /// The feed's own address.
    pub this: String,
    /// The same feed in each format, for `rel="alternate"`.
    pub alternates: Vec<(Format, String)>,
    /// How many minutes a reader may keep the feed (RSS `ttl`).
    pub ttl_minutes: u32,
    /// The media library, for the addresses of the articles' photos.
    pub media: Option<danvan_service::media::Served>,
}

/// What the feed says of itself.
struct Head {
    title: String,
    description: String,
    home: String,
    updated: DateTime<FixedOffset>,
    publisher: String,
    links: Links,
}

impl Head {
    fn of(feed: &Feed, links: &Links) -> Self {
        let site = &feed.site.data;
        let title = match &feed.subject {
            Some(subject) => format!("{} – {subject}", site.name),
            None => site.name.to_string(),
        };
        let description = if site.description.as_str().is_empty() {
            title.clone()
        } else {
            site.description.to_string()
        };
        Self {
            title,
            description,
            home: site
                .base_url
                .as_ref()
                .map_or_else(|| links.api.clone(), ToString::to_string),
            updated: to_vietnam(feed.updated().unwrap_or(feed.site.updated_at)),
            publisher: site.name.to_string(),
            links: links.clone(),
        }
    }
}

/// What every format says of an article.
struct Item {
    id: String,
    url: String,
    title: String,
    summary: String,
    html: Option<String>,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
    authors: Vec<String>,
    tags: Vec<String>,
    image: Option<String>,
}

/// `at` in Vietnam time, to the second: what feed readers show.
fn to_vietnam(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let at = danvan_text::time::to_vietnam(at);
    at.with_nanosecond(0).unwrap_or(at)
}

/// The most characters of a summary made from the body when an article has no lead.
const EXCERPT_CHARS: usize = 300;

impl Item {
    fn of(feed: &Feed, article: &Article, links: &Links) -> Self {
        let data = &article.data;
        let id = crate::api_address(&links.api, article.id.0);
        let url = syndication::address(&feed.site, article, || id.clone());
        let html = data.body_html();
        let summary = if data.lead.as_str().is_empty() {
            excerpt(&danvan_domain::html::to_text(&html))
        } else {
            data.lead.to_string()
        };
        Self {
            url,
            title: data.title.to_string(),
            summary,
            html: feed.site.data.full_text_feeds.then_some(html),
            published: to_vietnam(data.published_at.unwrap_or(article.created_at)),
            updated: to_vietnam(article.updated_at),
            authors: data.authors.iter().map(|a| a.name.to_string()).collect(),
            tags: data
                .tag_ids
                .iter()
                .filter_map(|id| feed.tags.get(id))
                .map(|t| t.data.name.to_string())
                .collect(),
            // The cover (or first library photo) at the partners' width, else the first
            // picture's own address.
            image: links
                .media
                .as_ref()
                .and_then(|m| m.photos_of(data).into_iter().next())
                .or_else(|| {
                    data.images
                        .iter()
                        .find_map(|i| i.url.as_ref())
                        .map(ToString::to_string)
                }),
            id,
        }
    }
}

/// The first words of `text`, up to [`EXCERPT_CHARS`], cut between words.
fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The media type of an image from its address's extension.
fn image_type(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => "image/jpeg",
    }
}

fn atom_link(href: &str, rel: &str, mime_type: Option<&str>) -> atom_syndication::Link {
    atom_syndication::Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        ..Default::default()
    }
}

fn rss(head: &Head, items: &[Item]) -> String {
    let self_link = atom_link(&head.links.this, "self", Some("application/rss+xml"));
    let channel = rss::Channel {
        title: head.title.clone(),
        link: head.home.clone(),
        description: head.description.clone(),
        language: Some("vi".into()),
        generator: Some("danvan".into()),
        ttl: Some(head.links.ttl_minutes.to_string()),
        last_build_date: Some(head.updated.to_rfc2822()),
        pub_date: items.first().map(|i| i.published.to_rfc2822()),
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![self_link],
        }),
        items: items
            .iter()
            .map(|item| rss::Item {
                title: Some(item.title.clone()),
                link: Some(item.url.clone()),
                description: Some(item.summary.clone()),
                categories: item
                    .tags
                    .iter()
                    .map(|t| rss::Category {
                        name: t.clone(),
                        domain: None,
                    })
                    .collect(),
                enclosure: item.image.as_ref().map(|url| rss::Enclosure {
                    url: url.clone(),
                    // The size is not known without fetching the image; RSS readers take
                    // 0 for unknown.
                    length: "0".into(),
                    mime_type: image_type(url).into(),
                }),
                guid: Some(rss::Guid {
                    value: item.id.clone(),
                    permalink: false,
                }),
                pub_date: Some(item.published.to_rfc2822()),
                content: item.html.clone(),
                dublin_core_ext: (!item.authors.is_empty()).then(|| {
                    rss::extension::dublincore::DublinCoreExtension {
                        creators: item.authors.clone(),
                        ..Default::default()
                    }
                }),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    channel.to_string()
}

fn atom(head: &Head, items: &[Item]) -> String {
    let mut links = vec![
        atom_link(&head.links.this, "self", Some("application/atom+xml")),
        atom_link(&head.home, "alternate", Some("text/html")),
    ];
    for (format, href) in &head.links.alternates {
        if *format != Format::Atom {
            let media = format.content_type().split(';').next().unwrap_or_default();
            links.push(atom_link(href, "alternate", Some(media)));
        }
    }
    let feed = atom_syndication::Feed {
        title: atom_syndication::Text::plain(head.title.clone()),
        id: head.links.this.clone(),
        updated: head.updated,
        // An entry without authors takes the feed's: the site that publishes it.
        authors: vec![atom_syndication::Person {
            name: head.publisher.clone(),
            uri: Some(head.home.clone()),
            ..Default::default()
        }],
        generator: Some(atom_syndication::Generator {
            value: "danvan".into(),
            ..Default::default()
        }),
        links,
        subtitle: Some(atom_syndication::Text::plain(head.description.clone())),
        lang: Some("vi".into()),
        entries: items
            .iter()
            .map(|item| {
                let mut links = vec![atom_link(&item.url, "alternate", Some("text/html"))];
                if let Some(image) = &item.image {
                    links.push(atom_link(image, "enclosure", Some(image_type(image))));
                }
                atom_syndication::Entry {
                    title: atom_syndication::Text::plain(item.title.clone()),
                    id: item.id.clone(),
                    updated: item.updated,
                    published: Some(item.published),
                    authors: item
                        .authors
                        .iter()
                        .map(|name| atom_syndication::Person {
                            name: name.clone(),
                            ..Default::default()
                        })
                        .collect(),
                    categories: item
                        .tags
                        .iter()
                        .map(|t| atom_syndication::Category {
                            term: t.clone(),
                            ..Default::default()
                        })
                        .collect(),
                    links,
                    summary: Some(atom_syndication::Text::plain(item.summary.clone())),
                    content: item.html.as_ref().map(|html| atom_syndication::Content {
                        value: Some(html.clone()),
                        content_type: Some("html".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            })
            .collect(),
        ..Default::default()
    };
    feed.to_string()
}

/// JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'static str,
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    language: &'static str,
}

fn json(head: &Head, items: &[Item]) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &head.title,
        home_page_url: &head.home,
        feed_url: &head.links.this,
        description: &head.description,
        language: "vi",
        authors: vec![JsonAuthor {
            name: &head.publisher,
        }],
        items: items
            .iter()
            .map(|item| JsonItem {
                id: &item.id,
                url: &item.url,
                title: &item.title,
                summary: &item.summary,
                content_html: item.html.as_deref(),
                // Without the body, the summary is the content (one of the two is required).
                content_text: item.html.is_none().then_some(item.summary.as_str()),
                image: item.image.as_deref(),
                date_published: item.published.to_rfc3339(),
                date_modified: item.updated.to_rfc3339(),
                authors: item
                    .authors
                    .iter()
                    .map(|name| JsonAuthor { name })
                    .collect(),
                tags: item.tags.iter().map(String::as_str).collect(),
                language: "vi",
            })
            .collect(),
    };
    serde_json::to_string(&feed).unwrap_or_default()
}

/// When `feed` last changed, for `Last-Modified`.
pub fn last_modified(feed: &Feed) -> DateTime<Utc> {
    feed.updated().unwrap_or(feed.site.updated_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_between_words() {
        let text = "Hội nghị sơ kết công tác dân vận ".repeat(20);
        let cut = excerpt(&text);
        assert!(cut.chars().count() <= EXCERPT_CHARS + 2);
        assert!(cut.ends_with(" …"));
        assert!(text.starts_with(cut.trim_end_matches(" …")));
        assert_eq!(excerpt("Dân vận khéo"), "Dân vận khéo");
    }

    #[test]
    fn an_image_type_comes_from_its_extension() {
        assert_eq!(
            image_type("https://a.vn/anh/hoi-nghi.PNG?w=600"),
            "image/png"
        );
        assert_eq!(image_type("https://a.vn/anh/hoi-nghi"), "image/jpeg");
    }
}
