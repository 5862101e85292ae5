use crate::helpers::{TestApp, error_code};
use danvan_testing::TestDatabase;
use serde_json::json;

async fn a_meeting_shows_its_organiser_chairs_period_and_tasks(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = r#"{
      meetings(filter: { kind: INTERIM_REVIEW }, first: 10) {
        totalCount
        edges { node { id title heldOn location organiser { shortName } chairs { fullName } attendanceNote period { code label start end } tasks } }
      }
      all: meetings(filter: { from: "2025-01-01", to: "2025-12-31" }) { totalCount }
    }"#;
    let response = app.graphql(query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let meetings = &response["data"]["meetings"];
    assert_eq!(meetings["totalCount"], 1);
    let meeting = &meetings["edges"][0]["node"];
    assert_eq!(
        meeting["title"],
        "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024"
    );
    assert_eq!(meeting["heldOn"], "2024-07-09");
    assert_eq!(meeting["organiser"]["shortName"], "Ban Dân vận Huyện ủy");
    assert_eq!(meeting["chairs"], json!([{ "fullName": "Hà Minh Đức" }]));
    assert_eq!(
        meeting["period"],
        json!({ "code": "2024-H1", "label": "6 tháng đầu năm 2024", "start": "2024-01-01", "end": "2024-06-30" })
    );
    assert_eq!(meeting["tasks"].as_array().unwrap().len(), 3);
    assert_eq!(response["data"]["all"]["totalCount"], 2);

    let by_meeting = app
        .graphql(
            "query($m: ID!) { articles(filter: { meeting: $m }) { edges { node { title meeting { title } } } } }",
            json!({ "m": meeting["id"] }),
        )
        .await;
    assert_eq!(
        by_meeting["data"]["articles"]["edges"][0]["node"]["meeting"]["title"],
        meeting["title"]
    );
    app.stop().await;
    t
}

/// Every kind of meeting is a filter at both doors: a briefing and an anniversary are
/// found by their kind, and by no other.
async fn every_kind_of_meeting_filters_at_both_doors(t: TestDatabase) -> TestDatabase {
    use danvan_domain::meeting::{MeetingData, MeetingKind};
    for (title, kind) in [
        (
            "Hội nghị giao ban công tác dân vận quý III năm 2025",
            MeetingKind::Briefing,
        ),
        (
            "Lễ kỷ niệm 95 năm Ngày truyền thống công tác dân vận",
            MeetingKind::Anniversary,
        ),
    ] {
        let data = MeetingData::new(
            danvan_domain::Title::parse(title).unwrap(),
            kind,
            chrono::NaiveDate::from_ymd_opt(2025, 10, 9).unwrap(),
        );
        danvan_store::meeting::create(&t.db, &data).await.unwrap();
    }
    let app = TestApp::start(&t).await;
    let response = app
        .graphql(
            r#"{
              briefings: meetings(filter: { kind: BRIEFING }) { edges { node { title kind } } }
              anniversaries: meetings(filter: { kind: ANNIVERSARY }) { totalCount }
              dialogues: meetings(filter: { kind: DIALOGUE }) { totalCount }
            }"#,
            json!({}),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(
        response["data"]["briefings"]["edges"],
        json!([{ "node": { "title": "Hội nghị giao ban công tác dân vận quý III năm 2025", "kind": "BRIEFING" } }])
    );
    assert_eq!(response["data"]["anniversaries"]["totalCount"], 1);
    assert_eq!(response["data"]["dialogues"]["totalCount"], 0);
    let rest: serde_json::Value = app
        .get("/api/v1/meetings?kind=ANNIVERSARY")
        .await
        .json()
        .await
        .unwrap();
    let titles: Vec<&str> = rest["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{rest}"))
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Lễ kỷ niệm 95 năm Ngày truyền thống công tác dân vận"]
    );
    app.stop().await;
    t
}

