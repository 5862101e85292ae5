//! Categories: a site's own sections ("Tin hoạt động", "Dân vận khéo"), nested.

use crate::{CategoryId, Name, SiteId, Slug};

/// A section of one site; its slug is unique within the site.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryData {
    /// The site the category belongs to.
    pub site_id: SiteId,
    /// The enclosing category, in the same site.
    pub parent_id: Option<CategoryId>,
    /// The name shown in menus.
    pub name: Name,
    /// Unique within the site.
    pub slug: Slug,
}
