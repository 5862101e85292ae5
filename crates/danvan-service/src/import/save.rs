//! Saves what a page states: the organisations (matched by name whatever the tone
//! placement, or created under their parent), the people and their posts, the documents,
//! campaigns and meeting, the article linked to all of them, and its report figures. The
//! caller holds the transaction: a page is saved whole or not at all.

use chrono::NaiveDate;
use danvan_domain::article::ArticleData;
use danvan_domain::campaign::CampaignData;
use danvan_domain::document::DocumentData;
use danvan_domain::meeting::MeetingData;
use danvan_domain::model::DvkModelData;
use danvan_domain::organisation::OrganisationData;
use danvan_domain::person::PersonData;
use danvan_domain::position::PositionData;
use danvan_domain::report_figure::{FigureQualifier, ReportFigureData};
use danvan_domain::{
    ArticleId, Body, CampaignId, DocumentId, MeetingId, Name, OrganisationId, Period, PersonId,
    Slug, Term, Title,
};
use danvan_ingest::Extraction;
use danvan_ingest::extract::names::{body_name, same_name};
use danvan_store::{DatabaseTransaction, StoreError};
use danvan_text::search_key;
use std::collections::HashMap;

/// What saving a page added beside its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// Organisations created (the others were found).
    pub organisations_created: usize,
    /// People created.
    pub people_created: usize,
    /// How each person the page names was matched to a record.
    pub people: Vec<(String, PersonMatch)>,
    /// Posts recorded.
    pub positions_created: usize,
    /// Posts the page shows to have ended (the person holds another in the same body).
    pub positions_ended: usize,
    /// Documents created.
    pub documents_created: usize,
    /// Campaigns created.
    pub campaigns_created: usize,
    /// Whether a meeting was recorded.
    pub meeting: bool,
    /// Report figures recorded.
    pub figures_created: usize,
    /// "Dân vận khéo" models recorded (the others were found).
    pub models_created: usize,
}

/// The records a page's items became, by the names the extraction uses.
#[derive(Debug, Default)]
pub struct Links {
    /// By the search key of their full names: one tone placement, one case.
    organisations: HashMap<String, OrganisationId>,
    people: HashMap<String, PersonId>,
    /// The organisations the article concerns, in order.
    pub organisation_ids: Vec<OrganisationId>,
    /// The people it names.
    pub person_ids: Vec<PersonId>,
    /// The documents it cites.
    pub document_ids: Vec<DocumentId>,
    /// The campaigns it names.
    pub campaign_ids: Vec<CampaignId>,
    /// The meeting it reports.
    pub meeting_id: Option<MeetingId>,
    /// The first organiser of that meeting.
    pub organiser_id: Option<OrganisationId>,
}

