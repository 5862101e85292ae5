//! Accounts, sign-in and partners' keys in the schema.

use crate::ApiError;
use crate::connection::List;
use crate::context::{authorize, caller, db, load};
use crate::enums::{Role, Scope};
use crate::id;
use crate::session::{self, Session, Sessions};
use crate::site::Site;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, FixedOffset};
use danvan_auth::Action;
use danvan_domain::account::{AccountData, Username};
use danvan_domain::{AccountId, ApiKeyId, Name, SiteId};
use danvan_service::accounts;
use danvan_store::account::Account as AccountRecord;
use danvan_text::time::to_vietnam;

/// Someone who writes or moderates.
pub struct Account(pub(crate) AccountRecord);

/// Someone who writes or moderates.
#[Object]
impl Account {
    /// The global id.
    async fn id(&self) -> ID {
        id::encode(id::ACCOUNT, self.0.id.0)
    }

    /// What they sign in with.
    async fn username(&self) -> &str {
        self.0.data.username.as_str()
    }

    /// The name shown beside what they write.
    async fn display_name(&self) -> &str {
        self.0.data.display_name.as_str()
    }

    /// What they may do.
    async fn role(&self) -> Role {
        self.0.data.role.into()
    }

    /// Their site; none for an admin.
    async fn site(&self, ctx: &Context<'_>) -> Result<Option<Site>> {
        let Some(site) = self.0.data.site_id else {
            return Ok(None);
        };
        Ok(load(ctx, site).await?.map(Site))
    }

    /// A disabled account cannot sign in.
    async fn disabled(&self) -> bool {
        self.0.data.disabled
    }

    /// When it was made, in Vietnam time.
    async fn created_at(&self) -> DateTime<FixedOffset> {
        to_vietnam(self.0.created_at)
    }
}

/// What signing in (or refreshing) gives.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    access_token: String,
    /// When the access token expires, in Vietnam time; refresh before.
    access_token_expires_at: DateTime<FixedOffset>,
    /// Exchange for the next access token with `refreshSession`; each can be used once.
    refresh_token: String,
    /// When the refresh token expires.
    refresh_token_expires_at: DateTime<FixedOffset>,
    /// Who signed in.
    account: Account,
}

impl From<Session> for AuthPayload {
    fn from(session: Session) -> Self {
        Self {
            access_token: session.access.token,
            access_token_expires_at: to_vietnam(session.access.expires_at),
            refresh_token: session.refresh_token,
            refresh_token_expires_at: to_vietnam(session.refresh_expires_at),
            account: Account(session.account),
        }
    }
}

/// A new account.
#[derive(InputObject)]
pub struct AccountInput {
    /// 3 to 64 letters a-z, digits, '.', '_' or '-'.
    username: String,
    /// The name shown beside what they write: "Phương Nhung".
    display_name: String,
    /// At least 10 characters.
    password: String,
    /// What they may do.
    role: Role,
    /// The slug of their site; required for editors and reporters.
    site: Option<String>,
}

/// A partner's key, as the partner receives it once.
#[derive(SimpleObject)]
pub struct ApiKeyCreated {
    /// The key's global id, to revoke it.
    id: ID,
    /// The key: send as `X-Api-Key`. It is shown only now; danvan keeps only its digest.
    key: String,
}

pub(crate) fn sessions<'a>(ctx: &Context<'a>) -> Result<&'a Sessions, ApiError> {
    ctx.data::<Sessions>().map_err(|_| {
        tracing::error!("the schema was built without sessions");
        ApiError::Internal
    })
}

pub(crate) async fn site_of(
    ctx: &Context<'_>,
    slug: Option<&str>,
) -> Result<Option<SiteId>, ApiError> {
    match slug {
        Some(slug) => Ok(Some(crate::query::site_id(db(ctx)?, slug).await?)),
        None => Ok(None),
    }
}

