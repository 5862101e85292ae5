//! Signing in and out: passwords for refresh tokens and access tokens, refresh tokens for
//! new ones, and the credentials of each request checked into a [`Principal`]. Shared by
//! every door: the GraphQL mutations and the server's `/auth/*` routes.

use crate::ServiceError;
use chrono::{DateTime, Duration, Utc};
use danvan_auth::policy::{Account as PolicyAccount, Partner};
use danvan_auth::secret::{API_KEY_PREFIX, REFRESH_PREFIX, digest, new_secret, random};
use danvan_auth::{AccessToken, Principal, TokenKeys};
use danvan_domain::OrganisationId;
use danvan_domain::account::{Role, Username};
use danvan_store::DatabaseConnection;
use danvan_store::account::{self, Account};

/// How tokens are made and how long they live.
#[derive(Clone, Debug)]
pub struct Sessions {
    keys: TokenKeys,
    refresh_lifetime: Duration,
}

impl Sessions {
    /// Access tokens from `keys`; refresh tokens that live `refresh_lifetime`.
    pub fn new(keys: TokenKeys, refresh_lifetime: Duration) -> Self {
        Self {
            keys,
            refresh_lifetime,
        }
    }
}

/// What a sign-in or a refresh gives.
#[derive(Debug, Clone)]
pub struct Session {
    /// The access token, for `Authorization: Bearer …`.
    pub access: AccessToken,
    /// The refresh token, to get the next access token; shown once.
    pub refresh_token: String,
    /// When the refresh token expires.
    pub refresh_expires_at: DateTime<Utc>,
    /// Who signed in.
    pub account: Account,
}

const WRONG_CREDENTIALS: &str = "the user name or the password is wrong";
const SIGN_IN_AGAIN: &str = "the refresh token is not valid; sign in again";

fn unauthenticated(message: &str) -> ServiceError {
    ServiceError::Unauthenticated(message.into())
}

async fn start(
    db: &DatabaseConnection,
    sessions: &Sessions,
    account: Account,
    family: &str,
) -> Result<Session, ServiceError> {
    let now = Utc::now();
    let refresh_token = new_secret(REFRESH_PREFIX)?;
    let refresh_expires_at = now + sessions.refresh_lifetime;
    account::keep_refresh_token(
        db,
        account.id,
        family,
        &digest(&refresh_token),
        refresh_expires_at,
    )
    .await?;
    Ok(Session {
        access: sessions.keys.issue(account.id, now)?,
        refresh_token,
        refresh_expires_at,
        account,
    })
}

/// How failed sign-ins are slowed down: per account and per client address, each counted
/// in the database so that every server of a deployment counts the same failures.
pub mod throttle {
    use chrono::Duration;

    /// Failures of one account allowed before each further one locks it for a while.
    pub const FREE_PER_ACCOUNT: i32 = 5;
    /// Failures from one client address allowed so (more: an office's users share one).
    pub const FREE_PER_CLIENT: i32 = 20;
    /// A failure older than this starts the count again.
    pub fn window() -> Duration {
        Duration::hours(1)
    }

    /// How long the `failures`-th failure locks, `free` failures being allowed: one second
    /// after the first failure past them, doubling with each after it, at most 15 minutes.
    pub fn lock_for(failures: i32, free: i32) -> Option<Duration> {
        let past = failures.checked_sub(free)?;
        if past <= 0 {
            return None;
        }
        let seconds = 1_i64 << (past - 1).min(20);
        Some(Duration::seconds(seconds.min(15 * 60)))
    }
}

