//! The article on a page copied as text: title, date, view count, lead and body, image
//! captions, byline and source, with the page furniture (banners, comment boxes, visitor
//! counters, "Tin liên quan") taken out and nothing else.

use crate::RawPage;
use danvan_domain::article::{ArticleData, ArticleStatus, Author, Image, Source};
use danvan_domain::{Body, DomainError, Name, SiteId, Title};
use danvan_text::fold;
use danvan_text::parse::{PortalDate, parse_date};

/// One author of a byline: "Hồng Hạ (Trung tâm VHTT&TT)" is a name and an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Byline {
    /// The name as printed.
    pub name: String,
    /// The organisation printed beside it.
    pub organisation: Option<String>,
}

/// What a page says about its article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageArticle {
    /// The lines above the headline: the site's name and section ("Trang thông tin điện
    /// tử huyện gia viễn"), which say what place the page is about.
    pub header: Vec<String>,
    /// The headline.
    pub title: String,
    /// When it was published, as printed (Vietnam time).
    pub published: Option<PortalDate>,
    /// Views counted ("328 lượt xem").
    pub view_count: Option<u64>,
    /// The first paragraph.
    pub lead: String,
    /// The other paragraphs, in order.
    pub body: Vec<String>,
    /// Image captions, in order.
    pub captions: Vec<String>,
    /// The byline, in printed order.
    pub authors: Vec<Byline>,
    /// Where it first appeared: "nbtv.vn", "Baolangson.vn", "Bản tin Thời sự Tối/TTV".
    pub source: Option<String>,
    /// The keywords the page lists under "Từ khóa".
    pub keywords: Vec<String>,
    /// The page's own address, when it says (a saved HTML page's canonical link).
    pub canonical_url: Option<String>,
    /// The article's pictures in the markup, in order: each one's address as the page
    /// writes it (perhaps relative to the page's), and its `figcaption`.
    pub pictures: Vec<Picture>,
}

/// A picture of the article's markup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Picture {
    /// Its address, as written (`src`, or the `data-src` of a picture loaded lazily).
    pub src: String,
    /// The caption of the `figure` it is in.
    pub caption: Option<String>,
}

impl PageArticle {
    /// A hash of the article's text (title, lead, body, captions), to recognise the same
    /// page imported again whatever the furniture around it.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for part in std::iter::once(&self.title)
            .chain(std::iter::once(&self.lead))
            .chain(&self.body)
            .chain(&self.captions)
        {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The article for a site: published at its printed time, or a draft when the page
    /// prints none (an editor then sets it); the fingerprint recognises the page later.
    pub fn to_article_data(&self, site_id: SiteId) -> Result<ArticleData, DomainError> {
        let body = self.body.join("\n\n");
        let mut data =
            ArticleData::draft(site_id, Title::parse(&self.title)?, Body::parse(&body)?)?;
        data.lead = Body::parse(&self.lead)?;
        if let Some(published) = self.published {
            data.status = ArticleStatus::Published;
            data.published_at = Some(danvan_text::time::from_vietnam_local(published.local()));
        }
        data.view_count = self
            .view_count
            .and_then(|v| i64::try_from(v).ok())
            .unwrap_or(0);
        data.authors = self
            .authors
            .iter()
            .map(|a| Author::from_byline(&a.name, a.organisation.as_deref()))
            .collect::<Result<_, DomainError>>()?;
        data.source = self
            .source
            .as_deref()
            .map(|name| {
                Ok::<_, DomainError>(Source {
                    name: Name::parse_field("source", name)?,
                    url: None,
                    published_at: None,
                })
            })
            .transpose()?;
        // The pictures at their addresses (resolved against the page's own), each with its
        // caption; then the captions no picture took, as copied text gives them.
        let base = self
            .canonical_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok());
        let mut images: Vec<Image> = Vec::new();
        for picture in &self.pictures {
            let address = match &base {
                Some(base) => base.join(&picture.src).ok(),
                None => url::Url::parse(&picture.src).ok(),
            };
            let Some(address) = address
                .filter(|a| matches!(a.scheme(), "http" | "https"))
                .and_then(|a| danvan_domain::Url::parse(a.as_str()).ok())
            else {
                continue;
            };
            if images.iter().any(|i| i.url.as_ref() == Some(&address)) {
                continue;
            }
            images.push(Image {
                url: Some(address),
                caption: picture.caption.clone(),
                ..Image::default()
            });
        }
        for caption in &self.captions {
            if !images.iter().any(|i| i.caption.as_ref() == Some(caption)) {
                images.push(Image {
                    caption: Some(caption.clone()),
                    ..Image::default()
                });
            }
        }
        data.images = images;
        // An address that does not parse is left out rather than refusing the page.
        data.canonical_url = self
            .canonical_url
            .as_deref()
            .and_then(|u| danvan_domain::Url::parse(u).ok());
        data.fingerprint = Some(self.fingerprint());
        Ok(data)
    }
}

