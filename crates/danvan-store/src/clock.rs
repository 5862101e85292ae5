//! Time as the store keeps it.

use chrono::{DateTime, SubsecRound, Utc};

/// The current time as stored: UTC, to the microsecond, which both backends keep exactly.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Rounds a time given by a caller to what the database keeps.
pub(crate) fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}
