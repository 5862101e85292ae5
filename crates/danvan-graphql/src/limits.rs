//! Limits on a document's shape, checked once it is parsed and before it is validated or
//! run, so that a flood costs no more than reading it: aliases (one small query asking for
//! the same expensive field hundreds of times), fields and directives written (a field
//! repeated a thousand times makes validation compare every pair), and depth.
//!
//! Depth is counted apart for introspection. The query every GraphQL tool sends to load a
//! schema (graphql-js's `getIntrospectionQuery`) nests `ofType` nine times under
//! `__schema { types { fields { args { type … } } } }`, deeper than any content query
//! needs; counted together, either the tools break or content queries may nest as deep as
//! introspection. Introspection stays bounded on its own: its depth, and at most one
//! `__schema` and a few `__type` fields per document, so that it cannot be repeated under
//! aliases.

use crate::{ApiError, Limits};
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerResult, Variables};
use std::collections::HashMap;
use std::sync::Arc;

/// The most `__type` fields one document may hold; tools ask for one type at a time.
const MAX_TYPE_LOOKUPS: usize = 10;

/// Refuses documents past the shape limits of [`Limits`] (aliases, fields, directives,
/// depth, introspection depth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShapeLimits(pub Limits);

impl ExtensionFactory for ShapeLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ShapeLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        match self.check(&document) {
            Ok(()) => Ok(document),
            Err(error) => Err(error.to_server_error()),
        }
    }
}

impl ShapeLimits {
    /// Why `document` is refused, if it is: `LIMIT_EXCEEDED` past a limit, `BAD_USER_INPUT`
    /// for an integer argument wider than GraphQL's `Int`.
    pub(crate) fn check(&self, document: &ExecutableDocument) -> Result<(), ApiError> {
        let written = Written::of(document);
        if let Some(value) = written.wide_integer {
            return Err(ApiError::BadUserInput(format!(
                "{value} is not an Int: GraphQL's Int holds 32 bits"
            )));
        }
        self.within(&written, document)
            .map_err(ApiError::LimitExceeded)
    }

    /// Why `document`, which holds `written`, is past a limit, if it is.
    fn within(&self, written: &Written, document: &ExecutableDocument) -> Result<(), String> {
        let limits = &self.0;
        let over = |what: &str, found: usize, max: usize| {
            format!("the query has {found} {what}; at most {max} are allowed")
        };
        if written.aliases > limits.max_aliases {
            return Err(over("aliases", written.aliases, limits.max_aliases));
        }
        if written.fields > limits.max_fields {
            return Err(over("fields", written.fields, limits.max_fields));
        }
        if written.directives > limits.max_directives {
            return Err(over(
                "directives",
                written.directives,
                limits.max_directives,
            ));
        }
        if written.schemas > 1 || written.types > MAX_TYPE_LOOKUPS {
            return Err(format!(
                "the query asks for the schema {} times and for {} types; once and {MAX_TYPE_LOOKUPS} are allowed",
                written.schemas, written.types
            ));
        }
        let depth = Depth::of(document);
        if depth.content > limits.max_depth {
            return Err(format!(
                "the query is nested {} deep; at most {} is allowed",
                depth.content, limits.max_depth
            ));
        }
        if depth.introspection > limits.max_introspection_depth {
            return Err(format!(
                "the introspection query is nested {} deep; at most {} is allowed",
                depth.introspection, limits.max_introspection_depth
            ));
        }
        Ok(())
    }
}

/// What a document's text holds, each thing counted where it is written (a fragment spread
/// twice is counted once: these limits are on the text's size).
#[derive(Debug, Default, PartialEq, Eq)]
struct Written {
    aliases: usize,
    fields: usize,
    directives: usize,
    schemas: usize,
    types: usize,
    /// An integer written as an argument (or in a list that is one) past GraphQL's 32-bit
    /// `Int`. async-graphql checks the range only when the argument is read, so a document
    /// whose field is never reached (nested in an empty list) would be answered rather than
    /// refused; no argument of the schema takes a wider integer (`Float` is only a field of
    /// `ReportFigureInput`, whose objects are not looked into here).
    wide_integer: Option<i128>,
}

