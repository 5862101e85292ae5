//! The newsroom's use cases: writing articles, moving them through the workflow (draft → in
//! review → published → archived), scheduling, revisions, deleting and restoring, and who
//! may see an article. Each names its [`Action`] and asks the policy through the caller;
//! none looks at a role.

use crate::id::{self, kind};
use crate::{Caller, ServiceError};
use chrono::{DateTime, Utc};
use danvan_auth::Action;
use danvan_auth::policy::ArticleRef;
use danvan_domain::ArticleId;
use danvan_domain::article::{ArticleData, ArticleStatus as Status};
use danvan_store::DatabaseConnection;
use danvan_store::article::Article;
use danvan_store::revision::Change;

/// What the policy needs to know of an article.
pub fn policy_ref(article: &Article) -> ArticleRef {
    ArticleRef {
        site: article.data.site_id,
        author: article.data.created_by,
        draft: article.data.status == Status::Draft,
    }
}

/// Whether the caller may see the article: the public what is public; the newsroom what
/// it may read unpublished; partners with the embargo what is scheduled.
pub fn is_visible(caller: &Caller, article: &Article, now: DateTime<Utc>) -> bool {
    let principal = &caller.principal;
    let target = policy_ref(article);
    (article.deleted_at.is_none() && article.data.is_public_at(now))
        || danvan_auth::policy::allows(principal, Action::ReadUnpublished(target))
        || (article.deleted_at.is_none()
            && article.data.status == Status::Published
            && danvan_auth::policy::allows(principal, Action::ReadEmbargoed(target.site)))
}

fn not_found(id: ArticleId) -> ServiceError {
    ServiceError::NotFound(format!("no article {}", id::encode(kind::ARTICLE, id.0)))
}

/// Finds an article for a change, after the policy has allowed the action `action` names
/// for it (which may depend on where the article stands). Someone who may not read the
/// article learns nothing about it: not found, not forbidden.
pub async fn find_for(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    action: impl FnOnce(&Article) -> Action,
) -> Result<Article, ServiceError> {
    let article = danvan_store::article::get_any(db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let target = policy_ref(&article);
    if !danvan_auth::policy::allows(&caller.principal, Action::ReadUnpublished(target))
        && !article.data.is_public_at(Utc::now())
    {
        return Err(not_found(id));
    }
    caller.authorize(action(&article))?;
    Ok(article)
}

/// The article, for a change of its content (its author's draft, or an editor's).
pub async fn editable(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
) -> Result<Article, ServiceError> {
    find_for(db, caller, id, |a| Action::EditArticle(policy_ref(a))).await
}

/// Checks that the caller may write a new article in `site`; [`create`] checks again.
pub fn authorize_create(caller: &Caller, site: danvan_domain::SiteId) -> Result<(), ServiceError> {
    caller.authorize(Action::CreateArticle(site)).map(|_| ())
}

/// Stores a new article written by the caller. Its slug is made free in its site unless
/// the writer chose it (`slug_chosen`), which then must be free.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    mut data: ArticleData,
    slug_chosen: bool,
) -> Result<Article, ServiceError> {
    let principal = caller.authorize(Action::CreateArticle(data.site_id))?;
    if !slug_chosen {
        data.slug = danvan_store::article::unique_slug(db, data.site_id, &data.slug).await?;
    }
    data.created_by = principal.account().map(|a| a.id);
    crate::media::check_uses(db, &data).await?;
    Ok(danvan_store::article::create(db, &data).await?)
}

/// Replaces the article's data, if `version` is still the stored one (`CONFLICT` if not),
/// keeping the article as it was as a revision, with `reason` and the caller as its actor.
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    article: &Article,
    version: i64,
    data: &ArticleData,
    reason: &str,
) -> Result<Article, ServiceError> {
    let media = |d: &ArticleData| {
        let images: Vec<_> = d.images.iter().map(|i| i.media_id).collect();
        (d.cover_id, images, d.attachment_ids.clone())
    };
    if media(data) != media(&article.data) {
        crate::media::check_uses(db, data).await?;
    }
    let actor = caller.principal.actor();
    let change = Change {
        reason,
        actor: Some(&actor),
    };
    let (saved, _) =
        danvan_store::article::update(db, article.id, Some(version), data, change).await?;
    Ok(saved)
}

