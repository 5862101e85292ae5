//! Articles in the schema.

use crate::ApiError;
use crate::admin_unit::AdminUnit;
use crate::comment::Comment;
use crate::connection::{List, nested_list};
use crate::context::{item_selects, load, load_all, prefetch_all};
use crate::document::{Campaign, Document};
use crate::enums::ArticleStatus;
use crate::id;
use crate::loader::{CommentsOfArticle, FiguresOfArticle};
use crate::meeting::Meeting;
use crate::organisation::{Organisation, Person};
use crate::report_figure::ReportFigure;
use crate::site::Site;
use crate::tag::{Category, Tag};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use danvan_store::article::Article as ArticleRecord;
use danvan_text::time::to_vietnam;

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

/// An image with its caption: a photo of the media library (with its renditions), or a
/// picture that is still only an address elsewhere.
pub struct Image {
    image: danvan_domain::article::Image,
    /// Whether the article's media addresses are signed (it is not public).
    private: bool,
}

#[Object]
impl Image {
    /// Where the image is: the library photo's file, or the address the picture was given.
    async fn url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        if let Some(media) = self.media(ctx).await? {
            return Ok(Some(crate::media::served(ctx)?.original_url(&media.0)));
        }
        Ok(self.image.url.as_ref().map(ToString::to_string))
    }

    /// The caption printed under it.
    async fn caption(&self) -> Option<&str> {
        self.image.caption.as_deref()
    }

    /// A text alternative.
    async fn alt(&self) -> Option<&str> {
        self.image.alt.as_deref()
    }

    /// The photo in the media library, when it is one.
    async fn media(&self, ctx: &Context<'_>) -> Result<Option<crate::media::MediaItem>> {
        let Some(id) = self.image.media_id else {
            return Ok(None);
        };
        Ok(load(ctx, id)
            .await?
            .map(|item| crate::media::MediaItem::in_article(ctx, item, self.private)))
    }

    /// Its renditions in `format`, narrowest first; none for a picture not in the library.
    async fn renditions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: crate::media::ImageFormat,
    ) -> Result<Vec<crate::media::Rendition>> {
        Ok(match self.media(ctx).await? {
            Some(media) => media.renditions_in(ctx, format)?,
            None => Vec::new(),
        })
    }

    /// Its `srcset` in `format`; null for a picture not in the library.
    async fn srcset(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: crate::media::ImageFormat,
    ) -> Result<Option<String>> {
        Ok(match self.media(ctx).await? {
            Some(media) => media.srcset_in(ctx, format)?,
            None => None,
        })
    }
}

fn vietnam_time(at: Option<DateTime<Utc>>) -> Option<DateTime<FixedOffset>> {
    at.map(to_vietnam)
}

/// A news article of a site.
pub struct Article(pub(crate) ArticleRecord);

/// Loads, in one batch per kind, the relations that a list's selection asks for on its
/// articles, so that resolving them item by item finds them in the request's cache. The
/// statements a page costs then depend on what it selects, not on how many items it holds.
pub(crate) async fn prefetch(
    ctx: &Context<'_>,
    articles: &[ArticleRecord],
) -> Result<(), ApiError> {
    fn all<T: Copy>(articles: &[ArticleRecord], ids: impl Fn(&ArticleRecord) -> &[T]) -> Vec<T> {
        articles
            .iter()
            .flat_map(|a| ids(a).iter().copied())
            .collect()
    }
    // Each relation is one statement; they run side by side (on SQLite's read pool too).
    let mut loads: Vec<futures::future::BoxFuture<'_, Result<(), ApiError>>> = Vec::new();
    if item_selects(ctx, "site") {
        let sites: Vec<_> = articles.iter().map(|a| a.data.site_id).collect();
        loads.push(Box::pin(async move { prefetch_all(ctx, &sites).await }));
    }
    macro_rules! relation {
        ($field:literal, $ids:ident) => {
            if item_selects(ctx, $field) {
                let ids = all(articles, |a| &a.data.$ids);
                loads.push(Box::pin(async move { prefetch_all(ctx, &ids).await }));
            }
        };
    }
    relation!("tags", tag_ids);
    relation!("categories", category_ids);
    relation!("organisations", organisation_ids);
    relation!("adminUnits", admin_unit_ids);
    relation!("documents", document_ids);
    relation!("campaigns", campaign_ids);
    relation!("related", related_ids);
    relation!("people", person_ids);
    if item_selects(ctx, "meeting") {
        let meetings: Vec<_> = articles.iter().filter_map(|a| a.data.meeting_id).collect();
        loads.push(Box::pin(async move { prefetch_all(ctx, &meetings).await }));
    }
    futures::future::try_join_all(loads).await?;
    Ok(())
}

/// One page of the articles `filter` selects, in `order`, with the relations its selection
/// asks for prefetched and `totalCount` counted on demand: every top-level article list.
pub(crate) async fn listed(
    ctx: &Context<'_>,
    filter: danvan_store::article::ArticleFilter,
    order: danvan_store::article::ArticleOrder,
    request: &danvan_store::PageRequest,
) -> Result<List<Article>, ApiError> {
    let db = crate::context::db(ctx)?;
    let page = danvan_store::article::list(db, &filter, order, request).await?;
    prefetch(ctx, &page.items).await?;
    Ok(crate::connection::list(
        page,
        request,
        move |db| async move { danvan_store::article::count(&db, &filter).await },
        Article,
    ))
}

impl Article {
    /// The article, if the public may read it now: published, and its time has come.
    pub(crate) fn public(record: ArticleRecord) -> Option<Self> {
        record.data.is_public_at(Utc::now()).then_some(Self(record))
    }

