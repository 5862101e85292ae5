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

/// A PostgreSQL server of the test's own, `db`, holding the demo data in `danvan` and an
/// editor `bientap`; the database's URL.
async fn prepared(clusters: &mut Clusters) -> String {
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
    url
}

/// Settings that serve `url` with every answer from the database, waiting at most a second
/// for a connection.
fn uncached(url: &str) -> Settings {
    let mut settings = Settings {
        database_url: url.to_owned(),
        demo: Some(false),
        ..Settings::default()
    };
    settings.database.wait_ms = 1000;
    settings.graphql.response_cache_mb = 0;
    settings.api.response_cache_mb = 0;
    settings.api.validator_max_age_ms = 0;
    settings
}

#[tokio::test]
async fn the_database_going_away_is_503_and_coming_back_needs_no_restart() {
    let Some(mut clusters) = Clusters::or_skip() else {
        return;
    };
    let url = prepared(&mut clusters).await;
    let app = TestApp::start_prepared(&uncached(&url)).await;
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

/// PostgreSQL restarted while writes are inside their transactions: each write fails with
/// 503 `SERVICE_UNAVAILABLE` and leaves nothing of itself, and the same write sent again
/// once PostgreSQL is back is written, once.
#[tokio::test]
async fn a_restart_mid_transaction_fails_writes_cleanly_and_a_retry_writes_them_once() {
    let Some(mut clusters) = Clusters::or_skip() else {
        return;
    };
    let url = prepared(&mut clusters).await;
    let app = TestApp::start_prepared(&uncached(&url)).await;
    let editor = app.login("bientap", PASSWORD).await.0;
    const WRITE: &str = "mutation($title: String!) { createArticle(site: \"dan-van-lam-son\", input: { title: $title, body: \"<p>Nội dung.</p>\" }) { id } }";
    let titles: Vec<String> = (1..=5)
        .map(|i| format!("Hội nghị tiếp xúc cử tri lần {i} tại xã Gia Hưng"))
        .collect();

    // Another session holds the search index against writers: each article's transaction
    // writes its row, then waits at its search document, half done.
    let other = danvan_store::connect(&url).await.unwrap();
    let held = danvan_store::TransactionTrait::begin(&other).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&held, "LOCK TABLE search_doc IN EXCLUSIVE MODE")
        .await
        .unwrap();
    let writes: Vec<_> = titles
        .iter()
        .map(|title| {
            let (client, graphql) = (app.client.clone(), app.url("/graphql"));
            let (editor, title) = (editor.clone(), title.clone());
            tokio::spawn(async move {
                client
                    .post(graphql)
                    .bearer_auth(editor)
                    .json(&json!({ "query": WRITE, "variables": { "title": title } }))
                    .send()
                    .await
                    .unwrap()
                    .json::<Value>()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let waiting = || async {
        let sql = "SELECT COUNT(*) AS n FROM pg_stat_activity \
                   WHERE datname = 'danvan' AND wait_event_type = 'Lock'";
        let row = sea_orm::ConnectionTrait::query_one_raw(
            &other,
            sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, sql),
        )
        .await
        .unwrap()
        .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    let began = Instant::now();
    while waiting().await < 5 {
        assert!(
            began.elapsed() < Duration::from_secs(20),
            "the writes never began"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // PostgreSQL goes down at once (as a crash would) and comes back.
    clusters.stop("db").unwrap();
    for write in writes {
        let answer = bounded("a write", write).await.unwrap();
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
            "{answer}"
        );
    }
    clusters.start("db").unwrap();
    drop(held);
    drop(other);
    for title in &titles {
        let back = Instant::now();
        loop {
            let answer = app
                .graphql_as(&editor, WRITE, json!({ "title": title }))
                .await;
            if answer["errors"].is_null() {
                break;
            }
            assert_eq!(
                answer["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
                "{answer}"
            );
            assert!(back.elapsed() < Duration::from_secs(30), "never written");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // Each written once, whole: its row, its search document, its change-log row.
    let db = danvan_store::connect(&url).await.unwrap();
    for title in &titles {
        let sql = format!(
            "SELECT COUNT(*) AS n, \
               SUM((SELECT COUNT(*) FROM search_doc s WHERE s.kind = 'article' AND s.ref_id = a.id))::bigint AS documents, \
               SUM((SELECT COUNT(*) FROM change_log c WHERE c.concept = 'article' AND c.record_id = a.id))::bigint AS changes \
             FROM article a WHERE a.title = '{title}'"
        );
        let row = sea_orm::ConnectionTrait::query_one_raw(
            &db,
            sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, sql),
        )
        .await
        .unwrap()
        .unwrap();
        let count = |column: &str| row.try_get::<i64>("", column).unwrap();
        assert_eq!(
            (count("n"), count("documents"), count("changes")),
            (1, 1, 1),
            "{title}: written once, whole"
        );
    }
    db.close().await.unwrap();
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

/// A SQLite file that can take no more (its disk full: here its `max_page_count` reached)
/// and then no writes at all (read-only: here `query_only`, as root may write any file):
/// each write is answered at once with 503 `SERVICE_UNAVAILABLE` saying so, in each door's
/// shape, nothing of it kept; what was acknowledged before is all there, reads go on, and
/// writes go through again once there is room.
#[tokio::test]
async fn a_full_or_read_only_sqlite_file_refuses_writes_clearly_and_keeps_the_rest() {
    let t = danvan_testing::TestDatabase::sqlite().await;
    danvan_server::demo::load(&t.db).await.unwrap();
    account(&t.db, "bientap", Role::Editor, Some("dan-van-lam-son")).await;
    let mut settings = Settings::default();
    settings.api.response_cache_mb = 0;
    settings.graphql.response_cache_mb = 0;
    let app = TestApp::start_with(&t, &settings).await;
    let editor = app.login("bientap", PASSWORD).await.0;
    const WRITE: &str = "mutation($title: String!, $body: String!) { createArticle(site: \"dan-van-lam-son\", input: { title: $title, body: $body }) { id } }";
    let kept = app
        .graphql_as(
            &editor,
            WRITE,
            json!({ "title": "Hội nghị dân vận trước khi đĩa đầy", "body": "<p>Nội dung.</p>" }),
        )
        .await;
    assert!(kept["errors"].is_null(), "{kept}");
    let pragma = |sql: &'static str| async {
        sea_orm::ConnectionTrait::execute_unprepared(&t.db, sql)
            .await
            .unwrap();
    };
    let count = || async {
        let answer = app.get(LIST).await;
        assert_eq!(answer.status(), 200, "reads go on");
        sea_orm::ConnectionTrait::query_one_raw(
            &t.db,
            sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT COUNT(*) AS n FROM article",
            ),
        )
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
    };
    let before = count().await;
    let body = format!("<p>{}</p>", "Nội dung dài của bài viết. ".repeat(4000));

    for (why, limit) in [
        ("full", "PRAGMA max_page_count = 1"),
        ("read-only", "PRAGMA query_only = ON"),
    ] {
        // The writer connection is the test database's own: the limit is set on it.
        pragma(limit).await;
        let refused = bounded(
            "a write",
            app.graphql_as(
                &editor,
                WRITE,
                json!({ "title": "Bài viết không còn chỗ", "body": body }),
            ),
        )
        .await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE",
            "{why}: {refused}"
        );
        let message = refused["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("cannot take writes"), "{why}: {message}");
        assert_eq!(refused["errors"][0]["extensions"]["retryAfter"], 60);
        let problem = bounded(
            "a JSON API write",
            app.client
                .post(app.url("/api/v1/webhooks"))
                .bearer_auth(&editor)
                .json(&json!({ "url": "https://doitac.example.vn/hook", "events": ["article.published"] }))
                .send(),
        )
        .await
        .unwrap();
        if problem.status() != 403 {
            assert_eq!(problem.status(), 503, "{why}");
            let problem: Value = problem.json().await.unwrap();
            assert_eq!(problem["code"], "SERVICE_UNAVAILABLE", "{why}: {problem}");
        }
        assert_eq!(count().await, before, "{why}: nothing kept, nothing lost");
    }

    // Room again: writes go through.
    pragma("PRAGMA query_only = OFF").await;
    pragma("PRAGMA max_page_count = 1073741823").await;
    let written = app
        .graphql_as(
            &editor,
            WRITE,
            json!({ "title": "Bài viết khi đã có chỗ", "body": body }),
        )
        .await;
    assert!(written["errors"].is_null(), "{written}");
    assert_eq!(count().await, before + 1);
    app.stop().await;
    t.drop_database().await;
}
