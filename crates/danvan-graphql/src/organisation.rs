//! Organisations, people and positions in the schema.

use crate::admin_unit::AdminUnit;
use crate::article::Article;
use crate::connection::{List, nested_list};
use crate::context::load;
use crate::enums::{OrganisationKind, OrganisationLevel};
use crate::id;
use crate::loader::{
    ArticlesOfOrganisation, ArticlesOfPerson, ChildrenOf, FiguresOfOrganisation, Holder,
    MeetingsChairedBy, MeetingsOfOrganisation, ModelsOfOrganisation, PositionsOf,
};
use crate::meeting::Meeting;
use crate::model::DvkModel;
use crate::report_figure::ReportFigure;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use danvan_store::article::ArticleFilter;
use danvan_store::meeting::MeetingFilter;
use danvan_store::model::DvkModelFilter;
use danvan_store::organisation::Organisation as OrganisationRecord;
use danvan_store::organisation::OrganisationScope;
use danvan_store::person::Person as PersonRecord;
use danvan_store::position::Position as PositionRecord;
use danvan_store::report_figure::ReportFigureFilter;

/// A party committee, board, steering committee, front or state body.
pub struct Organisation(pub(crate) OrganisationRecord);

/// The positions of an organisation or a person, batched with the others of the request.
async fn positions(
    ctx: &Context<'_>,
    holder: Holder,
    active_on: Option<NaiveDate>,
) -> Result<Vec<Position>> {
    let found = load(ctx, PositionsOf { holder, active_on })
        .await?
        .unwrap_or_default();
    Ok(found.into_iter().map(Position).collect())
}

/// A party committee, board, steering committee, front or state body.
#[Object]
impl Organisation {
    /// Counts the changes: send it back with an update.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::ORGANISATION, self.0.id.0)
    }

    /// Unique among organisations.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }

    /// The full name: "Ban Dân vận Huyện ủy Gia Viễn".
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// The name used inside its own area: "Ban Dân vận Huyện ủy".
    async fn short_name(&self) -> Option<&str> {
        self.0.data.short_name.as_ref().map(|n| n.as_str())
    }

    /// The abbreviation: "MTTQ", "HĐND".
    async fn abbreviation(&self) -> Option<&str> {
        self.0.data.abbreviation.as_ref().map(|n| n.as_str())
    }

    /// What kind of body it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.data.kind.into()
    }

    /// The level it works at.
    async fn level(&self) -> OrganisationLevel {
        self.0.data.level.into()
    }

    /// When it was founded, if known.
    async fn founded_on(&self) -> Option<NaiveDate> {
        self.0.data.founded_on
    }

    /// When it ended (merged or dissolved); it stays for the articles that name it.
    async fn dissolved_on(&self) -> Option<NaiveDate> {
        self.0.data.dissolved_on
    }

    /// The administrative unit it belongs to.
    async fn admin_unit(&self, ctx: &Context<'_>) -> Result<Option<AdminUnit>> {
        let Some(id) = self.0.data.admin_unit_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(AdminUnit))
    }

    /// The enclosing organisation.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.data.parent_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Organisation))
    }

    /// The organisations directly inside this one.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>> {
        let children = load(ctx, ChildrenOf(self.0.id)).await?;
        Ok(children
            .unwrap_or_default()
            .into_iter()
            .map(Organisation)
            .collect())
    }

    /// The chain of enclosing organisations, nearest first.
    async fn ancestors(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>> {
        // One step per level, each batched with the other rows of the request; a parent
        // already seen ends the walk, so a cycle in bad data cannot loop.
        let mut chain: Vec<Organisation> = Vec::new();
        let mut next = self.0.data.parent_id;
        while let Some(parent_id) = next {
            if parent_id == self.0.id || chain.iter().any(|o| o.0.id == parent_id) {
                break;
            }
            let Some(parent) = load(ctx, parent_id).await? else {
                break;
            };
            next = parent.data.parent_id;
            chain.push(Organisation(parent));
        }
        Ok(chain)
    }

    /// The published articles that concern it, newest first. Continue with
    /// `articles(filter: { organisation }, after: endCursor)`.
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 5)] first: i32,
    ) -> Result<List<Article>> {
        let filter = ArticleFilter {
            organisations: Some(OrganisationScope::only(self.0.id)),
            public_at: Some(chrono::Utc::now()),
            ..ArticleFilter::default()
        };
        let count = move |db| async move { danvan_store::article::count(&db, &filter).await };
        nested_list(
            ctx,
            first,
            |first| ArticlesOfOrganisation {
                organisation: self.0.id,
                first,
            },
            count,
            Article,
        )
        .await
    }

    /// The meetings it held, oldest first. Continue with
    /// `meetings(filter: { organiser }, after: endCursor)`.
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 5)] first: i32,
    ) -> Result<List<Meeting>> {
        let filter = MeetingFilter {
            organisers: Some(OrganisationScope::only(self.0.id)),
            ..MeetingFilter::default()
        };
        let count = move |db| async move { danvan_store::meeting::count(&db, &filter).await };
        nested_list(
            ctx,
            first,
            |first| MeetingsOfOrganisation {
                organisation: self.0.id,
                first,
            },
            count,
            Meeting,
        )
        .await
    }

    /// The "Dân vận khéo" models it owns, oldest first.
    async fn dvk_models(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 5)] first: i32,
    ) -> Result<List<DvkModel>> {
        let filter = DvkModelFilter {
            organisations: Some(OrganisationScope::only(self.0.id)),
            ..DvkModelFilter::default()
        };
        let count = move |db| async move { danvan_store::model::count(&db, &filter).await };
        nested_list(
            ctx,
            first,
            |first| ModelsOfOrganisation {
                organisation: self.0.id,
                first,
            },
            count,
            DvkModel,
        )
        .await
    }

    /// The report figures about it, oldest first.
    async fn report_figures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 5)] first: i32,
    ) -> Result<List<ReportFigure>> {
        let filter = ReportFigureFilter {
            organisations: Some(OrganisationScope::only(self.0.id)),
            ..ReportFigureFilter::default()
        };
        let count = move |db| async move { danvan_store::report_figure::count(&db, &filter).await };
        nested_list(
            ctx,
            first,
            |first| FiguresOfOrganisation {
                organisation: self.0.id,
                first,
            },
            count,
            ReportFigure,
        )
        .await
    }

    /// The positions held in it; with `activeOn`, only those held on that day.
    async fn positions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the positions held on this day.")] active_on: Option<NaiveDate>,
    ) -> Result<Vec<Position>> {
        positions(ctx, Holder::Organisation(self.0.id), active_on).await
    }
}

