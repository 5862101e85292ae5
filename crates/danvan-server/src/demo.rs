//! The demo data set (`demo/demo.toml`), loaded into an empty database so that a newcomer
//! sees content at once. It goes through the store like any other content, in one
//! transaction: all of it or none.

use anyhow::{Context, anyhow};
use chrono::{DateTime, NaiveDate};
use danvan_domain::admin_unit::{AdminLevel, AdminUnitData, Succession, SuccessionKind};
use danvan_domain::article::{ArticleData, ArticleStatus, Author, Image, Source};
use danvan_domain::campaign::CampaignData;
use danvan_domain::document::DocumentData;
use danvan_domain::meeting::{MeetingData, MeetingKind};
use danvan_domain::model::{
    DvkArea, DvkField, DvkKind, DvkModelData, DvkStatus, Recognition, RecognitionLevel,
};
use danvan_domain::organisation::{OrganisationData, OrganisationKind, OrganisationLevel};
use danvan_domain::person::PersonData;
use danvan_domain::position::PositionData;
use danvan_domain::report_figure::{FigureQualifier, ReportFigureData};
use danvan_domain::site::{SiteData, UrlPattern};
use danvan_domain::tag::TagData;
use danvan_domain::{
    AdminUnitId, ArticleId, Body, CampaignId, DocumentId, MeetingId, Name, OrganisationId, Period,
    PersonId, SiteId, Slug, TagId, Term, Title, Url,
};
use danvan_store::DatabaseConnection;
use serde::Deserialize;
use std::collections::HashMap;

/// The demo data, compiled into the binary so that `danvan serve` needs no other file.
const DEMO: &str = include_str!("../demo/demo.toml");

