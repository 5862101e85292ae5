//! Readers' comments.

use crate::crud::{
    self, ActiveOf, Key, ModelOf, RecordOf, Resource, Stamps, standard_functions, stored,
};
use crate::entities::comment;
use crate::{Page, PageRequest, StoreError};
use danvan_domain::comment::{CommentData, CommentStatus};
use danvan_domain::{ArticleId, CommentBody, CommentId, Name, Record};
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A stored comment.
pub type Comment = Record<CommentId, CommentData>;

pub(crate) struct Res;

impl Resource for Res {
    type Entity = comment::Entity;
    type Id = CommentId;
    type Data = CommentData;
    const LOGGED: crate::change::Concept = crate::change::Concept::Comment;
    const WHAT: &'static str = "comment";

    fn id_column() -> comment::Column {
        comment::Column::Id
    }

    fn active(id: ActiveValue<i64>, data: &CommentData, stamps: Stamps) -> ActiveOf<Self> {
        comment::ActiveModel {
            id,
            created_at: stamps.created(),
            updated_at: Set(stamps.updated_at),
            article_id: Set(data.article_id.raw()),
            author_name: Set(data.author_name.to_string()),
            body: Set(data.body.to_string()),
            status: Set(data.status.code().to_owned()),
            moderated_at: ActiveValue::NotSet,
            moderated_by: ActiveValue::NotSet,
        }
    }

    fn record(m: ModelOf<Self>) -> Result<RecordOf<Self>, StoreError> {
        Ok(Record {
            id: CommentId(m.id),
            created_at: m.created_at,
            updated_at: m.updated_at,
            // Comments and accounts are moderated and disabled, not versioned or deleted.
            version: 1,
            deleted_at: None,
            data: CommentData {
                article_id: ArticleId(m.article_id),
                author_name: Name::from_stored(m.author_name),
                body: CommentBody::from_stored(m.body),
                status: stored(Self::WHAT, CommentStatus::from_code(&m.status))?,
            },
        })
    }
}

standard_functions!(Res, CommentData, Comment, CommentId, "comment");

/// A page of an article's comments, oldest first, optionally only those with a status.
pub async fn list(
    db: &impl ConnectionTrait,
    article_id: ArticleId,
    status: Option<CommentStatus>,
    page: &PageRequest,
) -> Result<Page<Comment>, StoreError> {
    crud::list::<Res, _>(db, select(article_id, status), page).await
}

fn select(
    article_id: ArticleId,
    status: Option<CommentStatus>,
) -> sea_orm::Select<comment::Entity> {
    let mut select =
        comment::Entity::find().filter(comment::Column::ArticleId.eq(article_id.raw()));
    if let Some(status) = status {
        select = select.filter(comment::Column::Status.eq(status.code()));
    }
    select
}

/// How many comments an article has, optionally only those with a status.
pub async fn count(
    db: &impl ConnectionTrait,
    article_id: ArticleId,
    status: Option<CommentStatus>,
) -> Result<u64, StoreError> {
    crate::keyset::count(db, select(article_id, status)).await
}

/// The first comments (oldest first) of each article with a status, `first` of each, in
/// one statement however many articles there are.
pub async fn first_by_article(
    db: &impl ConnectionTrait,
    articles: &[ArticleId],
    status: CommentStatus,
    first: u64,
) -> Result<std::collections::HashMap<ArticleId, Page<Comment>>, StoreError> {
    let select = comment::Entity::find()
        .filter(comment::Column::ArticleId.is_in(articles.iter().map(|a| a.raw())))
        .filter(comment::Column::Status.eq(status.code()));
    let pages = crud::first_per_parent::<Res, _>(db, select, "article_id", first).await?;
    Ok(pages
        .into_iter()
        .map(|(parent, page)| (ArticleId(parent), page))
        .collect())
}

/// Approves or rejects a comment; `NotFound` if there is none. Moderation can be changed
/// again later (a comment approved by mistake can be rejected).
pub async fn moderate(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    id: CommentId,
    status: CommentStatus,
    by: danvan_domain::AccountId,
) -> Result<Comment, StoreError> {
    use sea_orm::TransactionSession;
    let txn = crate::begin_write(db).await?;
    let comment = set_status(&txn, id, status, by).await?;
    // Approval is what partners hear of (a webhook); the log's row is the last step.
    if status == CommentStatus::Approved {
        let change = crate::change::NewChange {
            concept: crate::change::Concept::Comment,
            record_id: id.raw(),
            site_id: None,
            action: crate::change::Action::Approved,
        };
        crate::change::record(&txn, &[change]).await?;
    }
    txn.commit().await?;
    Ok(comment)
}

async fn set_status(
    db: &impl ConnectionTrait,
    id: CommentId,
    status: CommentStatus,
    by: danvan_domain::AccountId,
) -> Result<Comment, StoreError> {
    use sea_orm::sea_query::Expr;
    let at = crate::crud::now();
    let done = comment::Entity::update_many()
        .col_expr(comment::Column::Status, Expr::value(status.code()))
        .col_expr(comment::Column::ModeratedAt, Expr::value(at))
        .col_expr(comment::Column::ModeratedBy, Expr::value(by.raw()))
        .col_expr(comment::Column::UpdatedAt, Expr::value(at))
        .filter(comment::Column::Id.eq(id.raw()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::not_found(Res::WHAT, id));
    }
    get(db, id)
        .await?
        .ok_or_else(|| StoreError::not_found(Res::WHAT, id))
}

/// A page of the comments on a site's articles with a status, oldest first: the
/// moderation queue.
pub async fn of_site(
    db: &impl ConnectionTrait,
    site_id: danvan_domain::SiteId,
    status: CommentStatus,
    page: &PageRequest,
) -> Result<Page<Comment>, StoreError> {
    crud::list::<Res, _>(db, of_site_select(site_id, status), page).await
}

/// How many comments on a site's articles have a status.
pub async fn count_of_site(
    db: &impl ConnectionTrait,
    site_id: danvan_domain::SiteId,
    status: CommentStatus,
) -> Result<u64, StoreError> {
    crate::keyset::count(db, of_site_select(site_id, status)).await
}

fn of_site_select(
    site_id: danvan_domain::SiteId,
    status: CommentStatus,
) -> sea_orm::Select<comment::Entity> {
    use crate::entities::article;
    use sea_orm::{QuerySelect, QueryTrait};
    let articles = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::SiteId.eq(site_id.raw()))
        .into_query();
    comment::Entity::find()
        .filter(comment::Column::ArticleId.in_subquery(articles))
        .filter(comment::Column::Status.eq(status.code()))
}
