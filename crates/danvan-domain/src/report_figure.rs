//! Report figures: the numbers that reports state ("ban hành 23 văn bản", "1.272/1.337 đơn").

use crate::enums::coded_enum;
use crate::{ArticleId, DomainError, MeetingId, Name, OrganisationId, Period};

coded_enum! {
    /// How a figure bounds the true number: "Hơn 1000" is a lower bound, not 1000.
    pub enum FigureQualifier as "qualifier" {
        /// Exactly the value.
        Exact = "exact", "";
        /// More than the value ("hơn", "trên").
        MoreThan = "more_than", "hơn";
        /// At least the value ("ít nhất", "từ … trở lên").
        AtLeast = "at_least", "ít nhất";
        /// Less than the value ("dưới", "chưa đến").
        LessThan = "less_than", "dưới";
        /// At most the value ("tối đa").
        AtMost = "at_most", "tối đa";
        /// About the value ("khoảng", "gần").
        About = "about", "khoảng";
    }
}

impl From<danvan_text::parse::Bound> for FigureQualifier {
    /// How a printed number bounds the truth, as the text crate reads it.
    fn from(bound: danvan_text::parse::Bound) -> Self {
        use danvan_text::parse::Bound;
        match bound {
            Bound::Exact => Self::Exact,
            Bound::MoreThan => Self::MoreThan,
            Bound::AtLeast => Self::AtLeast,
            Bound::LessThan => Self::LessThan,
            Bound::AtMost => Self::AtMost,
            Bound::About => Self::About,
        }
    }
}

/// A figure a report states.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFigureData {
    /// A stable key for the indicator, lower-case ASCII with `_` and `.`:
    /// `dvk.models_recognised`, `complaints.resolved`.
    pub indicator_key: String,
    /// The indicator as a reader reads it: "Mô hình được công nhận".
    pub indicator_label: Name,
    /// The number.
    pub value: f64,
    /// How the number bounds the truth.
    pub qualifier: FigureQualifier,
    /// The whole it is a part of: 1.337 in "1.272/1.337 đơn".
    pub denominator: Option<f64>,
    /// The unit as written: "mô hình", "văn bản", "cuộc đối thoại", "%".
    pub unit: Option<String>,
    /// The period it counts.
    pub period: Option<Period>,
    /// The organisation it is about.
    pub organisation_id: Option<OrganisationId>,
    /// The article that stated it.
    pub article_id: Option<ArticleId>,
    /// The meeting at which it was reported.
    pub meeting_id: Option<MeetingId>,
    /// The sentence it was taken from, so that an editor can check it.
    pub wording: Option<String>,
}

impl ReportFigureData {
    /// A figure of `value` for an indicator.
    pub fn new(
        indicator_key: &str,
        indicator_label: Name,
        value: f64,
    ) -> Result<Self, DomainError> {
        let figure = Self {
            indicator_key: indicator_key.to_owned(),
            indicator_label,
            value,
            qualifier: FigureQualifier::Exact,
            denominator: None,
            unit: None,
            period: None,
            organisation_id: None,
            article_id: None,
            meeting_id: None,
            wording: None,
        };
        figure.validate()?;
        Ok(figure)
    }

    /// Checks the key and the numbers.
    pub fn validate(&self) -> Result<(), DomainError> {
        let key = &self.indicator_key;
        let key_ok = !key.is_empty()
            && key.len() <= 100
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
        if !key_ok {
            return Err(DomainError::invalid(
                "indicatorKey",
                "use lower-case ASCII letters, digits, '_' and '.', at most 100",
            ));
        }
        if !self.value.is_finite() {
            return Err(DomainError::invalid("value", "must be a finite number"));
        }
        if let Some(denominator) = self.denominator
            && !(denominator.is_finite() && denominator > 0.0)
        {
            return Err(DomainError::invalid(
                "denominator",
                "must be a positive number",
            ));
        }
        Ok(())
    }

    /// The value as a share of the denominator, when there is one: 1272/1337 ≈ 0.951.
    pub fn ratio(&self) -> Option<f64> {
        self.denominator.map(|d| self.value / d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label() -> Name {
        Name::parse("Đơn khiếu nại, tố cáo đã giải quyết").unwrap()
    }

    #[test]
    fn a_figure_with_a_denominator_has_a_ratio() {
        let mut figure = ReportFigureData::new("complaints.resolved", label(), 1272.0).unwrap();
        figure.denominator = Some(1337.0);
        assert!(figure.validate().is_ok());
        let ratio = figure.ratio().unwrap();
        assert!(ratio > 0.95 && ratio < 0.96);
    }

    #[test]
    fn bad_keys_and_numbers_are_refused() {
        assert!(ReportFigureData::new("Đơn", label(), 1.0).is_err());
        assert!(ReportFigureData::new("ok", label(), f64::NAN).is_err());
        let mut figure = ReportFigureData::new("ok", label(), 1.0).unwrap();
        figure.denominator = Some(0.0);
        assert!(figure.validate().is_err());
    }
}
