use crate::fixtures::{draft, person, published, site, vn};
use danvan_domain::article::ArticleStatus;
use danvan_store::PageRequest;
use danvan_store::search::{SearchFilter, SearchKind, corrections, search};
use danvan_testing::TestDatabase;

/// Writes an article's new data, as an editor's update does.
async fn update(
    db: &danvan_store::DatabaseConnection,
    id: danvan_domain::ArticleId,
    data: &danvan_domain::article::ArticleData,
) {
    let change = danvan_store::revision::Change {
        reason: "update",
        actor: None,
    };
    danvan_store::article::update(db, id, None, data, change)
        .await
        .unwrap();
}

async fn titles(db: &danvan_store::DatabaseConnection, query: &str) -> Vec<String> {
    search(db, query, &SearchFilter::public(), &PageRequest::first(20))
        .await
        .unwrap()
        .page
        .items
        .into_iter()
        .map(|hit| hit.title)
        .collect()
}

pub async fn the_index_moves_with_the_content(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    // A draft never reaches the public.
    let created =
        danvan_store::article::create(db, &draft(site.id, "Dân vận khéo ở thôn Đồng Tâm"))
            .await
            .unwrap();
    assert!(titles(db, "dong tam").await.is_empty());
    // Published: found at once, by the words of its new title only.
    let mut data = created.data.clone();
    data.title = danvan_domain::Title::parse("Dân vận khéo ở thôn Đồng Tân").unwrap();
    data.status = ArticleStatus::Published;
    data.published_at = Some(vn(2024, 5, 1, 8, 0));
    update(db, created.id, &data).await;
    assert_eq!(
        titles(db, "dong tan").await,
        ["Dân vận khéo ở thôn Đồng Tân"]
    );
    assert!(titles(db, "dong tam").await.is_empty());
    // Archived: gone again.
    data.status = ArticleStatus::Archived;
    update(db, created.id, &data).await;
    assert!(titles(db, "dong tan").await.is_empty());
    // Scheduled for later: not yet.
    let mut later = published(
        site.id,
        "Tin hẹn giờ về Mặt trận",
        chrono::Utc::now() + chrono::Duration::hours(2),
    );
    later.slug = danvan_domain::Slug::parse("hen-gio").unwrap();
    danvan_store::article::create(db, &later).await.unwrap();
    assert!(titles(db, "mat tran").await.is_empty());
    // A failed write leaves no document behind.
    let mut bad = published(site.id, "Bài lỗi về hòa giải", vn(2024, 5, 2, 8, 0));
    bad.tag_ids = vec![danvan_domain::TagId(987_654)];
    assert!(danvan_store::article::create(db, &bad).await.is_err());
    assert!(titles(db, "hoa giai").await.is_empty());
    // Other kinds are indexed as they are written.
    person(db, "Nguyễn Thị Hồng Vân").await;
    let hits = search(
        db,
        "hong van",
        &SearchFilter::public(),
        &PageRequest::first(5),
    )
    .await
    .unwrap();
    assert_eq!(hits.page.items[0].kind, SearchKind::Person);
    t
}

/// A unit's folded name, which a search reads a place from, is written for the units
/// there were when the migration ran, and with every unit after.
pub async fn places_are_found_by_their_folded_names_after_the_migration(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_domain::Name;
    use danvan_domain::admin_unit::{AdminLevel, AdminUnitData};
    let db = &t.db;
    let site = site(db, "tuyen-quang", "Cổng thông tin Dân vận tỉnh Tuyên Quang").await;
    let unit = danvan_store::admin_unit::create(
        db,
        &AdminUnitData::new(AdminLevel::Province, Name::parse("Hà Giang").unwrap()),
    )
    .await
    .unwrap();
    let mut filed = published(site.id, "Lễ hội trên cao nguyên đá", vn(2024, 10, 1, 8, 0));
    filed.admin_unit_ids = vec![unit.id];
    let filed = danvan_store::article::create(db, &filed).await.unwrap();
    let found = |db| async move {
        search(
            db,
            "ha giang",
            &SearchFilter::public(),
            &PageRequest::numbered(1, 10),
        )
        .await
        .unwrap()
        .page
        .items
        .iter()
        .map(|h| h.ref_id)
        .collect::<Vec<_>>()
    };
    assert_eq!(found(db).await, [filed.id.0]);
    // Undone (the column gone) and done again (filled from the names).
    crate::fixtures::migrate_again_from(db, "m20261206_000018_admin_unit_name_key").await;
    assert_eq!(found(db).await, [filed.id.0]);
    t
}

/// Corrections come from the words of the titles: those of the titles there were when
/// the migration ran, and those of every title written after, new or changed.
pub async fn corrections_come_from_the_titles_after_the_migration(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    for (i, title) in [
        "Dân vận khéo ở thôn Đồng Tâm",
        "Nâng cao chất lượng công tác dân vận",
        "Hội nghị dân vận chính quyền",
    ]
    .into_iter()
    .enumerate()
    {
        let mut article = published(site.id, title, vn(2024, 5, 1 + i as u32, 8, 0));
        article.slug = danvan_domain::Slug::parse(&format!("bai-{i}")).unwrap();
        danvan_store::article::create(db, &article).await.unwrap();
    }
    let offered = |db, query: &'static str| async move {
        corrections(db, query, &SearchFilter::public())
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.query, c.total.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(offered(db, "dan vna").await, [("dân vận".to_owned(), 3)]);
    assert!(offered(db, "dân vận").await.is_empty());
    // Undone (the table gone) and done again (filled from the titles).
    crate::fixtures::migrate_again_from(db, "m20261206_000019_search_words").await;
    assert_eq!(offered(db, "dan vna").await, [("dân vận".to_owned(), 3)]);
    // A changed title brings its words.
    let first = danvan_store::search::search(
        db,
        "dong tam",
        &SearchFilter::public(),
        &PageRequest::first(1),
    )
    .await
    .unwrap()
    .page
    .items[0]
        .ref_id;
    let article = danvan_store::article::get(db, danvan_domain::ArticleId(first))
        .await
        .unwrap()
        .unwrap();
    let mut data = article.data.clone();
    data.title = danvan_domain::Title::parse("Dân vận khéo ở buôn Ea Tiêu").unwrap();
    update(db, article.id, &data).await;
    assert_eq!(
        offered(db, "buon ea tieeu").await,
        [("buôn ea tiêu".to_owned(), 1)]
    );
    t
}

/// On PostgreSQL the planner keeps a long list of the index's words, so that a rare word
/// is looked up in the index rather than sought document by document (BENCHMARKS.md).
#[tokio::test]
async fn postgres_plans_searches_with_the_index_s_words_counted() {
    use sea_orm::{ConnectionTrait, Statement};
    let Some(t) = TestDatabase::postgres("search_statistics").await else {
        return;
    };
    let target = |db: &danvan_store::DatabaseConnection| {
        let db = db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    "SELECT attstattarget::int AS n FROM pg_attribute \
                     WHERE attrelid = 'search_doc'::regclass AND attname = 'tsv'",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i32>("", "n").unwrap()
        }
    };
    assert_eq!(target(&t.db).await, 1000);
    crate::fixtures::migrate_again_from(&t.db, "m20261206_000020_search_statistics").await;
    assert_eq!(target(&t.db).await, 1000);
    t.drop_database().await;
}

danvan_testing::on_both_backends!(
    the_index_moves_with_the_content,
    places_are_found_by_their_folded_names_after_the_migration,
    corrections_come_from_the_titles_after_the_migration,
);
