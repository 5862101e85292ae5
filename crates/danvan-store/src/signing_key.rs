//! Keys that sign access tokens, kept in the database for servers that configure none (the
//! embedded default): made on the first start, shared by every server on the database.

use crate::StoreError;
use crate::crud::now;
use crate::entities::signing_key;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder};

/// A stored key: its name and its secret (base64).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// The name tokens carry in their header.
    pub kid: String,
    /// The secret, base64.
    pub secret: String,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Every stored key, the newest first.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<StoredKey>, StoreError> {
    Ok(signing_key::Entity::find()
        .order_by_desc(signing_key::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| StoredKey {
            kid: m.kid,
            secret: m.secret,
        })
        .collect())
}

/// Stores a key.
pub async fn add(db: &impl ConnectionTrait, key: &StoredKey) -> Result<(), StoreError> {
    let at = now();
    signing_key::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        kid: Set(key.kid.clone()),
        secret: Set(key.secret.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}
