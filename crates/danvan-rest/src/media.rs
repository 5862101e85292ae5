//! The media library in the JSON API (`/api/v1/media`: upload, read, describe, delete, as
//! GraphQL's `uploadMedia` and the like) and its files (`/media/{id}/…`: the original and
//! the renditions). The rules are `danvan_service::media`'s.

use crate::Rest;
use crate::caller;
use crate::paging::{List, PageParams, Paging, answer};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::{MediaItem, media as view};
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::rejection::JsonRejection;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use danvan_domain::media::MediaKind;
use danvan_media::Encoding;
use danvan_service::code;
use danvan_service::media::{self as service, Privacy, Served, Shown, UploadInput};
use danvan_store::media::Media;
use serde::Deserialize;
use utoipa::ToSchema;

fn served(rest: &Rest) -> Result<&Served, Problem> {
    rest.inner.media.as_ref().ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            "this server keeps no media library",
        )
    })
}

fn id(raw: &str) -> Result<danvan_domain::MediaId, Problem> {
    service::decode(raw).map_err(|e| Problem::parameter("id", e.message()))
}

/// Uploads a photo or a file.
#[utoipa::path(
    post,
    path = "/api/v1/media",
    tag = "media",
    summary = "Upload a photo or a file",
    description = "A `multipart/form-data` body: the text fields (`site`, `caption`, `alt`, \
        `credit`), then the `file`. The file's type is read from its bytes: JPEG, PNG, WebP \
        or GIF images (kept cleaned of their metadata, turned upright), PDF, DOCX, XLSX or \
        ODT documents (kept as they are). The same file uploaded again to a site is the \
        same item (200 instead of 201).",
    request_body(content_type = "multipart/form-data", content = String),
    responses(
        (status = 201, description = "Kept.", body = MediaItem),
        (status = 200, description = "The site already had this file: its item.", body = MediaItem),
        (status = 400, description = "No file, a field after the file, an image that does not decode, or a text too long.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or reporter of the site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Larger than its kind may be.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not an image or document kept (SVG among them), or not a multipart body.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn upload(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, Problem> {
    let served = served(&rest)?;
    let mut body = body.map_err(|e| {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::UNSUPPORTED_MEDIA_TYPE,
            format!("send the file as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let mut input = UploadInput::default();
    let bad = |m: String| Problem::new(StatusCode::BAD_REQUEST, code::BAD_USER_INPUT, m);
    while let Some(field) = body.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            input.file_name = field.file_name().map(str::to_owned);
            let accepted = service::accept(rest.writer(), &caller, &input).await?;
            let (item, new) =
                service::upload(rest.writer(), &served.library, accepted, field).await?;
            if let Some(after) = body.next_field().await.map_err(|e| bad(e.body_text()))? {
                return Err(bad(format!(
                    "the field {:?} came after the file: send the text fields first",
                    after.name().unwrap_or_default()
                )));
            }
            let status = if new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let shown = service::show(rest.writer(), served, &caller, item).await?;
            return Ok((status, Json(view(served, &shown))).into_response());
        }
        let text = field.text().await.map_err(|e| bad(e.body_text()))?;
        let slot = match name.as_str() {
            "site" => &mut input.site,
            "caption" => &mut input.caption,
            "alt" => &mut input.alt,
            "credit" => &mut input.credit,
            other => {
                return Err(bad(format!(
                    "unknown field {other:?}: the fields are site, caption, alt, credit and file"
                )));
            }
        };
        *slot = Some(text);
    }
    Err(Problem::parameter("file", "the body has no `file` field"))
}

/// A site's library, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/media",
    tag = "media",
    summary = "A site's media library",
    description = "For the site's newsroom (its editors and reporters, and admins) to pick \
        photos and files from; every item at signed addresses, since the library holds what \
        is not public yet.",
    params(
        ("site" = Option<String>, Query, description = "The site's slug; the caller's own site when left out.", example = "gia-vien"),
        ("kind" = Option<String>, Query, description = "IMAGE for photos only, DOCUMENT for files only."),
        ("q" = Option<String>, Query, description = "Words the caption, alt text, credit or file name has words beginning with, with or without diacritics (`hoi nghi` finds \"Quang cảnh hội nghị\"); at most 200 characters.", example = "hội nghị"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of items.", body = List<MediaItem>),
        (status = 400, description = "A parameter is not valid, or no site named by a caller who has none.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not of the site's newsroom.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn library(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let served = served(&rest)?;
    let site = params.text("site");
    let kind = params.choice("kind", MediaKind::ALL, MediaKind::code)?;
    let words = params.text("q");
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let shelf = service::shelf(db, &caller, site.as_deref(), kind, words.as_deref())
        .await
        .map_err(|e| match e {
            danvan_service::ServiceError::LimitExceeded(_) => Problem::from(e).at("q"),
            other => Problem::from(other),
        })?;
    let page = service::library(db, served, &shelf, &paging.request).await?;
    let count = danvan_store::media::library_count(db, shelf.site, &shelf.filter);
    answer(&uri, &paging, page, count, |shown| view(served, &shown)).await
}

/// An item of the library.
#[utoipa::path(
    get,
    path = "/api/v1/media/{id}",
    tag = "media",
    summary = "An item of the media library",
    params(("id" = String, Path, description = "The item's global id.")),
    responses(
        (status = 200, description = "The item, its renditions and srcsets.", body = MediaItem),
        (status = 400, description = "Not the id of a media item.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such item, deleted, or not public yet (the newsroom and partners allowed the embargo see it).", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(raw): Path<String>,
) -> Result<Json<MediaItem>, Problem> {
    let served = served(&rest)?;
    let shown = service::get(rest.reader(), served, &caller, id(&raw)?).await?;
    Ok(Json(view(served, &shown)))
}

/// What the newsroom says of an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"caption": "Quang cảnh hội nghị", "alt": "Hội trường đông đại biểu", "credit": "Ảnh: Ngọc Lan"}))]
pub struct MediaText {
    /// The caption; null or empty for none.
    #[serde(default)]
    pub caption: Option<String>,
    /// What the photo shows.
    #[serde(default)]
    pub alt: Option<String>,
    /// Who took it.
    #[serde(default)]
    pub credit: Option<String>,
}

/// Replaces an item's caption, alt text and credit.
#[utoipa::path(
    patch,
    path = "/api/v1/media/{id}",
    tag = "media",
    summary = "Describe an item",
    params(("id" = String, Path, description = "The item's global id.")),
    request_body(content = MediaText, content_type = "application/json"),
    responses(
        (status = 200, description = "Described.", body = MediaItem),
        (status = 400, description = "Not the id of a media item, or a text too long.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor of the item's site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such item.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn describe(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(raw): Path<String>,
    body: Result<Json<MediaText>, JsonRejection>,
) -> Result<Json<MediaItem>, Problem> {
    let served = served(&rest)?;
    let input = crate::auth::body(body)?;
    let text = service::text(
        input.caption.as_deref(),
        input.alt.as_deref(),
        input.credit.as_deref(),
    )?;
    let item = service::set_text(rest.writer(), &caller, id(&raw)?, text).await?;
    let shown = service::show(rest.writer(), served, &caller, item).await?;
    Ok(Json(view(served, &shown)))
}

/// Deletes an item.
#[utoipa::path(
    delete,
    path = "/api/v1/media/{id}",
    tag = "media",
    summary = "Delete an item",
    description = "Hidden at once; its file is removed after the grace period, unless \
        another site's item holds the same file.",
    params(("id" = String, Path, description = "The item's global id.")),
    responses(
        (status = 200, description = "Deleted.", body = MediaItem),
        (status = 400, description = "Not the id of a media item.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor of the item's site.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such item.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "An article uses it: take it out of them first.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn delete(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path(raw): Path<String>,
) -> Result<Json<MediaItem>, Problem> {
    let served = served(&rest)?;
    let item = service::delete(rest.writer(), &caller, id(&raw)?).await?;
    let shown = Shown { item, signed: None };
    Ok(Json(view(served, &shown)))
}

/// A year: what does not change may be kept that long.
const FOR_GOOD: &str = "public, max-age=31536000, immutable";

fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// What may keep an answer: anyone for good, or only the one who asked while the
/// signature lasts.
fn keeping(privacy: Privacy) -> String {
    match privacy {
        Privacy::Public => FOR_GOOD.to_owned(),
        Privacy::Private(0) => "private, no-store".to_owned(),
        Privacy::Private(seconds) => format!("private, max-age={seconds}"),
    }
}

fn not_modified(etag: &str, vary: bool, privacy: Privacy) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    set(&mut response, header::ETAG, etag);
    set(&mut response, header::CACHE_CONTROL, &keeping(privacy));
    if vary {
        set(&mut response, header::VARY, "Accept");
    }
    response
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// A file of the library: `original`, or a rendition `{width}.{avif|webp|jpg}`, or
/// `{width}` alone for the best format the client's `Accept` names.
pub(crate) async fn file(
    State(rest): State<Rest>,
    caller::From(caller): caller::From,
    Path((raw, file)): Path<(String, String)>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let served = served(&rest)?;
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let signature = param("expires").zip(param("signature"));
    let (item, privacy) =
        service::open(rest.reader(), served, &caller, id(&raw)?, signature).await?;
    if file == "original" {
        return original(served, &item, &headers, privacy).await;
    }
    let (width, encoding, negotiated) = match file.split_once('.') {
        Some((width, extension)) => (
            width,
            Encoding::from_extension(extension).ok_or_else(|| {
                Problem::new(
                    StatusCode::NOT_FOUND,
                    code::NOT_FOUND,
                    "renditions are .avif, .webp or .jpg",
                )
            })?,
            false,
        ),
        None => {
            let accept = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            (file.as_str(), Encoding::negotiate(accept), true)
        }
    };
    let width: u32 = width.parse().map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            "a rendition is named by its width: /media/{id}/640.webp",
        )
    })?;
    let etag = service::etag(&item, width, encoding.extension());
    if matches(&headers, &etag) {
        return Ok(not_modified(&etag, negotiated, privacy));
    }
    let rendition = service::rendition(&served.library, &item, width, encoding).await?;
    let mut response = rendition.bytes.into_response();
    set(&mut response, header::CONTENT_TYPE, rendition.mime);
    set(&mut response, header::ETAG, &rendition.etag);
    set(&mut response, header::CACHE_CONTROL, &keeping(privacy));
    if negotiated {
        set(&mut response, header::VARY, "Accept");
    }
    Ok(response)
}

async fn original(
    served: &Served,
    item: &Media,
    headers: &HeaderMap,
    privacy: Privacy,
) -> Result<Response, Problem> {
    let etag = service::etag(item, 0, "original");
    if matches(headers, &etag) {
        return Ok(not_modified(&etag, false, privacy));
    }
    let format = service::format_of(item)?;
    let key = danvan_media::library::original_key(&item.data.hash, format);
    let (size, stream) = served
        .library
        .storage()
        .stream(&key)
        .await
        .map_err(danvan_service::ServiceError::from)?;
    let mut response = axum::body::Body::from_stream(stream).into_response();
    set(&mut response, header::CONTENT_TYPE, format.mime());
    set(&mut response, header::CONTENT_LENGTH, &size.to_string());
    set(&mut response, header::ETAG, &etag);
    set(&mut response, header::CACHE_CONTROL, &keeping(privacy));
    // A document is downloaded under its name (RFC 6266, the UTF-8 form for Vietnamese).
    if let Some(name) = &item.data.file_name
        && item.data.width.is_none()
    {
        let ascii = danvan_text::slugify(name.as_str());
        let encoded: String = name
            .as_str()
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        set(
            &mut response,
            header::CONTENT_DISPOSITION,
            &format!(
                "attachment; filename=\"{ascii}.{}\"; filename*=UTF-8''{encoded}",
                format.extension()
            ),
        );
    }
    Ok(response)
}
