//! Organisations in the schema.

use crate::id;
use async_graphql::{Enum, ID, Object};
use danvan_domain::organisation as domain;
use danvan_store::organisation::Organisation as OrganisationRecord;

/// What kind of body an organisation is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationKind {
    /// A party committee: Tỉnh ủy, Huyện ủy, Đảng ủy xã.
    PartyCommittee,
    /// The standing committee of a party committee: Ban Thường vụ.
    StandingCommittee,
    /// A board of a party committee: Ban Dân vận, Ban Tuyên giáo.
    PartyBoard,
    /// A party committee of a bloc: Đảng ủy Khối.
    PartyBloc,
    /// A steering committee: Ban Chỉ đạo.
    SteeringCommittee,
    /// The Fatherland Front: Ủy ban MTTQ.
    FatherlandFront,
    /// A socio-political organisation: Công đoàn, Hội LHPN, Đoàn TNCS, Hội Nông dân, Hội CCB.
    SocioPolitical,
    /// A people's council: HĐND.
    PeoplesCouncil,
    /// A people's committee: UBND.
    PeoplesCommittee,
    /// A state agency or unit.
    StateAgency,
    /// A newspaper, a radio or television station.
    Press,
    /// Anything else.
    Other,
}

impl From<domain::OrganisationKind> for OrganisationKind {
    fn from(kind: domain::OrganisationKind) -> Self {
        use domain::OrganisationKind as K;
        match kind {
            K::PartyCommittee => Self::PartyCommittee,
            K::StandingCommittee => Self::StandingCommittee,
            K::PartyBoard => Self::PartyBoard,
            K::PartyBloc => Self::PartyBloc,
            K::SteeringCommittee => Self::SteeringCommittee,
            K::FatherlandFront => Self::FatherlandFront,
            K::SocioPolitical => Self::SocioPolitical,
            K::PeoplesCouncil => Self::PeoplesCouncil,
            K::PeoplesCommittee => Self::PeoplesCommittee,
            K::StateAgency => Self::StateAgency,
            K::Press => Self::Press,
            K::Other => Self::Other,
        }
    }
}

/// The level an organisation works at.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationLevel {
    /// Trung ương.
    Central,
    /// Tỉnh, thành phố trực thuộc Trung ương.
    Province,
    /// Huyện, quận, thị xã (until 30 June 2025).
    District,
    /// Xã, phường, thị trấn, đặc khu.
    Commune,
    /// An agency or bloc outside the territorial levels.
    Agency,
}

impl From<domain::OrganisationLevel> for OrganisationLevel {
    fn from(level: domain::OrganisationLevel) -> Self {
        use domain::OrganisationLevel as L;
        match level {
            L::Central => Self::Central,
            L::Province => Self::Province,
            L::District => Self::District,
            L::Commune => Self::Commune,
            L::Agency => Self::Agency,
        }
    }
}

/// A party committee, board, steering committee, front or state body.
pub struct Organisation(pub(crate) OrganisationRecord);

#[Object]
impl Organisation {
    /// The global id.
    async fn id(&self) -> ID {
        id::encode("Organisation", self.0.id.0)
    }

    /// Unique among organisations.
    async fn slug(&self) -> &str {
        self.0.data.slug.as_str()
    }

    /// The full name: "Ban Dân vận Huyện ủy Gia Viễn".
    async fn name(&self) -> &str {
        self.0.data.name.as_str()
    }

    /// The name used inside its own area: "Ban Dân vận Huyện ủy".
    async fn short_name(&self) -> Option<&str> {
        self.0.data.short_name.as_ref().map(|n| n.as_str())
    }

    /// The abbreviation: "MTTQ", "HĐND".
    async fn abbreviation(&self) -> Option<&str> {
        self.0.data.abbreviation.as_ref().map(|n| n.as_str())
    }

    /// What kind of body it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.data.kind.into()
    }

    /// The level it works at.
    async fn level(&self) -> OrganisationLevel {
        self.0.data.level.into()
    }
}
