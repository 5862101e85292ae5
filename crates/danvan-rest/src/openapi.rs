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
        crate::articles::count_view,
        crate::auth::login,
        crate::auth::refresh,
        crate::auth::logout,
        crate::media::upload,
        crate::media::library,
        crate::media::one,
        crate::media::describe,
        crate::media::delete,
        crate::webhooks::list,
        crate::webhooks::create,
        crate::webhooks::delete,
        crate::webhooks::deliveries,
        crate::webhooks::replay,
        crate::webhooks::rotate,
        crate::webhooks::enable,
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
        (name = "auth", description = "Signing in: an access token for `Authorization: Bearer`, and a refresh token."),
        (name = "media", description = "The media library: photos (served at /media/{id}/{width}.{avif|webp|jpg}) and attached files (/media/{id}/original)."),
        (name = "webhooks", description = "Partners' endpoints, told of each publication (Standard Webhooks), for admins and a site's editors."),
    )
)]
struct ApiDoc;

/// The document: what the handlers declare, with the values of each enum parameter and
/// the form of slugs and opaque tokens added from the domain's own lists, so that the
/// document and the checks at the door cannot disagree.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let declared = ApiDoc::openapi();
    let Ok(mut doc) = serde_json::to_value(&declared) else {
        return declared;
    };
    sharpen(&mut doc);
    serde_json::from_value(doc).unwrap_or(declared)
}

/// The values GraphQL writes for a domain enum.
fn values<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| code(*v).to_ascii_uppercase()).collect()
}

/// What a parameter may be, beyond its type.
enum Form {
    /// One of these words.
    OneOf(Vec<String>),
    /// Text matching this pattern.
    Pattern(&'static str),
}

/// A slug: lower-case ASCII letters and digits joined by single hyphens.
const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
/// A global id or a cursor: URL-safe base64.
const TOKEN: &str = "^[A-Za-z0-9_-]+$";

/// The form of the parameter `name` of `path`.
fn form(path: &str, name: &str) -> Option<Form> {
    use danvan_domain::meeting::MeetingKind;
    use danvan_domain::model::{DvkField, DvkStatus};
    use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
    let form = match (path, name) {
        (_, "meetingKind") | ("/api/v1/meetings", "kind") => {
            Form::OneOf(values(MeetingKind::ALL, MeetingKind::code))
        }
        ("/api/v1/organisations", "kind") => {
            Form::OneOf(values(OrganisationKind::ALL, OrganisationKind::code))
        }
        ("/api/v1/organisations", "level") => {
            Form::OneOf(values(OrganisationLevel::ALL, OrganisationLevel::code))
        }
        (_, "field") => Form::OneOf(values(DvkField::ALL, DvkField::code)),
        (_, "status") => Form::OneOf(values(DvkStatus::ALL, DvkStatus::code)),
        (_, "orderBy") => Form::OneOf(vec!["NEWEST".into(), "MOST_VIEWED".into(), "TITLE".into()]),
        (_, "by") => Form::OneOf(
            ["FIELD", "STATUS", "PERIOD", "ORGANISATION"]
                .map(String::from)
                .to_vec(),
        ),
        (_, "site" | "tag" | "slug") => Form::Pattern(SLUG),
        (
            _,
            "id" | "after" | "since" | "organisation" | "organiser" | "parent" | "person"
            | "meeting" | "category" | "adminUnit" | "article",
        ) => Form::Pattern(TOKEN),
        _ => return None,
    };
    Some(form)
}

fn sharpen(doc: &mut serde_json::Value) {
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(|p| p.as_array_mut())
            else {
                continue;
            };
            for parameter in parameters {
                let Some(name) = parameter.get("name").and_then(|n| n.as_str()) else {
                    continue;
                };
                let form = form(path, name);
                let Some(schema) = parameter.get_mut("schema").and_then(|s| s.as_object_mut())
                else {
                    continue;
                };
                // Every text parameter is at least one character: an empty one is refused.
                let is_text = schema.get("type").is_some_and(|t| {
                    t == "string" || t.as_array().is_some_and(|a| a.contains(&"string".into()))
                });
                if is_text && !schema.contains_key("format") {
                    schema.insert("minLength".into(), 1.into());
                }
                match form {
                    Some(Form::OneOf(words)) => {
                        schema.insert("enum".into(), words.into());
                    }
                    Some(Form::Pattern(pattern)) => {
                        schema.insert("pattern".into(), pattern.into());
                    }
                    None => {}
                }
            }
        }
    }
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
