//! The generated data set: a province's Dân vận portal with its districts and communes,
//! written in the style of the portals (never copied from them), the same on every run.
//!
//! The directory (organisations, people, tags, meetings, models, figures, comments) goes
//! through the store record by record; the articles, which are what grows, go through the
//! store's bulk path a thousand at a time.

use anyhow::Context;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use danvan_domain::article::{ArticleData, ArticleStatus, Author, Image};
use danvan_domain::comment::{CommentData, CommentStatus};
use danvan_domain::meeting::{MeetingData, MeetingKind};
use danvan_domain::model::{DvkField, DvkModelData, DvkStatus, Recognition, RecognitionLevel};
use danvan_domain::organisation::{OrganisationData, OrganisationKind, OrganisationLevel};
use danvan_domain::person::PersonData;
use danvan_domain::report_figure::ReportFigureData;
use danvan_domain::site::SiteData;
use danvan_domain::tag::TagData;
use danvan_domain::{
    ArticleId, Body, CommentBody, MeetingId, Name, OrganisationId, Period, PersonId, SiteId, Slug,
    TagId, Title, Url,
};
use danvan_store::DatabaseConnection;
use std::time::Instant;

/// The slug of the site the benchmark reads.
pub const SITE: &str = "lam-son";
/// The tag the tag page shows.
pub const TAG: &str = "dan-van-kheo";
/// The indicator whose series is rolled up.
pub const INDICATOR: &str = "dvk.models";

