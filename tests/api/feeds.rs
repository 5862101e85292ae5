//! Feeds and sitemaps through the real router: each feed parsed back by a real parser
//! (feed-rs reads RSS, Atom and JSON Feed) and checked field by field against the JSON
//! API's articles; sitemaps paged at a small limit; `robots.txt`.

use crate::helpers::TestApp;
use crate::newsroom::{draft, newsroom};
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const SITE: &str = "dan-van-lam-son";
const API: &str = "https://api.danvan.example.vn";

fn settings() -> Settings {
    let mut settings = Settings::default();
    settings.syndication.api_url = Some(format!("{API}/"));
    settings
}

/// GETs `path`: the status, the content type and the body.
async fn fetch(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

/// The JSON API's whole articles for `query`, as the reference a feed is checked against.
async fn reference(app: &TestApp, query: &str) -> Vec<Value> {
    let path = format!("/api/v1/articles?{query}&limit=50&full=true&include=tags");
    let (status, _, body) = fetch(app, &path).await;
    assert_eq!(status, 200, "{path}");
    let body: Value = serde_json::from_slice(&body).unwrap();
    body["items"].as_array().unwrap().clone()
}

/// A time of the JSON API to the second, as feeds write it.
fn time(text: &str) -> chrono::DateTime<chrono::Utc> {
    use chrono::Timelike;
    let at = chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&chrono::Utc);
    at.with_nanosecond(0).unwrap()
}

