//! `/articles`: the public's articles, light for lists and whole one by one, with the
//! relations a client asks for embedded (`include=`), one statement per relation however
//! long the page.

use crate::Rest;
use crate::caching;
use crate::paging::{List, Paging};
use crate::params::Params;
use crate::problem::Problem;
use crate::view::{self, Author, Image, Meeting, Organisation, Site, Source, Tag};
use axum::Json;
use axum::extract::{OriginalUri, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use danvan_domain::article::ArticleData;
use danvan_domain::meeting::MeetingKind;
use danvan_domain::{
    AdminUnitId, ArticleId, CampaignId, CategoryId, MeetingId, OrganisationId, PersonId,
};
use danvan_service::id::{decode, encode, kind};
use danvan_service::reading::{self, ArticleQuery};
use danvan_store::article::{Article as Record, ArticleOrder};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use utoipa::ToSchema;

/// An article. A list gives the light form (`id`, `slug`, `title`, `lead`, `image`,
/// `publishedAt`, `site`, `viewCount`), one article the whole; `include=` adds relations,
/// `fields=` keeps only the fields named.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "QXJ0aWNsZTox",
    "slug": "huyen-uy-gia-vien-so-ket-cong-tac-dan-van-6-thang-dau-nam",
    "title": "Huyện ủy Gia Viễn sơ kết công tác dân vận 6 tháng đầu năm",
    "lead": "Sáng 11/7, Ban Dân vận Huyện ủy tổ chức hội nghị sơ kết.",
    "image": {"url": "https://danvan.example.vn/anh/hoi-nghi.jpg", "caption": "Quang cảnh hội nghị", "alt": null},
    "publishedAt": "2024-07-11T08:30:00+07:00",
    "site": {"id": "U2l0ZTox", "slug": "gia-vien", "name": "Trang thông tin điện tử huyện Gia Viễn"},
    "viewCount": 328
}))]
pub struct Article {
    /// The global id, as GraphQL's `node(id:)` takes it.
    pub id: String,
    /// Unique within its site.
    #[schema(required = false)]
    pub slug: String,
    /// The headline.
    #[schema(required = false)]
    pub title: String,
    /// The lead paragraph(s).
    #[schema(required = false)]
    pub lead: String,
    /// The first image.
    #[schema(required = false)]
    pub image: Option<Image>,
    /// When it was published, in Vietnam time.
    #[schema(required = false)]
    pub published_at: Option<String>,
    /// Where it is read on the web: the site's front end (its `publicUrl`), else the page
    /// it was copied from.
    #[schema(required = false)]
    pub url: Option<String>,
    /// The site that publishes it: `id`, `slug` and `name`, the whole with `include=site`.
    #[schema(required = false)]
    pub site: Site,
    /// Views counted.
    #[schema(required = false)]
    pub view_count: i64,
    /// The body as sanitised HTML (whole form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// When it was first stored (whole form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it was last changed (whole form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// The address search engines should treat as the original (whole form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    /// The byline (whole form, or `include=authors`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<Author>>,
    /// Every image, in order (whole form, or `include=images`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<Image>>,
    /// The photo shown with it in lists and at its head, from the media library, with its
    /// renditions and srcsets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cover: Option<crate::view::MediaItem>,
    /// The files attached (whole form), from the media library.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<crate::view::MediaItem>>,
    /// Where it first appeared (whole form, or `include=source`), when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Its keywords (`include=tags`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// The organisations it concerns (`include=organisations`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisations: Option<Vec<Organisation>>,
    /// The meeting it reports (`include=meeting`), when it reports one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Meeting>,
}

/// The fields `fields=` may name.
const FIELDS: [&str; 19] = [
    "id",
    "slug",
    "title",
    "lead",
    "image",
    "publishedAt",
    "url",
    "site",
    "viewCount",
    "bodyHtml",
    "createdAt",
    "updatedAt",
    "canonicalUrl",
    "authors",
    "images",
    "source",
    "tags",
    "organisations",
    "meeting",
];

/// A relation `include=` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Relation {
    Site,
    Organisations,
    Tags,
    Authors,
    Images,
    Meeting,
    Source,
}

impl Relation {
    const ALL: [(&'static str, Self); 7] = [
        ("site", Self::Site),
        ("organisations", Self::Organisations),
        ("tags", Self::Tags),
        ("authors", Self::Authors),
        ("images", Self::Images),
        ("meeting", Self::Meeting),
        ("source", Self::Source),
    ];
}

/// How a client wants its articles: which relations, which fields, light or whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    include: BTreeSet<Relation>,
    fields: Option<Vec<String>>,
    whole: bool,
}

