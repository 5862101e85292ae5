//! Validated text values shared by the concepts.

use crate::DomainError;
use danvan_text::{normalize_block, normalize_line, slugify};

/// Checks a length as a reader counts it: in user-perceived characters (grapheme clusters),
/// so that "ệ" written with combining marks, or an emoji family, counts once.
fn char_count_within(field: &'static str, s: &str, max: usize) -> Result<(), DomainError> {
    use unicode_segmentation::UnicodeSegmentation;
    let actual = s.graphemes(true).count();
    if actual > max {
        return Err(DomainError::TooLong { field, max, actual });
    }
    Ok(())
}

/// Normalises a one-line plain text and checks it is present and short enough.
pub(crate) fn required_line(
    field: &'static str,
    raw: &str,
    max: usize,
) -> Result<String, DomainError> {
    let s = normalize_line(raw);
    if s.is_empty() {
        return Err(DomainError::Empty { field });
    }
    char_count_within(field, &s, max)?;
    Ok(s)
}

macro_rules! text_value {
    ($(#[$meta:meta])* $name:ident, max = $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The longest value accepted, in characters.
            pub const MAX_CHARS: usize = $max;

            /// The text, NFC, as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, NFC, as stored.
            pub fn into_string(self) -> String {
                self.0
            }

            /// A value read back from the store, which checked and normalised it when it
            /// was written: it is taken as it is. Only the store calls this; every other
            /// text comes through `parse`. (Checking again on every read cost a third of
            /// the time of a list of articles.)
            pub fn from_stored(stored: String) -> Self {
                Self(stored)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value!(
    /// A headline: one line of plain text, present, at most 500 characters.
    Title, max = 500
);
text_value!(
    /// A name (of a person, an organisation, a tag …): one line, present, at most 300 characters.
    Name, max = 300
);
text_value!(
    /// A block of text with paragraphs (a lead, a body, a description), possibly empty.
    Body, max = 1_000_000
);
text_value!(
    /// A reader's comment: plain text, present, at most 500 characters as a reader counts
    /// them (Unicode scalar values of the NFC text, not bytes).
    CommentBody, max = 500
);
text_value!(
    /// A URL slug: lower-case ASCII letters and digits joined by single hyphens.
    Slug, max = 200
);
text_value!(
    /// An absolute `http` or `https` URL.
    Url, max = 2048
);

impl Title {
    /// Normalises and checks a title given for `field`.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        plain_line(field, raw, Self::MAX_CHARS).map(Self)
    }

    /// Normalises and checks a title.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::parse_field("title", raw)
    }
}

impl Name {
    /// Normalises and checks a name given for `field`.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        plain_line(field, raw, Self::MAX_CHARS).map(Self)
    }

    /// Normalises and checks a name.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::parse_field("name", raw)
    }
}

impl Body {
    /// Normalises a block of text given for `field`; an empty body is allowed.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let s = normalize_block(raw);
        char_count_within(field, &s, Self::MAX_CHARS)?;
        Ok(Self(s))
    }

    /// Normalises a body.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::parse_field("body", raw)
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// No text.
    pub fn empty() -> Self {
        Self(String::new())
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl CommentBody {
    /// Normalises and checks a comment.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = normalize_block(raw);
        if s.is_empty() {
            return Err(DomainError::Empty { field: "body" });
        }
        char_count_within("body", &s, Self::MAX_CHARS)?;
        if looks_like_markup(&s) {
            return Err(DomainError::invalid(
                "body",
                "comments are plain text; HTML is not allowed",
            ));
        }
        Ok(Self(s))
    }
}

/// A required line that is plain text: titles and names are shown as they are written, so a
/// tag in one is refused rather than left for a front end to render.
fn plain_line(field: &'static str, raw: &str, max: usize) -> Result<String, DomainError> {
    let line = required_line(field, raw, max)?;
    if looks_like_markup(&line) {
        return Err(DomainError::invalid(
            field,
            "plain text only; HTML is not allowed",
        ));
    }
    Ok(line)
}

