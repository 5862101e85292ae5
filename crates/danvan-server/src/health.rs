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

/// The database answers, so requests can be served.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match danvan_store::ping(&state.db).await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Err(err) => {
            tracing::warn!(error = ?err, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "reason": "the database does not answer" })),
            )
        }
    }
}
