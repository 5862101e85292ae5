//! Writing what articles are filed under: sites (admins), tags (the shared directory) and a
//! site's sections (its editors). Each concept has create, update (at the version read),
//! delete (kept, hidden) and restore.

use crate::ApiError;
use crate::context::{authorize, caller, db};
use crate::id;
use crate::site::Site;
use crate::tag::{Category, Tag};
use crate::writing::{lifecycle, required};
use async_graphql::{Context, ID, InputObject, Object, Result};
use danvan_auth::Action;
use danvan_domain::site::{SiteData, UrlPattern};
use danvan_domain::tag::TagData;
use danvan_domain::{AdminUnitId, Body, CategoryId, Name, OrganisationId, Slug, Url};
use danvan_service::sections;

/// A site's fields; on update, the fields left out keep their value.
#[derive(InputObject)]
pub struct SiteInput {
    /// Unique among sites: "lam-son".
    slug: Option<String>,
    /// The portal's name: "Ban Dân vận Tỉnh ủy Lam Sơn".
    name: Option<String>,
    /// The portal's public address.
    base_url: Option<String>,
    /// A short description.
    description: Option<String>,
    /// The organisation that runs it.
    organisation: Option<ID>,
    /// The administrative unit it serves.
    admin_unit: Option<ID>,
    /// Where its front end shows an article, naming `{slug}` or `{id}`:
    /// `https://danvan.example.vn/tin-tuc/{slug}`. Feeds, sitemaps and webhooks link there.
    public_url: Option<String>,
    /// Whether its feeds carry each article's whole body (the default) or only its lead.
    full_text_feeds: Option<bool>,
}

impl SiteInput {
    fn apply(self, data: &mut SiteData) -> Result<(), ApiError> {
        if let Some(slug) = self.slug {
            data.slug = Slug::parse(&slug)?;
        }
        if let Some(name) = self.name {
            data.name = Name::parse_field("name", &name)?;
        }
        if let Some(url) = self.base_url {
            data.base_url = Some(Url::parse_field("baseUrl", &url)?);
        }
        if let Some(description) = self.description {
            data.description = Body::parse_field("description", &description)?;
        }
        if let Some(id) = self.organisation {
            data.organisation_id = Some(OrganisationId(id::decode(id::ORGANISATION, &id)?));
        }
        if let Some(id) = self.admin_unit {
            data.admin_unit_id = Some(AdminUnitId(id::decode(id::ADMIN_UNIT, &id)?));
        }
        if let Some(pattern) = self.public_url {
            data.public_url = Some(UrlPattern::parse_field("publicUrl", &pattern)?);
        }
        if let Some(full) = self.full_text_feeds {
            data.full_text_feeds = full;
        }
        Ok(())
    }
}

lifecycle!(sites, crate::site::Site, SiteId, crate::id::SITE);
lifecycle!(tags, crate::tag::Tag, TagId, crate::id::TAG);

/// A section's key from its global id.
fn category(id: &ID) -> Result<CategoryId, ApiError> {
    Ok(CategoryId(id::decode(id::CATEGORY, id)?))
}

/// The directory's mutations.
#[derive(Default)]
pub struct DirectoryMutation;

#[Object]
impl DirectoryMutation {
    /// Adds a site (admins).
    async fn create_site(&self, ctx: &Context<'_>, input: SiteInput) -> Result<Site> {
        authorize(ctx, Action::Administer)?;
        let slug = Slug::parse(&required("slug", input.slug.clone())?).map_err(ApiError::from)?;
        let name = Name::parse_field("name", &required("name", input.name.clone())?)
            .map_err(ApiError::from)?;
        let mut data = SiteData::new(slug, name);
        input.apply(&mut data)?;
        Ok(sites::create(ctx, &data).await?)
    }

    /// Changes a site (admins), at the version read.
    async fn update_site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: SiteInput,
    ) -> Result<Site> {
        authorize(ctx, Action::Administer)?;
        let found = sites::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        Ok(sites::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a site (admins); it is kept, hidden, until restored.
    async fn delete_site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Site> {
        authorize(ctx, Action::Administer)?;
        Ok(sites::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted site back (admins).
    async fn restore_site(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site.")] id: ID,
    ) -> Result<Site> {
        authorize(ctx, Action::Administer)?;
        Ok(sites::restore(ctx, &id).await?)
    }

    /// Adds a tag (admins and editors); its slug is made from its name.
    async fn create_tag(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The keyword as written: \"Dân vận khéo\".")] name: String,
    ) -> Result<Tag> {
        authorize(ctx, Action::WriteDirectory)?;
        let name = Name::parse_field("name", &name).map_err(ApiError::from)?;
        let data = TagData::from_name(name).map_err(ApiError::from)?;
        Ok(tags::create(ctx, &data).await?)
    }

    /// Renames a tag (admins and editors), at the version read; its slug stays.
    async fn update_tag(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tag.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        #[graphql(desc = "The new name.")] name: String,
    ) -> Result<Tag> {
        let found = tags::writable(ctx, &id).await?;
        let mut data = found.data;
        data.name = Name::parse_field("name", &name).map_err(ApiError::from)?;
        Ok(tags::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a tag (admins and editors); articles keep it hidden until it is restored.
    async fn delete_tag(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tag.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Tag> {
        authorize(ctx, Action::WriteDirectory)?;
        Ok(tags::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted tag back (admins and editors).
    async fn restore_tag(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tag.")] id: ID,
    ) -> Result<Tag> {
        authorize(ctx, Action::WriteDirectory)?;
        Ok(tags::restore(ctx, &id).await?)
    }

    /// Adds a section to a site (admins and the site's editors).
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug of the site.")] site: String,
        #[graphql(desc = "The section's name: \"Dân vận khéo\".")] name: String,
        #[graphql(desc = "The section it sits in.")] parent: Option<ID>,
    ) -> Result<Category> {
        let db = db(ctx)?;
        let site_id = crate::query::site_id(db, &site).await?;
        sections::authorize(caller(ctx), site_id).map_err(ApiError::from)?;
        let name = Name::parse_field("name", &name).map_err(ApiError::from)?;
        let parent = parent.as_ref().map(category).transpose()?;
        let created = sections::create(db, caller(ctx), site_id, name, parent)
            .await
            .map_err(ApiError::from)?;
        Ok(Category(created))
    }

    /// Renames a section (admins and the site's editors), at the version read.
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The section.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        #[graphql(desc = "The new name.")] name: String,
    ) -> Result<Category> {
        let db = db(ctx)?;
        sections::writable(db, caller(ctx), category(&id)?)
            .await
            .map_err(ApiError::from)?;
        let name = Name::parse_field("name", &name).map_err(ApiError::from)?;
        let updated = sections::rename(db, caller(ctx), category(&id)?, version, name)
            .await
            .map_err(ApiError::from)?;
        Ok(Category(updated))
    }

    /// Deletes a section (admins and the site's editors).
    async fn delete_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The section.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Category> {
        let deleted = sections::delete(db(ctx)?, caller(ctx), category(&id)?, version)
            .await
            .map_err(ApiError::from)?;
        Ok(Category(deleted))
    }

    /// Brings a deleted section back (admins and the site's editors).
    async fn restore_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The section.")] id: ID,
    ) -> Result<Category> {
        let restored = sections::restore(db(ctx)?, caller(ctx), category(&id)?)
            .await
            .map_err(ApiError::from)?;
        Ok(Category(restored))
    }
}