impl Shape {
    /// Reads `include` and `fields`; `whole` for one article or `full=true`.
    pub(crate) fn from(params: &mut Params, whole: bool) -> Result<Self, Problem> {
        let mut include = BTreeSet::new();
        for name in params.list("include") {
            let relation = Relation::ALL
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, r)| *r)
                .ok_or_else(|| {
                    let names: Vec<&str> = Relation::ALL.iter().map(|(n, _)| *n).collect();
                    Problem::parameter(
                        "include",
                        format!("{name:?} is not one of {}", names.join(", ")),
                    )
                })?;
            include.insert(relation);
        }
        let fields = params.list("fields");
        if let Some(unknown) = fields.iter().find(|f| !FIELDS.contains(&f.as_str())) {
            return Err(Problem::parameter(
                "fields",
                format!("{unknown:?} is not one of {}", FIELDS.join(", ")),
            ));
        }
        Ok(Self {
            include,
            fields: (!fields.is_empty()).then_some(fields),
            whole,
        })
    }

    /// Light or whole articles, nothing included, every field.
    pub(crate) fn plain(whole: bool) -> Self {
        Self {
            whole,
            ..Self::default()
        }
    }

    fn has(&self, relation: Relation) -> bool {
        self.include.contains(&relation)
    }
}

/// The ids a page's articles name, each once: one statement reads them all.
fn ids<K: Ord>(articles: &[Record], of: impl Fn(&ArticleData) -> Vec<K>) -> Vec<K> {
    let unique: BTreeSet<K> = articles.iter().flat_map(|a| of(&a.data)).collect();
    unique.into_iter().collect()
}

/// Records by their id.
fn keyed<K: std::hash::Hash + Eq + Copy, T>(
    records: Vec<danvan_domain::Record<K, T>>,
) -> HashMap<K, danvan_domain::Record<K, T>> {
    records.into_iter().map(|r| (r.id, r)).collect()
}

