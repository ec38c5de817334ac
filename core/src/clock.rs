//! Points in time, as callers give them to the core. The core never asks
//! for the time itself: the worker passes `now` into every decision.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

/// A day as the API writes it: `YYYY-MM-DD`.
const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// The months' names in English, January first: every date Mend writes
/// out in words (an email's times, the scorecard's period) says them so.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A UTC instant with millisecond precision; RFC 3339 on the wire
/// (`"2026-11-24T15:00:00Z"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const EPOCH: Self = Self(OffsetDateTime::UNIX_EPOCH);

    /// The instant `ms` milliseconds after the Unix epoch, as JavaScript's
    /// `Date.now()` reports it. `None` outside the years 1..9999.
    pub fn from_unix_ms(ms: i64) -> Option<Self> {
        let nanos = i128::from(ms) * 1_000_000;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).ok().map(Self)
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_ms(self) -> i64 {
        // Bounded by the years 1..9999, so this always fits an i64.
        (self.0.unix_timestamp_nanos() / 1_000_000) as i64
    }

    /// Parses RFC 3339 with any offset, normalised to UTC and truncated to
    /// milliseconds.
    pub fn parse(text: &str) -> Option<Self> {
        let at = OffsetDateTime::parse(text, &Rfc3339).ok()?;
        Self::from_unix_ms((at.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// This instant moved by `minutes` (negative moves it back), held at
    /// the edge of the representable range rather than overflowing.
    pub fn plus_minutes(self, minutes: i64) -> Self {
        self.plus(Duration::minutes(minutes))
    }

    /// This instant moved by `millis` milliseconds, held at the edge of the
    /// representable range rather than overflowing.
    pub fn plus_millis(self, millis: i64) -> Self {
        self.plus(Duration::milliseconds(millis))
    }

    /// This instant moved by `days` whole days of 24 hours, held at the edge
    /// of the representable range rather than overflowing.
    pub fn plus_days(self, days: i64) -> Self {
        self.plus(Duration::days(days))
    }

    /// The first instant (00:00 UTC) of the Monday of the ISO week this
    /// instant falls in, in UTC.
    pub fn week_start(self) -> Self {
        let date = self.0.to_offset(time::UtcOffset::UTC).date();
        let days_since_monday = i64::from(date.weekday().number_days_from_monday());
        Self(date.midnight().assume_utc()).plus_days(-days_since_monday)
    }

    fn plus(self, duration: Duration) -> Self {
        match self.0.checked_add(duration) {
            Some(at) => Self(at),
            None if duration.is_negative() => Self(time::PrimitiveDateTime::MIN.assume_utc()),
            None => Self(time::PrimitiveDateTime::MAX.assume_utc()),
        }
    }

    /// Milliseconds from `earlier` to this instant (negative if `earlier` is later).
    pub fn millis_since(self, earlier: Timestamp) -> i64 {
        self.unix_ms() - earlier.unix_ms()
    }

    /// The first instant (00:00 UTC) of the day `text` names as `YYYY-MM-DD`.
    pub fn parse_day(text: &str) -> Option<Self> {
        let day = time::Date::parse(text, DAY).ok()?;
        Some(Self(day.midnight().assume_utc()))
    }

    /// The day (in UTC) this time falls on, as `YYYY-MM-DD`.
    pub fn day(self) -> String {
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        utc.date().format(DAY).unwrap_or_default()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        match utc.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not an RFC 3339 time"))
    }
}

impl From<Timestamp> for String {
    fn from(at: Timestamp) -> Self {
        at.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_and_written_as_yyyy_mm_dd_in_utc() {
        let day = Timestamp::parse_day("2026-11-23").unwrap();
        assert_eq!(day.to_string(), "2026-11-23T00:00:00Z");
        assert_eq!(Timestamp::parse("2026-11-24T00:30:00+01:00").unwrap().day(), "2026-11-23");
        for bad in ["2026-13-01", "2026-02-30", "26-11-23", "2026-11-23T00:00:00Z", "", "yesterday"] {
            assert_eq!(Timestamp::parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_through_rfc3339_in_utc() {
        let at = Timestamp::parse("2026-11-24T16:00:00.250+01:00").unwrap();
        assert_eq!(at.to_string(), "2026-11-24T15:00:00.25Z");
        assert_eq!(Timestamp::from_unix_ms(at.unix_ms()), Some(at));
    }

    #[test]
    fn moving_past_the_last_representable_time_stops_there() {
        let late = Timestamp::parse("9999-12-25T00:00:00Z").unwrap();
        assert!(late.plus_minutes(14 * 24 * 60) > late);
        assert_eq!(late.plus_minutes(14 * 24 * 60), late.plus_minutes(15 * 24 * 60));
    }

    #[test]
    fn a_week_starts_on_the_monday_before_at_midnight_utc() {
        for (at, monday) in [
            ("2026-11-23T00:00:00Z", "2026-11-23T00:00:00Z"),
            ("2026-11-29T23:59:59.999Z", "2026-11-23T00:00:00Z"),
            ("2027-01-01T12:00:00Z", "2026-12-28T00:00:00Z"),
            ("2026-03-01T08:00:00Z", "2026-02-23T00:00:00Z"),
            ("2026-03-30T00:30:00+02:00", "2026-03-23T00:00:00Z"),
        ] {
            assert_eq!(Timestamp::parse(at).unwrap().week_start().to_string(), monday, "{at}");
        }
    }

    #[test]
    fn rejects_text_that_is_not_a_time() {
        assert_eq!(Timestamp::parse("tomorrow at three"), None);
        assert_eq!(Timestamp::parse("2026-11-24"), None);
    }
}
