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
        /// Hội nghị giao ban: a regular briefing, monthly or quarterly.
        Briefing = "briefing", "Giao ban";
        /// Lễ kỷ niệm: an anniversary, a "Ngày truyền thống".
        Anniversary = "anniversary", "Kỷ niệm";
        /// Tuyên dương, biểu dương, tôn vinh: honouring "Dân vận khéo" models and people.
        Commendation = "commendation", "Tuyên dương, biểu dương";
        /// Hội nghị ủy ban, ban chấp hành, ban thường vụ: a body's own session.
        CommitteeSession = "committee_session", "Hội nghị ban chấp hành, ủy ban";
        /// Hội nghị triển khai, quán triệt: a directive or a plan passed down.
        Dissemination = "dissemination", "Triển khai, quán triệt";
        /// Tập huấn, bồi dưỡng: training.
        Training = "training", "Tập huấn";
        /// Đối thoại với Nhân dân: leaders answering the people.
        Dialogue = "dialogue", "Đối thoại";
        /// Tiếp xúc cử tri: deputies meeting their voters.
        VoterMeeting = "voter_meeting", "Tiếp xúc cử tri";
        /// Ký kết quy chế, chương trình phối hợp: a coordination agreement signed.
        AgreementSigning = "agreement_signing", "Ký kết phối hợp";
        /// Khảo sát, giám sát, kiểm tra: a survey or an inspection.
        Inspection = "inspection", "Khảo sát, giám sát";
        /// Bình xét, công nhận: models or units assessed and recognised.
        Recognition = "recognition", "Bình xét, công nhận";
        /// Anything else: a launch, a visit.
        Other = "other", "Khác";
    }
}

/// The words that tell a kind, in the order they are tried: what a meeting is first (a
/// review, a briefing) before what it also does (a review "và biểu dương điển hình" is a
/// review). Folded: no diacritics, lower case.
const KIND_WORDS: &[(MeetingKind, &[&str])] = &[
    (MeetingKind::InterimReview, &["so ket"]),
    (MeetingKind::FinalReview, &["tong ket"]),
    (MeetingKind::Briefing, &["giao ban"]),
    (MeetingKind::Anniversary, &["ky niem", "ngay truyen thong"]),
    (MeetingKind::Dialogue, &["doi thoai"]),
    (MeetingKind::VoterMeeting, &["tiep xuc cu tri"]),
    (MeetingKind::AgreementSigning, &["ky ket"]),
    (MeetingKind::Training, &["tap huan", "boi duong"]),
    (
        MeetingKind::Dissemination,
        &["trien khai", "quan triet", "hoc tap nghi quyet"],
    ),
    (
        MeetingKind::Inspection,
        &["khao sat", "giam sat", "kiem tra"],
    ),
    (MeetingKind::Recognition, &["binh xet", "cong nhan"]),
    (
        MeetingKind::Commendation,
        &["tuyen duong", "bieu duong", "ton vinh", "khen thuong"],
    ),
    (
        MeetingKind::CommitteeSession,
        &[
            "ban chap hanh",
            "ban thuong vu",
            "hoi nghi uy ban",
            "hoi nghi lan thu",
        ],
    ),
    (MeetingKind::Thematic, &["chuyen de"]),
];

impl MeetingKind {
    /// The kind a meeting's name tells: "Hội nghị giao ban công tác dân vận quý I" is a
    /// briefing, "Lễ kỷ niệm 95 năm Ngày truyền thống" an anniversary; `Other` when no
    /// word tells.
    pub fn of_title(title: &str) -> Self {
        let folded = danvan_text::fold(title);
        // The occasion is not the kind: "hội nghị tuyên dương … nhân kỷ niệm 94 năm Ngày
        // truyền thống" honours, it does not celebrate.
        let folded = [" nhan dip ", " nhan ky niem ", " nhan ngay ", " chao mung "]
            .iter()
            .filter_map(|occasion| folded.find(occasion))
            .min()
            .map_or(folded.as_str(), |at| &folded[..at]);
        KIND_WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| folded.contains(w)))
            .map_or(Self::Other, |(kind, _)| *kind)
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

#[cfg(test)]
mod tests {
    use super::MeetingKind;

    #[test]
    fn a_title_tells_its_kind_what_it_is_before_what_it_also_does() {
        for (title, kind) in [
            (
                "Hội nghị sơ kết 6 tháng đầu năm và biểu dương điển hình",
                MeetingKind::InterimReview,
            ),
            (
                "Hội nghị tổng kết công tác dân vận năm 2024",
                MeetingKind::FinalReview,
            ),
            (
                "hội nghị giao ban công tác dân vận quý I",
                MeetingKind::Briefing,
            ),
            (
                "Lễ kỷ niệm 95 năm Ngày truyền thống công tác dân vận",
                MeetingKind::Anniversary,
            ),
            (
                "Hội nghị tuyên dương điển hình “Dân vận khéo”",
                MeetingKind::Commendation,
            ),
            (
                "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 12",
                MeetingKind::CommitteeSession,
            ),
            (
                "Hội nghị triển khai Chỉ thị số 16-CT/TU",
                MeetingKind::Dissemination,
            ),
            (
                "Hội nghị quán triệt Nghị quyết Trung ương",
                MeetingKind::Dissemination,
            ),
            (
                "lớp tập huấn nghiệp vụ công tác dân vận",
                MeetingKind::Training,
            ),
            (
                "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân",
                MeetingKind::Dialogue,
            ),
            (
                "buổi tiếp xúc cử tri trước kỳ họp",
                MeetingKind::VoterMeeting,
            ),
            ("Lễ ký kết quy chế phối hợp", MeetingKind::AgreementSigning),
            (
                "Đoàn giám sát việc thực hiện Quy chế dân chủ",
                MeetingKind::Inspection,
            ),
            (
                "Hội nghị bình xét mô hình “Dân vận khéo”",
                MeetingKind::Recognition,
            ),
            (
                "Hội nghị chuyên đề về công tác dân tộc",
                MeetingKind::Thematic,
            ),
            ("Lễ ra mắt tổ hòa giải", MeetingKind::Other),
        ] {
            assert_eq!(MeetingKind::of_title(title), kind, "{title}");
        }
    }
}
