//! Public GraphQL answers kept in memory: the same bytes again until something they show
//! changes, what they show named for a CDN, nothing kept for a caller with credentials.

use crate::helpers::TestApp;
use crate::newsroom::{Newsroom, draft, newsroom};
use danvan_testing::TestDatabase;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// A portal's home page: the newest articles with what a front end shows around them.
const HOME: &str = "query Home { articles(first: 20) { edges { node { id title publishedAt
  site { id name } organisations { id name } authors { name } tags { id name } images { url alt } } } } }";

const ARTICLE: &str = "query($id: ID!) { article(id: $id) { id title site { id name } } }";

const ORGANISATION: &str = "query($id: ID!) { organisation(id: $id) { id name } }";

const PUBLISH: &str = "mutation($id: ID!, $v: Int!, $at: DateTime) {
  publishArticle(id: $id, version: $v, at: $at) { version status }
}";

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: ArticleInput!) {
  updateArticle(id: $id, version: $v, input: $input) { version }
}";

/// An answer as a client gets it over HTTP.
pub(crate) struct Got {
    cache: Option<String>,
    keys: Vec<String>,
    cache_control: Option<String>,
    etag: Option<String>,
    pub(crate) body: Value,
}

impl Got {
    async fn of(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), 200);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let cache = header("x-cache");
        let keys = header("surrogate-key")
            .map(|k| k.split(' ').map(str::to_owned).collect())
            .unwrap_or_default();
        let cache_control = header("cache-control");
        let etag = header("etag");
        let body: Value = response.json().await.unwrap();
        assert!(body["errors"].is_null(), "{body}");
        Self {
            cache,
            keys,
            cache_control,
            etag,
            body,
        }
    }

    pub(crate) fn hit(&self) -> bool {
        self.cache.as_deref() == Some("HIT")
    }
}

/// GETs `query` with `variables`, as a browser or a CDN would.
pub(crate) async fn get(app: &TestApp, query: &str, variables: Value) -> Got {
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[
            ("query", query.to_owned()),
            ("variables", variables.to_string()),
        ])
        .send()
        .await
        .unwrap();
    Got::of(response).await
}

