//! `danvan import`: portal pages (copied text or saved HTML) into a site's articles, with
//! the meeting, people, organisations, documents, campaigns and figures they state. Files
//! are read on every core and written in batches, each file in a savepoint of its own: one
//! bad file does not stop the others; a page imported again (recognised by its fingerprint) creates nothing new, and a
//! changed page (same title and time) updates its article and keeps the old one as a
//! revision. Saving a page is `danvan_service::import`; this module reads the files and
//! reports on them.

use anyhow::Context;
use danvan_domain::Slug;
use danvan_ingest::extract::Places;
use danvan_ingest::{Extraction, PageArticle, RawPage, extract, read_page};
use danvan_service::import::{Importer, places_of};
pub use danvan_service::import::{Outcome, Saved};
use danvan_store::DatabaseConnection;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// One file's report.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file.
    pub path: PathBuf,
    /// What happened.
    pub outcome: Outcome,
    /// What was read from it, when it could be read.
    pub article: Option<PageArticle>,
    /// What the article states.
    pub extraction: Option<Extraction>,
    /// What was written beside the article.
    pub saved: Option<Saved>,
}

/// The files under `paths`: files as given, folders read recursively, in name order.
pub fn files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()?;
            entries.sort();
            found.extend(files(&entries)?);
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

/// Reads one file.
fn read(path: &Path) -> Result<PageArticle, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let page = RawPage::from_bytes(&bytes).map_err(|e| e.to_string())?;
    let article = read_page(&page);
    if article.title.is_empty() {
        return Err("no title found".to_owned());
    }
    Ok(article)
}

/// The site to import into: the one named, or the only one there is.
pub async fn site_for(
    db: &DatabaseConnection,
    site: Option<&str>,
) -> anyhow::Result<danvan_store::site::Site> {
    if let Some(slug) = site {
        let slug = Slug::parse(slug).context("the site slug")?;
        let found = danvan_store::site::by_slug(db, &slug).await?;
        return found.with_context(|| format!("there is no site {slug}"));
    }
    let sites = danvan_store::site::list(db, &danvan_store::PageRequest::first(2)).await?;
    match sites.items.as_slice() {
        [only] => Ok(only.clone()),
        [] => anyhow::bail!("there is no site yet: create one, or use --dry-run"),
        _ => anyhow::bail!("there are several sites: name one with --site (or use --dry-run)"),
    }
}

/// The account that brings pages into `site`: it must exist, be enabled, and be an admin
/// or an editor of the site.
pub async fn importer(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
    username: &str,
    operation: &'static str,
) -> anyhow::Result<Importer> {
    let account = crate::users::account(db, username)
        .await
        .with_context(|| format!("--as {username}"))?;
    let may = !account.data.disabled
        && match account.data.role {
            danvan_domain::account::Role::Admin => true,
            danvan_domain::account::Role::Editor => account.data.site_id == Some(site.id),
            danvan_domain::account::Role::Reporter => false,
        };
    if !may {
        anyhow::bail!(
            "--as {username}: only an enabled admin, or an editor of {}, may bring pages in",
            site.data.slug
        );
    }
    Ok(Importer {
        account_id: account.id,
        operation,
    })
}

/// Pages read ahead of the writer at most: what keeps memory flat however many files.
const READ_AHEAD: usize = 256;
/// Pages written in one transaction at most.
const BATCH_PAGES: usize = 256;
/// How long a transaction may gather pages before it commits: other writers (the server,
/// on SQLite) wait for it no longer than this, and reports keep coming.
const BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// A file's page read and extracted (or why it could not be), with the file's index.
type Numbered = (usize, Result<(PageArticle, Extraction), String>);

/// Reads one file and what it states, or why it cannot be imported.
fn read_and_extract(path: &Path, places: &Places) -> Result<(PageArticle, Extraction), String> {
    let article = read(path)?;
    let extraction = extract(&article, places.clone());
    Ok((article, extraction))
}