/// Signs in with a user name and a password, from `client` (its address), when the
/// account and the address are not locked by earlier failures. A wrong name, a wrong
/// password and a disabled account get the same answer, in the same time, and count the
/// same; past [`throttle::FREE_PER_ACCOUNT`] failures of an account (or
/// [`throttle::FREE_PER_CLIENT`] from an address) within an hour, each failure locks it for
/// one second, then two, four, … at most 15 minutes, during which sign-ins are refused
/// with `LIMIT_EXCEEDED` before the password is checked. A success forgets the account's
/// failures.
pub async fn login(
    db: &DatabaseConnection,
    sessions: &Sessions,
    username: &str,
    password: &str,
    client: Option<&str>,
) -> Result<Session, ServiceError> {
    use danvan_store::sign_in_failure;
    let account_key = format!("account:{}", username.trim().to_lowercase());
    let client_key = client.map(|c| format!("client:{c}"));
    let keys: Vec<String> = std::iter::once(account_key.clone())
        .chain(client_key.clone())
        .collect();
    let now = Utc::now();
    let locked = sign_in_failure::get(db, &keys)
        .await?
        .into_iter()
        .filter_map(|f| f.locked_until)
        .filter(|until| *until > now)
        .max();
    if let Some(until) = locked {
        let wait = ((until - now).num_milliseconds() + 999) / 1000;
        let wait = u64::try_from(wait).unwrap_or(1).max(1);
        return Err(ServiceError::RateLimited(
            format!("too many failed sign-ins; try again in {wait} s"),
            wait,
        ));
    }
    let outcome = check_password(db, sessions, username, password).await;
    match &outcome {
        Ok(_) => sign_in_failure::clear(db, &account_key).await?,
        Err(ServiceError::Unauthenticated(_)) => {
            let counted = [
                (Some(account_key), throttle::FREE_PER_ACCOUNT),
                (client_key, throttle::FREE_PER_CLIENT),
            ];
            for (key, free) in counted {
                let Some(key) = key else { continue };
                let failures =
                    sign_in_failure::failed(db, &key, now, now - throttle::window()).await?;
                if let Some(lock) = throttle::lock_for(failures, free) {
                    sign_in_failure::lock(db, &key, now + lock).await?;
                }
            }
        }
        Err(_) => {}
    }
    outcome
}

/// The session of a user name and a password that match an account that is not disabled.
async fn check_password(
    db: &DatabaseConnection,
    sessions: &Sessions,
    username: &str,
    password: &str,
) -> Result<Session, ServiceError> {
    let found = match Username::parse(username) {
        Ok(name) => account::for_sign_in(db, &name).await?,
        Err(_) => None,
    };
    let (account, hash) = match found {
        Some((account, hash)) => (Some(account), Some(hash)),
        None => (None, None),
    };
    // argon2 takes tens of milliseconds on purpose: off the async threads.
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || {
        danvan_auth::password::verify(hash.as_deref(), &password)
    })
    .await
    .map_err(|_| ServiceError::Internal)?;
    match account {
        Some(account) if matches && !account.data.disabled => {
            start(db, sessions, account, &random(16)?).await
        }
        _ => Err(unauthenticated(WRONG_CREDENTIALS)),
    }
}

/// Exchanges a refresh token for a new one and a new access token. A token already
/// exchanged is a stolen copy (or the thief's is the one already used): every token of that
/// sign-in is revoked, and both holders must sign in again.
pub async fn refresh(
    db: &DatabaseConnection,
    sessions: &Sessions,
    refresh_token: &str,
) -> Result<Session, ServiceError> {
    let Some(stored) = account::refresh_token(db, &digest(refresh_token)).await? else {
        return Err(unauthenticated(SIGN_IN_AGAIN));
    };
    if stored.revoked_at.is_some() {
        return Err(unauthenticated(SIGN_IN_AGAIN));
    }
    if stored.rotated_at.is_some() || !account::mark_rotated(db, stored.id).await? {
        tracing::warn!(
            account = %stored.account_id,
            family = %stored.family,
            "a refresh token was used twice; the sign-in is revoked"
        );
        account::revoke_family(db, &stored.family).await?;
        return Err(unauthenticated(SIGN_IN_AGAIN));
    }
    if stored.expires_at <= Utc::now() {
        return Err(unauthenticated(SIGN_IN_AGAIN));
    }
    match account::get(db, stored.account_id).await? {
        Some(account) if !account.data.disabled => {
            start(db, sessions, account, &stored.family).await
        }
        _ => Err(unauthenticated(SIGN_IN_AGAIN)),
    }
}

/// Ends the sign-in a refresh token belongs to. An unknown token is not an error: the
/// client is signed out either way.
pub async fn logout(db: &DatabaseConnection, refresh_token: &str) -> Result<(), ServiceError> {
    if let Some(stored) = account::refresh_token(db, &digest(refresh_token)).await? {
        account::revoke_family(db, &stored.family).await?;
    }
    Ok(())
}

