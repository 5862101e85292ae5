//! `danvan crawl` and `danvan import --as` through the binary: a crawl run as an editor, cut
//! short by `--max-pages` and by Ctrl-C, goes on where it stopped; the audit log and the
//! revisions name the account; an account that may not write the site is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use danvan_domain::site::SiteData;
use danvan_domain::{Name, Slug};
use danvan_store::PageRequest;
use danvan_store::audit::AuditFilter;
use danvan_testing::TestDatabase;
use std::collections::HashMap;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

const PASSWORD: &str = "mật-khẩu-đủ-dài-2025";

fn danvan(database: &TestDatabase, envs: &[(&str, &str)], args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_danvan"));
    command
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", &database.url)
        .env("DANVAN_PASSWORD", PASSWORD)
        .env(
            "DANVAN_MEDIA__FOLDER",
            std::env::temp_dir().join("danvan-crawl-test-media"),
        )
        .env_remove("DANVAN_DEMO")
        .envs(envs.iter().copied())
        .args(args);
    command
}

fn output(mut command: Command) -> (Output, String, String) {
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

const TITLES: [&str; 3] = [
    "Hội nghị giao ban công tác dân vận tháng 4 năm 2025",
    "Lễ kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng",
    "Đối thoại giữa Chủ tịch UBND xã với Nhân dân về xây dựng nông thôn mới",
];

fn slug(i: usize) -> String {
    format!("/tin-tuc/bai-viet-so-{}-ve-cong-tac-dan-van.html", i + 1)
}

async fn page(State(pages): State<Arc<HashMap<String, String>>>, uri: Uri) -> Response {
    if uri.path().starts_with("/anh/") {
        let photo = danvan_testing::photo::jpeg_with_exif(320, 240);
        return ([("content-type", "image/jpeg")], photo).into_response();
    }
    match pages.get(uri.path()) {
        Some(html) => Html(html.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A portal of one listing and three articles, on a thread of its own (the test blocks
/// its own while the binary runs); its address.
async fn portal() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut pages = HashMap::new();
    let links: String = (0..TITLES.len())
        .map(|i| format!("<li><a href=\"{}\">{}</a></li>", slug(i), TITLES[i]))
        .collect();
    pages.insert(
        "/tin-tuc".to_owned(),
        format!("<html><body><ul>{links}</ul></body></html>"),
    );
    for (i, title) in TITLES.iter().enumerate() {
        pages.insert(
            slug(i),
            format!(
                "<html lang=\"vi\"><head><title>{title}</title></head><body><article><h1>{title}</h1>\
                 <div class=\"meta\"><time>1{i}/04/2025</time></div>\
                 <p>Ban Dân vận Huyện ủy Yên Lạc cho biết: {title}.</p>\
                 <figure><img src=\"/anh/hoi-nghi-{i}.jpg\"><figcaption>Quang cảnh hội nghị số {i}</figcaption></figure>\
                 </article></body></html>"
            ),
        );
    }
    let app = axum::Router::new()
        .fallback(page)
        .with_state(Arc::new(pages));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await
        })
    });
    base
}

async fn article_count(database: &TestDatabase) -> usize {
    danvan_store::article::list(
        &database.db,
        &danvan_store::article::ArticleFilter::default(),
        danvan_store::article::ArticleOrder::NewestCreated,
        &PageRequest::first(100),
    )
    .await
    .unwrap()
    .items
    .len()
}

