use crate::fixtures::{day, organisation, person, published, site, vn};
use danvan_domain::meeting::{MeetingData, MeetingKind};
use danvan_domain::model::{DvkField, DvkModelData, DvkStatus, Recognition, RecognitionLevel};
use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
use danvan_domain::report_figure::{FigureQualifier, ReportFigureData};
use danvan_domain::tag::TagData;
use danvan_domain::{Name, Period, Title};
use danvan_store::meeting::MeetingFilter;
use danvan_store::model::DvkModelFilter;
use danvan_store::organisation::OrganisationScope;
use danvan_store::report_figure::ReportFigureFilter;
use danvan_store::{PageRequest, StoreError};
use danvan_testing::TestDatabase;

pub async fn meetings_keep_participants_tasks_and_period(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let bcd = organisation(
        db,
        "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh",
        OrganisationKind::SteeringCommittee,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let chair = person(db, "Trần Văn Hòa").await;
    let guest = person(db, "Lê Thị Thuý").await;
    let mut data = MeetingData::new(
        Title::parse("Hội nghị sơ kết 6 tháng đầu năm 2020").unwrap(),
        MeetingKind::InterimReview,
        day(2020, 6, 30),
    );
    data.organiser_id = Some(bcd.id);
    data.chair_ids = vec![chair.id];
    data.attendee_ids = vec![guest.id];
    data.attendance_note = Some("các đồng chí thành viên Ban Chỉ đạo".to_owned());
    data.period = Some(Period::half_year(2020, 1).unwrap());
    data.location = Some("Hội trường Tỉnh ủy".to_owned());
    data.tasks = vec![
        "Tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo”".to_owned(),
        "Tăng cường kiểm tra, giám sát\u{a0}việc thực hiện quy chế dân chủ".to_owned(),
    ];
    let created = danvan_store::meeting::create(db, &data).await.unwrap();
    assert_eq!(created.data.chair_ids, data.chair_ids);
    assert_eq!(created.data.attendee_ids, data.attendee_ids);
    assert_eq!(
        created.data.tasks[1],
        "Tăng cường kiểm tra, giám sát việc thực hiện quy chế dân chủ"
    );
    assert_eq!(created.data.period.unwrap().label(), "6 tháng đầu năm 2020");
    assert_eq!(
        danvan_store::meeting::get(db, created.id)
            .await
            .unwrap()
            .unwrap(),
        created
    );

    let mut changed = created.data.clone();
    changed.attendee_ids.clear();
    changed.tasks.truncate(1);
    let updated = danvan_store::meeting::update(db, created.id, None, &changed)
        .await
        .unwrap();
    assert!(updated.data.attendee_ids.is_empty());
    assert_eq!(updated.data.tasks.len(), 1);

    let mut twice = changed.clone();
    twice.attendee_ids = vec![chair.id];
    assert!(matches!(
        danvan_store::meeting::update(db, created.id, None, &twice).await,
        Err(StoreError::Invalid(_))
    ));

    let filter = MeetingFilter {
        kind: Some(MeetingKind::InterimReview),
        from: Some(day(2020, 1, 1)),
        to: Some(day(2020, 12, 31)),
        ..Default::default()
    };
    let found = danvan_store::meeting::list(db, &filter, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(found.items, vec![updated]);
    let none = MeetingFilter {
        kind: Some(MeetingKind::FinalReview),
        ..Default::default()
    };
    assert!(
        danvan_store::meeting::list(db, &none, &PageRequest::first(10))
            .await
            .unwrap()
            .items
            .is_empty()
    );
    t
}

fn model(name: &str, field: DvkField, period: Period) -> DvkModelData {
    let mut data = DvkModelData::new(Title::parse(name).unwrap(), field);
    data.period = Some(period);
    data
}

pub async fn models_filter_by_field_status_and_period(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let owner = organisation(
        db,
        "Đảng ủy Khối các cơ quan tỉnh",
        OrganisationKind::PartyBloc,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let phase = Period::phase(2016, 2020).unwrap();
    let mut recognised = model(
        "Cán bộ đi trước, làng nước theo sau",
        DvkField::PoliticalSystem,
        phase,
    );
    recognised.organisation_id = Some(owner.id);
    recognised.status = DvkStatus::Recognised;
    recognised.recognition = Some(Recognition {
        level: RecognitionLevel::Province,
        decision: Some("Quyết định số 125-QĐ/ĐUK".to_owned()),
        recognised_on: Some(day(2020, 9, 15)),
    });
    let recognised = danvan_store::model::create(db, &recognised).await.unwrap();
    danvan_store::model::create(
        db,
        &model(
            "Chi hội nông dân giúp nhau giảm nghèo",
            DvkField::Economy,
            Period::year(2022).unwrap(),
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        danvan_store::model::get(db, recognised.id)
            .await
            .unwrap()
            .unwrap(),
        recognised
    );

    let list = |filter: DvkModelFilter| async move {
        danvan_store::model::list(db, &filter, &PageRequest::first(10))
            .await
            .unwrap()
            .items
    };
    let by_status = list(DvkModelFilter {
        status: Some(DvkStatus::Recognised),
        ..Default::default()
    })
    .await;
    assert_eq!(by_status, vec![recognised.clone()]);
    let in_2018 = list(DvkModelFilter {
        period: Some(Period::year(2018).unwrap()),
        ..Default::default()
    })
    .await;
    assert_eq!(in_2018.len(), 1);
    let economy = list(DvkModelFilter {
        field: Some(DvkField::Economy),
        ..Default::default()
    })
    .await;
    assert_eq!(economy.len(), 1);
    let owned = list(DvkModelFilter {
        organisations: Some(OrganisationScope::only(owner.id)),
        ..Default::default()
    })
    .await;
    assert_eq!(owned, vec![recognised]);
    t
}

pub async fn an_invalid_model_is_refused_before_writing(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let mut data = model(
        "Mô hình chưa có quyết định",
        DvkField::CultureSociety,
        Period::year(2021).unwrap(),
    );
    data.status = DvkStatus::Recognised;
    let err = danvan_store::model::create(db, &data).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let all = danvan_store::model::list(db, &DvkModelFilter::default(), &PageRequest::first(10))
        .await
        .unwrap();
    assert!(all.items.is_empty());
    t
}

pub async fn report_figures_keep_their_bounds_and_sources(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let site = site(db, "cong", "Cổng").await;
    let org = organisation(
        db,
        "Đảng ủy Khối",
        OrganisationKind::PartyBloc,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let article = danvan_store::article::create(
        db,
        &published(site.id, "Hội nghị chuyên đề", vn(2022, 8, 23, 16, 13)),
    )
    .await
    .unwrap();
    let mut complaints = ReportFigureData::new(
        "complaints.resolved",
        Name::parse("Đơn khiếu nại, tố cáo được giải quyết").unwrap(),
        1272.0,
    )
    .unwrap();
    complaints.denominator = Some(1337.0);
    complaints.unit = Some("đơn".to_owned());
    complaints.period = Some(Period::phase(2016, 2021).unwrap());
    complaints.organisation_id = Some(org.id);
    complaints.article_id = Some(article.id);
    complaints.wording = Some(
        "tiếp nhận, xử lý, giải quyết 1.272/1.337 đơn khiếu nại, tố cáo, đạt trên 95%".to_owned(),
    );
    let complaints = danvan_store::report_figure::create(db, &complaints)
        .await
        .unwrap();
    let mut models = ReportFigureData::new(
        "dvk.models",
        Name::parse("Mô hình “Dân vận khéo”").unwrap(),
        1000.0,
    )
    .unwrap();
    models.qualifier = FigureQualifier::MoreThan;
    models.period = Some(Period::half_year(2020, 1).unwrap());
    let models = danvan_store::report_figure::create(db, &models)
        .await
        .unwrap();
    assert_eq!(
        danvan_store::report_figure::get(db, models.id)
            .await
            .unwrap()
            .unwrap()
            .data
            .qualifier,
        FigureQualifier::MoreThan
    );

    let by_article = ReportFigureFilter {
        article_id: Some(article.id),
        ..Default::default()
    };
    let found = danvan_store::report_figure::list(db, &by_article, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(found.items, vec![complaints.clone()]);
    let within_2020 = ReportFigureFilter {
        within: Some(Period::year(2020).unwrap()),
        ..Default::default()
    };
    let found = danvan_store::report_figure::list(db, &within_2020, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(found.items, vec![models]);
    let mut bad = complaints.data.clone();
    bad.denominator = Some(-1.0);
    assert!(matches!(
        danvan_store::report_figure::update(db, complaints.id, None, &bad).await,
        Err(StoreError::Invalid(_))
    ));
    t
}

pub async fn every_list_pages_through_all_its_items(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let names = [
        "Dân vận",
        "Dân chủ",
        "Mặt trận",
        "Đoàn kết",
        "Nông thôn mới",
    ];
    for name in names {
        danvan_store::tag::create(db, &TagData::from_name(Name::parse(name).unwrap()).unwrap())
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut request = PageRequest::first(2);
    loop {
        let page = danvan_store::tag::list(db, &request).await.unwrap();
        seen.extend(page.items.iter().map(|t| t.data.name.to_string()));
        if !page.has_next_page {
            break;
        }
        request = PageRequest::new(2, page.end_cursor());
    }
    assert_eq!(seen, names);

    // Backwards from the end, the same items in the same order.
    let mut backwards: Vec<String> = Vec::new();
    let mut request = PageRequest::last(2, None);
    loop {
        let page = danvan_store::tag::list(db, &request).await.unwrap();
        let mut names: Vec<String> = page.items.iter().map(|t| t.data.name.to_string()).collect();
        names.extend(backwards);
        backwards = names;
        if !page.has_previous_page {
            break;
        }
        request = PageRequest::last(2, page.start_cursor());
    }
    assert_eq!(backwards, seen);

    // Page numbers, as "trang 2 / 3" shows them.
    let second = danvan_store::tag::list(db, &PageRequest::numbered(2, 2))
        .await
        .unwrap();
    assert_eq!(
        second
            .items
            .iter()
            .map(|t| t.data.name.to_string())
            .collect::<Vec<_>>(),
        &names[2..4]
    );
    assert!(second.has_previous_page && second.has_next_page);
    let third = danvan_store::tag::list(db, &PageRequest::numbered(3, 2))
        .await
        .unwrap();
    assert_eq!(third.items.len(), 1);
    assert!(!third.has_next_page);
    assert_eq!(danvan_store::tag::count(db).await.unwrap(), 5);
    t
}

pub async fn models_are_counted_by_group(t: TestDatabase) -> TestDatabase {
    use danvan_store::model::{DvkGroup, DvkGrouping};
    let db = &t.db;
    let owner = organisation(
        db,
        "Ban Dân vận Tỉnh ủy",
        OrganisationKind::PartyBoard,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let phase = Period::phase(2021, 2025).unwrap();
    for (name, field, owned) in [
        ("Mô hình một", DvkField::Economy, true),
        ("Mô hình hai", DvkField::Economy, false),
        ("Mô hình ba", DvkField::CultureSociety, true),
    ] {
        let mut data = model(name, field, phase);
        data.organisation_id = owned.then_some(owner.id);
        danvan_store::model::create(db, &data).await.unwrap();
    }
    let all = DvkModelFilter::default();
    let by_field = danvan_store::model::counts(db, &all, DvkGrouping::Field)
        .await
        .unwrap();
    assert_eq!(
        by_field,
        [
            (DvkGroup::Field(DvkField::Economy), 2),
            (DvkGroup::Field(DvkField::CultureSociety), 1)
        ]
    );
    let by_owner = danvan_store::model::counts(db, &all, DvkGrouping::Organisation)
        .await
        .unwrap();
    assert_eq!(
        by_owner,
        [(DvkGroup::Organisation(owner.id), 2), (DvkGroup::None, 1)]
    );
    let by_period = danvan_store::model::counts(db, &all, DvkGrouping::Period)
        .await
        .unwrap();
    assert_eq!(by_period, [(DvkGroup::Period(phase), 3)]);
    t
}

pub async fn an_indicator_adds_up_period_by_period(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let province = organisation(
        db,
        "Tỉnh ủy",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let district = organisation(
        db,
        "Huyện ủy",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::District,
        Some(&province),
    )
    .await;
    let label = || Name::parse("Mô hình được công nhận").unwrap();
    for (org, year, value, denominator) in [
        (&province, 2023, 10.0, Some(20.0)),
        (&district, 2023, 5.0, Some(8.0)),
        (&district, 2022, 3.0, None),
        (&province, 2024, 7.0, None),
    ] {
        let mut figure = ReportFigureData::new("dvk.models_recognised", label(), value).unwrap();
        figure.period = Some(Period::year(year).unwrap());
        figure.denominator = denominator;
        figure.organisation_id = Some(org.id);
        danvan_store::report_figure::create(db, &figure)
            .await
            .unwrap();
    }
    let scope = danvan_store::organisation::subtree(db, province.id)
        .await
        .unwrap();
    let series =
        danvan_store::report_figure::series(db, "dvk.models_recognised", Some(&scope), None, None)
            .await
            .unwrap();
    let points: Vec<(String, f64, Option<f64>, u64)> = series
        .iter()
        .map(|p| (p.period.code(), p.total, p.denominator, p.figures))
        .collect();
    assert_eq!(
        points,
        [
            ("2022".to_owned(), 3.0, None, 1),
            ("2023".to_owned(), 15.0, Some(28.0), 2),
            ("2024".to_owned(), 7.0, None, 1),
        ]
    );
    let district_only = danvan_store::organisation::OrganisationScope::only(district.id);
    let (from, to) = (Some(day(2023, 1, 1)), Some(day(2024, 12, 31)));
    let series = danvan_store::report_figure::series(
        db,
        "dvk.models_recognised",
        Some(&district_only),
        from,
        to,
    )
    .await
    .unwrap();
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].total, 5.0);
    t
}

danvan_testing::on_both_backends!(
    models_are_counted_by_group,
    an_indicator_adds_up_period_by_period,
    meetings_keep_participants_tasks_and_period,
    meetings_filed_as_other_get_their_kind_from_the_migration,
    models_filter_by_field_status_and_period,
    an_invalid_model_is_refused_before_writing,
    report_figures_keep_their_bounds_and_sources,
    every_list_pages_through_all_its_items,
);

/// The migration that adds the kinds reads the meetings filed as "other" again by their
/// titles, and keeps every other meeting's kind.
pub async fn meetings_filed_as_other_get_their_kind_from_the_migration(
    t: TestDatabase,
) -> TestDatabase {
    let db = &t.db;
    let mut ids = Vec::new();
    for (title, kind) in [
        (
            "Hội nghị giao ban công tác dân vận quý III năm 2024",
            MeetingKind::Other,
        ),
        (
            "Lễ kỷ niệm 95 năm Ngày truyền thống công tác dân vận",
            MeetingKind::Other,
        ),
        (
            "Hội nghị đối thoại với Nhân dân về bồi thường",
            MeetingKind::Other,
        ),
        ("Lễ ra mắt tổ hòa giải kiểu mẫu", MeetingKind::Other),
        ("Hội nghị giao ban, sơ kết 6 tháng", MeetingKind::Thematic),
    ] {
        let data = MeetingData::new(Title::parse(title).unwrap(), kind, day(2024, 10, 1));
        ids.push(danvan_store::meeting::create(db, &data).await.unwrap().id);
    }
    // Undone back to before the kinds came (with the migrations after it), and done again.
    crate::fixtures::migrate_again_from(db, "m20261205_000016_meeting_kinds").await;
    let mut kinds = Vec::new();
    for id in ids {
        let meeting = danvan_store::meeting::get(db, id).await.unwrap().unwrap();
        kinds.push(meeting.data.kind);
    }
    assert_eq!(
        kinds,
        vec![
            MeetingKind::Briefing,
            MeetingKind::Anniversary,
            MeetingKind::Dialogue,
            MeetingKind::Other,
            MeetingKind::Thematic,
        ]
    );
    t
}
