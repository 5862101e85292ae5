use crate::helpers::{TestApp, error_code};
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

const NEWEST: &str = r#"
query Newest($site: String, $first: Int!, $after: String) {
  articles(filter: { site: $site }, first: $first, after: $after) {
    edges { cursor node { id slug title publishedAt status site { slug name } tags { name slug } authors { name organisation } source { name url } organisations { name kind level } images { caption } } }
    pageInfo { hasNextPage endCursor }
  }
}"#;

fn titles(response: &Value) -> Vec<String> {
    response["data"]["articles"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_newest_articles_come_back_with_vietnamese_titles_intact(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let response = app.graphql(NEWEST, json!({ "first": 3 })).await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(
        titles(&response),
        [
            "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng",
            "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021-2025",
            "Triển khai nhiệm vụ thực hiện Quy chế dân chủ ở cơ sở năm 2025",
        ]
    );
    let first = &response["data"]["articles"]["edges"][1]["node"];
    assert_eq!(first["publishedAt"], "2025-10-14T17:05:00+07:00");
    assert_eq!(first["site"]["slug"], "dan-van-lam-son");
    assert_eq!(first["tags"][0]["name"], "Dân vận khéo");
    assert_eq!(first["authors"][1]["name"], "Thu Trang");
    assert_eq!(first["organisations"][0]["kind"], "PARTY_BOARD");
    assert_eq!(first["status"], "PUBLISHED");
    for title in titles(&response) {
        assert!(danvan_text::is_nfc(&title));
    }
    app.stop().await;
    t
}

async fn cursors_page_through_every_public_article_once(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let mut seen = Vec::new();
    let mut times = Vec::new();
    let mut after = Value::Null;
    loop {
        let response = app
            .graphql(NEWEST, json!({ "first": 2, "after": after }))
            .await;
        let articles = &response["data"]["articles"];
        for edge in articles["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
            times.push(edge["node"]["publishedAt"].as_str().unwrap().to_owned());
        }
        if articles["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = articles["pageInfo"]["endCursor"].clone();
    }
    // Eight demo articles, one of them a draft.
    assert_eq!(seen.len(), 7);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7);
    let mut newest_first = times.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, newest_first);
    app.stop().await;
    t
}

async fn a_site_filter_keeps_that_sites_articles(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let response = app
        .graphql(NEWEST, json!({ "first": 20, "site": "phu-thinh" }))
        .await;
    let edges = response["data"]["articles"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 3);
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["site"]["slug"] == "phu-thinh")
    );
    let unknown = app
        .graphql(NEWEST, json!({ "first": 20, "site": "khong-co" }))
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");
    app.stop().await;
    t
}

async fn an_article_is_found_by_slug_and_by_id_but_drafts_are_not(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = "query($site: String, $slug: String, $id: ID) { article(site: $site, slug: $slug, id: $id) { id title body source { name } images { caption } } }";
    let slug = "phu-thinh-so-ket-cong-tac-dan-van-6-thang-dau-nam-2024";
    let by_slug = app
        .graphql(query, json!({ "site": "phu-thinh", "slug": slug }))
        .await;
    let article = &by_slug["data"]["article"];
    assert_eq!(
        article["title"],
        "Phú Thịnh sơ kết công tác dân vận 6 tháng đầu năm 2024"
    );
    assert!(article["body"].as_str().unwrap().contains("Huyện uỷ"));
    assert!(article["body"].as_str().unwrap().contains("Huyện ủy"));
    assert!(
        article["images"][0]["caption"]
            .as_str()
            .unwrap()
            .starts_with("Đồng chí Hà Minh Đức")
    );
    let by_id = app.graphql(query, json!({ "id": article["id"] })).await;
    assert_eq!(by_id["data"]["article"], *article);

    let draft = app
        .graphql(
            query,
            json!({ "site": "dan-van-lam-son", "slug": "ban-tin-dan-van-thang-12" }),
        )
        .await;
    assert!(draft["errors"].is_null(), "{draft}");
    assert!(draft["data"]["article"].is_null());
    let neither = app.graphql(query, json!({ "site": "phu-thinh" })).await;
    assert_eq!(error_code(&neither), "BAD_USER_INPUT");
    let wrong_kind = app.graphql(query, json!({ "id": "U2l0ZTox" })).await;
    assert_eq!(error_code(&wrong_kind), "BAD_USER_INPUT");
    app.stop().await;
    t
}

async fn bad_page_requests_get_stable_error_codes(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let too_many = app.graphql(NEWEST, json!({ "first": 101 })).await;
    assert_eq!(error_code(&too_many), "LIMIT_EXCEEDED");
    let none = app.graphql(NEWEST, json!({ "first": 0 })).await;
    assert_eq!(error_code(&none), "BAD_USER_INPUT");
    let bad_cursor = app
        .graphql(NEWEST, json!({ "first": 2, "after": "bm90IGEgY3Vyc29y" }))
        .await;
    assert_eq!(error_code(&bad_cursor), "BAD_USER_INPUT");
    assert!(!bad_cursor.to_string().contains("SELECT"));
    app.stop().await;
    t
}

