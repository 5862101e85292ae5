//! The meeting an article reports: "Sáng 30/6, Ban Chỉ đạo … tỉnh tổ chức Hội nghị sơ kết
//! 6 tháng đầu năm …", who chaired and attended it, the period it reviewed and the tasks
//! it set.

use super::SentenceRef;
use super::person::NamedPerson;
use super::sentence::capitalise;
use chrono::NaiveDate;
use danvan_domain::meeting::MeetingKind;
use danvan_text::fold;
use danvan_text::parse::{PeriodText, parse_day_month, parse_period_in};

/// A meeting as the article reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedMeeting {
    /// "Hội nghị sơ kết 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2020".
    pub title: String,
    /// Sơ kết, tổng kết, chuyên đề.
    pub kind: MeetingKind,
    /// The day, resolved against the publication date ("Sáng 30/6").
    pub held_on: Option<NaiveDate>,
    /// The bodies that held it, as printed, in order ("Ban Chỉ đạo … và Ban Chỉ đạo … tỉnh"
    /// is two, the trailing "tỉnh" scoping both).
    pub organisers: Vec<String>,
    /// Who chaired it, by name.
    pub chairs: Vec<String>,
    /// Who attended it, by name (the chairs apart).
    pub attendees: Vec<String>,
    /// Attendance of groups without names: "các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy …".
    pub attendance_note: Option<String>,
    /// The period it reviewed.
    pub period: Option<PeriodText>,
    /// Where the period was read.
    pub period_at: Option<SentenceRef>,
    /// The tasks it set, in order, each with its sentence.
    pub tasks: Vec<(String, SentenceRef)>,
    /// The sentence that reports it.
    pub at: SentenceRef,
}

/// Words that start the name of a body, folded: where "A và B" is two organisers.
const BODY_STARTS: [&str; 9] = [
    "ban ", "tinh uy", "huyen uy", "dang uy", "uy ban", "mat tran", "hoi ", "doan ", "cong an",
];

/// The organisers printed before "tổ chức": "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở
/// và Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh" is two bodies of the province.
fn organisers(phrase: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in phrase.split(" và ") {
        let starts_body = BODY_STARTS.iter().any(|s| fold(part).starts_with(s));
        match parts.last_mut() {
            Some(last) if !starts_body => {
                last.push_str(" và ");
                last.push_str(part);
            }
            _ => parts.push(part.trim().to_owned()),
        }
    }
    // A trailing place word ("… tỉnh") scopes every body of the list.
    let scope = parts.last().and_then(|last| {
        let word = last.rsplit(' ').next()?;
        ["tỉnh", "huyện", "xã", "phường", "thị xã", "thành phố"]
            .contains(&word)
            .then(|| word.to_owned())
    });
    if let Some(scope) = scope {
        let n = parts.len();
        for part in &mut parts[..n - 1] {
            if !part.ends_with(&scope) {
                part.push(' ');
                part.push_str(&scope);
            }
        }
    }
    parts
}

/// What a body "tổ chức" that is a meeting: a conference, a ceremony, a session, a class,
/// a dialogue (folded).
const MEETING_WORDS: &[&str] = &[
    "hoi nghi",
    "le ",
    "buoi ",
    "lop tap huan",
    "lop boi duong",
    "tap huan",
    "doi thoai",
    "tiep xuc cu tri",
    "ky ket",
    "hoi thao",
    "toa dam",
    "khao sat",
    "giam sat",
    "doan khao sat",
    "doan giam sat",
    "binh xet",
    "tuyen duong",
    "bieu duong",
    "giao ban",
    "gap mat",
    "hop mat",
    "ngay hoi",
    "dai hoi",
    "hoi thi",
];

/// A delegation at work names no "tổ chức": "Đoàn giám sát … đã làm việc tại xã …",
/// "đoàn công tác … đã khảo sát …" (folded).
const DELEGATIONS: [&str; 4] = [
    "doan giam sat",
    "doan khao sat",
    "doan kiem tra",
    "doan cong tac",
];
const DELEGATION_WORK: [&str; 4] = ["lam viec", "khao sat", "giam sat", "kiem tra"];

/// Where a delegation's visit is reported in `text`: the byte where "Đoàn …" starts.
fn delegation_at(text: &str) -> Option<usize> {
    let folded = fold(text);
    let visiting = DELEGATIONS.iter().any(|d| folded.contains(d))
        && DELEGATION_WORK
            .iter()
            .filter(|w| folded.contains(*w))
            .count()
            >= 1;
    if !visiting {
        return None;
    }
    text.char_indices().map(|(i, _)| i).find(|&i| {
        let rest = &text[i..];
        (rest.starts_with("Đoàn") || rest.starts_with("đoàn"))
            && DELEGATIONS.iter().any(|d| fold(rest).starts_with(d))
    })
}

