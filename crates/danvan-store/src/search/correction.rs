//! "Did you mean": other spellings of a query that find more, offered when it finds few
//! or none ("dan vna", "daan vaajn", "da6n va65n", "danvan" → "dân vận"), and the
//! diacritics the archive writes where a word typed with a tone mark no title uses finds
//! its matches only folded ("dân vẩn" → "dân vận").
//!
//! The words come from typing slips ([`danvan_text::typing`]) that the vocabulary of
//! titles holds; each spelling tried is counted in the full-text index under the same
//! filter, so a correction always has matches, and is written as the newest matching
//! text writes those words.

use super::query::{
    COUNT_BOUND, Scope, SearchFilter, Window, candidates, count, full_text, matches,
};
use super::score::{Term, Terms, parse};
use super::vocabulary::known;
use crate::StoreError;
use crate::connect::Backend;
use crate::entities::search_doc;
use crate::page::Total;
use danvan_text::typing::{Slip, meant, splits};
use sea_orm::ConnectionTrait;
use std::ops::Range;

/// A query that finds fewer matches than this is offered corrections.
pub const FEW: u64 = 5;
/// Query words read for slips at most; a longer query is left as typed.
const WORDS: usize = 8;
/// Candidates kept for one word, the likeliest slips first.
const PER_WORD: usize = 4;
/// Spellings counted at most for one query.
const TRIES: usize = 8;
/// Corrections offered at most.
const OFFERED: usize = 3;

/// Another way to write a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The query as the archive writes it: "dân vận".
    pub query: String,
    /// How many records it finds, up to [`COUNT_BOUND`].
    pub total: Total,
}

/// One change to a query's words: the words at `range` written as `words` (folded).
#[derive(Debug, Clone)]
struct Edit {
    range: Range<usize>,
    words: Vec<String>,
    slip: Slip,
}

/// A spelling of the whole query: its folded words, those to write as typed (the others
/// are written as the archive writes them), and how likely it is (the sum of its slips'
/// ranks, smaller likelier).
#[derive(Debug, Clone)]
struct Spelling {
    words: Vec<String>,
    as_typed: Vec<Option<String>>,
    cost: usize,
}

