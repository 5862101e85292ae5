//! The relevance test set: a small corpus in the style of the portals and the queries a
//! Vietnamese reader types, with the results a careful reader expects, through the real
//! GraphQL endpoint, on SQLite and PostgreSQL alike.

use crate::helpers::{TestApp, error_code};
use chrono::{Duration, Utc};
use danvan_domain::admin_unit::{AdminLevel, AdminUnitData, Succession, SuccessionKind};
use danvan_domain::article::{ArticleData, ArticleStatus};
use danvan_domain::meeting::{MeetingData, MeetingKind};
use danvan_domain::model::{DvkField, DvkModelData};
use danvan_domain::organisation::{OrganisationData, OrganisationKind, OrganisationLevel};
use danvan_domain::person::PersonData;
use danvan_domain::site::SiteData;
use danvan_domain::{Body, Name, Slug, Title};
use danvan_store::DatabaseConnection;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

/// Articles of the main site: title, body, days ago. The newest is listed first.
const ARTICLES: [(&str, &str); 24] = [
    (
        "Sơ kết phong trào thi đua “Dân vận khéo” 6 tháng đầu năm",
        "Ban Dân vận Huyện uỷ tổ chức hội nghị sơ kết.",
    ),
    (
        "Nhân dân tích cực tham gia hiến đất làm đường",
        "Nhân dân trong thôn tích cực tham gia, cán bộ vận động từng hộ.",
    ),
    (
        "Hội nghị tổng kết công tác dân vận năm 2023",
        "Đánh giá kết quả công tác dân vận của hệ thống chính trị.",
    ),
    (
        "Ủy ban MTTQ xã đối thoại với Nhân dân",
        "Ủy ban Mặt trận Tổ quốc xã tổ chức đối thoại về giải phóng mặt bằng.",
    ),
    (
        "Uỷ ban nhân dân huyện tiếp công dân định kỳ",
        "Uỷ ban nhân dân huyện tiếp công dân vào ngày 15 hằng tháng.",
    ),
    (
        "Bàn giải pháp nâng cao chất lượng dân vận chính quyền",
        "Các đại biểu thảo luận về công tác dân vận chính quyền.",
    ),
    (
        "Chợ phiên bán hàng nông sản của hội viên",
        "Hội viên nông dân bán hàng tại chợ phiên cuối tuần.",
    ),
    (
        "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở họp phiên thường kỳ",
        "Ban Chỉ đạo đánh giá việc thực hiện Quy chế dân chủ ở cơ sở.",
    ),
    (
        "Huyện uỷ Phú Thịnh lãnh đạo xây dựng nông thôn mới",
        "Các xã đạt chuẩn nông thôn mới nâng cao.",
    ),
    (
        "Thực hiện Quy chế dân chủ ở cơ sở tại doanh nghiệp",
        "Công đoàn cơ sở phối hợp với doanh nghiệp.",
    ),
    (
        "Thanh Hoá tổng kết thực hiện quy chế dân chủ",
        "Ban Chỉ đạo tỉnh tổng kết năm 2023.",
    ),
    (
        "Đảng ủy Khối các cơ quan tỉnh học tập Nghị quyết số 25-NQ/TW",
        "Cán bộ, đảng viên học tập Nghị quyết về công tác dân vận.",
    ),
    (
        "Mô hình “Dân vận khéo” ở vùng đồng bào dân tộc thiểu số",
        "Già làng, người có uy tín vận động bà con.",
    ),
    (
        "Đối thoại trực tiếp giữa người đứng đầu và Nhân dân",
        "Người đứng đầu cấp ủy, chính quyền đối thoại với Nhân dân.",
    ),
    (
        "Khoẻ mạnh cùng phong trào thể dục thể thao",
        "Hội Cựu chiến binh phát động phong trào rèn luyện sức khoẻ.",
    ),
    (
        "Thuỷ lợi nội đồng được nạo vét trước mùa mưa",
        "Nhân dân góp công nạo vét kênh mương thuỷ lợi.",
    ),
    (
        "Hoà giải ở cơ sở giữ gìn tình làng nghĩa xóm",
        "Tổ hoà giải thôn giải quyết 12 vụ việc.",
    ),
    (
        "Vận động Nhân dân chuyển đổi cây trồng",
        "Hội Nông dân hướng dẫn kỹ thuật cho bà con.",
    ),
    (
        "Trao tặng Kỷ niệm chương Vì sự nghiệp dân vận",
        "Ban Dân vận Tỉnh ủy trao Kỷ niệm chương cho 25 cá nhân.",
    ),
    (
        "Phụ nữ tham gia giám sát đầu tư của cộng đồng",
        "Ban Giám sát đầu tư của cộng đồng được kiện toàn.",
    ),
    // One form of a body's name only: the abbreviation, or the name written out.
    (
        "MTTQ phường Đông Thành giám sát công trình",
        "Các thành viên MTTQ phường kiểm tra tiến độ thi công.",
    ),
    (
        "Mặt trận Tổ quốc xã Yên Lạc trao sổ tiết kiệm cho hộ nghèo",
        "Mười hộ nghèo nhận sổ tiết kiệm.",
    ),
    (
        "HĐND thị xã Đông Triều khai mạc kỳ họp thứ chín",
        "Các đại biểu HĐND thảo luận kinh tế - xã hội.",
    ),
    (
        "Hội đồng nhân dân tỉnh giám sát thu ngân sách",
        "Đoàn giám sát làm việc với Sở Tài chính.",
    ),
];

