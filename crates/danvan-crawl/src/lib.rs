#![doc = include_str!("../README.md")]

mod decode;
pub mod discover;
mod fetch;
mod run;

pub use decode::decode;
pub use fetch::{FetchError, Fetched, Fetcher, Politeness};
pub use run::{Options, Summary, crawl};

/// Why a crawl could not go on (an address that fails is reported, not an error).
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The frontier or the site could not be read or written.
    #[error(transparent)]
    Store(#[from] danvan_store::StoreError),
    /// The HTTP client could not be built.
    #[error("the HTTP client: {0}")]
    Client(reqwest::Error),
    /// A fetch task ended abnormally.
    #[error("a fetch failed abnormally: {0}")]
    Task(String),
}
