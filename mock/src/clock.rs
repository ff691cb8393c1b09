//! The mock's one source of time.
//!
//! Every expiry (codes, tokens, sign-in pages) and every timestamp the mock writes reads this
//! clock, so a test can make ten minutes pass in no time, and deterministic mode can write the
//! same `iat` on every run.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// Where deterministic mode's clock stands until it is advanced: 2026-11-25 22:10:00 UTC.
const FIXED_START_UNIX: i64 = 1_795_644_600;

pub(crate) struct Clock {
    /// `None` follows the system clock; `Some` stands still at that instant.
    fixed_start: Option<OffsetDateTime>,
    /// How far tests have moved this clock forward, in milliseconds.
    advanced_ms: AtomicI64,
}

impl Clock {
    pub(crate) fn system() -> Self {
        Clock {
            fixed_start: None,
            advanced_ms: AtomicI64::new(0),
        }
    }

    pub(crate) fn fixed() -> Self {
        Clock {
            fixed_start: Some(
                OffsetDateTime::from_unix_timestamp(FIXED_START_UNIX)
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            ),
            advanced_ms: AtomicI64::new(0),
        }
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        let start = self.fixed_start.unwrap_or_else(OffsetDateTime::now_utc);
        start + time::Duration::milliseconds(self.advanced_ms.load(Ordering::Relaxed))
    }

    /// Seconds since 1970, as JWT claims count time.
    pub(crate) fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    pub(crate) fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.advanced_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// `2026-11-25 22:10:00Z`: the `timestamp` of an Entra error body (a space, no `T`).
const ENTRA_TIMESTAMP: &[FormatItem<'_>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]Z");

/// `2026-11-25T22:10:00`: Graph's `innerError.date` (no zone, no fraction).
const GRAPH_DATE: &[FormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

/// `2026-11-25T22:10:00Z`: Graph's `DateTimeOffset` properties.
const GRAPH_DATE_TIME: &[FormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

pub(crate) fn entra_timestamp(at: OffsetDateTime) -> String {
    at.format(ENTRA_TIMESTAMP).unwrap_or_default()
}

pub(crate) fn graph_date(at: OffsetDateTime) -> String {
    at.format(GRAPH_DATE).unwrap_or_default()
}

pub(crate) fn graph_date_time(at: OffsetDateTime) -> String {
    at.format(GRAPH_DATE_TIME).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_advanced() {
        let clock = Clock::fixed();
        let before = clock.unix();

        clock.advance(Duration::from_secs(601));

        assert_eq!(before, FIXED_START_UNIX);
        assert_eq!(clock.unix(), FIXED_START_UNIX + 601);
        assert_eq!(entra_timestamp(clock.now()), "2026-11-25 22:20:01Z");
        assert_eq!(graph_date(clock.now()), "2026-11-25T22:20:01");
    }
}
