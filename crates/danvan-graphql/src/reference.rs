//! Writing what the news refers to: documents (admins and editors), campaigns (like the
//! meetings, by the organisation that launched them), and the administrative units with
//! their successions (admins, since every site's place filters lean on them). Create,
//! update at the version read, delete (kept, hidden) and restore.

use crate::ApiError;
use crate::admin_unit::{AdminUnit, Succession};
use crate::context::{authorize, authorize_owned, db};
use crate::document::{Campaign, Document};
use crate::enums::{AdminLevel, DocumentKind, SuccessionKind};
use crate::id;
use crate::writing::{key, lifecycle, note, organisation, patch, required};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use danvan_auth::Action;
use danvan_domain::admin_unit::AdminUnitData;
use danvan_domain::campaign::CampaignData;
use danvan_domain::document::DocumentData;
use danvan_domain::{AdminUnitId, Body, Name, Slug, Title};

lifecycle!(
    documents,
    crate::document::Document,
    DocumentId,
    crate::id::DOCUMENT
);
lifecycle!(
    campaigns,
    crate::document::Campaign,
    CampaignId,
    crate::id::CAMPAIGN
);
lifecycle!(
    units,
    crate::admin_unit::AdminUnit,
    AdminUnitId,
    crate::id::ADMIN_UNIT
);

/// A document's fields; on update, the fields left out keep their value and `null` clears
/// an optional one.
#[derive(InputObject, Default)]
pub struct DocumentInput {
    /// The code as printed, unique: "25-NQ/TW" (required on creation).
    code: Option<String>,
    /// The kind; read off the code when left out on creation.
    kind: Option<DocumentKind>,
    /// The title or subject.
    title: MaybeUndefined<String>,
    /// The issuer as written: "Ban Chấp hành Trung ương".
    issuer: MaybeUndefined<String>,
    /// The issuing organisation, when it is in the directory.
    issuer_organisation: MaybeUndefined<ID>,
    /// When it was issued.
    issued_on: MaybeUndefined<NaiveDate>,
}

impl DocumentInput {
    fn apply(self, data: &mut DocumentData) -> Result<(), ApiError> {
        if let Some(code) = self.code {
            // The kind follows a new code unless it is given too.
            let read = DocumentData::from_code(&code)?;
            data.code = read.code;
            data.kind = read.kind;
        }
        if let Some(kind) = self.kind {
            data.kind = kind.into();
        }
        patch(&mut data.title, self.title, |t| {
            Ok(Title::parse_field("title", &t)?)
        })?;
        patch(&mut data.issuer, self.issuer, |n| {
            Ok(Name::parse_field("issuer", &n)?)
        })?;
        patch(&mut data.issuer_id, self.issuer_organisation, |id| {
            organisation(&id)
        })?;
        patch(&mut data.issued_on, self.issued_on, Ok)?;
        Ok(())
    }

