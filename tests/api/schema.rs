//! `schema.graphql` is the contract front ends code against: it must be what the server serves.

#[test]
fn schema_graphql_matches_the_served_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let served = danvan_graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &served).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == served,
        "schema.graphql differs from the served schema; run `cargo run -p danvan-server -- export-schema` (or UPDATE_SCHEMA=1 cargo test) and commit it"
    );
}
