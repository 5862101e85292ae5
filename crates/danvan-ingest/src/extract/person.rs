//! People a text names and the posts it gives them: "đồng chí Trần Hồng Quảng, Phó Bí thư
//! Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh, Trưởng các Ban Chỉ đạo chủ trì hội nghị" is one
//! person with three posts.

use super::SentenceRef;
use super::names::{post, same_name};
use super::sentence::word_spans;
use danvan_text::fold;

/// A person named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPerson {
    /// The full name as printed: "Trần Hồng Quảng".
    pub name: String,
    /// The posts the text gives, in printed order, each once.
    pub positions: Vec<StatedPosition>,
    /// Every sentence that names the person, the first first.
    pub mentions: Vec<SentenceRef>,
}

/// A post a text gives a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedPosition {
    /// The post as printed, abbreviations written out and scoped: "Ủy viên Ban Thường vụ
    /// Huyện ủy".
    pub printed: String,
    /// The title: "Trưởng Ban", "Phó Bí thư Thường trực", "Chủ tịch".
    pub title: String,
    /// The body it is held in, as printed ("Ban Dân vận Huyện ủy"); `None` when the post
    /// names no single body ("Trưởng các Ban Chỉ đạo").
    pub organisation: Option<String>,
    /// Where.
    pub at: SentenceRef,
}

/// Words that stand before a name and are not part of it.
const HONORIFICS: [&str; 8] = [
    "đồng chí",
    "Đồng chí",
    "đ/c",
    "Đ/c",
    "ông",
    "Ông",
    "bà",
    "Bà",
];

/// Words that end a list of posts: what the person did ("chủ trì", "phát biểu"), folded.
const VERBS: [&str; 27] = [
    "chu tri",
    "phat bieu",
    "du",
    "tham du",
    "de nghi",
    "ghi nhan",
    "cung",
    "nhan manh",
    "khang dinh",
    "cho biet",
    "ket luan",
    "trao",
    "tang",
    "yeu cau",
    "chuc mung",
    "bao cao",
    "trinh bay",
    "da",
    "tai",
    "thay mat",
    "neu",
    "danh gia",
    "bieu duong",
    "quan triet",
    "truyen dat",
    "gui",
    "chi dao",
];

/// Cuts a post where what the person did begins: "Chủ tịch HĐND tỉnh phát biểu kết luận"
/// is "Chủ tịch HĐND tỉnh". "chỉ đạo" after "Ban" names a board, not an act.
fn cut_at_verb(text: &str) -> (&str, bool) {
    let words = word_spans(text);
    for (i, (start, _)) in words.iter().enumerate() {
        let one = fold(words[i].1);
        let two = words.get(i + 1).map(|(_, n)| format!("{one} {}", fold(n)));
        let after_ban = i > 0 && fold(words[i - 1].1) == "ban";
        let verb = VERBS
            .iter()
            .any(|v| *v == one || two.as_deref() == Some(*v))
            && !(after_ban && one == "chi")
            && words[i].1.chars().next().is_some_and(char::is_lowercase);
        if verb && i > 0 {
            return (text[..*start].trim_end(), true);
        }
    }
    (text, false)
}

/// The name at the start of `text`: two to four capitalised words, not a post.
fn name_at(text: &str) -> Option<&str> {
    let mut end = 0;
    let mut count = 0;
    for word in text.split(' ') {
        let bare = word.trim_end_matches([',', ';', '.', ':']);
        let is_name_word = bare.chars().next().is_some_and(char::is_uppercase)
            && bare.chars().all(char::is_alphabetic)
            && bare.chars().skip(1).all(char::is_lowercase);
        if !is_name_word || count == 4 {
            break;
        }
        end += word.len() + usize::from(count > 0);
        count += 1;
        if bare.len() != word.len() {
            end -= word.len() - bare.len();
            break;
        }
    }
    let name = text[..end].trim();
    // "Phó Bí thư …" starts with capitals too: a post, not a name.
    ((2..=4).contains(&count) && post(text).is_none()).then_some(name)
}

