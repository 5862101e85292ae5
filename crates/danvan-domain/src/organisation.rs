//! Organisations: party committees, their boards, steering committees, the Fatherland Front,
//! state bodies. They form a tree (central > province > district > commune) and, like
//! administrative units, can end: district bodies ended on 1 July 2025.

use crate::enums::coded_enum;
use crate::term::check_order;
use crate::{AdminUnitId, DomainError, Name, OrganisationId, Slug};
use chrono::NaiveDate;

coded_enum! {
    /// What kind of body an organisation is.
    pub enum OrganisationKind as "kind" {
        /// A party committee: Tỉnh ủy, Huyện ủy, Đảng ủy xã.
        PartyCommittee = "party_committee", "Cấp ủy Đảng";
        /// The standing committee of a party committee: Ban Thường vụ.
        StandingCommittee = "standing_committee", "Ban Thường vụ";
        /// A board of a party committee: Ban Dân vận, Ban Tuyên giáo.
        PartyBoard = "party_board", "Ban của cấp ủy";
        /// A party committee of a bloc: Đảng ủy Khối các cơ quan tỉnh.
        PartyBloc = "party_bloc", "Đảng ủy Khối";
        /// A steering committee: Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở.
        SteeringCommittee = "steering_committee", "Ban Chỉ đạo";
        /// The Fatherland Front: Ủy ban MTTQ.
        FatherlandFront = "fatherland_front", "Mặt trận Tổ quốc";
        /// A socio-political organisation: Công đoàn, Hội LHPN, Đoàn TNCS, Hội Nông dân, Hội CCB.
        SocioPolitical = "socio_political", "Tổ chức chính trị - xã hội";
        /// A people's council: HĐND.
        PeoplesCouncil = "peoples_council", "Hội đồng nhân dân";
        /// A people's committee: UBND.
        PeoplesCommittee = "peoples_committee", "Ủy ban nhân dân";
        /// A state agency or unit: a department, the police, a centre.
        StateAgency = "state_agency", "Cơ quan nhà nước";
        /// A newspaper, a radio or television station.
        Press = "press", "Cơ quan báo chí";
        /// Anything else.
        Other = "other", "Khác";
    }
}

coded_enum! {
    /// The level an organisation works at.
    pub enum OrganisationLevel as "level" {
        /// Trung ương.
        Central = "central", "Trung ương";
        /// Tỉnh, thành phố trực thuộc Trung ương.
        Province = "province", "Cấp tỉnh";
        /// Huyện, quận, thị xã, thành phố thuộc tỉnh (until 30 June 2025).
        District = "district", "Cấp huyện";
        /// Xã, phường, thị trấn, đặc khu.
        Commune = "commune", "Cấp xã";
        /// An agency or bloc outside the territorial levels.
        Agency = "agency", "Cơ quan, đơn vị";
    }
}

/// An organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationData {
    /// The enclosing organisation: Ban Dân vận Huyện ủy sits under Huyện ủy.
    pub parent_id: Option<OrganisationId>,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// The level it works at.
    pub level: OrganisationLevel,
    /// The full name: "Ban Dân vận Huyện ủy Gia Viễn".
    pub name: Name,
    /// The name used inside its own area: "Ban Dân vận Huyện ủy".
    pub short_name: Option<Name>,
    /// The abbreviation: "BDVHU", "MTTQ".
    pub abbreviation: Option<Name>,
    /// Unique among organisations.
    pub slug: Slug,
    /// The administrative unit it belongs to.
    pub admin_unit_id: Option<AdminUnitId>,
    /// When it was founded, if known.
    pub founded_on: Option<NaiveDate>,
    /// When it ended (merged or dissolved); it stays for the articles that name it.
    pub dissolved_on: Option<NaiveDate>,
}

impl OrganisationData {
    /// An organisation whose slug is made from its name.
    pub fn new(
        name: Name,
        kind: OrganisationKind,
        level: OrganisationLevel,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            slug: Slug::from_text(name.as_str())?,
            parent_id: None,
            kind,
            level,
            name,
            short_name: None,
            abbreviation: None,
            admin_unit_id: None,
            founded_on: None,
            dissolved_on: None,
        })
    }

    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), DomainError> {
        check_order("organisation", self.founded_on, self.dissolved_on)
    }
}
