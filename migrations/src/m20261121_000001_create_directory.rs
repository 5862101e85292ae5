//! The directory the news refers to: administrative units and their succession,
//! organisations, people and positions, sites, tags, categories, documents, campaigns.

use crate::table::{self, entity, fk, index, link};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use ForeignKeyAction::{Cascade, Restrict, SetNull};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            entity("admin_unit")
                .col(string("level"))
                .col(string_null("code"))
                .col(string("name"))
                .col(big_integer_null("parent_id"))
                .col(date_null("valid_from"))
                .col(date_null("valid_to"))
                .foreign_key(&mut fk("admin_unit", "parent_id", "admin_unit", Restrict))
                .to_owned(),
            link("admin_unit_succession")
                .col(big_integer("predecessor_id"))
                .col(big_integer("successor_id"))
                .col(string("kind"))
                .col(date("effective_on"))
                .primary_key(Index::create().col("predecessor_id").col("successor_id"))
                .foreign_key(&mut fk(
                    "admin_unit_succession",
                    "predecessor_id",
                    "admin_unit",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "admin_unit_succession",
                    "successor_id",
                    "admin_unit",
                    Cascade,
                ))
                .to_owned(),
            entity("organisation")
                .col(big_integer_null("parent_id"))
                .col(string("kind"))
                .col(string("level"))
                .col(string("name"))
                .col(string_null("short_name"))
                .col(string_null("abbreviation"))
                .col(string("slug"))
                .col(big_integer_null("admin_unit_id"))
                .col(date_null("founded_on"))
                .col(date_null("dissolved_on"))
                .foreign_key(&mut fk(
                    "organisation",
                    "parent_id",
                    "organisation",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "organisation",
                    "admin_unit_id",
                    "admin_unit",
                    SetNull,
                ))
                .to_owned(),
            entity("person")
                .col(string("full_name"))
                .col(string("given_name"))
                // Sorts in Vietnamese name order (given name first): see danvan-text.
                .col(string("name_key"))
                .col(text("bio"))
                .to_owned(),
            entity("position")
                .col(big_integer("person_id"))
                .col(big_integer("organisation_id"))
                .col(string("title"))
                .col(date("term_start"))
                .col(date_null("term_end"))
                .col(integer("rank"))
                .foreign_key(&mut fk("position", "person_id", "person", Cascade))
                .foreign_key(&mut fk(
                    "position",
                    "organisation_id",
                    "organisation",
                    Restrict,
                ))
                .to_owned(),
            entity("site")
                .col(string("slug"))
                .col(string("name"))
                .col(string_null("base_url"))
                .col(text("description"))
                .col(big_integer_null("organisation_id"))
                .col(big_integer_null("admin_unit_id"))
                .foreign_key(&mut fk("site", "organisation_id", "organisation", SetNull))
                .foreign_key(&mut fk("site", "admin_unit_id", "admin_unit", SetNull))
                .to_owned(),
            entity("tag")
                .col(string("name"))
                .col(string("slug"))
                .to_owned(),
            entity("category")
                .col(big_integer("site_id"))
                .col(big_integer_null("parent_id"))
                .col(string("name"))
                .col(string("slug"))
                .foreign_key(&mut fk("category", "site_id", "site", Cascade))
                .foreign_key(&mut fk("category", "parent_id", "category", Restrict))
                .to_owned(),
            entity("document")
                .col(string("code"))
                .col(string("kind"))
                .col(text_null("title"))
                .col(string_null("issuer"))
                .col(big_integer_null("issuer_id"))
                .col(date_null("issued_on"))
                .foreign_key(&mut fk("document", "issuer_id", "organisation", SetNull))
                .to_owned(),
            entity("campaign")
                .col(string("name"))
                .col(string("slug"))
                .col(text("description"))
                .col(big_integer_null("organisation_id"))
                .col(date_null("started_on"))
                .col(date_null("ended_on"))
                .foreign_key(&mut fk(
                    "campaign",
                    "organisation_id",
                    "organisation",
                    SetNull,
                ))
                .to_owned(),
        ];
        let indexes = vec![
            index("admin_unit", &["parent_id"], false),
            index("admin_unit", &["name"], false),
            index("admin_unit_succession", &["successor_id"], false),
            index("organisation", &["slug"], true),
            index("organisation", &["parent_id"], false),
            index("organisation", &["admin_unit_id"], false),
            index("person", &["name_key", "id"], false),
            index("position", &["person_id", "rank"], false),
            index("position", &["organisation_id", "term_start"], false),
            index("site", &["slug"], true),
            index("tag", &["slug"], true),
            index("category", &["site_id", "slug"], true),
            index("category", &["parent_id"], false),
            index("document", &["code"], true),
            index("campaign", &["slug"], true),
        ];
        table::create(manager, tables, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table::drop(
            manager,
            &[
                "campaign",
                "document",
                "category",
                "tag",
                "site",
                "position",
                "person",
                "organisation",
                "admin_unit_succession",
                "admin_unit",
            ],
        )
        .await
    }
}
