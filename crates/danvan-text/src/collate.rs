//! Vietnamese alphabetical order, as dictionaries and name lists use it.
//!
//! The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z where
//! loans bring them); within a letter the tones go không dấu < huyền < hỏi < ngã < sắc < nặng
//! (the CLDR `vi` order). Texts compare syllable by syllable, each syllable by its letters
//! and then its tone, so that "Hà Nam" and "Hà Tĩnh" come before "Hạ Long". The tone belongs
//! to the syllable, so "hoà" and "hòa" have the same key.
//!
//! A key is a plain ASCII string: comparing keys byte by byte (as databases do) gives the
//! Vietnamese order. Within a key, a syllable is its letters (two characters each from `A`
//! on, digits from `6`), then its tone (`0` to `5`); syllables are joined by a space, which
//! sorts below both.

use crate::normalize_line;
use unicode_normalization::UnicodeNormalization;

/// The letters in order; a letter with a shape mark is written as its base and the mark.
const ALPHABET: [&str; 33] = [
    "a", "a\u{306}", "a\u{302}", "b", "c", "d", "đ", "e", "e\u{302}", "f", "g", "h", "i", "j", "k",
    "l", "m", "n", "o", "o\u{302}", "o\u{31b}", "p", "q", "r", "s", "t", "u", "u\u{31b}", "v", "w",
    "x", "y", "z",
];

/// The tone marks in sort order, after "no tone".
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

fn letter_rank(base: char, shape: Option<char>) -> Option<usize> {
    let mut letter = String::from(base);
    letter.extend(shape);
    ALPHABET.iter().position(|l| *l == letter)
}

/// The key of one syllable (a run of letters and digits).
fn syllable_key(syllable: &str, out: &mut String) {
    let mut tone = 0;
    let mut chars = syllable.nfd().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            'Đ' | 'Ð' | 'Ɖ' | 'ð' | 'ɖ' => 'đ',
            other => other,
        };
        if let Some(t) = TONES.iter().position(|t| *t == c) {
            tone = t + 1;
            continue;
        }
        if c.is_ascii_digit() {
            out.push('6');
            out.push(c);
            continue;
        }
        let base = c.to_lowercase().next().unwrap_or(c);
        let shape = chars.next_if(|m| matches!(m, '\u{306}' | '\u{302}' | '\u{31b}'));
        match letter_rank(base, shape).or_else(|| letter_rank(base, None)) {
            Some(rank) => {
                // Two characters a letter: the alphabet has more than 26 letters.
                out.push(char::from(b'A' + u8::try_from(rank / 26).unwrap_or(0)));
                out.push(char::from(b'A' + u8::try_from(rank % 26).unwrap_or(0)));
            }
            // A letter of another script sorts after every Vietnamese letter, by code point.
            None if c.is_alphabetic() => {
                out.push('~');
                out.push(base);
            }
            // Combining marks other than tones and shapes carry no order.
            None => {}
        }
    }
    out.push(char::from(b'0' + u8::try_from(tone).unwrap_or(0)));
}

/// The syllables of a text: runs of letters, digits and combining marks.
fn syllables(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| {
        !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c))
    })
    .filter(|s| !s.is_empty())
    .map(str::to_owned)
}

fn key_of<'a>(syllables: impl Iterator<Item = &'a str>) -> String {
    let mut key = String::new();
    for (i, syllable) in syllables.enumerate() {
        if i > 0 {
            key.push(' ');
        }
        syllable_key(syllable, &mut key);
    }
    key
}

/// The sort key of a text (a title, a place name): compare keys to sort texts in
/// Vietnamese dictionary order.
pub fn collation_key(text: &str) -> String {
    let words: Vec<String> = syllables(&normalize_line(text)).collect();
    key_of(words.iter().map(String::as_str))
}

