//! Merging the records of one body or one person that were made twice (by imports of
//! pages that spelt them apart, or by hand): an editor who may change both merges one into
//! the other; every link moves, and the old id goes on resolving to the record kept.

use crate::{Caller, ServiceError};
use danvan_domain::{OrganisationId, PersonId};
use danvan_store::DatabaseConnection;
use danvan_store::merge::Moved;
use danvan_store::organisation::Organisation;
use danvan_store::person::Person;

/// Merges organisation `from` into `into`; gives the organisation kept and what moved.
pub async fn organisations(
    db: &DatabaseConnection,
    caller: &Caller,
    from: OrganisationId,
    into: OrganisationId,
) -> Result<(Organisation, Moved), ServiceError> {
    crate::organisations::writable(db, caller, from).await?;
    crate::organisations::writable(db, caller, into).await?;
    let txn = danvan_store::begin_write(db)
        .await
        .map_err(danvan_store::StoreError::from)?;
    let moved = danvan_store::merge::organisations(&txn, from, into).await?;
    txn.commit().await.map_err(danvan_store::StoreError::from)?;
    let kept = danvan_store::organisation::get(db, into)
        .await?
        .ok_or_else(|| ServiceError::NotFound("the organisation kept is gone".to_owned()))?;
    Ok((kept, moved))
}

/// Merges person `from` into `into`; gives the person kept and what moved.
pub async fn people(
    db: &DatabaseConnection,
    caller: &Caller,
    from: PersonId,
    into: PersonId,
) -> Result<(Person, Moved), ServiceError> {
    crate::directory::people::writable(db, caller, from).await?;
    crate::directory::people::writable(db, caller, into).await?;
    let txn = danvan_store::begin_write(db)
        .await
        .map_err(danvan_store::StoreError::from)?;
    let moved = danvan_store::merge::people(&txn, from, into).await?;
    txn.commit().await.map_err(danvan_store::StoreError::from)?;
    let kept = danvan_store::person::get(db, into)
        .await?
        .ok_or_else(|| ServiceError::NotFound("the person kept is gone".to_owned()))?;
    Ok((kept, moved))
}

/// The organisation to show for `id`: the one it was merged into, if it was.
pub async fn organisation_now(
    db: &DatabaseConnection,
    id: OrganisationId,
) -> Result<OrganisationId, ServiceError> {
    Ok(danvan_store::merge::organisation_now(db, id)
        .await?
        .unwrap_or(id))
}

/// The person to show for `id`: the one they were merged into, if they were.
pub async fn person_now(db: &DatabaseConnection, id: PersonId) -> Result<PersonId, ServiceError> {
    Ok(danvan_store::merge::person_now(db, id).await?.unwrap_or(id))
}
