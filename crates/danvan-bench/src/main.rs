//! `danvan-bench`: what a front end gets from danvan, measured through HTTP.
//!
//! ```sh
//! bench/run --backend sqlite --articles 100000
//! ```
//!
//! builds (or reuses) a generated data set, starts the release server on it, keeps 1, 16
//! and 64 connections busy with each query of a portal's pages, and prints requests per
//! second, p50, p99 and the ratio to the same server's `/healthz` in the same run, with the
//! server's memory and its time from start to ready. `import` times `danvan import`.

mod data;
mod kept;
mod load;
mod media;
mod queries;
mod server;
mod soak;
mod subscriptions;
mod webhooks;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use danvan_store::DatabaseConnection;
use sea_orm::ConnectionTrait;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(name = "danvan-bench", about = "danvan's HTTP load benchmark")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the data set when it is not there yet, start the server, measure every query.
    Run(RunArgs),
    /// Only generate the data set (again, when `--fresh`).
    Generate {
        #[command(flatten)]
        data: DataArgs,
        /// Generate even when a data set of this size is there.
        #[arg(long)]
        fresh: bool,
    },
    /// Time `danvan import` of generated pages into the data set's directory, batch by batch.
    Import(ImportArgs),
    /// Time a full offline sync of the data set's site through the JSON API, page by
    /// page, and the server's memory while it runs.
    Sync {
        #[command(flatten)]
        data: DataArgs,
        /// Items a page of the sync holds.
        #[arg(long, default_value_t = 500)]
        limit: u32,
        /// The server binary.
        #[arg(long, default_value = "target/release/danvan")]
        server: PathBuf,
    },
    /// Time from publishing an article to its webhook delivery at a receiver in this
    /// process, while the JSON API's list is under load.
    Webhooks {
        #[command(flatten)]
        data: DataArgs,
        /// Articles published, one after the other.
        #[arg(long, default_value_t = 200)]
        publishes: usize,
        /// Connections keeping the JSON API busy meanwhile.
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// The server binary.
        #[arg(long, default_value = "target/release/danvan")]
        server: PathBuf,
    },
    /// One publication told to many GraphQL subscriptions: the server's memory per idle
    /// subscription, and the time until the last subscriber has each publication.
    Subscriptions {
        #[command(flatten)]
        data: DataArgs,
        /// Subscriptions opened.
        #[arg(long, default_value_t = 10_000)]
        subscribers: usize,
        /// Subscriptions on each WebSocket.
        #[arg(long, default_value_t = 20)]
        per_connection: usize,
        /// Articles published, one after the other.
        #[arg(long, default_value_t = 10)]
        publishes: usize,
        /// The server binary.
        #[arg(long, default_value = "target/release/danvan")]
        server: PathBuf,
    },
    /// The home page's kept answer after each of a series of publications: the first
    /// request after one (built again, showing it) and the next (kept again).
    Kept {
        #[command(flatten)]
        data: DataArgs,
        /// Articles published, one after the other.
        #[arg(long, default_value_t = 100)]
        publishes: usize,
        /// The server binary.
        #[arg(long, default_value = "target/release/danvan")]
        server: PathBuf,
    },
    /// The soak: mixed traffic (every read, searches, comments, editor writes, an import
    /// every minute, open subscriptions) on a fresh copy of the data set for a long time;
    /// p50 and p99 per kind, errors, and the server's memory and open files throughout.
    Soak {
        #[command(flatten)]
        data: DataArgs,
        /// Connections kept busy.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// How long.
        #[arg(long, default_value_t = 10.0)]
        minutes: f64,
        /// The server binary.
        #[arg(long, default_value = "target/release/danvan")]
        server: PathBuf,
    },
    /// The media library: uploads of 12-megapixel photos and of documents, the first and
    /// the cached request of a rendition, cached renditions at 16 connections against
    /// `/healthz`.
    Media {
        #[command(flatten)]
        data: DataArgs,
        /// Photos uploaded.
        #[arg(long, default_value_t = 10)]
        photos: u32,
        /// The server binary.
        #[arg(long, default_value = "target/release/danvan")]
        server: PathBuf,
    },
    /// Run each query once in this process and print every SQL statement it costs, with
    /// its time: where a query's time goes, before profiling.
    Statements {
        #[command(flatten)]
        data: DataArgs,
        /// Then run this query again and again for ten seconds (for a profiler to watch).
        #[arg(long)]
        repeat: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

#[derive(clap::Args)]
struct DataArgs {
    /// The database.
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: Backend,
    /// How many articles the data set holds.
    #[arg(long, default_value_t = 100_000)]
    articles: usize,
    /// The PostgreSQL server (its databases `danvan_bench_<articles>` are the benchmark's).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    postgres: String,
    /// Another data set than `danvan-bench-<articles>`, used as it is: neither migrated
    /// nor generated (a copy of the data set for a server of an earlier version, whose
    /// migrations stop before this one's).
    #[arg(long)]
    data_set: Option<String>,
}

impl DataArgs {
    fn url(&self, name: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://target/bench/{name}.db"),
            Backend::Postgres => format!("{}/{}", self.postgres, name.replace('-', "_")),
        }
    }
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Connections kept busy, one run each.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    connections: Vec<usize>,
    /// Seconds measured per query and connection count.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Only these queries (see `NAMES`).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// The server binary.
    #[arg(long, default_value = "target/release/danvan")]
    server: PathBuf,
    /// Settings for the server, `DANVAN_API__RESPONSE_CACHE_MB=0` (repeatable).
    #[arg(long = "setting", value_parser = setting)]
    settings: Vec<(String, String)>,
}

