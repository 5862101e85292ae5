//! The library on a real storage: a local folder, and the S3-compatible server when
//! `TEST_S3_ENDPOINT` names one.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_media::library::original_key;
use danvan_media::{Encoding, Format, Kind, Library, SizeLimits, Storage};
use danvan_testing::photo::{self, CAMERA, PLACE};
use danvan_testing::storage::{Storing, TestStorage};
use futures::StreamExt;

async fn library(storing: Storing, test: &str) -> Option<(Library, TestStorage)> {
    let storage = TestStorage::new(storing, test).await?;
    let scratch = tempfile::tempdir().unwrap().keep();
    let files = Storage::open(&storage.place, Some(scratch)).unwrap();
    Some((
        Library::new(files, vec![640, 320, 1280], SizeLimits::default()),
        storage,
    ))
}

fn body(bytes: Vec<u8>) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    let parts: Vec<Vec<u8>> = bytes.chunks(10_000).map(<[u8]>::to_vec).collect();
    futures::stream::iter(parts.into_iter().map(|p| Ok(bytes::Bytes::from(p))))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn a_photo_is_kept_without_its_exif_and_turned_upright(storing: Storing) {
    let Some((library, _storage)) = library(storing, "a_photo_is_kept").await else {
        return;
    };
    let upload = photo::jpeg_with_exif(400, 300);
    assert!(contains(&upload, CAMERA.as_bytes()) && contains(&upload, b"Exif"));
    let received = library.receive(body(upload)).await.unwrap();
    assert_eq!(received.format, Format::Jpeg);
    let kept = library.keep(&received).await.unwrap();
    assert_eq!(kept.kind, Kind::Image);
    // Orientation 6: the 400 × 300 sensor image is shown 300 wide, 400 high.
    assert_eq!((kept.width, kept.height), (Some(300), Some(400)));
    let stored = library
        .storage()
        .get(&original_key(&kept.hash, kept.format))
        .await
        .unwrap();
    for secret in [CAMERA.as_bytes(), PLACE.as_bytes(), b"Exif"] {
        assert!(
            !contains(&stored, secret),
            "{}",
            String::from_utf8_lossy(secret)
        );
    }
    let decoded = image::load_from_memory(&stored).unwrap().to_rgb8();
    assert_eq!(decoded.dimensions(), (300, 400));
    // The red left half of the sensor image is the top once turned clockwise.
    let top = decoded.get_pixel(150, 20).0;
    let bottom = decoded.get_pixel(150, 380).0;
    assert!(top[0] > 150 && top[2] < 80, "{top:?}");
    assert!(bottom[2] > 120 && bottom[0] < 80, "{bottom:?}");
    assert_eq!(kept.thumbhash.as_ref().map(|h| h.len() > 5), Some(true));
    assert!(
        kept.colour
            .as_deref()
            .is_some_and(|c| c.starts_with('#') && c.len() == 7)
    );
}

async fn renditions_are_made_once_and_have_their_size(storing: Storing) {
    let Some((library, _storage)) = library(storing, "renditions_are_made_once").await else {
        return;
    };
    let received = library
        .receive(body(photo::jpeg_with_exif(1600, 1200)))
        .await
        .unwrap();
    let kept = library.keep(&received).await.unwrap();
    let library = std::sync::Arc::new(library);
    let asks: Vec<_> = (0..16)
        .map(|_| {
            let library = std::sync::Arc::clone(&library);
            let hash = kept.hash.clone();
            tokio::spawn(async move {
                library
                    .rendition(&hash, Format::Jpeg, 640, Encoding::Webp)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let answers = futures::future::join_all(asks).await;
    assert_eq!(library.renditions_made(), 1);
    let first = answers[0].as_ref().unwrap();
    assert!(answers.iter().all(|a| a.as_ref().unwrap() == first));
    let webp = image::load_from_memory(first).unwrap();
    // 1,200 × 1,600 upright, shown 640 wide.
    assert_eq!((webp.width(), webp.height()), (640, 853));
    let jpeg = library
        .rendition(&kept.hash, Format::Jpeg, 320, Encoding::Jpeg)
        .await
        .unwrap();
    assert_eq!(image::load_from_memory(&jpeg).unwrap().width(), 320);
    let avif = library
        .rendition(&kept.hash, Format::Jpeg, 320, Encoding::Avif)
        .await
        .unwrap();
    assert_eq!(&avif[4..12], b"ftypavif");
    // Wider than the photo: its own width.
    let widest = library
        .rendition(&kept.hash, Format::Jpeg, 1280, Encoding::Jpeg)
        .await
        .unwrap();
    assert_eq!(image::load_from_memory(&widest).unwrap().width(), 1200);
    assert_eq!(library.renditions_made(), 4);
    // A second request reads what the first made.
    library
        .rendition(&kept.hash, Format::Jpeg, 640, Encoding::Webp)
        .await
        .unwrap();
    assert_eq!(library.renditions_made(), 4);
    let refused = library
        .rendition(&kept.hash, Format::Jpeg, 641, Encoding::Webp)
        .await;
    assert!(
        matches!(refused, Err(danvan_media::MediaError::NoSuchRendition(m)) if m.contains("320, 640, 1280"))
    );
    let keys: Vec<String> = library.storage().keys().map(Result::unwrap).collect().await;
    assert_eq!(keys.len(), 5, "{keys:?}");
}

async fn a_document_is_kept_as_it_came(storing: Storing) {
    let Some((library, _storage)) = library(storing, "a_document_is_kept").await else {
        return;
    };
    let mut pdf =
        b"%PDF-1.7\n1 0 obj << /Title (B\xC3\xA1o c\xC3\xA1o s\xC6\xA1 k\xE1\xBA\xBFt) >>\n"
            .to_vec();
    pdf.resize(3 * 1024 * 1024 + 17, b'%');
    let received = library.receive(body(pdf.clone())).await.unwrap();
    let kept = library.keep(&received).await.unwrap();
    assert_eq!(
        (kept.kind, kept.format, kept.size),
        (Kind::Document, Format::Pdf, pdf.len() as u64)
    );
    let stored = library
        .storage()
        .get(&original_key(&kept.hash, Format::Pdf))
        .await
        .unwrap();
    assert_eq!(stored.as_ref(), pdf.as_slice());
}

#[test]
fn office_documents_are_told_apart_by_their_bytes() {
    use danvan_testing::office;
    let text = "Kế hoạch triển khai Quy chế dân chủ ở cơ sở";
    assert_eq!(
        danvan_media::format::sniff(&office::docx(text)).ok(),
        Some(Format::Docx)
    );
    assert_eq!(
        danvan_media::format::sniff(&office::xlsx(text)).ok(),
        Some(Format::Xlsx)
    );
    assert_eq!(
        danvan_media::format::sniff(&office::odt(text)).ok(),
        Some(Format::Odt)
    );
}

macro_rules! on_both_storages {
    ($($test:ident),+ $(,)?) => {
        mod folder {
            $(#[tokio::test] async fn $test() { super::$test(danvan_testing::storage::Storing::Folder).await })+
        }
        mod s3 {
            $(#[tokio::test] async fn $test() { super::$test(danvan_testing::storage::Storing::S3).await })+
        }
    };
}

on_both_storages!(
    a_photo_is_kept_without_its_exif_and_turned_upright,
    renditions_are_made_once_and_have_their_size,
    a_document_is_kept_as_it_came,
);