impl Written {
    fn of(document: &ExecutableDocument) -> Self {
        let mut written = Self::default();
        for (_, op) in document.operations.iter() {
            written.directives += op.node.directives.len();
            written.add(&op.node.selection_set.node);
        }
        for fragment in document.fragments.values() {
            written.directives += fragment.node.directives.len();
            written.add(&fragment.node.selection_set.node);
        }
        written
    }

    fn add(&mut self, set: &SelectionSet) {
        for item in &set.items {
            self.fields += 1;
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    self.aliases += usize::from(field.alias.is_some());
                    self.directives += field.directives.len();
                    for (_, value) in &field.arguments {
                        // A variable's value is checked where async-graphql reads variables.
                        if self.wide_integer.is_none()
                            && let Some(value) = value.node.clone().into_const()
                        {
                            self.wide_integer = wide(&value);
                        }
                    }
                    match field.name.node.as_str() {
                        "__schema" => self.schemas += 1,
                        "__type" => self.types += 1,
                        _ => {}
                    }
                    self.add(&field.selection_set.node);
                }
                Selection::InlineFragment(fragment) => {
                    self.directives += fragment.node.directives.len();
                    self.add(&fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => {
                    self.directives += spread.node.directives.len();
                }
            }
        }
    }
}

/// An integer in `value` (or in a list that `value` is) past 32 bits.
fn wide(value: &async_graphql::Value) -> Option<i128> {
    match value {
        async_graphql::Value::Number(n) => {
            let n = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))?;
            (i32::try_from(n).is_err()).then_some(n)
        }
        async_graphql::Value::List(items) => items.iter().find_map(wide),
        _ => None,
    }
}

/// How deep a document nests, with fragments spread where they are used: outside
/// introspection, and from an introspection field down.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Depth {
    content: usize,
    introspection: usize,
}

impl Depth {
    fn of(document: &ExecutableDocument) -> Self {
        let mut walk = Walk {
            document,
            known: HashMap::new(),
            open: Vec::new(),
        };
        let mut depth = Depth::default();
        for (_, op) in document.operations.iter() {
            depth = depth.max(walk.set(&op.node.selection_set.node, false));
        }
        depth
    }

    fn max(self, other: Self) -> Self {
        Self {
            content: self.content.max(other.content),
            introspection: self.introspection.max(other.introspection),
        }
    }
}

/// A walk through a document. Each fragment's depth is computed once per context (inside
/// introspection or not), so a chain of fragments each spreading the next twice costs
/// linear time; a fragment spread inside itself counts nothing more (validation refuses
/// it later).
struct Walk<'a> {
    document: &'a ExecutableDocument,
    known: HashMap<(&'a str, bool), Depth>,
    open: Vec<&'a str>,
}

