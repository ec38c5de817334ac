//! What Mend tells a customer by email while they are away: which events
//! are news they must hear about, how long Mend waits for more to come
//! before it writes, and the words of the one email that covers them, in
//! the customer's language (English or German).
//!
//! The rules are pure: the ticket's object decides *whether* to write (an
//! address, emails on, no widget of the customer watching) and the worker
//! turns a [`Digest`] into a message; times are said in the company's
//! time zone, named, since Mend does not know the customer's.

use jiff::tz::TimeZone;

use crate::clock::{MONTHS, Timestamp};
use crate::input::Locale;
use crate::make_good::MakeGoodKind;
use crate::reference::Reference;
use crate::ticket::{Event, EventKind, Ticket};
use crate::wire::headline;

/// How long after news Mend writes, so events close together become one
/// email: a rep's update and the make-good that follows it a minute later
/// arrive together.
pub const COALESCE_MS: i64 = 2 * 60 * 1_000;

/// Whether `event` is news the customer must hear about while away: what
/// the company said or offered, a promise it missed, a manager brought in.
/// What the customer did themselves, and their own report, are not; a
/// report the company made for them (a proactive report) is.
pub fn is_news(event: &Event) -> bool {
    match &event.kind {
        EventKind::Reported { .. } | EventKind::MessageAdded { .. } => event.by.is_company(),
        EventKind::Updated { .. }
        | EventKind::QuestionAsked { .. }
        | EventKind::ResolutionProposed { .. }
        | EventKind::MakeGoodOffered { .. }
        | EventKind::PromiseMissed { .. }
        | EventKind::Escalated { .. }
        | EventKind::FollowUpAsked => true,
        _ => false,
    }
}

/// The languages Mend writes emails in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English, and every language Mend does not write yet.
    En,
    /// German.
    De,
}

impl Language {
    /// The language for a customer who used the widget in `locale`.
    pub fn of(locale: Option<&Locale>) -> Self {
        match locale.map(|l| l.as_str().split(['-', '_']).next().unwrap_or_default()) {
            Some("de") => Language::De,
            _ => Language::En,
        }
    }

    /// The `Content-Language` tag.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
        }
    }
}

/// One piece of news in an email: what happened, and the company's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What happened, as a line ("Acme Furniture sent you an update:").
    pub label: String,
    /// The company's words as written, if the event has any (shown as text, never markup).
    pub text: Option<String>,
    /// A second labelled text (what the company changed, with a proposal).
    pub also: Option<(String, String)>,
}

/// The words of one email: everything a template needs, nothing it decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The same for every email of a ticket, so mail clients thread them:
    /// "Your report ACM-7KQ-3TF: The armchair was not…". One line, no control characters.
    pub subject: String,
    /// "Here is what changed on your report to Acme Furniture:".
    pub lead: String,
    /// The news, oldest first.
    pub items: Vec<Item>,
    /// The promise in force, said in the company's time zone, if there is one.
    pub promise: Option<String>,
    /// What the company now waits for from the customer, if anything.
    pub ask: Option<String>,
    /// The button to the ticket.
    pub button: String,
    /// "Your reference: ACM-7KQ-3TF".
    pub reference_line: String,
    /// Why they get this.
    pub why: String,
    /// The words of the one-click link that stops emails about this ticket.
    pub stop: String,
}

/// What a [`Digest`] is made from.
pub struct Occasion<'a> {
    /// The company's name, as the customer knows it.
    pub company: &'a str,
    /// The ticket's reference, if it has one.
    pub reference: Option<&'a Reference>,
    /// The ticket as it stands now.
    pub ticket: &'a Ticket,
    /// The news since the last email, oldest first.
    pub news: &'a [Event],
    /// The company's IANA time zone, for the times said.
    pub time_zone: &'a str,
    /// The customer's language.
    pub language: Language,
}

