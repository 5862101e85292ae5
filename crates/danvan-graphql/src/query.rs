//! The root query: every concept of the domain, as front ends read it.

use crate::admin_unit::AdminUnit;
use crate::article::Article;
use crate::connection::{List, Paging, list, reaching};
use crate::context::{db, load, slug};
use crate::document::{Campaign, Document};
use crate::enums::ArticleOrder;
use crate::filter::{
    self, ArticleFilter, DvkModelFilter, MeetingFilter, OrganisationFilter, ReportFigureFilter,
};
use crate::meeting::Meeting;
use crate::model::DvkModel;
use crate::node::{self, Node};
use crate::organisation::{Organisation, Person};
use crate::report_figure::ReportFigure;
use crate::search::{
    Corrections, SearchFilter, SearchList, SearchResult, SearchType, Suggestion, with_corrections,
};
use crate::site::Site;
use crate::stats::{DvkModelCount, DvkModelGrouping, SeriesPoint};
use crate::tag::{Category, Tag};
use crate::{ApiError, id};
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use danvan_domain::{AdminUnitId, ArticleId, MeetingId, PersonId, SiteId};
use danvan_service::reading;
use danvan_store::DatabaseConnection;

/// What the public reads.
#[derive(Default)]
pub struct PublicQuery;

/// Builds the paging arguments of a list field.
macro_rules! paging {
    ($first:ident, $after:ident, $last:ident, $before:ident, $page:ident, $page_size:ident) => {
        Paging {
            first: $first,
            after: $after,
            last: $last,
            before: $before,
            page: $page,
            page_size: $page_size,
        }
    };
}

/// Published articles matching a search, best match first.
async fn articles_matching(
    ctx: &Context<'_>,
    text: String,
    filter: danvan_store::search::SearchFilter,
    request: &danvan_store::PageRequest,
) -> Result<List<Article>> {
    let search = reading::ArticleReading::Search {
        text: text.clone(),
        filter: filter.clone(),
    };
    let found = reading::articles(db(ctx)?, &search, Default::default(), request)
        .await
        .map_err(ApiError::from)?;
    crate::article::prefetch(ctx, &found.page.items).await?;
    let count = move |db| async move { danvan_store::search::count(&db, &text, &filter).await };
    Ok(reaching(
        list(found.page, request, count, Article),
        found.reachable.unwrap_or_default(),
    ))
}

/// A search text: normalised, present, at most 200 characters.
fn search_text(raw: &str) -> Result<String, ApiError> {
    Ok(reading::search_text(raw)?)
}

pub(crate) async fn site_id(db: &DatabaseConnection, raw: &str) -> Result<SiteId, ApiError> {
    Ok(reading::site_id(db, raw).await?)
}

/// The reader's filter as the reading use case takes it: global ids decoded.
fn article_query(filter: ArticleFilter) -> Result<reading::ArticleQuery, ApiError> {
    let decode =
        |kind: &str, id: &Option<ID>| id.as_ref().map(|id| id::decode(kind, id)).transpose();
    Ok(reading::ArticleQuery {
        text: filter.query,
        site: filter.site,
        organisation: filter::organisation_id(filter.organisation.as_ref())?,
        include_subtree: filter.include_subtree,
        tag: filter.tag,
        meeting: filter::meeting_id(filter.meeting.as_ref())?,
        published_from: filter.published_from,
        published_to: filter.published_to,
        category: decode(id::CATEGORY, &filter.category)?.map(danvan_domain::CategoryId),
        admin_unit: decode(id::ADMIN_UNIT, &filter.admin_unit)?.map(AdminUnitId),
        meeting_kind: filter.meeting_kind.map(Into::into),
        person: decode(id::PERSON, &filter.person)?.map(PersonId),
        campaign: decode(id::CAMPAIGN, &filter.campaign)?.map(danvan_domain::CampaignId),
    })
}