/// Who a request comes from, given its `Authorization` bearer token or its API key. No
/// credentials is the public; credentials that are not valid are an error, not the public,
/// so that a client learns its token has expired.
pub async fn authenticate(
    db: &DatabaseConnection,
    sessions: &Sessions,
    bearer: Option<&str>,
    api_key: Option<&str>,
) -> Result<Principal, ServiceError> {
    if let Some(key) = api_key {
        if !key.starts_with(API_KEY_PREFIX) {
            return Err(unauthenticated("the API key is not valid"));
        }
        let found = danvan_store::api_key::active_by_digest(db, &digest(key)).await?;
        return match found {
            Some(key) => Ok(Principal::Partner(Partner {
                key: key.id,
                scopes: key.scopes,
                site: key.site_id,
            })),
            None => Err(unauthenticated("the API key is not valid")),
        };
    }
    let Some(token) = bearer else {
        return Ok(Principal::Public);
    };
    let id = sessions.keys.verify(token)?;
    match account::get(db, id).await? {
        Some(account) if !account.data.disabled => principal_of(db, &account).await,
        _ => Err(unauthenticated("the account is disabled or gone")),
    }
}

/// An enabled account as the policy sees it, with the organisations it speaks for: what a
/// signed-in request carries, and what a command run `--as` the account carries.
pub async fn principal_of(
    db: &DatabaseConnection,
    account: &Account,
) -> Result<Principal, ServiceError> {
    Ok(Principal::Account(PolicyAccount {
        id: account.id,
        role: account.data.role,
        site: account.data.site_id,
        organisations: spoken_for(db, account).await?,
    }))
}

/// The organisations an editor speaks for: the organisation that runs their site and every
/// organisation below it. Only an editor's writes are checked against them.
async fn spoken_for(
    db: &DatabaseConnection,
    account: &Account,
) -> Result<Vec<OrganisationId>, ServiceError> {
    let (Role::Editor, Some(site)) = (account.data.role, account.data.site_id) else {
        return Ok(Vec::new());
    };
    let Some(site) = danvan_store::site::get(db, site).await? else {
        return Ok(Vec::new());
    };
    match site.data.organisation_id {
        Some(root) => Ok(danvan_store::organisation::subtree(db, root)
            .await?
            .ids()
            .to_vec()),
        None => Ok(Vec::new()),
    }
}

/// Notes a sign-in, refresh or sign-out over HTTP (`operation`: `login`, `refreshSession`)
/// in the audit log, as the GraphQL mutations are noted: whichever door it came by.
/// Losing the line is logged, not fatal: the sign-in itself is done. A failure is noted
/// by its code.
pub async fn audit(
    db: &DatabaseConnection,
    caller: &crate::Caller,
    operation: &str,
    outcome: Result<&Session, &str>,
) {
    let entry = danvan_store::audit::NewEntry {
        actor: match outcome {
            Ok(session) => format!("account:{}", session.account.id),
            Err(_) => "public".into(),
        },
        account_id: outcome.ok().map(|s| s.account.id),
        operation: operation.to_owned(),
        target: None,
        outcome: match outcome {
            Ok(_) => "ok".into(),
            Err(code) => code.into(),
        },
        detail: serde_json::json!({ "via": "http" }),
        client: caller.client.clone(),
        request_id: caller.request_id.clone(),
    };
    if let Err(error) = danvan_store::audit::record_entry(db, entry).await {
        tracing::error!(?error, "cannot write the audit log");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_failure_past_the_free_ones_locks_twice_as_long() {
        use super::throttle::lock_for;
        use chrono::Duration;
        assert_eq!(lock_for(5, 5), None);
        assert_eq!(lock_for(6, 5), Some(Duration::seconds(1)));
        assert_eq!(lock_for(7, 5), Some(Duration::seconds(2)));
        assert_eq!(lock_for(9, 5), Some(Duration::seconds(8)));
        assert_eq!(lock_for(100, 5), Some(Duration::minutes(15)));
    }
}
