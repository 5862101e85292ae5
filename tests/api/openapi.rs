//! `openapi.json` is the contract partners generate clients from: it must be what the
//! server serves.

#[test]
fn openapi_json_matches_the_served_document() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let served = danvan_rest::openapi::json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &served).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == served,
        "openapi.json differs from the served document; run `cargo run -p danvan-server -- export-openapi` (or UPDATE_SCHEMA=1 cargo test) and commit it"
    );
}
