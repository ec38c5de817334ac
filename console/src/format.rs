//! How times, countdowns and a ticket's events read to a rep, in the
//! browser's time zone.

use mend_core::clock::Timestamp;
use mend_core::ticket::{Actor, Colleague, Event, EventKind, Status};

use crate::text;

/// "Tue 24 Nov, 15:00" in the browser's time zone.
pub fn local_time(at: Timestamp) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
    let options = js_sys::Object::new();
    for (key, value) in
        [("weekday", "short"), ("day", "numeric"), ("month", "short"), ("hour", "2-digit"), ("minute", "2-digit")]
    {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("en-GB", &options).into()
}

/// A span of time in words: "45 s", "12 min", "3 h 5 min", "2 d 4 h".
pub fn span(ms: i64) -> String {
    let seconds = ms.abs() / 1000;
    let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// The countdown to a promise due at `due`, at `now_ms`: "due in 12 min",
/// "overdue by 3 min", or "missed, due 5 min ago" once Mend recorded it.
pub fn countdown(due: Timestamp, missed: bool, now_ms: i64) -> String {
    let left = due.unix_ms() - now_ms;
    if missed {
        text::fill(text::PROMISE_MISSED, &span(left))
    } else if left >= 0 {
        text::fill(text::PROMISE_DUE_IN, &span(left))
    } else {
        text::fill(text::PROMISE_OVERDUE, &span(left))
    }
}

/// How a status reads in the console.
pub fn status(status: Status) -> &'static str {
    match status {
        Status::Reported => text::STATUS_REPORTED,
        Status::Acknowledged => text::STATUS_ACKNOWLEDGED,
        Status::InProgress => text::STATUS_IN_PROGRESS,
        Status::WaitingOnCustomer => text::STATUS_WAITING,
        Status::ResolutionProposed => text::STATUS_PROPOSED,
        Status::Solved => text::STATUS_SOLVED,
        Status::Withdrawn => text::STATUS_WITHDRAWN,
    }
}

/// Who acted, as the rep reads the timeline.
pub fn actor(event: &Event) -> String {
    let who = match event.by {
        Actor::Customer => text::BY_CUSTOMER,
        Actor::Rep => text::BY_REP,
        Actor::Manager => text::BY_MANAGER,
        Actor::System => text::BY_MEND,
    };
    // The company's people see who wrote it; the customer, at most the first name it is signed with.
    match (event.author.as_ref().and_then(|author| author.label.as_ref()), &event.signed) {
        (Some(label), _) => format!("{who} · {label}"),
        (None, Some(name)) => format!("{who} · {name}"),
        (None, None) => who.to_owned(),
    }
}

/// What an event says, as the rep reads the timeline.
pub fn entry(event: &Event) -> String {
    match &event.kind {
        EventKind::Reported { report, .. } => text::fill(text::ENTRY_REPORTED, report.what_happened.as_str()),
        EventKind::MessageAdded { text } => text.to_string(),
        EventKind::Updated { text: update, next_update_by } => {
            format!("{update}\n{}", text::fill(text::ENTRY_PROMISE, &local_time(*next_update_by)))
        }
        EventKind::QuestionAsked { question } => text::fill(text::ENTRY_QUESTION, question.as_str()),
        EventKind::Escalated { escalation } => text::fill(text::ENTRY_ESCALATED, text::escalation(*escalation)),
        EventKind::ResolutionProposed { summary, prevention } => {
            format!(
                "{}\n{}",
                text::fill(text::ENTRY_PROPOSED, summary.as_str()),
                text::fill(text::ENTRY_PREVENTION, prevention.as_str())
            )
        }
        EventKind::ConfirmedSolved => text::ENTRY_SOLVED.into(),
        EventKind::Reopened { reason } => text::fill(text::ENTRY_REOPENED, reason.as_str()),
        EventKind::MakeGoodOffered { make_good } => {
            text::fill(text::ENTRY_OFFERED, &format!("{} {}", make_good.value, text::make_good_kind(make_good.kind)))
        }
        EventKind::MakeGoodAccepted => text::ENTRY_ACCEPTED.into(),
        EventKind::MakeGoodDeclined => text::ENTRY_DECLINED.into(),
        EventKind::Rated { rating } => text::fill(text::ENTRY_RATED, &rating.score.get().to_string()),
        EventKind::PromiseMissed { due, first_answer: false } => text::fill(text::ENTRY_MISSED, &local_time(*due)),
        EventKind::PromiseMissed { due, first_answer: true } => {
            text::fill(text::ENTRY_MISSED_FIRST_ANSWER, &local_time(*due))
        }
        EventKind::Withdrawn => text::ENTRY_WITHDRAWN.into(),
        EventKind::OwnershipTaken => text::fill(text::ENTRY_TAKEN, &colleague(event.author.as_ref())),
        EventKind::HandedOver { to, note, .. } => {
            let note = note.as_ref().map_or("", |note| note.as_str());
            format!("{} {note}", text::fill(text::ENTRY_HANDED_OVER, &colleague(Some(to))))
        }
        EventKind::FollowUpAsked => text::ENTRY_FOLLOW_UP_ASKED.into(),
        EventKind::FollowUpAnswered { held: true, .. } => text::ENTRY_HELD.into(),
        EventKind::FollowUpAnswered { what_happened, .. } => {
            format!("{} {}", text::ENTRY_CAME_BACK, what_happened.as_ref().map_or("", |what| what.as_str()))
        }
    }
}

/// A colleague as the console names them: their key's label.
pub fn colleague(colleague: Option<&Colleague>) -> String {
    colleague.and_then(|c| c.label.as_ref()).map_or(text::SOMEONE, |label| label.as_str()).to_owned()
}

/// `YYYY-MM-DDTHH:MM` of `date` in the browser's time zone, as a `datetime-local` input holds it.
pub fn local_input_value(date: &js_sys::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// A `datetime-local` value (the browser's time zone) as RFC 3339 in UTC;
/// what the rep typed, unchanged, if it is not a time, for Mend to refuse by name.
pub fn from_local_input(local: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local));
    if local.is_empty() || date.get_time().is_nan() { local.to_owned() } else { date.to_iso_string().into() }
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_read_in_the_largest_units() {
        assert_eq!(span(45_000), "45 s");
        assert_eq!(span(-12 * 60_000), "12 min");
        assert_eq!(span(3 * 3_600_000 + 5 * 60_000), "3 h 5 min");
        assert_eq!(span(2 * 3_600_000), "2 h");
        assert_eq!(span(2 * 86_400_000 + 4 * 3_600_000), "2 d 4 h");
    }
}