async fn corpus(db: &DatabaseConnection) {
    let site = danvan_store::site::create(
        db,
        &SiteData::new(
            Slug::parse("cong-a").unwrap(),
            Name::parse("Cổng A").unwrap(),
        ),
    )
    .await
    .unwrap();
    let other = danvan_store::site::create(
        db,
        &SiteData::new(
            Slug::parse("cong-b").unwrap(),
            Name::parse("Cổng B").unwrap(),
        ),
    )
    .await
    .unwrap();
    let now = Utc::now();
    let article = |site_id, title: &str, body: &str, status, days: i64| {
        let mut data = ArticleData::draft(
            site_id,
            Title::parse(title).unwrap(),
            Body::parse(body).unwrap(),
        )
        .unwrap();
        data.status = status;
        data.published_at = Some(now - Duration::days(days));
        data
    };
    for (i, (title, body)) in ARTICLES.iter().enumerate() {
        let days = i64::try_from(i).unwrap() + 1;
        danvan_store::article::create(
            db,
            &article(site.id, title, body, ArticleStatus::Published, days),
        )
        .await
        .unwrap();
    }
    let draft = article(
        site.id,
        "Bản nháp Dân vận khéo bí mật",
        "Chưa duyệt.",
        ArticleStatus::Draft,
        1,
    );
    danvan_store::article::create(db, &draft).await.unwrap();
    let scheduled = article(
        site.id,
        "Dân vận khéo sắp đăng",
        "Hẹn giờ.",
        ArticleStatus::Published,
        -2,
    );
    danvan_store::article::create(db, &scheduled).await.unwrap();
    let elsewhere = article(
        other.id,
        "Dân vận khéo tại phường Tây Hoa Lư",
        "Tin của cổng B.",
        ArticleStatus::Published,
        3,
    );
    danvan_store::article::create(db, &elsewhere).await.unwrap();

    let mut meeting = MeetingData::new(
        Title::parse("Hội nghị sơ kết công tác dân vận quý III năm 2024").unwrap(),
        MeetingKind::InterimReview,
        chrono::NaiveDate::from_ymd_opt(2024, 10, 5).unwrap(),
    );
    meeting.tasks = vec!["Nhân rộng mô hình tiêu biểu".to_owned()];
    danvan_store::meeting::create(db, &meeting).await.unwrap();
    let model = DvkModelData::new(
        Title::parse("Dân vận khéo trong xây dựng nông thôn mới ở thôn Đồng Tâm").unwrap(),
        DvkField::Economy,
    );
    danvan_store::model::create(db, &model).await.unwrap();
    for name in ["Nguyễn Thị Hồng Vân", "Lò Văn Khánh", "Nguyễn Văn Hồng"] {
        danvan_store::person::create(db, &PersonData::new(Name::parse(name).unwrap()))
            .await
            .unwrap();
    }
    for (name, short, abbreviation, kind) in [
        (
            "Ban Dân vận Huyện ủy Phú Thịnh",
            "Ban Dân vận Huyện ủy",
            "BDVHU",
            OrganisationKind::PartyBoard,
        ),
        (
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lam Sơn",
            "Ủy ban MTTQ tỉnh",
            "MTTQ",
            OrganisationKind::FatherlandFront,
        ),
    ] {
        let mut data = OrganisationData::new(
            Name::parse(name).unwrap(),
            kind,
            OrganisationLevel::Province,
        )
        .unwrap();
        data.short_name = Some(Name::parse(short).unwrap());
        data.abbreviation = Some(Name::parse(abbreviation).unwrap());
        danvan_store::organisation::create(db, &data).await.unwrap();
    }
    // Places through their history: Hà Giang merged into Tuyên Quang on 1/7/2025.
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut ha_giang = AdminUnitData::new(AdminLevel::Province, Name::parse("Hà Giang").unwrap());
    ha_giang.valid_to = Some(day(2025, 6, 30));
    let ha_giang = danvan_store::admin_unit::create(db, &ha_giang)
        .await
        .unwrap();
    let tuyen_quang = danvan_store::admin_unit::create(
        db,
        &AdminUnitData::new(AdminLevel::Province, Name::parse("Tuyên Quang").unwrap()),
    )
    .await
    .unwrap();
    danvan_store::admin_unit::add_succession(
        db,
        &Succession {
            predecessor_id: ha_giang.id,
            successor_id: tuyen_quang.id,
            kind: SuccessionKind::Merged,
            effective_on: day(2025, 7, 1),
        },
    )
    .await
    .unwrap();
    for (i, (title, body, unit)) in [
        (FILED_TQ, "Công trình dài 120 mét.", Some(tuyen_quang.id)),
        (HA_GIANG, "Bà con vui xuân.", None),
        (FILED_HG, "Du khách đến đông.", Some(ha_giang.id)),
        (TUYEN_QUANG, "Các homestay đón khách.", None),
    ]
    .into_iter()
    .enumerate()
    {
        let days = 40 + i64::try_from(i).unwrap();
        let mut data = article(site.id, title, body, ArticleStatus::Published, days);
        data.admin_unit_ids = unit.into_iter().collect();
        danvan_store::article::create(db, &data).await.unwrap();
    }
}

const FILED_TQ: &str = "Khởi công cầu treo qua sông Lô";
const HA_GIANG: &str = "Đồng bào Hà Giang đón Tết sớm";
const FILED_HG: &str = "Lễ hội hoa tam giác mạch trên cao nguyên đá";
const TUYEN_QUANG: &str = "Tuyên Quang phát triển du lịch cộng đồng";

