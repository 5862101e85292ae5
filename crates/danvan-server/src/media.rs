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
