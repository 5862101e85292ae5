//! Writing what the portals report: meetings, "Dân vận khéo" models and report figures.
//! Create, update at the version read, delete (kept, hidden) and restore, as for every
//! concept. Each belongs to an organisation (the meeting's organiser, the model's or the
//! figure's organisation) or to none: admins write them all, an editor those of the
//! organisations of their site and those of no organisation, before and after the change.

use crate::ApiError;
use crate::context::{authorize, authorize_owned};
use crate::enums::{
    DvkArea, DvkField, DvkKind, DvkStatus, FigureQualifier, MeetingKind, RecognitionLevel,
};
use crate::id;
use crate::meeting::Meeting;
use crate::model::DvkModel;
use crate::report_figure::ReportFigure;
use crate::writing::{key, lifecycle, note, organisation, patch, period, person, required};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use danvan_auth::Action;
use danvan_domain::meeting::MeetingData;
use danvan_domain::model::{DvkModelData, Recognition};
use danvan_domain::report_figure::ReportFigureData;
use danvan_domain::{AdminUnitId, ArticleId, Body, MeetingId, Name, PersonId, Title};

lifecycle!(
    meetings,
    crate::meeting::Meeting,
    MeetingId,
    crate::id::MEETING
);
lifecycle!(
    models,
    crate::model::DvkModel,
    DvkModelId,
    crate::id::DVK_MODEL
);
lifecycle!(
    figures,
    crate::report_figure::ReportFigure,
    ReportFigureId,
    crate::id::REPORT_FIGURE
);

fn people(ids: Vec<ID>) -> Result<Vec<PersonId>, ApiError> {
    ids.iter().map(person).collect()
}

/// A meeting's fields; on update, the fields left out keep their value and `null` clears
/// an optional one.
#[derive(InputObject, Default)]
pub struct MeetingInput {
    /// What it is called: "Hội nghị sơ kết 6 tháng đầu năm 2024" (required on creation).
    title: Option<String>,
    /// The kind (required on creation).
    kind: Option<MeetingKind>,
    /// The day it was held (required on creation).
    held_on: Option<NaiveDate>,
    /// Where it was held.
    location: MaybeUndefined<String>,
    /// The organisation that held it.
    organiser: MaybeUndefined<ID>,
    /// Who chaired it, in the order named (replaces the list).
    chairs: Option<Vec<ID>>,
    /// Who attended it other than the chairs, in the order named (replaces the list).
    attendees: Option<Vec<ID>>,
    /// Attendance as written, for groups without names.
    attendance_note: MaybeUndefined<String>,
    /// The period it reviewed: a code (`2024-H1`) or as printed ("6 tháng đầu năm 2024").
    period: MaybeUndefined<String>,
    /// The tasks it set for the next period, in order (replaces the list).
    tasks: Option<Vec<String>>,
}

impl MeetingInput {
    fn apply(self, data: &mut MeetingData) -> Result<(), ApiError> {
        if let Some(title) = self.title {
            data.title = Title::parse_field("title", &title)?;
        }
        if let Some(kind) = self.kind {
            data.kind = kind.into();
        }
        if let Some(day) = self.held_on {
            data.held_on = day;
        }
        patch(&mut data.location, self.location, |s| note("location", s))?;
        patch(&mut data.organiser_id, self.organiser, |id| {
            organisation(&id)
        })?;
        if let Some(chairs) = self.chairs {
            data.chair_ids = people(chairs)?;
        }
        if let Some(attendees) = self.attendees {
            data.attendee_ids = people(attendees)?;
        }
        patch(&mut data.attendance_note, self.attendance_note, |s| {
            note("attendanceNote", s)
        })?;
        patch(&mut data.period, self.period, period)?;
        if let Some(tasks) = self.tasks {
            data.tasks = tasks;
        }
        Ok(())
    }

