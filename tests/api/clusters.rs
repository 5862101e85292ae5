//! PostgreSQL servers of a test's own, in a temporary folder on free ports, made with the
//! machine's PostgreSQL programs (`initdb`, `pg_ctl`, `pg_basebackup`) run as the
//! `postgres` user: a test may stop and start them, or stream one to another, without
//! touching the server every other test shares. Stopped when dropped.

use std::path::PathBuf;

/// The servers of one test.
pub struct Clusters {
    dir: tempfile::TempDir,
    bin: PathBuf,
    ports: Vec<(String, u16)>,
}

impl Clusters {
    /// A folder for them, or why none can be made here (no PostgreSQL programs, not root).
    pub fn new() -> Result<Self, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("no PostgreSQL programs: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .filter(|p| p.join("initdb").is_file())
            .max()
            .ok_or("no initdb under /usr/lib/postgresql")?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let clusters = Self {
            dir,
            bin,
            ports: Vec::new(),
        };
        clusters.run("chown", &["postgres", &clusters.root()])?;
        Ok(clusters)
    }

    /// Skips the test when no server can be made here, except in CI, where it fails.
    pub fn or_skip() -> Option<Self> {
        match Self::new() {
            Ok(clusters) => Some(clusters),
            Err(why) => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "a PostgreSQL server of the test's own could not be made: {why}"
                );
                eprintln!(
                    "skipped: a PostgreSQL server of the test's own could not be made: {why}"
                );
                None
            }
        }
    }

    fn root(&self) -> String {
        self.dir.path().display().to_string()
    }

    fn port(&self, name: &str) -> u16 {
        self.ports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| *p)
            .unwrap_or_else(|| panic!("no cluster {name}"))
    }

    /// `postgres://…` for `database` on the server `name`.
    pub fn url(&self, name: &str, database: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{database}",
            self.port(name)
        )
    }

    /// A new server `name`, started, that streams its changes to replicas.
    pub fn primary(&mut self, name: &str) -> Result<(), String> {
        let root = self.root();
        let data = format!("{root}/{name}");
        self.pg(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        )?;
        let port = free_port();
        append(
            &format!("{data}/postgresql.conf"),
            &format!(
                "listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{root}'\n\
                 wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n"
            ),
        )?;
        append(
            &format!("{data}/pg_hba.conf"),
            "host replication all 127.0.0.1/32 trust\n",
        )?;
        self.ports.push((name.to_owned(), port));
        self.start(name)
    }

    /// A new server `name`, a streaming replica of `of`, started.
    pub fn replica(&mut self, name: &str, of: &str) -> Result<(), String> {
        let data = format!("{}/{name}", self.root());
        let source = self.port(of).to_string();
        self.pg(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &source,
                "-U",
                "postgres",
                "-D",
                &data,
                "-R",
                "-X",
                "stream",
            ],
        )?;
        let port = free_port();
        append(
            &format!("{data}/postgresql.conf"),
            &format!("port = {port}\n"),
        )?;
        self.ports.push((name.to_owned(), port));
        self.start(name)
    }

    /// Starts the server `name` and waits until it takes connections.
    pub fn start(&self, name: &str) -> Result<(), String> {
        let root = self.root();
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &format!("{root}/{name}"),
                "-l",
                &format!("{root}/{name}.log"),
                "-w",
                "start",
            ],
        )
    }

    /// Stops the server `name` at once, as a crash or a pulled cable would.
    pub fn stop(&self, name: &str) -> Result<(), String> {
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &format!("{}/{name}", self.root()),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        )
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

impl Drop for Clusters {
    fn drop(&mut self) {
        for (name, _) in self.ports.iter().rev() {
            let _ = self.stop(name);
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
