//! `danvan import`: portal pages (copied text or saved HTML) into a site's articles, with
//! the meeting, people, organisations, documents, campaigns and figures they state. Each
//! file is read and written on its own, in one transaction: one bad file does not stop the
//! others; a page imported again (recognised by its fingerprint) creates nothing new, and a
//! changed page (same title and time) updates its article and keeps the old one as a
//! revision. Saving a page is `danvan_service::import`; this module reads the files and
//! reports on them.

use anyhow::Context;
use danvan_domain::Slug;
use danvan_ingest::extract::Places;
use danvan_ingest::{Extraction, PageArticle, RawPage, extract, read_page};
use danvan_service::import::{Importer, places_of, save_page};
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
    let name = danvan_domain::account::Username::parse(username)
        .map_err(|e| anyhow::anyhow!("--as {username}: {e}"))?;
    let account = danvan_store::account::by_username(db, &name)
        .await?
        .with_context(|| format!("--as {username}: there is no such account"))?;
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

/// Imports `paths` into a site (none with a dry run, `db` = `None`), file by file, each
/// file in a transaction of its own, calling `progress` with the number done, the number in
/// all and the report after each file. `progress` may answer `Break` to stop there, between
/// two files: what is imported stays, and an import of the same paths again goes on where
/// this one stopped (pages already imported create nothing).
pub async fn import(
    db: Option<&DatabaseConnection>,
    site: Option<&str>,
    by: Option<&Importer>,
    paths: &[PathBuf],
    mut progress: impl FnMut(usize, usize, &Report) -> std::ops::ControlFlow<()>,
) -> anyhow::Result<Vec<Report>> {
    let site = match db {
        Some(db) => Some(site_for(db, site).await?),
        None => None,
    };
    let places = match (db, &site) {
        (Some(db), Some(site)) => places_of(db, site).await?,
        _ => Places::default(),
    };
    let files = files(paths).context("listing the files")?;
    let mut reports = Vec::new();
    for (done, path) in files.iter().enumerate() {
        let report = match read(path) {
            Err(reason) => Report {
                path: path.clone(),
                outcome: Outcome::Failed { reason },
                article: None,
                extraction: None,
                saved: None,
            },
            Ok(article) => {
                let extraction = extract(&article, places.clone());
                let (outcome, saved) = match (db, &site) {
                    (Some(db), Some(site)) => save_page(db, site, &article, &extraction, by)
                        .await
                        .unwrap_or_else(|reason| (Outcome::Failed { reason }, None)),
                    _ => (Outcome::Read, None),
                };
                Report {
                    path: path.clone(),
                    outcome,
                    article: Some(article),
                    extraction: Some(extraction),
                    saved,
                }
            }
        };
        let next = progress(done + 1, files.len(), &report);
        reports.push(report);
        if next.is_break() {
            break;
        }
    }
    // After a large batch the planner needs fresh statistics, or PostgreSQL scans every
    // match of a search until autovacuum gets round to it.
    if let Some(db) = db {
        let created = reports
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Created { .. }))
            .count();
        if created >= ANALYZE_AFTER {
            danvan_store::analyze(db)
                .await
                .context("refreshing the planner's statistics after the import")?;
        }
    }
    Ok(reports)
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
    pub fn count(&mut self, done: usize, total: usize, outcome: &Outcome) {
        self.done = done;
        self.total = total;
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
                " ({} people, {} organisations, {} figures, {} documents, {} campaigns{})",
                e.people.len(),
                e.organisations.len(),
                e.figures.len(),
                e.documents.len(),
                e.campaigns.len(),
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
