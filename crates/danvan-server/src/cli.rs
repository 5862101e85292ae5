//! The command line: `danvan serve | migrate | import | crawl | merge | site | user |
//! export-schema | export-openapi`.

use crate::config::Settings;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// A headless GraphQL content API for Vietnamese "Dân vận" news portals.
#[derive(Debug, Parser)]
#[command(name = "danvan", version)]
pub struct Cli {
    /// A TOML settings file (default: `danvan.toml` if present).
    #[arg(long, global = true, env = "DANVAN_CONFIG")]
    config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Open the database, migrate it, and serve the API until SIGINT or SIGTERM.
    Serve {
        /// Do not load the demo data, even into an empty embedded database.
        #[arg(long)]
        no_demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Import portal pages (copied text or saved HTML) into a site's articles, with the
    /// meeting, people, organisations, figures, documents and campaigns they state, file by
    /// file; a page imported again creates nothing new, a changed page updates its article.
    Import {
        /// The slug of the site to import into (needed only when there are several).
        #[arg(long)]
        site: Option<String>,
        /// Read the pages and show what they hold; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// How to report: a line per file, or JSON with everything read.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The account that brings the pages in (an editor of the site, or an admin):
        /// revisions and the audit log name it.
        #[arg(long = "as", value_name = "USER")]
        by: Option<String>,
        /// Files, or folders to read recursively.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Bring a portal's archive in: find its articles in its sitemaps, feeds and category
    /// listings, fetch them politely (robots.txt, a pause between requests, conditional
    /// requests on a second run) and import each as `import` does. The crawl's progress is
    /// kept in the database: stopped or killed, the same command goes on where it was, and
    /// a later run fetches only what is new or changed.
    Crawl {
        /// The site to import into (needed only when there are several).
        #[arg(long)]
        site: Option<String>,
        /// Only addresses whose path starts with this: "/tin-tuc".
        #[arg(long)]
        prefix: Option<String>,
        /// Only articles published on this day (YYYY-MM-DD) or later.
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// At most this many articles fetched by this command; the rest is left for the
        /// next.
        #[arg(long)]
        max_pages: Option<usize>,
        /// The account that brings the pages in (an editor of the site, or an admin).
        #[arg(long = "as", value_name = "USER")]
        by: Option<String>,
        /// Where to start: the portal's home or category pages, a sitemap or a feed.
        #[arg(required = true)]
        urls: Vec<reqwest::Url>,
    },
    /// Merge an organisation or a person recorded twice into the record to keep: every
    /// link moves, and the old id goes on resolving to the record kept.
    Merge {
        /// What to merge.
        #[command(subcommand)]
        what: crate::merge::Merge,
    },
    /// Manage the sites (portals) that publish through danvan.
    Site {
        /// What to do.
        #[command(subcommand)]
        command: SiteCommand,
    },
    /// Manage the accounts of the people who write and moderate.
    User {
        /// What to do.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Look after the media library's files.
    Media {
        /// What to do.
        #[command(subcommand)]
        command: crate::media::MediaCommand,
    },
    /// Write the GraphQL schema in SDL.
    ExportSchema {
        /// Where to write it; `-` for standard output.
        #[arg(long, short, default_value = "schema.graphql")]
        output: PathBuf,
    },
    /// Write the JSON API's OpenAPI document.
    ExportOpenapi {
        /// Where to write it; `-` for standard output.
        #[arg(long, short, default_value = "openapi.json")]
        output: PathBuf,
    },
}

/// The `site` subcommands.
#[derive(Debug, Subcommand)]
enum SiteCommand {
    /// Add a site.
    Create {
        /// Its slug, unique among sites: "gia-vien".
        slug: String,
        /// Its name, organisation, unit, address and description.
        #[command(flatten)]
        fields: crate::sites::SiteFields,
    },
    /// List the sites: slug, name and address, a line each.
    List,
    /// Change a site; what is left out keeps its value.
    Update {
        /// The site's slug.
        slug: String,
        /// A new slug.
        #[arg(long)]
        new_slug: Option<String>,
        /// Its name, organisation, unit, address and description.
        #[command(flatten)]
        fields: crate::sites::SiteFields,
    },
}

/// The `user` subcommands.
#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Make an account; the password is read from `DANVAN_PASSWORD` or standard input.
    Create {
        /// What they sign in with: 3 to 64 letters a-z, digits, '.', '_' or '-'.
        username: String,
        /// The name shown beside what they write.
        #[arg(long)]
        display_name: String,
        /// What they may do.
        #[arg(long, value_enum)]
        role: crate::users::RoleArg,
        /// The slug of their site (editors and reporters).
        #[arg(long)]
        site: Option<String>,
    },
    /// Give an account another role (and site).
    SetRole {
        /// The account.
        username: String,
        /// The new role.
        #[arg(value_enum)]
        role: crate::users::RoleArg,
        /// The slug of their site (editors and reporters).
        #[arg(long)]
        site: Option<String>,
    },
    /// Disable an account: it cannot sign in, and its tokens stop working.
    Disable {
        /// The account.
        username: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account.
        username: String,
    },
}

/// How `import` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A line per file.
    Text,
    /// A JSON array, with everything read from each file.
    Json,
}

/// Runs the command line and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("danvan: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line with the causes, never a backtrace (anyhow's `Debug` would print one
            // under RUST_BACKTRACE=1): what fails here is most often the user's input.
            eprintln!("danvan: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::ExportSchema { output } => return export(output, &danvan_graphql::sdl()),
        Command::ExportOpenapi { output } => return export(output, &danvan_rest::openapi::json()),
        _ => {}
    }
    if let Some(file) = &cli.config
        && !file.is_file()
    {
        anyhow::bail!("the settings file {} does not exist", file.display());
    }
    let mut settings = Settings::load(cli.config.as_deref()).context("reading the settings")?;
    let telemetry = crate::telemetry::init(&settings);
    let names: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .collect();
    for name in Settings::unknown_variables(names.iter().map(String::as_str)) {
        tracing::warn!(variable = name, "not a setting: ignored");
    }
    match cli.command {
        Command::Serve { no_demo } => {
            if no_demo {
                settings.demo = Some(false);
            }
            let served = serve(&settings).await;
            // The spans of the last requests, sent before the process ends.
            tokio::task::spawn_blocking(move || telemetry.shutdown()).await?;
            served
        }
        Command::Migrate => {
            open(&settings).await?;
            tracing::info!("the database is up to date");
            Ok(())
        }
        Command::Import {
            site,
            dry_run,
            format,
            by,
            paths,
        } => {
            import(
                &settings,
                site.as_deref(),
                dry_run,
                format,
                by.as_deref(),
                &paths,
            )
            .await
        }
        Command::Crawl {
            site,
            prefix,
            since,
            max_pages,
            by,
            urls,
        } => {
            let db = open(&settings).await?;
            let site = crate::import::site_for(&db, site.as_deref()).await?;
            let importer = match by {
                Some(user) => Some(crate::import::importer(&db, &site, &user, "crawl").await?),
                None => None,
            };
            let politeness = settings
                .crawl
                .politeness(site.data.base_url.as_ref().map(|u| u.as_str()));
            let options = danvan_crawl::Options {
                starts: urls,
                prefix,
                since,
                max_pages,
                politeness: politeness.clone(),
                importer,
            };
            // Ctrl-C stops the crawl, and then the pictures are not fetched either.
            let stopping = std::sync::Arc::new(tokio::sync::Notify::new());
            let stopped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let signalled = {
                let (stopping, stopped) = (stopping.clone(), stopped.clone());
                tokio::spawn(async move {
                    shutdown_signal().await;
                    stopped.store(true, std::sync::atomic::Ordering::SeqCst);
                    stopping.notify_waiters();
                })
            };
            let stop = {
                let (stopping, stopped) = (stopping.clone(), stopped.clone());
                async move {
                    let notified = stopping.notified();
                    if !stopped.load(std::sync::atomic::Ordering::SeqCst) {
                        notified.await;
                    }
                }
            };
            crate::crawl::run(&db, &site, &options, stop, PROGRESS_EVERY).await?;
            // The pictures of the pages brought in, into the site's library.
            if !stopped.load(std::sync::atomic::Ordering::SeqCst) {
                let library = crate::media::library(&settings)?;
                let fetched = crate::media::fetch(&db, &library, &site, politeness, None).await?;
                println!(
                    "pictures: {} brought into the media library, {} failed",
                    fetched.pictures, fetched.failed
                );
            }
            signalled.abort();
            Ok(())
        }
        Command::Merge { what } => {
            let db = open(&settings).await?;
            crate::merge::run(&db, what).await
        }
        Command::Site { command } => {
            let db = open(&settings).await?;
            match command {
                SiteCommand::Create { slug, fields } => {
                    crate::sites::create(&db, &slug, fields).await
                }
                SiteCommand::List => crate::sites::list(&db).await,
                SiteCommand::Update {
                    slug,
                    new_slug,
                    fields,
                } => crate::sites::update(&db, &slug, new_slug.as_deref(), fields).await,
            }
        }
        Command::User { command } => {
            let db = open(&settings).await?;
            match command {
                UserCommand::Create {
                    username,
                    display_name,
                    role,
                    site,
                } => {
                    crate::users::create(&db, &username, &display_name, role, site.as_deref()).await
                }
                UserCommand::SetRole {
                    username,
                    role,
                    site,
                } => crate::users::set_role(&db, &username, role, site.as_deref()).await,
                UserCommand::Disable { username } => {
                    crate::users::set_disabled(&db, &username, true).await
                }
                UserCommand::Enable { username } => {
                    crate::users::set_disabled(&db, &username, false).await
                }
            }
        }
        Command::Media { command } => {
            let db = open(&settings).await?;
            crate::media::run(&db, &settings, command).await
        }
        Command::ExportSchema { .. } | Command::ExportOpenapi { .. } => Ok(()),
    }
}

