//! `danvan import` on the seed pages and on bad files, through the binary.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_domain::site::SiteData;
use danvan_domain::{Name, Slug};
use danvan_store::article::{ArticleFilter, ArticleOrder};
use danvan_testing::TestDatabase;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent in CI",
        dir.display()
    );
    eprintln!("skipped: {} is absent", dir.display());
    None
}

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

#[tokio::test]
async fn the_seed_pages_import_once() {
    let Some(seeds) = seeds() else { return };
    let database = database_with_site().await;
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
    let titles = articles(&database).await;
    assert!(titles.contains(
        &"Triển khai nhiệm vụ xây dựng cơ sở và thực hiện quy chế dân chủ năm 2021".to_owned()
    ));
    database.drop_database().await;
}

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
}

#[test]
fn importing_needs_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/x.db", dir.path().display());
    let output = danvan(Some(&url), &["import", dir.path().to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--site"));
}
