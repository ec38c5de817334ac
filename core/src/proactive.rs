//! Proactive reports: the company found a problem before its customer did,
//! and tells them first.
//!
//! A rep or manager reports it in the company's words with an apology, for
//! a customer Mend can reach — an email address, the identity `sub` of a
//! customer the company signs in, or both — and may add a first update with
//! its promise and a make-good. The ticket's log starts with a `reported`
//! event by the company ([`Ticket::found`]); the update and the make-good
//! follow as ordinary events, decided by [`Ticket::decide`] as if given one
//! after another, so every rule holds for them (a promise within the
//! horizon, a rep's offer within the cap). From then on it is an ordinary
//! ticket: only the customer can say it is solved.

use serde::{Deserialize, Serialize};

use crate::input::{Apology, ContactEmail, Field, InputError, Locale, OrderId, Problem, WhatHappened};
use crate::ticket::{Actor, Command, Context, Event, Report, Ticket};
use crate::wire::{CommandRequest, MoneyRequest, TicketView, optional};

/// The longest identity `sub` Mend keeps, as identity tokens allow.
pub const MAX_SUBJECT: usize = 255;

/// The body of `POST /v1/proactive-reports`. Missing fields read as empty
/// and are refused by [`parse`](Self::parse) with the field named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProactiveReportRequest {
    /// `contact_email`: where Mend emails the customer, at once, with the
    /// private link. Optional when `customer_subject` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// `customer_subject`: the `sub` the company's identity tokens give
    /// this customer; signed in, they find the ticket in the widget.
    /// Optional when `contact_email` is given; taken exactly as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_subject: Option<String>,
    /// `order_id`: the order it is about (`1042`). Optional; the widget
    /// opened on this order offers the ticket to its signed-in customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// `order_value`: what the order was worth. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<MoneyRequest>,
    /// `what_happened`: what the company found, in its own words. Required.
    #[serde(default)]
    pub what_happened: String,
    /// `apology`: the company's apology. Required, and sincere, like a
    /// workspace's apology.
    #[serde(default)]
    pub apology: String,
    /// `locale`: the customer's language (`de`), for the emails. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `update`: a first update with its promise. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<FirstUpdate>,
    /// `make_good`: a make-good offered with the report. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make_good: Option<FirstMakeGood>,
}

/// A proactive report's first update, as a request carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstUpdate {
    /// `text`: where things stand. Required.
    #[serde(default)]
    pub text: String,
    /// `next_update_by`: the promise, an RFC 3339 time at most 14 days ahead. Required.
    #[serde(default)]
    pub next_update_by: String,
}

/// A proactive report's make-good, as a request carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstMakeGood {
    /// `kind`: `credit`, `refund`, `gift_card`, `discount` or `replacement`. Required.
    #[serde(default)]
    pub kind: String,
    /// `value`: what it is worth. Required.
    #[serde(default)]
    pub value: MoneyRequest,
    /// `note`: a word to go with it. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A proactive report, every field parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProactiveReport {
    /// What the company found (as `what_happened`), the order, and where
    /// and in which language to reach the customer.
    pub report: Report,
    /// The signed-in customer's identity `sub`, if given.
    pub customer_subject: Option<String>,
    /// The company's apology.
    pub apology: Apology,
    /// The first update ([`Command::PostUpdate`]), if any.
    pub update: Option<Command>,
    /// The make-good ([`Command::OfferMakeGood`]), if any.
    pub make_good: Option<Command>,
}

