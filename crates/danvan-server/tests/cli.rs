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

#[test]
fn logs_are_json_lines_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run_with_env(
        dir.path(),
        &["migrate"],
        &[("RUST_LOG", "info"), ("DANVAN_LOG_FORMAT", "json")],
    );
    assert!(ok, "{stderr}");
    let lines: Vec<Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["level"] == "INFO" && l["fields"]["message"] == "the database is up to date"),
        "{stderr}"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `danvan serve` running in a folder, and a client for it.
struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Server {
    /// Starts `danvan serve ARGS` in `dir` with `envs`, and waits (a bounded number of
    /// tries) until it answers `/readyz`.
    async fn start(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let port = free_port();
        let mut command = danvan(dir);
        command
            .arg("serve")
            .args(args)
            .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut server = Self {
            child: command.spawn().unwrap(),
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
        };
        for _ in 0..300 {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("danvan exited early with {status}");
            }
            if let Ok(response) = server
                .client
                .get(format!("{}/readyz", server.base))
                .send()
                .await
                && response.status() == 200
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("danvan did not become ready");
    }

    async fn graphql(&self, query: &str) -> Value {
        self.client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn newest_titles(&self) -> Vec<String> {
        let body = self
            .graphql("{ articles(first: 2) { edges { node { title } } } }")
            .await;
        body["data"]["articles"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("no articles in {body}"))
            .iter()
            .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Sends SIGTERM and checks that the server stops cleanly.
    fn terminate(self) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let output = self.child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "danvan exited with {}",
            output.status
        );
    }
}

#[tokio::test]
async fn serve_with_no_configuration_creates_the_database_serves_the_demo_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]).await;
    assert_eq!(
        server.newest_titles().await,
        [
            "Kỷ niệm 95 năm Ngày truyền thống công tác dân vận của Đảng",
            "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021-2025",
        ]
    );
    server.terminate();
    assert!(dir.path().join("data/danvan.db").is_file());

    // A second start finds content and does not load the demo again.
    let again = Server::start(dir.path(), &[], &[]).await;
    let sites = again
        .graphql("{ sites(first: 100) { edges { cursor } } }")
        .await;
    assert_eq!(sites["data"]["sites"]["edges"].as_array().unwrap().len(), 3);
    again.terminate();
}

