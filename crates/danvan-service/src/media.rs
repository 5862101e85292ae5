//! The media library's use cases: who may upload to a site's library and change or delete
//! its items, what the public may see, and how an upload proceeds (its text checked before
//! its bytes are read, its bytes received, cleaned and stored, then its record written).

use crate::id::{self, kind};
use crate::{Caller, ServiceError};
use bytes::Bytes;
use danvan_auth::Action;
use danvan_domain::media::{MediaData, MediaKind, MediaText};
use danvan_domain::{MediaId, Name, SiteId, Title};
use danvan_media::{Encoding, Format, Kept, Library};
use danvan_store::DatabaseConnection;
use danvan_store::media::Media;
use futures::Stream;

/// What comes with an upload besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct UploadInput {
    /// The site whose library it goes to (its slug); the uploader's own site when `None`.
    pub site: Option<String>,
    /// The caption printed under the photo.
    pub caption: Option<String>,
    /// What the photo shows.
    pub alt: Option<String>,
    /// Who took it ("Ảnh: Ngọc Lan").
    pub credit: Option<String>,
    /// The file's name on the uploader's machine.
    pub file_name: Option<String>,
}

/// An upload whose text and rights are checked, waiting for its bytes.
#[derive(Debug)]
pub struct Accepted {
    site: SiteId,
    text: MediaText,
    file_name: Option<Name>,
    uploader: Option<danvan_domain::AccountId>,
}

/// The site whose library the caller works in, to do `doing`: the one named (its slug), or
/// the caller's own; only its newsroom (those who may upload to it) may.
async fn newsroom_of(
    db: &DatabaseConnection,
    caller: &Caller,
    site: Option<&str>,
    doing: &str,
) -> Result<SiteId, ServiceError> {
    let account = caller.principal.account();
    let named = match site {
        Some(slug) => Some(crate::reading::site_id(db, slug).await?),
        None => None,
    };
    let site = named
        .or_else(|| account.and_then(|a| a.site))
        .ok_or_else(|| match account {
            None => ServiceError::Unauthenticated(format!("sign in to {doing} a media library")),
            Some(_) => {
                ServiceError::BadUserInput(format!("name the site whose media library to {doing}"))
            }
        })?;
    caller.authorize(Action::UploadMedia(site))?;
    Ok(site)
}

/// Checks who uploads where and what they wrote, before a byte of the file is read.
pub async fn accept(
    db: &DatabaseConnection,
    caller: &Caller,
    input: &UploadInput,
) -> Result<Accepted, ServiceError> {
    let account = caller.principal.account();
    let site = newsroom_of(db, caller, input.site.as_deref(), "upload to").await?;
    Ok(Accepted {
        site,
        text: text(
            input.caption.as_deref(),
            input.alt.as_deref(),
            input.credit.as_deref(),
        )?,
        file_name: input.file_name.as_deref().and_then(file_name),
        uploader: account.map(|a| a.id),
    })
}

/// Normalises and checks the caption, alt text and credit; an empty one is none.
pub fn text(
    caption: Option<&str>,
    alt: Option<&str>,
    credit: Option<&str>,
) -> Result<MediaText, ServiceError> {
    fn present(raw: Option<&str>) -> Option<&str> {
        raw.filter(|t| !t.trim().is_empty())
    }
    Ok(MediaText {
        caption: present(caption)
            .map(|t| Title::parse_field("caption", t))
            .transpose()?,
        alt: present(alt)
            .map(|t| Title::parse_field("alt", t))
            .transpose()?,
        credit: present(credit)
            .map(|t| Name::parse_field("credit", t))
            .transpose()?,
    })
}

/// The last part of a file name as a browser sends it ("C:\\…\\Báo cáo.pdf" from old
/// browsers), normalised; none when nothing printable is left.
fn file_name(raw: &str) -> Option<Name> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    Name::parse_field("fileName", &cleaned).ok()
}

