//! `danvan crawl`: a portal's archive brought in by `danvan_crawl`, with progress for the
//! person waiting (a spinner on a terminal, a line every few seconds otherwise) and a
//! summary at the end. SIGINT or SIGTERM stops it at once; what was imported stays, and the
//! same command goes on from there.

use danvan_crawl::{Options, Summary};
use danvan_store::DatabaseConnection;
use danvan_store::site::Site;

/// Runs the crawl until `stop` completes (or it is done) and reports on it: a progress
/// line every `every` when standard error is not a terminal.
pub async fn run(
    db: &DatabaseConnection,
    site: &Site,
    options: &Options,
    stop: impl std::future::Future<Output = ()>,
    every: std::time::Duration,
) -> anyhow::Result<()> {
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let spinner = on_terminal.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });
    let started = std::time::Instant::now();
    let mut last_line = started;
    let summary = danvan_crawl::crawl(db, site, options, stop, |summary: &Summary| {
        if let Some(bar) = &spinner {
            bar.set_message(summary.line());
        } else if last_line.elapsed() >= every {
            last_line = std::time::Instant::now();
            eprintln!("danvan crawl: {}", summary.line());
        }
    })
    .await?;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    for (url, reason) in &summary.failed {
        println!("{url}: failed: {reason}");
    }
    println!(
        "danvan crawl: {} in {:.0} s",
        summary.line(),
        started.elapsed().as_secs_f64()
    );
    if summary.left {
        println!(
            "danvan crawl: addresses are still due; the same command goes on where this one \
             stopped"
        );
    }
    Ok(())
}