/// A small deterministic generator, so that every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const DISTRICTS: [&str; 12] = [
    "Phú Thịnh",
    "Sơn Hà",
    "Yên Khánh",
    "Đồng Xuân",
    "Lạc Thủy",
    "Tân Kỳ",
    "Hòa Vang",
    "Quỳnh Lưu",
    "Thạch Thất",
    "Kim Bảng",
    "Nghĩa Hưng",
    "Triệu Phong",
];
const COMMUNES: [&str; 20] = [
    "Yên Bình",
    "Đồng Tâm",
    "Thuỷ An",
    "Quang Trung",
    "Tân Lập",
    "Hòa Bình",
    "Phúc Sơn",
    "Minh Khai",
    "Xuân Hòa",
    "Hưng Đạo",
    "Lê Lợi",
    "Trung Hòa",
    "Kỳ Sơn",
    "Nghĩa Đàn",
    "Đức Thắng",
    "An Phú",
    "Thượng Lâm",
    "Cẩm Hoàng",
    "Ninh Xá",
    "Vĩnh Tuy",
];
const OPENINGS: [&str; 8] = [
    "Hội nghị",
    "Hội thảo",
    "Tọa đàm",
    "Lễ ra mắt",
    "Buổi làm việc",
    "Chương trình",
    "Đợt sinh hoạt",
    "Phiên họp",
];
const ACTIONS: [&str; 8] = [
    "sơ kết",
    "tổng kết",
    "triển khai",
    "đánh giá",
    "nâng cao hiệu quả",
    "đẩy mạnh",
    "quán triệt",
    "kiểm tra",
];
const SUBJECTS: [&str; 12] = [
    "công tác dân vận",
    "Quy chế dân chủ ở cơ sở",
    "phong trào thi đua “Dân vận khéo”",
    "công tác dân vận chính quyền",
    "xây dựng nông thôn mới",
    "đối thoại với Nhân dân",
    "hoạt động của Mặt trận Tổ quốc",
    "công tác tôn giáo",
    "giám sát đầu tư của cộng đồng",
    "hòa giải ở cơ sở",
    "thực hiện Nghị quyết số 25-NQ/TW",
    "chương trình phối hợp",
];
const SENTENCES: [&str; 16] = [
    "Ban Dân vận Huyện uỷ chủ trì hội nghị với sự tham dự của các đồng chí thành viên Ban Chỉ đạo.",
    "Trong năm, các cấp ủy đã ban hành nhiều văn bản lãnh đạo, chỉ đạo công tác dân vận.",
    "Phong trào thi đua “Dân vận khéo” được triển khai sâu rộng trên các lĩnh vực kinh tế, văn hóa – xã hội.",
    "Ủy ban Mặt trận Tổ quốc phối hợp tổ chức đối thoại trực tiếp giữa người đứng đầu và Nhân dân.",
    "Nhân dân tích cực hiến đất, góp công xây dựng đường giao thông nông thôn.",
    "Việc thực hiện Quy chế dân chủ ở cơ sở gắn với cải cách hành chính được quan tâm.",
    "Đồng chí Trưởng Ban Dân vận đề nghị tiếp tục nhân rộng các mô hình, điển hình tiêu biểu.",
    "Hội Nông dân vận động hội viên chuyển đổi cơ cấu cây trồng, vật nuôi.",
    "Công tác hòa giải ở cơ sở góp phần giữ gìn đoàn kết trong khu dân cư.",
    "Các đại biểu thảo luận, đề xuất giải pháp nâng cao chất lượng công tác dân vận chính quyền.",
    "Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng được kiện toàn.",
    "Hội nghị đã biểu dương các tập thể, cá nhân có thành tích xuất sắc.",
    "Cán bộ, đảng viên học tập, quán triệt Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương.",
    "Đoàn Thanh niên ra quân làm sạch đường làng, ngõ xóm.",
    "Hội Liên hiệp Phụ nữ giúp hội viên vay vốn phát triển kinh tế gia đình.",
    "Công tác nắm tình hình Nhân dân, dân tộc, tôn giáo được thực hiện thường xuyên.",
];
const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đức", "Thu", "Minh", "Hồng"];
const GIVEN: [&str; 12] = [
    "Hùng", "Lan", "Tuấn", "Hạnh", "Dũng", "Nhung", "Thắng", "Trang", "Cường", "Hà", "Tình", "Tú",
];
const TAGS: [&str; 24] = [
    "Dân vận khéo",
    "Dân chủ ở cơ sở",
    "Nông thôn mới",
    "Mặt trận Tổ quốc",
    "Hội Nông dân",
    "Hội Phụ nữ",
    "Đoàn Thanh niên",
    "Cựu chiến binh",
    "Tôn giáo",
    "Dân tộc",
    "Đối thoại",
    "Hòa giải",
    "Giám sát",
    "Cải cách hành chính",
    "Chuyển đổi số",
    "An sinh xã hội",
    "Giảm nghèo",
    "Văn hóa",
    "Biển đảo",
    "Phòng chống thiên tai",
    "Xây dựng Đảng",
    "Học tập và làm theo Bác",
    "Kinh tế tập thể",
    "Du lịch cộng đồng",
];

/// How the generated set is sized: everything but the articles stays a portal's size.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Articles.
    pub articles: usize,
}

/// What one generation wrote.
pub struct Written {
    /// Organisations.
    pub organisations: usize,
    /// Articles.
    pub articles: usize,
}

struct Directory {
    site: SiteId,
    others: Vec<SiteId>,
    organisations: Vec<OrganisationId>,
    people: Vec<PersonId>,
    tags: Vec<TagId>,
    meetings: Vec<MeetingId>,
}

/// Writes the data set into an empty, migrated database.
pub async fn generate(db: &DatabaseConnection, size: Size) -> anyhow::Result<Written> {
    let mut rng = Lcg(42);
    let started = Instant::now();
    let directory = directory(db, &mut rng).await?;
    eprintln!(
        "  directory: {} organisations, {} people, {} tags, {} meetings in {:.1?}",
        directory.organisations.len(),
        directory.people.len(),
        directory.tags.len(),
        directory.meetings.len(),
        started.elapsed()
    );
    let started = Instant::now();
    let ids = articles(db, &mut rng, &directory, size.articles).await?;
    eprintln!("  {} articles in {:.1?}", ids.len(), started.elapsed());
    comments(db, &mut rng, &ids).await?;
    figures(db, &mut rng, &directory).await?;
    danvan_store::analyze(db).await?;
    Ok(Written {
        organisations: directory.organisations.len(),
        articles: ids.len(),
    })
}

