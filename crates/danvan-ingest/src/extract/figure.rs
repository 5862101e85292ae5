//! Figures a text states: "ban hành 23 văn bản", "1.272/1.337 đơn", "trên 95%", "Hơn
//! 1000 mô hình", each with what it counts, its bound and the clause that says it.

use super::SentenceRef;
use super::sentence::capitalise;
use danvan_text::fold;
use danvan_text::parse::{Quantity, parse_quantity};

/// A figure a text states: "ban hành 23 văn bản", "1.272/1.337 đơn", "trên 95%".
#[derive(Debug, Clone, PartialEq)]
pub struct StatedFigure {
    /// The number, its whole, its bound.
    pub quantity: Quantity,
    /// What it counts, from the units the rules know: "văn bản", "mô hình", "%".
    pub unit: String,
    /// The indicator it reports.
    pub indicator: Indicator,
    /// The clause that states it: "ban hành 23 văn bản chỉ đạo, hướng dẫn".
    pub wording: String,
    /// Where.
    pub at: SentenceRef,
}

/// What a figure measures: a stable key and the words a reader reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// `dvk.models_recognised`, `complaints.resolved`, `count.hoi_nghi`.
    pub key: String,
    /// "Mô hình “Dân vận khéo” được công nhận".
    pub label: String,
}

/// What reports count, longest first so that "cuộc đối thoại" wins over "cuộc". A number
/// followed by anything else ("6 nhóm nhiệm vụ", "Hội nghị Trung ương 4 khóa XII") is not
/// taken for a report figure.
const UNITS: &[&str] = &[
    "cuộc đối thoại",
    "cuộc tiếp xúc",
    "cuộc họp",
    "cuộc kiểm tra",
    "cuộc giám sát",
    "cuộc",
    "văn bản",
    "mô hình",
    "điển hình",
    "đơn thư",
    "đơn",
    "vụ việc",
    "ý kiến",
    "kiến nghị",
    "hội nghị",
    "buổi",
    "lớp",
    "lượt người",
    "lượt",
    "người",
    "đảng viên",
    "hộ gia đình",
    "hộ nghèo",
    "hộ",
    "tập thể",
    "cá nhân",
    "tin",
    "bài",
    "tỷ đồng",
    "triệu đồng",
    "công trình",
    "hội viên",
    "đoàn viên",
    "thôn",
    // Measures.
    "m2",
    "m²",
    "km",
    "ha",
    "tấn",
    "đồng chí",
    "đồng",
    // What is counted at meetings and handed out.
    "học viên",
    "đại biểu",
    "điểm cầu",
    "suất quà",
    "suất",
    "phần quà",
    "nhà đại đoàn kết",
    "căn nhà",
    "ngôi nhà",
    "nhà",
    "cây xanh",
    "cây",
    "phụ nữ",
    "thanh niên",
    "cán bộ",
    "học sinh",
];

