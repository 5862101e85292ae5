use crate::helpers::{TestApp, error_code};
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

fn names(list: &Value, field: &str) -> Vec<String> {
    list["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no edges in {list}"))
        .iter()
        .map(|e| e["node"][field].as_str().unwrap().to_owned())
        .collect()
}

async fn organisations_come_as_a_tree_with_the_people_in_them(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = r#"{
      roots: organisations(filter: { roots: true }, first: 50) { totalCount edges { node { slug } } }
      organisation(slug: "ban-dan-van-huyen-uy-phu-thinh") {
        name shortName kind level dissolvedOn
        parent { slug } ancestors { slug }
        adminUnit { fullName validTo }
        positions { title start end person { fullName givenName } }
        now: positions(activeOn: "2026-01-01") { title }
        meetings { totalCount edges { node { title } } }
        dvkModels { totalCount edges { node { name } } }
        reportFigures(first: 1) { totalCount pageInfo { hasNextPage } }
      }
      huyenUy: organisation(slug: "huyen-uy-phu-thinh") { reportFigures { totalCount edges { node { indicatorKey } } } }
      tinhUy: organisation(slug: "tinh-uy-lam-son") { children { slug } }
    }"#;
    let response = app.graphql(query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let data = &response["data"];
    assert!(names(&data["roots"], "slug").contains(&"tinh-uy-lam-son".to_owned()));
    assert!(!names(&data["roots"], "slug").contains(&"huyen-uy-phu-thinh".to_owned()));
    let board = &data["organisation"];
    assert_eq!(board["name"], "Ban Dân vận Huyện ủy Phú Thịnh");
    assert_eq!(board["kind"], "PARTY_BOARD");
    assert_eq!(board["dissolvedOn"], "2025-06-30");
    assert_eq!(board["parent"]["slug"], "huyen-uy-phu-thinh");
    assert_eq!(
        board["ancestors"],
        json!([{ "slug": "huyen-uy-phu-thinh" }, { "slug": "tinh-uy-lam-son" }])
    );
    assert_eq!(board["adminUnit"]["fullName"], "huyện Phú Thịnh");
    assert_eq!(board["positions"][0]["person"]["fullName"], "Hà Minh Đức");
    assert_eq!(board["positions"][0]["person"]["givenName"], "Đức");
    assert_eq!(board["now"], json!([]));
    assert_eq!(board["meetings"]["totalCount"], 1);
    assert_eq!(
        board["meetings"]["edges"][0]["node"]["title"],
        "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024"
    );
    assert_eq!(
        board["dvkModels"]["edges"][0]["node"]["name"],
        "Chi hội Nông dân thôn Đồng Tâm hiến đất làm đường giao thông nội đồng"
    );
    assert_eq!(board["reportFigures"]["totalCount"], 0);
    let figures: Vec<&str> = data["huyenUy"]["reportFigures"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["indicatorKey"].as_str().unwrap())
        .collect();
    assert_eq!(figures, ["directives.issued", "dvk.models_recognised"]);
    let children = names(
        &json!({ "edges": data["tinhUy"]["children"].as_array().unwrap().iter().map(|c| json!({ "node": c })).collect::<Vec<_>>() }),
        "slug",
    );
    assert!(children.contains(&"huyen-uy-phu-thinh".to_owned()));
    app.stop().await;
    t
}

async fn a_person_lists_concurrent_positions_in_order(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let people = app
        .graphql(
            "{ people(first: 10) { edges { node { id fullName } } } }",
            json!({}),
        )
        .await;
    let van = people["data"]["people"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["fullName"] == "Nguyễn Thị Hồng Vân")
        .unwrap()["node"]["id"]
        .clone();
    let query = "query($id: ID!) { person(id: $id) { fullName positions { title organisation { shortName } } articles { totalCount edges { node { title people { fullName } } } } } }";
    let person = app.graphql(query, json!({ "id": van })).await;
    let titles: Vec<&str> = person["data"]["person"]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Phó Bí thư Thường trực", "Chủ tịch", "Trưởng Ban Chỉ đạo"]
    );
    assert_eq!(
        person["data"]["person"]["positions"][1]["organisation"]["shortName"],
        "HĐND tỉnh"
    );
    let articles = &person["data"]["person"]["articles"];
    assert_eq!(articles["totalCount"], 2);
    assert_eq!(
        articles["edges"][0]["node"]["title"],
        "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021-2025"
    );
    assert_eq!(
        articles["edges"][0]["node"]["people"],
        json!([{ "fullName": "Lò Văn Khánh" }, { "fullName": "Nguyễn Thị Hồng Vân" }])
    );
    app.stop().await;
    t
}

