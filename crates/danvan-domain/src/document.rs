//! Referenced documents: resolutions, directives, conclusions and laws that articles cite.

use crate::enums::coded_enum;
use crate::{DomainError, Name, OrganisationId, Title};
use chrono::NaiveDate;

coded_enum! {
    /// The kind of a document, told by the letters of its code ("NQ", "CT", "KL" …).
    pub enum DocumentKind as "kind" {
        /// Nghị quyết (NQ).
        Resolution = "resolution", "Nghị quyết";
        /// Chỉ thị (CT).
        Directive = "directive", "Chỉ thị";
        /// Kết luận (KL).
        Conclusion = "conclusion", "Kết luận";
        /// Quyết định (QĐ).
        Decision = "decision", "Quyết định";
        /// Kế hoạch (KH).
        Plan = "plan", "Kế hoạch";
        /// Quy định (QĐi).
        Regulation = "regulation", "Quy định";
        /// Hướng dẫn (HD).
        Guidance = "guidance", "Hướng dẫn";
        /// Luật.
        Law = "law", "Luật";
        /// Pháp lệnh (PL).
        Ordinance = "ordinance", "Pháp lệnh";
        /// Nghị định (NĐ).
        Decree = "decree", "Nghị định";
        /// Thông tư (TT).
        Circular = "circular", "Thông tư";
        /// Anything else.
        Other = "other", "Văn bản";
    }
}

impl DocumentKind {
    /// The kind a document code names: "25-NQ/TW" is a resolution, "59/2023/NĐ-CP" a decree.
    pub fn from_document_code(code: &str) -> Self {
        let marker = code
            .split(['-', '/'])
            .map(str::trim)
            .find_map(|part| match part {
                "NQ" => Some(Self::Resolution),
                "CT" => Some(Self::Directive),
                "KL" => Some(Self::Conclusion),
                "QĐ" => Some(Self::Decision),
                "KH" => Some(Self::Plan),
                "QĐi" => Some(Self::Regulation),
                "HD" => Some(Self::Guidance),
                "PL" => Some(Self::Ordinance),
                "NĐ" => Some(Self::Decree),
                "TT" => Some(Self::Circular),
                _ => None,
            });
        marker.unwrap_or(Self::Other)
    }
}

/// A document cited by code, e.g. "Nghị quyết số 25-NQ/TW".
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentData {
    /// The code as printed, unique: "25-NQ/TW", "05-CT/TW", "59/2023/NĐ-CP".
    pub code: String,
    /// The kind.
    pub kind: DocumentKind,
    /// The title or subject ("Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận").
    pub title: Option<Title>,
    /// The issuer as written ("Ban Chấp hành Trung ương").
    pub issuer: Option<Name>,
    /// The issuing organisation, when it is known to danvan.
    pub issuer_id: Option<OrganisationId>,
    /// When it was issued.
    pub issued_on: Option<NaiveDate>,
}

impl DocumentData {
    /// A document from its code; the kind is read off the code.
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        let code = danvan_text::normalize_line(code);
        if code.is_empty() {
            return Err(DomainError::Empty { field: "code" });
        }
        if code.chars().count() > 100 || !code.chars().any(|c| c.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "code",
                "a document code is short and has a number, e.g. 25-NQ/TW",
            ));
        }
        Ok(Self {
            kind: DocumentKind::from_document_code(&code),
            code,
            title: None,
            issuer: None,
            issuer_id: None,
            issued_on: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_is_read_off_the_code() {
        assert_eq!(
            DocumentData::from_code("25-NQ/TW").unwrap().kind,
            DocumentKind::Resolution
        );
        assert_eq!(
            DocumentData::from_code("05-CT/TW").unwrap().kind,
            DocumentKind::Directive
        );
        assert_eq!(
            DocumentData::from_code("59/2023/NĐ-CP").unwrap().kind,
            DocumentKind::Decree
        );
        assert_eq!(
            DocumentData::from_code("1318/NQ-UBTVQH15").unwrap().kind,
            DocumentKind::Resolution
        );
        assert_eq!(
            DocumentData::from_code("72/2025/QH15").unwrap().kind,
            DocumentKind::Other
        );
    }

    #[test]
    fn a_code_without_a_number_is_refused() {
        assert!(DocumentData::from_code("NQ/TW").is_err());
        assert!(DocumentData::from_code("  ").is_err());
    }
}