/// Receives the bytes of an accepted upload, keeps them, and records the item: the site's
/// item of the same bytes when there is one (its text replaced by what was given, if
/// anything was). `true` with a new item.
pub async fn upload<E: std::fmt::Display>(
    db: &DatabaseConnection,
    library: &Library,
    accepted: Accepted,
    body: impl Stream<Item = Result<Bytes, E>>,
) -> Result<(Media, bool), ServiceError> {
    let received = library.receive(body).await?;
    let Kept {
        hash,
        kind,
        format,
        size,
        width,
        height,
        thumbhash,
        colour,
    } = library.keep(&received).await?;
    let data = MediaData {
        site_id: accepted.site,
        hash,
        kind: match kind {
            danvan_media::Kind::Image => MediaKind::Image,
            danvan_media::Kind::Document => MediaKind::Document,
        },
        mime: format.mime().to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        width: width.and_then(|w| i32::try_from(w).ok()),
        height: height.and_then(|h| i32::try_from(h).ok()),
        thumbhash: thumbhash.map(|h| {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.encode(h)
        }),
        colour,
        text: accepted.text.clone(),
        file_name: accepted.file_name,
        created_by: accepted.uploader,
    };
    let (mut item, new) = danvan_store::media::keep(db, &data).await?;
    let given = accepted.text != MediaText::default();
    if !new && given && item.data.text != accepted.text {
        danvan_store::media::set_text(db, &item, &accepted.text).await?;
        item.data.text = accepted.text;
    }
    Ok((item, new))
}

/// An item as a caller sees it: with the signature its addresses carry when it is not public
/// yet (an article that uses it is scheduled, or none uses it yet) and the caller may see it.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The item.
    pub item: Media,
    /// `?expires=…&signature=…`, for the addresses of an item that is not public.
    pub signed: Option<String>,
}

/// Whether the media an article shows are given at signed addresses: while the article is
/// not public (whoever reads it then may see them: its newsroom, a partner allowed its
/// embargo); once it is, they are public with it.
pub fn signed_in(article: &danvan_store::article::Article) -> bool {
    article.deleted_at.is_some() || !article.data.is_public_at(chrono::Utc::now())
}

/// Whether `caller` may see the items of `site`'s library before they are public: its
/// newsroom, and partners allowed its embargoed articles.
fn sees_unpublished(caller: &Caller, site: SiteId) -> bool {
    caller.authorize(Action::UploadMedia(site)).is_ok()
        || caller.authorize(Action::ReadEmbargoed(site)).is_ok()
}

fn missing(id: MediaId) -> ServiceError {
    ServiceError::NotFound(format!("media item {} not found", encode(id)))
}

/// `item` as `caller` may see it. An item is public once an article that uses it is
/// public; until then only the site's newsroom and partners allowed its embargoed
/// articles see it, at signed addresses; a deleted one only the site's editors.
pub async fn show(
    db: &DatabaseConnection,
    served: &Served,
    caller: &Caller,
    item: Media,
) -> Result<Shown, ServiceError> {
    let site = item.data.site_id;
    if item.deleted_at.is_some() {
        if caller.authorize(Action::ManageMedia(site)).is_err() {
            return Err(missing(item.id));
        }
        return Ok(served.shown(item, true));
    }
    let uses = danvan_store::article::media_uses(db, item.id, chrono::Utc::now()).await?;
    if uses.public {
        return Ok(served.shown(item, false));
    }
    if !sees_unpublished(caller, site) {
        return Err(missing(item.id));
    }
    Ok(served.shown(item, true))
}

/// The item with `id` as the caller may see it (see [`show`]).
pub async fn get(
    db: &DatabaseConnection,
    served: &Served,
    caller: &Caller,
    id: MediaId,
) -> Result<Shown, ServiceError> {
    let item = danvan_store::media::get(db, id)
        .await?
        .ok_or_else(|| missing(id))?;
    show(db, served, caller, item).await
}

/// The library a newsroom looks through, and what it looks for.
#[derive(Debug, Clone)]
pub struct Shelf {
    /// Whose library.
    pub site: SiteId,
    /// Which of its items.
    pub filter: danvan_store::media::LibraryFilter,
}

/// Which library `caller` asks to look through: the site named (its slug), or the caller's
/// own; only its newsroom (those who may upload to it) may, since it holds what is not
/// public yet. `words` (checked as a search's query is) are looked for in what the
/// newsroom wrote of its items and in their files' names.
pub async fn shelf(
    db: &DatabaseConnection,
    caller: &Caller,
    site: Option<&str>,
    kind: Option<MediaKind>,
    words: Option<&str>,
) -> Result<Shelf, ServiceError> {
    let site = newsroom_of(db, caller, site, "list").await?;
    let words = match words.filter(|w| !w.trim().is_empty()) {
        Some(words) => crate::reading::search_text(words)?,
        None => String::new(),
    };
    Ok(Shelf {
        site,
        filter: danvan_store::media::LibraryFilter { kind, words },
    })
}