/// A place named finds the articles filed under it, its predecessors and its successors,
/// below those whose text names it: (query, found first, found below it).
const PLACES: [(&str, &str, &[&str]); 5] = [
    ("Hà Giang", HA_GIANG, &[FILED_HG, FILED_TQ]),
    ("ha giang", HA_GIANG, &[FILED_HG, FILED_TQ]),
    ("tỉnh Hà Giang", HA_GIANG, &[FILED_HG, FILED_TQ]),
    ("Tuyên Quang", TUYEN_QUANG, &[FILED_TQ, FILED_HG]),
    ("tuyen quang", TUYEN_QUANG, &[FILED_TQ, FILED_HG]),
];

const SEARCH: &str = r#"query($q: String!, $types: [SearchType!], $filter: SearchFilter) {
  search(query: $q, types: $types, filter: $filter, first: 10) {
    totalCount
    edges { node { title score snippet { text highlights { start end } } node { __typename } } }
  }
}"#;

async fn titles(app: &TestApp, query: &str, types: Value, filter: Value) -> Vec<String> {
    let response = app
        .graphql(
            SEARCH,
            json!({ "q": query, "types": types, "filter": filter }),
        )
        .await;
    assert!(response["errors"].is_null(), "{query}: {response}");
    response["data"]["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

/// What a query must give: these titles among the first `within` results, in this order
/// when `ordered`; never those in `never`; and for each pair in `above`, the first ranked
/// above the second (or the second not found at all).
struct Expect {
    query: &'static str,
    first: &'static [&'static str],
    within: usize,
    ordered: bool,
    never: &'static [&'static str],
    above: &'static [(&'static str, &'static str)],
}