/// Lines that are page furniture, as folded text: exact lines, and line beginnings.
const FURNITURE_LINES: [&str; 12] = [
    "banner",
    "tin lien quan",
    "bai viet khac",
    "tu khoa",
    "dang tai du lieu",
    "go top",
    "thong ke truy cap",
    "nguoi truc tuyen",
    "hien tai khong co binh chon nao dang hoat dong",
    "chia se",
    "in bai viet",
    "quay lai",
];
const FURNITURE_STARTS: &[&str] = &[
    "y kien (",
    "y kien ban doc",
    // A site's footer: who runs it, where, how to reach it.
    "dia chi:",
    "dia chi :",
    "ban quyen",
    "co quan chu quan",
    "chiu trach nhiem",
    "dien thoai:",
    "email:",
    "thiet ke boi",
    "ghi ro nguon",
    "so luot truy cap",
    "luot truy cap",
    "dang online",
    "danh gia:",
    "chia se",
    "in bai viet",
    "gui email",
    "thong ke truy cap",
    "tong luot truy cap",
    "nguoi truc tuyen",
    // A visitor counter repeats its label: "Khách Khách 638", "Tổng Tổng 638". The
    // label alone would also start real lines ("Tổng kết công tác Mặt trận năm 2023").
    "khach khach",
    "thanh vien thanh vien",
    "tong tong",
    "chao mung den",
    "trang thong tin dien tu",
];

/// The labels of the lists of other articles that portals put after an article: what
/// follows one is not the article (folded).
const OTHER_ARTICLES: &[&str] = &[
    "cac tin khac",
    "cac tin da dua",
    "cac bai viet khac",
    "tin moi nhat",
    "tin lien quan",
    "tin cung chuyen muc",
    "tin doc nhieu",
    "bai viet moi",
    "bai viet lien quan",
    "bai viet khac",
    "xem them",
];

/// Whether a line is the label of a list of other articles ("Các tin khác", "Tin liên
/// quan: …").
fn starts_other_articles(line: &str) -> bool {
    let folded = fold(line);
    let bare = folded.trim_start_matches(['•', '-', '*', ' ']);
    line.chars().count() < 120
        && OTHER_ARTICLES.iter().any(|label| {
            bare.strip_prefix(label)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ', '.']))
        })
}

/// Whether a line is a breadcrumb: "Trang chủ > Tin tức > Hoạt động".
fn is_breadcrumb(line: &str) -> bool {
    fold(line).starts_with("trang chu")
        && line.matches(['>', '»', '›', '/']).count() >= 1
        && line.chars().count() < 150
}

/// Whether a line is furniture rather than content.
fn is_furniture(line: &str) -> bool {
    if line.contains('©') && line.chars().count() < 200 {
        return true;
    }
    let folded = fold(line);
    let bare = folded
        .trim_start_matches(['•', '-', '*', ' '])
        .trim_end_matches([':', '.', ' ']);
    if bare.is_empty() || !bare.chars().any(char::is_alphanumeric) {
        return true;
    }
    // "0 / 500 ký tự", "2662 Go top"
    if bare.ends_with("ky tu") && bare.contains('/') || bare.ends_with("go top") {
        return true;
    }
    FURNITURE_LINES.contains(&bare)
        || FURNITURE_STARTS
            .iter()
            .any(|s| bare.starts_with(s) && bare.len() < 120)
}