/// What clients can read.
#[Object]
impl PublicQuery {
    /// Searches articles, meetings, "Dân vận khéo" models, people and organisations, best
    /// match first. A reader may type without diacritics ("dan van kheo") or with either
    /// tone placement ("huyện uỷ"); typed diacritics rank exact matches first; syllables
    /// side by side rank above syllables apart; "quoted words" match as a phrase. An
    /// abbreviation the portals print finds what it stands for and the other way round
    /// ("MTTQ" and "Mặt trận Tổ quốc", "HĐND" and "Hội đồng nhân dân"), the form typed
    /// ranked first; one that is also an ordinary word ("TU") only when typed in capitals.
    /// A place named ("Hà Giang", "tỉnh Hà Giang", "ha giang") also finds the articles filed
    /// under it, under the units it took over from and under those that took it over
    /// (today's Tuyên Quang), below the texts that name it.
    /// The order: the newest 150 matches and the newest 50 title matches best first; past
    /// those, every other match newest first, so that every page `totalCount` and
    /// `pageCount` promise has its results. A query that finds fewer than five records
    /// offers corrections in `suggestions` ("dan vna" → "dân vận").
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, up to 200 characters.")] query: String,
        #[graphql(desc = "Only these kinds of record; all by default.")] types: Option<
            Vec<SearchType>,
        >,
        #[graphql(desc = "What else to limit the search to.")] filter: Option<SearchFilter>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<SearchList> {
        let (last, before) = (None, None);
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let query = search_text(&query)?;
        let db = db(ctx)?;
        let filter = crate::search::store_filter(db, types, filter.unwrap_or_default()).await?;
        let found = danvan_store::search::search(db, &query, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        let corrections = Corrections {
            query: query.clone(),
            filter: filter.clone(),
        };
        let count =
            move |db| async move { danvan_store::search::count(&db, &query, &filter).await };
        Ok(with_corrections(
            reaching(
                list(found.page, &request, count, SearchResult),
                found.reachable,
            ),
            corrections,
        ))
    }