const fn top(query: &'static str, first: &'static [&'static str]) -> Expect {
    Expect {
        query,
        first,
        within: first.len(),
        ordered: true,
        never: &[],
        above: &[],
    }
}

const fn among(query: &'static str, first: &'static [&'static str], within: usize) -> Expect {
    Expect {
        query,
        first,
        within,
        ordered: false,
        never: &[],
        above: &[],
    }
}

const DVK: &str = "Sơ kết phong trào thi đua “Dân vận khéo” 6 tháng đầu năm";
const DVK_AREA: &str = "Mô hình “Dân vận khéo” ở vùng đồng bào dân tộc thiểu số";
const DVK_B: &str = "Dân vận khéo tại phường Tây Hoa Lư";
const DVK_MODEL: &str = "Dân vận khéo trong xây dựng nông thôn mới ở thôn Đồng Tâm";
const QCDC_BCD: &str = "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở họp phiên thường kỳ";
const QCDC_DN: &str = "Thực hiện Quy chế dân chủ ở cơ sở tại doanh nghiệp";
const QCDC_TH: &str = "Thanh Hoá tổng kết thực hiện quy chế dân chủ";
const UBMTTQ: &str = "Ủy ban MTTQ xã đối thoại với Nhân dân";
const UBND: &str = "Uỷ ban nhân dân huyện tiếp công dân định kỳ";
const BAN: &str = "Bàn giải pháp nâng cao chất lượng dân vận chính quyền";
const BAN_HANG: &str = "Chợ phiên bán hàng nông sản của hội viên";
const TONG_KET: &str = "Hội nghị tổng kết công tác dân vận năm 2023";
const MTTQ_ORG: &str = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lam Sơn";
const MTTQ: &str = "MTTQ phường Đông Thành giám sát công trình";
const MTTQ_LONG: &str = "Mặt trận Tổ quốc xã Yên Lạc trao sổ tiết kiệm cho hộ nghèo";
const HDND: &str = "HĐND thị xã Đông Triều khai mạc kỳ họp thứ chín";
const HDND_LONG: &str = "Hội đồng nhân dân tỉnh giám sát thu ngân sách";

const SET: [Expect; 31] = [
    among("dan van kheo", &[DVK, DVK_AREA, DVK_MODEL, DVK_B], 4),
    among("Dân vận khéo", &[DVK, DVK_AREA, DVK_MODEL, DVK_B], 4),
    among("DÂN VẬN KHÉO", &[DVK, DVK_AREA, DVK_MODEL, DVK_B], 4),
    // "dân vận" side by side ranks above "dân" and "vận" apart.
    Expect {
        query: "dân vận",
        first: &[DVK, TONG_KET],
        within: 3,
        ordered: false,
        never: &[],
        above: &[
            (TONG_KET, "Vận động Nhân dân chuyển đổi cây trồng"),
            (
                "Trao tặng Kỷ niệm chương Vì sự nghiệp dân vận",
                "Nhân dân tích cực tham gia hiến đất làm đường",
            ),
        ],
    },
    among("uy ban", &[UBMTTQ, UBND], 2),
    among("Ủy ban", &[UBMTTQ, UBND], 2),
    among("Uỷ ban", &[UBMTTQ, UBND], 2),
    // "Huyện uỷ" written the other way is found as exactly.
    among(
        "huyện ủy phú thịnh",
        &[
            "Huyện uỷ Phú Thịnh lãnh đạo xây dựng nông thôn mới",
            "Ban Dân vận Huyện ủy Phú Thịnh",
        ],
        2,
    ),
    // Typed diacritics: the exact word, then the same letters with another tone, then none.
    top("bàn", &[BAN, BAN_HANG]),
    // Typed without diacritics, the word without a tone comes first, the toned ones after.
    Expect {
        query: "ban",
        first: &[QCDC_BCD, "Ban Dân vận Huyện ủy Phú Thịnh"],
        within: 5,
        ordered: false,
        never: &[],
        above: &[(QCDC_BCD, BAN), (QCDC_BCD, BAN_HANG)],
    },
    among("quy che dan chu", &[QCDC_BCD, QCDC_DN, QCDC_TH], 3),
    Expect {
        query: "\"dân chủ ở cơ sở\"",
        first: &[QCDC_BCD, QCDC_DN],
        within: 2,
        ordered: false,
        never: &[QCDC_TH],
        above: &[],
    },
    top("thanh hoa", &[QCDC_TH]),
    top("Thanh Hóa", &[QCDC_TH]),
    top("khỏe mạnh", &["Khoẻ mạnh cùng phong trào thể dục thể thao"]),
    top(
        "thủy lợi",
        &["Thuỷ lợi nội đồng được nạo vét trước mùa mưa"],
    ),
    top(
        "hòa giải",
        &["Hoà giải ở cơ sở giữ gìn tình làng nghĩa xóm"],
    ),
    top(
        "nghi quyet 25",
        &["Đảng ủy Khối các cơ quan tỉnh học tập Nghị quyết số 25-NQ/TW"],
    ),
    top(
        "dang uy khoi",
        &["Đảng ủy Khối các cơ quan tỉnh học tập Nghị quyết số 25-NQ/TW"],
    ),
    top("Nguyen Thi Hong Van", &["Nguyễn Thị Hồng Vân"]),
    top("lò văn khánh", &["Lò Văn Khánh"]),
    // An abbreviation finds the organisation it stands for, the news that writes it, and
    // the news that writes it out, below.
    Expect {
        query: "MTTQ",
        first: &[MTTQ, UBMTTQ, MTTQ_ORG, MTTQ_LONG],
        within: 4,
        ordered: false,
        never: &[],
        above: &[(MTTQ, MTTQ_LONG), (UBMTTQ, MTTQ_LONG)],
    },
    // And the name written out finds the abbreviation, below.
    Expect {
        query: "Mặt trận Tổ quốc",
        first: &[MTTQ_LONG, MTTQ_ORG, UBMTTQ, MTTQ],
        within: 4,
        ordered: false,
        never: &[],
        above: &[(MTTQ_LONG, MTTQ)],
    },
    top("ban dan van huyen uy", &["Ban Dân vận Huyện ủy Phú Thịnh"]),
    top("dong bao dan toc thieu so", &[DVK_AREA]),
    among(
        "nong thon moi",
        &[
            DVK_MODEL,
            "Huyện uỷ Phú Thịnh lãnh đạo xây dựng nông thôn mới",
        ],
        2,
    ),
    top(
        "so ket quy III",
        &["Hội nghị sơ kết công tác dân vận quý III năm 2024"],
    ),
    among(
        "đối thoại",
        &[
            UBMTTQ,
            "Đối thoại trực tiếp giữa người đứng đầu và Nhân dân",
        ],
        2,
    ),
    top("tiếp công dân", &[UBND]),
    top("dân vận chính quyền", &[BAN]),
    Expect {
        query: "dân vận khéo",
        first: &[DVK, DVK_AREA, DVK_MODEL, DVK_B],
        within: 4,
        ordered: false,
        never: &["Bản nháp Dân vận khéo bí mật", "Dân vận khéo sắp đăng"],
        above: &[],
    },
];

/// A body's name in either form finds both: (query, found first, found below it).
const BOTH_FORMS: [(&str, &str, &str); 8] = [
    ("mat tran to quoc", MTTQ_LONG, MTTQ),
    ("mttq", MTTQ, MTTQ_LONG),
    ("Mttq", MTTQ, MTTQ_LONG),
    ("HĐND", HDND, HDND_LONG),
    ("hdnd", HDND, HDND_LONG),
    ("HDND", HDND, HDND_LONG),
    ("Hội đồng nhân dân", HDND_LONG, HDND),
    ("hoi dong nhan dan", HDND_LONG, HDND),
];

async fn the_relevance_set_finds_what_a_reader_expects(t: TestDatabase) -> TestDatabase {
    corpus(&t.db).await;
    let app = TestApp::start_empty(&t).await;
    for expect in &SET {
        let found = titles(&app, expect.query, Value::Null, Value::Null).await;
        let head: Vec<&str> = found
            .iter()
            .take(expect.within)
            .map(String::as_str)
            .collect();
        if expect.ordered {
            assert_eq!(head, expect.first, "{}: {found:?}", expect.query);
        } else {
            for title in expect.first {
                assert!(
                    head.contains(title),
                    "{}: {title} not in the first {}: {found:?}",
                    expect.query,
                    expect.within
                );
            }
        }
        for (higher, lower) in expect.above {
            let rank = |t: &str| found.iter().position(|f| f == t);
            let high = rank(higher)
                .unwrap_or_else(|| panic!("{}: {higher} not found: {found:?}", expect.query));
            assert!(
                rank(lower).is_none_or(|low| high < low),
                "{}: {higher} should rank above {lower}: {found:?}",
                expect.query
            );
        }
        for title in expect.never {
            assert!(
                !found.iter().any(|f| f == title),
                "{}: {title} must not be found",
                expect.query
            );
        }
    }
    for (query, text, filed) in PLACES {
        let found = titles(&app, query, Value::Null, Value::Null).await;
        let rank = |t: &str| found.iter().position(|f| f == t);
        let first = rank(text).unwrap_or_else(|| panic!("{query}: {text} not found: {found:?}"));
        for title in filed {
            let below =
                rank(title).unwrap_or_else(|| panic!("{query}: {title} not found: {found:?}"));
            assert!(
                first < below,
                "{query}: {text} should rank above {title}: {found:?}"
            );
        }
    }
    for (query, typed, other) in BOTH_FORMS {
        let found = titles(&app, query, Value::Null, Value::Null).await;
        let rank = |t: &str| found.iter().position(|f| f == t);
        match (rank(typed), rank(other)) {
            (Some(high), Some(low)) => assert!(
                high < low,
                "{query}: {typed} should rank above {other}: {found:?}"
            ),
            _ => panic!("{query}: both {typed} and {other} should be found: {found:?}"),
        }
    }
    app.stop().await;
    t
}

async fn searches_combine_with_types_sites_and_dates(t: TestDatabase) -> TestDatabase {
    corpus(&t.db).await;
    let app = TestApp::start_empty(&t).await;
    assert_eq!(
        titles(&app, "dan van kheo", json!(["DVK_MODEL"]), Value::Null).await,
        [DVK_MODEL]
    );
    assert_eq!(
        titles(
            &app,
            "dan van kheo",
            Value::Null,
            json!({ "site": "cong-b" })
        )
        .await,
        ["Dân vận khéo tại phường Tây Hoa Lư"]
    );
    assert!(
        titles(&app, "bí mật", Value::Null, Value::Null)
            .await
            .is_empty()
    );
    assert!(
        titles(&app, "sắp đăng", Value::Null, Value::Null)
            .await
            .is_empty()
    );
    // The newest article is a day old; the week before holds the first five.
    let today = crate::search::vietnam_day(Utc::now());
    let week = app
        .graphql(
            r#"query($from: NaiveDate!) { articles(filter: { query: "nhan dan", publishedFrom: $from }) { totalCount edges { node { title } } } }"#,
            json!({ "from": today - chrono::Days::new(7) }),
        )
        .await;
    assert!(week["errors"].is_null(), "{week}");
    let recent: Vec<&str> = week["data"]["articles"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap())
        .collect();
    let mut recent = recent;
    recent.sort_unstable();
    assert_eq!(
        recent,
        [
            "Nhân dân tích cực tham gia hiến đất làm đường",
            UBND,
            UBMTTQ
        ]
    );
    let no_tag = app
        .graphql(
            r#"{ articles(filter: { query: "dân vận", tag: "khong-co" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&no_tag), "NOT_FOUND");
    app.stop().await;
    t
}

/// Every list filter applies together with words, at both doors, in a few statements.
async fn every_filter_combines_with_a_query(t: TestDatabase) -> TestDatabase {
    use danvan_domain::admin_unit::{AdminLevel, AdminUnitData};
    use danvan_domain::campaign::CampaignData;
    use danvan_domain::category::CategoryData;
    use danvan_domain::tag::TagData;
    use danvan_service::id::encode;
    let db = &t.db;
    corpus(db).await;
    let site = danvan_store::site::by_slug(db, &Slug::parse("cong-a").unwrap())
        .await
        .unwrap()
        .unwrap();
    let tag = danvan_store::tag::create(
        db,
        &TagData::from_name(Name::parse("Tiếp xúc cử tri").unwrap()).unwrap(),
    )
    .await
    .unwrap();
    let category = danvan_store::category::create(
        db,
        &CategoryData {
            site_id: site.id,
            parent_id: None,
            name: Name::parse("Tin hoạt động").unwrap(),
            slug: Slug::parse("tin-hoat-dong").unwrap(),
        },
    )
    .await
    .unwrap();
    let campaign = danvan_store::campaign::create(
        db,
        &CampaignData {
            name: Name::parse("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
                .unwrap(),
            slug: Slug::parse("hoc-tap-va-lam-theo").unwrap(),
            description: Body::empty(),
            organisation_id: None,
            started_on: None,
            ended_on: None,
        },
    )
    .await
    .unwrap();
    let meeting = danvan_store::meeting::create(
        db,
        &MeetingData::new(
            Title::parse("Tiếp xúc cử tri trước kỳ họp thứ chín").unwrap(),
            MeetingKind::VoterMeeting,
            chrono::NaiveDate::from_ymd_opt(2025, 4, 20).unwrap(),
        ),
    )
    .await
    .unwrap();
    let person =
        danvan_store::person::create(db, &PersonData::new(Name::parse("Trần Thị Mai").unwrap()))
            .await
            .unwrap();
    let unit = danvan_store::admin_unit::create(
        db,
        &AdminUnitData::new(AdminLevel::Province, Name::parse("Ninh Bình").unwrap()),
    )
    .await
    .unwrap();
    // The same words in each; one link each; and one linked article without the words.
    let now = Utc::now();
    let write = |title: &str, days: i64, link: &dyn Fn(&mut ArticleData)| {
        let mut data = ArticleData::draft(
            site.id,
            Title::parse(title).unwrap(),
            Body::parse("Cử tri kiến nghị về đường giao thông nông thôn.").unwrap(),
        )
        .unwrap();
        data.status = ArticleStatus::Published;
        data.published_at = Some(now - Duration::days(days));
        link(&mut data);
        data
    };
    let articles = [
        write("Tiếp xúc cử tri xã Gia Lập", 1, &|_| {}),
        write("Tiếp xúc cử tri theo chủ đề", 2, &|d| {
            d.tag_ids = vec![tag.id]
        }),
        write("Tiếp xúc cử tri ở phường", 3, &|d| {
            d.category_ids = vec![category.id]
        }),
        write("Tiếp xúc cử tri trước kỳ họp", 4, &|d| {
            d.meeting_id = Some(meeting.id)
        }),
        write("Đại biểu tiếp xúc cử tri", 5, &|d| {
            d.person_ids = vec![person.id]
        }),
        write("Tiếp xúc cử tri tỉnh Ninh Bình", 6, &|d| {
            d.admin_unit_ids = vec![unit.id];
        }),
        write(
            "Tiếp xúc cử tri, học tập theo gương Bác",
            7,
            &|d| {
                d.campaign_ids = vec![campaign.id];
            },
        ),
        write("Hội nghị giao ban khối dân vận", 8, &|d| {
            d.tag_ids = vec![tag.id];
            d.category_ids = vec![category.id];
            d.meeting_id = Some(meeting.id);
            d.person_ids = vec![person.id];
            d.admin_unit_ids = vec![unit.id];
            d.campaign_ids = vec![campaign.id];
        }),
    ];
    for data in &articles {
        danvan_store::article::create(db, data).await.unwrap();
    }
    let (app, statements) = TestApp::start_counting(&t).await;
    let filters = [
        ("tag: \"tiep-xuc-cu-tri\"", "tag=tiep-xuc-cu-tri", 1),
        (
            &*format!("category: \"{}\"", encode("Category", category.id.0)),
            &*format!("category={}", encode("Category", category.id.0)),
            2,
        ),
        (
            &*format!("meeting: \"{}\"", encode("Meeting", meeting.id.0)),
            &*format!("meeting={}", encode("Meeting", meeting.id.0)),
            3,
        ),
        ("meetingKind: VOTER_MEETING", "meetingKind=VOTER_MEETING", 3),
        (
            &*format!("person: \"{}\"", encode("Person", person.id.0)),
            &*format!("person={}", encode("Person", person.id.0)),
            4,
        ),
        (
            &*format!("adminUnit: \"{}\"", encode("AdminUnit", unit.id.0)),
            &*format!("adminUnit={}", encode("AdminUnit", unit.id.0)),
            5,
        ),
        (
            &*format!("campaign: \"{}\"", encode("Campaign", campaign.id.0)),
            &*format!("campaign={}", encode("Campaign", campaign.id.0)),
            6,
        ),
    ];
    let mut counts = Vec::new();
    for (graphql, rest, index) in filters {
        let expected = vec![articles[index].title.to_string()];
        let before = statements.load(std::sync::atomic::Ordering::SeqCst);
        let response = app
            .graphql(
                &format!(
                    r#"{{ articles(filter: {{ query: "tiếp xúc cử tri", {graphql} }}) {{ totalCount edges {{ node {{ title }} }} }} }}"#
                ),
                json!({}),
            )
            .await;
        counts.push(statements.load(std::sync::atomic::Ordering::SeqCst) - before);
        assert!(response["errors"].is_null(), "{graphql}: {response}");
        let found: Vec<String> = response["data"]["articles"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(found, expected, "{graphql}");
        assert_eq!(response["data"]["articles"]["totalCount"], 1, "{graphql}");
        let body: Value = app
            .get(&format!(
                "/api/v1/articles?q=ti%E1%BA%BFp%20x%C3%BAc%20c%E1%BB%AD%20tri&{rest}"
            ))
            .await
            .json()
            .await
            .unwrap();
        let found: Vec<&str> = body["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{rest}: {body}"))
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert_eq!(found, expected, "{rest}");
    }
    // Words and a filter: a few statements whichever filter it is (a tag's slug, an
    // area's units and the places the words name are looked up first, the words and the
    // links checked together).
    assert!(
        counts.iter().all(|&n| n <= 9),
        "statements for each filter: {counts:?}"
    );
    // Two filters together: only the article linked to both (its body has the words).
    let both = app
        .graphql(
            &format!(
                r#"{{ articles(filter: {{ query: "cử tri", tag: "tiep-xuc-cu-tri", meeting: "{}" }}) {{ totalCount edges {{ node {{ title }} }} }} }}"#,
                encode("Meeting", meeting.id.0)
            ),
            json!({}),
        )
        .await;
    assert_eq!(
        both["data"]["articles"]["edges"][0]["node"]["title"], "Hội nghị giao ban khối dân vận",
        "{both}"
    );
    assert_eq!(both["data"]["articles"]["totalCount"], 1, "{both}");
    let giao_ban = app
        .graphql(
            r#"{ articles(filter: { query: "giao ban", tag: "tiep-xuc-cu-tri" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(giao_ban["data"]["articles"]["totalCount"], 1, "{giao_ban}");
    app.stop().await;
    t
}

/// Past the best candidates, a search's pages go on newest first: every page that
/// `pageCount` promises has its results, through both fields that search.
async fn every_page_a_search_promises_has_its_results(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    corpus(db).await;
    let site = danvan_store::site::by_slug(db, &Slug::parse("cong-a").unwrap())
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    let many: Vec<ArticleData> = (1..=230)
        .map(|i| {
            let mut data = ArticleData::draft(
                site.id,
                Title::parse(&format!("Khu dân cư số {i} ra quân vệ sinh môi trường")).unwrap(),
                Body::parse("Bà con ra quân dọn dẹp đường làng.").unwrap(),
            )
            .unwrap();
            data.status = ArticleStatus::Published;
            data.published_at = Some(now - Duration::hours(i));
            data
        })
        .collect();
    danvan_store::article::create_many(db, &many).await.unwrap();
    let app = TestApp::start_empty(&t).await;
    let fields = [
        (
            "search(query: \"ra quân\"",
            "node { node { ... on Article { id } } }",
        ),
        ("articles(filter: { query: \"ra quân\" }", "node { id }"),
    ];
    for (field, node) in fields {
        let mut seen = std::collections::HashSet::new();
        for page in 1..=13 {
            let response = app
                .graphql(
                    &format!(
                        "{{ {field}, page: {page}, pageSize: 20) {{ totalCount pageCount pageInfo {{ hasNextPage }} edges {{ {node} }} }} }}"
                    ),
                    json!({}),
                )
                .await;
            assert!(response["errors"].is_null(), "{field} {page}: {response}");
            let list = response["data"]
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap();
            assert_eq!(list["totalCount"], 230, "{field}");
            assert_eq!(list["pageCount"], 12, "{field}");
            let edges = list["edges"].as_array().unwrap();
            let expected = match page {
                1..=11 => 20,
                12 => 10,
                _ => 0,
            };
            assert_eq!(edges.len(), expected, "{field} page {page}");
            assert_eq!(
                list["pageInfo"]["hasNextPage"],
                page < 12,
                "{field} page {page}"
            );
            for edge in edges {
                let node = &edge["node"];
                let id = node["node"]["id"].as_str().or(node["id"].as_str()).unwrap();
                assert!(seen.insert(id.to_owned()), "{field}: {id} twice");
            }
        }
        assert_eq!(seen.len(), 230, "{field}");
    }
    app.stop().await;
    t
}

async fn results_carry_snippets_counts_and_pages(t: TestDatabase) -> TestDatabase {
    corpus(&t.db).await;
    let app = TestApp::start_empty(&t).await;
    let response = app.graphql(SEARCH, json!({ "q": "quy che dan chu" })).await;
    let search = &response["data"]["search"];
    assert_eq!(search["totalCount"], 3);
    let first = &search["edges"][0]["node"];
    assert_eq!(first["node"]["__typename"], "Article");
    let snippet = &first["snippet"];
    let text: Vec<char> = snippet["text"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = snippet["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize]
                .iter()
                .collect()
        })
        .collect();
    assert_eq!(marked, ["Quy", "chế", "dân", "chủ"], "{snippet}");

    let paged = app
        .graphql(r#"{ search(query: "dân", first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { title } } } }"#, json!({}))
        .await;
    let cursor = paged["data"]["search"]["pageInfo"]["endCursor"].clone();
    assert_eq!(paged["data"]["search"]["pageInfo"]["hasNextPage"], true);
    let next = app
        .graphql(
            r#"query($after: String) { search(query: "dân", first: 2, after: $after) { edges { node { title } } } }"#,
            json!({ "after": cursor }),
        )
        .await;
    let numbered = app
        .graphql(
            r#"{ search(query: "dân", page: 2, pageSize: 2) { edges { node { title } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        next["data"]["search"]["edges"],
        numbered["data"]["search"]["edges"]
    );
    assert_ne!(
        next["data"]["search"]["edges"],
        paged["data"]["search"]["edges"]
    );
    let counted = app
        .graphql(
            r#"{ search(query: "quy che dan chu", page: 1, pageSize: 2) { totalCount totalCountExact pageCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        counted["data"]["search"],
        json!({ "totalCount": 3, "totalCountExact": true, "pageCount": 2 }),
        "{counted}"
    );

    let empty = app
        .graphql(r#"{ search(query: "  ") { totalCount } }"#, json!({}))
        .await;
    assert_eq!(error_code(&empty), "BAD_USER_INPUT");
    let long = app
        .graphql(
            &format!(
                r#"{{ search(query: "{}") {{ totalCount }} }}"#,
                "a ".repeat(150)
            ),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&long), "LIMIT_EXCEEDED");
    app.stop().await;
    t
}

async fn suggestions_complete_what_a_reader_types(t: TestDatabase) -> TestDatabase {
    corpus(&t.db).await;
    let app = TestApp::start_empty(&t).await;
    let response = app
        .graphql(
            r#"{ suggest(prefix: "dan van kh") { title node { __typename } } }"#,
            json!({}),
        )
        .await;
    let titles: Vec<&str> = response["data"]["suggest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    for expected in [DVK, DVK_AREA, DVK_MODEL] {
        assert!(titles.contains(&expected), "{titles:?}");
    }
    assert!(!titles.iter().any(|t| t.contains("bí mật")));
    let people = app
        .graphql(
            r#"{ suggest(prefix: "nguyễn thị h", types: [PERSON]) { title } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        people["data"]["suggest"],
        json!([{ "title": "Nguyễn Thị Hồng Vân" }])
    );
    app.stop().await;
    t
}

/// Slips a reader makes and what "did you mean" offers for them first.
const CORRECTIONS: [(&str, &str); 8] = [
    // Two letters swapped.
    ("dan vna", "dân vận"),
    // Telex and VNI keys typed with the input method off.
    ("daan vaajn", "dân vận"),
    ("da6n va65n", "dân vận"),
    // The tone key struck twice, which takes the tone off again.
    ("daan vaajjn", "dân vận"),
    // Syllables run together, and one split.
    ("danvan kheo", "dân vận khéo"),
    ("dân vận kh éo", "dân vận khéo"),
    // A letter doubled.
    ("dân vậnn khéo", "dân vận khéo"),
    // A tone mark no title writes: found folded, written as the archive writes it.
    ("dân vẩn khéo", "dân vận khéo"),
];

/// Queries that find enough as typed: no corrections.
const NO_CORRECTIONS: [&str; 4] = ["dân vận", "dan van kheo", "MTTQ", "Hà Giang"];

const CORRECTING: &str = r#"query($q: String!) {
  search(query: $q, first: 10) {
    totalCount
    suggestions { query totalCount totalCountExact }
  }
}"#;

async fn corrections_offer_what_the_reader_meant(t: TestDatabase) -> TestDatabase {
    corpus(&t.db).await;
    let app = TestApp::start_empty(&t).await;
    for (typed, meant) in CORRECTIONS {
        let found = app.graphql(CORRECTING, json!({ "q": typed })).await;
        assert!(found["errors"].is_null(), "{typed}: {found}");
        let search = &found["data"]["search"];
        let first = &search["suggestions"][0];
        assert_eq!(first["query"], meant, "{typed}: {search}");
        // What is offered finds what its own search finds, and more than the slip.
        let again = app.graphql(CORRECTING, json!({ "q": meant })).await;
        let again = &again["data"]["search"];
        assert_eq!(first["totalCount"], again["totalCount"], "{typed}");
        assert!(first["totalCount"].as_i64().unwrap() >= 1, "{typed}");
        assert_eq!(again["suggestions"], json!([]), "{meant}");
        let slip = search["totalCount"].as_i64().unwrap();
        if danvan_text::fold(typed) != danvan_text::fold(meant) {
            assert!(slip < 5, "{typed} finds {slip}");
            assert!(first["totalCount"].as_i64().unwrap() > slip, "{typed}");
        }
    }
    for query in NO_CORRECTIONS {
        let found = app.graphql(CORRECTING, json!({ "q": query })).await;
        assert_eq!(
            found["data"]["search"]["suggestions"],
            json!([]),
            "{query}: {found}"
        );
    }
    // In the search box: the correction first, as such, naming no record.
    let box_ = app
        .graphql(
            r#"{ suggest(prefix: "dan vna") { title correction node { __typename } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        box_["data"]["suggest"][0],
        json!({ "title": "dân vận", "correction": true, "node": null }),
        "{box_}"
    );
    let completing = app
        .graphql(
            r#"{ suggest(prefix: "dan van kh") { correction } }"#,
            json!({}),
        )
        .await;
    assert!(
        completing["data"]["suggest"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["correction"] == false),
        "{completing}"
    );
    // The JSON API offers the same.
    let rest: Value = app
        .get("/api/v1/search?q=dan%20vna")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["suggestions"][0]["query"], "dân vận", "{rest}");
    assert!(rest["items"].is_array(), "{rest}");
    let rest: Value = app
        .get("/api/v1/suggest?prefix=dan%20vna")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        rest[0],
        json!({ "type": "CORRECTION", "title": "dân vận" }),
        "{rest}"
    );
    app.stop().await;
    t
}

/// The first ten titles of every query of the set.
async fn top_results(database: &TestDatabase) -> Vec<Vec<String>> {
    let app = TestApp::start_empty(database).await;
    let mut all = Vec::new();
    let queries = SET.iter().map(|e| e.query);
    let queries = queries.chain(BOTH_FORMS.iter().map(|(q, _, _)| *q));
    for query in queries.chain(PLACES.iter().map(|(q, _, _)| *q)) {
        all.push(titles(&app, query, Value::Null, Value::Null).await);
    }
    // The corrections offered, and the first ten of the first of them.
    for (typed, _) in CORRECTIONS {
        let found = app.graphql(CORRECTING, json!({ "q": typed })).await;
        let offered: Vec<String> = found["data"]["search"]["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} ({})", c["query"], c["totalCount"]))
            .collect();
        let first = found["data"]["search"]["suggestions"][0]["query"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        all.push(offered);
        all.push(titles(&app, &first, Value::Null, Value::Null).await);
    }
    app.stop().await;
    all
}

#[tokio::test]
async fn sqlite_and_postgres_give_the_same_top_results() {
    let Some(postgres) = TestDatabase::postgres("same_top_results").await else {
        return;
    };
    let sqlite = TestDatabase::sqlite().await;
    corpus(&sqlite.db).await;
    corpus(&postgres.db).await;
    let (a, b) = (top_results(&sqlite).await, top_results(&postgres).await);
    sqlite.drop_database().await;
    postgres.drop_database().await;
    let queries = SET.iter().map(|e| e.query);
    let queries = queries.chain(BOTH_FORMS.iter().map(|(q, _, _)| *q));
    let queries = queries.chain(PLACES.iter().map(|(q, _, _)| *q));
    let queries = queries.chain(CORRECTIONS.iter().flat_map(|(q, _)| [*q, *q]));
    assert_eq!(a.len(), b.len());
    for (query, (x, y)) in queries.zip(a.iter().zip(&b)) {
        assert_eq!(x, y, "{query}");
    }
}

/// The day in Vietnam of an instant.
pub fn vietnam_day(at: chrono::DateTime<Utc>) -> chrono::NaiveDate {
    danvan_text::time::to_vietnam(at).date_naive()
}

danvan_testing::on_both_backends!(
    the_relevance_set_finds_what_a_reader_expects,
    searches_combine_with_types_sites_and_dates,
    every_filter_combines_with_a_query,
    every_page_a_search_promises_has_its_results,
    results_carry_snippets_counts_and_pages,
    suggestions_complete_what_a_reader_types,
    corrections_offer_what_the_reader_meant,
);