/// A view count as printed: "328 lượt xem", "Lượt xem: 1.234", "1234 lượt đọc", "Số lượt
/// xem: 56".
fn view_count(line: &str) -> Option<u64> {
    let folded = fold(line);
    let bare = folded
        .trim()
        .trim_start_matches("so ")
        .trim_end_matches('.');
    let number = |s: &str| -> Option<u64> {
        let digits = s
            .trim()
            .trim_start_matches(':')
            .trim()
            .replace(['.', ','], "");
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    ["luot xem", "luot doc", "lan doc", "luot truy cap bai viet"]
        .iter()
        .find_map(|label| {
            bare.strip_suffix(label)
                .and_then(number)
                .or_else(|| bare.strip_prefix(label).and_then(number))
        })
}

/// A line of parts ("Cập nhật: 12/01/2024 10:20 | Lượt xem: 3.401"): the view count taken
/// out of it, and the rest.
fn split_view_count(line: &str) -> (Option<u64>, String) {
    if !line.contains('|') {
        return (None, line.to_owned());
    }
    let mut views = None;
    let rest: Vec<&str> = line
        .split('|')
        .map(str::trim)
        .filter(|part| match view_count(part) {
            Some(found) if views.is_none() => {
                views = Some(found);
                false
            }
            _ => true,
        })
        .collect();
    (views, rest.join(" | "))
}

/// Whether a line ends a sentence (body text) rather than standing alone (a caption, a
/// title, a byline).
fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .ends_with(['.', '…', '!', '?', ':', ';', '”', '"'])
}

/// Joins a word broken across two lines: "Ủ" + "y viên" is "Ủy viên".
fn join_broken_words(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let broken = out.last().is_some_and(|prev| {
            let last_word = prev.rsplit(' ').next().unwrap_or_default();
            last_word.chars().count() == 1
                && last_word.chars().all(char::is_uppercase)
                && line.chars().next().is_some_and(char::is_lowercase)
        });
        match out.last_mut() {
            Some(prev) if broken => prev.push_str(&line),
            _ => out.push(line),
        }
    }
    out
}

/// Splits a caption glued to the paragraph after it, as copying an image and its text
/// leaves them: "… phát biểu kết luận hội nghịPhát biểu kết luận hội nghị, đồng chí …".
/// A lower-case letter right before a capitalised word marks the seam.
fn unglue_captions(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let seam = chars.windows(3).find_map(|w| {
            let [(_, a), (at, b), (_, c)] = [w[0], w[1], w[2]];
            (a.is_lowercase() && b.is_uppercase() && c.is_lowercase()).then_some(at)
        });
        match seam {
            Some(at) if !ends_sentence(&line[..at]) && line[..at].contains(' ') => {
                out.push(line[..at].to_owned());
                out.push(line[at..].to_owned());
            }
            _ => out.push(line),
        }
    }
    out
}

/// The labels that introduce a byline's names, folded: "Bài, ảnh: Minh Châu", "Tin:
/// Hải Yến; Ảnh: Đức Anh", "Tác giả: Lan Anh".
const BYLINE_LABELS: &[&str] = &[
    "bai, anh",
    "bai va anh",
    "bai/anh",
    "bai - anh",
    "tin, anh",
    "tin va anh",
    "tin/anh",
    "tac gia",
    "bai",
    "tin",
    "anh",
    "nguoi viet",
];

/// What introduces an organisation after a name: "Mai Hương - Trung tâm VHTT&TT huyện".
const ORGANISATION_STARTS: &[&str] = &[
    "trung tam",
    "ban ",
    "hoi ",
    "bao ",
    "dai ",
    "phong ",
    "van phong",
    "uy ban",
    "ubnd",
    "cong thong tin",
    "tttt",
    "ttvh",
    "tt ",
    "cong ty",
];