/// Whether a text holds an HTML tag or comment: `<` followed by a letter, `/` or `!`.
/// "5 < 7" and "<3" stay plain text.
fn looks_like_markup(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

impl Slug {
    /// Checks a slug given as it is; nothing is rewritten.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if raw.is_empty() {
            return Err(DomainError::Empty { field: "slug" });
        }
        char_count_within("slug", raw, Self::MAX_CHARS)?;
        let well_formed = raw.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if !well_formed {
            return Err(DomainError::invalid(
                "slug",
                "use lower-case ASCII letters and digits joined by single hyphens",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The slug of a title or name: "Dân vận khéo" gives `dan-van-kheo`. Long texts are cut at
    /// a hyphen so that the slug stays within its limit.
    pub fn from_text(text: &str) -> Result<Self, DomainError> {
        let mut slug = slugify(text);
        if slug.len() > Self::MAX_CHARS {
            slug.truncate(Self::MAX_CHARS);
            if let Some(cut) = slug.rfind('-') {
                slug.truncate(cut);
            }
        }
        if slug.is_empty() {
            return Err(DomainError::invalid(
                "slug",
                "the text has no letter or digit to make a slug from",
            ));
        }
        Self::parse(&slug)
    }
}

impl Url {
    /// Checks an absolute `http`/`https` URL given for `field`.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(DomainError::Empty { field });
        }
        char_count_within(field, s, Self::MAX_CHARS)?;
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| DomainError::invalid(field, "must start with http:// or https://"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(DomainError::invalid(
                field,
                "must name a host and contain no spaces",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// Checks a URL.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::parse_field("url", raw)
    }
}

/// Normalises an optional one-line note (a place, a decision number): `None` when nothing
/// is left after normalisation.
pub fn note(raw: Option<&str>) -> Option<String> {
    raw.map(normalize_line).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_is_taken_as_written_and_only_parsing_checks() {
        // What the store wrote comes back byte for byte, without being normalised again…
        let title = Title::parse("Hội nghị sơ kết “Dân vận khéo” năm 2024").unwrap();
        let stored = Title::from_stored(title.as_str().to_owned());
        assert_eq!(stored, title);
        // …and the door that writes still refuses what the store must never hold.
        assert!(Title::parse("<b>Hội nghị</b>").is_err());
        assert!(Title::parse(&"ệ".repeat(501)).is_err());
        assert!(Name::parse(" \u{a0} ").is_err());
        assert!(Slug::parse("Dân-vận").is_err());
        assert!(Url::parse("javascript:alert(1)").is_err());
    }

    #[test]
    fn titles_and_names_are_plain_text() {
        assert!(Title::parse("<b>Hội nghị</b> sơ kết").is_err());
        assert!(Name::parse("Nguyễn Văn A<img src=x onerror=alert(1)>").is_err());
        assert!(Name::parse("<!-- -->Ban Dân vận").is_err());
        assert_eq!(
            Title::parse("Tỷ lệ hộ nghèo < 2% và 5 <3")
                .unwrap()
                .as_str(),
            "Tỷ lệ hộ nghèo < 2% và 5 <3"
        );
    }

    #[test]
    fn title_is_normalised_and_required() {
        assert_eq!(
            Title::parse("  Sơ kết\u{a0}6 tháng ").unwrap().as_str(),
            "Sơ kết 6 tháng"
        );
        assert_eq!(
            Title::parse(" \u{a0} "),
            Err(DomainError::Empty { field: "title" })
        );
    }

    #[test]
    fn comment_counts_characters_not_bytes() {
        let exactly_500 = "ệ".repeat(500);
        assert!(CommentBody::parse(&exactly_500).is_ok());
        let err = CommentBody::parse(&"ệ".repeat(501)).unwrap_err();
        assert_eq!(
            err,
            DomainError::TooLong {
                field: "body",
                max: 500,
                actual: 501
            }
        );
    }

    #[test]
    fn comment_counts_what_a_reader_sees() {
        // A thumbs-up with a skin tone is two code points and one character to a reader.
        let thumbs = "👍🏽";
        assert!(CommentBody::parse(&thumbs.repeat(500)).is_ok());
        assert!(CommentBody::parse(&thumbs.repeat(501)).is_err());
    }

    #[test]
    fn comments_are_plain_text() {
        assert!(CommentBody::parse("Rất hay <b>đậm</b>").is_err());
        assert!(CommentBody::parse("<script>alert(1)</script>").is_err());
        assert!(CommentBody::parse("5 < 7 và 9 > 8, thương <3").is_ok());
    }

    #[test]
    fn slug_rejects_what_a_url_would_mangle() {
        assert!(Slug::parse("dan-van-kheo").is_ok());
        for bad in ["Dan-van", "dân-vận", "a--b", "-a", "a-", "a b"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Slug::from_text("Ban Dân vận Huyện uỷ").unwrap().as_str(),
            "ban-dan-van-huyen-uy"
        );
    }

    #[test]
    fn url_needs_a_scheme_and_a_host() {
        assert!(Url::parse("https://nbtv.vn/tin-tuc/1").is_ok());
        assert!(Url::parse("nbtv.vn").is_err());
        assert!(Url::parse("https:///x").is_err());
        assert!(Url::parse("javascript:alert(1)").is_err());
    }
}
