//! The newsroom: writing articles, moving them through the workflow (draft → in review →
//! published → archived), scheduling, revisions, deleting and restoring, and its lists.
//! The rules, and who may do what, are `danvan_service::articles`'; these resolvers
//! translate GraphQL to them and back.

use crate::ApiError;
use crate::article::Article;
use crate::connection::{List, Paging};
use crate::context::{caller, db};
use crate::enums::ArticleStatus;
use crate::id;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use danvan_domain::article::{ArticleData, Author, Image, Source};
use danvan_domain::html::BodyFormat;
use danvan_domain::{ArticleId, Body, MeetingId, Name, Slug, Title, Url};
use danvan_service::articles;
use danvan_store::revision::ArticleRevision;
use danvan_text::time::to_vietnam;

/// One author of a byline.
#[derive(InputObject)]
pub struct AuthorInput {
    /// The name as printed: "Phương Nhung".
    name: String,
    /// The organisation printed beside it: "Trung tâm VHTT&TT".
    organisation: Option<String>,
}

/// An image with its caption.
#[derive(InputObject)]
pub struct ImageInput {
    /// The photo in the site's media library (see `uploadMedia`): served in renditions.
    media: Option<ID>,
    /// Where the image is (http or https), for a picture that is not in the library.
    url: Option<String>,
    /// The caption printed under it.
    caption: Option<String>,
    /// A text alternative.
    alt: Option<String>,
}

/// Where an article first appeared.
#[derive(InputObject)]
pub struct SourceInput {
    /// The source's name as printed: "Baolangson.vn".
    name: String,
    /// The original's address.
    url: Option<String>,
}

/// An article's content. On `createArticle`, `title` and `body` are required; on
/// `updateArticle` every field left out keeps its value.
#[derive(InputObject, Default)]
pub struct ArticleInput {
    /// The headline, plain text.
    title: Option<String>,
    /// Unique within the site; made from the title when left out on creation.
    slug: Option<String>,
    /// The lead paragraph ("sapo"), plain text.
    lead: Option<String>,
    /// The body as HTML. It is sanitised: only the documented tags and attributes stay.
    body: Option<String>,
    /// The byline, in printed order.
    authors: Option<Vec<AuthorInput>>,
    /// The photo shown with it in lists and at its head: a photo of the site's media
    /// library; `null` removes it.
    cover: MaybeUndefined<ID>,
    /// Images with captions, in order.
    images: Option<Vec<ImageInput>>,
    /// Files attached (the report, the plan, the decision): documents of the site's media
    /// library, in order.
    attachments: Option<Vec<ID>>,
    /// Where it first appeared.
    source: Option<SourceInput>,
    /// The address search engines should treat as the original.
    canonical_url: Option<String>,
    /// Tags, by id.
    tags: Option<Vec<ID>>,
    /// The site's sections, by id.
    categories: Option<Vec<ID>>,
    /// The organisations it concerns.
    organisations: Option<Vec<ID>>,
    /// The administrative units it concerns.
    admin_units: Option<Vec<ID>>,
    /// The documents it cites.
    documents: Option<Vec<ID>>,
    /// The campaigns it reports on.
    campaigns: Option<Vec<ID>>,
    /// The people it mentions.
    people: Option<Vec<ID>>,
    /// Related articles, in order.
    related: Option<Vec<ID>>,
    /// The meeting it reports.
    meeting: Option<ID>,
}

fn decode_all<T>(kind: &str, ids: Vec<ID>, make: fn(i64) -> T) -> Result<Vec<T>, ApiError> {
    ids.iter()
        .map(|id| id::decode(kind, id).map(make))
        .collect()
}

