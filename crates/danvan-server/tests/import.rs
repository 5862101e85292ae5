//! `danvan import` on the seed pages and on bad files, through the binary.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_domain::meeting::MeetingKind;
use danvan_domain::site::SiteData;
use danvan_domain::{Name, Slug};
use danvan_store::article::{ArticleFilter, ArticleOrder};
use danvan_testing::TestDatabase;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::seeds;

fn danvan(database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_danvan"));
    command
        .env("RUST_LOG", "warn")
        .env_remove("DANVAN_DEMO")
        .args(args);
    match database_url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    command.output().unwrap()
}

async fn database_with_site() -> TestDatabase {
    let database = TestDatabase::sqlite().await;
    let site = SiteData::new(
        Slug::parse("dan-van").unwrap(),
        Name::parse("Dân vận").unwrap(),
    );
    danvan_store::site::create(&database.db, &site)
        .await
        .unwrap();
    database
}

async fn articles(database: &TestDatabase) -> Vec<String> {
    let page = danvan_store::article::list(
        &database.db,
        &ArticleFilter::default(),
        ArticleOrder::NewestCreated,
        &danvan_store::PageRequest::first(100),
    )
    .await
    .unwrap();
    page.items
        .into_iter()
        .map(|a| a.data.title.to_string())
        .collect()
}

async fn add_site(database: &TestDatabase, slug: &str) {
    let site = SiteData::new(Slug::parse(slug).unwrap(), Name::parse("Dân vận").unwrap());
    danvan_store::site::create(&database.db, &site)
        .await
        .unwrap();
}