    fn create(self) -> Result<DocumentData, ApiError> {
        let mut data = DocumentData::from_code(&required("code", self.code.clone())?)?;
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// A campaign's fields; on update, the fields left out keep their value and `null` clears
/// an optional one.
#[derive(InputObject, Default)]
pub struct CampaignInput {
    /// The movement's name (required on creation).
    name: Option<String>,
    /// Unique among campaigns; made from the name when left out on creation.
    slug: Option<String>,
    /// What it is about.
    description: Option<String>,
    /// Who launched it.
    organisation: MaybeUndefined<ID>,
    /// When it started.
    started_on: MaybeUndefined<NaiveDate>,
    /// When it ended.
    ended_on: MaybeUndefined<NaiveDate>,
}

impl CampaignInput {
    fn apply(self, data: &mut CampaignData) -> Result<(), ApiError> {
        if let Some(name) = self.name {
            data.name = Name::parse_field("name", &name)?;
        }
        if let Some(slug) = self.slug {
            data.slug = Slug::parse(&slug)?;
        }
        if let Some(description) = self.description {
            data.description = Body::parse_field("description", &description)?;
        }
        patch(&mut data.organisation_id, self.organisation, |id| {
            organisation(&id)
        })?;
        patch(&mut data.started_on, self.started_on, Ok)?;
        patch(&mut data.ended_on, self.ended_on, Ok)?;
        Ok(())
    }

    fn create(self) -> Result<CampaignData, ApiError> {
        let name = Name::parse_field("name", &required("name", self.name.clone())?)?;
        let mut data = CampaignData {
            slug: Slug::from_text(name.as_str())?,
            name,
            description: Body::empty(),
            organisation_id: None,
            started_on: None,
            ended_on: None,
        };
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// An administrative unit's fields; on update, the fields left out keep their value and
/// `null` clears an optional one.
#[derive(InputObject, Default)]
pub struct AdminUnitInput {
    /// The name without its level word: "Phú Thịnh" (required on creation).
    name: Option<String>,
    /// The level (required on creation).
    level: Option<AdminLevel>,
    /// The official code (mã đơn vị hành chính).
    code: MaybeUndefined<String>,
    /// The enclosing unit at that time.
    parent: MaybeUndefined<ID>,
    /// The first day it existed in this form.
    valid_from: MaybeUndefined<NaiveDate>,
    /// The last day it existed in this form.
    valid_to: MaybeUndefined<NaiveDate>,
}

impl AdminUnitInput {
    fn apply(self, data: &mut AdminUnitData) -> Result<(), ApiError> {
        if let Some(name) = self.name {
            data.name = Name::parse_field("name", &name)?;
        }
        if let Some(level) = self.level {
            data.level = level.into();
        }
        patch(&mut data.code, self.code, |c| note("code", c))?;
        patch(&mut data.parent_id, self.parent, |id| {
            key(id::ADMIN_UNIT, &id, AdminUnitId)
        })?;
        patch(&mut data.valid_from, self.valid_from, Ok)?;
        patch(&mut data.valid_to, self.valid_to, Ok)?;
        Ok(())
    }

    fn create(self) -> Result<AdminUnitData, ApiError> {
        let name = Name::parse_field("name", &required("name", self.name.clone())?)?;
        let level = required("level", self.level)?;
        let mut data = AdminUnitData::new(level.into(), name);
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// What the news refers to: its mutations.
#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// Adds a document (admins and editors); `code` is required.
    async fn create_document(&self, ctx: &Context<'_>, input: DocumentInput) -> Result<Document> {
        authorize(ctx, Action::WriteDirectory)?;
        let data = input.create()?;
        authorize_owned(ctx, documents::owner(&data))?;
        Ok(documents::create(ctx, &data).await?)
    }

    /// Changes a document (admins and editors), at the version read.
    async fn update_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: DocumentInput,
    ) -> Result<Document> {
        let found = documents::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, documents::owner(&data))?;
        Ok(documents::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a document (admins and editors); kept, hidden, until restored.
    async fn delete_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Document> {
        documents::writable(ctx, &id).await?;
        Ok(documents::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted document back (admins and editors).
    async fn restore_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document.")] id: ID,
    ) -> Result<Document> {
        documents::writable(ctx, &id).await?;
        Ok(documents::restore(ctx, &id).await?)
    }

    /// Adds a campaign (admins, and editors for their organisations); `name` is required.
    async fn create_campaign(&self, ctx: &Context<'_>, input: CampaignInput) -> Result<Campaign> {
        authorize(ctx, Action::WriteDirectory)?;
        let data = input.create()?;
        authorize_owned(ctx, campaigns::owner(&data))?;
        Ok(campaigns::create(ctx, &data).await?)
    }

    /// Changes a campaign (admins, and editors for their organisations), at the version read.
    async fn update_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: CampaignInput,
    ) -> Result<Campaign> {
        let found = campaigns::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, campaigns::owner(&data))?;
        Ok(campaigns::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a campaign (admins, and editors for their organisations); kept, hidden, until
    /// restored.
    async fn delete_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Campaign> {
        campaigns::writable(ctx, &id).await?;
        Ok(campaigns::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted campaign back (admins, and editors for their organisations).
    async fn restore_campaign(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The campaign.")] id: ID,
    ) -> Result<Campaign> {
        campaigns::writable(ctx, &id).await?;
        Ok(campaigns::restore(ctx, &id).await?)
    }

    /// Adds an administrative unit (admins); `name` and `level` are required.
    async fn create_admin_unit(
        &self,
        ctx: &Context<'_>,
        input: AdminUnitInput,
    ) -> Result<AdminUnit> {
        authorize(ctx, Action::Administer)?;
        let data = input.create()?;
        authorize_owned(ctx, units::owner(&data))?;
        Ok(units::create(ctx, &data).await?)
    }

    /// Changes an administrative unit (admins), at the version read: a unit that ends is
    /// given its `validTo`, and its successors with `addAdminUnitSuccession`.
    async fn update_admin_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: AdminUnitInput,
    ) -> Result<AdminUnit> {
        authorize(ctx, Action::Administer)?;
        let found = units::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, units::owner(&data))?;
        Ok(units::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes an administrative unit entered by mistake (admins); kept, hidden, until
    /// restored. A unit that was merged or renamed is ended with `validTo` instead.
    async fn delete_admin_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<AdminUnit> {
        authorize(ctx, Action::Administer)?;
        units::writable(ctx, &id).await?;
        Ok(units::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted administrative unit back (admins).
    async fn restore_admin_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit.")] id: ID,
    ) -> Result<AdminUnit> {
        authorize(ctx, Action::Administer)?;
        units::writable(ctx, &id).await?;
        Ok(units::restore(ctx, &id).await?)
    }

    /// Records that a unit passed (all or part of) its area to another (admins), so that
    /// news filed under the old unit is found under the new one.
    async fn add_admin_unit_succession(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit that ended or changed.")] predecessor: ID,
        #[graphql(desc = "The unit that took over.")] successor: ID,
        #[graphql(desc = "How.")] kind: SuccessionKind,
        #[graphql(desc = "The first day of the successor's responsibility.")]
        effective_on: NaiveDate,
    ) -> Result<Succession> {
        authorize(ctx, Action::Administer)?;
        let succession = danvan_domain::admin_unit::Succession {
            predecessor_id: units::found(ctx, &predecessor).await?.id,
            successor_id: units::found(ctx, &successor).await?.id,
            kind: kind.into(),
            effective_on,
        };
        danvan_store::admin_unit::add_succession(db(ctx)?, &succession)
            .await
            .map_err(ApiError::from)?;
        Ok(Succession(succession))
    }
}
