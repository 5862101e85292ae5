#![doc = include_str!("../README.md")]

pub mod abbreviation;
mod collate;
mod normalize;
pub mod parse;
mod slug;
pub mod time;
mod tone;
pub mod typing;

pub use collate::{collation_key, name_collation_key};
pub use normalize::{fold, is_nfc, normalize_block, normalize_line, words_key};
pub use slug::slugify;
pub use tone::{ToneStyle, has_tone, normalize_tones, search_key};
