//! Campaigns a text names: phong trào thi đua “Dân vận khéo”, phong trào “Toàn dân đoàn
//! kết xây dựng nông thôn mới, đô thị văn minh”, cuộc vận động “…”.

use super::SentenceRef;
use super::names::same_name;
use super::sentence::word_spans;
use danvan_text::fold;

/// A campaign named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCampaign {
    /// Its own name, without "phong trào": "Dân vận khéo".
    pub name: String,
    /// How it is called in full: "Phong trào thi đua “Dân vận khéo”".
    pub full_name: String,
    /// Where it is first named.
    pub at: SentenceRef,
}

/// What introduces a campaign's name, folded, and how it is called.
const INTRODUCERS: [(&str, &str); 3] = [
    ("phong trao thi dua", "Phong trào thi đua"),
    ("phong trao", "Phong trào"),
    ("cuoc van dong", "Cuộc vận động"),
];

/// The campaigns the sentences name, each once.
pub fn named_campaigns(sentences: &[SentenceRef]) -> Vec<NamedCampaign> {
    let mut found: Vec<NamedCampaign> = Vec::new();
    for sentence in sentences {
        let text = sentence.text.as_str();
        let words = word_spans(text);
        let mut i = 0;
        while i < words.len() {
            let intro = INTRODUCERS.iter().find(|(folded, _)| {
                let n = folded.split(' ').count();
                words.len() >= i + n
                    && fold(
                        &words[i..i + n]
                            .iter()
                            .map(|(_, w)| *w)
                            .collect::<Vec<_>>()
                            .join(" "),
                    ) == *folded
            });
            let Some((folded, called)) = intro else {
                i += 1;
                continue;
            };
            let n = folded.split(' ').count();
            let after_at = words.get(i + n).map_or(text.len(), |(at, _)| *at);
            i += n;
            let after = &text[after_at..];
            let name = if let Some(quoted) = after.strip_prefix(['“', '"']) {
                quoted.find(['”', '"']).map(|end| &quoted[..end])
            } else if after.chars().next().is_some_and(char::is_uppercase) {
                // "phong trào thi đua Dân vận khéo, phối hợp …": up to the clause's end.
                let end = after.find([',', ';', '.', '(']).unwrap_or(after.len());
                Some(&after[..end]).filter(|n| n.split(' ').count() <= 6)
            } else {
                None
            };
            let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            if found.iter().any(|c| same_name(&c.name, name)) {
                continue;
            }
            found.push(NamedCampaign {
                name: name.to_owned(),
                full_name: format!("{called} “{name}”"),
                at: sentence.clone(),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::sentences;

    #[test]
    fn quoted_and_unquoted_names_are_read_once() {
        let found = named_campaigns(&sentences(&[
            "phong trào thi đua Dân vận khéo, phối hợp hoạt động; trọng tâm là phong trào “Dân vận khéo”; phong trào thi đua yêu nước và phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”.".to_owned(),
        ]));
        let names: Vec<&str> = found.iter().map(|c| c.full_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Phong trào thi đua “Dân vận khéo”",
                "Phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”"
            ]
        );
    }
}
