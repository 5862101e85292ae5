//! The JSON shapes of danvan's records: field names as in GraphQL (camelCase), the same
//! global ids as GraphQL's `node`, times in RFC 3339 with +07:00, days as `YYYY-MM-DD`,
//! enums as GraphQL writes them (`INTERIM_REVIEW`).

use chrono::{DateTime, NaiveDate, Utc};
use danvan_media::Encoding;
use danvan_service::id::{encode, kind};
use danvan_service::media::{self as service, Served, Shown};
use serde::Serialize;
use utoipa::ToSchema;

/// A time as clients read it: RFC 3339 in Vietnam time.
pub fn time(at: DateTime<Utc>) -> String {
    danvan_text::time::to_vietnam(at).to_rfc3339()
}

/// An enum's value as GraphQL writes it.
pub fn value(code: &str) -> String {
    code.to_ascii_uppercase()
}

/// A site: a portal that publishes through danvan. In an article's light form only its
/// `id`, `slug` and `name`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "U2l0ZTox", "slug": "gia-vien", "name": "Trang thông tin điện tử huyện Gia Viễn"}))]
pub struct Site {
    /// The global id.
    pub id: String,
    /// Unique among sites.
    pub slug: String,
    /// The portal's name.
    pub name: String,
    /// The portal's public address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Where the portal's front end shows an article, naming `{slug}` or `{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The organisation that runs the portal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
}

impl Site {
    /// The whole site.
    pub fn of(site: &danvan_store::site::Site) -> Self {
        Self {
            base_url: site.data.base_url.as_ref().map(ToString::to_string),
            public_url: site.data.public_url.as_ref().map(|p| p.as_str().to_owned()),
            description: Some(site.data.description.to_string()),
            organisation_id: site
                .data
                .organisation_id
                .map(|o| encode(kind::ORGANISATION, o.0)),
            ..Self::short(site)
        }
    }

    /// Its id, slug and name.
    pub fn short(site: &danvan_store::site::Site) -> Self {
        Self {
            id: encode(kind::SITE, site.id.0),
            slug: site.data.slug.to_string(),
            name: site.data.name.to_string(),
            base_url: None,
            public_url: None,
            description: None,
            organisation_id: None,
        }
    }
}

/// An image with its caption.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// Where the image is.
    pub url: Option<String>,
    /// The caption printed under it: "Quang cảnh hội nghị".
    pub caption: Option<String>,
    /// A text alternative.
    pub alt: Option<String>,
    /// The photo in the media library, with its renditions and srcsets, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<Box<MediaItem>>,
}

impl From<&danvan_domain::article::Image> for Image {
    fn from(i: &danvan_domain::article::Image) -> Self {
        Self {
            url: i.url.as_ref().map(ToString::to_string),
            caption: i.caption.clone(),
            alt: i.alt.clone(),
            media: None,
        }
    }
}

/// An author of the byline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    /// The name as printed: "Phương Nhung".
    pub name: String,
    /// The organisation printed beside it.
    pub organisation: Option<String>,
    /// The person, when known.
    pub person_id: Option<String>,
}

/// Where an article first appeared.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The source's name as printed: "Baolangson.vn".
    pub name: String,
    /// The original's address.
    pub url: Option<String>,
    /// When the original was published.
    pub published_at: Option<String>,
}

/// A keyword.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "VGFnOjE", "slug": "dan-van-kheo", "name": "Dân vận khéo"}))]
pub struct Tag {
    /// The global id.
    pub id: String,
    /// Unique among tags.
    pub slug: String,
    /// The keyword as written.
    pub name: String,
}

impl From<&danvan_store::tag::Tag> for Tag {
    fn from(t: &danvan_store::tag::Tag) -> Self {
        Self {
            id: encode(kind::TAG, t.id.0),
            slug: t.data.slug.to_string(),
            name: t.data.name.to_string(),
        }
    }
}

/// A section of a site.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    /// The global id.
    pub id: String,
    /// Unique within its site.
    pub slug: String,
    /// Its name: "Tin hoạt động".
    pub name: String,
    /// The section it sits in.
    pub parent_id: Option<String>,
}

