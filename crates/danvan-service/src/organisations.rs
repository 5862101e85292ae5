//! Writing organisations: an organisation is its own editors' (and those of the
//! organisations above it), and where it is placed in the tree is a rule of its own: under
//! one of the caller's organisations, or at the top of the directory (admins only); a
//! parent that would put it inside itself is refused.

use crate::id::{self, kind};
use crate::{Caller, ServiceError};
use danvan_auth::Action;
use danvan_domain::OrganisationId;
use danvan_domain::organisation::OrganisationData;
use danvan_store::DatabaseConnection;
use danvan_store::organisation::Organisation;

/// The organisation, deleted or not, if the caller may change it.
pub async fn writable(
    db: &DatabaseConnection,
    caller: &Caller,
    id: OrganisationId,
) -> Result<Organisation, ServiceError> {
    caller.authorize(Action::WriteDirectory)?;
    let found = danvan_store::organisation::get_any(db, id)
        .await?
        .ok_or_else(|| {
            ServiceError::NotFound(format!(
                "no organisation {}",
                id::encode(kind::ORGANISATION, id.0)
            ))
        })?;
    caller.authorize_owned(Some(found.id))?;
    Ok(found)
}

/// Checks that the caller may place an organisation under `parent`: under one of theirs,
/// or at the top of the directory (admins).
fn authorize_placement(
    caller: &Caller,
    parent: Option<OrganisationId>,
) -> Result<(), ServiceError> {
    match parent {
        Some(parent) => caller.authorize_owned(Some(parent)),
        None => caller.authorize(Action::Administer).map(|_| ()),
    }
}

/// Stores a new organisation where the caller may place it.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    data: &OrganisationData,
    slug_given: bool,
) -> Result<Organisation, ServiceError> {
    caller.authorize(Action::WriteDirectory)?;
    authorize_placement(caller, data.parent_id)?;
    // A slug made from the name is made unique, as an article's is; one asked for is kept
    // or refused.
    let mut data = data.clone();
    if !slug_given {
        data.slug = danvan_store::organisation::unique_slug(db, &data.slug).await?;
    }
    Ok(danvan_store::organisation::create(db, &data).await?)
}

/// Replaces an organisation's data at `version`; moving it needs the right to place it
/// there, and a parent inside itself is refused.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: OrganisationId,
    version: i64,
    data: &OrganisationData,
) -> Result<Organisation, ServiceError> {
    let found = writable(db, caller, id).await?;
    if data.parent_id != found.data.parent_id {
        authorize_placement(caller, data.parent_id)?;
    }
    Ok(danvan_store::organisation::update_checked(db, found.id, Some(version), data).await?)
}

/// Deletes an organisation softly, at `version`.
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: OrganisationId,
    version: i64,
) -> Result<Organisation, ServiceError> {
    let found = writable(db, caller, id).await?;
    Ok(danvan_store::organisation::delete(db, found.id, Some(version)).await?)
}

/// Brings a deleted organisation back.
pub async fn restore(
    db: &DatabaseConnection,
    caller: &Caller,
    id: OrganisationId,
) -> Result<Organisation, ServiceError> {
    let found = writable(db, caller, id).await?;
    Ok(danvan_store::organisation::restore(db, found.id).await?)
}