/// A `NAME=value` setting.
fn setting(raw: &str) -> Result<(String, String), String> {
    raw.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("{raw:?} is not NAME=value"))
}

#[derive(clap::Args)]
struct ImportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Pages to import.
    #[arg(long, default_value_t = 10_000)]
    pages: usize,
    /// Batches they are imported in (each timed on its own).
    #[arg(long, default_value_t = 10)]
    batches: usize,
    /// The server binary, whose `import` is timed.
    #[arg(long, default_value = "target/release/danvan")]
    server: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("danvan-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run(args).await,
            Command::Generate { data, fresh } => prepare(&data, fresh).await.map(drop),
            Command::Import(args) => import(args).await,
            Command::Sync {
                data,
                limit,
                server,
            } => sync(&data, limit, &server).await,
            Command::Soak {
                data,
                connections,
                minutes,
                server,
            } => {
                // A copy of its own: the soak writes, and the data set must stay as generated.
                let name = format!("danvan-bench-soak-{}", data.articles);
                let url = prepare_named(&data, &name, true).await?;
                let pages = PathBuf::from("target/bench/soak-pages");
                data::write_pages(&pages, 200, 10)?;
                let duration = Duration::from_secs_f64(minutes * 60.0);
                soak::run(&url, &server, &pages, connections, duration).await
            }
            Command::Statements { data, repeat } => statements(&data, repeat.as_deref()).await,
            Command::Webhooks {
                data,
                publishes,
                connections,
                server,
            } => {
                let url = prepare(&data, false).await?;
                webhooks::measure(&url, &server, publishes, connections).await
            }
            Command::Media {
                data,
                photos,
                server,
            } => {
                let url = prepare(&data, false).await?;
                let folder = PathBuf::from(format!("target/bench/media-{}", data.articles));
                media::measure(&url, &server, &folder, photos.max(4)).await
            }
            Command::Kept {
                data,
                publishes,
                server,
            } => {
                let url = prepare(&data, false).await?;
                kept::measure(&url, &server, publishes).await
            }
            Command::Subscriptions {
                data,
                subscribers,
                per_connection,
                publishes,
                server,
            } => {
                let url = prepare(&data, false).await?;
                subscriptions::measure(&url, &server, subscribers, per_connection, publishes).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("danvan-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens an empty database named `name` (dropping what was there).
async fn fresh_database(args: &DataArgs, name: &str) -> anyhow::Result<DatabaseConnection> {
    match args.backend {
        Backend::Sqlite => {
            let path = format!("target/bench/{name}.db");
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{path}{suffix}");
                if std::path::Path::new(&file).exists() {
                    std::fs::remove_file(&file).with_context(|| format!("removing {file}"))?;
                }
            }
        }
        Backend::Postgres => {
            let admin = danvan_store::connect(&format!("{}/postgres", args.postgres)).await?;
            let db = name.replace('-', "_");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {db}"))
                .await?;
        }
    }
    let db = danvan_store::connect(&args.url(name)).await?;
    danvan_store::migrate(&db).await?;
    Ok(db)
}

/// How many articles a data set holds, all of them counted (the store's lists count up to
/// a bound).
async fn articles(db: &danvan_store::DatabaseConnection) -> Option<usize> {
    use sea_orm::{ConnectionTrait, Statement};
    let count = Statement::from_string(
        db.get_database_backend(),
        "SELECT COUNT(*) AS n FROM article",
    );
    let row = db.query_one_raw(count).await.ok()??;
    let n: i64 = row.try_get("", "n").ok()?;
    usize::try_from(n).ok()
}

/// The data set of `args.articles` articles, generated unless it is there already.
async fn prepare(args: &DataArgs, fresh: bool) -> anyhow::Result<String> {
    if let Some(name) = &args.data_set {
        let url = args.url(name);
        let db = danvan_store::connect(&url).await?;
        let held = articles(&db).await;
        if held != Some(args.articles) {
            anyhow::bail!(
                "the data set {name} holds {held:?} articles, not {}",
                args.articles
            );
        }
        return Ok(url);
    }
    prepare_named(args, &format!("danvan-bench-{}", args.articles), fresh).await
}

/// [`prepare`], in the database `name`.
async fn prepare_named(args: &DataArgs, name: &str, fresh: bool) -> anyhow::Result<String> {
    let url = args.url(name);
    if !fresh
        && let Ok(db) = danvan_store::connect(&url).await
        && danvan_store::migrate(&db).await.is_ok()
        && articles(&db).await == Some(args.articles)
    {
        eprintln!("reusing the data set at {url}");
        return Ok(url);
    }
    eprintln!("generating {} articles into {url}", args.articles);
    let started = Instant::now();
    let db = fresh_database(args, name).await?;
    let written = data::generate(
        &db,
        data::Size {
            articles: args.articles,
        },
    )
    .await?;
    eprintln!(
        "generated {} organisations and {} articles in {:.1?}",
        written.organisations,
        written.articles,
        started.elapsed()
    );
    Ok(url)
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let url = prepare(&args.data, false).await?;
    let server = server::Server::start_with(&args.server, &url, &args.settings).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = server.rss_mib()?;
    if let Some(unknown) = args
        .only
        .iter()
        .find(|o| !queries::NAMES.contains(&o.as_str()))
    {
        anyhow::bail!(
            "no query is named {unknown}; the queries are {:?}",
            queries::NAMES
        );
    }
    let queries = queries::all(server.addr, |name| {
        args.only.is_empty() || args.only.iter().any(|o| o == name)
    })
    .await?;
    let backend = match args.data.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!(
        "\n{backend}, {} articles: start to ready {:.0} ms, idle RSS {idle:.1} MiB \
         (after one request of each query)\n",
        args.data.articles,
        ms(server.start_to_ready),
    );
    println!("| query | connections | req/s | p50 ms | p99 ms | % of /healthz | errors |");
    println!("|---|---|---|---|---|---|---|");
    let warmup = Duration::from_secs_f64(args.warmup);
    let duration = Duration::from_secs_f64(args.seconds);
    let mut peak = idle;
    for &connections in &args.connections {
        let health = load::run(
            &load::Target::get(server.addr, "/healthz"),
            connections,
            warmup,
            duration,
        )
        .await?;
        row("/healthz", connections, &health, health.rate());
        for query in &queries {
            let outcome = load::run(&query.target, connections, warmup, duration).await?;
            peak = peak.max(server.rss_mib()?);
            row(query.name, connections, &outcome, health.rate());
        }
    }
    println!(
        "\nRSS after the load: {:.1} MiB (highest seen between runs {peak:.1} MiB)",
        server.rss_mib()?
    );
    Ok(())
}

async fn sync(data: &DataArgs, limit: u32, binary: &std::path::Path) -> anyhow::Result<()> {
    let url = prepare(data, false).await?;
    let server = server::Server::start(binary, &url).await?;
    let idle = server.rss_mib()?;
    let mut peak = idle;
    let mut token: Option<String> = None;
    let (mut pages, mut articles, mut bytes) = (0usize, 0usize, 0usize);
    let started = Instant::now();
    loop {
        let mut path = format!("/api/v1/sync?site={}&limit={limit}", data::SITE);
        if let Some(token) = &token {
            path.push_str(&format!("&since={token}"));
        }
        let body = load::once(&load::Target::get(server.addr, &path)).await?;
        bytes += body.len();
        let page: serde_json::Value = serde_json::from_slice(&body)?;
        pages += 1;
        articles += page["articles"].as_array().map_or(0, Vec::len);
        peak = peak.max(server.rss_mib()?);
        token = page["token"].as_str().map(str::to_owned);
        if page["hasMore"] != true {
            break;
        }
    }
    let elapsed = started.elapsed();
    println!(
        "full sync of {articles} articles: {pages} pages of {limit}, {:.1} MiB of JSON in {:.2} s; \
         server RSS idle {idle:.1} MiB, highest during the sync {peak:.1} MiB, after {:.1} MiB",
        bytes as f64 / 1024.0 / 1024.0,
        elapsed.as_secs_f64(),
        server.rss_mib()?
    );
    Ok(())
}

fn row(name: &str, connections: usize, outcome: &load::Outcome, health: f64) {
    println!(
        "| {name} | {connections} | {:.0} | {:.2} | {:.2} | {:.1}% | {} |",
        outcome.rate(),
        ms(outcome.percentile(0.5)),
        ms(outcome.percentile(0.99)),
        100.0 * outcome.rate() / health,
        outcome.errors
    );
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let name = format!("danvan-bench-import-{}", args.pages);
    eprintln!("a directory without articles at {}", args.data.url(&name));
    let db = fresh_database(&args.data, &name).await?;
    data::generate(&db, data::Size { articles: 0 }).await?;
    drop(db);
    let folder = PathBuf::from(format!("target/bench/pages-{}", args.pages));
    data::write_pages(&folder, args.pages, args.batches)?;
    let mut total = Duration::ZERO;
    println!(
        "\n| batch | pages | seconds | pages/s | resident memory at ¼, ½, ¾ of the batch, and most (MiB) |\n|---|---|---|---|---|"
    );
    for batch in 0..args.batches {
        let dir = folder.join(format!("{batch:03}"));
        let pages = std::fs::read_dir(&dir)?.count();
        let started = Instant::now();
        let mut child = std::process::Command::new(&args.server)
            .args(["import", "--site", data::SITE])
            .arg(&dir)
            .env("DATABASE_URL", args.data.url(&name))
            .env("DANVAN_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .with_context(|| format!("running {}", args.server.display()))?;
        // The importer's memory, sampled while it runs: flat, or growing with the pages.
        let mut samples = Vec::new();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if let Ok(rss) = server::rss_mib_of(child.id()) {
                samples.push(rss);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let took = started.elapsed();
        let at = |share: f64| {
            samples
                .get(((samples.len() as f64 * share) as usize).min(samples.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0.0)
        };
        let most = samples.iter().copied().fold(0.0, f64::max);
        if !status.success() {
            anyhow::bail!("danvan import failed on {}: {status}", dir.display());
        }
        total += took;
        println!(
            "| {} | {pages} | {:.1} | {:.0} | {:.0}, {:.0}, {:.0}; {most:.0} |",
            batch + 1,
            took.as_secs_f64(),
            pages as f64 / took.as_secs_f64(),
            at(0.25),
            at(0.5),
            at(0.75),
        );
    }
    println!(
        "\n{} pages in {:.1} s: {:.0} pages/s",
        args.pages,
        total.as_secs_f64(),
        args.pages as f64 / total.as_secs_f64()
    );
    Ok(())
}

async fn statements(args: &DataArgs, repeat: Option<&str>) -> anyhow::Result<()> {
    use std::sync::{Arc, Mutex};
    let url = prepare(args, false).await?;
    let log: Arc<Mutex<Vec<(Duration, String)>>> = Arc::default();
    let mut db = danvan_store::connect(&url).await?;
    let mut readers = danvan_store::connect_readers(&url).await?;
    for pool in std::iter::once(&mut db).chain(readers.as_mut()) {
        let log = Arc::clone(&log);
        pool.set_metric_callback(move |info| {
            if let Ok(mut log) = log.lock() {
                log.push((info.elapsed, info.statement.sql.clone()));
            }
        });
    }
    let mut state = danvan_server::AppState::new(db, &danvan_server::Settings::default()).await?;
    if let Some(readers) = readers {
        state = state.with_readers(readers);
    }
    // The queries need their values (a slug, an id) from a running server.
    let server = server::Server::start(&PathBuf::from("target/release/danvan"), &url).await?;
    let queries = queries::all(server.addr, |_| true).await?;
    drop(server);
    for query in &queries {
        for round in 0..2 {
            let request: async_graphql::Request = serde_json::from_slice(&query.target.body)?;
            log.lock()
                .map_err(|_| anyhow::anyhow!("a poisoned log"))?
                .clear();
            let started = Instant::now();
            let response = state.api.execute(request, Default::default()).await;
            let took = started.elapsed();
            if !response.errors.is_empty() {
                anyhow::bail!("{}: {:?}", query.name, response.errors);
            }
            // The first round prepares the statements; the second is what a warm server does.
            if round == 1 {
                let log = log.lock().map_err(|_| anyhow::anyhow!("a poisoned log"))?;
                let in_sql: Duration = log.iter().map(|(d, _)| *d).sum();
                println!(
                    "\n## {}: {} statements, {:.2} ms in SQL, {:.2} ms in all\n",
                    query.name,
                    log.len(),
                    ms(in_sql),
                    ms(took)
                );
                for (d, sql) in log.iter() {
                    let short: String = sql.chars().take(160).collect();
                    println!("- {:.3} ms `{short}`", ms(*d));
                }
            }
        }
    }
    if let Some(name) = repeat {
        let query = queries
            .iter()
            .find(|q| q.name == name)
            .with_context(|| format!("no query is named {name}"))?;
        let started = Instant::now();
        let mut runs = 0_u32;
        while started.elapsed() < Duration::from_secs(10) {
            let request: async_graphql::Request = serde_json::from_slice(&query.target.body)?;
            let response = state.api.execute(request, Default::default()).await;
            std::hint::black_box(serde_json::to_vec(&response)?);
            runs += 1;
        }
        println!(
            "\n{name}: {runs} runs, {:.3} ms each",
            ms(started.elapsed()) / f64::from(runs)
        );
    }
    Ok(())
}