/// Articles as clients get them: the relations of the whole page read at once.
pub(crate) async fn views(
    db: &danvan_store::DatabaseConnection,
    served: Option<&danvan_service::media::Served>,
    articles: Vec<Record>,
    shape: &Shape,
) -> Result<Vec<serde_json::Value>, Problem> {
    // The library items the page uses, in one statement, when the server keeps a library.
    let media = match served {
        Some(_) => keyed(
            danvan_store::media::get_many(
                db,
                &ids(&articles, |d| {
                    d.cover_id
                        .into_iter()
                        .chain(d.images.iter().filter_map(|i| i.media_id))
                        .chain(d.attachment_ids.iter().copied())
                        .collect()
                }),
            )
            .await?,
        ),
        None => HashMap::new(),
    };
    let sites =
        keyed(danvan_store::site::get_many(db, &ids(&articles, |d| vec![d.site_id])).await?);
    let tags = match shape.has(Relation::Tags) {
        true => {
            keyed(danvan_store::tag::get_many(db, &ids(&articles, |d| d.tag_ids.clone())).await?)
        }
        false => HashMap::new(),
    };
    let organisations = match shape.has(Relation::Organisations) {
        true => keyed(
            danvan_store::organisation::get_many(
                db,
                &ids(&articles, |d| d.organisation_ids.clone()),
            )
            .await?,
        ),
        false => HashMap::new(),
    };
    let meetings = match shape.has(Relation::Meeting) {
        true => keyed(
            danvan_store::meeting::get_many(
                db,
                &ids(&articles, |d| d.meeting_id.into_iter().collect()),
            )
            .await?,
        ),
        false => HashMap::new(),
    };
    let mut out = Vec::with_capacity(articles.len());
    for article in articles {
        let d = &article.data;
        // An article's media are public with it; a partner reading it under embargo gets
        // signed addresses.
        let private = danvan_service::media::signed_in(&article);
        let item = |id: &danvan_domain::MediaId| -> Option<crate::view::MediaItem> {
            let served = served?;
            let item = media.get(id)?.clone();
            Some(crate::view::media(served, &served.shown(item, private)))
        };
        let site = match sites.get(&d.site_id) {
            Some(site) if shape.has(Relation::Site) => Site::of(site),
            Some(site) => Site::short(site),
            None => return Err(danvan_service::ServiceError::Internal.into()),
        };
        let whole = shape.whole;
        let view = Article {
            id: encode(kind::ARTICLE, article.id.0),
            slug: d.slug.to_string(),
            title: d.title.to_string(),
            lead: d.lead.to_string(),
            image: d.images.first().map(Image::from),
            published_at: d.published_at.map(view::time),
            url: sites
                .get(&d.site_id)
                .and_then(|s| danvan_service::syndication::public_address(s, &article)),
            site,
            view_count: d.view_count,
            body_html: whole.then(|| d.body_html()),
            created_at: whole.then(|| view::time(article.created_at)),
            updated_at: whole.then(|| view::time(article.updated_at)),
            canonical_url: if whole {
                d.canonical_url.as_ref().map(ToString::to_string)
            } else {
                None
            },
            authors: (whole || shape.has(Relation::Authors)).then(|| {
                d.authors
                    .iter()
                    .map(|a| Author {
                        name: a.name.to_string(),
                        organisation: a.organisation.as_ref().map(ToString::to_string),
                        person_id: a.person_id.map(|p| encode(kind::PERSON, p.0)),
                    })
                    .collect()
            }),
            images: (whole || shape.has(Relation::Images)).then(|| {
                d.images
                    .iter()
                    .map(|i| Image {
                        media: i.media_id.as_ref().and_then(&item).map(Box::new),
                        ..Image::from(i)
                    })
                    .collect()
            }),
            cover: d.cover_id.as_ref().and_then(&item),
            attachments: whole.then(|| d.attachment_ids.iter().filter_map(&item).collect()),
            source: if whole || shape.has(Relation::Source) {
                d.source.as_ref().map(|s| Source {
                    name: s.name.to_string(),
                    url: s.url.as_ref().map(ToString::to_string),
                    published_at: s.published_at.map(view::time),
                })
            } else {
                None
            },
            tags: shape.has(Relation::Tags).then(|| {
                d.tag_ids
                    .iter()
                    .filter_map(|id| tags.get(id))
                    .map(Tag::from)
                    .collect()
            }),
            organisations: shape.has(Relation::Organisations).then(|| {
                d.organisation_ids
                    .iter()
                    .filter_map(|id| organisations.get(id))
                    .map(Organisation::from)
                    .collect()
            }),
            meeting: if shape.has(Relation::Meeting) {
                d.meeting_id
                    .and_then(|id| meetings.get(&id))
                    .map(Meeting::from)
            } else {
                None
            },
        };
        let mut value =
            serde_json::to_value(view).map_err(|_| danvan_service::ServiceError::Internal)?;
        if let (Some(fields), serde_json::Value::Object(map)) = (&shape.fields, &mut value) {
            map.retain(|k, _| k == "id" || fields.iter().any(|f| f == k));
        }
        out.push(value);
    }
    Ok(out)
}

pub(crate) fn id_param<T>(
    params: &mut Params,
    name: &str,
    of: &str,
    make: impl Fn(i64) -> T,
) -> Result<Option<T>, Problem> {
    match params.text(name) {
        None => Ok(None),
        Some(raw) => decode(of, &raw)
            .map(|raw| Some(make(raw)))
            .map_err(|e| Problem::parameter(name, e.message())),
    }
}

/// The reader's filter from the query parameters, as GraphQL's `ArticleFilter` has it.
fn query(params: &mut Params) -> Result<ArticleQuery, Problem> {
    Ok(ArticleQuery {
        text: params.text("q"),
        site: params.text("site"),
        organisation: id_param(params, "organisation", kind::ORGANISATION, OrganisationId)?,
        include_subtree: params.flag("includeSubtree")?,
        tag: params.text("tag"),
        meeting: id_param(params, "meeting", kind::MEETING, MeetingId)?,
        published_from: params.day("publishedFrom")?,
        published_to: params.day("publishedTo")?,
        category: id_param(params, "category", kind::CATEGORY, CategoryId)?,
        admin_unit: id_param(params, "adminUnit", kind::ADMIN_UNIT, AdminUnitId)?,
        meeting_kind: params.choice("meetingKind", MeetingKind::ALL, MeetingKind::code)?,
        person: id_param(params, "person", kind::PERSON, PersonId)?,
        campaign: id_param(params, "campaign", kind::CAMPAIGN, CampaignId)?,
    })
}