    /// Whether the addresses of its media are signed: while it is not public (whoever
    /// reads it then may: its newsroom, a partner allowed its embargo).
    fn media_private(&self) -> bool {
        danvan_service::media::signed_in(&self.0)
    }
}

/// A news article of a site.
#[Object]
impl Article {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        id::encode(id::ARTICLE, self.0.id.0)
    }

    /// Counts the article's changes: send it back with an update, so that a change made
    /// meanwhile by someone else is not overwritten.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// When it was deleted; only the newsroom sees deleted articles.
    async fn deleted_at(&self) -> Option<DateTime<FixedOffset>> {
        vietnam_time(self.0.deleted_at)
    }

    /// When a scheduled article becomes public by itself; none once it is.
    async fn scheduled_for(&self) -> Option<DateTime<FixedOffset>> {
        let now = Utc::now();
        vietnam_time(self.0.data.published_at.filter(|at| *at > now))
    }

    /// Whether `body` is text (imported pages) or sanitised HTML (written through the API).
    async fn body_format(&self) -> crate::enums::BodyFormat {
        self.0.data.body_format.into()
    }

    /// The body as HTML, whatever it was written as: text paragraphs become `<p>`.
    async fn body_html(&self) -> String {
        self.0.data.body_html()
    }

    /// The body as plain text, paragraphs separated by a blank line.
    async fn body_text(&self) -> String {
        self.0.data.body_text()
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

    /// When it was first stored, in Vietnam time.
    async fn created_at(&self) -> DateTime<FixedOffset> {
        to_vietnam(self.0.created_at)
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
        let private = self.media_private();
        self.0
            .data
            .images
            .iter()
            .map(|i| Image {
                image: i.clone(),
                private,
            })
            .collect()
    }

    /// The photo shown with it in lists and at its head, from the media library.
    async fn cover(&self, ctx: &Context<'_>) -> Result<Option<crate::media::MediaItem>> {
        let Some(id) = self.0.data.cover_id else {
            return Ok(None);
        };
        let private = self.media_private();
        Ok(load(ctx, id)
            .await?
            .map(|item| crate::media::MediaItem::in_article(ctx, item, private)))
    }

    /// The files attached (the report, the plan, the decision), in order.
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<crate::media::MediaItem>> {
        let private = self.media_private();
        Ok(load_all(ctx, &self.0.data.attachment_ids)
            .await?
            .into_iter()
            .map(|item| crate::media::MediaItem::in_article(ctx, item, private))
            .collect())
    }

    /// The site that publishes it.
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        let site = load(ctx, self.0.data.site_id).await?;
        Ok(site
            .map(Site)
            .ok_or_else(|| ApiError::NotFound("the article's site is gone".into()))?)
    }

    /// Its keywords.
    async fn tags(&self, ctx: &Context<'_>) -> Result<Vec<Tag>> {
        Ok(load_all(ctx, &self.0.data.tag_ids)
            .await?
            .into_iter()
            .map(Tag)
            .collect())
    }

    /// The site's sections it appears in.
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<Category>> {
        Ok(load_all(ctx, &self.0.data.category_ids)
            .await?
            .into_iter()
            .map(Category)
            .collect())
    }

    /// The organisations it concerns.
    async fn organisations(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>> {
        Ok(load_all(ctx, &self.0.data.organisation_ids)
            .await?
            .into_iter()
            .map(Organisation)
            .collect())
    }

    /// The administrative units it concerns, as they were then.
    async fn admin_units(&self, ctx: &Context<'_>) -> Result<Vec<AdminUnit>> {
        Ok(load_all(ctx, &self.0.data.admin_unit_ids)
            .await?
            .into_iter()
            .map(AdminUnit)
            .collect())
    }

    /// The documents it cites.
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<Document>> {
        Ok(load_all(ctx, &self.0.data.document_ids)
            .await?
            .into_iter()
            .map(Document)
            .collect())
    }

    /// The campaigns it reports on.
    async fn campaigns(&self, ctx: &Context<'_>) -> Result<Vec<Campaign>> {
        Ok(load_all(ctx, &self.0.data.campaign_ids)
            .await?
            .into_iter()
            .map(Campaign)
            .collect())
    }

    /// The people it mentions.
    async fn people(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        Ok(load_all(ctx, &self.0.data.person_ids)
            .await?
            .into_iter()
            .map(Person)
            .collect())
    }

    /// The meeting it reports.
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        let Some(id) = self.0.data.meeting_id else {
            return Ok(None);
        };
        Ok(load(ctx, id).await?.map(Meeting))
    }

    /// Its approved comments, oldest first.
    async fn comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100.", default = 10)] first: i32,
    ) -> Result<List<Comment>> {
        let article = self.0.id;
        let approved = danvan_domain::comment::CommentStatus::Approved;
        let count = move |db| async move {
            danvan_store::comment::count(&db, article, Some(approved)).await
        };
        nested_list(
            ctx,
            first,
            |first| CommentsOfArticle {
                article: self.0.id,
                first,
            },
            count,
            Comment,
        )
        .await
    }

    /// The figures it states.
    async fn report_figures(&self, ctx: &Context<'_>) -> Result<Vec<ReportFigure>> {
        let figures = load(ctx, FiguresOfArticle(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(figures.into_iter().map(ReportFigure).collect())
    }

    /// Related articles ("Tin liên quan") that the public may read, in order.
    async fn related(&self, ctx: &Context<'_>) -> Result<Vec<Article>> {
        let related = load_all(ctx, &self.0.data.related_ids).await?;
        Ok(related.into_iter().filter_map(Article::public).collect())
    }
}
