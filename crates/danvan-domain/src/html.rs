//! Article bodies written as HTML, made safe on write.
//!
//! The allow-list (everything else is removed, its text kept):
//!
//! - structure: `p`, `br`, `h2`–`h4`, `blockquote`, `ul`, `ol`, `li`, `hr`;
//! - emphasis: `strong`, `b`, `em`, `i`, `u`, `sub`, `sup`;
//! - tables: `table`, `thead`, `tbody`, `tr`, `th`, `td` (`colspan`, `rowspan`);
//! - links: `a` with `href` (`http`, `https`, `mailto` only; `rel="noopener noreferrer"` is
//!   added) and `title`;
//! - images: `img` with `src` (`http`, `https` only), `alt`, `width`, `height`; `figure`
//!   and `figcaption` for captions.
//!
//! No `script`, `style`, `iframe` or form element, no `on…` event handler, no `style` or
//! `class` attribute, no `javascript:` or `data:` address survives.

use std::collections::HashSet;

/// A body as stored: copied pages are text (paragraphs separated by a blank line), bodies
/// written through the API are sanitised HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyFormat {
    /// Plain text, paragraphs separated by a blank line.
    #[default]
    Text,
    /// Sanitised HTML.
    Html,
}

impl BodyFormat {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
        }
    }

    /// The format with this code.
    pub fn from_code(code: &str) -> Result<Self, crate::DomainError> {
        match code {
            "text" => Ok(Self::Text),
            "html" => Ok(Self::Html),
            other => Err(crate::DomainError::UnknownCode {
                field: "bodyFormat",
                code: other.to_owned(),
            }),
        }
    }
}

fn cleaner() -> ammonia::Builder<'static> {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "ul",
        "ol",
        "li",
        "hr",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "sub",
        "sup",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "img",
        "figure",
        "figcaption",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "width", "height"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
}

/// The HTML with everything outside the allow-list removed. Text is kept NFC.
pub fn sanitise(html: &str) -> String {
    let clean = cleaner().clean(html).to_string();
    danvan_text::normalize_block(&clean)
}

/// The text of sanitised HTML: tags dropped, block ends as paragraph breaks, the five
/// entities the serialiser writes turned back into characters.
pub fn to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        if matches!(
            name,
            "p" | "br" | "h2" | "h3" | "h4" | "li" | "blockquote" | "tr" | "figcaption" | "hr"
        ) {
            text.push_str("\n\n");
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.contains('<') {
        text.push_str(rest);
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(danvan_text::normalize_line)
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

/// Plain text as HTML: each paragraph a `<p>`, special characters escaped.
pub fn from_text(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let dirty = r#"<p onclick="steal()">Hội nghị <script>alert(1)</script><b>sơ kết</b></p><a href="javascript:alert(1)">xem</a><img src="x" onerror="alert(1)"><iframe src="https://evil"></iframe><a href="https://danvan.vn/tin" target="_blank">tin</a>"#;
        let clean = sanitise(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(
            !clean.contains("onclick") && !clean.contains("onerror"),
            "{clean}"
        );
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(!clean.contains("iframe"), "{clean}");
        assert!(clean.contains("<b>sơ kết</b>"), "{clean}");
        assert!(
            clean.contains(r#"<a href="https://danvan.vn/tin" rel="noopener noreferrer">tin</a>"#),
            "{clean}"
        );
    }

    #[test]
    fn text_comes_back_out_with_its_diacritics() {
        let html = sanitise(
            "<p>Dân vận khéo &amp; hiệu quả</p><ul><li>Mô hình 1</li><li>Mô hình 2</li></ul>",
        );
        assert_eq!(
            to_text(&html),
            "Dân vận khéo & hiệu quả\n\nMô hình 1\n\nMô hình 2"
        );
    }

    #[test]
    fn decomposed_text_is_stored_composed() {
        // "Huyện" with the dot below and the circumflex as combining marks.
        let decomposed = "<p>Huye\u{323}\u{302}n ủy</p>";
        assert_eq!(sanitise(decomposed), "<p>Huyện ủy</p>");
    }

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            from_text("Đoạn <một>\n\nĐoạn hai & ba"),
            "<p>Đoạn &lt;một&gt;</p><p>Đoạn hai &amp; ba</p>"
        );
    }
}