/// The unit at the start of `after` (the text after a number), from [`UNITS`].
fn unit_after(after: &str) -> Option<String> {
    let after = after.trim_start();
    if after.starts_with('%') {
        return Some("%".to_owned());
    }
    let folded = danvan_text::search_key(after);
    UNITS
        .iter()
        .find(|unit| {
            let key = danvan_text::search_key(unit);
            folded.starts_with(&key)
                && folded[key.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|unit| (*unit).to_owned())
}

/// The indicator of a figure from its unit and the clause around it; a percentage is the
/// rate of the figure before it in the sentence.
fn indicator(unit: &str, clause: &str, before: Option<&Indicator>) -> Indicator {
    let clause = fold(clause);
    let (key, label) = match unit {
        "mô hình" | "điển hình" if clause.contains("cong nhan") => (
            "dvk.models_recognised",
            "Mô hình “Dân vận khéo” được công nhận",
        ),
        "mô hình" | "điển hình" if clause.contains("xay dung") => {
            ("dvk.models_built", "Mô hình “Dân vận khéo” được xây dựng")
        }
        "mô hình" | "điển hình" => ("dvk.models", "Mô hình, điển hình “Dân vận khéo”"),
        "văn bản" => (
            "documents.issued",
            "Văn bản chỉ đạo, hướng dẫn được ban hành",
        ),
        "cuộc đối thoại" => ("dialogues.held", "Cuộc đối thoại với Nhân dân"),
        "đơn" | "đơn thư" if clause.contains("giai quyet") => (
            "complaints.resolved",
            "Đơn khiếu nại, tố cáo được giải quyết",
        ),
        "đơn" | "đơn thư" => ("complaints.received", "Đơn thư được tiếp nhận"),
        "%" => {
            return match before {
                Some(of) => Indicator {
                    key: format!("{}_rate", of.key),
                    label: format!("{} (tỷ lệ)", of.label),
                },
                None => Indicator {
                    key: "rate".to_owned(),
                    label: "Tỷ lệ".to_owned(),
                },
            };
        }
        other => {
            return Indicator {
                key: format!("count.{}", danvan_text::slugify(other).replace('-', "_")),
                label: capitalise(other),
            };
        }
    };
    Indicator {
        key: key.to_owned(),
        label: label.to_owned(),
    }
}

/// Whether the number at `start` of `text` is part of something that is not a figure: a
/// date ("23/8", "30.06.2020"), a year or a span of years ("2016-2021", "năm 2020"), a
/// period ("6 tháng"), or a document code.
fn not_a_figure(text: &str, start: usize, end: usize) -> bool {
    let before = fold(&text[..start]);
    let after = &text[end..];
    let number = &text[start..end];
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let is_year = digits.len() == 4
        && !number.contains('.')
        && (1900..=2100).contains(&digits.parse::<u32>().unwrap_or(0));
    let folded_after = fold(after);
    is_year
        || before.trim_end().ends_with("nam")
        || before.trim_end().ends_with("ngay")
        || before.trim_end().ends_with("so")
        || after.starts_with('-')
        || after.starts_with('/')
            && number.len() <= 2
            && after
                .get(1..2)
                .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
        || folded_after.trim_start().starts_with("thang")
        || folded_after.trim_start().starts_with("nam ")
        || after.chars().next().is_some_and(|c| c.is_alphabetic())
}

/// The figures the sentences state.
pub fn stated_figures(sentences: &[SentenceRef]) -> Vec<StatedFigure> {
    let mut figures = Vec::new();
    for sentence in sentences {
        let text = &sentence.text;
        let mut i = 0;
        while i < text.len() {
            let Some(offset) = text[i..].find(|c: char| c.is_ascii_digit()) else {
                break;
            };
            let start = i + offset;
            // The number with its thousands dots, decimal comma and "/whole".
            let end = text[start..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '/'))
                .map_or(text.len(), |n| start + n);
            let number = text[start..end].trim_end_matches(['.', ',', '/']);
            let end = start + number.len();
            let preceded_by_letter = text[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric());
            if !preceded_by_letter && !not_a_figure(text, start, end) {
                let from_bound = text[..start].rfind([',', ';']).map_or(0, |n| n + 1);
                // The bound is in the two words before the number ("ít nhất 40", "trên
                // 95%"); reading further back would take another number ("năm 2023 …
                // giải quyết 846/900 đơn").
                let bound_from = text[from_bound..start]
                    .trim_end()
                    .rmatch_indices(' ')
                    .nth(1)
                    .map_or(from_bound, |(n, _)| from_bound + n + 1);
                // Nor a number in those two words ("năm 2024 cho 180 học viên").
                let bound_from = text[bound_from..start]
                    .rfind(|c: char| c.is_ascii_digit())
                    .and_then(|n| {
                        text[bound_from + n..start]
                            .find(' ')
                            .map(|s| bound_from + n + s + 1)
                    })
                    .unwrap_or(bound_from);
                if let Some(quantity) = parse_quantity(
                    &text[bound_from..end + usize::from(text[end..].starts_with('%'))],
                ) && let Some(unit) = unit_after(&text[end..])
                {
                    // The clause is what the rules read; the wording runs on to the next
                    // semicolon so that "23 văn bản chỉ đạo, hướng dẫn" stays whole.
                    let clause_end = text[end..].find([',', ';']).map_or(text.len(), |n| end + n);
                    // The wording runs to the semicolon, or, when another number follows
                    // before it, to the first comma or "và" after this one's unit.
                    let semicolon = text[end..].find(';').map_or(text.len(), |n| end + n);
                    let another = text[end..semicolon].contains(|c: char| c.is_ascii_digit());
                    let wording_end = if another {
                        let unit_end = end + text[end..].find(&unit).map_or(0, |n| n + unit.len());
                        [text[unit_end..].find(','), text[unit_end..].find(" và ")]
                            .into_iter()
                            .flatten()
                            .min()
                            .map_or(semicolon, |n| unit_end + n)
                    } else {
                        semicolon
                    };
                    let clause = &text[from_bound..clause_end];
                    let before = figures
                        .last()
                        .filter(|f: &&StatedFigure| f.at == *sentence)
                        .map(|f| &f.indicator);
                    let indicator = indicator(&unit, clause, before);
                    let wording = text[from_bound..wording_end]
                        .trim()
                        .trim_end_matches(['.', '…'])
                        .to_owned();
                    figures.push(StatedFigure {
                        quantity,
                        unit,
                        indicator,
                        wording,
                        at: sentence.clone(),
                    });
                }
            }
            i = end.max(start + 1);
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::sentences;
    use danvan_text::parse::Bound;

    fn sentences_of(text: &str) -> Vec<SentenceRef> {
        sentences(&[text.to_owned()])
    }

    #[test]
    fn figures_keep_their_bound_and_unit_and_skip_dates_and_years() {
        let found = stated_figures(&sentences_of(
            "Ngày 23/8, giai đoạn 2016-2021, đã ban hành 23 văn bản; giải quyết 1.272/1.337 đơn, đạt trên 95%. Hơn 1000 mô hình được duy trì trong 6 tháng đầu năm 2020.",
        ));
        let summary: Vec<(f64, Option<f64>, Bound, &str)> = found
            .iter()
            .map(|f| {
                (
                    f.quantity.value,
                    f.quantity.denominator,
                    f.quantity.bound,
                    f.unit.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (23.0, None, Bound::Exact, "văn bản"),
                (1272.0, Some(1337.0), Bound::Exact, "đơn"),
                (95.0, None, Bound::MoreThan, "%"),
                (1000.0, None, Bound::MoreThan, "mô hình"),
            ]
        );
        assert_eq!(found[3].at.sentence, 1);
    }
}
