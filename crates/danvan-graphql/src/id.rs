//! Global ids: the kind of object and its key, so that one id names one object across types
//! (the Relay convention that `node(id:)` relies on).

use crate::ApiError;
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub(crate) const ACCOUNT: &str = "Account";
pub(crate) const ADMIN_UNIT: &str = "AdminUnit";
pub(crate) const API_KEY: &str = "ApiKey";
pub(crate) const COMMENT: &str = "Comment";
pub(crate) const ARTICLE: &str = "Article";
pub(crate) const CAMPAIGN: &str = "Campaign";
pub(crate) const CATEGORY: &str = "Category";
pub(crate) const DOCUMENT: &str = "Document";
pub(crate) const DVK_MODEL: &str = "DvkModel";
pub(crate) const MEETING: &str = "Meeting";
pub(crate) const ORGANISATION: &str = "Organisation";
pub(crate) const PERSON: &str = "Person";
pub(crate) const POSITION: &str = "Position";
pub(crate) const REPORT_FIGURE: &str = "ReportFigure";
pub(crate) const SITE: &str = "Site";
pub(crate) const TAG: &str = "Tag";

/// The global id of the `kind` object with key `raw`.
pub(crate) fn encode(kind: &str, raw: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{raw}")))
}

/// The kind and key of a global id.
pub(crate) fn decode_any(id: &ID) -> Result<(String, i64), ApiError> {
    let bad = || ApiError::BadUserInput(format!("{:?} is not a danvan id", id.as_str()));
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (kind, raw) = text.split_once(':').ok_or_else(bad)?;
    Ok((kind.to_owned(), raw.parse().map_err(|_| bad())?))
}

/// The key of a global id that must name a `kind` object.
pub(crate) fn decode(kind: &str, id: &ID) -> Result<i64, ApiError> {
    match decode_any(id) {
        Ok((k, raw)) if k == kind => Ok(raw),
        _ => Err(ApiError::BadUserInput(format!(
            "{:?} is not the id of a {kind}",
            id.as_str()
        ))),
    }
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
