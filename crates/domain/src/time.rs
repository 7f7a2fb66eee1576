//! Instants are kept in UTC with microsecond precision, the finest that PostgreSQL stores, so
//! a value read back from either database equals the value written.

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Returns the current instant in UTC, truncated to whole microseconds.
pub fn now_utc() -> PrimitiveDateTime {
    to_stored(OffsetDateTime::now_utc())
}

/// Converts an instant into the stored form: UTC without offset, truncated to microseconds.
pub fn to_stored(instant: OffsetDateTime) -> PrimitiveDateTime {
    let utc = instant.to_offset(UtcOffset::UTC);
    let micros = utc.microsecond();
    let truncated = utc.replace_nanosecond(micros * 1_000).unwrap_or(utc);
    PrimitiveDateTime::new(truncated.date(), truncated.time())
}

/// Checks whether `name` is a time zone of the IANA database bundled with Dealbook, such as
/// `Asia/Shanghai` or `UTC`.
pub fn is_known_time_zone(name: &str) -> bool {
    !name.is_empty() && jiff::tz::TimeZone::get(name).is_ok()
}

/// Converts a stored instant back into an `OffsetDateTime` in UTC.
pub fn from_stored(stored: PrimitiveDateTime) -> OffsetDateTime {
    stored.assume_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn to_stored_converts_offset_to_utc() {
        let stored = to_stored(datetime!(2026-12-04 08:00:00.123456789 +08:00));
        assert_eq!(stored, datetime!(2026-12-04 00:00:00.123456));
    }

    #[test]
    fn known_time_zones() {
        assert!(is_known_time_zone("Asia/Shanghai"));
        assert!(is_known_time_zone("UTC"));
        assert!(!is_known_time_zone("Mars/Olympus"));
        assert!(!is_known_time_zone("//"));
    }

    #[test]
    fn from_stored_round_trips() {
        let stored = datetime!(2026-01-31 23:59:59.5);
        assert_eq!(to_stored(from_stored(stored)), stored);
    }
}
