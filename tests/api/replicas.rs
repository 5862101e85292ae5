//! Read replicas: public reads on the replica, a caller's reads just after their write on
//! the primary, readiness naming each database.
//!
//! The replica here is a second PostgreSQL database holding what the primary held when it
//! stopped replaying: a replica that lags for ever. What a client reads then tells which of
//! the two answered it.

use crate::clusters::Clusters;
use crate::helpers::{PASSWORD, TestApp, account};
use crate::newsroom::draft;
use danvan_domain::account::Role;
use danvan_server::Settings;
use danvan_testing::TestDatabase;
use serde_json::{Value, json};
use std::time::Duration;

const PUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }";

const TITLES: &str =
    "{ articles(first: 50, filter: { site: \"dan-van-lam-son\" }) { edges { node { title } } } }";

/// The window after a write in which the writer reads on the primary.
const WINDOW: Duration = Duration::from_millis(1500);

/// The same content in both: the demo data and the newsroom's accounts.
async fn both_hold(database: &TestDatabase) {
    danvan_server::demo::load(&database.db).await.unwrap();
    account(
        &database.db,
        "bientap",
        Role::Editor,
        Some("dan-van-lam-son"),
    )
    .await;
    account(
        &database.db,
        "bientap.phuthinh",
        Role::Editor,
        Some("phu-thinh"),
    )
    .await;
}

fn settings(primary: &TestDatabase, read_url: Vec<String>) -> Settings {
    let mut settings = Settings {
        database_url: primary.url.clone(),
        demo: Some(false),
        ..Settings::default()
    };
    settings.database.read_url = read_url;
    settings.database.read_your_writes_ms = u64::try_from(WINDOW.as_millis()).unwrap();
    settings
}

