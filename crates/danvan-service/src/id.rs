//! Global ids: the kind of object and its key, so that one id names one object across
//! types and across doors (GraphQL's `node(id:)`, the JSON API's paths).

use crate::ServiceError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[allow(missing_docs, reason = "each names the kind of object it says")]
pub mod kind {
    pub const ACCOUNT: &str = "Account";
    pub const ADMIN_UNIT: &str = "AdminUnit";
    pub const API_KEY: &str = "ApiKey";
    pub const COMMENT: &str = "Comment";
    pub const ARTICLE: &str = "Article";
    pub const CAMPAIGN: &str = "Campaign";
    pub const CATEGORY: &str = "Category";
    pub const DOCUMENT: &str = "Document";
    pub const DVK_MODEL: &str = "DvkModel";
    pub const MEDIA: &str = "MediaItem";
    pub const MEETING: &str = "Meeting";
    pub const ORGANISATION: &str = "Organisation";
    pub const PERSON: &str = "Person";
    pub const POSITION: &str = "Position";
    pub const REPORT_FIGURE: &str = "ReportFigure";
    pub const SITE: &str = "Site";
    pub const TAG: &str = "Tag";
    pub const WEBHOOK: &str = "Webhook";
    pub const WEBHOOK_DELIVERY: &str = "WebhookDelivery";
}

/// The kind of object a concept of the change log is.
pub fn kind_of(concept: danvan_store::change::Concept) -> &'static str {
    use danvan_store::change::Concept;
    match concept {
        Concept::Article => kind::ARTICLE,
        Concept::Comment => kind::COMMENT,
        Concept::Meeting => kind::MEETING,
        Concept::DvkModel => kind::DVK_MODEL,
        Concept::ReportFigure => kind::REPORT_FIGURE,
        Concept::Organisation => kind::ORGANISATION,
        Concept::Person => kind::PERSON,
        Concept::Position => kind::POSITION,
        Concept::Document => kind::DOCUMENT,
        Concept::Campaign => kind::CAMPAIGN,
        Concept::Tag => kind::TAG,
        Concept::Category => kind::CATEGORY,
        Concept::Site => kind::SITE,
        Concept::AdminUnit => kind::ADMIN_UNIT,
        Concept::Media => kind::MEDIA,
    }
}

/// The concept of the change log a kind of object is, if it is one.
pub fn concept_of(kind: &str) -> Option<danvan_store::change::Concept> {
    danvan_store::change::Concept::ALL
        .into_iter()
        .find(|c| kind_of(*c) == kind)
}

/// The global id of the `kind` object with key `raw`: `Article:12` in URL-safe base64.
pub fn encode(kind: &str, raw: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{raw}"))
}

/// The kind and key of a global id.
pub fn decode_any(id: &str) -> Result<(String, i64), ServiceError> {
    let bad = || ServiceError::BadUserInput(format!("{id:?} is not a danvan id"));
    let bytes = URL_SAFE_NO_PAD.decode(id).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (kind, raw) = text.split_once(':').ok_or_else(bad)?;
    Ok((kind.to_owned(), raw.parse().map_err(|_| bad())?))
}

/// The key of a global id that must name a `kind` object.
pub fn decode(kind: &str, id: &str) -> Result<i64, ServiceError> {
    match decode_any(id) {
        Ok((k, raw)) if k == kind => Ok(raw),
        _ => Err(ServiceError::BadUserInput(format!(
            "{id:?} is not the id of a {kind}"
        ))),
    }
}
