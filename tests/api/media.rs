//! The media library through the real router, on SQLite and PostgreSQL, with the files in a
//! local folder and in an S3-compatible store (moto's server in CI): uploads of each kind,
//! bad and oversize files refused without a trace, EXIF gone from the bytes stored,
//! renditions made once under concurrency, and what is deleted gone.

use crate::answers::{get, rest};
use crate::helpers::TestApp;
use crate::newsroom::{Newsroom, newsroom};
use danvan_media::Place;
use danvan_server::Settings;
use danvan_testing::photo::{self, CAMERA, PLACE};
use danvan_testing::storage::{Storing, TestStorage};
use danvan_testing::{TestDatabase, office};
use futures::StreamExt;
use serde_json::{Value, json};

/// The app on `t` with its files where `storing` says, the demo data and its newsroom.
async fn start(
    t: &TestDatabase,
    storing: Storing,
    adjust: impl FnOnce(&mut Settings),
) -> Option<(TestApp, Newsroom, TestStorage)> {
    let storage = TestStorage::new(storing, "media").await?;
    let mut settings = Settings::default();
    match &storage.place {
        Place::Folder(folder) => settings.media.folder = folder.display().to_string(),
        Place::S3(s3) => {
            settings.media.s3_bucket = s3.bucket.clone();
            settings.media.s3_endpoint = s3.endpoint.clone().unwrap_or_default();
            settings.media.s3_region = s3.region.clone().unwrap_or_default();
            settings.media.s3_access_key_id = s3.access_key_id.clone().unwrap_or_default();
            settings.media.s3_secret_access_key = s3.secret_access_key.clone().unwrap_or_default();
        }
    }
    adjust(&mut settings);
    danvan_server::demo::load(&t.db).await.unwrap();
    let app = TestApp::start_with(t, &settings).await;
    let n = newsroom(t, &app).await;
    Some((app, n, storage))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn stored_keys(app: &TestApp) -> Vec<String> {
    let mut keys: Vec<String> = app
        .library
        .storage()
        .keys()
        .map(Result::unwrap)
        .collect()
        .await;
    keys.sort();
    keys
}

async fn items(t: &TestDatabase) -> u64 {
    let slug = danvan_domain::Slug::parse("dan-van-lam-son").unwrap();
    let site = danvan_store::site::by_slug(&t.db, &slug)
        .await
        .unwrap()
        .unwrap();
    danvan_store::media::library_count(&t.db, site.id, &Default::default())
        .await
        .unwrap()
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

async fn uploads_of_each_kind_are_kept(t: TestDatabase, storing: Storing) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    // A reporter's photo: the caption typed with combining marks (NFD), kept NFC.
    let caption_nfd = "Quang ca\u{0309}nh ho\u{0302}\u{0323}i nghi\u{0323}";
    let upload = photo::jpeg_with_exif(1600, 1200);
    let created = app
        .upload(
            Some(&n.reporter),
            &[
                ("caption", caption_nfd),
                ("credit", "Ảnh: Ngọc Lan"),
                ("alt", "Hội trường đông đại biểu"),
            ],
            upload.clone(),
            "IMG_0412.png",
        )
        .await;
    assert_eq!(created.status(), 201);
    let item = json_of(created).await;
    assert_eq!(item["kind"], "IMAGE");
    assert_eq!(
        item["mimeType"], "image/jpeg",
        "the bytes decide, not the name"
    );
    assert_eq!(item["caption"], "Quang cảnh hội nghị");
    assert_eq!(item["credit"], "Ảnh: Ngọc Lan");
    assert_eq!(
        (item["width"].as_i64(), item["height"].as_i64()),
        (Some(1200), Some(1600))
    );
    assert!(
        item["thumbhash"].as_str().is_some_and(|h| h.len() > 10),
        "{item}"
    );
    assert!(item["colour"].as_str().is_some_and(|c| c.starts_with('#')));
    let webp = item["srcset"]["webp"].as_str().unwrap();
    // Used by no public article yet: its addresses are signed, for the newsroom.
    assert!(
        webp.contains("/320.webp?expires=") && webp.contains(" 320w") && webp.ends_with(" 1200w"),
        "{webp}"
    );
    assert!(
        !webp.contains("1920"),
        "no rendition wider than the photo: {webp}"
    );
    // What is stored is pixels only: no camera, no place, no EXIF block.
    let original = app.get(item["url"].as_str().unwrap()).await;
    assert_eq!(original.status(), 200);
    assert_eq!(original.headers()["content-type"], "image/jpeg");
    let bytes = original.bytes().await.unwrap();
    for secret in [CAMERA.as_bytes(), PLACE.as_bytes(), b"Exif"] {
        assert!(
            !contains(&bytes, secret),
            "{}",
            String::from_utf8_lossy(secret)
        );
    }
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1200, 1600));

    // The same file again is the same item; its text stays when none is given.
    let again = app
        .upload(Some(&n.editor), &[], upload, "anh-hoi-nghi.jpg")
        .await;
    assert_eq!(again.status(), 200);
    let again = json_of(again).await;
    assert_eq!(again["id"], item["id"]);
    assert_eq!(again["caption"], "Quang cảnh hội nghị");

    // Documents are kept byte for byte, and downloaded under their Vietnamese names.
    let text = "Báo cáo sơ kết 6 tháng đầu năm 2024 công tác dân vận";
    let mut pdf = format!("%PDF-1.7\n% {text}\n").into_bytes();
    pdf.resize(300_000, b'%');
    for (bytes, name, mime) in [
        (pdf, "Báo cáo sơ kết.pdf", "application/pdf"),
        (
            office::docx(text),
            "Kế hoạch.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office::xlsx(text),
            "Số liệu.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            office::odt(text),
            "Quy chế.odt",
            "application/vnd.oasis.opendocument.text",
        ),
    ] {
        let response = app.upload(Some(&n.editor), &[], bytes.clone(), name).await;
        assert_eq!(response.status(), 201, "{name}");
        let document = json_of(response).await;
        assert_eq!(document["kind"], "DOCUMENT");
        assert_eq!(document["mimeType"], mime);
        assert_eq!(document["fileName"], name);
        assert_eq!(document["srcset"], Value::Null);
        assert_eq!(document["renditions"], json!([]));
        let download = app.get(document["url"].as_str().unwrap()).await;
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()["content-type"], mime);
        let disposition = download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"),
            "{disposition}"
        );
        assert_eq!(
            download.bytes().await.unwrap().as_ref(),
            bytes.as_slice(),
            "{name}"
        );
    }

    // GraphQL: the multipart request specification, and the item read back.
    let mut png = Vec::new();
    image::RgbaImage::from_pixel(300, 200, image::Rgba([20, 120, 60, 128]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let uploaded = app
        .graphql_upload(
            Some(("authorization", format!("Bearer {}", n.reporter))),
            "mutation($file: Upload!, $alt: String) { uploadMedia(file: $file, alt: $alt) { created item { id kind mimeType width height alt } } }",
            json!({ "alt": "Băng rôn “Dân vận khéo”" }),
            png,
            "bang-ron.png",
        )
        .await;
    let made = &uploaded["data"]["uploadMedia"];
    assert_eq!(made["created"], true, "{uploaded}");
    assert_eq!(
        made["item"]["mimeType"], "image/png",
        "transparency keeps PNG"
    );
    assert_eq!(made["item"]["alt"], "Băng rôn “Dân vận khéo”");
    let read = app
        .graphql_as(
            &n.editor,
            "query($id: ID!) { mediaItem(id: $id) { caption renditions(format: AVIF) { width shownWidth height url } srcset(format: JPEG) } }",
            json!({ "id": item["id"] }),
        )
        .await;
    let media = &read["data"]["mediaItem"];
    assert_eq!(media["caption"], "Quang cảnh hội nghị", "{read}");
    let first = &media["renditions"][0];
    assert_eq!(
        (first["width"].as_i64(), first["height"].as_i64()),
        (Some(320), Some(427))
    );
    // Used by no public article yet: signed addresses, for the newsroom.
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .contains("/320.avif?expires=")
    );
    assert!(
        media["srcset"]
            .as_str()
            .unwrap()
            .contains("/640.jpg?expires=")
    );
    // A photo, four documents, a picture.
    assert_eq!(items(&t).await, 6);
    app.stop().await;
    t
}

