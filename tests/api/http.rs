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

async fn a_url_names_the_operation_to_run(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let document = "query Sites { sites(first: 1) { edges { node { name } } } } \
                    query Tags { tags(first: 1) { totalCount } } \
                    mutation Sneaky { createArticle(site: \"dan-van-lam-son\", input: { title: \"Tin lén\", body: \"<p>Nội dung</p>\" }) { id } }";
    let url = |name: &str| {
        format!(
            "/graphql?query={}&operationName={name}",
            urlencode(document)
        )
    };
    let sites: Value = app.get(&url("Sites")).await.json().await.unwrap();
    assert_eq!(
        sites["data"]["sites"]["edges"][0]["node"]["name"], "Trang thông tin Dân vận tỉnh Lam Sơn",
        "{sites}"
    );
    let tags: Value = app.get(&url("Tags")).await.json().await.unwrap();
    assert!(tags["data"]["tags"]["totalCount"].is_number(), "{tags}");
    assert!(tags["data"]["sites"].is_null());
    let sneaky = app.get(&url("Sneaky")).await;
    assert_eq!(sneaky.status(), 405);
    let unnamed: Value = app
        .get(&format!("/graphql?query={}", urlencode(document)))
        .await
        .json()
        .await
        .unwrap();
    assert!(unnamed["errors"][0]["message"].is_string(), "{unnamed}");
    app.stop().await;
    t
}

/// What a raw connection reads before the server closes it, at most 10 s.
async fn read_until_closed(stream: &mut tokio::net::TcpStream) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut got),
    )
    .await;
    assert!(read.is_ok(), "the server held the connection open");
    got
}

async fn a_client_that_trickles_its_headers_is_cut_off(t: TestDatabase) -> TestDatabase {
    use tokio::io::AsyncWriteExt;
    let limits = danvan_server::Connections {
        header_read_timeout: std::time::Duration::from_millis(300),
        ..danvan_server::Connections::default()
    };
    let app = TestApp::start_limited(&t, limits).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: danvan\r\n")
        .await
        .unwrap();
    let got = read_until_closed(&mut slow).await;
    let text = String::from_utf8_lossy(&got);
    assert!(
        got.is_empty() || text.starts_with("HTTP/1.1 408"),
        "no answer to half a request: {text}"
    );
    // A client that sends its request at once is answered as ever.
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
    t
}

async fn connections_past_the_most_are_closed_at_once(t: TestDatabase) -> TestDatabase {
    use tokio::io::AsyncWriteExt;
    let limits = danvan_server::Connections {
        max_connections: 3,
        ..danvan_server::Connections::default()
    };
    let app = TestApp::start_limited(&t, limits).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: danvan\r\n\r\n")
            .await
            .unwrap();
        held.push(stream);
    }
    // Each of the three was answered and is kept open: the server holds three.
    for stream in &mut held {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 12];
        stream.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
    }
    let mut fourth = tokio::net::TcpStream::connect(&address).await.unwrap();
    fourth
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: danvan\r\n\r\n")
        .await
        .ok();
    assert!(
        read_until_closed(&mut fourth).await.is_empty(),
        "closed unanswered"
    );
    // Once they are let go, new clients are served again.
    drop(held);
    let mut served = false;
    for _ in 0..50 {
        if let Ok(response) = app.client.get(app.url("/healthz")).send().await
            && response.status() == 200
        {
            served = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(served);
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
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let page = response.text().await.unwrap();
    // Every file the page names is served by danvan, with its type and a cache lifetime;
    // none comes from elsewhere.
    let mut referenced = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in page.split(attribute).skip(1) {
            referenced.push(part.split('"').next().unwrap().to_owned());
        }
    }
    assert_eq!(referenced.len(), 5, "{page}");
    for path in referenced {
        assert!(path.starts_with("/graphiql/"), "{path}");
        let asset = app.get(&path).await;
        assert_eq!(asset.status(), 200, "{path}");
        let media_type = asset.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = if path.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(media_type.starts_with(expected), "{path}: {media_type}");
        assert!(asset.headers().contains_key("cache-control"), "{path}");
        assert!(!asset.bytes().await.unwrap().is_empty());
    }
    let versioned = app.get("/graphiql/graphiql-4.1.2.min.js").await;
    assert!(
        versioned.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(app.get("/graphiql/nothing.js").await.status(), 404);
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
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(body.get("data").is_none(), "{body}");

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
    assert_eq!(body["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED");
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
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "METHOD_NOT_ALLOWED"
    );
    app.stop().await;
    t
}

async fn a_named_mutation_over_get_with_a_token_is_refused_and_writes_nothing(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_domain::account::Role;
    let app = TestApp::start(&t).await;
    crate::helpers::account(&t.db, "quantri", Role::Admin, None).await;
    let (token, _) = app.login("quantri", crate::helpers::PASSWORD).await;
    let sneaky = r#"mutation Sneaky { createArticle(site: "dan-van-lam-son", input: { title: "Tin lén gửi qua GET", body: "<p>Nội dung</p>" }) { id } }"#;
    let count = "{ newsroomArticles(site: \"dan-van-lam-son\", status: DRAFT) { totalCount } }";
    let before = app.graphql_as(&token, count, serde_json::json!({})).await;
    for operation_name in [None, Some("Sneaky")] {
        let mut url = format!("/graphql?query={}", urlencode(sneaky));
        if let Some(name) = operation_name {
            url.push_str(&format!("&operationName={name}"));
        }
        let response = app
            .client
            .get(app.url(&url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "METHOD_NOT_ALLOWED",
            "{body}"
        );
    }
    let after = app.graphql_as(&token, count, serde_json::json!({})).await;
    assert_eq!(before, after);
    assert!(
        before["data"]["newsroomArticles"]["totalCount"].is_number(),
        "{before}"
    );
    app.stop().await;
    t
}

async fn a_bad_token_gets_a_graphql_401(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let requests = [
        ("POST", "/graphql", "het.han.roi"),
        ("GET", "/graphql?query=%7B__typename%7D", "het.han.roi"),
        ("POST", "/graphql", "hết.hạn.rồi"),
    ];
    for (method, url, token) in requests {
        let request = if method == "POST" {
            app.client
                .post(app.url(url))
                .json(&serde_json::json!({ "query": "{ __typename }" }))
        } else {
            app.client.get(app.url(url))
        };
        let response = request.bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{body}"
        );
        assert!(body["errors"][0]["message"].is_string());
    }
    app.stop().await;
    t
}

/// What a browser may send to another site without asking first is not run.
async fn posts_a_browser_sends_cross_site_unasked_are_not_run(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start(&t).await;
    let comment = r#"{"query":"mutation { postComment(article: \"x\", input: { author: \"Lan\", body: \"Ý kiến\" }) { id } }"}"#;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = app.client.post(app.url("/graphql")).body(comment);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 415, "{content_type:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "UNSUPPORTED_MEDIA_TYPE"
        );
    }
    let multipart = |preflight: bool| {
        let form = reqwest::multipart::Form::new()
            .text(
                "operations",
                r#"{"query":"{ sites(first: 1) { totalCount } }","variables":{}}"#,
            )
            .text("map", "{}");
        let mut request = app.client.post(app.url("/graphql")).multipart(form);
        if preflight {
            request = request.header("graphql-preflight", "1");
        }
        request.send()
    };
    let refused = multipart(false).await.unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let allowed: Value = multipart(true).await.unwrap().json().await.unwrap();
    assert!(
        allowed["data"]["sites"]["totalCount"].is_number(),
        "{allowed}"
    );
    app.stop().await;
    t
}

