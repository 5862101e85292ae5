//! The media library: uploads (the GraphQL multipart request specification), items, and
//! the renditions of a photo for `srcset`. The rules are `danvan_service::media`'s; these
//! resolvers translate.

use crate::ApiError;
use crate::connection::{List, Paging, list};
use crate::context::{caller, db};
use crate::enums::MediaKind;
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, FixedOffset};
use danvan_media::Encoding;
use danvan_service::media::{self as service, Served, UploadInput};
use danvan_store::media::Media;
use danvan_text::time::to_vietnam;

/// The formats a photo's renditions are served in.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ImageFormat {
    /// AVIF: the smallest; read by current browsers.
    Avif,
    /// WebP: small; read by every current browser.
    #[default]
    Webp,
    /// JPEG: read everywhere; the `<img>` fallback.
    Jpeg,
}

impl From<ImageFormat> for Encoding {
    fn from(format: ImageFormat) -> Self {
        match format {
            ImageFormat::Avif => Self::Avif,
            ImageFormat::Webp => Self::Webp,
            ImageFormat::Jpeg => Self::Jpeg,
        }
    }
}

/// A rendition of a photo.
#[derive(SimpleObject)]
pub struct Rendition {
    /// The width named in its address (one of the server's fixed widths).
    width: i32,
    /// The width of the image served: the photo's own when it is narrower.
    shown_width: i32,
    /// Its height.
    height: i32,
    /// Where it is.
    url: String,
}

/// An item of the media library: a photo or an attached file.
pub struct MediaItem(pub(crate) danvan_service::media::Shown);

impl MediaItem {
    /// An item an article uses, its addresses signed when the article is `private` (not
    /// public: whoever reads it may see its media).
    pub(crate) fn in_article(ctx: &Context<'_>, item: Media, private: bool) -> Self {
        match ctx.data::<Served>() {
            Ok(served) => Self(served.shown(item, private)),
            Err(_) => Self(danvan_service::media::Shown { item, signed: None }),
        }
    }

    pub(crate) fn renditions_in(
        &self,
        ctx: &Context<'_>,
        format: ImageFormat,
    ) -> Result<Vec<Rendition>> {
        Ok(served(ctx)?
            .renditions(&self.0, format.into())
            .into_iter()
            .map(|r| Rendition {
                width: int(r.width),
                shown_width: int(r.shown_width),
                height: int(r.height),
                url: r.url,
            })
            .collect())
    }

    pub(crate) fn srcset_in(
        &self,
        ctx: &Context<'_>,
        format: ImageFormat,
    ) -> Result<Option<String>> {
        let srcset = served(ctx)?.srcset(&self.0, format.into());
        Ok(Some(srcset).filter(|s| !s.is_empty()))
    }
}

pub(crate) fn served<'a>(ctx: &Context<'a>) -> Result<&'a Served, ApiError> {
    ctx.data::<Served>()
        .map_err(|_| ApiError::NotFound("this server keeps no media library".into()))
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object]
impl MediaItem {
    /// The global id.
    async fn id(&self) -> ID {
        ID(service::encode(self.0.item.id))
    }

    /// A photo or a file.
    async fn kind(&self) -> MediaKind {
        self.0.item.data.kind.into()
    }

    /// The media type of the stored file (`image/jpeg`, `application/pdf`).
    async fn mime_type(&self) -> &str {
        &self.0.item.data.mime
    }

    /// Bytes of the stored file.
    async fn size(&self) -> i64 {
        self.0.item.data.size
    }

    /// The name it was uploaded under (a document is downloaded under it).
    async fn file_name(&self) -> Option<&str> {
        self.0.item.data.file_name.as_ref().map(|n| n.as_str())
    }

    /// The caption printed under the photo ("Quang cảnh hội nghị").
    async fn caption(&self) -> Option<&str> {
        self.0.item.data.text.caption.as_ref().map(|t| t.as_str())
    }

    /// What the photo shows, for readers who cannot see it.
    async fn alt(&self) -> Option<&str> {
        self.0.item.data.text.alt.as_ref().map(|t| t.as_str())
    }

    /// Who took it ("Ảnh: Ngọc Lan").
    async fn credit(&self) -> Option<&str> {
        self.0.item.data.text.credit.as_ref().map(|t| t.as_str())
    }

    /// A photo's width in pixels, as it is seen (turned upright).
    async fn width(&self) -> Option<i32> {
        self.0.item.data.width
    }

    /// A photo's height in pixels.
    async fn height(&self) -> Option<i32> {
        self.0.item.data.height
    }

    /// A photo's ThumbHash (base64): a placeholder of a few dozen bytes to draw until it
    /// loads (see evanw.github.io/thumbhash).
    async fn thumbhash(&self) -> Option<&str> {
        self.0.item.data.thumbhash.as_deref()
    }

    /// A photo's average colour, `#rrggbb`: the simplest placeholder.
    async fn colour(&self) -> Option<&str> {
        self.0.item.data.colour.as_deref()
    }

    /// The stored file: a document as uploaded, a photo cleaned of its metadata.
    async fn url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(served(ctx)?.original_url(&self.0))
    }

    /// A photo's renditions in `format`, narrowest first; none for a document.
    async fn renditions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: ImageFormat,
    ) -> Result<Vec<Rendition>> {
        self.renditions_in(ctx, format)
    }

    /// A photo's `srcset` in `format` (`…/320.webp 320w, …/640.webp 640w, …`), for `<img>`
    /// or `<source type="image/webp">`; null for a document.
    async fn srcset(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: ImageFormat,
    ) -> Result<Option<String>> {
        self.srcset_in(ctx, format)
    }

    /// When it was uploaded (Vietnam time).
    async fn created_at(&self) -> DateTime<FixedOffset> {
        to_vietnam(self.0.item.created_at)
    }
}

