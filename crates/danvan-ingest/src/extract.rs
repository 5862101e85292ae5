//! Rule-based extraction from an article's text: the documents it cites and the figures
//! it states, each with a pointer to the sentence it came from so that an editor can check it.

use danvan_domain::document::DocumentKind;
use danvan_text::fold;
use danvan_text::parse::{Quantity, parse_quantity};

/// Where an extracted item came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceRef {
    /// The paragraph, counting the lead as 0.
    pub paragraph: usize,
    /// The sentence within the paragraph, from 0.
    pub sentence: usize,
    /// The sentence as written.
    pub text: String,
}

/// A document cited by code: "Nghị quyết số 25-NQ/TW".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedDocument {
    /// The code as printed.
    pub code: String,
    /// The kind, from the code or the word before it.
    pub kind: DocumentKind,
    /// Where.
    pub at: SentenceRef,
}

/// A figure a text states: "ban hành 23 văn bản", "1.272/1.337 đơn", "trên 95%".
#[derive(Debug, Clone, PartialEq)]
pub struct StatedFigure {
    /// The number, its whole, its bound.
    pub quantity: Quantity,
    /// The words after the number that say what it counts: "văn bản", "mô hình", "%".
    pub unit: String,
    /// Where.
    pub at: SentenceRef,
}

/// The sentences of paragraphs, each with its place.
pub fn sentences(paragraphs: &[String]) -> Vec<SentenceRef> {
    let mut out = Vec::new();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        let mut start = 0;
        let mut index = 0;
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        for (i, (at, c)) in chars.iter().enumerate() {
            // A sentence ends at ". " (or "; ") before a capital letter, or at the end.
            let next_upper = chars.get(i + 2).is_some_and(|(_, n)| n.is_uppercase());
            let ends = matches!(c, '.' | '!' | '?')
                && chars.get(i + 1).is_some_and(|(_, n)| *n == ' ')
                && next_upper;
            if ends {
                let text = paragraph[start..=*at].trim().to_owned();
                if !text.is_empty() {
                    out.push(SentenceRef {
                        paragraph: p,
                        sentence: index,
                        text,
                    });
                    index += 1;
                }
                start = at + c.len_utf8();
            }
        }
        let text = paragraph[start..].trim().to_owned();
        if !text.is_empty() {
            out.push(SentenceRef {
                paragraph: p,
                sentence: index,
                text,
            });
        }
    }
    out
}

/// Whether a word has the shape of a document code: digits first, then letters and
/// separators, upper case: "25-NQ/TW", "59/2023/NĐ-CP", "1318/NQ-UBTVQH15".
fn is_code(word: &str) -> bool {
    let starts_with_digit = word.chars().next().is_some_and(|c| c.is_ascii_digit());
    let has_separator = word.contains(['-', '/']);
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    starts_with_digit
        && has_separator
        && letters.len() >= 2
        && letters.chars().all(char::is_uppercase)
}

/// The documents the sentences cite.
pub fn cited_documents(sentences: &[SentenceRef]) -> Vec<CitedDocument> {
    const KINDS: [(&str, DocumentKind); 8] = [
        ("nghi quyet", DocumentKind::Resolution),
        ("chi thi", DocumentKind::Directive),
        ("ket luan", DocumentKind::Conclusion),
        ("quyet dinh", DocumentKind::Decision),
        ("ke hoach", DocumentKind::Plan),
        ("huong dan", DocumentKind::Guidance),
        ("nghi dinh", DocumentKind::Decree),
        ("thong tu", DocumentKind::Circular),
    ];
    let mut found: Vec<CitedDocument> = Vec::new();
    for sentence in sentences {
        let words: Vec<&str> = sentence.text.split_whitespace().collect();
        for (i, raw) in words.iter().enumerate() {
            let code = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if !is_code(code) || found.iter().any(|d| d.code == code) {
                continue;
            }
            let before = fold(&words[i.saturating_sub(3)..i].join(" "));
            let named = KINDS
                .iter()
                .find(|(word, _)| before.contains(word))
                .map(|(_, kind)| *kind);
            let kind = match DocumentKind::from_document_code(code) {
                DocumentKind::Other => match named {
                    Some(kind) => kind,
                    None => continue,
                },
                kind => kind,
            };
            found.push(CitedDocument {
                code: code.to_owned(),
                kind,
                at: sentence.clone(),
            });
        }
    }
    found
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

/// The words after a number that say what it counts, up to the next comma or clause:
/// "mô hình", "văn bản chỉ đạo", "%".
fn unit_after(after: &str) -> String {
    let after = after.trim_start();
    if after.starts_with('%') {
        return "%".to_owned();
    }
    after
        .split([',', ';', '.', '(', ')', ':', '“', '”'])
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
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
                if let Some(quantity) = parse_quantity(
                    &text[from_bound..end + usize::from(text[end..].starts_with('%'))],
                ) {
                    let unit = unit_after(&text[end..]);
                    if !unit.is_empty() {
                        figures.push(StatedFigure {
                            quantity,
                            unit,
                            at: sentence.clone(),
                        });
                    }
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
    use danvan_text::parse::Bound;

    fn sentences_of(text: &str) -> Vec<SentenceRef> {
        sentences(&[text.to_owned()])
    }

    #[test]
    fn paragraphs_are_cut_into_sentences() {
        let found =
            sentences_of("Sáng 4/11, hội nghị khai mạc. Các đại biểu thảo luận. Tổ gồm 7 người.");
        assert_eq!(found.len(), 3);
        assert_eq!(found[1].text, "Các đại biểu thảo luận.");
        assert_eq!((found[2].paragraph, found[2].sentence), (0, 2));
    }

    #[test]
    fn codes_are_found_with_their_kind() {
        let found = cited_documents(&sentences_of(
            "Thực hiện Nghị quyết số 25-NQ/TW và Chỉ thị số 05-CT/TW; Luật 72/2025/QH15 có hiệu lực.",
        ));
        let codes: Vec<(&str, DocumentKind)> =
            found.iter().map(|d| (d.code.as_str(), d.kind)).collect();
        assert_eq!(
            codes,
            [
                ("25-NQ/TW", DocumentKind::Resolution),
                ("05-CT/TW", DocumentKind::Directive)
            ]
        );
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
