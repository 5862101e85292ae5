//! The `Node` interface: any object by its global id.

use crate::admin_unit::AdminUnit;
use crate::article::Article;
use crate::context::load;
use crate::document::{Campaign, Document};
use crate::meeting::Meeting;
use crate::model::DvkModel;
use crate::organisation::{Organisation, Person, Position};
use crate::report_figure::ReportFigure;
use crate::site::Site;
use crate::tag::{Category, Tag};
use crate::{ApiError, id};
use async_graphql::{Context, ID, Interface};
use danvan_domain::{
    AdminUnitId, ArticleId, CampaignId, CategoryId, DocumentId, DvkModelId, MeetingId,
    OrganisationId, PersonId, PositionId, ReportFigureId, SiteId, TagId,
};

/// An object with a global id.
#[derive(Interface)]
#[expect(
    clippy::large_enum_variant,
    reason = "a node is built once per `node` field; boxing would only add an allocation"
)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    /// An article.
    Article(Article),
    /// A site.
    Site(Site),
    /// A tag.
    Tag(Tag),
    /// A category.
    Category(Category),
    /// An organisation.
    Organisation(Organisation),
    /// A person.
    Person(Person),
    /// A title a person holds in an organisation.
    Position(Position),
    /// A meeting.
    Meeting(Meeting),
    /// A "Dân vận khéo" model.
    DvkModel(DvkModel),
    /// A report figure.
    ReportFigure(ReportFigure),
    /// A document.
    Document(Document),
    /// A campaign.
    Campaign(Campaign),
    /// An administrative unit.
    AdminUnit(AdminUnit),
}

/// The object a global id names, if the public may see it.
pub(crate) async fn node(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>, ApiError> {
    let (kind, raw) = id::decode_any(id)?;
    Ok(match kind.as_str() {
        id::ARTICLE => load(ctx, ArticleId(raw))
            .await?
            .and_then(Article::public)
            .map(Node::Article),
        id::SITE => load(ctx, SiteId(raw)).await?.map(|r| Node::Site(Site(r))),
        id::TAG => load(ctx, TagId(raw)).await?.map(|r| Node::Tag(Tag(r))),
        id::CATEGORY => load(ctx, CategoryId(raw))
            .await?
            .map(|r| Node::Category(Category(r))),
        id::ORGANISATION => load(ctx, OrganisationId(raw))
            .await?
            .map(|r| Node::Organisation(Organisation(r))),
        id::PERSON => load(ctx, PersonId(raw))
            .await?
            .map(|r| Node::Person(Person(r))),
        id::POSITION => load(ctx, PositionId(raw))
            .await?
            .map(|r| Node::Position(Position(r))),
        id::MEETING => load(ctx, MeetingId(raw))
            .await?
            .map(|r| Node::Meeting(Meeting(r))),
        id::DVK_MODEL => load(ctx, DvkModelId(raw))
            .await?
            .map(|r| Node::DvkModel(DvkModel(r))),
        id::REPORT_FIGURE => load(ctx, ReportFigureId(raw))
            .await?
            .map(|r| Node::ReportFigure(ReportFigure(r))),
        id::DOCUMENT => load(ctx, DocumentId(raw))
            .await?
            .map(|r| Node::Document(Document(r))),
        id::CAMPAIGN => load(ctx, CampaignId(raw))
            .await?
            .map(|r| Node::Campaign(Campaign(r))),
        id::ADMIN_UNIT => load(ctx, AdminUnitId(raw))
            .await?
            .map(|r| Node::AdminUnit(AdminUnit(r))),
        _ => None,
    })
}
