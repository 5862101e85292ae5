//! The portal pages in `../shared/seeds`, read as a careful reader reads them.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_domain::meeting::MeetingKind;
use danvan_domain::organisation::OrganisationKind;
use danvan_ingest::extract::{OrganisationRole, Places, SentenceRef};
use danvan_ingest::{Extraction, PageArticle, RawPage, extract, read_text_page};
use danvan_text::parse::{Bound, PeriodText};

/// The seed page whose name starts with `prefix`, or `None` (with a message) when the seeds
/// are absent; in CI they are always there.
fn seed(prefix: &str) -> Option<PageArticle> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent in CI",
            dir.display()
        );
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    };
    let path = entries
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    let page = RawPage::from_bytes(&std::fs::read(path).unwrap()).unwrap();
    Some(read_text_page(&page))
}

fn names(page: &PageArticle) -> Vec<(&str, Option<&str>)> {
    page.authors
        .iter()
        .map(|a| (a.name.as_str(), a.organisation.as_deref()))
        .collect()
}

fn text(page: &PageArticle) -> String {
    std::iter::once(page.lead.as_str())
        .chain(page.body.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn seed_000_a_provincial_tv_page() {
    let Some(page) = seed("000_") else { return };
    assert_eq!(
        page.title,
        "Sơ kết thực hiện quy chế dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo”"
    );
    let published = page.published.unwrap();
    assert_eq!(published.local().to_string(), "2020-06-30 16:45:14");
    assert_eq!(page.view_count, Some(328));
    assert!(
        page.lead
            .starts_with("Sáng 30/6, Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở")
    );
    assert_eq!(names(&page), [("Phương Nhung", None)]);
    assert_eq!(page.source.as_deref(), Some("nbtv.vn"));
    let body = text(&page);
    assert!(body.contains("Hơn 1000 mô hình, điển hình “Dân vận khéo”"));
    assert!(body.ends_with("tạo sức lan tỏa trong đời sống xã hội./."));
    for furniture in ["Từ khóa", "Ý kiến", "500 ký tự", "Đang tải dữ liệu"] {
        assert!(!body.contains(furniture), "{furniture}");
    }
}

#[test]
fn seed_001_a_district_page_with_a_site_header() {
    let Some(page) = seed("001_") else { return };
    assert_eq!(
        page.title,
        "Ban Dân vận Huyện uỷ tổ chức sơ kết công tác Dân vận 6 tháng đầu năm, triển khai nhiệm vụ trọng tâm 6 tháng cuối năm 2023"
    );
    assert_eq!(page.published.unwrap().date.to_string(), "2023-07-11");
    assert!(page.published.unwrap().time.is_none());
    assert_eq!(names(&page), [("Hồng Hạ", Some("Trung tâm VHTT&TT"))]);
    assert!(page.source.is_none());
    assert!(
        page.lead
            .starts_with("Sáng ngày 11/7, Ban Dân vận Huyện uỷ tổ chức Hội nghị sơ kết")
    );
    // Odd spaces are gone, and the spelling stays as written.
    assert!(page.lead.contains("công tác Dân vận và các Ban chỉ đạo"));
    assert_eq!(page.body.len(), 3);
    assert!(!text(&page).contains("Bài viết khác"));
    assert!(!page.title.contains("CHÀO MỪNG"));
}

#[test]
fn seed_002_a_page_without_a_date_and_a_visitor_counter() {
    let Some(page) = seed("002_") else { return };
    assert_eq!(
        page.title,
        "Đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” trên địa bàn tỉnh"
    );
    assert!(page.published.is_none());
    assert_eq!(names(&page), [("Lê Trang", None)]);
    let body = text(&page);
    assert!(body.contains("Nghị quyết số 25-NQ/TW"));
    assert!(
        body.contains("công tác lãnh đao, chỉ đạo"),
        "typos are kept as written"
    );
    for furniture in [
        "Go top",
        "bình chọn",
        "Thống kê truy cập",
        "Khách",
        "79935807",
    ] {
        assert!(!body.contains(furniture), "{furniture}");
    }
    assert!(page.captions.is_empty(), "{:?}", page.captions);
}

#[test]
fn seed_003_captions_and_a_word_broken_across_lines() {
    let Some(page) = seed("003_") else { return };
    assert_eq!(
        page.title,
        "Hội nghị chuyên đề nâng cao hiệu quả công tác dân vận tại Đảng ủy khối các cơ quan tỉnh"
    );
    assert_eq!(
        page.published.unwrap().local().to_string(),
        "2022-08-23 16:13:00"
    );
    assert_eq!(
        page.captions,
        [
            "Đồng chí Bí thư Đảng ủy Khối các cơ quan tỉnh phát biểu khai mạc hội nghị",
            "Đại diện Văn phòng Đoàn ĐBQH và HĐND tỉnh chia sẻ kinh nghiệm, giải pháp trong công tác dân vận",
            "Đồng chí Giáp Thị Bắc, Ủy viên Ban thường vụ Tỉnh ủy,Trưởng ban Dân vận Tỉnh ủy phát biểu chỉ đạo tại hội nghị",
        ]
    );
    assert_eq!(page.source.as_deref(), Some("Baolangson.vn"));
    assert!(page.authors.is_empty());
    let body = text(&page);
    assert!(body.contains("1.272/1.337 đơn khiếu nại, tố cáo, đạt trên 95%"));
    assert!(!body.contains("Tin liên quan"));
    assert!(!body.contains("Hoạt động Đảng ủy Khối các cơ quan tỉnh Lạng Sơn"));
}

#[test]
fn every_seed_becomes_valid_article_data() {
    for prefix in ["000_", "001_", "002_", "003_", "004_"] {
        let Some(page) = seed(prefix) else { return };
        let data = page.to_article_data(danvan_domain::SiteId(1)).unwrap();
        assert_eq!(
            data.fingerprint.as_deref(),
            Some(page.fingerprint().as_str())
        );
        assert_eq!(data.images.len(), page.captions.len());
        assert_eq!(
            data.published_at.is_some(),
            page.published.is_some(),
            "{prefix}"
        );
    }
}

#[test]
fn seed_004_two_authors_and_a_source_line() {
    let Some(page) = seed("004_") else { return };
    assert_eq!(
        page.title,
        "Triển khai nhiệm vụ xây dựng cơ sở và thực hiện quy chế dân chủ năm 2021"
    );
    assert_eq!(
        page.published.unwrap().local().to_string(),
        "2021-01-13 19:45:00"
    );
    assert_eq!(names(&page), [("Cẩm Tú", None), ("Đức Tình", None)]);
    assert_eq!(page.source.as_deref(), Some("Bản tin Thời sự Tối/TTV"));
    assert!(page.lead.starts_with("(TTV) - Sáng ngày 13/1"));
    assert_eq!(page.body.len(), 2);
    assert!(!text(&page).contains("Banner"));
}

fn paragraphs(page: &PageArticle) -> Vec<String> {
    std::iter::once(page.lead.clone())
        .chain(page.body.iter().cloned())
        .collect()
}

#[test]
fn documents_cited_by_the_seed_pages() {
    use danvan_domain::document::DocumentKind;
    use danvan_ingest::extract::{cited_documents, sentences};
    let Some(page) = seed("002_") else { return };
    let found = cited_documents(&sentences(&paragraphs(&page)));
    let codes: Vec<(&str, DocumentKind)> =
        found.iter().map(|d| (d.code.as_str(), d.kind)).collect();
    assert_eq!(
        codes,
        [
            ("25-NQ/TW", DocumentKind::Resolution),
            ("05-CT/TW", DocumentKind::Directive)
        ]
    );
    assert!(
        found[0]
            .at
            .text
            .contains("Nghị quyết số 25-NQ/TW của BCH TW Đảng khoá XI")
    );
}

#[test]
fn figures_stated_by_the_seed_pages() {
    use danvan_ingest::extract::{sentences, stated_figures};
    use danvan_text::parse::Bound;
    type Figure = (f64, Option<f64>, Bound, String);
    let summary = |prefix: &str| -> Option<Vec<Figure>> {
        let page = seed(prefix)?;
        Some(
            stated_figures(&sentences(&paragraphs(&page)))
                .into_iter()
                .map(|f| {
                    (
                        f.quantity.value,
                        f.quantity.denominator,
                        f.quantity.bound,
                        f.unit,
                    )
                })
                .collect(),
        )
    };
    let Some(meeting) = summary("003_") else {
        return;
    };
    assert_eq!(
        meeting,
        [
            (23.0, None, Bound::Exact, "văn bản".to_owned()),
            (50.0, None, Bound::Exact, "mô hình".to_owned()),
            (19.0, None, Bound::Exact, "mô hình".to_owned()),
            (95.0, None, Bound::Exact, "văn bản".to_owned()),
            (95.0, None, Bound::Exact, "cuộc đối thoại".to_owned()),
            (1272.0, Some(1337.0), Bound::Exact, "đơn".to_owned()),
            (95.0, None, Bound::MoreThan, "%".to_owned()),
        ]
    );
    let tv = summary("000_").unwrap();
    assert!(
        tv.contains(&(1000.0, None, Bound::MoreThan, "mô hình".to_owned())),
        "{tv:?}"
    );
}

fn extraction(prefix: &str) -> Option<(PageArticle, Extraction)> {
    let page = seed(prefix)?;
    let extraction = extract(&page, Places::default());
    Some((page, extraction))
}

/// A post as (title, organisation).
type Post<'a> = (&'a str, Option<&'a str>);

fn people(e: &Extraction) -> Vec<(&str, Vec<Post<'_>>)> {
    e.people
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.positions
                    .iter()
                    .map(|pos| (pos.title.as_str(), pos.organisation.as_deref()))
                    .collect(),
            )
        })
        .collect()
}

