//! `/search` and `/suggest`: the search of every door, over articles, meetings, models,
//! people and organisations.

use crate::Rest;
use crate::articles::id_param;
use crate::paging::{List, Paging, respond_with};
use crate::params::Params;
use crate::problem::Problem;
use axum::Json;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use danvan_domain::OrganisationId;
use danvan_service::id::{encode, kind};
use danvan_service::reading::{self, SearchScope};
use danvan_store::search::SearchKind;
use serde::Serialize;
use utoipa::ToSchema;

/// The kinds, as the `types` parameter and a result's `type` name them.
const KINDS: [(&str, SearchKind, &str); 5] = [
    ("article", SearchKind::Article, kind::ARTICLE),
    ("meeting", SearchKind::Meeting, kind::MEETING),
    ("dvk_model", SearchKind::DvkModel, kind::DVK_MODEL),
    ("person", SearchKind::Person, kind::PERSON),
    ("organisation", SearchKind::Organisation, kind::ORGANISATION),
];

fn named(kind: SearchKind) -> (&'static str, &'static str) {
    KINDS
        .iter()
        .find(|(_, k, _)| *k == kind)
        .map_or(("article", kind::ARTICLE), |(name, _, id_kind)| {
            (*name, *id_kind)
        })
}

fn kinds(params: &mut Params) -> Result<Vec<SearchKind>, Problem> {
    params
        .list("types")
        .into_iter()
        .map(|name| {
            let wanted = name.to_ascii_lowercase();
            KINDS
                .iter()
                .find(|(n, _, _)| *n == wanted)
                .map(|(_, k, _)| *k)
                .ok_or_else(|| {
                    Problem::parameter(
                        "types",
                        format!("{name:?} is not one of ARTICLE, MEETING, DVK_MODEL, PERSON, ORGANISATION"),
                    )
                })
        })
        .collect()
}

/// A range of characters (not bytes) of a snippet's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct Highlight {
    /// The first character.
    pub start: usize,
    /// The character after the last.
    pub end: usize,
}

/// Where a result's text matches.
#[derive(Debug, Serialize, ToSchema)]
pub struct Snippet {
    /// The text, with "…" where it was cut.
    pub text: String,
    /// The matching words.
    pub highlights: Vec<Highlight>,
}

/// One search result.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"type": "ARTICLE", "id": "QXJ0aWNsZTox", "title": "Lan tỏa phong trào thi đua \"Dân vận khéo\"", "score": 412, "snippet": {"text": "… phong trào thi đua \"Dân vận khéo\" …", "highlights": [{"start": 22, "end": 35}]}}))]
pub struct SearchResult {
    /// What kind of record: ARTICLE, MEETING, DVK_MODEL, PERSON, ORGANISATION.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its global id.
    pub id: String,
    /// Its title or name.
    pub title: String,
    /// How well it matches; only comparable within one search.
    pub score: u32,
    /// Where its text matches.
    pub snippet: Snippet,
}

/// Searches, best match first.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    summary = "Search",
    description = "Articles, meetings, \"Dân vận khéo\" models, people and organisations, best match first. Diacritics are optional (\"dan van kheo\") and either tone placement matches (\"huyện uỷ\" = \"huyện ủy\"); \"quoted words\" match as a phrase; an abbreviation finds what it stands for and the other way round (\"MTTQ\", \"Mặt trận Tổ quốc\"). The newest 150 matches and the newest 50 title matches come best first; past those, every other match newest first.",
    params(
        ("q" = String, Query, description = "What to look for, up to 200 characters.", example = "dân vận khéo"),
        ("types" = Option<String>, Query, description = "Only these kinds, comma-separated: ARTICLE, MEETING, DVK_MODEL, PERSON, ORGANISATION."),
        ("site" = Option<String>, Query, description = "Only in this site (its slug)."),
        ("organisation" = Option<String>, Query, description = "Only about this organisation (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organisation`: also the organisations below it."),
        ("from" = Option<chrono::NaiveDate>, Query, description = "On or after this day."),
        ("to" = Option<chrono::NaiveDate>, Query, description = "On or before this day."),
        crate::paging::PageParams,
    ),
    responses(
        (status = 200, description = "A page of results, with the query's corrections when it finds few.", body = SearchResults),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid (an empty or too long `q` too).", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "A site named is not there.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let text = params
        .text("q")
        .ok_or_else(|| Problem::parameter("q", "is required"))?;
    let scope = SearchScope {
        kinds: kinds(&mut params)?,
        site: params.text("site"),
        organisation: id_param(
            &mut params,
            "organisation",
            kind::ORGANISATION,
            OrganisationId,
        )?,
        include_subtree: params.flag("includeSubtree")?,
        from: params.day("from")?,
        to: params.day("to")?,
    };
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let text = reading::search_text(&text).map_err(|e| Problem::from(e).at("q"))?;
    let db = rest.reader();
    let filter = reading::public_search(db, scope, Utc::now()).await?;
    let found = danvan_store::search::search(db, &text, &filter, &paging.request).await?;
    let count = match paging.count {
        true => Some(danvan_store::search::count(db, &text, &filter).await?),
        false => None,
    };
    let corrections = danvan_store::search::corrections(db, &text, &filter).await?;
    let list = List::of(found.page, count, |hit| {
        let (name, id_kind) = named(hit.kind);
        SearchResult {
            kind: name.to_ascii_uppercase(),
            id: encode(id_kind, hit.ref_id),
            title: hit.title,
            score: hit.score,
            snippet: Snippet {
                text: hit.snippet.text,
                highlights: hit
                    .snippet
                    .highlights
                    .into_iter()
                    .map(|(start, end)| Highlight { start, end })
                    .collect(),
            },
        }
    });
    let next = list.next_cursor.clone();
    let results = SearchResults {
        list,
        suggestions: corrections
            .into_iter()
            .map(|c| SearchCorrection {
                query: c.query,
                total_count: c.total.count,
                total_count_exact: c.total.exact,
            })
            .collect(),
    };
    Ok(respond_with(&uri, next.as_deref(), results))
}