fn order(params: &mut Params) -> Result<ArticleOrder, Problem> {
    const ORDERS: [(&str, ArticleOrder); 3] = [
        ("newest", ArticleOrder::NewestPublished),
        ("most_viewed", ArticleOrder::MostViewed),
        ("title", ArticleOrder::Title),
    ];
    let all: Vec<usize> = (0..ORDERS.len()).collect();
    Ok(params
        .choice("orderBy", &all, |i| ORDERS[i].0)?
        .map_or(ArticleOrder::NewestPublished, |i| ORDERS[i].1))
}

/// The list's answer, or a 304 when the client's copy is current.
#[utoipa::path(
    get,
    path = "/api/v1/articles",
    tag = "articles",
    summary = "Published articles",
    description = "Published articles whose time has come, newest first unless `orderBy` says otherwise; with `q`, best match first (every other filter applies as well). The light form by default; `full=true` for whole articles.",
    params(
        ("site" = Option<String>, Query, description = "The slug of a site.", example = "gia-vien"),
        ("organisation" = Option<String>, Query, description = "An organisation the articles concern (its global id)."),
        ("includeSubtree" = Option<bool>, Query, description = "With `organisation`: also the organisations below it."),
        ("tag" = Option<String>, Query, description = "A tag's slug.", example = "dan-van-kheo"),
        ("category" = Option<String>, Query, description = "A category's global id."),
        ("meeting" = Option<String>, Query, description = "The meeting the articles report (its global id)."),
        ("meetingKind" = Option<String>, Query, description = "Reporting a meeting of this kind: INTERIM_REVIEW, FINAL_REVIEW, THEMATIC, OTHER."),
        ("person" = Option<String>, Query, description = "Mentioning this person (their global id)."),
        ("campaign" = Option<String>, Query, description = "Reporting on this campaign (its global id)."),
        ("adminUnit" = Option<String>, Query, description = "Concerning this administrative unit or anything in its area through time (its global id)."),
        ("publishedFrom" = Option<chrono::NaiveDate>, Query, description = "Published on or after this day (Vietnam time).", example = "2024-07-01"),
        ("publishedTo" = Option<chrono::NaiveDate>, Query, description = "Published on or before this day (Vietnam time).", example = "2024-07-31"),
        ("q" = Option<String>, Query, description = "Words to search for, up to 200 characters; diacritics optional.", example = "dân vận khéo"),
        ("orderBy" = Option<String>, Query, description = "NEWEST (the default), MOST_VIEWED or TITLE."),
        ("full" = Option<bool>, Query, description = "Whole articles instead of the light form."),
        ("include" = Option<String>, Query, description = "Relations to embed, comma-separated: site, organisations, tags, authors, images, meeting, source.", example = "tags,organisations"),
        ("fields" = Option<String>, Query, description = "Only these fields of each article (and `id`), comma-separated.", example = "title,publishedAt"),
        ("limit" = Option<u32>, Query, description = "Items a page holds, 1 to 100 (20 by default).", minimum = 1, maximum = 100),
        ("after" = Option<String>, Query, description = "The `nextCursor` of the page before."),
        ("count" = Option<bool>, Query, description = "Whether to count the whole list (`totalCount`)."),
    ),
    responses(
        (status = 200, description = "A page of articles; `Link: <…>; rel=\"next\"` names the next.", body = List<Article>),
        (status = 304, description = "The client's copy (`If-None-Match`) is current."),
        (status = 400, description = "A parameter is not valid; `parameter` names it.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "A site or tag named is not there.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(rest): State<Rest>,
    OriginalUri(uri): OriginalUri,
    mut params: Params,
) -> Result<Response, Problem> {
    let query = query(&mut params)?;
    let order = order(&mut params)?;
    let whole = params.flag("full")?;
    let shape = Shape::from(&mut params, whole)?;
    let paging = Paging::from(&mut params)?;
    params.finish()?;
    let db = rest.reader();
    let reading = reading::public_articles(db, query, Utc::now()).await?;
    let mut page = reading::articles(db, &reading, order, &paging.request)
        .await?
        .page;
    let total = if paging.count {
        Some(reading::count_articles(db, &reading).await?)
    } else {
        None
    };
    let records = std::mem::take(&mut page.items);
    let page = danvan_store::Page {
        items: views(db, rest.inner.media.as_ref(), records, &shape).await?,
        cursors: page.cursors,
        has_next_page: page.has_next_page,
        has_previous_page: page.has_previous_page,
    };
    Ok(crate::paging::respond(&uri, List::of(page, total, |v| v)))
}

/// An article in the JSON API's whole form, as webhook deliveries carry it.
pub async fn whole_article(
    db: &danvan_store::DatabaseConnection,
    media: Option<&danvan_service::media::Served>,
    article: Record,
) -> Result<serde_json::Value, danvan_service::ServiceError> {
    let shape = Shape {
        include: BTreeSet::from([Relation::Tags, Relation::Organisations]),
        ..Shape::plain(true)
    };
    views(db, media, vec![article], &shape)
        .await
        .map_err(|_| danvan_service::ServiceError::Internal)?
        .pop()
        .ok_or(danvan_service::ServiceError::Internal)
}

/// One public article, whole.
async fn answer(
    rest: &Rest,
    found: Option<Record>,
    mut params: Params,
    not_found: String,
) -> Result<Response, Problem> {
    let shape = Shape::from(&mut params, true)?;
    params.finish()?;
    // Drafts, articles in review, archived and scheduled ones do not exist for the public.
    let Some(article) = found.filter(|a| a.data.is_public_at(Utc::now())) else {
        return Err(danvan_service::ServiceError::NotFound(not_found).into());
    };
    let updated = article.updated_at;
    let mut shaped = views(
        rest.reader(),
        rest.inner.media.as_ref(),
        vec![article],
        &shape,
    )
    .await?;
    let Some(value) = shaped.pop() else {
        return Err(danvan_service::ServiceError::Internal.into());
    };
    let mut response = Json(value).into_response();
    if let Some(modified) = caching::last_modified(updated) {
        response
            .headers_mut()
            .insert(header::LAST_MODIFIED, modified);
    }
    Ok(response)
}

/// One article by id.
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    tag = "articles",
    summary = "One article",
    params(
        ("id" = String, Path, description = "The article's global id.", example = "QXJ0aWNsZTox"),
        ("include" = Option<String>, Query, description = "Relations to embed, comma-separated: site, organisations, tags, authors, images, meeting, source."),
        ("fields" = Option<String>, Query, description = "Only these fields (and `id`), comma-separated."),
    ),
    responses(
        (status = 200, description = "The article, whole.", body = Article),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "Not an article's id, or a parameter not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No public article with this id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn one(
    State(rest): State<Rest>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, Problem> {
    let raw = decode(kind::ARTICLE, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    let found = danvan_store::article::get(rest.reader(), ArticleId(raw))
        .await
        .map_err(danvan_service::ServiceError::from)?;
    answer(&rest, found, params, format!("no article {id}")).await
}

/// One article by its site and slug.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/articles/{slug}",
    tag = "articles",
    summary = "One article by its address",
    params(
        ("site" = String, Path, description = "The site's slug.", example = "gia-vien"),
        ("slug" = String, Path, description = "The article's slug within its site.", example = "huyen-uy-gia-vien-so-ket-cong-tac-dan-van"),
        ("include" = Option<String>, Query, description = "Relations to embed, comma-separated."),
        ("fields" = Option<String>, Query, description = "Only these fields (and `id`), comma-separated."),
    ),
    responses(
        (status = 200, description = "The article, whole.", body = Article),
        (status = 304, description = "The client's copy is current."),
        (status = 400, description = "A slug or parameter not valid.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such site, or no public article there with this slug.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn by_slug(
    State(rest): State<Rest>,
    Path((site, slug)): Path<(String, String)>,
    params: Params,
) -> Result<Response, Problem> {
    let db = rest.reader();
    let site_id = reading::site_id(db, &site)
        .await
        .map_err(|e| Problem::from(e).at("site"))?;
    let article = reading::slug("slug", &slug)?;
    let found = danvan_store::article::by_slug(db, site_id, &article)
        .await
        .map_err(danvan_service::ServiceError::from)?;
    answer(
        &rest,
        found,
        params,
        format!("no article {slug:?} in {site:?}"),
    )
    .await
}

/// Counts a reader's view of an article.
#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/views",
    tag = "articles",
    summary = "Count a view",
    description = "Counts a reader's view; `viewCount` shows it within a few seconds. A view of an article that is not public is not counted.",
    params(("id" = String, Path, description = "The article's global id.")),
    responses(
        (status = 202, description = "Counted."),
        (status = 400, description = "Not an article's id.", body = crate::problem::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn count_view(
    State(rest): State<Rest>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let raw = decode(kind::ARTICLE, &id).map_err(|e| Problem::parameter("id", e.message()))?;
    rest.inner.views.count(ArticleId(raw))?;
    // Counted in memory: nothing public changed yet, nothing to re-read.
    let mut response = axum::http::StatusCode::ACCEPTED.into_response();
    response.extensions_mut().insert(caching::Unwritten);
    Ok(response)
}