/// The article's data moved to `to`, if the workflow allows it from where it is.
fn moved(article: &Article, to: Status) -> Result<ArticleData, ServiceError> {
    let from = article.data.status;
    if !from.can_move_to(to) {
        return Err(ServiceError::Conflict(format!(
            "an article that is {} cannot become {}",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    let mut data = article.data.clone();
    data.status = to;
    if to != Status::Published {
        data.publish_at = None;
    }
    Ok(data)
}

/// Submits a draft for review (its author, or an editor).
pub async fn submit(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    version: i64,
) -> Result<Article, ServiceError> {
    let article = find_for(db, caller, id, |a| Action::Submit(policy_ref(a))).await?;
    let data = moved(&article, Status::InReview)?;
    save(db, caller, &article, version, &data, "submit").await
}

/// Takes an article back to draft: its author withdraws it from review, or an editor
/// returns it (from review, or off the site).
pub async fn return_to_draft(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    version: i64,
) -> Result<Article, ServiceError> {
    // The author withdraws from review; taking it back from anywhere else is publishing.
    let article = find_for(db, caller, id, |a| match a.data.status {
        Status::InReview => Action::Submit(policy_ref(a)),
        _ => Action::Publish(a.data.site_id),
    })
    .await?;
    let data = moved(&article, Status::Draft)?;
    save(db, caller, &article, version, &data, "return to draft").await
}

/// Publishes an article (editors), now or at `at`: a scheduled article becomes public by
/// itself when its time comes. Also moves the time of an article that is scheduled and not
/// yet public.
pub async fn publish(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    version: i64,
    at: Option<DateTime<Utc>>,
) -> Result<Article, ServiceError> {
    let article = find_for(db, caller, id, |a| Action::Publish(a.data.site_id)).await?;
    let now = Utc::now();
    let at = at.unwrap_or(now);
    let scheduled_not_public = article.data.status == Status::Published
        && article.data.published_at.is_some_and(|t| t > now);
    let mut data = if scheduled_not_public {
        article.data.clone()
    } else {
        moved(&article, Status::Published)?
    };
    data.published_at = Some(at);
    data.publish_at = (at > now).then_some(at);
    let reason = if at > now { "schedule" } else { "publish" };
    save(db, caller, &article, version, &data, reason).await
}

/// Takes a published article off the site and keeps it (editors).
pub async fn archive(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    version: i64,
) -> Result<Article, ServiceError> {
    let article = find_for(db, caller, id, |a| Action::Publish(a.data.site_id)).await?;
    let data = moved(&article, Status::Archived)?;
    save(db, caller, &article, version, &data, "archive").await
}

/// Deletes an article softly: it disappears from every list, page and search, and is kept
/// until restored.
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    version: i64,
) -> Result<Article, ServiceError> {
    let article = editable(db, caller, id).await?;
    Ok(danvan_store::article::delete(db, article.id, Some(version)).await?)
}

/// Brings a deleted article back as it was.
pub async fn restore(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
) -> Result<Article, ServiceError> {
    let article = editable(db, caller, id).await?;
    Ok(danvan_store::article::restore(db, article.id).await?)
}

/// Puts the content of revision `number` back (headline, lead, body, byline, images,
/// links); the workflow stays where it is. The content replaced is itself kept as a
/// revision, so a restore can be undone.
pub async fn restore_revision(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
    version: i64,
    number: i32,
) -> Result<Article, ServiceError> {
    let article = editable(db, caller, id).await?;
    let revision = danvan_store::revision::get(db, article.id, number)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no revision {number}")))?;
    let data = danvan_store::revision::restored(&revision.snapshot, &article.data)?;
    let reason = format!("restore revision {number}");
    save(db, caller, &article, version, &data, &reason).await
}

/// Any article the caller may see, whatever its status (see [`is_visible`]); none when
/// there is no such article or the caller may not see it.
pub async fn seen_by(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
) -> Result<Option<Article>, ServiceError> {
    let article = danvan_store::article::get_any(db, id).await?;
    Ok(article.filter(|a| is_visible(caller, a, Utc::now())))
}

/// Which of a site's articles in `status` the newsroom lists: all of them for its editors,
/// a reporter's own for a reporter.
pub fn newsroom_list(
    caller: &Caller,
    site: danvan_domain::SiteId,
    status: Status,
) -> Result<danvan_store::article::ArticleFilter, ServiceError> {
    let principal = caller.authorize(Action::ReadNewsroom(site))?;
    let own_only = principal
        .account()
        .filter(|a| a.role == danvan_domain::account::Role::Reporter)
        .map(|a| a.id);
    Ok(danvan_store::article::ArticleFilter {
        site_id: Some(site),
        status: Some(status),
        created_by: own_only,
        ..Default::default()
    })
}

/// Which of a site's articles are scheduled for after `now`, for partners granted the
/// embargo and the newsroom.
pub fn embargoed_list(
    caller: &Caller,
    site: danvan_domain::SiteId,
    now: DateTime<Utc>,
) -> Result<danvan_store::article::ArticleFilter, ServiceError> {
    caller.authorize(Action::ReadEmbargoed(site))?;
    Ok(danvan_store::article::ArticleFilter {
        site_id: Some(site),
        embargoed_at: Some(now),
        ..Default::default()
    })
}

/// The revisions of an article, the newest first, for those who may read it unpublished.
pub async fn revisions(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ArticleId,
) -> Result<Vec<danvan_store::revision::ArticleRevision>, ServiceError> {
    let article = find_for(db, caller, id, |a| Action::ReadUnpublished(policy_ref(a))).await?;
    Ok(danvan_store::revision::of_article(db, article.id).await?)
}