    fn create(self) -> Result<MeetingData, ApiError> {
        let title = Title::parse_field("title", &required("title", self.title.clone())?)?;
        let kind = required("kind", self.kind)?;
        let held_on = required("heldOn", self.held_on)?;
        let mut data = MeetingData::new(title, kind.into(), held_on);
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// How a model was recognised.
#[derive(InputObject)]
pub struct RecognitionInput {
    /// The level of the body that recognised it.
    level: RecognitionLevel,
    /// The decision as written: "Quyết định số 125-QĐ/ĐUK".
    decision: Option<String>,
    /// The day of the decision.
    recognised_on: Option<NaiveDate>,
}

/// A "Dân vận khéo" model's fields; on update, the fields left out keep their value and
/// `null` clears an optional one. A recognised model has its recognition, and only it.
#[derive(InputObject, Default)]
pub struct DvkModelInput {
    /// Its name (required on creation).
    name: Option<String>,
    /// The field (required on creation).
    field: Option<DvkField>,
    /// What it does and what it achieved.
    description: Option<String>,
    /// Model or exemplar; a model when left out on creation.
    kind: Option<DvkKind>,
    /// Where it stands; registered when left out on creation.
    status: Option<DvkStatus>,
    /// How it was recognised: present exactly when the status is `RECOGNISED`.
    recognition: MaybeUndefined<RecognitionInput>,
    /// The organisation that owns it.
    organisation: MaybeUndefined<ID>,
    /// Where it runs.
    admin_unit: MaybeUndefined<ID>,
    /// The period it belongs to: a code (`2022`, `2016..2020`) or as printed.
    period: MaybeUndefined<String>,
    /// The kind of area it serves.
    area: MaybeUndefined<DvkArea>,
}

impl DvkModelInput {
    fn apply(self, data: &mut DvkModelData) -> Result<(), ApiError> {
        if let Some(name) = self.name {
            data.name = Title::parse_field("name", &name)?;
        }
        if let Some(field) = self.field {
            data.field = field.into();
        }
        if let Some(description) = self.description {
            data.description = Body::parse_field("description", &description)?;
        }
        if let Some(kind) = self.kind {
            data.kind = kind.into();
        }
        if let Some(status) = self.status {
            data.status = status.into();
        }
        patch(&mut data.recognition, self.recognition, |r| {
            Ok(Recognition {
                level: r.level.into(),
                decision: r.decision.map(|d| note("decision", d)).transpose()?,
                recognised_on: r.recognised_on,
            })
        })?;
        patch(&mut data.organisation_id, self.organisation, |id| {
            organisation(&id)
        })?;
        patch(&mut data.admin_unit_id, self.admin_unit, |id| {
            key(id::ADMIN_UNIT, &id, AdminUnitId)
        })?;
        patch(&mut data.period, self.period, period)?;
        patch(&mut data.area, self.area, |area| Ok(area.into()))?;
        Ok(())
    }

    fn create(self) -> Result<DvkModelData, ApiError> {
        let name = Title::parse_field("name", &required("name", self.name.clone())?)?;
        let field = required("field", self.field)?;
        let mut data = DvkModelData::new(name, field.into());
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// A report figure's fields; on update, the fields left out keep their value and `null`
/// clears an optional one.
#[derive(InputObject, Default)]
pub struct ReportFigureInput {
    /// The indicator's stable key, lower-case ASCII with `_` and `.`:
    /// `dvk.models_recognised` (required on creation).
    indicator_key: Option<String>,
    /// The indicator as a reader reads it: "Mô hình được công nhận" (required on creation).
    indicator_label: Option<String>,
    /// The number (required on creation).
    value: Option<f64>,
    /// How the number bounds the truth; exact when left out on creation.
    qualifier: Option<FigureQualifier>,
    /// The whole it is a part of: 1.337 in "1.272/1.337 đơn".
    denominator: MaybeUndefined<f64>,
    /// The unit as written: "mô hình", "%".
    unit: MaybeUndefined<String>,
    /// The period it counts: a code (`2024-H1`) or as printed.
    period: MaybeUndefined<String>,
    /// The organisation it is about.
    organisation: MaybeUndefined<ID>,
    /// The article that stated it.
    article: MaybeUndefined<ID>,
    /// The meeting at which it was reported.
    meeting: MaybeUndefined<ID>,
    /// The sentence it was taken from.
    wording: MaybeUndefined<String>,
}

impl ReportFigureInput {
    fn apply(self, data: &mut ReportFigureData) -> Result<(), ApiError> {
        if let Some(indicator) = self.indicator_key {
            data.indicator_key = indicator;
        }
        if let Some(label) = self.indicator_label {
            data.indicator_label = Name::parse_field("indicatorLabel", &label)?;
        }
        if let Some(value) = self.value {
            data.value = value;
        }
        if let Some(qualifier) = self.qualifier {
            data.qualifier = qualifier.into();
        }
        patch(&mut data.denominator, self.denominator, Ok)?;
        patch(&mut data.unit, self.unit, |s| note("unit", s))?;
        patch(&mut data.period, self.period, period)?;
        patch(&mut data.organisation_id, self.organisation, |id| {
            organisation(&id)
        })?;
        patch(&mut data.article_id, self.article, |id| {
            key(id::ARTICLE, &id, ArticleId)
        })?;
        patch(&mut data.meeting_id, self.meeting, |id| {
            key(id::MEETING, &id, MeetingId)
        })?;
        patch(&mut data.wording, self.wording, |s| note("wording", s))?;
        Ok(())
    }

    fn create(self) -> Result<ReportFigureData, ApiError> {
        let indicator = required("indicatorKey", self.indicator_key.clone())?;
        let label = required("indicatorLabel", self.indicator_label.clone())?;
        let value = required("value", self.value)?;
        let label = Name::parse_field("indicatorLabel", &label)?;
        let mut data = ReportFigureData::new(&indicator, label, value)?;
        self.apply(&mut data)?;
        Ok(data)
    }
}

/// What the portals report: its mutations.
#[derive(Default)]
pub struct ReportingMutation;

#[Object]
impl ReportingMutation {
    /// Adds a meeting (admins, and editors for their organisations); `title`, `kind` and `heldOn`
    /// are required.
    async fn create_meeting(&self, ctx: &Context<'_>, input: MeetingInput) -> Result<Meeting> {
        authorize(ctx, Action::WriteDirectory)?;
        let data = input.create()?;
        authorize_owned(ctx, meetings::owner(&data))?;
        Ok(meetings::create(ctx, &data).await?)
    }

    /// Changes a meeting (admins, and editors for their organisations), at the version read.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: MeetingInput,
    ) -> Result<Meeting> {
        let found = meetings::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, meetings::owner(&data))?;
        Ok(meetings::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a meeting (admins, and editors for their organisations); kept, hidden, until
    /// restored. Articles that report it no longer name it meanwhile.
    async fn delete_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<Meeting> {
        meetings::writable(ctx, &id).await?;
        Ok(meetings::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted meeting back (admins, and editors for their organisations).
    async fn restore_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] id: ID,
    ) -> Result<Meeting> {
        meetings::writable(ctx, &id).await?;
        Ok(meetings::restore(ctx, &id).await?)
    }

    /// Adds a "Dân vận khéo" model (admins, and editors for their organisations); `name` and
    /// `field` are required.
    async fn create_dvk_model(&self, ctx: &Context<'_>, input: DvkModelInput) -> Result<DvkModel> {
        authorize(ctx, Action::WriteDirectory)?;
        let data = input.create()?;
        authorize_owned(ctx, models::owner(&data))?;
        Ok(models::create(ctx, &data).await?)
    }

    /// Changes a "Dân vận khéo" model (admins, and editors for their organisations), at the version
    /// read: to recognise one, send `status: RECOGNISED` with its `recognition`.
    async fn update_dvk_model(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The model.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: DvkModelInput,
    ) -> Result<DvkModel> {
        let found = models::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, models::owner(&data))?;
        Ok(models::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a "Dân vận khéo" model (admins, and editors for their organisations); kept, hidden,
    /// until restored.
    async fn delete_dvk_model(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The model.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<DvkModel> {
        models::writable(ctx, &id).await?;
        Ok(models::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted "Dân vận khéo" model back (admins, and editors for their organisations).
    async fn restore_dvk_model(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The model.")] id: ID,
    ) -> Result<DvkModel> {
        models::writable(ctx, &id).await?;
        Ok(models::restore(ctx, &id).await?)
    }

    /// Records a report figure (admins, and editors for their organisations); `indicatorKey`,
    /// `indicatorLabel` and `value` are required.
    async fn create_report_figure(
        &self,
        ctx: &Context<'_>,
        input: ReportFigureInput,
    ) -> Result<ReportFigure> {
        authorize(ctx, Action::WriteDirectory)?;
        let data = input.create()?;
        authorize_owned(ctx, figures::owner(&data))?;
        Ok(figures::create(ctx, &data).await?)
    }

    /// Corrects a report figure (admins, and editors for their organisations), at the version read.
    async fn update_report_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The figure.")] id: ID,
        #[graphql(desc = "The version being edited.")] version: i64,
        input: ReportFigureInput,
    ) -> Result<ReportFigure> {
        let found = figures::writable(ctx, &id).await?;
        let mut data = found.data;
        input.apply(&mut data)?;
        authorize_owned(ctx, figures::owner(&data))?;
        Ok(figures::update(ctx, found.id, version, &data).await?)
    }

    /// Deletes a report figure (admins, and editors for their organisations); kept, hidden, until
    /// restored.
    async fn delete_report_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The figure.")] id: ID,
        #[graphql(desc = "The version being deleted.")] version: i64,
    ) -> Result<ReportFigure> {
        figures::writable(ctx, &id).await?;
        Ok(figures::delete(ctx, &id, version).await?)
    }

    /// Brings a deleted report figure back (admins, and editors for their organisations).
    async fn restore_report_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The figure.")] id: ID,
    ) -> Result<ReportFigure> {
        figures::writable(ctx, &id).await?;
        Ok(figures::restore(ctx, &id).await?)
    }
}
