//! Logs: one line per event on standard error, one span per request carrying its request id.

use tracing_subscriber::EnvFilter;

/// Starts logging to standard error with `RUST_LOG`, else the configured filter.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    // A second call (as in tests) keeps the first subscriber; that is not an error worth
    // stopping for.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Standard output is for what a command prints (a schema, an import report).
        .with_writer(std::io::stderr)
        .try_init();
}
