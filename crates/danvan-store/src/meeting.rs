//! Meetings, with their participants and tasks.

use crate::change::Action;
use crate::crud::{self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, stored};
use crate::entities::{meeting, meeting_participant, meeting_task};
use crate::page::shelve;
use crate::{Page, PageRequest, StoreError};
use chrono::NaiveDate;
use danvan_domain::meeting::{MeetingData, MeetingKind};
use danvan_domain::{DomainError, MeetingId, OrganisationId, Period, PersonId, Record, Title};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use sea_orm::{QueryOrder, TransactionSession, TransactionTrait};
use std::collections::HashMap;

/// A stored meeting.
pub type Meeting = Record<MeetingId, MeetingData>;

const CHAIR: &str = "chair";
const ATTENDEE: &str = "attendee";

pub(crate) struct Res;

impl Resource for Res {
    type Entity = meeting::Entity;
    type Id = MeetingId;
    type Data = MeetingData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Meeting;
    const WHAT: &'static str = "meeting";

    fn id_column() -> meeting::Column {
        meeting::Column::Id
    }

    fn check(data: &MeetingData) -> Result<(), DomainError> {
        data.validate()
    }

    fn active(id: ActiveValue<i64>, data: &MeetingData, stamps: Stamps) -> ActiveOf<Self> {
        meeting::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            version: ActiveValue::NotSet,
            deleted_at: ActiveValue::NotSet,
            title: Set(data.title.to_string()),
            kind: Set(data.kind.code().to_owned()),
            held_on: Set(data.held_on),
            location: Set(danvan_domain::note(data.location.as_deref())),
            organiser_id: Set(data.organiser_id.map(Key::raw)),
            attendance_note: Set(danvan_domain::note(data.attendance_note.as_deref())),
            period: Set(data.period.map(|p| p.code())),
            period_start: Set(data.period.map(|p| p.start())),
            period_end: Set(data.period.map(|p| p.end())),
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: MeetingId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            deleted_at: m.deleted_at,
            data: MeetingData {
                title: Title::from_stored(m.title),
                kind: stored(Self::WHAT, MeetingKind::from_code(&m.kind))?,
                held_on: m.held_on,
                location: m.location,
                organiser_id: m.organiser_id.map(OrganisationId),
                chair_ids: Vec::new(),
                attendee_ids: Vec::new(),
                attendance_note: m.attendance_note,
                period: stored(
                    Self::WHAT,
                    m.period.as_deref().map(Period::from_code).transpose(),
                )?,
                tasks: Vec::new(),
            },
        })
    }
}

/// Stores a new meeting with its participants and tasks, all or nothing.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    data: &MeetingData,
) -> Result<Meeting, StoreError> {
    let txn = crate::begin_write(db).await?;
    let meeting = crud::insert::<Res, _>(&txn, data).await?;
    write_children(&txn, meeting.id, data).await?;
    let meeting = reread(&txn, meeting.id).await?;
    crud::logged::<Res>(&txn, meeting.id.raw(), Action::Created).await?;
    txn.commit().await?;
    Ok(meeting)
}

/// Replaces a meeting's data, participants and tasks, all or nothing.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: MeetingId,
    expected: Option<i64>,
    data: &MeetingData,
) -> Result<Meeting, StoreError> {
    let txn = crate::begin_write(db).await?;
    crud::update::<Res, _>(&txn, id, expected, data).await?;
    write_children(&txn, id, data).await?;
    let meeting = reread(&txn, id).await?;
    crud::logged::<Res>(&txn, id.raw(), Action::Updated).await?;
    txn.commit().await?;
    Ok(meeting)
}

/// The meeting as stored, children included, inside the transaction that wrote it; its
/// search document is written there too.
async fn reread(db: &impl ConnectionTrait, id: MeetingId) -> Result<Meeting, StoreError> {
    let meeting = get_any(db, id)
        .await?
        .ok_or_else(|| StoreError::not_found(Res::WHAT, id))?;
    let data = &meeting.data;
    let body = data
        .location
        .iter()
        .chain(&data.attendance_note)
        .chain(&data.tasks)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    let document = crate::search::Document {
        kind: crate::search::SearchKind::Meeting,
        ref_id: meeting.id.raw(),
        site_id: None,
        public: meeting.deleted_at.is_none(),
        published_at: None,
        day: Some(data.held_on),
        title: data.title.to_string(),
        body,
    };
    crate::search::index(db, &document).await?;
    Ok(meeting)
}

