use crate::fixtures::{day, organisation, person, site, tag};
use danvan_domain::admin_unit::{AdminLevel, AdminUnitData, Succession, SuccessionKind};
use danvan_domain::campaign::CampaignData;
use danvan_domain::category::CategoryData;
use danvan_domain::document::{DocumentData, DocumentKind};
use danvan_domain::organisation::{OrganisationKind, OrganisationLevel};
use danvan_domain::person::PersonData;
use danvan_domain::position::PositionData;
use danvan_domain::{Body, Name, OrganisationId, Slug, Term, Title, Url};
use danvan_store::organisation::OrganisationFilter;
use danvan_store::position::PositionFilter;
use danvan_store::{PageRequest, StoreError};
use danvan_testing::TestDatabase;

pub async fn organisations_form_a_tree(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let tinh_uy = organisation(
        db,
        "Tỉnh ủy Ninh Bình",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let huyen_uy = organisation(
        db,
        "Huyện ủy Gia Viễn",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::District,
        Some(&tinh_uy),
    )
    .await;
    let ban = organisation(
        db,
        "Ban Dân vận Huyện uỷ Gia Viễn",
        OrganisationKind::PartyBoard,
        OrganisationLevel::District,
        Some(&huyen_uy),
    )
    .await;
    assert_eq!(ban.data.slug.as_str(), "ban-dan-van-huyen-uy-gia-vien");

    let children = danvan_store::organisation::children(db, tinh_uy.id)
        .await
        .unwrap();
    assert_eq!(
        children.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![huyen_uy.id]
    );
    // A whole list of parents in one call: each keeps its own children, a leaf has none.
    let batch = danvan_store::organisation::children_of(db, &[tinh_uy.id, huyen_uy.id, ban.id])
        .await
        .unwrap();
    assert_eq!(
        batch[&tinh_uy.id].iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![huyen_uy.id]
    );
    assert_eq!(
        batch[&huyen_uy.id].iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![ban.id]
    );
    assert!(batch.get(&ban.id).is_none_or(|c| c.is_empty()));
    let ancestors = danvan_store::organisation::ancestors(db, ban.id)
        .await
        .unwrap();
    assert_eq!(
        ancestors.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![huyen_uy.id, tinh_uy.id]
    );
    let roots = danvan_store::organisation::list(
        db,
        &OrganisationFilter {
            parent: Some(None),
            ..Default::default()
        },
        &PageRequest::first(10),
    )
    .await
    .unwrap();
    assert_eq!(
        roots.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![tinh_uy.id]
    );

    // Putting the province committee under its own board would make a cycle.
    let mut looped = tinh_uy.data.clone();
    looped.parent_id = Some(ban.id);
    let err = danvan_store::organisation::update_checked(db, tinh_uy.id, None, &looped)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    // An organisation with its subtree, for filters.
    let scope = danvan_store::organisation::subtree(db, tinh_uy.id)
        .await
        .unwrap();
    assert_eq!(scope.ids(), [tinh_uy.id, huyen_uy.id, ban.id]);
    let leaf = danvan_store::organisation::subtree(db, ban.id)
        .await
        .unwrap();
    assert_eq!(leaf.ids(), [ban.id]);
    // A second organisation with the same slug is a conflict.
    let err = danvan_store::organisation::create(db, &ban.data)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    t
}

pub async fn people_hold_several_positions_over_terms(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let tinh_uy = organisation(
        db,
        "Tỉnh ủy",
        OrganisationKind::PartyCommittee,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let hdnd = organisation(
        db,
        "HĐND tỉnh",
        OrganisationKind::PeoplesCouncil,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let person = person(db, "Trần Văn Hòa").await;
    let post = |organisation_id: OrganisationId, title: &str, term: Term, rank: i32| PositionData {
        person_id: person.id,
        organisation_id,
        title: Name::parse(title).unwrap(),
        term,
        rank,
    };
    let deputy = danvan_store::position::create(
        db,
        &post(
            tinh_uy.id,
            "Phó Bí thư Thường trực",
            Term::new(day(2020, 10, 1), None).unwrap(),
            0,
        ),
    )
    .await
    .unwrap();
    let chair = danvan_store::position::create(
        db,
        &post(
            hdnd.id,
            "Chủ tịch",
            Term::new(day(2016, 6, 1), Some(day(2021, 6, 30))).unwrap(),
            1,
        ),
    )
    .await
    .unwrap();
    let all = danvan_store::position::of_person(db, person.id)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![deputy.id, chair.id]
    );
    let on = |d| PositionFilter {
        person_id: Some(person.id),
        active_on: Some(d),
        ..Default::default()
    };
    let in_2020 = danvan_store::position::list(db, &on(day(2020, 12, 1)), &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(in_2020.items.len(), 2);
    let in_2023 = danvan_store::position::list(db, &on(day(2023, 1, 1)), &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(
        in_2023.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![deputy.id]
    );
    // Positions for a list of organisations on a day, in one call.
    let held =
        danvan_store::position::of_organisations(db, &[tinh_uy.id, hdnd.id], Some(day(2023, 1, 1)))
            .await
            .unwrap();
    assert_eq!(
        held[&tinh_uy.id].iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![deputy.id]
    );
    assert!(held.get(&hdnd.id).is_none_or(|p| p.is_empty()));
    let by_person = danvan_store::position::of_people(db, &[person.id], Some(day(2020, 12, 1)))
        .await
        .unwrap();
    assert_eq!(
        by_person[&person.id]
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![deputy.id, chair.id]
    );
    let found = danvan_store::person::by_full_name(db, &Name::parse("Trần Văn Hòa").unwrap())
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    t
}

pub async fn sites_tags_categories_documents_and_campaigns_round_trip(
    t: TestDatabase,
) -> TestDatabase {
    let db = &t.db;
    let org = organisation(
        db,
        "Ban Dân vận Tỉnh ủy",
        OrganisationKind::PartyBoard,
        OrganisationLevel::Province,
        None,
    )
    .await;
    let created = site(db, "dan-van-tinh", "Trang Dân vận tỉnh").await;
    let mut data = created.data.clone();
    data.base_url = Some(Url::parse("https://danvan.example.vn").unwrap());
    data.description = Body::parse("Tin hoạt động công tác dân vận.").unwrap();
    data.organisation_id = Some(org.id);
    let updated = danvan_store::site::update(db, created.id, None, &data)
        .await
        .unwrap();
    assert_eq!(updated.data, data);
    assert_eq!(
        danvan_store::site::by_slug(db, &data.slug)
            .await
            .unwrap()
            .unwrap(),
        updated
    );

    let tag = tag(db, "Quy chế dân chủ ở cơ sở").await;
    assert_eq!(tag.data.slug.as_str(), "quy-che-dan-chu-o-co-so");
    assert_eq!(
        danvan_store::tag::by_slug(db, &tag.data.slug)
            .await
            .unwrap()
            .unwrap(),
        tag
    );

    let category = CategoryData {
        site_id: created.id,
        parent_id: None,
        name: Name::parse("Dân vận khéo").unwrap(),
        slug: Slug::parse("dan-van-kheo").unwrap(),
    };
    let category = danvan_store::category::create(db, &category).await.unwrap();
    let found = danvan_store::category::by_slug(db, created.id, &category.data.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, category);
    let err = danvan_store::category::create(db, &category.data)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");

    let mut document = DocumentData::from_code("25-NQ/TW").unwrap();
    document.title = Some(Title::parse("Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới").unwrap());
    document.issued_on = Some(day(2013, 6, 3));
    let document = danvan_store::document::create(db, &document).await.unwrap();
    assert_eq!(document.data.kind, DocumentKind::Resolution);
    assert_eq!(
        danvan_store::document::by_code(db, " 25-NQ/TW ")
            .await
            .unwrap()
            .unwrap(),
        document
    );
    let err = danvan_store::document::create(db, &document.data)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");

    let campaign = CampaignData {
        name: Name::parse("Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh").unwrap(),
        slug: Slug::parse("toan-dan-doan-ket").unwrap(),
        description: Body::empty(),
        organisation_id: None,
        started_on: Some(day(2016, 1, 1)),
        ended_on: None,
    };
    let campaign = danvan_store::campaign::create(db, &campaign).await.unwrap();
    assert_eq!(
        danvan_store::campaign::by_slug(db, &campaign.data.slug)
            .await
            .unwrap()
            .unwrap(),
        campaign
    );
    let mut backwards = campaign.data.clone();
    backwards.ended_on = Some(day(2015, 1, 1));
    assert!(matches!(
        danvan_store::campaign::update(db, campaign.id, None, &backwards).await,
        Err(StoreError::Invalid(_))
    ));
    t
}

pub async fn a_former_district_resolves_to_its_successors(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let unit = |level, name: &str, from: Option<_>, to: Option<_>| {
        let mut data = AdminUnitData::new(level, Name::parse(name).unwrap());
        data.valid_from = from;
        data.valid_to = to;
        data
    };
    let reorganised = day(2025, 7, 1);
    let ended = Some(day(2025, 6, 30));
    let province =
        danvan_store::admin_unit::create(db, &unit(AdminLevel::Province, "Ninh Bình", None, None))
            .await
            .unwrap();
    let mut district = unit(AdminLevel::District, "Gia Viễn", None, ended);
    district.parent_id = Some(province.id);
    let district = danvan_store::admin_unit::create(db, &district)
        .await
        .unwrap();
    let commune = danvan_store::admin_unit::create(
        db,
        &unit(AdminLevel::Commune, "Gia Viễn", Some(reorganised), None),
    )
    .await
    .unwrap();
    let ward = danvan_store::admin_unit::create(
        db,
        &unit(AdminLevel::Ward, "Tây Hoa Lư", Some(reorganised), None),
    )
    .await
    .unwrap();
    for (successor, kind) in [
        (commune.id, SuccessionKind::Divided),
        (ward.id, SuccessionKind::Divided),
    ] {
        let link = Succession {
            predecessor_id: district.id,
            successor_id: successor,
            kind,
            effective_on: reorganised,
        };
        danvan_store::admin_unit::add_succession(db, &link)
            .await
            .unwrap();
    }

    // As of an article of 2023 the district itself; as of today, the units that took it over.
    let then = danvan_store::admin_unit::resolve_on(db, district.id, day(2023, 7, 11))
        .await
        .unwrap();
    assert_eq!(
        then.iter().map(|u| u.data.full_name()).collect::<Vec<_>>(),
        vec!["huyện Gia Viễn"]
    );
    let now = danvan_store::admin_unit::resolve_on(db, district.id, day(2026, 1, 1))
        .await
        .unwrap();
    assert_eq!(
        now.iter().map(|u| u.data.full_name()).collect::<Vec<_>>(),
        vec!["xã Gia Viễn", "phường Tây Hoa Lư"]
    );
    // The name alone is ambiguous: two units, told apart by level and date.
    assert_eq!(
        danvan_store::admin_unit::by_name(db, &Name::parse("Gia Viễn").unwrap())
            .await
            .unwrap()
            .len(),
        2
    );
    let existing_2026 =
        danvan_store::admin_unit::list(db, Some(day(2026, 1, 1)), &PageRequest::first(10))
            .await
            .unwrap();
    assert!(existing_2026.items.iter().all(|u| u.id != district.id));
    let back = danvan_store::admin_unit::successions_to(db, ward.id)
        .await
        .unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].predecessor_id, district.id);
    t
}

pub async fn updating_a_missing_record_is_not_found(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    let data = PersonData::new(Name::parse("Giáp Văn Minh").unwrap());
    let err = danvan_store::person::update(db, danvan_domain::PersonId(424_242), None, &data)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert!(
        danvan_store::person::get(db, danvan_domain::PersonId(424_242))
            .await
            .unwrap()
            .is_none()
    );
    t
}

pub async fn people_are_listed_in_vietnamese_name_order(t: TestDatabase) -> TestDatabase {
    let db = &t.db;
    for name in [
        "Trần Hồng Quảng",
        "Nguyễn Thị Hồng Vân",
        "Giáp Thị Bắc",
        "Nguyễn Văn An",
        "Đặng Thanh Bình",
    ] {
        person(db, name).await;
    }
    let mut seen = Vec::new();
    let mut request = PageRequest::first(2);
    loop {
        let page = danvan_store::person::list(db, &request).await.unwrap();
        seen.extend(page.items.iter().map(|p| p.data.full_name.to_string()));
        if !page.has_next_page {
            break;
        }
        request = PageRequest::new(2, page.end_cursor());
    }
    assert_eq!(
        seen,
        [
            "Nguyễn Văn An",
            "Giáp Thị Bắc",
            "Đặng Thanh Bình",
            "Trần Hồng Quảng",
            "Nguyễn Thị Hồng Vân"
        ]
    );
    t
}

danvan_testing::on_both_backends!(
    people_are_listed_in_vietnamese_name_order,
    organisations_form_a_tree,
    people_hold_several_positions_over_terms,
    sites_tags_categories_documents_and_campaigns_round_trip,
    a_former_district_resolves_to_its_successors,
    updating_a_missing_record_is_not_found,
);
