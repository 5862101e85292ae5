//! `danvan site create | list | update`: the portals, from the command line, so that a new
//! PostgreSQL database (which gets no demo data) can be given its first site before anyone
//! can sign in to the API.

use anyhow::{Context, bail};
use danvan_domain::site::{SiteData, UrlPattern};
use danvan_domain::{AdminUnitId, Body, Name, OrganisationId, Slug, Url};
use danvan_store::DatabaseConnection;

/// What `create` and `update` may set; what is left out keeps its value on update.
#[derive(Debug, Default, clap::Args)]
pub struct SiteFields {
    /// The portal's name: "Ban Dân vận Huyện ủy Gia Viễn".
    #[arg(long)]
    pub name: Option<String>,
    /// The slug of the organisation that runs it.
    #[arg(long)]
    pub organisation: Option<String>,
    /// The administrative unit it serves, by name without its level word: "Gia Viễn".
    #[arg(long)]
    pub admin_unit: Option<String>,
    /// The portal's public address.
    #[arg(long)]
    pub url: Option<String>,
    /// A short description.
    #[arg(long)]
    pub description: Option<String>,
    /// Where its front end shows an article, naming {slug} or {id}:
    /// `https://danvan.example.vn/tin-tuc/{slug}`. Feeds, sitemaps and webhooks link there.
    #[arg(long)]
    pub public_url: Option<String>,
    /// Whether its feeds carry each article's whole body (true, the default) or its lead.
    #[arg(long)]
    pub full_text_feeds: Option<bool>,
}

async fn organisation(db: &DatabaseConnection, slug: &str) -> anyhow::Result<OrganisationId> {
    let parsed = Slug::parse(slug).with_context(|| format!("the organisation {slug:?}"))?;
    match danvan_store::organisation::by_slug(db, &parsed).await? {
        Some(found) => Ok(found.id),
        None => bail!("there is no organisation {slug:?}"),
    }
}

/// The unit named `given`; of several with that name, the one that exists today.
async fn admin_unit(db: &DatabaseConnection, given: &str) -> anyhow::Result<AdminUnitId> {
    let name = Name::parse_field("admin unit", given)?;
    let units = danvan_store::admin_unit::by_name(db, &name).await?;
    let current: Vec<AdminUnitId> = units
        .iter()
        .filter(|u| u.data.valid_to.is_none())
        .map(|u| u.id)
        .collect();
    match (units.as_slice(), current.as_slice()) {
        ([unit], _) => Ok(unit.id),
        (_, [id]) => Ok(*id),
        ([], _) => bail!("there is no administrative unit {given:?}"),
        _ => bail!("several administrative units are named {given:?}"),
    }
}

impl SiteFields {
    async fn apply(self, db: &DatabaseConnection, data: &mut SiteData) -> anyhow::Result<()> {
        if let Some(name) = self.name {
            data.name = Name::parse_field("name", &name)?;
        }
        if let Some(slug) = self.organisation {
            data.organisation_id = Some(organisation(db, &slug).await?);
        }
        if let Some(unit) = self.admin_unit {
            data.admin_unit_id = Some(admin_unit(db, &unit).await?);
        }
        if let Some(url) = self.url {
            data.base_url = Some(Url::parse_field("url", &url)?);
        }
        if let Some(description) = self.description {
            data.description = Body::parse_field("description", &description)?;
        }
        if let Some(pattern) = self.public_url {
            data.public_url = Some(UrlPattern::parse_field("public-url", &pattern)?);
        }
        if let Some(full) = self.full_text_feeds {
            data.full_text_feeds = full;
        }
        Ok(())
    }
}

fn slug(given: &str) -> anyhow::Result<Slug> {
    Slug::parse(given).with_context(|| format!("the site slug {given:?}"))
}

/// Adds a site.
pub async fn create(
    db: &DatabaseConnection,
    given: &str,
    fields: SiteFields,
) -> anyhow::Result<()> {
    let Some(name) = fields.name.as_deref() else {
        bail!("a new site needs a --name");
    };
    let mut data = SiteData::new(slug(given)?, Name::parse_field("name", name)?);
    fields.apply(db, &mut data).await?;
    let created = danvan_store::site::create(db, &data)
        .await
        .context("storing the site")?;
    println!(
        "created the site {} ({})",
        created.data.slug, created.data.name
    );
    Ok(())
}

/// Changes a site; `new_slug` renames it.
pub async fn update(
    db: &DatabaseConnection,
    given: &str,
    new_slug: Option<&str>,
    fields: SiteFields,
) -> anyhow::Result<()> {
    let Some(found) = danvan_store::site::by_slug(db, &slug(given)?).await? else {
        bail!("there is no site {given:?}");
    };
    let mut data = found.data;
    if let Some(new_slug) = new_slug {
        data.slug = slug(new_slug)?;
    }
    fields.apply(db, &mut data).await?;
    let changed = danvan_store::site::update(db, found.id, Some(found.version), &data)
        .await
        .context("storing the site")?;
    println!(
        "updated the site {} ({})",
        changed.data.slug, changed.data.name
    );
    Ok(())
}

/// Prints every site, a line each: slug, name, address.
pub async fn list(db: &DatabaseConnection) -> anyhow::Result<()> {
    let mut page = danvan_store::PageRequest::first(danvan_store::page::MAX_PAGE_SIZE);
    loop {
        let sites = danvan_store::site::list(db, &page).await?;
        for site in &sites.items {
            let url = site.data.base_url.as_ref().map(Url::to_string);
            println!(
                "{}\t{}\t{}",
                site.data.slug,
                site.data.name,
                url.unwrap_or_default()
            );
        }
        match sites.end_cursor() {
            Some(cursor) if sites.has_next_page => {
                page = danvan_store::PageRequest::new(page.size(), Some(cursor));
            }
            _ => return Ok(()),
        }
    }
}
