//! Bodies and posts as printed: abbreviations and what they stand for, the places that
//! scope them ("HĐND tỉnh" is the council of the province the page is about), and the
//! words that start a post ("Phó Bí thư Thường trực", "Trưởng").

use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
use danvan_text::{ToneStyle, fold, normalize_tones, search_key};

/// A text with its abbreviations written out: "Chủ tịch HĐND tỉnh" is "Chủ tịch Hội đồng
/// nhân dân tỉnh". Punctuation around a word stays.
pub fn expand(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '&'));
            // The table is danvan-text's, which the search reads too.
            match danvan_text::abbreviation::printed(core) {
                Some(a) if !core.is_empty() => word.replacen(a.short, a.long, 1),
                _ => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a text holds an abbreviation of the table.
pub fn has_abbreviation(text: &str) -> bool {
    expand(text) != text
}

/// The places a page is about, from its site and its headers: "tỉnh Lạng Sơn",
/// "huyện Gia Viễn".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// The province (or centrally governed city) by name: "Lạng Sơn".
    pub province: Option<String>,
    /// The district: "Gia Viễn".
    pub district: Option<String>,
    /// The commune: "Yên Bình".
    pub commune: Option<String>,
}

/// The words that name a level of place, in lower case, with the level. Compared with
/// their diacritics: "cơ quan" is not "quận".
const PLACE_WORDS: [(&str, OrganisationLevel); 9] = [
    ("tỉnh", OrganisationLevel::Province),
    ("thành phố", OrganisationLevel::Province),
    ("huyện", OrganisationLevel::District),
    ("thị xã", OrganisationLevel::District),
    ("quận", OrganisationLevel::District),
    ("xã", OrganisationLevel::Commune),
    ("phường", OrganisationLevel::Commune),
    ("thị trấn", OrganisationLevel::Commune),
    ("đặc khu", OrganisationLevel::Commune),
];

/// "gia viễn" or "GIA VIỄN" as "Gia Viễn".
fn title_case(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Places {
    /// The name of the place at `level`.
    pub fn at(&self, level: OrganisationLevel) -> Option<&str> {
        match level {
            OrganisationLevel::Province => self.province.as_deref(),
            OrganisationLevel::District => self.district.as_deref(),
            OrganisationLevel::Commune => self.commune.as_deref(),
            _ => None,
        }
    }

    fn set(&mut self, level: OrganisationLevel, name: String) {
        let slot = match level {
            OrganisationLevel::Province => &mut self.province,
            OrganisationLevel::District => &mut self.district,
            OrganisationLevel::Commune => &mut self.commune,
            _ => return,
        };
        slot.get_or_insert(name);
    }

    /// The lowest level named, for bodies printed without one ("Trung tâm VHTT&TT" on a
    /// district's site is the district's).
    pub fn lowest(&self) -> Option<OrganisationLevel> {
        [
            OrganisationLevel::Commune,
            OrganisationLevel::District,
            OrganisationLevel::Province,
        ]
        .into_iter()
        .find(|level| self.at(*level).is_some())
    }

    /// Reads the places a site header names ("Trang thông tin điện tử huyện gia viễn",
    /// printed in any case): the words after a place word, to the end of the line.
    pub fn learn_from_header(&mut self, line: &str) {
        let words: Vec<&str> = line.split(' ').collect();
        for (i, (level, width)) in place_words(&words) {
            let mut name = &words[(i + width).min(words.len())..];
            // "Tỉnh ủy Lam Sơn" names the province too.
            if name.first().is_some_and(|w| fold(w) == "uy") {
                name = &name[1..];
            }
            if (1..=3).contains(&name.len()) {
                self.set(level, title_case(name));
            }
        }
    }

    /// Reads the places a sentence names: a place word followed by capitalised words
    /// ("tỉnh Thanh Hóa", "huyện Gia Viễn"). The names of `people` are not places:
    /// "Chủ tịch HĐND tỉnh Trần Hồng Quảng" names the man, not the province.
    pub fn learn_from_text(&mut self, text: &str, people: &[&str]) {
        let words: Vec<&str> = text.split(' ').collect();
        for (i, (level, width)) in place_words(&words) {
            if words[i].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let mut name = capitalised_run(&words[(i + width).min(words.len())..]);
            if let Some(at) = people.iter().filter_map(|p| name.find(p)).min() {
                name.truncate(at);
                name = name.trim_end().to_owned();
            }
            if !name.is_empty() {
                self.set(level, name);
            }
        }
    }
}

/// Where place words stand among `words`, with their level and width in words.
fn place_words(words: &[&str]) -> Vec<(usize, (OrganisationLevel, usize))> {
    let folded: Vec<String> = words
        .iter()
        .map(|w| normalize_tones(&w.to_lowercase(), ToneStyle::Old))
        .collect();
    let mut found = Vec::new();
    for i in 0..folded.len() {
        let two = folded.get(i + 1).map(|n| format!("{} {n}", folded[i]));
        let hit = PLACE_WORDS.iter().find_map(|(word, level)| {
            if two.as_deref() == Some(*word) {
                Some((*level, 2))
            } else if folded[i] == *word {
                Some((*level, 1))
            } else {
                None
            }
        });
        if let Some(hit) = hit {
            found.push((i, hit));
        }
    }
    found
}

/// The capitalised words at the start of `words` (at most four), without trailing
/// punctuation: the name of a place or a person.
fn capitalised_run(words: &[&str]) -> String {
    let mut run = Vec::new();
    for word in words.iter().take(4) {
        let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
        let capitalised = bare.chars().next().is_some_and(char::is_uppercase)
            && bare.chars().all(char::is_alphabetic)
            && bare.chars().skip(1).any(char::is_lowercase);
        if !capitalised {
            break;
        }
        run.push(bare);
        if bare.len() != word.len() {
            break;
        }
    }
    run.join(" ")
}

/// A body a text names, written out in full and scoped to its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyName {
    /// The name in full: "Ban Dân vận Huyện ủy Gia Viễn".
    pub name: String,
    /// The name as printed, when it holds an abbreviation: "Trung tâm VHTT&TT".
    pub abbreviation: Option<String>,
    /// The kind.
    pub kind: OrganisationKind,
    /// The level.
    pub level: OrganisationLevel,
    /// The body it belongs to, when the name says: "Huyện ủy Gia Viễn" for its Ban Dân vận.
    pub parent: Option<Box<BodyName>>,
}