/// Reads the feed at `path` with feed-rs and checks every entry against `expected`.
async fn read_back(app: &TestApp, path: &str, expected: &[Value]) -> feed_rs::model::Feed {
    let (status, content_type, body) = fetch(app, path).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let media = if path.ends_with("rss.xml") {
        "application/rss+xml; charset=utf-8"
    } else if path.ends_with("atom.xml") {
        "application/atom+xml; charset=utf-8"
    } else {
        "application/feed+json; charset=utf-8"
    };
    assert_eq!(content_type, media, "{path}");
    let feed = feed_rs::parser::parse(body.as_slice())
        .unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
    assert_eq!(feed.language.as_deref(), Some("vi"), "{path}");
    assert_eq!(
        feed.entries.len(),
        expected.len(),
        "{path}: the same articles as the JSON API"
    );
    for (entry, article) in feed.entries.iter().zip(expected) {
        let id = article["id"].as_str().unwrap();
        assert_eq!(entry.id, format!("{API}/api/v1/articles/{id}"), "{path}");
        let title = entry.title.as_ref().unwrap();
        assert_eq!(title.content, article["title"].as_str().unwrap(), "{path}");
        assert_eq!(
            entry.links[0].href,
            article["url"].as_str().unwrap(),
            "{path}: the site's address of it"
        );
        assert_eq!(
            entry.published,
            Some(time(article["publishedAt"].as_str().unwrap())),
            "{path}"
        );
        let lead = article["lead"].as_str().unwrap();
        if !lead.is_empty() {
            assert_eq!(entry.summary.as_ref().unwrap().content, lead, "{path}");
        }
        let body = entry.content.as_ref().and_then(|c| c.body.as_deref());
        assert_eq!(body, article["bodyHtml"].as_str(), "{path}: the whole body");
        let tags: BTreeSet<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        let expected_tags: BTreeSet<&str> = article["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tags, expected_tags, "{path}");
        let authors: Vec<&str> = entry.authors.iter().map(|a| a.name.as_str()).collect();
        let expected_authors: Vec<&str> = article["authors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        if !expected_authors.is_empty() {
            assert_eq!(authors, expected_authors, "{path}");
        }
    }
    feed
}

async fn every_feed_reads_back_as_written(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_with(&t, &settings()).await;
    let all = reference(&app, &format!("site={SITE}")).await;
    assert!(all.len() >= 3, "the demo site has articles");
    assert!(
        all.iter().all(|a| a["url"]
            .as_str()
            .unwrap()
            .starts_with("https://danvan.lamson.example/tin-tuc/")),
        "addresses from the site's pattern"
    );
    for file in ["rss.xml", "atom.xml", "feed.json"] {
        let feed = read_back(&app, &format!("/feeds/{SITE}/{file}"), &all).await;
        assert_eq!(
            feed.title.unwrap().content,
            "Trang thông tin Dân vận tỉnh Lam Sơn"
        );
        // The default site (the first) answers at the short addresses too.
        read_back(&app, &format!("/feeds/{file}"), &all).await;
    }

    // The raw documents: a self link, a TTL, dates in Vietnam time, a stable GUID.
    let (_, _, rss) = fetch(&app, &format!("/feeds/{SITE}/rss.xml")).await;
    let rss = String::from_utf8(rss).unwrap();
    assert!(rss.contains(&format!(
        "<atom:link href=\"{API}/feeds/{SITE}/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>"
    )));
    assert!(rss.contains("<ttl>15</ttl>"));
    assert!(
        rss.contains("<pubDate>Wed, 15 Oct 2025 09:00:00 +0700</pubDate>"),
        "{rss}"
    );
    assert!(rss.contains("<guid isPermaLink=\"false\">"));
    assert!(rss.contains("<content:encoded>"));
    let (_, _, json_feed) = fetch(&app, &format!("/feeds/{SITE}/feed.json")).await;
    let json_feed: Value = serde_json::from_slice(&json_feed).unwrap();
    assert_eq!(json_feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        json_feed["feed_url"],
        format!("{API}/feeds/{SITE}/feed.json")
    );
    for item in json_feed["items"].as_array().unwrap() {
        assert!(
            item["id"].is_string() && item["content_html"].is_string(),
            "{item}"
        );
        assert!(item["date_published"].as_str().unwrap().ends_with("+07:00"));
    }

    // A feed for each thing a site's news is about, the same articles as the JSON API's
    // filter of it.
    let site: Value =
        serde_json::from_slice(&fetch(&app, &format!("/api/v1/sites/{SITE}")).await.2).unwrap();
    let home_id = site["organisationId"].as_str().unwrap().to_owned();
    let home: Value = serde_json::from_slice(
        &fetch(&app, &format!("/api/v1/organisations/{home_id}"))
            .await
            .2,
    )
    .unwrap();
    let home_slug = home["slug"].as_str().unwrap();
    let campaigns: Value =
        serde_json::from_slice(&fetch(&app, "/api/v1/campaigns").await.2).unwrap();
    let campaign = campaigns["items"][0].clone();
    let cases = [
        (
            format!("organisations/{home_slug}"),
            format!("organisation={home_id}"),
        ),
        (
            format!("organisations/{home_slug}/subtree"),
            format!("organisation={home_id}&includeSubtree=true"),
        ),
        ("tags/dan-van-kheo".into(), "tag=dan-van-kheo".into()),
        (
            format!("campaigns/{}", campaign["slug"].as_str().unwrap()),
            format!("campaign={}", campaign["id"].as_str().unwrap()),
        ),
        (
            "meetings/final-review".into(),
            "meetingKind=FINAL_REVIEW".into(),
        ),
    ];
    let mut found_any = 0;
    for (scope, filter) in &cases {
        let expected = reference(&app, &format!("site={SITE}&{filter}")).await;
        found_any += usize::from(!expected.is_empty());
        for file in ["rss.xml", "atom.xml", "feed.json"] {
            read_back(&app, &format!("/feeds/{SITE}/{scope}/{file}"), &expected).await;
        }
    }
    assert!(found_any >= 3, "most scopes have articles in the demo data");

    // `limit`, and what is refused.
    let two = &all[..2];
    read_back(&app, &format!("/feeds/{SITE}/feed.json?limit=2"), two).await;
    for (path, status) in [
        ("/feeds/khong-co/rss.xml", 404),
        (&*format!("/feeds/{SITE}/rss.txt"), 404),
        (&*format!("/feeds/{SITE}/tags/khong-co/atom.xml"), 404),
        (&*format!("/feeds/{SITE}/meetings/hop-mat/feed.json"), 404),
        (&*format!("/feeds/{SITE}/rss.xml?limit=0"), 400),
        (&*format!("/feeds/{SITE}/rss.xml?limt=5"), 400),
    ] {
        let (got, content_type, body) = fetch(&app, path).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(content_type, "application/problem+json", "{path}");
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert!(problem["code"].is_string(), "{path}: {problem}");
    }

    // Revalidated and compressed as the JSON API's answers are.
    let path = format!("/feeds/{SITE}/atom.xml");
    let response = app.client.get(app.url(&path)).send().await.unwrap();
    let tag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(response.headers().contains_key("last-modified"));
    let again = app
        .client
        .get(app.url(&path))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let gzip = app
        .client
        .get(app.url(&path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");

    // An edit changes what the feed says, not the item's id; a new article comes first.
    let n = newsroom(&t, &app).await;
    let newest = all[0]["id"].as_str().unwrap();
    let article = app
        .graphql_as(
            &n.editor,
            "query($id: ID!) { node(id: $id) { ... on Article { version } } }",
            json!({ "id": newest }),
        )
        .await;
    let version = article["data"]["node"]["version"].as_i64().unwrap();
    let edited = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
            json!({ "id": newest, "v": version, "input": {
                "title": "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng (15/10/1930 – 15/10/2025)",
                "images": [{ "url": "https://danvan.lamson.example/anh/gap-mat.png", "caption": "Quang cảnh buổi gặp mặt" }],
            } }),
        )
        .await;
    assert!(edited["errors"].is_null(), "{edited}");
    let (id, version) = draft(
        &app,
        &n.editor,
        "Hội nghị giao ban công tác dân vận tháng 12",
    )
    .await;
    let published = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
            json!({ "id": id, "v": version }),
        )
        .await;
    assert!(published["errors"].is_null(), "{published}");
    let now = reference(&app, &format!("site={SITE}")).await;
    assert_eq!(now[0]["id"], id.as_str());
    let feed = read_back(&app, &format!("/feeds/{SITE}/rss.xml"), &now).await;
    let edited_entry = feed
        .entries
        .iter()
        .find(|e| e.id == format!("{API}/api/v1/articles/{newest}"))
        .expect("the same id after the edit");
    assert!(
        edited_entry
            .title
            .as_ref()
            .unwrap()
            .content
            .ends_with("15/10/2025)")
    );
    // Its first image is the enclosure (RSS, Atom) and the image (JSON Feed).
    let (_, _, rss) = fetch(&app, &format!("/feeds/{SITE}/rss.xml")).await;
    assert!(String::from_utf8(rss).unwrap().contains(
        "<enclosure url=\"https://danvan.lamson.example/anh/gap-mat.png\" length=\"0\" type=\"image/png\"/>"
    ));
    let (_, _, json_feed) = fetch(&app, &format!("/feeds/{SITE}/feed.json")).await;
    let json_feed: Value = serde_json::from_slice(&json_feed).unwrap();
    let item = json_feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == format!("{API}/api/v1/articles/{newest}").as_str())
        .unwrap();
    assert_eq!(
        item["image"],
        "https://danvan.lamson.example/anh/gap-mat.png"
    );
    app.stop().await;

    // A site that keeps its bodies to itself: the lead only.
    let site = danvan_store::site::by_slug(&t.db, &danvan_domain::Slug::parse(SITE).unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut data = site.data.clone();
    data.full_text_feeds = false;
    danvan_store::site::update(&t.db, site.id, Some(site.version), &data)
        .await
        .unwrap();
    let app = TestApp::start_with(&t, &settings()).await;
    for file in ["rss.xml", "atom.xml"] {
        let (_, _, body) = fetch(&app, &format!("/feeds/{SITE}/{file}")).await;
        let feed = feed_rs::parser::parse(body.as_slice()).unwrap();
        assert!(
            feed.entries.iter().all(|e| e.content.is_none()),
            "{file}: no body"
        );
    }
    let (_, _, body) = fetch(&app, &format!("/feeds/{SITE}/feed.json")).await;
    let json_feed: Value = serde_json::from_slice(&body).unwrap();
    for item in json_feed["items"].as_array().unwrap() {
        assert!(item["content_html"].is_null() && item["content_text"].is_string());
    }
    app.stop().await;
    t
}

/// The addresses in `<loc>` of a sitemap.
fn locations(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|part| part.split("</loc>").next().unwrap().to_owned())
        .collect()
}

