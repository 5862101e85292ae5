//! A site: one portal (a province's, a district's, an agency's) that publishes through danvan.

use crate::{AdminUnitId, Body, Name, OrganisationId, Slug, Url};

/// What a site is. Content belongs to exactly one site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteData {
    /// Unique among sites, used in URLs and queries.
    pub slug: Slug,
    /// The portal's name, e.g. "Trang thông tin điện tử huyện Gia Viễn".
    pub name: Name,
    /// The portal's public address.
    pub base_url: Option<Url>,
    /// A short description.
    pub description: Body,
    /// The organisation that runs the portal.
    pub organisation_id: Option<OrganisationId>,
    /// The administrative unit the portal serves.
    pub admin_unit_id: Option<AdminUnitId>,
}

impl SiteData {
    /// A site with a name and slug and nothing else.
    pub fn new(slug: Slug, name: Name) -> Self {
        Self {
            slug,
            name,
            base_url: None,
            description: Body::empty(),
            organisation_id: None,
            admin_unit_id: None,
        }
    }
}