fn name(s: &str) -> anyhow::Result<Name> {
    Name::parse(s).with_context(|| format!("the name {s:?}"))
}

async fn directory(db: &DatabaseConnection, rng: &mut Lcg) -> anyhow::Result<Directory> {
    let txn = danvan_store::begin_write(db).await?;
    let organisation = |n: &str, kind, level, parent: Option<OrganisationId>| {
        let data = OrganisationData::new(name(n)?, kind, level);
        data.map(|mut d| {
            d.parent_id = parent;
            d
        })
        .map_err(anyhow::Error::from)
    };
    let mut organisations = Vec::new();
    let root = danvan_store::organisation::create(
        &txn,
        &organisation(
            "Ban Dân vận Tỉnh ủy Lam Sơn",
            OrganisationKind::PartyBoard,
            OrganisationLevel::Province,
            None,
        )?,
    )
    .await?;
    organisations.push(root.id);
    for (kind, n) in [
        (
            OrganisationKind::FatherlandFront,
            "Ủy ban MTTQ Việt Nam tỉnh Lam Sơn",
        ),
        (
            OrganisationKind::SocioPolitical,
            "Hội Nông dân tỉnh Lam Sơn",
        ),
        (
            OrganisationKind::SocioPolitical,
            "Hội Liên hiệp Phụ nữ tỉnh Lam Sơn",
        ),
        (OrganisationKind::PeoplesCommittee, "UBND tỉnh Lam Sơn"),
    ] {
        let o = danvan_store::organisation::create(
            &txn,
            &organisation(n, kind, OrganisationLevel::Province, Some(root.id))?,
        )
        .await?;
        organisations.push(o.id);
    }
    // Twelve districts, each with its boards and twenty communes: about three hundred
    // organisations, as a province's portal has.
    for district in DISTRICTS {
        let board = danvan_store::organisation::create(
            &txn,
            &organisation(
                &format!("Ban Dân vận Huyện ủy {district}"),
                OrganisationKind::PartyBoard,
                OrganisationLevel::District,
                Some(root.id),
            )?,
        )
        .await?;
        organisations.push(board.id);
        let front = danvan_store::organisation::create(
            &txn,
            &organisation(
                &format!("Ủy ban MTTQ Việt Nam huyện {district}"),
                OrganisationKind::FatherlandFront,
                OrganisationLevel::District,
                Some(board.id),
            )?,
        )
        .await?;
        organisations.push(front.id);
        for commune in COMMUNES {
            let c = danvan_store::organisation::create(
                &txn,
                &organisation(
                    &format!("Đảng ủy xã {commune}, huyện {district}"),
                    OrganisationKind::PartyCommittee,
                    OrganisationLevel::Commune,
                    Some(board.id),
                )?,
            )
            .await?;
            organisations.push(c.id);
        }
    }
    let mut site = SiteData::new(
        Slug::parse(SITE)?,
        name("Cổng thông tin Dân vận tỉnh Lam Sơn")?,
    );
    site.organisation_id = Some(root.id);
    site.base_url = Some(Url::parse("https://danvan.lamson.example.vn")?);
    site.description = Body::parse("Tin tức công tác dân vận của tỉnh Lam Sơn.")?;
    let site = danvan_store::site::create(&txn, &site).await?.id;
    let mut others = Vec::new();
    for district in DISTRICTS.iter().take(2) {
        let slug = Slug::from_text(&format!("dan van {district}"))?;
        let data = SiteData::new(slug, name(&format!("Dân vận huyện {district}"))?);
        others.push(danvan_store::site::create(&txn, &data).await?.id);
    }
    let mut people = Vec::new();
    for i in 0..300 {
        // Three hundred distinct names: family and middle name from the index, given
        // name from its sixtieth.
        let full = format!(
            "{} {} {}",
            FAMILY[i % FAMILY.len()],
            MIDDLE[(i / FAMILY.len()) % MIDDLE.len()],
            GIVEN[(i / (FAMILY.len() * MIDDLE.len())) % GIVEN.len()],
        );
        let data = PersonData::new(name(&full)?);
        people.push(danvan_store::person::create(&txn, &data).await?.id);
    }
    let mut tags = Vec::new();
    for t in TAGS {
        let data = TagData::from_name(name(t)?)?;
        tags.push(danvan_store::tag::create(&txn, &data).await?.id);
    }
    let mut meetings = Vec::new();
    for i in 0..2_000 {
        let kind = [
            MeetingKind::InterimReview,
            MeetingKind::FinalReview,
            MeetingKind::Thematic,
        ][i % 3];
        let title = format!(
            "{} {} {} năm {}",
            rng.pick(&OPENINGS),
            rng.pick(&ACTIONS),
            rng.pick(&SUBJECTS),
            2016 + i % 10
        );
        let held = NaiveDate::from_ymd_opt(2016 + i32::try_from(i % 10)?, 1, 1)
            .context("a date")?
            + Duration::days(i64::try_from(rng.below(360))?);
        let mut data = MeetingData::new(Title::parse(&title)?, kind, held);
        data.organiser_id = Some(organisations[rng.below(organisations.len())]);
        data.chair_ids = vec![people[rng.below(people.len())]];
        data.attendee_ids = (0..3).map(|_| people[rng.below(people.len())]).collect();
        data.attendee_ids.sort_unstable_by_key(|p| p.0);
        data.attendee_ids.dedup();
        data.attendee_ids.retain(|p| !data.chair_ids.contains(p));
        data.location = Some(format!("Hội trường xã {}", rng.pick(&COMMUNES)));
        data.tasks = vec![
            "Tiếp tục nhân rộng các mô hình “Dân vận khéo”.".to_owned(),
            "Nâng cao chất lượng đối thoại với Nhân dân.".to_owned(),
        ];
        meetings.push(danvan_store::meeting::create(&txn, &data).await?.id);
    }
    let fields = [
        DvkField::Economy,
        DvkField::CultureSociety,
        DvkField::DefenceSecurity,
        DvkField::PoliticalSystem,
    ];
    for i in 0..600 {
        let title = format!(
            "Mô hình “{}” ở xã {}",
            rng.pick(&[
                "Dân vận khéo trong xây dựng nông thôn mới",
                "Đường hoa kiểu mẫu",
                "Tổ hòa giải giỏi",
                "Camera an ninh",
                "Hũ gạo tình thương",
                "Chi hội không có hộ nghèo",
            ]),
            rng.pick(&COMMUNES)
        );
        let mut data = DvkModelData::new(Title::parse(&title)?, fields[i % fields.len()]);
        data.organisation_id = Some(organisations[rng.below(organisations.len())]);
        if i % 3 == 0 {
            data.status = DvkStatus::Recognised;
            data.recognition = Some(Recognition {
                level: RecognitionLevel::District,
                decision: Some(format!("Quyết định số {}-QĐ/BDVHU", 100 + i)),
                recognised_on: NaiveDate::from_ymd_opt(2019 + i32::try_from(i % 7)?, 6, 1),
            });
        }
        data.period = Some(Period::year(2018 + i32::try_from(i % 8)?)?);
        danvan_store::model::create(&txn, &data).await?;
    }
    txn.commit().await?;
    Ok(Directory {
        site,
        others,
        organisations,
        people,
        tags,
        meetings,
    })
}

