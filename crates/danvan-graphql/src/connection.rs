//! Lists as Relay connections (`edges { cursor node }`, `pageInfo`, `first/after/last/before`)
//! with `totalCount`, and page numbers (`page`, `pageSize`, `pageCount`) for portals that
//! show "trang 7 / 40".

use crate::context::load;
use crate::loader::StoreLoader;
use crate::{ApiError, Limits};
use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object, Result};
use danvan_store::{Cursor, DatabaseConnection, Page, PageRequest, StoreError, Total};
use futures::future::BoxFuture;
use std::sync::Mutex;
use tokio::sync::OnceCell;

/// Counts the whole list, when a client asks for it; run at most once.
type CountFn =
    Box<dyn FnOnce(DatabaseConnection) -> BoxFuture<'static, Result<Total, StoreError>> + Send>;

/// The fields every list has besides its edges.
pub struct ListInfo {
    count: Mutex<Option<CountFn>>,
    counted: OnceCell<Total>,
    page_size: u64,
    /// How many items the pages can show in all, when fewer than the list holds (a
    /// search orders its best candidates only).
    reachable: Option<u64>,
}

impl ListInfo {
    async fn total(&self, ctx: &Context<'_>) -> Result<Total> {
        let db = ctx.data::<DatabaseConnection>()?.clone();
        let total = self
            .counted
            .get_or_try_init(|| async {
                let count = self.count.lock().ok().and_then(|mut c| c.take());
                match count {
                    Some(count) => count(db).await.map_err(ApiError::from),
                    None => Err(ApiError::Internal),
                }
            })
            .await?;
        Ok(*total)
    }
}

/// The fields every list has besides its edges.
#[Object]
impl ListInfo {
    /// How many items the whole list holds, counted only when asked for. Lists that grow
    /// with the archive count up to a bound (a search 1,000 matches, an article list
    /// 10,000): past it this is the bound and `totalCountExact` is false ("hơn 1.000 kết
    /// quả").
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(i64::try_from(self.total(ctx).await?.count).unwrap_or(i64::MAX))
    }

    /// Whether `totalCount` is every item; false when the list holds more than its bound.
    async fn total_count_exact(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.total(ctx).await?.exact)
    }

    /// How many pages of this page's size the list fills, as far as its pages reach: a
    /// pager offers these, each of them with items.
    async fn page_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let mut items = self.total(ctx).await?.count;
        if let Some(reachable) = self.reachable {
            items = items.min(reachable);
        }
        let pages = items.div_ceil(self.page_size.max(1));
        Ok(i64::try_from(pages).unwrap_or(i64::MAX))
    }
}

/// A list of `N` as the schema serves it.
pub type List<N> = Connection<String, N, ListInfo>;

/// Turns a page into a connection; `count` counts the whole list on demand.
pub fn list<T, N, F, Fut, C>(
    page: Page<T>,
    request: &PageRequest,
    count: F,
    node: impl Fn(T) -> N,
) -> List<N>
where
    N: async_graphql::OutputType,
    F: FnOnce(DatabaseConnection) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<C, StoreError>> + Send + 'static,
    C: Into<Total>,
{
    let info = ListInfo {
        count: Mutex::new(Some(Box::new(move |db| {
            Box::pin(async move { count(db).await.map(Into::into) })
        }))),
        counted: OnceCell::new(),
        page_size: request.size(),
        reachable: None,
    };
    let mut connection =
        Connection::with_additional_fields(page.has_previous_page, page.has_next_page, info);
    connection.edges.extend(
        page.cursors
            .into_iter()
            .zip(page.items)
            .map(|(cursor, item)| Edge::new(cursor.as_str().to_owned(), node(item))),
    );
    connection
}

/// A list whose pages show at most `reachable` items, whatever its count says.
pub fn reaching<N: async_graphql::OutputType>(mut list: List<N>, reachable: u64) -> List<N> {
    list.additional_fields.reachable = Some(reachable);
    list
}