/// The five seed pages import once, with what they state; again, nothing new.
async fn the_seed_pages_import_once(database: TestDatabase) -> TestDatabase {
    let Some(seeds) = seeds() else {
        return database;
    };
    add_site(&database, "dan-van").await;
    let seeds = seeds.to_str().unwrap();
    let first = danvan(Some(&database.url), &["import", "--site", "dan-van", seeds]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = String::from_utf8(first.stdout).unwrap();
    assert_eq!(
        report.lines().filter(|l| l.contains(": created ")).count(),
        5,
        "{report}"
    );
    assert_eq!(articles(&database).await.len(), 5);
    let db = &database.db;

    // Organisations: found by name whatever the tone placement, under their parents.
    let board = danvan_store::organisation::by_name(db, "Ban Dân vận Huyện uỷ Gia Viễn")
        .await
        .unwrap();
    assert_eq!(board.len(), 1);
    let parent = danvan_store::organisation::get(db, board[0].data.parent_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(parent.data.name.as_str(), "Huyện ủy Gia Viễn");
    let centre = danvan_store::organisation::by_name(db, "Trung tâm VHTT&TT")
        .await
        .unwrap();
    assert_eq!(
        centre[0].data.name.as_str(),
        "Trung tâm Văn hóa, Thông tin và Thể thao huyện Gia Viễn"
    );
    // One person, three posts stated, two of them in a single body.
    let quang = danvan_store::person::by_name(db, "Trần Hồng Quảng")
        .await
        .unwrap();
    assert_eq!(quang.len(), 1);
    let posts = danvan_store::position::of_person(db, quang[0].id)
        .await
        .unwrap();
    let mut titles: Vec<&str> = posts.iter().map(|p| p.data.title.as_str()).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Chủ tịch", "Phó Bí thư Thường trực"]);
    // The thematic meeting of seed 003, its figures and the article linked to all of it.
    let page = danvan_store::article::by_slug(
        db,
        danvan_store::site::by_slug(db, &Slug::parse("dan-van").unwrap())
            .await
            .unwrap()
            .unwrap()
            .id,
        &Slug::parse("hoi-nghi-chuyen-de-nang-cao-hieu-qua-cong-tac-dan-van-tai-dang-uy-khoi-cac-co-quan-tinh").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let meeting = danvan_store::meeting::get(db, page.data.meeting_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(meeting.data.kind, MeetingKind::Thematic);
    assert_eq!(meeting.data.held_on.to_string(), "2022-08-23");
    assert_eq!(meeting.data.period.unwrap().code(), "2016..2021");
    let figures = danvan_store::report_figure::of_articles(db, &[page.id])
        .await
        .unwrap();
    let figures = &figures[&page.id];
    assert_eq!(figures.len(), 7);
    let resolved = figures
        .iter()
        .find(|f| f.data.indicator_key == "complaints.resolved")
        .unwrap();
    assert_eq!(
        (resolved.data.value, resolved.data.denominator),
        (1272.0, Some(1337.0))
    );
    assert_eq!(resolved.data.organisation_id, meeting.data.organiser_id);
    assert_eq!(page.data.person_ids.len(), 1);
    let document = danvan_store::document::by_code(db, "25-NQ/TW")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        document.data.issuer.unwrap().as_str(),
        "Ban Chấp hành Trung ương Đảng khóa XI"
    );
    let campaign = danvan_store::campaign::by_slug(db, &Slug::parse("dan-van-kheo").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        campaign.data.name.as_str(),
        "Phong trào thi đua “Dân vận khéo”"
    );

    let again = danvan(Some(&database.url), &["import", "--site", "dan-van", seeds]);
    assert!(again.status.success());
    let report = String::from_utf8(again.stdout).unwrap();
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains(": unchanged "))
            .count(),
        5,
        "{report}"
    );
    assert_eq!(articles(&database).await.len(), 5);
    assert_eq!(
        danvan_store::person::by_name(db, "Trần Hồng Quảng")
            .await
            .unwrap()
            .len(),
        1
    );
    database
}

/// A page that changed since it was imported updates its article and keeps a revision;
/// with one site, `--site` is not needed; saved HTML imports like text.
async fn a_changed_page_updates_its_article(database: TestDatabase) -> TestDatabase {
    add_site(&database, "phu-thinh").await;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pages");
    let text = std::fs::read_to_string(fixture.join("01-so-ket-phu-thinh.txt")).unwrap();
    std::fs::write(&page, &text).unwrap();
    let path = page.to_str().unwrap();
    let first = danvan(Some(&database.url), &["import", path]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let changed = text.replace("ban hành 12 văn bản", "ban hành 14 văn bản");
    std::fs::write(&page, changed).unwrap();
    let second = danvan(Some(&database.url), &["import", path]);
    let report = String::from_utf8(second.stdout).unwrap();
    assert!(
        report.contains(": updated ") && report.contains("revision 1 kept"),
        "{report}"
    );
    assert_eq!(articles(&database).await.len(), 1);
    let list = danvan_store::article::list(
        &database.db,
        &ArticleFilter::default(),
        ArticleOrder::NewestCreated,
        &danvan_store::PageRequest::first(1),
    )
    .await
    .unwrap();
    let article = &list.items[0];
    assert!(article.data.body.as_str().contains("ban hành 14 văn bản"));
    let revisions = danvan_store::revision::of_article(&database.db, article.id)
        .await
        .unwrap();
    assert_eq!(revisions.len(), 1);
    assert!(
        revisions[0].snapshot["body"]
            .as_str()
            .unwrap()
            .contains("ban hành 12 văn bản")
    );
    // The meeting is the same one, updated; the new figure is added beside the old.
    let figures = danvan_store::report_figure::of_articles(&database.db, &[article.id])
        .await
        .unwrap();
    assert!(figures[&article.id].iter().any(|f| f.data.value == 14.0));

    let html = fixture.join("04-ra-mat-to-hoa-giai.html");
    let output = danvan(Some(&database.url), &["import", html.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        articles(&database)
            .await
            .contains(&"Xã Yên Bình ra mắt tổ hòa giải kiểu mẫu".to_owned())
    );
    // The page at the same address with a new title is the same article, changed.
    let retitled = dir.path().join("retitled.html");
    std::fs::write(
        &retitled,
        std::fs::read_to_string(&html).unwrap().replace(
            "<h1>Xã Yên Bình ra mắt tổ hòa giải kiểu mẫu</h1>",
            "<h1>Yên Bình có tổ hòa giải kiểu mẫu</h1>",
        ),
    )
    .unwrap();
    let output = danvan(Some(&database.url), &["import", retitled.to_str().unwrap()]);
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains(": updated "), "{report}");
    let titles = articles(&database).await;
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.contains(&"Yên Bình có tổ hòa giải kiểu mẫu".to_owned()));
    database
}

/// Pages are written in batches, each page in a savepoint: a page the database refuses
/// half-way (here a trigger refuses its article, after its organisation and meeting were
/// written) leaves nothing behind, and the pages before and after it in the same batch are
/// written.
async fn a_page_refused_half_way_fails_alone_in_its_batch(database: TestDatabase) -> TestDatabase {
    use sea_orm::ConnectionTrait;
    add_site(&database, "dan-van").await;
    let refused = "Hội Cựu chiến binh xã Đồng Tâm sơ kết công tác 6 tháng đầu năm";
    let trigger = if database.url.starts_with("sqlite") {
        format!(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON article WHEN NEW.title = '{refused}' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    } else {
        format!(
            "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN \
             IF NEW.title = '{refused}' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_one BEFORE INSERT ON article FOR EACH ROW EXECUTE FUNCTION refuse_one()"
        )
    };
    database.db.execute_unprepared(&trigger).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (file, title, organisation) in [
        (
            "1.txt",
            "Xã Yên Bình ra mắt tổ hòa giải kiểu mẫu",
            "Ủy ban MTTQ xã Yên Bình",
        ),
        ("2.txt", refused, "Hội Cựu chiến binh xã Đồng Tâm"),
        (
            "3.txt",
            "Đoàn Thanh niên xã Phú Lộc ra quân tình nguyện hè",
            "Đoàn Thanh niên xã Phú Lộc",
        ),
    ] {
        std::fs::write(
            dir.path().join(file),
            format!(
                "{title}\n\nThứ Hai, 04/11/2024 | 09:30\n\n\
                 Sáng 4/11, {organisation} tổ chức hội nghị sơ kết công tác 6 tháng đầu năm 2024.\n"
            ),
        )
        .unwrap();
    }
    let output = danvan(
        Some(&database.url),
        &["import", "--site", "dan-van", dir.path().to_str().unwrap()],
    );
    let report = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 3, "{report}");
    assert!(lines[0].contains(": created "), "{report}");
    assert!(
        lines[1].contains(": failed: ") && lines[1].contains("refused by the test"),
        "{report}"
    );
    assert!(lines[2].contains(": created "), "{report}");
    let mut titles = articles(&database).await;
    titles.sort();
    assert_eq!(
        titles,
        [
            "Xã Yên Bình ra mắt tổ hòa giải kiểu mẫu",
            "Đoàn Thanh niên xã Phú Lộc ra quân tình nguyện hè"
        ]
    );
    let count = |sql: &'static str| {
        let db = database.db.clone();
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    sql,
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<i64>(0).unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM organisation WHERE name LIKE '%Cựu chiến binh%'").await,
        0,
        "the refused page's organisation was rolled back"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM organisation WHERE name LIKE '%Phú Lộc%'").await,
        1,
        "the next page's organisation was written"
    );
    assert_eq!(count("SELECT COUNT(*) FROM meeting").await, 2);
    database
}

