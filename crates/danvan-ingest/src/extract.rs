//! Rule-based extraction from an article: the meeting it reports, the people and posts,
//! organisations, figures, documents and campaigns it names. Every item keeps a pointer to
//! the sentence it came from, so that an editor can check it.

mod campaign;
mod document;
mod figure;
mod meeting;
mod model;
pub mod names;
mod person;
mod sentence;

pub use campaign::{NamedCampaign, named_campaigns};
pub use document::{CitedDocument, cited_documents};
pub use figure::{Indicator, StatedFigure, stated_figures};
pub use meeting::{ReportedMeeting, reported_meeting};
pub use model::{NamedModel, named_models};
pub use names::{BodyName, Places};
pub use person::{NamedPerson, StatedPosition, named_people};
pub use sentence::{SentenceRef, sentences};

use crate::PageArticle;
use danvan_text::parse::{PeriodText, parse_period_in};

/// Why an organisation is in the extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationRole {
    /// It held the meeting.
    Organiser,
    /// A post named is held in it.
    PostOf,
    /// It is the parent of another one named.
    Parent,
    /// The byline names it beside an author.
    Byline,
}

/// An organisation the article names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionedOrganisation {
    /// As printed: "Ban Dân vận Huyện uỷ".
    pub printed: String,
    /// Written out, scoped and classified.
    pub body: BodyName,
    /// Why it is here.
    pub role: OrganisationRole,
    /// Where (for a byline, the byline, counted after the last paragraph).
    pub at: SentenceRef,
}

/// A figure with the period it reports on.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedFigure {
    /// The figure.
    pub figure: StatedFigure,
    /// Its period: in its sentence, earlier in its paragraph, or the meeting's.
    pub period: Option<PeriodText>,
}

/// Everything an article states beyond its own fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    /// The places the page is about.
    pub places: Places,
    /// The meeting it reports.
    pub meeting: Option<ReportedMeeting>,
    /// The people it names, with their posts.
    pub people: Vec<NamedPerson>,
    /// The organisations it names, each once, parents before their children.
    pub organisations: Vec<MentionedOrganisation>,
    /// The figures it states.
    pub figures: Vec<ReportedFigure>,
    /// The documents it cites.
    pub documents: Vec<CitedDocument>,
    /// The campaigns it names.
    pub campaigns: Vec<NamedCampaign>,
    /// The "Dân vận khéo" models it names.
    pub models: Vec<NamedModel>,
}

/// Extracts what an article states. `places` are the site's own (its administrative
/// unit); the page's headers and text add to them.
pub fn extract(article: &PageArticle, mut places: Places) -> Extraction {
    let paragraphs: Vec<String> = std::iter::once(article.lead.clone())
        .chain(article.body.iter().cloned())
        .filter(|p| !p.is_empty())
        .collect();
    let sentences = sentences(&paragraphs);
    for line in &article.header {
        places.learn_from_header(line);
    }
    let people = named_people(&sentences);
    let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    places.learn_from_text(&article.title, &names);
    for sentence in &sentences {
        places.learn_from_text(&sentence.text, &names);
    }
    let published = article.published.map(|p| p.date);
    let meeting = reported_meeting(&sentences, &people, published);
    let mut organisations = Vec::new();
    if let Some(meeting) = &meeting {
        for printed in &meeting.organisers {
            mention(
                &mut organisations,
                printed,
                OrganisationRole::Organiser,
                &meeting.at,
                &places,
            );
        }
    }
    for person in &people {
        for position in &person.positions {
            if let Some(printed) = &position.organisation {
                mention(
                    &mut organisations,
                    printed,
                    OrganisationRole::PostOf,
                    &position.at,
                    &places,
                );
            }
        }
    }
    let byline_at = SentenceRef {
        paragraph: paragraphs.len(),
        sentence: 0,
        text: article
            .authors
            .iter()
            .map(|a| match &a.organisation {
                Some(o) => format!("{} ({o})", a.name),
                None => a.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(" – "),
    };
    for author in &article.authors {
        if let Some(printed) = &author.organisation {
            mention(
                &mut organisations,
                printed,
                OrganisationRole::Byline,
                &byline_at,
                &places,
            );
        }
    }
    let year = published.map(|d| chrono::Datelike::year(&d));
    let meeting_period = meeting.as_ref().and_then(|m| m.period);
    let figures = stated_figures(&sentences)
        .into_iter()
        .map(|figure| {
            let in_paragraph = sentences
                .iter()
                .filter(|s| s.paragraph == figure.at.paragraph && s.sentence <= figure.at.sentence)
                .rev()
                .find_map(|s| year.and_then(|y| parse_period_in(&s.text, y)));
            ReportedFigure {
                period: in_paragraph.or(meeting_period),
                figure,
            }
        })
        .collect();
    Extraction {
        places,
        meeting,
        people,
        organisations,
        figures,
        documents: cited_documents(&sentences),
        campaigns: named_campaigns(&sentences),
        models: named_models(&sentences),
    }
}

/// Adds an organisation once (by its full name), its parents before it.
fn mention(
    found: &mut Vec<MentionedOrganisation>,
    printed: &str,
    role: OrganisationRole,
    at: &SentenceRef,
    places: &Places,
) {
    let Some(body) = names::body_name(printed, places) else {
        return;
    };
    add(found, printed, body, role, at);
}

fn add(
    found: &mut Vec<MentionedOrganisation>,
    printed: &str,
    body: BodyName,
    role: OrganisationRole,
    at: &SentenceRef,
) {
    if let Some(parent) = &body.parent {
        add(
            found,
            &parent.name,
            (**parent).clone(),
            OrganisationRole::Parent,
            at,
        );
    }
    if let Some(existing) = found
        .iter_mut()
        .find(|o| names::same_name(&o.body.name, &body.name))
    {
        // A body met as a parent first and then named itself keeps the stronger reason.
        if existing.role == OrganisationRole::Parent && role != OrganisationRole::Parent {
            existing.role = role;
            existing.printed = printed.to_owned();
            existing.at = at.clone();
        }
        return;
    }
    found.push(MentionedOrganisation {
        printed: printed.to_owned(),
        body,
        role,
        at: at.clone(),
    });
}
