//! The database goes away and comes back: requests fail at once with 503
//! `SERVICE_UNAVAILABLE` in each door's own shape, readiness says so while liveness does
//! not, nothing hangs, and everything answers again once the database is back, with no
//! restart. On a PostgreSQL server of the test's own, stopped and started under it.

use crate::clusters::Clusters;
use crate::helpers::{PASSWORD, TestApp, account};
use danvan_domain::account::Role;
use danvan_server::Settings;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const LIST: &str = "/api/v1/articles?site=dan-van-lam-son&limit=5";
const TITLES: &str = "{ articles(first: 5) { edges { node { title } } } }";
const CREATE: &str = "mutation { createArticle(site: \"dan-van-lam-son\", input: { title: \"Hội nghị đối thoại với Nhân dân\", body: \"<p>Nội dung.</p>\" }) { id } }";

/// A request, bounded: one that hangs fails the test rather than the run.
async fn bounded<T>(what: &str, request: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), request)
        .await
        .unwrap_or_else(|_| panic!("{what} hung"))
}

#[tokio::test]
async fn the_database_going_away_is_503_and_coming_back_needs_no_restart() {
    let Some(mut clusters) = Clusters::or_skip() else {
        return;
    };
    clusters.primary("db").unwrap();
    let admin = danvan_store::connect(&clusters.url("db", "postgres"))
        .await
        .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&admin, "CREATE DATABASE danvan")
        .await
        .unwrap();
    admin.close().await.unwrap();
    let url = clusters.url("db", "danvan");
    let db = danvan_store::connect(&url).await.unwrap();
    danvan_store::migrate(&db).await.unwrap();
    danvan_server::demo::load(&db).await.unwrap();
    account(&db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;
    db.close().await.unwrap();

    let mut settings = Settings {
        database_url: url.clone(),
        demo: Some(false),
        ..Settings::default()
    };
    settings.database.wait_ms = 1000;
    // Every answer from the database: nothing kept, nothing trusted.
    settings.graphql.response_cache_mb = 0;
    settings.api.response_cache_mb = 0;
    settings.api.validator_max_age_ms = 0;
    let app = TestApp::start_prepared(&settings).await;
    let editor = app.login("bientap", PASSWORD).await.0;
    assert_eq!(app.get(LIST).await.status(), 200);

    clusters.stop("db").unwrap();
    // The JSON API: a problem, with when to try again.
    let listed = bounded("the JSON API", app.get(LIST)).await;
    assert_eq!(listed.status(), 503);
    assert_eq!(listed.headers()["retry-after"], "5");
    let problem: Value = listed.json().await.unwrap();
    assert_eq!(problem["code"], "SERVICE_UNAVAILABLE", "{problem}");
    // GraphQL: its own errors, 503 too.
    let query = bounded(
        "a GraphQL query",
        app.client
            .post(app.url("/graphql"))
            .json(&json!({ "query": TITLES }))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(query.status(), 503);
    let body: Value = query.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["retryAfter"], 5, "{body}");
    let write = bounded("a mutation", app.graphql_as(&editor, CREATE, json!({}))).await;
    assert_eq!(
        write["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
        "{write}"
    );
    assert!(
        !body.to_string().contains("onnection"),
        "no driver detail: {body}"
    );
    // Not ready, yet alive.
    assert_eq!(bounded("/readyz", app.get("/readyz")).await.status(), 503);
    assert_eq!(bounded("/healthz", app.get("/healthz")).await.status(), 200);

    // Back: every door answers again, without a restart.
    clusters.start("db").unwrap();
    let back = Instant::now();
    let mut answered = false;
    while back.elapsed() < Duration::from_secs(30) {
        if app.get(LIST).await.status() == 200 && app.get("/readyz").await.status() == 200 {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered, "nothing answered once the database was back");
    eprintln!(
        "answering again {:?} after the database was back",
        back.elapsed()
    );
    let titles = app.graphql(TITLES, json!({})).await;
    assert!(titles["errors"].is_null(), "{titles}");
    let written = app.graphql_as(&editor, CREATE, json!({})).await;
    assert!(written["errors"].is_null(), "{written}");

    // A connection cut under the server (pg_terminate_backend): the next requests are
    // answered, at worst 503 while the pool finds out, never 500.
    let admin = danvan_store::connect(&clusters.url("db", "postgres"))
        .await
        .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &admin,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'danvan'",
    )
    .await
    .unwrap();
    let mut ok = 0;
    for _ in 0..10 {
        let status = app.get(LIST).await.status();
        assert!(status == 200 || status == 503, "{status}");
        ok += usize::from(status == 200);
    }
    assert!(ok > 0, "no answer after the connections were cut");
    admin.close().await.unwrap();
    app.stop().await;
}

/// A SQLite file whose write lock another process holds (an import, say): readers are not
/// held up; a write waits `database.wait_ms` for the lock and is then refused with 503
/// `SERVICE_UNAVAILABLE`, writing nothing, and goes through once the lock is let go.
#[tokio::test]
async fn a_sqlite_file_locked_by_another_writer_is_503_then_written() {
    let t = danvan_testing::TestDatabase::sqlite().await;
    danvan_server::demo::load(&t.db).await.unwrap();
    account(&t.db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;
    let mut settings = Settings {
        database_url: t.url.clone(),
        demo: Some(false),
        ..Settings::default()
    };
    settings.database.wait_ms = 500;
    settings.api.response_cache_mb = 0;
    let app = TestApp::start_prepared(&settings).await;
    let editor = app.login("bientap", PASSWORD).await.0;

    let drafts = || async {
        let answer = app
            .graphql_as(
                &editor,
                "{ newsroomArticles(site: \"dan-van-lam-son\", status: DRAFT) { totalCount } }",
                json!({}),
            )
            .await;
        answer["data"]["newsroomArticles"]["totalCount"]
            .as_i64()
            .unwrap_or_else(|| panic!("{answer}"))
    };
    let before = drafts().await;

    // Another process takes the write lock and keeps it.
    let other = danvan_store::connect(&t.url).await.unwrap();
    let held = danvan_store::TransactionTrait::begin(&other).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&held, "UPDATE site SET name = name")
        .await
        .unwrap();

    let refused = bounded("a write", app.graphql_as(&editor, CREATE, json!({}))).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
        "{refused}"
    );
    assert_eq!(
        bounded("a read", app.get(LIST)).await.status(),
        200,
        "readers go on"
    );

    held.rollback().await.unwrap();
    let written = app.graphql_as(&editor, CREATE, json!({})).await;
    assert!(written["errors"].is_null(), "{written}");
    assert_eq!(drafts().await, before + 1, "the refused write left nothing");
    other.close().await.unwrap();
    app.stop().await;
    t.drop_database().await;
}