fn titles(home: &Value) -> Vec<String> {
    home["data"]["articles"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

/// A published article of "dan-van-lam-son": (id, version).
async fn published(app: &TestApp, n: &Newsroom, title: &str) -> (String, i64) {
    let (id, version) = draft(app, &n.editor, title).await;
    let done = app
        .graphql_as(&n.editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(done["errors"].is_null(), "{done}");
    (
        id,
        done["data"]["publishArticle"]["version"].as_i64().unwrap(),
    )
}

/// Gives the article `id` (at `version`) the title `title`.
async fn retitled(app: &TestApp, n: &Newsroom, id: &str, version: i64, title: &str) {
    let done = app
        .graphql_as(
            &n.editor,
            UPDATE,
            json!({ "id": id, "v": version, "input": { "title": title, "body": "<p>Nội dung.</p>" } }),
        )
        .await;
    assert!(done["errors"].is_null(), "{done}");
}

async fn kept_answers_change_with_what_they_show(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (article, version) =
        published(&app, &n, "Hội nghị giao ban công tác dân vận quý III").await;

    let home = get(&app, HOME, json!({})).await;
    assert_eq!(home.cache.as_deref(), Some("MISS"));
    assert!(home.keys.contains(&"Article".to_owned()), "{:?}", home.keys);
    assert!(
        home.keys.contains(&"Organisation".to_owned()),
        "{:?}",
        home.keys
    );
    assert!(
        home.cache_control
            .as_deref()
            .unwrap()
            .starts_with("public, max-age="),
        "{:?}",
        home.cache_control
    );
    let again = get(&app, HOME, json!({})).await;
    assert!(again.hit());
    assert_eq!(again.body, home.body, "the same answer");
    assert_eq!(again.etag, home.etag);
    let revalidated = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", HOME), ("variables", "{}")])
        .header("if-none-match", home.etag.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), 304, "a client's copy is still good");
    assert_eq!(
        titles(&home.body)[0],
        "Hội nghị giao ban công tác dân vận quý III"
    );

    let page = get(&app, ARTICLE, json!({ "id": article })).await;
    assert_eq!(
        page.keys.len(),
        2,
        "the article and its site: {:?}",
        page.keys
    );
    assert!(page.keys.contains(&article), "{:?}", page.keys);
    let organisation = get(&app, ORGANISATION, json!({ "id": n.home })).await;
    assert_eq!(organisation.keys, vec![n.home.clone()]);
    assert!(get(&app, ARTICLE, json!({ "id": article })).await.hit());
    assert!(get(&app, ORGANISATION, json!({ "id": n.home })).await.hit());

    // An edit: the lists and the article's page are built again, the organisation's is not.
    let edited = "Hội nghị giao ban công tác dân vận quý III năm 2026";
    retitled(&app, &n, &article, version, edited).await;
    let home = get(&app, HOME, json!({})).await;
    assert!(!home.hit());
    assert_eq!(titles(&home.body)[0], edited, "Vietnamese text byte-exact");
    let page = get(&app, ARTICLE, json!({ "id": article })).await;
    assert!(!page.hit());
    assert_eq!(page.body["data"]["article"]["title"], edited);
    assert!(get(&app, ORGANISATION, json!({ "id": n.home })).await.hit());
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("danvan_graphql_kept_answers_purged_total 2"),
        "the home page and the article's page: {metrics}"
    );

    // Another article's publication: the article's own page stays kept.
    published(
        &app,
        &n,
        "Tuyên truyền, vận động Nhân dân hiến đất làm đường",
    )
    .await;
    assert!(get(&app, ARTICLE, json!({ "id": article })).await.hit());
    let home = get(&app, HOME, json!({})).await;
    assert!(!home.hit());
    assert_eq!(
        titles(&home.body)[0],
        "Tuyên truyền, vận động Nhân dân hiến đất làm đường"
    );

    // A change of the organisation is a change of every answer showing it.
    let renamed = app
        .graphql_as(
            &n.admin,
            "query($id: ID!) { organisation(id: $id) { version name shortName slug kind level } }",
            json!({ "id": n.home }),
        )
        .await;
    let current = &renamed["data"]["organisation"];
    let done = app
        .graphql_as(
            &n.admin,
            "mutation($id: ID!, $v: Int!, $input: OrganisationInput!) { updateOrganisation(id: $id, version: $v, input: $input) { name } }",
            json!({ "id": n.home, "v": current["version"], "input": {
                "name": "Ban Dân vận Huyện ủy Lâm Sơn (mới)",
                "slug": current["slug"], "kind": current["kind"], "level": current["level"],
            }}),
        )
        .await;
    assert!(done["errors"].is_null(), "{done}");
    let organisation = get(&app, ORGANISATION, json!({ "id": n.home })).await;
    assert!(!organisation.hit());
    assert_eq!(
        organisation.body["data"]["organisation"]["name"],
        "Ban Dân vận Huyện ủy Lâm Sơn (mới)"
    );

    // Credentials: nothing kept, nothing told to a cache in front.
    let private = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", HOME)])
        .bearer_auth(&n.editor)
        .send()
        .await
        .unwrap();
    assert!(private.headers().get("x-cache").is_none());
    assert!(private.headers().get("surrogate-key").is_none());
    app.stop().await;
    t
}

async fn a_persisted_query_is_kept_and_a_scheduled_article_comes_at_its_time(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let hash: String = Sha256::digest(HOME)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });

    // A mobile app's first request names the query and its hash; the next ones the hash.
    let first = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": HOME, "extensions": extensions }))
        .send()
        .await
        .unwrap();
    let first = Got::of(first).await;
    assert_eq!(first.cache.as_deref(), Some("MISS"));
    let by_hash = app
        .client
        .get(app.url("/graphql"))
        .query(&[("extensions", extensions.to_string())])
        .send()
        .await
        .unwrap();
    let by_hash = Got::of(by_hash).await;
    assert!(by_hash.hit());
    assert_eq!(by_hash.body, first.body);

    // Scheduled a moment ahead: not in the kept list until its time, then at once.
    let title = "Đối thoại trực tiếp giữa người đứng đầu cấp ủy với Nhân dân";
    let (id, version) = draft(&app, &n.editor, title).await;
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let done = app
        .graphql_as(
            &n.editor,
            PUBLISH,
            json!({ "id": id, "v": version, "at": at }),
        )
        .await;
    assert!(done["errors"].is_null(), "{done}");
    let before = get(&app, HOME, json!({})).await;
    assert!(!titles(&before.body).contains(&title.to_owned()));
    assert!(get(&app, HOME, json!({})).await.hit());
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let after = get(&app, HOME, json!({})).await;
    assert!(!after.hit());
    assert_eq!(titles(&after.body)[0], title);
    app.stop().await;
    t
}