/// How a name starts, folded, and the kind of body it names.
const KINDS: [(&str, OrganisationKind); 30] = [
    ("ban thuong vu", OrganisationKind::StandingCommittee),
    ("ban chi dao", OrganisationKind::SteeringCommittee),
    ("ban tuyen giao va dan van", OrganisationKind::PartyBoard),
    ("ban dan van", OrganisationKind::PartyBoard),
    ("ban tuyen giao", OrganisationKind::PartyBoard),
    ("ban to chuc", OrganisationKind::PartyBoard),
    ("ban kiem tra", OrganisationKind::PartyBoard),
    ("ban noi chinh", OrganisationKind::PartyBoard),
    ("ban chap hanh", OrganisationKind::PartyCommittee),
    ("dang uy khoi", OrganisationKind::PartyBloc),
    ("dang uy", OrganisationKind::PartyCommittee),
    ("tinh uy", OrganisationKind::PartyCommittee),
    ("huyen uy", OrganisationKind::PartyCommittee),
    ("thanh uy", OrganisationKind::PartyCommittee),
    ("thi uy", OrganisationKind::PartyCommittee),
    ("quan uy", OrganisationKind::PartyCommittee),
    ("uy ban mat tran to quoc", OrganisationKind::FatherlandFront),
    ("mat tran to quoc", OrganisationKind::FatherlandFront),
    ("hoi dong nhan dan", OrganisationKind::PeoplesCouncil),
    ("uy ban nhan dan", OrganisationKind::PeoplesCommittee),
    ("hoi nong dan", OrganisationKind::SocioPolitical),
    ("hoi lien hiep phu nu", OrganisationKind::SocioPolitical),
    ("hoi cuu chien binh", OrganisationKind::SocioPolitical),
    ("doan thanh nien", OrganisationKind::SocioPolitical),
    ("cong doan", OrganisationKind::SocioPolitical),
    ("cong an", OrganisationKind::StateAgency),
    ("trung tam", OrganisationKind::StateAgency),
    ("ban chi huy quan su", OrganisationKind::StateAgency),
    ("van phong", OrganisationKind::StateAgency),
    ("so ", OrganisationKind::StateAgency),
];