/// Adds the items `into` does not hold yet, in order.
pub(crate) fn merge<T: PartialEq>(into: &mut Vec<T>, from: impl IntoIterator<Item = T>) {
    for item in from {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

fn push<T: PartialEq>(list: &mut Vec<T>, item: T) {
    merge(list, [item]);
}

/// Finds or creates everything the extraction names except the figures (which need the
/// article). `day` is the day the page speaks of (the meeting's, else the publication's):
/// a post is known to be held on it.
pub async fn save_directory(
    txn: &DatabaseTransaction,
    extraction: &Extraction,
    day: Option<NaiveDate>,
    existing_meeting: Option<MeetingId>,
    saved: &mut Saved,
) -> Result<Links, StoreError> {
    let mut links = Links::default();
    for mentioned in &extraction.organisations {
        let body = &mentioned.body;
        let parent_id = body
            .parent
            .as_ref()
            .and_then(|p| find(&links.organisations, &p.name));
        // The same name under another parent is another body: "Ủy ban MTTQ xã Yên Bình" of
        // one district is not that of another.
        let found = danvan_store::organisation::by_name(txn, &body.name).await?;
        let same = found
            .iter()
            .find(|o| parent_id.is_some() && o.data.parent_id == parent_id)
            .or_else(|| {
                found
                    .iter()
                    .find(|o| parent_id.is_none() || o.data.parent_id.is_none())
            });
        let id = match same {
            Some(found) => found.id,
            None => {
                let mut data =
                    OrganisationData::new(Name::parse(&body.name)?, body.kind, body.level)?;
                data.abbreviation = body.abbreviation.as_deref().map(Name::parse).transpose()?;
                data.parent_id = parent_id;
                saved.organisations_created += 1;
                create_organisation(txn, data).await?
            }
        };
        links.organisations.insert(search_key(&body.name), id);
        if mentioned.role != danvan_ingest::extract::OrganisationRole::Parent {
            push(&mut links.organisation_ids, id);
        }
    }
    let organisation_of = |printed: &str, links: &Links| {
        body_name(printed, &extraction.places).and_then(|b| find(&links.organisations, &b.name))
    };
    for person in &extraction.people {
        // The bodies the page gives them a post in: a namesake elsewhere is someone else.
        let stated: Vec<OrganisationId> = person
            .positions
            .iter()
            .filter_map(|p| {
                p.organisation
                    .as_deref()
                    .and_then(|o| organisation_of(o, &links))
            })
            .collect();
        let (id, how) = match_person(txn, &person.name, &stated, &links.organisation_ids).await?;
        if how.is_new() {
            saved.people_created += 1;
        }
        saved.people.push((person.name.clone(), how));
        links.people.insert(person.name.clone(), id);
        push(&mut links.person_ids, id);
        let Some(day) = day else { continue };
        let held = danvan_store::position::of_person(txn, id).await?;
        for (rank, position) in person.positions.iter().enumerate() {
            let Some(organisation_id) = position
                .organisation
                .as_deref()
                .and_then(|o| organisation_of(o, &links))
            else {
                continue;
            };
            let known = held.iter().any(|p| {
                p.data.organisation_id == organisation_id
                    && same_name(p.data.title.as_str(), &position.title)
            });
            if known {
                continue;
            }
            // Another post in the same body, held before this day, has ended: the page
            // states the person holds this one now.
            for earlier in held.iter().filter(|p| {
                p.data.organisation_id == organisation_id
                    && p.data.term.end().is_none()
                    && p.data.term.start() < day
            }) {
                let mut ended = earlier.data.clone();
                let last_day = day.pred_opt().unwrap_or(day).max(ended.term.start());
                ended.term = Term::new(ended.term.start(), Some(last_day))?;
                danvan_store::position::update(txn, earlier.id, None, &ended).await?;
                saved.positions_ended += 1;
            }
            let data = PositionData {
                person_id: id,
                organisation_id,
                title: Name::parse(&position.title)?,
                term: Term::new(day, None)?,
                rank: i32::try_from(rank).unwrap_or(i32::MAX),
            };
            danvan_store::position::create(txn, &data).await?;
            saved.positions_created += 1;
        }
    }
    for cited in &extraction.documents {
        let id = match danvan_store::document::by_code(txn, &cited.code).await? {
            Some(found) => found.id,
            None => {
                let mut data = DocumentData::from_code(&cited.code)?;
                data.kind = cited.kind;
                data.title = cited.title.as_deref().map(Title::parse).transpose()?;
                data.issuer = cited.issuer.as_deref().map(Name::parse).transpose()?;
                saved.documents_created += 1;
                danvan_store::document::create(txn, &data).await?.id
            }
        };
        push(&mut links.document_ids, id);
    }
    for named in &extraction.campaigns {
        let slug = Slug::from_text(&named.name)?;
        let id = match danvan_store::campaign::by_slug(txn, &slug).await? {
            Some(found) => found.id,
            None => {
                let data = CampaignData {
                    name: Name::parse(&named.full_name)?,
                    slug,
                    description: Body::empty(),
                    organisation_id: None,
                    started_on: None,
                    ended_on: None,
                };
                saved.campaigns_created += 1;
                danvan_store::campaign::create(txn, &data).await?.id
            }
        };
        push(&mut links.campaign_ids, id);
    }
    if let Some(reported) = &extraction.meeting
        && let Some(held_on) = reported.held_on
    {
        let title = Title::parse(&reported.title)?;
        let mut data = MeetingData::new(title, reported.kind, held_on);
        links.organiser_id = reported
            .organisers
            .iter()
            .find_map(|o| organisation_of(o, &links));
        data.organiser_id = links.organiser_id;
        data.chair_ids = reported
            .chairs
            .iter()
            .filter_map(|n| links.people.get(n).copied())
            .collect();
        data.attendee_ids = reported
            .attendees
            .iter()
            .filter_map(|n| links.people.get(n).copied())
            .collect();
        data.attendance_note = reported.attendance_note.clone();
        data.period = reported.period.map(Period::from_text).transpose()?;
        data.tasks = reported.tasks.iter().map(|(t, _)| t.clone()).collect();
        let meeting = match existing_meeting {
            Some(id) => danvan_store::meeting::update(txn, id, None, &data).await?,
            None => danvan_store::meeting::create(txn, &data).await?,
        };
        saved.meeting = true;
        links.meeting_id = Some(meeting.id);
    }
    // The models the page names belong to the body that held the meeting, else to the
    // first body the page concerns.
    let owner = links
        .organiser_id
        .or_else(|| links.organisation_ids.first().copied());
    for named in &extraction.models {
        let known = danvan_store::model::by_name(txn, &named.name).await?;
        if known.iter().any(|m| {
            owner.is_none() || m.data.organisation_id.is_none() || m.data.organisation_id == owner
        }) {
            continue;
        }
        let mut data = DvkModelData::new(Title::parse(&named.name)?, named.field);
        data.organisation_id = owner;
        danvan_store::model::create(txn, &data).await?;
        saved.models_created += 1;
    }
    Ok(links)
}

/// How sure the importer is that a name on the page is a person it knew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonMatch {
    /// Someone new: no one of that name was known.
    New,
    /// Someone new: people of that name were known, in other bodies.
    Namesake,
    /// Known: the same name and a post in the same body. Sure.
    NameAndOrganisation,
    /// Known: the same name, and the page states no post that tells them apart (or the
    /// one known had no post). Likely, not sure.
    NameOnly,
}

impl PersonMatch {
    /// Whether a record was made.
    pub fn is_new(self) -> bool {
        matches!(self, Self::New | Self::Namesake)
    }

    /// As reports say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Namesake => "new (a namesake in another body)",
            Self::NameAndOrganisation => "known (name and body)",
            Self::NameOnly => "known (name only)",
        }
    }
}

