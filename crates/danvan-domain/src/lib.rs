#![doc = include_str!("../README.md")]

mod enums;
mod error;
mod id;
mod record;
mod value;

pub mod account;
pub mod admin_unit;
pub mod article;
pub mod campaign;
pub mod category;
pub mod comment;
pub mod document;
pub mod html;
pub mod media;
pub mod meeting;
pub mod model;
pub mod organisation;
pub mod period;
pub mod person;
pub mod position;
pub mod report_figure;
pub mod site;
pub mod tag;
pub mod term;

pub use error::DomainError;
pub use id::{
    AccountId, AdminUnitId, ApiKeyId, ArticleId, CampaignId, CategoryId, CommentId, DocumentId,
    DvkModelId, MediaId, MeetingId, OrganisationId, PersonId, PositionId, ReportFigureId, SiteId,
    TagId,
};
pub use period::Period;
pub use record::Record;
pub use term::Term;
pub use value::{Body, CommentBody, Name, Slug, Title, Url, note};