impl From<&danvan_store::category::Category> for Category {
    fn from(c: &danvan_store::category::Category) -> Self {
        Self {
            id: encode(kind::CATEGORY, c.id.0),
            slug: c.data.slug.to_string(),
            name: c.data.name.to_string(),
            parent_id: c.data.parent_id.map(|p| encode(kind::CATEGORY, p.0)),
        }
    }
}

/// An organisation: a Party committee, a board, a front, a mass organisation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "T3JnYW5pc2F0aW9uOjI", "slug": "ban-dan-van-huyen-uy-gia-vien", "name": "Ban Dân vận Huyện ủy Gia Viễn", "kind": "MASS_MOBILISATION_BOARD", "level": "DISTRICT"}))]
pub struct Organisation {
    /// The global id.
    pub id: String,
    /// Unique among organisations.
    pub slug: String,
    /// Its full name.
    pub name: String,
    /// A shorter name.
    pub short_name: Option<String>,
    /// Its abbreviation: "MTTQ".
    pub abbreviation: Option<String>,
    /// What kind of body.
    pub kind: String,
    /// Its level in the tree.
    pub level: String,
    /// The organisation above it.
    pub parent_id: Option<String>,
    /// The administrative unit it serves.
    pub admin_unit_id: Option<String>,
    /// When it was founded.
    pub founded_on: Option<NaiveDate>,
    /// When it was dissolved.
    pub dissolved_on: Option<NaiveDate>,
}

impl From<&danvan_store::organisation::Organisation> for Organisation {
    fn from(o: &danvan_store::organisation::Organisation) -> Self {
        let d = &o.data;
        Self {
            id: encode(kind::ORGANISATION, o.id.0),
            slug: d.slug.to_string(),
            name: d.name.to_string(),
            short_name: d.short_name.as_ref().map(ToString::to_string),
            abbreviation: d.abbreviation.as_ref().map(ToString::to_string),
            kind: value(d.kind.code()),
            level: value(d.level.code()),
            parent_id: d.parent_id.map(|p| encode(kind::ORGANISATION, p.0)),
            admin_unit_id: d.admin_unit_id.map(|u| encode(kind::ADMIN_UNIT, u.0)),
            founded_on: d.founded_on,
            dissolved_on: d.dissolved_on,
        }
    }
}

/// A post a person holds in an organisation, for a term.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// The global id.
    pub id: String,
    /// Who holds it.
    pub person_id: String,
    /// Where.
    pub organisation_id: String,
    /// The title: "Trưởng Ban Dân vận".
    pub title: String,
    /// The first day of the term.
    pub start: NaiveDate,
    /// The last day of the term; none while it runs.
    pub end: Option<NaiveDate>,
    /// The order among a body's posts, 0 first.
    pub rank: i32,
}

impl From<&danvan_store::position::Position> for Position {
    fn from(p: &danvan_store::position::Position) -> Self {
        Self {
            id: encode(kind::POSITION, p.id.0),
            person_id: encode(kind::PERSON, p.data.person_id.0),
            organisation_id: encode(kind::ORGANISATION, p.data.organisation_id.0),
            title: p.data.title.to_string(),
            start: p.data.term.start(),
            end: p.data.term.end(),
            rank: p.data.rank,
        }
    }
}

/// A person named in the news, with the posts they hold.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "UGVyc29uOjE", "fullName": "Trần Hồng Quảng", "bio": "", "positions": []}))]
pub struct Person {
    /// The global id.
    pub id: String,
    /// The name, family name first.
    pub full_name: String,
    /// A short biography.
    pub bio: String,
    /// The posts held, highest first.
    pub positions: Vec<Position>,
}

impl Person {
    /// The person with `positions`.
    pub fn of(
        p: &danvan_store::person::Person,
        positions: &[danvan_store::position::Position],
    ) -> Self {
        Self {
            id: encode(kind::PERSON, p.id.0),
            full_name: p.data.full_name.to_string(),
            bio: p.data.bio.to_string(),
            positions: positions.iter().map(Position::from).collect(),
        }
    }
}

/// A meeting: a conference, a review, a thematic session.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    /// The global id.
    pub id: String,
    /// Its title: "Hội nghị sơ kết 6 tháng đầu năm".
    pub title: String,
    /// What kind.
    pub kind: String,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// Where.
    pub location: Option<String>,
    /// The organisation that held it.
    pub organiser_id: Option<String>,
    /// Who chaired it.
    pub chair_ids: Vec<String>,
    /// Who attended.
    pub attendee_ids: Vec<String>,
    /// Who attended, as printed.
    pub attendance_note: Option<String>,
    /// The period it reviewed (a period code: `2020-H1`).
    pub period: Option<String>,
    /// The tasks it set for the next period.
    pub tasks: Vec<String>,
}