/// Imports `paths` into a site (none with a dry run, `db` = `None`). Files are read and
/// extracted on every core, ahead of the writer; the writer saves them in order, in
/// batches of up to 256 pages in one transaction with a savepoint per page (a
/// bad page fails alone; see `danvan_service::import::save_batch`). `on_report` hears of
/// each file once its batch has committed, with the number done and the number in all,
/// and may answer `Break` to stop there: what is imported stays, and an import of the same
/// paths again goes on where this one stopped (pages already imported create nothing).
/// Gives the counts.
pub async fn import(
    db: Option<&DatabaseConnection>,
    site: Option<&str>,
    by: Option<&Importer>,
    paths: &[PathBuf],
    mut on_report: impl FnMut(usize, usize, Report) -> std::ops::ControlFlow<()>,
) -> anyhow::Result<Progress> {
    let site = match db {
        Some(db) => Some(site_for(db, site).await?),
        None => None,
    };
    let places = match (db, &site) {
        (Some(db), Some(site)) => places_of(db, site).await?,
        _ => Places::default(),
    };
    let files = std::sync::Arc::new(files(paths).context("listing the files")?);
    let total = files.len();
    let (sender, mut read) = tokio::sync::mpsc::channel(READ_AHEAD);
    let readers = spawn_readers(files.clone(), places, sender);
    let mut progress = Progress {
        total,
        ..Progress::default()
    };
    let mut analysed_at = 0;
    // Pages arrive out of order from the readers; they are written in the files' order.
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0;
    let mut stopped = false;
    while next < total && !stopped {
        let started = std::time::Instant::now();
        let mut batch: Vec<Numbered> = Vec::new();
        while next < total && batch.len() < BATCH_PAGES {
            if let Some(page) = waiting.remove(&next) {
                batch.push((next, page));
                next += 1;
                continue;
            }
            // Once the batch holds pages, it waits for more only until its time is up.
            let left = BATCH_TIME.saturating_sub(started.elapsed());
            if !batch.is_empty() && left.is_zero() {
                break;
            }
            let received = if batch.is_empty() {
                read.recv().await
            } else {
                match tokio::time::timeout(left, read.recv()).await {
                    Ok(received) => received,
                    Err(_) => break,
                }
            };
            let Some((index, page)) = received else {
                anyhow::bail!("the readers of the files stopped");
            };
            waiting.insert(index, page);
        }
        let reports = write(db, site.as_ref(), by, &files, batch).await;
        for report in reports {
            progress.count(&report.outcome);
            if on_report(progress.done, total, report).is_break() {
                stopped = true;
            }
        }
        // After a large batch the planner needs fresh statistics, or PostgreSQL scans
        // every match of a search until autovacuum gets round to it: once the new articles
        // have doubled since the last time.
        if let Some(db) = db
            && progress.created >= ANALYZE_AFTER
            && progress.created >= 2 * analysed_at
        {
            danvan_store::analyze(db)
                .await
                .context("refreshing the planner's statistics after the import")?;
            analysed_at = progress.created;
        }
    }
    // The readers stop at their next page once no one receives.
    drop(read);
    readers.await.context("reading the files")?;
    if let Some(db) = db
        && progress.created > analysed_at
        && progress.created >= ANALYZE_AFTER
    {
        danvan_store::analyze(db)
            .await
            .context("refreshing the planner's statistics after the import")?;
    }
    Ok(progress)
}

/// Reads and extracts the files on every core, sending each with its index; a reader takes
/// the next file only when there is room ahead of the writer.
fn spawn_readers(
    files: std::sync::Arc<Vec<PathBuf>>,
    places: Places,
    sender: tokio::sync::mpsc::Sender<Numbered>,
) -> tokio::task::JoinHandle<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    tokio::task::spawn_blocking(move || {
        std::thread::scope(|scope| {
            for _ in 0..cores {
                let (files, places, sender, next) = (&files, &places, sender.clone(), &next);
                scope.spawn(move || {
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(path) = files.get(index) else { break };
                        let page = read_and_extract(path, places);
                        // The writer has gone (stopped): nothing more to read.
                        if sender.blocking_send((index, page)).is_err() {
                            break;
                        }
                    }
                });
            }
        });
    })
}

/// Writes a batch (a dry run writes nothing) and reports on each of its files, in order.
async fn write(
    db: Option<&DatabaseConnection>,
    site: Option<&danvan_store::site::Site>,
    by: Option<&Importer>,
    files: &[PathBuf],
    batch: Vec<Numbered>,
) -> Vec<Report> {
    let failed = |path: &Path, reason: String| Report {
        path: path.to_path_buf(),
        outcome: Outcome::Failed { reason },
        article: None,
        extraction: None,
        saved: None,
    };
    let (Some(db), Some(site)) = (db, site) else {
        return batch
            .into_iter()
            .map(|(index, page)| match page {
                Ok((article, extraction)) => Report {
                    path: files[index].clone(),
                    outcome: Outcome::Read,
                    article: Some(article),
                    extraction: Some(extraction),
                    saved: None,
                },
                Err(reason) => failed(&files[index], reason),
            })
            .collect();
    };
    let pages: Vec<(&PageArticle, &Extraction)> = batch
        .iter()
        .filter_map(|(_, page)| page.as_ref().ok().map(|(a, e)| (a, e)))
        .collect();
    let saved = danvan_service::import::save_batch(db, site, &pages, by).await;
    drop(pages);
    let mut saved = match saved {
        Ok(outcomes) => outcomes.into_iter(),
        Err(reason) => {
            return batch
                .into_iter()
                .map(|(index, _)| failed(&files[index], reason.clone()))
                .collect();
        }
    };
    batch
        .into_iter()
        .map(|(index, page)| match page {
            Err(reason) => failed(&files[index], reason),
            Ok((article, extraction)) => {
                let (outcome, saved) = saved
                    .next()
                    .unwrap_or_else(|| Err("not written".to_owned()))
                    .unwrap_or_else(|reason| (Outcome::Failed { reason }, None));
                Report {
                    path: files[index].clone(),
                    outcome,
                    article: Some(article),
                    extraction: Some(extraction),
                    saved,
                }
            }
        })
        .collect()
}