/// The party committees a name can end with, folded, and their level.
const COMMITTEES: [(&str, OrganisationLevel); 5] = [
    ("tinh uy", OrganisationLevel::Province),
    ("huyen uy", OrganisationLevel::District),
    ("thi uy", OrganisationLevel::District),
    ("quan uy", OrganisationLevel::District),
    ("thanh uy", OrganisationLevel::Province),
];

/// The committee of a level, as a name without its place: "Tỉnh ủy".
fn committee_word(level: OrganisationLevel) -> Option<&'static str> {
    match level {
        OrganisationLevel::Province => Some("Tỉnh ủy"),
        OrganisationLevel::District => Some("Huyện ủy"),
        OrganisationLevel::Commune => Some("Đảng ủy xã"),
        _ => None,
    }
}

/// Reads the name of a body as printed: "Ban Dân vận Huyện uỷ", "HĐND tỉnh",
/// "Đảng ủy Khối các cơ quan tỉnh", "Trung tâm VHTT&TT". `None` for what names no single
/// body ("các Ban Chỉ đạo") or no body the rules know.
pub fn body_name(printed: &str, places: &Places) -> Option<BodyName> {
    let printed = printed
        .trim()
        .trim_matches(|c: char| c == ',' || c == ';' || c == '.');
    let folded = fold(printed);
    if printed.is_empty() || folded.starts_with("cac ") || folded.contains(" cac ban ") {
        return None;
    }
    let full = normalize_tones(&expand(printed), ToneStyle::Old);
    let key = fold(&full);
    let kind = KINDS
        .iter()
        .find(|(start, _)| key.starts_with(start))
        .map(|(_, kind)| *kind)?;
    let words: Vec<&str> = full.split(' ').collect();
    let folded_words: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let n = words.len();
    let last_two = (n >= 2).then(|| format!("{} {}", folded_words[n - 2], folded_words[n - 1]));

    // "… Huyện ủy": the body belongs to that committee (or is it).
    if let Some((_, level)) = COMMITTEES
        .iter()
        .find(|(word, _)| last_two.as_deref() == Some(*word))
    {
        let committee = committee_body(*level, places);
        let name = with_place(&full, *level, places);
        return Some(if n == 2 {
            committee
        } else {
            BodyName {
                name,
                abbreviation: abbreviation_of(printed),
                kind,
                level: *level,
                parent: Some(Box::new(committee)),
            }
        });
    }
    if key.contains("trung uong") {
        return Some(BodyName {
            name: full,
            abbreviation: abbreviation_of(printed),
            kind,
            level: OrganisationLevel::Central,
            parent: None,
        });
    }
    // "… tỉnh Thanh Hóa" or "… tỉnh": the level, and the place named or known.
    let mut level = None;
    let mut name = full.clone();
    for (i, (found, width)) in place_words(&words) {
        let rest = &words[(i + width).min(n)..];
        let place = capitalised_run(rest);
        if i > 0 && !words[i].chars().next().is_some_and(char::is_uppercase) {
            if rest.is_empty() {
                level = Some(found);
                name = with_place(&full, found, places);
            } else if !place.is_empty() && place.split(' ').count() == rest.len() {
                level = Some(found);
            }
        }
    }
    let level = match level {
        Some(level) => level,
        // Printed without a level: the page's own ("Trung tâm VHTT&TT" on a district site).
        None => match places.lowest() {
            Some(level) => {
                name = format!(
                    "{full} {} {}",
                    level_word(level),
                    places.at(level).unwrap_or_default()
                );
                level
            }
            None => OrganisationLevel::Agency,
        },
    };
    let parent = match kind {
        OrganisationKind::SteeringCommittee
        | OrganisationKind::PartyBloc
        | OrganisationKind::PartyBoard
        | OrganisationKind::StandingCommittee => {
            committee_word(level).map(|_| committee_body(level, places))
        }
        OrganisationKind::PartyCommittee if level == OrganisationLevel::District => places
            .province
            .as_ref()
            .map(|_| committee_body(OrganisationLevel::Province, places)),
        OrganisationKind::StateAgency => places.at(level).map(|place| BodyName {
            name: format!("Ủy ban nhân dân {} {place}", level_word(level)),
            abbreviation: None,
            kind: OrganisationKind::PeoplesCommittee,
            level,
            parent: None,
        }),
        _ => None,
    };
    Some(BodyName {
        name,
        abbreviation: abbreviation_of(printed),
        kind,
        level,
        parent: parent.map(Box::new),
    })
}

