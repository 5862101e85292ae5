//! Meetings: the conferences that most Dân vận news reports.

use crate::enums::coded_enum;
use crate::value::required_line;
use crate::{DomainError, OrganisationId, Period, PersonId, Title};
use chrono::NaiveDate;
#[cfg(doc)]
use danvan_text::normalize_line;

coded_enum! {
    /// The kind of a meeting.
    pub enum MeetingKind as "kind" {
        /// Hội nghị sơ kết: a mid-term review ("sơ kết 6 tháng đầu năm").
        InterimReview = "interim_review", "Sơ kết";
        /// Hội nghị tổng kết: a full-term review ("tổng kết công tác năm 2020").
        FinalReview = "final_review", "Tổng kết";
        /// Hội nghị chuyên đề: a meeting on one subject.
        Thematic = "thematic", "Chuyên đề";
        /// Anything else: a launch, a dialogue, a commendation.
        Other = "other", "Khác";
    }
}

/// A task is one sentence or a short paragraph of an article.
const MAX_TASK_CHARS: usize = 2000;

/// A meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingData {
    /// What it is called: "Hội nghị sơ kết 6 tháng đầu năm 2023".
    pub title: Title,
    /// The kind.
    pub kind: MeetingKind,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// Where it was held.
    pub location: Option<String>,
    /// The organisation that held it.
    pub organiser_id: Option<OrganisationId>,
    /// Who chaired it, in the order named.
    pub chair_ids: Vec<PersonId>,
    /// Who attended it (other than the chairs), in the order named.
    pub attendee_ids: Vec<PersonId>,
    /// Attendance as written, for groups without names: "các đồng chí Thành viên các Ban Chỉ đạo".
    pub attendance_note: Option<String>,
    /// The period it reviewed.
    pub period: Option<Period>,
    /// The tasks it set for the next period, in order.
    pub tasks: Vec<String>,
}

impl MeetingData {
    /// A meeting with a title, a kind and a day.
    pub fn new(title: Title, kind: MeetingKind, held_on: NaiveDate) -> Self {
        Self {
            title,
            kind,
            held_on,
            location: None,
            organiser_id: None,
            chair_ids: Vec::new(),
            attendee_ids: Vec::new(),
            attendance_note: None,
            period: None,
            tasks: Vec::new(),
        }
    }

    /// Checks the rules that span fields: a task is not empty or overlong once normalised,
    /// a person is not named twice. Stores write each task through [`normalize_line`].
    pub fn validate(&self) -> Result<(), DomainError> {
        for task in &self.tasks {
            required_line("tasks", task, MAX_TASK_CHARS)?;
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self
            .chair_ids
            .iter()
            .chain(&self.attendee_ids)
            .find(|id| !seen.insert(**id))
        {
            return Err(DomainError::invalid(
                "attendees",
                format!("person {dup} is named twice"),
            ));
        }
        Ok(())
    }
}
