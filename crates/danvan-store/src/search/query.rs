//! Finding documents: retrieval in the backend's full-text index, order and snippets here.

use super::document::SearchKind;
use super::place::{Place, places};
use super::score::{Field, Terms, parse, score};
use super::snippet::{Snippet, snippet};
use crate::StoreError;
use crate::connect::Backend;
use crate::entities::search_doc;
use crate::organisation::OrganisationScope;
use crate::page::{Cursor, Page, PageRequest, Total};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::SiteId;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, FromQueryResult, Iterable};

/// How many of the newest matches the full-text index hands over for ordering. Results
/// past them and [`IN_TITLES`] follow newest first.
pub const RECENT: u64 = 150;
/// How many of the newest title matches are ordered besides.
pub const IN_TITLES: u64 = 50;

/// What to search in.
#[derive(Debug, Clone)]
pub struct SearchFilter {
    /// Only these kinds; every kind when empty.
    pub kinds: Vec<SearchKind>,
    /// Only this site's articles (other kinds have no site and are left out).
    pub site_id: Option<SiteId>,
    /// Only records of these organisations: articles concerning them, meetings they held,
    /// models they own, people holding a position in them, the organisations themselves.
    pub organisations: Option<OrganisationScope>,
    /// Only records of this day or later.
    pub from: Option<NaiveDate>,
    /// Only records of this day or earlier.
    pub to: Option<NaiveDate>,
    /// What the public may see at this time: published articles whose time has come.
    pub public_at: DateTime<Utc>,
    /// Only the articles this list filter selects (by tag, category, meeting, meeting
    /// kind, administrative unit, person, campaign), and no other kind: checked in the
    /// same statement as the words.
    pub articles: Option<crate::article::ArticleFilter>,
}

impl SearchFilter {
    /// Everything the public may see now.
    pub fn public() -> Self {
        Self {
            kinds: Vec::new(),
            site_id: None,
            organisations: None,
            from: None,
            to: None,
            public_at: Utc::now(),
            articles: None,
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The kind of record.
    pub kind: SearchKind,
    /// The record's id.
    pub ref_id: i64,
    /// Its title or name, as written.
    pub title: String,
    /// How well it matches; higher is better.
    pub score: u32,
    /// Where its text matches, with the matching words marked.
    pub snippet: Snippet,
}

/// A title that completes what a reader is typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The kind of record.
    pub kind: SearchKind,
    /// The record's id.
    pub ref_id: i64,
    /// Its title or name, as written.
    pub title: String,
}

/// Where the full-text condition looks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Titles and text.
    Everywhere,
    /// Titles only.
    Titles,
    /// Titles only, the last word as a prefix (for suggestions).
    TitlePrefix,
}

/// The full-text condition for the folded words of a query; `None` without a word. Words
/// with another form ("MTTQ" and "Mặt trận Tổ quốc") match either, except in suggestions,
/// which complete the title typed.
pub(super) fn full_text(backend: Backend, terms: &Terms, scope: Scope) -> Option<String> {
    if terms.words.is_empty() {
        return None;
    }
    let syntax = Syntax {
        backend,
        titles: scope != Scope::Everywhere,
    };
    let last = terms.words.len() - 1;
    let mut parts = Vec::new();
    let mut i = 0;
    while i < terms.words.len() {
        let other = (scope != Scope::TitlePrefix)
            .then(|| terms.alternatives.iter().find(|a| a.range.start == i))
            .flatten();
        let (typed, end) = if let Some(phrase) = terms.phrases.iter().find(|p| p.start == i) {
            let words: Vec<&str> = terms.words[phrase.clone()]
                .iter()
                .map(|t| t.fold.as_str())
                .collect();
            (syntax.phrase(&words), phrase.end)
        } else if let Some(other) = other {
            let words: Vec<String> = terms.words[other.range.clone()]
                .iter()
                .map(|t| syntax.word(&t.fold, false))
                .collect();
            (syntax.all(&words), other.range.end)
        } else if terms.optional.contains(&i) {
            i += 1;
            continue;
        } else {
            let prefix = scope == Scope::TitlePrefix && i == last;
            (syntax.word(&terms.words[i].fold, prefix), i + 1)
        };
        match other.filter(|o| o.range.end == end) {
            Some(other) => {
                let mut either = vec![typed];
                for form in &other.forms {
                    let words: Vec<&str> = form.iter().map(String::as_str).collect();
                    either.push(syntax.phrase(&words));
                }
                parts.push(syntax.any(&either));
            }
            None => parts.push(typed),
        }
        i = end;
    }
    if parts.is_empty() {
        return None;
    }
    Some(syntax.all(&parts))
}

