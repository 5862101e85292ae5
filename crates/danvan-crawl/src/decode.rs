//! A fetched page's bytes as text. Portals built before UTF-8 took over still serve
//! Windows-1258 (and their servers often name the wrong charset, or none), so the header is
//! not trusted: a byte-order mark decides first, then bytes that are valid UTF-8, then the
//! page's own `<meta charset>`, then detection tuned for Vietnamese pages. The text comes
//! out NFC: Windows-1258 writes tones as separate combining marks.

use encoding_rs::Encoding;
use unicode_normalization::UnicodeNormalization;

/// How far into a page its `<meta charset>` is looked for (browsers look in the first 1024
/// bytes; portals with long `<head>`s put it later).
const META_PRESCAN: usize = 4096;

/// The page as NFC text and the name of the encoding it was read in.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => (pick(bytes), bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    (text.nfc().collect(), encoding.name())
}

fn pick(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    // Invalid UTF-8 cannot be UTF-8 whatever the page says of itself.
    if let Some(declared) = meta_charset(bytes).filter(|e| *e != encoding_rs::UTF_8) {
        return declared;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(Some(b"vn"), chardetng::Utf8Detection::Deny)
}

/// The encoding a page declares in its `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN)];
    let head: String = head
        .iter()
        .map(|b| b.to_ascii_lowercase() as char)
        .collect();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        if let Some(pos) = tag.find("charset") {
            let value = tag[pos + "charset".len()..]
                .trim_start()
                .strip_prefix('=')
                .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                .unwrap_or("");
            let label: String = value
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
                return Some(encoding);
            }
        }
        rest = &rest[tag_end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Hội nghị" in Windows-1258: `ô` then a combining dot below, and `i` then one.
    const HOI_NGHI_1258: &[u8] = b"H\xf4\xf2i nghi\xf2";

    #[test]
    fn utf8_is_read_as_it_is_and_comes_out_nfc() {
        let (text, encoding) = decode("Hội nghị".nfd().collect::<String>().as_bytes());
        assert_eq!(text, "Hội nghị");
        assert_eq!(encoding, "UTF-8");
    }

    #[test]
    fn a_byte_order_mark_decides() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("Dân vận".as_bytes());
        assert_eq!(decode(&bytes), ("Dân vận".to_owned(), "UTF-8"));
    }

    #[test]
    fn a_windows_1258_page_is_read_by_its_meta_charset() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\"></head><body>".to_vec();
        page.extend_from_slice(HOI_NGHI_1258);
        let (text, encoding) = decode(&page);
        assert!(text.ends_with("<body>Hội nghị"), "{text}");
        assert_eq!(encoding, "windows-1258");
    }
}
