use crate::fixtures::{organisation, person, published, site, vn};
use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
use danvan_domain::{Name, Title};
use danvan_testing::TestDatabase;

/// The importer finds what it meets again by name, whatever the tone placement and case.
pub async fn names_match_whatever_the_tone_placement(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let huyen_uy = organisation(
        db,
        "Huyện ủy Gia Viễn",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::District,
        None,
    )
    .await;
    let mut centre = organisation(
        db,
        "Trung tâm Văn hóa, Thông tin và Thể thao huyện Gia Viễn",
        OrganisationKind::StateAgency,
        OrganisationLevel::District,
        None,
    )
    .await;
    centre.data.abbreviation = Some(Name::parse("Trung tâm VHTT&TT").unwrap());
    danvan_store::organisation::update(db, centre.id, None, &centre.data)
        .await
        .unwrap();
    let found = danvan_store::organisation::by_name(db, "Huyện uỷ  GIA VIỄN")
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|o| o.id).collect::<Vec<_>>(),
        [huyen_uy.id]
    );
    let by_abbreviation = danvan_store::organisation::by_name(db, "Trung tâm VHTT&TT")
        .await
        .unwrap();
    assert_eq!(by_abbreviation.len(), 1);
    assert_eq!(by_abbreviation[0].id, centre.id);
    // Another diacritic is another name: "Huyện ủy Gia Viên" is not Gia Viễn.
    assert!(
        danvan_store::organisation::by_name(db, "Huyện ủy Gia Viên")
            .await
            .unwrap()
            .is_empty()
    );

    let thuy = person(db, "Nguyễn Thị Thủy").await;
    let found = danvan_store::person::by_name(db, "Nguyễn Thị Thuỷ")
        .await
        .unwrap();
    assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), [thuy.id]);
    t
}

/// A changed page is found by its title and time, and the article before the change is
/// kept as a numbered revision.
pub async fn a_changed_page_keeps_a_revision(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "gia-vien", "Gia Viễn").await;
    let at = vn(2023, 7, 11, 9, 0);
    let mut data = published(site.id, "Ban Dân vận Huyện uỷ tổ chức sơ kết", at);
    data.fingerprint = Some("first".into());
    let article = danvan_store::article::create(db, &data).await.unwrap();
    let title = Title::parse("Ban Dân vận Huyện uỷ tổ chức sơ kết").unwrap();
    let found = danvan_store::article::same_page(db, site.id, &title, Some(at))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, article.id);
    assert!(
        danvan_store::article::same_page(db, site.id, &title, None)
            .await
            .unwrap()
            .is_none()
    );

    let first = danvan_store::revision::keep(
        db,
        &found,
        &found.data,
        danvan_store::revision::Change {
            reason: "import",
            actor: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(first.number, 1);
    let second = danvan_store::revision::keep(
        db,
        &found,
        &found.data,
        danvan_store::revision::Change {
            reason: "import",
            actor: Some("biên tập viên"),
        },
    )
    .await
    .unwrap();
    assert_eq!(second.number, 2);
    let kept = danvan_store::revision::of_article(db, article.id)
        .await
        .unwrap();
    assert_eq!(kept.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(kept[0].actor.as_deref(), Some("biên tập viên"));
    assert_eq!(
        kept[1].snapshot["title"],
        "Ban Dân vận Huyện uỷ tổ chức sơ kết"
    );
    assert_eq!(kept[1].snapshot["fingerprint"], "first");
    t
}

/// A batch of pages written in one transaction holds its change-log rows back to its last
/// step, so that a writer beside it that wrote a word of the vocabulary the batch writes
/// next is not left waiting for the log's lock the batch would hold (a deadlock on
/// PostgreSQL): both go through, and a page rolled back leaves no row.
pub async fn a_batch_beside_a_writer_holds_its_log_rows_to_the_end(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_store::TransactionTrait;
    use danvan_store::change;
    let db = &t.db;
    let site = site(db, "lam-son", "Lâm Sơn").await;
    let at = vn(2024, 7, 1, 8, 0);
    let txn = danvan_store::begin_write(db).await.unwrap();
    let (writer, held) = change::held_back(async {
        let first = published(site.id, "Tổng kết năm 2023", at);
        danvan_store::article::create_in(&txn, &first)
            .await
            .unwrap();
        // A page that fails half-way: its rows are forgotten with its savepoint.
        let mark = change::held_mark();
        let savepoint = txn.begin().await.unwrap();
        let failed = published(site.id, "Trang lỗi giữa chừng", at);
        danvan_store::article::create_in(&savepoint, &failed)
            .await
            .unwrap();
        savepoint.rollback().await.unwrap();
        change::forget_held_after(mark);
        // A writer beside the batch writes "dân vận khéo" (words the batch has not written:
        // they go to the vocabulary) and goes on to the log; the batch then writes the same
        // words, and waits for the writer to commit.
        let beside = db.clone();
        let site_id = site.id;
        let writer = tokio::spawn(async move {
            let other = published(site_id, "Phong trào thi đua dân vận khéo xã Yên Lạc", at);
            danvan_store::article::create(&beside, &other).await
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let second = published(site.id, "Nhân rộng mô hình dân vận khéo ở thôn, bản", at);
        danvan_store::article::create_in(&txn, &second)
            .await
            .unwrap();
        // The writer's answer is awaited once the batch has committed.
        [writer]
    })
    .await;
    change::write_held(&txn, held).await.unwrap();
    txn.commit().await.unwrap();
    let [writer] = writer;
    let beside = writer.await.unwrap().unwrap();
    let rows = change::after(db, 0, 100).await.unwrap();
    let articles: Vec<i64> = rows
        .iter()
        .filter(|c| c.concept == change::Concept::Article)
        .map(|c| c.record_id)
        .collect();
    assert_eq!(articles.len(), 3, "{rows:?}");
    assert!(articles.contains(&beside.id.0));
    let titles = danvan_store::article::get_many(
        db,
        &articles
            .iter()
            .map(|id| danvan_domain::ArticleId(*id))
            .collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    assert!(
        titles
            .iter()
            .all(|a| a.data.title.as_str() != "Trang lỗi giữa chừng")
    );
    t
}

danvan_testing::on_both_backends!(
    names_match_whatever_the_tone_placement,
    a_changed_page_keeps_a_revision,
    a_batch_beside_a_writer_holds_its_log_rows_to_the_end,
);