/// A page of a library, newest first, each item at signed addresses (the newsroom sees
/// what is not public yet, and an `<img>` in its editor sends no token).
pub async fn library(
    db: &DatabaseConnection,
    served: &Served,
    shelf: &Shelf,
    page: &danvan_store::PageRequest,
) -> Result<danvan_store::Page<Shown>, ServiceError> {
    let page = danvan_store::media::library(db, shelf.site, &shelf.filter, page).await?;
    Ok(page.map(|item| served.shown(item, true)))
}

/// How a file may be kept by those it is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// By anyone, for good.
    Public,
    /// By the one who asked, for at most this many seconds (the signature's remaining life).
    Private(u64),
}

/// The item whose file is asked for at `/media/{id}/…`, and how its answer may be kept:
/// public once an article that uses it is; before, only with a valid signature (a browser
/// sends no token with `<img src>`) or to a caller who may see it; never once deleted.
pub async fn open(
    db: &DatabaseConnection,
    served: &Served,
    caller: &Caller,
    id: MediaId,
    signature: Option<(&str, &str)>,
) -> Result<(Media, Privacy), ServiceError> {
    if let Some((item, seen)) = served.public.get(&id)
        && seen.elapsed() < PUBLIC_KEPT
    {
        return Ok((item, Privacy::Public));
    }
    let item = danvan_store::media::get(db, id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| missing(id))?;
    let now = chrono::Utc::now();
    if danvan_store::article::media_uses(db, id, now).await?.public {
        served
            .public
            .insert(id, (item.clone(), std::time::Instant::now()));
        return Ok((item, Privacy::Public));
    }
    if let Some(remaining) =
        signature.and_then(|(expires, sig)| served.verify(id, expires, sig, now))
    {
        return Ok((item, Privacy::Private(remaining)));
    }
    if sees_unpublished(caller, item.data.site_id) {
        return Ok((item, Privacy::Private(0)));
    }
    Err(missing(id))
}

/// The key that signs addresses, made from `secret` (the first signing key of tokens), so
/// that a signature made for a file opens nothing else.
pub fn address_key(secret: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    match hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(b"danvan media addresses");
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => secret.to_vec(),
    }
}

/// The global id of an item.
pub fn encode(id: MediaId) -> String {
    id::encode(kind::MEDIA, id.0)
}

/// The item a global id names.
pub fn decode(id: &str) -> Result<MediaId, ServiceError> {
    id::decode(kind::MEDIA, id).map(MediaId)
}

/// The stored format of an item.
pub fn format_of(item: &Media) -> Result<Format, ServiceError> {
    Format::from_mime(&item.data.mime).ok_or_else(|| {
        tracing::error!(id = item.id.0, mime = %item.data.mime, "a media item of an unknown type");
        ServiceError::Internal
    })
}

/// A rendition's bytes and what a response says of them.
#[derive(Debug, Clone)]
pub struct Rendition {
    /// The encoded image.
    pub bytes: Bytes,
    /// Its media type.
    pub mime: &'static str,
    /// Its entity tag: the bytes of an item never change, so neither does it.
    pub etag: String,
}

/// The entity tag of a rendition (or of the original, `width` 0).
pub fn etag(item: &Media, width: u32, encoding: &str) -> String {
    format!(
        "\"{}-{width}-{encoding}\"",
        item.data.hash.get(..20).unwrap_or(&item.data.hash)
    )
}

/// A rendition of an image item at `width` in `encoding`, made on its first request.
pub async fn rendition(
    library: &Library,
    item: &Media,
    width: u32,
    encoding: Encoding,
) -> Result<Rendition, ServiceError> {
    if item.data.kind != MediaKind::Image {
        return Err(ServiceError::NotFound(
            "a document has no renditions; its file is at …/original".into(),
        ));
    }
    let bytes = library
        .rendition(&item.data.hash, format_of(item)?, width, encoding)
        .await?;
    Ok(Rendition {
        bytes,
        mime: encoding.mime(),
        etag: etag(item, width, encoding.extension()),
    })
}

/// Replaces what the library says of an item (editors of its site).
pub async fn set_text(
    db: &DatabaseConnection,
    caller: &Caller,
    id: MediaId,
    text: MediaText,
) -> Result<Media, ServiceError> {
    let mut item = managed(db, caller, id).await?;
    danvan_store::media::set_text(db, &item, &text).await?;
    item.data.text = text;
    Ok(item)
}

