//! The period a meeting reviews, a figure counts or a model runs for.

use crate::DomainError;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The years a period may name. Dân vận work is reported from the 1990s on; the margin
/// keeps historical documents and long plans possible while catching typos like 20202.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A reporting period: a year, a half-year, a quarter, a month, or a multi-year phase.
///
/// Its code is stable and sorts by start: `2020`, `2020-H1`, `2020-Q3`, `2020-06`,
/// `2016..2020`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year ("năm 2021").
    Year(i32),
    /// A half-year: 1 is January–June ("6 tháng đầu năm"), 2 is July–December.
    HalfYear {
        /// The year.
        year: i32,
        /// 1 or 2.
        half: u8,
    },
    /// A quarter, 1 to 4 ("quý III").
    Quarter {
        /// The year.
        year: i32,
        /// 1 to 4.
        quarter: u8,
    },
    /// A month, 1 to 12.
    Month {
        /// The year.
        year: i32,
        /// 1 to 12.
        month: u8,
    },
    /// A phase of whole years, first and last included ("giai đoạn 2016-2020").
    Phase {
        /// The first year.
        from: i32,
        /// The last year, after the first.
        to: i32,
    },
}

fn check_year(year: i32) -> Result<i32, DomainError> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(DomainError::invalid(
            "period",
            format!("year {year} is outside {}..{}", YEARS.start(), YEARS.end()),
        ))
    }
}

fn check_part(name: &str, value: u8, max: u8) -> Result<u8, DomainError> {
    if (1..=max).contains(&value) {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            "period",
            format!("{name} must be 1 to {max}, got {value}"),
        ))
    }
}

impl Period {
    /// A calendar year.
    pub fn year(year: i32) -> Result<Self, DomainError> {
        Ok(Self::Year(check_year(year)?))
    }

    /// A half-year, 1 or 2.
    pub fn half_year(year: i32, half: u8) -> Result<Self, DomainError> {
        Ok(Self::HalfYear {
            year: check_year(year)?,
            half: check_part("half", half, 2)?,
        })
    }

    /// A quarter, 1 to 4.
    pub fn quarter(year: i32, quarter: u8) -> Result<Self, DomainError> {
        Ok(Self::Quarter {
            year: check_year(year)?,
            quarter: check_part("quarter", quarter, 4)?,
        })
    }

    /// A month, 1 to 12.
    pub fn month(year: i32, month: u8) -> Result<Self, DomainError> {
        Ok(Self::Month {
            year: check_year(year)?,
            month: check_part("month", month, 12)?,
        })
    }

    /// A phase of at least two years ("giai đoạn 2016-2020"); one year is a [`Period::Year`].
    pub fn phase(from: i32, to: i32) -> Result<Self, DomainError> {
        let (from, to) = (check_year(from)?, check_year(to)?);
        if to <= from {
            return Err(DomainError::invalid(
                "period",
                format!("a phase must end after it starts, got {from}-{to}"),
            ));
        }
        Ok(Self::Phase { from, to })
    }

