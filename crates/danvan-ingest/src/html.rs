//! Saved HTML pages: parsed with a real HTML parser (html5ever, through `scraper`), the
//! page's chrome (scripts, navigation, headers, footers, forms) dropped, and its text laid
//! out a block a line, so that the text reader does the rest. What only the markup says is
//! taken from it: image captions (`figcaption`, an image's `alt` beside a caption), the
//! canonical address and the keywords.

use crate::RawPage;
use crate::article::{PageArticle, read_text_page};
use danvan_text::normalize_line;
use scraper::{ElementRef, Html, Node, Selector};

/// Elements whose text is never the article's.
const SKIPPED: [&str; 11] = [
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe",
    "template",
];

/// Elements that start a line of their own.
const BLOCKS: [&str; 27] = [
    "dl",
    "dt",
    "dd",
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "figure",
    "figcaption",
    "br",
    "hr",
    "time",
];

/// Whether bytes look like an HTML page rather than copied text.
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start().get(..200).unwrap_or(text.trim_start());
    let lower = start.to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
}

/// Words in a picture's address that say it is the portal's furniture, not the article's.
const FURNITURE: [&str; 10] = [
    "logo", "icon", "banner", "avatar", "button", "btn", "spacer", "sprite", "/ads/", "quangcao",
];

/// The article picture an `img` is, with the caption of the `figure` it is in; none for
/// an inline data picture, a small one (a symbol) or the portal's furniture.
fn picture(element: ElementRef<'_>) -> Option<crate::article::Picture> {
    let attr = |name: &str| {
        element
            .value()
            .attr(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let src = attr("data-src")
        .or_else(|| attr("data-original"))
        .or_else(|| attr("src"))?;
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("data:") || FURNITURE.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let small = |name: &str| {
        attr(name)
            .and_then(|v| v.trim_end_matches("px").parse::<u32>().ok())
            .is_some_and(|v| v < 100)
    };
    if small("width") || small("height") {
        return None;
    }
    let caption = element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "figure")
        .and_then(|figure| {
            let selector = Selector::parse("figcaption").ok()?;
            let text = normalize_line(&figure.select(&selector).next()?.text().collect::<String>());
            Some(text).filter(|t| !t.is_empty())
        });
    Some(crate::article::Picture {
        src: src.to_owned(),
        caption,
    })
}

fn walk(
    element: ElementRef<'_>,
    lines: &mut Vec<String>,
    captions: &mut Vec<String>,
    pictures: &mut Vec<crate::article::Picture>,
) {
    let name = element.value().name();
    if SKIPPED.contains(&name) {
        return;
    }
    if name == "img" {
        pictures.extend(picture(element));
        return;
    }
    if name == "figcaption" {
        let text = normalize_line(&element.text().collect::<String>());
        if !text.is_empty() {
            captions.push(text.clone());
            lines.push(text);
            lines.push(String::new());
        }
        return;
    }
    let block = BLOCKS.contains(&name) || is_laid_out_span(element);
    if block {
        lines.push(String::new());
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => match lines.last_mut() {
                Some(line) => line.push_str(text),
                None => lines.push(text.to_string()),
            },
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    walk(child, lines, captions, pictures);
                }
            }
            _ => {}
        }
    }
    if block {
        lines.push(String::new());
    }
}

/// The words in a class or id that mark a `span` laid out as a line of its own: the
/// headline, date and counter of DNN and ASP.NET portals are spans.
const LAYOUT_HINTS: [&str; 10] = [
    "date", "time", "title", "head", "view", "hit", "author", "meta", "info", "source",
];

fn is_laid_out_span(element: ElementRef<'_>) -> bool {
    element.value().name() == "span"
        && ["class", "id"].iter().any(|a| {
            element.value().attr(a).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                LAYOUT_HINTS.iter().any(|hint| v.contains(hint))
            })
        })
}

/// The page's `<title>` without the site's name after it ("… - Cổng thông tin điện tử").
fn title_hint(document: &Html) -> Option<String> {
    let selector = Selector::parse("title").ok()?;
    let title = normalize_line(
        &document
            .select(&selector)
            .next()?
            .text()
            .collect::<String>(),
    );
    let first = [" | ", " - ", " – ", " — ", " :: "]
        .iter()
        .filter_map(|sep| title.rsplit_once(sep).map(|(head, _)| head.to_owned()))
        .max_by_key(String::len);
    Some(first.unwrap_or(title)).filter(|t| !t.is_empty())
}

fn meta(document: &Html, selector: &str, attribute: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    document
        .select(&selector)
        .find_map(|e| e.value().attr(attribute))
        .map(normalize_line)
        .filter(|v| !v.is_empty())
}

