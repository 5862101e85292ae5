//! Writing the shared directory of organisations and people, which every site's news
//! names: people (admins and editors), organisations and positions (admins, and editors
//! for the organisations of their site; only admins add one at the top). Create, update at
//! the version read, delete (kept, hidden) and restore, as for every concept.

use crate::ApiError;
use crate::context::{authorize, authorize_owned, caller, db};
use crate::enums::{OrganisationKind, OrganisationLevel};
use crate::id;
use crate::organisation::{Organisation, Person, Position};
use crate::writing::{lifecycle, organisation, person, required};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::NaiveDate;
use danvan_auth::Action;
use danvan_domain::organisation::OrganisationData;
use danvan_domain::person::PersonData;
use danvan_domain::position::PositionData;
use danvan_domain::{AdminUnitId, Body, Name, OrganisationId, Slug, Term};
use danvan_service::organisations;

lifecycle!(
    people,
    crate::organisation::Person,
    PersonId,
    crate::id::PERSON
);
lifecycle!(
    positions,
    crate::organisation::Position,
    PositionId,
    crate::id::POSITION
);

/// An organisation's fields; on update, the fields left out keep their value.
#[derive(InputObject, Default)]
pub struct OrganisationInput {
    /// The full name: "Ban Dân vận Huyện ủy Gia Viễn".
    name: Option<String>,
    /// What kind of body it is (required on creation).
    kind: Option<OrganisationKind>,
    /// Its level (required on creation).
    level: Option<OrganisationLevel>,
    /// The body it belongs to.
    parent: Option<ID>,
    /// A shorter name in use.
    short_name: Option<String>,
    /// The abbreviation: "MTTQ".
    abbreviation: Option<String>,
    /// Unique among organisations; made from the name when left out on creation.
    slug: Option<String>,
    /// The administrative unit it serves.
    admin_unit: Option<ID>,
    /// When it was founded.
    founded_on: Option<NaiveDate>,
    /// When it was dissolved or merged.
    dissolved_on: Option<NaiveDate>,
}

fn optional_name(field: &'static str, raw: Option<String>) -> Result<Option<Name>, ApiError> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Name::parse_field(field, s))
        .transpose()
        .map_err(ApiError::from)
}

impl OrganisationInput {
    fn apply(self, data: &mut OrganisationData) -> Result<(), ApiError> {
        if let Some(name) = self.name {
            data.name = Name::parse_field("name", &name)?;
        }
        if let Some(kind) = self.kind {
            data.kind = kind.into();
        }
        if let Some(level) = self.level {
            data.level = level.into();
        }
        if let Some(parent) = self.parent {
            data.parent_id = Some(OrganisationId(id::decode(id::ORGANISATION, &parent)?));
        }
        if self.short_name.is_some() {
            data.short_name = optional_name("shortName", self.short_name)?;
        }
        if self.abbreviation.is_some() {
            data.abbreviation = optional_name("abbreviation", self.abbreviation)?;
        }
        if let Some(slug) = self.slug {
            data.slug = Slug::parse(&slug)?;
        }
        if let Some(unit) = self.admin_unit {
            data.admin_unit_id = Some(AdminUnitId(id::decode(id::ADMIN_UNIT, &unit)?));
        }
        if let Some(day) = self.founded_on {
            data.founded_on = Some(day);
        }
        if let Some(day) = self.dissolved_on {
            data.dissolved_on = Some(day);
        }
        Ok(())
    }
}

/// A person's fields; on update, the fields left out keep their value.
#[derive(InputObject, Default)]
pub struct PersonInput {
    /// The full name, family name first: "Trần Hồng Quảng".
    full_name: Option<String>,
    /// A short biography.
    bio: Option<String>,
}

/// A position's fields; on update, the fields left out keep their value.
#[derive(InputObject, Default)]
pub struct PositionInput {
    /// Who holds it (required on creation).
    person: Option<ID>,
    /// Where (required on creation).
    organisation: Option<ID>,
    /// The title as written: "Phó Bí thư Thường trực" (required on creation).
    title: Option<String>,
    /// The first day of the term (required on creation).
    start: Option<NaiveDate>,
    /// The last day of the term; `null` while it runs.
    end: async_graphql::MaybeUndefined<NaiveDate>,
    /// Order among the person's concurrent posts, 0 first; 0 when left out on creation.
    rank: Option<i32>,
}

impl PositionInput {
    fn apply(self, data: &mut PositionData) -> Result<(), ApiError> {
        if let Some(id) = &self.person {
            data.person_id = person(id)?;
        }
        if let Some(id) = &self.organisation {
            data.organisation_id = organisation(id)?;
        }
        if let Some(title) = self.title {
            data.title = Name::parse_field("title", &title)?;
        }
        let mut end = data.term.end();
        crate::writing::patch(&mut end, self.end, Ok)?;
        data.term = Term::new_field("end", self.start.unwrap_or(data.term.start()), end)?;
        if let Some(rank) = self.rank {
            if rank < 0 {
                return Err(ApiError::BadUserInput("rank: 0 or more".into()));
            }
            data.rank = rank;
        }
        Ok(())
    }

