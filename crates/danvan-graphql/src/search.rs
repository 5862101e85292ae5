//! Search in the schema: `search`, `suggest`, and `articles(filter: { query })`.

use crate::ApiError;
use crate::article::Article;
use crate::connection::{List, ListInfo};
use crate::context::load;
use crate::meeting::Meeting;
use crate::model::DvkModel;
use crate::organisation::{Organisation, Person};
use async_graphql::connection::Connection;
use async_graphql::{
    Context, Enum, ID, InputObject, MergedObject, Object, Result, SimpleObject, Union,
};
use chrono::NaiveDate;
use danvan_domain::{ArticleId, DvkModelId, MeetingId, OrganisationId, PersonId};
use danvan_store::search::{
    Correction, Hit, SearchKind, Suggestion as SuggestionRecord, Suggestions,
};

/// The kinds of record a search looks in.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum SearchType {
    /// Articles.
    Article,
    /// Meetings.
    Meeting,
    /// "Dân vận khéo" models.
    DvkModel,
    /// People.
    Person,
    /// Organisations.
    Organisation,
}

impl From<SearchType> for SearchKind {
    fn from(kind: SearchType) -> Self {
        match kind {
            SearchType::Article => Self::Article,
            SearchType::Meeting => Self::Meeting,
            SearchType::DvkModel => Self::DvkModel,
            SearchType::Person => Self::Person,
            SearchType::Organisation => Self::Organisation,
        }
    }
}

/// What a search is limited to, besides the query.
#[derive(InputObject, Default)]
pub struct SearchFilter {
    /// Only this site's articles (the slug of a site).
    pub site: Option<String>,
    /// Only records of this organisation: articles concerning it, meetings it held, models
    /// it owns, people holding a position in it.
    pub organisation: Option<ID>,
    /// With `organisation`: also the organisations below it.
    #[graphql(default)]
    pub include_subtree: bool,
    /// Only records of this day or later (publication, meeting, recognition).
    pub from: Option<NaiveDate>,
    /// Only records of this day or earlier.
    pub to: Option<NaiveDate>,
}

/// Anything a search can find.
#[derive(Union)]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per search result; boxing would only add an allocation"
)]
pub enum SearchNode {
    /// An article.
    Article(Article),
    /// A meeting.
    Meeting(Meeting),
    /// A "Dân vận khéo" model.
    DvkModel(DvkModel),
    /// A person.
    Person(Person),
    /// An organisation.
    Organisation(Organisation),
}

/// A matching word's place in a snippet, in characters.
#[derive(SimpleObject)]
pub struct Highlight {
    /// The first character.
    start: i32,
    /// One past the last character.
    end: i32,
}

/// Where a result's text matches, as written, with the matching words marked.
#[derive(SimpleObject)]
pub struct Snippet {
    /// The text, with "…" where it was cut.
    text: String,
    /// The matching words.
    highlights: Vec<Highlight>,
}

/// One search result.
pub struct SearchResult(pub(crate) Hit);

/// The record a search hit names, if the public may see it.
async fn node(
    ctx: &Context<'_>,
    kind: SearchKind,
    raw: i64,
) -> Result<Option<SearchNode>, ApiError> {
    Ok(match kind {
        SearchKind::Article => load(ctx, ArticleId(raw))
            .await?
            .and_then(Article::public)
            .map(SearchNode::Article),
        SearchKind::Meeting => load(ctx, MeetingId(raw))
            .await?
            .map(|m| SearchNode::Meeting(Meeting(m))),
        SearchKind::DvkModel => load(ctx, DvkModelId(raw))
            .await?
            .map(|m| SearchNode::DvkModel(DvkModel(m))),
        SearchKind::Person => load(ctx, PersonId(raw))
            .await?
            .map(|p| SearchNode::Person(Person(p))),
        SearchKind::Organisation => load(ctx, OrganisationId(raw))
            .await?
            .map(|o| SearchNode::Organisation(Organisation(o))),
    })
}

/// One search result.
#[Object]
impl SearchResult {
    /// What was found.
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<SearchNode>> {
        Ok(node(ctx, self.0.kind, self.0.ref_id).await?)
    }

    /// Its title or name, as written.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// How well it matches the query; higher is better. Only comparable within one search.
    async fn score(&self) -> i32 {
        i32::try_from(self.0.score).unwrap_or(i32::MAX)
    }