/// A byline's names after their labels, each checked to be a name: "Bài, ảnh: Minh Châu",
/// "Tin: Hải Yến; Ảnh: Đức Anh". `None` when the line has no label.
fn labelled_byline(line: &str) -> Option<Vec<Byline>> {
    if line.chars().count() > 100 {
        return None;
    }
    let mut authors = Vec::new();
    let mut labelled = false;
    for part in line.split(';') {
        let part = part.trim();
        let (label, names) = part.split_once(':')?;
        let label = fold(label.trim());
        if !BYLINE_LABELS.contains(&label.as_str()) {
            return None;
        }
        labelled = true;
        for name in names
            .split([',', '–', '—'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if !is_name(name) {
                return None;
            }
            if !authors.iter().any(|a: &Byline| a.name == name) {
                authors.push(Byline {
                    name: name.to_owned(),
                    organisation: None,
                });
            }
        }
    }
    (labelled && !authors.is_empty()).then_some(authors)
}

/// A name as bylines print it: one to four capitalised words, or a reporter's mark ("PV",
/// "CTV").
fn is_name(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    if matches!(name, "PV" | "CTV" | "PV-CTV" | "BBT" | "TTXVN") {
        return true;
    }
    let words: Vec<&str> = name.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(|c| c.is_lowercase())
        })
}

/// Reads a byline line: "Cẩm Tú – Đức Tình", "Phương Nhung (nbtv.vn)",
/// "Hồng Hạ (Trung tâm VHTT&TT)", "Bài, ảnh: Minh Châu", "Mai Hương - Trung tâm VHTT&TT
/// huyện", "PV". `None` when the line does not look like one.
fn byline(line: &str) -> Option<(Vec<Byline>, Option<String>)> {
    if let Some(authors) = labelled_byline(line) {
        return Some((authors, None));
    }
    if ends_sentence(line.trim_end_matches("PV.")) || line.chars().count() > 80 {
        return None;
    }
    // "Mai Hương - Trung tâm VHTT&TT huyện": a name, then who they write for.
    for dash in [" - ", " – ", " — "] {
        if let Some((name, organisation)) = line.split_once(dash)
            && is_name(name.trim())
            && ORGANISATION_STARTS
                .iter()
                .any(|s| fold(organisation.trim()).starts_with(s))
        {
            return Some((
                vec![Byline {
                    name: name.trim().to_owned(),
                    organisation: Some(organisation.trim().to_owned()),
                }],
                None,
            ));
        }
    }
    let (names, aside) = match line.split_once('(') {
        Some((names, rest)) => (names.trim(), Some(rest.trim_end_matches(')').trim())),
        None => (line.trim(), None),
    };
    let mut authors = Vec::new();
    for name in names
        .split(['–', '—', ',', '-'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !is_name(name) {
            return None;
        }
        authors.push(Byline {
            name: name.to_owned(),
            organisation: None,
        });
    }
    if authors.is_empty() {
        return None;
    }
    // In brackets, a web address is the source; anything else is the authors' organisation.
    let mut source = None;
    if let Some(aside) = aside.filter(|a| !a.is_empty()) {
        if aside.contains('.') && !aside.contains(' ') {
            source = Some(aside.to_owned());
        } else {
            for author in &mut authors {
                author.organisation = Some(aside.to_owned());
            }
        }
    }
    Some((authors, source))
}

/// A source line: "Nguồn: Baolangson.vn", "Theo Bản tin Thời sự Tối/TTV".
fn source(line: &str) -> Option<String> {
    let trimmed = line.trim();
    for prefix in ["Nguồn:", "Nguồn :", "Theo "] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            let rest = rest.trim();
            if !rest.is_empty() && rest.chars().count() < 80 && !ends_sentence(rest) {
                return Some(rest.to_owned());
            }
        }
    }
    None
}

