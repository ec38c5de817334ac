//! How times and events read to the customer, in their language and time zone.

use mend_core::clock::Timestamp;
use mend_core::input::FirstName;
use mend_core::ticket::{Actor, Colleague, Event, EventKind};

use crate::text::Text;

/// "Tue 24 Nov, 15:00"-style local time, in the widget's language and the
/// browser's time zone.
pub fn local_time(at: Timestamp, text: &Text) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
    let options = js_sys::Object::new();
    for (key, value) in
        [("weekday", "short"), ("day", "numeric"), ("month", "short"), ("hour", "2-digit"), ("minute", "2-digit")]
    {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string(text.lang, &options).into()
}

/// A time as near as it is: "15:00 today", "tomorrow, 09:00", or the day
/// and time as [`local_time`] writes them, in the browser's time zone.
pub fn near_time(at: Timestamp, text: &Text) -> String {
    let words = text.ticket();
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
    let day = |d: &js_sys::Date| (d.get_full_year(), d.get_month(), d.get_date());
    let today = js_sys::Date::new_0();
    let tomorrow = js_sys::Date::new_0();
    tomorrow.set_date(today.get_date() + 1);
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "2-digit"), ("minute", "2-digit")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let time: String = date.to_locale_time_string_with_options(text.lang, &options).into();
    if day(&date) == day(&today) {
        Text::fill(words.today_at, &time)
    } else if day(&date) == day(&tomorrow) {
        Text::fill(words.tomorrow_at, &time)
    } else {
        local_time(at, text)
    }
}

/// Who speaks in the timeline: the customer, or the company in one voice,
/// with the rep's first name where the company signs with it.
pub fn speaker(event: &Event, company: &str, text: &Text) -> String {
    let words = text.ticket();
    match (event.by, &event.signed) {
        (Actor::Customer, _) => words.you.into(),
        (_, Some(name)) => format!("{company} · {name}"),
        (Actor::Rep | Actor::Manager | Actor::System, None) => company.to_owned(),
    }
}

/// Who looks after the report: "Sam is looking after your report" where
/// the company signs with first names, otherwise the company itself.
pub fn looked_after(owner: &Colleague, company: &str, text: &Text) -> String {
    let words = text.ticket();
    let name = owner.first_name.as_ref().map_or(company, FirstName::as_str);
    Text::fill(words.looked_after, name)
}

/// The follow-up's question for a problem the customer confirmed solved
/// at `solved_at`, the day said in the browser's time zone: "You told us
/// on 3 March that this was solved. Is everything still right?"
pub fn follow_up_question(solved_at: Option<Timestamp>, text: &Text) -> String {
    let words = text.ticket();
    let Some(at) = solved_at else { return words.follow_up_asked.to_owned() };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    Text::fill(words.follow_up_asked_on, &String::from(date.to_locale_date_string(text.lang, &options)))
}

/// A handover as the customer reads it: "Alex has taken over from Sam",
/// or who looks after the report now where the company signs without names.
fn taken_over(from: Option<&Colleague>, to: &Colleague, company: &str, text: &Text) -> String {
    let words = text.ticket();
    match (from.and_then(|from| from.first_name.as_ref()), &to.first_name) {
        (Some(from), Some(to)) => Text::fill(&Text::fill(words.taken_over, to.as_str()), from.as_str()),
        _ => looked_after(to, company, text),
    }
}

/// The text of a timeline entry, as the customer reads it.
pub fn entry_text(event: &Event, company: &str, text: &Text) -> String {
    let words = text.ticket();
    let fill = Text::fill;
    match &event.kind {
        EventKind::Reported { report, .. } => report.what_happened.to_string(),
        EventKind::MessageAdded { text } => text.to_string(),
        EventKind::Updated { text: update, next_update_by } => {
            format!("{update}\n{}", fill(words.entry_next_update, &local_time(*next_update_by, text)))
        }
        EventKind::QuestionAsked { question } => question.to_string(),
        // Shown honestly, whatever the reason: a manager has joined.
        EventKind::Escalated { .. } => words.entry_escalated.into(),
        EventKind::ResolutionProposed { summary, prevention } => {
            format!("{summary}\n{} {prevention}", words.prevention)
        }
        EventKind::ConfirmedSolved => words.entry_solved.into(),
        EventKind::Reopened { reason } => fill(words.entry_reopened, reason.as_str()),
        EventKind::MakeGoodOffered { make_good } => fill(words.entry_offered, &make_good.value.to_string()),
        EventKind::MakeGoodAccepted => words.entry_accepted.into(),
        EventKind::MakeGoodDeclined => words.entry_declined.into(),
        EventKind::Rated { rating } => fill(words.entry_rated, &rating.score.get().to_string()),
        EventKind::PromiseMissed { due, first_answer: false } => fill(words.entry_missed, &local_time(*due, text)),
        EventKind::PromiseMissed { due, first_answer: true } => {
            fill(words.entry_missed_first_answer, &local_time(*due, text))
        }
        EventKind::Withdrawn => words.entry_withdrawn.into(),
        EventKind::OwnershipTaken => {
            let taker = Colleague { key_id: None, label: None, first_name: event.signed.clone() };
            looked_after(&taker, company, text)
        }
        EventKind::HandedOver { from, to, .. } => taken_over(from.as_ref(), to, company, text),
        EventKind::FollowUpAsked => words.entry_follow_up_asked.into(),
        EventKind::FollowUpAnswered { held: true, .. } => words.entry_held.into(),
        EventKind::FollowUpAnswered { what_happened, .. } => {
            fill(words.entry_came_back, what_happened.as_ref().map_or("", |what| what.as_str()))
        }
    }
}