/// Two people of one name in two bodies are two records, and the import says how sure
/// each match is; a later page that gives the same person another post in the same body
/// ends the first; a model a page names ("mô hình “…”") becomes a model of the body that
/// held the meeting.
async fn namesakes_stay_apart_posts_end_and_models_are_recorded(
    database: TestDatabase,
) -> TestDatabase {
    add_site(&database, "dan-van").await;
    let dir = tempfile::tempdir().unwrap();
    let pages = [
        (
            "1.txt",
            "Ủy ban MTTQ xã Yên Bình sơ kết công tác 6 tháng đầu năm 2024\n\nThứ Hai, 08/07/2024 | 09:30\n\n\
             Sáng 8/7, Ủy ban MTTQ xã Yên Bình tổ chức hội nghị sơ kết công tác Mặt trận 6 tháng đầu năm 2024. \
             Đồng chí Nguyễn Văn Hùng, Chủ tịch Ủy ban MTTQ xã Yên Bình chủ trì hội nghị.\n\n\
             6 tháng đầu năm, xã xây dựng mô hình “Camera an ninh tự quản” ở 5 thôn.\n",
        ),
        (
            "2.txt",
            "Đoàn Thanh niên xã Phú Lộc ra quân tình nguyện hè 2024\n\nThứ Bảy, 13/07/2024 | 07:30\n\n\
             Sáng 13/7, Đoàn Thanh niên xã Phú Lộc tổ chức lễ ra quân chiến dịch thanh niên tình nguyện hè năm 2024. \
             Đồng chí Nguyễn Văn Hùng, Bí thư Đoàn Thanh niên xã Phú Lộc chủ trì buổi lễ.\n",
        ),
        (
            "3.txt",
            "Ủy ban MTTQ xã Yên Bình giao ban công tác quý III năm 2024\n\nThứ Năm, 10/10/2024 | 08:00\n\n\
             Sáng 10/10, Ủy ban MTTQ xã Yên Bình tổ chức hội nghị giao ban công tác quý III năm 2024. \
             Đồng chí Nguyễn Văn Hùng, Phó Chủ tịch Ủy ban MTTQ xã Yên Bình chủ trì hội nghị.\n",
        ),
    ];
    for (file, text) in pages {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let output = danvan(
        Some(&database.url),
        &[
            "import",
            "--site",
            "dan-van",
            "--format",
            "json",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reports: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let matches: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["saved"]["people"][0]["match"].as_str().unwrap())
        .collect();
    assert_eq!(
        matches,
        [
            "new",
            "new (a namesake in another body)",
            "known (name and body)"
        ]
    );
    assert_eq!(reports[2]["saved"]["positionsEnded"], 1);

    let people = danvan_store::person::by_name(&database.db, "Nguyễn Văn Hùng")
        .await
        .unwrap();
    assert_eq!(people.len(), 2, "namesakes in two bodies are two people");
    let posts = danvan_store::position::of_person(&database.db, people[0].id)
        .await
        .unwrap();
    let mut held: Vec<(String, String, Option<String>)> = posts
        .iter()
        .map(|p| {
            (
                p.data.title.to_string(),
                p.data.term.start().to_string(),
                p.data.term.end().map(|d| d.to_string()),
            )
        })
        .collect();
    held.sort();
    assert_eq!(
        held,
        [
            (
                "Chủ tịch".to_owned(),
                "2024-07-08".to_owned(),
                Some("2024-10-09".to_owned())
            ),
            ("Phó Chủ tịch".to_owned(), "2024-10-10".to_owned(), None),
        ]
    );
    let models = danvan_store::model::by_name(&database.db, "Camera an ninh tự quản")
        .await
        .unwrap();
    assert_eq!(models.len(), 1);
    assert_eq!(
        models[0].data.field,
        danvan_domain::model::DvkField::DefenceSecurity
    );
    let owner =
        danvan_store::organisation::get(&database.db, models[0].data.organisation_id.unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        owner.data.name.as_str(),
        "Ủy ban Mặt trận Tổ quốc xã Yên Bình"
    );
    database
}

danvan_testing::on_both_backends!(
    namesakes_stay_apart_posts_end_and_models_are_recorded,
    the_seed_pages_import_once,
    a_changed_page_updates_its_article,
    a_page_refused_half_way_fails_alone_in_its_batch,
);

#[tokio::test]
async fn bad_files_are_reported_and_do_not_stop_the_batch() {
    let database = database_with_site().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("1-empty.txt"), " \n\u{a0}\n").unwrap();
    std::fs::write(dir.path().join("2-binary.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    std::fs::write(
        dir.path().join("3-cp1258.txt"),
        b"H\xf4\xf2i nghi\xf2 s\xf5 k\xeat d\xe2n v\xe2\xf2n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("4-good.txt"),
        "Xã Yên Bình ra mắt tổ hoà giải\n\nThứ Hai, 04/11/2024 | 09:30\n\nSáng 4/11, Ủy ban MTTQ xã tổ chức ra mắt.\n\nThu Trang",
    )
    .unwrap();
    let output = danvan(
        Some(&database.url),
        &["import", "--site", "dan-van", dir.path().to_str().unwrap()],
    );
    assert!(!output.status.success());
    let report = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 4, "{report}");
    assert!(lines[0].ends_with("failed: the page is empty"), "{report}");
    assert!(
        lines[1].ends_with("failed: the page is binary, not text"),
        "{report}"
    );
    assert!(
        lines[2].contains("not UTF-8") && lines[2].contains("Windows-1258"),
        "{report}"
    );
    assert!(
        lines[3].contains(": created xa-yen-binh-ra-mat-to-hoa-giai"),
        "{report}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("3 of 4 files"));
    assert_eq!(
        articles(&database).await,
        ["Xã Yên Bình ra mắt tổ hoà giải"]
    );
    database.drop_database().await;
}

#[test]
fn a_dry_run_prints_the_extraction_and_touches_no_database() {
    let Some(seeds) = seeds() else { return };
    let output = danvan(
        Some("sqlite:///nonexistent/never.db"),
        &[
            "import",
            "--dry-run",
            "--format",
            "json",
            seeds.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reports: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 5);
    assert!(reports.iter().all(|r| r["outcome"] == "read"));
    let tv = reports
        .iter()
        .find(|r| r["file"].as_str().unwrap().contains("004_"))
        .unwrap();
    assert_eq!(tv["article"]["published"], "2021-01-13T19:45:00+07:00");
    assert_eq!(tv["article"]["authors"][1]["name"], "Đức Tình");
    // The full extraction, every item with its sentence.
    let meeting = &tv["extraction"]["meeting"];
    assert_eq!(meeting["kind"], "final_review");
    assert_eq!(meeting["heldOn"], "2021-01-13");
    assert_eq!(meeting["chairs"][0], "Trịnh Tuấn Sinh");
    let lang_son = reports
        .iter()
        .find(|r| r["file"].as_str().unwrap().contains("003_"))
        .unwrap();
    let figure = &lang_son["extraction"]["figures"][5];
    assert_eq!(figure["value"], 1272.0);
    assert_eq!(figure["denominator"], 1337.0);
    assert!(
        figure["at"]["text"]
            .as_str()
            .unwrap()
            .contains("1.272/1.337 đơn")
    );
}

#[test]
fn importing_needs_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/x.db", dir.path().display());
    let output = danvan(Some(&url), &["import", dir.path().to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no site"));
}
