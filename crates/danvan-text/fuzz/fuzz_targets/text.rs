//! Any input: no panic, and the properties of the text functions hold.

#![no_main]

use danvan_text::parse::{parse_date, parse_day_month, parse_period, parse_quantity};
use danvan_text::{
    ToneStyle, collation_key, fold, is_nfc, normalize_block, normalize_line, normalize_tones,
    search_key, slugify,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let line = normalize_line(text);
    assert_eq!(normalize_line(&line), line);
    assert!(is_nfc(&line));
    let block = normalize_block(text);
    assert_eq!(normalize_block(&block), block);
    for style in [ToneStyle::Old, ToneStyle::New] {
        let placed = normalize_tones(text, style);
        assert_eq!(normalize_tones(&placed, style), placed);
    }
    let key = search_key(text);
    assert_eq!(search_key(&key), key);
    let _ = fold(text);
    assert!(collation_key(text).is_ascii());
    let slug = slugify(text);
    assert!(!slug.starts_with('-') && !slug.ends_with('-'));
    let reference = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let _ = parse_date(text);
    let _ = parse_day_month(text, reference);
    let _ = parse_quantity(text);
    let _ = parse_period(text);
});
