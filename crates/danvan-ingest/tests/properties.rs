//! Whatever an editor pastes, reading and extraction answer without panicking: the
//! `previewImport` mutation runs them on untrusted input.

#![allow(missing_docs)]

use danvan_ingest::extract::Places;
use danvan_ingest::{RawPage, extract, read_page};
use proptest::prelude::*;

/// Lines built from the pieces the rules look for, glued in any order.
fn page_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "đồng chí ",
        "Đồng chí ",
        "Trần Hồng Quảng",
        ", ",
        "UVBTV",
        "Trưởng Ban ",
        "Huyện uỷ",
        " tỉnh",
        " huyện ",
        "Gia Viễn",
        " tổ chức ",
        "Hội nghị sơ kết ",
        "6 tháng đầu năm",
        "Sáng 30/6",
        "Hơn ",
        "1.272/1.337",
        " đơn",
        "trên 95%",
        " mô hình",
        "Nghị quyết số ",
        "25-NQ/TW",
        " của ",
        " về ",
        "“",
        "”",
        "\"",
        "phong trào ",
        "Từ khóa",
        ": ",
        ". ",
        "; ",
        "\n",
        "\n\n",
        "Thứ 3, 30.06.2020 | 16:45:14",
        "328 lượt xem",
        " (",
        ")",
        " – ",
        "đề nghị",
        " chủ trì",
        "Ủ",
        "y viên",
        "hội nghịPhát",
        "<p>",
        "</p>",
        "<h1>",
        "<figcaption>",
        "<!DOCTYPE html>",
        "ệ",
        "\u{a0}",
        "\u{200b}",
        "ǅ",
        "İ",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(str::to_owned), any::<String>()],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reading_and_extracting_never_panic(text in page_like()) {
        if let Ok(page) = RawPage::from_bytes(text.as_bytes()) {
            let article = read_page(&page);
            let extraction = extract(&article, Places::default());
            let _ = danvan_ingest::json::extraction(&extraction);
        }
    }
}
