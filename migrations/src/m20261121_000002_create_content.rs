//! The content: meetings, articles and everything attached to them, comments,
//! "Dân vận khéo" models and report figures.

use crate::table::{self, entity, fk, index, link};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use ForeignKeyAction::{Cascade, Restrict, SetNull};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A link table from an article to another table, deleted with either side, and indexed
/// from the other side so that "the articles of X" is one index range. The position keeps
/// the order in which the article names them.
fn article_link(
    name: &'static str,
    column: &'static str,
    target: &'static str,
) -> (TableCreateStatement, IndexCreateStatement) {
    let table = link(name)
        .col(big_integer("article_id"))
        .col(big_integer(column))
        .col(integer("position"))
        .primary_key(Index::create().col("article_id").col(column))
        .foreign_key(&mut fk(name, "article_id", "article", Cascade))
        .foreign_key(&mut fk(name, column, target, Cascade))
        .to_owned();
    (table, index(name, &[column, "article_id"], false))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut tables = vec![
            entity("meeting")
                .col(string("title"))
                .col(string("kind"))
                .col(date("held_on"))
                .col(string_null("location"))
                .col(big_integer_null("organiser_id"))
                .col(text_null("attendance_note"))
                .col(string_null("period"))
                .col(date_null("period_start"))
                .col(date_null("period_end"))
                .foreign_key(&mut fk("meeting", "organiser_id", "organisation", SetNull))
                .to_owned(),
            link("meeting_participant")
                .col(big_integer("meeting_id"))
                .col(big_integer("person_id"))
                .col(string("role"))
                .col(integer("position"))
                .primary_key(Index::create().col("meeting_id").col("person_id"))
                .foreign_key(&mut fk(
                    "meeting_participant",
                    "meeting_id",
                    "meeting",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "meeting_participant",
                    "person_id",
                    "person",
                    Cascade,
                ))
                .to_owned(),
            link("meeting_task")
                .col(big_integer("meeting_id"))
                .col(integer("position"))
                .col(text("text"))
                .primary_key(Index::create().col("meeting_id").col("position"))
                .foreign_key(&mut fk("meeting_task", "meeting_id", "meeting", Cascade))
                .to_owned(),
            entity("article")
                .col(big_integer("site_id"))
                .col(string("slug"))
                .col(text("title"))
                // Sorts in Vietnamese dictionary order: see danvan-text.
                .col(string("title_key"))
                .col(text("lead"))
                .col(text("body"))
                .col(string("status"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone_null("publish_at"))
                .col(string_null("source_name"))
                .col(text_null("source_url"))
                .col(timestamp_with_time_zone_null("source_published_at"))
                .col(text_null("canonical_url"))
                .col(big_integer("view_count"))
                .col(big_integer_null("meeting_id"))
                // A hash of an imported page's text, to recognise the page imported again.
                .col(string_null("fingerprint"))
                .foreign_key(&mut fk("article", "site_id", "site", Restrict))
                .foreign_key(&mut fk("article", "meeting_id", "meeting", SetNull))
                .to_owned(),
            link("article_author")
                .col(big_integer("article_id"))
                .col(integer("position"))
                .col(string("name"))
                .col(big_integer_null("person_id"))
                .col(string_null("organisation"))
                .primary_key(Index::create().col("article_id").col("position"))
                .foreign_key(&mut fk("article_author", "article_id", "article", Cascade))
                .foreign_key(&mut fk("article_author", "person_id", "person", SetNull))
                .to_owned(),
            link("article_image")
                .col(big_integer("article_id"))
                .col(integer("position"))
                .col(text_null("url"))
                .col(text_null("caption"))
                .col(text_null("alt"))
                .primary_key(Index::create().col("article_id").col("position"))
                .foreign_key(&mut fk("article_image", "article_id", "article", Cascade))
                .to_owned(),
            link("article_related")
                .col(big_integer("article_id"))
                .col(big_integer("related_id"))
                .col(integer("position"))
                .primary_key(Index::create().col("article_id").col("related_id"))
                .foreign_key(&mut fk("article_related", "article_id", "article", Cascade))
                .foreign_key(&mut fk("article_related", "related_id", "article", Cascade))
                .to_owned(),
            entity("comment")
                .col(big_integer("article_id"))
                .col(string("author_name"))
                .col(text("body"))
                .col(string("status"))
                .foreign_key(&mut fk("comment", "article_id", "article", Cascade))
                .to_owned(),
            entity("dvk_model")
                .col(text("name"))
                .col(text("description"))
                .col(string("kind"))
                .col(string("field"))
                .col(big_integer_null("organisation_id"))
                .col(big_integer_null("admin_unit_id"))
                .col(string_null("period"))
                .col(date_null("period_start"))
                .col(date_null("period_end"))
                .col(string("status"))
                .col(string_null("recognition_level"))
                .col(string_null("recognition_decision"))
                .col(date_null("recognised_on"))
                .col(string_null("area"))
                .foreign_key(&mut fk(
                    "dvk_model",
                    "organisation_id",
                    "organisation",
                    SetNull,
                ))
                .foreign_key(&mut fk("dvk_model", "admin_unit_id", "admin_unit", SetNull))
                .to_owned(),
            entity("report_figure")
                .col(string("indicator_key"))
                .col(string("indicator_label"))
                .col(double("value"))
                .col(string("qualifier"))
                .col(double_null("denominator"))
                .col(string_null("unit"))
                .col(string_null("period"))
                .col(date_null("period_start"))
                .col(date_null("period_end"))
                .col(big_integer_null("organisation_id"))
                .col(big_integer_null("article_id"))
                .col(big_integer_null("meeting_id"))
                .col(text_null("wording"))
                .foreign_key(&mut fk(
                    "report_figure",
                    "organisation_id",
                    "organisation",
                    SetNull,
                ))
                .foreign_key(&mut fk("report_figure", "article_id", "article", SetNull))
                .foreign_key(&mut fk("report_figure", "meeting_id", "meeting", SetNull))
                .to_owned(),
        ];
        let mut indexes = vec![
            index("meeting", &["held_on", "id"], false),
            index("meeting", &["organiser_id", "held_on"], false),
            index("meeting_participant", &["person_id"], false),
            // Slugs are unique per site, not across sites.
            index("article", &["site_id", "slug"], true),
            index("article", &["site_id", "fingerprint"], true),
            // A site's published articles, newest first; and the same across all sites.
            index(
                "article",
                &["site_id", "status", "published_at", "id"],
                false,
            ),
            index("article", &["status", "published_at", "id"], false),
            index("article", &["meeting_id"], false),
            // Lists by title and by views.
            index("article", &["status", "title_key", "id"], false),
            index("article", &["status", "view_count", "id"], false),
            // Scheduled articles waiting for their time.
            index("article", &["publish_at"], false),
            index("article_author", &["person_id"], false),
            index("article_related", &["related_id"], false),
            index("comment", &["article_id", "status", "id"], false),
            index("dvk_model", &["organisation_id"], false),
            index("dvk_model", &["field", "status"], false),
            index("dvk_model", &["period_start"], false),
            index("report_figure", &["indicator_key", "period_start"], false),
            index("report_figure", &["organisation_id"], false),
            index("report_figure", &["article_id"], false),
            index("report_figure", &["meeting_id"], false),
        ];
        for (name, column, target) in [
            ("article_tag", "tag_id", "tag"),
            ("article_category", "category_id", "category"),
            ("article_organisation", "organisation_id", "organisation"),
            ("article_admin_unit", "admin_unit_id", "admin_unit"),
            ("article_document", "document_id", "document"),
            ("article_campaign", "campaign_id", "campaign"),
            ("article_person", "person_id", "person"),
        ] {
            let (table, index) = article_link(name, column, target);
            tables.push(table);
            indexes.push(index);
        }
        table::create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table::drop(
            manager,
            &[
                "article_person",
                "article_campaign",
                "article_document",
                "article_admin_unit",
                "article_organisation",
                "article_category",
                "article_tag",
                "report_figure",
                "dvk_model",
                "comment",
                "article_related",
                "article_image",
                "article_author",
                "article",
                "meeting_task",
                "meeting_participant",
                "meeting",
            ],
        )
        .await
    }
}