impl From<&danvan_store::meeting::Meeting> for Meeting {
    fn from(m: &danvan_store::meeting::Meeting) -> Self {
        let d = &m.data;
        let people = |ids: &[danvan_domain::PersonId]| -> Vec<String> {
            ids.iter().map(|p| encode(kind::PERSON, p.0)).collect()
        };
        Self {
            id: encode(kind::MEETING, m.id.0),
            title: d.title.to_string(),
            kind: value(d.kind.code()),
            held_on: d.held_on,
            location: d.location.clone(),
            organiser_id: d.organiser_id.map(|o| encode(kind::ORGANISATION, o.0)),
            chair_ids: people(&d.chair_ids),
            attendee_ids: people(&d.attendee_ids),
            attendance_note: d.attendance_note.clone(),
            period: d.period.as_ref().map(|p| p.code()),
            tasks: d.tasks.clone(),
        }
    }
}

/// A "Dân vận khéo" model or exemplar.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DvkModel {
    /// The global id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// A model (collective) or an exemplar (a person).
    pub kind: String,
    /// Its field (lĩnh vực).
    pub field: String,
    /// Where it stands: registered, recognised.
    pub status: String,
    /// The organisation that owns it.
    pub organisation_id: Option<String>,
    /// Where it runs.
    pub admin_unit_id: Option<String>,
    /// Its period (a period code: `2016..2020`).
    pub period: Option<String>,
    /// The level of the body that recognised it.
    pub recognition_level: Option<String>,
    /// The decision that recognised it: "Quyết định số 125-QĐ/ĐUK".
    pub recognition_decision: Option<String>,
    /// The day of that decision.
    pub recognised_on: Option<NaiveDate>,
    /// Urban or rural.
    pub area: Option<String>,
}

impl From<&danvan_store::model::DvkModel> for DvkModel {
    fn from(m: &danvan_store::model::DvkModel) -> Self {
        let d = &m.data;
        Self {
            id: encode(kind::DVK_MODEL, m.id.0),
            name: d.name.to_string(),
            description: d.description.to_string(),
            kind: value(d.kind.code()),
            field: value(d.field.code()),
            status: value(d.status.code()),
            organisation_id: d.organisation_id.map(|o| encode(kind::ORGANISATION, o.0)),
            admin_unit_id: d.admin_unit_id.map(|u| encode(kind::ADMIN_UNIT, u.0)),
            period: d.period.as_ref().map(|p| p.code()),
            recognition_level: d.recognition.as_ref().map(|r| value(r.level.code())),
            recognition_decision: d.recognition.as_ref().and_then(|r| r.decision.clone()),
            recognised_on: d.recognition.as_ref().and_then(|r| r.recognised_on),
            area: d.area.map(|a| value(a.code())),
        }
    }
}

/// A figure a report states: "95 cuộc đối thoại", "1.272/1.337 đơn".
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportFigure {
    /// The global id.
    pub id: String,
    /// The indicator's key: `dvk.models_recognised`.
    pub indicator: String,
    /// The indicator as a reader reads it.
    pub indicator_label: String,
    /// The value.
    pub value: f64,
    /// Exactly, at least, about.
    pub qualifier: String,
    /// Out of how many.
    pub denominator: Option<f64>,
    /// The unit: "cuộc", "đơn".
    pub unit: Option<String>,
    /// The period (a period code).
    pub period: Option<String>,
    /// Which organisation it is about.
    pub organisation_id: Option<String>,
    /// The article that states it.
    pub article_id: Option<String>,
    /// The meeting it was reported at.
    pub meeting_id: Option<String>,
    /// The words it was read from.
    pub wording: Option<String>,
}

