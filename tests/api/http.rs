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

async fn limits_from_the_configuration_are_enforced(t: TestDatabase) -> TestDatabase {
    let mut settings = danvan_server::Settings::default();
    settings.graphql.max_depth = 3;
    settings.graphql.max_page_size = 5;
    settings.graphql.max_aliases = 2;
    let app = TestApp::start_with(&t, &settings).await;
    let deep = app
        .graphql(
            "{ articles { edges { node { site { name } } } } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&deep), "LIMIT_EXCEEDED");
    let wide = app
        .graphql(
            "{ sites(first: 6) { edges { cursor } } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&wide), "LIMIT_EXCEEDED");
    let broken = app
        .graphql("{ sites(first: 1) {", serde_json::json!({}))
        .await;
    assert_eq!(crate::helpers::error_code(&broken), "BAD_USER_INPUT");
    app.stop().await;
    t
}

async fn a_request_in_flight_is_answered_after_the_stop_signal(t: TestDatabase) -> TestDatabase {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::start(&t).await;
    let body = r#"{"query":"{ sites(first: 1) { edges { node { name } } } }"}"#;
    let (head, tail) = body.split_at(10);
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nhost: danvan\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    // Give the server time to start on the request, then signal it to stop mid-body.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let server = app.signal_stop();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(
        !server.is_finished(),
        "the server stopped with a request in flight"
    );
    stream.write_all(tail.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("Lam Sơn"), "{response}");
    server.await.unwrap().unwrap();
    t
}

async fn graphql_response_json_clients_get_status_codes_that_mean_something(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let post = |query: &'static str, accept: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("accept", accept)
            .json(&serde_json::json!({ "query": query }))
            .send()
    };
    let modern = "application/graphql-response+json, application/json;q=0.9";
    let ok = post("{ sites(first: 1) { totalCount } }", modern)
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.headers()["content-type"],
        "application/graphql-response+json"
    );
    let invalid = post("{ sites(first: 1) { noSuchField } }", modern)
        .await
        .unwrap();
    assert_eq!(invalid.status(), 400);
    let body: Value = invalid.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let field_error = post("{ sites(first: 500) { totalCount } }", modern)
        .await
        .unwrap();
    assert_eq!(field_error.status(), 200);

    let legacy = post("{ sites(first: 1) { noSuchField } }", "application/json")
        .await
        .unwrap();
    assert_eq!(legacy.status(), 200);
    assert_eq!(legacy.headers()["content-type"], "application/json");
    app.stop().await;
    t
}

async fn a_mutation_over_get_is_refused(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let response = app
        .get("/graphql?query=mutation%20%7B%20publish%20%7D")
        .await;
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BAD_USER_INPUT");
    app.stop().await;
    t
}

async fn a_known_query_can_be_sent_as_its_hash_alone(t: TestDatabase) -> TestDatabase {
    use sha2::Digest;
    let app = TestApp::start(&t).await;
    let query = "{ sites(first: 1) { edges { node { name } } } }";
    let hash = format!("{:x}", sha2::Sha256::digest(query.as_bytes()));
    let extensions = serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let send = |body: Value| app.client.post(app.url("/graphql")).json(&body).send();

    let unknown: Value = send(serde_json::json!({ "extensions": extensions }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        unknown["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    let registered: Value = send(serde_json::json!({ "query": query, "extensions": extensions }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected = "Trang thông tin Dân vận tỉnh Lam Sơn";
    assert_eq!(
        registered["data"]["sites"]["edges"][0]["node"]["name"],
        expected
    );
    let by_hash: Value = send(serde_json::json!({ "extensions": extensions }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        by_hash["data"]["sites"]["edges"][0]["node"]["name"],
        expected
    );
    // The same over GET, as a CDN would cache it.
    let url = format!("/graphql?extensions={}", urlencode(&extensions.to_string()));
    let over_get: Value = app.get(&url).await.json().await.unwrap();
    assert_eq!(
        over_get["data"]["sites"]["edges"][0]["node"]["name"],
        expected
    );
    app.stop().await;
    t
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

danvan_testing::on_both_backends!(
    graphql_response_json_clients_get_status_codes_that_mean_something,
    a_mutation_over_get_is_refused,
    a_known_query_can_be_sent_as_its_hash_alone,
    limits_from_the_configuration_are_enforced,
    a_request_in_flight_is_answered_after_the_stop_signal,
    a_query_can_be_sent_in_the_url,
    a_browser_gets_graphiql,
    malformed_requests_and_unknown_paths_get_the_json_envelope,
    every_response_carries_a_request_id,
);