async fn sitemaps_list_every_public_article(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = settings();
    settings.syndication.sitemap_max_urls = 2;
    let app = TestApp::start_with(&t, &settings).await;
    let (status, content_type, index) = fetch(&app, "/sitemap.xml").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/xml; charset=utf-8");
    let index = String::from_utf8(index).unwrap();
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let files = locations(&index);
    let (_, _, counted) = fetch(
        &app,
        &format!("/api/v1/articles?site={SITE}&count=true&limit=1"),
    )
    .await;
    let total = serde_json::from_slice::<Value>(&counted).unwrap()["totalCount"]
        .as_u64()
        .unwrap();
    let ours: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with(&format!("{API}/sitemaps/{SITE}/articles-")))
        .collect();
    assert_eq!(
        ours.len() as u64,
        total.div_ceil(2),
        "files of two: {index}"
    );
    assert!(files.contains(&format!("{API}/sitemaps/{SITE}/news.xml")));

    // Every public article once, at its address, with its last change.
    let expected: BTreeSet<String> = reference(&app, &format!("site={SITE}"))
        .await
        .iter()
        .map(|a| a["url"].as_str().unwrap().to_owned())
        .collect();
    let mut listed = BTreeSet::new();
    for file in &ours {
        let path = file.strip_prefix(API).unwrap();
        let (status, _, body) = fetch(&app, path).await;
        assert_eq!(status, 200, "{path}");
        let body = String::from_utf8(body).unwrap();
        let here = locations(&body);
        assert!(here.len() <= 2, "{path}");
        assert_eq!(body.matches("<lastmod>").count(), here.len());
        assert!(body.contains("+07:00</lastmod>"));
        listed.extend(here);
    }
    assert_eq!(listed, expected);
    let past = format!("/sitemaps/{SITE}/articles-{}.xml", ours.len() + 1);
    assert_eq!(fetch(&app, &past).await.0, 404);
    assert_eq!(
        fetch(&app, &format!("/sitemaps/{SITE}/articles-x.xml"))
            .await
            .0,
        404
    );

    // The news sitemap: what was published in the last two days, named for Google News.
    let (_, _, news) = fetch(&app, &format!("/sitemaps/{SITE}/news.xml")).await;
    assert!(
        locations(&String::from_utf8(news).unwrap()).is_empty(),
        "the demo is older"
    );
    let n = newsroom(&t, &app).await;
    let (id, version) = draft(
        &app,
        &n.editor,
        "Hội nghị giao ban công tác dân vận & tôn giáo",
    )
    .await;
    let published = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { slug } }",
            json!({ "id": id, "v": version }),
        )
        .await;
    let slug = published["data"]["publishArticle"]["slug"]
        .as_str()
        .unwrap();
    let (_, _, news) = fetch(&app, &format!("/sitemaps/{SITE}/news.xml")).await;
    let news = String::from_utf8(news).unwrap();
    assert_eq!(
        locations(&news),
        vec![format!("https://danvan.lamson.example/tin-tuc/{slug}")]
    );
    assert!(news.contains("<news:name>Trang thông tin Dân vận tỉnh Lam Sơn</news:name>"));
    assert!(news.contains("<news:language>vi</news:language>"));
    assert!(
        news.contains("<news:title>Hội nghị giao ban công tác dân vận &amp; tôn giáo</news:title>")
    );

    // robots.txt names the index and each news sitemap.
    let (status, _, robots) = fetch(&app, "/robots.txt").await;
    assert_eq!(status, 200);
    let robots = String::from_utf8(robots).unwrap();
    assert!(robots.contains(&format!("Sitemap: {API}/sitemap.xml\n")));
    assert!(robots.contains(&format!("Sitemap: {API}/sitemaps/{SITE}/news.xml\n")));
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    every_feed_reads_back_as_written,
    sitemaps_list_every_public_article,
);
