//! `danvan user create | set-role | disable | enable`: accounts from the command line, for
//! the first admin and for when the API is not at hand. The password of `create` is read
//! from `DANVAN_PASSWORD` or, when that is not set, from the first line of standard input,
//! so that it never appears in the process list or the shell history.

use anyhow::{Context, bail};
use danvan_domain::account::{AccountData, Role, Username, check_password};
use danvan_domain::{Name, SiteId, Slug};
use danvan_store::DatabaseConnection;

/// A role as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    /// Everything, on every site.
    Admin,
    /// Everything in one site.
    Editor,
    /// Own drafts in one site.
    Reporter,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Editor => Role::Editor,
            RoleArg::Reporter => Role::Reporter,
        }
    }
}

async fn site(db: &DatabaseConnection, slug: Option<&str>) -> anyhow::Result<Option<SiteId>> {
    let Some(slug) = slug else {
        return Ok(None);
    };
    let parsed = Slug::parse(slug).with_context(|| format!("the site {slug:?}"))?;
    match danvan_store::site::by_slug(db, &parsed).await? {
        Some(site) => Ok(Some(site.id)),
        None => bail!("there is no site {slug:?}"),
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("DANVAN_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The account with this user name.
pub(crate) async fn account(
    db: &DatabaseConnection,
    username: &str,
) -> anyhow::Result<danvan_store::account::Account> {
    let name = Username::parse(username)?;
    danvan_store::account::by_username(db, &name)
        .await?
        .with_context(|| format!("there is no account {username:?}"))
}

/// Makes an account.
pub async fn create(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    role: RoleArg,
    site_slug: Option<&str>,
) -> anyhow::Result<()> {
    let data = AccountData {
        username: Username::parse(username)?,
        display_name: Name::parse_field("display name", display_name)?,
        role: role.into(),
        site_id: site(db, site_slug).await?,
        disabled: false,
    };
    data.validate()?;
    let password = read_password()?;
    check_password(&password)?;
    let hash = danvan_auth::password::hash(&password)?;
    let created = danvan_store::account::create(db, &data, &hash)
        .await
        .context("storing the account")?;
    println!(
        "created {} ({}) as {}",
        created.data.username,
        created.data.display_name,
        created.data.role.code()
    );
    Ok(())
}

/// Gives an account another role.
pub async fn set_role(
    db: &DatabaseConnection,
    username: &str,
    role: RoleArg,
    site_slug: Option<&str>,
) -> anyhow::Result<()> {
    let found = account(db, username).await?;
    let site = site(db, site_slug).await?;
    let changed = danvan_store::account::set_role(db, found.id, role.into(), site).await?;
    println!(
        "{} is now {}",
        changed.data.username,
        changed.data.role.code()
    );
    Ok(())
}

/// Disables or enables an account.
pub async fn set_disabled(
    db: &DatabaseConnection,
    username: &str,
    disabled: bool,
) -> anyhow::Result<()> {
    let found = account(db, username).await?;
    danvan_store::account::set_disabled(db, found.id, disabled).await?;
    let state = if disabled { "disabled" } else { "enabled" };
    println!("{username} is {state}");
    Ok(())
}