async fn bad_and_oversize_files_are_refused(t: TestDatabase, storing: Storing) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |s| {
        s.media.max_image_mb = 1;
        s.media.max_document_mb = 1;
    })
    .await
    else {
        return t;
    };
    let refused = |status: u16, code: &'static str| {
        move |(got, body): (u16, Value)| {
            assert_eq!(
                (got, body["code"].as_str().unwrap_or_default()),
                (status, code),
                "{body}"
            );
        }
    };
    // A caption longer than a title may be (500 characters).
    let long: &'static str = "Quang cảnh hội nghị ".repeat(30).leak();
    let send = |token: Option<String>,
                fields: Vec<(&'static str, &'static str)>,
                bytes: Vec<u8>,
                name: &'static str| {
        let app = &app;
        async move {
            let response = app.upload(token.as_deref(), &fields, bytes, name).await;
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    };
    let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><text>Dân vận</text></svg>"#.as_bytes().to_vec();
    refused(415, "UNSUPPORTED_MEDIA_TYPE")(
        send(Some(n.editor.clone()), vec![], svg.clone(), "logo.svg").await,
    );
    refused(415, "UNSUPPORTED_MEDIA_TYPE")(
        send(
            Some(n.editor.clone()),
            vec![],
            b"MZ\x90\0\x03\0\0\0program".to_vec(),
            "baocao.pdf",
        )
        .await,
    );
    // A JPEG's first bytes and nothing a decoder can read after them.
    let mut broken = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec();
    broken.extend(std::iter::repeat_n(0x5a, 2_000));
    refused(400, "BAD_USER_INPUT")(send(Some(n.editor.clone()), vec![], broken, "hong.jpg").await);
    let mut big_pdf = b"%PDF-1.7\n".to_vec();
    big_pdf.resize(1024 * 1024 + 1, b'%');
    refused(413, "PAYLOAD_TOO_LARGE")(
        send(Some(n.editor.clone()), vec![], big_pdf, "lon.pdf").await,
    );
    let noise = image::RgbImage::from_fn(1400, 1000, |x, y| {
        let v = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(2_654_435_761);
        image::Rgb([v as u8, (v >> 8) as u8, (v >> 16) as u8])
    });
    let mut big_png = Vec::new();
    noise
        .write_to(
            &mut std::io::Cursor::new(&mut big_png),
            image::ImageFormat::Png,
        )
        .unwrap();
    assert!(big_png.len() > 1024 * 1024);
    refused(413, "PAYLOAD_TOO_LARGE")(
        send(Some(n.editor.clone()), vec![], big_png, "lon.png").await,
    );
    let small = photo::jpeg_with_exif(40, 30);
    refused(401, "UNAUTHENTICATED")(
        send(
            None,
            vec![("site", "dan-van-lam-son")],
            small.clone(),
            "a.jpg",
        )
        .await,
    );
    refused(403, "FORBIDDEN")(
        send(
            Some(n.other_editor.clone()),
            vec![("site", "dan-van-lam-son")],
            small.clone(),
            "a.jpg",
        )
        .await,
    );
    refused(400, "BAD_USER_INPUT")(
        send(
            Some(n.editor.clone()),
            vec![("caption", long)],
            small.clone(),
            "a.jpg",
        )
        .await,
    );
    refused(400, "BAD_USER_INPUT")(
        send(
            Some(n.editor.clone()),
            vec![("colour", "#fff")],
            small.clone(),
            "a.jpg",
        )
        .await,
    );
    // Through GraphQL too, with the same codes.
    let svg_by_graphql = app
        .graphql_upload(
            Some(("authorization", format!("Bearer {}", n.editor))),
            "mutation($file: Upload!) { uploadMedia(file: $file) { created } }",
            json!({}),
            svg,
            "logo.svg",
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&svg_by_graphql),
        "UNSUPPORTED_MEDIA_TYPE"
    );
    // Nothing of any of them was kept.
    assert_eq!(items(&t).await, 0);
    assert_eq!(stored_keys(&app).await, Vec::<String>::new());
    app.stop().await;
    t
}

