//! The JSON API's public answers kept in memory (see `danvan_service::answers`): a GET
//! without credentials is answered from what was kept under its address while nothing the
//! answer shows has changed, and what it shows is named in `Surrogate-Key` and `Cache-Tag`
//! so that a CDN in front keeps and purges it the same way.
//!
//! What an answer shows is read off the answer itself and its address: every record whose
//! global id it holds (an article, its site, its tags), and, for a list, the concept it
//! lists and those its filters name (`?site=`, `?tag=`): a new article changes every list
//! of articles, a renamed tag a list filtered by it; an article's own page changes with
//! that article only.

use crate::Rest;
use crate::caller::Credentials;
use axum::body::{Body, to_bytes};
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use danvan_service::answers::{Answer, Shows};
use danvan_store::change::Concept;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// The headers of a built answer that are kept with it.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LINK, header::LAST_MODIFIED];

/// Past this many records shown, an answer shows their concepts instead: the names a CDN
/// gets stay a few kilobytes.
const MOST_RECORDS: usize = 256;

/// The middleware of the JSON API's public routes.
pub(crate) async fn answer(State(rest): State<Rest>, request: Request, next: Next) -> Response {
    let answers = rest.answers();
    let address = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    let path = address.path().to_owned();
    let wanted = request.method() == Method::GET
        && answers.enabled()
        && !Credentials::any(request.headers())
        && !danvan_service::reads::reads_on_primary()
        && !path.ends_with("/sync");
    if !wanted {
        return next.run(request).await;
    }
    let Ok(now) = answers.position().await else {
        return next.run(request).await;
    };
    let text = address
        .path_and_query()
        .map_or(path.as_str(), |p| p.as_str());
    let key: [u8; 32] = Sha256::new()
        .chain_update(b"rest\0")
        .chain_update(text.as_bytes())
        .finalize()
        .into();
    if let Some(kept) = answers.get(&key, &now) {
        return respond(&kept, "HIT");
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, crate::caching::HASHED_MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = parts.headers.get(name)?.to_str().ok()?;
            Some((name.as_str().to_owned(), value.to_owned()))
        })
        .collect();
    let shows = shows_of(&path, address.query().unwrap_or_default(), &body);
    let tag = crate::caching::tag_of(&[&body]);
    let kept = answers.keep(key, now, body, tag, headers, shows);
    respond(&kept, "MISS")
}

