//! Tags ("Từ khóa"): keywords shared by every site.

use crate::{Name, Slug};

/// A keyword; its slug is unique.
#[derive(Debug, Clone, PartialEq)]
pub struct TagData {
    /// The keyword as written, e.g. "Dân vận khéo".
    pub name: Name,
    /// Unique among tags.
    pub slug: Slug,
}

impl TagData {
    /// A tag whose slug is made from its name.
    pub fn from_name(name: Name) -> Result<Self, crate::DomainError> {
        let slug = Slug::from_text(name.as_str())?;
        Ok(Self { name, slug })
    }
}
