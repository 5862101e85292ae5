//! Global ids: the kind of object and its key, so that one id names one object across types
//! (the Relay convention that `node(id:)` relies on).

use crate::ApiError;
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The global id of the `kind` object with key `raw`.
pub(crate) fn encode(kind: &str, raw: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{raw}")))
}

/// The key of a global id that must name a `kind` object.
pub(crate) fn decode(kind: &str, id: &ID) -> Result<i64, ApiError> {
    let bad = || ApiError::BadUserInput(format!("{:?} is not the id of a {kind}", id.as_str()));
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    match text.split_once(':') {
        Some((k, raw)) if k == kind => raw.parse().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_kind() {
        let id = encode("Article", 12);
        assert_eq!(decode("Article", &id), Ok(12));
        assert!(decode("Site", &id).is_err());
        assert!(decode("Article", &ID("???".into())).is_err());
    }
}