/// Another way to write a search's query, which finds more.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchCorrection {
    /// The query as the archive writes it.
    #[schema(example = "dân vận")]
    pub query: String,
    /// How many records it finds, up to 1,000.
    pub total_count: u64,
    /// Whether `totalCount` is every record it finds.
    pub total_count_exact: bool,
}

/// A page of search results, and the query's corrections.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// The page.
    #[serde(flatten)]
    pub list: List<SearchResult>,
    /// Other ways to write the query that find more, offered when it finds fewer than
    /// five records: Telex or VNI keys typed without the input method, letters swapped,
    /// doubled, missing or struck in place of another, syllables run together or split,
    /// a tone mark no title writes; the likeliest first, written as the archive writes
    /// them ("dan vna" → "dân vận"). Empty when the query finds enough as typed.
    pub suggestions: Vec<SearchCorrection>,
}

/// A title that completes what a reader types, or, when none does, another way to write it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// What kind of record; CORRECTION for another way to write what was typed.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its global id; none for a correction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its title or name; for a correction, the query as the archive writes it.
    pub title: String,
}

/// Titles that complete what a reader is typing, newest first; when none does, the
/// corrections of what was typed.
#[utoipa::path(
    get,
    path = "/api/v1/suggest",
    tag = "search",
    summary = "Suggestions for a search box",
    params(
        ("prefix" = String, Query, description = "What the reader has typed so far.", example = "dan van kh"),
        ("types" = Option<String>, Query, description = "Only these kinds, comma-separated."),
        ("limit" = Option<u32>, Query, description = "How many, 1 to 50 (10 by default).", minimum = 1, maximum = 50),
    ),
    responses(
        (status = 200, description = "The suggestions.", body = Vec<Suggestion>),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A parameter is not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn suggest(
    State(rest): State<Rest>,
    mut params: Params,
) -> Result<Response, Problem> {
    let prefix = params
        .text("prefix")
        .ok_or_else(|| Problem::parameter("prefix", "is required"))?;
    let kinds = kinds(&mut params)?;
    let limit = params
        .parse_as::<u64>("limit", "a whole number")?
        .unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(Problem::parameter("limit", "must be from 1 to 50"));
    }
    params.finish()?;
    let prefix = reading::search_text(&prefix).map_err(|e| Problem::from(e).at("prefix"))?;
    let db = rest.reader();
    let scope = SearchScope {
        kinds,
        ..SearchScope::default()
    };
    let filter = reading::public_search(db, scope, Utc::now()).await?;
    let found = danvan_store::search::suggest(db, &prefix, &filter, limit).await?;
    let corrections = found.corrections.into_iter().map(|c| Suggestion {
        kind: "CORRECTION".to_owned(),
        id: None,
        title: c.query,
    });
    let titles = found.titles.into_iter().map(|s| {
        let (name, id_kind) = named(s.kind);
        Suggestion {
            kind: name.to_ascii_uppercase(),
            id: Some(encode(id_kind, s.ref_id)),
            title: s.title,
        }
    });
    let out: Vec<Suggestion> = corrections.chain(titles).collect();
    Ok(Json(out).into_response())
}
