//! The time from publishing an article to its webhook delivery: a receiver in this process
//! (axum on a free port) notes when each delivery comes, an admin publishes articles one
//! after the other through GraphQL, and the JSON API's list is kept busy meanwhile.

use crate::load::{self, Target};
use crate::server::Server;
use anyhow::{Context, bail};
use axum::body::Bytes;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USER: &str = "bench-webhooks";
const PASSWORD: &str = "mật khẩu đo thời gian";

/// When each article's delivery came, by the article's id.
type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn receiver() -> anyhow::Result<(String, Arrivals)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let arrivals: Arrivals = Arc::default();
    let noted = arrivals.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: Bytes| {
            let noted = noted.clone();
            async move {
                let at = Instant::now();
                if let Ok(event) = serde_json::from_slice::<Value>(&body)
                    && let Some(id) = event["data"]["id"].as_str()
                {
                    noted.lock().map(|mut n| n.insert(id.to_owned(), at)).ok();
                }
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, arrivals))
}

pub(crate) async fn graphql(
    server: &Server,
    token: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let mut target = Target::graphql(server.addr, query, &variables);
    target
        .headers
        .push(("authorization", format!("Bearer {token}")));
    let answer: Value = serde_json::from_slice(&load::once(&target).await?)?;
    if !answer["errors"].is_null() {
        bail!("{query}: {answer}");
    }
    Ok(answer["data"].clone())
}

/// Measures `publishes` publications on the data set at `url` with the server `binary`,
/// `connections` connections reading the JSON API's list meanwhile.
pub async fn measure(
    url: &str,
    binary: &Path,
    publishes: usize,
    connections: usize,
) -> anyhow::Result<()> {
    let creation = create_admin(url, binary)?;
    let settings = [(
        "DANVAN_WEBHOOKS__ALLOW_PRIVATE_TARGETS".to_owned(),
        "true".to_owned(),
    )];
    let server = Server::start_with(binary, url, &settings).await?;
    let (hook, arrivals) = receiver().await?;
    let token = sign_in(&server, &creation).await?;
    graphql(
        &server,
        &token,
        "mutation($input: WebhookInput!) { createWebhook(input: $input) { secret } }",
        json!({ "input": { "url": hook, "events": ["article.published"], "site": crate::data::SITE } }),
    )
    .await?;

    let list = Target::get(server.addr, &crate::queries::rest_list_path());
    let seconds = (publishes as f64 * 0.05).max(5.0);
    let load = tokio::spawn(async move {
        load::run(
            &list,
            connections,
            Duration::from_millis(500),
            Duration::from_secs_f64(seconds),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut sent = Vec::with_capacity(publishes);
    for i in 0..publishes {
        let (id, at) = publish(
            &server,
            &token,
            &format!("Tin hoạt động công tác dân vận số {i}"),
        )
        .await?;
        sent.push((id, at));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let outcome = load.await??;
    let deadline = Instant::now() + Duration::from_secs(30);
    while arrivals.lock().map(|a| a.len()).unwrap_or_default() < publishes
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived = arrivals.lock().map(|a| a.clone()).unwrap_or_default();
    let mut latencies: Vec<Duration> = sent
        .iter()
        .filter_map(|(id, at)| {
            arrived
                .get(id)
                .map(|came| came.saturating_duration_since(*at))
        })
        .collect();
    latencies.sort_unstable();
    if latencies.len() < publishes {
        bail!("{} of {publishes} deliveries came", latencies.len());
    }
    let pick = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        crate::ms(latencies[i])
    };
    println!(
        "{publishes} publications, one every 50 ms, while {connections} connections read the \
         JSON API's list ({:.0} req/s): publish to delivery p50 {:.1} ms, p99 {:.1} ms, \
         highest {:.1} ms",
        outcome.rate(),
        pick(0.5),
        pick(0.99),
        pick(1.0),
    );
    Ok(())
}

/// Makes the benchmark's admin in the data set at `url` (a second run finds it there):
/// what the command said, for the error if signing in fails.
pub(crate) fn create_admin(url: &str, binary: &Path) -> anyhow::Result<String> {
    let created = std::process::Command::new(binary)
        .args([
            "user",
            "create",
            USER,
            "--display-name",
            "Đo thời gian",
            "--role",
            "admin",
        ])
        .env("DATABASE_URL", url)
        .env("DANVAN_PASSWORD", PASSWORD)
        .env("DANVAN_LOG", "warn")
        .output()
        .context("creating the admin")?;
    // A second run finds the account there: signing in below tells.
    let creation = String::from_utf8_lossy(&created.stderr).into_owned();
    Ok(creation)
}

/// Signs the benchmark's admin in: an access token.
pub(crate) async fn sign_in(server: &Server, creation: &str) -> anyhow::Result<String> {
    let mut login = Target::get(server.addr, "/api/v1/auth/login");
    login.method = hyper::Method::POST;
    login.body = Bytes::from(json!({ "username": USER, "password": PASSWORD }).to_string());
    login
        .headers
        .push(("content-type", "application/json".into()));
    let session: Value = serde_json::from_slice(&load::once(&login).await?)?;
    Ok(session["accessToken"]
        .as_str()
        .with_context(|| format!("no token: {session} (creating the admin said: {creation})"))?
        .to_owned())
}

/// Writes an article titled `title` in the benchmark's site and publishes it: its id, and
/// when the publish request was sent.
pub(crate) async fn publish(
    server: &Server,
    token: &str,
    title: &str,
) -> anyhow::Result<(String, Instant)> {
    let made = graphql(
        server,
        token,
        "mutation($site: String!, $input: ArticleInput!) { createArticle(site: $site, input: $input) { id version } }",
        json!({ "site": crate::data::SITE, "input": {
            "title": title,
            "body": "<p>Sáng nay, Ban Dân vận tổ chức hội nghị giao ban.</p>",
        }}),
    )
    .await?;
    let id = made["createArticle"]["id"]
        .as_str()
        .context("no id")?
        .to_owned();
    let at = Instant::now();
    graphql(
        server,
        token,
        "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
        json!({ "id": id, "v": made["createArticle"]["version"] }),
    )
    .await?;
    Ok((id, at))
}
