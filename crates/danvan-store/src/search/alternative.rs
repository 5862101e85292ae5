//! Other ways of writing what a query names: the portals write "MTTQ" and "Mặt trận Tổ
//! quốc" in the same sentence, and a reader may type either. Found at query time from
//! danvan-text's table of abbreviations, so that nothing is indexed again when the table
//! grows.

use danvan_text::abbreviation::{ABBREVIATIONS, folded_words, typed};
use std::ops::Range;
use std::sync::LazyLock;

/// Another way of writing some words of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alternative {
    /// The query's words it stands for.
    pub range: Range<usize>,
    /// The other forms, each as its folded words, matched side by side:
    /// `["mat", "tran", "to", "quoc"]`, `["ubmttq"]`, `["uy", "ban", "mttq"]`.
    pub forms: Vec<Vec<String>>,
}

/// An abbreviation and what it stands for, both as folded words.
struct Folded {
    short: Vec<String>,
    long: Vec<String>,
}

/// The abbreviations a search looks for in texts, folded once: the safe ones (an unsafe
/// one, "TU", folds to the same word as "tư" in the index).
static SEARCHED: LazyLock<Vec<Folded>> = LazyLock::new(|| {
    ABBREVIATIONS
        .iter()
        .filter(|a| a.safe)
        .map(|a| Folded {
            short: folded_words(a.short),
            long: folded_words(a.long),
        })
        .collect()
});

/// Whether `run` holds `part` side by side.
fn holds(run: &[String], part: &[String]) -> bool {
    !part.is_empty() && run.windows(part.len()).any(|w| w == part)
}

/// Every form of what the words `long` (folded) stand for: the words themselves, each
/// abbreviation that stands for them or for more around them ("MTTQ", "UBMTTQ" for "mặt
/// trận tổ quốc"), and the words with a part abbreviated ("ủy ban MTTQ" for "ủy ban mặt
/// trận tổ quốc"). `typed` is left out: the query holds it already.
fn forms_of(long: &[String], typed: &[String]) -> Vec<Vec<String>> {
    let mut forms: Vec<Vec<String>> = vec![long.to_vec()];
    for Folded {
        short,
        long: stands_for,
    } in SEARCHED.iter()
    {
        if holds(stands_for, long) {
            forms.push(short.clone());
        } else if stands_for.len() < long.len()
            && let Some(at) = long
                .windows(stands_for.len())
                .position(|w| w == stands_for.as_slice())
        {
            let mut mixed = long[..at].to_vec();
            mixed.extend_from_slice(short);
            mixed.extend_from_slice(&long[at + stands_for.len()..]);
            forms.push(mixed);
        }
    }
    let mut unique: Vec<Vec<String>> = Vec::new();
    for form in forms {
        if form != typed && !unique.contains(&form) {
            unique.push(form);
        }
    }
    unique
}

/// The alternatives of a query's words: `typed` as typed (case kept), `folds` folded, and
/// the phrases it quoted (an alternative covers a phrase whole or stays outside it).
/// Written-out forms are matched first, the longest at each place; then abbreviations.
pub(crate) fn alternatives(
    typed_words: &[String],
    folds: &[String],
    phrases: &[Range<usize>],
) -> Vec<Alternative> {
    let crosses = |range: &Range<usize>| {
        phrases.iter().any(|p| {
            p.start < range.end
                && range.start < p.end
                && !(p.start >= range.start && p.end <= range.end)
        })
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < folds.len() {
        let long = SEARCHED
            .iter()
            .map(|a| &a.long)
            .filter(|long| folds[i..].starts_with(long))
            .max_by_key(|long| long.len());
        if let Some(long) = long {
            let range = i..i + long.len();
            if !crosses(&range) {
                let forms = forms_of(long, long);
                if !forms.is_empty() {
                    found.push(Alternative {
                        range: range.clone(),
                        forms,
                    });
                }
                i = range.end;
                continue;
            }
        }
        if let Some(a) = typed_words.get(i).and_then(|w| typed(w)) {
            let forms = forms_of(&folded_words(a.long), &folds[i..=i]);
            if !forms.is_empty() && !crosses(&(i..i + 1)) {
                found.push(Alternative {
                    range: i..i + 1,
                    forms,
                });
            }
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    fn of(query: &str) -> Vec<(Range<usize>, Vec<String>)> {
        let typed = words(query);
        let folds: Vec<String> = typed.iter().map(|w| danvan_text::fold(w)).collect();
        alternatives(&typed, &folds, &[])
            .into_iter()
            .map(|a| (a.range, a.forms.iter().map(|f| f.join(" ")).collect()))
            .collect()
    }

    #[test]
    fn an_abbreviation_stands_for_its_words_and_the_longer_ones_that_hold_them() {
        let found = of("MTTQ xã");
        assert_eq!(found.len(), 1);
        let (range, forms) = &found[0];
        assert_eq!(range, &(0..1));
        for form in ["mat tran to quoc", "mttqvn", "ubmttq", "ubmttqvn"] {
            assert!(forms.iter().any(|f| f == form), "{form}: {forms:?}");
        }
        assert!(!forms.iter().any(|f| f == "mttq"));
    }

    #[test]
    fn words_written_out_stand_for_their_abbreviations_and_mixed_forms() {
        let found = of("Ủy ban Mặt trận Tổ quốc huyện");
        let (range, forms) = &found[0];
        assert_eq!(range, &(0..6));
        for form in ["ubmttq", "ubmttqvn", "uy ban mttq"] {
            assert!(forms.iter().any(|f| f == form), "{form}: {forms:?}");
        }
        let found = of("hoi dong nhan dan");
        assert_eq!(found[0].1, ["hdnd"]);
    }

    #[test]
    fn an_ordinary_word_is_not_an_abbreviation() {
        assert!(of("tu hành").is_empty());
        assert_eq!(of("TU")[0].1[0], "tinh uy");
        assert!(of("ban dan van").is_empty());
    }
}
