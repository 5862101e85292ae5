//! What the public reads: which articles a reader's filter selects, which of its parts
//! combine, and what a search text may be. A door turns its parameters into an
//! [`ArticleQuery`] (ids decoded, nothing looked up) and reads what [`public_articles`]
//! says to read.

use crate::ServiceError;
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::meeting::MeetingKind;
use danvan_domain::model::{DvkField, DvkStatus};
use danvan_domain::{
    AdminUnitId, ArticleId, CampaignId, CategoryId, MeetingId, OrganisationId, Period, PersonId,
    SiteId, Slug,
};
use danvan_store::article::{Article, ArticleFilter, ArticleOrder};
use danvan_store::meeting::MeetingFilter;
use danvan_store::model::DvkModelFilter;
use danvan_store::organisation::OrganisationScope;
use danvan_store::report_figure::ReportFigureFilter;
use danvan_store::search::{SearchFilter, SearchKind};
use danvan_store::{DatabaseConnection, Page, PageRequest, Total};

/// The most characters a search text may have.
pub const SEARCH_TEXT_MAX: usize = 200;

/// Which articles a reader asks for, as every door takes it.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Words to search for: the list is then in order of relevance, and every other
    /// filter combines with it.
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
    /// Reporting on this campaign.
    pub campaign: Option<CampaignId>,
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
    // What the articles are linked to: a list's filters, and a search's too.
    let linked = ArticleFilter {
        tag_id,
        meeting_id: query.meeting,
        category_id: query.category,
        campaign_id: query.campaign,
        admin_units: area(db, query.admin_unit).await?,
        meeting_kind: query.meeting_kind,
        person_id: query.person,
        ..Default::default()
    };
    if let Some(text) = &query.text {
        let text = search_text(text)?;
        let within = SearchScope {
            kinds: vec![SearchKind::Article],
            site: query.site,
            organisation: query.organisation,
            include_subtree: query.include_subtree,
            from: query.published_from,
            to: query.published_to,
        };
        let mut filter = public_search(db, within, now).await?;
        let any_link = linked.tag_id.is_some()
            || linked.meeting_id.is_some()
            || linked.category_id.is_some()
            || linked.campaign_id.is_some()
            || linked.admin_units.is_some()
            || linked.meeting_kind.is_some()
            || linked.person_id.is_some();
        filter.articles = any_link.then_some(linked);
        return Ok(ArticleReading::Search { text, filter });
    }
    Ok(ArticleReading::List(ArticleFilter {
        site_id: site_of(db, query.site.as_deref()).await?,
        organisations: scope(db, query.organisation, query.include_subtree).await?,
        published_from: query.published_from.map(day_start),
        published_before: query.published_to.and_then(|d| d.succ_opt()).map(day_start),
        public_at: Some(now),
        ..linked
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
        articles: None,
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

pub(crate) async fn site_of(
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

/// A period a reader named by its code (`2020-H1`, `2016..2020`) for `field`.
pub fn period(field: &str, code: Option<&str>) -> Result<Option<Period>, ServiceError> {
    code.map(|c| {
        Period::from_code(c).map_err(|e| ServiceError::BadUserInput(format!("{field}: {e}")))
    })
    .transpose()
}

/// An administrative unit and its whole area through time: the units inside it and the
/// units it took over from.
async fn area(
    db: &DatabaseConnection,
    unit: Option<AdminUnitId>,
) -> Result<Option<Vec<AdminUnitId>>, ServiceError> {
    match unit {
        Some(unit) => Ok(Some(danvan_store::admin_unit::area(db, unit).await?)),
        None => Ok(None),
    }
}

/// Which meetings a reader asks for, as every door takes it.
#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    /// Of this kind.
    pub kind: Option<MeetingKind>,
    /// Held by this organisation.
    pub organiser: Option<OrganisationId>,
    /// With `organiser`: its whole subtree.
    pub include_subtree: bool,
    /// Held on or after this day.
    pub from: Option<NaiveDate>,
    /// Held on or before this day.
    pub to: Option<NaiveDate>,
    /// Reviewing a period that overlaps this one (its code).
    pub period: Option<String>,
}

/// The meetings `query` selects.
pub async fn meetings(
    db: &DatabaseConnection,
    query: MeetingQuery,
) -> Result<MeetingFilter, ServiceError> {
    Ok(MeetingFilter {
        kind: query.kind,
        organisers: scope(db, query.organiser, query.include_subtree).await?,
        from: query.from,
        to: query.to,
        period: period("period", query.period.as_deref())?,
    })
}

/// Which "Dân vận khéo" models a reader asks for, as every door takes it.
#[derive(Debug, Clone, Default)]
pub struct DvkModelQuery {
    /// In this field.
    pub field: Option<DvkField>,
    /// With this status.
    pub status: Option<DvkStatus>,
    /// Owned by this organisation.
    pub organisation: Option<OrganisationId>,
    /// With `organisation`: its whole subtree.
    pub include_subtree: bool,
    /// Whose period overlaps this one (its code).
    pub period: Option<String>,
    /// Running in this administrative unit or anything in its area through time.
    pub admin_unit: Option<AdminUnitId>,
}

/// The models `query` selects.
pub async fn dvk_models(
    db: &DatabaseConnection,
    query: DvkModelQuery,
) -> Result<DvkModelFilter, ServiceError> {
    Ok(DvkModelFilter {
        field: query.field,
        status: query.status,
        organisations: scope(db, query.organisation, query.include_subtree).await?,
        period: period("period", query.period.as_deref())?,
        admin_units: area(db, query.admin_unit).await?,
    })
}

/// Which report figures a reader asks for, as every door takes it.
#[derive(Debug, Clone, Default)]
pub struct ReportFigureQuery {
    /// Of this indicator key.
    pub indicator: Option<String>,
    /// About this organisation.
    pub organisation: Option<OrganisationId>,
    /// With `organisation`: its whole subtree.
    pub include_subtree: bool,
    /// Stated by this article.
    pub article: Option<ArticleId>,
    /// Reported at this meeting.
    pub meeting: Option<MeetingId>,
    /// Whose period lies within this one (its code).
    pub within: Option<String>,
}

/// The figures `query` selects.
pub async fn report_figures(
    db: &DatabaseConnection,
    query: ReportFigureQuery,
) -> Result<ReportFigureFilter, ServiceError> {
    Ok(ReportFigureFilter {
        indicator_key: query.indicator,
        organisations: scope(db, query.organisation, query.include_subtree).await?,
        article_id: query.article,
        meeting_id: query.meeting,
        within: period("within", query.within.as_deref())?,
    })
}

/// A page of articles, and for a search how many results its pages hold together.
#[derive(Debug, Clone)]
pub struct ArticlePage {
    /// The page.
    pub page: Page<Article>,
    /// For a search: the results its pages can reach (see `danvan_store::search::Results`).
    pub reachable: Option<u64>,
}

/// A page of the articles `reading` selects: in `order` for a list, best match first for a
/// search (whose order is its own). An article gone between the search and the read is
/// left out.
pub async fn articles(
    db: &DatabaseConnection,
    reading: &ArticleReading,
    order: ArticleOrder,
    request: &PageRequest,
) -> Result<ArticlePage, ServiceError> {
    match reading {
        ArticleReading::List(filter) => Ok(ArticlePage {
            page: danvan_store::article::list(db, filter, order, request).await?,
            reachable: None,
        }),
        ArticleReading::Search { text, filter } => {
            let found = danvan_store::search::search(db, text, filter, request).await?;
            let hits = found.page;
            let ids: Vec<ArticleId> = hits.items.iter().map(|h| ArticleId(h.ref_id)).collect();
            let mut loaded: std::collections::HashMap<ArticleId, Article> =
                danvan_store::article::get_many(db, &ids)
                    .await?
                    .into_iter()
                    .map(|a| (a.id, a))
                    .collect();
            let mut page = Page {
                has_next_page: hits.has_next_page,
                has_previous_page: hits.has_previous_page,
                ..Page::default()
            };
            // Each article keeps its own cursor.
            for (cursor, id) in hits.cursors.into_iter().zip(ids) {
                if let Some(article) = loaded.remove(&id) {
                    page.cursors.push(cursor);
                    page.items.push(article);
                }
            }
            Ok(ArticlePage {
                page,
                reachable: Some(found.reachable),
            })
        }
    }
}

/// How many articles `reading` selects (bounded as the store bounds it).
pub async fn count_articles(
    db: &DatabaseConnection,
    reading: &ArticleReading,
) -> Result<Total, ServiceError> {
    Ok(match reading {
        ArticleReading::List(filter) => danvan_store::article::count(db, filter).await?,
        ArticleReading::Search { text, filter } => {
            danvan_store::search::count(db, text, filter).await?
        }
    })
}
