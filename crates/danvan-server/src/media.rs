//! `danvan media`: the media library's housekeeping from the command line.

use crate::config::Settings;
use clap::Subcommand;
use danvan_store::DatabaseConnection;

/// The `media` subcommands.
#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Report the items whose file is missing from the storage and the files in the
    /// storage that no item names; fails when there are any.
    Check,
    /// Remove now the items deleted longer ago than the grace period (`[media]
    /// grace_hours`), and the files no item names any more; `danvan serve` does it hourly.
    Purge,
    /// Bring the pictures of a site's imported articles that are still only addresses on
    /// the old portal into its media library, and link the articles to them: fetched
    /// politely (the `[crawl]` settings: `robots.txt` obeyed, one host's requests apart,
    /// retries), cleaned like uploads. Run again, it goes on with what is left.
    Fetch {
        /// The site (its slug); may be left out when there is one site.
        #[arg(long)]
        site: Option<String>,
        /// Stop after this many articles.
        #[arg(long)]
        max_articles: Option<u64>,
    },
}

/// The media library of `settings`.
pub fn library(settings: &Settings) -> anyhow::Result<danvan_media::Library> {
    Ok(danvan_media::Library::new(
        danvan_media::Storage::open(&settings.media.place(&settings.database_url), None)?,
        settings.media.widths.clone(),
        settings.media.limits(),
    ))
}

/// Runs `command`.
pub async fn run(
    db: &DatabaseConnection,
    settings: &Settings,
    command: MediaCommand,
) -> anyhow::Result<()> {
    let library = library(settings)?;
    match command {
        MediaCommand::Check => {
            let check = danvan_service::media::check(db, &library).await?;
            for missing in &check.missing {
                println!("missing from the storage: {missing}");
            }
            for stray in &check.strays {
                println!("named by no item: {stray}");
            }
            if !check.missing.is_empty() || !check.strays.is_empty() {
                anyhow::bail!(
                    "{} item(s) without their file, {} file(s) without an item",
                    check.missing.len(),
                    check.strays.len()
                );
            }
            println!("every item has its file, and every file its item");
            Ok(())
        }
        MediaCommand::Fetch { site, max_articles } => {
            let site = crate::import::site_for(db, site.as_deref()).await?;
            let politeness = settings
                .crawl
                .politeness(site.data.base_url.as_ref().map(|u| u.as_str()));
            let fetched = fetch(db, &library, &site, politeness, max_articles).await?;
            println!(
                "{} article(s): {} picture(s) brought in, {} failed",
                fetched.articles, fetched.pictures, fetched.failed
            );
            Ok(())
        }
        MediaCommand::Purge => {
            let grace = chrono::Duration::hours(i64::from(settings.media.grace_hours));
            let removed = danvan_service::media::purge(db, &library, grace).await?;
            println!(
                "removed {removed} item(s) deleted more than {} hours ago",
                settings.media.grace_hours
            );
            Ok(())
        }
    }
}

/// What a `media fetch` did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Fetch {
    /// Articles looked at.
    pub articles: u64,
    /// Pictures brought into the library and linked.
    pub pictures: u64,
    /// Pictures that could not be (each said on standard output); a later run tries them
    /// again.
    pub failed: u64,
}

/// Brings `site`'s pictures that are only addresses into the library, an article at a time
/// (each linked as soon as its pictures are in, so that a stopped run loses nothing).
pub async fn fetch(
    db: &DatabaseConnection,
    library: &danvan_media::Library,
    site: &danvan_store::site::Site,
    mut politeness: danvan_crawl::Politeness,
    max_articles: Option<u64>,
) -> anyhow::Result<Fetch> {
    // A picture may be as large as the library takes one.
    politeness.max_bytes = usize::try_from(library.limits().image).unwrap_or(usize::MAX);
    let fetcher = danvan_crawl::Fetcher::new(politeness)?;
    let mut done = Fetch::default();
    let mut after = danvan_domain::ArticleId(0);
    let max = max_articles.unwrap_or(u64::MAX);
    while done.articles < max {
        let batch = danvan_store::article::pictures_to_fetch(
            db,
            site.id,
            after,
            50.min(max - done.articles),
        )
        .await?;
        let Some((last, _)) = batch.last() else {
            break;
        };
        after = *last;
        for (article, urls) in batch {
            done.articles += 1;
            let images = danvan_store::article::get(db, article)
                .await?
                .map(|a| a.data.images)
                .unwrap_or_default();
            let mut linked = Vec::new();
            for url in urls {
                let text = images
                    .iter()
                    .find(|i| i.url.as_ref().is_some_and(|u| u.as_str() == url));
                match picture(db, library, &fetcher, site.id, &url, text).await {
                    Ok(media) => {
                        linked.push((url, media));
                        done.pictures += 1;
                    }
                    Err(reason) => {
                        println!("{url}: failed: {reason}");
                        done.failed += 1;
                    }
                }
            }
            danvan_service::media::relink(db, article, &linked).await?;
        }
    }
    Ok(done)
}

/// One picture fetched and kept: its library item.
async fn picture(
    db: &DatabaseConnection,
    library: &danvan_media::Library,
    fetcher: &danvan_crawl::Fetcher,
    site: danvan_domain::SiteId,
    url: &str,
    image: Option<&danvan_domain::article::Image>,
) -> anyhow::Result<danvan_domain::MediaId> {
    let address = reqwest::Url::parse(url)?;
    let danvan_crawl::Fetched::Page { body, .. } = fetcher.get(&address, None).await? else {
        anyhow::bail!("the portal answered 304 to a request without validators");
    };
    let (item, _) = danvan_service::media::adopt(
        db,
        library,
        site,
        url,
        image.and_then(|i| i.caption.as_deref()),
        image.and_then(|i| i.alt.as_deref()),
        body,
    )
    .await?;
    Ok(item.id)
}