/// How a backend's full-text query language writes words, phrases, "and" and "or".
#[derive(Clone, Copy)]
struct Syntax {
    backend: Backend,
    /// In titles only.
    titles: bool,
}

impl Syntax {
    fn word(self, word: &str, prefix: bool) -> String {
        match (self.backend, self.titles, prefix) {
            (Backend::Sqlite, _, true) => format!("title_fold : \"{word}\" *"),
            (Backend::Sqlite, true, false) => format!("title_fold : \"{word}\""),
            (Backend::Sqlite, false, false) => format!("\"{word}\""),
            (Backend::Postgres, _, true) => format!("{word}:*A"),
            (Backend::Postgres, true, false) => format!("{word}:A"),
            (Backend::Postgres, false, false) => word.to_owned(),
        }
    }

    /// Words side by side (one word is a word).
    fn phrase(self, words: &[&str]) -> String {
        if let [word] = words {
            return self.word(word, false);
        }
        match (self.backend, self.titles) {
            (Backend::Sqlite, false) => format!("\"{}\"", words.join(" ")),
            (Backend::Sqlite, true) => format!("title_fold : \"{}\"", words.join(" ")),
            (Backend::Postgres, false) => format!("({})", words.join(" <-> ")),
            (Backend::Postgres, true) => format!(
                "({})",
                words
                    .iter()
                    .map(|w| format!("{w}:A"))
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            ),
        }
    }

    fn all(self, parts: &[String]) -> String {
        self.joined(parts, " AND ", " & ")
    }

    fn any(self, parts: &[String]) -> String {
        self.joined(parts, " OR ", " | ")
    }

    fn joined(self, parts: &[String], sqlite: &str, postgres: &str) -> String {
        let joined = parts.join(match self.backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        });
        if parts.len() > 1 {
            format!("({joined})")
        } else {
            joined
        }
    }
}

/// SQLite's full-text table for searches, and the one of titles for suggestions.
const SEARCH_FTS: &str = "search_fts";
const SUGGEST_FTS: &str = "suggest_fts";

/// A query over `search_doc` restricted by the full-text condition and the filter; on
/// SQLite `fts` names the full-text table the condition is matched in.
fn base(backend: Backend, matching: &str, filter: &SearchFilter, fts: &str) -> SelectStatement {
    base_of(backend, Some(matching), filter, fts)
}

/// [`base`], or without a full-text condition when `matching` is `None`.
fn base_of(
    backend: Backend,
    matching: Option<&str>,
    filter: &SearchFilter,
    fts: &str,
) -> SelectStatement {
    let doc = || search_doc::Entity;
    let mut select = Query::select();
    select.from(doc());
    match (backend, matching) {
        (_, None) => {}
        (Backend::Sqlite, Some(matching)) => {
            select
                .inner_join(
                    Alias::new(fts),
                    Expr::col((Alias::new(fts), "rowid")).equals((doc(), search_doc::Column::Id)),
                )
                .and_where(Expr::cust_with_values(format!("{fts} MATCH ?"), [matching]));
        }
        // The query is written into the statement, not bound: PostgreSQL then plans each
        // search for its own words (a rare word through the index, a common one newest
        // first), where a prepared statement's generic plan, made once for any words,
        // walked every document for a rare one or read every match of a common one. It is
        // built here from folded words (letters and digits) and the full-text operators;
        // anything else is bound as before.
        (Backend::Postgres, Some(matching)) if is_plain(matching) => {
            select.and_where(Expr::cust(format!(
                "search_doc.tsv @@ to_tsquery('simple', '{matching}')"
            )));
        }
        // sea-query's placeholder is `?` on SQLite and `$1` on PostgreSQL.
        (Backend::Postgres, Some(matching)) => {
            select.and_where(Expr::cust_with_values(
                "search_doc.tsv @@ to_tsquery('simple', $1)",
                [matching],
            ));
        }
    }
    select
        .and_where(Expr::col((doc(), search_doc::Column::Public)).eq(true))
        .cond_where(
            Condition::any()
                .add(Expr::col((doc(), search_doc::Column::PublishedAt)).is_null())
                .add(Expr::col((doc(), search_doc::Column::PublishedAt)).lte(filter.public_at)),
        );
    if !filter.kinds.is_empty() {
        select.and_where(
            Expr::col((doc(), search_doc::Column::Kind))
                .is_in(filter.kinds.iter().map(|k| k.code())),
        );
    }
    if let Some(site) = filter.site_id {
        select.and_where(Expr::col((doc(), search_doc::Column::SiteId)).eq(site.0));
    }
    if let Some(from) = filter.from {
        select.and_where(Expr::col((doc(), search_doc::Column::Day)).gte(from));
    }
    if let Some(to) = filter.to {
        select.and_where(Expr::col((doc(), search_doc::Column::Day)).lte(to));
    }
    if let Some(scope) = &filter.organisations {
        select.cond_where(of_organisations(&scope.raw()));
    }
    if let Some(articles) = &filter.articles {
        select
            .and_where(Expr::col((doc(), search_doc::Column::Kind)).eq(SearchKind::Article.code()))
            .and_where(
                Expr::col((doc(), search_doc::Column::RefId))
                    .in_subquery(crate::article::ids_selected(articles)),
            );
    }
    select
}