    /// Titles that complete what a reader is typing in a search box, newest first:
    /// "dan van kh" suggests "Dân vận khéo …". When no title completes it, the
    /// corrections of what was typed come instead ("dan vna" → "dân vận", `correction`
    /// true).
    async fn suggest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the reader has typed so far.")] prefix: String,
        #[graphql(desc = "Only these kinds of record; all by default.")] types: Option<
            Vec<SearchType>,
        >,
        #[graphql(desc = "How many, 1 to 50.", default = 10)] first: i32,
    ) -> Result<Vec<Suggestion>> {
        let prefix = search_text(&prefix)?;
        let db = db(ctx)?;
        let filter = crate::search::store_filter(db, types, SearchFilter::default()).await?;
        let limit = u64::try_from(first).unwrap_or(1);
        let found = danvan_store::search::suggest(db, &prefix, &filter, limit)
            .await
            .map_err(ApiError::from)?;
        Ok(crate::search::suggestions(found))
    }

    /// Any object by its global id.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> Result<Option<Node>> {
        Ok(node::node(ctx, &id).await?)
    }

    /// Published articles whose time has come, newest first unless `orderBy` says otherwise.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which articles.")] filter: Option<ArticleFilter>,
        #[graphql(desc = "The order; newest first by default.", default)] order_by: ArticleOrder,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Article>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let query = article_query(filter.unwrap_or_default())?;
        let reading = reading::public_articles(db(ctx)?, query, chrono::Utc::now())
            .await
            .map_err(ApiError::from)?;
        match reading {
            reading::ArticleReading::Search { text, filter } => {
                articles_matching(ctx, text, filter, &request).await
            }
            reading::ArticleReading::List(filter) => {
                Ok(crate::article::listed(ctx, filter, order_by.into(), &request).await?)
            }
        }
    }

    /// One published article, by its id, or by its site and slug.
    async fn article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's global id.")] id: Option<ID>,
        #[graphql(desc = "The slug of the article's site (with `slug`).")] site: Option<String>,
        #[graphql(desc = "The article's slug within its site (with `site`).")] slug: Option<String>,
    ) -> Result<Option<Article>> {
        let db = db(ctx)?;
        let found = match (id, site, slug) {
            (Some(id), None, None) => load(ctx, ArticleId(id::decode(id::ARTICLE, &id)?)).await?,
            (None, Some(site), Some(article)) => {
                let site_id = site_id(db, &site).await?;
                let article = self::slug("slug", &article)?;
                danvan_store::article::by_slug(db, site_id, &article)
                    .await
                    .map_err(ApiError::from)?
            }
            _ => {
                return Err(ApiError::BadUserInput(
                    "give either `id`, or both `site` and `slug`".into(),
                )
                .into());
            }
        };
        // Drafts, articles in review, archived and scheduled ones do not exist for the public.
        Ok(found.and_then(Article::public))
    }

    /// The portals that publish through danvan.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn sites(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Site>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let page = danvan_store::site::list(db(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            |db| async move { danvan_store::site::count(&db).await },
            Site,
        ))
    }

    /// One site by its slug.
    async fn site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site's slug.")] slug: String,
    ) -> Result<Option<Site>> {
        let slug = self::slug("slug", &slug)?;
        Ok(danvan_store::site::by_slug(db(ctx)?, &slug)
            .await
            .map_err(ApiError::from)?
            .map(Site))
    }

    /// Organisations, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which organisations.")] filter: Option<OrganisationFilter>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Organisation>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let filter = filter.unwrap_or_default();
        let parent = match (
            filter::organisation_id(filter.parent.as_ref())?,
            filter.roots,
        ) {
            (Some(parent), _) => Some(Some(parent)),
            (None, true) => Some(None),
            (None, false) => None,
        };
        let filter = danvan_store::organisation::OrganisationFilter {
            parent,
            kind: filter.kind.map(Into::into),
            level: filter.level.map(Into::into),
        };
        let page = danvan_store::organisation::list(db(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::organisation::count(&db, &filter).await },
            Organisation,
        ))
    }

    /// One organisation, by its id (a merged one's leads to the one kept) or its slug.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's global id.")] id: Option<ID>,
        #[graphql(desc = "The organisation's slug.")] slug: Option<String>,
    ) -> Result<Option<Organisation>> {
        let found = match (id, slug) {
            (Some(id), None) => {
                let id = danvan_domain::OrganisationId(id::decode(id::ORGANISATION, &id)?);
                // A merged organisation's id leads to the one it was merged into.
                let id = danvan_service::merges::organisation_now(db(ctx)?, id)
                    .await
                    .map_err(ApiError::from)?;
                load(ctx, id).await?
            }
            (None, Some(raw)) => {
                let slug = self::slug("slug", &raw)?;
                danvan_store::organisation::by_slug(db(ctx)?, &slug)
                    .await
                    .map_err(ApiError::from)?
            }
            _ => return Err(ApiError::BadUserInput("give either `id` or `slug`".into()).into()),
        };
        Ok(found.map(Organisation))
    }

    /// People named in the news, in Vietnamese name order: by given name (the last word),
    /// then middle names, then family name.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Person>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let page = danvan_store::person::list(db(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            |db| async move { danvan_store::person::count(&db).await },
            Person,
        ))
    }

    /// One person by id (a merged one's leads to the one kept).
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's global id.")] id: ID,
    ) -> Result<Option<Person>> {
        let id = PersonId(id::decode(id::PERSON, &id)?);
        // A merged person's id leads to the one they were merged into.
        let id = danvan_service::merges::person_now(db(ctx)?, id)
            .await
            .map_err(ApiError::from)?;
        Ok(load(ctx, id).await?.map(Person))
    }

    /// Meetings, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which meetings.")] filter: Option<MeetingFilter>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Meeting>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let filter = filter.unwrap_or_default();
        let filter = reading::meetings(db(ctx)?, filter::meeting_query(filter)?)
            .await
            .map_err(ApiError::from)?;
        let page = danvan_store::meeting::list(db(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::meeting::count(&db, &filter).await },
            Meeting,
        ))
    }

    /// One meeting by id.
    async fn meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's global id.")] id: ID,
    ) -> Result<Option<Meeting>> {
        Ok(load(ctx, MeetingId(id::decode(id::MEETING, &id)?))
            .await?
            .map(Meeting))
    }

    /// "Dân vận khéo" models and exemplars, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn dvk_models(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which models.")] filter: Option<DvkModelFilter>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<DvkModel>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let filter = filter.unwrap_or_default();
        let filter = reading::dvk_models(db(ctx)?, filter::dvk_model_query(filter)?)
            .await
            .map_err(ApiError::from)?;
        let page = danvan_store::model::list(db(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::model::count(&db, &filter).await },
            DvkModel,
        ))
    }

    /// "Dân vận khéo" models counted by field, status, period or organisation, largest group
    /// first: what a dashboard's bar chart needs in one query.
    async fn dvk_model_counts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which models.")] filter: Option<DvkModelFilter>,
        #[graphql(desc = "What to group by.")] by: DvkModelGrouping,
    ) -> Result<Vec<DvkModelCount>> {
        let filter = filter.unwrap_or_default();
        let filter = reading::dvk_models(db(ctx)?, filter::dvk_model_query(filter)?)
            .await
            .map_err(ApiError::from)?;
        let groups = danvan_store::model::counts(db(ctx)?, &filter, by.into())
            .await
            .map_err(ApiError::from)?;
        Ok(groups
            .into_iter()
            .map(|(group, count)| DvkModelCount { group, count })
            .collect())
    }

    /// An indicator over time: its report figures added up period by period, over an
    /// organisation (optionally with its whole subtree). Alias it once per province to
    /// draw "models recognised per year per province" in one query.
    async fn indicator_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator key: `dvk.models_recognised`.")] indicator: String,
        #[graphql(desc = "Only figures about this organisation.")] organisation: Option<ID>,
        #[graphql(
            desc = "With `organisation`: also the organisations below it.",
            default
        )]
        include_subtree: bool,
        #[graphql(desc = "Only periods starting on or after this day.")] from: Option<NaiveDate>,
        #[graphql(desc = "Only periods ending on or before this day.")] to: Option<NaiveDate>,
    ) -> Result<Vec<SeriesPoint>> {
        let db = db(ctx)?;
        let scope = filter::scope(db, organisation.as_ref(), include_subtree).await?;
        let series = danvan_store::report_figure::series(db, &indicator, scope.as_ref(), from, to)
            .await
            .map_err(ApiError::from)?;
        Ok(series.into_iter().map(SeriesPoint).collect())
    }

    /// Report figures, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn report_figures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which figures.")] filter: Option<ReportFigureFilter>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<ReportFigure>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let filter = filter.unwrap_or_default();
        let filter = reading::report_figures(db(ctx)?, filter::report_figure_query(filter)?)
            .await
            .map_err(ApiError::from)?;
        let page = danvan_store::report_figure::list(db(ctx)?, &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::report_figure::count(&db, &filter).await },
            ReportFigure,
        ))
    }

    /// Referenced documents, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Document>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let page = danvan_store::document::list(db(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            |db| async move { danvan_store::document::count(&db).await },
            Document,
        ))
    }

    /// One document by its code: "25-NQ/TW".
    async fn document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code as printed.")] code: String,
    ) -> Result<Option<Document>> {
        Ok(danvan_store::document::by_code(db(ctx)?, &code)
            .await
            .map_err(ApiError::from)?
            .map(Document))
    }

    /// Campaigns, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn campaigns(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Campaign>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let page = danvan_store::campaign::list(db(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            |db| async move { danvan_store::campaign::count(&db).await },
            Campaign,
        ))
    }

    /// Tags, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn tags(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Tag>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let page = danvan_store::tag::list(db(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            |db| async move { danvan_store::tag::count(&db).await },
            Tag,
        ))
    }

    /// A site's categories, oldest first.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site's slug.")] site: String,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<Category>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let db = db(ctx)?;
        let site_id = site_id(db, &site).await?;
        let page = danvan_store::category::list(db, site_id, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::category::count(&db, site_id).await },
            Category,
        ))
    }

    /// Administrative units, oldest first; with `asOf`, only those that existed on that day.
    #[allow(
        clippy::too_many_arguments,
        reason = "GraphQL arguments are a resolver's parameters"
    )]
    async fn admin_units(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the units that existed on this day.")] as_of: Option<NaiveDate>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
        #[graphql(desc = "Items before `before`, 1 to 100.")] last: Option<i32>,
        #[graphql(desc = "A cursor to continue before.")] before: Option<String>,
        #[graphql(desc = "A page number, from 1 (instead of cursors).")] page: Option<i32>,
        #[graphql(desc = "Items a numbered page holds, 1 to 100 (20 by default).")]
        page_size: Option<i32>,
    ) -> Result<List<AdminUnit>> {
        let request = paging!(first, after, last, before, page, page_size).request(ctx)?;
        let page = danvan_store::admin_unit::list(db(ctx)?, as_of, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::admin_unit::count(&db, as_of).await },
            AdminUnit,
        ))
    }

    /// One administrative unit by id.
    async fn admin_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's global id.")] id: ID,
    ) -> Result<Option<AdminUnit>> {
        Ok(load(ctx, AdminUnitId(id::decode(id::ADMIN_UNIT, &id)?))
            .await?
            .map(AdminUnit))
    }
}
