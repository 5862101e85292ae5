//! Accounts of the people who write and moderate, and their refresh tokens. Passwords and
//! tokens arrive here already hashed: the store never sees a secret.

use crate::StoreError;
use crate::crud::{Key, now, stored};
use crate::entities::{account, refresh_token};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use danvan_domain::account::{AccountData, Role, Username};
use danvan_domain::{AccountId, Name, Record, SiteId};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A stored account.
pub type Account = Record<AccountId, AccountData>;

fn record(m: account::Model) -> Result<Account, StoreError> {
    const WHAT: &str = "account";
    Ok(Record {
        id: AccountId(m.id),
        created_at: m.created_at,
        updated_at: m.updated_at,
        // Comments and accounts are moderated and disabled, not versioned or deleted.
        version: 1,
        deleted_at: None,
        data: AccountData {
            username: stored(WHAT, Username::parse(&m.username))?,
            display_name: Name::from_stored(m.display_name),
            role: stored(WHAT, Role::from_code(&m.role))?,
            site_id: m.site_id.map(SiteId),
            disabled: m.disabled,
        },
    })
}

/// Stores a new account with its password hash; `Conflict` when the user name is taken.
pub async fn create(
    db: &impl ConnectionTrait,
    data: &AccountData,
    password_hash: &str,
) -> Result<Account, StoreError> {
    data.validate()?;
    let at = now();
    let row = account::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        username: Set(data.username.as_str().to_owned()),
        display_name: Set(data.display_name.to_string()),
        password_hash: Set(password_hash.to_owned()),
        role: Set(data.role.code().to_owned()),
        site_id: Set(data.site_id.map(|s| s.raw())),
        disabled: Set(data.disabled),
    }
    .insert(db)
    .await?;
    record(row)
}

/// The account with this id.
pub async fn get(db: &impl ConnectionTrait, id: AccountId) -> Result<Option<Account>, StoreError> {
    account::Entity::find_by_id(id.raw())
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The account with this user name, and its password hash, for signing in.
pub async fn for_sign_in(
    db: &impl ConnectionTrait,
    username: &Username,
) -> Result<Option<(Account, String)>, StoreError> {
    let Some(row) = account::Entity::find()
        .filter(account::Column::Username.eq(username.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let hash = row.password_hash.clone();
    Ok(Some((record(row)?, hash)))
}

/// The account with this user name.
pub async fn by_username(
    db: &impl ConnectionTrait,
    username: &Username,
) -> Result<Option<Account>, StoreError> {
    Ok(for_sign_in(db, username).await?.map(|(account, _)| account))
}

/// A page of accounts, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Account>, StoreError> {
    let id = account::Column::Id;
    let key = crate::keyset::SortKey {
        list: "account",
        parts: vec![crate::keyset::Part::Int(id)],
        descending: false,
    };
    crate::keyset::fetch(db, account::Entity::find(), &key, page, |row| {
        vec![serde_json::Value::from(row.id)]
    })
    .await?
    .try_map(record)
}

/// How many accounts there are.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    crate::keyset::count(db, account::Entity::find()).await
}

/// Gives an account another role (and site); `NotFound` if there is none.
pub async fn set_role(
    db: &impl ConnectionTrait,
    id: AccountId,
    role: Role,
    site_id: Option<SiteId>,
) -> Result<Account, StoreError> {
    let mut account = get(db, id)
        .await?
        .ok_or_else(|| StoreError::not_found("account", id))?;
    account.data.role = role;
    account.data.site_id = site_id;
    account.data.validate()?;
    let row = account::ActiveModel {
        id: Set(id.raw()),
        updated_at: Set(now()),
        role: Set(role.code().to_owned()),
        site_id: Set(site_id.map(|s| s.raw())),
        ..Default::default()
    }
    .update(db)
    .await?;
    record(row)
}

/// Disables or enables an account. Disabling also revokes its refresh tokens; its access
/// tokens stop working at once because every request looks the account up.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    id: AccountId,
    disabled: bool,
) -> Result<Account, StoreError> {
    get(db, id)
        .await?
        .ok_or_else(|| StoreError::not_found("account", id))?;
    let row = account::ActiveModel {
        id: Set(id.raw()),
        updated_at: Set(now()),
        disabled: Set(disabled),
        ..Default::default()
    }
    .update(db)
    .await?;
    if disabled {
        revoke_all(db, id).await?;
    }
    record(row)
}

/// Replaces an account's password hash and revokes its refresh tokens.
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: AccountId,
    password_hash: &str,
) -> Result<(), StoreError> {
    let done = account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(account::Column::UpdatedAt, Expr::value(now()))
        .filter(account::Column::Id.eq(id.raw()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::not_found("account", id));
    }
    revoke_all(db, id).await
}

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshToken {
    /// Its row.
    pub id: i64,
    /// Whose it is.
    pub account_id: AccountId,
    /// The sign-in it descends from.
    pub family: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged for a new one; a rotated token used again is a theft.
    pub rotated_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

fn refresh_record(m: refresh_token::Model) -> RefreshToken {
    RefreshToken {
        id: m.id,
        account_id: AccountId(m.account_id),
        family: m.family,
        expires_at: m.expires_at,
        rotated_at: m.rotated_at,
        revoked_at: m.revoked_at,
    }
}

/// Keeps a refresh token by its digest.
pub async fn keep_refresh_token(
    db: &impl ConnectionTrait,
    account_id: AccountId,
    family: &str,
    digest: &str,
    expires_at: DateTime<Utc>,
) -> Result<RefreshToken, StoreError> {
    let at = now();
    let row = refresh_token::ActiveModel {
        id: NotSet,
        created_at: Set(at),
        updated_at: Set(at),
        account_id: Set(account_id.raw()),
        family: Set(family.to_owned()),
        token_hash: Set(digest.to_owned()),
        expires_at: Set(crate::crud::stored_time(expires_at)),
        rotated_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(refresh_record(row))
}

/// The refresh token with this digest.
pub async fn refresh_token(
    db: &impl ConnectionTrait,
    digest: &str,
) -> Result<Option<RefreshToken>, StoreError> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(digest))
        .one(db)
        .await?
        .map(refresh_record))
}

/// Marks a token as exchanged, if nobody has yet: `false` when another request got there
/// first (two refreshes racing with one token are one too many, as with a stolen token).
pub async fn mark_rotated(db: &impl ConnectionTrait, id: i64) -> Result<bool, StoreError> {
    let at = now();
    let done = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RotatedAt, Expr::value(at))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(at))
        .filter(refresh_token::Column::Id.eq(id))
        .filter(refresh_token::Column::RotatedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

async fn revoke(db: &impl ConnectionTrait, filter: sea_orm::Condition) -> Result<(), StoreError> {
    let at = now();
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(at))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(at))
        .filter(filter)
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every token of a sign-in.
pub async fn revoke_family(db: &impl ConnectionTrait, family: &str) -> Result<(), StoreError> {
    revoke(
        db,
        sea_orm::Condition::all().add(refresh_token::Column::Family.eq(family)),
    )
    .await
}

/// Revokes every token of an account.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    account_id: AccountId,
) -> Result<(), StoreError> {
    revoke(
        db,
        sea_orm::Condition::all().add(refresh_token::Column::AccountId.eq(account_id.raw())),
    )
    .await
}