/// A JSON API answer as the public gets it: `X-Cache`, the names a CDN purges by, the
/// `ETag` and the body.
pub(crate) async fn rest(
    app: &TestApp,
    path: &str,
) -> (Option<String>, Vec<String>, String, Value) {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let cache = header("x-cache");
    let keys: Vec<String> = header("surrogate-key")
        .map(|k| k.split(' ').map(str::to_owned).collect())
        .unwrap_or_default();
    assert_eq!(
        header("cache-tag").unwrap_or_default(),
        keys.join(","),
        "Cache-Tag names the same as Surrogate-Key"
    );
    let etag = header("etag").unwrap();
    (cache, keys, etag, response.json().await.unwrap())
}

async fn json_api_answers_are_kept_by_what_they_show(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let (article, version) =
        published(&app, &n, "Sơ kết 6 tháng thực hiện Quy chế dân chủ ở cơ sở").await;
    let list = "/api/v1/articles?site=dan-van-lam-son&limit=5&include=tags,organisations";
    let page = format!("/api/v1/articles/{article}");
    let organisation = format!("/api/v1/organisations/{}", n.home);

    let (cache, keys, tag, body) = rest(&app, list).await;
    assert_eq!(cache.as_deref(), Some("MISS"));
    assert_eq!(body["items"][0]["id"], article.as_str());
    for key in ["Article", "Site", article.as_str()] {
        assert!(keys.contains(&key.to_owned()), "{key} in {keys:?}");
    }
    let (cache, _, again, same) = rest(&app, list).await;
    assert_eq!(cache.as_deref(), Some("HIT"));
    assert_eq!((again, same), (tag.clone(), body));
    let (_, page_keys, _, _) = rest(&app, &page).await;
    assert!(page_keys.contains(&article), "{page_keys:?}");
    assert!(
        !page_keys.contains(&"Article".to_owned()),
        "one article is no list"
    );
    let (_, organisation_keys, _, _) = rest(&app, &organisation).await;
    assert_eq!(organisation_keys, vec![n.home.clone()]);
    assert_eq!(rest(&app, &page).await.0.as_deref(), Some("HIT"));
    assert_eq!(rest(&app, &organisation).await.0.as_deref(), Some("HIT"));

    // Asked with credentials: built for the caller, nothing kept or named.
    let private = app
        .client
        .get(app.url(list))
        .bearer_auth(&n.editor)
        .send()
        .await
        .unwrap();
    assert!(private.headers().get("x-cache").is_none());
    assert!(private.headers().get("surrogate-key").is_none());

    // Another article's publication: the lists are built again, the first article's page
    // and the organisation's are not.
    let other = "Tuyên dương gương “Dân vận khéo” tiêu biểu năm 2026";
    published(&app, &n, other).await;
    let (cache, _, _, body) = rest(&app, list).await;
    assert_eq!(cache.as_deref(), Some("MISS"));
    assert_eq!(
        body["items"][0]["title"], other,
        "Vietnamese text byte-exact"
    );
    assert_eq!(rest(&app, &page).await.0.as_deref(), Some("HIT"));
    assert_eq!(rest(&app, &organisation).await.0.as_deref(), Some("HIT"));

    // An edit of the first article: its page is built again.
    let edited = "Sơ kết 6 tháng thực hiện Quy chế dân chủ ở cơ sở năm 2026";
    retitled(&app, &n, &article, version, edited).await;
    let (cache, _, _, body) = rest(&app, &page).await;
    assert_eq!(cache.as_deref(), Some("MISS"));
    assert_eq!(body["title"], edited);
    assert_eq!(rest(&app, &organisation).await.0.as_deref(), Some("HIT"));
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    json_api_answers_are_kept_by_what_they_show,
    kept_answers_change_with_what_they_show,
    a_persisted_query_is_kept_and_a_scheduled_article_comes_at_its_time,
);
