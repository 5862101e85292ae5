//! "Dân vận khéo" models a text names: mô hình “Camera an ninh tự quản”, mô hình "Dòng
//! họ không có người vi phạm pháp luật", with the field they work in, told by their words.
//! "Mô hình “Dân vận khéo”" names the movement, not a model, and is left out.

use super::SentenceRef;
use super::names::same_name;
use danvan_domain::model::DvkField;
use danvan_text::fold;

/// A model named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedModel {
    /// Its name, as quoted: "Camera an ninh tự quản".
    pub name: String,
    /// The field its words tell.
    pub field: DvkField,
    /// Where it is first named.
    pub at: SentenceRef,
}

/// The words that tell a model's field, folded, tried in order on the name and then on
/// the sentence that names it.
const FIELD_WORDS: &[(DvkField, &[&str])] = &[
    (
        DvkField::DefenceSecurity,
        &[
            "an ninh",
            "quoc phong",
            "trat tu",
            "toi pham",
            "camera",
            "ma tuy",
            "phong chay",
        ],
    ),
    (
        DvkField::PoliticalSystem,
        &[
            "he thong chinh tri",
            "cai cach hanh chinh",
            "mot cua",
            "chi bo",
            "dang vien",
            "dan chu",
            "chinh quyen",
        ],
    ),
    (
        DvkField::Economy,
        &[
            "kinh te",
            "san xuat",
            "giam ngheo",
            "thoat ngheo",
            "thu nhap",
            "nong thon moi",
            "hop tac xa",
            "chan nuoi",
            "trong trot",
            "lam giau",
            "hien dat",
            "giao thong",
        ],
    ),
    (
        DvkField::CultureSociety,
        &[
            "van hoa",
            "xa hoi",
            "moi truong",
            "rac",
            "ve sinh",
            "hoa giai",
            "khuyen hoc",
            "giao duc",
            "y te",
            "an sinh",
            "nguoi cao tuoi",
            "tre em",
            "gia dinh",
            "dong ho",
            "tinh nghia",
            "xanh",
            "sach",
        ],
    ),
];

/// The field a model's name (or the sentence naming it) tells; the name decides first.
fn field_of(name: &str, sentence: &str) -> Option<DvkField> {
    [fold(name), fold(sentence)].into_iter().find_map(|text| {
        FIELD_WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| text.contains(w)))
            .map(|(field, _)| *field)
    })
}

/// The models the sentences name, each once, with a field their words tell (a model whose
/// field nothing tells is left out: a model record needs one).
pub fn named_models(sentences: &[SentenceRef]) -> Vec<NamedModel> {
    let mut found: Vec<NamedModel> = Vec::new();
    for sentence in sentences {
        let text = sentence.text.as_str();
        let mut from = 0;
        while let Some(at) = next_model_word(text, from) {
            from = at;
            let Some(quoted) = text[at..].strip_prefix(['“', '"']) else {
                continue;
            };
            let Some(end) = quoted.find(['”', '"']) else {
                break;
            };
            let name = quoted[..end].trim();
            from = text.len() - quoted.len() + end;
            if fold(name) == "dan van kheo" || name.split_whitespace().count() < 2 {
                continue;
            }
            if found.iter().any(|m| same_name(&m.name, name)) {
                continue;
            }
            if let Some(field) = field_of(name, text) {
                found.push(NamedModel {
                    name: name.to_owned(),
                    field,
                    at: sentence.clone(),
                });
            }
        }
    }
    found
}

/// Where the next "mô hình " (or "Mô hình ") after `from` ends.
fn next_model_word(text: &str, from: usize) -> Option<usize> {
    ["mô hình ", "Mô hình "]
        .iter()
        .filter_map(|w| text[from..].find(w).map(|at| from + at + w.len()))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SentenceRef {
        SentenceRef {
            paragraph: 0,
            sentence: 0,
            text: text.to_owned(),
        }
    }

    #[test]
    fn models_are_named_with_their_field() {
        let found = named_models(&[
            at(
                "Xã Yên Bình xây dựng mô hình “Camera an ninh tự quản” và mô hình \"Tuyến đường hoa, xanh – sạch – đẹp\".",
            ),
            at(
                "Phong trào thi đua, mô hình “Dân vận khéo” được nhân rộng; Mô hình “Chi bộ không có đảng viên vi phạm” được công nhận.",
            ),
        ]);
        let named: Vec<(&str, DvkField)> =
            found.iter().map(|m| (m.name.as_str(), m.field)).collect();
        assert_eq!(
            named,
            [
                ("Camera an ninh tự quản", DvkField::DefenceSecurity),
                (
                    "Tuyến đường hoa, xanh – sạch – đẹp",
                    DvkField::CultureSociety
                ),
                (
                    "Chi bộ không có đảng viên vi phạm",
                    DvkField::PoliticalSystem
                ),
            ]
        );
    }
}
