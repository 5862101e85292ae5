//! Who sends a request: the credentials of its headers (`Authorization: Bearer`, or a
//! partner's `X-Api-Key`), checked by the service, and its address and id.

use crate::Rest;
use crate::problem::Problem;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use danvan_service::{Caller, ServiceError};

/// The credentials a request carries: a bearer token, an API key, or neither.
#[derive(Debug, Default, Clone, Copy)]
pub struct Credentials<'a> {
    /// The access token of `Authorization: Bearer …`.
    pub bearer: Option<&'a str>,
    /// The partner's key of `X-Api-Key`.
    pub api_key: Option<&'a str>,
}

impl<'a> Credentials<'a> {
    /// The credentials of `headers`; a header that is there but malformed is refused, not
    /// taken as absent.
    pub fn of(headers: &'a HeaderMap) -> Result<Self, ServiceError> {
        let text = |name: &str| -> Result<Option<&'a str>, ServiceError> {
            match headers.get(name) {
                None => Ok(None),
                Some(value) => value.to_str().map(Some).map_err(|_| {
                    ServiceError::Unauthenticated(format!("the {name} header is not a token"))
                }),
            }
        };
        let bearer = match text(header::AUTHORIZATION.as_str())? {
            Some(value) => match value.split_once(' ') {
                Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
                    Some(token.trim())
                }
                _ => {
                    return Err(ServiceError::Unauthenticated(
                        "use `Authorization: Bearer <access token>`".into(),
                    ));
                }
            },
            None => None,
        };
        Ok(Self {
            bearer,
            api_key: text("x-api-key")?,
        })
    }

    /// Whether the request carries any.
    pub fn any(headers: &HeaderMap) -> bool {
        headers.contains_key(header::AUTHORIZATION) || headers.contains_key("x-api-key")
    }
}

/// The caller of a request, as an extractor: the one [`authenticate`] found, else the
/// public.
pub struct From(pub Caller);

impl FromRequestParts<Rest> for From {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, rest: &Rest) -> Result<Self, Problem> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(Self(caller.clone()));
        }
        Ok(Self(caller(rest, &parts.headers, &parts.extensions).await?))
    }
}

/// Who sends a request with these headers.
async fn caller(
    rest: &Rest,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
) -> Result<Caller, Problem> {
    let credentials = Credentials::of(headers)?;
    let principal = if credentials.bearer.is_none() && credentials.api_key.is_none() {
        danvan_auth::Principal::default()
    } else {
        danvan_service::session::authenticate(
            rest.writer(),
            &rest.inner.sessions,
            credentials.bearer,
            credentials.api_key,
        )
        .await?
    };
    let client = extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok(Caller {
        principal,
        client,
        request_id,
    })
}

/// The middleware of every endpoint: credentials, when a request carries any, are checked
/// (a partner's key or a token that does not check out is 401, never the public) and the
/// caller is kept for the handler.
pub async fn authenticate(
    axum::extract::State(rest): axum::extract::State<Rest>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if Credentials::any(request.headers()) {
        match caller(&rest, request.headers(), request.extensions()).await {
            Ok(caller) => {
                request.extensions_mut().insert(caller);
            }
            Err(problem) => return problem.into_response(),
        }
    }
    next.run(request).await
}
