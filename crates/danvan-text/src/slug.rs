//! URL slugs from Vietnamese titles and names.

use crate::fold;

/// A slug of lower-case ASCII letters and digits joined by single hyphens, made from the
/// folded text: "Dân vận khéo: nhân rộng mô hình" gives `dan-van-kheo-nhan-rong-mo-hinh`.
/// Letters outside Vietnamese are transliterated so that any title gives a usable slug;
/// a text without a letter or digit gives an empty slug, which callers reject.
pub fn slugify(s: &str) -> String {
    let folded = deunicode::deunicode(&fold(s)).to_lowercase();
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_vietnamese_titles() {
        assert_eq!(
            slugify("Dân vận khéo: nhân rộng mô hình"),
            "dan-van-kheo-nhan-rong-mo-hinh"
        );
        assert_eq!(
            slugify("Sơ kết 6 tháng đầu năm 2020 — Đảng ủy Khối"),
            "so-ket-6-thang-dau-nam-2020-dang-uy-khoi"
        );
    }

    #[test]
    fn slugify_treats_both_tone_conventions_alike() {
        assert_eq!(slugify("Huyện uỷ"), slugify("Huyện ủy"));
    }

    #[test]
    fn slugify_of_punctuation_only_is_empty() {
        assert_eq!(slugify(" – “” ./. "), "");
    }
}
