//! Search speed on a generated data set: `cargo bench -p danvan-store --bench search`.
//!
//! Generates `DANVAN_BENCH_ARTICLES` articles (100,000 by default) in the style of the
//! portals into a fresh SQLite file and, when `TEST_DATABASE_URL` is set, a fresh PostgreSQL
//! database; then times two-word queries with and without diacritics, phrase queries and
//! suggestions, and prints p50 and p95 for each backend. Results go to BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{Duration, Utc};
use danvan_domain::article::{ArticleData, ArticleStatus, Author};
use danvan_domain::site::SiteData;
use danvan_domain::{Body, Name, Slug, Title};
use danvan_store::search::{SearchFilter, search, suggest};
use danvan_store::{DatabaseConnection, PageRequest, TransactionTrait};
use danvan_testing::TestDatabase;
use std::time::Instant;

/// A small deterministic generator, so that every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

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
const PLACES: [&str; 10] = [
    "huyện Phú Thịnh",
    "xã Yên Bình",
    "tỉnh Lam Sơn",
    "phường Tân Lập",
    "thị trấn Hòa Bình",
    "xã Đồng Tâm",
    "huyện Sơn Hà",
    "xã Thuỷ An",
    "phường Quang Trung",
    "Đảng ủy Khối các cơ quan tỉnh",
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
const AUTHORS: [&str; 6] = [
    "Phương Nhung",
    "Hồng Hạ",
    "Lê Trang",
    "Cẩm Tú",
    "Đức Tình",
    "Thu Trang",
];

async fn generate(db: &DatabaseConnection, articles: usize) {
    let site = danvan_store::site::create(
        db,
        &SiteData::new(
            Slug::parse("bench").unwrap(),
            Name::parse("Cổng thử").unwrap(),
        ),
    )
    .await
    .unwrap();
    let mut rng = Lcg(42);
    let now = Utc::now();
    let started = Instant::now();
    for batch in 0..articles.div_ceil(1000) {
        let txn = db.begin().await.unwrap();
        for i in batch * 1000..((batch + 1) * 1000).min(articles) {
            let title = format!(
                "{} {} {} {} năm {}",
                rng.pick(&OPENINGS),
                rng.pick(&ACTIONS),
                rng.pick(&SUBJECTS),
                rng.pick(&PLACES),
                2016 + rng.next() % 10
            );
            let sentences = 6 + rng.next() % 6;
            let body = (0..sentences)
                .map(|_| rng.pick(&SENTENCES))
                .collect::<Vec<_>>()
                .join(" ");
            let mut data = ArticleData::draft(
                site.id,
                Title::parse(&title).unwrap(),
                Body::parse(&body).unwrap(),
            )
            .unwrap();
            data.slug = Slug::parse(&format!("bai-{i}")).unwrap();
            data.status = ArticleStatus::Published;
            data.published_at = Some(now - Duration::minutes(i64::try_from(i).unwrap()));
            data.authors = vec![Author::named(Name::parse(rng.pick(&AUTHORS)).unwrap())];
            danvan_store::article::create(&txn, &data).await.unwrap();
        }
        txn.commit().await.unwrap();
    }
    eprintln!(
        "  generated {articles} articles in {:.0?}",
        started.elapsed()
    );
    // What autovacuum does on a live server soon after a bulk load: without statistics the
    // PostgreSQL planner cannot tell that a common word matches most rows.
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round();
    sorted[rank as usize]
}

async fn measure(name: &str, db: &DatabaseConnection, queries: &[&str], suggestions: bool) {
    let filter = SearchFilter::public();
    let mut times = Vec::new();
    for _ in 0..20 {
        for query in queries {
            let started = Instant::now();
            if suggestions {
                let found = suggest(db, query, &filter, 10).await.unwrap();
                assert!(!found.titles.is_empty(), "{query}");
            } else {
                let page = search(db, query, &filter, &PageRequest::first(20))
                    .await
                    .unwrap();
                assert!(!page.page.items.is_empty(), "{query}");
            }
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "| {name} | {:.1} | {:.1} |",
        percentile(&times, 0.5),
        percentile(&times, 0.95)
    );
}

async fn run(backend: &str, database: &TestDatabase, articles: usize) {
    eprintln!("{backend}:");
    generate(&database.db, articles).await;
    println!("\n{backend}, {articles} articles\n\n| queries | p50 ms | p95 ms |\n|---|---|---|");
    let db = &database.db;
    measure(
        "two words, with diacritics",
        db,
        &["dân vận", "quy chế", "nông thôn", "đối thoại", "hòa giải"],
        false,
    )
    .await;
    measure(
        "two words, without diacritics",
        db,
        &["dan van", "quy che", "nong thon", "doi thoai", "hoa giai"],
        false,
    )
    .await;
    measure(
        "phrases",
        db,
        &[
            "\"dân chủ ở cơ sở\"",
            "\"dân vận khéo\"",
            "\"Mặt trận Tổ quốc\"",
        ],
        false,
    )
    .await;
    measure(
        "suggest",
        db,
        &["dan van kh", "quy ch", "nông th", "doi tho"],
        true,
    )
    .await;
}

fn main() {
    let articles = std::env::var("DANVAN_BENCH_ARTICLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sqlite = TestDatabase::sqlite().await;
        run("SQLite", &sqlite, articles).await;
        sqlite.drop_database().await;
        if let Some(postgres) = TestDatabase::postgres("search_bench").await {
            run("PostgreSQL", &postgres, articles).await;
            postgres.drop_database().await;
        }
    });
}
