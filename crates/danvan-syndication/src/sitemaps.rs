//! Sitemaps (sitemaps.org 0.9) written with `quick-xml`: an index of every site's files, the
//! files of a site's public articles (their addresses and `lastmod`), a Google News sitemap
//! of a site's last two days, and `robots.txt` naming them.

use chrono::{DateTime, Utc};
use danvan_store::article::{Article, SitemapEntry};
use danvan_store::site::Site;
use danvan_text::time::to_vietnam;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

fn document(write: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> io::Result<String> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer.write_event(Event::Text(BytesText::from_escaped("\n")))?;
    write(&mut writer)?;
    String::from_utf8(writer.into_inner()).map_err(io::Error::other)
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) -> io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn time(at: DateTime<Utc>) -> String {
    to_vietnam(at).to_rfc3339()
}

/// The index: each file's address and, where known, when it last changed.
pub fn index(files: &[(String, Option<DateTime<Utc>>)]) -> io::Result<String> {
    document(|w| {
        w.create_element("sitemapindex")
            .with_attribute(("xmlns", SITEMAP_NS))
            .write_inner_content(|w| {
                for (loc, lastmod) in files {
                    w.create_element("sitemap").write_inner_content(|w| {
                        element(w, "loc", loc)?;
                        if let Some(at) = lastmod {
                            element(w, "lastmod", &time(*at))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// The image sitemap extension: where search engines find a page's photos.
const IMAGE_NS: &str = "http://www.google.com/schemas/sitemap-image/1.1";

/// `<image:image>` elements, one a photo.
fn images(writer: &mut Writer<Vec<u8>>, photos: &[String]) -> io::Result<()> {
    for photo in photos {
        writer
            .create_element("image:image")
            .write_inner_content(|w| element(w, "image:loc", photo))?;
    }
    Ok(())
}

/// A file of articles: each one's address (`address`) and last change.
pub fn urlset(
    entries: &[SitemapEntry],
    address: impl Fn(&SitemapEntry) -> String,
    photos: impl Fn(&SitemapEntry) -> Vec<String>,
) -> io::Result<String> {
    document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", SITEMAP_NS))
            .with_attribute(("xmlns:image", IMAGE_NS))
            .write_inner_content(|w| {
                for entry in entries {
                    w.create_element("url").write_inner_content(|w| {
                        element(w, "loc", &address(entry))?;
                        element(w, "lastmod", &time(entry.updated_at))?;
                        images(w, &photos(entry))
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// A Google News sitemap of `site`'s `articles`, each at `address`.
pub fn news(
    site: &Site,
    articles: &[Article],
    address: impl Fn(&Article) -> String,
    photos: impl Fn(&Article) -> Vec<String>,
) -> io::Result<String> {
    document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", SITEMAP_NS))
            .with_attribute(("xmlns:news", NEWS_NS))
            .with_attribute(("xmlns:image", IMAGE_NS))
            .write_inner_content(|w| {
                for article in articles {
                    w.create_element("url").write_inner_content(|w| {
                        element(w, "loc", &address(article))?;
                        w.create_element("news:news").write_inner_content(|w| {
                            w.create_element("news:publication")
                                .write_inner_content(|w| {
                                    element(w, "news:name", site.data.name.as_str())?;
                                    element(w, "news:language", "vi")
                                })?;
                            let published = article.data.published_at.unwrap_or(article.created_at);
                            element(w, "news:publication_date", &time(published))?;
                            element(w, "news:title", article.data.title.as_str())
                        })?;
                        images(w, &photos(article))
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// `robots.txt`: everything may be crawled but the API's own paths, and where the
/// sitemaps are.
pub fn robots(sitemaps: &[String]) -> String {
    let mut out = String::from("User-agent: *\nDisallow: /api/\nDisallow: /graphql\nAllow: /\n\n");
    for sitemap in sitemaps {
        out.push_str("Sitemap: ");
        out.push_str(sitemap);
        out.push('\n');
    }
    out
}