/// What a load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    /// Sites written.
    pub sites: usize,
    /// Articles written.
    pub articles: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Demo {
    admin_units: Vec<DemoUnit>,
    organisations: Vec<DemoOrganisation>,
    people: Vec<DemoPerson>,
    sites: Vec<DemoSite>,
    tags: Vec<DemoTag>,
    documents: Vec<DemoDocument>,
    campaigns: Vec<DemoCampaign>,
    meetings: Vec<DemoMeeting>,
    articles: Vec<DemoArticle>,
    models: Vec<DemoModel>,
    figures: Vec<DemoFigure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoUnit {
    key: String,
    level: String,
    name: String,
    parent: Option<String>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    #[serde(default)]
    succeeds: Vec<DemoSuccession>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoSuccession {
    unit: String,
    kind: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOrganisation {
    key: String,
    name: String,
    short_name: Option<String>,
    abbreviation: Option<String>,
    kind: String,
    level: String,
    parent: Option<String>,
    admin_unit: Option<String>,
    dissolved_on: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPerson {
    key: String,
    full_name: String,
    #[serde(default)]
    positions: Vec<DemoPosition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPosition {
    organisation: String,
    title: String,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoSite {
    slug: String,
    name: String,
    base_url: Option<String>,
    /// Where the site's front end shows an article.
    public_url: Option<String>,
    #[serde(default)]
    description: String,
    organisation: Option<String>,
    admin_unit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoTag {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDocument {
    code: String,
    title: Option<String>,
    issuer: Option<String>,
    issued_on: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCampaign {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
    organisation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMeeting {
    key: String,
    title: String,
    kind: String,
    held_on: NaiveDate,
    location: Option<String>,
    organiser: Option<String>,
    #[serde(default)]
    chairs: Vec<String>,
    #[serde(default)]
    attendees: Vec<String>,
    attendance_note: Option<String>,
    period: Option<String>,
    #[serde(default)]
    tasks: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoArticle {
    site: String,
    title: String,
    status: Option<String>,
    published_at: Option<DateTime<chrono::FixedOffset>>,
    #[serde(default)]
    view_count: i64,
    #[serde(default)]
    lead: String,
    body: String,
    #[serde(default)]
    authors: Vec<DemoAuthor>,
    source: Option<DemoSource>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    organisations: Vec<String>,
    #[serde(default)]
    admin_units: Vec<String>,
    #[serde(default)]
    documents: Vec<String>,
    #[serde(default)]
    campaigns: Vec<String>,
    meeting: Option<String>,
    #[serde(default)]
    images: Vec<DemoImage>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    people: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAuthor {
    name: String,
    organisation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoSource {
    name: String,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoImage {
    url: Option<String>,
    caption: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoModel {
    name: String,
    #[serde(default)]
    description: String,
    field: String,
    kind: Option<String>,
    organisation: Option<String>,
    admin_unit: Option<String>,
    period: Option<String>,
    status: String,
    recognition_level: Option<String>,
    decision: Option<String>,
    recognised_on: Option<NaiveDate>,
    area: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFigure {
    indicator_key: String,
    label: String,
    value: f64,
    qualifier: Option<String>,
    denominator: Option<f64>,
    unit: Option<String>,
    period: Option<String>,
    organisation: Option<String>,
    meeting: Option<String>,
    /// `site-slug/article-slug`.
    article: Option<String>,
    wording: Option<String>,
}

/// Ids by the keys the demo file uses.
#[derive(Default)]
struct Keys {
    units: HashMap<String, AdminUnitId>,
    organisations: HashMap<String, OrganisationId>,
    people: HashMap<String, PersonId>,
    sites: HashMap<String, SiteId>,
    tags: HashMap<String, TagId>,
    documents: HashMap<String, DocumentId>,
    campaigns: HashMap<String, CampaignId>,
    meetings: HashMap<String, MeetingId>,
    articles: HashMap<String, ArticleId>,
}

fn find<T: Copy>(map: &HashMap<String, T>, what: &str, key: &str) -> anyhow::Result<T> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow!("the demo data names an unknown {what} {key:?}"))
}

fn find_all<T: Copy>(
    map: &HashMap<String, T>,
    what: &str,
    keys: &[String],
) -> anyhow::Result<Vec<T>> {
    keys.iter().map(|k| find(map, what, k)).collect()
}

fn find_opt<T: Copy>(
    map: &HashMap<String, T>,
    what: &str,
    key: Option<&String>,
) -> anyhow::Result<Option<T>> {
    key.map(|k| find(map, what, k)).transpose()
}

fn period(code: Option<&String>) -> anyhow::Result<Option<Period>> {
    Ok(code.map(|c| Period::from_code(c)).transpose()?)
}

fn name(raw: Option<&String>) -> anyhow::Result<Option<Name>> {
    Ok(raw.map(|n| Name::parse(n)).transpose()?)
}

/// Parses the demo data and writes it, all or nothing.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<Loaded> {
    let demo: Demo = toml::from_str(DEMO).context("the demo data does not parse")?;
    let txn = danvan_store::begin_write(db).await?;
    let mut keys = Keys::default();
    write(&txn, &demo, &mut keys).await?;
    txn.commit().await?;
    Ok(Loaded {
        sites: demo.sites.len(),
        articles: demo.articles.len(),
    })
}

async fn write(
    db: &danvan_store::DatabaseTransaction,
    demo: &Demo,
    keys: &mut Keys,
) -> anyhow::Result<()> {
    for u in &demo.admin_units {
        let mut data = AdminUnitData::new(AdminLevel::from_code(&u.level)?, Name::parse(&u.name)?);
        data.parent_id = find_opt(&keys.units, "unit", u.parent.as_ref())?;
        data.valid_from = u.valid_from;
        data.valid_to = u.valid_to;
        let unit = danvan_store::admin_unit::create(db, &data).await?;
        for predecessor in &u.succeeds {
            let link = Succession {
                predecessor_id: find(&keys.units, "unit", &predecessor.unit)?,
                successor_id: unit.id,
                kind: SuccessionKind::from_code(&predecessor.kind)?,
                effective_on: u
                    .valid_from
                    .ok_or_else(|| anyhow!("a successor needs valid_from"))?,
            };
            danvan_store::admin_unit::add_succession(db, &link).await?;
        }
        keys.units.insert(u.key.clone(), unit.id);
    }
    for o in &demo.organisations {
        let mut data = OrganisationData::new(
            Name::parse(&o.name)?,
            OrganisationKind::from_code(&o.kind)?,
            OrganisationLevel::from_code(&o.level)?,
        )?;
        data.short_name = name(o.short_name.as_ref())?;
        data.abbreviation = name(o.abbreviation.as_ref())?;
        data.parent_id = find_opt(&keys.organisations, "organisation", o.parent.as_ref())?;
        data.admin_unit_id = find_opt(&keys.units, "unit", o.admin_unit.as_ref())?;
        data.dissolved_on = o.dissolved_on;
        let organisation = danvan_store::organisation::create(db, &data).await?;
        keys.organisations.insert(o.key.clone(), organisation.id);
    }
    for p in &demo.people {
        let person =
            danvan_store::person::create(db, &PersonData::new(Name::parse(&p.full_name)?)).await?;
        for (rank, position) in (0..).zip(&p.positions) {
            let data = PositionData {
                person_id: person.id,
                organisation_id: find(&keys.organisations, "organisation", &position.organisation)?,
                title: Name::parse(&position.title)?,
                term: Term::new(position.start, position.end)?,
                rank,
            };
            danvan_store::position::create(db, &data).await?;
        }
        keys.people.insert(p.key.clone(), person.id);
    }
    for s in &demo.sites {
        let mut data = SiteData::new(Slug::parse(&s.slug)?, Name::parse(&s.name)?);
        data.base_url = s.base_url.as_deref().map(Url::parse).transpose()?;
        data.public_url = s
            .public_url
            .as_deref()
            .map(|p| UrlPattern::parse_field("public_url", p))
            .transpose()?;
        data.description = Body::parse(&s.description)?;
        data.organisation_id =
            find_opt(&keys.organisations, "organisation", s.organisation.as_ref())?;
        data.admin_unit_id = find_opt(&keys.units, "unit", s.admin_unit.as_ref())?;
        let site = danvan_store::site::create(db, &data).await?;
        keys.sites.insert(s.slug.clone(), site.id);
    }
    for t in &demo.tags {
        let tag =
            danvan_store::tag::create(db, &TagData::from_name(Name::parse(&t.name)?)?).await?;
        keys.tags.insert(t.name.clone(), tag.id);
    }
    for d in &demo.documents {
        let mut data = DocumentData::from_code(&d.code)?;
        data.title = d.title.as_deref().map(Title::parse).transpose()?;
        data.issuer = name(d.issuer.as_ref())?;
        data.issued_on = d.issued_on;
        let document = danvan_store::document::create(db, &data).await?;
        keys.documents.insert(d.code.clone(), document.id);
    }
    for c in &demo.campaigns {
        let data = CampaignData {
            name: Name::parse(&c.name)?,
            slug: Slug::parse(&c.slug)?,
            description: Body::parse(&c.description)?,
            organisation_id: find_opt(
                &keys.organisations,
                "organisation",
                c.organisation.as_ref(),
            )?,
            started_on: None,
            ended_on: None,
        };
        let campaign = danvan_store::campaign::create(db, &data).await?;
        keys.campaigns.insert(c.slug.clone(), campaign.id);
    }
    for m in &demo.meetings {
        let mut data = MeetingData::new(
            Title::parse(&m.title)?,
            MeetingKind::from_code(&m.kind)?,
            m.held_on,
        );
        data.location.clone_from(&m.location);
        data.organiser_id = find_opt(&keys.organisations, "organisation", m.organiser.as_ref())?;
        data.chair_ids = find_all(&keys.people, "person", &m.chairs)?;
        data.attendee_ids = find_all(&keys.people, "person", &m.attendees)?;
        data.attendance_note.clone_from(&m.attendance_note);
        data.period = period(m.period.as_ref())?;
        data.tasks.clone_from(&m.tasks);
        let meeting = danvan_store::meeting::create(db, &data).await?;
        keys.meetings.insert(m.key.clone(), meeting.id);
    }
    for a in &demo.articles {
        let site_id = find(&keys.sites, "site", &a.site)?;
        let mut data = ArticleData::draft(site_id, Title::parse(&a.title)?, Body::parse(&a.body)?)?;
        data.status = match &a.status {
            Some(code) => ArticleStatus::from_code(code)?,
            None => ArticleStatus::Published,
        };
        data.published_at = a.published_at.map(|at| at.to_utc());
        data.view_count = a.view_count;
        data.lead = Body::parse(&a.lead)?;
        data.authors = a
            .authors
            .iter()
            .map(|author| {
                Ok(Author {
                    name: Name::parse(&author.name)?,
                    person_id: None,
                    organisation: name(author.organisation.as_ref())?,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        data.source = match &a.source {
            Some(s) => Some(Source {
                name: Name::parse(&s.name)?,
                url: s.url.as_deref().map(Url::parse).transpose()?,
                published_at: None,
            }),
            None => None,
        };
        data.images = a
            .images
            .iter()
            .map(|i| {
                Ok(Image {
                    media_id: None,
                    url: i.url.as_deref().map(Url::parse).transpose()?,
                    caption: i.caption.clone(),
                    alt: None,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        data.tag_ids = find_all(&keys.tags, "tag", &a.tags)?;
        data.organisation_ids = find_all(&keys.organisations, "organisation", &a.organisations)?;
        data.admin_unit_ids = find_all(&keys.units, "unit", &a.admin_units)?;
        data.document_ids = find_all(&keys.documents, "document", &a.documents)?;
        data.campaign_ids = find_all(&keys.campaigns, "campaign", &a.campaigns)?;
        data.meeting_id = find_opt(&keys.meetings, "meeting", a.meeting.as_ref())?;
        data.person_ids = find_all(&keys.people, "person", &a.people)?;
        data.related_ids = a
            .related
            .iter()
            .map(|slug| find(&keys.articles, "article", &format!("{}/{slug}", a.site)))
            .collect::<anyhow::Result<_>>()?;
        let article = danvan_store::article::create(db, &data).await?;
        keys.articles
            .insert(format!("{}/{}", a.site, article.data.slug), article.id);
    }
    for m in &demo.models {
        let mut data = DvkModelData::new(Title::parse(&m.name)?, DvkField::from_code(&m.field)?);
        data.description = Body::parse(&m.description)?;
        data.kind = m
            .kind
            .as_deref()
            .map(DvkKind::from_code)
            .transpose()?
            .unwrap_or(DvkKind::Model);
        data.organisation_id =
            find_opt(&keys.organisations, "organisation", m.organisation.as_ref())?;
        data.admin_unit_id = find_opt(&keys.units, "unit", m.admin_unit.as_ref())?;
        data.period = period(m.period.as_ref())?;
        data.status = DvkStatus::from_code(&m.status)?;
        data.recognition = match &m.recognition_level {
            Some(level) => Some(Recognition {
                level: RecognitionLevel::from_code(level)?,
                decision: m.decision.clone(),
                recognised_on: m.recognised_on,
            }),
            None => None,
        };
        data.area = m.area.as_deref().map(DvkArea::from_code).transpose()?;
        danvan_store::model::create(db, &data).await?;
    }
    for f in &demo.figures {
        let mut data = ReportFigureData::new(&f.indicator_key, Name::parse(&f.label)?, f.value)?;
        data.qualifier = f
            .qualifier
            .as_deref()
            .map(FigureQualifier::from_code)
            .transpose()?
            .unwrap_or(FigureQualifier::Exact);
        data.denominator = f.denominator;
        data.unit.clone_from(&f.unit);
        data.period = period(f.period.as_ref())?;
        data.organisation_id =
            find_opt(&keys.organisations, "organisation", f.organisation.as_ref())?;
        data.meeting_id = find_opt(&keys.meetings, "meeting", f.meeting.as_ref())?;
        data.article_id = find_opt(&keys.articles, "article", f.article.as_ref())?;
        data.wording.clone_from(&f.wording);
        danvan_store::report_figure::create(db, &data).await?;
    }
    Ok(())
}
