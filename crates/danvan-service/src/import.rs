//! Saving one imported page, all or nothing: the article (new, or the same page changed,
//! with the old one kept as a revision), and the meeting, people, organisations, documents,
//! campaigns and figures it states. A page imported again (recognised by its fingerprint)
//! creates nothing new.

mod save;

use danvan_domain::admin_unit::AdminLevel;
use danvan_ingest::extract::Places;
use danvan_ingest::{Extraction, PageArticle};
use danvan_store::change;
use danvan_store::{DatabaseConnection, DatabaseTransaction, StoreError, TransactionTrait};
use save::merge;

pub use save::{PersonMatch, Saved};

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

/// What the importer reads from a raw page (copied text or saved HTML), for an editor to
/// review before anything is saved: the article and what it states. Nothing is written.
pub fn preview(
    caller: &crate::Caller,
    page: &[u8],
) -> Result<(PageArticle, Extraction), crate::ServiceError> {
    caller.authorize(danvan_auth::Action::PreviewImport)?;
    let bad = |e: String| crate::ServiceError::BadUserInput(format!("page: {e}"));
    let raw = danvan_ingest::RawPage::from_bytes(page).map_err(|e| bad(e.to_string()))?;
    let article = danvan_ingest::read_page(&raw);
    if article.title.is_empty() {
        return Err(bad("no title found".into()));
    }
    let extraction = danvan_ingest::extract(&article, Places::default());
    Ok((article, extraction))
}

/// Who brings pages in (`danvan import --as`, `danvan crawl --as`): the account the
/// revisions and the audit log name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Importer {
    /// The account.
    pub account_id: danvan_domain::AccountId,
    /// The command, as the audit log names it: "import", "crawl".
    pub operation: &'static str,
}

impl Importer {
    fn actor(&self) -> String {
        format!("account:{}", self.account_id.0)
    }
}

/// Saves one page into `site`, all or nothing; a failure is the reason, for the person
/// importing. `by` names who brings it in: the revision kept and an audit entry say so.
pub async fn save_page(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
    article: &PageArticle,
    extraction: &Extraction,
    by: Option<&Importer>,
) -> Result<(Outcome, Option<Saved>), String> {
    let txn = danvan_store::begin_write(db)
        .await
        .map_err(|e| e.to_string())?;
    let saved = save_in(&txn, site, article, extraction, by).await?;
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok(saved)
}

/// Saves pages into `site` in one transaction, each page in a savepoint of its own: a page
/// that fails is rolled back alone and the others are written; nothing is written until
/// the transaction commits. Gives each page's outcome, in order, or the reason nothing was
/// written (the transaction could not begin or commit). Many small pages commit an order of
/// magnitude faster this way than one transaction each: a commit waits for the disk.
pub async fn save_batch(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
    pages: &[(&PageArticle, &Extraction)],
    by: Option<&Importer>,
) -> Result<Vec<Result<(Outcome, Option<Saved>), String>>, String> {
    let txn = danvan_store::begin_write(db)
        .await
        .map_err(|e| e.to_string())?;
    // The pages' change-log rows are written together as the batch's last step: see
    // `change::held_back` for the deadlock that writing each page's at once would risk.
    let (outcomes, held) = change::held_back(async {
        let mut outcomes = Vec::with_capacity(pages.len());
        for &(article, extraction) in pages {
            let mark = change::held_mark();
            let savepoint = txn.begin().await.map_err(|e| e.to_string())?;
            match save_in(&savepoint, site, article, extraction, by).await {
                Ok(saved) => {
                    savepoint.commit().await.map_err(|e| e.to_string())?;
                    outcomes.push(Ok(saved));
                }
                Err(reason) => {
                    savepoint.rollback().await.map_err(|e| e.to_string())?;
                    change::forget_held_after(mark);
                    outcomes.push(Err(reason));
                }
            }
        }
        Ok::<_, String>(outcomes)
    })
    .await;
    let outcomes = outcomes?;
    change::write_held(&txn, held)
        .await
        .map_err(|e| e.to_string())?;
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok(outcomes)
}

/// Why a page could not be saved, for the person importing (an operator, not an API
/// client): the store's error with its cause.
fn reason(error: StoreError) -> String {
    match std::error::Error::source(&error) {
        Some(cause) if !error.to_string().contains(&cause.to_string()) => {
            format!("{error}: {cause}")
        }
        _ => error.to_string(),
    }
}

/// Saves one page in `txn`.
async fn save_in(
    txn: &DatabaseTransaction,
    site: &danvan_store::site::Site,
    article: &PageArticle,
    extraction: &Extraction,
    by: Option<&Importer>,
) -> Result<(Outcome, Option<Saved>), String> {
    let actor = by.map(Importer::actor);
    let fail = reason;
    let mut data = article
        .to_article_data(site.id)
        .map_err(|e| e.to_string())?;
    let fingerprint = data.fingerprint.clone().unwrap_or_default();
    if let Some(existing) = danvan_store::article::by_fingerprint(txn, site.id, &fingerprint)
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
        Some(url) => danvan_store::article::by_canonical_url(txn, site.id, url)
            .await
            .map_err(fail)?,
        None => None,
    };
    let existing = match existing {
        Some(found) => Some(found),
        None => danvan_store::article::same_page(txn, site.id, &data.title, data.published_at)
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
        txn,
        extraction,
        day,
        existing.as_ref().and_then(|a| a.data.meeting_id),
        &mut saved,
    )
    .await
    .map_err(fail)?;
    save::link_article(&mut data, &links);
    data.tag_ids = save::tags(txn, &article.keywords).await.map_err(fail)?;
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
                actor: actor.as_deref(),
            };
            let (article, kept) =
                danvan_store::article::update(txn, old.id, None, &updated, change)
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
            data.slug = danvan_store::article::unique_slug(txn, site.id, &data.slug)
                .await
                .map_err(fail)?;
            let created = danvan_store::article::create_in(txn, &data)
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
    let is_new = matches!(outcome, Outcome::Created { .. });
    save::save_figures(txn, extraction, id, is_new, &links, &mut saved)
        .await
        .map_err(fail)?;
    if let (Some(by), Some(actor)) = (by, actor) {
        let (what, slug) = match &outcome {
            Outcome::Created { slug } => ("created", slug),
            Outcome::Updated { slug, .. } => ("updated", slug),
            _ => ("", &String::new()),
        };
        danvan_store::audit::record_entry(
            txn,
            danvan_store::audit::NewEntry {
                actor,
                account_id: Some(by.account_id),
                operation: by.operation.to_owned(),
                target: Some(id.0.to_string()),
                outcome: "ok".to_owned(),
                detail: serde_json::json!({
                    "article": what,
                    "slug": slug,
                    "page": article.canonical_url,
                }),
                client: None,
                request_id: None,
            },
        )
        .await
        .map_err(fail)?;
    }
    Ok((outcome, Some(saved)))
}

/// The places of a site (its administrative unit and the units above it), which the
/// extraction of its pages reads place names against.
pub async fn places_of(
    db: &DatabaseConnection,
    site: &danvan_store::site::Site,
) -> Result<Places, StoreError> {
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
