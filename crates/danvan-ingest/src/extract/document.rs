//! Documents cited by code: "Nghị quyết số 25-NQ/TW của BCH TW Đảng khoá XI về “…”".

use super::SentenceRef;
use super::names::expand;
use danvan_domain::document::DocumentKind;
use danvan_text::{ToneStyle, fold, normalize_tones};

/// A document cited by code: "Nghị quyết số 25-NQ/TW".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedDocument {
    /// The code as printed.
    pub code: String,
    /// The kind, from the code or the word before it.
    pub kind: DocumentKind,
    /// Who issued it, written out, when the text says ("của Bộ Chính trị").
    pub issuer: Option<String>,
    /// Its title, when the text quotes it ("về “Tăng cường …”").
    pub title: Option<String>,
    /// Where.
    pub at: SentenceRef,
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
            let after = sentence
                .text
                .find(code)
                .map_or("", |at| &sentence.text[at + code.len()..]);
            let (issuer, title) = issuer_and_title(after);
            found.push(CitedDocument {
                code: code.to_owned(),
                kind,
                issuer,
                title,
                at: sentence.clone(),
            });
        }
    }
    found
}

/// What follows a code: "của BCH TW Đảng khoá XI về "Tăng cường …"" gives the issuer
/// "Ban Chấp hành Trung ương Đảng khóa XI" and the quoted title.
fn issuer_and_title(after: &str) -> (Option<String>, Option<String>) {
    let after = after.trim_start();
    let mut rest = after;
    let mut issuer = None;
    if let Some(of) = after.strip_prefix("của ") {
        let end = of
            .find([',', ';', '.', '“', '"'])
            .unwrap_or(of.len())
            .min(of.find(" về ").unwrap_or(of.len()));
        let name = of[..end].trim();
        if !name.is_empty() && name.split(' ').count() <= 10 {
            issuer = Some(normalize_tones(&expand(name), ToneStyle::Old));
        }
        rest = &of[end..];
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("về").unwrap_or(rest).trim_start();
    let title = rest
        .strip_prefix(['“', '"'])
        .and_then(|quoted| quoted.find(['”', '"']).map(|end| quoted[..end].trim()))
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    (issuer, title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::sentences;

    fn sentences_of(text: &str) -> Vec<SentenceRef> {
        sentences(&[text.to_owned()])
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
    fn the_issuer_and_the_quoted_title_follow_the_code() {
        let found = cited_documents(&sentences_of(
            "thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về “Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”; Nghị quyết số 25-NQ/TW của BCH TW Đảng khoá XI về \"Tăng cường công tác dân vận\".",
        ));
        assert_eq!(found[0].issuer.as_deref(), Some("Bộ Chính trị"));
        assert_eq!(
            found[0].title.as_deref(),
            Some("Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
        );
        assert_eq!(
            found[1].issuer.as_deref(),
            Some("Ban Chấp hành Trung ương Đảng khóa XI")
        );
        assert_eq!(
            found[1].title.as_deref(),
            Some("Tăng cường công tác dân vận")
        );
    }
}
