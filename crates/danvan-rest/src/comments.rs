//! `POST /articles/{id}/comments`: a reader's comment, waiting for moderation.

use crate::Rest;
use crate::caller;
use crate::problem::Problem;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_domain::ArticleId;
use danvan_service::id::{decode, encode, kind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A comment to post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"authorName": "Nguyễn Văn An", "body": "Mô hình rất thiết thực, cần nhân rộng."}))]
pub struct NewComment {
    /// The name the reader gives.
    pub author_name: String,
    /// The comment: plain text, at most 500 characters.
    pub body: String,
}

/// A comment as posted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Its global id.
    pub id: String,
    /// The name the reader gave.
    pub author_name: String,
    /// The comment.
    pub body: String,
    /// PENDING until an editor approves it.
    pub status: String,
    /// When it was posted.
    pub created_at: String,
}

/// Posts a comment on a published article; it waits for an editor's approval.
#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/comments",
    tag = "comments",
    summary = "Post a comment",
    params(("id" = String, Path, description = "The article's global id.")),
    request_body(content = NewComment, content_type = "application/json"),
    responses(
        (status = 201, description = "Posted; it shows once approved.", body = Comment),
        (status = 400, description = "The body is not valid (an empty name, a comment over 500 characters).", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No public article with this id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "This client has posted too many comments; `Retry-After` says when to try again.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(id): Path<String>,
    body: Result<Json<NewComment>, JsonRejection>,
) -> Result<Response, Problem> {
    let raw = decode(kind::ARTICLE, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    let input = crate::auth::body(body)?;
    let comment = danvan_service::comments::post(
        rest.writer(),
        &caller,
        Some(&rest.inner.comments),
        ArticleId(raw),
        &input.author_name,
        &input.body,
    )
    .await?;
    let body = Comment {
        id: encode(kind::COMMENT, comment.id.0),
        author_name: comment.data.author_name.to_string(),
        body: comment.data.body.to_string(),
        status: crate::view::value(comment.data.status.code()),
        created_at: crate::view::time(comment.created_at),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}