impl From<&danvan_store::report_figure::ReportFigure> for ReportFigure {
    fn from(f: &danvan_store::report_figure::ReportFigure) -> Self {
        let d = &f.data;
        Self {
            id: encode(kind::REPORT_FIGURE, f.id.0),
            indicator: d.indicator_key.clone(),
            indicator_label: d.indicator_label.to_string(),
            value: d.value,
            qualifier: value(d.qualifier.code()),
            denominator: d.denominator,
            unit: d.unit.clone(),
            period: d.period.as_ref().map(|p| p.code()),
            organisation_id: d.organisation_id.map(|o| encode(kind::ORGANISATION, o.0)),
            article_id: d.article_id.map(|a| encode(kind::ARTICLE, a.0)),
            meeting_id: d.meeting_id.map(|m| encode(kind::MEETING, m.0)),
            wording: d.wording.clone(),
        }
    }
}

/// A referenced document: "Nghị quyết số 25-NQ/TW".
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// The global id.
    pub id: String,
    /// The code as printed: "25-NQ/TW".
    pub code: String,
    /// What kind: resolution, directive, decision…
    pub kind: String,
    /// Its title.
    pub title: Option<String>,
    /// Who issued it, as printed.
    pub issuer: Option<String>,
    /// The organisation that issued it.
    pub issuer_id: Option<String>,
    /// The day it was issued.
    pub issued_on: Option<NaiveDate>,
}

impl From<&danvan_store::document::Document> for Document {
    fn from(x: &danvan_store::document::Document) -> Self {
        let d = &x.data;
        Self {
            id: encode(kind::DOCUMENT, x.id.0),
            code: d.code.clone(),
            kind: value(d.kind.code()),
            title: d.title.as_ref().map(ToString::to_string),
            issuer: d.issuer.as_ref().map(ToString::to_string),
            issuer_id: d.issuer_id.map(|o| encode(kind::ORGANISATION, o.0)),
            issued_on: d.issued_on,
        }
    }
}

/// A campaign: phong trào thi đua "Dân vận khéo".
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    /// The global id.
    pub id: String,
    /// Unique among campaigns.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The organisation that runs it.
    pub organisation_id: Option<String>,
    /// When it started.
    pub started_on: Option<NaiveDate>,
    /// When it ended.
    pub ended_on: Option<NaiveDate>,
}

impl From<&danvan_store::campaign::Campaign> for Campaign {
    fn from(c: &danvan_store::campaign::Campaign) -> Self {
        let d = &c.data;
        Self {
            id: encode(kind::CAMPAIGN, c.id.0),
            slug: d.slug.to_string(),
            name: d.name.to_string(),
            description: d.description.to_string(),
            organisation_id: d.organisation_id.map(|o| encode(kind::ORGANISATION, o.0)),
            started_on: d.started_on,
            ended_on: d.ended_on,
        }
    }
}

/// A unit passing (part of) its area to another.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Succession {
    /// The unit that ended or changed.
    pub predecessor_id: String,
    /// The unit that took over.
    pub successor_id: String,
    /// How: merged, split, renamed…
    pub kind: String,
    /// The first day of the successor's responsibility.
    pub effective_on: NaiveDate,
}

impl From<&danvan_domain::admin_unit::Succession> for Succession {
    fn from(s: &danvan_domain::admin_unit::Succession) -> Self {
        Self {
            predecessor_id: encode(kind::ADMIN_UNIT, s.predecessor_id.0),
            successor_id: encode(kind::ADMIN_UNIT, s.successor_id.0),
            kind: value(s.kind.code()),
            effective_on: s.effective_on,
        }
    }
}

/// An administrative unit: a province, a commune; with what it took over and what took it
/// over.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "QWRtaW5Vbml0OjE", "name": "Ninh Bình", "level": "PROVINCE", "code": "37", "parentId": null, "validFrom": null, "validTo": null, "predecessors": [], "successors": []}))]
pub struct AdminUnit {
    /// The global id.
    pub id: String,
    /// Its name, without "tỉnh" or "xã".
    pub name: String,
    /// Province, district, commune.
    pub level: String,
    /// The official code.
    pub code: Option<String>,
    /// The unit it lies in.
    pub parent_id: Option<String>,
    /// Its first day.
    pub valid_from: Option<NaiveDate>,
    /// Its last day.
    pub valid_to: Option<NaiveDate>,
    /// What it took over.
    pub predecessors: Vec<Succession>,
    /// What took it over.
    pub successors: Vec<Succession>,
}