fn organisations(e: &Extraction) -> Vec<(&str, OrganisationKind, Option<&str>)> {
    e.organisations
        .iter()
        .map(|o| {
            (
                o.body.name.as_str(),
                o.body.kind,
                o.body.parent.as_ref().map(|p| p.name.as_str()),
            )
        })
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every item points to a sentence the article really has.
fn pointers_hold(page: &PageArticle, e: &Extraction) {
    let paragraphs = paragraphs(page);
    let mut refs: Vec<&SentenceRef> = Vec::new();
    refs.extend(e.meeting.iter().map(|m| &m.at));
    refs.extend(e.meeting.iter().flat_map(|m| m.tasks.iter().map(|t| &t.1)));
    refs.extend(e.people.iter().flat_map(|p| &p.mentions));
    refs.extend(
        e.people
            .iter()
            .flat_map(|p| p.positions.iter().map(|x| &x.at)),
    );
    refs.extend(e.figures.iter().map(|f| &f.figure.at));
    refs.extend(e.documents.iter().map(|d| &d.at));
    refs.extend(e.campaigns.iter().map(|c| &c.at));
    for at in refs {
        assert!(
            paragraphs[at.paragraph].contains(&at.text),
            "{at:?} is not in paragraph {}",
            at.paragraph
        );
    }
}

#[test]
fn seed_000_extraction() {
    let Some((page, e)) = extraction("000_") else {
        return;
    };
    pointers_hold(&page, &e);
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::InterimReview);
    assert_eq!(meeting.held_on, Some(date(2020, 6, 30)));
    assert_eq!(
        meeting.title,
        "Hội nghị sơ kết 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2020"
    );
    assert_eq!(
        meeting.organisers,
        [
            "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh",
            "Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh"
        ]
    );
    assert_eq!(meeting.chairs, ["Trần Hồng Quảng"]);
    assert_eq!(meeting.period, Some(PeriodText::HalfYear(2020, 1)));
    assert!(
        meeting.tasks[0]
            .0
            .starts_with("Trong 6 tháng cuối năm, các cấp ủy, chính quyền tiếp tục")
    );
    assert!(
        meeting
            .tasks
            .iter()
            .any(|t| t.0 == "Kịp thời phát hiện, xử lý những biểu hiện mất dân chủ")
    );
    assert_eq!(
        people(&e),
        [(
            "Trần Hồng Quảng",
            vec![
                ("Phó Bí thư Thường trực", Some("Tỉnh ủy")),
                ("Chủ tịch", Some("Hội đồng nhân dân tỉnh")),
                ("Trưởng", None),
            ]
        )]
    );
    // Named in the lead, in the closing speech and once with his posts before the name.
    assert_eq!(e.people[0].mentions.len(), 3);
    let figure = &e.figures[0];
    assert_eq!(e.figures.len(), 1);
    assert_eq!(
        (figure.figure.quantity.value, figure.figure.quantity.bound),
        (1000.0, Bound::MoreThan)
    );
    assert_eq!(figure.figure.indicator.key, "dvk.models");
    assert_eq!(figure.period, Some(PeriodText::HalfYear(2020, 1)));
    assert!(e.documents.is_empty());
    let campaigns: Vec<&str> = e.campaigns.iter().map(|c| c.full_name.as_str()).collect();
    assert_eq!(campaigns, ["Phong trào thi đua “Dân vận khéo”"]);
    // The caption glued to the closing speech is a caption again.
    assert!(
        page.captions
            .iter()
            .any(|c| c.ends_with("phát biểu kết luận hội nghị"))
    );
    assert!(
        page.body
            .iter()
            .any(|p| p.starts_with("Phát biểu kết luận hội nghị, đồng chí"))
    );
}