/// The articles, newest first in their index (`i` minutes before a fixed time), written
/// oldest first so that ids grow with time as on a live portal, and so that an article's
/// related articles (older ones) exist when it is written.
async fn articles(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    directory: &Directory,
    count: usize,
) -> anyhow::Result<Vec<ArticleId>> {
    let newest = Utc
        .with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
        .single()
        .context("a time")?;
    let mut ids = vec![ArticleId(0); count];
    let mut batch = Vec::with_capacity(1000);
    let mut indexes = Vec::with_capacity(1000);
    let mut last_report = Instant::now();
    for i in (0..count).rev() {
        let title = format!(
            "{} {} {} xã {}, huyện {}",
            rng.pick(&OPENINGS),
            rng.pick(&ACTIONS),
            rng.pick(&SUBJECTS),
            rng.pick(&COMMUNES),
            rng.pick(&DISTRICTS),
        );
        let sentences = 6 + rng.below(6);
        let body = (0..sentences)
            .map(|_| rng.pick(&SENTENCES))
            .collect::<Vec<_>>()
            .join("\n\n");
        // Nine in ten articles are the province's, the rest its districts'.
        let site = if i % 10 == 9 {
            directory.others[i % directory.others.len()]
        } else {
            directory.site
        };
        let mut data = ArticleData::draft(site, Title::parse(&title)?, Body::parse(&body)?)?;
        data.slug = Slug::parse(&format!("{}-{i}", Slug::from_text(&title)?))?;
        data.lead = Body::parse(rng.pick(&SENTENCES))?;
        data.status = ArticleStatus::Published;
        data.published_at = Some(newest - Duration::minutes(i64::try_from(i)?));
        data.view_count = i64::try_from(rng.below(5_000))?;
        data.authors = vec![Author::named(name(&format!(
            "{} {}",
            rng.pick(&MIDDLE),
            rng.pick(&GIVEN)
        ))?)];
        data.images = vec![Image {
            media_id: None,
            url: Some(Url::parse(&format!(
                "https://danvan.lamson.example.vn/anh/{i}.jpg"
            ))?),
            caption: Some(format!("Quang cảnh {}", title.to_lowercase())),
            alt: None,
        }];
        let orgs = &directory.organisations;
        data.organisation_ids = vec![orgs[rng.below(orgs.len())]];
        if i % 2 == 0 {
            let other = orgs[rng.below(orgs.len())];
            if !data.organisation_ids.contains(&other) {
                data.organisation_ids.push(other);
            }
        }
        let tags = &directory.tags;
        // The first tag is common, as "Dân vận khéo" is on a portal's news.
        data.tag_ids = vec![
            tags[if i % 4 == 0 {
                0
            } else {
                1 + rng.below(tags.len() - 1)
            }],
        ];
        let second = tags[rng.below(tags.len())];
        if !data.tag_ids.contains(&second) {
            data.tag_ids.push(second);
        }
        if i % 5 == 0 {
            data.meeting_id = Some(directory.meetings[rng.below(directory.meetings.len())]);
            let people = &directory.people;
            let mut mentioned = vec![
                people[rng.below(people.len())],
                people[rng.below(people.len())],
            ];
            mentioned.dedup();
            data.person_ids = mentioned;
        }
        // Related articles are older ones, far enough back to be in a batch already written.
        data.related_ids = (0..3)
            .map(|k| i + 1000 + 7 * k)
            .filter(|&j| j < count)
            .map(|j| ids[j])
            .collect();
        batch.push(data);
        indexes.push(i);
        if batch.len() == 1000 || i == 0 {
            let written = danvan_store::article::create_many(db, &batch).await?;
            for (index, id) in indexes.drain(..).zip(written) {
                ids[index] = id;
            }
            batch.clear();
            if last_report.elapsed().as_secs() >= 5 {
                eprintln!("  … {} articles", count - i);
                last_report = Instant::now();
            }
        }
    }
    Ok(ids)
}