/// The account mutations.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in. A wrong user name, a wrong password and a disabled account all get
    /// `UNAUTHENTICATED` with the same message.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user name.")] username: String,
        #[graphql(desc = "The password.", secret)] password: String,
    ) -> Result<AuthPayload> {
        let client = caller(ctx).client.clone();
        let session = session::login(
            db(ctx)?,
            sessions(ctx)?,
            &username,
            &password,
            client.as_deref(),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(session.into())
    }

    /// Exchanges a refresh token for a new access token and a new refresh token. Each
    /// refresh token works once: using one twice signs that session out everywhere.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token of the last sign-in or refresh.", secret)]
        refresh_token: String,
    ) -> Result<AuthPayload> {
        let session = session::refresh(db(ctx)?, sessions(ctx)?, &refresh_token)
            .await
            .map_err(ApiError::from)?;
        Ok(session.into())
    }

    /// Signs out: the refresh token and every token rotated from the same sign-in stop
    /// working. Access tokens already given expire by themselves within minutes.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The current refresh token.", secret)] refresh_token: String,
    ) -> Result<bool> {
        session::logout(db(ctx)?, &refresh_token)
            .await
            .map_err(ApiError::from)?;
        Ok(true)
    }

    /// Makes an account (admins only).
    async fn create_account(&self, ctx: &Context<'_>, input: AccountInput) -> Result<Account> {
        authorize(ctx, Action::Administer)?;
        let data = AccountData {
            username: Username::parse(&input.username).map_err(ApiError::from)?,
            display_name: Name::parse_field("displayName", &input.display_name)
                .map_err(ApiError::from)?,
            role: input.role.into(),
            site_id: site_of(ctx, input.site.as_deref()).await?,
            disabled: false,
        };
        let account = accounts::create(db(ctx)?, caller(ctx), data, input.password)
            .await
            .map_err(ApiError::from)?;
        Ok(Account(account))
    }

    /// Gives an account another role and site (admins only); it applies to the account's
    /// next request.
    async fn set_account_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] id: ID,
        #[graphql(desc = "The new role.")] role: Role,
        #[graphql(desc = "The slug of its site; required for editors and reporters.")] site: Option<
            String,
        >,
    ) -> Result<Account> {
        authorize(ctx, Action::Administer)?;
        let id = AccountId(id::decode(id::ACCOUNT, &id)?);
        let site = site_of(ctx, site.as_deref()).await?;
        let account = accounts::set_role(db(ctx)?, caller(ctx), id, role.into(), site)
            .await
            .map_err(ApiError::from)?;
        Ok(Account(account))
    }

    /// Disables or enables an account (admins only). A disabled account's tokens stop
    /// working at once.
    async fn set_account_disabled(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] id: ID,
        #[graphql(desc = "Whether it is disabled.")] disabled: bool,
    ) -> Result<Account> {
        authorize(ctx, Action::Administer)?;
        let id = AccountId(id::decode(id::ACCOUNT, &id)?);
        let account = accounts::set_disabled(db(ctx)?, caller(ctx), id, disabled)
            .await
            .map_err(ApiError::from)?;
        Ok(Account(account))
    }

    /// Makes an API key for a partner (admins only); the key is shown once.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose it is: \"Báo Lam Sơn điện tử\".")] name: String,
        #[graphql(desc = "What it grants.")] scopes: Vec<Scope>,
        #[graphql(desc = "The slug of the one site it reads; every site when left out.")]
        site: Option<String>,
    ) -> Result<ApiKeyCreated> {
        authorize(ctx, Action::Administer)?;
        let name = Name::parse_field("name", &name).map_err(ApiError::from)?;
        let site = site_of(ctx, site.as_deref()).await?;
        let scopes: Vec<_> = scopes.into_iter().map(Into::into).collect();
        let (stored, key) = accounts::create_api_key(db(ctx)?, caller(ctx), &name, &scopes, site)
            .await
            .map_err(ApiError::from)?;
        Ok(ApiKeyCreated {
            id: id::encode(id::API_KEY, stored.0),
            key,
        })
    }

    /// Revokes a partner's key (admins only).
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key's id.")] id: ID,
    ) -> Result<bool> {
        authorize(ctx, Action::Administer)?;
        let id = ApiKeyId(id::decode(id::API_KEY, &id)?);
        accounts::revoke_api_key(db(ctx)?, caller(ctx), id)
            .await
            .map_err(ApiError::from)?;
        Ok(true)
    }
}

/// The account queries.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account; none for the public and partners.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        let Some(account) = caller(ctx).principal.account() else {
            return Ok(None);
        };
        let found = danvan_store::account::get(db(ctx)?, account.id)
            .await
            .map_err(ApiError::from)?;
        Ok(found.map(Account))
    }

    /// Every account (admins only).
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
    ) -> Result<List<Account>> {
        authorize(ctx, Action::Administer)?;
        let request = crate::connection::Paging::forward(first, after).request(ctx)?;
        let page = danvan_store::account::list(db(ctx)?, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(crate::connection::list(
            page,
            &request,
            |db| async move { danvan_store::account::count(&db).await },
            Account,
        ))
    }
}