async fn renditions_are_made_once_and_kept_for_good(
    t: TestDatabase,
    storing: Storing,
) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    let item = json_of(
        app.upload(
            Some(&n.editor),
            &[],
            photo::jpeg_with_exif(1600, 1200),
            "hoi-nghi.jpg",
        )
        .await,
    )
    .await;
    let id = item["id"].as_str().unwrap().to_owned();
    // Public once a public article uses it.
    published_with(&app, &n, json!({ "cover": id }), None).await;
    let path = format!("/media/{id}/640.webp");
    let asks = (0..16).map(|_| app.get(&path));
    let answers = futures::future::join_all(asks).await;
    let mut bodies = Vec::new();
    let mut etags = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], "image/webp");
        assert_eq!(
            answer.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        etags.push(answer.headers()["etag"].to_str().unwrap().to_owned());
        bodies.push(answer.bytes().await.unwrap());
    }
    assert_eq!(
        app.library.renditions_made(),
        1,
        "sixteen first requests, one rendition"
    );
    assert!(bodies.iter().all(|b| b == &bodies[0]) && etags.iter().all(|e| e == &etags[0]));
    let decoded = image::load_from_memory(&bodies[0]).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 853));
    // A client that has it is told so.
    let cached = app
        .client
        .get(app.url(&path))
        .header("if-none-match", &etags[0])
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    // Without an extension the client's Accept chooses.
    for (accept, mime) in [
        ("image/avif,image/webp,image/apng,*/*;q=0.8", "image/avif"),
        ("image/webp,*/*", "image/webp"),
        ("*/*", "image/jpeg"),
    ] {
        let answer = app
            .client
            .get(app.url(&format!("/media/{id}/320")))
            .header("accept", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], mime);
        assert_eq!(answer.headers()["vary"], "Accept");
        let bytes = answer.bytes().await.unwrap();
        if mime == "image/avif" {
            assert_eq!(&bytes[4..12], b"ftypavif");
        } else {
            assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 320);
        }
    }
    assert_eq!(app.library.renditions_made(), 4);
    // Only the configured widths and formats exist.
    for wrong in ["641.webp", "640.gif", "abc.jpg"] {
        let answer = app.get(&format!("/media/{id}/{wrong}")).await;
        assert_eq!(answer.status(), 404, "{wrong}");
    }
    let document = json_of(
        app.upload(
            Some(&n.editor),
            &[],
            office::docx("Kế hoạch"),
            "ke-hoach.docx",
        )
        .await,
    )
    .await;
    let answer = app
        .get(&format!(
            "/media/{}/640.webp",
            document["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(answer.status(), 404);
    app.stop().await;
    t
}

async fn deleted_media_is_hidden_then_removed(t: TestDatabase, storing: Storing) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    let item = json_of(
        app.upload(
            Some(&n.reporter),
            &[],
            photo::jpeg_with_exif(800, 600),
            "a.jpg",
        )
        .await,
    )
    .await;
    let id = item["id"].as_str().unwrap().to_owned();
    let signed = item["url"]
        .as_str()
        .unwrap()
        .replace("/original", "/320.jpg");
    assert_eq!(app.get(&signed).await.status(), 200);
    let delete = |token: &str| {
        app.client
            .delete(app.url(&format!("/api/v1/media/{id}")))
            .bearer_auth(token.to_owned())
            .send()
    };
    assert_eq!(delete(&n.reporter).await.unwrap().status(), 403);
    assert_eq!(delete(&n.editor).await.unwrap().status(), 200);
    assert_eq!(app.get(&format!("/api/v1/media/{id}")).await.status(), 404);
    assert_eq!(app.get(&format!("/media/{id}/320.jpg")).await.status(), 404);
    assert_eq!(
        app.get(&format!("/media/{id}/original")).await.status(),
        404
    );
    // Within the grace period the files stay; past it they go, and the check finds
    // nothing amiss.
    let db = &t.db;
    assert_eq!(
        danvan_service::media::purge(db, &app.library, chrono::Duration::hours(1)).await,
        Ok(0)
    );
    assert_eq!(stored_keys(&app).await.len(), 2);
    assert_eq!(
        danvan_service::media::purge(db, &app.library, chrono::Duration::zero()).await,
        Ok(1)
    );
    assert_eq!(stored_keys(&app).await, Vec::<String>::new());
    assert_eq!(
        danvan_service::media::check(db, &app.library).await,
        Ok(Default::default())
    );
    // The check tells a lost file and a file nobody names.
    let kept = json_of(
        app.upload(Some(&n.editor), &[], photo::jpeg_with_exif(80, 60), "b.jpg")
            .await,
    )
    .await;
    let lost = stored_keys(&app).await.remove(0);
    app.library.storage().delete(&lost).await.unwrap();
    app.library
        .storage()
        .put("ab/abandoned/original.jpg", b"left behind".to_vec())
        .await
        .unwrap();
    let check = danvan_service::media::check(db, &app.library)
        .await
        .unwrap();
    assert_eq!(check.missing.len(), 1, "{check:?}");
    assert!(
        check.missing[0].contains("image/jpeg"),
        "{:?} {kept}",
        check.missing
    );
    assert_eq!(check.strays, ["ab/abandoned/original.jpg"]);
    app.stop().await;
    t
}

/// Writes an article with `media` (its `cover`, `images`, `attachments` input) as the
/// editor and publishes it, now or `at` a later time: its id.
async fn published_with(app: &TestApp, n: &Newsroom, media: Value, at: Option<&str>) -> String {
    let (id, version) =
        crate::newsroom::draft(app, &n.editor, "Hội nghị sơ kết công tác dân vận").await;
    let updated = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
            json!({ "id": id, "v": version, "input": media }),
        )
        .await;
    let version = updated["data"]["updateArticle"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{updated}"));
    let published = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!, $at: DateTime) { publishArticle(id: $id, version: $v, at: $at) { status } }",
            json!({ "id": id, "v": version, "at": at }),
        )
        .await;
    assert!(published["errors"].is_null(), "{published}");
    id
}

