//! Global ids as GraphQL's `ID` (the Relay convention that `node(id:)` relies on); their
//! form is `danvan_service::id`'s, the same for every door.

use crate::ApiError;
use async_graphql::ID;
use danvan_service::id;
pub(crate) use danvan_service::id::kind::*;

/// The global id of the `kind` object with key `raw`.
pub(crate) fn encode(kind: &str, raw: i64) -> ID {
    ID(id::encode(kind, raw))
}

/// The kind and key of a global id.
pub(crate) fn decode_any(id: &ID) -> Result<(String, i64), ApiError> {
    Ok(id::decode_any(id.as_str())?)
}

/// The key of a global id that must name a `kind` object.
pub(crate) fn decode(kind: &str, id: &ID) -> Result<i64, ApiError> {
    Ok(id::decode(kind, id.as_str())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_kind() {
        let id = encode(ARTICLE, 12);
        assert_eq!(decode(ARTICLE, &id), Ok(12));
        assert_eq!(decode_any(&id), Ok((ARTICLE.to_owned(), 12)));
        assert!(decode(SITE, &id).is_err());
        assert!(decode(ARTICLE, &ID("???".into())).is_err());
    }
}
