//! Logs: one line per event on standard error, one span per request carrying its request id.

use tracing_subscriber::EnvFilter;

/// What the libraries below say at `info` that nobody running danvan can act on:
/// PostgreSQL's notices ("relation \"seaql_migrations\" already exists, skipping", on every
/// command) and the migrator's own progress (danvan logs the outcome). Kept at `warn`
/// unless the filter names them.
const QUIET: [&str; 2] = ["sqlx::postgres::notice=warn", "sea_orm_migration=warn"];

/// Starts logging to standard error with `RUST_LOG`, else the configured filter, as text or
/// as JSON lines.
pub fn init(filter: &str, format: crate::config::LogFormat) {
    let given = std::env::var("RUST_LOG").unwrap_or_else(|_| filter.to_owned());
    let mut filter = EnvFilter::try_new(&given).unwrap_or_else(|_| EnvFilter::new("info"));
    for directive in QUIET {
        let target = directive.split('=').next().unwrap_or_default();
        if !given.contains(target)
            && let Ok(directive) = directive.parse()
        {
            filter = filter.add_directive(directive);
        }
    }
    // A second call (as in tests) keeps the first subscriber; that is not an error worth
    // stopping for.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Standard output is for what a command prints (a schema, an import report).
        .with_writer(std::io::stderr);
    let _ = match format {
        crate::config::LogFormat::Text => builder.try_init(),
        crate::config::LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
}
