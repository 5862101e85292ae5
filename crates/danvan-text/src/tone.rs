//! Tone placement. Vietnamese writes the same syllable with the tone mark on different
//! vowels ("hòa"/"hoà", "thủy"/"thuỷ"); both are correct, and one page often holds both.
//! Stored text keeps what the author wrote; matching and de-duplication use one placement,
//! computed syllable by syllable with the rules of VIETNAMESE.md (A3).

use crate::normalize_line;
use unicode_normalization::UnicodeNormalization;

/// Where the tone goes in the open syllables oa, oe, uy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToneStyle {
    /// On the first vowel: "hòa", "thủy", "khỏe" (laws and most official text).
    Old,
    /// On the main vowel: "hoà", "thuỷ", "khoẻ" (the 2018 school rule).
    New,
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
const SHAPES: [char; 3] = ['\u{306}', '\u{302}', '\u{31b}'];

/// One letter of a syllable: its base character (case kept) and its shape mark.
#[derive(Clone, Copy)]
struct Letter {
    base: char,
    shape: Option<char>,
}

impl Letter {
    fn lower(self) -> char {
        self.base.to_lowercase().next().unwrap_or(self.base)
    }

    fn is_vowel(self) -> bool {
        matches!(self.lower(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }
}

/// The index of the vowel that carries the tone, or `None` when there is no vowel.
fn tone_position(letters: &[Letter], style: ToneStyle) -> Option<usize> {
    let lower: String = letters.iter().map(|l| l.lower()).collect();
    let vowel_at = |i: usize| letters.get(i).is_some_and(|l| l.is_vowel());
    // "qu" and "gi" before another vowel are initials: quý, già, giường (but gìn).
    let start = if (lower.starts_with("qu") || lower.starts_with("gi")) && vowel_at(2) {
        2
    } else {
        letters.iter().position(|l| l.is_vowel())?
    };
    let end = (start..letters.len())
        .find(|i| !vowel_at(*i))
        .unwrap_or(letters.len());
    let cluster = start..end;
    if cluster.is_empty() {
        return None;
    }
    if let Some(shaped) = cluster.clone().rev().find(|i| letters[*i].shape.is_some()) {
        return Some(shaped);
    }
    if end < letters.len() {
        return Some(end - 1);
    }
    // Letters, not bytes: the initial may be "đ", two bytes long.
    let open: String = letters[start..end].iter().map(|l| l.lower()).collect();
    Some(match cluster.len() {
        1 => start,
        2 if matches!(open.as_str(), "oa" | "oe" | "uy") => match style {
            ToneStyle::Old => start,
            ToneStyle::New => start + 1,
        },
        2 => start,
        _ => start + 1,
    })
}

/// Moves the tone of one syllable (decomposed letters and marks) to its place.
fn place(syllable: &str, style: ToneStyle, out: &mut String) {
    let mut letters: Vec<Letter> = Vec::new();
    let mut tone = None;
    // A mark that is not one tone on a letter, or one shape on a letter, is not Vietnamese
    // spelling (a second tone, a mark before any letter, another script's accent): such a
    // syllable is left as written.
    let mut foreign = false;
    for c in syllable.nfd() {
        if TONES.contains(&c) && tone.is_none() && !letters.is_empty() {
            tone = Some(c);
        } else if SHAPES.contains(&c) && letters.last().is_some_and(|l| l.shape.is_none()) {
            if let Some(last) = letters.last_mut() {
                last.shape = Some(c);
            }
        } else if unicode_normalization::char::is_combining_mark(c) {
            foreign = true;
        } else {
            letters.push(Letter {
                base: c,
                shape: None,
            });
        }
    }
    if foreign {
        out.extend(syllable.nfc());
        return;
    }
    let at = tone.and_then(|_| tone_position(&letters, style));
    let mut decomposed = String::with_capacity(syllable.len() + 2);
    for (i, letter) in letters.iter().enumerate() {
        decomposed.push(letter.base);
        decomposed.extend(letter.shape);
        if Some(i) == at {
            decomposed.extend(tone);
        }
    }
    // A tone with no vowel to carry it (not Vietnamese) stays at the end.
    if at.is_none() {
        decomposed.extend(tone);
    }
    out.extend(decomposed.nfc());
}

/// The text with every syllable's tone mark placed by one convention; letters, case and
/// everything between syllables are kept. "Thanh Hoá" gives "Thanh Hóa" in the old style.
pub fn normalize_tones(text: &str, style: ToneStyle) -> String {
    let mut out = String::with_capacity(text.len());
    let mut syllable = String::new();
    for c in text.nfd() {
        if c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c) {
            syllable.push(c);
            continue;
        }
        if !syllable.is_empty() {
            place(&syllable, style, &mut out);
            syllable.clear();
        }
        out.push(c);
    }
    if !syllable.is_empty() {
        place(&syllable, style, &mut out);
    }
    out
}

/// Whether a word carries a tone mark ("bàn", "bán" do; "ban", "ân" do not).
pub fn has_tone(word: &str) -> bool {
    word.nfd().any(|c| TONES.contains(&c))
}

/// The key that makes both tone conventions and both cases equal while keeping every other
/// diacritic: "Huyện uỷ" and "huyện ủy" have one key, "bàn" and "bán" do not.
pub fn search_key(text: &str) -> String {
    let line = normalize_line(text)
        .replace(['Ð', 'Ɖ'], "Đ")
        .replace(['ð', 'ɖ'], "đ");
    normalize_tones(&line, ToneStyle::Old).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old(s: &str) -> String {
        normalize_tones(s, ToneStyle::Old)
    }

    fn new(s: &str) -> String {
        normalize_tones(s, ToneStyle::New)
    }

    #[test]
    fn both_conventions_meet_in_either_style() {
        for (a, b) in [
            ("hòa", "hoà"),
            ("thủy", "thuỷ"),
            ("Thúy", "Thuý"),
            ("khỏe", "khoẻ"),
            ("Ủy", "Uỷ"),
            ("hòe", "hoè"),
        ] {
            assert_eq!(old(a), old(b), "{a} {b}");
            assert_eq!(new(a), new(b), "{a} {b}");
        }
        assert_eq!(old("Thanh Hoá"), "Thanh Hóa");
        assert_eq!(new("Thanh Hóa"), "Thanh Hoá");
        assert_eq!(old("Huyện uỷ"), "Huyện ủy");
    }

    #[test]
    fn syllables_with_one_right_place_are_left_alone() {
        let words = "quý già gìn giường giếng khuya khuỷu ngoài hoàng người thuở hoạch của mùa lửa Quảng Nguyễn huỳnh quà quốc tuyển oải";
        assert_eq!(old(words), words);
        assert_eq!(new(words), words);
    }

    #[test]
    fn misplaced_tones_are_repaired() {
        assert_eq!(old("qúy"), "quý");
        assert_eq!(
            old("Ðảm baỏ chất lựơng phòng thí nghịêm"),
            "Ðảm bảo chất lượng phòng thí nghiệm"
        );
    }

    #[test]
    fn tones_are_told_from_shapes() {
        assert!(has_tone("bàn") && has_tone("Ủy") && has_tone("ạ"));
        assert!(!has_tone("ban") && !has_tone("Ân") && !has_tone("đơ"));
    }

    #[test]
    fn a_syllable_after_d_stroke_is_placed() {
        assert_eq!(old("đoà"), "đòa");
        assert_eq!(old("Đuý"), "Đúy");
    }

    #[test]
    fn text_between_syllables_is_kept() {
        assert_eq!(
            old("“Dân vận khéo” – 2020/2025, Hoà!"),
            "“Dân vận khéo” – 2020/2025, Hòa!"
        );
    }

    #[test]
    fn the_search_key_keeps_diacritics_but_not_the_convention_or_case() {
        assert_eq!(search_key("Huyện uỷ"), search_key("huyện ủy"));
        assert_eq!(search_key("ĐẢNG ỦY"), "đảng ủy");
        assert_eq!(search_key("Ðảng"), search_key("Đảng"));
        assert_ne!(search_key("bàn"), search_key("bán"));
        assert_ne!(search_key("bán"), search_key("ban"));
    }
}
