//! Running a request, so that every error in the response carries a stable code.

use crate::{DanvanSchema, code};
use async_graphql::{Request, Response, ServerError, Value};

/// The message async-graphql gives when a query passes the complexity limit (the others are
/// `limits::ShapeLimits`'). A test below triggers it, so that a library upgrade that rewords
/// it is caught.
const LIMIT_MESSAGE: &str = "Query is too complex.";

/// What the persisted-queries extension says when it does not know a hash yet.
const PERSISTED_QUERY_NOT_FOUND: &str = "PersistedQueryNotFound";

/// Executes `request` and gives a code to the errors that come without one: the limits'
/// errors are `LIMIT_EXCEEDED`; parse and validation errors, the only others async-graphql
/// raises itself, are the client's `BAD_USER_INPUT`. Errors of our resolvers keep theirs.
pub(crate) async fn execute(schema: &DanvanSchema, request: Request) -> Response {
    let mut response = schema.execute(request).await;
    ensure_codes(&mut response);
    response
}

/// Gives a code to the errors of `response` that come without one (see [`execute`]).
pub(crate) fn ensure_codes(response: &mut Response) {
    for error in &mut response.errors {
        ensure_code(error);
    }
}

/// Whether a request is a query, which only reads, so that it may run on a pool of its own.
/// The document is parsed here once and kept in the request, which executing reuses. A
/// request that does not parse, or names no operation it holds, runs where writes do, and
/// fails there as it would anywhere.
pub(crate) fn only_reads(request: &mut Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name.as_str()),
        // A named operation alone in its document may be run without naming it.
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    operation.is_some_and(|o| o.node.ty == OperationType::Query)
}

fn ensure_code(error: &mut ServerError) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_some() {
        return;
    }
    let code = if error.message == LIMIT_MESSAGE {
        code::LIMIT_EXCEEDED
    } else if error.message == PERSISTED_QUERY_NOT_FOUND {
        // The code Apollo clients look for before sending the whole query.
        "PERSISTED_QUERY_NOT_FOUND"
    } else {
        code::BAD_USER_INPUT
    };
    extensions.set("code", Value::from(code));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, builder};

    fn code_of(response: &Response) -> String {
        let ext = response.errors[0].extensions.as_ref().expect("extensions");
        ext.get("code").map(ToString::to_string).unwrap_or_default()
    }

    fn schema(limits: Limits) -> DanvanSchema {
        builder().limit_complexity(limits.max_complexity).finish()
    }

    #[tokio::test]
    async fn limit_errors_are_limit_exceeded() {
        let query = "{ articles { edges { node { site { name } } } } }";
        let complex = schema(Limits {
            max_complexity: 3,
            ..Limits::default()
        });
        let response = execute(&complex, Request::new(query)).await;
        assert_eq!(code_of(&response), "\"LIMIT_EXCEEDED\"");
    }

    #[tokio::test]
    async fn parse_and_validation_errors_are_bad_user_input() {
        let schema = schema(Limits::default());
        let response = execute(&schema, Request::new("{ articles {")).await;
        assert_eq!(code_of(&response), "\"BAD_USER_INPUT\"");
        let response = execute(&schema, Request::new("{ noSuchField }")).await;
        assert_eq!(code_of(&response), "\"BAD_USER_INPUT\"");
    }
}
