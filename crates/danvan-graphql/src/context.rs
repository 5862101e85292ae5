//! What resolvers take from the request context.

use crate::ApiError;
use crate::loader::{Loaders, StoreLoader};
use async_graphql::Context;
use async_graphql::dataloader::Loader;
use danvan_domain::Slug;
use danvan_store::DatabaseConnection;
use std::hash::Hash;

pub use danvan_service::Caller;

/// The caller of the request; the public when the server gave none.
pub(crate) fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    static PUBLIC: std::sync::OnceLock<Caller> = std::sync::OnceLock::new();
    ctx.data::<Caller>()
        .unwrap_or_else(|_| PUBLIC.get_or_init(Caller::default))
}

/// Checks that the caller may do `action`, through the one policy, and gives back who they
/// are. Every resolver that needs more than the public may do calls this and nothing else.
pub(crate) fn authorize<'a>(
    ctx: &Context<'a>,
    action: danvan_auth::Action,
) -> Result<&'a danvan_auth::Principal, ApiError> {
    Ok(caller(ctx).authorize(action)?)
}

/// Checks that the caller may write something that belongs to `owner`, or to no
/// organisation: the shared directory, and the owner's own things when there is one.
pub(crate) fn authorize_owned(
    ctx: &Context<'_>,
    owner: Option<danvan_domain::OrganisationId>,
) -> Result<(), ApiError> {
    Ok(caller(ctx).authorize_owned(owner)?)
}

/// The database.
pub(crate) fn db<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseConnection, ApiError> {
    ctx.data::<DatabaseConnection>().map_err(|_| {
        tracing::error!("the schema was built without a database");
        ApiError::Internal
    })
}

fn loader<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, ApiError> {
    ctx.data::<Loaders>().map_err(|_| {
        tracing::error!("the request was executed without loaders");
        ApiError::Internal
    })
}

/// Whether the selection of a list field asks for `relation` on its items, through
/// `edges { node { … } }` or `nodes { … }`.
pub(crate) fn item_selects(ctx: &Context<'_>, relation: &str) -> bool {
    let look = ctx.look_ahead();
    look.field("edges").field("node").field(relation).exists()
        || look.field("nodes").field(relation).exists()
}

/// One record by id, batched with the other look-ups of the request.
pub(crate) async fn load<K>(
    ctx: &Context<'_>,
    id: K,
) -> Result<Option<<StoreLoader as Loader<K>>::Value>, ApiError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = ApiError>,
{
    loader(ctx)?.load_one(id).await
}

/// Records by id, in the order of `ids`, batched; ids without a record are left out.
pub(crate) async fn load_all<K>(
    ctx: &Context<'_>,
    ids: &[K],
) -> Result<Vec<<StoreLoader as Loader<K>>::Value>, ApiError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = ApiError>,
{
    let mut found = loader(ctx)?.load_many(ids.iter().cloned()).await?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// Reads the records with these ids in one statement and puts them in the request's loader,
/// so that the items of a list, resolved one by one, find them there at once instead of
/// each waiting for a batch to form.
pub(crate) async fn prefetch_all<K>(ctx: &Context<'_>, ids: &[K]) -> Result<(), ApiError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = ApiError>,
    <StoreLoader as Loader<K>>::Value: Clone,
{
    let mut unique: Vec<K> = Vec::with_capacity(ids.len());
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    for id in ids {
        if seen.insert(id) {
            unique.push(id.clone());
        }
    }
    if unique.is_empty() {
        return Ok(());
    }
    let loader = loader(ctx)?;
    let found = loader.loader().load(&unique).await?;
    loader.feed_many(found).await;
    Ok(())
}

/// A slug given as an argument.
pub(crate) fn slug(field: &str, raw: &str) -> Result<Slug, ApiError> {
    Slug::parse(raw).map_err(|e| ApiError::BadUserInput(format!("{field}: {e}")))
}