/// The words of the email that tells the customer about `occasion.news`.
pub fn digest(occasion: &Occasion<'_>) -> Digest {
    let Occasion { company, reference, ticket, news, time_zone, language } = *occasion;
    let de = language == Language::De;
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let when = |at: Timestamp| say_time(at, &tz, time_zone, language);
    let reference = reference.map_or_else(String::new, |r| r.to_string());
    let about = one_line(&headline(ticket.report().what_happened.as_str()));
    let found = ticket.found_first();
    let subject = one_line(&match (de, reference.is_empty(), found) {
        (false, false, false) => format!("Your report {reference}: {about}"),
        (false, true, false) => format!("Your report: {about}"),
        (true, false, false) => format!("Ihre Meldung {reference}: {about}"),
        (true, true, false) => format!("Ihre Meldung: {about}"),
        (false, false, true) => format!("{company} found a problem ({reference}): {about}"),
        (false, true, true) => format!("{company} found a problem: {about}"),
        (true, false, true) => format!("{company} hat ein Problem gefunden ({reference}): {about}"),
        (true, true, true) => format!("{company} hat ein Problem gefunden: {about}"),
    });
    let solved_on = |at: Timestamp| say_date(at, &tz, language);
    let items = news
        .iter()
        .filter(|event| is_news(event))
        .map(|event| match (&event.kind, ticket.milestones().solved_at) {
            // "You told us on 3 March that the armchair was solved. Is everything still right?"
            (EventKind::FollowUpAsked, Some(solved)) => Item {
                label: if de {
                    format!("Sie haben uns am {} gesagt, dass dies gelöst war:", solved_on(solved))
                } else {
                    format!("You told us on {} that this was solved:", solved_on(solved))
                },
                text: Some(ticket.report().what_happened.to_string()),
                also: None,
            },
            _ => item(event, company, de, &when),
        })
        .collect();
    let promise = ticket.promise().filter(|p| !p.missed).map(|p| {
        let at = when(p.due);
        if de {
            format!("Nächstes Update bis spätestens {at}.")
        } else {
            format!("We'll update you by {at} at the latest.")
        }
    });
    let ask = match ticket.state() {
        crate::ticket::State::WaitingOnCustomer { .. } => Some(if de {
            "Bitte antworten Sie auf unsere Frage: Ihre Antwort bringt uns weiter."
        } else {
            "Please answer our question: your answer lets us carry on."
        }),
        crate::ticket::State::ResolutionProposed { .. } => Some(if de {
            "Ist das Problem für Sie gelöst? Nur Sie können das sagen."
        } else {
            "Is this solved for you? Only you can say so."
        }),
        crate::ticket::State::Solved if ticket.follow_up() == crate::ticket::FollowUp::Asked => Some(if de {
            "Ist alles noch in Ordnung? Sagen Sie es uns: Es hält, oder das Problem ist zurück."
        } else {
            "Is everything still right? Tell us: it held, or it came back."
        }),
        _ => None,
    }
    .map(str::to_owned);
    Digest {
        subject,
        lead: match (de, found && news.iter().any(|event| event.seq == 1)) {
            (true, false) => format!("Neues zu Ihrer Meldung bei {company}:"),
            (false, false) => format!("Here is what changed on your report to {company}:"),
            (true, true) => format!("{company} möchte es Ihnen zuerst selbst sagen:"),
            (false, true) => format!("{company} wanted you to hear this from them first:"),
        },
        items,
        promise,
        ask,
        button: (if de { "Ihre Meldung öffnen" } else { "Open your report" }).to_owned(),
        reference_line: match (de, reference.is_empty()) {
            (_, true) => String::new(),
            (false, false) => format!("Your reference: {reference}"),
            (true, false) => format!("Ihre Referenz: {reference}"),
        },
        why: match (de, found) {
            (true, false) => format!(
                "Sie erhalten diese E-Mail, weil Sie {company} ein Problem gemeldet haben und gerade nicht zusehen."
            ),
            (false, false) => {
                format!("You get this email because you reported a problem to {company} and weren't watching just now.")
            }
            (true, true) => format!(
                "Sie erhalten diese E-Mail, weil {company} ein Problem mit Ihrer Bestellung gefunden hat \
                 und es Ihnen zuerst sagen wollte."
            ),
            (false, true) => format!(
                "You get this email because {company} found a problem with your order and wanted you to hear it from them first."
            ),
        },
        stop: (if de { "Keine E-Mails mehr zu dieser Meldung" } else { "Stop emails about this report" }).to_owned(),
    }
}