impl<'a> Walk<'a> {
    fn set(&mut self, set: &'a SelectionSet, introspecting: bool) -> Depth {
        let mut depth = Depth::default();
        for item in &set.items {
            let below = match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let inside = introspecting || name == "__schema" || name == "__type";
                    let children = self.set(&field.node.selection_set.node, inside);
                    if inside {
                        Depth {
                            content: 0,
                            introspection: children.introspection + 1,
                        }
                    } else {
                        Depth {
                            content: children.content + 1,
                            introspection: children.introspection,
                        }
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.set(&fragment.node.selection_set.node, introspecting)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str(), introspecting)
                }
            };
            depth = depth.max(below);
        }
        depth
    }

    fn fragment(&mut self, name: &'a str, introspecting: bool) -> Depth {
        if let Some(depth) = self.known.get(&(name, introspecting)) {
            return *depth;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Depth::default();
        };
        if self.open.contains(&name) {
            return Depth::default();
        }
        self.open.push(name);
        let depth = self.set(&fragment.node.selection_set.node, introspecting);
        self.open.pop();
        self.known.insert((name, introspecting), depth);
        depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).expect("a query")
    }

    fn written(query: &str) -> Written {
        Written::of(&parse(query))
    }

    fn depth(query: &str) -> Depth {
        Depth::of(&parse(query))
    }

    const LIMITS: ShapeLimits = ShapeLimits(Limits {
        max_depth: 12,
        max_complexity: 1000,
        max_page_size: 100,
        persisted_queries: 1024,
        max_aliases: 30,
        max_fields: 300,
        max_directives: 50,
        max_introspection_depth: 16,
        introspection: true,
        subscriptions_per_connection: 20,
        connections_per_client: 50,
        init_timeout_secs: 10,
        keep_alive_secs: 15,
        response_cache_mb: 32,
    });

    #[test]
    fn an_integer_argument_past_32_bits_is_found_where_an_int_is_read() {
        let wide = |query: &str| written(query).wide_integer;
        assert_eq!(
            wide("{ webhooks { deliveries(first: -8400726401) { id } } }"),
            Some(-8_400_726_401)
        );
        assert_eq!(wide("{ a(ids: [1, 2147483648]) }"), Some(2_147_483_648));
        assert_eq!(wide("{ articles(first: 2147483647) { id } }"), None);
        assert!(matches!(
            LIMITS.check(&parse(
                "{ webhooks { deliveries(first: -8400726401) { id } } }"
            )),
            Err(ApiError::BadUserInput(_))
        ));
        // A `Float` inside an input object may be as large as it likes.
        assert_eq!(
            wide("mutation { createReportFigure(input: { value: 30000000000 }) { id } }"),
            None
        );
    }

    #[test]
    fn aliases_fields_and_directives_are_counted_where_they_are_written() {
        assert_eq!(written("{ sites { totalCount } }").aliases, 0);
        let two = written("{ a: sites { totalCount } b: sites { n: totalCount } }");
        assert_eq!((two.aliases, two.fields), (3, 4));
        let fragments = written(
            "query Q @a { node(id: \"x\") { ... on Site @b { x: name } ...F @c } } fragment F on Site @d { y: slug @e @f }",
        );
        assert_eq!(fragments.aliases, 2);
        assert_eq!(fragments.fields, 5);
        assert_eq!(fragments.directives, 6);
    }

    #[test]
    fn content_depth_follows_fragments_and_leaves_introspection_apart() {
        assert_eq!(depth("{ sites { totalCount } }").content, 2);
        let spread = depth(
            "{ articles { ...A } } fragment A on ArticleConnection { edges { node { site { name } } } }",
        );
        assert_eq!(spread.content, 5);
        let mixed =
            depth("{ __schema { types { ofType { ofType { name } } } } sites { __typename } }");
        assert_eq!(
            mixed,
            Depth {
                content: 2,
                introspection: 5
            }
        );
    }

    #[test]
    fn a_fragment_spread_inside_itself_or_doubled_in_a_chain_ends() {
        assert_eq!(
            depth("{ ...A } fragment A on Query { ...A sites { totalCount } }").content,
            2
        );
        let mut chain = String::from("{ ...F0 }");
        for i in 0..60 {
            chain.push_str(&format!(
                " fragment F{i} on Query {{ ...F{} ...F{} }}",
                i + 1,
                i + 1
            ));
        }
        chain.push_str(" fragment F60 on Query { sites { totalCount } }");
        assert_eq!(depth(&chain).content, 2);
    }

    #[test]
    fn the_introspection_query_of_graphql_js_fits_and_deeper_or_repeated_ones_do_not() {
        for file in [
            "graphql-js-default",
            "graphql-js-no-descriptions",
            "graphql-js-every-option",
        ] {
            let path = format!(
                "{}/../../tests/fixtures/introspection/{file}.graphql",
                env!("CARGO_MANIFEST_DIR")
            );
            let query = std::fs::read_to_string(&path).expect("the fixture");
            assert_eq!(LIMITS.check(&parse(&query)), Ok(()), "{file}");
        }
        let mut deep = String::from("{ __type(name: \"Article\") { name ");
        for _ in 0..20 {
            deep.push_str("ofType { name ");
        }
        deep.push_str(&"}".repeat(22));
        assert!(LIMITS.check(&parse(&deep)).is_err());
        let twice = "{ a: __schema { queryType { name } } b: __schema { queryType { name } } }";
        assert!(LIMITS.check(&parse(twice)).is_err());
    }

    #[test]
    fn a_field_repeated_a_thousand_times_or_a_thousand_directives_are_refused() {
        let repeated = format!("{{ {} }}", "__typename ".repeat(1000));
        assert!(LIMITS.check(&parse(&repeated)).is_err());
        let directives = format!("{{ __typename {} }}", "@include(if: true) ".repeat(1000));
        assert!(LIMITS.check(&parse(&directives)).is_err());
    }
}
