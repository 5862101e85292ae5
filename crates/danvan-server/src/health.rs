//! Liveness and readiness, for load balancers and orchestrators.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// How long readiness waits for the database.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The process is up and answering.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers, and so does the read replica this server reads on, so requests
/// can be served. With replicas configured, the answer names each and its lag.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    // A load balancer waits a few seconds for an answer: one that does not come in two is
    // a database that does not answer.
    let primary = match tokio::time::timeout(READY_WAIT, danvan_store::ping(&state.db)).await {
        Ok(answered) => answered.map_err(|_| ()),
        Err(_) => Err(()),
    };
    if primary.is_err() {
        tracing::warn!("not ready: the database does not answer");
    }
    if state.replicas.is_empty() {
        return match primary {
            Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
            Err(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "reason": "the database does not answer" })),
            ),
        };
    }
    let (replicas_ready, mut databases) = state.replicas.report().await;
    databases.insert(
        0,
        json!({
            "role": "primary",
            "status": if primary.is_ok() { "ok" } else { "unavailable" },
            "inUse": true,
        }),
    );
    if primary.is_ok() && replicas_ready {
        (
            StatusCode::OK,
            Json(json!({ "status": "ready", "databases": databases })),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "unavailable",
                "reason": if primary.is_ok() {
                    "the read replica this server reads on does not answer"
                } else {
                    "the database does not answer"
                },
                "databases": databases,
            })),
        )
    }
}
