//! Referenced documents and campaigns in the schema.

use crate::context::load;
use crate::enums::DocumentKind;
use crate::id;
use crate::organisation::Organisation;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use danvan_store::campaign::Campaign as CampaignRecord;
use danvan_store::document::Document as DocumentRecord;

/// A document articles cite by code: "Nghị quyết số 25-NQ/TW".
pub struct Document(pub(crate) DocumentRecord);

/// A document articles cite by code: "Nghị quyết số 25-NQ/TW".
#[Object]
impl Document {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::DOCUMENT, self.0.id.0)
    }

    /// The code as printed: "25-NQ/TW".
    async fn code(&self) -> &str {
        &self.0.data.code
    }

    /// The kind, read off the code.
    async fn kind(&self) -> DocumentKind {
        self.0.data.kind.into()
    }

    /// The title or subject.
    async fn title(&self) -> Option<&str> {
        self.0.data.title.as_ref().map(|t| t.as_str())
    }

    /// The issuer as written.
    async fn issuer(&self) -> Option<&str> {
        self.0.data.issuer.as_ref().map(|n| n.as_str())
    }

    /// When it was issued.
    async fn issued_on(&self) -> Option<NaiveDate> {
        self.0.data.issued_on
    }

    /// The issuing organisation, when it is in the directory.
    async fn issuer_organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.issuer_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }
}

/// An emulation movement or call to action: "Dân vận khéo".
pub struct Campaign(pub(crate) CampaignRecord);

/// An emulation movement or call to action: "Dân vận khéo".
#[Object]
impl Campaign {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::CAMPAIGN, self.0.id.0)
    }

    /// The movement's name.
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// Unique among campaigns.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }

    /// What it is about.
    async fn description(&self) -> &str {
        self.0.data.description.as_str()
    }

    /// When it started.
    async fn started_on(&self) -> Option<NaiveDate> {
        self.0.data.started_on
    }

    /// When it ended, if it has.
    async fn ended_on(&self) -> Option<NaiveDate> {
        self.0.data.ended_on
    }

    /// Who launched it.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.organisation_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }
}