fn item(event: &Event, company: &str, de: bool, when: &dyn Fn(Timestamp) -> String) -> Item {
    let plain = |label: String, text: Option<String>| Item { label, text, also: None };
    match &event.kind {
        EventKind::Reported { report, apology, .. } => Item {
            label: if de {
                format!("{company} hat ein Problem gefunden, bevor Sie es bemerkt haben:")
            } else {
                format!("{company} found a problem before you did:")
            },
            text: Some(report.what_happened.to_string()),
            also: apology.as_ref().map(|apology| {
                ((if de { "Unsere Entschuldigung:" } else { "Our apology:" }).to_owned(), apology.to_string())
            }),
        },
        EventKind::MessageAdded { text } => plain(
            if de { format!("{company} hat Ihnen geschrieben:") } else { format!("{company} wrote to you:") },
            Some(text.to_string()),
        ),
        EventKind::Updated { text, .. } => plain(
            if de {
                format!("{company} hat Ihnen ein Update geschickt:")
            } else {
                format!("{company} sent you an update:")
            },
            Some(text.to_string()),
        ),
        EventKind::QuestionAsked { question } => plain(
            if de { format!("{company} hat eine Frage an Sie:") } else { format!("{company} asked you something:") },
            Some(question.to_string()),
        ),
        EventKind::ResolutionProposed { summary, prevention } => Item {
            label: if de {
                format!("{company} glaubt, das Problem ist behoben:")
            } else {
                format!("{company} thinks this is fixed:")
            },
            text: Some(summary.to_string()),
            also: Some((
                (if de {
                    "Was wir geändert haben, damit es nicht wieder passiert:"
                } else {
                    "What we changed so it won't happen again:"
                })
                .to_owned(),
                prevention.to_string(),
            )),
        },
        EventKind::MakeGoodOffered { make_good } => {
            let kind = kind_name(make_good.kind, de);
            plain(
                if de {
                    format!("{company} möchte es wiedergutmachen: {} {kind}.", make_good.value)
                } else {
                    format!("{company} would like to make it up to you: {} {kind}.", make_good.value)
                },
                make_good.note.as_ref().map(|note| note.to_string()),
            )
        }
        EventKind::PromiseMissed { due, first_answer } => plain(
            match (de, first_answer) {
                (false, true) => format!("We promised to answer you by {}, and we didn't. We're sorry.", when(*due)),
                (false, false) => {
                    format!("We promised an update by {}, and we didn't send it. We're sorry.", when(*due))
                }
                (true, true) => format!(
                    "Wir hatten eine Antwort bis {} versprochen und nicht gehalten. Das tut uns leid.",
                    when(*due)
                ),
                (true, false) => format!(
                    "Wir hatten ein Update bis {} versprochen und nicht geschickt. Das tut uns leid.",
                    when(*due)
                ),
            },
            None,
        ),
        EventKind::Escalated { .. } => plain(
            if de {
                format!("Eine Führungskraft von {company} kümmert sich jetzt mit um Ihre Meldung.")
            } else {
                format!("A manager at {company} is now looking after your report too.")
            },
            None,
        ),
        _ => plain(String::new(), None),
    }
}

