//! What a company changed because its customers told it: the prevention
//! notes its managers choose to publish on the public scorecard, each with
//! the month the change was proposed — the company's own words, never the
//! customer's, and nothing that says who the customer was.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::clock::{MONTHS, Timestamp};
use crate::input::{PreventionNote, TicketId};
use crate::ticket::{Event, EventKind};

/// The most changes a scorecard shows, newest first.
pub const SHOWN: usize = 20;

/// A prevention note as it would be published: the company's words and
/// the month it proposed them in ("December 2026"), in its time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeNote {
    /// What the company changed so the problem won't happen again.
    pub text: PreventionNote,
    /// The month of the proposal that said so, as people say it.
    pub month: String,
}

impl ChangeNote {
    /// The prevention note of the last resolution proposed in a ticket's
    /// log (`events`), dated in the company's `time_zone`; `None` while
    /// nothing was proposed.
    pub fn of(events: &[Event], time_zone: &str) -> Option<Self> {
        let (at, text) = events.iter().rev().find_map(|event| match &event.kind {
            EventKind::ResolutionProposed { prevention, .. } => Some((event.at, prevention.clone())),
            _ => None,
        })?;
        Some(ChangeNote { text, month: month_of(at, time_zone) })
    }
}

/// "December 2026": the month `at` falls in, in `time_zone` (UTC if Mend
/// does not know it).
pub fn month_of(at: Timestamp, time_zone: &str) -> String {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    match jiff::Timestamp::from_millisecond(at.unix_ms()) {
        Ok(instant) => {
            let local = instant.to_zoned_datetime(tz);
            format!("{} {}", MONTHS[usize::from(local.month() as u8 - 1)], local.year())
        }
        Err(_) => at.to_string(),
    }
}

/// A change a manager published, as the API lists it to the workspace's
/// people (the scorecard shows only `text` and `month`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedChange {
    /// The ticket whose prevention note it is.
    pub ticket_id: TicketId,
    /// The company's words and their month.
    #[serde(flatten)]
    pub note: ChangeNote,
    /// When the manager published it.
    pub published_at: Timestamp,
}

/// The answer to `GET /v1/workspaces/{ws}/changes`: the published changes, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeList {
    /// Every change the workspace has published.
    pub changes: Vec<PublishedChange>,
}

/// The body of `POST /v1/workspaces/{ws}/changes`: the ticket whose
/// prevention note to publish.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// `ticket_id`: one of the workspace's tickets with a proposed
    /// resolution. Required.
    #[serde(default)]
    pub ticket_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Summary, WhatHappened};
    use crate::make_good::Policy;
    use crate::money::Currency;
    use crate::ticket::{Actor, Command, Context, Report, Ticket};

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn the_last_proposals_note_is_published_with_its_month_in_the_companys_zone() {
        let report = Report::of(WhatHappened::parse("My order never came.").unwrap());
        let opened = Ticket::open(report, None, at("2026-12-31T20:00:00Z"));
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let mut events = vec![opened];
        assert_eq!(ChangeNote::of(&events, "Europe/London"), None, "nothing proposed, nothing to publish");
        let policy = Policy::standard(Currency::parse("USD", crate::input::Field::Currency).unwrap());
        for (now, prevention) in
            [("2026-12-31T21:00:00Z", "Orders are checked."), ("2026-12-31T23:30:00Z", "Every order is tracked.")]
        {
            let command = Command::ProposeResolution {
                summary: Summary::parse("It was delivered.").unwrap(),
                prevention: PreventionNote::parse(prevention).unwrap(),
            };
            let event = ticket.decide(Actor::Rep, command, &Context::new(at(now), &policy)).unwrap();
            ticket.apply(&event).unwrap();
            events.push(event);
            if now.starts_with("2026-12-31T21") {
                let not_yet = ticket
                    .decide(
                        Actor::Customer,
                        Command::NotYet { reason: crate::input::Reason::parse("No.").unwrap() },
                        &Context::new(at(now), &policy),
                    )
                    .unwrap();
                ticket.apply(&not_yet).unwrap();
                events.push(not_yet);
            }
        }
        let london = ChangeNote::of(&events, "Europe/London").unwrap();
        assert_eq!((london.text.as_str(), london.month.as_str()), ("Every order is tracked.", "December 2026"));
        // 23:30 UTC on New Year's Eve is already January in Berlin.
        assert_eq!(ChangeNote::of(&events, "Europe/Berlin").unwrap().month, "January 2027");
        assert_eq!(month_of(at("2027-03-28T01:30:00Z"), "Europe/Berlin"), "March 2027");
        assert_eq!(month_of(at("2027-03-01T04:00:00Z"), "America/Los_Angeles"), "February 2027");
    }

    #[test]
    fn a_published_change_keeps_its_shape_on_the_wire() {
        let change = PublishedChange {
            ticket_id: TicketId::parse("0123456789abcdef0123456789abcdef").unwrap(),
            note: ChangeNote { text: PreventionNote::parse("Lamps are tested.").unwrap(), month: "March 2027".into() },
            published_at: at("2027-04-01T09:00:00Z"),
        };
        let value = serde_json::to_value(&change).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"ticket_id": "0123456789abcdef0123456789abcdef", "text": "Lamps are tested.",
                               "month": "March 2027", "published_at": "2027-04-01T09:00:00Z"})
        );
        assert_eq!(serde_json::from_value::<PublishedChange>(value).unwrap(), change);
    }
}