/// Deletes an item (editors of its site): hidden at once, its file removed after the grace
/// period by [`purge`].
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: MediaId,
) -> Result<Media, ServiceError> {
    let item = managed(db, caller, id).await?;
    let uses = danvan_store::article::media_uses(db, id, chrono::Utc::now()).await?;
    if uses.articles > 0 {
        return Err(ServiceError::Conflict(format!(
            "{} is used by {} article(s): take it out of them first",
            encode(id),
            uses.articles
        )));
    }
    danvan_store::media::delete(db, &item).await?;
    Ok(item)
}

/// An item not deleted that the caller may change (editors of its site).
async fn managed(
    db: &DatabaseConnection,
    caller: &Caller,
    id: MediaId,
) -> Result<Media, ServiceError> {
    let item = danvan_store::media::get(db, id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| missing(id))?;
    caller.authorize(Action::ManageMedia(item.data.site_id))?;
    Ok(item)
}

/// Removes the items deleted more than `grace` ago, and the files (original and
/// renditions) no remaining item names. Gives how many items went.
pub async fn purge(
    db: &DatabaseConnection,
    library: &Library,
    grace: chrono::Duration,
) -> Result<usize, ServiceError> {
    let due = danvan_store::media::deleted_before(db, chrono::Utc::now() - grace).await?;
    for item in &due {
        danvan_store::media::remove(db, item.id).await?;
        if !danvan_store::media::hash_in_use(db, &item.data.hash).await? {
            library.forget(&item.data.hash).await?;
        }
    }
    Ok(due.len())
}

/// What `danvan media check` finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Check {
    /// Originals an item names that the storage does not hold: `hash (mime)`.
    pub missing: Vec<String>,
    /// Files in the storage that no item names.
    pub strays: Vec<String>,
}

/// Compares the records with the storage.
pub async fn check(db: &DatabaseConnection, library: &Library) -> Result<Check, ServiceError> {
    use futures::TryStreamExt;
    let files = danvan_store::media::every_file(db).await?;
    let mut check = Check::default();
    let mut named = std::collections::HashSet::new();
    for (hash, mime) in files {
        let Some(format) = Format::from_mime(&mime) else {
            check.missing.push(format!("{hash} ({mime})"));
            continue;
        };
        let key = danvan_media::library::original_key(&hash, format);
        if !library.storage().exists(&key).await? {
            check.missing.push(format!("{hash} ({mime})"));
        }
        named.insert(hash);
    }
    let keys: Vec<String> = library.storage().keys().try_collect().await?;
    for key in keys {
        let hash = key.split('/').nth(1).unwrap_or_default();
        if !named.contains(hash) {
            check.strays.push(key);
        }
    }
    check.missing.sort();
    check.strays.sort();
    Ok(check)
}

/// The media library as the doors serve it: its files, and the addresses they are at.
#[derive(Debug, Clone)]
pub struct Served {
    /// The files.
    pub library: std::sync::Arc<Library>,
    /// What the addresses of files start with: empty for paths on this server
    /// (`/media/…`), or a CDN's or the public server's address.
    pub base_url: String,
    /// The key of the signatures of addresses (see [`address_key`]).
    pub key: std::sync::Arc<[u8]>,
    /// Items lately found public, for [`PUBLIC_KEPT`]: a photo of the day's news is asked
    /// for again and again, and asking the database each time whether an article shows it
    /// cost a reader more than the file itself.
    pub public: std::sync::Arc<quick_cache::sync::Cache<MediaId, (Media, std::time::Instant)>>,
}

/// How long an item found public is taken to be public without asking again. A public
/// file is served `immutable` for a year, so a CDN or browser keeps it longer anyway;
/// an item not (yet) public is never kept, so that a publication shows at once.
pub const PUBLIC_KEPT: std::time::Duration = std::time::Duration::from_secs(60);

impl Served {
    /// The library `library` served at `base_url` (empty: paths on this server), its
    /// addresses signed with `key`.
    pub fn new(library: std::sync::Arc<Library>, base_url: String, key: Vec<u8>) -> Self {
        Self {
            library,
            base_url,
            key: key.into(),
            public: std::sync::Arc::new(quick_cache::sync::Cache::new(10_000)),
        }
    }
}

