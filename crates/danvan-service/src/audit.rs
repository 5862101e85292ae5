//! Reading the audit log: admins only.

use crate::{Caller, ServiceError};
use danvan_auth::Action;
use danvan_store::audit::{AuditEntry, AuditFilter};
use danvan_store::{DatabaseConnection, Page, PageRequest};

/// The entries `filter` selects, newest first, for an admin. Counting them is the store's
/// `audit::count`, once this has let the caller in.
pub async fn log(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &AuditFilter,
    request: &PageRequest,
) -> Result<Page<AuditEntry>, ServiceError> {
    caller.authorize(Action::Administer)?;
    Ok(danvan_store::audit::list(db, filter, request).await?)
}
