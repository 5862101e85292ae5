//! SIGTERM under load, through the binary: the server stops taking connections, finishes
//! the writes in flight (acknowledged and stored), closes its subscription sockets with
//! 1001 and exits 0; past `http.shutdown_secs` it exits anyway, and the write it cut is
//! neither acknowledged nor stored. `danvan import` stops between two files.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{Server, admin_token, danvan, hear, say};
use danvan_testing::{Backend, TestDatabase};
use futures::StreamExt;
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

const CREATE: &str = "mutation($title: String!) { createArticle(site: \"dan-van-lam-son\", input: { title: $title, body: \"<p>Nội dung.</p>\" }) { id title } }";

#[tokio::test]
async fn sigterm_finishes_writes_in_flight_and_closes_sockets_on_sqlite() {
    drains(Backend::Sqlite).await;
}

#[tokio::test]
async fn sigterm_finishes_writes_in_flight_and_closes_sockets_on_postgres() {
    drains(Backend::Postgres).await;
}

#[tokio::test]
async fn sigterm_past_the_deadline_exits_and_the_cut_write_is_not_stored() {
    let database = TestDatabase::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
        ("DANVAN_DATABASE__WAIT_MS", "30000"),
        ("DANVAN_HTTP__SHUTDOWN_SECS", "1"),
    ];
    let server = Server::start(dir.path(), &envs).await;
    let token = admin_token(dir.path(), &envs, &server).await;
    let held = hold_writes(&database).await;
    let title = "Hội nghị giao ban công tác dân vận quý IV";
    let write = send(&server.base, &token, title);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let asked = Instant::now();
    let status = tokio::task::spawn_blocking(move || server.terminate())
        .await
        .unwrap();
    eprintln!("exited {:?} after SIGTERM", asked.elapsed());
    assert!(status.success(), "{status}");
    let answer = write.await.unwrap();
    assert!(
        answer.is_err(),
        "the cut write was not acknowledged: {answer:?}"
    );
    held.rollback().await.unwrap();
    assert_eq!(titled(&database, title).await, 0, "nothing of it stored");
    database.drop_database().await;
}

async fn drains(backend: Backend) {
    let Some(database) = TestDatabase::on(backend, "shutdown").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
        ("DANVAN_DATABASE__WAIT_MS", "30000"),
    ];
    let server = Server::start(dir.path(), &envs).await;
    let token = admin_token(dir.path(), &envs, &server).await;
    let mut socket = server.socket().await;
    say(&mut socket, json!({"type": "connection_init"})).await;
    assert_eq!(hear(&mut socket).await["type"], "connection_ack");
    say(
        &mut socket,
        json!({"type": "subscribe", "id": "1", "payload": {
            "query": "subscription { articlePublished(site: \"dan-van-lam-son\") { id } }"
        }}),
    )
    .await;

    // Writes held up inside the server, then SIGTERM.
    let held = hold_writes(&database).await;
    let titles: Vec<String> = (1..=5)
        .map(|i| format!("Đối thoại giữa người đứng đầu cấp ủy với Nhân dân, đợt {i}"))
        .collect();
    let writes: Vec<_> = titles
        .iter()
        .map(|title| send(&server.base, &token, title))
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let base = server.base.clone();
    let exited = tokio::task::spawn_blocking(move || server.terminate());

    // The socket is told at once; new connections are refused.
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => break frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                other => panic!("the socket ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .expect("a close frame");
    assert_eq!(closed, Some(1001));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = reqwest::get(format!("{base}/healthz")).await;
    assert!(
        refused.as_ref().is_err_and(reqwest::Error::is_connect),
        "{refused:?}"
    );

    // Let the writes go: each finishes, acknowledged, and the server exits 0.
    held.rollback().await.unwrap();
    for (write, title) in writes.into_iter().zip(&titles) {
        let answer = write.await.unwrap().expect("an answer");
        assert!(answer["errors"].is_null(), "{answer}");
        assert_eq!(answer["data"]["createArticle"]["title"], title.as_str());
        assert_eq!(titled(&database, title).await, 1);
    }
    let status = exited.await.unwrap();
    assert!(status.success(), "{status}");
    database.drop_database().await;
}

#[tokio::test]
async fn an_import_told_to_stop_finishes_its_batch_and_stops_before_the_next() {
    let database = TestDatabase::sqlite().await;
    danvan_server::demo::load(&database.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pages = tempfile::tempdir().unwrap();
    // More pages than one batch holds.
    let files = 700;
    for i in 0..files {
        std::fs::write(
            pages.path().join(format!("trang-{i:04}.txt")),
            format!(
                "Thôn số {i} ra mắt tổ hòa giải kiểu mẫu\n\nThứ Hai, 04/11/2024 | 09:30\n\n\
                 Sáng 4/11, Ủy ban MTTQ xã Yên Bình ra mắt tổ hòa giải thứ {i}.\n"
            ),
        )
        .unwrap();
    }
    let envs = [("DATABASE_URL", database.url.as_str())];
    let articles = || async {
        let row = database
            .db
            .query_one_raw(statement(&database, "SELECT COUNT(*) AS n FROM article"))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    let before = articles().await;

    // The import waits at its first batch for the lock another writer holds; told to
    // stop, it writes that batch whole once the lock is let go, and stops.
    let held = hold_writes(&database).await;
    let import = danvan(dir.path(), &envs)
        .args(["import", "--site", "dan-van-lam-son"])
        .arg(pages.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pid = import.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    held.rollback().await.unwrap();
    let output = tokio::task::spawn_blocking(move || import.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let told = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{told}");
    let done: i64 = told
        .split("stopped by a signal after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{told}"));
    assert!(
        told.contains(&format!("after {done} of {files} files")),
        "{told}"
    );
    assert!(done > 0 && done < files, "{told}");
    assert_eq!(articles().await, before + done, "the first batch, whole");

    // The same command again imports the rest.
    let again = danvan(dir.path(), &envs)
        .args(["import", "--site", "dan-van-lam-son"])
        .arg(pages.path())
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(articles().await, before + files);
    database.drop_database().await;
}

/// Takes the lock that every article write needs and holds it until the transaction
/// returned is rolled back: SQLite's write lock; on PostgreSQL, the search index's.
async fn hold_writes(database: &TestDatabase) -> DatabaseTransaction {
    let other = danvan_store::connect(&database.url).await.unwrap();
    let held = other.begin().await.unwrap();
    let sql = match database.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "LOCK TABLE search_doc IN EXCLUSIVE MODE",
        _ => "UPDATE site SET name = name",
    };
    held.execute_unprepared(sql).await.unwrap();
    held
}

/// Sends a create, answered or not.
fn send(
    base: &str,
    token: &str,
    title: &str,
) -> tokio::task::JoinHandle<Result<Value, reqwest::Error>> {
    let request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": CREATE, "variables": { "title": title } }));
    tokio::spawn(async move { request.send().await?.json::<Value>().await })
}

async fn titled(database: &TestDatabase, title: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM article WHERE title = '{title}'");
    let row = database
        .db
        .query_one_raw(statement(database, &sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

fn statement(database: &TestDatabase, sql: &str) -> sea_orm::Statement {
    sea_orm::Statement::from_string(database.db.get_database_backend(), sql)
}
