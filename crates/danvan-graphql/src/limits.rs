//! Limits that async-graphql does not apply itself: the number of aliases, which would
//! otherwise let one small query ask for the same expensive field hundreds of times.

use crate::code;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ErrorExtensionValues, ServerError, ServerResult, Value, Variables};
use std::sync::Arc;

/// Refuses documents with more than `max` aliased fields.
pub(crate) struct AliasLimit {
    pub max: usize,
}

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimitExtension { max: self.max })
    }
}

struct AliasLimitExtension {
    max: usize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for AliasLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = count_aliases(&document);
        if aliases > self.max {
            let mut error = ServerError::new(
                format!(
                    "the query has {aliases} aliases; at most {} are allowed",
                    self.max
                ),
                None,
            );
            let mut extensions = ErrorExtensionValues::default();
            extensions.set("code", Value::from(code::LIMIT_EXCEEDED));
            error.extensions = Some(extensions);
            return Err(error);
        }
        Ok(document)
    }
}

/// Aliased fields in every operation and fragment of a document, each counted where it is
/// written (a fragment spread twice is counted once: the limit is on the text's size).
fn count_aliases(document: &ExecutableDocument) -> usize {
    let operations: usize = match &document.operations {
        DocumentOperations::Single(op) => in_set(&op.node.selection_set.node),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| in_set(&op.node.selection_set.node))
            .sum(),
    };
    let fragments: usize = document
        .fragments
        .values()
        .map(|f| in_set(&f.node.selection_set.node))
        .sum();
    operations + fragments
}

fn in_set(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some()) + in_set(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(query: &str) -> usize {
        count_aliases(&async_graphql::parser::parse_query(query).expect("a query"))
    }

    #[test]
    fn aliases_are_counted_in_operations_inline_fragments_and_fragments() {
        assert_eq!(aliases("{ sites { totalCount } }"), 0);
        assert_eq!(
            aliases("{ a: sites { totalCount } b: sites { n: totalCount } }"),
            3
        );
        assert_eq!(
            aliases(
                "{ node(id: \"x\") { ... on Site { x: name } ...F } } fragment F on Site { y: slug }"
            ),
            2
        );
    }
}
