use crate::fixtures::{day, draft, organisation, published, site, tag, vn};
use danvan_domain::article::{ArticleStatus, Author, Image, Source};
use danvan_domain::comment::{CommentData, CommentStatus};
use danvan_domain::meeting::{MeetingData, MeetingKind};
use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
use danvan_domain::{ArticleId, Body, CommentBody, Name, Slug, TagId, Title, Url};
use danvan_store::article::{self, ArticleFilter, ArticleOrder};
use danvan_store::organisation::OrganisationScope;
use danvan_store::{Cursor, PageRequest, StoreError, Total};
use danvan_testing::TestDatabase;

pub async fn an_article_round_trips_with_everything_attached(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "gia-vien", "Trang thông tin điện tử huyện Gia Viễn").await;
    let huyen_uy = organisation(
        db,
        "Huyện ủy Gia Viễn",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::District,
        None,
    )
    .await;
    let tag = tag(db, "Dân vận khéo").await;
    let other = article::create(
        db,
        &published(site.id, "Bài viết khác", vn(2023, 7, 1, 8, 0)),
    )
    .await
    .unwrap();

    let mut data = published(
        site.id,
        "Sơ kết công tác Dân vận 6 tháng đầu năm 2023",
        vn(2023, 7, 11, 16, 13),
    );
    data.lead =
        Body::parse("Sáng ngày 11/7, Ban Dân vận Huyện uỷ tổ chức Hội nghị sơ kết.").unwrap();
    data.authors = vec![
        Author::named(Name::parse("Cẩm Tú").unwrap()),
        Author {
            name: Name::parse("Hồng Hạ").unwrap(),
            person_id: None,
            organisation: Some(Name::parse("Trung tâm VHTT&TT").unwrap()),
        },
    ];
    data.source = Some(Source {
        name: Name::parse("nbtv.vn").unwrap(),
        url: Some(Url::parse("https://nbtv.vn/tin-tuc/so-ket").unwrap()),
        published_at: Some(vn(2023, 7, 11, 10, 0)),
    });
    data.view_count = 328;
    data.images = vec![Image {
        media_id: None,
        url: Some(Url::parse("https://example.vn/anh/hoi-nghi.jpg").unwrap()),
        caption: Some("Đồng chí Trưởng Ban Dân vận Huyện uỷ phát biểu chỉ đạo Hội nghị".to_owned()),
        alt: None,
    }];
    // A caption as a page gives it, spaces and all; the store keeps it as a line.
    data.images.push(Image {
        media_id: None,
        url: Some(Url::parse("https://example.vn/anh/quang-canh.jpg").unwrap()),
        caption: Some("  Quang cảnh   hội nghị ".to_owned()),
        alt: Some(" ".to_owned()),
    });
    data.tag_ids = vec![tag.id];
    data.organisation_ids = vec![huyen_uy.id];
    data.related_ids = vec![other.id];

    let created = article::create(db, &data).await.unwrap();
    let mut stored = data.clone();
    stored.images[1].caption = Some("Quang cảnh hội nghị".to_owned());
    stored.images[1].alt = None;
    assert_eq!(created.data, stored);
    // What a write answers is what a read gives afterwards.
    let by_id = article::get(db, created.id).await.unwrap().unwrap();
    assert_eq!(by_id, created);
    let by_slug = article::by_slug(db, site.id, &data.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_slug.id, created.id);
    assert_eq!(
        danvan_text::time::to_vietnam(by_slug.data.published_at.unwrap()).to_rfc3339(),
        "2023-07-11T16:13:00+07:00"
    );
    t
}

pub async fn vietnamese_text_comes_back_byte_identical(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "chu-viet", "Chữ Việt").await;
    // Every vowel with every tone, both cases, đ/Đ, and both tone conventions.
    let mut all = String::new();
    for base in ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"] {
        for tone in ["", "\u{300}", "\u{309}", "\u{303}", "\u{301}", "\u{323}"] {
            let syllable = danvan_text::normalize_line(&format!("{base}{tone}"));
            all.push_str(&syllable);
            all.push_str(&syllable.to_uppercase());
            all.push(' ');
        }
    }
    all.push_str("đ Đ Huyện uỷ Huyện ủy hoà hòa Thanh Hoá Thanh Hóa “Dân vận khéo”");
    let mut data = draft(site.id, &all);
    data.slug = Slug::parse("chu-viet").unwrap();
    data.body = Body::parse(&all).unwrap();
    let created = article::create(db, &data).await.unwrap();
    let read = article::get(db, created.id).await.unwrap().unwrap();
    assert_eq!(read.data.title.as_str().as_bytes(), all.as_bytes());
    assert_eq!(read.data.body.as_str().as_bytes(), all.as_bytes());
    assert!(danvan_text::is_nfc(read.data.title.as_str()));
    t
}

pub async fn a_repeated_title_gets_the_next_free_slug(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let title = "Dân vận khéo: nhân rộng mô hình";
    let base = Slug::from_text(title).unwrap();
    assert_eq!(base.as_str(), "dan-van-kheo-nhan-rong-mo-hinh");
    for expected in [
        "dan-van-kheo-nhan-rong-mo-hinh",
        "dan-van-kheo-nhan-rong-mo-hinh-2",
        "dan-van-kheo-nhan-rong-mo-hinh-3",
    ] {
        let mut data = draft(site.id, title);
        data.slug = article::unique_slug(db, site.id, &base).await.unwrap();
        assert_eq!(
            article::create(db, &data).await.unwrap().data.slug.as_str(),
            expected
        );
    }
    t
}

