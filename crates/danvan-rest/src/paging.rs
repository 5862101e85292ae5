//! Cursor pagination: `limit` (1 to 100, 20 by default) and `after`, the next cursor in the
//! body and in an RFC 8288 `Link` header, and `count=true` for a total.

use crate::params::Params;
use crate::problem::Problem;
use danvan_store::page::MAX_PAGE_SIZE;
use danvan_store::{Cursor, Page, PageRequest, Total};
use serde::Serialize;
use utoipa::ToSchema;

/// How many items a page holds when the client does not say.
pub const DEFAULT_LIMIT: u64 = 20;

/// What a list endpoint was asked for.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The page to read.
    pub request: PageRequest,
    /// Whether the client wants `totalCount`.
    pub count: bool,
}

impl Paging {
    /// Reads `limit`, `after` and `count`.
    pub fn from(params: &mut Params) -> Result<Self, Problem> {
        let limit = params
            .parse_as::<u64>("limit", "a whole number")?
            .unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(Problem::parameter(
                "limit",
                format!("must be from 1 to {MAX_PAGE_SIZE}"),
            ));
        }
        let after = params.text("after").map(Cursor::from);
        let count = params.flag("count")?;
        Ok(Self {
            request: PageRequest::new(limit, after),
            count,
        })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    /// The items.
    pub items: Vec<T>,
    /// The cursor to ask for the next page with (`after`); none on the last page.
    pub next_cursor: Option<String>,
    /// Whether items follow this page.
    pub has_more: bool,
    /// How many items the whole list holds, with `count=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Whether `totalCount` is every item; a long list is counted up to a bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count_exact: Option<bool>,
}

impl<T> List<T> {
    /// The page `page` of items made by `f`.
    pub fn of<S>(page: Page<S>, total: Option<Total>, f: impl FnMut(S) -> T) -> Self {
        let next_cursor = page
            .has_next_page
            .then(|| page.end_cursor())
            .flatten()
            .map(|c| c.as_str().to_owned());
        Self {
            has_more: page.has_next_page,
            next_cursor,
            items: page.items.into_iter().map(f).collect(),
            total_count: total.map(|t| t.count),
            total_count_exact: total.map(|t| t.exact),
        }
    }
}

/// A page as JSON, with the RFC 8288 `Link` to the next.
pub fn respond<T: Serialize>(uri: &axum::http::Uri, list: List<T>) -> axum::response::Response {
    let next = list.next_cursor.clone();
    respond_with(uri, next.as_deref(), list)
}

/// A body holding a page as JSON, with the RFC 8288 `Link` to the page after `next`.
pub fn respond_with<B: Serialize>(
    uri: &axum::http::Uri,
    next: Option<&str>,
    body: B,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let next = next.map(|cursor| next_link(uri, cursor));
    let mut response = axum::Json(body).into_response();
    let headers = response.headers_mut();
    if let Some(link) = next.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LINK, link);
    }
    response
}

/// The link to the page after `cursor`: the same request with `after` moved on.
pub fn next_link(uri: &axum::http::Uri, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default();
    pairs.retain(|(k, _)| k != "after");
    pairs.push(("after".into(), cursor.into()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("<{}?{query}>; rel=\"next\"", uri.path())
}

/// A page as JSON (see [`respond`]), counted by `count` when the client asked: a future
/// not run unless it did.
pub async fn answer<T, V: Serialize, C: Into<Total>>(
    uri: &axum::http::Uri,
    paging: &Paging,
    page: Page<T>,
    count: impl std::future::Future<Output = Result<C, danvan_store::StoreError>>,
    view: impl FnMut(T) -> V,
) -> Result<axum::response::Response, crate::problem::Problem> {
    let total = match paging.count {
        true => Some(count.await?.into()),
        false => None,
    };
    Ok(respond(uri, List::of(page, total, view)))
}

/// The parameters of every list, for the OpenAPI document.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(
    dead_code,
    reason = "read by `Paging::from`; declared for the document"
)]
pub struct PageParams {
    /// Items a page holds, 1 to 100 (20 by default).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// The `nextCursor` of the page before.
    after: Option<String>,
    /// Whether to count the whole list (`totalCount`).
    count: Option<bool>,
}