fn level_word(level: OrganisationLevel) -> &'static str {
    match level {
        OrganisationLevel::Province => "tỉnh",
        OrganisationLevel::District => "huyện",
        _ => "xã",
    }
}

/// The party committee of a level: "Huyện ủy Gia Viễn" (under its province's when known).
fn committee_body(level: OrganisationLevel, places: &Places) -> BodyName {
    let word = committee_word(level).unwrap_or("Đảng ủy");
    let name = match places.at(level) {
        Some(place) => format!("{word} {place}"),
        None => word.to_owned(),
    };
    let parent = (level == OrganisationLevel::District && places.province.is_some())
        .then(|| Box::new(committee_body(OrganisationLevel::Province, places)));
    BodyName {
        name,
        abbreviation: None,
        kind: OrganisationKind::PartyCommittee,
        level,
        parent,
    }
}

/// A name with the place of its level added when the page knows it: "Huyện ủy" on the
/// site of huyện Gia Viễn is "Huyện ủy Gia Viễn"; "HĐND tỉnh" is "… tỉnh Lạng Sơn".
fn with_place(full: &str, level: OrganisationLevel, places: &Places) -> String {
    match places.at(level) {
        Some(place) => format!("{full} {place}"),
        None => full.to_owned(),
    }
}

fn abbreviation_of(printed: &str) -> Option<String> {
    has_abbreviation(printed).then(|| printed.to_owned())
}

/// Whether two names are the same once tone placement, case and spacing are set aside:
/// "Huyện uỷ Gia Viễn" and "Huyện ủy Gia Viễn".
pub fn same_name(a: &str, b: &str) -> bool {
    search_key(a) == search_key(b)
}

/// The words that start a post, longest first, with the title they give.
const POSTS: [&str; 22] = [
    "Phó Bí thư Thường trực",
    "Phó Chủ tịch Thường trực",
    "Phó Bí thư",
    "Bí thư",
    "Phó Chủ tịch",
    "Chủ tịch",
    "Ủy viên",
    "Phó Trưởng",
    "Trưởng",
    "Phó Giám đốc",
    "Giám đốc",
    "Phó Chánh Văn phòng",
    "Chánh Văn phòng",
    "Chỉ huy trưởng",
    "Phó Chỉ huy trưởng",
    "Thành viên",
    "Thường trực",
    "Đại biểu Quốc hội",
    "Tổng Biên tập",
    "Phó Tổng Biên tập",
    "Chánh án",
    "Viện trưởng",
];