async fn embargoed_media_is_not_public(t: TestDatabase, storing: Storing) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    let photo = json_of(
        app.upload(
            Some(&n.reporter),
            &[("caption", "Quang cảnh hội nghị")],
            photo::jpeg_with_exif(900, 600),
            "a.jpg",
        )
        .await,
    )
    .await;
    let report = json_of(
        app.upload(
            Some(&n.reporter),
            &[],
            office::docx("Báo cáo sơ kết"),
            "Báo cáo.docx",
        )
        .await,
    )
    .await;
    let (photo_id, report_id) = (
        photo["id"].as_str().unwrap(),
        report["id"].as_str().unwrap(),
    );
    // Used by nothing public: hidden from the public, open at the signed address.
    let plain = format!("/media/{photo_id}/640.webp");
    assert_eq!(app.get(&plain).await.status(), 404);
    assert_eq!(
        app.get(&format!("/api/v1/media/{photo_id}")).await.status(),
        404
    );
    let signed = photo["srcset"]["webp"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    assert!(signed.contains("?expires="), "{signed}");
    let answer = app.get(&signed).await;
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private, max-age=")
    );
    let tampered = signed.replace("signature=", "signature=A");
    assert_eq!(app.get(&tampered).await.status(), 404);
    let elsewhere = signed.replace(photo_id, report_id);
    assert_eq!(
        app.get(&elsewhere).await.status(),
        404,
        "a signature opens its own item only"
    );
    let expired = format!(
        "/media/{photo_id}/640.webp?expires=1000000000&signature={}",
        signed.rsplit('=').next().unwrap()
    );
    assert_eq!(app.get(&expired).await.status(), 404);

    // What an article may take: the site's photos as cover and images, its documents as
    // attachments.
    let (draft, version) = crate::newsroom::draft(&app, &n.editor, "Bản nháp").await;
    for (input, field) in [
        (json!({ "cover": report_id }), "cover"),
        (json!({ "attachments": [photo_id] }), "attachments"),
        (json!({ "images": [{ "media": report_id }] }), "images"),
    ] {
        let refused = app
            .graphql_as(
                &n.editor,
                "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
                json!({ "id": draft, "v": version, "input": input }),
            )
            .await;
        assert_eq!(
            crate::helpers::error_code(&refused),
            "BAD_USER_INPUT",
            "{field}: {refused}"
        );
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with(field),
            "{refused}"
        );
    }
    let other_site = app
        .upload(
            Some(&n.other_editor),
            &[],
            photo::jpeg_with_exif(50, 40),
            "b.jpg",
        )
        .await;
    let other_id = json_of(other_site).await["id"].as_str().unwrap().to_owned();
    let refused = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!, $v: Int!, $input: ArticleInput!) { updateArticle(id: $id, version: $v, input: $input) { version } }",
            json!({ "id": draft, "v": version, "input": { "cover": other_id } }),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&refused),
        "BAD_USER_INPUT",
        "{refused}"
    );

    // Scheduled for tomorrow: still hidden from the public; a partner allowed the embargo
    // reads the article with signed addresses that open.
    let media = json!({
        "cover": photo_id,
        "images": [{ "media": photo_id, "caption": "Đồng chí Trưởng ban phát biểu" }],
        "attachments": [report_id],
    });
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let article = published_with(&app, &n, media, Some(&tomorrow)).await;
    assert_eq!(app.get(&plain).await.status(), 404);
    let key = app
        .graphql_as(
            &n.admin,
            "mutation { createApiKey(name: \"Báo Lam Sơn\", scopes: [READ, EMBARGOED], site: \"dan-van-lam-son\") { key } }",
            json!({}),
        )
        .await["data"]["createApiKey"]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let embargoed = app
        .graphql_with(
            Some(("x-api-key", key)),
            "{ embargoedArticles(site: \"dan-van-lam-son\") { nodes { id cover { srcset } attachments { url fileName } images { caption srcset(format: JPEG) } } } }",
            json!({}),
        )
        .await;
    let node = &embargoed["data"]["embargoedArticles"]["nodes"][0];
    assert_eq!(node["id"], article, "{embargoed}");
    let cover = node["cover"]["srcset"].as_str().unwrap();
    assert!(cover.contains("signature="), "{cover}");
    let first = cover.split(' ').next().unwrap();
    assert_eq!(app.get(first).await.status(), 200);
    let attachment = node["attachments"][0]["url"].as_str().unwrap();
    assert_eq!(app.get(attachment).await.status(), 200);
    assert_eq!(node["attachments"][0]["fileName"], "Báo cáo.docx");
    assert_eq!(
        node["images"][0]["caption"],
        "Đồng chí Trưởng ban phát biểu"
    );
    // A photo in use is not deleted.
    let in_use = app
        .client
        .delete(app.url(&format!("/api/v1/media/{photo_id}")))
        .bearer_auth(&n.editor)
        .send()
        .await
        .unwrap();
    assert_eq!(in_use.status(), 409);

    // Published now: public, for good, at plain addresses in both doors.
    published_with(&app, &n, json!({ "cover": photo_id }), None).await;
    let answer = app.get(&plain).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let public = app
        .graphql(
            "{ articles(first: 1) { nodes { cover { id srcset(format: AVIF) } } } }",
            json!({}),
        )
        .await;
    let srcset = public["data"]["articles"]["nodes"][0]["cover"]["srcset"]
        .as_str()
        .unwrap();
    assert!(
        srcset.contains(&format!("/media/{photo_id}/320.avif 320w"))
            && !srcset.contains("signature"),
        "{srcset}"
    );
    let listed = json_of(app.get("/api/v1/articles?limit=1").await).await;
    let cover = &listed["items"][0]["cover"];
    assert_eq!(cover["id"], photo_id, "{listed}");
    assert!(
        !cover["srcset"]["webp"]
            .as_str()
            .unwrap()
            .contains("signature")
    );
    // The report is still only in the scheduled article: not public yet.
    assert_eq!(
        app.get(&format!("/media/{report_id}/original"))
            .await
            .status(),
        404
    );
    app.stop().await;
    t
}