/// How long the subscription sockets have to close once the server stops.
const SOCKETS_CLOSING: std::time::Duration = std::time::Duration::from_secs(2);

/// How often `import` prints a progress line when standard error is not a terminal.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The configured database, migrated.
async fn open(settings: &Settings) -> anyhow::Result<danvan_store::DatabaseConnection> {
    let db = danvan_store::connect(&settings.database_url)
        .await
        .context("opening the database")?;
    danvan_store::migrate(&db).await.context("migrating")?;
    Ok(db)
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let state = crate::prepare(settings)
        .await
        .context("preparing the database")?;
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("listening on {}", settings.bind))?;
    let backend = if settings.is_embedded() {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    tracing::info!(address = %listener.local_addr()?, backend, "danvan is serving");
    let retention = settings.api.rest().retention;
    let purging = tokio::spawn(purge_change_log(state.db.clone(), retention));
    let delivering = tokio::spawn(state.webhook_worker()?.run());
    let following = tokio::spawn(state.rest.freshness().clone().follow(state.db.clone()));
    let flushing = tokio::spawn(state.view_flusher());
    let telling = tokio::spawn(state.live_updates());
    let clearing = tokio::spawn(state.media_purger());
    let (views, db) = (state.views.clone(), state.db.clone());
    let (stopping, sockets) = (state.stopping.clone(), state.sockets.clone());
    let signalled = {
        let stopping = stopping.clone();
        async move {
            shutdown_signal().await;
            stopping.stop();
        }
    };
    let limits = crate::Connections::of(&settings.http);
    crate::serve_with(listener, crate::router(state), signalled, limits).await?;
    // The subscription sockets, told to close (1001), send their close frames.
    let closing = std::time::Instant::now();
    while sockets.count() > 0 && closing.elapsed() < SOCKETS_CLOSING {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    purging.abort();
    delivering.abort();
    following.abort();
    flushing.abort();
    telling.abort();
    clearing.abort();
    // The views counted since the last flush, written before the process ends.
    if let Err(error) = views.flush(&db).await {
        tracing::error!(?error, "cannot write the views counted");
    }
    tracing::info!("danvan stopped after finishing the requests in flight");
    Ok(())
}

/// Removes the change log's rows older than the retention, at start and every hour; a
/// sync token older than that is answered `GONE`. With several servers each does it,
/// which is harmless: the removal is one idempotent statement.
async fn purge_change_log(
    db: danvan_store::DatabaseConnection,
    retention: danvan_service::sync::Retention,
) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        match danvan_service::sync::purge(&db, retention).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, "removed change-log rows past the retention"),
            Err(error) => tracing::error!(?error, "cannot purge the change log"),
        }
    }
}