/// A post as printed: "Trưởng Ban Dân vận Huyện uỷ" is the title "Trưởng Ban" in the
/// body "Ban Dân vận Huyện uỷ". `None` when the text does not start with a post.
pub fn post(printed: &str) -> Option<(String, String)> {
    let full = normalize_tones(&expand(printed.trim()), ToneStyle::Old);
    let key = search_key(&full);
    let head = POSTS.iter().find(|head| {
        let head_key = search_key(head);
        key == head_key || key.starts_with(&format!("{head_key} "))
    })?;
    let head_words = head.split(' ').count();
    let words: Vec<&str> = full.split(' ').collect();
    let rest = words[head_words..].join(" ");
    // "Trưởng Ban", "Phó Trưởng Ban": the post is named with the board; "Trưởng thôn",
    // "Trưởng phòng" with the unit it heads.
    let first = rest.split(' ').next().unwrap_or_default();
    let title = if head.ends_with("Trưởng") && fold(&rest).starts_with("ban ") {
        format!("{head} Ban")
    } else if head.ends_with("Trưởng")
        && [
            "thon", "ban", "ap", "xom", "khu", "to", "phong", "doan", "khoa",
        ]
        .contains(&fold(first).as_str())
        && first.chars().next().is_some_and(char::is_lowercase)
    {
        format!("{head} {first}")
    } else {
        (*head).to_owned()
    };
    Some((title, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gia_vien() -> Places {
        let mut places = Places::default();
        places.learn_from_header("Trang thông tin điện tử huyện gia viễn");
        places
    }

    #[test]
    fn abbreviations_are_written_out() {
        assert_eq!(
            expand("UVBTV, Chủ tịch HĐND tỉnh, Trung tâm VHTT&TT (TTV)"),
            "Ủy viên Ban Thường vụ, Chủ tịch Hội đồng nhân dân tỉnh, Trung tâm Văn hóa, Thông tin và Thể thao (TTV)"
        );
    }

    #[test]
    fn places_come_from_headers_and_text() {
        assert_eq!(gia_vien().district.as_deref(), Some("Gia Viễn"));
        let mut places = Places::default();
        places.learn_from_header("CHÀO MỪNG ĐẾN TRANG THÔNG TIN ĐIỆN TỬ UBND HUYỆN GIA VIỄN");
        assert_eq!(places.district.as_deref(), Some("Gia Viễn"));
        places.learn_from_text("Chủ tịch HĐND tỉnh Trần Hồng Quảng", &["Trần Hồng Quảng"]);
        assert_eq!(places.province, None);
        places.learn_from_text(
            "Ban Chỉ đạo dân chủ tỉnh Thanh Hóa tổ chức hội nghị; tỉnh tổ chức",
            &[],
        );
        assert_eq!(places.province.as_deref(), Some("Thanh Hóa"));
        places.learn_from_header("Hoạt động Đảng ủy Khối các cơ quan tỉnh Lạng Sơn");
        assert_eq!(places.district.as_deref(), Some("Gia Viễn"));
    }

    #[test]
    fn a_board_belongs_to_its_committee_and_takes_the_place() {
        let board = body_name("Ban Dân vận Huyện uỷ", &gia_vien()).unwrap();
        assert_eq!(board.name, "Ban Dân vận Huyện ủy Gia Viễn");
        assert_eq!(board.kind, OrganisationKind::PartyBoard);
        assert_eq!(board.level, OrganisationLevel::District);
        assert_eq!(board.parent.unwrap().name, "Huyện ủy Gia Viễn");
        let centre = body_name("Trung tâm VHTT&TT", &gia_vien()).unwrap();
        assert_eq!(
            centre.name,
            "Trung tâm Văn hóa, Thông tin và Thể thao huyện Gia Viễn"
        );
        assert_eq!(centre.abbreviation.as_deref(), Some("Trung tâm VHTT&TT"));
        assert_eq!(
            centre.parent.unwrap().name,
            "Ủy ban nhân dân huyện Gia Viễn"
        );
        let council = body_name("HĐND tỉnh", &Places::default()).unwrap();
        assert_eq!(council.name, "Hội đồng nhân dân tỉnh");
        assert_eq!(council.level, OrganisationLevel::Province);
        let named = body_name(
            "Ban Chỉ đạo xây dựng cơ sở và thực hiện quy chế dân chủ tỉnh Thanh Hóa",
            &Places::default(),
        )
        .unwrap();
        assert_eq!(named.level, OrganisationLevel::Province);
        assert_eq!(named.kind, OrganisationKind::SteeringCommittee);
        assert!(body_name("các Ban Chỉ đạo", &Places::default()).is_none());
    }

    #[test]
    fn posts_are_split_into_title_and_body() {
        assert_eq!(
            post("Trưởng Ban Dân vận Huyện uỷ"),
            Some(("Trưởng Ban".into(), "Ban Dân vận Huyện ủy".into()))
        );
        assert_eq!(
            post("UVBTV"),
            Some(("Ủy viên".into(), "Ban Thường vụ".into()))
        );
        assert_eq!(
            post("Phó Bí thư Thường trực Tỉnh ủy"),
            Some(("Phó Bí thư Thường trực".into(), "Tỉnh ủy".into()))
        );
        assert!(post("Ban Chỉ đạo tổ chức").is_none());
        assert!(same_name("Huyện uỷ Gia Viễn", "Huyện ủy Gia Viễn"));
    }
}