/// Whether a full-text query holds only letters, digits and the operators of
/// PostgreSQL's query syntax: nothing that could end the literal it is written in.
fn is_plain(matching: &str) -> bool {
    matching
        .chars()
        .all(|c| c.is_alphanumeric() || " :*&|!<->()".contains(c))
}

/// Records of some organisations, kind by kind.
fn of_organisations(ids: &[i64]) -> Condition {
    let ref_id = || Expr::col((search_doc::Entity, search_doc::Column::RefId));
    let kind =
        |k: SearchKind| Expr::col((search_doc::Entity, search_doc::Column::Kind)).eq(k.code());
    let ids_of = |table: &'static str, column: &'static str, by: &'static str| {
        Query::select()
            .column(column)
            .from(table)
            .and_where(Expr::col(by).is_in(ids.iter().copied()))
            .to_owned()
    };
    Condition::any()
        .add(kind(SearchKind::Article).and(ref_id().in_subquery(ids_of(
            "article_organisation",
            "article_id",
            "organisation_id",
        ))))
        .add(kind(SearchKind::Meeting).and(ref_id().in_subquery(ids_of(
            "meeting",
            "id",
            "organiser_id",
        ))))
        .add(kind(SearchKind::DvkModel).and(ref_id().in_subquery(ids_of(
            "dvk_model",
            "id",
            "organisation_id",
        ))))
        .add(kind(SearchKind::Person).and(ref_id().in_subquery(ids_of(
            "position",
            "person_id",
            "organisation_id",
        ))))
        .add(kind(SearchKind::Organisation).and(ref_id().is_in(ids.iter().copied())))
}

/// A page of results, and how many results its search can show in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The page asked for.
    pub page: Page<Hit>,
    /// How many results the pages of this search hold together: every match when they
    /// all fit among the ordered candidates, else at least the [`COUNT_BOUND`] a count
    /// reaches (every page a count promises has its results).
    pub reachable: u64,
}