fn kind_name(kind: MakeGoodKind, de: bool) -> &'static str {
    match (kind, de) {
        (MakeGoodKind::Credit, false) => "store credit",
        (MakeGoodKind::Refund, false) => "refund",
        (MakeGoodKind::GiftCard, false) => "gift card",
        (MakeGoodKind::Discount, false) => "discount",
        (MakeGoodKind::Replacement, false) => "replacement",
        (MakeGoodKind::Credit, true) => "Guthaben",
        (MakeGoodKind::Refund, true) => "Erstattung",
        (MakeGoodKind::GiftCard, true) => "Geschenkkarte",
        (MakeGoodKind::Discount, true) => "Rabatt",
        (MakeGoodKind::Replacement, true) => "Ersatz",
    }
}

/// `at` as people say it in the company's zone, which is named:
/// "Monday 7 December, 10:00 (Europe/London)" / "Montag, 7. Dezember, 10:00 (Europe/London)".
fn say_time(at: Timestamp, tz: &TimeZone, zone: &str, language: Language) -> String {
    let Ok(instant) = jiff::Timestamp::from_millisecond(at.unix_ms()) else { return at.to_string() };
    let local = instant.to_zoned_datetime(tz.clone());
    let weekday = usize::from(local.weekday().to_monday_zero_offset() as u8);
    let month = usize::from(local.month() as u8 - 1);
    let (hour, minute, day) = (local.hour(), local.minute(), local.day());
    match language {
        Language::En => format!("{} {day} {}, {hour:02}:{minute:02} ({zone})", EN_DAYS[weekday], MONTHS[month]),
        Language::De => format!("{}, {day}. {}, {hour:02}:{minute:02} ({zone})", DE_DAYS[weekday], DE_MONTHS[month]),
    }
}

/// The day of `at` as people say it in the company's zone: "3 March" / "3. März".
fn say_date(at: Timestamp, tz: &TimeZone, language: Language) -> String {
    let Ok(instant) = jiff::Timestamp::from_millisecond(at.unix_ms()) else { return at.to_string() };
    let local = instant.to_zoned_datetime(tz.clone());
    let (day, month) = (local.day(), usize::from(local.month() as u8 - 1));
    match language {
        Language::En => format!("{day} {}", MONTHS[month]),
        Language::De => format!("{day}. {}", DE_MONTHS[month]),
    }
}