/// The person a name on a page is: one known by that name who holds a post in a body the
/// page gives them (`stated`); failing that, when the page states none, one of that name
/// in a body the page concerns (`concerned`), or the oldest; a new record when every one
/// of that name is known in other bodies only.
async fn match_person(
    txn: &DatabaseTransaction,
    name: &str,
    stated: &[OrganisationId],
    concerned: &[OrganisationId],
) -> Result<(PersonId, PersonMatch), StoreError> {
    let candidates = danvan_store::person::by_name(txn, name).await?;
    let ids: Vec<PersonId> = candidates.iter().map(|c| c.id).collect();
    let posts = if ids.is_empty() {
        Default::default()
    } else {
        danvan_store::position::of_people(txn, &ids, None).await?
    };
    let bodies = |id: PersonId| -> Vec<OrganisationId> {
        posts
            .get(&id)
            .map(|held| held.iter().map(|p| p.data.organisation_id).collect())
            .unwrap_or_default()
    };
    let shares =
        |id: PersonId, with: &[OrganisationId]| bodies(id).iter().any(|b| with.contains(b));
    if let Some(found) = ids.iter().find(|id| shares(**id, stated)) {
        return Ok((*found, PersonMatch::NameAndOrganisation));
    }
    let found = if stated.is_empty() {
        ids.iter()
            .find(|id| shares(**id, concerned))
            .or(ids.first())
    } else {
        // The page places them in a body; someone of that name known nowhere may be them.
        ids.iter().find(|id| bodies(**id).is_empty())
    };
    if let Some(found) = found {
        return Ok((*found, PersonMatch::NameOnly));
    }
    let created = danvan_store::person::create(txn, &PersonData::new(Name::parse(name)?)).await?;
    let how = if ids.is_empty() {
        PersonMatch::New
    } else {
        PersonMatch::Namesake
    };
    Ok((created.id, how))
}

