//! How times and events read to the customer, in their own time zone.

use mend_core::clock::Timestamp;
use mend_core::ticket::{Actor, EventKind};

/// "Tue 15:00"-style local time, from the browser's locale and time zone.
pub fn local_time(at: Timestamp) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
    let options = js_sys::Object::new();
    for (key, value) in
        [("weekday", "short"), ("day", "numeric"), ("month", "short"), ("hour", "2-digit"), ("minute", "2-digit")]
    {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("default", &options).into()
}

/// Who speaks in the timeline: the customer, or the company in one voice.
pub fn speaker(by: Actor, company: &str) -> String {
    match by {
        Actor::Customer => "You".into(),
        Actor::Rep | Actor::Manager | Actor::System => company.to_owned(),
    }
}

/// The text of a timeline entry, as the customer reads it.
pub fn entry_text(kind: &EventKind) -> String {
    match kind {
        EventKind::Reported { report } => report.what_happened.to_string(),
        EventKind::MessageAdded { text } => text.to_string(),
        EventKind::Updated { text, next_update_by } => {
            format!("{text}\nNext update by {}.", local_time(*next_update_by))
        }
        EventKind::QuestionAsked { question } => question.to_string(),
        EventKind::Escalated { .. } => "A manager has joined to help.".into(),
        EventKind::ResolutionProposed { summary, prevention } => {
            format!("{summary}\nWhat we changed so this won't happen again: {prevention}")
        }
        EventKind::ConfirmedSolved => "You confirmed this is solved.".into(),
        EventKind::Reopened { reason } => format!("Not solved yet: {reason}"),
        EventKind::MakeGoodOffered { make_good } => format!("We'd like to make it up to you: {}.", make_good.value),
        EventKind::MakeGoodAccepted => "You accepted our offer.".into(),
        EventKind::MakeGoodDeclined => "You declined our offer.".into(),
        EventKind::Rated { rating } => format!("You rated our recovery {} out of 5.", rating.score.get()),
        EventKind::PromiseMissed { due } => {
            format!("We promised an update by {} and didn't keep it. We're sorry.", local_time(*due))
        }
        EventKind::Withdrawn => "You withdrew this report.".into(),
    }
}
