//! The media library's records: a site's library looked through by kind and by the words
//! the newsroom wrote, with or without diacritics, before and after the migration that
//! keeps those words folded.

use crate::fixtures::site;
use danvan_domain::media::{MediaData, MediaKind, MediaText};
use danvan_domain::{Name, Title};
use danvan_store::PageRequest;
use danvan_store::media::{LibraryFilter, Media};
use danvan_testing::TestDatabase;
use sea_orm::DatabaseConnection;

fn item(
    site: danvan_domain::SiteId,
    hash: &str,
    kind: MediaKind,
    caption: &str,
    file: &str,
) -> MediaData {
    MediaData {
        site_id: site,
        hash: hash.to_owned(),
        kind,
        mime: match kind {
            MediaKind::Image => "image/jpeg".into(),
            MediaKind::Document => "application/pdf".into(),
        },
        size: 1000,
        width: None,
        height: None,
        thumbhash: None,
        colour: None,
        text: MediaText {
            caption: Some(Title::parse(caption).unwrap()),
            alt: None,
            credit: Some(Name::parse("Ảnh: Ngọc Lan").unwrap()),
        },
        file_name: Some(Name::parse(file).unwrap()),
        created_by: None,
    }
}

async fn found(
    db: &DatabaseConnection,
    site: danvan_domain::SiteId,
    kind: Option<MediaKind>,
    words: &str,
) -> Vec<i64> {
    let filter = LibraryFilter {
        kind,
        words: words.to_owned(),
    };
    let page = danvan_store::media::library(db, site, &filter, &PageRequest::new(10, None))
        .await
        .unwrap();
    let count = danvan_store::media::library_count(db, site, &filter)
        .await
        .unwrap();
    assert_eq!(count, page.items.len() as u64, "{words:?}");
    page.items.iter().map(|m: &Media| m.id.0).collect()
}

pub async fn a_library_is_searched_by_its_words_after_the_migration(
    t: TestDatabase,
) -> TestDatabase {
    let db = &t.db;
    let home = site(db, "dan-van-lam-son", "Dân vận Lâm Sơn").await;
    let other = site(db, "phu-thinh", "Phú Thịnh").await;
    let keep =
        |data: MediaData| async move { danvan_store::media::keep(db, &data).await.unwrap().0 };
    let hall = keep(item(
        home.id,
        "a1",
        MediaKind::Image,
        "Quang cảnh hội nghị",
        "IMG_0412.jpg",
    ))
    .await;
    let report = keep(item(
        home.id,
        "b2",
        MediaKind::Document,
        "Báo cáo sơ kết 6 tháng",
        "Báo cáo sơ kết.pdf",
    ))
    .await;
    let speech = keep(item(
        home.id,
        "c3",
        MediaKind::Image,
        "Đồng chí Bí thư phát biểu",
        "phat-bieu.jpg",
    ))
    .await;
    keep(item(
        other.id,
        "d4",
        MediaKind::Image,
        "Hội nghị ở Phú Thịnh",
        "hoi-nghi.jpg",
    ))
    .await;
    let check = || async {
        assert_eq!(
            found(db, home.id, None, "").await,
            [speech.id.0, report.id.0, hall.id.0]
        );
        assert_eq!(
            found(db, home.id, Some(MediaKind::Image), "").await,
            [speech.id.0, hall.id.0]
        );
        // Typed with or without marks, in any case, word beginnings only.
        assert_eq!(found(db, home.id, None, "hoi nghi").await, [hall.id.0]);
        assert_eq!(found(db, home.id, None, "HỘI NGHỊ").await, [hall.id.0]);
        assert_eq!(found(db, home.id, None, "hội ngh").await, [hall.id.0]);
        assert_eq!(found(db, home.id, None, "ghi").await, Vec::<i64>::new());
        // The credit and the file's name are read too.
        assert_eq!(found(db, home.id, None, "ngoc lan").await.len(), 3);
        assert_eq!(found(db, home.id, None, "img_0412").await, [hall.id.0]);
        assert_eq!(
            found(db, home.id, Some(MediaKind::Document), "so ket").await,
            [report.id.0]
        );
        assert_eq!(
            found(db, home.id, Some(MediaKind::Image), "so ket").await,
            Vec::<i64>::new()
        );
        assert_eq!(found(db, home.id, None, "đồng chí").await, [speech.id.0]);
        // "%" and "_" mean nothing to the search.
        assert_eq!(found(db, home.id, None, "%").await.len(), 3);
    };
    check().await;
    // What is described anew is found by its new words, no longer by its old.
    let new_text = MediaText {
        caption: Some(Title::parse("Toàn cảnh lễ ra quân").unwrap()),
        alt: None,
        credit: None,
    };
    danvan_store::media::set_text(db, &hall, &new_text)
        .await
        .unwrap();
    assert_eq!(found(db, home.id, None, "ra quan").await, [hall.id.0]);
    assert_eq!(
        found(db, home.id, None, "hoi nghi").await,
        Vec::<i64>::new()
    );
    danvan_store::media::set_text(db, &hall, &hall.data.text)
        .await
        .unwrap();
    // Undone (the column gone) and done again (filled from what the items say).
    crate::fixtures::migrate_again_from(db, "m20261206_000023_media_search_key").await;
    check().await;
    t
}

danvan_testing::on_both_backends!(a_library_is_searched_by_its_words_after_the_migration);
