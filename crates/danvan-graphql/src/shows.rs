//! What a query's answer shows, noted while it runs, so that the answer can be kept and
//! purged when something it shows changes (see `danvan_service::answers`).
//!
//! Read from the schema's types as the fields resolve, not from the answer's text: a field
//! whose type is a concept (`Article`, `Organisation`, …) shows that record, known by the
//! `id` the query selected, or, without one, some record of the concept; a list or a
//! connection of a concept shows the concept (any of its records may join or leave it).
//! Fields of other types belong to the record they hang from. A top-level field of no
//! concept (a search, a count over concepts, introspection) shows everything. A mutation
//! anywhere, or an error, keeps the answer from being kept.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerResult, Value};
use danvan_service::answers::Shows;
use danvan_store::change::Concept;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// What one request's answer shows, as its fields resolve: put in the request's data to
/// have it noted.
#[derive(Clone, Default)]
pub struct Seen(Arc<Mutex<Noted>>);

#[derive(Default)]
struct Noted {
    shows: HashSet<Shows>,
    /// A top-level field of another root than `Query` ran.
    wrote: bool,
}

impl Seen {
    /// What the answer `response` shows, fewest first; `None` when it may not be kept.
    pub fn finish(&self, response: &async_graphql::Response) -> Option<Vec<Shows>> {
        if !response.errors.is_empty() {
            return None;
        }
        let noted = self.0.lock().ok()?;
        if noted.wrote || noted.shows.is_empty() {
            return None;
        }
        Some(fewest(&noted.shows))
    }

    fn note(&self, field: Field<'_>, value: Option<&Value>) {
        let root = field.root;
        let (named, list) = named_type(field.return_type);
        let shown = match (concept_of_type(named), value) {
            (Some(concept), _) if list || named.ends_with("Connection") => {
                Some(Shows::Concept(concept))
            }
            (Some(concept), value) => Some(record(value).unwrap_or(Shows::Concept(concept))),
            // An interface or a union of concepts (`node`, a search hit's `node`).
            (None, Some(value @ Value::Object(_))) if !list && is_abstract(named) => {
                Some(record(Some(value)).unwrap_or(Shows::Everything))
            }
            (None, _) if root => Some(Shows::Everything),
            (None, _) => None,
        };
        if !root && shown.is_none() {
            return;
        }
        let Ok(mut noted) = self.0.lock() else {
            return;
        };
        if root && field.parent_type != "Query" {
            noted.wrote = true;
        }
        if let Some(shown) = shown {
            noted.shows.insert(shown);
        }
    }
}