const EN_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const DE_DAYS: [&str; 7] = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// `text` on one line: every control character (CR and LF among them) a
/// space, so customer words can never start a header of their own.
pub fn one_line(text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{MessageText, WorkspaceId};
    use crate::input::{PreventionNote, QuestionText, Summary, UpdateText, WhatHappened};
    use crate::make_good::Policy;
    use crate::money::{Currency, Money};
    use crate::ticket::{Actor, Command, Context, MakeGood, Report};

    fn eur() -> Currency {
        Currency::parse("EUR", crate::input::Field::Currency).unwrap()
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn report(what: &str) -> Report {
        Report::of(WhatHappened::parse(what).unwrap())
    }

    /// A ticket reported at 09:00 UTC on 2 December 2026, with `commands` by `actor` a minute apart.
    fn run(what: &str, commands: Vec<(Actor, Command)>) -> (Ticket, Vec<Event>) {
        let opened = Ticket::open(report(what), None, at("2026-12-02T09:00:00Z"));
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let mut events = vec![opened];
        let policy = Policy::standard(eur());
        for (i, (actor, command)) in commands.into_iter().enumerate() {
            let now = at("2026-12-02T09:00:00Z").plus_minutes(i as i64 + 1);
            let event = ticket.decide(actor, command, &Context::new(now, &policy)).unwrap();
            ticket.apply(&event).unwrap();
            events.push(event);
        }
        (ticket, events)
    }

    fn update(text: &str, by: &str) -> (Actor, Command) {
        (Actor::Rep, Command::PostUpdate { text: UpdateText::parse(text).unwrap(), next_update_by: at(by) })
    }

    #[test]
    fn the_follow_up_asks_whether_the_fix_held_naming_the_day_it_was_solved() {
        let (mut ticket, mut events) = run(
            "The armchair was not in the delivery.",
            vec![
                (
                    Actor::Rep,
                    Command::ProposeResolution {
                        summary: crate::input::Summary::parse("It was delivered.").unwrap(),
                        prevention: crate::input::PreventionNote::parse("Every order is checked.").unwrap(),
                    },
                ),
                (Actor::Customer, Command::ConfirmSolved),
            ],
        );
        // Solved at 09:02 UTC on 2 December; asked a week later, past midnight in Auckland.
        let policy = Policy::standard(eur());
        let asked =
            ticket.decide(Actor::System, Command::AskFollowUp, &Context::new(at("2026-12-09T09:02:00Z"), &policy));
        let asked = asked.unwrap();
        assert!(is_news(&asked));
        ticket.apply(&asked).unwrap();
        events.push(asked);
        let news = &events[3..];
        for (zone, language, label, ask) in [
            (
                "Europe/London",
                Language::En,
                "You told us on 2 December that this was solved:",
                "Is everything still right?",
            ),
            (
                "Pacific/Auckland",
                Language::En,
                "You told us on 2 December that this was solved:",
                "Is everything still right?",
            ),
            (
                "Europe/Berlin",
                Language::De,
                "Sie haben uns am 2. Dezember gesagt, dass dies gelöst war:",
                "Ist alles noch in Ordnung?",
            ),
            (
                "America/Los_Angeles",
                Language::En,
                "You told us on 2 December that this was solved:",
                "Is everything still right?",
            ),
        ] {
            let occasion =
                Occasion { company: "Acme", reference: None, ticket: &ticket, news, time_zone: zone, language };
            let digest = digest(&occasion);
            assert_eq!(digest.items.len(), 1, "{zone}");
            assert_eq!(digest.items[0].label, label, "{zone}");
            assert_eq!(digest.items[0].text.as_deref(), Some("The armchair was not in the delivery."));
            assert!(digest.ask.as_deref().is_some_and(|line| line.starts_with(ask)), "{zone}: {:?}", digest.ask);
        }
        // 02:30 on 1 January in Auckland is still 31 December in London.
        let tz = |zone| TimeZone::get(zone).unwrap();
        assert_eq!(say_date(at("2026-12-31T13:30:00Z"), &tz("Pacific/Auckland"), Language::En), "1 January");
        assert_eq!(say_date(at("2026-12-31T13:30:00Z"), &tz("Europe/London"), Language::En), "31 December");
        assert_eq!(say_date(at("2027-03-28T00:30:00Z"), &tz("Europe/Berlin"), Language::De), "28. März");
    }

    #[test]
    fn news_is_what_the_company_said_or_missed() {
        let (_, events) = run(
            "The armchair was not in the delivery.",
            vec![
                (Actor::Customer, Command::AddMessage { text: MessageText::parse("Any news?").unwrap() }),
                (Actor::Rep, Command::AddMessage { text: MessageText::parse("Looking now.").unwrap() }),
                update("It ships Monday.", "2026-12-07T10:00:00Z"),
            ],
        );
        let news: Vec<bool> = events.iter().map(is_news).collect();
        assert_eq!(news, [false, false, true, true], "the report and the customer's own message are not news");
    }

    #[test]
    fn one_email_tells_every_piece_of_news_and_the_promise_in_the_companys_zone() {
        let (ticket, events) = run(
            "The armchair was not in the delivery.",
            vec![
                update("It ships Monday.", "2026-12-07T10:00:00Z"),
                (Actor::Rep, Command::AskQuestion { question: QuestionText::parse("Is 10:00 fine?").unwrap() }),
            ],
        );
        let reference = Reference::new(&WorkspaceId::parse("acme").unwrap(), 1);
        let digest = digest(&Occasion {
            company: "Acme Furniture",
            reference: Some(&reference),
            ticket: &ticket,
            news: &events[1..],
            time_zone: "Europe/London",
            language: Language::En,
        });
        assert_eq!(digest.subject, format!("Your report {reference}: The armchair was not in the delivery."));
        assert_eq!(digest.items.len(), 2);
        assert_eq!(digest.items[0].label, "Acme Furniture sent you an update:");
        assert_eq!(digest.items[0].text.as_deref(), Some("It ships Monday."));
        assert_eq!(digest.items[1].text.as_deref(), Some("Is 10:00 fine?"));
        // The question pauses the promise: the email asks for the answer instead.
        assert_eq!(digest.ask.as_deref(), Some("Please answer our question: your answer lets us carry on."));
        assert_eq!(digest.reference_line, format!("Your reference: {reference}"));
    }

    #[test]
    fn a_proactive_report_is_news_told_first_with_the_apology_and_the_promise() {
        let now = at("2026-12-02T09:00:00Z");
        let request: crate::proactive::ProactiveReportRequest = serde_json::from_value(serde_json::json!({
            "contact_email": "ana@example.com",
            "what_happened": "Your armchair left without its cushions.",
            "apology": "We're sorry: we sent it incomplete.",
            "update": {"text": "New cushions go out today.", "next_update_by": "2026-12-03T17:00:00Z"},
        }))
        .unwrap();
        let policy = Policy::standard(eur());
        let events = request.parse().unwrap().events(Actor::Rep, &Context::new(now, &policy)).unwrap();
        let ticket = Ticket::from_events(&events).unwrap();
        assert!(events.iter().all(is_news), "the company's own report is news to the customer");
        let reference = Reference::new(&WorkspaceId::parse("acme").unwrap(), 7);
        let occasion = |language| Occasion {
            company: "Acme Furniture",
            reference: Some(&reference),
            ticket: &ticket,
            news: &events,
            time_zone: "Europe/London",
            language,
        };
        let en = digest(&occasion(Language::En));
        assert_eq!(
            en.subject,
            format!("Acme Furniture found a problem ({reference}): Your armchair left without its cushions.")
        );
        assert_eq!(en.lead, "Acme Furniture wanted you to hear this from them first:");
        assert_eq!(en.items[0].label, "Acme Furniture found a problem before you did:");
        assert_eq!(
            en.items[0].also,
            Some(("Our apology:".to_owned(), "We're sorry: we sent it incomplete.".to_owned()))
        );
        assert_eq!(en.items[1].text.as_deref(), Some("New cushions go out today."));
        assert_eq!(
            en.promise.as_deref(),
            Some("We'll update you by Thursday 3 December, 17:00 (Europe/London) at the latest.")
        );
        assert!(en.why.contains("found a problem with your order"));
        let de = digest(&occasion(Language::De));
        assert_eq!(de.lead, "Acme Furniture möchte es Ihnen zuerst selbst sagen:");
        assert_eq!(de.items[0].also.as_ref().map(|(label, _)| label.as_str()), Some("Unsere Entschuldigung:"));
        // Later emails of the ticket keep its subject, so they thread.
        let later = digest(&Occasion { news: &events[1..], ..occasion(Language::En) });
        assert_eq!(later.subject, en.subject);
        assert_eq!(later.lead, "Here is what changed on your report to Acme Furniture:");
    }

    #[test]
    fn times_are_said_in_the_companys_zone_across_daylight_saving_and_the_year() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let say = |t: &str, language| say_time(at(t), &berlin, "Europe/Berlin", language);
        assert_eq!(say("2026-12-31T22:30:00Z", Language::En), "Thursday 31 December, 23:30 (Europe/Berlin)");
        assert_eq!(say("2026-12-31T23:30:00Z", Language::De), "Freitag, 1. Januar, 00:30 (Europe/Berlin)");
        // Summer time: UTC+2.
        assert_eq!(say("2026-07-01T08:00:00Z", Language::En), "Wednesday 1 July, 10:00 (Europe/Berlin)");
        // The night the clocks go back (25 October 2026): 01:30 UTC is 02:30 CET.
        assert_eq!(say("2026-10-25T01:30:00Z", Language::De), "Sonntag, 25. Oktober, 02:30 (Europe/Berlin)");
    }

    #[test]
    fn in_german_for_a_german_customer() {
        let (ticket, events) = run(
            "Der Sessel fehlte.",
            vec![
                update("Er wird Montag geliefert.", "2026-12-07T10:00:00Z"),
                (
                    Actor::Rep,
                    Command::ProposeResolution {
                        summary: Summary::parse("Der Sessel wurde geliefert.").unwrap(),
                        prevention: PreventionNote::parse("Wir prüfen jede Lieferung vor der Abfahrt.").unwrap(),
                    },
                ),
            ],
        );
        assert_eq!(Language::of(Some(&Locale::parse("de-AT").unwrap())), Language::De);
        assert_eq!(Language::of(Some(&Locale::parse("fr").unwrap())), Language::En);
        let digest = digest(&Occasion {
            company: "Acme Möbel",
            reference: None,
            ticket: &ticket,
            news: &events[1..],
            time_zone: "Europe/Berlin",
            language: Language::De,
        });
        assert_eq!(digest.subject, "Ihre Meldung: Der Sessel fehlte.");
        assert_eq!(digest.items[1].label, "Acme Möbel glaubt, das Problem ist behoben:");
        assert_eq!(
            digest.items[1].also.as_ref().map(|(_, text)| text.as_str()),
            Some("Wir prüfen jede Lieferung vor der Abfahrt.")
        );
        assert_eq!(digest.ask.as_deref(), Some("Ist das Problem für Sie gelöst? Nur Sie können das sagen."));
        assert_eq!(digest.promise, None, "a proposal ends the promise");
    }

    #[test]
    fn a_make_good_and_a_missed_promise_say_what_they_are() {
        let (ticket, events) = run(
            "The sofa came late.",
            vec![
                update("Sorry: it ships today.", "2026-12-02T09:30:00Z"),
                (
                    Actor::Rep,
                    Command::OfferMakeGood(MakeGood {
                        kind: crate::make_good::MakeGoodKind::Credit,
                        value: Money::new(eur(), 2000, crate::input::Field::Amount).unwrap(),
                        note: None,
                    }),
                ),
            ],
        );
        let mut events = events;
        let mut ticket = ticket;
        let policy = Policy::standard(eur());
        let missed = ticket
            .decide(Actor::System, Command::MarkPromiseMissed, &Context::new(at("2026-12-02T09:31:00Z"), &policy))
            .unwrap();
        ticket.apply(&missed).unwrap();
        events.push(missed);
        let digest = digest(&Occasion {
            company: "Acme Furniture",
            reference: None,
            ticket: &ticket,
            news: &events[1..],
            time_zone: "UTC",
            language: Language::En,
        });
        assert!(
            digest.items[1].label.starts_with("Acme Furniture would like to make it up to you: "),
            "{}",
            digest.items[1].label
        );
        assert!(digest.items[1].label.ends_with(" store credit."), "{}", digest.items[1].label);
        assert_eq!(
            digest.items[2].label,
            "We promised an update by Wednesday 2 December, 09:30 (UTC), and we didn't send it. We're sorry."
        );
        assert_eq!(digest.promise, None, "a missed promise is not promised again");
    }

    #[test]
    fn customer_words_never_break_a_header() {
        let (ticket, events) =
            run("Hello\r\nBcc: someone@example.com\r\n\r\nbody", vec![update("Sorry.", "2026-12-07T10:00:00Z")]);
        let digest = digest(&Occasion {
            company: "Acme",
            reference: None,
            ticket: &ticket,
            news: &events[1..],
            time_zone: "UTC",
            language: Language::En,
        });
        assert!(!digest.subject.contains(['\r', '\n']), "{:?}", digest.subject);
        assert_eq!(digest.subject, "Your report: Hello Bcc: someone@example.com body");
        assert_eq!(one_line("a\u{0}b\tc\u{7f}d"), "a b c d");
    }
}