pub async fn the_next_free_slug_is_found_in_a_gap_and_past_many(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let title = "Hội nghị giao ban công tác dân vận";
    let base = Slug::from_text(title).unwrap();
    let slug = |n: u32| match n {
        1 => base.to_string(),
        n => format!("{base}-{n}"),
    };
    // The title twenty times over, its seventh number free.
    let batch: Vec<_> = (1..=20)
        .filter(|n| *n != 7)
        .map(|n| {
            let mut data = draft(site.id, title);
            data.slug = Slug::parse(&slug(n)).unwrap();
            data
        })
        .collect();
    article::create_many(db, &batch).await.unwrap();
    assert_eq!(
        article::unique_slug(db, site.id, &base)
            .await
            .unwrap()
            .as_str(),
        slug(7)
    );
    let mut seventh = draft(site.id, title);
    seventh.slug = Slug::parse(&slug(7)).unwrap();
    article::create(db, &seventh).await.unwrap();
    assert_eq!(
        article::unique_slug(db, site.id, &base)
            .await
            .unwrap()
            .as_str(),
        slug(21)
    );
    // A slug that only starts like it takes nothing from it.
    let other = Slug::parse(&format!("{base}-2-mo-rong")).unwrap();
    assert_eq!(
        article::unique_slug(db, site.id, &other).await.unwrap(),
        other
    );
    t
}