impl ProactiveReportRequest {
    /// The report this request asks for; blank optional fields count as
    /// absent. A report that gives no way to reach the customer is refused
    /// naming `customer`.
    pub fn parse(&self) -> Result<ProactiveReport, InputError> {
        let contact_email = optional(&self.contact_email, ContactEmail::parse)?;
        let customer_subject = match self.customer_subject.as_deref().filter(|sub| !sub.trim().is_empty()) {
            None => None,
            Some(sub) if sub.chars().count() > MAX_SUBJECT => {
                return Err(InputError::new(Field::CustomerSubject, Problem::TooLong { max: MAX_SUBJECT }));
            }
            Some(sub) if sub.chars().any(char::is_control) => {
                return Err(InputError::new(Field::CustomerSubject, Problem::ControlCharacters));
            }
            Some(sub) => Some(sub.to_owned()),
        };
        if contact_email.is_none() && customer_subject.is_none() {
            return Err(InputError::new(
                Field::Customer,
                Problem::Malformed {
                    expected: "someone Mend can reach: give their contact_email, their customer_subject \
                               (the sub of your identity tokens), or both",
                },
            ));
        }
        let report = Report {
            order_id: optional(&self.order_id, OrderId::parse)?,
            order_value: self.order_value.as_ref().map(MoneyRequest::parse).transpose()?,
            contact_email,
            locale: optional(&self.locale, Locale::parse)?,
            ..Report::of(WhatHappened::parse(&self.what_happened)?)
        };
        let apology = Apology::parse(&self.apology)?;
        let update = self
            .update
            .as_ref()
            .map(|u| CommandRequest::Update { text: u.text.clone(), next_update_by: u.next_update_by.clone() }.parse())
            .transpose()?;
        let make_good = self
            .make_good
            .as_ref()
            .map(|m| {
                let FirstMakeGood { kind, value, note } = m.clone();
                CommandRequest::OfferMakeGood { kind, value, note }.parse()
            })
            .transpose()?;
        Ok(ProactiveReport { report, customer_subject, apology, update, make_good })
    }
}

impl ProactiveReport {
    /// The log this report starts: the company's `reported` event by `by`,
    /// then its update and its make-good, each decided in turn at
    /// `context.now`. Refused as a whole if any part is: nothing is
    /// reported half.
    pub fn events(self, by: Actor, context: &Context) -> Result<Vec<Event>, crate::ticket::Rejection> {
        let first = Ticket::found(self.report, self.apology, by, context.by, context.now)?;
        let mut ticket = Ticket::from_events([&first]).expect("a report by the company starts a log");
        let mut events = vec![first];
        for command in [self.update, self.make_good].into_iter().flatten() {
            let event = ticket.decide(by, command, context)?;
            ticket.apply(&event).expect("a decided event applies");
            events.push(event);
        }
        Ok(events)
    }
}