/// Reads the article of a saved HTML page.
pub fn read_html_page(page: &RawPage) -> PageArticle {
    let document = Html::parse_document(page.text());
    let mut lines = Vec::new();
    let mut captions = Vec::new();
    let mut pictures = Vec::new();
    let body = Selector::parse("body")
        .ok()
        .and_then(|s| document.select(&s).next());
    let root = body.unwrap_or_else(|| document.root_element());
    walk(root, &mut lines, &mut captions, &mut pictures);
    let text: String = lines
        .iter()
        .map(|l| normalize_line(l))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let mut article = match RawPage::from_bytes(text.as_bytes()) {
        Ok(as_text) => read_text_page(&as_text),
        Err(_) => PageArticle::default(),
    };
    if article.title.is_empty()
        && let Some(title) = meta(&document, "meta[property='og:title']", "content")
    {
        article.title = title;
    }
    // Without a date to find the headline by, the `<title>` names it: a line that reads
    // the same is the headline, and what was taken for it was the site's banner.
    if article.published.is_none()
        && let Some(hint) = title_hint(&document)
        && article.title != hint
    {
        let found = if article.lead == hint {
            article.lead = if article.body.is_empty() {
                String::new()
            } else {
                article.body.remove(0)
            };
            true
        } else {
            [
                &mut article.body,
                &mut article.header,
                &mut article.captions,
            ]
            .into_iter()
            .any(|lines| match lines.iter().position(|l| *l == hint) {
                Some(at) => {
                    lines.remove(at);
                    true
                }
                None => false,
            })
        };
        if found {
            let banner = std::mem::replace(&mut article.title, hint);
            article.header.push(banner);
        }
    }
    // The markup knows its captions: one that reads like a sentence is still a caption.
    for caption in captions {
        if let Some(at) = article.body.iter().position(|p| *p == caption) {
            article.body.remove(at);
        }
        if article.lead == caption {
            article.lead = if article.body.is_empty() {
                String::new()
            } else {
                article.body.remove(0)
            };
        }
        if !article.captions.contains(&caption) {
            article.captions.push(caption);
        }
    }
    if article.keywords.is_empty()
        && let Some(keywords) = meta(&document, "meta[name='keywords']", "content")
    {
        article.keywords = keywords
            .split(',')
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
    }
    article.canonical_url = meta(&document, "link[rel='canonical']", "href")
        .or_else(|| meta(&document, "meta[property='og:url']", "content"));
    article.pictures = pictures;
    article
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Yên Bình ra mắt tổ hòa giải - Cổng thông tin</title>
<meta name="keywords" content="hòa giải, Mặt trận Tổ quốc">
<link rel="canonical" href="https://yenbinh.example.vn/tin-tuc/ra-mat-to-hoa-giai">
<script>var tracker = "Đây không phải bài viết.";</script>
</head><body>
<header><nav><ul><li>Trang chủ</li><li>Tin tức</li></ul></nav></header>
<main><article>
<h1>Xã Yên Bình ra mắt tổ hòa giải</h1>
<time>Thứ Hai, 04/11/2024 | 09:30</time>
<p><strong>Sáng 4/11</strong>, Ủy ban MTTQ xã Yên Bình tổ chức ra mắt tổ hòa giải&nbsp;ở thôn Đồng Tâm.</p>
<figure><img src="a.jpg" alt=""><figcaption>Các thành viên tổ hòa giải nhận quyết định.</figcaption></figure>
<p>Tổ gồm 7 thành viên, do ông Lê Văn Tám làm tổ trưởng.</p>
<p>Thu Trang</p>
</article></main>
<footer>Bản quyền thuộc Cổng thông tin điện tử xã Yên Bình</footer>
</body></html>"#;

    #[test]
    fn an_html_page_is_read_from_its_markup() {
        assert!(looks_like_html(PAGE));
        let article = read_html_page(&RawPage::from_bytes(PAGE.as_bytes()).unwrap());
        assert_eq!(article.title, "Xã Yên Bình ra mắt tổ hòa giải");
        assert_eq!(
            article.published.unwrap().local().to_string(),
            "2024-11-04 09:30:00"
        );
        assert_eq!(
            article.lead,
            "Sáng 4/11, Ủy ban MTTQ xã Yên Bình tổ chức ra mắt tổ hòa giải ở thôn Đồng Tâm."
        );
        assert_eq!(
            article.body,
            ["Tổ gồm 7 thành viên, do ông Lê Văn Tám làm tổ trưởng."]
        );
        // A caption that ends with a full stop is still a caption: the markup says so.
        assert_eq!(
            article.captions,
            ["Các thành viên tổ hòa giải nhận quyết định."]
        );
        assert_eq!(article.authors[0].name, "Thu Trang");
        assert_eq!(article.keywords, ["hòa giải", "Mặt trận Tổ quốc"]);
        assert_eq!(
            article.canonical_url.as_deref(),
            Some("https://yenbinh.example.vn/tin-tuc/ra-mat-to-hoa-giai")
        );
        let text = format!("{} {}", article.lead, article.body.join(" "));
        assert!(!text.contains("tracker") && !text.contains("Trang chủ"));
        // The picture with its caption, at the address the page's own resolves it to.
        assert_eq!(
            article.pictures,
            [crate::article::Picture {
                src: "a.jpg".into(),
                caption: Some("Các thành viên tổ hòa giải nhận quyết định.".into()),
            }]
        );
        let data = article.to_article_data(danvan_domain::SiteId(1)).unwrap();
        assert_eq!(data.images.len(), 1);
        assert_eq!(
            data.images[0].url.as_ref().map(|u| u.as_str()),
            Some("https://yenbinh.example.vn/tin-tuc/a.jpg")
        );
        assert_eq!(
            data.images[0].caption.as_deref(),
            Some("Các thành viên tổ hòa giải nhận quyết định.")
        );
    }
}