/// The paging arguments every list field takes.
#[derive(Debug, Default, Clone)]
pub struct Paging {
    /// Items after `after`.
    pub first: Option<i32>,
    /// The cursor to continue after.
    pub after: Option<String>,
    /// Items before `before`.
    pub last: Option<i32>,
    /// The cursor to continue before.
    pub before: Option<String>,
    /// A page number, from 1.
    pub page: Option<i32>,
    /// Items a numbered page holds.
    pub page_size: Option<i32>,
}

impl Paging {
    /// Forward paging only (`first`, `after`): the newsroom's and admins' lists.
    pub fn forward(first: Option<i32>, after: Option<String>) -> Self {
        Self {
            first,
            after,
            ..Self::default()
        }
    }
}

/// The page request of a nested list, which takes only `first`.
pub fn nested(ctx: &Context<'_>, first: i32) -> Result<PageRequest, ApiError> {
    Paging {
        first: Some(first),
        ..Paging::default()
    }
    .request(ctx)
}

/// A nested list: the first items of one parent, from the request's loaders (which page
/// every parent asking for the same size in one statement), with a `totalCount` that
/// `count` gives on demand.
pub async fn nested_list<K, T, N, F, Fut, C>(
    ctx: &Context<'_>,
    first: i32,
    key: impl FnOnce(u64) -> K,
    count: F,
    node: impl Fn(T) -> N,
) -> Result<List<N>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Value = Page<T>, Error = ApiError>,
    N: async_graphql::OutputType,
    F: FnOnce(DatabaseConnection) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<C, StoreError>> + Send + 'static,
    C: Into<Total>,
{
    let request = nested(ctx, first)?;
    let page = load(ctx, key(request.size())).await?.unwrap_or_default();
    Ok(list(page, &request, count, node))
}

/// The page size when a client names none.
const DEFAULT_PAGE_SIZE: u64 = 20;

impl Paging {
    /// The store's page request, checked against the limits.
    pub fn request(&self, ctx: &Context<'_>) -> Result<PageRequest, ApiError> {
        let max = ctx
            .data::<Limits>()
            .map_or(danvan_store::page::MAX_PAGE_SIZE, |l| l.max_page_size);
        let size = |name: &str, n: Option<i32>| -> Result<u64, ApiError> {
            let Some(n) = n else {
                return Ok(DEFAULT_PAGE_SIZE.min(max));
            };
            let n = u64::try_from(n)
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| ApiError::BadUserInput(format!("`{name}` must be at least 1")))?;
            if n > max {
                return Err(ApiError::LimitExceeded(format!(
                    "`{name}` may be at most {max}"
                )));
            }
            Ok(n)
        };
        let cursor = |c: &Option<String>| c.clone().map(Cursor::from);
        let mixed = |what: &str| Err(ApiError::BadUserInput(format!("{what} cannot be combined")));
        match self {
            Self {
                page: Some(_),
                first: Some(_),
                ..
            }
            | Self {
                page: Some(_),
                last: Some(_),
                ..
            }
            | Self {
                page: Some(_),
                after: Some(_),
                ..
            }
            | Self {
                page: Some(_),
                before: Some(_),
                ..
            } => mixed("`page` and cursors"),
            Self {
                first: Some(_),
                last: Some(_),
                ..
            } => mixed("`first` and `last`"),
            Self {
                after: Some(_),
                before: Some(_),
                ..
            } => mixed("`after` and `before`"),
            Self {
                page: Some(page), ..
            } => {
                let number = u64::try_from(*page)
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| ApiError::BadUserInput("`page` counts from 1".into()))?;
                Ok(PageRequest::numbered(
                    number,
                    size("pageSize", self.page_size)?,
                ))
            }
            Self { last: Some(_), .. }
            | Self {
                before: Some(_), ..
            } => Ok(PageRequest::last(
                size("last", self.last)?,
                cursor(&self.before),
            )),
            _ => Ok(PageRequest::new(
                size("first", self.first)?,
                cursor(&self.after),
            )),
        }
    }
}
