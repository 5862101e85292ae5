//! A site's sections (categories): its admins and editors write them, and a section sits
//! only in a section of the same site.

use crate::id::{self, kind};
use crate::{Caller, ServiceError};
use danvan_auth::Action;
use danvan_domain::category::CategoryData;
use danvan_domain::{CategoryId, Name, SiteId, Slug};
use danvan_store::DatabaseConnection;
use danvan_store::category::Category;

/// The section, deleted or not; `NOT_FOUND` when there is none.
pub async fn found(db: &DatabaseConnection, id: CategoryId) -> Result<Category, ServiceError> {
    danvan_store::category::get_any(db, id)
        .await?
        .ok_or_else(|| {
            ServiceError::NotFound(format!("no category {}", id::encode(kind::CATEGORY, id.0)))
        })
}

/// The section, if the caller may write its site's sections.
pub async fn writable(
    db: &DatabaseConnection,
    caller: &Caller,
    id: CategoryId,
) -> Result<Category, ServiceError> {
    let found = found(db, id).await?;
    caller.authorize(Action::WriteSections(found.data.site_id))?;
    Ok(found)
}

/// Checks that the caller may write `site`'s sections; [`create`] checks again.
pub fn authorize(caller: &Caller, site: SiteId) -> Result<(), ServiceError> {
    caller.authorize(Action::WriteSections(site)).map(|_| ())
}

/// Adds a section named `name` to `site`, inside `parent` when given (a section of the
/// same site); its slug is made from its name.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    site: SiteId,
    name: Name,
    parent: Option<CategoryId>,
) -> Result<Category, ServiceError> {
    authorize(caller, site)?;
    let parent_id = match parent {
        Some(parent) => {
            let parent = found(db, parent).await?;
            if parent.data.site_id != site {
                return Err(ServiceError::BadUserInput(
                    "parent: a section of another site".into(),
                ));
            }
            Some(parent.id)
        }
        None => None,
    };
    let data = CategoryData {
        site_id: site,
        parent_id,
        slug: Slug::from_text(name.as_str())?,
        name,
    };
    Ok(danvan_store::category::create(db, &data).await?)
}

/// Renames a section, at `version`.
pub async fn rename(
    db: &DatabaseConnection,
    caller: &Caller,
    id: CategoryId,
    version: i64,
    name: Name,
) -> Result<Category, ServiceError> {
    let found = writable(db, caller, id).await?;
    let mut data = found.data.clone();
    data.name = name;
    Ok(danvan_store::category::update(db, found.id, Some(version), &data).await?)
}

/// Deletes a section softly, at `version`.
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: CategoryId,
    version: i64,
) -> Result<Category, ServiceError> {
    let found = writable(db, caller, id).await?;
    Ok(danvan_store::category::delete(db, found.id, Some(version)).await?)
}

/// Brings a deleted section back.
pub async fn restore(
    db: &DatabaseConnection,
    caller: &Caller,
    id: CategoryId,
) -> Result<Category, ServiceError> {
    let found = writable(db, caller, id).await?;
    Ok(danvan_store::category::restore(db, found.id).await?)
}