impl ArticleInput {
    /// Writes the given fields over `data`.
    fn apply(self, data: &mut ArticleData) -> Result<(), ApiError> {
        if let Some(title) = self.title {
            data.title = Title::parse(&title)?;
        }
        if let Some(slug) = self.slug {
            data.slug = Slug::parse(&slug)?;
        }
        if let Some(lead) = self.lead {
            data.lead = Body::parse_field("lead", &lead)?;
        }
        if let Some(body) = self.body {
            data.body = Body::parse_field("body", &danvan_domain::html::sanitise(&body))?;
            data.body_format = BodyFormat::Html;
        }
        if let Some(authors) = self.authors {
            data.authors = authors
                .into_iter()
                .map(|a| Author::from_byline(&a.name, a.organisation.as_deref()))
                .collect::<Result<_, danvan_domain::DomainError>>()?;
        }
        if let Some(images) = self.images {
            data.images = images
                .into_iter()
                .map(|i| {
                    Ok(Image {
                        media_id: i
                            .media
                            .as_ref()
                            .map(|m| id::decode(id::MEDIA, m).map(danvan_domain::MediaId))
                            .transpose()?,
                        url: i
                            .url
                            .as_deref()
                            .map(|u| Url::parse_field("images", u))
                            .transpose()?,
                        caption: danvan_domain::note(i.caption.as_deref()),
                        alt: danvan_domain::note(i.alt.as_deref()),
                    })
                })
                .collect::<Result<_, ApiError>>()?;
        }
        match self.cover {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => data.cover_id = None,
            MaybeUndefined::Value(cover) => {
                data.cover_id = Some(danvan_domain::MediaId(id::decode(id::MEDIA, &cover)?));
            }
        }
        if let Some(ids) = self.attachments {
            data.attachment_ids = decode_all(id::MEDIA, ids, danvan_domain::MediaId)?;
        }
        if let Some(source) = self.source {
            data.source = Some(Source {
                name: Name::parse_field("source", &source.name)?,
                url: source
                    .url
                    .as_deref()
                    .map(|u| Url::parse_field("source", u))
                    .transpose()?,
                published_at: None,
            });
        }
        if let Some(url) = self.canonical_url {
            data.canonical_url = Some(Url::parse_field("canonicalUrl", &url)?);
        }
        if let Some(ids) = self.tags {
            data.tag_ids = decode_all(id::TAG, ids, danvan_domain::TagId)?;
        }
        if let Some(ids) = self.categories {
            data.category_ids = decode_all(id::CATEGORY, ids, danvan_domain::CategoryId)?;
        }
        if let Some(ids) = self.organisations {
            data.organisation_ids =
                decode_all(id::ORGANISATION, ids, danvan_domain::OrganisationId)?;
        }
        if let Some(ids) = self.admin_units {
            data.admin_unit_ids = decode_all(id::ADMIN_UNIT, ids, danvan_domain::AdminUnitId)?;
        }
        if let Some(ids) = self.documents {
            data.document_ids = decode_all(id::DOCUMENT, ids, danvan_domain::DocumentId)?;
        }
        if let Some(ids) = self.campaigns {
            data.campaign_ids = decode_all(id::CAMPAIGN, ids, danvan_domain::CampaignId)?;
        }
        if let Some(ids) = self.people {
            data.person_ids = decode_all(id::PERSON, ids, danvan_domain::PersonId)?;
        }
        if let Some(ids) = self.related {
            data.related_ids = decode_all(id::ARTICLE, ids, ArticleId)?;
        }
        if let Some(meeting) = self.meeting {
            data.meeting_id = Some(MeetingId(id::decode(id::MEETING, &meeting)?));
        }
        Ok(())
    }
}

/// The article's key from its global id.
fn key(id: &ID) -> Result<ArticleId, ApiError> {
    Ok(ArticleId(id::decode(id::ARTICLE, id)?))
}

/// The newsroom's mutations.
#[derive(Default)]
pub struct NewsroomMutation;

#[Object]
impl NewsroomMutation {
    /// Writes a new draft in a site (admins, its editors and reporters).
    async fn create_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug of the site.")] site: String,
        #[graphql(desc = "The content; `title` and `body` are required.")] input: ArticleInput,
    ) -> Result<Article> {
        let db = db(ctx)?;
        let site_id = crate::query::site_id(db, &site).await?;
        articles::authorize_create(caller(ctx), site_id).map_err(ApiError::from)?;
        let title = input
            .title
            .as_deref()
            .ok_or_else(|| ApiError::BadUserInput("title: required".into()))?;
        if input.body.is_none() {
            return Err(ApiError::BadUserInput("body: required".into()).into());
        }
        let title = Title::parse(title).map_err(ApiError::from)?;
        let mut data = ArticleData::draft(site_id, title, Body::empty()).map_err(ApiError::from)?;
        let slug_chosen = input.slug.is_some();
        input.apply(&mut data)?;
        let article = articles::create(db, caller(ctx), data, slug_chosen)
            .await
            .map_err(ApiError::from)?;
        Ok(Article(article))
    }

    /// Changes an article's content: the fields given replace the stored ones. `version`
    /// is the version read before editing; if someone saved since, the change is refused
    /// with `CONFLICT` and nothing is overwritten. The article as it was is kept as a
    /// revision.
    async fn update_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        #[graphql(desc = "The fields to change.")] input: ArticleInput,
    ) -> Result<Article> {
        let db = db(ctx)?;
        let article = articles::editable(db, caller(ctx), key(&id)?)
            .await
            .map_err(ApiError::from)?;
        let mut data = article.data.clone();
        input.apply(&mut data)?;
        let saved = articles::save(db, caller(ctx), &article, version, &data, "update")
            .await
            .map_err(ApiError::from)?;
        Ok(Article(saved))
    }

    /// Submits a draft for review (its author, or an editor).
    async fn submit_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being submitted.")] version: i64,
    ) -> Result<Article> {
        let article = articles::submit(db(ctx)?, caller(ctx), key(&id)?, version).await;
        Ok(Article(article.map_err(ApiError::from)?))
    }

    /// Takes an article back to draft: its author withdraws it from review, or an editor
    /// returns it (from review, or off the site).
    async fn return_article_to_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being returned.")] version: i64,
    ) -> Result<Article> {
        let article = articles::return_to_draft(db(ctx)?, caller(ctx), key(&id)?, version).await;
        Ok(Article(article.map_err(ApiError::from)?))
    }

    /// Publishes an article (editors), now or at a later time: a scheduled article becomes
    /// public by itself when its time comes. Also moves the time of an article that is
    /// scheduled and not yet public.
    async fn publish_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being published.")] version: i64,
        #[graphql(desc = "When it becomes public; now when left out.")] at: Option<
            DateTime<FixedOffset>,
        >,
    ) -> Result<Article> {
        let at = at.map(|at| at.to_utc());
        let article = articles::publish(db(ctx)?, caller(ctx), key(&id)?, version, at).await;
        Ok(Article(article.map_err(ApiError::from)?))
    }

    /// Takes a published article off the site and keeps it (editors).
    async fn archive_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being archived.")] version: i64,
    ) -> Result<Article> {
        let article = articles::archive(db(ctx)?, caller(ctx), key(&id)?, version).await;
        Ok(Article(article.map_err(ApiError::from)?))
    }

    /// Deletes an article: it disappears from every list, page and search, and is kept
    /// until restored.
    async fn delete_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Article> {
        let deleted = articles::delete(db(ctx)?, caller(ctx), key(&id)?, version).await;
        Ok(Article(deleted.map_err(ApiError::from)?))
    }

    /// Brings a deleted article back as it was.
    async fn restore_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
    ) -> Result<Article> {
        let restored = articles::restore(db(ctx)?, caller(ctx), key(&id)?).await;
        Ok(Article(restored.map_err(ApiError::from)?))
    }

    /// Puts the content of an earlier revision back (headline, lead, body, byline, images,
    /// links); the workflow stays where it is. The content replaced is itself kept as a
    /// revision, so a restore can be undone.
    async fn restore_article_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        #[graphql(desc = "The revision's number.")] number: i32,
    ) -> Result<Article> {
        let restored =
            articles::restore_revision(db(ctx)?, caller(ctx), key(&id)?, version, number).await;
        Ok(Article(restored.map_err(ApiError::from)?))
    }
}