    fn create(self) -> Result<PositionData, ApiError> {
        let start = required("start", self.start)?;
        let mut data = PositionData {
            person_id: person(&required("person", self.person.clone())?)?,
            organisation_id: organisation(&required("organisation", self.organisation.clone())?)?,
            title: Name::parse_field("title", &required("title", self.title.clone())?)?,
            term: Term::new_field("end", start, None)?,
            rank: 0,
        };
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// The directory of organisations and people: its mutations.
#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Adds an organisation (admins, and editors for their organisations); `name`, `kind` and
    /// `level` are required.
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        authorize(ctx, Action::WriteDirectory)?;
        let name = Name::parse_field("name", input.name.as_deref().unwrap_or_default())
            .map_err(ApiError::from)?;
        let (Some(kind), Some(level)) = (input.kind, input.level) else {
            return Err(ApiError::BadUserInput("kind and level: required".into()).into());
        };
        let mut data =
            OrganisationData::new(name, kind.into(), level.into()).map_err(ApiError::from)?;
        let slug_given = input.slug.is_some();
        input.apply(&mut data)?;
        let created = organisations::create(db(ctx)?, caller(ctx), &data, slug_given)
            .await
            .map_err(ApiError::from)?;
        Ok(Organisation(created))
    }

    /// Changes an organisation (admins, and editors for their organisations), at the version read;
    /// a parent that would put it inside itself is refused.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        let db = db(ctx)?;
        let found = organisations::writable(db, caller(ctx), organisation(&id)?)
            .await
            .map_err(ApiError::from)?;
        let mut data = found.data.clone();
        input.apply(&mut data)?;
        let updated = organisations::update(db, caller(ctx), found.id, version, &data)
            .await
            .map_err(ApiError::from)?;
        Ok(Organisation(updated))
    }

    /// Deletes an organisation (admins, and editors for their organisations); kept, hidden, until
    /// restored.
    async fn delete_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Organisation> {
        let deleted = organisations::delete(db(ctx)?, caller(ctx), organisation(&id)?, version)
            .await
            .map_err(ApiError::from)?;
        Ok(Organisation(deleted))
    }

    /// Brings a deleted organisation back (admins, and editors for their organisations).
    async fn restore_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation.")] id: ID,
    ) -> Result<Organisation> {
        let restored = organisations::restore(db(ctx)?, caller(ctx), organisation(&id)?)
            .await
            .map_err(ApiError::from)?;
        Ok(Organisation(restored))
    }

    /// Merges an organisation made twice into the one to keep (admins, and editors of
    /// both): every article, post, meeting, figure, model, site, campaign and child body
    /// of `from` moves to `into`; `from` is deleted, and its id goes on resolving to
    /// `into`. Refused when `into` is `from` or lies below it.
    async fn merge_organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation merged away.")] from: ID,
        #[graphql(desc = "The organisation kept.")] into: ID,
    ) -> Result<Organisation> {
        let (kept, _) = danvan_service::merges::organisations(
            db(ctx)?,
            caller(ctx),
            organisation(&from)?,
            organisation(&into)?,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(Organisation(kept))
    }

    /// Merges a person recorded twice into the record to keep (admins and editors): their
    /// posts, bylines, articles and meetings move to `into`; `from` is deleted, and its id
    /// goes on resolving to `into`.
    async fn merge_people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person merged away.")] from: ID,
        #[graphql(desc = "The person kept.")] into: ID,
    ) -> Result<Person> {
        let (kept, _) =
            danvan_service::merges::people(db(ctx)?, caller(ctx), person(&from)?, person(&into)?)
                .await
                .map_err(ApiError::from)?;
        Ok(Person(kept))
    }

    /// Adds a person (admins and editors); `fullName` is required.
    async fn create_person(&self, ctx: &Context<'_>, input: PersonInput) -> Result<Person> {
        authorize(ctx, Action::WriteDirectory)?;
        let name = Name::parse_field("fullName", input.full_name.as_deref().unwrap_or_default())
            .map_err(ApiError::from)?;
        let mut data = PersonData::new(name);
        if let Some(bio) = input.bio {
            data.bio = Body::parse_field("bio", &bio).map_err(ApiError::from)?;
        }
        Ok(people::create(ctx, &data).await?)
    }

    /// Changes a person (admins and editors), at the version read.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: PersonInput,
    ) -> Result<Person> {
        let found = people::writable(ctx, &id).await?;
        let mut data = found.data;
        if let Some(name) = input.full_name {
            data.full_name = Name::parse_field("fullName", &name).map_err(ApiError::from)?;
        }
        if let Some(bio) = input.bio {
            data.bio = Body::parse_field("bio", &bio).map_err(ApiError::from)?;
        }
        Ok(people::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a person (admins and editors); kept, hidden, until restored.
    async fn delete_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Person> {
        people::writable(ctx, &id).await?;
        Ok(people::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted person back (admins and editors).
    async fn restore_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] id: ID,
    ) -> Result<Person> {
        people::writable(ctx, &id).await?;
        Ok(people::restore(ctx, &id).await?)
    }

    /// Records that a person holds a title in an organisation (admins, and editors for their
    /// organisations); `person`, `organisation`, `title` and `start` are required.
    async fn create_position(&self, ctx: &Context<'_>, input: PositionInput) -> Result<Position> {
        authorize(ctx, Action::WriteDirectory)?;
        let data = input.create()?;
        authorize_owned(ctx, positions::owner(&data))?;
        Ok(positions::create(ctx, &data).await?)
    }

    /// Changes a position (admins, and editors for their organisations), at the version read: a
    /// term that ends is given its `end`.
    async fn update_position(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The position.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: PositionInput,
    ) -> Result<Position> {
        let found = positions::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, positions::owner(&data))?;
        Ok(positions::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a position entered by mistake (admins, and editors for their organisations); kept,
    /// hidden, until restored. A term that ended is given its `end` instead.
    async fn delete_position(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The position.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Position> {
        positions::writable(ctx, &id).await?;
        Ok(positions::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted position back (admins, and editors for their organisations).
    async fn restore_position(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The position.")] id: ID,
    ) -> Result<Position> {
        positions::writable(ctx, &id).await?;
        Ok(positions::restore(ctx, &id).await?)
    }
}