/// Keywords as listed: "Dân vận khéo, Quy chế dân chủ".
fn keyword_list(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(|k| k.trim().trim_start_matches(['•', '#', ' ']).to_owned())
        .filter(|k| !k.is_empty())
        .collect()
}

/// Reads the article of a page copied as text.
pub fn read_text_page(page: &RawPage) -> PageArticle {
    let lines = unglue_captions(join_broken_words(page.paragraphs()));
    let mut article = PageArticle::default();
    let mut content: Vec<String> = Vec::new();
    let mut date_at = None;
    let mut in_keywords = false;
    for line in lines {
        // The list of other articles after this one: nothing after its label is the
        // article. Before any of the article, it is a sidebar's, and only skipped.
        if starts_other_articles(&line) {
            if date_at.is_some_and(|at| content.len() > at) {
                break;
            }
            continue;
        }
        if is_breadcrumb(&line) {
            article.header.push(line);
            continue;
        }
        let (views, line) = split_view_count(&line);
        if views.is_some() && article.view_count.is_none() {
            article.view_count = views;
        }
        if line.is_empty() {
            continue;
        }
        // "Từ khóa: a, b" or "Từ khóa" with a keyword a line, up to the next furniture.
        let folded = fold(&line);
        let bare = folded.trim_start_matches(['•', '-', '*', ' ']);
        if bare.starts_with("tu khoa") {
            // The words after "Từ khóa" (folding changes byte lengths: count words).
            let listed = line
                .trim_start_matches(['•', '-', '*', ' '])
                .splitn(3, ' ')
                .nth(2)
                .unwrap_or_default()
                .trim_start_matches([':', ' ']);
            // Listed on the line itself, or one a line below it.
            in_keywords = listed.is_empty();
            article.keywords.extend(keyword_list(listed));
            continue;
        }
        if in_keywords
            && !is_furniture(&line)
            && line.chars().count() < 60
            && !ends_sentence(&line)
            && source(&line).is_none()
            && byline(&line).is_none()
        {
            article.keywords.extend(keyword_list(&line));
            continue;
        }
        in_keywords = false;
        if is_furniture(&line) {
            let folded = fold(&line);
            if date_at.is_none()
                && (folded.starts_with("trang thong tin dien tu")
                    || folded.starts_with("chao mung den"))
            {
                article.header.push(line);
            }
            continue;
        }
        if article.view_count.is_none()
            && let Some(views) = view_count(&line)
        {
            article.view_count = Some(views);
            continue;
        }
        if date_at.is_none()
            && line.chars().count() < 60
            && !ends_sentence(&line)
            && let Some(date) = parse_date(&line)
        {
            article.published = Some(date);
            date_at = Some(content.len());
            continue;
        }
        content.push(line);
    }
    // The title is the last line before the date (lines above it are site and section
    // headers); without a date, the first line.
    let title_at = date_at.map_or(0, |at| at.saturating_sub(1));
    if title_at < content.len() {
        article.title = content.remove(title_at);
    }
    let body_start = date_at.map_or(title_at, |at| at.saturating_sub(1));
    let mut rest: Vec<String> = content.split_off(body_start.min(content.len()));
    article.header.extend(content);
    // Source and byline close the article, in either order (a byline may come in two
    // lines: "Tin: …", "Ảnh: …").
    for _ in 0..3 {
        let Some(last) = rest.last() else { break };
        if let Some(found) = source(last) {
            article.source.get_or_insert(found);
            rest.pop();
        } else if let Some((authors, found)) = byline(last) {
            let mut authors = authors;
            for earlier in std::mem::take(&mut article.authors) {
                if !authors.contains(&earlier) {
                    authors.push(earlier);
                }
            }
            article.authors = authors;
            if let Some(found) = found {
                article.source.get_or_insert(found);
            }
            rest.pop();
        }
    }
    for line in rest {
        // Inside the article, a line that does not end a sentence stands under an image.
        if ends_sentence(&line) {
            if article.lead.is_empty() {
                article.lead = line;
            } else {
                article.body.push(line);
            }
        } else {
            article.captions.push(without_photo_credit(&line));
        }
    }
    article
}

