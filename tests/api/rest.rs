//! The JSON API through the real router: every resource, its errors as problem details,
//! HTTP caching and compression, offline sync, partners' rates and comments.

use crate::helpers::{TestApp, error_code};
use crate::newsroom::{draft, newsroom};
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const SITE: &str = "dan-van-lam-son";

const PUBLISH: &str = "mutation($id: ID!, $v: Int!, $at: DateTime) {
  publishArticle(id: $id, version: $v, at: $at) { version status }
}";

/// GETs `path` and gives back the status, the headers and the body as JSON (null when
/// there is none).
async fn get(app: &TestApp, path: &str) -> (StatusCode, HeaderMap, Value) {
    get_with(app, path, &[]).await
}

async fn get_with(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"))
    };
    (status, headers, body)
}

/// The body of a 200 answer to `path`.
async fn ok(app: &TestApp, path: &str) -> Value {
    let (status, headers, body) = get(app, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    assert_eq!(headers["content-type"], "application/json", "{path}");
    body
}

/// Checks a refusal: its status, its problem details, the parameter it names.
async fn refused(app: &TestApp, path: &str, status: u16, code: &str, parameter: Option<&str>) {
    let (got, headers, body) = get(app, path).await;
    assert_eq!(got.as_u16(), status, "{path}: {body}");
    assert_eq!(
        headers["content-type"], "application/problem+json",
        "{path}"
    );
    assert_eq!(body["status"], status, "{path}");
    assert_eq!(body["code"], code, "{path}: {body}");
    assert!(
        body["type"].as_str().unwrap().starts_with("https://"),
        "{body}"
    );
    assert!(!body["title"].as_str().unwrap().is_empty(), "{body}");
    assert!(!body["detail"].as_str().unwrap().is_empty(), "{body}");
    assert_eq!(body["parameter"].as_str(), parameter, "{path}: {body}");
}

fn first_id(list: &Value) -> String {
    list["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no items in {list}"))
        .to_owned()
}

