//! GraphQL over HTTP at `/graphql`: POST and GET for queries, GraphiQL for a browser.

use crate::AppState;
use crate::error::HttpError;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};

/// Executes a query sent as JSON in a POST body.
pub async fn post(
    State(state): State<AppState>,
    request: GraphQLRequest<HttpError>,
) -> GraphQLResponse {
    danvan_graphql::execute(&state.schema, request.into_inner())
        .await
        .into()
}

/// Serves GraphiQL to a browser, and executes a query given in the URL to anyone else.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Result<GraphQLRequest<HttpError>, HttpError>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html {
        let page = GraphiQLSource::build()
            .endpoint("/graphql")
            .title("danvan GraphiQL")
            .finish();
        return Html(page).into_response();
    }
    match request {
        Ok(request) => GraphQLResponse::from(
            danvan_graphql::execute(&state.schema, request.into_inner()).await,
        )
        .into_response(),
        Err(err) => err.into_response(),
    }
}