/// The people the sentences name, each once, with their posts. Names followed by their
/// posts are read first; then "Đồng chí Phó Bí thư …, Chủ tịch HĐND tỉnh Trần Hồng Quảng",
/// posts before a name, counts as a mention of a name met anywhere in the article.
pub fn named_people(sentences: &[SentenceRef]) -> Vec<NamedPerson> {
    let mut people: Vec<NamedPerson> = Vec::new();
    for posts_first in [false, true] {
        for sentence in sentences {
            for rest in after_honorifics(&sentence.text) {
                match (name_at(rest), posts_first) {
                    (Some(name), false) => {
                        let positions = positions_after(&rest[name.len()..], sentence);
                        note(&mut people, name, positions, sentence);
                    }
                    (None, true) => {
                        let posts = cut_at_verb(rest).0;
                        if let Some(known) = people
                            .iter()
                            .map(|p| p.name.clone())
                            .find(|n| posts.ends_with(n.as_str()))
                        {
                            note(&mut people, &known, Vec::new(), sentence);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for person in &mut people {
        person.mentions.sort_by_key(|m| (m.paragraph, m.sentence));
    }
    people
}

/// The text after each honorific of a sentence that names one person ("các đồng chí …"
/// names a group).
fn after_honorifics(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for honorific in HONORIFICS {
        let mut from = 0;
        while let Some(at) = text[from..].find(honorific).map(|n| from + n) {
            from = at + honorific.len();
            let before = fold(text[..at].trim_end());
            let starts_word = text[..at]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric());
            if starts_word && !before.ends_with("cac") {
                found.push(text[from..].trim_start());
            }
        }
    }
    found
}

/// Adds a mention of `name` with its posts; a post said again is kept once.
fn note(
    people: &mut Vec<NamedPerson>,
    name: &str,
    positions: Vec<StatedPosition>,
    sentence: &SentenceRef,
) {
    let index = match people.iter().position(|p| same_name(&p.name, name)) {
        Some(index) => index,
        None => {
            people.push(NamedPerson {
                name: name.to_owned(),
                positions: Vec::new(),
                mentions: Vec::new(),
            });
            people.len() - 1
        }
    };
    let person = &mut people[index];
    if !person.mentions.contains(sentence) {
        person.mentions.push(sentence.clone());
    }
    for position in positions {
        if !person
            .positions
            .iter()
            .any(|p| same_post(&p.printed, &position.printed))
        {
            person.positions.push(position);
        }
    }
}

/// Whether two printings are one post: equal without case and tone placement, one the
/// start of the other, or alike in their first five words ("Trưởng Ban Chỉ đạo Xây dựng cơ
/// sở … tỉnh" and "… tỉnh Thanh Hóa", even with a typo further on).
fn same_post(a: &str, b: &str) -> bool {
    let (a, b) = (danvan_text::search_key(a), danvan_text::search_key(b));
    let first = |s: &str| s.split(' ').take(5).collect::<Vec<_>>().join(" ");
    a.starts_with(&b) || b.starts_with(&a) || a.split(' ').count() >= 5 && first(&a) == first(&b)
}

/// The posts listed after a name: ", UVBTV, Trưởng Ban Dân vận Huyện uỷ; …". A post
/// printed without its body's committee ("Ủy viên Ban Thường vụ") takes the one of the
/// post after it ("…, Trưởng Ban Dân vận Huyện ủy").
fn positions_after(text: &str, sentence: &SentenceRef) -> Vec<StatedPosition> {
    // After a comma ("Trần Văn A, Chủ tịch …"), a dash ("Trần Văn A - Bí thư …") or in
    // brackets ("ông Trần Văn A (Chủ tịch UBND huyện)").
    let text = text.trim_start();
    let list = if let Some(inside) = text.strip_prefix('(') {
        inside.split(')').next().unwrap_or_default()
    } else if let Some(list) = [",", "- ", "– ", "— "]
        .iter()
        .find_map(|mark| text.strip_prefix(mark))
    {
        list.split([';', '(', ':']).next().unwrap_or_default()
    } else {
        return Vec::new();
    };
    let mut posts: Vec<(String, String)> = Vec::new();
    for piece in list.split(',') {
        let (piece, ended) = cut_at_verb(piece.trim());
        let piece = piece.trim().trim_end_matches(['.', '…']);
        match post(piece) {
            Some(found) => posts.push(found),
            None => break,
        }
        if ended {
            break;
        }
    }
    let committee = |body: &str| {
        let words: Vec<&str> = body.split(' ').collect();
        (words.len() >= 2)
            .then(|| words[words.len() - 2..].join(" "))
            .filter(|last| fold(last).ends_with(" uy"))
    };
    let mut positions = Vec::new();
    for (i, (title, body)) in posts.iter().enumerate() {
        let mut body = body.clone();
        if fold(&body) == "ban thuong vu"
            && let Some(scope) = posts[i + 1..].iter().find_map(|(_, b)| committee(b))
        {
            body = format!("{body} {scope}");
        }
        let organisation =
            (!body.is_empty() && !fold(&body).starts_with("cac ")).then(|| body.clone());
        let head = title.strip_suffix(" Ban").unwrap_or(title);
        let printed = if body.is_empty() {
            title.clone()
        } else {
            format!("{head} {body}")
        };
        positions.push(StatedPosition {
            printed,
            title: title.clone(),
            organisation,
            at: sentence.clone(),
        });
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::sentences;

    fn people(text: &str) -> Vec<NamedPerson> {
        named_people(&sentences(&[text.to_owned()]))
    }

    fn posts(person: &NamedPerson) -> Vec<(&str, Option<&str>)> {
        person
            .positions
            .iter()
            .map(|p| (p.title.as_str(), p.organisation.as_deref()))
            .collect()
    }

    #[test]
    fn one_person_with_three_posts() {
        let found = people(
            "Đồng chí Trần Hồng Quảng, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh, Trưởng các Ban Chỉ đạo chủ trì hội nghị.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Trần Hồng Quảng");
        assert_eq!(
            posts(&found[0]),
            [
                ("Phó Bí thư Thường trực", Some("Tỉnh ủy")),
                ("Chủ tịch", Some("Hội đồng nhân dân tỉnh")),
                ("Trưởng", None),
            ]
        );
        assert_eq!(found[0].positions[2].printed, "Trưởng các Ban Chỉ đạo");
    }

    #[test]
    fn an_abbreviated_post_takes_the_committee_of_the_next() {
        let found = people(
            "Dự Hội nghị có đồng chí Đặng Thanh Bình, UVBTV, Trưởng Ban Dân vận Huyện uỷ; đồng chí Nguyễn Mạnh Hùng, UVBTV, Trưởng Ban Tuyên giáo Huyện uỷ, Giám đốc Trung tâm Chính trị huyện; các đồng chí Thành viên các Ban Chỉ đạo.",
        );
        let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Đặng Thanh Bình", "Nguyễn Mạnh Hùng"]);
        assert_eq!(
            found[0].positions[0].printed,
            "Ủy viên Ban Thường vụ Huyện ủy"
        );
        assert_eq!(
            posts(&found[1]),
            [
                ("Ủy viên", Some("Ban Thường vụ Huyện ủy")),
                ("Trưởng Ban", Some("Ban Tuyên giáo Huyện ủy")),
                ("Giám đốc", Some("Trung tâm Chính trị huyện")),
            ]
        );
    }

    #[test]
    fn a_post_said_again_is_kept_once_and_posts_before_a_known_name_count_as_a_mention() {
        let found = people(
            "Đồng chí Trần Hồng Quảng, Phó Bí thư Thường trực Tỉnh ủy chủ trì. Đồng chí Phó Bí thư Thường trực Tỉnh uỷ Trần Hồng Quảng cũng đề nghị tiếp tục. Đồng chí Trần Hồng Quảng, Phó Bí thư Thường trực Tỉnh uỷ phát biểu.",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].positions.len(), 1);
        assert_eq!(found[0].mentions.len(), 3);
    }
}