/// A caption without the photographer's credit: "Các đại biểu dự lễ (Ảnh: Hồng Nhung)" is
/// "Các đại biểu dự lễ".
fn without_photo_credit(caption: &str) -> String {
    for opening in ["(Ảnh:", "(ảnh:", "(Ảnh :", "- Ảnh:", "– Ảnh:"] {
        if let Some(at) = caption.rfind(opening) {
            let kept = caption[..at].trim_end();
            if !kept.is_empty() {
                return kept.to_owned();
            }
        }
    }
    caption.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> PageArticle {
        read_text_page(&RawPage::from_bytes(text.as_bytes()).unwrap())
    }

    #[test]
    fn a_page_with_every_part_is_read() {
        let page = read(
            "Trang thông tin điện tử xã Yên Bình\nTin hoạt động\nXã Yên Bình ra mắt tổ hoà giải\n\nThứ Hai, 04/11/2024 | 09:30\n125 lượt xem\n\nSáng 4/11, Ủy ban MTTQ xã tổ chức ra mắt.\n\nĐồng chí Chủ tịch Ủy ban MTTQ xã phát biểu\n\nTổ gồm 7 thành viên.\n\nThu Trang – Quốc Toản\n\nNguồn: yenbinh.example.vn\n\nÝ kiến ()\n0 / 500 ký tự\nTin liên quan",
        );
        assert_eq!(page.title, "Xã Yên Bình ra mắt tổ hoà giải");
        assert_eq!(page.view_count, Some(125));
        assert_eq!(page.published.unwrap().date.to_string(), "2024-11-04");
        assert_eq!(page.lead, "Sáng 4/11, Ủy ban MTTQ xã tổ chức ra mắt.");
        assert_eq!(page.body, ["Tổ gồm 7 thành viên."]);
        assert_eq!(
            page.captions,
            ["Đồng chí Chủ tịch Ủy ban MTTQ xã phát biểu"]
        );
        let names: Vec<&str> = page.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Thu Trang", "Quốc Toản"]);
        assert_eq!(page.source.as_deref(), Some("yenbinh.example.vn"));
    }

    #[test]
    fn a_word_broken_across_lines_is_joined() {
        let joined = join_broken_words(vec![
            "Đồng chí Giáp Văn An, Ủ".into(),
            "y viên Ban Thường vụ".into(),
        ]);
        assert_eq!(joined, ["Đồng chí Giáp Văn An, Ủy viên Ban Thường vụ"]);
        let kept = join_broken_words(vec!["Tổng số: A".into(), "Bảng kèm theo".into()]);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn a_caption_glued_to_the_next_paragraph_is_split_off() {
        let lines = unglue_captions(vec![
            "Đồng chí Chủ tịch phát biểu kết luận hội nghịPhát biểu kết luận hội nghị, đồng chí đề nghị.".into(),
            "Ủy ban MTTQ và UBND tỉnh VHTT&TT.".into(),
        ]);
        assert_eq!(
            lines,
            [
                "Đồng chí Chủ tịch phát biểu kết luận hội nghị",
                "Phát biểu kết luận hội nghị, đồng chí đề nghị.",
                "Ủy ban MTTQ và UBND tỉnh VHTT&TT.",
            ]
        );
    }

    #[test]
    fn bylines_are_told_from_sentences() {
        assert!(byline("Ban Chỉ đạo tổ chức hội nghị.").is_none());
        let (authors, source) = byline("Hồng Hạ (Trung tâm VHTT&TT)").unwrap();
        assert_eq!(
            authors[0].organisation.as_deref(),
            Some("Trung tâm VHTT&TT")
        );
        assert!(source.is_none());
        let (_, source) = byline("Phương Nhung (nbtv.vn)").unwrap();
        assert_eq!(source.as_deref(), Some("nbtv.vn"));
    }
}
