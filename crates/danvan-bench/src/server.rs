//! The server under load: the release binary, started on the benchmark's database.

use anyhow::{Context, bail};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `danvan serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// From spawning the process to `/readyz` answering 200.
    pub start_to_ready: Duration,
}

impl Server {
    /// Starts `binary serve` on `database_url` and waits until it is ready.
    pub async fn start(binary: &Path, database_url: &str) -> anyhow::Result<Self> {
        Self::start_with(binary, database_url, &[]).await
    }

    /// [`Server::start`] with these settings in the environment (`DANVAN_…=…`).
    pub async fn start_with(
        binary: &Path,
        database_url: &str,
        settings: &[(String, String)],
    ) -> anyhow::Result<Self> {
        let addr = free_port()?;
        let started = Instant::now();
        let child = Command::new(binary)
            .args(["serve", "--no-demo"])
            .envs(settings.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("DATABASE_URL", database_url)
            .env("DANVAN_BIND", addr.to_string())
            .env("DANVAN_LOG", "warn")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut server = Self {
            child,
            addr,
            start_to_ready: Duration::ZERO,
        };
        let ready = crate::load::Target::get(addr, "/readyz");
        loop {
            if crate::load::once(&ready).await.is_ok() {
                break;
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("the server stopped before it was ready: {status}");
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("the server was not ready within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        server.start_to_ready = started.elapsed();
        Ok(server)
    }

    /// The resident memory of the process now, in MiB, as the kernel counts it.
    pub fn rss_mib(&self) -> anyhow::Result<f64> {
        rss_mib_of(self.child.id())
    }
}

/// The resident memory of process `pid` now, in MiB, as the kernel counts it.
pub fn rss_mib_of(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc/…/status")?;
    Ok(kib / 1024.0)
}

impl Server {
    /// The file descriptors the process holds open now (sockets, the database's files).
    pub fn open_files(&self) -> anyhow::Result<usize> {
        Ok(std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))?.count())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}