/// The key a public request's answer is kept under: its query (the SHA-256 of its text, or
/// the persisted query's hash, which is the same), the operation it names and its
/// variables. `None` for a request that names no query.
pub fn key_of(request: &async_graphql::Request) -> Option<[u8; 32]> {
    use sha2::{Digest, Sha256};
    let query = if request.query.is_empty() {
        let persisted = request.extensions.get("persistedQuery")?;
        let async_graphql::Value::Object(fields) = persisted else {
            return None;
        };
        match fields.get("sha256Hash") {
            Some(async_graphql::Value::String(hash)) => hash.to_ascii_lowercase(),
            _ => return None,
        }
    } else {
        Sha256::digest(request.query.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let variables = serde_json::to_vec(&request.variables).ok()?;
    let mut key = Sha256::new();
    for part in [
        query.as_bytes(),
        request
            .operation_name
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
        &variables,
    ] {
        key.update((part.len() as u64).to_le_bytes());
        key.update(part);
    }
    Some(key.finalize().into())
}

/// What is noted of a field.
struct Field<'a> {
    /// A top-level field.
    root: bool,
    return_type: &'a str,
    parent_type: &'a str,
}

/// The record an object shows, by the global `id` selected in it.
fn record(value: Option<&Value>) -> Option<Shows> {
    let Some(Value::Object(fields)) = value else {
        return None;
    };
    let Some(Value::String(id)) = fields.get("id") else {
        return None;
    };
    let (kind, raw) = danvan_service::id::decode_any(id).ok()?;
    Some(Shows::Record(danvan_service::id::concept_of(&kind)?, raw))
}

/// The concept a type (or the connection of one) is.
fn concept_of_type(named: &str) -> Option<Concept> {
    let kind = named.strip_suffix("Connection").unwrap_or(named);
    danvan_service::id::concept_of(kind)
}

/// The interfaces and unions whose members are concepts.
fn is_abstract(named: &str) -> bool {
    matches!(named, "Node" | "SearchNode")
}

/// The named type of a field's type (`[Article!]!` → `Article`), and whether it is a list.
fn named_type(ty: &str) -> (&str, bool) {
    (
        ty.trim_matches(|c| matches!(c, '[' | ']' | '!')),
        ty.starts_with('['),
    )
}

/// The fewest things that say the same: a concept shown makes its records redundant, and
/// everything makes the rest redundant.
fn fewest(shows: &HashSet<Shows>) -> Vec<Shows> {
    if shows.contains(&Shows::Everything) {
        return vec![Shows::Everything];
    }
    let mut fewest: Vec<Shows> = shows
        .iter()
        .filter(|s| match s {
            Shows::Record(concept, _) => !shows.contains(&Shows::Concept(*concept)),
            _ => true,
        })
        .copied()
        .collect();
    fewest.sort_by_key(|s| s.key());
    fewest
}

/// The extension that notes what an answer shows, for the requests that carry a [`Seen`].
pub(crate) struct NoteShown;

impl ExtensionFactory for NoteShown {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NoteShown)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for NoteShown {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let Some(seen) = ctx.data_opt::<Seen>().cloned() else {
            return next.run(ctx, info).await;
        };
        let field = Field {
            root: info.path_node.parent.is_none(),
            return_type: info.return_type,
            parent_type: info.parent_type,
        };
        let value = next.run(ctx, info).await?;
        seen.note(field, value.as_ref());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persisted_query_s_key_is_its_text_s() {
        let text = "{ articles(first: 20) { edges { node { id title } } } }";
        let hash: String = {
            use sha2::{Digest, Sha256};
            Sha256::digest(text)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        let sent: async_graphql::Request = serde_json::from_value(serde_json::json!({
            "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } }
        }))
        .unwrap();
        let whole = async_graphql::Request::new(text);
        assert_eq!(key_of(&sent), key_of(&whole));
        let other = async_graphql::Request::new(text).variables(
            async_graphql::Variables::from_json(serde_json::json!({ "a": 1 })),
        );
        assert_ne!(key_of(&other), key_of(&whole));
    }

    #[test]
    fn a_field_s_type_names_its_concept() {
        assert_eq!(named_type("[Article!]!"), ("Article", true));
        assert_eq!(named_type("Site!"), ("Site", false));
        assert_eq!(concept_of_type("ArticleConnection"), Some(Concept::Article));
        assert_eq!(concept_of_type("DvkModel"), Some(Concept::DvkModel));
        assert_eq!(concept_of_type("PageInfo"), None);
        assert_eq!(concept_of_type("Image"), None);
    }

    #[test]
    fn what_a_concept_says_its_records_need_not() {
        let shows: HashSet<Shows> = [
            Shows::Concept(Concept::Article),
            Shows::Record(Concept::Article, 3),
            Shows::Record(Concept::Site, 1),
        ]
        .into();
        assert_eq!(
            fewest(&shows),
            vec![
                Shows::Concept(Concept::Article),
                Shows::Record(Concept::Site, 1)
            ]
        );
        let everything: HashSet<Shows> = [Shows::Everything, Shows::Record(Concept::Tag, 2)].into();
        assert_eq!(fewest(&everything), vec![Shows::Everything]);
    }
}
