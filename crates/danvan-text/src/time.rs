//! Vietnam time. Portals write every date in UTC+07:00 (no daylight saving), so danvan
//! stores instants in UTC and presents them at this offset.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// Vietnam's offset from UTC in seconds: seven hours.
const OFFSET_SECONDS: i32 = 7 * 3600;

/// The UTC+07:00 offset, checked when the crate compiles.
const VIETNAM: FixedOffset = match FixedOffset::east_opt(OFFSET_SECONDS) {
    Some(offset) => offset,
    None => panic!("UTC+07:00 is a valid offset"),
};

/// The UTC+07:00 offset.
pub fn vietnam() -> FixedOffset {
    VIETNAM
}

/// An instant as Vietnam local time.
pub fn to_vietnam(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&vietnam())
}

/// A wall-clock time read in Vietnam (as printed on a portal) as an instant.
pub fn from_vietnam_local(local: NaiveDateTime) -> DateTime<Utc> {
    // A fixed offset has exactly one mapping for every local time.
    (local - chrono::Duration::seconds(i64::from(OFFSET_SECONDS))).and_utc()
}

/// Today's date in Vietnam.
pub fn today_in_vietnam() -> NaiveDate {
    to_vietnam(Utc::now()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_portal_time_is_seven_hours_ahead_of_utc() {
        let local = NaiveDate::from_ymd_opt(2020, 6, 30)
            .and_then(|d| d.and_hms_opt(16, 45, 14))
            .unwrap();
        let utc = from_vietnam_local(local);
        assert_eq!(utc.to_rfc3339(), "2020-06-30T09:45:14+00:00");
        assert_eq!(to_vietnam(utc).to_rfc3339(), "2020-06-30T16:45:14+07:00");
    }
}