async fn every_resource_answers(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;

    let sites = ok(&app, "/api/v1/sites").await;
    let lam_son = sites["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == SITE)
        .unwrap();
    assert_eq!(lam_son["name"], "Trang thông tin Dân vận tỉnh Lam Sơn");
    assert_eq!(
        ok(&app, "/api/v1/sites/phu-thinh").await["name"],
        "Trang thông tin điện tử huyện Phú Thịnh"
    );

    // The light form of a list: what a phone needs, no body.
    let list = ok(
        &app,
        "/api/v1/articles?site=dan-van-lam-son&limit=2&count=true",
    )
    .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let first = &items[0];
    for field in [
        "id",
        "slug",
        "title",
        "lead",
        "image",
        "publishedAt",
        "site",
        "viewCount",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert!(first.get("bodyHtml").is_none(), "{first}");
    assert_eq!(first["site"]["slug"], SITE);
    assert!(
        first["publishedAt"].as_str().unwrap().ends_with("+07:00"),
        "{first}"
    );
    assert!(list["totalCount"].as_u64().unwrap() >= 3, "{list}");
    assert_eq!(list["totalCountExact"], true);
    assert_eq!(list["hasMore"], true);

    // The next page by the cursor in the body, and by the Link header.
    let cursor = list["nextCursor"].as_str().unwrap();
    let (_, headers, _) = get(&app, "/api/v1/articles?site=dan-van-lam-son&limit=2").await;
    let link = headers["link"].to_str().unwrap();
    assert!(
        link.ends_with("rel=\"next\"") && link.contains(cursor),
        "{link}"
    );
    let next = link.trim_start_matches('<').split('>').next().unwrap();
    let page2 = ok(&app, next).await;
    let page2_by_cursor = ok(
        &app,
        &format!("/api/v1/articles?site=dan-van-lam-son&limit=2&after={cursor}"),
    )
    .await;
    assert_eq!(page2["items"], page2_by_cursor["items"]);
    assert_ne!(page2["items"][0]["id"], first["id"]);

    // One article, whole, by id and by its address: the same, diacritics as written.
    let id = first["id"].as_str().unwrap();
    let slug = first["slug"].as_str().unwrap();
    let one = ok(&app, &format!("/api/v1/articles/{id}")).await;
    let by_slug = ok(&app, &format!("/api/v1/sites/{SITE}/articles/{slug}")).await;
    assert_eq!(one, by_slug);
    assert_eq!(one["title"], first["title"]);
    assert!(one["bodyHtml"].as_str().unwrap().contains("<p>"), "{one}");
    assert!(
        one.get("authors").is_some() && one.get("images").is_some(),
        "{one}"
    );
    let node = app
        .graphql(
            "query($id: ID!) { node(id: $id) { ... on Article { title } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        node["data"]["node"]["title"], one["title"],
        "the same global ids"
    );

    // Every filter of GraphQL's `articles`, and `include` and `fields`.
    let tagged = ok(&app, "/api/v1/articles?tag=dan-van-kheo&include=tags,organisations,site,authors,images,meeting,source").await;
    for item in tagged["items"].as_array().unwrap() {
        let tags: Vec<&str> = item["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].as_str().unwrap())
            .collect();
        assert!(tags.contains(&"dan-van-kheo"), "{item}");
        assert!(
            item["organisations"].is_array() && item["authors"].is_array(),
            "{item}"
        );
        assert!(item["site"]["description"].is_string(), "{item}");
    }
    let graphql = app
        .graphql(
            "{ articles(filter: { tag: \"dan-van-kheo\" }, first: 20) { nodes { id } } }",
            json!({}),
        )
        .await;
    let graphql_ids: Vec<&Value> = graphql["data"]["articles"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["id"])
        .collect();
    let rest_ids: Vec<&Value> = tagged["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["id"])
        .collect();
    assert_eq!(rest_ids, graphql_ids);
    let trimmed = ok(&app, "/api/v1/articles?fields=title&limit=1").await;
    let keys: BTreeSet<&str> = trimmed["items"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["id", "title"]));
    let searched = ok(
        &app,
        "/api/v1/articles?q=dan%20van%20kheo&site=dan-van-lam-son",
    )
    .await;
    assert!(
        searched["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Dân vận khéo"),
        "{searched}"
    );
    let dated = ok(
        &app,
        "/api/v1/articles?publishedFrom=2025-10-14&publishedTo=2025-10-14",
    )
    .await;
    for item in dated["items"].as_array().unwrap() {
        assert!(
            item["publishedAt"]
                .as_str()
                .unwrap()
                .starts_with("2025-10-14"),
            "{item}"
        );
    }
    let by_kind = ok(
        &app,
        "/api/v1/articles?meetingKind=FINAL_REVIEW&orderBy=MOST_VIEWED",
    )
    .await;
    assert!(by_kind["items"].is_array());

    // Organisations: the tree both ways.
    let roots = ok(&app, "/api/v1/organisations?roots=true").await;
    let root = first_id(&roots);
    let children = ok(&app, &format!("/api/v1/organisations/{root}/children")).await;
    let child = children[0]["id"].as_str().unwrap();
    assert_eq!(
        ok(&app, &format!("/api/v1/organisations/{child}")).await["parentId"],
        root.as_str()
    );
    let ancestors = ok(&app, &format!("/api/v1/organisations/{child}/ancestors")).await;
    assert_eq!(ancestors[0]["id"], root.as_str());
    let subtree = ok(
        &app,
        &format!("/api/v1/articles?organisation={root}&includeSubtree=true&limit=1"),
    )
    .await;
    assert!(subtree["items"].is_array());

    // People with their posts, and who held a post on a day.
    let people = ok(&app, "/api/v1/people?limit=50").await;
    let holder = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| !p["positions"].as_array().unwrap().is_empty())
        .unwrap_or_else(|| panic!("someone holds a post: {people}"));
    let post = &holder["positions"][0];
    let person = ok(
        &app,
        &format!("/api/v1/people/{}", holder["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(person["fullName"], holder["fullName"]);
    let title = post["title"].as_str().unwrap();
    let day = post["start"].as_str().unwrap();
    let organisation = post["organisationId"].as_str().unwrap();
    let held = ok(
        &app,
        &format!(
            "/api/v1/positions?title={}&organisation={organisation}&on={day}",
            urlencode(title)
        ),
    )
    .await;
    assert!(
        held["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["personId"] == holder["id"]),
        "{held}"
    );

    // Meetings, models and their counts, figures and a series.
    let meetings = ok(&app, "/api/v1/meetings").await;
    let meeting = first_id(&meetings);
    assert_eq!(
        ok(&app, &format!("/api/v1/meetings/{meeting}")).await["id"],
        meeting.as_str()
    );
    let models = ok(&app, "/api/v1/dvk-models?count=true").await;
    let model = first_id(&models);
    assert_eq!(
        ok(&app, &format!("/api/v1/dvk-models/{model}")).await["id"],
        model.as_str()
    );
    let counts = ok(&app, "/api/v1/dvk-models/counts?by=FIELD").await;
    let counted: u64 = counts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, models["totalCount"].as_u64().unwrap());
    let figures = ok(&app, "/api/v1/report-figures?limit=100").await;
    let indicator = figures["items"][0]["indicator"]
        .as_str()
        .unwrap()
        .to_owned();
    let series = ok(
        &app,
        &format!("/api/v1/report-figures/series?indicator={indicator}"),
    )
    .await;
    assert!(series.is_array(), "{series}");

    // What the news refers to.
    ok(&app, "/api/v1/documents").await;
    ok(&app, "/api/v1/campaigns").await;
    let tags = ok(&app, "/api/v1/tags?limit=100").await;
    assert!(
        tags["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Dân vận khéo")
    );
    ok(&app, &format!("/api/v1/sites/{SITE}/categories")).await;
    let units = ok(&app, "/api/v1/admin-units?limit=100").await;
    let unit = first_id(&units);
    let one_unit = ok(&app, &format!("/api/v1/admin-units/{unit}")).await;
    assert!(one_unit["predecessors"].is_array() && one_unit["successors"].is_array());

    // Search and suggestions.
    let found = ok(
        &app,
        "/api/v1/search?q=d%C3%A2n%20v%E1%BA%ADn%20kh%C3%A9o&types=ARTICLE,DVK_MODEL",
    )
    .await;
    let first_hit = &found["items"][0];
    assert!(
        ["ARTICLE", "DVK_MODEL"].contains(&first_hit["type"].as_str().unwrap()),
        "{found}"
    );
    assert!(first_hit["snippet"]["text"].is_string());
    let suggested = ok(&app, "/api/v1/suggest?prefix=dan%20van%20kh").await;
    assert!(
        suggested[0]["title"]
            .as_str()
            .unwrap()
            .contains("Dân vận khéo"),
        "{suggested}"
    );

    app.stop().await;
    t
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_owned()
}

async fn errors_are_problem_details(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    refused(
        &app,
        "/api/v1/articles?limt=5",
        400,
        "BAD_USER_INPUT",
        Some("limt"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?limit=0",
        400,
        "BAD_USER_INPUT",
        Some("limit"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?limit=101",
        400,
        "BAD_USER_INPUT",
        Some("limit"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?limit=abc",
        400,
        "BAD_USER_INPUT",
        Some("limit"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?limit=1&limit=2",
        400,
        "BAD_USER_INPUT",
        Some("limit"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?after=nonsense",
        400,
        "BAD_USER_INPUT",
        None,
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?include=comments",
        400,
        "BAD_USER_INPUT",
        Some("include"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?fields=secret",
        400,
        "BAD_USER_INPUT",
        Some("fields"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?publishedFrom=14/10/2025",
        400,
        "BAD_USER_INPUT",
        Some("publishedFrom"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?meetingKind=HOI_NGHI",
        400,
        "BAD_USER_INPUT",
        Some("meetingKind"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?organisation=bad",
        400,
        "BAD_USER_INPUT",
        Some("organisation"),
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?site=khong-co",
        404,
        "NOT_FOUND",
        None,
    )
    .await;
    refused(
        &app,
        "/api/v1/articles?q=dan&tag=khong-co",
        404,
        "NOT_FOUND",
        None,
    )
    .await;
    refused(
        &app,
        "/api/v1/articles/QXJ0aWNsZTo5OTk5",
        404,
        "NOT_FOUND",
        None,
    )
    .await;
    // A site's id is not an article's.
    refused(
        &app,
        "/api/v1/articles/U2l0ZTox",
        400,
        "BAD_USER_INPUT",
        Some("id"),
    )
    .await;
    refused(&app, "/api/v1/sites/khong-co", 404, "NOT_FOUND", None).await;
    refused(
        &app,
        "/api/v1/sites/Không Có",
        400,
        "BAD_USER_INPUT",
        Some("site"),
    )
    .await;
    refused(
        &app,
        "/api/v1/sites/khong-co/articles/x",
        404,
        "NOT_FOUND",
        Some("site"),
    )
    .await;
    refused(&app, "/api/v1/search", 400, "BAD_USER_INPUT", Some("q")).await;
    refused(
        &app,
        &format!("/api/v1/search?q={}", "a".repeat(201)),
        400,
        "LIMIT_EXCEEDED",
        Some("q"),
    )
    .await;
    refused(
        &app,
        "/api/v1/dvk-models/counts",
        400,
        "BAD_USER_INPUT",
        Some("by"),
    )
    .await;
    refused(&app, "/api/v1/sync", 400, "BAD_USER_INPUT", Some("site")).await;
    refused(
        &app,
        "/api/v1/sync?site=dan-van-lam-son&since=abc",
        400,
        "BAD_USER_INPUT",
        Some("since"),
    )
    .await;
    refused(&app, "/api/v1/nothing-here", 404, "NOT_FOUND", None).await;

    // The document the server serves is the one committed, and names each enum's values
    // as the door checks them.
    let served = ok(&app, "/api/v1/openapi.json").await;
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, committed);
    let kinds = served["paths"]["/api/v1/articles"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "meetingKind")
        .unwrap()["schema"]["enum"]
        .clone();
    let every: Vec<String> = danvan_domain::meeting::MeetingKind::ALL
        .iter()
        .map(|k| k.code().to_ascii_uppercase())
        .collect();
    assert_eq!(kinds, json!(every));
    assert_eq!(kinds[3], "BRIEFING");

    // Credentials that do not check out are 401, not the public.
    let (status, headers, body) = get_with(&app, "/api/v1/articles", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(headers.get("www-authenticate").is_none());
    let response = app
        .client
        .post(app.url("/api/v1/articles/QXJ0aWNsZTox/comments"))
        .header("authorization", "Bearer not-a-token")
        .json(&json!({ "authorName": "An", "body": "Hay" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "UNAUTHENTICATED");

    // A body that is not JSON, or not a comment.
    let article = first_id(&ok(&app, "/api/v1/articles?limit=1").await);
    let path = format!("/api/v1/articles/{article}/comments");
    let response = app
        .client
        .post(app.url(&path))
        .body("xin chào")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let response = app
        .client
        .post(app.url(&path))
        .json(&json!({ "authorName": "An", "body": "Hay", "admin": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = app
        .client
        .post(app.url(&path))
        .json(&json!({ "authorName": "An", "body": "x".repeat(501) }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "BAD_USER_INPUT");

    // A method a path does not take.
    let response = app
        .client
        .delete(app.url("/api/v1/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );

    app.stop().await;
    t
}

async fn comments_are_posted_and_limited(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let article = first_id(&ok(&app, "/api/v1/articles?limit=1").await);
    let path = format!("/api/v1/articles/{article}/comments");
    let post = |body: Value| app.client.post(app.url(&path)).json(&body).send();
    let response = post(
        json!({ "authorName": "Nguyễn Thị Hoà", "body": "Mô hình rất thiết thực, cần nhân rộng." }),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 201);
    let comment: Value = response.json().await.unwrap();
    assert_eq!(comment["status"], "PENDING");
    assert_eq!(comment["authorName"], "Nguyễn Thị Hoà");
    // The same quota as GraphQL's `postComment`: five in ten minutes by default.
    for _ in 0..4 {
        let response = post(json!({ "authorName": "An", "body": "Đồng tình" }))
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let over = app
        .graphql(
            "mutation($a: ID!) { postComment(article: $a, authorName: \"An\", body: \"Một lần nữa\") { id } }",
            json!({ "a": article }),
        )
        .await;
    assert_eq!(error_code(&over), "RATE_LIMITED", "{over}");
    let response = post(json!({ "authorName": "An", "body": "Lần nữa" }))
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    app.stop().await;
    t
}

async fn public_answers_revalidate_and_compress(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let path = "/api/v1/articles?site=dan-van-lam-son&limit=5";
    let (status, headers, body) = get(&app, path).await;
    assert_eq!(status, 200);
    let tag = headers["etag"].to_str().unwrap().to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with('"'),
        "a strong tag: {tag}"
    );
    assert_eq!(
        headers["cache-control"],
        "public, max-age=30, stale-while-revalidate=300"
    );
    assert!(
        headers["vary"]
            .to_str()
            .unwrap()
            .contains("accept-encoding")
    );

    // The same request gives the same tag; the client's copy gets a 304 with no body.
    let (_, again, _) = get(&app, path).await;
    assert_eq!(again["etag"], tag.as_str());
    let (status, headers, body304) = get_with(&app, path, &[("if-none-match", &tag)]).await;
    assert_eq!(status, 304);
    assert_eq!(headers["etag"], tag.as_str());
    assert!(body304.is_null());

    // Compressed as asked, each coding its own representation, and revalidated as one.
    for coding in ["gzip", "br", "zstd"] {
        let response = app
            .client
            .get(app.url(path))
            .header("accept-encoding", coding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], coding);
        let coded = response.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(coded, format!("{}-{coding}\"", tag.trim_end_matches('"')));
        let bytes = response.bytes().await.unwrap();
        assert!(
            bytes.len() < serde_json::to_vec(&body).unwrap().len(),
            "{coding}"
        );
        let (status, _, _) = get_with(
            &app,
            path,
            &[("if-none-match", &coded), ("accept-encoding", coding)],
        )
        .await;
        assert_eq!(status, 304, "{coding}");
    }

    // Anything asked with credentials is private.
    let (_, private, _) = get_with(
        &app,
        path,
        &[("authorization", &format!("Bearer {}", n.editor))],
    )
    .await;
    assert_eq!(private["cache-control"], "private, no-store");

    // A write that changes nothing the public sees keeps the tag (the list is built again,
    // the same bytes); a scheduled article's time coming changes it, with no write.
    let (id, version) = draft(&app, &n.editor, "Hội nghị giao ban công tác dân vận quý IV").await;
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let published = app
        .graphql_as(
            &n.editor,
            PUBLISH,
            json!({ "id": id, "v": version, "at": at }),
        )
        .await;
    assert!(published["errors"].is_null(), "{published}");
    let (status, _, _) = get_with(&app, path, &[("if-none-match", &tag)]).await;
    assert_eq!(status, 304, "the scheduled article is not public yet");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let (status, became, listed) = get_with(&app, path, &[("if-none-match", &tag)]).await;
    assert_eq!(status, 200, "the scheduled article became public");
    assert_ne!(became["etag"].to_str().unwrap(), tag);
    assert_eq!(listed["items"][0]["id"], id.as_str());

    // One article: Last-Modified and If-Modified-Since.
    let (_, headers, _) = get(&app, &format!("/api/v1/articles/{id}")).await;
    let modified = headers["last-modified"].to_str().unwrap().to_owned();
    let (status, _, _) = get_with(
        &app,
        &format!("/api/v1/articles/{id}"),
        &[("if-modified-since", &modified)],
    )
    .await;
    assert_eq!(status, 304);

    // GraphQL GET (a persisted query's way) revalidates the same way, and compresses.
    let query = "/graphql?query=%7Bsites%7Bnodes%7Bslug%7D%7D%7D";
    let (status, headers, _) = get(&app, query).await;
    assert_eq!(status, 200);
    let tag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, _) = get_with(&app, query, &[("if-none-match", &tag)]).await;
    assert_eq!(status, 304);
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept-encoding", "gzip")
        .json(&json!({ "query": "{ articles(first: 20) { nodes { title lead } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");

    app.stop().await;
    t
}

/// A client's copy of a site: what its syncs have told it.
#[derive(Default)]
struct Copy {
    articles: BTreeMap<String, Value>,
    token: Option<String>,
}

impl Copy {
    /// Syncs until the answer has no more pages; checks that no article comes twice in
    /// one sync.
    async fn sync(&mut self, app: &TestApp, limit: u32) -> usize {
        let mut seen = BTreeSet::new();
        loop {
            let mut path = format!("/api/v1/sync?site={SITE}&limit={limit}");
            if let Some(token) = &self.token {
                path.push_str(&format!("&since={token}"));
            }
            let page = ok(app, &path).await;
            for article in page["articles"].as_array().unwrap() {
                let id = article["id"].as_str().unwrap().to_owned();
                assert!(seen.insert(id.clone()), "{id} twice in one sync");
                self.articles.insert(id, article.clone());
            }
            for tombstone in page["tombstones"].as_array().unwrap() {
                let id = tombstone["id"].as_str().unwrap().to_owned();
                assert!(seen.insert(id.clone()), "{id} twice in one sync");
                assert!(
                    ["DELETED", "UNPUBLISHED", "ARCHIVED", "SCHEDULED"]
                        .contains(&tombstone["reason"].as_str().unwrap()),
                    "{tombstone}"
                );
                self.articles.remove(&id);
            }
            self.token = Some(page["token"].as_str().unwrap().to_owned());
            if page["hasMore"] == false {
                return seen.len();
            }
        }
    }

    fn titles(&self) -> BTreeMap<String, String> {
        self.articles
            .iter()
            .map(|(id, a)| (id.clone(), a["title"].as_str().unwrap().to_owned()))
            .collect()
    }
}

/// What the public sees of the site now, as GraphQL lists it: id → title.
async fn public_set(app: &TestApp) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut after: Option<String> = None;
    loop {
        let response = app
            .graphql(
                "query($after: String) { articles(filter: { site: \"dan-van-lam-son\" }, first: 100, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        let list = &response["data"]["articles"];
        for node in list["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{response}"))
        {
            out.insert(
                node["id"].as_str().unwrap().to_owned(),
                node["title"].as_str().unwrap().to_owned(),
            );
        }
        if list["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = list["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

async fn gql_ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let response = app.graphql_as(token, query, variables).await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"].clone()
}

async fn a_sync_ends_with_exactly_the_public_set(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    for title in [
        "Ban Dân vận Tỉnh ủy Lam Sơn giao ban công tác dân vận tháng 11",
        "Lan tỏa các mô hình “Dân vận khéo” trong đồng bào dân tộc thiểu số",
        "Đối thoại giữa người đứng đầu cấp ủy với Nhân dân",
    ] {
        let (id, v) = draft(&app, &n.editor, title).await;
        gql_ok(&app, &n.editor, PUBLISH, json!({ "id": id, "v": v })).await;
    }

    // From nothing, in small pages.
    let mut copy = Copy::default();
    copy.sync(&app, 2).await;
    assert!(!copy.articles.is_empty());
    assert_eq!(copy.titles(), public_set(&app).await);
    // Nothing changed: nothing comes.
    assert_eq!(copy.sync(&app, 2).await, 0);

    // Create and publish, change, delete, take back, archive, schedule.
    let (created, v) = draft(
        &app,
        &n.editor,
        "Ra mắt mô hình “Dân vận khéo” ở xã Yên Bình",
    )
    .await;
    gql_ok(&app, &n.editor, PUBLISH, json!({ "id": created, "v": v })).await;
    let public: Vec<String> = copy.articles.keys().cloned().collect();
    let version_of = |id: &str| {
        let id = id.to_owned();
        let app = &app;
        let token = n.editor.clone();
        async move {
            let data = gql_ok(
                app,
                &token,
                "query($id: ID!) { newsroomArticle(id: $id) { version title } }",
                json!({ "id": id }),
            )
            .await;
            data["newsroomArticle"]["version"].as_i64().unwrap()
        }
    };
    let changed = &public[0];
    let v = version_of(changed).await;
    gql_ok(
        &app,
        &n.editor,
        "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
        json!({ "id": changed, "v": v, "input": { "title": "Tiêu đề đã sửa: Hội nghị sơ kết công tác dân vận" } }),
    )
    .await;
    let deleted = &public[1];
    let v = version_of(deleted).await;
    gql_ok(
        &app,
        &n.editor,
        "mutation($id: ID!, $v: Int!) { deleteArticle(id: $id, version: $v) { version } }",
        json!({ "id": deleted, "v": v }),
    )
    .await;
    let unpublished = &public[2];
    let v = version_of(unpublished).await;
    gql_ok(
        &app,
        &n.editor,
        "mutation($id: ID!, $v: Int!) { returnArticleToDraft(id: $id, version: $v) { version } }",
        json!({ "id": unpublished, "v": v }),
    )
    .await;
    let archived = &public[3];
    let v = version_of(archived).await;
    gql_ok(
        &app,
        &n.editor,
        "mutation($id: ID!, $v: Int!) { archiveArticle(id: $id, version: $v) { version } }",
        json!({ "id": archived, "v": v }),
    )
    .await;
    let (scheduled, v) = draft(
        &app,
        &n.editor,
        "Hội nghị tổng kết Quy chế dân chủ ở cơ sở năm 2026",
    )
    .await;
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    gql_ok(
        &app,
        &n.editor,
        PUBLISH,
        json!({ "id": scheduled, "v": v, "at": at }),
    )
    .await;

    copy.sync(&app, 2).await;
    let expected = public_set(&app).await;
    assert_eq!(copy.titles(), expected);
    assert!(copy.articles.contains_key(&created));
    assert!(!copy.articles.contains_key(deleted) && !copy.articles.contains_key(unpublished));
    assert!(!copy.articles.contains_key(archived) && !copy.articles.contains_key(&scheduled));
    assert_eq!(
        copy.titles()[changed],
        "Tiêu đề đã sửa: Hội nghị sơ kết công tác dân vận"
    );

    // The scheduled article enters when its time comes, with no write.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(copy.sync(&app, 2).await, 1);
    assert!(copy.articles.contains_key(&scheduled));
    assert_eq!(copy.titles(), public_set(&app).await);

    // A whole copy the same, in whole form.
    let mut whole = Copy::default();
    let (status, _, page) = get(
        &app,
        &format!("/api/v1/sync?site={SITE}&full=true&limit=500"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page["articles"][0]["bodyHtml"].is_string(), "{page}");
    whole.sync(&app, 100).await;
    assert_eq!(whole.titles(), copy.titles());

    // A token of another site, and one older than the log keeps.
    let token = copy.token.clone().unwrap();
    refused(
        &app,
        &format!("/api/v1/sync?site=phu-thinh&since={token}"),
        400,
        "BAD_USER_INPUT",
        Some("since"),
    )
    .await;
    let site_id = |token: &str| {
        use base64::Engine;
        let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .unwrap();
        String::from_utf8(text)
            .unwrap()
            .split('.')
            .nth(2)
            .unwrap()
            .to_owned()
    };
    let old = {
        use base64::Engine;
        let then = (chrono::Utc::now() - chrono::Duration::days(400)).timestamp_micros();
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("s1.d.{}.1.{then}", site_id(&token)))
    };
    refused(
        &app,
        &format!("/api/v1/sync?site={SITE}&since={old}"),
        410,
        "GONE",
        Some("since"),
    )
    .await;

    app.stop().await;
    t
}

async fn concurrent_writers_are_never_skipped(t: TestDatabase) -> TestDatabase {
    let app = std::sync::Arc::new(TestApp::start(&t).await);
    let n = newsroom(&t, &app).await;
    let mut copy = Copy::default();
    copy.sync(&app, 50).await;
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let app = app.clone();
            let token = n.editor.clone();
            tokio::spawn(async move {
                for i in 0..6 {
                    let (id, v) =
                        draft(&app, &token, &format!("Tin hoạt động dân vận số {w}-{i}")).await;
                    gql_ok(&app, &token, PUBLISH, json!({ "id": id, "v": v })).await;
                }
            })
        })
        .collect();
    // Sync while they write, as a phone would.
    while writers.iter().any(|w| !w.is_finished()) {
        copy.sync(&app, 3).await;
    }
    for writer in writers {
        writer.await.unwrap();
    }
    copy.sync(&app, 3).await;
    let expected = public_set(&app).await;
    assert_eq!(copy.titles(), expected);
    assert_eq!(
        expected
            .values()
            .filter(|t| t.starts_with("Tin hoạt động dân vận số"))
            .count(),
        24
    );
    std::sync::Arc::into_inner(app).unwrap().stop().await;
    t
}

async fn the_article_list_with_every_include_costs_the_same_statements(
    t: TestDatabase,
) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    // Thirty copies of an article that has every relation: a meeting, tags,
    // organisations, authors, images.
    let all = danvan_store::article::list(
        &t.db,
        &danvan_store::article::ArticleFilter::default(),
        danvan_store::article::ArticleOrder::NewestCreated,
        &danvan_store::PageRequest::first(100),
    )
    .await
    .unwrap();
    let model = all
        .items
        .into_iter()
        .find(|a| {
            a.data.meeting_id.is_some()
                && !a.data.tag_ids.is_empty()
                && !a.data.organisation_ids.is_empty()
                && a.data.is_public_at(chrono::Utc::now())
        })
        .expect("an article with every relation");
    let copies: Vec<_> = (0..30)
        .map(|i| {
            let mut data = model.data.clone();
            data.slug = danvan_domain::Slug::parse(&format!("ban-sao-{i}")).unwrap();
            data.canonical_url = None;
            data.fingerprint = None;
            data.related_ids.clear();
            data
        })
        .collect();
    danvan_store::article::create_many(&t.db, &copies)
        .await
        .unwrap();
    let meeting = danvan_service::id::encode("Meeting", model.data.meeting_id.unwrap().0);

    let (app, statements) = TestApp::start_counting(&t).await;
    let mut runs = Vec::new();
    for limit in [3, 30] {
        let path = format!(
            "/api/v1/articles?meeting={meeting}&limit={limit}&count=true&include=site,organisations,tags,authors,images,meeting,source"
        );
        let before = statements.load(std::sync::atomic::Ordering::SeqCst);
        let list = ok(&app, &path).await;
        runs.push(statements.load(std::sync::atomic::Ordering::SeqCst) - before);
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), limit);
        for item in items {
            assert!(!item["tags"].as_array().unwrap().is_empty(), "{item}");
            assert!(
                !item["organisations"].as_array().unwrap().is_empty(),
                "{item}"
            );
            assert_eq!(item["meeting"]["id"], meeting.as_str(), "{item}");
        }
    }
    assert_eq!(
        runs[0], runs[1],
        "statements for 3 and for 30 articles: {runs:?}"
    );
    // The list, its attachments, its count, the sites, the tags, the organisations, and
    // the meetings with their participants and tasks.
    assert!(runs[1] <= 10, "{runs:?}");
    app.stop().await;
    t
}

async fn partners_keys_are_limited_per_minute(t: TestDatabase) -> TestDatabase {
    let mut settings = Settings::default();
    settings.api.key_requests_per_minute = 3;
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_with(&t, &settings).await;
    let n = newsroom(&t, &app).await;
    let created = gql_ok(
        &app,
        &n.admin,
        "mutation { createApiKey(name: \"Báo Lam Sơn\", scopes: [READ]) { key } }",
        json!({}),
    )
    .await;
    let key = created["createApiKey"]["key"].as_str().unwrap().to_owned();
    for remaining in [2, 1, 0] {
        let (status, headers, _) = get_with(&app, "/api/v1/tags", &[("x-api-key", &key)]).await;
        assert_eq!(status, 200);
        assert_eq!(headers["ratelimit-policy"], "3;w=60");
        let now = headers["ratelimit"].to_str().unwrap();
        assert!(
            now.starts_with(&format!("limit=3, remaining={remaining}, reset=")),
            "{now}"
        );
        assert_eq!(headers["cache-control"], "private, no-store");
    }
    let (status, headers, body) = get_with(&app, "/api/v1/tags", &[("x-api-key", &key)]).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["code"], "RATE_LIMITED");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    // The public is not a key's rate.
    let (status, _, _) = get(&app, "/api/v1/tags").await;
    assert_eq!(status, 200);
    // A key that is not one is refused as credentials, not served as the public.
    let (status, _, body) = get_with(&app, "/api/v1/articles/QXJ0aWNsZTox/comments", &[]).await;
    assert_eq!(status, 405, "{body}");
    app.stop().await;
    t
}

async fn graphql_changes_are_the_same_sync(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let n = newsroom(&t, &app).await;
    let query = "query($since: String) { changes(site: \"dan-van-lam-son\", since: $since, first: 2) { articles { id title } tombstones { id reason at } token hasMore } }";
    let mut copy: BTreeMap<String, String> = BTreeMap::new();
    let mut since: Option<String> = None;
    let sync = async |copy: &mut BTreeMap<String, String>, since: &mut Option<String>| loop {
        let response = app.graphql(query, json!({ "since": since })).await;
        let page = &response["data"]["changes"];
        assert!(page.is_object(), "{response}");
        for a in page["articles"].as_array().unwrap() {
            copy.insert(
                a["id"].as_str().unwrap().into(),
                a["title"].as_str().unwrap().into(),
            );
        }
        for gone in page["tombstones"].as_array().unwrap() {
            assert!(gone["at"].as_str().unwrap().ends_with("+07:00"));
            copy.remove(gone["id"].as_str().unwrap());
        }
        *since = page["token"].as_str().map(str::to_owned);
        if page["hasMore"] == false {
            break;
        }
    };
    sync(&mut copy, &mut since).await;
    assert_eq!(copy, public_set(&app).await);
    let (id, v) = draft(
        &app,
        &n.editor,
        "Hội Nông dân xã Yên Bình ra mắt mô hình mới",
    )
    .await;
    gql_ok(&app, &n.editor, PUBLISH, json!({ "id": id, "v": v })).await;
    let gone = copy.keys().next().unwrap().clone();
    let data = gql_ok(
        &app,
        &n.editor,
        "query($id: ID!) { newsroomArticle(id: $id) { version } }",
        json!({ "id": gone }),
    )
    .await;
    let v = data["newsroomArticle"]["version"].as_i64().unwrap();
    gql_ok(
        &app,
        &n.editor,
        "mutation($id: ID!, $v: Int!) { deleteArticle(id: $id, version: $v) { version } }",
        json!({ "id": gone, "v": v }),
    )
    .await;
    sync(&mut copy, &mut since).await;
    assert_eq!(copy, public_set(&app).await);
    assert!(copy.contains_key(&id) && !copy.contains_key(&gone));
    let bad = app
        .graphql(
            "{ changes(site: \"dan-van-lam-son\", since: \"abc\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    app.stop().await;
    t
}

async fn signing_in_through_the_json_api(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    crate::helpers::account(
        &t.db,
        "bientap",
        danvan_domain::account::Role::Editor,
        Some(SITE),
    )
    .await;
    let post = |path: &str, body: Value| app.client.post(app.url(path)).json(&body).send();
    let wrong = post(
        "/api/v1/auth/login",
        json!({ "username": "bientap", "password": "sai" }),
    )
    .await
    .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(wrong.headers()["content-type"], "application/problem+json");
    let signed = post(
        "/api/v1/auth/login",
        json!({ "username": "bientap", "password": crate::helpers::PASSWORD }),
    )
    .await
    .unwrap();
    assert_eq!(signed.status(), 200);
    let tokens: Value = signed.json().await.unwrap();
    assert_eq!(tokens["account"]["role"], "EDITOR");
    assert_eq!(tokens["account"]["displayName"], "Phóng viên Lam Sơn");
    let access = tokens["accessToken"].as_str().unwrap();
    // The token works at both doors.
    let (status, headers, _) = get_with(
        &app,
        "/api/v1/articles",
        &[("authorization", &format!("Bearer {access}"))],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["cache-control"], "private, no-store");
    let me = app
        .graphql_as(access, "{ me { username } }", json!({}))
        .await;
    assert_eq!(me["data"]["me"]["username"], "bientap", "{me}");
    let refreshed = post(
        "/api/v1/auth/refresh",
        json!({ "refreshToken": tokens["refreshToken"] }),
    )
    .await
    .unwrap();
    assert_eq!(refreshed.status(), 200);
    let next: Value = refreshed.json().await.unwrap();
    let out = post(
        "/api/v1/auth/logout",
        json!({ "refreshToken": next["refreshToken"] }),
    )
    .await
    .unwrap();
    assert_eq!(out.status(), 204);
    let again = post(
        "/api/v1/auth/refresh",
        json!({ "refreshToken": next["refreshToken"] }),
    )
    .await
    .unwrap();
    assert_eq!(again.status(), 401);
    let log = app
        .graphql_as(
            access,
            "{ auditLog(filter: { operation: \"login\" }) { nodes { outcome } } }",
            json!({}),
        )
        .await;
    // An editor may not read the log; the entries are checked in the auth tests.
    assert_eq!(error_code(&log), "FORBIDDEN");
    app.stop().await;
    t
}

/// The public view kept in memory: a kept list is the list built, with the same headers;
/// a write through this server is seen at once, a write by another process (here, the
/// store written directly) once `validator_max_age_ms` has passed, and with no answers
/// kept the same requests answer the same.
async fn kept_answers_follow_every_write(t: TestDatabase) -> TestDatabase {
    let mut settings = Settings::default();
    settings.api.validator_max_age_ms = 200;
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_with(&t, &settings).await;
    let path = "/api/v1/articles?site=dan-van-lam-son&limit=2";
    let (status, built_headers, built) = get(&app, path).await;
    assert_eq!(status, 200);
    let (_, kept_headers, kept) = get(&app, path).await;
    assert_eq!(kept, built);
    for name in ["etag", "content-type", "link", "cache-control", "vary"] {
        assert_eq!(kept_headers.get(name), built_headers.get(name), "{name}");
    }
    assert!(
        built_headers.contains_key("link"),
        "a next page: {built_headers:?} {built}"
    );

    // Another process deletes the newest article: seen once the validator is read again.
    let newest = built["items"][0]["id"].as_str().unwrap().to_owned();
    let raw = danvan_service::id::decode("Article", &newest).unwrap();
    danvan_store::article::delete(&t.db, danvan_domain::ArticleId(raw), None)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (_, headers, listed) = get(&app, path).await;
    assert_ne!(headers["etag"], built_headers["etag"]);
    assert_ne!(listed["items"][0]["id"], newest.as_str());
    assert_eq!(listed["items"][0], built["items"][1]);

    // Restored through GraphQL, on this server: seen by the very next request.
    let n = newsroom(&t, &app).await;
    let restored = app
        .graphql_as(
            &n.admin,
            "mutation($id: ID!) { restoreArticle(id: $id) { id } }",
            json!({ "id": newest }),
        )
        .await;
    assert!(restored["errors"].is_null(), "{restored}");
    let (_, headers, listed) = get(&app, path).await;
    let ids = |list: &Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&listed), ids(&built));
    app.stop().await;
    let built = listed;
    let built_headers = headers;

    // Nothing kept, nothing trusted: the same answers.
    settings.api.validator_max_age_ms = 0;
    settings.api.response_cache_mb = 0;
    let app = TestApp::start_with(&t, &settings).await;
    let (_, headers, listed) = get(&app, path).await;
    assert_eq!(listed, built);
    assert_eq!(headers["etag"], built_headers["etag"]);
    app.stop().await;
    t
}

/// Two servers on one PostgreSQL: a write through one is seen by the other at once, its
/// kept answers and tags moved by the commit's notification (the validator is trusted for
/// ten minutes here, so nothing else could move them).
async fn another_servers_write_is_seen_at_once(t: TestDatabase) -> TestDatabase {
    if t.url.starts_with("sqlite") {
        // One process serves an embedded database; nothing to follow.
        return t;
    }
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = Settings::default();
    settings.api.validator_max_age_ms = 600_000;
    let writer = TestApp::start_with(&t, &settings).await;
    let reader = TestApp::start_delivering(&t, &settings).await;
    let path = "/api/v1/articles?site=dan-van-lam-son&limit=3";
    let (_, before_headers, before) = get(&reader, path).await;
    // Kept on the reader now.
    let (_, kept_headers, _) = get(&reader, path).await;
    assert_eq!(kept_headers["etag"], before_headers["etag"]);
    let n = newsroom(&t, &writer).await;
    let (id, version) = draft(
        &writer,
        &n.editor,
        "Hội nghị trực tuyến toàn tỉnh về công tác dân vận",
    )
    .await;
    let published = writer
        .graphql_as(
            &n.editor,
            PUBLISH,
            json!({ "id": id, "v": version, "at": null }),
        )
        .await;
    assert!(published["errors"].is_null(), "{published}");
    let mut seen = Value::Null;
    for _ in 0..100 {
        let (_, _, listed) = get(&reader, path).await;
        if listed["items"][0]["id"] == id.as_str() {
            seen = listed;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        seen["items"][0]["id"],
        id.as_str(),
        "the other server's list: {before}"
    );
    writer.stop().await;
    reader.stop().await;
    t
}

/// Readers' views, counted through both doors in memory and written a moment later; a
/// view of an article the public cannot read is not counted, and counting writes no audit
/// entry.
async fn views_are_counted_and_written_shortly(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = Settings::default();
    settings.api.view_flush_ms = 100;
    settings.api.response_cache_mb = 0;
    let app = TestApp::start_delivering(&t, &settings).await;
    let path = "/api/v1/articles?site=dan-van-lam-son&limit=1";
    let (_, _, before) = get(&app, path).await;
    let id = before["items"][0]["id"].as_str().unwrap().to_owned();
    let counted = before["items"][0]["viewCount"].as_i64().unwrap();
    let mut posts = Vec::new();
    for _ in 0..40 {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/articles/{id}/views")));
        posts.push(tokio::spawn(request.send()));
    }
    for post in posts {
        assert_eq!(post.await.unwrap().unwrap().status(), 202);
    }
    for _ in 0..10 {
        let answer = app
            .graphql(
                "mutation($a: ID!) { countView(article: $a) }",
                json!({ "a": id }),
            )
            .await;
        assert_eq!(answer["data"]["countView"], true, "{answer}");
    }
    // A draft's views are not counted.
    let n = newsroom(&t, &app).await;
    let (draft_id, _) = draft(&app, &n.editor, "Bản nháp không ai đọc được").await;
    let answer = app
        .graphql(
            "mutation($a: ID!) { countView(article: $a) }",
            json!({ "a": draft_id }),
        )
        .await;
    assert_eq!(answer["data"]["countView"], true);
    let mut now = 0;
    for _ in 0..100 {
        let (_, _, listed) = get(&app, path).await;
        now = listed["items"][0]["viewCount"].as_i64().unwrap();
        if now >= counted + 50 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(now, counted + 50);
    let (_, _, drafted) = get(&app, &format!("/api/v1/articles/{draft_id}")).await;
    assert_eq!(drafted["code"], "NOT_FOUND");
    let log = app
        .graphql_as(
            &n.admin,
            "{ auditLog(filter: { operation: \"countView\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(log["data"]["auditLog"]["totalCount"], 0, "{log}");
    let refused = app
        .client
        .post(app.url("/api/v1/articles/U2l0ZTox/views"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "BAD_USER_INPUT", "{problem}");
    let read = app.get(&format!("/api/v1/articles/{id}/views")).await;
    assert_eq!(read.status(), 405);
    let problem: Value = read.json().await.unwrap();
    assert_eq!(problem["code"], "METHOD_NOT_ALLOWED", "{problem}");
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    signing_in_through_the_json_api,
    graphql_changes_are_the_same_sync,
    every_resource_answers,
    errors_are_problem_details,
    comments_are_posted_and_limited,
    public_answers_revalidate_and_compress,
    a_sync_ends_with_exactly_the_public_set,
    concurrent_writers_are_never_skipped,
    the_article_list_with_every_include_costs_the_same_statements,
    partners_keys_are_limited_per_minute,
    kept_answers_follow_every_write,
    another_servers_write_is_seen_at_once,
    views_are_counted_and_written_shortly,
);