async fn a_crawl_runs_as_an_editor_and_goes_on_after_ctrl_c(
    database: TestDatabase,
) -> TestDatabase {
    let base = portal().await;
    let start = format!("{base}/tin-tuc");
    danvan_store::site::create(
        &database.db,
        &SiteData::new(
            Slug::parse("yen-lac").unwrap(),
            Name::parse("Ban Dân vận Huyện ủy Yên Lạc").unwrap(),
        ),
    )
    .await
    .unwrap();
    for (user, role) in [("bientap", "editor"), ("phongvien", "reporter")] {
        let (out, _, stderr) = output(danvan(
            &database,
            &[],
            &[
                "user",
                "create",
                user,
                "--display-name",
                "Nguyễn Thị Hà",
                "--role",
                role,
                "--site",
                "yen-lac",
            ],
        ));
        assert!(out.status.success(), "{stderr}");
    }
    let fast = [("DANVAN_CRAWL__DELAY_MS", "10")];

    // A reporter does not bring pages in.
    let (out, _, stderr) = output(danvan(
        &database,
        &fast,
        &["crawl", "--as", "phongvien", &start],
    ));
    assert!(!out.status.success());
    assert!(
        stderr.contains("only an enabled admin, or an editor of yen-lac"),
        "{stderr}"
    );
    assert_eq!(article_count(&database).await, 0);

    let (out, stdout, stderr) = output(danvan(
        &database,
        &fast,
        &["crawl", "--as", "bientap", "--max-pages", "1", &start],
    ));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("1 imported (1 new, 0 changed)"), "{stdout}");
    assert!(stdout.contains("the same command goes on"), "{stdout}");
    assert_eq!(article_count(&database).await, 1);

    // Slow enough to be interrupted between two articles.
    let mut child = danvan(
        &database,
        &[("DANVAN_CRAWL__DELAY_MS", "1500")],
        &["crawl", "--as", "bientap", &start],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let waited = tokio::time::Instant::now();
    while article_count(&database).await < 2 {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "no second article"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let out = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut stdout = String::new();
        std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
        (status, stdout)
    })
    .await
    .unwrap();
    assert!(out.0.success(), "{out:?}");
    assert!(out.1.contains("the same command goes on"), "{}", out.1);
    assert_eq!(article_count(&database).await, 2);

    let (out, stdout, stderr) = output(danvan(
        &database,
        &fast,
        &["crawl", "--as", "bientap", &start],
    ));
    assert!(out.status.success(), "{stderr}");
    assert!(!stdout.contains("the same command goes on"), "{stdout}");
    assert_eq!(article_count(&database).await, 3);
    // Each page's picture is in the site's library, linked with its caption.
    let articles = danvan_store::article::list(
        &database.db,
        &danvan_store::article::ArticleFilter::default(),
        danvan_store::article::ArticleOrder::NewestCreated,
        &PageRequest::first(10),
    )
    .await
    .unwrap()
    .items;
    for article in &articles {
        let image = &article.data.images[0];
        assert!(image.media_id.is_some(), "{:?}", article.data.images);
        assert!(
            image
                .caption
                .as_deref()
                .unwrap()
                .starts_with("Quang cảnh hội nghị số")
        );
    }

    // Each article was brought in once, by the editor.
    let editor = danvan_store::account::by_username(
        &database.db,
        &danvan_domain::account::Username::parse("bientap").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let entries = danvan_store::audit::list(
        &database.db,
        &AuditFilter {
            operation: Some("crawl".to_owned()),
            ..AuditFilter::default()
        },
        &PageRequest::first(20),
    )
    .await
    .unwrap()
    .items;
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(entries.iter().all(|e| e.entry.account_id == Some(editor.id)
        && e.entry.actor == format!("account:{}", editor.id.0)
        && e.entry.detail["article"] == "created"));
    database
}

/// `danvan import --as` names the account in the audit log and in the revision a changed
/// page keeps.
async fn an_import_as_an_editor_is_named_in_revisions_and_the_audit_log(
    database: TestDatabase,
) -> TestDatabase {
    danvan_store::site::create(
        &database.db,
        &SiteData::new(
            Slug::parse("yen-lac").unwrap(),
            Name::parse("Yên Lạc").unwrap(),
        ),
    )
    .await
    .unwrap();
    let (out, _, stderr) = output(danvan(
        &database,
        &[],
        &[
            "user",
            "create",
            "bientap",
            "--display-name",
            "Trần Văn Nam",
            "--role",
            "editor",
            "--site",
            "yen-lac",
        ],
    ));
    assert!(out.status.success(), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trang.txt");
    let page = |extra: &str| {
        format!(
            "Huyện ủy Yên Lạc tổng kết công tác dân vận năm 2024\n\
             Thứ Hai, 06/01/2025\n\
             Sáng 6/1, Huyện ủy Yên Lạc tổ chức hội nghị tổng kết công tác dân vận năm 2024.{extra}\n"
        )
    };
    std::fs::write(&file, page("")).unwrap();
    let path = file.to_str().unwrap();
    let (out, stdout, stderr) =
        output(danvan(&database, &[], &["import", "--as", "bientap", path]));
    assert!(out.status.success(), "{stdout}{stderr}");
    std::fs::write(&file, page(" Hội nghị biểu dương 12 tập thể.")).unwrap();
    let (out, stdout, stderr) =
        output(danvan(&database, &[], &["import", "--as", "bientap", path]));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("updated"), "{stdout}");

    let editor = danvan_store::account::by_username(
        &database.db,
        &danvan_domain::account::Username::parse("bientap").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let entries = danvan_store::audit::list(
        &database.db,
        &AuditFilter {
            account_id: Some(editor.id),
            ..AuditFilter::default()
        },
        &PageRequest::first(20),
    )
    .await
    .unwrap()
    .items;
    let imports: Vec<_> = entries
        .iter()
        .filter(|e| e.entry.operation == "import")
        .collect();
    assert_eq!(imports.len(), 2, "{entries:?}");
    let article_id =
        danvan_domain::ArticleId(imports[0].entry.target.as_deref().unwrap().parse().unwrap());
    let revisions = danvan_store::revision::of_article(&database.db, article_id)
        .await
        .unwrap();
    assert_eq!(revisions.len(), 1, "{revisions:?}");
    assert_eq!(
        revisions[0].actor.as_deref(),
        Some(format!("account:{}", editor.id.0).as_str())
    );
    database
}

danvan_testing::on_both_backends!(
    a_crawl_runs_as_an_editor_and_goes_on_after_ctrl_c,
    an_import_as_an_editor_is_named_in_revisions_and_the_audit_log,
);