    /// Parses the stable code (see the type's documentation).
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::invalid("period", format!("{code:?} is not a period code"));
        let number = |s: &str| -> Result<i32, DomainError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let part =
            |s: &str| -> Result<u8, DomainError> { u8::try_from(number(s)?).map_err(|_| bad()) };
        if let Some((from, to)) = code.split_once("..") {
            return Self::phase(number(from)?, number(to)?);
        }
        match code.split_once('-') {
            None => Self::year(number(code)?),
            Some((year, rest)) => {
                let year = number(year)?;
                if let Some(h) = rest.strip_prefix('H') {
                    Self::half_year(year, part(h)?)
                } else if let Some(q) = rest.strip_prefix('Q') {
                    Self::quarter(year, part(q)?)
                } else if rest.len() == 2 {
                    Self::month(year, part(rest)?)
                } else {
                    Err(bad())
                }
            }
        }
    }

    /// The first period a text names as a portal prints it ("6 tháng đầu năm 2020",
    /// "giai đoạn 2016-2020"), checked; `Ok(None)` when it names none.
    pub fn from_printed(text: &str) -> Result<Option<Self>, DomainError> {
        danvan_text::parse::parse_period(text)
            .map(Self::from_text)
            .transpose()
    }

    /// A period as the text crate reads it (see [`danvan_text::parse::parse_period_in`]).
    pub fn from_text(printed: danvan_text::parse::PeriodText) -> Result<Self, DomainError> {
        use danvan_text::parse::PeriodText;
        match printed {
            PeriodText::Year(year) => Self::year(year),
            PeriodText::HalfYear(year, half) => Self::half_year(year, half),
            PeriodText::Quarter(year, quarter) => Self::quarter(year, quarter),
            PeriodText::Month(year, month) => Self::month(year, month),
            PeriodText::Phase(from, to) => Self::phase(from, to),
        }
    }

    /// The stable code.
    pub fn code(&self) -> String {
        self.to_string()
    }

    /// The first day of the period.
    pub fn start(&self) -> NaiveDate {
        let (year, month) = match *self {
            Self::Year(year) => (year, 1),
            Self::HalfYear { year, half } => (year, u32::from(half) * 6 - 5),
            Self::Quarter { year, quarter } => (year, u32::from(quarter) * 3 - 2),
            Self::Month { year, month } => (year, u32::from(month)),
            Self::Phase { from, .. } => (from, 1),
        };
        first_of_month(year, month)
    }

    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        let (year, last_month) = match *self {
            Self::Year(year) => (year, 12),
            Self::HalfYear { year, half } => (year, u32::from(half) * 6),
            Self::Quarter { year, quarter } => (year, u32::from(quarter) * 3),
            Self::Month { year, month } => (year, u32::from(month)),
            Self::Phase { to, .. } => (to, 12),
        };
        let next = if last_month == 12 {
            first_of_month(year + 1, 1)
        } else {
            first_of_month(year, last_month + 1)
        };
        next.pred_opt().unwrap_or(next)
    }

    /// Whether `day` falls in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The period as a Vietnamese reader writes it: "6 tháng đầu năm 2020",
    /// "giai đoạn 2016-2020".
    pub fn label(&self) -> String {
        match *self {
            Self::Year(year) => format!("năm {year}"),
            Self::HalfYear { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            Self::HalfYear { year, .. } => format!("6 tháng cuối năm {year}"),
            Self::Quarter { year, quarter } => {
                let roman = ["I", "II", "III", "IV"];
                let q = roman.get(usize::from(quarter) - 1).copied().unwrap_or("?");
                format!("quý {q} năm {year}")
            }
            Self::Month { year, month } => format!("tháng {month} năm {year}"),
            Self::Phase { from, to } => format!("giai đoạn {from}-{to}"),
        }
    }

    /// The year in which the period starts.
    pub fn start_year(&self) -> i32 {
        self.start().year()
    }
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    // Years are checked against YEARS and months computed within 1..=12, so the date exists;
    // the fallback only satisfies the type.
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Year(year) => write!(f, "{year}"),
            Self::HalfYear { year, half } => write!(f, "{year}-H{half}"),
            Self::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Self::Month { year, month } => write!(f, "{year}-{month:02}"),
            Self::Phase { from, to } => write!(f, "{from}..{to}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_half_year_spans_six_months() {
        let first = Period::half_year(2020, 1).unwrap();
        assert_eq!(
            (first.start(), first.end()),
            (day(2020, 1, 1), day(2020, 6, 30))
        );
        assert_eq!(first.label(), "6 tháng đầu năm 2020");
        let second = Period::half_year(2023, 2).unwrap();
        assert_eq!(
            (second.start(), second.end()),
            (day(2023, 7, 1), day(2023, 12, 31))
        );
    }

    #[test]
    fn a_phase_covers_its_first_and_last_year() {
        let phase = Period::phase(2016, 2020).unwrap();
        assert_eq!(
            (phase.start(), phase.end()),
            (day(2016, 1, 1), day(2020, 12, 31))
        );
        assert_eq!(phase.label(), "giai đoạn 2016-2020");
    }

    #[test]
    fn february_ends_on_its_last_day() {
        let feb = Period::month(2024, 2).unwrap();
        assert_eq!(feb.end(), day(2024, 2, 29));
        assert_eq!(Period::quarter(2021, 4).unwrap().end(), day(2021, 12, 31));
    }

    #[test]
    fn periods_that_make_no_sense_are_refused() {
        assert!(Period::phase(2020, 2016).is_err());
        assert!(Period::phase(2020, 2020).is_err());
        assert!(Period::half_year(2020, 3).is_err());
        assert!(Period::quarter(2020, 0).is_err());
        assert!(Period::month(2020, 13).is_err());
        assert!(Period::year(20202).is_err());
    }

    #[test]
    fn printed_periods_are_read_and_checked() {
        assert_eq!(
            Period::from_printed("Hội nghị sơ kết 6 tháng đầu năm 2020"),
            Ok(Some(Period::half_year(2020, 1).unwrap()))
        );
        assert_eq!(
            Period::from_printed("giai đoạn 2016-2020"),
            Ok(Some(Period::phase(2016, 2020).unwrap()))
        );
        assert!(Period::from_printed("giai đoạn 2020-2016").is_err());
        assert_eq!(Period::from_printed("Dân vận khéo"), Ok(None));
    }

    #[test]
    fn codes_round_trip() {
        for code in ["2021", "2020-H1", "2020-Q3", "2020-06", "2016..2020"] {
            assert_eq!(Period::from_code(code).unwrap().code(), code);
        }
        for bad in [
            "", "20x0", "2020-H", "2020-6", "2020-X1", "..2020", "2020..", "-2020",
        ] {
            assert!(Period::from_code(bad).is_err(), "{bad}");
        }
    }
}