/// The sort key of a person's full name, written family name first ("Nguyễn Thị Hồng Vân"):
/// Vietnamese lists sort by the given name (the last word), then the middle names, then
/// the family name.
pub fn name_collation_key(full_name: &str) -> String {
    let words: Vec<String> = syllables(&normalize_line(full_name)).collect();
    let Some((given, rest)) = words.split_last() else {
        return String::new();
    };
    let (family, middle) = rest
        .split_first()
        .map_or((None, &[][..]), |(f, m)| (Some(f), m));
    let order = std::iter::once(given).chain(middle).chain(family);
    key_of(order.map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut words: Vec<&str>, key: fn(&str) -> String) -> Vec<&str> {
        words.sort_by_key(|w| key(w));
        words
    }

    #[test]
    fn tones_follow_the_cldr_order() {
        let words = vec!["ạ", "á", "a", "ã", "à", "ả"];
        assert_eq!(sorted(words, collation_key), ["a", "à", "ả", "ã", "á", "ạ"]);
    }

    #[test]
    fn letters_with_marks_follow_their_base() {
        let words = vec!["Ê", "Đà Nẵng", "Ân", "E", "Dương", "Ăn", "Âu", "An", "b"];
        assert_eq!(
            sorted(words, collation_key),
            ["An", "Ăn", "Ân", "Âu", "b", "Dương", "Đà Nẵng", "E", "Ê"]
        );
    }

    #[test]
    fn texts_compare_syllable_by_syllable() {
        let words = vec!["Hạ Long", "Hà Tĩnh", "Hưng Yên", "Hà Nam", "Hà Nội"];
        assert_eq!(
            sorted(words, collation_key),
            ["Hà Nam", "Hà Nội", "Hà Tĩnh", "Hạ Long", "Hưng Yên"]
        );
        // A shorter syllable comes before a longer one with the same start, whatever the tones.
        let words = vec!["hàn", "há"];
        assert_eq!(sorted(words, collation_key), ["há", "hàn"]);
    }

    #[test]
    fn both_tone_conventions_have_one_key() {
        assert_eq!(collation_key("Hoà Bình"), collation_key("Hòa Bình"));
        assert_eq!(collation_key("Huyện uỷ"), collation_key("huyện ủy"));
        let nfd: String = "Thuý".nfd().collect();
        assert_eq!(collation_key(&nfd), collation_key("Thúy"));
    }

    #[test]
    fn numbers_come_before_letters_and_punctuation_is_ignored() {
        let words = vec!["Năm 2021", "“Dân vận khéo”", "Năm 2020", "6 tháng đầu năm"];
        assert_eq!(
            sorted(words, collation_key),
            ["6 tháng đầu năm", "“Dân vận khéo”", "Năm 2020", "Năm 2021"]
        );
    }

    #[test]
    fn names_sort_by_given_name_then_middle_then_family() {
        let names = vec![
            "Trần Hồng Quảng",
            "Nguyễn Thị Hồng Vân",
            "Giáp Thị Bắc",
            "Lò Văn Khánh",
            "Nguyễn Văn An",
            "Đặng Thanh Bình",
            "Hà Minh Đức",
        ];
        assert_eq!(
            sorted(names, name_collation_key),
            [
                "Nguyễn Văn An",
                "Giáp Thị Bắc",
                "Đặng Thanh Bình",
                "Hà Minh Đức",
                "Lò Văn Khánh",
                "Trần Hồng Quảng",
                "Nguyễn Thị Hồng Vân",
            ]
        );
        // Same given name: the middle names decide, then the family name.
        let same = vec!["Nguyễn Văn An", "Lê Thị An", "Trần Văn An"];
        assert_eq!(
            sorted(same, name_collation_key),
            ["Lê Thị An", "Nguyễn Văn An", "Trần Văn An"]
        );
    }

    #[test]
    fn keys_are_ascii() {
        assert!(collation_key("Đảng ủy Khối các cơ quan tỉnh 2025").is_ascii());
        assert!(name_collation_key("Phạm Thuý Hằng").is_ascii());
    }
}
