//! The filters that list fields take.

use crate::enums::{DvkField, DvkStatus, MeetingKind, OrganisationKind, OrganisationLevel};
use crate::{ApiError, id};
use async_graphql::{ID, InputObject};
use chrono::NaiveDate;
use danvan_domain::{AdminUnitId, ArticleId, MeetingId, OrganisationId};
use danvan_service::reading;
use danvan_store::organisation::OrganisationScope;

/// Which articles to list.
#[derive(InputObject, Default)]
pub struct ArticleFilter {
    /// Words to search for, as in `search`: the list is then in order of relevance, and
    /// every other filter applies as well.
    pub query: Option<String>,
    /// The slug of a site.
    pub site: Option<String>,
    /// An organisation the articles concern.
    pub organisation: Option<ID>,
    /// With `organisation`: also the organisations below it, its whole subtree.
    #[graphql(default)]
    pub include_subtree: bool,
    /// A tag's slug.
    pub tag: Option<String>,
    /// The meeting the articles report.
    pub meeting: Option<ID>,
    /// Published on or after this day (Vietnam time).
    pub published_from: Option<NaiveDate>,
    /// Published on or before this day (Vietnam time).
    pub published_to: Option<NaiveDate>,
    /// In this category (its global id).
    pub category: Option<ID>,
    /// Concerning this administrative unit or anything in its area: the units inside it,
    /// and the units it took over from, through every reorganisation. News about
    /// "huyện Gia Viễn" is found under today's unit that took it over.
    pub admin_unit: Option<ID>,
    /// Reporting a meeting of this kind.
    pub meeting_kind: Option<MeetingKind>,
    /// Mentioning this person.
    pub person: Option<ID>,
    /// Reporting on this campaign (its global id).
    pub campaign: Option<ID>,
}

/// Which organisations to list.
#[derive(InputObject, Default)]
pub struct OrganisationFilter {
    /// Only the direct children of this organisation.
    pub parent: Option<ID>,
    /// Only the organisations without a parent.
    #[graphql(default)]
    pub roots: bool,
    /// Only of this kind.
    pub kind: Option<OrganisationKind>,
    /// Only at this level.
    pub level: Option<OrganisationLevel>,
}

/// Which meetings to list.
#[derive(InputObject, Default)]
pub struct MeetingFilter {
    /// Of this kind.
    pub kind: Option<MeetingKind>,
    /// Held by this organisation.
    pub organiser: Option<ID>,
    /// With `organiser`: also the organisations below it, its whole subtree.
    #[graphql(default)]
    pub include_subtree: bool,
    /// Held on or after this day.
    pub from: Option<NaiveDate>,
    /// Held on or before this day.
    pub to: Option<NaiveDate>,
    /// Reviewing a period that overlaps this one (a period code: `2020-H1`, `2024`).
    pub period: Option<String>,
}

/// Which "Dân vận khéo" models to list.
#[derive(InputObject, Default)]
pub struct DvkModelFilter {
    /// In this field.
    pub field: Option<DvkField>,
    /// With this status.
    pub status: Option<DvkStatus>,
    /// Owned by this organisation.
    pub organisation: Option<ID>,
    /// With `organisation`: also the organisations below it, its whole subtree.
    #[graphql(default)]
    pub include_subtree: bool,
    /// Whose period overlaps this one (a period code: `2022`, `2016..2020`).
    pub period: Option<String>,
    /// Running in this administrative unit or anything in its area (see `ArticleFilter`).
    pub admin_unit: Option<ID>,
}

/// Which report figures to list.
#[derive(InputObject, Default)]
pub struct ReportFigureFilter {
    /// Of this indicator key.
    pub indicator: Option<String>,
    /// About this organisation.
    pub organisation: Option<ID>,
    /// With `organisation`: also the organisations below it, its whole subtree.
    #[graphql(default)]
    pub include_subtree: bool,
    /// Stated by this article.
    pub article: Option<ID>,
    /// Reported at this meeting.
    pub meeting: Option<ID>,
    /// Whose period lies within this one (a period code).
    pub within: Option<String>,
}

/// The organisations a filter names: one, or one with its subtree.
pub(crate) async fn scope(
    db: &danvan_store::DatabaseConnection,
    id: Option<&ID>,
    include_subtree: bool,
) -> Result<Option<OrganisationScope>, ApiError> {
    let id = organisation_id(id)?;
    Ok(danvan_service::reading::scope(db, id, include_subtree).await?)
}

pub(crate) fn organisation_id(id: Option<&ID>) -> Result<Option<OrganisationId>, ApiError> {
    id.map(crate::writing::organisation).transpose()
}

pub(crate) fn meeting_id(id: Option<&ID>) -> Result<Option<MeetingId>, ApiError> {
    id.map(|id| id::decode(id::MEETING, id).map(MeetingId))
        .transpose()
}

/// A meeting filter as the reading use case takes it: ids decoded.
pub(crate) fn meeting_query(filter: MeetingFilter) -> Result<reading::MeetingQuery, ApiError> {
    Ok(reading::MeetingQuery {
        kind: filter.kind.map(Into::into),
        organiser: organisation_id(filter.organiser.as_ref())?,
        include_subtree: filter.include_subtree,
        from: filter.from,
        to: filter.to,
        period: filter.period,
    })
}

/// A model filter as the reading use case takes it: ids decoded.
pub(crate) fn dvk_model_query(filter: DvkModelFilter) -> Result<reading::DvkModelQuery, ApiError> {
    Ok(reading::DvkModelQuery {
        field: filter.field.map(Into::into),
        status: filter.status.map(Into::into),
        organisation: organisation_id(filter.organisation.as_ref())?,
        include_subtree: filter.include_subtree,
        period: filter.period,
        admin_unit: filter
            .admin_unit
            .as_ref()
            .map(|id| id::decode(id::ADMIN_UNIT, id).map(AdminUnitId))
            .transpose()?,
    })
}

/// A figure filter as the reading use case takes it: ids decoded.
pub(crate) fn report_figure_query(
    filter: ReportFigureFilter,
) -> Result<reading::ReportFigureQuery, ApiError> {
    Ok(reading::ReportFigureQuery {
        indicator: filter.indicator,
        organisation: organisation_id(filter.organisation.as_ref())?,
        include_subtree: filter.include_subtree,
        article: filter
            .article
            .as_ref()
            .map(|id| id::decode(id::ARTICLE, id).map(ArticleId))
            .transpose()?,
        meeting: meeting_id(filter.meeting.as_ref())?,
        within: filter.within,
    })
}