/// How far an import is, for the person waiting: counted file by file, told as a line.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Files done.
    pub done: usize,
    /// Files in all.
    pub total: usize,
    /// New articles.
    pub created: usize,
    /// Changed pages.
    pub updated: usize,
    /// Pages imported before.
    pub unchanged: usize,
    /// Files that could not be imported.
    pub failed: usize,
}

impl Progress {
    /// Counts one more file.
    pub fn count(&mut self, outcome: &Outcome) {
        self.done += 1;
        match outcome {
            Outcome::Created { .. } => self.created += 1,
            Outcome::Updated { .. } => self.updated += 1,
            Outcome::Unchanged { .. } => self.unchanged += 1,
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::Read => {}
        }
    }

    /// The line to print after `elapsed`: files done, what happened to them, the rate and
    /// the time left at that rate.
    pub fn line(&self, elapsed: std::time::Duration) -> String {
        let seconds = elapsed.as_secs_f64().max(0.001);
        let rate = self.done as f64 / seconds;
        let left = if rate > 0.0 {
            let secs = (self.total.saturating_sub(self.done) as f64 / rate).round() as u64;
            format!("{}m{:02}s left", secs / 60, secs % 60)
        } else {
            "time left unknown".to_owned()
        };
        format!(
            "{}/{} files: {} created, {} updated, {} unchanged, {} failed; {rate:.1} files/s, {left}",
            self.done, self.total, self.created, self.updated, self.unchanged, self.failed
        )
    }
}

/// How many new articles make a batch large enough to refresh the planner's statistics.
pub const ANALYZE_AFTER: usize = 100;

/// A report as JSON, with what was read and extracted.
pub fn to_json(report: &Report) -> Value {
    let (outcome, detail) = match &report.outcome {
        Outcome::Read => ("read", Value::Null),
        Outcome::Created { slug } => ("created", json!(slug)),
        Outcome::Updated { slug, revision } => {
            ("updated", json!({ "slug": slug, "revision": revision }))
        }
        Outcome::Unchanged { slug } => ("unchanged", json!(slug)),
        Outcome::Failed { reason } => ("failed", json!(reason)),
    };
    json!({
        "file": report.path.display().to_string(),
        "outcome": outcome,
        "detail": detail,
        "article": report.article.as_ref().map(danvan_ingest::json::article),
        "extraction": report.extraction.as_ref().map(danvan_ingest::json::extraction),
        "saved": report.saved.as_ref().map(|s| json!({
            "organisationsCreated": s.organisations_created,
            "peopleCreated": s.people_created,
            "positionsCreated": s.positions_created,
            "documentsCreated": s.documents_created,
            "campaignsCreated": s.campaigns_created,
            "modelsCreated": s.models_created,
            "positionsEnded": s.positions_ended,
            "people": s.people.iter().map(|(name, how)| json!({ "name": name, "match": how.as_str() })).collect::<Vec<_>>(),
            "meeting": s.meeting,
            "figuresCreated": s.figures_created,
        })),
    })
}

/// A report as one line of text.
pub fn to_line(report: &Report) -> String {
    let file = report.path.display();
    let counts = report
        .extraction
        .as_ref()
        .map(|e| {
            format!(
                " ({} people, {} organisations, {} figures, {} documents, {} campaigns, {} models{})",
                e.people.len(),
                e.organisations.len(),
                e.figures.len(),
                e.documents.len(),
                e.campaigns.len(),
                e.models.len(),
                if e.meeting.is_some() {
                    ", a meeting"
                } else {
                    ""
                }
            )
        })
        .unwrap_or_default();
    match &report.outcome {
        Outcome::Read => format!(
            "{file}: read \"{}\"{counts}",
            report.article.as_ref().map_or("", |a| a.title.as_str())
        ),
        Outcome::Created { slug } => format!("{file}: created {slug}{counts}"),
        Outcome::Updated { slug, revision } => {
            format!("{file}: updated {slug} (the page changed; revision {revision} kept){counts}")
        }
        Outcome::Unchanged { slug } => format!("{file}: unchanged (imported before as {slug})"),
        Outcome::Failed { reason } => format!("{file}: failed: {reason}"),
    }
}
