#![doc = include_str!("../README.md")]

mod article;
pub mod extract;
mod html;
pub mod json;
mod page;

pub use article::{Byline, PageArticle, Picture, read_text_page};
pub use extract::{Extraction, extract};
pub use html::{looks_like_html, read_html_page};

/// Reads the article of a page, saved HTML or copied text.
pub fn read_page(page: &RawPage) -> PageArticle {
    if looks_like_html(page.text()) {
        read_html_page(page)
    } else {
        read_text_page(page)
    }
}
pub use page::{IngestError, MAX_PAGE_BYTES, RawPage};