/// Corrections for `query` under `filter`, the likeliest first; none when it finds
/// enough as typed.
pub async fn corrections(
    db: &impl ConnectionTrait,
    query: &str,
    filter: &SearchFilter,
) -> Result<Vec<Correction>, StoreError> {
    let terms = parse(query);
    let n = terms.words.len();
    if n == 0 || n > WORDS {
        return Ok(Vec::new());
    }
    let folds: Vec<&str> = terms.words.iter().map(|t| t.fold.as_str()).collect();
    // First, one look-up: the words as typed and folded, each pair run together, and
    // each word split in two.
    let joined: Vec<String> = folds.windows(2).map(|w| w.concat()).collect();
    let mut asked: Vec<String> = terms
        .words
        .iter()
        .flat_map(|t| [t.key.clone(), t.fold.clone()])
        .chain(joined.iter().cloned())
        .collect();
    for fold in &folds {
        asked.extend(splits(fold).into_iter().flat_map(|(a, b)| [a, b]));
    }
    let words = known(db, &asked).await?;
    let unknown: Vec<bool> = folds.iter().map(|f| !words.contains(*f)).collect();
    // A tone mark no title writes on a word they do write ("vẩn" where "vận" is meant).
    let retone: Vec<bool> = terms
        .words
        .iter()
        .map(|t| t.toned && !words.contains(&t.key) && words.contains(&t.fold))
        .collect();
    let mut edits: Vec<Edit> = joined
        .iter()
        .enumerate()
        .filter(|(_, w)| words.contains(*w))
        .map(|(i, w)| Edit {
            range: i..i + 2,
            words: vec![w.clone()],
            slip: Slip::Swap,
        })
        .collect();
    for (i, fold) in folds.iter().enumerate().filter(|(i, _)| unknown[*i]) {
        edits.extend(
            splits(fold)
                .into_iter()
                .filter(|(a, b)| words.contains(a) && words.contains(b))
                .map(|(a, b)| Edit {
                    range: i..i + 1,
                    words: vec![a, b],
                    slip: Slip::Swap,
                }),
        );
    }
    if !unknown.contains(&true) && edits.is_empty() && !retone.contains(&true) {
        return Ok(Vec::new());
    }
    let found = count(db, query, filter).await?.count;
    if found >= FEW && !retone.contains(&true) {
        return Ok(Vec::new());
    }
    // Then the slips of the words the titles do not use, in a second look-up.
    let slips: Vec<(usize, Vec<(String, Slip)>)> = terms
        .words
        .iter()
        .enumerate()
        .filter(|(i, _)| unknown[*i])
        .map(|(i, t)| (i, meant(&t.key)))
        .collect();
    let asked: Vec<String> = slips
        .iter()
        .flat_map(|(_, s)| s.iter().map(|(w, _)| w.clone()))
        .collect();
    let words = known(db, &asked).await?;
    for (i, mut slips) in slips {
        slips.retain(|(w, _)| words.contains(w));
        slips.sort_by(|(a, x), (b, y)| x.cmp(y).then_with(|| a.cmp(b)));
        edits.extend(slips.into_iter().take(PER_WORD).map(|(w, slip)| Edit {
            range: i..i + 1,
            words: vec![w],
            slip,
        }));
    }
    let mut spellings = spell(&terms, &unknown, &retone, &edits);
    spellings.sort_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.words.cmp(&b.words)));
    spellings.truncate(TRIES);
    let backend = Backend::of(db);
    let mut counted = Vec::new();
    for spelling in spellings {
        let Some(matching) = full_text(backend, &folded(&spelling.words, false), Scope::Everywhere)
        else {
            continue;
        };
        let n = matches(db, backend, &matching, filter).await?;
        let changed = spelling.words.as_slice() != folds.as_slice();
        if n > 0 && (n > found || !changed) {
            counted.push((spelling, n));
        }
    }
    // The likeliest first; among alike, the one finding more. Past the first, only the
    // spellings as likely and finding enough: the others are noise beside it.
    counted.sort_by(|(a, x), (b, y)| {
        a.cost
            .cmp(&b.cost)
            .then_with(|| y.cmp(x))
            .then_with(|| a.words.cmp(&b.words))
    });
    let first_cost = counted.first().map(|(s, _)| s.cost);
    let mut offered: Vec<Correction> = Vec::new();
    for (spelling, n) in counted {
        if offered.len() == OFFERED
            || (!offered.is_empty() && (Some(spelling.cost) != first_cost || n < FEW))
        {
            break;
        }
        let written = write(db, backend, filter, &spelling).await?;
        if written == query.to_lowercase() || offered.iter().any(|c| c.query == written) {
            continue;
        }
        offered.push(Correction {
            query: written,
            total: Total::bounded(n, COUNT_BOUND),
        });
    }
    Ok(offered)
}

/// Every spelling of the query with `edits`: each word the titles do not use changed by
/// one of its edits (or kept, when it has none), others kept or run together; the ones
/// that change nothing left out unless a word's tone mark is to be written anew.
fn spell(terms: &Terms, unknown: &[bool], retone: &[bool], edits: &[Edit]) -> Vec<Spelling> {
    /// Spellings of the words so far kept at most, the likeliest.
    const MOST: usize = 64;
    let n = terms.words.len();
    // Left to right: the spellings of the first `at` words, the likeliest kept.
    let mut reached: Vec<Vec<Spelling>> = vec![Vec::new(); n + 1];
    reached[0].push(Spelling {
        words: Vec::new(),
        as_typed: Vec::new(),
        cost: 0,
    });
    for at in 0..n {
        let mut here = std::mem::take(&mut reached[at]);
        here.sort_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.words.cmp(&b.words)));
        here.truncate(MOST);
        let from: Vec<&Edit> = edits.iter().filter(|e| e.range.start == at).collect();
        let has_own = from.iter().any(|e| e.range.len() == 1);
        for spelling in here {
            if !unknown[at] || !has_own {
                let term = &terms.words[at];
                let mut kept = spelling.clone();
                kept.words.push(term.fold.clone());
                // Written as typed where it was typed with diacritics the titles use.
                kept.as_typed
                    .push((!retone[at] && term.key != term.fold).then(|| term.key.clone()));
                reached[at + 1].push(kept);
            }
            for edit in &from {
                let mut changed = spelling.clone();
                changed.words.extend(edit.words.iter().cloned());
                changed
                    .as_typed
                    .extend(std::iter::repeat_n(None, edit.words.len()));
                // One more for the edit itself, so that an edit always costs something.
                changed.cost += edit.slip as usize + 1;
                reached[edit.range.end].push(changed);
            }
        }
    }
    let mut done = std::mem::take(&mut reached[n]);
    done.retain(|s| s.cost > 0 || retone.contains(&true));
    done
}