    /// Where its text matches.
    async fn snippet(&self) -> Snippet {
        let clamp = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Snippet {
            text: self.0.snippet.text.clone(),
            highlights: self
                .0
                .snippet
                .highlights
                .iter()
                .map(|(start, end)| Highlight {
                    start: clamp(*start),
                    end: clamp(*end),
                })
                .collect(),
        }
    }
}

/// What a search box offers: a title that completes what a reader is typing, or, when
/// none does, another way to write it.
pub enum Suggestion {
    /// A title that completes it.
    Title(SuggestionRecord),
    /// Another way to write it.
    Correction(Correction),
}

/// What a search box offers: a title that completes what a reader is typing, or, when
/// none does, another way to write what was typed ("dan vna" → "dân vận").
#[Object]
impl Suggestion {
    /// The title or name, as written; for a correction, the query as the archive writes it.
    async fn title(&self) -> &str {
        match self {
            Self::Title(s) => &s.title,
            Self::Correction(c) => &c.query,
        }
    }

    /// What it names; none for a correction.
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<SearchNode>> {
        match self {
            Self::Title(s) => Ok(node(ctx, s.kind, s.ref_id).await?),
            Self::Correction(_) => Ok(None),
        }
    }

    /// Whether this is a correction of what was typed rather than a title: offered when
    /// no title completes it.
    async fn correction(&self) -> bool {
        matches!(self, Self::Correction(_))
    }
}

/// The suggestions of the store as the schema lists them: the corrections, then the titles.
pub(crate) fn suggestions(found: Suggestions) -> Vec<Suggestion> {
    found
        .corrections
        .into_iter()
        .map(Suggestion::Correction)
        .chain(found.titles.into_iter().map(Suggestion::Title))
        .collect()
}

/// Another way to write a search's query, which finds more.
#[derive(SimpleObject)]
pub struct SearchCorrection {
    /// The query as the archive writes it: "dân vận".
    query: String,
    /// How many records it finds, up to 1,000 (then `totalCountExact` is false).
    total_count: i64,
    /// Whether `totalCount` is every record it finds.
    total_count_exact: bool,
}

/// A search's corrections, worked out only when a client asks for them.
pub struct Corrections {
    pub(crate) query: String,
    pub(crate) filter: danvan_store::search::SearchFilter,
}

/// A search's corrections.
#[Object]
impl Corrections {
    /// Other ways to write the query that find more, offered when it finds fewer than five
    /// records ("Có phải bạn muốn tìm …"): the keys of Telex or VNI typed without the input
    /// method ("daan vaajn", "da6n va65n"), letters swapped, doubled, missing or struck in
    /// place of another ("dan vna"), syllables run together or split ("danvan"), and a tone
    /// mark no title writes ("dân vẩn"). Each is written as the archive writes it ("dân
    /// vận"), the likeliest first; empty when the query finds enough as typed.
    async fn suggestions(&self, ctx: &Context<'_>) -> Result<Vec<SearchCorrection>> {
        let db = ctx.data::<danvan_store::DatabaseConnection>()?;
        let found = danvan_store::search::corrections(db, &self.query, &self.filter)
            .await
            .map_err(ApiError::from)?;
        Ok(found
            .into_iter()
            .map(|c| SearchCorrection {
                query: c.query,
                total_count: i64::try_from(c.total.count).unwrap_or(i64::MAX),
                total_count_exact: c.total.exact,
            })
            .collect())
    }
}

/// The fields of a search's list: those of every list, and its corrections.
#[derive(MergedObject)]
pub struct SearchInfo(pub(crate) ListInfo, pub(crate) Corrections);

/// A search's results as the schema serves them.
pub type SearchList = Connection<String, SearchResult, SearchInfo>;

/// A list of results with the search's corrections beside.
pub(crate) fn with_corrections(list: List<SearchResult>, corrections: Corrections) -> SearchList {
    let mut out = Connection::with_additional_fields(
        list.has_previous_page,
        list.has_next_page,
        SearchInfo(list.additional_fields, corrections),
    );
    out.edges = list.edges;
    out
}

/// The store's filter for a search.
pub(crate) async fn store_filter(
    db: &danvan_store::DatabaseConnection,
    types: Option<Vec<SearchType>>,
    filter: SearchFilter,
) -> Result<danvan_store::search::SearchFilter, ApiError> {
    let within = danvan_service::reading::SearchScope {
        kinds: types
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        site: filter.site,
        organisation: crate::filter::organisation_id(filter.organisation.as_ref())?,
        include_subtree: filter.include_subtree,
        from: filter.from,
        to: filter.to,
    };
    Ok(danvan_service::reading::public_search(db, within, chrono::Utc::now()).await?)
}