async fn sites_are_listed(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let response = app
        .graphql(
            "{ sites(first: 10) { edges { node { slug name } } } site(slug: \"lstv\") { name } }",
            json!({}),
        )
        .await;
    let slugs: Vec<&str> = response["data"]["sites"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["dan-van-lam-son", "phu-thinh", "lstv"]);
    assert_eq!(
        response["data"]["site"]["name"],
        "Đài Phát thanh và Truyền hình Lam Sơn"
    );
    app.stop().await;
    t
}

/// The home page of a portal: the newest articles with everything a teaser shows.
const HOME_PAGE: &str = r#"
query Home($first: Int!) {
  articles(first: $first) {
    edges { node { title slug publishedAt site { name slug } organisations { name } authors { name } tags { name } images { caption url } source { name } meeting { title kind } } }
  }
}"#;

async fn the_home_page_query_costs_the_same_few_statements_for_5_or_50_articles(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_domain::article::{ArticleData, ArticleStatus, Author, Image};
    use danvan_domain::{Body, Name, Title};
    danvan_server::demo::load(&t.db).await.unwrap();
    // Sixty more articles, each with a byline, an image, tags, an organisation and a meeting.
    let site =
        danvan_store::site::by_slug(&t.db, &danvan_domain::Slug::parse("phu-thinh").unwrap())
            .await
            .unwrap()
            .unwrap();
    let tags = danvan_store::tag::list(&t.db, &danvan_store::PageRequest::first(10))
        .await
        .unwrap()
        .items;
    let orgs = danvan_store::organisation::list(
        &t.db,
        &Default::default(),
        &danvan_store::PageRequest::first(10),
    )
    .await
    .unwrap()
    .items;
    let meetings = danvan_store::meeting::list(
        &t.db,
        &Default::default(),
        &danvan_store::PageRequest::first(10),
    )
    .await
    .unwrap()
    .items;
    for i in 0..60 {
        let title = Title::parse(&format!("Tin hoạt động dân vận số {i}")).unwrap();
        let mut data =
            ArticleData::draft(site.id, title, Body::parse("Nội dung.").unwrap()).unwrap();
        data.status = ArticleStatus::Published;
        data.published_at = Some(minutes_ago(i));
        data.authors = vec![Author::named(Name::parse("Phóng viên").unwrap())];
        data.images = vec![Image {
            media_id: None,
            url: None,
            caption: Some(format!("Ảnh {i}")),
            alt: None,
        }];
        data.tag_ids = vec![tags[i % tags.len()].id];
        data.organisation_ids = vec![orgs[i % orgs.len()].id];
        data.meeting_id = Some(meetings[i % meetings.len()].id);
        danvan_store::article::create(&t.db, &data).await.unwrap();
    }
    let (app, statements) = TestApp::start_counting(&t).await;
    let mut counts = Vec::new();
    for first in [5, 50] {
        let before = statements.load(std::sync::atomic::Ordering::SeqCst);
        let response = app.graphql(HOME_PAGE, json!({ "first": first })).await;
        assert!(response["errors"].is_null(), "{response}");
        assert_eq!(
            response["data"]["articles"]["edges"]
                .as_array()
                .unwrap()
                .len(),
            first as usize
        );
        counts.push(statements.load(std::sync::atomic::Ordering::SeqCst) - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 5 and for 50 articles: {counts:?}"
    );
    assert!(
        counts[0] <= 20,
        "the home page took {} statements",
        counts[0]
    );
    app.stop().await;
    t
}

fn minutes_ago(minutes: usize) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::minutes(i64::try_from(minutes).unwrap() + 1)
}

async fn articles_can_be_ordered_by_views_and_by_title(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = "query($o: ArticleOrder!) { articles(orderBy: $o, first: 3) { edges { node { title viewCount } } } }";
    let viewed = app.graphql(query, json!({ "o": "MOST_VIEWED" })).await;
    let views: Vec<i64> = viewed["data"]["articles"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["viewCount"].as_i64().unwrap())
        .collect();
    assert_eq!(views, [1285, 902, 733]);
    let by_title = app.graphql(query, json!({ "o": "TITLE" })).await;
    assert_eq!(
        titles(&by_title),
        [
            "Hội nghị chuyên đề nâng cao hiệu quả công tác dân vận chính quyền",
            "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng",
            "Mô hình “Dân vận khéo” trong xây dựng nông thôn mới ở thôn Đồng Tâm",
        ]
    );
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    articles_can_be_ordered_by_views_and_by_title,
    the_home_page_query_costs_the_same_few_statements_for_5_or_50_articles,
    the_newest_articles_come_back_with_vietnamese_titles_intact,
    cursors_page_through_every_public_article_once,
    a_site_filter_keeps_that_sites_articles,
    an_article_is_found_by_slug_and_by_id_but_drafts_are_not,
    bad_page_requests_get_stable_error_codes,
    sites_are_listed,
);