async fn deleting_an_article_keeps_what_others_use(
    t: TestDatabase,
    storing: Storing,
) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    let photo = json_of(
        app.upload(
            Some(&n.editor),
            &[],
            photo::jpeg_with_exif(600, 400),
            "a.jpg",
        )
        .await,
    )
    .await;
    let id = photo["id"].as_str().unwrap();
    let first = published_with(&app, &n, json!({ "cover": id }), None).await;
    published_with(&app, &n, json!({ "images": [{ "media": id }] }), None).await;
    let deleted = app
        .graphql_as(
            &n.editor,
            "mutation($id: ID!) { deleteArticle(id: $id, version: 3) { id } }",
            json!({ "id": first }),
        )
        .await;
    assert!(deleted["errors"].is_null(), "{deleted}");
    // The other article still shows it, and it cannot be deleted while either uses it (a
    // deleted article may be restored).
    assert_eq!(
        app.get(&format!("/media/{id}/320.webp")).await.status(),
        200
    );
    let refused = app
        .client
        .delete(app.url(&format!("/api/v1/media/{id}")))
        .bearer_auth(&n.editor)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 409);
    assert_eq!(
        stored_keys(&app).await.len(),
        2,
        "the original and its rendition"
    );
    app.stop().await;
    t
}

/// The library as its newsroom lists it through the JSON API: `query` added to
/// `/api/v1/media`, the answer's status and body.
async fn listed(app: &TestApp, token: Option<&str>, query: &str) -> (u16, Value) {
    let mut request = app.client.get(app.url(&format!("/api/v1/media{query}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), json_of(response).await)
}

/// Uploads `bytes` as `token` with a caption: the new item's id.
async fn uploaded(app: &TestApp, token: &str, caption: &str, bytes: Vec<u8>, name: &str) -> String {
    let response = app
        .upload(Some(token), &[("caption", caption)], bytes, name)
        .await;
    assert_eq!(response.status(), 201);
    json_of(response).await["id"].as_str().unwrap().to_owned()
}

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn the_library_lists_a_site_s_items_to_its_newsroom(
    t: TestDatabase,
    storing: Storing,
) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    let (reporter, editor, other) = (&n.reporter, &n.editor, &n.other_editor);
    let hall = uploaded(
        &app,
        reporter,
        "Quang cảnh hội nghị",
        photo::jpeg_with_exif(640, 480),
        "hoi-nghi.jpg",
    )
    .await;
    let report = uploaded(
        &app,
        editor,
        "Báo cáo sơ kết 6 tháng",
        b"%PDF-1.7\n% bao cao\n%%EOF\n".to_vec(),
        "Báo cáo sơ kết.pdf",
    )
    .await;
    let speech = uploaded(
        &app,
        reporter,
        "Đồng chí Bí thư phát biểu",
        photo::jpeg_with_exif(800, 600),
        "phat-bieu.jpg",
    )
    .await;
    // Another site's photo is in its own library only.
    uploaded(
        &app,
        other,
        "Lễ ra quân",
        photo::jpeg_with_exif(500, 400),
        "ra-quan.jpg",
    )
    .await;

    // A reporter's own site, newest first, counted.
    let (status, all) = listed(&app, Some(reporter), "?count=true").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        names(&all["items"], "id"),
        [speech.as_str(), &report, &hall]
    );
    assert_eq!(
        names(&all["items"], "caption"),
        [
            "Đồng chí Bí thư phát biểu",
            "Báo cáo sơ kết 6 tháng",
            "Quang cảnh hội nghị"
        ]
    );
    assert_eq!(all["totalCount"], 3);
    // At signed addresses, which an <img> in the newsroom's editor can load without a
    // token while nothing is public.
    let url = all["items"][0]["url"].as_str().unwrap();
    assert!(url.contains("signature="), "{url}");
    assert_eq!(
        app.get(&url.replace("/original", "/320.jpg"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get(&format!("/media/{speech}/320.jpg")).await.status(),
        404
    );
    // Photos only, two to a page, the next page through the cursor.
    let (_, first) = listed(
        &app,
        Some(editor),
        "?site=dan-van-lam-son&kind=IMAGE&limit=1",
    )
    .await;
    assert_eq!(names(&first["items"], "id"), [speech.as_str()]);
    assert_eq!(first["hasMore"], true);
    let cursor = first["nextCursor"].as_str().unwrap();
    let (_, second) = listed(
        &app,
        Some(editor),
        &format!("?site=dan-van-lam-son&kind=image&limit=1&after={cursor}"),
    )
    .await;
    assert_eq!(names(&second["items"], "id"), [hall.as_str()]);
    assert_eq!(second["hasMore"], false);
    // Files only, through GraphQL.
    let documents = app
        .graphql_as(
            editor,
            r#"{ mediaLibrary(site: "dan-van-lam-son", kind: DOCUMENT) {
                totalCount edges { node { id fileName caption } }
            } }"#,
            json!({}),
        )
        .await;
    assert!(documents["errors"].is_null(), "{documents}");
    let library = &documents["data"]["mediaLibrary"];
    assert_eq!(library["totalCount"], 1);
    assert_eq!(library["edges"][0]["node"]["id"], report.as_str());
    assert_eq!(
        library["edges"][0]["node"]["fileName"],
        "Báo cáo sơ kết.pdf"
    );

    // Looked through by the words the newsroom wrote, typed as a reader types them.
    for (words, expected) in [
        ("hoi%20nghi", vec![hall.as_str()]),
        ("H%E1%BB%98I%20ngh", vec![hall.as_str()]),
        ("bao%20cao%20so%20ket", vec![report.as_str()]),
        ("phat", vec![speech.as_str()]),
        ("ra%20quan", vec![]),
    ] {
        let (status, found) = listed(&app, Some(reporter), &format!("?q={words}&count=true")).await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(names(&found["items"], "id"), expected, "{words}");
        assert_eq!(found["totalCount"], expected.len(), "{words}");
    }
    let searched = app
        .graphql_as(
            editor,
            r#"{ mediaLibrary(query: "dong chi bi thu") { totalCount edges { node { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        searched["data"]["mediaLibrary"]["totalCount"], 1,
        "{searched}"
    );
    assert_eq!(
        searched["data"]["mediaLibrary"]["edges"][0]["node"]["id"],
        speech.as_str()
    );
    let (status, refused) = listed(&app, Some(editor), &format!("?q={}", "a".repeat(201))).await;
    assert_eq!((status, refused["parameter"].as_str()), (400, Some("q")));

    // Who may not look, and what is not asked right.
    let (status, refused) = listed(&app, Some(other), "?site=dan-van-lam-son").await;
    assert_eq!((status, refused["code"].as_str()), (403, Some("FORBIDDEN")));
    let (status, _) = listed(&app, None, "?site=dan-van-lam-son").await;
    assert_eq!(status, 401);
    let (status, refused) = listed(&app, Some(&n.admin), "").await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (400, Some("BAD_USER_INPUT"))
    );
    let (status, _) = listed(&app, Some(&n.admin), "?site=khong-co").await;
    assert_eq!(status, 404);
    let (status, refused) = listed(&app, Some(editor), "?kind=VIDEO").await;
    assert_eq!((status, refused["parameter"].as_str()), (400, Some("kind")));
    let (status, _) = listed(&app, Some(editor), "?after=bogus").await;
    assert_eq!(status, 400);
    let public = app
        .graphql(
            r#"{ mediaLibrary(site: "dan-van-lam-son") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(public["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // A deleted item leaves the library.
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/media/{hall}")))
        .bearer_auth(editor)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    let (_, after) = listed(&app, Some(&n.admin), "?site=dan-van-lam-son&count=true").await;
    assert_eq!(names(&after["items"], "id"), [speech.as_str(), &report]);
    assert_eq!(after["totalCount"], 2);
    app.stop().await;
    t
}

async fn a_new_caption_reaches_every_copy_of_the_articles_showing_it(
    t: TestDatabase,
    storing: Storing,
) -> TestDatabase {
    let Some((app, n, _storage)) = start(&t, storing, |_| {}).await else {
        return t;
    };
    let photo = uploaded(
        &app,
        &n.editor,
        "Quang cảnh hội nghị",
        photo::jpeg_with_exif(700, 500),
        "hoi-nghi.jpg",
    )
    .await;
    let article = published_with(&app, &n, json!({ "cover": photo }), None).await;
    let path = format!("/api/v1/articles/{article}");
    let query = "query($id: ID!) { article(id: $id) { cover { caption } } }";
    let variables = json!({ "id": article });
    // Both doors' public answers kept: the second of each is a hit.
    for _ in 0..2 {
        let (_, _, _, body) = rest(&app, &path).await;
        assert_eq!(body["cover"]["caption"], "Quang cảnh hội nghị");
        get(&app, query, variables.clone()).await;
    }
    assert_eq!(rest(&app, &path).await.0.as_deref(), Some("HIT"));
    assert!(get(&app, query, variables.clone()).await.hit());
    // An offline client's copy of the site, synced to now.
    let mut sync = json_of(app.get("/api/v1/sync?site=dan-van-lam-son&full=true").await).await;
    while sync["hasMore"] == true {
        let token = sync["token"].as_str().unwrap().to_owned();
        sync = json_of(
            app.get(&format!(
                "/api/v1/sync?site=dan-van-lam-son&full=true&since={token}"
            ))
            .await,
        )
        .await;
    }
    let token = sync["token"].as_str().unwrap().to_owned();

    let described = app
        .client
        .patch(app.url(&format!("/api/v1/media/{photo}")))
        .bearer_auth(&n.editor)
        .json(&json!({ "caption": "Toàn cảnh hội nghị sơ kết", "credit": "Ảnh: Ngọc Lan" }))
        .send()
        .await
        .unwrap();
    assert_eq!(described.status(), 200);
    // The next answers are built again, with what the newsroom now says.
    let (cache, _, _, body) = rest(&app, &path).await;
    assert_ne!(cache.as_deref(), Some("HIT"));
    assert_eq!(body["cover"]["caption"], "Toàn cảnh hội nghị sơ kết");
    assert_eq!(body["cover"]["credit"], "Ảnh: Ngọc Lan");
    let got = get(&app, query, variables).await;
    assert!(!got.hit());
    assert_eq!(
        got.body["data"]["article"]["cover"]["caption"],
        "Toàn cảnh hội nghị sơ kết"
    );
    // The client's next sync brings the article again, as it now reads.
    let sync = json_of(
        app.get(&format!(
            "/api/v1/sync?site=dan-van-lam-son&full=true&since={token}"
        ))
        .await,
    )
    .await;
    let synced: Vec<&Value> = sync["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] == article.as_str())
        .collect();
    assert_eq!(synced.len(), 1, "{sync}");
    assert_eq!(synced[0]["cover"]["caption"], "Toàn cảnh hội nghị sơ kết");
    app.stop().await;
    t
}

macro_rules! on_every_backend_and_storage {
    ($($test:ident),+ $(,)?) => {
        mod sqlite_folder {
            use danvan_testing::{Backend, storage::Storing};
            $(#[tokio::test]
            async fn $test() {
                danvan_testing::run(Backend::Sqlite, stringify!($test), |t| super::$test(t, Storing::Folder)).await;
            })+
        }
        mod sqlite_s3 {
            use danvan_testing::{Backend, storage::Storing};
            $(#[tokio::test]
            async fn $test() {
                danvan_testing::run(Backend::Sqlite, stringify!($test), |t| super::$test(t, Storing::S3)).await;
            })+
        }
        mod postgres_folder {
            use danvan_testing::{Backend, storage::Storing};
            $(#[tokio::test]
            async fn $test() {
                danvan_testing::run(Backend::Postgres, stringify!($test), |t| super::$test(t, Storing::Folder)).await;
            })+
        }
        mod postgres_s3 {
            use danvan_testing::{Backend, storage::Storing};
            $(#[tokio::test]
            async fn $test() {
                danvan_testing::run(Backend::Postgres, stringify!($test), |t| super::$test(t, Storing::S3)).await;
            })+
        }
    };
}

on_every_backend_and_storage!(
    uploads_of_each_kind_are_kept,
    bad_and_oversize_files_are_refused,
    renditions_are_made_once_and_kept_for_good,
    deleted_media_is_hidden_then_removed,
    embargoed_media_is_not_public,
    deleting_an_article_keeps_what_others_use,
    the_library_lists_a_site_s_items_to_its_newsroom,
    a_new_caption_reaches_every_copy_of_the_articles_showing_it,
);