/// Reads the meeting the sentences report, if any: the first sentence where a body
/// "tổ chức" a meeting ("hội nghị", "lễ", "buổi", "lớp tập huấn", …).
pub fn reported_meeting(
    sentences: &[SentenceRef],
    people: &[NamedPerson],
    published: Option<NaiveDate>,
) -> Option<ReportedMeeting> {
    let held = sentences.iter().enumerate().find_map(|(i, s)| {
        let held_at = s.text.find(" tổ chức ")?;
        let after = &s.text[held_at + " tổ chức ".len()..];
        let folded = fold(after);
        let title_at = MEETING_WORDS
            .iter()
            .any(|w| folded.starts_with(w))
            .then_some(held_at + " tổ chức ".len())?;
        Some((i, s, held_at, title_at, false))
    });
    // No body "tổ chức" anything: a delegation's visit is the meeting.
    let (index, sentence, held_at, title_at, visit) = held.or_else(|| {
        sentences
            .iter()
            .enumerate()
            .find_map(|(i, s)| delegation_at(&s.text).map(|at| (i, s, at, at, true)))
    })?;
    let text = sentence.text.as_str();
    let before = &text[..held_at];
    // The organisers follow the date phrase: "Sáng ngày 11/7, Ban Dân vận Huyện uỷ"; a
    // delegation names whose it is after itself, which the organisations read anyway.
    let organiser_phrase = if visit {
        ""
    } else {
        before.rsplit(", ").next().unwrap_or(before).trim()
    };
    let held_on = published.and_then(|day| parse_day_month(before, day));
    let rest = text[title_at..].trim_end_matches(['.', '…']).trim();
    let title = capitalise(rest);
    let kind = MeetingKind::of_title(rest);
    let year = held_on.or(published).map(|d| chrono::Datelike::year(&d));
    let mut period = year.and_then(|y| parse_period_in(rest, y));
    let mut period_at = period.map(|_| sentence.clone());
    if period.is_none() {
        // "Theo Báo cáo đề dẫn, giai đoạn 2016-2021, …": the report presented says.
        if let Some((found, at)) = sentences[index..].iter().find_map(|s| {
            let folded = fold(&s.text);
            (folded.starts_with("theo bao cao") || folded.contains("bao cao cho biet"))
                .then(|| {
                    year.and_then(|y| parse_period_in(&s.text, y))
                        .map(|p| (p, s))
                })
                .flatten()
        }) {
            period = Some(found);
            period_at = Some(at.clone());
        }
    }
    let said_in = |person: &NamedPerson, pred: &dyn Fn(&str) -> bool| {
        person
            .mentions
            .iter()
            .any(|m| pred(&fold(&m.text)) && m.paragraph <= sentence.paragraph + 1)
    };
    let chairs: Vec<String> = people
        .iter()
        .filter(|p| said_in(p, &|t| t.contains("chu tri")))
        .map(|p| p.name.clone())
        .collect();
    let attendees: Vec<String> = people
        .iter()
        .filter(|p| !chairs.contains(&p.name))
        .filter(|p| {
            said_in(p, &|t| {
                t.contains("du hoi nghi") || t.contains(" du va ") || t.contains("tham du")
            })
        })
        .map(|p| p.name.clone())
        .collect();
    let attendance_note = sentences.iter().find_map(|s| {
        let folded = fold(&s.text);
        if !(folded.contains("du hoi nghi co") || folded.contains("tham du co")) {
            return None;
        }
        let group = s.text.find("các đồng chí")?;
        Some(s.text[group..].trim_end_matches(['.', '…']).to_owned())
    });
    Some(ReportedMeeting {
        title,
        kind,
        held_on,
        organisers: organisers(organiser_phrase),
        chairs,
        attendees,
        attendance_note,
        period,
        period_at,
        tasks: tasks(&sentences[index + 1..]),
        at: sentence.clone(),
    })
}

/// The tasks the meeting set: what its closing speech asks for ("đề nghị: …; …"), each
/// clause a task, then the rest of that paragraph.
fn tasks(sentences: &[SentenceRef]) -> Vec<(String, SentenceRef)> {
    let mut tasks = Vec::new();
    let mut in_paragraph = None;
    for sentence in sentences {
        let text = sentence.text.as_str();
        let asked = ["đề nghị", "yêu cầu"]
            .iter()
            .find_map(|w| text.find(w).map(|at| at + w.len()));
        let from = match (asked, in_paragraph) {
            (Some(at), _) => {
                in_paragraph = Some(sentence.paragraph);
                at
            }
            (None, Some(p)) if p == sentence.paragraph => 0,
            _ => {
                in_paragraph = None;
                continue;
            }
        };
        for clause in text[from..].split(';') {
            let clause = clause
                .trim_start_matches([':', ',', ' '])
                .trim_end_matches(['.', '…', '/', ' ']);
            if clause.split(' ').count() >= 4 {
                tasks.push((capitalise(clause), sentence.clone()));
            }
        }
    }
    tasks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_organisers_is_scoped_by_its_last_place_word() {
        assert_eq!(
            organisers(
                "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở và Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh"
            ),
            [
                "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh",
                "Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh"
            ]
        );
        assert_eq!(
            organisers("Ban Chỉ đạo xây dựng cơ sở và thực hiện quy chế dân chủ tỉnh Thanh Hóa"),
            ["Ban Chỉ đạo xây dựng cơ sở và thực hiện quy chế dân chủ tỉnh Thanh Hóa"]
        );
    }
}
