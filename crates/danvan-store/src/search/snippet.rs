//! Snippets: the part of a text where the query's words are, as written, with the words
//! that match marked.

use super::score::Terms;
use danvan_text::fold;

/// A piece of a text with the matching words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text, with "…" where it was cut.
    pub text: String,
    /// The matching words, as ranges of characters (not bytes) of `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// How many words a snippet holds.
const WIDTH: usize = 30;
/// How many words come before the first match.
const LEAD: usize = 8;

/// The words of a text with where each starts and ends (bytes).
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// The snippet of `text` (as written) for `terms`; `folded` holds the text's folded words.
pub(crate) fn snippet(text: &str, folded: &str, terms: &Terms) -> Snippet {
    let spans = spans(text);
    let stored: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let folds: Vec<std::borrow::Cow<'_, str>> = if stored.len() == spans.len() {
        stored.into_iter().map(std::borrow::Cow::Borrowed).collect()
    } else {
        spans
            .iter()
            .map(|(s, e)| std::borrow::Cow::Owned(fold(&text[*s..*e])))
            .collect()
    };
    let wanted = |i: usize| terms.wants(&folds[i]);
    let first = (0..spans.len()).find(|i| wanted(*i)).unwrap_or(0);
    // Begin a little before the first match, but show a full window when the text allows.
    let start = first
        .saturating_sub(LEAD)
        .min(spans.len().saturating_sub(WIDTH));
    let end = (start + WIDTH).min(spans.len());
    if start >= end {
        return Snippet {
            text: text.chars().take(200).collect(),
            highlights: Vec::new(),
        };
    }
    let (from, to) = (spans[start].0, spans[end - 1].1);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let offset = out.chars().count();
    out.push_str(&text[from..to]);
    if end < spans.len() {
        out.push('…');
    }
    let highlights = (start..end)
        .filter(|i| wanted(*i))
        .map(|i| {
            let (s, e) = spans[i];
            let begin = offset + text[from..s].chars().count();
            (begin, begin + text[s..e].chars().count())
        })
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::super::score::parse;
    use super::*;

    fn folded(text: &str) -> String {
        crate::search::document::words(&fold(text))
    }

    #[test]
    fn matches_are_marked_with_their_diacritics() {
        let text =
            "Sáng 30/6, Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh tổ chức hội nghị.";
        let s = snippet(text, &folded(text), &parse("dan van kheo"));
        let marked: Vec<String> = s
            .highlights
            .iter()
            .map(|(a, b)| s.text.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(marked, ["Dân", "vận", "khéo"]);
        assert!(s.text.starts_with("Sáng"));
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = format!(
            "{} Quy chế dân chủ ở cơ sở {}",
            "mở đầu ".repeat(40),
            "kết thúc ".repeat(40)
        );
        let s = snippet(&text, &folded(&text), &parse("quy chế"));
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let marked: Vec<String> = s
            .highlights
            .iter()
            .map(|(a, b)| s.text.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(marked, ["Quy", "chế"]);
    }
}
