//! The crawler's frontier: every address a crawl of a site has found, what it is (a
//! sitemap, a feed, a listing page, an article), whether it is still to be fetched in the
//! current run, and what happened when it was. Kept in the database so that a crawl
//! stopped or killed goes on where it was, and a later crawl asks only for what changed
//! (the validators of the last answer are kept beside each address).

use crate::table::{create, drop, entity, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let url = entity("crawl_url")
            .col(schema::big_integer("site_id"))
            .col(schema::text("url"))
            // "sitemap", "feed", "listing" or "article".
            .col(schema::string("kind"))
            // The order a run fetches in: sitemaps and feeds, then listings, then articles.
            .col(schema::small_integer("rank"))
            // Still to be fetched in the current run.
            .col(schema::boolean("due"))
            // "new", "read" (a sitemap, feed or listing), "imported", "unchanged",
            // "skipped" or "failed".
            .col(schema::string("state"))
            .col(schema::text_null("reason"))
            .col(schema::string_null("article_slug"))
            .col(schema::text_null("etag"))
            .col(schema::text_null("last_modified"))
            // When the site says the page last changed (a sitemap's lastmod, a feed's date).
            .col(schema::timestamp_with_time_zone_null("changed_at"))
            .col(schema::timestamp_with_time_zone_null("fetched_at"))
            .foreign_key(&mut fk(
                "crawl_url",
                "site_id",
                "site",
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        create(
            manager,
            vec![url],
            vec![
                index("crawl_url", &["site_id", "url"], true),
                // What is due next.
                index("crawl_url", &["site_id", "due", "rank", "id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["crawl_url"]).await
    }
}
