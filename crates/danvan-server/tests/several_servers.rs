//! Several `danvan serve` processes on one PostgreSQL: a server killed with SIGKILL while
//! webhook deliveries are owed, and two servers after it, deliver every event, each once;
//! a publication on one server reaches a subscriber connected to another, and empties the
//! answers another server keeps that show it, and only those; failed sign-ins on one
//! server lock the account on the other.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use axum::body::Bytes;
use axum::http::StatusCode;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const BINARY: &str = env!("CARGO_BIN_EXE_danvan");
const PASSWORD: &str = "mật khẩu quản trị đủ dài";

fn danvan(dir: &Path, envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BINARY);
    command.current_dir(dir).env("RUST_LOG", "warn");
    for (key, _) in std::env::vars() {
        if key.starts_with("DANVAN_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(dir: &Path, envs: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = danvan(dir, envs)
            .arg("serve")
            .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..300 {
            if reqwest::get(format!("{}/readyz", server.base))
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill();
        panic!("danvan did not become ready");
    }

    async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        let answer: Value = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer["errors"].is_null(), "{answer}");
        answer["data"].clone()
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn terminate(mut self) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        self.child.wait().unwrap();
    }
}

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

/// Signs in the admin `quantri`, made with the CLI.
async fn admin_token(dir: &Path, envs: &[(&str, &str)], server: &Server) -> String {
    let created = danvan(dir, envs)
        .args([
            "user",
            "create",
            "quantri",
            "--display-name",
            "Quản trị",
            "--role",
            "admin",
        ])
        .env("DANVAN_PASSWORD", PASSWORD)
        .status()
        .unwrap();
    assert!(created.success());
    let session: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({ "username": "quantri", "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["accessToken"].as_str().unwrap().to_owned()
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

    let url = format!("{}/graphql/ws", reader.base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
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

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn say(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next message of the protocol, pings aside.
async fn hear(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = frame {
            let message: Value = serde_json::from_str(&text).unwrap();
            if message["type"] != "ping" {
                return message;
            }
        }
    }
}
