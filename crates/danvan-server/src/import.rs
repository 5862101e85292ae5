//! `danvan import`: portal pages copied as text, into a site's articles. Each file is read
//! and written on its own, in one transaction: one bad file does not stop the others, and a
//! file imported again (recognised by its fingerprint) creates nothing new.

use anyhow::Context;
use danvan_domain::Slug;
use danvan_ingest::{PageArticle, RawPage, read_text_page};
use danvan_store::{DatabaseConnection, TransactionTrait};
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
    let article = read_text_page(&page);
    if article.title.is_empty() {
        return Err("no title found".to_owned());
    }
    Ok(article)
}

/// Writes one article, all or nothing; an article imported before is left as it is.
async fn write(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
    article: &PageArticle,
) -> Result<Outcome, String> {
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
        return Ok(Outcome::Unchanged {
            slug: existing.data.slug.to_string(),
        });
    }
    data.slug = danvan_store::article::unique_slug(&txn, site.id, &data.slug)
        .await
        .map_err(fail)?;
    let created = danvan_store::article::create(&txn, &data)
        .await
        .map_err(fail)?;
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok(Outcome::Created {
        slug: created.data.slug.to_string(),
    })
}

/// Imports `paths` into the site `site` (none with `dry_run`), file by file.
pub async fn import(
    db: Option<&DatabaseConnection>,
    site: Option<&str>,
    paths: &[PathBuf],
) -> anyhow::Result<Vec<Report>> {
    let site = match (db, site) {
        (Some(db), Some(slug)) => {
            let slug = Slug::parse(slug).context("the site slug")?;
            let found = danvan_store::site::by_slug(db, &slug).await?;
            Some(found.with_context(|| format!("there is no site {slug}"))?)
        }
        (Some(_), None) => {
            anyhow::bail!("name the site to import into with --site (or use --dry-run)")
        }
        (None, _) => None,
    };
    let mut reports = Vec::new();
    for path in files(paths).context("listing the files")? {
        let (outcome, article) = match read(&path) {
            Err(reason) => (Outcome::Failed { reason }, None),
            Ok(article) => {
                let outcome = match (db, &site) {
                    (Some(db), Some(site)) => write(db, site, &article)
                        .await
                        .unwrap_or_else(|reason| Outcome::Failed { reason }),
                    _ => Outcome::Read,
                };
                (outcome, Some(article))
            }
        };
        reports.push(Report {
            path,
            outcome,
            article,
        });
    }
    Ok(reports)
}

/// A report as JSON, with what was read.
pub fn to_json(report: &Report) -> Value {
    let (outcome, detail) = match &report.outcome {
        Outcome::Read => ("read", Value::Null),
        Outcome::Created { slug } => ("created", json!(slug)),
        Outcome::Unchanged { slug } => ("unchanged", json!(slug)),
        Outcome::Failed { reason } => ("failed", json!(reason)),
    };
    let article = report.article.as_ref().map(|a| {
        json!({
            "title": a.title,
            "published": a.published.map(|p| danvan_text::time::to_vietnam(danvan_text::time::from_vietnam_local(p.local())).to_rfc3339()),
            "viewCount": a.view_count,
            "lead": a.lead,
            "body": a.body,
            "captions": a.captions,
            "authors": a.authors.iter().map(|b| json!({ "name": b.name, "organisation": b.organisation })).collect::<Vec<_>>(),
            "source": a.source,
            "fingerprint": a.fingerprint(),
        })
    });
    json!({
        "file": report.path.display().to_string(),
        "outcome": outcome,
        "detail": detail,
        "article": article,
    })
}

/// A report as one line of text.
pub fn to_line(report: &Report) -> String {
    let file = report.path.display();
    match &report.outcome {
        Outcome::Read => format!(
            "{file}: read \"{}\"",
            report.article.as_ref().map_or("", |a| a.title.as_str())
        ),
        Outcome::Created { slug } => format!("{file}: created {slug}"),
        Outcome::Unchanged { slug } => format!("{file}: unchanged (imported before as {slug})"),
        Outcome::Failed { reason } => format!("{file}: failed: {reason}"),
    }
}
