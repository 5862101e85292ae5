//! The words of the titles in the index, as written and folded (`search_word`): which of a
//! query's words the archive uses, and which of a typing slip's candidates are words.
//! Titles only (see the migration that made the table): a word no title uses may still
//! be in a text, which a correction's count of matches settles.

use crate::StoreError;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use std::collections::{BTreeSet, HashSet};

const TABLE: &str = "search_word";
const WORD: &str = "word";

/// Words a statement looks up or adds at most, well under SQLite's bound parameters.
const CHUNK: usize = 1_000;

/// Adds the words of these titles' stored forms (the search key and the folded words,
/// space-separated) to the vocabulary; words it has are left as they are.
pub(crate) async fn remember<'a>(
    db: &impl ConnectionTrait,
    titles: impl IntoIterator<Item = &'a str>,
) -> Result<(), StoreError> {
    let words: BTreeSet<&str> = titles
        .into_iter()
        .flat_map(|t| t.split(' '))
        .filter(|w| !w.is_empty())
        .collect();
    let words: Vec<&str> = words.into_iter().collect();
    for chunk in words.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert
            .into_table(TABLE)
            .columns([WORD])
            .on_conflict(OnConflict::column(WORD).do_nothing().to_owned());
        for word in chunk {
            insert
                .values([(*word).into()])
                .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Which of `words` the vocabulary holds.
pub(crate) async fn known(
    db: &impl ConnectionTrait,
    words: &[String],
) -> Result<HashSet<String>, StoreError> {
    let mut found = HashSet::new();
    let words: BTreeSet<&str> = words.iter().map(String::as_str).collect();
    let words: Vec<&str> = words.into_iter().collect();
    for chunk in words.chunks(CHUNK) {
        let select = Query::select()
            .column(WORD)
            .from(TABLE)
            .and_where(Expr::col(WORD).is_in(chunk.iter().copied()))
            .to_owned();
        for row in db.query_all(&select).await? {
            found.insert(row.try_get::<String>("", WORD)?);
        }
    }
    Ok(found)
}