/// The best matches for `query`, in order; pages go forward or by number.
///
/// The order: the newest [`RECENT`] matches and the newest [`IN_TITLES`] title matches,
/// best first (ordered here, the same on both backends); then, past those, every other
/// match newest first, which the full-text index hands over in its own order however
/// common the words, so that a deep page costs what the first does.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    filter: &SearchFilter,
    page: &PageRequest,
) -> Result<Results, StoreError> {
    let backend = Backend::of(db);
    let mut terms = parse(query);
    let places = places(db, &mut terms).await?;
    let Some(matching) = full_text(backend, &terms, Scope::Everywhere) else {
        return Ok(Results {
            page: Page::default(),
            reachable: 0,
        });
    };
    let (offset, size) = match page {
        PageRequest::Forward { first, after } => {
            let offset = match after {
                Some(cursor) => cursor
                    .key("search", 1)?
                    .first()
                    .and_then(serde_json::Value::as_u64)
                    .ok_or(StoreError::BadCursor)?,
                None => 0,
            };
            (offset, *first)
        }
        PageRequest::Numbered { number, size } => ((number - 1).saturating_mul(*size), *size),
        PageRequest::Backward { .. } => {
            return Err(danvan_domain::DomainError::invalid(
                "last",
                "search results page forward only; use first/after or page numbers",
            )
            .into());
        }
    };
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    // Candidates: the newest matches anywhere (one more, to know whether older ones
    // follow), and the newest matches in titles.
    let all = Window::default();
    let mut rows = candidates(db, backend, &matching, filter, RECENT + 1, &all).await?;
    let older = rows.len() > RECENT as usize;
    rows.truncate(RECENT as usize);
    let mut past = Window {
        below: rows.last().map(|r| r.id).filter(|_| older),
        ..Window::default()
    };
    if let Some(in_titles) = full_text(backend, &terms, Scope::Titles) {
        for row in candidates(db, backend, &in_titles, filter, IN_TITLES, &all).await? {
            if !rows.iter().any(|r| r.id == row.id) {
                if past.below.is_some_and(|below| row.id < below) {
                    past.shown.push(row.id);
                }
                rows.push(row);
            }
        }
    }
    // Articles filed under a place the query names, or under the units before and after
    // it: found although their text does not name it, and ranked below those that do.
    let mut linked_ids = std::collections::HashSet::new();
    for row in linked(db, backend, &terms, &places, filter).await? {
        linked_ids.insert(row.id);
        if !rows.iter().any(|r| r.id == row.id) {
            if past.below.is_some_and(|below| row.id < below) {
                past.shown.push(row.id);
            }
            rows.push(row);
        }
    }
    let ranges: Vec<_> = places.iter().map(|p| p.range.clone()).collect();
    let points = |doc: &search_doc::Model| {
        let places = if linked_ids.contains(&doc.id) {
            ranges.as_slice()
        } else {
            &[]
        };
        points(&terms, doc, places)
    };
    let mut scored: Vec<(u32, search_doc::Model)> =
        rows.into_iter().map(|doc| (points(&doc), doc)).collect();
    // Best first; among equals the newer, then the later stored: the same on both backends.
    scored.sort_by(|(a, x), (b, y)| {
        b.cmp(a)
            .then_with(|| y.published_at.cmp(&x.published_at))
            .then_with(|| y.day.cmp(&x.day))
            .then_with(|| y.id.cmp(&x.id))
    });
    let ordered = scored.len();
    let mut shown: Vec<(u32, search_doc::Model)> =
        scored.into_iter().skip(offset).take(size).collect();
    let mut has_next_page = offset.saturating_add(size) < ordered;
    // Past the ordered candidates: the other matches, newest first.
    if older && shown.len() < size {
        let wanted = size - shown.len();
        past.skip = offset.saturating_sub(ordered);
        let mut deeper = candidates(
            db,
            backend,
            &matching,
            filter,
            u64::try_from(wanted + 1).unwrap_or(u64::MAX),
            &past,
        )
        .await?;
        has_next_page = deeper.len() > wanted;
        deeper.truncate(wanted);
        shown.extend(deeper.into_iter().map(|doc| (points(&doc), doc)));
    } else if older {
        has_next_page = true;
    }
    let mut hits = Vec::with_capacity(shown.len());
    let mut cursors = Vec::with_capacity(shown.len());
    for (position, (score, doc)) in (offset..).zip(shown) {
        let Some(kind) = SearchKind::from_code(&doc.kind) else {
            continue;
        };
        cursors.push(Cursor::new(
            "search",
            &[serde_json::Value::from(position + 1)],
        ));
        hits.push(Hit {
            kind,
            ref_id: doc.ref_id,
            title: doc.title,
            score,
            snippet: snippet(&doc.body, &doc.body_fold, &terms),
        });
    }
    let ordered = u64::try_from(ordered).unwrap_or(u64::MAX);
    Ok(Results {
        page: Page {
            items: hits,
            cursors,
            has_next_page,
            has_previous_page: offset > 0,
        },
        reachable: if older {
            Ord::max(ordered, COUNT_BOUND)
        } else {
            ordered
        },
    })
}

/// How well a document matches; `places` are the query's words naming a place it is
/// filed under.
fn points(terms: &Terms, doc: &search_doc::Model, places: &[std::ops::Range<usize>]) -> u32 {
    score(
        terms,
        &Field::new(&doc.title_key, &doc.title_fold),
        &Field::new(&doc.body_key, &doc.body_fold),
        places,
    )
}

