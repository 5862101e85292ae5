//! The project's own fixture pages (`tests/fixtures/pages`), written in the style of the
//! portals: every date form, byline form and figure form, as text and as HTML.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_domain::document::DocumentKind;
use danvan_domain::meeting::MeetingKind;
use danvan_domain::organisation::OrganisationKind;
use danvan_ingest::extract::{OrganisationRole, Places};
use danvan_ingest::{Extraction, PageArticle, RawPage, extract, read_page};
use danvan_text::parse::{Bound, PeriodText};

fn fixture(name: &str) -> (PageArticle, Extraction) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/pages")
        .join(name);
    let page = RawPage::from_bytes(&std::fs::read(path).unwrap()).unwrap();
    let article = read_page(&page);
    let extraction = extract(&article, Places::default());
    (article, extraction)
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A figure as (value, whole, bound, unit, period).
type Figure<'a> = (f64, Option<f64>, Bound, &'a str, Option<PeriodText>);

fn figures(e: &Extraction) -> Vec<Figure<'_>> {
    e.figures
        .iter()
        .map(|f| {
            let q = f.figure.quantity;
            (
                q.value,
                q.denominator,
                q.bound,
                f.figure.unit.as_str(),
                f.period,
            )
        })
        .collect()
}

/// Dotted date with seconds; a byline with the source in brackets; a header that names the
/// district in lower case; "Hơn 200" and a recognised count; an abbreviated post scoped by
/// the next one.
#[test]
fn a_district_page_with_a_dotted_date() {
    let (page, e) = fixture("01-so-ket-phu-thinh.txt");
    assert_eq!(
        page.title,
        "Ban Dân vận Huyện ủy Phú Thịnh sơ kết công tác dân vận 6 tháng đầu năm 2024"
    );
    assert_eq!(
        page.published.unwrap().local().to_string(),
        "2024-05-14 08:15:02"
    );
    assert_eq!(page.view_count, Some(512));
    assert_eq!(page.authors[0].name, "Minh Châu");
    assert_eq!(page.source.as_deref(), Some("phuthinh.example.vn"));
    assert_eq!(
        page.captions,
        ["Đồng chí Hà Minh Đức phát biểu tại hội nghị"]
    );
    assert_eq!(e.places.district.as_deref(), Some("Phú Thịnh"));
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::InterimReview);
    assert_eq!(meeting.held_on, Some(day(2024, 5, 14)));
    assert_eq!(meeting.chairs, ["Hà Minh Đức"]);
    assert_eq!(meeting.period, Some(PeriodText::HalfYear(2024, 1)));
    assert_eq!(meeting.tasks.len(), 2);
    let posts: Vec<&str> = e.people[0]
        .positions
        .iter()
        .map(|p| p.printed.as_str())
        .collect();
    assert_eq!(
        posts,
        [
            "Ủy viên Ban Thường vụ Huyện ủy",
            "Trưởng Ban Dân vận Huyện ủy"
        ]
    );
    let half = Some(PeriodText::HalfYear(2024, 1));
    assert_eq!(
        figures(&e),
        [
            (12.0, None, Bound::Exact, "văn bản", half),
            (200.0, None, Bound::MoreThan, "mô hình", half),
            (36.0, None, Bound::Exact, "mô hình", half),
        ]
    );
    assert_eq!(e.figures[2].figure.indicator.key, "dvk.models_recognised");
    let names: Vec<&str> = e
        .organisations
        .iter()
        .map(|o| o.body.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Huyện ủy Phú Thịnh",
            "Ban Dân vận Huyện ủy Phú Thịnh",
            "Ban Thường vụ Huyện ủy Phú Thịnh"
        ]
    );
}

