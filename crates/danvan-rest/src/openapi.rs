//! The OpenAPI 3.1 document of the JSON API, generated from the handlers and types of this
//! crate, at `/api/v1/openapi.json`; and the interactive reference at `/api/docs` (Swagger
//! UI, embedded in the binary: no CDN, works on an intranet).

use axum::Json;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "danvan JSON API",
        version = "1",
        description = "The news, organisations, people, meetings, \"Dân vận khéo\" models and report figures of Vietnamese \"Dân vận\" portals, for mobile apps and partner portals. The same records, ids, rules and error codes as the GraphQL API at `/graphql`; editing is GraphQL's only.\n\nEvery public answer carries a strong `ETag` (send it back as `If-None-Match` for a 304) and `Cache-Control`; answers are compressed (gzip, br, zstd) as `Accept-Encoding` asks. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code` and, where one parameter is at fault, its name. A parameter an endpoint does not take is refused. Partners send `X-Api-Key`; each key has a rate a minute (429 with `Retry-After` past it, `RateLimit` headers on every answer).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        crate::sites::list,
        crate::sites::one,
        crate::articles::list,
        crate::articles::one,
        crate::articles::by_slug,
        crate::organisations::list,
        crate::organisations::one,
        crate::organisations::children,
        crate::organisations::ancestors,
        crate::people::list,
        crate::people::one,
        crate::people::positions,
        crate::meetings::list,
        crate::meetings::one,
        crate::models::list,
        crate::models::one,
        crate::models::counts,
        crate::figures::list,
        crate::figures::series,
        crate::references::documents,
        crate::references::campaigns,
        crate::references::tags,
        crate::references::categories,
        crate::references::admin_units,
        crate::references::admin_unit,
        crate::search::search,
        crate::search::suggest,
        crate::sync::sync,
        crate::comments::post,
    ),
    components(schemas(crate::problem::ProblemDetails)),
    tags(
        (name = "articles", description = "News articles: lists with every filter of GraphQL's `articles`, one by id or by address."),
        (name = "sites", description = "The portals."),
        (name = "organisations", description = "The tree of organisations."),
        (name = "people", description = "People and the posts they hold."),
        (name = "meetings", description = "Conferences and reviews."),
        (name = "dvk-models", description = "\"Dân vận khéo\" models and their counts."),
        (name = "report-figures", description = "Figures from reports, and an indicator's series."),
        (name = "references", description = "Documents, campaigns, tags, categories, administrative units."),
        (name = "search", description = "Search and suggestions."),
        (name = "sync", description = "Offline sync for mobile apps."),
        (name = "comments", description = "Readers' comments."),
    )
)]
struct ApiDoc;

/// The document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as `openapi.json` holds it: pretty JSON, one final newline.
pub fn json() -> String {
    let mut text = openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

/// `GET /api/v1/openapi.json`.
pub(crate) async fn document() -> Response {
    Json(openapi()).into_response()
}

/// `/api/docs`: Swagger UI on the document.
pub fn docs<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    utoipa_swagger_ui::SwaggerUi::new("/api/docs")
        .url("/api/docs/openapi.json", openapi())
        .into()
}
