//! The steps every write mutation shares, translated to `danvan_service::directory`
//! (reading the record an update or a restore names, storing, deleting softly and
//! restoring, each under the policy), and reading the fields an input gives.

use crate::ApiError;
use async_graphql::MaybeUndefined;
use danvan_domain::{OrganisationId, Period, PersonId};

/// One module per concept with `key`, `found`, `owner`, `writable`, `create`, `update`,
/// `delete` and `restore`, each the concept's use case in `danvan_service::directory`
/// (which holds who may take it) translated: global ids in, the schema's wrapper of the
/// stored record out.
macro_rules! lifecycle {
    ($(#[$doc:meta])* $module:ident, $wrapper:path, $id:ident, $kind:expr) => {
        $(#[$doc])*
        pub(crate) mod $module {
            use crate::ApiError;
            use crate::context::{caller, db};
            use async_graphql::{Context, ID};
            use danvan_domain::$id;
            use danvan_service::directory::$module as service;
            use service::{Data, Record};

            /// The key of an id that must name one of these.
            pub(crate) fn key(id: &ID) -> Result<$id, ApiError> {
                Ok($id(crate::id::decode($kind, id)?))
            }

            /// The record, deleted or not; `NOT_FOUND` when there is none.
            #[allow(dead_code, reason = "not every concept's mutations name a second record")]
            pub(crate) async fn found(ctx: &Context<'_>, id: &ID) -> Result<Record, ApiError> {
                Ok(service::found(db(ctx)?, key(id)?).await?)
            }

            #[allow(unused_imports, reason = "only concepts that organisations own ask it")]
            pub(crate) use service::owner;

            /// The record, deleted or not, if the caller may change it.
            pub(crate) async fn writable(ctx: &Context<'_>, id: &ID) -> Result<Record, ApiError> {
                Ok(service::writable(db(ctx)?, caller(ctx), key(id)?).await?)
            }

            /// Stores a new one.
            pub(crate) async fn create(
                ctx: &Context<'_>,
                data: &Data,
            ) -> Result<$wrapper, ApiError> {
                Ok($wrapper(service::create(db(ctx)?, caller(ctx), data).await?))
            }

            /// Replaces its data, if `version` is still the stored one (`CONFLICT` if not).
            pub(crate) async fn update(
                ctx: &Context<'_>,
                id: $id,
                version: i64,
                data: &Data,
            ) -> Result<$wrapper, ApiError> {
                Ok($wrapper(service::update(db(ctx)?, caller(ctx), id, version, data).await?))
            }

            /// Deletes it softly, if `version` is still the stored one.
            pub(crate) async fn delete(ctx: &Context<'_>, id: &ID, version: i64) -> Result<$wrapper, ApiError> {
                Ok($wrapper(service::delete(db(ctx)?, caller(ctx), key(id)?, version).await?))
            }

            /// Brings it back.
            pub(crate) async fn restore(ctx: &Context<'_>, id: &ID) -> Result<$wrapper, ApiError> {
                Ok($wrapper(service::restore(db(ctx)?, caller(ctx), key(id)?).await?))
            }
        }
    };
}

pub(crate) use lifecycle;

/// A field that must be given when a record is created.
pub(crate) fn required<T>(field: &str, value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::BadUserInput(format!("{field}: required")))
}

/// Applies a field that may be cleared: left out keeps the value, `null` clears it, a value
/// is read with `read` and replaces it.
pub(crate) fn patch<T, U>(
    target: &mut Option<U>,
    given: MaybeUndefined<T>,
    read: impl FnOnce(T) -> Result<U, ApiError>,
) -> Result<(), ApiError> {
    match given {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *target = None,
        MaybeUndefined::Value(value) => *target = Some(read(value)?),
    }
    Ok(())
}

/// A one-line note as given (a place, a unit, a decision number): normalised, and an empty
/// one refused rather than stored as nothing.
pub(crate) fn note(field: &'static str, raw: String) -> Result<String, ApiError> {
    danvan_domain::note(Some(&raw))
        .ok_or_else(|| ApiError::BadUserInput(format!("{field}: empty (send null to clear it)")))
}

/// A period given as its code (`2020-H1`, `2016..2020`) or as a portal prints it
/// ("6 tháng đầu năm 2020", "giai đoạn 2016-2020").
pub(crate) fn period(raw: String) -> Result<Period, ApiError> {
    if let Ok(period) = Period::from_code(raw.trim()) {
        return Ok(period);
    }
    Period::from_printed(&raw)?.ok_or_else(|| {
        ApiError::BadUserInput(format!(
            "period: {raw:?} is neither a period code (2020-H1) nor a period as printed \
             (6 tháng đầu năm 2020)"
        ))
    })
}

/// The organisation an id names (it must be an organisation's id).
pub(crate) fn organisation(id: &async_graphql::ID) -> Result<OrganisationId, ApiError> {
    key(crate::id::ORGANISATION, id, OrganisationId)
}

/// The person an id names (it must be a person's id).
pub(crate) fn person(id: &async_graphql::ID) -> Result<PersonId, ApiError> {
    key(crate::id::PERSON, id, PersonId)
}

/// The key of an id that must name a `kind` object, typed by `wrap`.
pub(crate) fn key<K>(
    kind: &str,
    id: &async_graphql::ID,
    wrap: fn(i64) -> K,
) -> Result<K, ApiError> {
    Ok(wrap(crate::id::decode(kind, id)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_keeps_clears_or_replaces() {
        let mut value = Some(1);
        let read = |v: i32| Ok::<_, ApiError>(v * 10);
        patch(&mut value, MaybeUndefined::Undefined, read).unwrap();
        assert_eq!(value, Some(1));
        patch(&mut value, MaybeUndefined::Value(2), read).unwrap();
        assert_eq!(value, Some(20));
        patch(&mut value, MaybeUndefined::Null, read).unwrap();
        assert_eq!(value, None);
    }

    #[test]
    fn a_period_is_read_as_a_code_or_as_printed() {
        assert_eq!(period("2020-H1".into()).unwrap().code(), "2020-H1");
        assert_eq!(
            period("6 tháng đầu năm 2020".into()).unwrap().code(),
            "2020-H1"
        );
        assert_eq!(
            period("giai đoạn 2016-2020".into()).unwrap().code(),
            "2016..2020"
        );
        assert!(matches!(
            period("sắp tới".into()),
            Err(ApiError::BadUserInput(_))
        ));
    }

    #[test]
    fn an_empty_note_is_refused_not_stored() {
        assert_eq!(
            note("location", " Hội trường\u{a0}Tỉnh ủy ".into()).unwrap(),
            "Hội trường Tỉnh ủy"
        );
        assert!(note("location", " \u{a0}".into()).is_err());
    }
}