/// Dashed date; two authors; a "Nguồn:" line; keywords on the "Từ khóa" line; a fraction
/// with a rate, "khoảng 35"; a cited conclusion with issuer and title; a year reviewed.
#[test]
fn a_provincial_page_with_a_dashed_date() {
    let (page, e) = fixture("02-chuyen-de-lam-son.txt");
    assert_eq!(
        page.published.unwrap().local().to_string(),
        "2024-03-05 10:20:00"
    );
    let authors: Vec<&str> = page.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(authors, ["Hải Yến", "Quốc Bảo"]);
    assert_eq!(page.source.as_deref(), Some("Baolamson.example.vn"));
    assert_eq!(page.keywords, ["Quy chế dân chủ", "Đối thoại"]);
    assert_eq!(e.places.province.as_deref(), Some("Lam Sơn"));
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::Thematic);
    assert_eq!(meeting.attendees, ["Vũ Thị Lan"]);
    assert_eq!(
        meeting.attendance_note.as_deref(),
        Some("các đồng chí thành viên Ban Chỉ đạo tỉnh")
    );
    assert_eq!(meeting.period, Some(PeriodText::Year(2023)));
    let year = Some(PeriodText::Year(2023));
    assert_eq!(
        figures(&e),
        [
            (846.0, Some(900.0), Bound::Exact, "đơn", year),
            (94.0, None, Bound::MoreThan, "%", year),
            (35.0, None, Bound::About, "cuộc đối thoại", year),
        ]
    );
    assert_eq!(
        e.figures[1].figure.indicator.key,
        "complaints.resolved_rate"
    );
    let document = &e.documents[0];
    assert_eq!(document.code, "120-KL/TW");
    assert_eq!(document.kind, DocumentKind::Conclusion);
    assert_eq!(document.issuer.as_deref(), Some("Bộ Chính trị"));
    let organisations: Vec<(&str, Option<&str>)> = e
        .organisations
        .iter()
        .map(|o| {
            (
                o.body.name.as_str(),
                o.body.parent.as_ref().map(|p| p.name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        organisations,
        [
            ("Tỉnh ủy Lam Sơn", None),
            (
                "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh Lam Sơn",
                Some("Tỉnh ủy Lam Sơn")
            ),
            ("Ủy ban nhân dân tỉnh Lam Sơn", None),
        ]
    );
}

/// A weekday date with "[GMT+7]"; a "Theo" source line; a byline with its organisation;
/// a word broken across lines and a no-break space; posts printed before the name; "ít
/// nhất 40"; a title that starts like a visitor counter ("Tổng …") is still the title.
#[test]
fn a_television_page_with_posts_before_a_name() {
    let (page, e) = fixture("03-tong-ket-mat-tran.txt");
    assert_eq!(page.title, "Tổng kết công tác Mặt trận năm 2023");
    assert_eq!(
        page.published.unwrap().local().to_string(),
        "2024-01-12 15:30:00"
    );
    assert_eq!(page.source.as_deref(), Some("Bản tin Thời sự/PTTV"));
    assert_eq!(
        page.authors[0].organisation.as_deref(),
        Some("Trung tâm VHTT&TT")
    );
    assert!(
        page.body
            .iter()
            .any(|p| p.contains("ít nhất 40 lượt") && p.contains("Ủy viên Ban Thường vụ"))
    );
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::FinalReview);
    assert_eq!(meeting.organisers, ["Ủy ban MTTQ huyện Phú Thịnh"]);
    assert_eq!(meeting.chairs, ["Đinh Thị Mai"]);
    assert_eq!(meeting.attendees, ["Lương Văn Tâm"]);
    assert_eq!(meeting.period, Some(PeriodText::Year(2023)));
    assert_eq!(
        figures(&e),
        [(
            40.0,
            None,
            Bound::AtLeast,
            "lượt",
            Some(PeriodText::Year(2023))
        )]
    );
    let centre = e
        .organisations
        .iter()
        .find(|o| o.role == OrganisationRole::Byline)
        .unwrap();
    assert_eq!(
        centre.body.name,
        "Trung tâm Văn hóa, Thông tin và Thể thao huyện Phú Thịnh"
    );
    assert_eq!(centre.body.kind, OrganisationKind::StateAgency);
}

/// A saved HTML page: chrome dropped, the caption from its figcaption, keywords from the
/// meta tag, the canonical address; a commune from the text.
#[test]
fn a_saved_html_page() {
    let (page, e) = fixture("04-ra-mat-to-hoa-giai.html");
    assert_eq!(page.title, "Xã Yên Bình ra mắt tổ hòa giải kiểu mẫu");
    assert_eq!(page.published.unwrap().date, day(2024, 12, 2));
    assert_eq!(
        page.lead,
        "Sáng 2/12, Ủy ban MTTQ xã Yên Bình tổ chức ra mắt tổ hòa giải kiểu mẫu ở thôn Đồng Tâm."
    );
    assert_eq!(
        page.captions,
        ["Các thành viên tổ hòa giải nhận quyết định thành lập."]
    );
    assert_eq!(page.keywords, ["hòa giải cơ sở", "Dân vận khéo"]);
    assert_eq!(page.authors[0].name, "Quốc Toản");
    assert!(
        page.canonical_url
            .as_deref()
            .unwrap()
            .ends_with("ra-mat-to-hoa-giai-kieu-mau")
    );
    assert!(
        !page
            .body
            .iter()
            .any(|p| p.contains("Trang chủ") || p.contains("dataLayer"))
    );
    assert_eq!(e.places.commune.as_deref(), Some("Yên Bình"));
    assert_eq!(
        figures(&e),
        [(
            18.0,
            None,
            Bound::Exact,
            "vụ việc",
            Some(PeriodText::Year(2024))
        )]
    );
}

/// Bad input gets a clear error at the door.
#[test]
fn bad_input_is_refused_with_a_reason() {
    use danvan_ingest::{IngestError, MAX_PAGE_BYTES};
    assert_eq!(RawPage::from_bytes(b"\n \n"), Err(IngestError::Empty));
    assert_eq!(
        RawPage::from_bytes(b"\x89PNG\0\0"),
        Err(IngestError::Binary)
    );
    let cp1258 = b"H\xf4\xf2i nghi\xf2 s\xf5 k\xeat d\xe2n v\xe2\xf2n";
    assert_eq!(
        RawPage::from_bytes(cp1258),
        Err(IngestError::NotUtf8 {
            encoding: Some("Windows-1258")
        })
    );
    let big = "Dân vận khéo. ".repeat(MAX_PAGE_BYTES / 10);
    assert!(matches!(
        RawPage::from_bytes(big.as_bytes()),
        Err(IngestError::TooLarge { .. })
    ));
}

/// Every kind of meeting the portals report is told from its page
/// (`tests/fixtures/meetings`), with its day.
#[test]
fn every_kind_of_meeting_is_told() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/meetings");
    for (file, kind, held_on) in [
        ("briefing.txt", MeetingKind::Briefing, day(2025, 10, 9)),
        (
            "anniversary.txt",
            MeetingKind::Anniversary,
            day(2025, 10, 15),
        ),
        (
            "commendation.txt",
            MeetingKind::Commendation,
            day(2025, 12, 12),
        ),
        (
            "committee.txt",
            MeetingKind::CommitteeSession,
            day(2025, 7, 7),
        ),
        (
            "dissemination.txt",
            MeetingKind::Dissemination,
            day(2025, 3, 18),
        ),
        ("training.txt", MeetingKind::Training, day(2025, 4, 24)),
        ("dialogue.txt", MeetingKind::Dialogue, day(2025, 6, 14)),
        ("voters.txt", MeetingKind::VoterMeeting, day(2025, 6, 25)),
        (
            "signing.txt",
            MeetingKind::AgreementSigning,
            day(2025, 3, 3),
        ),
        ("inspection.txt", MeetingKind::Inspection, day(2025, 5, 20)),
        (
            "recognition.txt",
            MeetingKind::Recognition,
            day(2025, 11, 21),
        ),
    ] {
        let page = RawPage::from_bytes(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        let e = extract(&read_page(&page), Places::default());
        let meeting = e.meeting.unwrap_or_else(|| panic!("{file}: no meeting"));
        assert_eq!(
            (meeting.kind, meeting.held_on),
            (kind, Some(held_on)),
            "{file}: {}",
            meeting.title
        );
    }
}