/// Reading the media library.
#[derive(Default)]
pub struct MediaQuery;

#[Object]
impl MediaQuery {
    /// An item of the media library; null when there is none (or it was deleted).
    async fn media_item(&self, ctx: &Context<'_>, id: ID) -> Result<Option<MediaItem>> {
        let id = service::decode(&id).map_err(ApiError::from)?;
        match service::get(db(ctx)?, served(ctx)?, caller(ctx), id).await {
            Ok(shown) => Ok(Some(MediaItem(shown))),
            Err(danvan_service::ServiceError::NotFound(_)) => Ok(None),
            Err(other) => Err(ApiError::from(other).into()),
        }
    }

    /// A site's media library, newest first, for its newsroom (editors and reporters of the
    /// site, admins) to pick photos and files from; every item at signed addresses, since
    /// the library holds what is not public yet.
    async fn media_library(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site's slug; the caller's own site when left out.")] site: Option<
            String,
        >,
        #[graphql(desc = "Photos only, or files only.")] kind: Option<MediaKind>,
        #[graphql(
            desc = "Words the caption, alt text, credit or file name has words beginning with, with or without diacritics (\"hoi nghi\" finds \"Quang cảnh hội nghị\")."
        )]
        query: Option<String>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
    ) -> Result<List<MediaItem>> {
        let (db, served) = (db(ctx)?, served(ctx)?);
        let kind = kind.map(Into::into);
        let shelf = service::shelf(db, caller(ctx), site.as_deref(), kind, query.as_deref())
            .await
            .map_err(ApiError::from)?;
        let request = Paging::forward(first, after).request(ctx)?;
        let page = service::library(db, served, &shelf, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move {
                danvan_store::media::library_count(&db, shelf.site, &shelf.filter).await
            },
            MediaItem,
        ))
    }
}

/// What an upload gave.
#[derive(SimpleObject)]
pub struct UploadedMedia {
    /// The item.
    item: MediaItem,
    /// False when the site already had this file: the item is that one.
    created: bool,
}

/// Writing the media library.
#[derive(Default)]
pub struct MediaMutation;

#[Object]
impl MediaMutation {
    /// Uploads a photo or a file to a site's media library (a GraphQL multipart request).
    /// The file's type is read from its bytes: JPEG, PNG, WebP or GIF photos (kept cleaned
    /// of their metadata, turned upright), PDF, DOCX, XLSX or ODT documents (kept as they
    /// are). Reporters and editors of the site.
    async fn upload_media(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file.")] file: Upload,
        #[graphql(desc = "The site's slug; the uploader's own site when omitted.")] site: Option<
            String,
        >,
        #[graphql(desc = "The caption printed under the photo.")] caption: Option<String>,
        #[graphql(desc = "What the photo shows.")] alt: Option<String>,
        #[graphql(desc = "Who took it (\"Ảnh: Ngọc Lan\").")] credit: Option<String>,
    ) -> Result<UploadedMedia> {
        let served = served(ctx)?;
        let db = db(ctx)?;
        let value = file
            .value(ctx)
            .map_err(|e| ApiError::BadUserInput(format!("the upload is not readable: {e}")))?;
        let input = UploadInput {
            site,
            caption,
            alt,
            credit,
            file_name: Some(value.filename.clone()),
        };
        let accepted = service::accept(db, caller(ctx), &input)
            .await
            .map_err(ApiError::from)?;
        let bytes = danvan_media::receive::file_chunks(value.content);
        let (item, created) = service::upload(db, &served.library, accepted, bytes)
            .await
            .map_err(ApiError::from)?;
        let shown = service::show(db, served, caller(ctx), item)
            .await
            .map_err(ApiError::from)?;
        Ok(UploadedMedia {
            item: MediaItem(shown),
            created,
        })
    }

    /// Replaces an item's caption, alt text and credit (a null or empty one is removed).
    /// Editors of its site.
    async fn describe_media(
        &self,
        ctx: &Context<'_>,
        id: ID,
        caption: Option<String>,
        alt: Option<String>,
        credit: Option<String>,
    ) -> Result<MediaItem> {
        let id = service::decode(&id).map_err(ApiError::from)?;
        let text = service::text(caption.as_deref(), alt.as_deref(), credit.as_deref())
            .map_err(ApiError::from)?;
        let db = db(ctx)?;
        let item = service::set_text(db, caller(ctx), id, text)
            .await
            .map_err(ApiError::from)?;
        let shown = service::show(db, served(ctx)?, caller(ctx), item)
            .await
            .map_err(ApiError::from)?;
        Ok(MediaItem(shown))
    }

    /// Deletes an item: hidden at once, its file removed after the grace period unless
    /// another site's item holds the same file. Editors of its site.
    async fn delete_media(&self, ctx: &Context<'_>, id: ID) -> Result<MediaItem> {
        let id = service::decode(&id).map_err(ApiError::from)?;
        let item = service::delete(db(ctx)?, caller(ctx), id)
            .await
            .map_err(ApiError::from)?;
        Ok(MediaItem(danvan_service::media::Shown {
            item,
            signed: None,
        }))
    }
}