/// Links the article to what its page names.
pub fn link_article(data: &mut ArticleData, links: &Links) {
    data.organisation_ids = links.organisation_ids.clone();
    data.person_ids = links.person_ids.clone();
    data.document_ids = links.document_ids.clone();
    data.campaign_ids = links.campaign_ids.clone();
    data.meeting_id = links.meeting_id;
}

/// Records the article's figures; a figure recorded before (same indicator, value and
/// wording) is not recorded again.
pub async fn save_figures(
    txn: &DatabaseTransaction,
    extraction: &Extraction,
    article_id: ArticleId,
    is_new: bool,
    links: &Links,
    saved: &mut Saved,
) -> Result<(), StoreError> {
    // A new article has no figures yet: nothing to look up.
    let before = if is_new || extraction.figures.is_empty() {
        Vec::new()
    } else {
        let mut before = danvan_store::report_figure::of_articles(txn, &[article_id]).await?;
        before.remove(&article_id).unwrap_or_default()
    };
    for reported in &extraction.figures {
        let stated = &reported.figure;
        let mut data = ReportFigureData::new(
            &stated.indicator.key,
            Name::parse(&stated.indicator.label)?,
            stated.quantity.value,
        )?;
        data.qualifier = FigureQualifier::from(stated.quantity.bound);
        data.denominator = stated.quantity.denominator;
        data.unit = Some(stated.unit.clone());
        data.period = reported.period.map(Period::from_text).transpose()?;
        data.organisation_id = links.organiser_id;
        data.article_id = Some(article_id);
        data.meeting_id = links.meeting_id;
        data.wording = Some(stated.wording.clone());
        let known = before.iter().any(|f| {
            f.data.indicator_key == data.indicator_key
                && f.data.value == data.value
                && f.data.wording == data.wording
        });
        if !known {
            danvan_store::report_figure::create(txn, &data).await?;
            saved.figures_created += 1;
        }
    }
    Ok(())
}

fn find(ids: &HashMap<String, OrganisationId>, name: &str) -> Option<OrganisationId> {
    ids.get(&search_key(name)).copied()
}

/// Creates an organisation; a slug already taken by another body (one of the same name
/// elsewhere, or one diacritic apart) gets the next free suffix.
async fn create_organisation(
    txn: &DatabaseTransaction,
    mut data: OrganisationData,
) -> Result<OrganisationId, StoreError> {
    data.slug = danvan_store::organisation::unique_slug(txn, &data.slug).await?;
    Ok(danvan_store::organisation::create(txn, &data).await?.id)
}

/// The tags of a page's keywords, found by slug or created.
pub async fn tags(
    txn: &DatabaseTransaction,
    keywords: &[String],
) -> Result<Vec<danvan_domain::TagId>, StoreError> {
    let mut ids = Vec::new();
    for keyword in keywords {
        let data = danvan_domain::tag::TagData::from_name(Name::parse(keyword)?)?;
        let id = match danvan_store::tag::by_slug(txn, &data.slug).await? {
            Some(found) => found.id,
            None => danvan_store::tag::create(txn, &data).await?.id,
        };
        push(&mut ids, id);
    }
    Ok(ids)
}
