//! Batching of relation look-ups: every `site`, `organiser` or `tags` field of a page of
//! results is answered by one query per kind of record, not one per parent.
//!
//! Each request gets its own loader with its own cache, so that a list can prefetch the
//! relations its selection asks for in one batch each (see `article::prefetch`), and no
//! record is served stale from another request.

use crate::ApiError;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use danvan_domain::{
    AdminUnitId, ArticleId, CampaignId, CategoryId, DocumentId, DvkModelId, MediaId, MeetingId,
    OrganisationId, PersonId, PositionId, ReportFigureId, SiteId, TagId,
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
    // No delay: the items of a list register their keys in one pass before the batch's task
    // first runs, so a batch forms without waiting; async-graphql's default of 1 ms, on a
    // timer thread of its own, cost a page a millisecond and more per relation.
    DataLoader::with_cache(StoreLoader { db }, tokio::spawn, HashMapCache::default())
        .delay(std::time::Duration::ZERO)
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
    MediaId => media::Media,
    MeetingId => meeting::Meeting,
    OrganisationId => organisation::Organisation,
    PersonId => person::Person,
    PositionId => position::Position,
    ReportFigureId => report_figure::ReportFigure,
    SiteId => site::Site,
    TagId => tag::Tag,
);

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

/// Declares the key of a nested list (the first items of one parent) and its loader,
/// which answers every parent asking for the same page size with one store call.
macro_rules! nested_loader {
    (
        $(#[$meta:meta])*
        $key:ident { $parent:ident: $id:ty } => $value:ty,
        |$db:ident, $parents:ident, $first:ident| $call:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub(crate) struct $key {
            pub $parent: $id,
            pub first: u64,
        }

        impl Loader<$key> for StoreLoader {
            type Value = Page<$value>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, ApiError> {
                let $db = &self.db;
                let mut out = HashMap::new();
                for ($first, $parents) in by_size(keys, |k| (k.$parent, k.first)) {
                    for ($parent, page) in $call.await? {
                        out.insert($key { $parent, first: $first }, page);
                    }
                }
                Ok(out)
            }
        }
    };
}

nested_loader!(
    /// The newest public articles concerning an organisation.
    ArticlesOfOrganisation { organisation: OrganisationId } => danvan_store::article::Article,
    |db, parents, first| danvan_store::article::newest_by_organisation(db, &parents, first, chrono::Utc::now())
);

nested_loader!(
    /// The newest public articles that mention a person.
    ArticlesOfPerson { person: PersonId } => danvan_store::article::Article,
    |db, parents, first| danvan_store::article::newest_by_person(db, &parents, first, chrono::Utc::now())
);

nested_loader!(
    /// The newest public articles reporting a meeting.
    ArticlesOfMeeting { meeting: MeetingId } => danvan_store::article::Article,
    |db, parents, first| danvan_store::article::newest_by_meeting(db, &parents, first, chrono::Utc::now())
);

nested_loader!(
    /// The first approved comments of an article.
    CommentsOfArticle { article: ArticleId } => danvan_store::comment::Comment,
    |db, parents, first| danvan_store::comment::first_by_article(
        db,
        &parents,
        danvan_domain::comment::CommentStatus::Approved,
        first,
    )
);

nested_loader!(
    /// The first meetings an organisation held.
    MeetingsOfOrganisation { organisation: OrganisationId } => danvan_store::meeting::Meeting,
    |db, parents, first| danvan_store::meeting::first_by_organiser(db, &parents, first)
);

nested_loader!(
    /// The first "Dân vận khéo" models an organisation owns.
    ModelsOfOrganisation { organisation: OrganisationId } => danvan_store::model::DvkModel,
    |db, parents, first| danvan_store::model::first_by_organisation(db, &parents, first)
);

nested_loader!(
    /// The first report figures about an organisation.
    FiguresOfOrganisation { organisation: OrganisationId } => danvan_store::report_figure::ReportFigure,
    |db, parents, first| danvan_store::report_figure::first_by_organisation(db, &parents, first)
);

/// The figures an article states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FiguresOfArticle(pub ArticleId);

/// The figures reported at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FiguresOfMeeting(pub MeetingId);

/// The meetings a person chaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct MeetingsChairedBy(pub PersonId);

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

/// The direct children of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ChildrenOf(pub OrganisationId);

impl Loader<ChildrenOf> for StoreLoader {
    type Value = Vec<danvan_store::organisation::Organisation>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ChildrenOf],
    ) -> Result<HashMap<ChildrenOf, Self::Value>, ApiError> {
        let ids: Vec<OrganisationId> = keys.iter().map(|k| k.0).collect();
        let found = danvan_store::organisation::children_of(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, children)| (ChildrenOf(id), children))
            .collect())
    }
}

/// Whose positions: an organisation's or a person's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Holder {
    Organisation(OrganisationId),
    Person(PersonId),
}

/// The positions of an organisation or a person, optionally only those held on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PositionsOf {
    pub holder: Holder,
    pub active_on: Option<chrono::NaiveDate>,
}

impl Loader<PositionsOf> for StoreLoader {
    type Value = Vec<danvan_store::position::Position>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PositionsOf],
    ) -> Result<HashMap<PositionsOf, Self::Value>, ApiError> {
        // One statement per kind of holder and day asked for.
        let mut groups: HashMap<Option<chrono::NaiveDate>, (Vec<OrganisationId>, Vec<PersonId>)> =
            HashMap::new();
        for key in keys {
            let group = groups.entry(key.active_on).or_default();
            match key.holder {
                Holder::Organisation(id) => group.0.push(id),
                Holder::Person(id) => group.1.push(id),
            }
        }
        let mut out = HashMap::new();
        for (active_on, (organisations, people)) in groups {
            if !organisations.is_empty() {
                for (id, list) in
                    danvan_store::position::of_organisations(&self.db, &organisations, active_on)
                        .await?
                {
                    out.insert(
                        PositionsOf {
                            holder: Holder::Organisation(id),
                            active_on,
                        },
                        list,
                    );
                }
            }
            if !people.is_empty() {
                for (id, list) in
                    danvan_store::position::of_people(&self.db, &people, active_on).await?
                {
                    out.insert(
                        PositionsOf {
                            holder: Holder::Person(id),
                            active_on,
                        },
                        list,
                    );
                }
            }
        }
        Ok(out)
    }
}

/// The units that took over from a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SuccessionsFrom(pub AdminUnitId);

/// The units a unit took over from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SuccessionsTo(pub AdminUnitId);

impl Loader<SuccessionsFrom> for StoreLoader {
    type Value = Vec<danvan_domain::admin_unit::Succession>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SuccessionsFrom],
    ) -> Result<HashMap<SuccessionsFrom, Self::Value>, ApiError> {
        let ids: Vec<AdminUnitId> = keys.iter().map(|k| k.0).collect();
        let found = danvan_store::admin_unit::successions_from_many(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, links)| (SuccessionsFrom(id), links))
            .collect())
    }
}

impl Loader<SuccessionsTo> for StoreLoader {
    type Value = Vec<danvan_domain::admin_unit::Succession>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SuccessionsTo],
    ) -> Result<HashMap<SuccessionsTo, Self::Value>, ApiError> {
        let ids: Vec<AdminUnitId> = keys.iter().map(|k| k.0).collect();
        let found = danvan_store::admin_unit::successions_to_many(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, links)| (SuccessionsTo(id), links))
            .collect())
    }
}
