//! Articles in the schema.

use crate::loader::StoreLoader;
use crate::organisation::Organisation;
use crate::site::Site;
use crate::tag::Tag;
use crate::{ApiError, id};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use danvan_domain::article as domain;
use danvan_store::article::Article as ArticleRecord;
use danvan_text::time::to_vietnam;

/// Where an article stands in the editorial workflow.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStatus {
    /// Being written; never public.
    Draft,
    /// Submitted for review; never public.
    InReview,
    /// Published: public once its publication time has come.
    Published,
    /// Taken off the site, kept for the record.
    Archived,
}

impl From<domain::ArticleStatus> for ArticleStatus {
    fn from(status: domain::ArticleStatus) -> Self {
        match status {
            domain::ArticleStatus::Draft => Self::Draft,
            domain::ArticleStatus::InReview => Self::InReview,
            domain::ArticleStatus::Published => Self::Published,
            domain::ArticleStatus::Archived => Self::Archived,
        }
    }
}

/// One author of a byline.
#[derive(SimpleObject)]
pub struct Author {
    /// The name as printed: "Phương Nhung".
    name: String,
    /// The organisation printed beside the name: "Trung tâm VHTT&TT".
    organisation: Option<String>,
}

/// Where an article first appeared.
#[derive(SimpleObject)]
pub struct Source {
    /// The source's name as printed: "nbtv.vn", "Baolangson.vn".
    name: String,
    /// The original's address.
    url: Option<String>,
    /// When the original was published, in Vietnam time.
    published_at: Option<DateTime<FixedOffset>>,
}

/// An image with its caption.
#[derive(SimpleObject)]
pub struct Image {
    /// Where the image is.
    url: Option<String>,
    /// The caption printed under it.
    caption: Option<String>,
    /// A text alternative.
    alt: Option<String>,
}

fn vietnam_time(at: Option<DateTime<Utc>>) -> Option<DateTime<FixedOffset>> {
    at.map(to_vietnam)
}

/// A news article of a site.
pub struct Article(pub(crate) ArticleRecord);

#[Object]
impl Article {
    /// The global id.
    async fn id(&self) -> ID {
        id::encode("Article", self.0.id.0)
    }

    /// Unique within its site.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }

    /// The headline.
    async fn title(&self) -> &str {
        self.0.data.title.as_str()
    }

    /// The lead paragraph(s).
    async fn lead(&self) -> &str {
        self.0.data.lead.as_str()
    }

    /// The body: paragraphs separated by a blank line.
    async fn body(&self) -> &str {
        self.0.data.body.as_str()
    }

    /// Where it stands in the workflow.
    async fn status(&self) -> ArticleStatus {
        self.0.data.status.into()
    }

    /// When it was published, in Vietnam time (+07:00).
    async fn published_at(&self) -> Option<DateTime<FixedOffset>> {
        vietnam_time(self.0.data.published_at)
    }

    /// When it was last changed, in Vietnam time.
    async fn updated_at(&self) -> DateTime<FixedOffset> {
        to_vietnam(self.0.updated_at)
    }

    /// The byline, in printed order.
    async fn authors(&self) -> Vec<Author> {
        self.0
            .data
            .authors
            .iter()
            .map(|a| Author {
                name: a.name.to_string(),
                organisation: a.organisation.as_ref().map(ToString::to_string),
            })
            .collect()
    }

    /// Where it first appeared.
    async fn source(&self) -> Option<Source> {
        self.0.data.source.as_ref().map(|s| Source {
            name: s.name.to_string(),
            url: s.url.as_ref().map(ToString::to_string),
            published_at: vietnam_time(s.published_at),
        })
    }

    /// The address search engines should treat as the original.
    async fn canonical_url(&self) -> Option<&str> {
        self.0.data.canonical_url.as_ref().map(|u| u.as_str())
    }

    /// Views counted.
    async fn view_count(&self) -> i64 {
        self.0.data.view_count
    }

    /// Images with their captions, in order.
    async fn images(&self) -> Vec<Image> {
        self.0
            .data
            .images
            .iter()
            .map(|i| Image {
                url: i.url.as_ref().map(ToString::to_string),
                caption: i.caption.clone(),
                alt: i.alt.clone(),
            })
            .collect()
    }

    /// The site that publishes it.
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        let loader = ctx.data::<DataLoader<StoreLoader>>()?;
        let site = loader.load_one(self.0.data.site_id).await?;
        site.map(Site)
            .ok_or_else(|| ApiError::NotFound("the article's site is gone".into()).into())
    }

    /// Its keywords.
    async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<Tag>> {
        let loader = ctx.data::<DataLoader<StoreLoader>>()?;
        let mut tags = loader
            .load_many(self.0.data.tag_ids.iter().copied())
            .await?;
        Ok(self
            .0
            .data
            .tag_ids
            .iter()
            .filter_map(|id| tags.remove(id))
            .map(Tag)
            .collect())
    }

    /// The organisations it concerns.
    async fn organisations(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>> {
        let loader = ctx.data::<DataLoader<StoreLoader>>()?;
        let ids = &self.0.data.organisation_ids;
        let mut found = loader.load_many(ids.iter().copied()).await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(id))
            .map(Organisation)
            .collect())
    }
}
