//! Normalisation of stored text and the folded matching key.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark, is_nfc_quick};

/// Spaces that portal pages carry in place of a plain space: no-break, narrow no-break,
/// figure, ideographic and the other Unicode space separators, plus zero-width ones that
/// only break words apart when matching.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whether `s` is already in Unicode Normalization Form C.
pub fn is_nfc(s: &str) -> bool {
    matches!(
        is_nfc_quick(s.chars()),
        unicode_normalization::IsNormalized::Yes
    ) || s.nfc().eq(s.chars())
}

/// Normalises one line of text (a title, a name): NFC, every run of white space (odd spaces,
/// tabs and line breaks included) to one plain space, no leading or trailing space.
/// Letters are kept exactly as written: "Huyện uỷ" stays "Huyện uỷ".
pub fn normalize_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    // Invisible characters go before composing, so that a letter and its mark that they
    // kept apart compose.
    for c in s.chars().filter(|c| !is_invisible(*c)).nfc() {
        if c.is_whitespace() || is_odd_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Normalises a block of text (a lead, a body): each line as [`normalize_line`], runs of
/// blank lines to one blank line (the paragraph break), none at either end.
pub fn normalize_block(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = false;
    for line in s.lines().map(normalize_line) {
        if line.is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run { "\n\n" } else { "\n" });
        }
        blank_run = false;
        out.push_str(&line);
    }
    out
}

/// The folded key: lower case, no diacritics, `đ` as `d`, white space collapsed.
/// "Dân vận khéo" and "dan van kheo" fold alike, and so do "Ủy ban" and "Uỷ ban".
pub fn fold(s: &str) -> String {
    let line = normalize_line(s);
    let mut out = String::with_capacity(line.len());
    for c in line.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            // đ/Đ have no decomposition, and Ð (U+00D0) and Ɖ (U+0189) are look-alikes
            // that dirty text uses in their place.
            'đ' | 'Đ' | 'Ð' | 'ð' | 'Ɖ' | 'ɖ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folded words of `s`, each after a space (" bao cao so ket pdf" for "Báo cáo sơ
/// kết.pdf"): a column of these is searched for words that begin with what a reader types
/// by `LIKE '% word%'`, whatever marks and punctuation either side wrote.
pub fn words_key(s: &str) -> String {
    let folded = fold(s);
    let mut key = String::with_capacity(folded.len() + 1);
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        key.push(' ');
        key.push_str(word);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_words_key_holds_every_word_folded_after_a_space() {
        assert_eq!(words_key("Báo cáo sơ kết.pdf"), " bao cao so ket pdf");
        assert_eq!(
            words_key("Ảnh: Ngọc Lan — Đoàn Thanh niên"),
            " anh ngoc lan doan thanh nien"
        );
        assert_eq!(words_key(" ,. "), "");
    }

    #[test]
    fn normalize_line_turns_nfd_into_nfc_and_keeps_the_spelling() {
        let nfd: String = "Huyện uỷ Gia Viễn".nfd().collect();
        assert_ne!(nfd, "Huyện uỷ Gia Viễn");
        assert_eq!(normalize_line(&nfd), "Huyện uỷ Gia Viễn");
        assert_eq!(normalize_line("Ủy viên"), "Ủy viên");
    }

    #[test]
    fn normalize_line_collapses_odd_spaces() {
        assert_eq!(
            normalize_line("\u{a0} Dân\u{a0}vận \t khéo\u{200b} \n"),
            "Dân vận khéo"
        );
    }

    #[test]
    fn normalize_block_keeps_paragraphs_and_drops_blank_runs() {
        let text = "\n  Đoạn một,\u{a0}dòng một\ndòng hai\n\n\n \nĐoạn hai  \n\n";
        assert_eq!(
            normalize_block(text),
            "Đoạn một, dòng một\ndòng hai\n\nĐoạn hai"
        );
    }

    #[test]
    fn fold_removes_every_diacritic_and_d_stroke() {
        assert_eq!(fold("Dân vận khéo"), "dan van kheo");
        assert_eq!(fold("Ủy ban"), fold("Uỷ ban"));
        assert_eq!(fold("ĐẢNG ỦY Ðảng"), "dang uy dang");
        assert_eq!(fold("Thanh Hoá"), "thanh hoa");
    }

    #[test]
    fn fold_leaves_plain_ascii_lower_cased() {
        assert_eq!(fold("nbtv.vn 2020"), "nbtv.vn 2020");
    }

    #[test]
    fn is_nfc_tells_the_forms_apart() {
        let nfd: String = "Dân vận khéo".nfd().collect();
        assert!(is_nfc("Dân vận khéo"));
        assert!(!is_nfc(&nfd));
    }
}