async fn write_children(
    db: &impl ConnectionTrait,
    id: MeetingId,
    data: &MeetingData,
) -> Result<(), StoreError> {
    meeting_participant::Entity::delete_many()
        .filter(meeting_participant::Column::MeetingId.eq(id.raw()))
        .exec(db)
        .await?;
    meeting_task::Entity::delete_many()
        .filter(meeting_task::Column::MeetingId.eq(id.raw()))
        .exec(db)
        .await?;
    let participants = data
        .chair_ids
        .iter()
        .map(|p| (p, CHAIR))
        .chain(data.attendee_ids.iter().map(|p| (p, ATTENDEE)))
        .zip(0..)
        .map(
            |((person, role), position)| meeting_participant::ActiveModel {
                meeting_id: Set(id.raw()),
                person_id: Set(person.raw()),
                role: Set(role.to_owned()),
                position: Set(position),
            },
        )
        .collect::<Vec<_>>();
    if !participants.is_empty() {
        meeting_participant::Entity::insert_many(participants)
            .exec(db)
            .await?;
    }
    let tasks = data
        .tasks
        .iter()
        .zip(0..)
        .map(|(text, position)| meeting_task::ActiveModel {
            meeting_id: Set(id.raw()),
            position: Set(position),
            text: Set(danvan_text::normalize_line(text)),
        })
        .collect::<Vec<_>>();
    if !tasks.is_empty() {
        meeting_task::Entity::insert_many(tasks).exec(db).await?;
    }
    Ok(())
}

/// Fills in the participants and tasks of meetings read from their table, two queries in all.
async fn with_children(
    db: &impl ConnectionTrait,
    mut meetings: Vec<Meeting>,
) -> Result<Vec<Meeting>, StoreError> {
    let ids: Vec<i64> = meetings.iter().map(|m| m.id.raw()).collect();
    if ids.is_empty() {
        return Ok(meetings);
    }
    let mut people: HashMap<i64, Vec<meeting_participant::Model>> = HashMap::new();
    for p in meeting_participant::Entity::find()
        .filter(meeting_participant::Column::MeetingId.is_in(ids.clone()))
        .order_by_asc(meeting_participant::Column::Position)
        .all(db)
        .await?
    {
        people.entry(p.meeting_id).or_default().push(p);
    }
    let mut tasks: HashMap<i64, Vec<String>> = HashMap::new();
    for t in meeting_task::Entity::find()
        .filter(meeting_task::Column::MeetingId.is_in(ids))
        .order_by_asc(meeting_task::Column::Position)
        .all(db)
        .await?
    {
        tasks.entry(t.meeting_id).or_default().push(t.text);
    }
    for meeting in &mut meetings {
        for p in people.get(&meeting.id.raw()).cloned().unwrap_or_default() {
            let list = if p.role == CHAIR {
                &mut meeting.data.chair_ids
            } else {
                &mut meeting.data.attendee_ids
            };
            list.push(PersonId(p.person_id));
        }
        meeting.data.tasks = tasks.get(&meeting.id.raw()).cloned().unwrap_or_default();
    }
    Ok(meetings)
}

/// Every meeting with one of these ids, with what is attached to them, in no particular order.
pub async fn get_many(
    db: &impl ConnectionTrait,
    ids: &[MeetingId],
) -> Result<Vec<Meeting>, StoreError> {
    let found = crud::many::<Res, _>(db, ids).await?;
    with_children(db, found).await
}

/// The meeting with this id, if any.
pub async fn get(db: &impl ConnectionTrait, id: MeetingId) -> Result<Option<Meeting>, StoreError> {
    let Some(meeting) = crud::get::<Res, _>(db, id).await? else {
        return Ok(None);
    };
    Ok(with_children(db, vec![meeting]).await?.pop())
}

/// Deletes a meeting softly: hidden from every read (and from search) until restored;
/// `Conflict` if `expected` is not its current version.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: MeetingId,
    expected: Option<i64>,
) -> Result<Meeting, StoreError> {
    let txn = crate::begin_write(db).await?;
    crud::soft_delete::<Res, _>(&txn, id, expected).await?;
    let meeting = reread(&txn, id).await?;
    crud::logged::<Res>(&txn, id.raw(), Action::Deleted).await?;
    txn.commit().await?;
    Ok(meeting)
}

