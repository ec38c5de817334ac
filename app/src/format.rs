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
        Text::fill(text.today_at, &time)
    } else if day(&date) == day(&tomorrow) {
        Text::fill(text.tomorrow_at, &time)
    } else {
        local_time(at, text)
    }
}

/// Who speaks in the timeline: the customer, or the company in one voice,
/// with the rep's first name where the company signs with it.
pub fn speaker(event: &Event, company: &str, text: &Text) -> String {
    match (event.by, &event.signed) {
        (Actor::Customer, _) => text.you.into(),
        (_, Some(name)) => format!("{company} · {name}"),
        (Actor::Rep | Actor::Manager | Actor::System, None) => company.to_owned(),
    }
}

/// Who looks after the report: "Sam is looking after your report" where
/// the company signs with first names, otherwise the company itself. (Its
/// words live here, with the ticket view, not in the first open's [`Text`].)
pub fn looked_after(owner: &Colleague, company: &str, text: &Text) -> String {
    let name = owner.first_name.as_ref().map_or(company, FirstName::as_str);
    match text.lang {
        "de" => format!("{name} kümmert sich um Ihre Meldung."),
        _ => format!("{name} is looking after your report."),
    }
}

/// The follow-up's words, in the customer's language.
pub struct FollowUpWords {
    /// "You told us on 3 March that this was solved. Is everything still right?"
    pub question: String,
    pub held: &'static str,
    pub came_back: &'static str,
    pub what_happened: &'static str,
    pub send: &'static str,
}

/// The follow-up's words for a problem the customer confirmed solved at
/// `solved_at`, the day said in the browser's time zone.
pub fn follow_up_words(solved_at: Option<Timestamp>, text: &Text) -> FollowUpWords {
    let day = solved_at.map(|at| {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
        let options = js_sys::Object::new();
        for (key, value) in [("day", "numeric"), ("month", "long")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        String::from(date.to_locale_date_string(text.lang, &options))
    });
    match (text.lang, day) {
        ("de", day) => FollowUpWords {
            question: match day {
                Some(day) => format!("Sie haben uns am {day} gesagt, dass dies gelöst war. Ist alles noch in Ordnung?"),
                None => "Sie haben uns gesagt, dass dies gelöst war. Ist alles noch in Ordnung?".to_owned(),
            },
            held: "Ja, es hält",
            came_back: "Nein, das Problem ist zurück",
            what_happened: "Was ist passiert?",
            send: "Senden",
        },
        (_, day) => FollowUpWords {
            question: match day {
                Some(day) => format!("You told us on {day} that this was solved. Is everything still right?"),
                None => "You told us this was solved. Is everything still right?".to_owned(),
            },
            held: "Yes, it held",
            came_back: "No, it came back",
            what_happened: "What happened?",
            send: "Send",
        },
    }
}

/// A handover as the customer reads it: "Alex has taken over from Sam",
/// or who looks after the report now where the company signs without names.
fn taken_over(from: Option<&Colleague>, to: &Colleague, company: &str, text: &Text) -> String {
    match (from.and_then(|from| from.first_name.as_ref()), &to.first_name) {
        (Some(from), Some(to)) if text.lang == "de" => format!("{to} hat Ihre Meldung von {from} übernommen."),
        (Some(from), Some(to)) => format!("{to} has taken over from {from}."),
        _ => looked_after(to, company, text),
    }
}

/// The text of a timeline entry, as the customer reads it.
pub fn entry_text(event: &Event, company: &str, text: &Text) -> String {
    let fill = Text::fill;
    match &event.kind {
        EventKind::Reported { report, .. } => report.what_happened.to_string(),
        EventKind::MessageAdded { text } => text.to_string(),
        EventKind::Updated { text: update, next_update_by } => {
            format!("{update}\n{}", fill(text.entry_next_update, &local_time(*next_update_by, text)))
        }
        EventKind::QuestionAsked { question } => question.to_string(),
        // Shown honestly, whatever the reason: a manager has joined.
        EventKind::Escalated { .. } => text.entry_escalated.into(),
        EventKind::ResolutionProposed { summary, prevention } => format!("{summary}\n{} {prevention}", text.prevention),
        EventKind::ConfirmedSolved => text.entry_solved.into(),
        EventKind::Reopened { reason } => fill(text.entry_reopened, reason.as_str()),
        EventKind::MakeGoodOffered { make_good } => fill(text.entry_offered, &make_good.value.to_string()),
        EventKind::MakeGoodAccepted => text.entry_accepted.into(),
        EventKind::MakeGoodDeclined => text.entry_declined.into(),
        EventKind::Rated { rating } => fill(text.entry_rated, &rating.score.get().to_string()),
        EventKind::PromiseMissed { due, first_answer: false } => fill(text.entry_missed, &local_time(*due, text)),
        EventKind::PromiseMissed { due, first_answer: true } => {
            fill(text.entry_missed_first_answer, &local_time(*due, text))
        }
        EventKind::Withdrawn => text.entry_withdrawn.into(),
        EventKind::OwnershipTaken => {
            let taker = Colleague { key_id: None, label: None, first_name: event.signed.clone() };
            looked_after(&taker, company, text)
        }
        EventKind::HandedOver { from, to, .. } => taken_over(from.as_ref(), to, company, text),
        EventKind::FollowUpAsked => match text.lang {
            "de" => "Wir haben gefragt, ob alles noch in Ordnung ist.".to_owned(),
            _ => "We asked whether everything is still right.".to_owned(),
        },
        EventKind::FollowUpAnswered { held: true, .. } => match text.lang {
            "de" => "Sie haben gesagt: Es hält.".to_owned(),
            _ => "You told us it held.".to_owned(),
        },
        EventKind::FollowUpAnswered { what_happened, .. } => {
            let what = what_happened.as_ref().map_or("", |what| what.as_str());
            match text.lang {
                "de" => format!("Sie haben gesagt, das Problem ist zurück: {what}"),
                _ => format!("You told us it came back: {what}"),
            }
        }
    }
}
