//! The queries a portal's pages send, with the values they need looked up once through the
//! API itself (an article's slug, an organisation's id), as a front end would.

use crate::data::{INDICATOR, SITE, TAG};
use crate::load::{Target, once};
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::net::SocketAddr;

const HOME: &str = "query Home($site: String!) {
  articles(filter: { site: $site }, first: 20) {
    nodes {
      id slug title lead publishedAt
      site { name slug }
      organisations { name slug }
      authors { name organisation }
      tags { name slug }
      images { url caption }
    }
  }
}";

const ARTICLE: &str = "query Article($site: String!, $slug: String!) {
  article(site: $site, slug: $slug) {
    id title lead bodyHtml publishedAt viewCount
    authors { name organisation }
    images { url caption }
    tags { name slug }
    organisations { name slug }
    meeting { title kind heldOn location chairs { fullName } }
    people { fullName }
    related { title slug publishedAt }
    comments(first: 10) { totalCount nodes { authorName body createdAt } }
  }
}";

const ORGANISATION: &str = "query Organisation($organisation: ID!) {
  articles(filter: { organisation: $organisation }, page: 2, pageSize: 20) {
    totalCount pageCount
    nodes { id slug title publishedAt images { url } }
  }
}";

const TAG_PAGE: &str = "query Tag($site: String!, $tag: String!) {
  articles(filter: { site: $site, tag: $tag }, first: 20) {
    nodes { id slug title publishedAt tags { name slug } }
  }
}";

const SEARCH: &str = "query Search($query: String!) {
  search(query: $query, first: 20) {
    totalCount
    nodes { title score snippet { text } node { ... on Article { slug publishedAt } } }
  }
}";

/// A search as a results page sends it when it shows "did you mean" too.
const SEARCH_CORRECTING: &str = "query SearchCorrecting($query: String!) {
  search(query: $query, first: 20) {
    totalCount
    suggestions { query totalCount }
    nodes { title score snippet { text } node { ... on Article { slug publishedAt } } }
  }
}";

/// A deep page of a common word's search, past the ordered candidates.
const SEARCH_PAGE: &str = "query SearchPage($query: String!, $page: Int!) {
  search(query: $query, page: $page, pageSize: 20) {
    nodes { title score node { ... on Article { slug publishedAt } } }
  }
}";

const SUGGEST: &str = "query Suggest($prefix: String!) {
  suggest(prefix: $prefix, first: 10) { title node { __typename } }
}";

const DVK_COUNTS: &str = "query DvkCounts {
  dvkModelCounts(by: FIELD) { key label count }
}";

const SERIES: &str = "query Series($indicator: String!, $organisation: ID!) {
  indicatorSeries(indicator: $indicator, organisation: $organisation, includeSubtree: true) {
    period { code label } total figures
  }
}";

/// One query of the benchmark.
pub struct Query {
    /// Its name in the table.
    pub name: &'static str,
    /// What is sent.
    pub target: Target,
}

/// The names of every query, in the order they are run.
pub const NAMES: [&str; 18] = [
    "home",
    "home-persisted",
    "article",
    "organisation",
    "tag",
    "search",
    "search-mttq",
    "search-mat-tran",
    "search-deep",
    "search-suggestions",
    "search-typo",
    "suggest",
    "dvk-counts",
    "series",
    "rest-list",
    "rest-304",
    "feed",
    "view",
];

/// The JSON API's page a mobile app opens with: a site's newest articles, light form.
pub fn rest_list_path() -> String {
    format!("/api/v1/articles?site={SITE}&limit=20")
}

/// The JSON API's list and its revalidation with the tag it answered.
async fn rest(addr: SocketAddr) -> anyhow::Result<Vec<Query>> {
    let path = rest_list_path();
    let list = Target::get(addr, &path);
    let (body, etag) = crate::load::once_with_tag(&list).await?;
    let answer: Value = serde_json::from_slice(&body)?;
    if answer["items"].as_array().is_none_or(Vec::is_empty) {
        bail!("the JSON API's list found nothing: {answer}");
    }
    let etag = etag.context("the JSON API's list has no ETag")?;
    Ok(vec![
        Query {
            name: "rest-list",
            target: list,
        },
        Query {
            name: "rest-304",
            target: Target::revalidate(addr, &path, &etag),
        },
    ])
}

/// The home page as a front end sends it once it is known: a GET of the persisted query's
/// hash alone, which a CDN could keep too.
pub(crate) async fn home_persisted(addr: SocketAddr) -> anyhow::Result<Query> {
    use sha2::{Digest, Sha256};
    let hash: String = Sha256::digest(HOME)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let variables = json!({ "site": SITE });
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    // The first request names the query with its hash, as Apollo's client does after a
    // `PERSISTED_QUERY_NOT_FOUND`.
    let mut first = Target::graphql(addr, HOME, &variables);
    first.body = json!({ "query": HOME, "variables": variables, "extensions": extensions })
        .to_string()
        .into();
    once(&first).await?;
    let path = format!(
        "/graphql?{}",
        serde_urlencoded::to_string([
            ("variables", variables.to_string()),
            ("extensions", extensions.to_string()),
        ])?
    );
    let target = Target::get(addr, &path);
    let answer: Value = serde_json::from_slice(&once(&target).await?)?;
    if answer["data"]["articles"]["nodes"]
        .as_array()
        .is_none_or(Vec::is_empty)
    {
        bail!("the persisted home page found nothing: {answer}");
    }
    Ok(Query {
        name: "home-persisted",
        target,
    })
}

