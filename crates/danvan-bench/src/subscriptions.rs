//! One publication told to many subscribers: `subscribers` subscriptions to the site's
//! `articlePublished`, `per_connection` on each WebSocket, opened on the server; then an
//! admin publishes articles one after the other through GraphQL, and each socket notes when
//! each publication reaches each of its subscriptions. Reports the server's memory before
//! and after the subscriptions were opened (per idle subscription), and, per publication,
//! the time until the last subscriber had it.

use crate::server::Server;
use crate::webhooks::{create_admin, publish, sign_in};
use anyhow::{Context, bail};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// When each publication reached a subscription: (article id, arrival).
type Arrivals = Arc<Mutex<Vec<(String, Instant)>>>;

/// A WebSocket speaking graphql-transport-ws.
pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A protocol message as a frame.
pub(crate) fn say(message: Value) -> Message {
    Message::Text(message.to_string().into())
}

/// Opens a socket to `server`, acknowledged, with `count` subscriptions to the site's
/// publications asking for `fields`.
pub(crate) async fn subscribed(
    server: &Server,
    count: usize,
    fields: &str,
) -> anyhow::Result<Socket> {
    let mut request = format!("ws://{}/graphql/ws", server.addr).into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    socket.send(say(json!({"type": "connection_init"}))).await?;
    let ack = socket
        .next()
        .await
        .context("closed before the acknowledgement")??;
    if !ack.to_text().unwrap_or_default().contains("connection_ack") {
        bail!("not acknowledged: {ack}");
    }
    let query = format!(
        "subscription {{ articlePublished(site: \"{}\") {{ {fields} }} }}",
        crate::data::SITE
    );
    for i in 0..count {
        socket
            .send(say(
                json!({"type": "subscribe", "id": i.to_string(), "payload": {"query": query}}),
            ))
            .await?;
    }
    Ok(socket)
}

/// Opens one socket with `count` subscriptions; returns once they are sent, and keeps
/// noting arrivals in the background.
async fn open(server: &Server, count: usize, arrivals: Arrivals) -> anyhow::Result<()> {
    let mut socket = subscribed(server, count, "id title").await?;
    tokio::spawn(async move {
        while let Some(Ok(frame)) = socket.next().await {
            let Message::Text(text) = frame else { continue };
            let at = Instant::now();
            let Ok(message) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            match message["type"].as_str() {
                Some("ping") => {
                    let _ = socket.send(say(json!({"type": "pong"}))).await;
                }
                Some("next") => {
                    if let Some(id) = message["payload"]["data"]["articlePublished"]["id"].as_str()
                    {
                        arrivals
                            .lock()
                            .map(|mut a| a.push((id.to_owned(), at)))
                            .ok();
                    }
                }
                _ => eprintln!("subscription: {message}"),
            }
        }
    });
    Ok(())
}

/// Measures `publishes` publications told to `subscribers` subscriptions.
pub async fn measure(
    url: &str,
    binary: &Path,
    subscribers: usize,
    per_connection: usize,
    publishes: usize,
) -> anyhow::Result<()> {
    let creation = create_admin(url, binary)?;
    let per_connection = per_connection.max(1);
    let sockets = subscribers.div_ceil(per_connection);
    let settings = [
        (
            "DANVAN_GRAPHQL__CONNECTIONS_PER_CLIENT".to_owned(),
            (sockets + 1).to_string(),
        ),
        (
            "DANVAN_GRAPHQL__SUBSCRIPTIONS_PER_CONNECTION".to_owned(),
            per_connection.to_string(),
        ),
    ];
    let server = Server::start_with(binary, url, &settings).await?;
    let token = sign_in(&server, &creation).await?;
    let before = server.rss_mib()?;
    let arrivals: Arrivals = Arc::default();
    let mut left = subscribers;
    while left > 0 {
        let count = left.min(per_connection);
        open(&server, count, arrivals.clone()).await?;
        left -= count;
    }
    // Every subscription in place (they are acknowledged by nothing but their events).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = server.rss_mib()?;
    let mut spans = Vec::with_capacity(publishes);
    let mut each = Vec::new();
    for i in 0..publishes {
        let (id, at) = publish(
            &server,
            &token,
            &format!("Tin trực tiếp về công tác dân vận số {i}"),
        )
        .await?;
        let deadline = at + Duration::from_secs(10);
        let reached = || {
            arrivals
                .lock()
                .map(|a| a.iter().filter(|(a, _)| *a == id).count())
                .unwrap_or_default()
        };
        while reached() < subscribers && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let times: Vec<Duration> = arrivals
            .lock()
            .map(|a| {
                a.iter()
                    .filter(|(a, _)| *a == id)
                    .map(|(_, came)| came.saturating_duration_since(at))
                    .collect()
            })
            .unwrap_or_default();
        if times.len() < subscribers {
            bail!(
                "publication {i} reached {} of {subscribers} subscribers in 10 s",
                times.len()
            );
        }
        spans.push(times.iter().copied().max().unwrap_or_default());
        each.extend(times);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    spans.sort_unstable();
    each.sort_unstable();
    let pick = |list: &[Duration], p: f64| {
        let i = ((list.len() as f64 * p).ceil() as usize).clamp(1, list.len()) - 1;
        crate::ms(list[i])
    };
    println!(
        "{subscribers} subscriptions on {sockets} sockets: server memory {before:.1} MiB before, \
         {after:.1} MiB after ({:.1} KiB per idle subscription)",
        (after - before) * 1024.0 / subscribers as f64
    );
    println!(
        "{publishes} publications: until the last subscriber had it p50 {:.1} ms, highest {:.1} ms; \
         each subscriber's delivery p50 {:.1} ms, p99 {:.1} ms",
        pick(&spans, 0.5),
        pick(&spans, 1.0),
        pick(&each, 0.5),
        pick(&each, 0.99),
    );
    Ok(())
}
