//! `/graphql/ws`: GraphQL subscriptions over WebSocket, in the graphql-transport-ws protocol
//! (see `danvan_graphql::ws`). The credentials come in `connection_init`'s payload
//! (`{"authorization": "Bearer …"}` or `{"apiKey": "…"}`), as browsers cannot set headers on
//! a WebSocket; an `Authorization` or `X-Api-Key` header on the upgrade request counts too.
//!
//! Each client address holds at most `connections_per_client` sockets on this process.

use crate::AppState;
use crate::error::HttpError;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use danvan_graphql::ApiError;
use danvan_graphql::ws::{self, Frame};
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The sockets each client address holds open on this process.
#[derive(Clone, Default)]
pub struct Sockets {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One socket of a client, counted while it lives.
pub struct Admitted {
    sockets: Sockets,
    client: IpAddr,
}

impl Sockets {
    /// How many sockets are open on this process.
    pub(crate) fn count(&self) -> usize {
        self.open
            .lock()
            .map(|o| o.values().sum())
            .unwrap_or_default()
    }

    /// A place for one more socket of `client`, if it holds fewer than `max`.
    fn admit(&self, client: IpAddr, max: usize) -> Option<Admitted> {
        let mut open = self.open.lock().ok()?;
        let held = open.entry(client).or_insert(0);
        if *held >= max {
            return None;
        }
        *held += 1;
        Some(Admitted {
            sockets: self.clone(),
            client,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut open) = self.sockets.open.lock()
            && let Some(held) = open.get_mut(&self.client)
        {
            *held = held.saturating_sub(1);
            if *held == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// Upgrades to a WebSocket speaking graphql-transport-ws.
pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let offered = headers
        .get_all(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == ws::PROTOCOL);
    if !offered {
        return HttpError(ApiError::BadUserInput(format!(
            "ask for the WebSocket protocol {:?}",
            ws::PROTOCOL
        )))
        .into_response();
    }
    let limits = state.subscription_limits;
    let Some(admitted) = state
        .sockets
        .admit(client.ip(), limits.connections_per_client)
    else {
        return HttpError(ApiError::LimitExceeded(format!(
            "at most {} open subscription sockets per client",
            limits.connections_per_client
        )))
        .into_response();
    };
    let settings = ws::Settings {
        max_subscriptions: limits.subscriptions_per_connection,
        init_timeout: Duration::from_secs(limits.init_timeout_secs.max(1)),
        keep_alive: Duration::from_secs(limits.keep_alive_secs.max(1)),
    };
    upgrade
        .protocols([ws::PROTOCOL])
        .max_message_size(state.body_limit)
        .on_upgrade(move |socket| async move {
            let _admitted = admitted;
            run(state, client, headers, settings, socket).await;
        })
}

async fn run(
    state: AppState,
    client: SocketAddr,
    headers: HeaderMap,
    settings: ws::Settings,
    socket: WebSocket,
) {
    let (sink, stream) = socket.split();
    // Pings and binary frames are the socket's business, not the protocol's.
    let incoming = stream
        .take_while(|m| std::future::ready(m.is_ok()))
        .filter_map(|m| {
            std::future::ready(match m {
                Ok(Message::Text(text)) => Some(Frame::Text(text.to_string())),
                Ok(Message::Close(_)) => Some(Frame::Close(1000, String::new())),
                _ => None,
            })
        });
    // A write the client does not take within this time ends the connection: a client that
    // stopped reading holds the queue of `ws` and nothing more.
    let write_timeout = settings.keep_alive * 2;
    let outgoing = sink.with(move |frame: Frame| async move {
        Ok::<_, axum::Error>(match frame {
            Frame::Text(text) => Message::Text(text.into()),
            Frame::Close(code, reason) => Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })),
        })
    });
    let outgoing = TimedSink {
        inner: Box::pin(outgoing),
        timeout: write_timeout,
    }
    .into_sink();
    let api = state.api.clone();
    let stopping = state.stopping.clone();
    let authenticate: ws::Authenticate = Box::new(move |payload| {
        Box::pin(async move {
            let headers = with_credentials(headers, &payload);
            crate::auth::caller(&state, &headers, Some(client))
                .await
                .map_err(|HttpError(e)| e)
        })
    });
    ws::serve(
        api,
        settings,
        authenticate,
        Box::pin(incoming),
        Box::pin(outgoing),
        async move { stopping.stopped().await },
    )
    .await;
}

/// The upgrade request's headers with the credentials of `connection_init`'s payload over
/// them.
fn with_credentials(mut headers: HeaderMap, payload: &serde_json::Value) -> HeaderMap {
    let Some(fields) = payload.as_object() else {
        return headers;
    };
    for (key, value) in fields {
        let Some(value) = value.as_str().and_then(|v| HeaderValue::from_str(v).ok()) else {
            continue;
        };
        match key.to_ascii_lowercase().as_str() {
            "authorization" => {
                headers.insert(axum::http::header::AUTHORIZATION, value);
            }
            "apikey" | "x-api-key" => {
                headers.insert("x-api-key", value);
            }
            _ => {}
        }
    }
    headers
}

/// A sink whose every send must finish within `timeout`.
struct TimedSink<S> {
    inner: std::pin::Pin<Box<S>>,
    timeout: Duration,
}

impl<S> TimedSink<S>
where
    S: futures::Sink<Frame, Error = axum::Error> + Send + 'static,
{
    fn into_sink(self) -> impl futures::Sink<Frame, Error = ()> + Send {
        futures::sink::unfold(self, |mut this, frame: Frame| async move {
            match tokio::time::timeout(this.timeout, this.inner.send(frame)).await {
                Ok(Ok(())) => Ok(this),
                _ => Err(()),
            }
        })
    }
}