/// The answer to `POST /v1/proactive-reports` (201): the new ticket as its
/// reps see it. No customer token: the customer's private link goes to
/// them alone, by email or through their sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProactiveReportCreated {
    /// The new ticket.
    pub ticket: TicketView,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::clock::Timestamp;
    use crate::make_good::Policy;
    use crate::money::Currency;
    use crate::ticket::{FirstAnswer, Rejection, State};

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn request(body: serde_json::Value) -> ProactiveReportRequest {
        serde_json::from_value(body).unwrap()
    }

    fn base() -> serde_json::Value {
        json!({
            "contact_email": "ana@example.com",
            "order_id": "1042",
            "what_happened": "Your armchair left our warehouse without its cushions.",
            "apology": "We're sorry: we sent it incomplete.",
        })
    }

    fn policy() -> Policy {
        Policy::standard(Currency::parse("USD", Field::Currency).unwrap())
    }

    #[test]
    fn a_customer_mend_cannot_reach_is_refused_naming_customer() {
        let mut body = base();
        body["contact_email"] = json!("  ");
        let err = request(body.clone()).parse().unwrap_err();
        assert_eq!(err.field, Field::Customer);
        assert_eq!(
            err.to_string(),
            "The customer must be someone Mend can reach: give their contact_email, their customer_subject \
             (the sub of your identity tokens), or both."
        );
        body["customer_subject"] = json!("cus_42");
        assert_eq!(request(body).parse().unwrap().customer_subject.as_deref(), Some("cus_42"));
    }

    #[test]
    fn each_field_is_checked_and_named() {
        let cases = [
            ("contact_email", json!("ana@"), Field::ContactEmail),
            ("customer_subject", json!("x".repeat(256)), Field::CustomerSubject),
            ("customer_subject", json!("cus\u{7}42"), Field::CustomerSubject),
            ("what_happened", json!(""), Field::WhatHappened),
            ("apology", json!("We apologise for any inconvenience."), Field::Apology),
            ("locale", json!("not a locale!"), Field::Locale),
            ("update", json!({"text": "Ships Monday.", "next_update_by": "soon"}), Field::NextUpdateBy),
            (
                "make_good",
                json!({"kind": "hug", "value": {"currency": "USD", "minor_units": 500}}),
                Field::MakeGoodKind,
            ),
        ];
        for (key, value, field) in cases {
            let mut body = base();
            body[key] = value;
            assert_eq!(request(body).parse().unwrap_err().field, field, "{key}");
        }
    }

    #[test]
    fn the_log_starts_answered_by_the_company_with_its_update_and_offer() {
        let mut body = base();
        body["update"] = json!({"text": "New cushions go out today.", "next_update_by": "2026-12-03T17:00:00Z"});
        body["make_good"] = json!({"kind": "credit", "value": {"currency": "USD", "minor_units": 2000}});
        let now = at("2026-12-02T10:00:00Z");
        let policy = policy();
        let events = request(body).parse().unwrap().events(Actor::Rep, &Context::new(now, &policy)).unwrap();
        assert_eq!(
            events.iter().map(|e| (e.seq, e.by)).collect::<Vec<_>>(),
            [(1, Actor::Rep), (2, Actor::Rep), (3, Actor::Rep)]
        );
        let ticket = Ticket::from_events(&events).unwrap();
        assert!(ticket.found_first());
        assert_eq!(ticket.first_answer(), FirstAnswer::Unpromised, "no customer waited for a first answer");
        assert!(
            matches!(ticket.state(), State::InProgress { promise: Some(p) } if p.due == at("2026-12-03T17:00:00Z"))
        );
        assert_eq!(ticket.milestones().first_response_at, Some(now));
        assert!(ticket.pending_offer().is_some());
        // The customer still decides: a rep cannot say it is solved.
        let proposal = Command::ProposeResolution {
            summary: crate::input::Summary::parse("Cushions delivered.").unwrap(),
            prevention: crate::input::PreventionNote::parse("Every box is weighed.").unwrap(),
        };
        let proposed = ticket.decide(Actor::Rep, proposal, &Context::new(now, &policy)).unwrap();
        let mut ticket = ticket;
        ticket.apply(&proposed).unwrap();
        assert!(matches!(
            ticket.decide(Actor::Rep, Command::ConfirmSolved, &Context::new(now, &policy)),
            Err(Rejection::NotPermitted { .. })
        ));
        assert!(ticket.decide(Actor::Customer, Command::ConfirmSolved, &Context::new(now, &policy)).is_ok());
    }

    #[test]
    fn nothing_is_reported_half_and_only_the_company_reports() {
        let now = at("2026-12-02T10:00:00Z");
        let policy = policy();
        let context = Context::new(now, &policy);
        let mut body = base();
        body["update"] = json!({"text": "Soon.", "next_update_by": "2027-02-01T00:00:00Z"});
        let refused = request(body).parse().unwrap().events(Actor::Rep, &context).unwrap_err();
        assert!(matches!(refused, Rejection::Invalid(ref e) if e.field == Field::NextUpdateBy));
        let mut body = base();
        body["make_good"] = json!({"kind": "refund", "value": {"currency": "USD", "minor_units": 9_999_900}});
        assert!(matches!(
            request(body.clone()).parse().unwrap().events(Actor::Rep, &context),
            Err(Rejection::NeedsManager { .. })
        ));
        assert_eq!(request(body).parse().unwrap().events(Actor::Manager, &context).unwrap().len(), 2);
        for actor in [Actor::Customer, Actor::System] {
            assert!(matches!(
                request(base()).parse().unwrap().events(actor, &context),
                Err(Rejection::NotCompany { .. })
            ));
        }
    }

    #[test]
    fn the_company_report_reads_back_from_json_with_its_apology() {
        let now = at("2026-12-02T10:00:00Z");
        let policy = policy();
        let events = request(base()).parse().unwrap().events(Actor::Manager, &Context::new(now, &policy)).unwrap();
        let wire = serde_json::to_value(&events[0]).unwrap();
        assert_eq!(wire["by"], "manager");
        assert_eq!(wire["apology"], "We're sorry: we sent it incomplete.");
        assert!(wire.get("first_answer_by").is_none());
        let back: Event = serde_json::from_value(wire).unwrap();
        assert_eq!(back, events[0]);
    }
}
