//! Campaigns.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, lifecycle_functions,
    standard_functions, update_function,
};
use crate::entities::campaign;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::campaign::CampaignData;
use danvan_domain::{Body, CampaignId, DomainError, Name, OrganisationId, Record, Slug};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored campaign.
pub type Campaign = Record<CampaignId, CampaignData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = campaign::Entity;
    type Id = CampaignId;
    type Data = CampaignData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Campaign;
    const WHAT: &'static str = "campaign";

    fn id_column() -> campaign::Column {
        campaign::Column::Id
    }

    fn check(data: &CampaignData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &CampaignData, stamps: Stamps) -> ActiveOf<Self> {
        campaign::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            name: Set(data.name.to_string()),
            slug: Set(data.slug.to_string()),
            description: Set(data.description.to_string()),
            organisation_id: Set(data.organisation_id.map(Key::raw)),
            started_on: Set(data.started_on),
            ended_on: Set(data.ended_on),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: CampaignId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: CampaignData {
                name: Name::from_stored(m.name),
                slug: Slug::from_stored(m.slug),
                description: Body::from_stored(m.description),
                organisation_id: m.organisation_id.map(OrganisationId),
                started_on: m.started_on,
                ended_on: m.ended_on,
            },
        })
    }
}

standard_functions!(Res, CampaignData, Campaign, CampaignId, "campaign");
update_function!(Res, CampaignData, Campaign, CampaignId, "campaign");
lifecycle_functions!(Res, Campaign, CampaignId, "campaign");

/// The campaign with this slug, if any.
pub async fn by_slug(
    db: &impl ConnectionTrait,
    slug: &Slug,
) -> Result<Option<Campaign>, StoreError> {
    crud::one::<Res, _>(
        db,
        campaign::Entity::find().filter(campaign::Column::Slug.eq(slug.as_str())),
    )
    .await
}

/// A page of campaigns, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Campaign>, StoreError> {
    crud::list::<Res, _>(db, campaign::Entity::find(), page).await
}

/// How many there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, campaign::Entity::find()).await
}