pub async fn slugs_are_unique_per_site_not_across_sites(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let a = site(db, "site-a", "Cổng A").await;
    let b = site(db, "site-b", "Cổng B").await;
    let title = "Triển khai nhiệm vụ năm 2021";
    article::create(db, &draft(a.id, title)).await.unwrap();
    article::create(db, &draft(b.id, title)).await.unwrap();
    let err = article::create(db, &draft(a.id, title)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(err.to_string().contains("slug"), "{err}");
    t
}

pub async fn the_public_list_is_newest_first_and_pages_by_cursor(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "tin-tuc", "Tin tức").await;
    let same_time = vn(2022, 8, 23, 16, 13);
    let mut expected = Vec::new();
    for (i, at) in [
        vn(2020, 6, 30, 16, 45),
        same_time,
        same_time,
        vn(2021, 1, 13, 19, 45),
        vn(2023, 7, 11, 8, 0),
    ]
    .into_iter()
    .enumerate()
    {
        let created = article::create(db, &published(site.id, &format!("Tin số {i}"), at))
            .await
            .unwrap();
        expected.push((at, created.id));
    }
    // Newest first; equal times by id, newest id first.
    expected.sort_by(|x, y| y.cmp(x));
    let filter = ArticleFilter {
        public_at: Some(chrono::Utc::now()),
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut request = PageRequest::first(2);
    loop {
        let page = article::list(db, &filter, ArticleOrder::NewestPublished, &request)
            .await
            .unwrap();
        assert!(page.items.len() <= 2);
        seen.extend(
            page.items
                .iter()
                .map(|a| (a.data.published_at.unwrap(), a.id)),
        );
        if !page.has_next_page {
            break;
        }
        request = PageRequest::new(2, page.end_cursor());
    }
    assert_eq!(seen, expected);

    // The last two, then the two before them: the tail of the same order.
    let tail = article::list(
        db,
        &filter,
        ArticleOrder::NewestPublished,
        &PageRequest::last(2, None),
    )
    .await
    .unwrap();
    let ids = |page: &danvan_store::Page<article::Article>| {
        page.items.iter().map(|a| a.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&tail),
        expected[3..].iter().map(|(_, id)| *id).collect::<Vec<_>>()
    );
    assert!(tail.has_previous_page);
    let before = PageRequest::last(2, tail.start_cursor());
    let middle = article::list(db, &filter, ArticleOrder::NewestPublished, &before)
        .await
        .unwrap();
    assert_eq!(
        ids(&middle),
        expected[1..3].iter().map(|(_, id)| *id).collect::<Vec<_>>()
    );
    let numbered = article::list(
        db,
        &filter,
        ArticleOrder::NewestPublished,
        &PageRequest::numbered(2, 2),
    )
    .await
    .unwrap();
    // Pages count from the newest: [0, 1], [2, 3], [4].
    assert_eq!(
        ids(&numbered),
        expected[2..4].iter().map(|(_, id)| *id).collect::<Vec<_>>()
    );
    assert_eq!(article::count(db, &filter).await.unwrap(), Total::exact(5));
    t
}

pub async fn drafts_and_scheduled_articles_are_not_public(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let now = chrono::Utc::now();
    let visible = article::create(
        db,
        &published(site.id, "Đã đăng", now - chrono::Duration::hours(1)),
    )
    .await
    .unwrap();
    article::create(
        db,
        &published(site.id, "Hẹn giờ", now + chrono::Duration::hours(1)),
    )
    .await
    .unwrap();
    article::create(db, &draft(site.id, "Bản nháp"))
        .await
        .unwrap();
    let mut archived = published(site.id, "Lưu trữ", now - chrono::Duration::hours(2));
    archived.status = ArticleStatus::Archived;
    article::create(db, &archived).await.unwrap();

    let public = ArticleFilter {
        public_at: Some(now),
        ..Default::default()
    };
    let page = article::list(
        db,
        &public,
        ArticleOrder::NewestPublished,
        &PageRequest::first(10),
    )
    .await
    .unwrap();
    assert_eq!(
        page.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![visible.id]
    );
    let everything = article::list(
        db,
        &ArticleFilter::default(),
        ArticleOrder::NewestCreated,
        &PageRequest::first(10),
    )
    .await
    .unwrap();
    assert_eq!(everything.items.len(), 4);
    t
}

pub async fn a_bad_reference_writes_nothing(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let mut data = draft(site.id, "Bài có thẻ không tồn tại");
    data.tag_ids = vec![TagId(999_999)];
    let err = article::create(db, &data).await.unwrap_err();
    assert!(matches!(err, StoreError::MissingReference), "{err:?}");
    assert!(
        article::by_slug(db, site.id, &data.slug)
            .await
            .unwrap()
            .is_none()
    );
    t
}

pub async fn updating_replaces_attachments(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let tag_a = tag(db, "Quy chế dân chủ").await;
    let tag_b = tag(db, "Dân vận khéo").await;
    let mut data = draft(site.id, "Bài cần sửa");
    data.tag_ids = vec![tag_a.id];
    data.authors = vec![Author::named(Name::parse("Phương Nhung").unwrap())];
    let created = article::create(db, &data).await.unwrap();

    data.title = Title::parse("Bài đã sửa").unwrap();
    data.tag_ids = vec![tag_b.id];
    data.authors = vec![
        Author::named(Name::parse("Lê Trang").unwrap()),
        Author::named(Name::parse("Đức Tình").unwrap()),
    ];
    let change = danvan_store::revision::Change {
        reason: "update",
        actor: Some("account:7"),
    };
    let (updated, revision) = article::update(db, created.id, Some(1), &data, change)
        .await
        .unwrap();
    assert_eq!(updated.data, data);
    assert_eq!(updated.version, 2);
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(
        article::get(db, created.id).await.unwrap().unwrap(),
        updated
    );
    // The revision holds the article as it was, who changed it and what changed.
    assert_eq!(revision.number, 1);
    assert_eq!(revision.actor.as_deref(), Some("account:7"));
    assert_eq!(revision.snapshot["title"], "Bài cần sửa");
    let mut changed = revision.changed.clone();
    changed.sort();
    assert_eq!(changed, ["authors", "tags", "title"].map(String::from));

    // An update of version 1, which is no longer current, is refused and changes nothing.
    let mut stale = data.clone();
    stale.title = Title::parse("Sửa đè lên bản cũ").unwrap();
    assert!(matches!(
        article::update(db, created.id, Some(1), &stale, change).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        article::get(db, created.id)
            .await
            .unwrap()
            .unwrap()
            .data
            .title,
        data.title
    );

    // Restoring the revision brings the old content back as a new change.
    let restored = danvan_store::revision::restored(&revision.snapshot, &updated.data).unwrap();
    let (back, _) = article::update(db, created.id, Some(2), &restored, change)
        .await
        .unwrap();
    assert_eq!(back.data.title.as_str(), "Bài cần sửa");
    assert_eq!(back.data.tag_ids, vec![tag_a.id]);
    assert_eq!(back.data.authors.len(), 1);
    assert_eq!(back.version, 3);
    assert_eq!(
        danvan_store::revision::of_article(db, created.id)
            .await
            .unwrap()
            .len(),
        2
    );

    data.related_ids = vec![created.id];
    assert!(matches!(
        article::update(db, created.id, None, &data, change).await,
        Err(StoreError::Invalid(_))
    ));
    t
}

pub async fn lists_filter_by_tag_organisation_and_meeting(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let org = organisation(
        db,
        "Đảng ủy Khối các cơ quan tỉnh",
        OrganisationKind::PartyBloc,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let tag = tag(db, "Hội nghị").await;
    let meeting = danvan_store::meeting::create(
        db,
        &MeetingData::new(
            Title::parse("Hội nghị chuyên đề công tác dân vận").unwrap(),
            MeetingKind::Thematic,
            day(2022, 8, 23),
        ),
    )
    .await
    .unwrap();
    let mut tagged = published(site.id, "Có thẻ và cơ quan", vn(2022, 8, 23, 16, 13));
    tagged.tag_ids = vec![tag.id];
    tagged.organisation_ids = vec![org.id];
    tagged.meeting_id = Some(meeting.id);
    let tagged = article::create(db, &tagged).await.unwrap();
    article::create(
        db,
        &published(site.id, "Không có gì", vn(2022, 8, 24, 8, 0)),
    )
    .await
    .unwrap();

    let only = |filter: ArticleFilter| async move {
        article::list(
            db,
            &filter,
            ArticleOrder::NewestPublished,
            &PageRequest::first(10),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|a| a.id)
        .collect::<Vec<ArticleId>>()
    };
    assert_eq!(
        only(ArticleFilter {
            tag_id: Some(tag.id),
            ..Default::default()
        })
        .await,
        vec![tagged.id]
    );
    assert_eq!(
        only(ArticleFilter {
            organisations: Some(OrganisationScope::only(org.id)),
            ..Default::default()
        })
        .await,
        vec![tagged.id]
    );
    assert_eq!(
        only(ArticleFilter {
            meeting_id: Some(meeting.id),
            ..Default::default()
        })
        .await,
        vec![tagged.id]
    );
    assert_eq!(
        only(ArticleFilter {
            site_id: Some(site.id),
            ..Default::default()
        })
        .await
        .len(),
        2
    );
    t
}

pub async fn comments_are_listed_by_status(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let article = article::create(
        db,
        &published(site.id, "Bài có ý kiến", vn(2023, 1, 1, 8, 0)),
    )
    .await
    .unwrap();
    let reader = Name::parse("Nguyễn Văn An").unwrap();
    let first = danvan_store::comment::create(
        db,
        &CommentData::new(
            article.id,
            reader.clone(),
            CommentBody::parse("Mô hình rất hay, cần nhân rộng.").unwrap(),
        ),
    )
    .await
    .unwrap();
    danvan_store::comment::moderate(
        db,
        first.id,
        CommentStatus::Approved,
        danvan_domain::AccountId(1),
    )
    .await
    .unwrap();
    danvan_store::comment::create(
        db,
        &CommentData::new(
            article.id,
            reader,
            CommentBody::parse("Ý kiến thứ hai").unwrap(),
        ),
    )
    .await
    .unwrap();
    let public = danvan_store::comment::list(
        db,
        article.id,
        Some(CommentStatus::Approved),
        &PageRequest::first(10),
    )
    .await
    .unwrap();
    assert_eq!(public.items.len(), 1);
    assert_eq!(
        public.items[0].data.body.as_str(),
        "Mô hình rất hay, cần nhân rộng."
    );
    let all = danvan_store::comment::list(db, article.id, None, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(all.items.len(), 2);
    t
}

pub async fn a_foreign_cursor_is_refused(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    article::create(db, &published(site.id, "Một", vn(2023, 1, 1, 8, 0)))
        .await
        .unwrap();
    article::create(db, &published(site.id, "Hai", vn(2023, 1, 2, 8, 0)))
        .await
        .unwrap();
    let tags = danvan_store::tag::list(db, &PageRequest::first(1))
        .await
        .unwrap();
    assert!(tags.end_cursor().is_none());
    let created = article::list(
        db,
        &ArticleFilter::default(),
        ArticleOrder::NewestCreated,
        &PageRequest::first(1),
    )
    .await
    .unwrap();
    let foreign = PageRequest::new(1, created.end_cursor());
    let err = article::list(
        db,
        &ArticleFilter::default(),
        ArticleOrder::NewestPublished,
        &foreign,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::BadCursor));
    let junk = PageRequest::new(1, Some(Cursor::from("%%%".to_owned())));
    assert!(matches!(
        danvan_store::tag::list(db, &junk).await,
        Err(StoreError::BadCursor)
    ));
    t
}

pub async fn articles_sort_by_views_and_by_vietnamese_title(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let mut ids = Vec::new();
    for (title, views) in [
        ("Hạ Long", 5),
        ("Hà Tĩnh", 50),
        ("Dương Minh", 7),
        ("Đà Nẵng", 50),
        ("Hà Nam", 1),
    ] {
        let mut data = published(site.id, title, vn(2024, 1, 1, 8, 0));
        data.view_count = views;
        ids.push((title, article::create(db, &data).await.unwrap().id));
    }
    let list = |order| async move {
        let mut titles = Vec::new();
        let mut request = PageRequest::first(2);
        loop {
            let page = article::list(db, &ArticleFilter::default(), order, &request)
                .await
                .unwrap();
            titles.extend(page.items.iter().map(|a| a.data.title.to_string()));
            if !page.has_next_page {
                break;
            }
            request = PageRequest::new(2, page.end_cursor());
        }
        titles
    };
    assert_eq!(
        list(ArticleOrder::Title).await,
        ["Dương Minh", "Đà Nẵng", "Hà Nam", "Hà Tĩnh", "Hạ Long"]
    );
    // Equal views: the newer article first.
    assert_eq!(
        list(ArticleOrder::MostViewed).await,
        ["Đà Nẵng", "Hà Tĩnh", "Dương Minh", "Hạ Long", "Hà Nam"]
    );
    t
}

pub async fn nested_lists_take_the_first_items_of_every_parent_at_once(
    t: TestDatabase,
) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let board = organisation(
        db,
        "Ban Dân vận",
        OrganisationKind::PartyBoard,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let front = organisation(
        db,
        "Ủy ban MTTQ",
        OrganisationKind::FatherlandFront,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let quiet = organisation(
        db,
        "Hội Nông dân",
        OrganisationKind::SocioPolitical,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let mut board_ids = Vec::new();
    for day in 1..=4 {
        let mut data = published(
            site.id,
            &format!("Tin Ban Dân vận {day}"),
            vn(2024, 3, day, 8, 0),
        );
        data.organisation_ids = if day == 4 {
            vec![board.id, front.id]
        } else {
            vec![board.id]
        };
        board_ids.push(article::create(db, &data).await.unwrap().id);
    }
    let mut draft_for_front = draft(site.id, "Bản nháp của Mặt trận");
    draft_for_front.organisation_ids = vec![front.id];
    article::create(db, &draft_for_front).await.unwrap();

    let now = chrono::Utc::now();
    let pages = article::newest_by_organisation(db, &[board.id, front.id, quiet.id], 2, now)
        .await
        .unwrap();
    let ids = |id| pages[&id].items.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(board.id), [board_ids[3], board_ids[2]]);
    assert!(pages[&board.id].has_next_page);
    assert_eq!(ids(front.id), [board_ids[3]]);
    assert!(!pages[&front.id].has_next_page);
    assert!(!pages.contains_key(&quiet.id));
    // The attachments come with the articles, and the cursor continues in the full list.
    assert_eq!(
        pages[&board.id].items[0].data.organisation_ids,
        [board.id, front.id]
    );
    let filter = ArticleFilter {
        organisations: Some(OrganisationScope::only(board.id)),
        public_at: Some(now),
        ..Default::default()
    };
    let rest = article::list(
        db,
        &filter,
        ArticleOrder::NewestPublished,
        &PageRequest::new(10, pages[&board.id].end_cursor()),
    )
    .await
    .unwrap();
    assert_eq!(
        rest.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        [board_ids[1], board_ids[0]]
    );

    let reader = Name::parse("Bạn đọc").unwrap();
    for (i, target) in [board_ids[0], board_ids[0], board_ids[0], board_ids[1]]
        .into_iter()
        .enumerate()
    {
        let mut comment = CommentData::new(
            target,
            reader.clone(),
            CommentBody::parse(&format!("Ý kiến {i}")).unwrap(),
        );
        comment.status = CommentStatus::Approved;
        danvan_store::comment::create(db, &comment).await.unwrap();
    }
    let comments = danvan_store::comment::first_by_article(
        db,
        &[board_ids[0], board_ids[1]],
        CommentStatus::Approved,
        2,
    )
    .await
    .unwrap();
    assert_eq!(comments[&board_ids[0]].items.len(), 2);
    assert!(comments[&board_ids[0]].has_next_page);
    assert_eq!(
        comments[&board_ids[1]].items[0].data.body.as_str(),
        "Ý kiến 3"
    );
    t
}

pub async fn many_articles_are_written_at_once_as_one_by_one(t: TestDatabase) -> TestDatabase {
    use danvan_store::search::{SearchFilter, search};
    let db = &t.db;
    let site = site(db, "lam-son", "Cổng thông tin Dân vận tỉnh Lam Sơn").await;
    let tag = tag(db, "Dân vận khéo").await;
    let first = article::create(db, &published(site.id, "Bài đã có", vn(2024, 1, 1, 8, 0)))
        .await
        .unwrap();
    let batch: Vec<_> = (0..1500)
        .map(|i| {
            let mut data = published(
                site.id,
                &format!("Hội nghị sơ kết phong trào “Dân vận khéo” số {i}"),
                vn(2024, 2, 1, 8, 0) + chrono::Duration::minutes(i),
            );
            data.slug = Slug::parse(&format!("hoi-nghi-{i}")).unwrap();
            data.authors = vec![Author::named(Name::parse("Phương Nhung").unwrap())];
            data.tag_ids = vec![tag.id];
            data.related_ids = vec![first.id];
            data.images = vec![Image {
                media_id: None,
                url: Some(Url::parse("https://example.vn/anh.jpg").unwrap()),
                caption: Some(format!("Quang cảnh hội nghị số {i}")),
                alt: None,
            }];
            data
        })
        .collect();
    let ids = article::create_many(db, &batch).await.unwrap();
    assert_eq!(ids.len(), 1500);
    // Each id is the article written from the data at its place, attachments and all.
    for (i, id) in [
        (0, ids[0]),
        (999, ids[999]),
        (1000, ids[1000]),
        (1499, ids[1499]),
    ] {
        let read = article::get(db, id).await.unwrap().unwrap();
        assert_eq!(read.data.title, batch[i].title);
        assert_eq!(read.data.slug, batch[i].slug);
        assert_eq!(read.data.authors, batch[i].authors);
        assert_eq!(read.data.tag_ids, vec![tag.id]);
        assert_eq!(read.data.related_ids, vec![first.id]);
        assert_eq!(read.data.images, batch[i].images);
    }
    let tagged = ArticleFilter {
        tag_id: Some(tag.id),
        ..ArticleFilter::default()
    };
    assert_eq!(article::count(db, &tagged).await.unwrap().count, 1500);
    let found = search(
        db,
        "sơ kết số 1499",
        &SearchFilter::public(),
        &PageRequest::first(5),
    )
    .await
    .unwrap();
    assert_eq!(
        found.page.items.first().map(|h| h.ref_id),
        Some(ids[1499].0)
    );
    t
}

pub async fn counts_of_long_lists_stop_at_their_bound(t: TestDatabase) -> TestDatabase {
    use danvan_store::search::{self, SearchFilter};
    let db = &t.db;
    let site = site(db, "lam-son", "Cổng thông tin Dân vận tỉnh Lam Sơn").await;
    let tag = tag(db, "Dân vận khéo").await;
    let many = search::COUNT_BOUND + 1;
    let batch: Vec<_> = (0..many)
        .map(|i| {
            let minutes = i64::try_from(i).unwrap();
            let mut data = published(
                site.id,
                &format!("Sơ kết mô hình “Dân vận khéo” ở thôn số {i}"),
                vn(2024, 3, 1, 7, 0) + chrono::Duration::minutes(minutes),
            );
            data.slug = Slug::parse(&format!("so-ket-{i}")).unwrap();
            data.tag_ids = vec![tag.id];
            data
        })
        .collect();
    article::create_many(db, &batch).await.unwrap();
    let tagged = ArticleFilter {
        tag_id: Some(tag.id),
        ..ArticleFilter::default()
    };
    // Up to the bound a count is exact; past it, it is the bound and says so.
    assert_eq!(
        article::count_within(db, &tagged, many).await.unwrap(),
        Total::exact(many)
    );
    assert_eq!(
        article::count_within(db, &tagged, many - 1).await.unwrap(),
        Total {
            count: many - 1,
            exact: false
        }
    );
    assert_eq!(
        article::count(db, &tagged).await.unwrap(),
        Total::exact(many)
    );
    let public = SearchFilter::public();
    assert_eq!(
        search::count(db, "sơ kết", &public).await.unwrap(),
        Total {
            count: search::COUNT_BOUND,
            exact: false
        }
    );
    assert_eq!(
        search::count(db, "thôn số 1000", &public).await.unwrap(),
        Total::exact(1)
    );
    // Every page the count promises has its results: the best of the newest candidates
    // first, then the other matches newest first, none of them twice.
    let page_of = |n: u64| {
        let public = public.clone();
        async move {
            search::search(db, "sơ kết", &public, &PageRequest::numbered(n, 20))
                .await
                .unwrap()
        }
    };
    let first = page_of(1).await;
    assert!(
        first.reachable >= search::COUNT_BOUND,
        "{}",
        first.reachable
    );
    let mut seen = std::collections::HashSet::new();
    let mut order = Vec::new();
    let mut last_page = None;
    for n in 1..=many.div_ceil(20) + 1 {
        let found = page_of(n).await;
        let expected = usize::try_from(many.saturating_sub((n - 1) * 20).min(20)).unwrap();
        assert_eq!(found.page.items.len(), expected, "page {n}");
        assert_eq!(found.page.has_next_page, n * 20 < many, "page {n}");
        for hit in &found.page.items {
            assert!(seen.insert(hit.ref_id), "page {n}: {} twice", hit.ref_id);
            order.push(hit.ref_id);
        }
        if n == 10 {
            last_page = Some(found);
        }
    }
    assert_eq!(seen.len(), usize::try_from(many).unwrap());
    let ordered = usize::try_from(search::RECENT + search::IN_TITLES).unwrap();
    assert!(
        order[ordered..].windows(2).all(|w| w[0] > w[1]),
        "past the ordered candidates, newest first"
    );
    // A cursor goes on where a page number would.
    let tenth = last_page.unwrap();
    let after = tenth.page.cursors.last().cloned();
    let next = search::search(
        db,
        "sơ kết",
        &public,
        &PageRequest::Forward { first: 20, after },
    )
    .await
    .unwrap();
    let ids: Vec<i64> = next.page.items.iter().map(|h| h.ref_id).collect();
    assert_eq!(ids, order[200..220]);
    t
}

pub async fn a_bad_article_in_a_batch_writes_none_of_it(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "lam-son", "Cổng thông tin Dân vận tỉnh Lam Sơn").await;
    let good = published(site.id, "Tin thứ nhất", vn(2024, 1, 1, 8, 0));
    let mut twin = published(site.id, "Tin thứ hai", vn(2024, 1, 1, 9, 0));
    twin.slug = good.slug.clone();
    let err = article::create_many(db, &[good.clone(), twin])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    let mut dangling = published(site.id, "Tin thứ ba", vn(2024, 1, 1, 10, 0));
    dangling.related_ids = vec![ArticleId(999_999)];
    assert!(article::create_many(db, &[good, dangling]).await.is_err());
    assert_eq!(
        article::count(db, &ArticleFilter::default()).await.unwrap(),
        Total::exact(0)
    );
    t
}

/// The page of one organisation's or a subtree's public articles, read from the link table
/// alone, and the same page read from the articles (a filter the link table does not answer
/// alone, with the same meaning).
async fn both_ways(
    db: &sea_orm::DatabaseConnection,
    scope: &OrganisationScope,
    now: chrono::DateTime<chrono::Utc>,
    request: &PageRequest,
) -> (Vec<ArticleId>, Vec<ArticleId>, Total) {
    let listed = ArticleFilter {
        organisations: Some(scope.clone()),
        public_at: Some(now),
        ..ArticleFilter::default()
    };
    let read = ArticleFilter {
        status: Some(ArticleStatus::Published),
        ..listed.clone()
    };
    let ids = |page: danvan_store::Page<article::Article>| {
        page.items.iter().map(|a| a.id).collect::<Vec<_>>()
    };
    let fast = article::list(db, &listed, ArticleOrder::NewestPublished, request)
        .await
        .unwrap();
    let slow = article::list(db, &read, ArticleOrder::NewestPublished, request)
        .await
        .unwrap();
    assert_eq!(fast.cursors, slow.cursors);
    assert_eq!(
        (fast.has_next_page, fast.has_previous_page),
        (slow.has_next_page, slow.has_previous_page)
    );
    let count = article::count(db, &listed).await.unwrap();
    assert_eq!(count, article::count(db, &read).await.unwrap());
    (ids(fast), ids(slow), count)
}

pub async fn an_organisations_page_follows_every_change_of_its_articles(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_store::revision::Change;
    let db = &t.db;
    let site = site(db, "gia-vien", "Trang thông tin điện tử huyện Gia Viễn").await;
    let huyen_uy = organisation(
        db,
        "Huyện ủy Gia Viễn",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::District,
        None,
    )
    .await;
    let ban = organisation(
        db,
        "Ban Dân vận Huyện ủy Gia Viễn",
        OrganisationKind::PartyBoard,
        OrganisationLevel::District,
        Some(&huyen_uy),
    )
    .await;
    let now = vn(2024, 6, 1, 12, 0);
    // Seven published articles, the odd ones concerning both the committee and its board;
    // a draft, a scheduled article and one of another organisation beside them.
    let mut batch: Vec<_> = (0..7_u32)
        .map(|i| {
            let mut data = published(
                site.id,
                &format!("Hội nghị giao ban công tác dân vận tháng {}", i + 1),
                vn(2024, 1, 10 + i, 8, 0),
            );
            data.organisation_ids = if i % 2 == 1 {
                vec![huyen_uy.id, ban.id]
            } else {
                vec![ban.id]
            };
            data
        })
        .collect();
    let mut waiting = draft(site.id, "Bản nháp về “Dân vận khéo”");
    waiting.organisation_ids = vec![ban.id];
    let mut scheduled = published(site.id, "Tin hẹn giờ", now + chrono::Duration::days(1));
    scheduled.organisation_ids = vec![ban.id];
    batch.push(waiting);
    batch.push(scheduled);
    batch.push(published(
        site.id,
        "Tin không thuộc Ban",
        vn(2024, 2, 1, 8, 0),
    ));
    let written = article::create_many(db, &batch).await.unwrap();
    let id = |i: usize| written[i];

    let only = OrganisationScope::only(ban.id);
    let subtree = danvan_store::organisation::subtree(db, huyen_uy.id)
        .await
        .unwrap();
    let newest: Vec<ArticleId> = (0..7).rev().map(id).collect();
    // Page 2 of 3, by number and by cursor, for the board and for the whole subtree (whose
    // odd articles are linked twice and listed once).
    for scope in [&only, &subtree] {
        let (fast, slow, count) = both_ways(db, scope, now, &PageRequest::numbered(2, 3)).await;
        assert_eq!(fast, newest[3..6]);
        assert_eq!(fast, slow);
        assert_eq!(count, Total::exact(7));
        let first = both_ways(db, scope, now, &PageRequest::first(3)).await.0;
        let listed = ArticleFilter {
            organisations: Some(scope.clone()),
            public_at: Some(now),
            ..ArticleFilter::default()
        };
        let page = article::list(
            db,
            &listed,
            ArticleOrder::NewestPublished,
            &PageRequest::first(3),
        )
        .await
        .unwrap();
        assert_eq!(first, newest[..3]);
        let after = PageRequest::new(3, Some(page.cursors[2].clone()));
        let (fast, slow, _) = both_ways(db, scope, now, &after).await;
        assert_eq!(
            (fast.clone(), slow),
            (newest[3..6].to_vec(), newest[3..6].to_vec())
        );
        let before = PageRequest::last(2, Some(page.cursors[2].clone()));
        assert_eq!(both_ways(db, scope, now, &before).await.0, newest[..2]);
    }

    // Withdrawn, deleted, restored, rescheduled, published: the page follows each.
    let update = async |i: usize, change: &dyn Fn(&mut danvan_domain::article::ArticleData)| {
        let current = article::get(db, id(i)).await.unwrap().unwrap();
        let mut data = current.data.clone();
        change(&mut data);
        let why = Change {
            reason: "update",
            actor: None,
        };
        article::update(db, id(i), None, &data, why).await.unwrap();
    };
    update(6, &|d| d.status = ArticleStatus::Draft).await;
    article::delete(db, id(5), None).await.unwrap();
    let page = both_ways(db, &only, now, &PageRequest::first(3)).await;
    assert_eq!(page.0, vec![id(4), id(3), id(2)]);
    assert_eq!(page.0, page.1);
    assert_eq!(page.2, Total::exact(5));
    article::restore(db, id(5)).await.unwrap();
    update(0, &|d| d.published_at = Some(vn(2024, 5, 20, 8, 0))).await;
    update(7, &|d| {
        d.status = ArticleStatus::Published;
        d.published_at = Some(vn(2024, 5, 25, 8, 0));
    })
    .await;
    let page = both_ways(db, &subtree, now, &PageRequest::first(4)).await;
    assert_eq!(page.0, vec![id(7), id(0), id(5), id(4)]);
    assert_eq!(page.0, page.1);
    assert_eq!(page.2, Total::exact(7));
    // Its links replaced, an article leaves the board's page and keeps the committee's.
    update(5, &|d| d.organisation_ids = vec![huyen_uy.id]).await;
    let page = both_ways(db, &only, now, &PageRequest::first(3)).await;
    assert_eq!(page.0, vec![id(7), id(0), id(4)]);
    assert_eq!(page.0, page.1);
    let committee = OrganisationScope::only(huyen_uy.id);
    let page = both_ways(db, &committee, now, &PageRequest::first(5)).await;
    assert_eq!(page.0, vec![id(5), id(3), id(1)]);
    assert_eq!(page.0, page.1);
    // The scheduled article's time comes.
    let later = now + chrono::Duration::days(2);
    let page = both_ways(db, &only, later, &PageRequest::first(1)).await;
    assert_eq!(page.0, vec![id(8)]);
    assert_eq!(page.0, page.1);
    t
}

pub async fn the_listing_times_are_filled_in_when_the_migration_runs(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_migrations::MigratorTrait;
    let db = &t.db;
    let site = site(db, "lam-son", "Cổng thông tin Dân vận tỉnh Lam Sơn").await;
    let ban = organisation(
        db,
        "Ban Dân vận Tỉnh ủy",
        OrganisationKind::PartyBoard,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let now = vn(2024, 6, 1, 12, 0);
    let mut batch: Vec<_> = (0..4_u32)
        .map(|i| {
            let mut data = published(
                site.id,
                &format!("Tuyên truyền Quy chế dân chủ ở cơ sở, kỳ {}", i + 1),
                vn(2024, 3, 1 + i, 8, 0),
            );
            data.organisation_ids = vec![ban.id];
            data
        })
        .collect();
    batch[1].status = ArticleStatus::Draft;
    let written = article::create_many(db, &batch).await.unwrap();
    article::delete(db, written[2], None).await.unwrap();
    // Undone (with the one migration after it) and done again, the listing times are
    // filled in from the articles as they are.
    danvan_migrations::Migrator::down(db, Some(2))
        .await
        .unwrap();
    danvan_migrations::Migrator::up(db, None).await.unwrap();
    let scope = OrganisationScope::only(ban.id);
    let (fast, slow, count) = both_ways(db, &scope, now, &PageRequest::first(10)).await;
    assert_eq!(fast, vec![written[3], written[0]]);
    assert_eq!(fast, slow);
    assert_eq!(count, Total::exact(2));
    t
}

/// Every write of an article leaves one row in the change log, in order, with what it
/// did; the retention's purge removes the old rows and leaves the log's end where it was.
async fn each_write_of_an_article_is_logged_once_and_old_rows_are_purged(
    t: TestDatabase,
) -> TestDatabase {
    use danvan_store::change::{self, Action, Concept};
    let db = &t.db;
    let site = site(db, "gia-vien", "Trang thông tin điện tử huyện Gia Viễn").await;
    let start = change::high_water(db).await.unwrap();
    let made = article::create(db, &draft(site.id, "Hội nghị sơ kết Quy chế dân chủ"))
        .await
        .unwrap();
    let mut data = made.data.clone();
    data.status = ArticleStatus::Published;
    data.published_at = Some(chrono::Utc::now());
    let change_of = danvan_store::revision::Change {
        reason: "publish",
        actor: None,
    };
    let (published, _) = article::update(db, made.id, Some(made.version), &data, change_of)
        .await
        .unwrap();
    article::delete(db, made.id, Some(published.version))
        .await
        .unwrap();
    article::restore(db, made.id).await.unwrap();
    let logged = change::last_changes(db, site.id.0, Concept::Article, start, i64::MAX, start, 10)
        .await
        .unwrap();
    // A record's changes come as its last one only.
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].action, Action::Restored);
    let end = change::high_water(db).await.unwrap();
    assert_eq!(end - start, 4, "created, published, deleted, restored");
    let later = chrono::Utc::now() + chrono::Duration::seconds(1);
    // Rows a webhook endpoint is still owed stay whatever their age.
    let owing = change::Outbox {
        fanned_out: start,
        owed_from: Some(chrono::DateTime::UNIX_EPOCH),
    };
    change::purge(db, later, owing).await.unwrap();
    assert_eq!(change::after(db, start, 10).await.unwrap().len(), 4);
    let nobody = change::Outbox {
        fanned_out: start,
        owed_from: None,
    };
    let removed = change::purge(db, later, nobody).await.unwrap();
    assert!(removed >= 3, "{removed}");
    // The newest row stays, so that the log's end does not go back to 0.
    assert_eq!(change::high_water(db).await.unwrap(), end);
    assert!(change::oldest(db).await.unwrap().is_some());
    t
}

danvan_testing::on_both_backends!(
    each_write_of_an_article_is_logged_once_and_old_rows_are_purged,
    an_organisations_page_follows_every_change_of_its_articles,
    the_listing_times_are_filled_in_when_the_migration_runs,
    many_articles_are_written_at_once_as_one_by_one,
    counts_of_long_lists_stop_at_their_bound,
    a_bad_article_in_a_batch_writes_none_of_it,
    a_repeated_title_gets_the_next_free_slug,
    the_next_free_slug_is_found_in_a_gap_and_past_many,
    nested_lists_take_the_first_items_of_every_parent_at_once,
    articles_sort_by_views_and_by_vietnamese_title,
    an_article_round_trips_with_everything_attached,
    vietnamese_text_comes_back_byte_identical,
    slugs_are_unique_per_site_not_across_sites,
    the_public_list_is_newest_first_and_pages_by_cursor,
    drafts_and_scheduled_articles_are_not_public,
    a_bad_reference_writes_nothing,
    updating_replaces_attachments,
    lists_filter_by_tag_organisation_and_meeting,
    comments_are_listed_by_status,
    a_foreign_cursor_is_refused,
);