#[test]
fn seed_001_extraction() {
    let Some((page, e)) = extraction("001_") else {
        return;
    };
    pointers_hold(&page, &e);
    assert_eq!(e.places.district.as_deref(), Some("Gia Viễn"));
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::InterimReview);
    assert_eq!(meeting.held_on, Some(date(2023, 7, 11)));
    assert_eq!(meeting.organisers, ["Ban Dân vận Huyện uỷ"]);
    assert_eq!(meeting.period, Some(PeriodText::HalfYear(2023, 1)));
    assert_eq!(meeting.attendees, ["Đặng Thanh Bình", "Nguyễn Mạnh Hùng"]);
    assert!(meeting.chairs.is_empty());
    assert!(
        meeting.attendance_note.as_deref().unwrap().starts_with(
            "các đồng chí Thành viên các Ban Chỉ đạo, đại biểu Lãnh đạo Công an huyện"
        )
    );
    assert_eq!(meeting.tasks.len(), 6);
    assert_eq!(
        meeting.tasks[5].0,
        "Nắm chắc tình hình nhân dân, tình hình dân tộc, tôn giáo"
    );
    assert_eq!(
        people(&e),
        [
            (
                "Đặng Thanh Bình",
                vec![
                    ("Ủy viên", Some("Ban Thường vụ Huyện ủy")),
                    ("Trưởng Ban", Some("Ban Dân vận Huyện ủy")),
                ]
            ),
            (
                "Nguyễn Mạnh Hùng",
                vec![
                    ("Ủy viên", Some("Ban Thường vụ Huyện ủy")),
                    ("Trưởng Ban", Some("Ban Tuyên giáo Huyện ủy")),
                    ("Giám đốc", Some("Trung tâm Chính trị huyện")),
                ]
            ),
        ]
    );
    use OrganisationKind::*;
    assert_eq!(
        organisations(&e),
        [
            ("Huyện ủy Gia Viễn", PartyCommittee, None),
            (
                "Ban Dân vận Huyện ủy Gia Viễn",
                PartyBoard,
                Some("Huyện ủy Gia Viễn")
            ),
            (
                "Ban Thường vụ Huyện ủy Gia Viễn",
                StandingCommittee,
                Some("Huyện ủy Gia Viễn")
            ),
            (
                "Ban Tuyên giáo Huyện ủy Gia Viễn",
                PartyBoard,
                Some("Huyện ủy Gia Viễn")
            ),
            ("Ủy ban nhân dân huyện Gia Viễn", PeoplesCommittee, None),
            (
                "Trung tâm Chính trị huyện Gia Viễn",
                StateAgency,
                Some("Ủy ban nhân dân huyện Gia Viễn")
            ),
            (
                "Trung tâm Văn hóa, Thông tin và Thể thao huyện Gia Viễn",
                StateAgency,
                Some("Ủy ban nhân dân huyện Gia Viễn")
            ),
        ]
    );
    assert_eq!(e.organisations[1].role, OrganisationRole::Organiser);
    assert_eq!(e.organisations[6].role, OrganisationRole::Byline);
    assert_eq!(
        e.organisations[6].body.abbreviation.as_deref(),
        Some("Trung tâm VHTT&TT")
    );
    assert!(e.figures.is_empty());
    let campaigns: Vec<&str> = e.campaigns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(campaigns, ["Dân vận khéo"]);
}