/// Approved comments on one article in a hundred, among them the newest.
async fn comments(db: &DatabaseConnection, rng: &mut Lcg, ids: &[ArticleId]) -> anyhow::Result<()> {
    let txn = danvan_store::begin_write(db).await?;
    for article in ids.iter().step_by(100) {
        for _ in 0..3 {
            let body = rng.pick(&[
                "Mô hình rất thiết thực, mong được nhân rộng ở các xã khác.",
                "Cảm ơn Ban Dân vận đã lắng nghe ý kiến của bà con.",
                "Đường làng sạch đẹp hơn hẳn, người dân rất phấn khởi.",
            ]);
            let mut data = CommentData::new(
                *article,
                name(&format!("{} {}", rng.pick(&FAMILY), rng.pick(&GIVEN)))?,
                CommentBody::parse(body)?,
            );
            data.status = CommentStatus::Approved;
            danvan_store::comment::create(&txn, &data).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The number of "Dân vận khéo" models each commune reported, year by year.
async fn figures(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    directory: &Directory,
) -> anyhow::Result<()> {
    let txn = danvan_store::begin_write(db).await?;
    for organisation in &directory.organisations {
        for year in 2019..2026 {
            let value = f64::from(u32::try_from(rng.below(40))?);
            let mut data =
                ReportFigureData::new(INDICATOR, name("Số mô hình “Dân vận khéo”")?, value)?;
            data.organisation_id = Some(*organisation);
            data.period = Some(Period::year(year)?);
            data.unit = Some("mô hình".to_owned());
            danvan_store::report_figure::create(&txn, &data).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Writes `count` portal pages as copied text, in `batches` numbered folders, the same on
/// every run: a headline, the date line and view count, a lead, paragraphs, the byline.
pub fn write_pages(folder: &std::path::Path, count: usize, batches: usize) -> anyhow::Result<()> {
    use std::fmt::Write as _;
    let mut rng = Lcg(7);
    let per_batch = count.div_ceil(batches.max(1));
    let start = Utc
        .with_ymd_and_hms(2024, 1, 2, 1, 0, 0)
        .single()
        .context("a time")?;
    for i in 0..count {
        let dir = folder.join(format!("{:03}", i / per_batch));
        if i % per_batch == 0 {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            std::fs::create_dir_all(&dir)?;
        }
        let at = danvan_text_time(start + Duration::minutes(i64::try_from(i)? * 7));
        let district = rng.pick(&DISTRICTS);
        let mut page = String::new();
        writeln!(
            page,
            "Trang thông tin điện tử huyện {district}\nTin hoạt động\n"
        )?;
        writeln!(
            page,
            "{} {} {} xã {}, huyện {district}\n",
            rng.pick(&OPENINGS),
            rng.pick(&ACTIONS),
            rng.pick(&SUBJECTS),
            rng.pick(&COMMUNES),
        )?;
        writeln!(page, "{at}\n{} lượt xem\n", rng.below(3_000))?;
        for _ in 0..5 + rng.below(6) {
            writeln!(page, "{}\n", rng.pick(&SENTENCES))?;
        }
        writeln!(page, "{} {}\n", rng.pick(&MIDDLE), rng.pick(&GIVEN))?;
        std::fs::write(dir.join(format!("trang-{i:06}.txt")), page)?;
    }
    Ok(())
}

/// A date line as the portals print it: "Thứ 3, 14.05.2024 | 08:15:02", Vietnam time.
fn danvan_text_time(at: chrono::DateTime<Utc>) -> String {
    use chrono::Datelike;
    let local = at + Duration::hours(7);
    let weekday = match local.weekday().num_days_from_sunday() {
        0 => "Chủ nhật".to_owned(),
        n => format!("Thứ {}", n + 1),
    };
    format!("{weekday}, {}", local.format("%d.%m.%Y | %H:%M:%S"))
}
