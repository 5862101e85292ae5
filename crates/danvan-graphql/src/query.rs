//! The root query.

use crate::article::Article;
use crate::site::Site;
use crate::{ApiError, Limits, id};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use danvan_domain::{ArticleId, SiteId, Slug};
use danvan_store::article::{ArticleFilter, ArticleOrder};
use danvan_store::{Cursor, DatabaseConnection, Page, PageRequest};

/// What clients can read.
pub struct Query;

/// A list page as a Relay connection.
fn connection<T, N>(page: Page<T>, node: impl Fn(T) -> N) -> Connection<String, N>
where
    N: async_graphql::OutputType,
{
    let has_previous = false;
    let mut connection = Connection::new(has_previous, page.has_next_page);
    connection.edges.extend(
        page.cursors
            .into_iter()
            .zip(page.items)
            .map(|(cursor, item)| Edge::new(cursor.as_str().to_owned(), node(item))),
    );
    connection
}

/// Checks a requested page size against the limits.
fn page_request(
    ctx: &Context<'_>,
    first: i32,
    after: Option<String>,
) -> Result<PageRequest, ApiError> {
    let max = ctx
        .data::<Limits>()
        .map_or(danvan_store::page::MAX_PAGE_SIZE, |l| l.max_page_size);
    let first = u64::try_from(first)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApiError::BadUserInput("`first` must be at least 1".into()))?;
    if first > max {
        return Err(ApiError::LimitExceeded(format!(
            "`first` may be at most {max}"
        )));
    }
    Ok(PageRequest::new(first, after.map(Cursor::from)))
}

fn db<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseConnection, ApiError> {
    ctx.data::<DatabaseConnection>().map_err(|_| {
        tracing::error!("the schema was built without a database");
        ApiError::Internal
    })
}

fn slug(field: &str, raw: &str) -> Result<Slug, ApiError> {
    Slug::parse(raw).map_err(|e| ApiError::BadUserInput(format!("{field}: {e}")))
}

async fn site_id(db: &DatabaseConnection, raw: &str) -> Result<SiteId, ApiError> {
    let slug = slug("site", raw)?;
    danvan_store::site::by_slug(db, &slug)
        .await?
        .map(|s| s.id)
        .ok_or_else(|| ApiError::NotFound(format!("no site {raw:?}")))
}

#[Object]
impl Query {
    /// Published articles, newest first. With `site`, only that site's.
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug of a site.")] site: Option<String>,
        #[graphql(desc = "How many articles, 1 to 100.", default = 20)] first: i32,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Article>> {
        let db = db(ctx)?;
        let request = page_request(ctx, first, after)?;
        let site_id = match site {
            Some(site) => Some(site_id(db, &site).await?),
            None => None,
        };
        let filter = ArticleFilter {
            site_id,
            public_at: Some(chrono::Utc::now()),
            ..ArticleFilter::default()
        };
        let page =
            danvan_store::article::list(db, &filter, ArticleOrder::NewestPublished, &request)
                .await
                .map_err(ApiError::from)?;
        Ok(connection(page, Article))
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
            (Some(id), None, None) => {
                let raw = id::decode("Article", &id)?;
                danvan_store::article::get(db, ArticleId(raw))
                    .await
                    .map_err(ApiError::from)?
            }
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
        Ok(found
            .filter(|a| a.data.is_public_at(chrono::Utc::now()))
            .map(Article))
    }

    /// The portals that publish through danvan.
    async fn sites(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many sites, 1 to 100.", default = 20)] first: i32,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Site>> {
        let db = db(ctx)?;
        let request = page_request(ctx, first, after)?;
        let page = danvan_store::site::list(db, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(connection(page, Site))
    }

    /// One site by its slug.
    async fn site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site's slug.")] slug: String,
    ) -> Result<Option<Site>> {
        let db = db(ctx)?;
        let slug = self::slug("slug", &slug)?;
        Ok(danvan_store::site::by_slug(db, &slug)
            .await
            .map_err(ApiError::from)?
            .map(Site))
    }
}
