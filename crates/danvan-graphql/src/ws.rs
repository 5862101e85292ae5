//! The graphql-transport-ws protocol (the `graphql-ws` library's, see
//! <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>) over any socket that
//! carries text frames: the door turns its WebSocket into [`Frame`]s and runs [`serve`].
//!
//! async-graphql has a WebSocket of its own, but it answers an invalid subscription with a
//! `next` rather than the protocol's `error`, sends no keep-alive ping, and has no bound on
//! subscriptions; this one keeps to the protocol's close codes and adds those.
//!
//! - `connection_init` must come within `init_timeout` (else close 4408); its payload
//!   carries the credentials (`{"authorization": "Bearer …"}` or `{"apiKey": "…"}`), refused
//!   with close 4403. A second one closes with 4429.
//! - `subscribe` before the acknowledgement closes with 4401; an id in use with 4409. Only
//!   subscriptions run here (queries and mutations go over HTTP, where caching and the
//!   audit log are): anything else, a subscription over the limit of a connection, or one
//!   that does not validate gets an `error` message for its id, and the connection stays.
//! - The server pings every `keep_alive`; a client that sends nothing at all for twice that
//!   is gone, and the connection is closed (1011).
//! - A message that is not the protocol's closes with 4400.
//! - When the server stops, the connection is closed with 1001 (going away), which clients
//!   take as a reason to connect again.
//! - Messages wait for the socket in a small queue; a subscription whose client reads too
//!   slowly falls behind the broadcast and ends with `LIMIT_EXCEEDED` (see
//!   `danvan_service::live`), so a slow client never holds more than that queue.

use crate::{Api, ApiError, Caller};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use futures::future::BoxFuture;
use futures::{Sink, SinkExt, Stream, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The protocol's name, as `Sec-WebSocket-Protocol` carries it.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// A frame of the socket, as the door gives and takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A text frame: every message of the protocol.
    Text(String),
    /// The socket is closed with this code and reason.
    Close(u16, String),
}

/// How a connection is held.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The most subscriptions one connection runs at once.
    pub max_subscriptions: usize,
    /// How long the server waits for `connection_init`.
    pub init_timeout: Duration,
    /// How often the server pings.
    pub keep_alive: Duration,
}

/// Checks the credentials of `connection_init`'s payload.
pub type Authenticate =
    Box<dyn FnOnce(Value) -> BoxFuture<'static, Result<Caller, ApiError>> + Send>;

/// A message of the client.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Value>,
    },
    Ping {
        #[serde(default)]
        payload: Option<Value>,
    },
    Pong {
        #[allow(dead_code)]
        #[serde(default)]
        payload: Option<Value>,
    },
    Subscribe {
        id: String,
        payload: Box<async_graphql::Request>,
    },
    Complete {
        id: String,
    },
}

/// What a subscription's task tells the connection.
enum Outgoing {
    /// A message to send.
    Message(Value),
    /// The subscription `id` ended (its last message sent before).
    Ended(String),
}