async fn import(
    settings: &Settings,
    site: Option<&str>,
    dry_run: bool,
    format: Format,
    by: Option<&str>,
    paths: &[PathBuf],
) -> anyhow::Result<()> {
    // SIGTERM or Ctrl-C: the batch being written is finished (its transaction commits),
    // and the import stops before the next one.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let signalled = {
        let stop = stop.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        })
    };
    let db = if dry_run {
        None
    } else {
        Some(open(settings).await?)
    };
    let importer = match (&db, by) {
        (Some(db), Some(user)) => {
            let site = crate::import::site_for(db, site).await?;
            Some(crate::import::importer(db, &site, user, "import").await?)
        }
        _ => None,
    };
    // A bar on a terminal; elsewhere (a log file, a pipe, a service) a line every few
    // seconds, so that a batch of many thousand pages is not silent until it ends.
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = (on_terminal && crate::import::files(paths).map_or(0, |f| f.len()) > 1).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let started = std::time::Instant::now();
    let mut last_line = started;
    let mut total_files = 0;
    // Each file's line as soon as its batch is written, so that memory stays flat however
    // many files; JSON as one array, element by element.
    let mut first = true;
    if format == Format::Json {
        println!("[");
    }
    let mut counts = crate::import::Progress::default();
    let progress = crate::import::import(
        db.as_ref(),
        site,
        importer.as_ref(),
        paths,
        |done, total, report| {
            total_files = total;
            counts.total = total;
            counts.count(&report.outcome);
            let line = match format {
                Format::Text => crate::import::to_line(&report),
                Format::Json => {
                    let element = serde_json::to_string_pretty(&crate::import::to_json(&report))
                        .unwrap_or_default();
                    let separator = if first { "" } else { "," };
                    first = false;
                    format!("{separator}{element}")
                }
            };
            match &bar {
                Some(bar) => bar.suspend(|| println!("{line}")),
                None => println!("{line}"),
            }
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message(report.path.display().to_string());
            } else if !on_terminal && last_line.elapsed() >= PROGRESS_EVERY {
                last_line = std::time::Instant::now();
                eprintln!("danvan import: {}", counts.line(started.elapsed()));
            }
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        },
    )
    .await?;
    signalled.abort();
    if format == Format::Json {
        println!("]");
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if progress.total > 1 {
        eprintln!("danvan import: {}", progress.line(started.elapsed()));
    }
    if progress.failed > 0 {
        anyhow::bail!(
            "{} of {} files could not be imported",
            progress.failed,
            progress.done
        );
    }
    if progress.done < total_files {
        anyhow::bail!(
            "stopped by a signal after {} of {total_files} files; the same command again \
             imports the rest (the pages already imported create nothing)",
            progress.done
        );
    }
    Ok(())
}

/// Writes a generated contract (the schema, the OpenAPI document) to `output`.
fn export(output: &std::path::Path, text: &str) -> anyhow::Result<()> {
    if output.as_os_str() == "-" {
        print!("{text}");
    } else {
        std::fs::write(output, text).with_context(|| format!("writing {}", output.display()))?;
    }
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (what orchestrators send).
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
