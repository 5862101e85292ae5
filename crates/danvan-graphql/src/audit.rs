//! The audit log: every mutation, who asked for it, with what arguments (secrets left
//! out), how it ended and from where, written by one extension so that no resolver can
//! forget it; and the query admins read it with.

use crate::ApiError;
use crate::connection::{List, Paging, list};
use crate::context::{Caller, authorize, caller, db};
use crate::id;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextResolve, ResolveInfo,
};
use async_graphql::{
    Context, ID, InputObject, Object, Request, Result, ServerResult, SimpleObject, Value, Variables,
};
use chrono::{DateTime, FixedOffset};
use danvan_auth::Action;
use danvan_domain::AccountId;
use danvan_store::DatabaseConnection;
use danvan_store::audit::{AuditEntry as StoredEntry, AuditFilter, NewEntry};
use danvan_text::time::to_vietnam;
use std::sync::{Arc, Mutex};

/// Mutations not written to the log: counting a reader's view is not an act of anyone's
/// that the log is for, and must cost almost nothing.
const UNLOGGED: [&str; 1] = ["countView"];

/// Arguments never written to the log.
const SECRETS: [&str; 3] = ["password", "refreshToken", "key"];

/// Writes an audit entry for each top-level field of each mutation.
pub(crate) struct AuditLog;

impl ExtensionFactory for AuditLog {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AuditRequest::default())
    }
}

/// One request's part of the log: the variables, kept to resolve the arguments.
#[derive(Default)]
struct AuditRequest {
    variables: Mutex<Variables>,
}

/// The arguments as JSON, variables resolved, secrets replaced.
fn arguments(info: &ResolveInfo<'_>, variables: &Variables) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (name, value) in &info.field.arguments {
        let name = name.node.as_str();
        let value = if SECRETS.contains(&name) {
            serde_json::Value::String("[secret]".into())
        } else {
            value
                .node
                .clone()
                .into_const_with(|var| variables.get(&var).cloned().ok_or(()))
                .ok()
                .and_then(|v| v.into_json().ok())
                .unwrap_or(serde_json::Value::Null)
        };
        map.insert(name.to_owned(), value);
    }
    serde_json::Value::Object(map)
}

/// What a mutation was about: its `id` argument, or else the `id` of what it returned.
fn target(arguments: &serde_json::Value, result: Option<&Value>) -> Option<String> {
    if let Some(id) = arguments.get("id").and_then(|v| v.as_str()) {
        return Some(id.to_owned());
    }
    match result {
        Some(Value::Object(fields)) => match fields.get("id") {
            Some(Value::String(id)) => Some(id.clone()),
            _ => None,
        },
        _ => None,
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for AuditRequest {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Ok(mut variables) = self.variables.lock() {
            *variables = request.variables.clone();
        }
        next.run(ctx, request).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let top_level_mutation = info.path_node.parent.is_none() && info.parent_type == "Mutation";
        if !top_level_mutation || UNLOGGED.contains(&info.name) {
            return next.run(ctx, info).await;
        }
        let operation = info.name.to_owned();
        let args = match self.variables.lock() {
            Ok(variables) => arguments(&info, &variables),
            Err(_) => serde_json::Value::Null,
        };
        let result = next.run(ctx, info).await;
        let outcome = match &result {
            Ok(_) => "ok".to_owned(),
            Err(error) => error
                .extensions
                .as_ref()
                .and_then(|e| e.get("code"))
                .map_or_else(
                    || crate::code::INTERNAL.to_owned(),
                    |code| match code {
                        Value::String(code) => code.clone(),
                        other => other.to_string(),
                    },
                ),
        };
        let caller = ctx.data::<Caller>().ok().cloned().unwrap_or_default();
        let entry = NewEntry {
            actor: caller.principal.actor(),
            account_id: caller.principal.account().map(|a| a.id),
            target: target(&args, result.as_ref().ok().and_then(Option::as_ref)),
            operation,
            outcome,
            detail: args,
            client: caller.client,
            request_id: caller.request_id,
        };
        if let Ok(db) = ctx.data::<DatabaseConnection>()
            && let Err(error) = danvan_store::audit::record_entry(db, entry).await
        {
            // The change itself is done; losing its log line must be loud, not fatal.
            tracing::error!(?error, "cannot write the audit log");
        }
        result
    }
}

/// One entry of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// When, in Vietnam time.
    at: DateTime<FixedOffset>,
    /// Who: "account:3", "api_key:1" or "public".
    actor: String,
    /// The mutation: "publishArticle".
    operation: String,
    /// What it was about: a global id, when it names one thing.
    target: Option<String>,
    /// "ok", or the error code the caller got.
    outcome: String,
    /// The arguments, secrets left out.
    arguments: async_graphql::Json<serde_json::Value>,
    /// The caller's address.
    client: Option<String>,
    /// The request id, to find the request in the server log.
    request_id: Option<String>,
}

impl From<StoredEntry> for AuditEntry {
    fn from(stored: StoredEntry) -> Self {
        let e = stored.entry;
        Self {
            at: to_vietnam(stored.at),
            actor: e.actor,
            operation: e.operation,
            target: e.target,
            outcome: e.outcome,
            arguments: async_graphql::Json(e.detail),
            client: e.client,
            request_id: e.request_id,
        }
    }
}

/// Which entries to list.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// What this account did.
    account: Option<ID>,
    /// Only this mutation: "publishArticle".
    operation: Option<String>,
    /// Only entries about this global id.
    target: Option<String>,
    /// At or after.
    from: Option<DateTime<FixedOffset>>,
    /// Before.
    before: Option<DateTime<FixedOffset>>,
}

/// The audit queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, the newest first (admins only).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entries.")] filter: Option<AuditLogFilter>,
        #[graphql(desc = "Items after `after`, 1 to 100 (20 by default).")] first: Option<i32>,
        #[graphql(desc = "A cursor to continue after.")] after: Option<String>,
    ) -> Result<List<AuditEntry>> {
        // Checked before the input is read, so that a caller who may not read the log
        // learns nothing of what it would have refused; the use case checks again.
        authorize(ctx, Action::Administer)?;
        let filter = filter.unwrap_or_default();
        let filter = AuditFilter {
            account_id: match &filter.account {
                Some(id) => Some(AccountId(id::decode(id::ACCOUNT, id)?)),
                None => None,
            },
            operation: filter.operation,
            target: filter.target,
            from: filter.from.map(|t| t.to_utc()),
            before: filter.before.map(|t| t.to_utc()),
        };
        let request = Paging::forward(first, after).request(ctx)?;
        let page = danvan_service::audit::log(db(ctx)?, caller(ctx), &filter, &request)
            .await
            .map_err(ApiError::from)?;
        Ok(list(
            page,
            &request,
            move |db| async move { danvan_store::audit::count(&db, &filter).await },
            AuditEntry::from,
        ))
    }
}
