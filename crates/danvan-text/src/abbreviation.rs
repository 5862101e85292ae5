//! The abbreviations the portals print ("MTTQ", "HĐND", "BCĐ") and what they stand for:
//! one table, read by the importer (to write a post out in full) and by the search (to
//! find "Mặt trận Tổ quốc" where a text writes "MTTQ", and the other way round).

use crate::fold;

/// An abbreviation as printed and what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abbreviation {
    /// As printed: "HĐND".
    pub short: &'static str,
    /// What it stands for: "Hội đồng nhân dân".
    pub long: &'static str,
    /// Whether its letters are nothing else when typed in lower case: "mttq" is safe,
    /// "tu" (Tỉnh ủy) is also "tu", "tư", "tú". An unsafe one is read only in capitals,
    /// and a search never looks for it in texts (the index holds words folded, where
    /// "TU" cannot be told from "tư").
    pub safe: bool,
}

const fn safe(short: &'static str, long: &'static str) -> Abbreviation {
    Abbreviation {
        short,
        long,
        safe: true,
    }
}

const fn capitals(short: &'static str, long: &'static str) -> Abbreviation {
    Abbreviation {
        short,
        long,
        safe: false,
    }
}

/// The table (VIETNAMESE.md D2). Longer abbreviations come before the shorter ones they
/// begin with, so that "UVBTVHU" is not read as "UVBTV".
pub const ABBREVIATIONS: &[Abbreviation] = &[
    safe("UVBTVTU", "Ủy viên Ban Thường vụ Tỉnh ủy"),
    safe("UVBTVHU", "Ủy viên Ban Thường vụ Huyện ủy"),
    safe("TVTU", "Ủy viên Ban Thường vụ Tỉnh ủy"),
    safe("UVBTV", "Ủy viên Ban Thường vụ"),
    safe("UVTV", "Ủy viên Ban Thường vụ"),
    safe("PBTTT", "Phó Bí thư Thường trực"),
    safe("PBT", "Phó Bí thư"),
    safe("BTVTU", "Ban Thường vụ Tỉnh ủy"),
    safe("BTVHU", "Ban Thường vụ Huyện ủy"),
    safe("BCH", "Ban Chấp hành"),
    safe("BCĐ", "Ban Chỉ đạo"),
    safe("HĐND", "Hội đồng nhân dân"),
    safe("UBND", "Ủy ban nhân dân"),
    safe("UBMTTQVN", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    safe("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    safe("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    safe("MTTQ", "Mặt trận Tổ quốc"),
    safe("QCDC", "Quy chế dân chủ"),
    safe("DCCS", "dân chủ ở cơ sở"),
    safe("DVK", "Dân vận khéo"),
    safe("VHTT&TT", "Văn hóa, Thông tin và Thể thao"),
    safe("VHTT&DL", "Văn hóa, Thể thao và Du lịch"),
    safe("ĐBQH", "Đại biểu Quốc hội"),
    safe("HLHPN", "Hội Liên hiệp Phụ nữ"),
    safe("LHPN", "Liên hiệp Phụ nữ"),
    safe("CCB", "Cựu chiến binh"),
    safe("HND", "Hội Nông dân"),
    safe("ĐTNCS", "Đoàn Thanh niên Cộng sản"),
    safe("ĐTN", "Đoàn Thanh niên"),
    safe("LĐLĐ", "Liên đoàn Lao động"),
    safe("BTV", "Ban Thường vụ"),
    safe("UBKT", "Ủy ban Kiểm tra"),
    safe("TNCS", "Thanh niên Cộng sản"),
    safe("TTND", "Thanh tra nhân dân"),
    safe("CT-XH", "chính trị - xã hội"),
    safe("BDVTW", "Ban Dân vận Trung ương"),
    capitals("TW", "Trung ương"),
    capitals("TƯ", "Trung ương"),
    capitals("T.Ư", "Trung ương"),
    capitals("TU", "Tỉnh ủy"),
    capitals("HU", "Huyện ủy"),
    capitals("ĐU", "Đảng ủy"),
    capitals("CĐ", "Công đoàn"),
];

/// The abbreviation printed exactly as `word` ("HĐND"), for a text written by the portals.
pub fn printed(word: &str) -> Option<&'static Abbreviation> {
    ABBREVIATIONS.iter().find(|a| a.short == word)
}

/// The abbreviation a reader means by `word` as typed in a search: in capitals, with or
/// without its diacritics ("HĐND", "HDND"), or in lower case when that is safe ("mttq").
pub fn typed(word: &str) -> Option<&'static Abbreviation> {
    let in_capitals = word.chars().any(char::is_alphabetic)
        && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    let readable = |a: &&Abbreviation| in_capitals || a.safe;
    // As printed first ("TU" is Tỉnh ủy, "TƯ" Trung ương), then without diacritics.
    let upper = word.to_uppercase();
    let folded = fold(word);
    ABBREVIATIONS
        .iter()
        .filter(readable)
        .find(|a| a.short == upper)
        .or_else(|| {
            ABBREVIATIONS
                .iter()
                .filter(readable)
                .find(|a| fold(a.short) == folded)
        })
}

/// The words of a text folded: "Ủy ban Mặt trận" is `["uy", "ban", "mat", "tran"]`.
pub fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_abbreviations_come_before_those_they_begin_with() {
        for (i, a) in ABBREVIATIONS.iter().enumerate() {
            for b in &ABBREVIATIONS[i + 1..] {
                assert!(
                    !b.short.starts_with(a.short) || a.short == b.short,
                    "{} comes before {}, which begins with it",
                    a.short,
                    b.short
                );
            }
        }
    }

    #[test]
    fn a_reader_types_an_abbreviation_in_capitals_or_safely_in_lower_case() {
        assert_eq!(typed("MTTQ").map(|a| a.long), Some("Mặt trận Tổ quốc"));
        assert_eq!(typed("mttq").map(|a| a.long), Some("Mặt trận Tổ quốc"));
        assert_eq!(typed("HDND").map(|a| a.short), Some("HĐND"));
        assert_eq!(typed("hđnd").map(|a| a.short), Some("HĐND"));
        assert_eq!(typed("TU").map(|a| a.long), Some("Tỉnh ủy"));
        assert_eq!(typed("tu"), None);
        assert_eq!(typed("Tu"), None);
        assert_eq!(typed("cd"), None);
        assert_eq!(typed("CĐ").map(|a| a.long), Some("Công đoàn"));
        assert_eq!(typed("ban"), None);
    }

    #[test]
    fn words_are_folded() {
        assert_eq!(
            folded_words("Ủy ban Mặt trận Tổ quốc"),
            ["uy", "ban", "mat", "tran", "to", "quoc"]
        );
    }
}
