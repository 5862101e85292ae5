//! `previewImport`: an editor sends a raw page and reviews what the importer reads from
//! it, every item with its sentence; nothing is saved.

use crate::helpers::{PASSWORD, TestApp, account, error_code};
use danvan_testing::TestDatabase;
use serde_json::json;

const PREVIEW: &str = r#"mutation($page: String!) {
  previewImport(page: $page) {
    title publishedAt viewCount captions keywords
    authors { name organisation }
    meeting { kind heldOn organisers chairs period tasks { text at { paragraph sentence } } }
    people { name positions { title organisation printed } }
    organisations { name kind level parent role }
    figures { indicatorKey value qualifier denominator unit period wording at { paragraph sentence text } }
    documents { code kind issuer title }
    campaigns { name fullName }
  }
}"#;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// An admin's access token: the newsroom previews, the public does not.
async fn admin(t: &TestDatabase, app: &TestApp) -> String {
    account(&t.db, "quantri", danvan_domain::account::Role::Admin, None).await;
    app.login("quantri", PASSWORD).await.0
}

async fn a_page_is_previewed_and_nothing_is_saved(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let page = fixture("02-chuyen-de-lam-son.txt");
    let anonymous = app.graphql(PREVIEW, json!({ "page": page })).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
    let token = admin(&t, &app).await;
    let response = app
        .graphql_as(&token, PREVIEW, json!({ "page": page }))
        .await;
    assert!(response["errors"].is_null(), "{response}");
    let preview = &response["data"]["previewImport"];
    assert_eq!(
        preview["title"],
        "Hội nghị chuyên đề về thực hiện dân chủ ở cơ sở tại tỉnh Lam Sơn"
    );
    assert_eq!(preview["publishedAt"], "2024-03-05T10:20:00+07:00");
    assert_eq!(preview["meeting"]["kind"], "THEMATIC");
    assert_eq!(preview["meeting"]["heldOn"], "2024-03-05");
    assert_eq!(preview["people"][0]["name"], "Vũ Thị Lan");
    assert_eq!(
        preview["people"][0]["positions"][0]["organisation"],
        "Ủy ban nhân dân tỉnh"
    );
    assert_eq!(
        preview["organisations"][1]["name"],
        "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh Lam Sơn"
    );
    assert_eq!(preview["organisations"][1]["parent"], "Tỉnh ủy Lam Sơn");
    let figure = &preview["figures"][0];
    assert_eq!(figure["indicatorKey"], "complaints.resolved");
    assert_eq!(
        (figure["value"].as_f64(), figure["denominator"].as_f64()),
        (Some(846.0), Some(900.0))
    );
    assert_eq!(preview["figures"][1]["qualifier"], "MORE_THAN");
    assert_eq!(preview["figures"][2]["qualifier"], "ABOUT");
    assert_eq!(figure["at"]["paragraph"], 1);
    assert!(
        figure["at"]["text"]
            .as_str()
            .unwrap()
            .contains("846/900 đơn")
    );
    assert_eq!(preview["documents"][0]["code"], "120-KL/TW");
    assert_eq!(preview["documents"][0]["kind"], "CONCLUSION");

    // Nothing was written.
    let counts = app
        .graphql(
            "{ articles { totalCount } organisations { totalCount } people { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(counts["data"]["articles"]["totalCount"], 0, "{counts}");
    assert_eq!(counts["data"]["organisations"]["totalCount"], 0);
    assert_eq!(counts["data"]["people"]["totalCount"], 0);

    // HTML too.
    let html = fixture("04-ra-mat-to-hoa-giai.html");
    let response = app
        .graphql_as(&token, PREVIEW, json!({ "page": html }))
        .await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(
        response["data"]["previewImport"]["captions"][0],
        "Các thành viên tổ hòa giải nhận quyết định thành lập."
    );
    app.stop().await;
    t
}

async fn a_page_that_cannot_be_read_is_refused_with_a_code(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let token = admin(&t, &app).await;
    for page in [" \n\u{a0}\n", "\u{0}\u{1}binary"] {
        let response = app
            .graphql_as(&token, PREVIEW, json!({ "page": page }))
            .await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("page: "), "{message}");
    }
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    a_page_is_previewed_and_nothing_is_saved,
    a_page_that_cannot_be_read_is_refused_with_a_code,
);
