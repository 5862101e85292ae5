//! `danvan import`: portal pages (copied text or saved HTML) into a site's articles, with
//! the meeting, people, organisations, documents, campaigns and figures they state. Each
//! file is read and written on its own, in one transaction: one bad file does not stop the
//! others; a page imported again (recognised by its fingerprint) creates nothing new, and a
//! changed page (same title and time) updates its article and keeps the old one as a
//! revision.

mod save;

use anyhow::Context;
use danvan_domain::Slug;
use danvan_domain::admin_unit::AdminLevel;
use danvan_ingest::extract::Places;
use danvan_ingest::{Extraction, PageArticle, RawPage, extract, read_page};
use danvan_store::{DatabaseConnection, TransactionTrait};
use save::{Saved, merge};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Read (dry run): nothing written.
    Read,
    /// A new article.
    Created {
        /// Its slug.
        slug: String,
    },
    /// A changed page: its article updated, the old one kept as a revision.
    Updated {
        /// The article's slug.
        slug: String,
        /// The number of the revision kept.
        revision: i32,
    },
    /// Imported before: nothing written.
    Unchanged {
        /// The slug of the article it is.
        slug: String,
    },
    /// Not imported, and why.
    Failed {
        /// The reason, for the person running the import.
        reason: String,
    },
}

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

/// Writes one page, all or nothing.
async fn write(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
    article: &PageArticle,
    extraction: &Extraction,
) -> Result<(Outcome, Option<Saved>), String> {
    let fail = |e: danvan_store::StoreError| e.to_string();
    let mut data = article
        .to_article_data(site.id)
        .map_err(|e| e.to_string())?;
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    let fingerprint = data.fingerprint.clone().unwrap_or_default();
    if let Some(existing) = danvan_store::article::by_fingerprint(&txn, site.id, &fingerprint)
        .await
        .map_err(fail)?
    {
        return Ok((
            Outcome::Unchanged {
                slug: existing.data.slug.to_string(),
            },
            None,
        ));
    }
    // The same page changed: at the same address, or else with the same title and time.
    let existing = match &data.canonical_url {
        Some(url) => danvan_store::article::by_canonical_url(&txn, site.id, url)
            .await
            .map_err(fail)?,
        None => None,
    };
    let existing = match existing {
        Some(found) => Some(found),
        None => danvan_store::article::same_page(&txn, site.id, &data.title, data.published_at)
            .await
            .map_err(fail)?,
    };
    let day = extraction
        .meeting
        .as_ref()
        .and_then(|m| m.held_on)
        .or(article.published.map(|p| p.date));
    let mut saved = Saved::default();
    let links = save::save_directory(
        &txn,
        extraction,
        day,
        existing.as_ref().and_then(|a| a.data.meeting_id),
        &mut saved,
    )
    .await
    .map_err(fail)?;
    save::link_article(&mut data, &links);
    data.tag_ids = save::tags(&txn, &article.keywords).await.map_err(fail)?;
    let (outcome, id) = match existing {
        Some(old) => {
            // The page's own fields are replaced; what editors added (tags, categories,
            // links) stays beside what the page names now.
            let mut updated = old.data.clone();
            updated.title = data.title;
            updated.lead = data.lead;
            updated.body = data.body;
            updated.authors = data.authors;
            updated.source = data.source;
            updated.images = data.images;
            updated.view_count = updated.view_count.max(data.view_count);
            updated.fingerprint = data.fingerprint;
            updated.canonical_url = data.canonical_url.or(updated.canonical_url);
            updated.meeting_id = data.meeting_id.or(updated.meeting_id);
            merge(&mut updated.tag_ids, data.tag_ids);
            merge(&mut updated.organisation_ids, data.organisation_ids);
            merge(&mut updated.person_ids, data.person_ids);
            merge(&mut updated.document_ids, data.document_ids);
            merge(&mut updated.campaign_ids, data.campaign_ids);
            let change = danvan_store::revision::Change {
                reason: "import",
                actor: None,
            };
            let (article, kept) =
                danvan_store::article::update(&txn, old.id, None, &updated, change)
                    .await
                    .map_err(fail)?;
            (
                Outcome::Updated {
                    slug: article.data.slug.to_string(),
                    revision: kept.number,
                },
                article.id,
            )
        }
        None => {
            data.slug = danvan_store::article::unique_slug(&txn, site.id, &data.slug)
                .await
                .map_err(fail)?;
            let created = danvan_store::article::create(&txn, &data)
                .await
                .map_err(fail)?;
            (
                Outcome::Created {
                    slug: created.data.slug.to_string(),
                },
                created.id,
            )
        }
    };
    save::save_figures(&txn, extraction, id, &links, &mut saved)
        .await
        .map_err(fail)?;
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok((outcome, Some(saved)))
}

/// The places of a site: its administrative unit and the units above it.
async fn places_of(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
) -> anyhow::Result<Places> {
    let mut places = Places::default();
    let mut next = site.data.admin_unit_id;
    // Four levels at most; the bound also stops a cycle in bad data.
    for _ in 0..4 {
        let Some(id) = next else { break };
        let Some(unit) = danvan_store::admin_unit::get(db, id).await? else {
            break;
        };
        let name = Some(unit.data.name.to_string());
        match unit.data.level {
            AdminLevel::Province | AdminLevel::Municipality => places.province = name,
            AdminLevel::District
            | AdminLevel::UrbanDistrict
            | AdminLevel::Town
            | AdminLevel::ProvincialCity => places.district = name,
            _ => places.commune = name,
        }
        next = unit.data.parent_id;
    }
    Ok(places)
}

/// The site to import into: the one named, or the only one there is.
async fn site_for(
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

/// Imports `paths` into a site (none with a dry run, `db` = `None`), file by file,
/// calling `progress` with the number done, the number in all and the report after each
/// file.
pub async fn import(
    db: Option<&DatabaseConnection>,
    site: Option<&str>,
    paths: &[PathBuf],
    mut progress: impl FnMut(usize, usize, &Report),
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
                    (Some(db), Some(site)) => write(db, site, &article, &extraction)
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
        progress(done + 1, files.len(), &report);
        reports.push(report);
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
