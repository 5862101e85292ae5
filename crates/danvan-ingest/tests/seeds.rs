//! The portal pages in `../shared/seeds`, read as a careful reader reads them.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_ingest::{PageArticle, RawPage, read_text_page};

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
            (95.0, None, Bound::Exact, "cuộc đối".to_owned()),
            (1272.0, Some(1337.0), Bound::Exact, "đơn khiếu".to_owned()),
            (95.0, None, Bound::MoreThan, "%".to_owned()),
        ]
    );
    let tv = summary("000_").unwrap();
    assert!(
        tv.contains(&(1000.0, None, Bound::MoreThan, "mô hình".to_owned())),
        "{tv:?}"
    );
}
