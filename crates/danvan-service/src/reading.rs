//! What the public reads: which articles a reader's filter selects, which of its parts
//! combine, and what a search text may be. A door turns its parameters into an
//! [`ArticleQuery`] (ids decoded, nothing looked up) and reads what [`public_articles`]
//! says to read.

use crate::ServiceError;
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::meeting::MeetingKind;
use danvan_domain::{AdminUnitId, CategoryId, MeetingId, OrganisationId, PersonId, SiteId, Slug};
use danvan_store::DatabaseConnection;
use danvan_store::article::ArticleFilter;
use danvan_store::organisation::OrganisationScope;
use danvan_store::search::{SearchFilter, SearchKind};

/// The most characters a search text may have.
pub const SEARCH_TEXT_MAX: usize = 200;

/// Which articles a reader asks for, as every door takes it.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Words to search for: the list is then in order of relevance, and only `site`,
    /// `organisation`, `include_subtree`, `published_from` and `published_to` combine.
    pub text: Option<String>,
    /// The slug of a site.
    pub site: Option<String>,
    /// An organisation the articles concern.
    pub organisation: Option<OrganisationId>,
    /// With `organisation`: its whole subtree.
    pub include_subtree: bool,
    /// A tag's slug.
    pub tag: Option<String>,
    /// The meeting the articles report.
    pub meeting: Option<MeetingId>,
    /// Published on or after this day (Vietnam time).
    pub published_from: Option<NaiveDate>,
    /// Published on or before this day (Vietnam time).
    pub published_to: Option<NaiveDate>,
    /// In this category.
    pub category: Option<CategoryId>,
    /// Concerning this administrative unit or anything in its area through time.
    pub admin_unit: Option<AdminUnitId>,
    /// Reporting a meeting of this kind.
    pub meeting_kind: Option<MeetingKind>,
    /// Mentioning this person.
    pub person: Option<PersonId>,
}

/// How to read what a query selects.
#[derive(Debug, Clone)]
pub enum ArticleReading {
    /// A list in the order the reader chose.
    List(ArticleFilter),
    /// A search: best match first.
    Search {
        /// The text, normalised.
        text: String,
        /// What it is limited to.
        filter: SearchFilter,
    },
}

/// What the public may read of `query` at `now`: published articles whose time has come,
/// and nothing else. Names (a site's slug, a tag's) are looked up here; one that names
/// nothing is `NOT_FOUND`.
pub async fn public_articles(
    db: &DatabaseConnection,
    query: ArticleQuery,
    now: DateTime<Utc>,
) -> Result<ArticleReading, ServiceError> {
    if let Some(text) = &query.text {
        let combinable = query.tag.is_none()
            && query.meeting.is_none()
            && query.category.is_none()
            && query.admin_unit.is_none()
            && query.meeting_kind.is_none()
            && query.person.is_none();
        if !combinable {
            let message = "with `query`, only `site`, `organisation`, `includeSubtree`, `publishedFrom` and `publishedTo` apply";
            return Err(ServiceError::BadUserInput(message.into()));
        }
        let text = search_text(text)?;
        let within = SearchScope {
            kinds: vec![SearchKind::Article],
            site: query.site,
            organisation: query.organisation,
            include_subtree: query.include_subtree,
            from: query.published_from,
            to: query.published_to,
        };
        let filter = public_search(db, within, now).await?;
        return Ok(ArticleReading::Search { text, filter });
    }
    let tag_id = match &query.tag {
        Some(tag) => {
            let slug = slug("tag", tag)?;
            let found = danvan_store::tag::by_slug(db, &slug).await?;
            Some(
                found
                    .ok_or_else(|| ServiceError::NotFound(format!("no tag {tag:?}")))?
                    .id,
            )
        }
        None => None,
    };
    let admin_units = match query.admin_unit {
        Some(unit) => Some(danvan_store::admin_unit::area(db, unit).await?),
        None => None,
    };
    Ok(ArticleReading::List(ArticleFilter {
        site_id: site_of(db, query.site.as_deref()).await?,
        tag_id,
        organisations: scope(db, query.organisation, query.include_subtree).await?,
        meeting_id: query.meeting,
        published_from: query.published_from.map(day_start),
        published_before: query.published_to.and_then(|d| d.succ_opt()).map(day_start),
        category_id: query.category,
        admin_units,
        meeting_kind: query.meeting_kind,
        person_id: query.person,
        public_at: Some(now),
        ..Default::default()
    }))
}

/// What a search is limited to, as every door takes it.
#[derive(Debug, Clone, Default)]
pub struct SearchScope {
    /// Only these kinds of record; every kind when empty.
    pub kinds: Vec<SearchKind>,
    /// The slug of a site.
    pub site: Option<String>,
    /// An organisation the records concern.
    pub organisation: Option<OrganisationId>,
    /// With `organisation`: its whole subtree.
    pub include_subtree: bool,
    /// On or after this day (Vietnam time).
    pub from: Option<NaiveDate>,
    /// On or before this day (Vietnam time).
    pub to: Option<NaiveDate>,
}

/// What the public may find within `scope` at `now`.
pub async fn public_search(
    db: &DatabaseConnection,
    scope_of: SearchScope,
    now: DateTime<Utc>,
) -> Result<SearchFilter, ServiceError> {
    Ok(SearchFilter {
        kinds: scope_of.kinds,
        site_id: site_of(db, scope_of.site.as_deref()).await?,
        organisations: scope(db, scope_of.organisation, scope_of.include_subtree).await?,
        from: scope_of.from,
        to: scope_of.to,
        public_at: now,
    })
}

/// A search text: normalised, present, at most [`SEARCH_TEXT_MAX`] characters.
pub fn search_text(raw: &str) -> Result<String, ServiceError> {
    let text = danvan_text::normalize_line(raw);
    if text.is_empty() {
        return Err(ServiceError::BadUserInput("the query is empty".into()));
    }
    if text.chars().count() > SEARCH_TEXT_MAX {
        return Err(ServiceError::LimitExceeded(format!(
            "a query may be at most {SEARCH_TEXT_MAX} characters"
        )));
    }
    Ok(text)
}

/// A slug a reader gave for `field`.
pub fn slug(field: &str, raw: &str) -> Result<Slug, ServiceError> {
    Slug::parse(raw).map_err(|e| ServiceError::BadUserInput(format!("{field}: {e}")))
}

/// The site with this slug; `NOT_FOUND` when there is none.
pub async fn site_id(db: &DatabaseConnection, raw: &str) -> Result<SiteId, ServiceError> {
    let slug = slug("site", raw)?;
    danvan_store::site::by_slug(db, &slug)
        .await?
        .map(|s| s.id)
        .ok_or_else(|| ServiceError::NotFound(format!("no site {raw:?}")))
}

async fn site_of(
    db: &DatabaseConnection,
    raw: Option<&str>,
) -> Result<Option<SiteId>, ServiceError> {
    match raw {
        Some(raw) => Ok(Some(site_id(db, raw).await?)),
        None => Ok(None),
    }
}

/// The organisations a filter names: one, or one with its subtree.
pub async fn scope(
    db: &DatabaseConnection,
    id: Option<OrganisationId>,
    include_subtree: bool,
) -> Result<Option<OrganisationScope>, ServiceError> {
    match id {
        None => Ok(None),
        Some(id) if include_subtree => Ok(Some(danvan_store::organisation::subtree(db, id).await?)),
        Some(id) => Ok(Some(OrganisationScope::only(id))),
    }
}

/// The instant a Vietnam day begins.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    danvan_text::time::from_vietnam_local(day.and_time(chrono::NaiveTime::MIN))
}
