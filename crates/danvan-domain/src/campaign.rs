//! Campaigns: emulation movements and calls to action ("phong trào thi đua").

use crate::term::check_order;
use crate::{Body, DomainError, Name, OrganisationId, Slug};
use chrono::NaiveDate;

/// A movement such as "Dân vận khéo" or "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh".
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignData {
    /// The movement's name.
    pub name: Name,
    /// Unique among campaigns.
    pub slug: Slug,
    /// What it is about.
    pub description: Body,
    /// Who launched it.
    pub organisation_id: Option<OrganisationId>,
    /// When it started.
    pub started_on: Option<NaiveDate>,
    /// When it ended, if it has.
    pub ended_on: Option<NaiveDate>,
}

impl CampaignData {
    /// Checks the rules that span fields: it cannot end before it starts.
    pub fn validate(&self) -> Result<(), DomainError> {
        check_order("campaign", self.started_on, self.ended_on)
    }
}
