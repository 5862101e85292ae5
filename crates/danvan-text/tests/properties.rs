//! Properties that hold for any text, checked on generated Vietnamese-like strings.

use danvan_text::parse::{parse_date, parse_day_month, parse_period, parse_quantity};
use danvan_text::{
    ToneStyle, collation_key, fold, is_nfc, name_collation_key, normalize_block, normalize_line,
    normalize_tones, search_key, slugify,
};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Letters, tone and shape marks (precomposed and combining), odd spaces, punctuation and
/// digits: the stuff of real portal text, in any order.
fn messy() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("a"),
        Just("ă"),
        Just("â"),
        Just("đ"),
        Just("Đ"),
        Just("ê"),
        Just("ô"),
        Just("ơ"),
        Just("ư"),
        Just("y"),
        Just("o"),
        Just("u"),
        Just("q"),
        Just("g"),
        Just("i"),
        Just("n"),
        Just("\u{300}"),
        Just("\u{301}"),
        Just("\u{303}"),
        Just("\u{309}"),
        Just("\u{323}"),
        Just("\u{302}"),
        Just("\u{306}"),
        Just("\u{31b}"),
        Just("ủy"),
        Just("uỷ"),
        Just("hoà"),
        Just("Ngh"),
        Just(" "),
        Just("\u{a0}"),
        Just("\n"),
        Just("\t"),
        Just("\u{200b}"),
        Just("“"),
        Just("/"),
        Just("."),
        Just(","),
        Just("-"),
        Just(":"),
        Just("%"),
        Just("1"),
        Just("2020"),
        Just("30.06"),
        Just("Ð"),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn normalising_is_idempotent_and_gives_nfc(s in messy()) {
        let line = normalize_line(&s);
        prop_assert_eq!(normalize_line(&line), line.clone());
        prop_assert!(is_nfc(&line));
        let block = normalize_block(&s);
        prop_assert_eq!(normalize_block(&block), block.clone());
        prop_assert!(is_nfc(&block));
    }

    #[test]
    fn nfc_in_gives_nfc_out_whatever_the_input_form(s in messy()) {
        let nfd: String = s.nfd().collect();
        let nfc: String = s.nfc().collect();
        prop_assert_eq!(normalize_line(&nfd), normalize_line(&nfc));
        prop_assert_eq!(search_key(&nfd), search_key(&nfc));
        prop_assert_eq!(fold(&nfd), fold(&nfc));
        prop_assert_eq!(collation_key(&nfd), collation_key(&nfc));
    }

    #[test]
    fn tone_placement_is_idempotent(s in messy()) {
        for style in [ToneStyle::Old, ToneStyle::New] {
            let once = normalize_tones(&s, style);
            prop_assert_eq!(normalize_tones(&once, style), once.clone());
            prop_assert!(is_nfc(&once));
        }
        let key = search_key(&s);
        prop_assert_eq!(search_key(&key), key);
    }

    #[test]
    fn folding_leaves_ascii_but_for_case_and_spaces(s in "[ -~]{0,60}") {
        let expected = s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        prop_assert_eq!(fold(&s), expected);
    }

    #[test]
    fn keys_and_slugs_are_ascii(s in messy()) {
        prop_assert!(collation_key(&s).is_ascii());
        prop_assert!(name_collation_key(&s).is_ascii());
        let slug = slugify(&s);
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
    }

    #[test]
    fn parsers_never_panic(s in messy(), t in "\\PC{0,40}") {
        let reference = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for text in [&s, &t] {
            let _ = parse_date(text);
            let _ = parse_day_month(text, reference);
            let _ = parse_quantity(text);
            let _ = parse_period(text);
        }
    }
}
