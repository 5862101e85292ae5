//! `danvan media fetch` and `danvan media check` through the binary: an imported article's
//! pictures, still addresses on the old portal, brought into the library politely and
//! linked; a run again goes on with what is left; the check finds everything in place.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use danvan_domain::article::{ArticleData, ArticleStatus, Image};
use danvan_domain::site::SiteData;
use danvan_domain::{Body, Name, Slug, Title, Url};
use danvan_testing::TestDatabase;
use danvan_testing::photo::{CAMERA, jpeg_with_exif};
use std::process::Command;

/// The old portal: one photo, one missing picture; on a thread of its own (the test blocks
/// its own while the binary runs). Its address.
fn portal() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let photo = jpeg_with_exif(640, 480);
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let photo = photo.clone();
        async move {
            match uri.path() {
                "/uploads/2024/hoi-nghi.jpg" => {
                    ([("content-type", "image/jpeg")], photo).into_response()
                }
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
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

fn danvan(database: &TestDatabase, folder: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", &database.url)
        .env("DANVAN_MEDIA__FOLDER", folder)
        .env("DANVAN_CRAWL__DELAY_MS", "1")
        .env("DANVAN_CRAWL__RETRIES", "0")
        .env_remove("DANVAN_DEMO")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (out.status.success(), format!("{stdout}{stderr}"))
}

async fn imported_pictures_are_brought_in_and_linked(database: TestDatabase) -> TestDatabase {
    let base = portal();
    let site = danvan_store::site::create(
        &database.db,
        &SiteData::new(
            Slug::parse("yen-lac").unwrap(),
            Name::parse("Ban Dân vận Huyện ủy Yên Lạc").unwrap(),
        ),
    )
    .await
    .unwrap();
    let mut data = ArticleData::draft(
        site.id,
        Title::parse("Hội nghị sơ kết 6 tháng đầu năm 2024 công tác dân vận").unwrap(),
        Body::parse("Sáng 11/7, Ban Dân vận Huyện ủy tổ chức hội nghị sơ kết.").unwrap(),
    )
    .unwrap();
    data.status = ArticleStatus::Published;
    data.published_at = Some(chrono::Utc::now());
    data.images = vec![
        Image {
            url: Some(Url::parse(&format!("{base}/uploads/2024/hoi-nghi.jpg")).unwrap()),
            caption: Some("Quang cảnh hội nghị".into()),
            ..Image::default()
        },
        Image {
            url: Some(Url::parse(&format!("{base}/uploads/2024/mat.jpg")).unwrap()),
            caption: Some("Ảnh đã mất".into()),
            ..Image::default()
        },
    ];
    let article = danvan_store::article::create(&database.db, &data)
        .await
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let media = folder.path().join("media");

    let (ok, said) = danvan(&database, &media, &["media", "fetch", "--site", "yen-lac"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("1 article(s): 1 picture(s) brought in, 1 failed"),
        "{said}"
    );
    assert!(said.contains("mat.jpg: failed: HTTP 404"), "{said}");
    let stored = danvan_store::article::get(&database.db, article.id)
        .await
        .unwrap()
        .unwrap();
    let photo = stored.data.images[0].media_id.expect("the photo is linked");
    assert_eq!(
        stored.data.images[0].caption.as_deref(),
        Some("Quang cảnh hội nghị")
    );
    assert_eq!(stored.data.images[1].media_id, None);
    let item = danvan_store::media::get(&database.db, photo)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.data.site_id, site.id);
    assert_eq!(
        item.data.text.caption.as_ref().map(|c| c.as_str()),
        Some("Quang cảnh hội nghị")
    );
    assert_eq!((item.data.width, item.data.height), (Some(480), Some(640)));
    assert_eq!(
        item.data.file_name.as_ref().map(|n| n.as_str()),
        Some("hoi-nghi.jpg")
    );
    let files =
        danvan_media::Storage::open(&danvan_media::Place::Folder(media.clone()), None).unwrap();
    let original = files
        .get(&danvan_media::library::original_key(
            &item.data.hash,
            danvan_media::Format::Jpeg,
        ))
        .await
        .unwrap();
    assert!(
        !original
            .windows(CAMERA.len())
            .any(|w| w == CAMERA.as_bytes())
    );
    // The relink is a change of the article like any other: kept as a revision.
    let revisions = danvan_store::revision::of_article(&database.db, article.id)
        .await
        .unwrap();
    assert!(
        revisions.iter().any(|r| r.reason == "media fetch"),
        "{revisions:?}"
    );

    // Again: what is in stays; only what failed is tried again.
    let (ok, said) = danvan(&database, &media, &["media", "fetch", "--site", "yen-lac"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("1 article(s): 0 picture(s) brought in, 1 failed"),
        "{said}"
    );
    assert_eq!(
        danvan_store::media::every_file(&database.db)
            .await
            .unwrap()
            .len(),
        1
    );

    let (ok, said) = danvan(&database, &media, &["media", "check"]);
    assert!(ok && said.contains("every item has its file"), "{said}");
    std::fs::write(media.join("stray.jpg"), b"left behind").unwrap();
    let (ok, said) = danvan(&database, &media, &["media", "check"]);
    assert!(
        !ok && said.contains("named by no item: stray.jpg"),
        "{said}"
    );
    database
}

danvan_testing::on_both_backends!(imported_pictures_are_brought_in_and_linked);
