//! A raw page, checked at the door.

use danvan_text::normalize_line;

/// The largest page accepted. A portal article is tens of kilobytes; a larger file is a
/// whole site dump or not a page at all.
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// Why a page was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// Nothing but white space.
    #[error("the page is empty")]
    Empty,
    /// More than [`MAX_PAGE_BYTES`].
    #[error("the page is {bytes} bytes, more than the {max} accepted")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// Not text: NUL bytes or other control characters that text does not hold.
    #[error("the page is binary, not text")]
    Binary,
    /// Text, but not UTF-8.
    #[error("the page is not UTF-8{}", .encoding.map(|e| format!(" (it looks like {e})")).unwrap_or_default())]
    NotUtf8 {
        /// The encoding it looks like, when it can be told.
        encoding: Option<&'static str>,
    },
}

/// A page's text, known to be UTF-8 and of a sane size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    text: String,
}

impl RawPage {
    /// Checks the bytes of a page.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, IngestError> {
        if bytes.len() > MAX_PAGE_BYTES {
            return Err(IngestError::TooLarge {
                bytes: bytes.len(),
                max: MAX_PAGE_BYTES,
            });
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) if looks_binary(bytes) => return Err(IngestError::Binary),
            Err(_) => {
                return Err(IngestError::NotUtf8 {
                    encoding: guess_legacy_encoding(bytes),
                });
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if looks_binary(text.as_bytes()) {
            return Err(IngestError::Binary);
        }
        let page = Self {
            text: text.to_owned(),
        };
        // Empty once normalised: white space, no-break spaces and zero-width marks only.
        if page.paragraphs().is_empty() {
            return Err(IngestError::Empty);
        }
        Ok(page)
    }

    /// The text as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The non-empty lines, each normalised (NFC, odd spaces to plain ones, white space
    /// collapsed), in order. Portal pages copied as text put one paragraph on a line.
    pub fn paragraphs(&self) -> Vec<String> {
        self.text
            .lines()
            .map(normalize_line)
            .filter(|line| !line.is_empty())
            .collect()
    }
}

/// NUL, or control characters other than tab, line feed, form feed and carriage return.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
}

/// Tells the legacy Vietnamese encodings apart by their tell-tale bytes (VIETNAMESE.md A5):
/// Windows-1258 writes tones as combining bytes 0xCC, 0xEC, 0xD2, 0xDE, 0xF2 after a vowel;
/// TCVN3 uses 0xB5–0xB9 and friends as precomposed letters. Without either, say nothing.
fn guess_legacy_encoding(bytes: &[u8]) -> Option<&'static str> {
    let after_vowel = |tone: u8| {
        bytes
            .windows(2)
            .filter(|w| w[1] == tone && b"aeiouyAEIOUY\xe2\xea\xf4\xe3\xf5\xfd".contains(&w[0]))
            .count()
    };
    let windows_1258: usize = [0xcc, 0xec, 0xd2, 0xde, 0xf2]
        .into_iter()
        .map(after_vowel)
        .sum();
    let tcvn3 = bytes.iter().filter(|b| (0xb5..=0xb9).contains(*b)).count();
    if windows_1258 >= 2 && windows_1258 >= tcvn3 {
        Some("Windows-1258")
    } else if tcvn3 >= 2 {
        Some("TCVN3")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_pages_are_refused() {
        assert_eq!(RawPage::from_bytes(b""), Err(IngestError::Empty));
        assert_eq!(
            RawPage::from_bytes("  \n\u{feff}".as_bytes()),
            Err(IngestError::Empty)
        );
    }

    #[test]
    fn binary_input_is_refused() {
        assert_eq!(
            RawPage::from_bytes(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(IngestError::Binary)
        );
        assert_eq!(
            RawPage::from_bytes(b"text\0with nul"),
            Err(IngestError::Binary)
        );
    }

    #[test]
    fn windows_1258_is_named() {
        // "Hội nghị sơ kết" in Windows-1258: base letters with combining tone bytes.
        let bytes = b"H\xf4\xf2i nghi\xf2 s\xf5 k\xeat, d\xe2n v\xe2\xf2n";
        let err = RawPage::from_bytes(bytes).unwrap_err();
        assert_eq!(
            err,
            IngestError::NotUtf8 {
                encoding: Some("Windows-1258")
            }
        );
        assert!(err.to_string().contains("Windows-1258"));
    }

    #[test]
    fn oversize_input_is_refused() {
        let big = vec![b'a'; MAX_PAGE_BYTES + 1];
        assert!(matches!(
            RawPage::from_bytes(&big),
            Err(IngestError::TooLarge { .. })
        ));
    }

    #[test]
    fn paragraphs_are_normalised_and_in_order() {
        let page =
            RawPage::from_bytes("Tiêu đề\n\n  Đoạn\u{a0}một  \n\nĐoạn hai\n".as_bytes()).unwrap();
        assert_eq!(page.paragraphs(), ["Tiêu đề", "Đoạn một", "Đoạn hai"]);
    }

    #[test]
    fn every_seed_page_is_accepted_and_keeps_its_words() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
        let Ok(entries) = std::fs::read_dir(&seeds) else {
            // CI always has the seeds beside the clone; elsewhere they may be missing.
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is absent in CI",
                seeds.display()
            );
            eprintln!("skipped: {} is absent", seeds.display());
            return;
        };
        let mut count = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let page =
                RawPage::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let paragraphs = page.paragraphs();
            assert!(paragraphs.len() >= 3, "{}", path.display());
            // Normalising never loses a word: the words of the page, in order, are the
            // words of its paragraphs.
            let words = |s: &str| {
                danvan_text::normalize_line(s)
                    .split(' ')
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                words(page.text()),
                words(&paragraphs.join(" ")),
                "{}",
                path.display()
            );
            count += 1;
        }
        assert_eq!(count, 5);
    }
}
