#![doc = include_str!("../README.md")]

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261121_000001_create_directory;
mod m20261121_000002_create_content;
mod m20261121_000003_create_search;
mod m20261121_000004_create_revisions;
mod m20261121_000005_create_accounts;
mod m20261204_000006_index_article_listing;
mod m20261204_000007_create_suggest;
mod m20261204_000008_list_organisation_articles;
mod m20261204_000009_index_article_pages;
mod m20261205_000010_create_change_log;
mod m20261205_000011_site_syndication;
mod m20261205_000012_create_webhooks;
mod m20261205_000013_webhook_due;
mod m20261205_000014_create_sign_in_failures;
mod m20261205_000015_create_crawl_frontier;
mod m20261205_000016_meeting_kinds;
mod m20261205_000017_merged_records;
mod m20261206_000018_admin_unit_name_key;
mod m20261206_000019_search_words;
mod m20261206_000020_search_statistics;
mod m20261206_000021_create_media;
mod m20261206_000022_article_media;
mod m20261206_000023_media_search_key;
mod table;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_directory::Migration),
            Box::new(m20261121_000002_create_content::Migration),
            Box::new(m20261121_000003_create_search::Migration),
            Box::new(m20261121_000004_create_revisions::Migration),
            Box::new(m20261121_000005_create_accounts::Migration),
            Box::new(m20261204_000006_index_article_listing::Migration),
            Box::new(m20261204_000007_create_suggest::Migration),
            Box::new(m20261204_000008_list_organisation_articles::Migration),
            Box::new(m20261204_000009_index_article_pages::Migration),
            Box::new(m20261205_000010_create_change_log::Migration),
            Box::new(m20261205_000011_site_syndication::Migration),
            Box::new(m20261205_000012_create_webhooks::Migration),
            Box::new(m20261205_000013_webhook_due::Migration),
            Box::new(m20261205_000014_create_sign_in_failures::Migration),
            Box::new(m20261205_000015_create_crawl_frontier::Migration),
            Box::new(m20261205_000016_meeting_kinds::Migration),
            Box::new(m20261205_000017_merged_records::Migration),
            Box::new(m20261206_000018_admin_unit_name_key::Migration),
            Box::new(m20261206_000019_search_words::Migration),
            Box::new(m20261206_000020_search_statistics::Migration),
            Box::new(m20261206_000021_create_media::Migration),
            Box::new(m20261206_000022_article_media::Migration),
            Box::new(m20261206_000023_media_search_key::Migration),
        ]
    }
}
