//! Places a query names, through their history: "Hà Giang" also finds the articles filed
//! under today's Tuyên Quang, which took it over, and the other way round, through the
//! succession records. Looked up at query time on the units' folded names.

use super::score::Terms;
use crate::StoreError;
use crate::admin_unit::{named_folded, with_history};
use sea_orm::ConnectionTrait;
use std::ops::Range;

/// Words that say a unit's level before its name ("tỉnh Hà Giang"), folded.
const LEVEL_WORDS: [&[&str]; 9] = [
    &["tinh"],
    &["huyen"],
    &["xa"],
    &["phuong"],
    &["quan"],
    &["thanh", "pho"],
    &["thi", "xa"],
    &["thi", "tran"],
    &["dac", "khu"],
];

/// The most words a unit's name has that a query is read for.
const LONGEST: usize = 4;

/// A place a query names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The query's words that name it, with a level word before them.
    pub range: Range<usize>,
    /// The units of that name with their history (ids).
    pub units: Vec<i64>,
}

/// The places `terms` name: runs of two or more words that are a unit's name, the
/// longest first, in one look-up. The level word before a name becomes optional in
/// `terms`: "tỉnh Hà Giang" finds a text that writes "Hà Giang".
pub(crate) async fn places(
    db: &impl ConnectionTrait,
    terms: &mut Terms,
) -> Result<Vec<Place>, StoreError> {
    let folds: Vec<&str> = terms.words.iter().map(|t| t.fold.as_str()).collect();
    let mut keys = Vec::new();
    for start in 0..folds.len() {
        for len in 2..=LONGEST.min(folds.len() - start) {
            keys.push(folds[start..start + len].join(" "));
        }
    }
    let named = named_folded(db, &keys).await?;
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut start = 0;
    while start < folds.len() {
        let longest = (2..=LONGEST.min(folds.len() - start))
            .rev()
            .find_map(|len| {
                let key = folds[start..start + len].join(" ");
                let units: Vec<_> = named
                    .iter()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, id)| *id)
                    .collect();
                (!units.is_empty()).then_some((len, units))
            });
        let Some((len, units)) = longest else {
            start += 1;
            continue;
        };
        let level = LEVEL_WORDS
            .iter()
            .find(|w| start >= w.len() && folds[start - w.len()..start] == ***w)
            .map_or(0, |w| w.len());
        terms.optional.extend(start - level..start);
        let units = with_history(db, &units).await?;
        found.push(Place {
            range: start - level..start + len,
            units: units.into_iter().map(|u| u.0).collect(),
        });
        start += len;
    }
    Ok(found)
}