/// Runs one connection until either side closes it.
pub async fn serve<I, O>(
    api: Api,
    settings: Settings,
    authenticate: Authenticate,
    mut incoming: I,
    mut outgoing: O,
    stopping: impl std::future::Future<Output = ()> + Send,
) where
    I: Stream<Item = Frame> + Unpin + Send,
    O: Sink<Frame> + Unpin + Send,
{
    tokio::pin!(stopping);
    let mut authenticate = Some(authenticate);
    let mut caller: Option<Caller> = None;
    let mut running: HashMap<String, JoinHandle<()>> = HashMap::new();
    // Small: a client that does not read holds this much and no more.
    let (tx, mut rx) = mpsc::channel::<Outgoing>(32);
    let init_deadline = tokio::time::Instant::now() + settings.init_timeout;
    let mut ping = tokio::time::interval_at(
        tokio::time::Instant::now() + settings.keep_alive,
        settings.keep_alive,
    );
    let mut last_heard = tokio::time::Instant::now();
    let close = loop {
        tokio::select! {
            frame = incoming.next() => {
                let Some(frame) = frame else { break None };
                last_heard = tokio::time::Instant::now();
                let text = match frame {
                    Frame::Text(text) => text,
                    Frame::Close(..) => break None,
                };
                let Ok(message) = serde_json::from_str::<ClientMessage>(&text) else {
                    break Some((4400, "Invalid message received".to_owned()));
                };
                match message {
                    ClientMessage::ConnectionInit { payload } => {
                        let Some(check) = authenticate.take() else {
                            break Some((4429, "Too many initialisation requests".to_owned()));
                        };
                        match check(payload.unwrap_or(Value::Null)).await {
                            Ok(who) => {
                                caller = Some(who);
                                if send(&mut outgoing, json!({"type": "connection_ack"})).await.is_err() {
                                    break None;
                                }
                            }
                            Err(error) => break Some((4403, format!("Forbidden: {error}"))),
                        }
                    }
                    ClientMessage::Ping { payload } => {
                        let mut pong = json!({"type": "pong"});
                        if let Some(payload) = payload {
                            pong["payload"] = payload;
                        }
                        if send(&mut outgoing, pong).await.is_err() {
                            break None;
                        }
                    }
                    ClientMessage::Pong { .. } => {}
                    ClientMessage::Subscribe { id, mut payload } => {
                        let Some(caller) = &caller else {
                            break Some((4401, "Unauthorized".to_owned()));
                        };
                        running.retain(|_, task| !task.is_finished());
                        if running.contains_key(&id) {
                            break Some((4409, format!("Subscriber for {id} already exists")));
                        }
                        let refused = if running.len() >= settings.max_subscriptions {
                            Some(ApiError::LimitExceeded(format!(
                                "at most {} subscriptions on one connection",
                                settings.max_subscriptions
                            )))
                        } else {
                            not_a_subscription(&mut payload)
                        };
                        if let Some(error) = refused {
                            let message = json!({
                                "type": "error",
                                "id": id,
                                "payload": [error.to_server_error()],
                            });
                            if send(&mut outgoing, message).await.is_err() {
                                break None;
                            }
                            continue;
                        }
                        let events = api.subscribe(*payload, caller.clone());
                        let task = tokio::spawn(forward(id.clone(), events, tx.clone()));
                        running.insert(id, task);
                    }
                    ClientMessage::Complete { id } => {
                        if let Some(task) = running.remove(&id) {
                            task.abort();
                        }
                    }
                }
            }
            Some(out) = rx.recv() => {
                let message = match out {
                    Outgoing::Message(message) => message,
                    Outgoing::Ended(id) => {
                        running.remove(&id);
                        continue;
                    }
                };
                if send(&mut outgoing, message).await.is_err() {
                    break None;
                }
            }
            // The server is going away: 1001, which graphql-ws clients take as a reason
            // to connect again (to another server, or this one restarted).
            () = &mut stopping => {
                break Some((1001, "the server is shutting down".to_owned()));
            }
            () = tokio::time::sleep_until(init_deadline), if caller.is_none() => {
                break Some((4408, "Connection initialisation timeout".to_owned()));
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > settings.keep_alive * 2 {
                    break Some((1011, "no answer to keep-alive pings".to_owned()));
                }
                if send(&mut outgoing, json!({"type": "ping"})).await.is_err() {
                    break None;
                }
            }
        }
    };
    for task in running.values() {
        task.abort();
    }
    if let Some((code, reason)) = close {
        let _ = outgoing.send(Frame::Close(code, reason)).await;
    }
}

async fn send<O: Sink<Frame> + Unpin>(outgoing: &mut O, message: Value) -> Result<(), ()> {
    outgoing
        .send(Frame::Text(message.to_string()))
        .await
        .map_err(|_| ())
}

/// Why `request` may not run over the socket: anything but one subscription.
fn not_a_subscription(request: &mut async_graphql::Request) -> Option<ApiError> {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        // It does not parse: running it gives the parser's error as an `error` message.
        return None;
    };
    let kind = match (&document.operations, name) {
        (DocumentOperations::Single(operation), _) => Some(operation.node.ty),
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name.as_str()).map(|o| o.node.ty)
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next().map(|o| o.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    match kind {
        Some(OperationType::Subscription) | None => None,
        Some(_) => Some(ApiError::BadUserInput(
            "only subscriptions run over this socket; send queries and mutations to /graphql"
                .into(),
        )),
    }
}

/// Sends the events of one subscription as `next` messages, and its end: `complete`, or
/// an `error` when it could not start or was ended by one.
async fn forward(
    id: String,
    events: impl Stream<Item = async_graphql::Response> + Send + 'static,
    tx: mpsc::Sender<Outgoing>,
) {
    let mut events = std::pin::pin!(events);
    let mut ended_by_error = false;
    while let Some(response) = events.next().await {
        let failed = !response.errors.is_empty() && response.data == async_graphql::Value::Null;
        let message = if failed {
            ended_by_error = true;
            json!({"type": "error", "id": id, "payload": response.errors})
        } else {
            json!({"type": "next", "id": id, "payload": response})
        };
        if tx.send(Outgoing::Message(message)).await.is_err() {
            return;
        }
        if failed {
            break;
        }
    }
    if !ended_by_error {
        let _ = tx
            .send(Outgoing::Message(json!({"type": "complete", "id": id})))
            .await;
    }
    let _ = tx.send(Outgoing::Ended(id)).await;
}
