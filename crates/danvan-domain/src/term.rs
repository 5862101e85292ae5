//! A span of days with a start and an optional end: a position's term, a unit's validity.

use crate::DomainError;
use chrono::NaiveDate;

/// From `start` to `end` inclusive; an open term (`end` is `None`) goes on today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term {
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Term {
    /// A term for `field`; refused when it ends before it starts.
    pub fn new_field(
        field: &'static str,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Result<Self, DomainError> {
        if let Some(end) = end
            && end < start
        {
            return Err(DomainError::EndsBeforeStart {
                field,
                start: start.to_string(),
                end: end.to_string(),
            });
        }
        Ok(Self { start, end })
    }

    /// A term; refused when it ends before it starts.
    pub fn new(start: NaiveDate, end: Option<NaiveDate>) -> Result<Self, DomainError> {
        Self::new_field("term", start, end)
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day, if the term has ended or its end is known.
    pub fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    /// Whether the term covers `day`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// Checks that an optional end does not come before an optional start.
pub(crate) fn check_order(
    field: &'static str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<(), DomainError> {
    if let (Some(start), Some(end)) = (start, end) {
        Term::new_field(field, start, Some(end))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_term_that_ends_before_it_starts_is_refused() {
        let err = Term::new(day(2020, 10, 1), Some(day(2020, 9, 30))).unwrap_err();
        assert!(matches!(
            err,
            DomainError::EndsBeforeStart { field: "term", .. }
        ));
    }

    #[test]
    fn an_open_term_contains_every_later_day() {
        let term = Term::new(day(2020, 10, 1), None).unwrap();
        assert!(term.contains(day(2026, 1, 1)));
        assert!(!term.contains(day(2020, 9, 30)));
        let closed = Term::new(day(2020, 10, 1), Some(day(2020, 10, 1))).unwrap();
        assert!(closed.contains(day(2020, 10, 1)));
        assert!(!closed.contains(day(2020, 10, 2)));
    }
}
