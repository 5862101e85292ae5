//! GraphQL over HTTP at `/graphql`, following the GraphQL-over-HTTP conventions: POST with
//! JSON for every operation, GET for queries only, `application/graphql-response+json` with
//! meaningful status codes for clients that accept it, and GraphiQL for a browser.

use crate::AppState;
use crate::error::HttpError;
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql_axum::GraphQLRequest;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use danvan_graphql::ApiError;
use std::net::SocketAddr;

/// The media type of the GraphQL-over-HTTP specification.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Executes an operation sent as JSON in a POST body.
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: GraphQLRequest<HttpError>,
) -> Response {
    let caller = match crate::auth::caller(&state, &headers, Some(client)).await {
        Ok(caller) => caller,
        Err(err) => return err.into_response(),
    };
    let response = state.api.execute(request.into_inner(), caller).await;
    respond(&headers, &response)
}

/// Serves GraphiQL to a browser, and executes a query given in the URL to anyone else.
/// A mutation over GET is refused: GET must be safe to repeat and to cache.
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: Result<GraphQLRequest<HttpError>, HttpError>,
) -> Response {
    let accept = header_text(&headers, header::ACCEPT);
    if accept.contains("text/html") {
        let page = GraphiQLSource::build()
            .endpoint("/graphql")
            .title("danvan GraphiQL")
            .finish();
        return Html(page).into_response();
    }
    let request = match request {
        Ok(request) => request.into_inner(),
        Err(err) => return err.into_response(),
    };
    if is_mutation(&request) {
        let refusal = HttpError(ApiError::BadUserInput(
            "a mutation must be sent with POST".into(),
        ));
        let mut response = refusal.into_response();
        *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let caller = match crate::auth::caller(&state, &headers, Some(client)).await {
        Ok(caller) => caller,
        Err(err) => return err.into_response(),
    };
    let response = state.api.execute(request, caller).await;
    respond(&headers, &response)
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Whether the operation the request would run is a mutation. A document that does not
/// parse is left for execution to report.
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let ty = match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    };
    ty == Some(OperationType::Mutation)
}

/// Writes a GraphQL response. A client that accepts `application/graphql-response+json`
/// gets it, with 400 when the request could not be executed at all (it does not parse, is
/// invalid, or passes a limit); any other client gets `application/json` and 200, as
/// GraphQL clients before the specification expect.
fn respond(headers: &HeaderMap, response: &async_graphql::Response) -> Response {
    let modern = header_text(headers, header::ACCEPT).contains(GRAPHQL_RESPONSE);
    // Errors of a request that never ran have no path; field errors always have one.
    let not_executed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if modern && not_executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let media_type = if modern {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    match serde_json::to_vec(response) {
        Ok(body) => (status, [(header::CONTENT_TYPE, media_type)], body).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "cannot serialise a GraphQL response");
            HttpError(ApiError::Internal).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_told_apart_from_queries() {
        let request = |q: &str| async_graphql::Request::new(q);
        assert!(!is_mutation(&request("{ sites { totalCount } }")));
        assert!(!is_mutation(&request("query { sites { totalCount } }")));
        assert!(is_mutation(&request("mutation { publish }")));
        let named = "query Read { sites { totalCount } } mutation Write { publish }";
        assert!(is_mutation(&request(named).operation_name("Write")));
        assert!(!is_mutation(&request(named).operation_name("Read")));
        assert!(!is_mutation(&request("not graphql")));
    }
}