/// Brings a deleted meeting back, with everything attached to it.
pub async fn restore<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: MeetingId,
) -> Result<Meeting, StoreError> {
    let txn = crate::begin_write(db).await?;
    crud::restore::<Res, _>(&txn, id).await?;
    let meeting = reread(&txn, id).await?;
    crud::logged::<Res>(&txn, id.raw(), Action::Restored).await?;
    txn.commit().await?;
    Ok(meeting)
}

/// The meeting with this id, deleted or not, with what is attached to it.
pub async fn get_any(
    db: &impl ConnectionTrait,
    id: MeetingId,
) -> Result<Option<Meeting>, StoreError> {
    let Some(found) = crud::get_any::<Res, _>(db, id).await? else {
        return Ok(None);
    };
    Ok(with_children(db, vec![found]).await?.pop())
}

/// Which meetings to list.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    /// Of this kind.
    pub kind: Option<MeetingKind>,
    /// One of these organisations.
    pub organisers: Option<crate::organisation::OrganisationScope>,
    /// Held on or after this day.
    pub from: Option<NaiveDate>,
    /// Held on or before this day.
    pub to: Option<NaiveDate>,
    /// Reviewing a period that overlaps this one.
    pub period: Option<Period>,
}

/// The rows a filter selects.
fn select(filter: &MeetingFilter) -> sea_orm::Select<meeting::Entity> {
    let mut select = crud::live::<Res>(meeting::Entity::find());
    if let Some(period) = filter.period {
        select = select
            .filter(meeting::Column::PeriodStart.lte(period.end()))
            .filter(meeting::Column::PeriodEnd.gte(period.start()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(meeting::Column::Kind.eq(kind.code()));
    }
    if let Some(scope) = &filter.organisers {
        select = select.filter(meeting::Column::OrganiserId.is_in(scope.raw()));
    }
    if let Some(from) = filter.from {
        select = select.filter(meeting::Column::HeldOn.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(meeting::Column::HeldOn.lte(to));
    }
    select
}

/// How many records a filter selects.
pub async fn count(db: &impl ConnectionTrait, filter: &MeetingFilter) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(filter)).await
}

/// A page of meetings, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &MeetingFilter,
    page: &PageRequest,
) -> Result<Page<Meeting>, StoreError> {
    let page = crud::list::<Res, _>(db, select(filter), page).await?;
    let mut page = page;
    let items = with_children(db, std::mem::take(&mut page.items)).await?;
    Ok(page.with_items(items))
}

/// The meetings each person chaired, newest first, in two statements for all the people.
pub async fn chaired_by(
    db: &impl ConnectionTrait,
    people: &[PersonId],
) -> Result<HashMap<PersonId, Vec<Meeting>>, StoreError> {
    let chairs = meeting_participant::Entity::find()
        .filter(meeting_participant::Column::PersonId.is_in(people.iter().map(|p| p.raw())))
        .filter(meeting_participant::Column::Role.eq(CHAIR))
        .all(db)
        .await?;
    let meeting_ids: Vec<MeetingId> = chairs.iter().map(|c| MeetingId(c.meeting_id)).collect();
    let meetings: HashMap<MeetingId, Meeting> = get_many(db, &meeting_ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut out: HashMap<PersonId, Vec<Meeting>> = HashMap::new();
    for chair in chairs {
        if let Some(meeting) = meetings.get(&MeetingId(chair.meeting_id)) {
            out.entry(PersonId(chair.person_id))
                .or_default()
                .push(meeting.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| b.data.held_on.cmp(&a.data.held_on).then(b.id.cmp(&a.id)));
    }
    Ok(out)
}

/// The first meetings (oldest first) each organisation held, `first` of each, in one
/// statement however many organisations there are.
pub async fn first_by_organiser(
    db: &impl ConnectionTrait,
    organisers: &[OrganisationId],
    first: u64,
) -> Result<HashMap<OrganisationId, Page<Meeting>>, StoreError> {
    let select = meeting::Entity::find()
        .filter(meeting::Column::OrganiserId.is_in(organisers.iter().map(|o| o.raw())));
    let pages = crud::first_per_parent::<Res, _>(db, select, "organiser_id", first).await?;
    let (meetings, shelved) = shelve(
        pages
            .into_iter()
            .map(|(parent, page)| (OrganisationId(parent), page)),
    );
    Ok(shelved.put_back(with_children(db, meetings).await?))
}
