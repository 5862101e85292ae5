//! Introspection as the standard tools send it, and the floods that stay refused.

use crate::helpers::{TestApp, error_code};
use danvan_testing::TestDatabase;
use serde_json::{Value, json};

/// The introspection queries of `tests/fixtures/introspection/`: graphql-js's
/// `getIntrospectionQuery()` by default, without descriptions, and with every option.
fn standard_queries() -> Vec<(String, String)> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/introspection");
    let mut queries: Vec<(String, String)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    queries.sort();
    assert_eq!(queries.len(), 3);
    queries
}

async fn the_standard_introspection_queries_load_the_schema(t: TestDatabase) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    for (name, query) in standard_queries() {
        let body = app.graphql(&query, json!({})).await;
        assert!(body.get("errors").is_none(), "{name}: {}", body["errors"]);
        let types = body["data"]["__schema"]["types"].as_array().unwrap();
        let article = types.iter().find(|t| t["name"] == "Article").unwrap();
        assert!(article["fields"].as_array().unwrap().len() > 10, "{name}");
        assert_eq!(
            body["data"]["__schema"]["queryType"]["name"], "Query",
            "{name}"
        );
    }
    app.stop().await;
    t
}

async fn introspection_deeper_or_repeated_than_any_tool_sends_is_refused(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let deep = format!(
        "{{ __type(name: \"Article\") {{ name {} }} }}",
        "ofType { name ".repeat(20) + &"}".repeat(20)
    );
    assert_eq!(
        error_code(&app.graphql(&deep, json!({})).await),
        "LIMIT_EXCEEDED"
    );
    let aliased = "{ a: __schema { types { name } } b: __schema { types { name } } c: __schema { types { name } } }";
    assert_eq!(
        error_code(&app.graphql(aliased, json!({})).await),
        "LIMIT_EXCEEDED"
    );
    app.stop().await;
    t
}

async fn a_thousand_fields_or_directives_are_refused_before_they_run(
    t: TestDatabase,
) -> TestDatabase {
    let app = TestApp::start_empty(&t).await;
    let repeated = format!("{{ {} }}", "__typename ".repeat(1000));
    let body = app.graphql(&repeated, json!({})).await;
    assert_eq!(error_code(&body), "LIMIT_EXCEEDED", "{body}");
    assert!(body["data"].is_null());
    let directives = format!("{{ __typename {} }}", "@include(if: true) ".repeat(1000));
    assert_eq!(
        error_code(&app.graphql(&directives, json!({})).await),
        "LIMIT_EXCEEDED"
    );
    app.stop().await;
    t
}

async fn introspection_can_be_turned_off(t: TestDatabase) -> TestDatabase {
    let mut settings = danvan_server::Settings::default();
    settings.graphql.introspection = false;
    let app = TestApp::start_with(&t, &settings).await;
    let body: Value = app
        .graphql("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let typename = app.graphql("{ __typename }", json!({})).await;
    assert_eq!(typename["data"]["__typename"], "Query");
    app.stop().await;
    t
}

danvan_testing::on_both_backends!(
    the_standard_introspection_queries_load_the_schema,
    introspection_deeper_or_repeated_than_any_tool_sends_is_refused,
    a_thousand_fields_or_directives_are_refused_before_they_run,
    introspection_can_be_turned_off,
);
