#![doc = include_str!("../README.md")]

mod article;
pub mod extract;
mod page;

pub use article::{Byline, PageArticle, read_text_page};
pub use extract::{Extraction, extract};
pub use page::{IngestError, MAX_PAGE_BYTES, RawPage};
