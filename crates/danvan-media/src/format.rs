//! What a file is, decided from its first bytes: never from its name or the type a client
//! claims, which cost nothing to fake.

use crate::MediaError;

/// How many bytes are read before the type is decided: enough for the ZIP entries that tell
/// a DOCX from an XLSX.
pub const SNIFF_BYTES: usize = 16 * 1024;

/// An image or a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A photo or a picture: cleaned, measured, served in renditions.
    Image,
    /// A report, a plan, a decision: kept as uploaded.
    Document,
}

impl Kind {
    /// The name stored and shown: `image`, `document`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Document => "document",
        }
    }
}

/// The formats danvan keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// GIF (its first frame is kept).
    Gif,
    /// WebP.
    Webp,
    /// PDF.
    Pdf,
    /// Word (Office Open XML).
    Docx,
    /// Excel (Office Open XML).
    Xlsx,
    /// OpenDocument text.
    Odt,
}

impl Format {
    /// Every format, for reading a stored media type back.
    pub const ALL: [Self; 8] = [
        Self::Jpeg,
        Self::Png,
        Self::Gif,
        Self::Webp,
        Self::Pdf,
        Self::Docx,
        Self::Xlsx,
        Self::Odt,
    ];

    /// Whether it is an image or a document.
    pub fn kind(self) -> Kind {
        match self {
            Self::Jpeg | Self::Png | Self::Gif | Self::Webp => Kind::Image,
            Self::Pdf | Self::Docx | Self::Xlsx | Self::Odt => Kind::Document,
        }
    }

    /// Its media type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Odt => "application/vnd.oasis.opendocument.text",
        }
    }

    /// The format of a media type, as [`Format::mime`] writes it.
    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.mime() == mime)
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Odt => "odt",
        }
    }
}

/// The format of a file from its first bytes (up to [`SNIFF_BYTES`]).
pub fn sniff(head: &[u8]) -> Result<Format, MediaError> {
    let found = infer::get(head).map(|t| t.mime_type());
    if let Some(format) = found.and_then(Format::from_mime) {
        return Ok(format);
    }
    // infer names a Word or Excel file only when its third and fourth entries are in the
    // right order; other writers order them otherwise, and it says "zip".
    if found == Some("application/zip")
        && let Some(format) = office_open_xml(head)
    {
        return Ok(format);
    }
    if looks_like_svg(head) {
        return Err(MediaError::Unsupported(
            "SVG is not accepted (it can carry scripts): upload the picture as PNG or JPEG".into(),
        ));
    }
    Err(MediaError::Unsupported(format!(
        "{} is not kept: images are JPEG, PNG, WebP or GIF, documents PDF, DOCX, XLSX or ODT",
        found.unwrap_or("this file")
    )))
}

/// The Office Open XML format of a ZIP's first entries: a `[Content_Types].xml` and a
/// `word/` (DOCX) or `xl/` (XLSX) part among the local file headers in `head`.
fn office_open_xml(head: &[u8]) -> Option<Format> {
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(found) = head.get(at..)?.windows(4).position(|w| w == b"PK\x03\x04") {
        let header = at + found;
        let length = head.get(header + 26..header + 28)?;
        let length = usize::from(u16::from_le_bytes([length[0], length[1]]));
        names.push(head.get(header + 30..header + 30 + length)?);
        at = header + 30 + length;
    }
    if !names.contains(&&b"[Content_Types].xml"[..]) {
        return None;
    }
    names.iter().find_map(|name| {
        if name.starts_with(b"word/") {
            Some(Format::Docx)
        } else if name.starts_with(b"xl/") {
            Some(Format::Xlsx)
        } else {
            None
        }
    })
}

/// Whether text bytes hold an `<svg` element (perhaps after an XML prologue or a comment).
fn looks_like_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
        && text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_bytes() {
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0").ok(),
            Some(Format::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").ok(),
            Some(Format::Png)
        );
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0").ok(), Some(Format::Gif));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 ").ok(), Some(Format::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3").ok(), Some(Format::Pdf));
    }

    #[test]
    fn svg_and_strangers_are_refused_with_a_reason() {
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(matches!(sniff(svg), Err(MediaError::Unsupported(m)) if m.contains("SVG")));
        let html = b"<html><body>Quang c\xE1\xBA\xA3nh</body></html>";
        assert!(matches!(sniff(html), Err(MediaError::Unsupported(_))));
        assert!(
            matches!(sniff(b"MZ\x90\0"), Err(MediaError::Unsupported(m)) if m.contains("not kept"))
        );
    }

    #[test]
    fn media_types_read_back() {
        for format in Format::ALL {
            assert_eq!(Format::from_mime(format.mime()), Some(format));
        }
    }
}
