//! What the tests that drive `danvan` processes share: starting one with settings of the
//! test's own, asking it over GraphQL, signing in an admin made with the CLI, and stopping
//! it with SIGKILL or SIGTERM.

// Each test file that includes this module uses part of it.
#![allow(dead_code)]

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

pub const BINARY: &str = env!("CARGO_BIN_EXE_danvan");
pub const PASSWORD: &str = "mật khẩu quản trị đủ dài";

/// `danvan` in `dir`, with the caller's `DANVAN_*` settings left out and `envs` given.
pub fn danvan(dir: &Path, envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BINARY);
    command.current_dir(dir).env("RUST_LOG", "warn");
    for (key, _) in std::env::vars() {
        if key.starts_with("DANVAN_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

/// The real portal pages beside the project, when they are there (always in CI).
pub fn seeds() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent in CI",
        dir.display()
    );
    eprintln!("skipped: {} is absent", dir.display());
    None
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `danvan serve`.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(dir: &Path, envs: &[(&str, &str)]) -> Self {
        Self::start_on(dir, envs, free_port()).await
    }

    /// Starts one on `port` (the port a killed server had: its clients come back there)
    /// and waits until it is ready.
    pub async fn start_on(dir: &Path, envs: &[(&str, &str)], port: u16) -> Self {
        Self::spawn(dir, envs, port, Stdio::null()).await
    }

    /// Starts one whose log (warnings and errors) goes to the file `log`.
    pub async fn start_logging(dir: &Path, envs: &[(&str, &str)], log: &Path) -> Self {
        let file = std::fs::File::create(log).unwrap();
        Self::spawn(dir, envs, free_port(), Stdio::from(file)).await
    }

    async fn spawn(dir: &Path, envs: &[(&str, &str)], port: u16, log: Stdio) -> Self {
        let child = danvan(dir, envs)
            .arg("serve")
            .env("DANVAN_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..300 {
            if reqwest::get(format!("{}/readyz", server.base))
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill();
        panic!("danvan did not become ready");
    }

    /// The data of a GraphQL request that must succeed.
    pub async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        let answer: Value = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer["errors"].is_null(), "{answer}");
        answer["data"].clone()
    }

    /// A WebSocket to its `/graphql/ws`, speaking graphql-transport-ws.
    pub async fn socket(&self) -> Socket {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = format!("{}/graphql/ws", self.base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        tokio_tungstenite::connect_async(request).await.unwrap().0
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops it with SIGKILL: no chance to finish anything.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Stops it with SIGTERM and waits for it to exit; its exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        self.child.wait().unwrap()
    }
}

/// A server the test did not stop (it failed first) is killed with it.
impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Makes the admin `quantri` with the CLI and signs it in; its access token.
pub async fn admin_token(dir: &Path, envs: &[(&str, &str)], server: &Server) -> String {
    let created = danvan(dir, envs)
        .args([
            "user",
            "create",
            "quantri",
            "--display-name",
            "Quản trị",
            "--role",
            "admin",
        ])
        .env("DANVAN_PASSWORD", PASSWORD)
        .status()
        .unwrap();
    assert!(created.success());
    let session: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({ "username": "quantri", "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["accessToken"].as_str().unwrap().to_owned()
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn say(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next message of the protocol, pings aside.
pub async fn hear(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = frame {
            let message: Value = serde_json::from_str(&text).unwrap();
            if message["type"] != "ping" {
                return message;
            }
        }
    }
}