impl AdminUnit {
    /// The unit with its successions.
    pub fn of(
        u: &danvan_store::admin_unit::AdminUnit,
        predecessors: &[danvan_domain::admin_unit::Succession],
        successors: &[danvan_domain::admin_unit::Succession],
    ) -> Self {
        let d = &u.data;
        Self {
            id: encode(kind::ADMIN_UNIT, u.id.0),
            name: d.name.to_string(),
            level: value(d.level.code()),
            code: d.code.clone(),
            parent_id: d.parent_id.map(|p| encode(kind::ADMIN_UNIT, p.0)),
            valid_from: d.valid_from,
            valid_to: d.valid_to,
            predecessors: predecessors.iter().map(Succession::from).collect(),
            successors: successors.iter().map(Succession::from).collect(),
        }
    }
}

/// An item of the media library.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaItem {
    /// Its global id.
    pub id: String,
    /// `IMAGE` or `DOCUMENT`.
    pub kind: String,
    /// The media type of the stored file (`image/jpeg`, `application/pdf`).
    pub mime_type: String,
    /// Bytes of the stored file.
    pub size: i64,
    /// The name it was uploaded under.
    pub file_name: Option<String>,
    /// The caption printed under the photo.
    pub caption: Option<String>,
    /// What the photo shows.
    pub alt: Option<String>,
    /// Who took it ("Ảnh: Ngọc Lan").
    pub credit: Option<String>,
    /// An image's width in pixels, upright.
    pub width: Option<i32>,
    /// An image's height in pixels.
    pub height: Option<i32>,
    /// An image's ThumbHash (base64): a placeholder to show until it loads.
    pub thumbhash: Option<String>,
    /// An image's average colour, `#rrggbb`.
    pub colour: Option<String>,
    /// The stored file: a document as uploaded, an image cleaned of its metadata.
    pub url: String,
    /// An image's renditions, narrowest first, in each format.
    pub renditions: Vec<RenditionView>,
    /// `srcset` values of an image, one per format.
    pub srcset: Option<Srcset>,
    /// The site whose library holds it (its global id).
    pub site_id: String,
    /// When it was uploaded.
    pub created_at: String,
}

/// A rendition.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RenditionView {
    /// The width in the address.
    pub width: u32,
    /// The width of the image served (the photo's own when it is narrower).
    pub shown_width: u32,
    /// Its height.
    pub height: u32,
    /// `image/avif`, `image/webp` or `image/jpeg`.
    pub mime_type: String,
    /// Where it is.
    pub url: String,
}

/// `srcset` attribute values, one per format, for `<picture><source type=…>`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Srcset {
    /// AVIF renditions.
    pub avif: String,
    /// WebP renditions.
    pub webp: String,
    /// JPEG renditions: the `<img>` fallback.
    pub jpeg: String,
}

/// An item as the JSON API shows it, its addresses signed when `shown` says.
pub fn media(served: &Served, shown: &Shown) -> MediaItem {
    let item = &shown.item;
    let image = item.data.width.is_some();
    MediaItem {
        id: service::encode(item.id),
        kind: item.data.kind.code().to_ascii_uppercase(),
        mime_type: item.data.mime.clone(),
        size: item.data.size,
        file_name: item.data.file_name.as_ref().map(ToString::to_string),
        caption: item.data.text.caption.as_ref().map(ToString::to_string),
        alt: item.data.text.alt.as_ref().map(ToString::to_string),
        credit: item.data.text.credit.as_ref().map(ToString::to_string),
        width: item.data.width,
        height: item.data.height,
        thumbhash: item.data.thumbhash.clone(),
        colour: item.data.colour.clone(),
        url: served.original_url(shown),
        renditions: Encoding::ALL
            .into_iter()
            .flat_map(|e| {
                served
                    .renditions(shown, e)
                    .into_iter()
                    .map(move |r| RenditionView {
                        width: r.width,
                        shown_width: r.shown_width,
                        height: r.height,
                        mime_type: e.mime().into(),
                        url: r.url,
                    })
            })
            .collect(),
        srcset: image.then(|| Srcset {
            avif: served.srcset(shown, Encoding::Avif),
            webp: served.srcset(shown, Encoding::Webp),
            jpeg: served.srcset(shown, Encoding::Jpeg),
        }),
        site_id: danvan_service::id::encode(danvan_service::id::kind::SITE, item.data.site_id.0),
        created_at: time(item.created_at),
    }
}