/// An article as it was before a change.
#[derive(SimpleObject)]
pub struct Revision {
    /// 1 for the oldest, then 2, 3 …
    number: i32,
    /// When the change was made, in Vietnam time.
    created_at: DateTime<FixedOffset>,
    /// Why: "update", "publish", "import", "restore revision 2" …
    reason: String,
    /// Who made the change: "account:3"; none for the command line.
    actor: Option<String>,
    /// The fields the change replaced: "title", "body", "status" …
    changed: Vec<String>,
    /// The article as it was, as JSON (fields named as in the API).
    snapshot: async_graphql::Json<serde_json::Value>,
}

impl From<ArticleRevision> for Revision {
    fn from(r: ArticleRevision) -> Self {
        Self {
            number: r.number,
            created_at: to_vietnam(r.created_at),
            reason: r.reason,
            actor: r.actor,
            changed: r.changed,
            snapshot: async_graphql::Json(r.snapshot),
        }
    }
}

/// The newsroom's queries.
#[derive(Default)]
pub struct NewsroomQuery;

#[Object]
impl NewsroomQuery {
    /// Any article its reader may see, whatever its status: drafts and articles in review
    /// for the newsroom, scheduled ones for partners granted the embargo, deleted ones for
    /// those who may restore them. None when there is nothing the caller may see.
    async fn newsroom_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's global id.")] id: ID,
    ) -> Result<Option<Article>> {
        let article = articles::seen_by(db(ctx)?, caller(ctx), key(&id)?).await;
        Ok(article.map_err(ApiError::from)?.map(Article))
    }

    /// The revisions of an article, the newest first (those who may read it unpublished).
    async fn article_revisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article.")] id: ID,
    ) -> Result<Vec<Revision>> {
        let revisions = articles::revisions(db(ctx)?, caller(ctx), key(&id)?)
            .await
            .map_err(ApiError::from)?;
        Ok(revisions.into_iter().map(Revision::from).collect())
    }

    /// A site's articles in one status, the newest first: drafts, the review queue,
    /// archived. Reporters see their own.
    async fn newsroom_articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug of the site.")] site: String,
        #[graphql(desc = "The status.")] status: ArticleStatus,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
    ) -> Result<List<Article>> {
        let db = db(ctx)?;
        let site_id = crate::query::site_id(db, &site).await?;
        let filter =
            articles::newsroom_list(caller(ctx), site_id, status.into()).map_err(ApiError::from)?;
        let request = Paging::forward(first, after).request(ctx)?;
        let order = danvan_store::article::ArticleOrder::NewestCreated;
        Ok(crate::article::listed(ctx, filter, order, &request).await?)
    }

    /// A site's articles scheduled for later, the soonest last (partners granted the
    /// embargo, and the newsroom).
    async fn embargoed_articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug of the site.")] site: String,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
    ) -> Result<List<Article>> {
        let db = db(ctx)?;
        let site_id = crate::query::site_id(db, &site).await?;
        let filter =
            articles::embargoed_list(caller(ctx), site_id, Utc::now()).map_err(ApiError::from)?;
        let request = Paging::forward(first, after).request(ctx)?;
        let order = danvan_store::article::ArticleOrder::NewestPublished;
        Ok(crate::article::listed(ctx, filter, order, &request).await?)
    }
}