/// Views are counted in memory and written every `view_flush_ms`, and when the server stops
/// on a signal: none counted before a graceful stop is lost.
#[tokio::test]
async fn views_counted_before_a_graceful_stop_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let envs = [("DANVAN_API__VIEW_FLUSH_MS", "600000")];
    let views = |server: &Server| {
        let (client, base) = (server.client.clone(), server.base.clone());
        async move {
            let list: Value = client
                .get(format!(
                    "{base}/api/v1/articles?site=dan-van-lam-son&limit=1"
                ))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (
                list["items"][0]["id"].as_str().unwrap().to_owned(),
                list["items"][0]["viewCount"].as_i64().unwrap(),
            )
        }
    };
    let server = Server::start(dir.path(), &[], &envs).await;
    let (id, before) = views(&server).await;
    for _ in 0..3 {
        let counted = server
            .client
            .post(format!("{}/api/v1/articles/{id}/views", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(counted.status(), 202);
    }
    server.terminate();
    let again = Server::start(dir.path(), &[], &envs).await;
    assert_eq!(views(&again).await, (id, before + 3));
    again.terminate();
}

/// With a collector named, each request is a span sent over OTLP/HTTP, in the trace of the
/// caller's `traceparent`; the last are sent when the server stops. (Two threads: the
/// collector answers while the test waits for the server to stop.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_traced_to_a_collector_when_one_is_named() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let kept = received.clone();
    let collector = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let kept = kept.clone();
            async move {
                assert_eq!(headers["content-type"], "application/json");
                kept.lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap());
                "{}"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, collector).await });

    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DANVAN_TELEMETRY__OTLP_ENDPOINT", endpoint.as_str()),
        ("DANVAN_TELEMETRY__OTLP_PROTOCOL", "json"),
        ("DANVAN_TELEMETRY__SERVICE_NAME", "danvan-lam-son"),
    ];
    let server = Server::start(dir.path(), &[], &envs).await;
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let sites = server
        .client
        .get(format!("{}/api/v1/sites", server.base))
        .header("traceparent", format!("00-{trace}-00f067aa0ba902b7-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(sites.status(), 200);
    server.terminate();

    let received = received.lock().unwrap().clone();
    let spans: Vec<&Value> = received
        .iter()
        .flat_map(|r| r["resourceSpans"].as_array().unwrap())
        .inspect(|rs| {
            let service = rs["resource"]["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["key"] == "service.name")
                .unwrap();
            assert_eq!(service["value"]["stringValue"], "danvan-lam-son");
        })
        .flat_map(|rs| rs["scopeSpans"].as_array().unwrap())
        .flat_map(|ss| ss["spans"].as_array().unwrap())
        .collect();
    let request = spans
        .iter()
        .find(|s| s["name"] == "GET /api/v1/sites")
        .unwrap_or_else(|| panic!("no span of the request in {received:?}"));
    assert_eq!(request["traceId"], trace);
    assert_eq!(request["parentSpanId"], "00f067aa0ba902b7");
    assert_eq!(request["kind"], 2, "a server span");
}

#[tokio::test]
async fn no_demo_leaves_a_new_database_empty() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-demo"], &[]).await;
    assert!(server.newest_titles().await.is_empty());
    server.terminate();
}

#[tokio::test]
async fn serve_migrates_an_empty_postgres_database_and_serves_the_same_queries() {
    let Some(database) =
        danvan_testing::TestDatabase::postgres_unmigrated("serve_on_postgres").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("DATABASE_URL", database.url.as_str()),
        ("DANVAN_DEMO", "true"),
    ];
    let server = Server::start(dir.path(), &[], &envs).await;
    let titles = server.newest_titles().await;
    server.terminate();
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

/// Runs `danvan ARGS` in `dir` with `stdin` on standard input; returns the exit status and
/// what it printed.
fn run_with_input(dir: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    run(dir, args, &[], stdin)
}

/// Runs `danvan ARGS` in `dir` with `envs`; returns the exit status and what it printed.
fn run_with_env(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> (bool, String, String) {
    run(dir, args, envs, "")
}

fn run(dir: &Path, args: &[&str], envs: &[(&str, &str)], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut command = danvan(dir);
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in envs {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn post(server: &Server, token: &str, query: &str, variables: Value) -> Value {
    server
        .client
        .post(format!("{}/graphql", server.base))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn sign_in(server: &Server, username: &str, password: &str) -> String {
    let response: Value = server
        .client
        .post(format!("{}/auth/login", server.base))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    response["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{response}"))
        .to_owned()
}

/// The README's first steps: an admin from the command line, a site and an editor over
/// the API, an article written and published, and the public query showing it.
#[tokio::test]
async fn a_newsroom_starts_as_the_readme_says() {
    let dir = tempfile::tempdir().unwrap();
    let password = "mật khẩu quản trị dài";
    let (ok, stdout, stderr) = run_with_input(
        dir.path(),
        &[
            "user",
            "create",
            "quantri",
            "--display-name",
            "Quản trị",
            "--role",
            "admin",
        ],
        &format!("{password}\n"),
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("created quantri"), "{stdout}");
    // A short password and a taken name are refused with a message, and exit non-zero.
    let (ok, _, stderr) = run_with_input(
        dir.path(),
        &[
            "user",
            "create",
            "ngan",
            "--display-name",
            "Ngắn",
            "--role",
            "admin",
        ],
        "ngắn\n",
    );
    assert!(!ok && stderr.contains("password"), "{stderr}");
    let (ok, _, stderr) = run_with_input(
        dir.path(),
        &[
            "user",
            "create",
            "quantri",
            "--display-name",
            "Lại",
            "--role",
            "admin",
        ],
        &format!("{password}\n"),
    );
    assert!(!ok && stderr.contains("already exists"), "{stderr}");

    let server = Server::start(dir.path(), &["--no-demo"], &[]).await;
    let admin = sign_in(&server, "quantri", password).await;
    let site = post(
        &server,
        &admin,
        r#"mutation { createSite(input: { slug: "gia-vien", name: "Ban Dân vận Huyện ủy Gia Viễn" }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(site["errors"].is_null(), "{site}");
    let editor = post(
        &server,
        &admin,
        r#"mutation { createAccount(input: { username: "bientap", displayName: "Phương Nhung", password: "mật khẩu biên tập", role: EDITOR, site: "gia-vien" }) { id } }"#,
        json!({}),
    )
    .await;
    assert!(editor["errors"].is_null(), "{editor}");

    let editor = sign_in(&server, "bientap", "mật khẩu biên tập").await;
    let created = post(
        &server,
        &editor,
        r#"mutation { createArticle(site: "gia-vien", input: { title: "Huyện ủy Gia Viễn sơ kết công tác dân vận 6 tháng đầu năm", body: "<p>Sáng 11/7, Ban Dân vận Huyện ủy tổ chức hội nghị sơ kết.</p>" }) { id version } }"#,
        json!({}),
    )
    .await;
    let id = created["data"]["createArticle"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let published = post(
        &server,
        &editor,
        "mutation($id: ID!) { publishArticle(id: $id, version: 1) { status } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(
        published["data"]["publishArticle"]["status"], "PUBLISHED",
        "{published}"
    );

    let public = server
        .graphql(r#"{ articles(filter: { site: "gia-vien" }) { nodes { title bodyHtml } } }"#)
        .await;
    assert_eq!(
        public["data"]["articles"]["nodes"][0]["title"],
        "Huyện ủy Gia Viễn sơ kết công tác dân vận 6 tháng đầu năm",
        "{public}"
    );

    // Disabled from the command line: the editor's token stops working.
    let (ok, _, stderr) = run_with_input(dir.path(), &["user", "disable", "bientap"], "");
    assert!(ok, "{stderr}");
    let refused = server
        .client
        .post(format!("{}/graphql", server.base))
        .bearer_auth(&editor)
        .json(&json!({ "query": "{ me { username } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    server.terminate();
}

/// The README's production path, from the command line alone: a database, a site, an
/// admin (password in `DANVAN_PASSWORD`), an import, and the server showing what came in.
async fn production_path(database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pages");
    let db = ("DATABASE_URL", database_url);
    // Logs at the default level: what the user cannot act on stays out of them.
    let (ok, _, stderr) = run_with_env(dir.path(), &["migrate"], &[db, ("RUST_LOG", "info")]);
    assert!(ok, "{stderr}");
    let (ok, _, stderr) = run_with_env(dir.path(), &["migrate"], &[db, ("RUST_LOG", "info")]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("already exists"), "{stderr}");

    // No site yet: the import says so in one line, even with backtraces asked for.
    let page = pages.join("01-so-ket-phu-thinh.txt");
    let page = page.to_str().unwrap();
    let (ok, _, stderr) = run_with_env(
        dir.path(),
        &["import", page],
        &[db, ("RUST_BACKTRACE", "1")],
    );
    assert!(!ok);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("there is no site yet"), "{stderr}");

    let (ok, stdout, stderr) = run_with_env(
        dir.path(),
        &[
            "site",
            "create",
            "gia-vien",
            "--name",
            "Trang thông tin huyện Gia Viễn",
            "--url",
            "https://giavien.example.vn",
        ],
        &[db],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("created the site gia-vien"), "{stdout}");
    let (ok, _, stderr) = run_with_env(
        dir.path(),
        &[
            "site",
            "update",
            "gia-vien",
            "--name",
            "Ban Dân vận Huyện ủy Gia Viễn",
        ],
        &[db],
    );
    assert!(ok, "{stderr}");
    let (ok, stdout, _) = run_with_env(dir.path(), &["site", "list"], &[db]);
    assert!(ok);
    assert_eq!(
        stdout,
        "gia-vien\tBan Dân vận Huyện ủy Gia Viễn\thttps://giavien.example.vn\n"
    );
    let (ok, _, stderr) = run_with_env(
        dir.path(),
        &["site", "create", "gia-vien", "--name", "Lần nữa"],
        &[db],
    );
    assert!(!ok && stderr.trim().lines().count() == 1, "{stderr}");

    let password = "mật khẩu quản trị dài";
    let (ok, stdout, stderr) = run_with_env(
        dir.path(),
        &[
            "user",
            "create",
            "quantri",
            "--display-name",
            "Quản trị",
            "--role",
            "admin",
        ],
        &[
            db,
            ("DANVAN_PASSWORD", password),
            ("DANVAN_DEPLOYMENT", "Gia Viễn"),
        ],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("created quantri"), "{stdout}");

    let (ok, stdout, stderr) = run_with_env(
        dir.path(),
        &["import", "--site", "gia-vien", pages.to_str().unwrap()],
        &[db],
    );
    assert!(ok, "{stderr}");
    assert_eq!(stdout.matches(": created ").count(), 4, "{stdout}");
    // Without a terminal, progress comes as lines.
    assert!(
        stderr.contains("4/4 files: 4 created, 0 updated, 0 unchanged, 0 failed"),
        "{stderr}"
    );

    let server = Server::start(dir.path(), &["--no-demo"], &[db]).await;
    let admin = sign_in(&server, "quantri", password).await;
    assert!(!admin.is_empty());
    let body = server
        .graphql(r#"{ articles(filter: { site: "gia-vien" }) { totalCount } }"#)
        .await;
    server.terminate();
    assert_eq!(body["data"]["articles"]["totalCount"], 4, "{body}");
}

#[tokio::test]
async fn the_production_path_works_from_the_command_line_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/danvan.db", dir.path().display());
    production_path(&url).await;
}

#[tokio::test]
async fn the_production_path_works_from_the_command_line_on_postgres() {
    let Some(database) = danvan_testing::TestDatabase::postgres_unmigrated("production_path").await
    else {
        return;
    };
    production_path(&database.url).await;
    database.drop_database().await;
}

/// The GraphQL field's own tools against the running binary: graphql-http's audits of the
/// GraphQL-over-HTTP specification, and graphql-codegen loading the schema by
/// introspection. They are installed by `npm ci --prefix tests/tools` (which `.ci/run`
/// does); without them the test says so and passes, except in CI.
#[tokio::test]
async fn graphql_tools_pass_their_audits_and_load_the_schema() {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tools");
    if !tools.join("node_modules").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the tools are not installed in CI: run npm ci --prefix tests/tools"
        );
        eprintln!("skipped: run `npm ci --prefix tests/tools` to check with the GraphQL tools");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]).await;
    let url = format!("{}/graphql", server.base);
    let audit = Command::new("node")
        .arg("audit.mjs")
        .arg(&url)
        .current_dir(&tools)
        .output()
        .unwrap();
    let out = dir.path().join("codegen/schema.graphql");
    let codegen = Command::new(tools.join("node_modules/.bin/graphql-codegen"))
        .args(["--config", "codegen.yml"])
        .env("GRAPHQL_URL", &url)
        .env("SCHEMA_OUT", &out)
        .current_dir(&tools)
        .output()
        .unwrap();
    server.terminate();
    let audit_text = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.status.success(), "{audit_text}");
    assert!(audit_text.contains("every audit passed"), "{audit_text}");
    assert!(
        codegen.status.success(),
        "{}",
        String::from_utf8_lossy(&codegen.stderr)
    );
    // What the tool read is the schema we publish: the same named types.
    let names = |sdl: &str| -> std::collections::BTreeSet<String> {
        sdl.lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                match words.next() {
                    Some("type" | "input" | "enum" | "interface" | "union" | "scalar") => {
                        words.next().map(str::to_owned)
                    }
                    _ => None,
                }
            })
            .collect()
    };
    let loaded = std::fs::read_to_string(&out).unwrap();
    let published =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema.graphql"))
            .unwrap();
    let (loaded, published) = (names(&loaded), names(&published));
    assert!(published.len() > 50);
    let missing: Vec<_> = published.difference(&loaded).collect();
    assert!(missing.is_empty(), "the tool did not load {missing:?}");
}

/// GraphiQL in a real browser (headless Chromium) that can reach no host but danvan's: the
/// page starts, with its editor and documentation explorer. Chromium is installed by
/// `.ci/run`; without it the test says so and passes, except in CI.
#[tokio::test]
async fn graphiql_runs_in_a_real_browser_without_a_network() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed in CI"
        );
        eprintln!("skipped: install chromium to check GraphiQL in a browser");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-demo"], &[]).await;
    let profile = dir.path().join("chromium");
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Every host but the loopback fails to resolve: a CDN would not load.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=8000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{}/graphql", server.base))
        .stderr(Stdio::null())
        .output()
        .unwrap();
    server.terminate();
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(dom.contains("graphiql-container"), "{dom}");
    assert!(dom.contains("Execute query"), "{dom}");
    assert!(dom.contains("Show Documentation Explorer"), "{dom}");
}

/// The `graphql-ws` library, as a front end uses it, subscribed to the running binary: a
/// publication reaches it. Installed with the other tools (see above).
#[tokio::test]
async fn a_graphql_ws_client_hears_a_publication() {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tools");
    if !tools.join("node_modules/graphql-ws").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the tools are not installed in CI: run npm ci --prefix tests/tools"
        );
        eprintln!("skipped: run `npm ci --prefix tests/tools` to check with graphql-ws");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The demo data first, then an admin beside the running server.
    let server = Server::start(dir.path(), &[], &[]).await;
    let password = "mật khẩu quản trị dài";
    let (ok, _, stderr) = run_with_env(
        dir.path(),
        &[
            "user",
            "create",
            "quantri",
            "--display-name",
            "Quản trị",
            "--role",
            "admin",
        ],
        &[("DANVAN_PASSWORD", password)],
    );
    assert!(ok, "{stderr}");
    let token = sign_in(&server, "quantri", password).await;
    let url = format!("{}/graphql/ws", server.base.replacen("http", "ws", 1));
    let mut client = Command::new("node")
        .args(["subscribe.mjs", &url, "dan-van-lam-son"])
        .current_dir(&tools)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = client.stdout.take().unwrap();
    let (lines, mut heard) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let next = async |heard: &mut tokio::sync::mpsc::UnboundedReceiver<String>| {
        tokio::time::timeout(Duration::from_secs(20), heard.recv())
            .await
            .expect("the client says something within 20 s")
            .expect("the client is still running")
    };
    assert_eq!(next(&mut heard).await, "connected");
    // The subscription is sent right after the acknowledgement.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let title = "Gặp mặt đại biểu người có uy tín trong đồng bào dân tộc thiểu số";
    let write = async |query: &str, variables: Value| -> Value {
        let answer: Value = server
            .client
            .post(format!("{}/graphql", server.base))
            .bearer_auth(&token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer["errors"].is_null(), "{answer}");
        answer["data"].clone()
    };
    let made = write(
        "mutation($input: ArticleInput!) { createArticle(site: \"dan-van-lam-son\", input: $input) { id version } }",
        json!({ "input": { "title": title, "body": "<p>Nội dung.</p>" } }),
    )
    .await;
    write(
        "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { status } }",
        json!({ "id": made["createArticle"]["id"], "v": made["createArticle"]["version"] }),
    )
    .await;
    let event: Value = serde_json::from_str(&next(&mut heard).await).unwrap();
    let status = client.wait().unwrap();
    server.terminate();
    assert!(status.success(), "{status}");
    assert_eq!(event["id"], made["createArticle"]["id"]);
    assert_eq!(event["title"], title);
    assert_eq!(event["site"]["slug"], "dan-van-lam-son");
}
