//! What a request sent with GET may run: queries only. GET must be safe to repeat, to
//! prefetch and to cache, and a browser sends it cross-site without asking, so a mutation
//! there is refused. Decided on the parsed operation that would run (after a persisted
//! query's text is found, with the operation picked as execution picks it), never on the
//! request's text: `mutation Named { … }` alone in a document runs without an operation name.

use crate::ApiError;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{ServerResult, Variables};
use std::sync::Arc;

/// Request data marking a request that came by a safe method, with the operation it names.
#[derive(Debug, Clone)]
pub(crate) struct SafeMethod {
    /// The request's `operationName`.
    pub operation_name: Option<String>,
}

impl SafeMethod {
    /// `request`, marked as come by a safe method.
    pub(crate) fn mark(request: async_graphql::Request) -> async_graphql::Request {
        let operation_name = request.operation_name.clone();
        request.data(Self { operation_name })
    }
}

/// Refuses a mutation or subscription in a request marked [`SafeMethod`].
pub(crate) struct QueriesOnlyOverGet;

impl ExtensionFactory for QueriesOnlyOverGet {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueriesOnlyOverGet)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for QueriesOnlyOverGet {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let Some(safe) = ctx.data_opt::<SafeMethod>() else {
            return Ok(document);
        };
        match operation_type(&document, safe.operation_name.as_deref()) {
            Some(OperationType::Mutation | OperationType::Subscription) => Err(
                ApiError::MethodNotAllowed("a mutation must be sent with POST".into())
                    .to_server_error(),
            ),
            _ => Ok(document),
        }
    }
}

/// The type of the operation execution would run: the one named, else the only one.
fn operation_type(document: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(query: &str, name: Option<&str>) -> Option<OperationType> {
        operation_type(
            &async_graphql::parser::parse_query(query).expect("a query"),
            name,
        )
    }

    #[test]
    fn the_operation_that_would_run_is_the_one_told_apart() {
        assert_eq!(
            ty("{ sites { totalCount } }", None),
            Some(OperationType::Query)
        );
        assert_eq!(
            ty("mutation { publish }", None),
            Some(OperationType::Mutation)
        );
        let sneaky = "mutation Sneaky { createArticle }";
        assert_eq!(ty(sneaky, None), Some(OperationType::Mutation));
        let named = "query Read { sites { totalCount } } mutation Write { publish }";
        assert_eq!(ty(named, Some("Write")), Some(OperationType::Mutation));
        assert_eq!(ty(named, Some("Read")), Some(OperationType::Query));
        assert_eq!(ty(named, None), None);
        assert_eq!(
            ty("subscription S { changes }", None),
            Some(OperationType::Subscription)
        );
    }
}