/// The newest [`IN_TITLES`] articles filed under `places` (their units with their
/// history) whose text holds the query's other words.
async fn linked(
    db: &impl ConnectionTrait,
    backend: Backend,
    terms: &Terms,
    places: &[Place],
    filter: &SearchFilter,
) -> Result<Vec<search_doc::Model>, StoreError> {
    if places.is_empty()
        || !(filter.kinds.is_empty() || filter.kinds.contains(&SearchKind::Article))
    {
        return Ok(Vec::new());
    }
    let words: Vec<_> = terms
        .words
        .iter()
        .enumerate()
        .filter(|(i, _)| !places.iter().any(|p| p.range.contains(i)))
        .map(|(_, t)| t.clone())
        .collect();
    let rest = Terms {
        breaks: vec![words.len()],
        words,
        ..Terms::default()
    };
    let matching = full_text(backend, &rest, Scope::Everywhere);
    let mut select = base_of(backend, matching.as_deref(), filter, SEARCH_FTS);
    for column in search_doc::Column::iter() {
        select.column((search_doc::Entity, column));
    }
    let units: Vec<i64> = places
        .iter()
        .flat_map(|p| p.units.iter().copied())
        .collect();
    let filed = Query::select()
        .column("article_id")
        .from("article_admin_unit")
        .and_where(Expr::col("admin_unit_id").is_in(units))
        .to_owned();
    select
        .and_where(
            Expr::col((search_doc::Entity, search_doc::Column::Kind))
                .eq(SearchKind::Article.code()),
        )
        .and_where(Expr::col((search_doc::Entity, search_doc::Column::RefId)).in_subquery(filed))
        .order_by((search_doc::Entity, search_doc::Column::Id), Order::Desc)
        .limit(IN_TITLES);
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| Ok(search_doc::Model::from_query_result(row, "")?))
        .collect()
}

/// Which matches a candidates query hands over: all, or those past the ordered window.
#[derive(Debug, Default)]
pub(super) struct Window {
    /// Only documents older (stored before) this one.
    below: Option<i64>,
    /// Except these (title matches already ordered in the window).
    shown: Vec<i64>,
    /// Skipping this many.
    skip: usize,
}

/// The newest `limit` documents matching a full-text condition under `filter`, within
/// `window`.
pub(super) async fn candidates(
    db: &impl ConnectionTrait,
    backend: Backend,
    matching: &str,
    filter: &SearchFilter,
    limit: u64,
    window: &Window,
) -> Result<Vec<search_doc::Model>, StoreError> {
    let mut select = base(backend, matching, filter, SEARCH_FTS);
    for column in search_doc::Column::iter() {
        select.column((search_doc::Entity, column));
    }
    // On SQLite, ordering by the FTS5 rowid (the document's id) lets FTS5 walk its index
    // backwards and stop after `limit` rows instead of sorting every match; a bound on
    // the rowid starts the walk there.
    let id = || match backend {
        Backend::Sqlite => Expr::col((Alias::new(SEARCH_FTS), "rowid")),
        Backend::Postgres => Expr::col((search_doc::Entity, search_doc::Column::Id)),
    };
    if let Some(below) = window.below {
        select.and_where(id().lt(below));
    }
    if !window.shown.is_empty() {
        select.and_where(id().is_not_in(window.shown.iter().copied()));
    }
    match backend {
        Backend::Sqlite => select.order_by((Alias::new(SEARCH_FTS), "rowid"), Order::Desc),
        Backend::Postgres => {
            select.order_by((search_doc::Entity, search_doc::Column::Id), Order::Desc)
        }
    };
    select.limit(limit);
    if window.skip > 0 {
        select.offset(u64::try_from(window.skip).unwrap_or(u64::MAX));
    }
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| Ok(search_doc::Model::from_query_result(row, "")?))
        .collect()
}

/// The most matches a search counts. Two common words match most of a province's archive;
/// counting every match cost 100 ms at 100,000 articles and 1.8 s at a million, for a
/// number a reader sees as "hơn 1.000 kết quả".
pub const COUNT_BOUND: u64 = 1_000;

