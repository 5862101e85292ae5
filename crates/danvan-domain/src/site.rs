//! A site: one portal (a province's, a district's, an agency's) that publishes through danvan.

use crate::{AdminUnitId, Body, DomainError, Name, OrganisationId, Slug, Url};

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
    /// Where the portal's front end shows an article: feeds, sitemaps and webhooks link
    /// there.
    pub public_url: Option<UrlPattern>,
    /// Whether the site's feeds carry each article's whole body, or only its lead.
    pub full_text_feeds: bool,
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
            public_url: None,
            full_text_feeds: true,
        }
    }
}

/// An article's address on a site's front end: an absolute URL naming `{slug}` or `{id}`
/// (or both), such as `https://danvan.example.vn/tin-tuc/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPattern(String);

impl UrlPattern {
    /// What may stand in a pattern.
    const PLACES: [&str; 2] = ["{slug}", "{id}"];

    /// Checks a pattern given for `field`.
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let url = Url::parse_field(field, raw)?;
        let pattern = url.as_str();
        if !Self::PLACES.iter().any(|place| pattern.contains(place)) {
            return Err(DomainError::invalid(
                field,
                "must name {slug} or {id}, where the article's goes",
            ));
        }
        let mut rest = pattern.to_owned();
        for place in Self::PLACES {
            rest = rest.replace(place, "");
        }
        if rest.contains(['{', '}']) {
            return Err(DomainError::invalid(
                field,
                "only {slug} and {id} may stand in braces",
            ));
        }
        Ok(Self(pattern.to_owned()))
    }

    /// A pattern as stored, checked when it was written.
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address of the article with this slug and id.
    pub fn address(&self, slug: &Slug, id: i64) -> String {
        self.0
            .replace("{slug}", slug.as_str())
            .replace("{id}", &id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_names_where_the_article_goes() {
        let pattern = UrlPattern::parse_field(
            "publicUrl",
            "https://danvan.example.vn/tin-tuc/{slug}-{id}.html",
        )
        .unwrap();
        let slug = Slug::parse("hoi-nghi-dan-van").unwrap();
        assert_eq!(
            pattern.address(&slug, 42),
            "https://danvan.example.vn/tin-tuc/hoi-nghi-dan-van-42.html"
        );
        for bad in [
            "https://danvan.example.vn/tin-tuc/",
            "https://danvan.example.vn/{nam}/{slug}",
            "danvan.example.vn/{slug}",
        ] {
            assert!(UrlPattern::parse_field("publicUrl", bad).is_err(), "{bad}");
        }
    }
}