/// How long a signed address lasts: at least an hour, at most two (it ends on the hour
/// after next, so that the addresses of a page stay the same for an hour and are kept).
const SIGNED_FOR_SECS: i64 = 3600;

/// A rendition's address and size, for `srcset` and `<img width height>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenditionLink {
    /// The width asked for in the address.
    pub width: u32,
    /// The width of the image served (narrower when the photo is).
    pub shown_width: u32,
    /// Its height.
    pub height: u32,
    /// Where it is.
    pub url: String,
}

impl Served {
    fn mac(&self, id: MediaId, expires: i64) -> Option<hmac::Hmac<sha2::Sha256>> {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key).ok()?;
        mac.update(format!("{}:{expires}", id.0).as_bytes());
        Some(mac)
    }

    /// `item` with its addresses signed when `signed` (see [`Served::sign`]).
    pub fn shown(&self, item: Media, signed: bool) -> Shown {
        let signed = signed.then(|| self.sign(item.id, chrono::Utc::now()));
        Shown { item, signed }
    }

    /// `?expires=…&signature=…` for the files of `id`, valid for an hour or two from `now`.
    pub fn sign(&self, id: MediaId, now: chrono::DateTime<chrono::Utc>) -> String {
        use base64::Engine;
        use hmac::Mac;
        let expires = (now.timestamp() / SIGNED_FOR_SECS + 2) * SIGNED_FOR_SECS;
        let signature = self
            .mac(id, expires)
            .map(|m| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
            })
            .unwrap_or_default();
        format!("?expires={expires}&signature={signature}")
    }

    /// The seconds left of a valid signature of the files of `id`; `None` when it is not
    /// one or has expired.
    pub fn verify(
        &self,
        id: MediaId,
        expires: &str,
        signature: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<u64> {
        use base64::Engine;
        use hmac::Mac;
        let expires: i64 = expires.parse().ok()?;
        let left = u64::try_from(expires - now.timestamp())
            .ok()
            .filter(|l| *l > 0)?;
        let given = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .ok()?;
        self.mac(id, expires)?.verify_slice(&given).ok()?;
        Some(left)
    }

    /// The public address of a rendition of the photo `id`, for what partners read (feeds,
    /// sitemaps, webhooks): no signature, the articles it belongs to being public.
    pub fn rendition_url(&self, id: MediaId, width: u32, encoding: Encoding) -> String {
        format!(
            "{}/media/{}/{width}.{}",
            self.base_url,
            encode(id),
            encoding.extension()
        )
    }

    /// The width of the photos partners are given: the widest configured rendition up to
    /// 1,280 pixels (what a feed reader or a search engine shows), or the narrowest.
    pub fn partner_width(&self) -> u32 {
        let widths = self.library.widths();
        widths
            .iter()
            .rev()
            .find(|w| **w <= 1280)
            .or(widths.first())
            .copied()
            .unwrap_or(1280)
    }

    /// The public addresses of an article's photos for partners: its cover, then the
    /// library photos among its images, each once.
    pub fn photos_of(&self, data: &danvan_domain::article::ArticleData) -> Vec<String> {
        let mut ids: Vec<MediaId> = Vec::new();
        for id in data
            .cover_id
            .into_iter()
            .chain(data.images.iter().filter_map(|i| i.media_id))
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let width = self.partner_width();
        ids.into_iter()
            .map(|id| self.rendition_url(id, width, Encoding::Jpeg))
            .collect()
    }

    /// The address of an item's file as uploaded (an image's cleaned original).
    pub fn original_url(&self, shown: &Shown) -> String {
        format!(
            "{}/media/{}/original{}",
            self.base_url,
            encode(shown.item.id),
            shown.signed.as_deref().unwrap_or_default()
        )
    }

    /// The renditions of an image in `encoding`, narrowest first: each configured width
    /// narrower than the photo, then one at the photo's own width when a configured width
    /// reaches it. None for a document.
    pub fn renditions(&self, shown: &Shown, encoding: Encoding) -> Vec<RenditionLink> {
        let item = &shown.item;
        let signed = shown.signed.as_deref().unwrap_or_default();
        let (Some(width), Some(height)) = (item.data.width, item.data.height) else {
            return Vec::new();
        };
        let (width, height) = (width.unsigned_abs(), height.unsigned_abs());
        let mut links = Vec::new();
        for &w in self.library.widths() {
            let seen = w.min(width);
            links.push(RenditionLink {
                width: w,
                shown_width: seen,
                height: danvan_media::rendition::scaled_height(width, height, seen),
                url: format!(
                    "{}/media/{}/{w}.{}{signed}",
                    self.base_url,
                    encode(item.id),
                    encoding.extension()
                ),
            });
            if w >= width {
                break;
            }
        }
        links
    }

    /// The `srcset` of an image in `encoding`: `url 320w, url 640w, …`.
    pub fn srcset(&self, shown: &Shown, encoding: Encoding) -> String {
        self.renditions(shown, encoding)
            .iter()
            .map(|r| format!("{} {}w", r.url, r.shown_width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Checks what an article takes from the media library: every item is in the article's
/// site's library and not deleted, its cover and photos are images, its attachments are
/// documents.
pub async fn check_uses(
    db: &DatabaseConnection,
    data: &danvan_domain::article::ArticleData,
) -> Result<(), ServiceError> {
    let photos: Vec<(&'static str, MediaId)> = data
        .cover_id
        .map(|m| ("cover", m))
        .into_iter()
        .chain(
            data.images
                .iter()
                .filter_map(|i| i.media_id.map(|m| ("images", m))),
        )
        .collect();
    let files: Vec<(&'static str, MediaId)> = data
        .attachment_ids
        .iter()
        .map(|m| ("attachments", *m))
        .collect();
    if photos.is_empty() && files.is_empty() {
        return Ok(());
    }
    let wanted: Vec<MediaId> = photos.iter().chain(&files).map(|(_, m)| *m).collect();
    let found: std::collections::HashMap<MediaId, Media> =
        danvan_store::media::get_many(db, &wanted)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
    for (uses, kind) in [(&photos, MediaKind::Image), (&files, MediaKind::Document)] {
        for (field, id) in uses {
            let item = found
                .get(id)
                .filter(|m| m.deleted_at.is_none() && m.data.site_id == data.site_id)
                .ok_or_else(|| {
                    ServiceError::BadUserInput(format!(
                        "{field}: {} is not in the site's media library",
                        encode(*id)
                    ))
                })?;
            if item.data.kind != kind {
                return Err(ServiceError::BadUserInput(format!(
                    "{field}: {} is {}, not {}",
                    encode(*id),
                    item.data.kind.label().to_lowercase(),
                    kind.label().to_lowercase()
                )));
            }
        }
    }
    Ok(())
}

/// Brings a picture found on a portal into `site`'s library, as `danvan media fetch` and
/// the importers do (the command line acts for the site): cleaned and kept like an upload,
/// the site's item when it has the same bytes. The caption and alt text are kept when they
/// are valid one-line texts.
pub async fn adopt(
    db: &DatabaseConnection,
    library: &Library,
    site: SiteId,
    found_at: &str,
    caption: Option<&str>,
    alt: Option<&str>,
    bytes: Vec<u8>,
) -> Result<(Media, bool), ServiceError> {
    let accepted = Accepted {
        site,
        text: text(caption, alt, None).unwrap_or_default(),
        file_name: found_at
            .split(['?', '#'])
            .next()
            .and_then(|path| path.rsplit('/').next())
            .filter(|name| !name.is_empty())
            .and_then(file_name),
        uploader: None,
    };
    let body = futures::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(bytes)) });
    upload(db, library, accepted, body).await
}

/// Makes the pictures of `article` found at these addresses the library photos they were
/// brought in as, keeping the article as it was as a revision ("media fetch").
pub async fn relink(
    db: &DatabaseConnection,
    article: danvan_domain::ArticleId,
    photos: &[(String, MediaId)],
) -> Result<(), ServiceError> {
    let Some(found) = danvan_store::article::get(db, article).await? else {
        return Ok(());
    };
    let mut data = found.data.clone();
    let mut changed = false;
    for image in &mut data.images {
        let Some(url) = image.url.as_ref().map(ToString::to_string) else {
            continue;
        };
        if image.media_id.is_none()
            && let Some((_, media)) = photos.iter().find(|(at, _)| *at == url)
        {
            image.media_id = Some(*media);
            changed = true;
        }
    }
    if changed {
        let change = danvan_store::revision::Change {
            reason: "media fetch",
            actor: None,
        };
        danvan_store::article::update(db, article, None, &data, change).await?;
    }
    Ok(())
}
