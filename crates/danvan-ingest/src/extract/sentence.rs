//! Sentences with their place in the article, so that every extracted item can point to
//! the one it came from.

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

/// The first letter in upper case.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The words of a text split at single spaces, each with its byte offset.
pub(crate) fn word_spans(text: &str) -> Vec<(usize, &str)> {
    text.split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