async fn models_and_figures_filter_and_keep_their_wording(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = r#"{
      recognised: dvkModels(filter: { status: RECOGNISED }) { totalCount edges { node { name field status recognition { level decision recognisedOn } period { label } area organisation { shortName } } } }
      inPhase: dvkModels(filter: { period: "2023" }) { totalCount }
      economy: dvkModels(filter: { field: ECONOMY }) { edges { node { adminUnit { fullName } } } }
      figures: reportFigures(filter: { indicator: "dvk.models" }) { edges { node { value qualifier unit period { label } wording organisation { shortName } meeting { kind } article { title } } } }
      within: reportFigures(filter: { within: "2024" }) { totalCount edges { node { indicatorKey value denominator ratio } } }
    }"#;
    let response = app.graphql(query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let data = &response["data"];
    assert_eq!(data["recognised"]["totalCount"], 2);
    let first = &data["recognised"]["edges"][0]["node"];
    assert_eq!(first["field"], "ECONOMY");
    assert_eq!(first["recognition"]["level"], "DISTRICT");
    assert_eq!(first["recognition"]["decision"], "Quyết định số 57-QĐ/BCĐ");
    assert_eq!(first["area"], "RURAL");
    assert_eq!(data["inPhase"]["totalCount"], 2);
    assert_eq!(
        data["economy"]["edges"][0]["node"]["adminUnit"]["fullName"],
        "xã Yên Bình"
    );
    let figure = &data["figures"]["edges"][0]["node"];
    assert_eq!(figure["value"], 850.0);
    assert_eq!(figure["qualifier"], "MORE_THAN");
    assert_eq!(figure["period"]["label"], "giai đoạn 2021-2025");
    assert_eq!(figure["meeting"]["kind"], "FINAL_REVIEW");
    assert_eq!(
        figure["article"]["title"],
        "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021-2025"
    );
    assert!(
        figure["wording"]
            .as_str()
            .unwrap()
            .contains("hơn 850 mô hình")
    );
    assert_eq!(data["within"]["totalCount"], 3);
    let petitions = data["within"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["indicatorKey"] == "petitions.resolved")
        .unwrap();
    let ratio = petitions["node"]["ratio"].as_f64().unwrap();
    assert!(ratio > 0.96 && ratio < 0.97, "{ratio}");
    let bad = app
        .graphql(
            "{ dvkModels(filter: { period: \"2020-2016\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
    app.stop().await;
    t
}

async fn documents_campaigns_tags_and_categories_are_listed(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = r#"{
      documents { totalCount edges { node { code kind title issuedOn } } }
      document(code: "25-NQ/TW") { kind issuer }
      campaigns { edges { node { slug name organisation { shortName } } } }
      tags(first: 2) { totalCount pageCount edges { node { name slug } } }
      categories(site: "phu-thinh") { totalCount }
      article(site: "phu-thinh", slug: "phu-thinh-so-ket-cong-tac-dan-van-6-thang-dau-nam-2024") { documents { code } campaigns { slug } related { title } }
    }"#;
    let response = app.graphql(query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let data = &response["data"];
    assert_eq!(data["documents"]["totalCount"], 2);
    assert_eq!(
        data["document"],
        json!({ "kind": "RESOLUTION", "issuer": "Ban Chấp hành Trung ương Đảng" })
    );
    assert_eq!(
        data["campaigns"]["edges"][0]["node"]["slug"],
        "dan-van-kheo"
    );
    assert_eq!(data["tags"]["totalCount"], 4);
    assert_eq!(data["tags"]["pageCount"], 2);
    assert_eq!(data["tags"]["edges"][0]["node"]["slug"], "dan-van-kheo");
    assert_eq!(data["categories"]["totalCount"], 0);
    assert_eq!(
        data["article"]["documents"],
        json!([{ "code": "25-NQ/TW" }])
    );
    assert_eq!(
        data["article"]["campaigns"],
        json!([{ "slug": "dan-van-kheo" }])
    );
    app.stop().await;
    t
}

async fn page_numbers_and_backward_cursors_agree_with_forward_paging(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app
        .graphql(
            "{ articles(first: 100) { totalCount pageCount edges { node { title } } } }",
            json!({}),
        )
        .await;
    let all_titles = titles(&all["data"]["articles"]);
    assert_eq!(all["data"]["articles"]["totalCount"], 7);
    assert_eq!(all["data"]["articles"]["pageCount"], 1);

    let page = app
        .graphql(
            "{ articles(page: 2, pageSize: 3) { totalCount pageCount pageInfo { hasNextPage hasPreviousPage } edges { node { title } } } }",
            json!({}),
        )
        .await;
    let articles = &page["data"]["articles"];
    assert_eq!(titles(articles), all_titles[3..6]);
    assert_eq!(articles["pageCount"], 3);
    assert_eq!(
        articles["pageInfo"],
        json!({ "hasNextPage": true, "hasPreviousPage": true })
    );

    let tail = app
        .graphql("{ articles(last: 2) { pageInfo { hasPreviousPage startCursor } edges { node { title } } } }", json!({}))
        .await;
    assert_eq!(titles(&tail["data"]["articles"]), all_titles[5..]);
    let before = tail["data"]["articles"]["pageInfo"]["startCursor"].clone();
    let earlier = app
        .graphql(
            "query($b: String) { articles(last: 2, before: $b) { edges { node { title } } } }",
            json!({ "b": before }),
        )
        .await;
    assert_eq!(titles(&earlier["data"]["articles"]), all_titles[3..5]);

    for bad in [
        "{ articles(first: 2, last: 2) { totalCount } }",
        "{ articles(page: 2, first: 2) { totalCount } }",
        "{ articles(page: 0) { totalCount } }",
        "{ articles(pageSize: -1, page: 1) { totalCount } }",
    ] {
        let response = app.graphql(bad, json!({})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{bad}: {response}");
    }
    let too_big = app
        .graphql(
            "{ articles(page: 1, pageSize: 101) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&too_big), "LIMIT_EXCEEDED");
    app.stop().await;
    t
}

async fn articles_filter_by_publication_dates_in_vietnam_time(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    // Published 2025-10-14 17:05 and 2025-10-15 09:00, Vietnam time.
    let one_day = app
        .graphql(
            r#"{ articles(filter: { publishedFrom: "2025-10-15", publishedTo: "2025-10-15" }) { edges { node { title } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        one_day["data"]["articles"]["edges"],
        json!([{ "node": { "title": "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng" } }])
    );
    let by_tag = app
        .graphql(
            r#"{ articles(filter: { tag: "dan-van-chinh-quyen" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(by_tag["data"]["articles"]["totalCount"], 2);
    app.stop().await;
    t
}

async fn a_dashboard_gets_counts_and_series_in_one_query(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let ids = app
        .graphql(
            r#"{ organisation(slug: "tinh-uy-lam-son") { id } }"#,
            json!({}),
        )
        .await;
    let query = r#"query($province: ID!) {
      byField: dvkModelCounts(by: FIELD) { key label count }
      byOwner: dvkModelCounts(by: ORGANISATION, filter: { status: RECOGNISED }) { key label count organisation { shortName } }
      byPeriod: dvkModelCounts(by: PERIOD) { key label count period { start } }
      recognised: indicatorSeries(indicator: "dvk.models_recognised", organisation: $province, includeSubtree: true) {
        period { code label } total denominator ratio figures
      }
      provinceOnly: indicatorSeries(indicator: "dvk.models_recognised", organisation: $province) { total }
      later: indicatorSeries(indicator: "petitions.resolved", from: "2024-01-01", to: "2024-12-31") { period { code } total }
    }"#;
    let response = app
        .graphql(
            query,
            json!({ "province": ids["data"]["organisation"]["id"] }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let data = &response["data"];
    assert_eq!(data["byField"].as_array().unwrap().len(), 3);
    assert!(
        data["byField"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["count"] == 1)
    );
    assert!(
        data["byField"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["key"] == "economy" && g["label"] == "Kinh tế")
    );
    assert_eq!(data["byOwner"].as_array().unwrap().len(), 2);
    assert_eq!(
        data["byPeriod"][0],
        json!({ "key": "2021..2025", "label": "giai đoạn 2021-2025", "count": 2, "period": { "start": "2021-01-01" } })
    );
    assert_eq!(
        data["recognised"],
        json!([{ "period": { "code": "2024-H1", "label": "6 tháng đầu năm 2024" }, "total": 12.0, "denominator": 38.0, "ratio": 12.0 / 38.0, "figures": 1 }])
    );
    assert_eq!(data["provinceOnly"], json!([]));
    assert_eq!(
        data["later"],
        json!([{ "period": { "code": "2024" }, "total": 1146.0 }])
    );
    app.stop().await;
    t
}

async fn nested_lists_cost_the_same_statements_however_many_parents(
    t: TestDatabase,
) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let (app, statements) = TestApp::start_counting(&t).await;
    let query = r#"query($orgs: Int!, $each: Int!) {
      organisations(first: $orgs) {
        edges { node { slug articles(first: $each) { totalCount pageInfo { hasNextPage } edges { node { title site { slug } tags { name } } } } } }
      }
    }"#;
    let mut beyond_counts = Vec::new();
    for (orgs, each) in [(3, 1), (20, 5)] {
        let before = statements.load(std::sync::atomic::Ordering::SeqCst);
        let response = app
            .graphql(query, json!({ "orgs": orgs, "each": each }))
            .await;
        assert!(response["errors"].is_null(), "{response}");
        let statements_run = statements.load(std::sync::atomic::Ordering::SeqCst) - before;
        // totalCount is one count a parent when asked for; everything else is batched.
        let parents = response["data"]["organisations"]["edges"]
            .as_array()
            .unwrap()
            .len();
        beyond_counts.push(statements_run - parents);
        if orgs == 20 {
            let edges = response["data"]["organisations"]["edges"]
                .as_array()
                .unwrap();
            let board = edges
                .iter()
                .find(|e| e["node"]["slug"] == "ban-dan-van-tinh-uy-lam-son")
                .unwrap();
            let titles: Vec<&str> = board["node"]["articles"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["title"].as_str().unwrap())
                .collect();
            assert_eq!(
                titles,
                [
                    "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng",
                    "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021-2025",
                ]
            );
            assert_eq!(board["node"]["articles"]["totalCount"], 2);
        }
    }
    // Ten parents cost what three do. On a loaded machine the articles of some parents may
    // come in a second batch, and their tags in a second one (their sites already loaded):
    // two statements more at most, where a statement per parent would be ten.
    assert!(
        beyond_counts[1] <= beyond_counts[0] + 2,
        "statements beyond the counts: {beyond_counts:?}"
    );
    assert!(beyond_counts[0] <= 15, "{beyond_counts:?}");
    app.stop().await;
    t
}

async fn meetings_articles_people_and_comments_link_up(t: TestDatabase) -> TestDatabase {
    use danvan_domain::comment::{CommentData, CommentStatus};
    use danvan_domain::{CommentBody, Name, Slug};
    let app = TestApp::start(&t).await;
    let site = danvan_store::site::by_slug(&t.db, &Slug::parse("phu-thinh").unwrap())
        .await
        .unwrap()
        .unwrap();
    let slug = Slug::parse("phu-thinh-so-ket-cong-tac-dan-van-6-thang-dau-nam-2024").unwrap();
    let article = danvan_store::article::by_slug(&t.db, site.id, &slug)
        .await
        .unwrap()
        .unwrap();
    for (body, status) in [
        ("Rất thiết thực.", CommentStatus::Approved),
        ("Chờ duyệt", CommentStatus::Pending),
        ("Đồng tình!", CommentStatus::Approved),
    ] {
        let mut comment = CommentData::new(
            article.id,
            Name::parse("Bạn đọc Phú Thịnh").unwrap(),
            CommentBody::parse(body).unwrap(),
        );
        comment.status = status;
        danvan_store::comment::create(&t.db, &comment)
            .await
            .unwrap();
    }
    let query = r#"{
      article(site: "phu-thinh", slug: "phu-thinh-so-ket-cong-tac-dan-van-6-thang-dau-nam-2024") {
        comments(first: 1) { totalCount pageInfo { hasNextPage } edges { node { authorName body } } }
        reportFigures { indicatorKey value }
        meeting { articles { edges { node { slug } } } reportFigures { indicatorKey } chairs { fullName meetingsChaired { title } } }
      }
    }"#;
    let response = app.graphql(query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let article = &response["data"]["article"];
    assert_eq!(article["comments"]["totalCount"], 2);
    assert_eq!(article["comments"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        article["comments"]["edges"][0]["node"]["body"],
        "Rất thiết thực."
    );
    assert_eq!(article["reportFigures"].as_array().unwrap().len(), 2);
    let meeting = &article["meeting"];
    assert_eq!(
        meeting["articles"]["edges"][0]["node"]["slug"],
        "phu-thinh-so-ket-cong-tac-dan-van-6-thang-dau-nam-2024"
    );
    assert_eq!(meeting["reportFigures"].as_array().unwrap().len(), 2);
    assert_eq!(
        meeting["chairs"][0]["meetingsChaired"],
        json!([{ "title": "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024" }])
    );
    app.stop().await;
    t
}

async fn news_about_a_former_district_is_found_under_todays_unit(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let units = app
        .graphql(
            r#"{ adminUnits(asOf: "2025-07-01", first: 50) { edges { node { id fullName } } } }"#,
            json!({}),
        )
        .await;
    let commune = units["data"]["adminUnits"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["fullName"] == "xã Phú Thịnh")
        .unwrap()["node"]["id"]
        .clone();
    let query = r#"query($unit: ID!) {
      articles(filter: { adminUnit: $unit }) { totalCount edges { node { adminUnits { fullName } } } }
      dvkModels(filter: { adminUnit: $unit }) { totalCount }
      reviews: meetings(filter: { period: "2024" }) { totalCount }
      aboutReviews: articles(filter: { meetingKind: FINAL_REVIEW }) { totalCount }
    }"#;
    let response = app.graphql(query, json!({ "unit": commune })).await;
    assert!(response["errors"].is_null(), "{response}");
    // Three articles name huyện Phú Thịnh or xã Yên Bình, which lay inside it.
    assert_eq!(response["data"]["articles"]["totalCount"], 3);
    assert_eq!(response["data"]["dvkModels"]["totalCount"], 1);
    // The 2024-H1 review, the 2024 review and the 2021-2025 review overlap 2024.
    assert_eq!(response["data"]["reviews"]["totalCount"], 3);
    assert_eq!(response["data"]["aboutReviews"]["totalCount"], 2);
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    news_about_a_former_district_is_found_under_todays_unit,
    nested_lists_cost_the_same_statements_however_many_parents,
    meetings_articles_people_and_comments_link_up,
    a_dashboard_gets_counts_and_series_in_one_query,
    a_meeting_shows_its_organiser_chairs_period_and_tasks,
    every_kind_of_meeting_filters_at_both_doors,
    models_and_figures_filter_and_keep_their_wording,
    documents_campaigns_tags_and_categories_are_listed,
    page_numbers_and_backward_cursors_agree_with_forward_paging,
    articles_filter_by_publication_dates_in_vietnam_time,
);
