//! The order of search results, computed the same way on both backends.

use super::alternative::{Alternative, alternatives};
use danvan_text::{fold, has_tone as toned, normalize_line, search_key};

/// One word of a query, in its three forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// As typed, with one tone placement, lower case: "bàn".
    pub key: String,
    /// Without diacritics: "ban".
    pub fold: String,
    /// Whether it carries a tone mark.
    pub toned: bool,
}

/// A parsed query: its words, and the runs of them that were quoted as phrases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Terms {
    pub words: Vec<Term>,
    /// Each phrase as the range of `words` it covers.
    pub phrases: Vec<std::ops::Range<usize>>,
    /// Where each typed segment (a phrase or the words between phrases) ends, so that
    /// side-by-side bonuses do not cross them.
    pub breaks: Vec<usize>,
    /// Other ways of writing some of the words ("Mặt trận Tổ quốc" for "MTTQ"), found
    /// too and ranked below the form typed.
    pub alternatives: Vec<Alternative>,
    /// Words a text need not hold: the level word before a place's name ("tỉnh" in
    /// "tỉnh Hà Giang"); a text that holds it still ranks higher.
    pub optional: Vec<usize>,
}

impl Terms {
    /// Whether a folded word of a text is one the query looks for, in the form typed or
    /// another: the words a snippet marks.
    pub(crate) fn wants(&self, folded: &str) -> bool {
        self.words.iter().any(|t| t.fold == folded)
            || self
                .alternatives
                .iter()
                .any(|a| a.forms.iter().flatten().any(|w| w == folded))
    }
}

fn split(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses a query: words, and phrases in straight or curly double quotes.
pub(crate) fn parse(query: &str) -> Terms {
    let mut terms = Terms::default();
    // The words as typed, case kept: an abbreviation is read in capitals.
    let mut typed = Vec::new();
    let mut quoted = false;
    for segment in query.split(['"', '“', '”']) {
        let keys = split(&search_key(segment));
        let folds = split(&fold(segment));
        let as_typed = split(&normalize_line(segment));
        let start = terms.words.len();
        if as_typed.len() == folds.len() {
            typed.extend(as_typed);
        } else {
            typed.extend(folds.iter().cloned());
        }
        if keys.len() == folds.len() {
            for (key, fold) in keys.into_iter().zip(folds) {
                let toned = toned(&key);
                terms.words.push(Term { key, fold, toned });
            }
        } else {
            for fold in folds {
                terms.words.push(Term {
                    key: fold.clone(),
                    fold,
                    toned: false,
                });
            }
        }
        let end = terms.words.len();
        if quoted && end - start > 1 {
            terms.phrases.push(start..end);
        }
        if end > start {
            terms.breaks.push(end);
        }
        quoted = !quoted;
    }
    let folds: Vec<String> = terms.words.iter().map(|t| t.fold.clone()).collect();
    terms.alternatives = alternatives(&typed, &folds, &terms.phrases);
    terms
}

/// One field of a candidate: its words with one tone placement, and folded.
pub(crate) struct Field<'a> {
    keys: Vec<&'a str>,
    folds: Vec<std::borrow::Cow<'a, str>>,
}

impl<'a> Field<'a> {
    /// The field from its stored key and folded words (both space-separated).
    pub(crate) fn new(key: &'a str, folded: &'a str) -> Self {
        let keys: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        let stored: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        // The two are made from the same words; should they ever differ, fold again.
        let folds = if stored.len() == keys.len() {
            stored.into_iter().map(std::borrow::Cow::Borrowed).collect()
        } else {
            keys.iter()
                .map(|k| std::borrow::Cow::Owned(fold(k)))
                .collect()
        };
        Self { keys, folds }
    }

    /// How well the field holds a term: 3 with the same diacritics, 2 folded alike and
    /// alike in having a tone or not ("bán" for "bàn"), 1 folded alike ("ban"), else 0.
    fn best(&self, term: &Term) -> u32 {
        let mut best = 0;
        for (key, folded) in self.keys.iter().zip(&self.folds) {
            if folded.as_ref() != term.fold {
                continue;
            }
            let tier = if *key == term.key {
                3
            } else if toned(key) == term.toned {
                2
            } else {
                1
            };
            best = best.max(tier);
            if best == 3 {
                break;
            }
        }
        best
    }

    /// Whether the field holds these folded words side by side.
    fn holds(&self, words: &[String]) -> bool {
        !words.is_empty()
            && self
                .folds
                .windows(words.len())
                .any(|w| w.iter().zip(words).all(|(a, b)| a.as_ref() == b))
    }

    /// For each of the query's alternatives, whether the field holds one of its forms.
    fn other_forms(&self, terms: &Terms) -> Vec<bool> {
        terms
            .alternatives
            .iter()
            .map(|a| a.forms.iter().any(|f| self.holds(f)))
            .collect()
    }

    /// Whether two terms stand side by side, folded, and whether also with the same diacritics.
    fn side_by_side(&self, first: &Term, second: &Term) -> (bool, bool) {
        let mut folded = false;
        for i in 1..self.keys.len() {
            if self.folds[i - 1] == first.fold && self.folds[i] == second.fold {
                folded = true;
                if self.keys[i - 1] == first.key && self.keys[i] == second.key {
                    return (true, true);
                }
            }
        }
        (folded, false)
    }
}

