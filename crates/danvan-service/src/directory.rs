//! Writing the directory and what organisations own: documents, campaigns, administrative
//! units, people, positions, meetings, "Dân vận khéo" models, report figures, sites and
//! tags. Every concept has the same steps, and the same rule of who may take them: the
//! shared directory is every editor's, what an organisation owns is its own editors'.

use crate::{Caller, ServiceError};

/// One module per concept with `owner`, `found`, `writable`, `create`, `update`, `delete`
/// and `restore`. The store modules agree on these signatures, so one definition serves
/// every concept; `owner` says which organisation, if any, a record belongs to, and
/// `write` the action writing one needs (the shared directory's, unless said).
macro_rules! lifecycle {
    ($(#[$doc:meta])* $module:ident, $store:ident, $record:ident, $data:ty, $id:ident,
     $kind:expr, $what:literal, owner: $owner:expr) => {
        lifecycle!($(#[$doc])* $module, $store, $record, $data, $id, $kind, $what,
            owner: $owner, write: danvan_auth::Action::WriteDirectory);
    };
    ($(#[$doc:meta])* $module:ident, $store:ident, $record:ident, $data:ty, $id:ident,
     $kind:expr, $what:literal, owner: $owner:expr, write: $write:expr) => {
        $(#[$doc])*
        pub mod $module {
            use super::*;
            use danvan_domain::$id;
            use danvan_store::DatabaseConnection;

            /// A stored one.
            pub type Record = danvan_store::$store::$record;

            /// What one holds.
            pub type Data = $data;

            /// The organisation it belongs to, if any.
            pub fn owner(data: &$data) -> Option<danvan_domain::OrganisationId> {
                let owner: fn(&$data) -> Option<danvan_domain::OrganisationId> = $owner;
                owner(data)
            }

            /// The record, deleted or not; `NOT_FOUND` when there is none.
            pub async fn found(db: &DatabaseConnection, id: $id) -> Result<Record, ServiceError> {
                danvan_store::$store::get_any(db, id).await?.ok_or_else(|| {
                    ServiceError::NotFound(format!(
                        concat!("no ", $what, " {}"),
                        crate::id::encode($kind, id.0)
                    ))
                })
            }

            /// The record, deleted or not, if the caller may change it: the shared
            /// directory, and what its owner owns (`FORBIDDEN` otherwise).
            pub async fn writable(
                db: &DatabaseConnection,
                caller: &Caller,
                id: $id,
            ) -> Result<Record, ServiceError> {
                caller.authorize($write)?;
                let found = found(db, id).await?;
                caller.authorize_owned(owner(&found.data))?;
                Ok(found)
            }

            /// Stores a new one, if the caller may write what it would belong to.
            pub async fn create(
                db: &DatabaseConnection,
                caller: &Caller,
                data: &$data,
            ) -> Result<Record, ServiceError> {
                caller.authorize($write)?;
                caller.authorize_owned(owner(data))?;
                Ok(danvan_store::$store::create(db, data).await?)
            }

            /// Replaces its data, if the caller may change it as it is and as it would be,
            /// and `version` is still the stored one (`CONFLICT` if not).
            pub async fn update(
                db: &DatabaseConnection,
                caller: &Caller,
                id: $id,
                version: i64,
                data: &$data,
            ) -> Result<Record, ServiceError> {
                writable(db, caller, id).await?;
                caller.authorize_owned(owner(data))?;
                Ok(danvan_store::$store::update(db, id, Some(version), data).await?)
            }

            /// Deletes it softly, if `version` is still the stored one.
            pub async fn delete(
                db: &DatabaseConnection,
                caller: &Caller,
                id: $id,
                version: i64,
            ) -> Result<Record, ServiceError> {
                writable(db, caller, id).await?;
                Ok(danvan_store::$store::delete(db, id, Some(version)).await?)
            }

            /// Brings it back.
            pub async fn restore(
                db: &DatabaseConnection,
                caller: &Caller,
                id: $id,
            ) -> Result<Record, ServiceError> {
                writable(db, caller, id).await?;
                Ok(danvan_store::$store::restore(db, id).await?)
            }
        }
    };
}

use crate::id::kind;

lifecycle!(
    /// Legal documents: resolutions, directives, regulations.
    documents, document, Document, danvan_domain::document::DocumentData, DocumentId,
    kind::DOCUMENT, "document", owner: |_| None
);
lifecycle!(
    /// Campaigns and movements, owned by the organisation that runs them.
    campaigns, campaign, Campaign, danvan_domain::campaign::CampaignData, CampaignId,
    kind::CAMPAIGN, "campaign", owner: |data| data.organisation_id
);
lifecycle!(
    /// Administrative units.
    units, admin_unit, AdminUnit, danvan_domain::admin_unit::AdminUnitData, AdminUnitId,
    kind::ADMIN_UNIT, "administrative unit", owner: |_| None
);
lifecycle!(
    /// People.
    people, person, Person, danvan_domain::person::PersonData, PersonId,
    kind::PERSON, "person", owner: |_| None
);
lifecycle!(
    /// The posts people hold, owned by the organisation they hold them in.
    positions, position, Position, danvan_domain::position::PositionData, PositionId,
    kind::POSITION, "position", owner: |data| Some(data.organisation_id)
);
lifecycle!(
    /// Meetings, owned by their organiser.
    meetings, meeting, Meeting, danvan_domain::meeting::MeetingData, MeetingId,
    kind::MEETING, "meeting", owner: |data| data.organiser_id
);
lifecycle!(
    /// "Dân vận khéo" models, owned by their organisation.
    models, model, DvkModel, danvan_domain::model::DvkModelData, DvkModelId,
    kind::DVK_MODEL, "model", owner: |data| data.organisation_id
);
lifecycle!(
    /// Report figures, owned by the organisation that reports them.
    figures, report_figure, ReportFigure, danvan_domain::report_figure::ReportFigureData,
    ReportFigureId, kind::REPORT_FIGURE, "report figure", owner: |data| data.organisation_id
);
lifecycle!(
    /// Sites, which only admins write.
    sites, site, Site, danvan_domain::site::SiteData, SiteId, kind::SITE, "site",
    owner: |_| None, write: danvan_auth::Action::Administer
);
lifecycle!(
    /// Tags.
    tags, tag, Tag, danvan_domain::tag::TagData, TagId, kind::TAG, "tag", owner: |_| None
);