/// A person named in the news.
pub struct Person(pub(crate) PersonRecord);

/// A person named in the news.
#[Object]
impl Person {
    /// Counts the changes: send it back with an update.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::PERSON, self.0.id.0)
    }

    /// The full name, family name first: "Trần Hồng Quảng".
    async fn full_name(&self) -> &str {
        self.0.data.full_name.as_str()
    }

    /// The given name (the last word), by which Vietnamese lists sort: "Quảng".
    async fn given_name(&self) -> &str {
        self.0.data.given_name()
    }

    /// A short note about the person.
    async fn bio(&self) -> &str {
        self.0.data.bio.as_str()
    }

    /// The positions the person holds or held, in the order articles list them; with
    /// `activeOn`, only those held on that day.
    async fn positions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the positions held on this day.")] active_on: Option<NaiveDate>,
    ) -> Result<Vec<Position>> {
        positions(ctx, Holder::Person(self.0.id), active_on).await
    }

    /// The published articles that mention the person, newest first.
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 5)] first: i32,
    ) -> Result<List<Article>> {
        let filter = ArticleFilter {
            person_id: Some(self.0.id),
            public_at: Some(chrono::Utc::now()),
            ..ArticleFilter::default()
        };
        let count = move |db| async move { danvan_store::article::count(&db, &filter).await };
        nested_list(
            ctx,
            first,
            |first| ArticlesOfPerson {
                person: self.0.id,
                first,
            },
            count,
            Article,
        )
        .await
    }

    /// The meetings the person chaired, newest first.
    async fn meetings_chaired(&self, ctx: &Context<'_>) -> Result<Vec<Meeting>> {
        let meetings = load(ctx, MeetingsChairedBy(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(meetings.into_iter().map(Meeting).collect())
    }
}

/// A title held in an organisation for a term: "Phó Bí thư Thường trực" of "Tỉnh ủy".
pub struct Position(pub(crate) PositionRecord);

/// A title held in an organisation for a term: "Phó Bí thư Thường trực" of "Tỉnh ủy".
#[Object]
impl Position {
    /// Counts the changes: send it back with an update or a delete.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::POSITION, self.0.id.0)
    }

    /// The title as written.
    async fn title(&self) -> &str {
        self.0.data.title.as_str()
    }

    /// The first day of the term.
    async fn start(&self) -> NaiveDate {
        self.0.data.term.start()
    }

    /// The last day of the term, if it has ended or its end is known.
    async fn end(&self) -> Option<NaiveDate> {
        self.0.data.term.end()
    }

    /// Order among the person's concurrent posts, 0 first.
    async fn rank(&self) -> i32 {
        self.0.data.rank
    }

    /// Who holds it.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(load(ctx, self.0.data.person_id).await?.map(Person))
    }

    /// Where.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load(ctx, self.0.data.organisation_id)
            .await?
            .map(Organisation))
    }
}
