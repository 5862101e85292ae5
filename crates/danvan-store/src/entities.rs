//! SeaORM entities, one module a table. They stay inside the store: callers see domain types.

pub(crate) mod admin_unit;
pub(crate) mod admin_unit_succession;
pub(crate) mod article;
pub(crate) mod article_author;
pub(crate) mod article_image;
pub(crate) mod article_related;
pub(crate) mod article_revision;
pub(crate) mod campaign;
pub(crate) mod category;
pub(crate) mod comment;
pub(crate) mod document;
pub(crate) mod dvk_model;
pub(crate) mod meeting;
pub(crate) mod meeting_participant;
pub(crate) mod meeting_task;
pub(crate) mod organisation;
pub(crate) mod person;
pub(crate) mod position;
pub(crate) mod report_figure;
pub(crate) mod search_doc;
pub(crate) mod site;
pub(crate) mod tag;
