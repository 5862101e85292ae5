//! `previewImport`: what the importer reads from a raw page (copied text or saved HTML),
//! for an editor to review before anything is saved. Nothing is written.

use crate::enums::{
    DocumentKind, DvkField, FigureQualifier, MeetingKind, OrganisationKind, OrganisationLevel,
};
use crate::error::ApiError;
use async_graphql::{Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate};
use danvan_ingest::extract::{OrganisationRole, SentenceRef};
use danvan_ingest::json::period_code as period;
use danvan_ingest::{Extraction, PageArticle};

/// The import preview.
#[derive(Default)]
pub struct PreviewMutation;

#[Object]
impl PreviewMutation {
    /// Reads a raw portal page, as copied text or saved HTML, and returns the article and
    /// everything it states, each item with the sentence it came from. Nothing is saved.
    async fn preview_import(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(desc = "The page: the text copied from a portal page, or its saved HTML.")]
        page: String,
    ) -> Result<ImportPreview> {
        let caller = crate::context::caller(ctx);
        let (article, extraction) =
            danvan_service::import::preview(caller, page.as_bytes()).map_err(ApiError::from)?;
        Ok(ImportPreview::new(&article, &extraction))
    }
}

/// Where an item was read: a sentence of the article.
#[derive(SimpleObject)]
pub struct SourceSentence {
    /// The paragraph, the lead being 0 (a byline counts after the last paragraph).
    paragraph: i32,
    /// The sentence within the paragraph, from 0.
    sentence: i32,
    /// The sentence as printed.
    text: String,
}

fn at(from: &SentenceRef) -> SourceSentence {
    SourceSentence {
        paragraph: i32::try_from(from.paragraph).unwrap_or(i32::MAX),
        sentence: i32::try_from(from.sentence).unwrap_or(i32::MAX),
        text: from.text.clone(),
    }
}

/// An author of the byline.
#[derive(SimpleObject)]
pub struct PreviewAuthor {
    /// The name as printed.
    name: String,
    /// The organisation printed beside it.
    organisation: Option<String>,
}

/// A post stated for a person.
#[derive(SimpleObject)]
pub struct PreviewPosition {
    /// The post as printed, abbreviations written out: "Ủy viên Ban Thường vụ Huyện ủy".
    printed: String,
    /// The title: "Trưởng Ban", "Chủ tịch".
    title: String,
    /// The body it is held in, as printed; none when the post names no single body.
    organisation: Option<String>,
    /// Where.
    at: SourceSentence,
}

/// A person the page names.
#[derive(SimpleObject)]
pub struct PreviewPerson {
    /// The full name as printed.
    name: String,
    /// The posts stated, in order.
    positions: Vec<PreviewPosition>,
    /// Every sentence naming the person.
    mentions: Vec<SourceSentence>,
}

/// An organisation the page names.
#[derive(SimpleObject)]
pub struct PreviewOrganisation {
    /// The name written out and scoped to its place: "Ban Dân vận Huyện ủy Gia Viễn".
    name: String,
    /// As printed: "Ban Dân vận Huyện uỷ".
    printed: String,
    /// The printed form when it holds an abbreviation: "Trung tâm VHTT&TT".
    abbreviation: Option<String>,
    /// The kind.
    kind: OrganisationKind,
    /// The level.
    level: OrganisationLevel,
    /// The body it belongs to, by name.
    parent: Option<String>,
    /// Why it is named: organiser, post_of, parent or byline.
    role: String,
    /// Where.
    at: SourceSentence,
}

/// The meeting the page reports.
#[derive(SimpleObject)]
pub struct PreviewMeeting {
    /// Its title.
    title: String,
    /// Sơ kết, tổng kết, chuyên đề …
    kind: MeetingKind,
    /// The day, resolved against the publication date.
    held_on: Option<NaiveDate>,
    /// The bodies that held it, as printed.
    organisers: Vec<String>,
    /// Who chaired it.
    chairs: Vec<String>,
    /// Who attended it.
    attendees: Vec<String>,
    /// Attendance of groups without names.
    attendance_note: Option<String>,
    /// The period reviewed, as a period code: "2020-H1", "2016..2021".
    period: Option<String>,
    /// The tasks set for the next period.
    tasks: Vec<PreviewTask>,
    /// Where it is reported.
    at: SourceSentence,
}

/// A task a meeting set.
#[derive(SimpleObject)]
pub struct PreviewTask {
    /// The task.
    text: String,
    /// Where.
    at: SourceSentence,
}

/// A figure the page states.
#[derive(SimpleObject)]
pub struct PreviewFigure {
    /// The indicator's key: "complaints.resolved".
    indicator_key: String,
    /// The indicator as a reader reads it.
    indicator_label: String,
    /// The number.
    value: f64,
    /// How it bounds the truth: "Hơn 1000" is more than 1000.
    qualifier: FigureQualifier,
    /// The whole it is part of: 1.337 in "1.272/1.337".
    denominator: Option<f64>,
    /// What it counts: "mô hình", "%".
    unit: String,
    /// The period it reports on, as a period code.
    period: Option<String>,
    /// The clause that states it.
    wording: String,
    /// Where.
    at: SourceSentence,
}

/// A document the page cites.
#[derive(SimpleObject)]
pub struct PreviewDocument {
    /// The code: "25-NQ/TW".
    code: String,
    /// The kind.
    kind: DocumentKind,
    /// Who issued it, when the page says.
    issuer: Option<String>,
    /// Its title, when the page quotes it.
    title: Option<String>,
    /// Where.
    at: SourceSentence,
}

