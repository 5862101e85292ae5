//! GraphiQL for a browser at `GET /graphql`, with every file it loads embedded in the
//! binary and served under `/graphiql/` (see `assets/graphiql/README.md`): the page works
//! offline and on an intranet, and the versions cannot change under us.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where the files are served.
pub const PREFIX: &str = "/graphiql";

/// One embedded file.
struct Asset {
    name: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
    /// Whether the name changes with the content, so that it may be cached for good.
    versioned: bool,
}

macro_rules! asset {
    ($name:literal, $media_type:expr, $versioned:literal) => {
        Asset {
            name: $name,
            media_type: $media_type,
            bytes: include_bytes!(concat!("../assets/graphiql/", $name)),
            versioned: $versioned,
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file the page loads, in the order it loads them.
const ASSETS: [Asset; 5] = [
    asset!("graphiql-4.1.2.min.css", "text/css; charset=utf-8", true),
    asset!("react-18.3.1.production.min.js", JS, true),
    asset!("react-dom-18.3.1.production.min.js", JS, true),
    asset!("graphiql-4.1.2.min.js", JS, true),
    asset!("danvan-graphiql.js", JS, false),
];

/// The page, for a GraphQL endpoint at `endpoint`.
pub fn page(endpoint: &str) -> String {
    let mut head = String::new();
    let mut scripts = String::new();
    for asset in &ASSETS {
        if asset.media_type == JS {
            scripts.push_str(&format!(
                "<script src=\"{PREFIX}/{}\"></script>\n",
                asset.name
            ));
        } else {
            head.push_str(&format!(
                "<link rel=\"stylesheet\" href=\"{PREFIX}/{}\">\n",
                asset.name
            ));
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>danvan GraphiQL</title>\n{head}\
         <style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>\n</head>\n<body>\n\
         <div id=\"graphiql\" data-endpoint=\"{endpoint}\">Đang tải GraphiQL…</div>\n{scripts}</body>\n</html>\n"
    )
}

/// What the page may load and run: only what danvan serves, and no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'";

/// `GET /graphiql/{file}`: an embedded file, or 404.
pub async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == file) else {
        return crate::error::not_found().await.into_response();
    };
    let cache = if asset.versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=0, must-revalidate"
    };
    let mut response = (StatusCode::OK, asset.bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.media_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
