//! Search over articles, meetings, "Dân vận khéo" models, people and organisations.
//!
//! Each record has one document in `search_doc`: its text as written (for snippets), its
//! search key (one tone placement, lower case: "Huyện uỷ" = "huyện ủy") and its folded
//! text (no diacritics: "dan van kheo"). Retrieval runs on the folded text in the
//! backend's full-text index (FTS5 on SQLite, a tsvector on PostgreSQL) and keeps the best
//! candidates by the backend's own rank; the final order is computed here, the same way
//! on both backends, so that they agree: exact diacritics above folded-only matches,
//! syllables side by side above syllables apart, the title above the body.

mod alternative;
mod correction;
mod document;
mod place;
mod query;
mod score;
mod snippet;
mod vocabulary;

pub use correction::{Correction, FEW, corrections};
pub use document::{Document, SearchKind};
pub use query::{
    COUNT_BOUND, Hit, IN_TITLES, RECENT, Results, SearchFilter, Suggestion, Suggestions, count,
    search, suggest,
};
pub use snippet::Snippet;

pub(crate) use document::{ids_by_title, index, index_new};
