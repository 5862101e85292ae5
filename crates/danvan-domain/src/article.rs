//! Articles: the news a site publishes.

use crate::enums::coded_enum;
use crate::{
    AccountId, AdminUnitId, ArticleId, Body, CampaignId, CategoryId, DocumentId, DomainError,
    MediaId, MeetingId, Name, OrganisationId, PersonId, SiteId, Slug, TagId, Title, Url,
};
use chrono::{DateTime, Utc};

coded_enum! {
    /// Where an article stands in the editorial workflow.
    pub enum ArticleStatus as "status" {
        /// Being written; never public.
        Draft = "draft", "Bản nháp";
        /// Submitted for review; never public.
        InReview = "in_review", "Chờ duyệt";
        /// Published: public once its publication time has come.
        Published = "published", "Đã xuất bản";
        /// Taken off the site, kept for the record.
        Archived = "archived", "Lưu trữ";
    }
}

impl ArticleStatus {
    /// Whether the workflow lets an article move from this status to `to`: a draft goes to
    /// review or straight to publication; an article in review goes back to its author or
    /// is published; a published one is archived or taken back to draft; an archived one is
    /// published again or taken back to draft.
    pub fn can_move_to(self, to: Self) -> bool {
        use ArticleStatus::*;
        matches!(
            (self, to),
            (Draft, InReview)
                | (Draft, Published)
                | (InReview, Draft)
                | (InReview, Published)
                | (Published, Archived)
                | (Published, Draft)
                | (Archived, Published)
                | (Archived, Draft)
        )
    }
}

/// One author of a byline: "Cẩm Tú – Đức Tình" is two, "Hồng Hạ (Trung tâm VHTT&TT)"
/// is one with an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    /// The name as printed.
    pub name: Name,
    /// The person, when danvan knows them.
    pub person_id: Option<PersonId>,
    /// The organisation printed beside the name.
    pub organisation: Option<Name>,
}

impl Author {
    /// An author known by name only.
    pub fn named(name: Name) -> Self {
        Self {
            name,
            person_id: None,
            organisation: None,
        }
    }

    /// An author from a byline as given: the name and the organisation printed beside it,
    /// each checked as a name (errors name the `authors` field).
    pub fn from_byline(name: &str, organisation: Option<&str>) -> Result<Self, DomainError> {
        Ok(Self {
            name: Name::parse_field("authors", name)?,
            person_id: None,
            organisation: organisation
                .map(|o| Name::parse_field("authors", o))
                .transpose()?,
        })
    }
}

/// Where an article was first published: "nbtv.vn", "Nguồn: Baolangson.vn",
/// "Theo Bản tin Thời sự Tối/TTV".
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The source's name as printed.
    pub name: Name,
    /// The original's address.
    pub url: Option<Url>,
    /// When the original was published.
    pub published_at: Option<DateTime<Utc>>,
}

/// An image and its caption; the caption belongs to the image, not to the body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Image {
    /// The photo in the media library, served in renditions; `None` for an image that is
    /// still only an address elsewhere (an imported page's, before `danvan media fetch`).
    pub media_id: Option<MediaId>,
    /// Where the image is; pages copied as text keep the caption without it.
    pub url: Option<Url>,
    /// The caption as printed under the image.
    pub caption: Option<String>,
    /// A text alternative for readers who cannot see it.
    pub alt: Option<String>,
}

impl Image {
    /// Checks that the image has a picture or a caption.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.media_id.is_none() && self.url.is_none() && self.caption.is_none() {
            return Err(DomainError::invalid(
                "images",
                "an image needs a photo of the media library, a URL or a caption",
            ));
        }
        Ok(())
    }
}

/// An article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleData {
    /// The site that publishes it.
    pub site_id: SiteId,
    /// Unique within the site.
    pub slug: Slug,
    /// The headline.
    pub title: Title,
    /// The lead paragraph(s) ("sapo").
    pub lead: Body,
    /// The body: text with paragraphs separated by a blank line, or sanitised HTML.
    pub body: Body,
    /// Which of the two the body is.
    pub body_format: crate::html::BodyFormat,
    /// Where it stands in the workflow.
    pub status: ArticleStatus,
    /// When it was (or will be) published; required once published.
    pub published_at: Option<DateTime<Utc>>,
    /// When a scheduled article is to be published by itself.
    pub publish_at: Option<DateTime<Utc>>,
    /// The byline, in printed order.
    pub authors: Vec<Author>,
    /// Where it first appeared.
    pub source: Option<Source>,
    /// The address search engines should treat as the original.
    pub canonical_url: Option<Url>,
    /// Views counted ("328 lượt xem").
    pub view_count: i64,
    /// Keywords ("Từ khóa").
    pub tag_ids: Vec<TagId>,
    /// The site's sections it appears in.
    pub category_ids: Vec<CategoryId>,
    /// Related articles ("Tin liên quan"), in order.
    pub related_ids: Vec<ArticleId>,
    /// The photo shown with it in lists and at its head, from the media library.
    pub cover_id: Option<MediaId>,
    /// Images with captions, in order.
    pub images: Vec<Image>,
    /// Files attached (the report, the plan, the decision), from the media library, in order.
    pub attachment_ids: Vec<MediaId>,
    /// The organisations it concerns.
    pub organisation_ids: Vec<OrganisationId>,
    /// The administrative units it concerns.
    pub admin_unit_ids: Vec<AdminUnitId>,
    /// The documents it cites.
    pub document_ids: Vec<DocumentId>,
    /// The campaigns it reports on.
    pub campaign_ids: Vec<CampaignId>,
    /// The people it mentions (who spoke, chaired, attended).
    pub person_ids: Vec<PersonId>,
    /// The meeting it reports.
    pub meeting_id: Option<MeetingId>,
    /// A hash of the page it was imported from, to recognise that page imported again.
    pub fingerprint: Option<String>,
    /// The account that wrote it through the API; imported articles have none.
    pub created_by: Option<AccountId>,
}