async fn graphql_response_json_gets_no_data_when_nothing_ran(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&serde_json::json!({ "query": "{ sites(first: 1) {" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    let unacceptable = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "text/xml")
        .json(&serde_json::json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unacceptable.status(), 406);
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

/// Posts a comment on `article` as a request from `forwarded_for` (through a proxy on
/// 127.0.0.1, which every test request comes from): its error code, or "" when posted.
async fn comment_from(app: &TestApp, article: &str, forwarded_for: &str) -> String {
    let body: Value = app
        .client
        .post(app.url("/graphql"))
        .header("x-forwarded-for", forwarded_for)
        .json(&serde_json::json!({
            "query": "mutation($a: ID!) { postComment(article: $a, authorName: \"Trần Văn Bình\", body: \"Ý kiến của bạn đọc\") { id } }",
            "variables": { "a": article },
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn client_addresses_come_from_trusted_proxies_only(t: TestDatabase) -> TestDatabase {
    danvan_server::demo::load(&t.db).await.unwrap();
    let mut settings = danvan_server::Settings::default();
    settings.auth.comments_per_window = 1;
    // Nobody trusted: the header is the client's own say, ignored; one quota for all.
    let app = TestApp::start_with(&t, &settings).await;
    let found = app
        .graphql(
            "{ articles(first: 1) { nodes { id } } }",
            serde_json::json!({}),
        )
        .await;
    let id = found["data"]["articles"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(comment_from(&app, &id, "203.0.113.1").await, "");
    assert_eq!(comment_from(&app, &id, "203.0.113.2").await, "RATE_LIMITED");
    app.stop().await;

    // Behind a trusted proxy: each forwarded client has its own quota.
    settings.http.trusted_proxies = vec!["127.0.0.0/8".into()];
    let app = TestApp::start_with(&t, &settings).await;
    assert_eq!(comment_from(&app, &id, "198.51.100.1").await, "");
    assert_eq!(
        comment_from(&app, &id, "198.51.100.1").await,
        "RATE_LIMITED"
    );
    assert_eq!(comment_from(&app, &id, "198.51.100.2").await, "");
    // A client that writes its own first hop is still known by what the proxy saw.
    assert_eq!(
        comment_from(&app, &id, "198.51.100.3, 198.51.100.2").await,
        "RATE_LIMITED"
    );
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    a_client_that_trickles_its_headers_is_cut_off,
    connections_past_the_most_are_closed_at_once,
    a_url_names_the_operation_to_run,
    client_addresses_come_from_trusted_proxies_only,
    graphql_response_json_clients_get_status_codes_that_mean_something,
    a_mutation_over_get_is_refused,
    a_named_mutation_over_get_with_a_token_is_refused_and_writes_nothing,
    a_bad_token_gets_a_graphql_401,
    posts_a_browser_sends_cross_site_unasked_are_not_run,
    graphql_response_json_gets_no_data_when_nothing_ran,
    a_known_query_can_be_sent_as_its_hash_alone,
    limits_from_the_configuration_are_enforced,
    a_request_in_flight_is_answered_after_the_stop_signal,
    a_query_can_be_sent_in_the_url,
    a_browser_gets_graphiql,
    malformed_requests_and_unknown_paths_get_the_json_envelope,
    every_response_carries_a_request_id,
);
