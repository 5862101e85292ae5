//! Builders for test data written in the style of the portals.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use danvan_domain::article::{ArticleData, ArticleStatus};
use danvan_domain::organisation::{OrganisationData, OrganisationKind, OrganisationLevel};
use danvan_domain::person::PersonData;
use danvan_domain::site::SiteData;
use danvan_domain::tag::TagData;
use danvan_domain::{Body, Name, SiteId, Slug, Title};
use danvan_store::DatabaseConnection;
use danvan_store::organisation::Organisation;
use danvan_store::person::Person;
use danvan_store::site::Site;
use danvan_store::tag::Tag;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A time as a portal prints it (Vietnam time).
pub fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    danvan_text::time::vietnam()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .to_utc()
}

pub async fn site(db: &DatabaseConnection, slug: &str, name: &str) -> Site {
    danvan_store::site::create(
        db,
        &SiteData::new(Slug::parse(slug).unwrap(), Name::parse(name).unwrap()),
    )
    .await
    .unwrap()
}

pub async fn organisation(
    db: &DatabaseConnection,
    name: &str,
    kind: OrganisationKind,
    level: OrganisationLevel,
    parent: Option<&Organisation>,
) -> Organisation {
    let mut data = OrganisationData::new(Name::parse(name).unwrap(), kind, level).unwrap();
    data.parent_id = parent.map(|p| p.id);
    danvan_store::organisation::create(db, &data).await.unwrap()
}

pub fn draft(site: SiteId, title: &str) -> ArticleData {
    ArticleData::draft(
        site,
        Title::parse(title).unwrap(),
        Body::parse("Sáng 11/7, Ban Dân vận Huyện uỷ tổ chức Hội nghị sơ kết công tác Dân vận.")
            .unwrap(),
    )
    .unwrap()
}

pub fn published(site: SiteId, title: &str, at: DateTime<Utc>) -> ArticleData {
    let mut data = draft(site, title);
    data.status = ArticleStatus::Published;
    data.published_at = Some(at);
    data
}

pub async fn person(db: &DatabaseConnection, full_name: &str) -> Person {
    let data = PersonData::new(Name::parse(full_name).unwrap());
    danvan_store::person::create(db, &data).await.unwrap()
}

pub async fn tag(db: &DatabaseConnection, name: &str) -> Tag {
    let data = TagData::from_name(Name::parse(name).unwrap()).unwrap();
    danvan_store::tag::create(db, &data).await.unwrap()
}

/// Undoes the migrations back to before `name` (with those after it) and applies them
/// all again: what a migration does to the rows there were.
pub async fn migrate_again_from(db: &DatabaseConnection, name: &str) {
    use danvan_migrations::MigratorTrait;
    loop {
        let pending = danvan_migrations::Migrator::get_pending_migrations(db)
            .await
            .unwrap();
        if pending.iter().any(|m| m.name() == name) {
            break;
        }
        danvan_migrations::Migrator::down(db, Some(1))
            .await
            .unwrap();
    }
    danvan_migrations::Migrator::up(db, None).await.unwrap();
}