async fn a_district_that_no_longer_exists_resolves_to_todays_unit(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let query = r#"{
      then: adminUnits(asOf: "2024-01-01", first: 50) { totalCount edges { node { fullName } } }
      now: adminUnits(asOf: "2025-07-01", first: 50) { totalCount edges { node { id fullName successors { kind } predecessors { predecessor { fullName } kind effectiveOn } } } }
      article(site: "phu-thinh", slug: "phu-thinh-so-ket-cong-tac-dan-van-6-thang-dau-nam-2024") {
        adminUnits { fullName validTo resolve(on: "2026-01-01") { fullName level } successors { successor { fullName } kind } }
      }
    }"#;
    let response = app.graphql(query, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    let then = names(&response["data"]["then"], "fullName");
    assert!(then.contains(&"huyện Phú Thịnh".to_owned()));
    assert!(!then.contains(&"xã Phú Thịnh".to_owned()));
    let now = names(&response["data"]["now"], "fullName");
    assert!(now.contains(&"xã Phú Thịnh".to_owned()));
    assert!(!now.contains(&"huyện Phú Thịnh".to_owned()));
    let commune = response["data"]["now"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["fullName"] == "xã Phú Thịnh")
        .unwrap();
    assert_eq!(
        commune["node"]["predecessors"],
        json!([{ "predecessor": { "fullName": "huyện Phú Thịnh" }, "kind": "DIVIDED", "effectiveOn": "2025-07-01" }])
    );
    let unit = &response["data"]["article"]["adminUnits"][0];
    assert_eq!(unit["fullName"], "huyện Phú Thịnh");
    assert_eq!(unit["validTo"], "2025-06-30");
    assert_eq!(
        unit["resolve"],
        json!([{ "fullName": "xã Phú Thịnh", "level": "COMMUNE" }])
    );
    app.stop().await;
    t
}

async fn any_object_is_found_by_its_global_id(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let ids = app
        .graphql(
            "{ articles(first: 1) { edges { node { id } } } sites(first: 1) { edges { node { id } } } tags(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let node = "query($id: ID!) { node(id: $id) { __typename id ... on Article { title } ... on Site { name } ... on Tag { name } } }";
    for (list, typename) in [("articles", "Article"), ("sites", "Site"), ("tags", "Tag")] {
        let id = &ids["data"][list]["edges"][0]["node"]["id"];
        let found = app.graphql(node, json!({ "id": id })).await;
        assert_eq!(found["data"]["node"]["__typename"], typename, "{found}");
        assert_eq!(found["data"]["node"]["id"], *id);
    }
    let junk = app.graphql(node, json!({ "id": "not-an-id" })).await;
    assert_eq!(error_code(&junk), "BAD_USER_INPUT");
    let unknown_kind = app.graphql(node, json!({ "id": "VXNlcjox" })).await;
    assert!(unknown_kind["data"]["node"].is_null(), "{unknown_kind}");
    app.stop().await;
    t
}

async fn filters_can_take_an_organisation_with_its_whole_subtree(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let ids = app
        .graphql(r#"{ organisation(slug: "huyen-uy-phu-thinh") { id } tinh: organisation(slug: "tinh-uy-lam-son") { id } }"#, json!({}))
        .await;
    let query = r#"query($o: ID!, $sub: Boolean!) {
      articles(filter: { organisation: $o, includeSubtree: $sub }) { totalCount }
      meetings(filter: { organiser: $o, includeSubtree: $sub }) { totalCount }
      dvkModels(filter: { organisation: $o, includeSubtree: $sub }) { totalCount }
      reportFigures(filter: { organisation: $o, includeSubtree: $sub }) { totalCount }
    }"#;
    let counts = |r: &Value| {
        ["articles", "meetings", "dvkModels", "reportFigures"]
            .map(|f| r["data"][f]["totalCount"].as_i64().unwrap())
    };
    let district = ids["data"]["organisation"]["id"].clone();
    let alone = app
        .graphql(query, json!({ "o": district, "sub": false }))
        .await;
    assert_eq!(counts(&alone), [1, 0, 0, 2], "{alone}");
    // With the board of the district committee under it: its meeting, article and model.
    let with_board = app
        .graphql(query, json!({ "o": district, "sub": true }))
        .await;
    assert_eq!(counts(&with_board), [1, 1, 1, 2], "{with_board}");
    let province = ids["data"]["tinh"]["id"].clone();
    let everything = app
        .graphql(query, json!({ "o": province, "sub": true }))
        .await;
    assert_eq!(counts(&everything), [5, 4, 3, 4], "{everything}");
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    filters_can_take_an_organisation_with_its_whole_subtree,
    organisations_come_as_a_tree_with_the_people_in_them,
    a_person_lists_concurrent_positions_in_order,
    a_district_that_no_longer_exists_resolves_to_todays_unit,
    any_object_is_found_by_its_global_id,
);
