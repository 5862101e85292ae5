//! The media library: photos of conferences ("Quang cảnh hội nghị") and the files attached
//! to news (the report, the plan, the decision), each kept once per site.

use crate::enums::coded_enum;
use crate::{AccountId, Name, SiteId, Title};

coded_enum! {
    /// What an item is.
    pub enum MediaKind as "kind" {
        /// A photo or picture, served in renditions.
        Image = "image", "Ảnh";
        /// An attached file (PDF, DOCX, XLSX, ODT), served as uploaded.
        Document = "document", "Tệp đính kèm";
    }
}

coded_enum! {
    /// How an article uses an item of the library.
    pub enum MediaUse as "role" {
        /// The photo shown with it in lists and at its head.
        Cover = "cover", "Ảnh đại diện";
        /// One of its photos.
        Image = "image", "Ảnh trong bài";
        /// A file attached to it.
        Attachment = "attachment", "Tệp đính kèm";
    }
}

/// What the newsroom says of an item: all optional, all plain one-line text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaText {
    /// The caption printed under the photo ("Quang cảnh hội nghị").
    pub caption: Option<Title>,
    /// What the photo shows, for readers who cannot see it.
    pub alt: Option<Title>,
    /// Who took it or made it ("Ảnh: Ngọc Lan").
    pub credit: Option<Name>,
}

/// An item of the media library.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaData {
    /// The site whose newsroom uploaded it.
    pub site_id: SiteId,
    /// The SHA-256 of the bytes uploaded, hex: the same file is one item in a site.
    pub hash: String,
    /// An image or a document.
    pub kind: MediaKind,
    /// The media type stored (`image/jpeg`, `application/pdf`).
    pub mime: String,
    /// The bytes stored.
    pub size: i64,
    /// An image's width and height in pixels.
    pub width: Option<i32>,
    /// An image's height in pixels.
    pub height: Option<i32>,
    /// An image's ThumbHash, base64.
    pub thumbhash: Option<String>,
    /// An image's average colour, `#rrggbb`.
    pub colour: Option<String>,
    /// The caption, alt text and credit.
    pub text: MediaText,
    /// The file's name as uploaded (a document is downloaded under it).
    pub file_name: Option<Name>,
    /// Who uploaded it.
    pub created_by: Option<AccountId>,
}
