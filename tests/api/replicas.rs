//! Read replicas: public reads on the replica, a caller's reads just after their write on
//! the primary, readiness naming each database.
//!
//! The replica here is a second PostgreSQL database holding what the primary held when it
//! stopped replaying: a replica that lags for ever. What a client reads then tells which of
//! the two answered it.

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
    let pool = danvan_store::connect_replica(&replica.url).await.unwrap();
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

/// A PostgreSQL primary and a streaming replica of it, clusters of their own in a
/// temporary folder on free ports, made with the machine's PostgreSQL programs
/// (`initdb`, `pg_basebackup -R`) run as the `postgres` user; stopped when dropped.
struct StreamingPair {
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
    primary_port: u16,
    replica_port: u16,
}

impl StreamingPair {
    /// The pair, or why it cannot be made here.
    fn start() -> Result<Self, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("no PostgreSQL programs: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .filter(|p| p.join("initdb").is_file())
            .max()
            .ok_or("no initdb under /usr/lib/postgresql")?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let pair = Self {
            bin,
            primary_port: free_port(),
            replica_port: free_port(),
            dir,
        };
        let root = pair.dir.path().display().to_string();
        pair.run("chown", &["postgres", &root])?;
        let primary = format!("{root}/primary");
        pair.pg(
            "initdb",
            &[
                "-D", &primary, "-A", "trust", "-U", "postgres", "-E", "UTF8",
            ],
        )?;
        let settings = format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{root}'\n\
             wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n",
            pair.primary_port
        );
        append(&format!("{primary}/postgresql.conf"), &settings)?;
        append(
            &format!("{primary}/pg_hba.conf"),
            "host replication all 127.0.0.1/32 trust\n",
        )?;
        pair.pg(
            "pg_ctl",
            &[
                "-D",
                &primary,
                "-l",
                &format!("{root}/primary.log"),
                "-w",
                "start",
            ],
        )?;
        let replica = format!("{root}/replica");
        pair.pg(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &pair.primary_port.to_string(),
                "-U",
                "postgres",
                "-D",
                &replica,
                "-R",
                "-X",
                "stream",
            ],
        )?;
        append(
            &format!("{replica}/postgresql.conf"),
            &format!("port = {}\n", pair.replica_port),
        )?;
        pair.pg(
            "pg_ctl",
            &[
                "-D",
                &replica,
                "-l",
                &format!("{root}/replica.log"),
                "-w",
                "start",
            ],
        )?;
        Ok(pair)
    }

    fn url(port: u16, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{port}/{database}")
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let output = std::process::Command::new(program)
            .args(args)
            .output()
            .map_err(|e| format!("{program}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    /// A PostgreSQL program, as the `postgres` user (the server refuses to run as root).
    fn pg(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin.join(program).display().to_string();
        let mut all = vec!["-u", "postgres", "--", path.as_str()];
        all.extend_from_slice(args);
        self.run("runuser", &all)
    }
}

impl Drop for StreamingPair {
    fn drop(&mut self) {
        let root = self.dir.path().display().to_string();
        for cluster in ["replica", "primary"] {
            let _ = self.pg(
                "pg_ctl",
                &[
                    "-D",
                    &format!("{root}/{cluster}"),
                    "-m",
                    "immediate",
                    "stop",
                ],
            );
        }
    }
}

fn append(path: &str, text: &str) -> Result<(), String> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{path}: {e}"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The same as above on a real streaming replica, paused and resumed: while it has not
/// replayed a publication the public does not see it and its writer does; once replayed,
/// the public's answers (kept ones too) show it.
#[tokio::test]
async fn a_streaming_replica_serves_the_public_once_it_has_replayed() {
    let pair = match StreamingPair::start() {
        Ok(pair) => pair,
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "a PostgreSQL replica could not be made: {why}"
            );
            eprintln!("skipped: a PostgreSQL replica could not be made: {why}");
            return;
        }
    };
    let primary_url = StreamingPair::url(pair.primary_port, "danvan");
    let replica_url = StreamingPair::url(pair.replica_port, "danvan");
    let admin = danvan_store::connect(&StreamingPair::url(pair.primary_port, "postgres"))
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
