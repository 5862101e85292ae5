#![doc = include_str!("../README.md")]

mod page;

pub use page::{IngestError, MAX_PAGE_BYTES, RawPage};
