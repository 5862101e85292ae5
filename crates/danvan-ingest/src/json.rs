//! A page's reading as JSON, for `danvan import --dry-run --format json` and for editors
//! who review an extraction before it is saved. Field names are those of the GraphQL API.

use crate::PageArticle;
use crate::extract::{Extraction, SentenceRef};
use danvan_domain::report_figure::FigureQualifier;
use danvan_text::parse::PeriodText;
use serde_json::{Value, json};

fn at(sentence: &SentenceRef) -> Value {
    json!({
        "paragraph": sentence.paragraph,
        "sentence": sentence.sentence,
        "text": sentence.text,
    })
}

/// A period by the domain's code ("2020-H1", "2016..2021"), as the API writes it.
pub fn period_code(period: Option<PeriodText>) -> Option<String> {
    period
        .and_then(|p| danvan_domain::Period::from_text(p).ok())
        .map(|p| p.code())
}

fn period(period: Option<PeriodText>) -> Value {
    json!(period_code(period))
}

/// The article's own fields.
pub fn article(page: &PageArticle) -> Value {
    json!({
        "title": page.title,
        "published": page.published.map(|p| {
            danvan_text::time::to_vietnam(danvan_text::time::from_vietnam_local(p.local())).to_rfc3339()
        }),
        "viewCount": page.view_count,
        "lead": page.lead,
        "body": page.body,
        "captions": page.captions,
        "authors": page.authors.iter().map(|b| json!({ "name": b.name, "organisation": b.organisation })).collect::<Vec<_>>(),
        "source": page.source,
        "keywords": page.keywords,
        "header": page.header,
        "fingerprint": page.fingerprint(),
    })
}

/// What the article states, every item with the sentence it came from.
pub fn extraction(extraction: &Extraction) -> Value {
    let meeting = extraction.meeting.as_ref().map(|m| {
        json!({
            "title": m.title,
            "kind": m.kind.code(),
            "heldOn": m.held_on.map(|d| d.to_string()),
            "organisers": m.organisers,
            "chairs": m.chairs,
            "attendees": m.attendees,
            "attendanceNote": m.attendance_note,
            "period": period(m.period),
            "periodAt": m.period_at.as_ref().map(at),
            "tasks": m.tasks.iter().map(|(task, from)| json!({ "text": task, "at": at(from) })).collect::<Vec<_>>(),
            "at": at(&m.at),
        })
    });
    json!({
        "places": {
            "province": extraction.places.province,
            "district": extraction.places.district,
            "commune": extraction.places.commune,
        },
        "meeting": meeting,
        "people": extraction.people.iter().map(|p| json!({
            "name": p.name,
            "positions": p.positions.iter().map(|pos| json!({
                "printed": pos.printed,
                "title": pos.title,
                "organisation": pos.organisation,
                "at": at(&pos.at),
            })).collect::<Vec<_>>(),
            "mentions": p.mentions.iter().map(at).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "organisations": extraction.organisations.iter().map(|o| json!({
            "name": o.body.name,
            "printed": o.printed,
            "abbreviation": o.body.abbreviation,
            "kind": o.body.kind.code(),
            "level": o.body.level.code(),
            "parent": o.body.parent.as_ref().map(|p| p.name.clone()),
            "role": format!("{:?}", o.role).to_lowercase(),
            "at": at(&o.at),
        })).collect::<Vec<_>>(),
        "figures": extraction.figures.iter().map(|f| json!({
            "indicator": f.figure.indicator.key,
            "label": f.figure.indicator.label,
            "value": f.figure.quantity.value,
            "denominator": f.figure.quantity.denominator,
            "bound": FigureQualifier::from(f.figure.quantity.bound).code(),
            "unit": f.figure.unit,
            "period": period(f.period),
            "wording": f.figure.wording,
            "at": at(&f.figure.at),
        })).collect::<Vec<_>>(),
        "documents": extraction.documents.iter().map(|d| json!({
            "code": d.code,
            "kind": d.kind.code(),
            "issuer": d.issuer,
            "title": d.title,
            "at": at(&d.at),
        })).collect::<Vec<_>>(),
        "campaigns": extraction.campaigns.iter().map(|c| json!({
            "name": c.name,
            "fullName": c.full_name,
            "at": at(&c.at),
        })).collect::<Vec<_>>(),
        "models": extraction.models.iter().map(|m| json!({
            "name": m.name,
            "field": m.field.code(),
            "at": at(&m.at),
        })).collect::<Vec<_>>(),
    })
}
