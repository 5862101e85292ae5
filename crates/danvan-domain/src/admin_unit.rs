//! Administrative units and their history. Vietnam merged units in waves and, on
//! 1 July 2025, abolished the district level: a unit an old article names must still
//! resolve, to itself as it was then and to the units that succeeded it.

use crate::enums::coded_enum;
use crate::term::check_order;
use crate::{AdminUnitId, DomainError, Name};
use chrono::NaiveDate;

coded_enum! {
    /// The level word of a unit, as it is written before the name.
    pub enum AdminLevel as "level" {
        /// Tỉnh.
        Province = "province", "tỉnh";
        /// Thành phố trực thuộc Trung ương.
        Municipality = "municipality", "thành phố";
        /// Huyện.
        District = "district", "huyện";
        /// Quận.
        UrbanDistrict = "urban_district", "quận";
        /// Thị xã.
        Town = "town", "thị xã";
        /// Thành phố thuộc tỉnh.
        ProvincialCity = "provincial_city", "thành phố";
        /// Xã.
        Commune = "commune", "xã";
        /// Phường.
        Ward = "ward", "phường";
        /// Thị trấn.
        Township = "township", "thị trấn";
        /// Đặc khu.
        SpecialZone = "special_zone", "đặc khu";
    }
}

coded_enum! {
    /// How a unit passed into a successor.
    pub enum SuccessionKind as "kind" {
        /// The whole unit became part of the successor (with others, or alone under a new name).
        Merged = "merged", "Sáp nhập";
        /// Part of the unit went to the successor (the unit was divided).
        Divided = "divided", "Chia tách";
        /// The same area under a new name or level.
        Renamed = "renamed", "Đổi tên";
    }
}

/// An administrative unit as it existed between two dates.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminUnitData {
    /// The level.
    pub level: AdminLevel,
    /// The official code (mã đơn vị hành chính), when known.
    pub code: Option<String>,
    /// The name without its level word: "Gia Viễn".
    pub name: Name,
    /// The enclosing unit at that time.
    pub parent_id: Option<AdminUnitId>,
    /// The first day it existed in this form, if known.
    pub valid_from: Option<NaiveDate>,
    /// The last day it existed in this form; `None` while it exists.
    pub valid_to: Option<NaiveDate>,
}

impl AdminUnitData {
    /// A unit with a level and a name.
    pub fn new(level: AdminLevel, name: Name) -> Self {
        Self {
            level,
            code: None,
            name,
            parent_id: None,
            valid_from: None,
            valid_to: None,
        }
    }

    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), DomainError> {
        check_order("validity", self.valid_from, self.valid_to)?;
        if let Some(code) = &self.code
            && (code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(DomainError::invalid(
                "code",
                "an official code is ASCII letters and digits",
            ));
        }
        Ok(())
    }

    /// The name with its level word, as an article writes it: "huyện Gia Viễn".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.level.label(), self.name)
    }

    /// Whether the unit existed in this form on `day`.
    pub fn exists_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= day) && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// A link from a unit to one that took over (all or part of) its area.
#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    /// The unit that ended or changed.
    pub predecessor_id: AdminUnitId,
    /// The unit that took over.
    pub successor_id: AdminUnitId,
    /// How.
    pub kind: SuccessionKind,
    /// The first day of the successor's responsibility.
    pub effective_on: NaiveDate,
}

impl Succession {
    /// Checks that a unit does not succeed itself.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.predecessor_id == self.successor_id {
            return Err(DomainError::invalid(
                "successor",
                "a unit cannot succeed itself",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_former_district_existed_only_until_the_reorganisation() {
        let mut unit = AdminUnitData::new(AdminLevel::District, Name::parse("Gia Viễn").unwrap());
        unit.valid_to = Some(day(2025, 6, 30));
        assert_eq!(unit.full_name(), "huyện Gia Viễn");
        assert!(unit.exists_on(day(2023, 7, 11)));
        assert!(!unit.exists_on(day(2025, 7, 1)));
    }

    #[test]
    fn validity_that_ends_before_it_starts_is_refused() {
        let mut unit = AdminUnitData::new(AdminLevel::Commune, Name::parse("Gia Viễn").unwrap());
        unit.valid_from = Some(day(2025, 7, 1));
        unit.valid_to = Some(day(2025, 6, 30));
        assert!(unit.validate().is_err());
    }
}