/// Folded words as a query's terms, as a phrase when `phrase`.
fn folded(words: &[String], phrase: bool) -> Terms {
    let n = words.len();
    Terms {
        words: words
            .iter()
            .map(|w| Term {
                key: w.clone(),
                fold: w.clone(),
                toned: false,
            })
            .collect(),
        phrases: (phrase && n > 1).then_some(0..n).into_iter().collect(),
        breaks: vec![n],
        ..Terms::default()
    }
}

/// A spelling as the archive writes it: its words taken, where `from_text` says so, from
/// the newest text holding them side by side (else the newest holding them at all),
/// the others as typed.
async fn write(
    db: &impl ConnectionTrait,
    backend: Backend,
    filter: &SearchFilter,
    spelling: &Spelling,
) -> Result<String, StoreError> {
    let mut written: Vec<Option<String>> = vec![None; spelling.words.len()];
    for phrase in [true, false] {
        if written.iter().all(Option::is_some) {
            break;
        }
        let Some(matching) =
            full_text(backend, &folded(&spelling.words, phrase), Scope::Everywhere)
        else {
            break;
        };
        let newest = candidates(db, backend, &matching, filter, 1, &Window::default()).await?;
        if let Some(doc) = newest.first() {
            fill(&mut written, &spelling.words, doc, phrase);
        }
    }
    let out: Vec<&str> = spelling
        .words
        .iter()
        .zip(&spelling.as_typed)
        .zip(&written)
        .map(|((word, typed), found)| typed.as_deref().or(found.as_deref()).unwrap_or(word))
        .collect();
    Ok(out.join(" "))
}

/// The forms a document writes `words` in: as a run side by side when `phrase`, else
/// each at its first place; title before text. Only the places still unknown are filled.
fn fill(written: &mut [Option<String>], words: &[String], doc: &search_doc::Model, phrase: bool) {
    for (keys, folds) in [
        (&doc.title_key, &doc.title_fold),
        (&doc.body_key, &doc.body_fold),
    ] {
        let keys: Vec<&str> = keys.split(' ').collect();
        let folds: Vec<&str> = folds.split(' ').collect();
        if keys.len() != folds.len() {
            continue;
        }
        if phrase {
            let run = folds
                .windows(words.len())
                .position(|w| w.iter().zip(words).all(|(a, b)| a == b));
            if let Some(at) = run {
                for (i, slot) in written.iter_mut().enumerate() {
                    slot.get_or_insert_with(|| keys[at + i].to_owned());
                }
                return;
            }
        } else {
            for (slot, word) in written.iter_mut().zip(words) {
                if slot.is_none() {
                    *slot = folds
                        .iter()
                        .position(|f| f == word)
                        .map(|at| keys[at].to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edits_of(list: &[(Range<usize>, &[&str], Slip)]) -> Vec<Edit> {
        list.iter()
            .map(|(range, words, slip)| Edit {
                range: range.clone(),
                words: words.iter().map(|w| (*w).to_owned()).collect(),
                slip: *slip,
            })
            .collect()
    }

    #[test]
    fn every_unknown_word_is_changed_and_known_ones_may_run_together() {
        let terms = parse("dan vna kh eo");
        let unknown = [false, true, false, false];
        let edits = edits_of(&[
            (1..2, &["van"], Slip::Swap),
            (1..2, &["na"], Slip::Letter),
            (2..4, &["kheo"], Slip::Swap),
        ]);
        let mut all = spell(&terms, &unknown, &[false; 4], &edits);
        all.sort_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.words.cmp(&b.words)));
        let words: Vec<String> = all.iter().map(|s| s.words.join(" ")).collect();
        assert_eq!(
            words,
            [
                "dan van kh eo",
                "dan na kh eo",
                "dan van kheo",
                "dan na kheo"
            ]
        );
        // "vna" never stays: every spelling changes it.
        assert!(all.iter().all(|s| !s.words.contains(&"vna".to_owned())));
    }

    #[test]
    fn nothing_to_change_spells_nothing_unless_a_tone_is_to_be_written_anew() {
        let terms = parse("dân vẩn");
        assert!(spell(&terms, &[false, false], &[false, false], &[]).is_empty());
        let again = spell(&terms, &[false, false], &[false, true], &[]);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].words, ["dan", "van"]);
        assert_eq!(again[0].as_typed, [Some("dân".to_owned()), None]);
    }
}