impl ArticleData {
    /// A draft with a title and a body; the slug is made from the title.
    pub fn draft(site_id: SiteId, title: Title, body: Body) -> Result<Self, DomainError> {
        Ok(Self {
            site_id,
            slug: Slug::from_text(title.as_str())?,
            title,
            lead: Body::empty(),
            body,
            body_format: crate::html::BodyFormat::Text,
            status: ArticleStatus::Draft,
            published_at: None,
            publish_at: None,
            authors: Vec::new(),
            source: None,
            canonical_url: None,
            view_count: 0,
            tag_ids: Vec::new(),
            category_ids: Vec::new(),
            related_ids: Vec::new(),
            cover_id: None,
            images: Vec::new(),
            attachment_ids: Vec::new(),
            organisation_ids: Vec::new(),
            admin_unit_ids: Vec::new(),
            document_ids: Vec::new(),
            campaign_ids: Vec::new(),
            person_ids: Vec::new(),
            meeting_id: None,
            fingerprint: None,
            created_by: None,
        })
    }

    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.status == ArticleStatus::Published && self.published_at.is_none() {
            return Err(DomainError::invalid(
                "publishedAt",
                "a published article needs its publication time",
            ));
        }
        if self.view_count < 0 {
            return Err(DomainError::invalid("viewCount", "cannot be negative"));
        }
        for image in &self.images {
            image.validate()?;
        }
        no_repeats("tags", &self.tag_ids)?;
        no_repeats("categories", &self.category_ids)?;
        no_repeats("related", &self.related_ids)?;
        no_repeats("organisations", &self.organisation_ids)?;
        no_repeats("adminUnits", &self.admin_unit_ids)?;
        no_repeats("documents", &self.document_ids)?;
        no_repeats("campaigns", &self.campaign_ids)?;
        no_repeats("people", &self.person_ids)?;
        no_repeats("attachments", &self.attachment_ids)?;
        Ok(())
    }

    /// The body as text, whatever its format.
    pub fn body_text(&self) -> String {
        match self.body_format {
            crate::html::BodyFormat::Text => self.body.to_string(),
            crate::html::BodyFormat::Html => crate::html::to_text(self.body.as_str()),
        }
    }

    /// The body as HTML, whatever its format.
    pub fn body_html(&self) -> String {
        match self.body_format {
            crate::html::BodyFormat::Text => crate::html::from_text(self.body.as_str()),
            crate::html::BodyFormat::Html => self.body.to_string(),
        }
    }

    /// Whether the public may read it at `now`: published, and its time has come.
    pub fn is_public_at(&self, now: DateTime<Utc>) -> bool {
        self.status == ArticleStatus::Published && self.published_at.is_some_and(|at| at <= now)
    }
}

fn no_repeats<T: Eq + std::hash::Hash + std::fmt::Display>(
    field: &'static str,
    ids: &[T],
) -> Result<(), DomainError> {
    let mut seen = std::collections::HashSet::new();
    match ids.iter().find(|id| !seen.insert(*id)) {
        Some(dup) => Err(DomainError::invalid(
            field,
            format!("{dup} is listed twice"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft() -> ArticleData {
        ArticleData::draft(
            SiteId(1),
            Title::parse("Sơ kết công tác Dân vận 6 tháng đầu năm").unwrap(),
            Body::parse("Sáng 11/7, Ban Dân vận Huyện uỷ tổ chức hội nghị.").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_draft_takes_its_slug_from_the_title() {
        assert_eq!(
            draft().slug.as_str(),
            "so-ket-cong-tac-dan-van-6-thang-dau-nam"
        );
    }

    #[test]
    fn a_published_article_needs_a_publication_time() {
        let mut article = draft();
        article.status = ArticleStatus::Published;
        assert_eq!(article.validate().unwrap_err().field(), "publishedAt");
        article.published_at = Some(Utc.with_ymd_and_hms(2023, 7, 11, 3, 0, 0).unwrap());
        assert!(article.validate().is_ok());
    }

    #[test]
    fn only_published_articles_whose_time_has_come_are_public() {
        let mut article = draft();
        let at = Utc.with_ymd_and_hms(2023, 7, 11, 3, 0, 0).unwrap();
        article.published_at = Some(at);
        assert!(!article.is_public_at(at));
        article.status = ArticleStatus::Published;
        assert!(article.is_public_at(at));
        assert!(!article.is_public_at(at - chrono::Duration::seconds(1)));
    }

    #[test]
    fn a_tag_listed_twice_is_refused() {
        let mut article = draft();
        article.tag_ids = vec![TagId(1), TagId(1)];
        assert_eq!(article.validate().unwrap_err().field(), "tags");
    }
}