/// A reader's view counted: `POST /api/v1/articles/{id}/views` of the site's newest.
async fn view(addr: SocketAddr) -> anyhow::Result<Query> {
    let list: Value = serde_json::from_slice(&once(&Target::get(addr, &rest_list_path())).await?)?;
    let id = list["items"][0]["id"]
        .as_str()
        .context("the JSON API's list found nothing")?;
    let mut target = Target::get(addr, &format!("/api/v1/articles/{id}/views"));
    target.method = hyper::Method::POST;
    target.expect = hyper::StatusCode::ACCEPTED;
    once(&target).await?;
    Ok(Query {
        name: "view",
        target,
    })
}

/// A partner's poll of a site's feed: RSS, the default 50 items.
async fn feed(addr: SocketAddr) -> anyhow::Result<Query> {
    let target = Target::get(addr, &format!("/feeds/{SITE}/rss.xml"));
    let body = once(&target).await?;
    let items = String::from_utf8_lossy(&body).matches("<item>").count();
    if items != 50 {
        bail!("the site's feed holds {items} items, not 50");
    }
    Ok(Query {
        name: "feed",
        target,
    })
}

async fn data(addr: SocketAddr, query: &str, variables: Value) -> anyhow::Result<Value> {
    let body = once(&Target::graphql(addr, query, &variables)).await?;
    let answer: Value = serde_json::from_slice(&body)?;
    if let Some(errors) = answer.get("errors") {
        bail!("the query answered errors: {errors}");
    }
    answer
        .get("data")
        .cloned()
        .context("an answer without data")
}

/// Every query `wanted` names, each checked once to answer data without errors (those
/// not wanted are not sent: a server of an earlier version may not know them).
pub async fn all(addr: SocketAddr, wanted: impl Fn(&str) -> bool) -> anyhow::Result<Vec<Query>> {
    let home = data(addr, HOME, json!({ "site": SITE })).await?;
    let newest = home["articles"]["nodes"][0]["slug"]
        .as_str()
        .context("the site has no article")?
        .to_owned();
    let organisation = data(
        addr,
        "query($slug: String!) { organisation(slug: $slug) { id } }",
        json!({ "slug": "ban-dan-van-huyen-uy-phu-thinh" }),
    )
    .await?;
    let district = organisation["organisation"]["id"]
        .as_str()
        .context("the data set has no district board")?
        .to_owned();
    let root = data(
        addr,
        "query($slug: String!) { organisation(slug: $slug) { id } }",
        json!({ "slug": "ban-dan-van-tinh-uy-lam-son" }),
    )
    .await?;
    let root = root["organisation"]["id"]
        .as_str()
        .context("the data set has no province board")?
        .to_owned();
    let queries = vec![
        ("home", HOME, json!({ "site": SITE })),
        ("article", ARTICLE, json!({ "site": SITE, "slug": newest })),
        (
            "organisation",
            ORGANISATION,
            json!({ "organisation": district }),
        ),
        ("tag", TAG_PAGE, json!({ "site": SITE, "tag": TAG })),
        ("search", SEARCH, json!({ "query": "sơ kết" })),
        // An abbreviation and the words it stands for: each finds the other form too.
        ("search-mttq", SEARCH, json!({ "query": "MTTQ" })),
        (
            "search-mat-tran",
            SEARCH,
            json!({ "query": "Mặt trận Tổ quốc" }),
        ),
        (
            "search-deep",
            SEARCH_PAGE,
            json!({ "query": "sơ kết", "page": 40 }),
        ),
        // With "did you mean": a query that finds enough (the corrections' look-up of
        // its words only), and a slip that finds nothing (corrections worked out).
        (
            "search-suggestions",
            SEARCH_CORRECTING,
            json!({ "query": "sơ kết" }),
        ),
        (
            "search-typo",
            SEARCH_CORRECTING,
            json!({ "query": "so kte" }),
        ),
        ("suggest", SUGGEST, json!({ "prefix": "dan van kh" })),
        ("dvk-counts", DVK_COUNTS, json!({})),
        (
            "series",
            SERIES,
            json!({ "indicator": INDICATOR, "organisation": root }),
        ),
    ];
    let mut checked = Vec::new();
    for (name, query, variables) in queries {
        if !wanted(name) {
            continue;
        }
        let answer = data(addr, query, variables.clone())
            .await
            .with_context(|| format!("the {name} query"))?;
        if answer
            .as_object()
            .is_none_or(|o| o.values().all(Value::is_null))
        {
            bail!("the {name} query found nothing: {answer}");
        }
        checked.push(Query {
            name,
            target: Target::graphql(addr, query, &variables),
        });
    }
    if wanted("home-persisted") {
        checked.insert(1.min(checked.len()), home_persisted(addr).await?);
    }
    if wanted("rest-list") || wanted("rest-304") {
        checked.extend(rest(addr).await?);
    }
    if wanted("feed") {
        checked.push(feed(addr).await?);
    }
    if wanted("view") {
        checked.push(view(addr).await?);
    }
    checked.retain(|q| wanted(q.name));
    Ok(checked)
}
