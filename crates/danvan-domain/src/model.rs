//! "Dân vận khéo" models: the skilful-mass-mobilisation models and exemplars that
//! organisations register, build and have recognised.

use crate::enums::coded_enum;
use crate::{AdminUnitId, Body, DomainError, OrganisationId, Period, Title};
use chrono::NaiveDate;

coded_enum! {
    /// The field (lĩnh vực) a model works in; the movement counts four.
    pub enum DvkField as "field" {
        /// Kinh tế.
        Economy = "economy", "Kinh tế";
        /// Văn hóa – xã hội.
        CultureSociety = "culture_society", "Văn hóa – xã hội";
        /// Quốc phòng – an ninh.
        DefenceSecurity = "defence_security", "Quốc phòng – an ninh";
        /// Xây dựng hệ thống chính trị.
        PoliticalSystem = "political_system", "Xây dựng hệ thống chính trị";
    }
}

coded_enum! {
    /// A model (mô hình) or an exemplar (điển hình); reports count the two together.
    pub enum DvkKind as "kind" {
        /// Mô hình: a way of working.
        Model = "model", "Mô hình";
        /// Điển hình: an exemplary person or collective.
        Exemplar = "exemplar", "Điển hình";
    }
}

coded_enum! {
    /// Where a model stands.
    pub enum DvkStatus as "status" {
        /// Registered (đăng ký) and being built.
        Registered = "registered", "Đăng ký";
        /// Recognised (công nhận) by a decision.
        Recognised = "recognised", "Được công nhận";
    }
}

coded_enum! {
    /// The level of the body that recognised a model.
    pub enum RecognitionLevel as "recognition level" {
        /// Cơ sở: a commune or an agency.
        Grassroots = "grassroots", "Cơ sở";
        /// Huyện.
        District = "district", "Cấp huyện";
        /// Tỉnh.
        Province = "province", "Cấp tỉnh";
        /// Trung ương, or a central bloc.
        Central = "central", "Trung ương";
    }
}

coded_enum! {
    /// The kind of area a model serves, where reports single it out.
    pub enum DvkArea as "area" {
        /// Vùng đồng bào dân tộc thiểu số.
        EthnicMinority = "ethnic_minority", "Vùng đồng bào dân tộc thiểu số";
        /// Vùng đồng bào có đạo.
        Religious = "religious", "Vùng đồng bào có đạo";
        /// Khu, cụm công nghiệp, khu kinh tế.
        IndustrialZone = "industrial_zone", "Khu, cụm công nghiệp";
        /// Nơi khó khăn, phức tạp.
        Difficult = "difficult", "Nơi khó khăn, phức tạp";
        /// Nông thôn.
        Rural = "rural", "Nông thôn";
        /// Đô thị.
        Urban = "urban", "Đô thị";
    }
}

/// How a model was recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognition {
    /// The level of the body that recognised it.
    pub level: RecognitionLevel,
    /// The decision, as written: "Quyết định số 125-QĐ/ĐUK".
    pub decision: Option<String>,
    /// The day of the decision.
    pub recognised_on: Option<NaiveDate>,
}

/// A "Dân vận khéo" model or exemplar.
#[derive(Debug, Clone, PartialEq)]
pub struct DvkModelData {
    /// Its name.
    pub name: Title,
    /// What it does and what it achieved.
    pub description: Body,
    /// Model or exemplar.
    pub kind: DvkKind,
    /// The field.
    pub field: DvkField,
    /// The organisation that owns it.
    pub organisation_id: Option<OrganisationId>,
    /// Where it runs.
    pub admin_unit_id: Option<AdminUnitId>,
    /// The period it belongs to: "giai đoạn 2016-2020", "năm 2022".
    pub period: Option<Period>,
    /// Where it stands.
    pub status: DvkStatus,
    /// Present exactly when the status is recognised.
    pub recognition: Option<Recognition>,
    /// The kind of area it serves.
    pub area: Option<DvkArea>,
}

impl DvkModelData {
    /// A registered model.
    pub fn new(name: Title, field: DvkField) -> Self {
        Self {
            name,
            description: Body::empty(),
            kind: DvkKind::Model,
            field,
            organisation_id: None,
            admin_unit_id: None,
            period: None,
            status: DvkStatus::Registered,
            recognition: None,
            area: None,
        }
    }

    /// Checks that the status and the recognition agree.
    pub fn validate(&self) -> Result<(), DomainError> {
        match (self.status, &self.recognition) {
            (DvkStatus::Recognised, None) => Err(DomainError::invalid(
                "recognition",
                "a recognised model needs the level that recognised it",
            )),
            (DvkStatus::Registered, Some(_)) => Err(DomainError::invalid(
                "recognition",
                "a model that is only registered has no recognition",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_recognition_must_agree() {
        let mut model = DvkModelData::new(
            Title::parse("Dân vận khéo trong xây dựng nông thôn mới").unwrap(),
            DvkField::Economy,
        );
        assert!(model.validate().is_ok());
        model.status = DvkStatus::Recognised;
        assert!(model.validate().is_err());
        model.recognition = Some(Recognition {
            level: RecognitionLevel::District,
            decision: None,
            recognised_on: None,
        });
        assert!(model.validate().is_ok());
    }
}