/// The titles of "dan-van-lam-son"'s articles through the JSON API, as `token` reads them.
async fn listed(app: &TestApp, token: Option<&str>) -> Vec<String> {
    let mut request = app
        .client
        .get(app.url("/api/v1/articles?site=dan-van-lam-son&limit=50"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let list: Value = response.json().await.unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

/// The same titles through GraphQL.
async fn queried(app: &TestApp, token: Option<&str>) -> Vec<String> {
    let response = match token {
        Some(token) => app.graphql_as(token, TITLES, json!({})).await,
        None => app.graphql(TITLES, json!({})).await,
    };
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["articles"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn public_reads_run_on_the_replica_and_a_writer_reads_their_write() {
    let Some(primary) = TestDatabase::postgres("replicas").await else {
        return;
    };
    let replica = TestDatabase::postgres("replicas").await.unwrap();
    both_hold(&primary).await;
    both_hold(&replica).await;
    let app = TestApp::start_prepared(&settings(&primary, vec![replica.url.clone()])).await;

    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["databases"][0]["role"], "primary");
    assert_eq!(ready["databases"][0]["status"], "ok");
    assert_eq!(ready["databases"][1]["role"], "replica");
    assert_eq!(ready["databases"][1]["status"], "ok");
    assert_eq!(ready["databases"][1]["inUse"], true);
    let name = ready["databases"][1]["name"].as_str().unwrap();
    assert!(
        replica.url.ends_with(name.rsplit('/').next().unwrap()),
        "{name}"
    );

    let editor = app.login("bientap", PASSWORD).await.0;
    let other_editor = app.login("bientap.phuthinh", PASSWORD).await.0;
    // Signing in is a write by this address: its window passes first.
    tokio::time::sleep(WINDOW).await;

    let title = "Hội nghị giao ban công tác dân vận khéo quý IV năm 2026";
    let (id, version) = draft(&app, &editor, title).await;
    let done = app
        .graphql_as(&editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert_eq!(
        done["data"]["publishArticle"]["status"], "PUBLISHED",
        "{done}"
    );

    // The editor reads their write at once, through either door.
    assert!(listed(&app, Some(&editor)).await.iter().any(|t| t == title));
    assert!(
        queried(&app, Some(&editor))
            .await
            .iter()
            .any(|t| t == title)
    );
    // Everybody else reads the replica, which has not got it.
    assert!(!listed(&app, None).await.iter().any(|t| t == title));
    assert!(!queried(&app, None).await.iter().any(|t| t == title));
    assert!(
        !queried(&app, Some(&other_editor))
            .await
            .iter()
            .any(|t| t == title)
    );
    // The rest of the site is there on the replica.
    assert!(!listed(&app, None).await.is_empty());

    // Once the window has passed, the editor reads the replica too.
    tokio::time::sleep(WINDOW).await;
    assert!(!listed(&app, Some(&editor)).await.iter().any(|t| t == title));
    assert!(
        !queried(&app, Some(&editor))
            .await
            .iter()
            .any(|t| t == title)
    );

    app.stop().await;
    replica.drop_database().await;
    primary.drop_database().await;
}

#[tokio::test]
async fn without_a_replica_that_answers_reads_run_on_the_database() {
    let Some(primary) = TestDatabase::postgres("replicas").await else {
        return;
    };
    both_hold(&primary).await;
    let gone = "postgres://danvan:secret@127.0.0.1:1/danvan_replica".to_owned();
    let app = TestApp::start_prepared(&settings(&primary, vec![gone])).await;

    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["databases"][1]["status"], "unavailable");
    assert_eq!(ready["databases"][1]["inUse"], false);
    assert_eq!(
        ready["databases"][1]["name"],
        "postgres://127.0.0.1:1/danvan_replica"
    );
    assert!(!ready.to_string().contains("secret"));

    let editor = app.login("bientap", PASSWORD).await.0;
    let title = "Ra mắt mô hình dân vận khéo ở xã Phú Thịnh";
    let (id, version) = draft(&app, &editor, title).await;
    let done = app
        .graphql_as(&editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(done["errors"].is_null(), "{done}");
    assert!(listed(&app, None).await.iter().any(|t| t == title));

    app.stop().await;
    primary.drop_database().await;
}

#[tokio::test]
async fn a_replica_refuses_writes_and_sqlite_takes_none() {
    let Some(replica) = TestDatabase::postgres("replicas").await else {
        return;
    };
    let pool = danvan_store::connect_replica(&replica.url, danvan_store::DEFAULT_WAIT)
        .await
        .unwrap();
    let write = danvan_store::TransactionTrait::begin(&pool).await.unwrap();
    let refused = sea_orm::ConnectionTrait::execute_unprepared(
        &write,
        "INSERT INTO tag (name, slug) VALUES ('Dân vận khéo', 'dan-van-kheo')",
    )
    .await;
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("read-only transaction"),
    );
    drop(write);
    assert_eq!(danvan_store::replication_lag(&pool).await.unwrap(), None);
    pool.close().await.unwrap();

    let sqlite = TestDatabase::sqlite().await;
    let mut settings = settings(&sqlite, vec![replica.url.clone()]);
    settings.demo = Some(false);
    let refused = danvan_server::prepare(&settings).await.err().unwrap();
    assert!(refused.to_string().contains("PostgreSQL"), "{refused}");
    replica.drop_database().await;
}

/// The same as above on a real streaming replica, paused and resumed: while it has not
/// replayed a publication the public does not see it and its writer does; once replayed,
/// the public's answers (kept ones too) show it.
#[tokio::test]
async fn a_streaming_replica_serves_the_public_once_it_has_replayed() {
    let Some(mut pair) = Clusters::or_skip() else {
        return;
    };
    pair.primary("primary").unwrap();
    pair.replica("replica", "primary").unwrap();
    let primary_url = pair.url("primary", "danvan");
    let replica_url = pair.url("replica", "danvan");
    let admin = danvan_store::connect(&pair.url("primary", "postgres"))
        .await
        .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&admin, "CREATE DATABASE danvan")
        .await
        .unwrap();
    let primary = danvan_store::connect(&primary_url).await.unwrap();
    danvan_store::migrate(&primary).await.unwrap();
    danvan_server::demo::load(&primary).await.unwrap();
    account(&primary, "bientap", Role::Editor, Some("dan-van-lam-son")).await;

    let mut settings = Settings {
        database_url: primary_url.clone(),
        demo: Some(false),
        ..Settings::default()
    };
    settings.database.read_url = vec![replica_url.clone()];
    settings.database.read_your_writes_ms = u64::try_from(WINDOW.as_millis()).unwrap();
    let app = TestApp::start_prepared(&settings).await;

    // The replica has replayed the demo data: the public reads it there.
    let mut public = Vec::new();
    for _ in 0..100 {
        public = listed(&app, None).await;
        if !public.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!public.is_empty(), "the replica never caught up");
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready["databases"][1]["inUse"], true, "{ready}");
    assert!(ready["databases"][1]["lagSeconds"].is_number(), "{ready}");

    let editor = app.login("bientap", PASSWORD).await.0;
    tokio::time::sleep(WINDOW).await;
    // A replica that stops replaying: what is published now stays on the primary.
    let replica_admin = danvan_store::connect(&replica_url).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&replica_admin, "SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    let title = "Đối thoại trực tiếp giữa người đứng đầu cấp ủy với Nhân dân";
    let (id, version) = draft(&app, &editor, title).await;
    let done = app
        .graphql_as(&editor, PUBLISH, json!({ "id": id, "v": version }))
        .await;
    assert!(done["errors"].is_null(), "{done}");
    assert!(listed(&app, Some(&editor)).await.iter().any(|t| t == title));
    assert!(!listed(&app, None).await.iter().any(|t| t == title));
    assert!(!queried(&app, None).await.iter().any(|t| t == title));

    // Replayed: the public sees it, through either door.
    sea_orm::ConnectionTrait::execute_unprepared(&replica_admin, "SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    let mut seen = false;
    for _ in 0..100 {
        if listed(&app, None).await.iter().any(|t| t == title)
            && queried(&app, None).await.iter().any(|t| t == title)
        {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the public never saw the replayed publication");

    app.stop().await;
    replica_admin.close().await.unwrap();
    primary.close().await.unwrap();
    admin.close().await.unwrap();
    drop(pair);
}