/// How many records match `query` under `filter`, up to [`COUNT_BOUND`].
pub async fn count(
    db: &impl ConnectionTrait,
    query: &str,
    filter: &SearchFilter,
) -> Result<Total, StoreError> {
    let backend = Backend::of(db);
    let mut terms = parse(query);
    let places = places(db, &mut terms).await?;
    let Some(matching) = full_text(backend, &terms, Scope::Everywhere) else {
        return Ok(Total::exact(0));
    };
    let mut n = matches(db, backend, &matching, filter).await?;
    // And the articles a search shows for being filed under a place it names (those its
    // text does not match besides).
    let filed: Vec<i64> = linked(db, backend, &terms, &places, filter)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    if !filed.is_empty() {
        let mut both = base(backend, &matching, filter, SEARCH_FTS);
        both.column((search_doc::Entity, search_doc::Column::Id))
            .and_where(
                Expr::col((search_doc::Entity, search_doc::Column::Id)).is_in(filed.clone()),
            );
        let matched = db.query_all(&both).await?.len();
        n += u64::try_from(filed.len().saturating_sub(matched)).unwrap_or(0);
    }
    Ok(Total::bounded(n, COUNT_BOUND))
}

/// How many records a full-text condition matches under `filter`, up to one past
/// [`COUNT_BOUND`].
pub(super) async fn matches(
    db: &impl ConnectionTrait,
    backend: Backend,
    matching: &str,
    filter: &SearchFilter,
) -> Result<u64, StoreError> {
    let mut matches = base(backend, matching, filter, SEARCH_FTS);
    matches.expr(Expr::val(1)).limit(COUNT_BOUND + 1);
    let mut select = Query::select();
    select
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from_subquery(matches, "matches");
    let row = db.query_one(&select).await?;
    let n: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// What a search box offers for what a reader has typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    /// Titles that complete it, the most recently written first.
    pub titles: Vec<Suggestion>,
    /// Other ways to write it, when no title completes it ("dan vna" -> "dân vận").
    pub corrections: Vec<super::Correction>,
}

/// Titles that complete what a reader is typing ("dan van kh" -> "Dân vận khéo …"),
/// the most recently written first, and, when none does, the corrections of what was
/// typed.
pub async fn suggest(
    db: &impl ConnectionTrait,
    prefix: &str,
    filter: &SearchFilter,
    limit: u64,
) -> Result<Suggestions, StoreError> {
    let limit = limit.clamp(1, 50);
    let titles = completions(db, prefix, filter, limit).await?;
    // Only when nothing completes it: while titles do, the last word is being typed, not
    // mistyped.
    let mut corrections = Vec::new();
    if titles.is_empty() {
        corrections = super::corrections(db, prefix, filter).await?;
        corrections.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    Ok(Suggestions {
        titles,
        corrections,
    })
}

/// Titles that complete `prefix`, the most recently written first.
async fn completions(
    db: &impl ConnectionTrait,
    prefix: &str,
    filter: &SearchFilter,
    limit: u64,
) -> Result<Vec<Suggestion>, StoreError> {
    let backend = Backend::of(db);
    let Some(matching) = full_text(backend, &parse(prefix), Scope::TitlePrefix) else {
        return Ok(Vec::new());
    };
    // On SQLite the titles' own index, whose prefix indexes answer the last word.
    let mut select = base(backend, &matching, filter, SUGGEST_FTS);
    select
        .column((search_doc::Entity, search_doc::Column::Kind))
        .column((search_doc::Entity, search_doc::Column::RefId))
        .column((search_doc::Entity, search_doc::Column::Title));
    // Newest written first, in the index's own order, so that it stops early.
    match backend {
        Backend::Sqlite => select.order_by((Alias::new(SUGGEST_FTS), "rowid"), Order::Desc),
        Backend::Postgres => {
            select.order_by((search_doc::Entity, search_doc::Column::Id), Order::Desc)
        }
    };
    select.limit(limit);
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for row in db.query_all(&select).await? {
        let kind: String = row.try_get("", "kind")?;
        let title: String = row.try_get("", "title")?;
        let Some(kind) = SearchKind::from_code(&kind) else {
            continue;
        };
        if suggestions.iter().any(|s| s.title == title) {
            continue;
        }
        suggestions.push(Suggestion {
            kind,
            ref_id: row.try_get("", "ref_id")?,
            title,
        });
    }
    Ok(suggestions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_words_and_operators_are_written_into_a_statement() {
        assert!(is_plain(
            "((mat:A & tran:A) | mttq:A | (dan <-> van) | kh:*A)"
        ));
        assert!(!is_plain("dan' OR 1=1 --"));
        assert!(!is_plain("dan\\van"));
    }
}