/// The score of a candidate with `title` and `body` for a query. Higher is better. For a
/// candidate filed under a place the query names, the place's words in `places` count as
/// the least match in its body where its text does not hold them, so that it ranks below
/// the texts that do.
pub(crate) fn score(
    terms: &Terms,
    title: &Field<'_>,
    body: &Field<'_>,
    places: &[std::ops::Range<usize>],
) -> u32 {
    let mut total = 0;
    let mut all_in_title = !terms.words.is_empty();
    // Which alternatives each field holds: looked for once a field, and only when a word
    // is missing from it (a text holding the words as typed needs no other form).
    let held = [std::cell::OnceCell::new(), std::cell::OnceCell::new()];
    for (i, term) in terms.words.iter().enumerate() {
        // Another form of the word ("Mặt trận Tổ quốc" for "MTTQ") counts as the least
        // match, so that the form typed ranks above it.
        let tier = |which: usize, field: &Field<'_>| match field.best(term) {
            0 if terms
                .alternatives
                .iter()
                .zip(held[which].get_or_init(|| field.other_forms(terms)))
                .any(|(a, held)| *held && a.range.contains(&i)) =>
            {
                1
            }
            tier => tier,
        };
        let in_title = tier(0, title);
        all_in_title &= in_title > 0;
        let in_body = match tier(1, body) {
            0 if places.iter().any(|p| p.contains(&i)) => 1,
            tier => tier,
        };
        total += 2 * in_title + in_body;
    }
    if all_in_title {
        total += 4;
    }
    // Syllables side by side, as a Vietnamese word is written ("dân vận"), above the same
    // syllables apart; pairs across a phrase's edge do not count.
    for i in 1..terms.words.len() {
        if terms.breaks.contains(&i) {
            continue;
        }
        let (first, second) = (&terms.words[i - 1], &terms.words[i]);
        for (field, weight) in [(title, 6), (body, 3)] {
            match field.side_by_side(first, second) {
                (true, true) => total += weight + 2,
                (true, false) => total += weight,
                _ => {}
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> (String, String) {
        let words = |s: String| split(&s).join(" ");
        (words(search_key(text)), words(fold(text)))
    }

    fn score_of(query: &str, title: &str, body: &str) -> u32 {
        let (tk, tf) = field(title);
        let (bk, bf) = field(body);
        score(
            &parse(query),
            &Field::new(&tk, &tf),
            &Field::new(&bk, &bf),
            &[],
        )
    }

    #[test]
    fn phrases_and_words_are_parsed() {
        let terms = parse("“Dân vận khéo” hoà");
        assert_eq!(
            terms
                .words
                .iter()
                .map(|t| t.fold.as_str())
                .collect::<Vec<_>>(),
            ["dan", "van", "kheo", "hoa"]
        );
        assert_eq!(terms.phrases, vec![0..3]);
        assert_eq!(terms.words[3].key, "hòa");
        assert!(terms.words[3].toned);
    }

    #[test]
    fn exact_diacritics_rank_above_toned_above_folded() {
        let query = "bàn";
        let exact = score_of(query, "Bàn giải pháp", "");
        let other_tone = score_of(query, "Bán hàng", "");
        let no_tone = score_of(query, "Ban chỉ đạo", "");
        assert!(
            exact > other_tone && other_tone > no_tone,
            "{exact} {other_tone} {no_tone}"
        );
    }

    #[test]
    fn syllables_side_by_side_rank_above_syllables_apart() {
        let together = score_of("dân vận", "", "công tác dân vận của Đảng");
        let apart = score_of("dân vận", "", "nhân dân tích cực vận động");
        assert!(together > apart, "{together} {apart}");
    }

    #[test]
    fn the_title_counts_more_than_the_body() {
        let title = score_of("quy chế dân chủ", "Quy chế dân chủ ở cơ sở", "");
        let body = score_of(
            "quy chế dân chủ",
            "Tin tức",
            "thực hiện quy chế dân chủ ở cơ sở",
        );
        assert!(title > body);
    }

    #[test]
    fn the_form_typed_ranks_above_the_other_and_the_other_above_nothing() {
        let typed = score_of("MTTQ", "", "Ủy ban MTTQ xã họp");
        let other = score_of("MTTQ", "", "Ủy ban Mặt trận Tổ quốc xã họp");
        let none = score_of("MTTQ", "", "Ủy ban nhân dân xã họp");
        assert!(typed > other && other > none, "{typed} {other} {none}");
        let typed = score_of("mặt trận tổ quốc", "", "Mặt trận Tổ quốc xã");
        let other = score_of("mặt trận tổ quốc", "", "MTTQ xã");
        assert!(typed > other && other > 0, "{typed} {other}");
    }

    #[test]
    fn both_tone_conventions_are_exact() {
        assert_eq!(
            score_of("huyện ủy", "Huyện uỷ Gia Viễn", ""),
            score_of("huyện ủy", "Huyện ủy Gia Viễn", "")
        );
    }
}
