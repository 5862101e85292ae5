//! `danvan merge`: an organisation or a person recorded twice merged into the record to
//! keep, as an account (the same rule as the `mergeOrganisations` and `mergePeople`
//! mutations: `danvan_service::merges`).

use anyhow::Context;
use danvan_domain::{OrganisationId, PersonId, Slug};
use danvan_service::Caller;
use danvan_service::id::{decode, kind};
use danvan_store::DatabaseConnection;

/// What to merge, and who merges it: the `merge` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Merge {
    /// Merge organisation FROM into INTO (each by its slug or its global id).
    Organisations {
        /// The organisation merged away.
        from: String,
        /// The organisation kept.
        into: String,
        /// The account that merges (an admin, or an editor of both).
        #[arg(long = "as", value_name = "USER")]
        by: String,
    },
    /// Merge person FROM into INTO (each by their global id).
    People {
        /// The person merged away.
        from: String,
        /// The person kept.
        into: String,
        /// The account that merges (an admin or an editor).
        #[arg(long = "as", value_name = "USER")]
        by: String,
    },
}

/// The caller an account is.
async fn caller(db: &DatabaseConnection, username: &str) -> anyhow::Result<Caller> {
    let account = crate::users::account(db, username)
        .await
        .with_context(|| format!("--as {username}"))?;
    if account.data.disabled {
        anyhow::bail!("--as {username}: the account is disabled");
    }
    Ok(Caller {
        principal: danvan_service::session::principal_of(db, &account).await?,
        ..Caller::default()
    })
}

/// An organisation named by its slug or its global id.
async fn organisation(db: &DatabaseConnection, named: &str) -> anyhow::Result<OrganisationId> {
    if let Ok(raw) = decode(kind::ORGANISATION, named) {
        return Ok(OrganisationId(raw));
    }
    let slug = Slug::parse(named).map_err(|e| anyhow::anyhow!("{named}: {e}"))?;
    let found = danvan_store::organisation::by_slug(db, &slug).await?;
    Ok(found
        .with_context(|| format!("there is no organisation {named}"))?
        .id)
}

/// Runs a merge and says what moved.
pub async fn run(db: &DatabaseConnection, merge: Merge) -> anyhow::Result<()> {
    match merge {
        Merge::Organisations { from, into, by } => {
            let caller = caller(db, &by).await?;
            let (kept, moved) = danvan_service::merges::organisations(
                db,
                &caller,
                organisation(db, &from).await?,
                organisation(db, &into).await?,
            )
            .await?;
            println!(
                "merged {from} into {} ({}): {} links moved",
                kept.data.slug, kept.data.name, moved.rows
            );
        }
        Merge::People { from, into, by } => {
            let caller = caller(db, &by).await?;
            let id = |named: &str| {
                decode(kind::PERSON, named)
                    .map(PersonId)
                    .map_err(|e| anyhow::anyhow!("{named}: {}", e.message()))
            };
            let (kept, moved) =
                danvan_service::merges::people(db, &caller, id(&from)?, id(&into)?).await?;
            println!(
                "merged {from} into {} ({}): {} links moved",
                into, kept.data.full_name, moved.rows
            );
        }
    }
    Ok(())
}
