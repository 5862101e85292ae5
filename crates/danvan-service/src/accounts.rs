//! Administering accounts and partners' API keys: admins only.

use crate::{Caller, ServiceError};
use danvan_auth::Action;
use danvan_domain::account::{AccountData, Role, Scope, check_password};
use danvan_domain::{AccountId, ApiKeyId, Name, SiteId};
use danvan_store::DatabaseConnection;
use danvan_store::account::Account;

/// Checks that the caller administers accounts and keys; every use case here checks again.
pub fn authorize(caller: &Caller) -> Result<(), ServiceError> {
    caller.authorize(Action::Administer).map(|_| ())
}

/// Makes an account with `password`, which is checked and stored as a hash only.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    data: AccountData,
    password: String,
) -> Result<Account, ServiceError> {
    authorize(caller)?;
    data.validate()?;
    check_password(&password)?;
    // Hashing takes a good part of a second of CPU by design: off the async threads.
    let hash = tokio::task::spawn_blocking(move || danvan_auth::password::hash(&password))
        .await
        .map_err(|_| ServiceError::Internal)??;
    Ok(danvan_store::account::create(db, &data, &hash).await?)
}

/// Gives an account another role and site; it applies to the account's next request.
pub async fn set_role(
    db: &DatabaseConnection,
    caller: &Caller,
    id: AccountId,
    role: Role,
    site: Option<SiteId>,
) -> Result<Account, ServiceError> {
    authorize(caller)?;
    Ok(danvan_store::account::set_role(db, id, role, site).await?)
}

/// Disables or enables an account; a disabled account's tokens stop working at once.
pub async fn set_disabled(
    db: &DatabaseConnection,
    caller: &Caller,
    id: AccountId,
    disabled: bool,
) -> Result<Account, ServiceError> {
    authorize(caller)?;
    Ok(danvan_store::account::set_disabled(db, id, disabled).await?)
}

/// Makes a partner's API key; gives the key's id and the key itself, which is stored as a
/// digest only and shown this once.
pub async fn create_api_key(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &Name,
    scopes: &[Scope],
    site: Option<SiteId>,
) -> Result<(ApiKeyId, String), ServiceError> {
    authorize(caller)?;
    let key = danvan_auth::secret::new_secret(danvan_auth::secret::API_KEY_PREFIX)?;
    let digest = danvan_auth::secret::digest(&key);
    let stored = danvan_store::api_key::create(db, name, scopes, site, &digest).await?;
    Ok((stored.id, key))
}

/// Revokes a partner's key.
pub async fn revoke_api_key(
    db: &DatabaseConnection,
    caller: &Caller,
    id: ApiKeyId,
) -> Result<(), ServiceError> {
    authorize(caller)?;
    Ok(danvan_store::api_key::revoke(db, id).await?)
}
