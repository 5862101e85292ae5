//! The `danvan` binary as a newcomer runs it: no configuration, a fresh folder.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_danvan");

/// `danvan` in `dir`, with none of the developer's own settings.
fn danvan(dir: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command.current_dir(dir).env("RUST_LOG", "warn");
    for (key, _) in std::env::vars() {
        if key.starts_with("DANVAN_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (a bounded number of tries) until the server answers `/readyz`.
async fn wait_ready(client: &reqwest::Client, base: &str, child: &mut Child) {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("danvan exited early with {status}");
        }
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("danvan did not become ready");
}

/// Sends SIGTERM and checks that the server stops cleanly.
fn terminate(child: Child) {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "danvan exited with {}",
        output.status
    );
}

async fn newest_titles(client: &reqwest::Client, base: &str) -> Vec<String> {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "{ articles(first: 2) { edges { node { title } } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["data"]["articles"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no articles in {body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn serve_with_no_configuration_creates_the_database_serves_the_demo_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = danvan(dir.path())
        .args(["serve"])
        .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&client, &base, &mut child).await;
    assert_eq!(
        newest_titles(&client, &base).await,
        [
            "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng",
            "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021-2025",
        ]
    );
    terminate(child);
    assert!(dir.path().join("data/danvan.db").is_file());

    // A second start finds content and does not load the demo again.
    let mut again = danvan(dir.path())
        .args(["serve"])
        .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_ready(&client, &base, &mut again).await;
    let sites: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "{ sites(first: 100) { edges { cursor } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sites["data"]["sites"]["edges"].as_array().unwrap().len(), 3);
    terminate(again);
}

#[tokio::test]
async fn no_demo_leaves_a_new_database_empty() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = danvan(dir.path())
        .args(["serve", "--no-demo"])
        .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&client, &base, &mut child).await;
    assert!(newest_titles(&client, &base).await.is_empty());
    terminate(child);
}

#[tokio::test]
async fn serve_migrates_an_empty_postgres_database_and_serves_the_same_queries() {
    let Some(database) =
        danvan_testing::TestDatabase::postgres_unmigrated("serve_on_postgres").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = danvan(dir.path())
        .args(["serve"])
        .env("DATABASE_URL", &database.url)
        .env("DANVAN_DEMO", "true")
        .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&client, &base, &mut child).await;
    let titles = newest_titles(&client, &base).await;
    terminate(child);
    assert_eq!(
        titles[0],
        "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng"
    );
    assert!(
        !dir.path().join("data").exists(),
        "PostgreSQL mode must not create the SQLite file"
    );
    database.drop_database().await;
}

#[test]
fn migrate_creates_an_up_to_date_database() {
    let dir = tempfile::tempdir().unwrap();
    let status = danvan(dir.path()).arg("migrate").status().unwrap();
    assert!(status.success());
    assert!(dir.path().join("data/danvan.db").is_file());
    // Migrating again is a no-op.
    assert!(
        danvan(dir.path())
            .arg("migrate")
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn export_schema_writes_the_served_schema() {
    let dir = tempfile::tempdir().unwrap();
    let status = danvan(dir.path())
        .args(["export-schema", "--output", "out.graphql"])
        .status()
        .unwrap();
    assert!(status.success());
    let written = std::fs::read_to_string(dir.path().join("out.graphql")).unwrap();
    assert_eq!(written, danvan_graphql::sdl());
}

#[test]
fn a_missing_settings_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = danvan(dir.path())
        .args(["--config", "nope.toml", "migrate"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("nope.toml"));
}