/// A kept answer over HTTP, saying whether it was found (`HIT`) or built (`MISS`).
fn respond(kept: &Answer, cache: &'static str) -> Response {
    let mut response = Response::new(Body::from(kept.body.clone()));
    let headers = response.headers_mut();
    for (name, value) in &kept.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    headers.insert("x-cache", HeaderValue::from_static(cache));
    set(headers, header::ETAG, &kept.tag);
    set(
        headers,
        HeaderName::from_static("surrogate-key"),
        &kept.keys,
    );
    set(
        headers,
        HeaderName::from_static("cache-tag"),
        &kept.keys.replace(' ', ","),
    );
    response
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// What the answer `body` to `path?query` shows.
fn shows_of(path: &str, query: &str, body: &[u8]) -> Vec<Shows> {
    let segments: Vec<&str> = path
        .trim_start_matches(crate::PREFIX)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let listed = |name: &str| match name {
        "articles" => Some(Concept::Article),
        "sites" => Some(Concept::Site),
        "organisations" => Some(Concept::Organisation),
        "people" => Some(Concept::Person),
        "positions" => Some(Concept::Position),
        "meetings" => Some(Concept::Meeting),
        "dvk-models" => Some(Concept::DvkModel),
        "report-figures" => Some(Concept::ReportFigure),
        "documents" => Some(Concept::Document),
        "campaigns" => Some(Concept::Campaign),
        "tags" => Some(Concept::Tag),
        "categories" => Some(Concept::Category),
        "admin-units" => Some(Concept::AdminUnit),
        _ => None,
    };
    let mut shows = HashSet::new();
    match segments.as_slice() {
        ["openapi.json"] => return Vec::new(),
        // A search ranks across every concept.
        ["search" | "suggest"] => return vec![Shows::Everything],
        // Lists: any change of what they list, or of what their filters name.
        [list]
        | [_, _, list @ ("categories" | "children" | "ancestors")]
        | [
            list @ ("dvk-models" | "report-figures"),
            "counts" | "series",
        ] => {
            let concept = match *list {
                "children" | "ancestors" => Some(Concept::Organisation),
                other => listed(other),
            };
            let Some(concept) = concept else {
                return vec![Shows::Everything];
            };
            shows.insert(Shows::Concept(concept));
            for (name, _) in form_urlencoded(query) {
                let filtered = match name.as_str() {
                    "site" => Some(Concept::Site),
                    "tag" => Some(Concept::Tag),
                    "organisation" => Some(Concept::Organisation),
                    "category" => Some(Concept::Category),
                    "meeting" => Some(Concept::Meeting),
                    "person" => Some(Concept::Person),
                    "campaign" => Some(Concept::Campaign),
                    "adminUnit" => Some(Concept::AdminUnit),
                    _ => None,
                };
                shows.extend(filtered.map(Shows::Concept));
            }
        }
        // One record (by id, or a site's article by its slug): the records it holds.
        [kind, _] | [kind @ "sites", _, "articles", _] if listed(kind).is_some() => {}
        _ => return vec![Shows::Everything],
    }
    let mut records = HashSet::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        ids_in(&value, &mut records);
    }
    if records.len() > MOST_RECORDS {
        shows.extend(records.iter().map(|r| match r {
            Shows::Record(concept, _) => Shows::Concept(*concept),
            other => *other,
        }));
    } else {
        shows.extend(records);
    }
    // In the order of their names: the same answer names them the same way each time.
    let mut shows: Vec<Shows> = shows.into_iter().collect();
    shows.sort_by_cached_key(Shows::key);
    shows
}

/// Every record whose global id `value` holds as an `id`.
fn ids_in(value: &serde_json::Value, found: &mut HashSet<Shows>) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, inner) in map {
                if name == "id"
                    && let Some(id) = inner.as_str()
                    && let Ok((kind, raw)) = danvan_service::id::decode_any(id)
                    && let Some(concept) = danvan_service::id::concept_of(&kind)
                {
                    found.insert(Shows::Record(concept, raw));
                } else {
                    ids_in(inner, found);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                ids_in(item, found);
            }
        }
        _ => {}
    }
}

fn form_urlencoded(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: &str, raw: i64) -> String {
        danvan_service::id::encode(kind, raw)
    }

    #[test]
    fn a_list_shows_its_concept_its_filters_and_its_records() {
        let body = serde_json::json!({ "items": [
            { "id": id("Article", 7), "title": "Dân vận khéo", "site": { "id": id("Site", 2) } },
        ]})
        .to_string();
        let shows = shows_of("/api/v1/articles", "site=gia-vien&limit=5", body.as_bytes());
        for expected in [
            Shows::Concept(Concept::Article),
            Shows::Concept(Concept::Site),
            Shows::Record(Concept::Article, 7),
            Shows::Record(Concept::Site, 2),
        ] {
            assert!(shows.contains(&expected), "{expected:?} in {shows:?}");
        }
        assert!(!shows.contains(&Shows::Concept(Concept::Tag)));
    }

    #[test]
    fn one_record_shows_what_it_holds_only() {
        let body =
            serde_json::json!({ "id": id("Organisation", 3), "parentId": id("Organisation", 1) })
                .to_string();
        assert_eq!(
            shows_of("/api/v1/organisations/T3JnOjM", "", body.as_bytes()),
            vec![Shows::Record(Concept::Organisation, 3)]
        );
        let children = shows_of(
            "/api/v1/organisations/T3JnOjM/children",
            "",
            b"{\"items\":[]}",
        );
        assert_eq!(children, vec![Shows::Concept(Concept::Organisation)]);
        assert_eq!(
            shows_of("/api/v1/search", "q=x", b"{}"),
            vec![Shows::Everything]
        );
        assert_eq!(
            shows_of("/api/v1/somewhere/else/entirely", "", b"{}"),
            vec![Shows::Everything]
        );
    }
}