/// A campaign the page names.
#[derive(SimpleObject)]
pub struct PreviewCampaign {
    /// Its own name: "Dân vận khéo".
    name: String,
    /// How it is called in full: "Phong trào thi đua “Dân vận khéo”".
    full_name: String,
    /// Where.
    at: SourceSentence,
}

/// A "Dân vận khéo" model the page names.
#[derive(SimpleObject)]
pub struct PreviewModel {
    /// Its name, as quoted: "Camera an ninh tự quản".
    name: String,
    /// The field its words tell.
    field: DvkField,
    /// Where.
    at: SourceSentence,
}

/// What the importer reads from a page.
#[derive(SimpleObject)]
pub struct ImportPreview {
    /// The headline.
    title: String,
    /// When it was published, in Vietnam time.
    published_at: Option<DateTime<FixedOffset>>,
    /// The view count printed on the page.
    view_count: Option<i64>,
    /// The first paragraph.
    lead: String,
    /// The other paragraphs.
    body: Vec<String>,
    /// Image captions.
    captions: Vec<String>,
    /// The byline.
    authors: Vec<PreviewAuthor>,
    /// Where it first appeared.
    source: Option<String>,
    /// The keywords listed.
    keywords: Vec<String>,
    /// Recognises the page when it is imported again.
    fingerprint: String,
    /// The meeting it reports.
    meeting: Option<PreviewMeeting>,
    /// The people it names.
    people: Vec<PreviewPerson>,
    /// The organisations it names, parents first.
    organisations: Vec<PreviewOrganisation>,
    /// The figures it states.
    figures: Vec<PreviewFigure>,
    /// The documents it cites.
    documents: Vec<PreviewDocument>,
    /// The campaigns it names.
    campaigns: Vec<PreviewCampaign>,
    /// The "Dân vận khéo" models it names.
    models: Vec<PreviewModel>,
}

impl ImportPreview {
    fn new(article: &PageArticle, e: &Extraction) -> Self {
        use danvan_text::time::{from_vietnam_local, to_vietnam};
        Self {
            title: article.title.clone(),
            published_at: article
                .published
                .map(|p| to_vietnam(from_vietnam_local(p.local()))),
            view_count: article.view_count.and_then(|v| i64::try_from(v).ok()),
            lead: article.lead.clone(),
            body: article.body.clone(),
            captions: article.captions.clone(),
            authors: article
                .authors
                .iter()
                .map(|a| PreviewAuthor {
                    name: a.name.clone(),
                    organisation: a.organisation.clone(),
                })
                .collect(),
            source: article.source.clone(),
            keywords: article.keywords.clone(),
            fingerprint: article.fingerprint(),
            meeting: e.meeting.as_ref().map(|m| PreviewMeeting {
                title: m.title.clone(),
                kind: m.kind.into(),
                held_on: m.held_on,
                organisers: m.organisers.clone(),
                chairs: m.chairs.clone(),
                attendees: m.attendees.clone(),
                attendance_note: m.attendance_note.clone(),
                period: period(m.period),
                tasks: m
                    .tasks
                    .iter()
                    .map(|(text, from)| PreviewTask {
                        text: text.clone(),
                        at: at(from),
                    })
                    .collect(),
                at: at(&m.at),
            }),
            people: e
                .people
                .iter()
                .map(|p| PreviewPerson {
                    name: p.name.clone(),
                    positions: p
                        .positions
                        .iter()
                        .map(|pos| PreviewPosition {
                            printed: pos.printed.clone(),
                            title: pos.title.clone(),
                            organisation: pos.organisation.clone(),
                            at: at(&pos.at),
                        })
                        .collect(),
                    mentions: p.mentions.iter().map(at).collect(),
                })
                .collect(),
            organisations: e
                .organisations
                .iter()
                .map(|o| PreviewOrganisation {
                    name: o.body.name.clone(),
                    printed: o.printed.clone(),
                    abbreviation: o.body.abbreviation.clone(),
                    kind: o.body.kind.into(),
                    level: o.body.level.into(),
                    parent: o.body.parent.as_ref().map(|p| p.name.clone()),
                    role: match o.role {
                        OrganisationRole::Organiser => "organiser",
                        OrganisationRole::PostOf => "post_of",
                        OrganisationRole::Parent => "parent",
                        OrganisationRole::Byline => "byline",
                    }
                    .to_owned(),
                    at: at(&o.at),
                })
                .collect(),
            figures: e
                .figures
                .iter()
                .map(|f| PreviewFigure {
                    indicator_key: f.figure.indicator.key.clone(),
                    indicator_label: f.figure.indicator.label.clone(),
                    value: f.figure.quantity.value,
                    qualifier: danvan_domain::report_figure::FigureQualifier::from(
                        f.figure.quantity.bound,
                    )
                    .into(),
                    denominator: f.figure.quantity.denominator,
                    unit: f.figure.unit.clone(),
                    period: period(f.period),
                    wording: f.figure.wording.clone(),
                    at: at(&f.figure.at),
                })
                .collect(),
            documents: e
                .documents
                .iter()
                .map(|d| PreviewDocument {
                    code: d.code.clone(),
                    kind: d.kind.into(),
                    issuer: d.issuer.clone(),
                    title: d.title.clone(),
                    at: at(&d.at),
                })
                .collect(),
            campaigns: e
                .campaigns
                .iter()
                .map(|c| PreviewCampaign {
                    name: c.name.clone(),
                    full_name: c.full_name.clone(),
                    at: at(&c.at),
                })
                .collect(),
            models: e
                .models
                .iter()
                .map(|m| PreviewModel {
                    name: m.name.clone(),
                    field: m.field.into(),
                    at: at(&m.at),
                })
                .collect(),
        }
    }
}
