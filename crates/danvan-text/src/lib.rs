#![doc = include_str!("../README.md")]

mod normalize;
mod slug;
pub mod time;

pub use normalize::{fold, is_nfc, normalize_block, normalize_line};
pub use slug::slugify;