#[test]
fn seed_002_extraction() {
    let Some((page, e)) = extraction("002_") else {
        return;
    };
    pointers_hold(&page, &e);
    assert!(e.meeting.is_none());
    assert!(e.people.is_empty());
    assert!(e.figures.is_empty(), "{:?}", e.figures);
    let documents: Vec<(&str, Option<&str>, Option<&str>)> = e
        .documents
        .iter()
        .map(|d| (d.code.as_str(), d.issuer.as_deref(), d.title.as_deref()))
        .collect();
    assert_eq!(
        documents,
        [
            (
                "25-NQ/TW",
                Some("Ban Chấp hành Trung ương Đảng khóa XI"),
                Some(
                    "Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới"
                )
            ),
            (
                "05-CT/TW",
                Some("Bộ Chính trị"),
                Some("Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
            ),
        ]
    );
    let campaigns: Vec<&str> = e.campaigns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        campaigns,
        [
            "Dân vận khéo",
            "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"
        ]
    );
}

#[test]
fn seed_003_extraction() {
    let Some((page, e)) = extraction("003_") else {
        return;
    };
    pointers_hold(&page, &e);
    assert_eq!(e.places.province.as_deref(), Some("Lạng Sơn"));
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::Thematic);
    assert_eq!(meeting.held_on, Some(date(2022, 8, 23)));
    assert_eq!(meeting.organisers, ["Đảng ủy Khối các cơ quan tỉnh"]);
    assert_eq!(meeting.period, Some(PeriodText::Phase(2016, 2021)));
    assert!(
        meeting
            .period_at
            .as_ref()
            .unwrap()
            .text
            .starts_with("Theo Báo cáo đề dẫn")
    );
    assert_eq!(meeting.attendees, ["Giáp Thị Bắc"]);
    assert_eq!(meeting.tasks.len(), 7);
    assert_eq!(
        people(&e),
        [(
            "Giáp Thị Bắc",
            vec![
                ("Ủy viên", Some("Ban Thường vụ Tỉnh ủy")),
                ("Trưởng Ban", Some("Ban Dân vận Tỉnh ủy")),
            ]
        )]
    );
    use OrganisationKind::*;
    assert_eq!(
        organisations(&e),
        [
            ("Tỉnh ủy Lạng Sơn", PartyCommittee, None),
            (
                "Đảng ủy Khối các cơ quan tỉnh Lạng Sơn",
                PartyBloc,
                Some("Tỉnh ủy Lạng Sơn")
            ),
            (
                "Ban Thường vụ Tỉnh ủy Lạng Sơn",
                StandingCommittee,
                Some("Tỉnh ủy Lạng Sơn")
            ),
            (
                "Ban Dân vận Tỉnh ủy Lạng Sơn",
                PartyBoard,
                Some("Tỉnh ủy Lạng Sơn")
            ),
        ]
    );
    let figures: Vec<(f64, Option<f64>, Bound, &str, &str)> = e
        .figures
        .iter()
        .map(|f| {
            let q = f.figure.quantity;
            (
                q.value,
                q.denominator,
                q.bound,
                f.figure.indicator.key.as_str(),
                f.figure.wording.as_str(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (
                23.0,
                None,
                Bound::Exact,
                "documents.issued",
                "ban hành 23 văn bản chỉ đạo, hướng dẫn"
            ),
            (
                50.0,
                None,
                Bound::Exact,
                "dvk.models_built",
                "Trong giai đoạn có 50 mô hình “Dân vận khéo” đã được xây dựng"
            ),
            (
                19.0,
                None,
                Bound::Exact,
                "dvk.models_recognised",
                "trong đó có 19 mô hình được Ban Thường vụ Đảng ủy Khối ra quyết định công nhận"
            ),
            (
                95.0,
                None,
                Bound::Exact,
                "documents.issued",
                "đơn vị đã ban hành 95 văn bản chỉ đạo, triển khai thực hiện các chủ trương, Nghị quyết của Đảng, Nhà nước về công tác dân vận"
            ),
            (
                95.0,
                None,
                Bound::Exact,
                "dialogues.held",
                "tổ chức 95 cuộc đối thoại giữa người đứng đầu cơ quan nhà nước với Nhân dân"
            ),
            (
                1272.0,
                Some(1337.0),
                Bound::Exact,
                "complaints.resolved",
                "giải quyết 1.272/1.337 đơn khiếu nại"
            ),
            (
                95.0,
                None,
                Bound::MoreThan,
                "complaints.resolved_rate",
                "đạt trên 95%"
            ),
        ]
    );
    assert!(
        e.figures
            .iter()
            .all(|f| f.period == Some(PeriodText::Phase(2016, 2021)))
    );
}

#[test]
fn seed_004_extraction() {
    let Some((page, e)) = extraction("004_") else {
        return;
    };
    pointers_hold(&page, &e);
    assert_eq!(e.places.province.as_deref(), Some("Thanh Hóa"));
    let meeting = e.meeting.as_ref().unwrap();
    assert_eq!(meeting.kind, MeetingKind::FinalReview);
    assert_eq!(meeting.held_on, Some(date(2021, 1, 13)));
    assert_eq!(
        meeting.title,
        "Hội nghị tổng kết công tác năm 2020, triển khai nhiệm vụ năm 2021"
    );
    assert_eq!(
        meeting.organisers,
        ["Ban Chỉ đạo xây dựng cơ sở và thực hiện quy chế dân chủ tỉnh Thanh Hóa"]
    );
    assert_eq!(meeting.chairs, ["Trịnh Tuấn Sinh"]);
    assert_eq!(meeting.period, Some(PeriodText::Year(2020)));
    assert_eq!(
        meeting.attendance_note.as_deref(),
        Some("các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy, thành viên Ban Chỉ đạo")
    );
    assert_eq!(meeting.tasks.len(), 7);
    assert_eq!(e.people.len(), 1);
    assert_eq!(e.people[0].name, "Trịnh Tuấn Sinh");
    // Named twice with his posts (once with a typo, "cơ cở"): two posts, not three.
    assert_eq!(e.people[0].positions.len(), 2);
    use OrganisationKind::*;
    assert_eq!(
        organisations(&e),
        [
            ("Tỉnh ủy Thanh Hóa", PartyCommittee, None),
            (
                "Ban Chỉ đạo xây dựng cơ sở và thực hiện quy chế dân chủ tỉnh Thanh Hóa",
                SteeringCommittee,
                Some("Tỉnh ủy Thanh Hóa")
            ),
        ]
    );
    // "6 nhóm nhiệm vụ" is not a report figure.
    assert!(e.figures.is_empty());
}
