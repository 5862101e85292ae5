//! The use cases keep their rules whatever door calls them: a door that forgets to check
//! first still gets the policy's answer, and nothing is written.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use danvan_auth::Principal;
use danvan_auth::policy::Account;
use danvan_domain::account::Role;
use danvan_domain::article::ArticleData;
use danvan_domain::site::SiteData;
use danvan_domain::{AccountId, Body, Name, SiteId, Slug, Title};
use danvan_service::{Caller, ServiceError, articles, directory};
use danvan_testing::TestDatabase;

fn account(role: Role, site: Option<SiteId>) -> Caller {
    Caller {
        principal: Principal::Account(Account {
            id: AccountId(1),
            role,
            site,
            organisations: Vec::new(),
        }),
        ..Caller::default()
    }
}

fn site_data(slug: &str, name: &str) -> SiteData {
    SiteData::new(Slug::parse(slug).unwrap(), Name::parse(name).unwrap())
}

pub async fn only_admins_write_sites_and_only_the_newsroom_writes_articles(
    t: TestDatabase,
) -> TestDatabase {
    let db = &t.db;
    let admin = account(Role::Admin, None);
    let site = directory::sites::create(db, &admin, &site_data("gia-vien", "Cổng Gia Viễn"))
        .await
        .unwrap();
    let editor = account(Role::Editor, Some(site.id));
    let refused =
        directory::sites::create(db, &editor, &site_data("nho-quan", "Cổng Nho Quan")).await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    let refused = directory::sites::delete(db, &editor, site.id, site.version).await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );

    let draft = ArticleData::draft(
        site.id,
        Title::parse("Hội nghị sơ kết công tác Dân vận").unwrap(),
        Body::empty(),
    )
    .unwrap();
    let public = Caller::default();
    let refused = articles::create(db, &public, draft.clone(), false).await;
    assert!(
        matches!(
            refused,
            Err(ServiceError::Unauthenticated(_) | ServiceError::Forbidden(_))
        ),
        "{refused:?}"
    );
    let elsewhere = account(Role::Reporter, Some(SiteId(site.id.0 + 1)));
    let refused = articles::create(db, &elsewhere, draft.clone(), false).await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    let written = articles::create(db, &editor, draft, false).await.unwrap();
    // A reader learns nothing of a draft: not found, not forbidden.
    let hidden = articles::publish(db, &public, written.id, written.version, None).await;
    assert!(
        matches!(hidden, Err(ServiceError::NotFound(_))),
        "{hidden:?}"
    );
    assert_eq!(
        danvan_store::site::list(db, &danvan_store::PageRequest::first(10))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    t
}

danvan_testing::on_both_backends!(only_admins_write_sites_and_only_the_newsroom_writes_articles);
