//! Partners' API keys, stored by digest.

use crate::StoreError;
use crate::crud::{Key, now, stored};
use crate::entities::api_key;
use chrono::{DateTime, Utc};
use danvan_domain::account::Scope;
use danvan_domain::{ApiKeyId, Name, SiteId};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A stored API key (without the key, which only its holder has).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    /// Its id.
    pub id: ApiKeyId,
    /// Whose it is: "Báo Lam Sơn điện tử".
    pub name: Name,
    /// What it grants.
    pub scopes: Vec<Scope>,
    /// The one site it reads, or every site.
    pub site_id: Option<SiteId>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

fn record(m: api_key::Model) -> Result<ApiKey, StoreError> {
    const WHAT: &str = "API key";
    Ok(ApiKey {
        id: ApiKeyId(m.id),
        name: Name::from_stored(m.name),
        scopes: m
            .scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| stored(WHAT, Scope::from_code(s)))
            .collect::<Result<_, _>>()?,
        site_id: m.site_id.map(SiteId),
        created_at: m.created_at,
        revoked_at: m.revoked_at,
    })
}

/// Stores a key by its digest.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &Name,
    scopes: &[Scope],
    site_id: Option<SiteId>,
    digest: &str,
) -> Result<ApiKey, StoreError> {
    let at = now();
    let row = api_key::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        name: Set(name.to_string()),
        key_hash: Set(digest.to_owned()),
        scopes: Set(scopes
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(",")),
        site_id: Set(site_id.map(|s| s.raw())),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    record(row)
}

/// The key with this digest, if it exists and is not revoked.
pub async fn active_by_digest(
    db: &impl ConnectionTrait,
    digest: &str,
) -> Result<Option<ApiKey>, StoreError> {
    api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(digest))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// Revokes a key; `NotFound` if there is none.
pub async fn revoke(db: &impl ConnectionTrait, id: ApiKeyId) -> Result<(), StoreError> {
    let at = now();
    let done = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(at))
        .col_expr(api_key::Column::UpdatedAt, Expr::value(at))
        .filter(api_key::Column::Id.eq(id.raw()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::not_found("API key", id));
    }
    Ok(())
}
