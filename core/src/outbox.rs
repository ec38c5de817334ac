//! What follows an event, kept by the ticket's object until it is done.
//!
//! Every committed event leaves work behind in the object's outbox: its
//! projection into the index (D1) that the queue and the recovery record
//! read, and its webhook, handed to the workspace's webhook hub; news for
//! the customer also leaves an email, which waits a little for more. Each piece of work is tried
//! right after the answer has gone out, and again on the object's alarm
//! until it is confirmed: the waits between attempts double from
//! [`FIRST_RETRY_MS`] up to [`LONGEST_RETRY_MS`] and never give up, because
//! nothing acknowledged may be lost. The rules here are pure: the object
//! passes `now` and counts the attempts.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// How long the first attempt is given before the alarm tries again: the
/// dispatcher runs at once after an answer, and the alarm is the net under it.
pub const GRACE_MS: i64 = 2_000;
/// The wait after the first failed attempt.
pub const FIRST_RETRY_MS: i64 = 1_000;
/// The longest wait between two attempts.
pub const LONGEST_RETRY_MS: i64 = 5 * 60 * 1_000;

/// A kind of work an event leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Work {
    /// Write the event, the ticket's standing and its record into the index.
    Project,
    /// Hand the event's webhook to the workspace's webhook hub, which
    /// delivers it to every endpoint that wants it ([`crate::webhook`]).
    Webhooks,
    /// Email the customer about it, if they are away: left only by news
    /// ([`crate::email::is_news`]), due [`crate::email::COALESCE_MS`] later,
    /// and sent with every other email row waiting then, as one email.
    Email,
}

impl Work {
    /// Every kind of work each event leaves behind.
    pub const FOR_EVERY_EVENT: [Work; 2] = [Work::Project, Work::Webhooks];
    /// Every kind of work there is.
    pub const ALL: [Work; 3] = [Work::Project, Work::Webhooks, Work::Email];

    /// The kind's name as stored.
    pub fn key(self) -> &'static str {
        match self {
            Work::Project => "project",
            Work::Webhooks => "webhooks",
            Work::Email => "email",
        }
    }

    /// The kind stored as `key`, if Mend knows it.
    pub fn from_key(key: &str) -> Option<Work> {
        Self::ALL.into_iter().find(|work| work.key() == key)
    }
}

/// When to try again after `failures` failed attempts (at least one), at `now`.
pub fn retry_at(failures: u32, now: Timestamp) -> Timestamp {
    let doublings = failures.saturating_sub(1).min(30);
    let wait = FIRST_RETRY_MS.saturating_mul(1 << doublings).min(LONGEST_RETRY_MS);
    now.plus_millis(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_ms(ms).unwrap()
    }

    #[test]
    fn waits_double_from_a_second_up_to_five_minutes_and_never_stop() {
        let now = at(1_800_000_000_000);
        let waits: Vec<i64> = (1..=12).map(|n| retry_at(n, now).unix_ms() - now.unix_ms()).collect();
        assert_eq!(
            waits,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]
        );
        assert_eq!(retry_at(u32::MAX, now).unix_ms() - now.unix_ms(), LONGEST_RETRY_MS);
        // A first attempt that has not failed yet is treated as one failure.
        assert_eq!(retry_at(0, now), retry_at(1, now));
    }

    #[test]
    fn work_kinds_read_back_from_their_keys() {
        for work in Work::ALL {
            assert_eq!(Work::from_key(work.key()), Some(work));
            assert_eq!(serde_json::to_value(work).unwrap(), work.key());
        }
        assert_eq!(Work::from_key("sms"), None);
    }
}
