//! Batching of relation look-ups: every `site`, `organiser` or `tags` field of a page of
//! results is answered by one query per kind of record, not one per parent.
//!
//! Each request gets its own loader with its own cache, so that a list can prefetch the
//! relations its selection asks for in one batch each (see `article::prefetch`), and no
//! record is served stale from another request.

use crate::ApiError;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use danvan_domain::{
    AdminUnitId, ArticleId, CampaignId, CategoryId, DocumentId, DvkModelId, MeetingId,
    OrganisationId, PersonId, ReportFigureId, SiteId, TagId,
};
use danvan_store::{DatabaseConnection, Page};
use std::collections::HashMap;
use std::hash::Hash;

/// Loads records by id from the store, in batches.
pub struct StoreLoader {
    db: DatabaseConnection,
}

/// The loaders of one request.
pub(crate) type Loaders = DataLoader<StoreLoader, HashMapCache>;

/// Fresh loaders for one request.
pub(crate) fn for_request(db: DatabaseConnection) -> Loaders {
    DataLoader::with_cache(StoreLoader { db }, tokio::spawn, HashMapCache::default())
}

macro_rules! load_by_id {
    ($($id:ty => $module:ident::$record:ident),+ $(,)?) => {$(
        impl Loader<$id> for StoreLoader {
            type Value = danvan_store::$module::$record;
            type Error = ApiError;

            async fn load(&self, keys: &[$id]) -> Result<HashMap<$id, Self::Value>, ApiError> {
                let records = danvan_store::$module::get_many(&self.db, keys).await?;
                Ok(records.into_iter().map(|r| (r.id, r)).collect())
            }
        }
    )+};
}

load_by_id!(
    AdminUnitId => admin_unit::AdminUnit,
    ArticleId => article::Article,
    CampaignId => campaign::Campaign,
    CategoryId => category::Category,
    DocumentId => document::Document,
    DvkModelId => model::DvkModel,
    MeetingId => meeting::Meeting,
    OrganisationId => organisation::Organisation,
    PersonId => person::Person,
    ReportFigureId => report_figure::ReportFigure,
    SiteId => site::Site,
    TagId => tag::Tag,
);

/// The first articles concerning an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ArticlesOfOrganisation {
    pub organisation: OrganisationId,
    pub first: u64,
}

/// The first articles reporting a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ArticlesOfMeeting {
    pub meeting: MeetingId,
    pub first: u64,
}

/// The first approved comments of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CommentsOfArticle {
    pub article: ArticleId,
    pub first: u64,
}

/// The figures an article states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FiguresOfArticle(pub ArticleId);

/// The figures reported at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FiguresOfMeeting(pub MeetingId);

/// The meetings a person chaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct MeetingsChairedBy(pub PersonId);

/// Groups nested-list keys by page size: one windowed statement answers each group.
fn by_size<K: Copy, P: Copy + Eq + Hash>(
    keys: &[K],
    parts: impl Fn(K) -> (P, u64),
) -> HashMap<u64, Vec<P>> {
    let mut groups: HashMap<u64, Vec<P>> = HashMap::new();
    for key in keys {
        let (parent, first) = parts(*key);
        groups.entry(first).or_default().push(parent);
    }
    groups
}

impl Loader<ArticlesOfOrganisation> for StoreLoader {
    type Value = Page<danvan_store::article::Article>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ArticlesOfOrganisation],
    ) -> Result<HashMap<ArticlesOfOrganisation, Self::Value>, ApiError> {
        let now = chrono::Utc::now();
        let mut out = HashMap::new();
        for (first, parents) in by_size(keys, |k| (k.organisation, k.first)) {
            for (organisation, page) in
                danvan_store::article::newest_by_organisation(&self.db, &parents, first, now)
                    .await?
            {
                out.insert(
                    ArticlesOfOrganisation {
                        organisation,
                        first,
                    },
                    page,
                );
            }
        }
        Ok(out)
    }
}

impl Loader<ArticlesOfMeeting> for StoreLoader {
    type Value = Page<danvan_store::article::Article>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ArticlesOfMeeting],
    ) -> Result<HashMap<ArticlesOfMeeting, Self::Value>, ApiError> {
        let now = chrono::Utc::now();
        let mut out = HashMap::new();
        for (first, parents) in by_size(keys, |k| (k.meeting, k.first)) {
            for (meeting, page) in
                danvan_store::article::newest_by_meeting(&self.db, &parents, first, now).await?
            {
                out.insert(ArticlesOfMeeting { meeting, first }, page);
            }
        }
        Ok(out)
    }
}

impl Loader<CommentsOfArticle> for StoreLoader {
    type Value = Page<danvan_store::comment::Comment>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[CommentsOfArticle],
    ) -> Result<HashMap<CommentsOfArticle, Self::Value>, ApiError> {
        let approved = danvan_domain::comment::CommentStatus::Approved;
        let mut out = HashMap::new();
        for (first, parents) in by_size(keys, |k| (k.article, k.first)) {
            for (article, page) in
                danvan_store::comment::first_by_article(&self.db, &parents, approved, first).await?
            {
                out.insert(CommentsOfArticle { article, first }, page);
            }
        }
        Ok(out)
    }
}

impl Loader<FiguresOfArticle> for StoreLoader {
    type Value = Vec<danvan_store::report_figure::ReportFigure>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FiguresOfArticle],
    ) -> Result<HashMap<FiguresOfArticle, Self::Value>, ApiError> {
        let ids: Vec<ArticleId> = keys.iter().map(|k| k.0).collect();
        let found = danvan_store::report_figure::of_articles(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, figures)| (FiguresOfArticle(id), figures))
            .collect())
    }
}

impl Loader<FiguresOfMeeting> for StoreLoader {
    type Value = Vec<danvan_store::report_figure::ReportFigure>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FiguresOfMeeting],
    ) -> Result<HashMap<FiguresOfMeeting, Self::Value>, ApiError> {
        let ids: Vec<MeetingId> = keys.iter().map(|k| k.0).collect();
        let found = danvan_store::report_figure::of_meetings(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, figures)| (FiguresOfMeeting(id), figures))
            .collect())
    }
}

impl Loader<MeetingsChairedBy> for StoreLoader {
    type Value = Vec<danvan_store::meeting::Meeting>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[MeetingsChairedBy],
    ) -> Result<HashMap<MeetingsChairedBy, Self::Value>, ApiError> {
        let ids: Vec<PersonId> = keys.iter().map(|k| k.0).collect();
        let found = danvan_store::meeting::chaired_by(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, meetings)| (MeetingsChairedBy(id), meetings))
            .collect())
    }
}
