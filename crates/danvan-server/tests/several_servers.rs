//! Several `danvan serve` processes on one PostgreSQL: a server killed with SIGKILL while
//! webhook deliveries are owed, and two servers after it, deliver every event, each once;
//! a publication on one server reaches a subscriber connected to another, and empties the
//! answers another server keeps that show it, and only those; failed sign-ins on one
//! server lock the account on the other.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use axum::body::Bytes;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;
use common::{PASSWORD, Server, admin_token, hear, say};

/// Each delivery the receiver answered 200, by `webhook-id`, and the articles they named.
#[derive(Default)]
struct Accepted {
    messages: Vec<String>,
    articles: BTreeSet<String>,
}

#[tokio::test]
async fn deliveries_owed_when_a_server_is_killed_are_made_once_by_the_servers_after_it() {
    let Some(database) =
        danvan_testing::TestDatabase::postgres_unmigrated("webhooks_after_a_kill").await
    else {
        return;
    };
    // The receiver refuses everything until it is told to accept.
    let accepting = Arc::new(AtomicBool::new(false));
    let accepted = Arc::new(Mutex::new(Accepted::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    let (open, noted) = (accepting.clone(), accepted.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: Bytes| {
            let (open, noted) = (open.clone(), noted.clone());
            async move {
                if !open.load(Ordering::SeqCst) {
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                let event: Value = serde_json::from_slice(&body).unwrap();
                let mut noted = noted.lock().unwrap();
                noted
                    .messages
                    .push(headers["webhook-id"].to_str().unwrap().to_owned());
                noted
                    .articles
                    .insert(event["data"]["id"].as_str().unwrap().to_owned());
                StatusCode::OK
            }
        }),
    );
    let receiving = tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
        ("DANVAN_WEBHOOKS__ALLOW_PRIVATE_TARGETS", "true"),
        ("DANVAN_WEBHOOKS__POLL_MS", "50"),
        ("DANVAN_WEBHOOKS__RETRY_FIRST_SECS", "1"),
        ("DANVAN_WEBHOOKS__RETRY_LONGEST_SECS", "1"),
    ];
    let first = Server::start(dir.path(), &envs).await;
    let token = admin_token(dir.path(), &envs, &first).await;
    first
        .graphql(
            &token,
            "mutation($input: WebhookInput!) { createWebhook(input: $input) { secret } }",
            json!({ "input": { "url": hook, "events": ["article.published"] } }),
        )
        .await;
    let mut published = BTreeSet::new();
    for i in 1..=20 {
        let made = first
            .graphql(
                &token,
                "mutation($input: ArticleInput!) { createArticle(site: \"dan-van-lam-son\", input: $input) { id version } }",
                json!({ "input": { "title": format!("Tin dân vận số {i}"), "body": "<p>Nội dung.</p>" } }),
            )
            .await;
        let id = made["createArticle"]["id"].as_str().unwrap().to_owned();
        first
            .graphql(
                &token,
                "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
                json!({ "id": id, "v": made["createArticle"]["version"] }),
            )
            .await;
        published.insert(id);
    }
    // Let it try and fail, then kill it mid-work.
    tokio::time::sleep(Duration::from_millis(700)).await;
    first.kill();

    accepting.store(true, Ordering::SeqCst);
    let second = Server::start(dir.path(), &envs).await;
    let third = Server::start(dir.path(), &envs).await;
    for _ in 0..300 {
        if accepted.lock().unwrap().articles.len() >= published.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    second.terminate();
    third.terminate();
    receiving.abort();
    let (articles, messages) = {
        let accepted = accepted.lock().unwrap();
        (accepted.articles.clone(), accepted.messages.clone())
    };
    assert_eq!(articles, published, "every publication told");
    let unique: BTreeSet<&String> = messages.iter().collect();
    assert_eq!(
        unique.len(),
        messages.len(),
        "none accepted twice: {messages:?}"
    );
    database.drop_database().await;
}

#[tokio::test]
async fn a_publication_on_one_server_reaches_a_subscriber_on_another() {
    let Some(database) =
        danvan_testing::TestDatabase::postgres_unmigrated("subscriptions_across_servers").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
    ];
    let writer = Server::start(dir.path(), &envs).await;
    let reader = Server::start(dir.path(), &envs).await;
    let token = admin_token(dir.path(), &envs, &writer).await;

    let mut socket = reader.socket().await;
    say(&mut socket, json!({"type": "connection_init"})).await;
    say(
        &mut socket,
        json!({"type": "subscribe", "id": "1", "payload": {
            "query": "subscription { articlePublished(site: \"dan-van-lam-son\") { id title } }"
        }}),
    )
    .await;
    let ack = hear(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let title = "Tuyên truyền vận động nhân dân tham gia xây dựng nông thôn mới";
    let made = writer
        .graphql(
            &token,
            "mutation($input: ArticleInput!) { createArticle(site: \"dan-van-lam-son\", input: $input) { id version } }",
            json!({ "input": { "title": title, "body": "<p>Nội dung.</p>" } }),
        )
        .await;
    let id = made["createArticle"]["id"].clone();
    writer
        .graphql(
            &token,
            "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
            json!({ "id": id, "v": made["createArticle"]["version"] }),
        )
        .await;
    let event = hear(&mut socket).await;
    assert_eq!(event["type"], "next", "{event}");
    assert_eq!(event["payload"]["data"]["articlePublished"]["id"], id);
    assert_eq!(event["payload"]["data"]["articlePublished"]["title"], title);
    writer.terminate();
    reader.terminate();
    database.drop_database().await;
}

/// A public GET of a GraphQL query: whether it was kept, and the answer.
async fn public_get(server: &Server, query: &str) -> (String, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}/graphql", server.base))
        .query(&[("query", query)])
        .send()
        .await
        .unwrap();
    let cache = response.headers()["x-cache"].to_str().unwrap().to_owned();
    (cache, response.json().await.unwrap())
}

/// A JSON API address asked without credentials: its `X-Cache` and its body.
async fn public_rest(server: &Server, path: &str) -> (String, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .unwrap();
    let cache = response.headers()["x-cache"].to_str().unwrap().to_owned();
    (cache, response.json().await.unwrap())
}

#[tokio::test]
async fn a_publication_on_one_server_empties_what_another_keeps_of_it() {
    let Some(database) =
        danvan_testing::TestDatabase::postgres_unmigrated("kept_answers_across_servers").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The view of the public is read again only when told: a minute would otherwise pass.
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
        ("DANVAN_API__VALIDATOR_MAX_AGE_MS", "60000"),
    ];
    let writer = Server::start(dir.path(), &envs).await;
    let reader = Server::start(dir.path(), &envs).await;
    let token = admin_token(dir.path(), &envs, &writer).await;
    let home = "{ articles(first: 5) { edges { node { id title site { name } } } } }";
    let site = "{ site(slug: \"dan-van-lam-son\") { id name } }";
    for query in [home, site] {
        assert_eq!(public_get(&reader, query).await.0, "MISS");
        assert_eq!(public_get(&reader, query).await.0, "HIT");
    }
    let list = "/api/v1/articles?site=dan-van-lam-son&limit=5";
    let sites = "/api/v1/sites";
    for path in [list, sites] {
        assert_eq!(public_rest(&reader, path).await.0, "MISS");
        assert_eq!(public_rest(&reader, path).await.0, "HIT");
    }

    let title = "Hội nghị biểu dương điển hình “Dân vận khéo” năm 2026";
    let made = writer
        .graphql(
            &token,
            "mutation($input: ArticleInput!) { createArticle(site: \"dan-van-lam-son\", input: $input) { id version } }",
            json!({ "input": { "title": title, "body": "<p>Nội dung.</p>" } }),
        )
        .await;
    writer
        .graphql(
            &token,
            "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
            json!({ "id": made["createArticle"]["id"], "v": made["createArticle"]["version"] }),
        )
        .await;
    let mut seen = None;
    for _ in 0..50 {
        let (cache, answer) = public_get(&reader, home).await;
        if answer["data"]["articles"]["edges"][0]["node"]["title"] == title {
            seen = Some(cache);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        seen.as_deref(),
        Some("MISS"),
        "the other server's list shows it"
    );
    assert_eq!(public_get(&reader, home).await.0, "HIT");
    assert_eq!(
        public_get(&reader, site).await.0,
        "HIT",
        "the site's page shows nothing that changed"
    );
    // The JSON API's kept answers follow the same notifications.
    let (cache, listed) = public_rest(&reader, list).await;
    assert_eq!(cache, "MISS");
    assert_eq!(listed["items"][0]["title"], title);
    assert_eq!(public_rest(&reader, list).await.0, "HIT");
    assert_eq!(public_rest(&reader, sites).await.0, "HIT");
    writer.terminate();
    reader.terminate();
    database.drop_database().await;
}

#[tokio::test]
async fn failed_sign_ins_on_one_server_lock_the_account_on_another() {
    let Some(database) =
        danvan_testing::TestDatabase::postgres_unmigrated("sign_ins_across_servers").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let envs = [("DATABASE_URL", database.url.as_str())];
    let first = Server::start(dir.path(), &envs).await;
    let second = Server::start(dir.path(), &envs).await;
    admin_token(dir.path(), &envs, &first).await;
    let sign_in = |server: &Server, password: &str| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/auth/login", server.base))
            .json(&json!({ "username": "quantri", "password": password }))
            .send()
    };
    for _ in 0..6 {
        let wrong = sign_in(&first, "mật khẩu sai").await.unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = sign_in(&second, PASSWORD).await.unwrap();
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let problem: Value = locked.json().await.unwrap();
    assert_eq!(problem["code"], "RATE_LIMITED", "{problem}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let signed_in = sign_in(&second, PASSWORD).await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    first.terminate();
    second.terminate();
    database.drop_database().await;
}
