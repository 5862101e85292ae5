//! Liveness and readiness, for load balancers and orchestrators.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// The process is up and answering.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers, and so does the read replica this server reads on, so requests
/// can be served. With replicas configured, the answer names each and its lag.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let primary = danvan_store::ping(&state.db).await;
    if let Err(err) = &primary {
        tracing::warn!(error = ?err, "not ready: the database does not answer");
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
