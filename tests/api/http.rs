use crate::helpers::TestApp;
use danvan_testing::TestDatabase;
use serde_json::Value;

async fn a_query_can_be_sent_in_the_url(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let response = app
        .get("/graphql?query=%7Bsites(first%3A1)%7Bedges%7Bnode%7Bname%7D%7D%7D%7D")
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["data"]["sites"]["edges"][0]["node"]["name"],
        "Trang thông tin Dân vận tỉnh Lam Sơn"
    );
    app.stop().await;
    t
}

async fn a_browser_gets_graphiql(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("graphiql"));
    app.stop().await;
    t
}

async fn malformed_requests_and_unknown_paths_get_the_json_envelope(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let unknown = app.get("/api/khong-co").await;
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["code"], "NOT_FOUND");

    let garbage = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BAD_USER_INPUT");

    let huge = format!(
        "{{\"query\":\"{{ sites(first: 1) {{ edges {{ cursor }} }} }}\",\"padding\":\"{}\"}}",
        "x".repeat(300 * 1024)
    );
    let too_large = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), 413);
    let body: Value = too_large.json().await.unwrap();
    assert_eq!(body["error"]["code"], "LIMIT_EXCEEDED");
    app.stop().await;
    t
}

async fn every_response_carries_a_request_id(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let generated = app.get("/healthz").await;
    let id = generated
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36);
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "req-danvan-1")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers().get("x-request-id").unwrap(), "req-danvan-1");
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    a_query_can_be_sent_in_the_url,
    a_browser_gets_graphiql,
    malformed_requests_and_unknown_paths_get_the_json_envelope,
    every_response_carries_a_request_id,
);
