//! Every JSON shape that crosses HTTP or a WebSocket, in one place:
//! serialisation is a compatibility promise, so changes here show in review
//! (the tests below pin each shape).
//!
//! Requests arrive as plain strings and are parsed into the core's
//! newtypes by `parse`, so a bad field yields an [`InputError`] naming it
//! (a 422), while only a body that is not JSON of the right shape is a 400.
//! A ticket's [`Event`]s travel exactly as they are stored; each WebSocket
//! message from `GET /v1/tickets/{id}/live` is one event.

use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{
    Comment, ContactEmail, Field, Impact, InputError, MessageText, Note, OrderId, PreventionNote, Problem,
    QuestionText, Reason, Score, Summary, TicketId, UpdateText, WhatHappened, WorkspaceId,
};
use crate::make_good::Harm;
use crate::money::{Currency, Money};
use crate::ticket::{
    Command, Escalation, Event, Feeling, MakeGood, Offer, PromiseLedger, Rating, Report, State, Status, Ticket,
};

/// The WebSocket subprotocol of `GET /v1/tickets/{id}/live`.
pub const LIVE_PROTOCOL: &str = "mend.v1";
/// Browsers cannot set headers on a WebSocket, so the credential travels as
/// a second subprotocol, `mend.auth.<token>`, never in the URL.
pub const LIVE_AUTH_PREFIX: &str = "mend.auth.";

/// The body of `POST /v1/reports`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    /// `workspace`: the id of the company's workspace (`acme`). Required:
    /// 1 to 40 characters from `a-z`, `0-9`, `-` and `_`, and the worker
    /// also checks that a workspace with this id uses Mend.
    #[serde(default)]
    pub workspace: String,
    /// `what_happened`: the problem in the customer's words. Required; at
    /// most 4000 characters ([`MAX_TEXT`](crate::input::MAX_TEXT)) after
    /// trimming, with no control characters but newline, tab and carriage
    /// return (the same holds for every free-text field).
    #[serde(default)]
    pub what_happened: String,
    /// `how_it_affected_you`: the harm in the customer's words. Optional
    /// (blank counts as absent); at most 4000 characters after trimming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_it_affected_you: Option<String>,
    /// `feelings`: the chips the customer picked, any of `frustrated`,
    /// `angry`, `disappointed`, `worried`, `stressed`, `let_down`. Optional;
    /// repeats count once, an unknown name is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feelings: Vec<String>,
    /// `cost`: what the problem cost the customer. Optional; absent means
    /// nothing reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostRequest>,
    /// `order_id`: the host page's order reference (`1042`). Optional (blank
    /// counts as absent); at most 64 characters after trimming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// `order_value`: what the order was worth, passed by the host page.
    /// Optional; a share of it is one of the two bases of the suggested
    /// make-good (see [`make_good`](crate::make_good)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<MoneyRequest>,
    /// `contact_email`: where the customer wants updates while they are
    /// away. Optional (blank counts as absent); at most 254 characters, one
    /// `@` and a dotted domain, no spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
}

/// An amount as a request carries it: `{"currency": "USD", "minor_units": 1500}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyRequest {
    /// `currency`: a three-letter code in any case (`usd` reads as `USD`).
    /// Required whenever an amount is sent.
    #[serde(default)]
    pub currency: String,
    /// `minor_units`: the amount in the currency's minor units (cents for
    /// USD, whole yen for JPY), from 0 to [`MAX_MINOR_UNITS`](crate::money::MAX_MINOR_UNITS).
    /// Missing reads as 0.
    #[serde(default)]
    pub minor_units: i64,
}

impl MoneyRequest {
    /// The [`Money`] this request describes. A bad code is reported against
    /// `currency`, a negative or oversized amount against `minor_units`.
    pub fn parse(&self) -> Result<Money, InputError> {
        Money::new(Currency::parse(&self.currency, Field::Currency)?, self.minor_units, Field::Amount)
    }
}

/// What the problem cost the customer, as the report form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRequest {
    /// `money`: money the customer lost because of the problem. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneyRequest>,
    /// `hours_lost`: whole hours the customer lost (waiting in, downtime,
    /// redoing work). Optional; from 0 to
    /// [`MAX_HOURS_LOST`](crate::make_good::MAX_HOURS_LOST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_lost: Option<i64>,
    /// `missed_event`: `true` if the problem made the customer miss an
    /// event. Missing reads as `false`.
    #[serde(default)]
    pub missed_event: bool,
}

impl CostRequest {
    /// The [`Harm`] this request describes, within [`Harm::check`]'s limits.
    /// A bad amount is reported against `currency` or `minor_units`, bad
    /// hours against `hours_lost`.
    pub fn parse(&self) -> Result<Harm, InputError> {
        let hours_lost = match self.hours_lost {
            None => None,
            Some(hours) => Some(u32::try_from(hours).map_err(|_| {
                InputError::new(Field::HoursLost, Problem::Malformed { expected: "a whole number of hours, 0 or more" })
            })?),
        };
        let harm = Harm {
            money: self.money.as_ref().map(MoneyRequest::parse).transpose()?,
            hours_lost,
            missed_event: self.missed_event,
        };
        harm.check()?;
        Ok(harm)
    }
}

impl ReportRequest {
    /// The workspace and report this request asks for; blank optional
    /// fields count as absent.
    pub fn parse(&self) -> Result<(WorkspaceId, Report), InputError> {
        let workspace = WorkspaceId::parse(&self.workspace)?;
        let report = Report {
            what_happened: WhatHappened::parse(&self.what_happened)?,
            how_it_affected_you: optional(&self.how_it_affected_you, Impact::parse)?,
            feelings: feelings(&self.feelings)?,
            cost: self.cost.as_ref().map(CostRequest::parse).transpose()?.unwrap_or_default(),
            order_id: optional(&self.order_id, OrderId::parse)?,
            order_value: self.order_value.as_ref().map(MoneyRequest::parse).transpose()?,
            contact_email: optional(&self.contact_email, ContactEmail::parse)?,
        };
        Ok((workspace, report))
    }
}

fn optional<T>(raw: &Option<String>, parse: fn(&str) -> Result<T, InputError>) -> Result<Option<T>, InputError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some),
    }
}

/// The body of `POST /v1/tickets/{id}/commands`: one command, named by
/// `type`. Missing fields read as empty and are refused by `parse` with
/// the field named; an unknown `type` is not a command at all.
///
/// Free-text fields are trimmed and hold 1 to 4000 characters
/// ([`MAX_TEXT`](crate::input::MAX_TEXT)) with no control characters but
/// newline, tab and carriage return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CommandRequest {
    /// `message`: add to the conversation ([`Command::AddMessage`]).
    Message {
        /// `text`: the message. Required; at most 4000 characters after trimming.
        #[serde(default)]
        text: String,
    },
    /// `update`: tell the customer where things stand and promise the next
    /// update ([`Command::PostUpdate`]).
    Update {
        /// `text`: the update. Required; at most 4000 characters after trimming.
        #[serde(default)]
        text: String,
        /// `next_update_by`: an RFC 3339 time (`2026-11-24T15:00:00Z`) by
        /// which the next update comes. Required; [`Ticket::decide`] also
        /// requires it to be in the future and at most 14 days ahead.
        #[serde(default)]
        next_update_by: String,
    },
    /// `ask`: ask the customer something, pausing the promise clock
    /// ([`Command::AskQuestion`]).
    Ask {
        /// `question`: what the company needs to know. Required; at most
        /// 4000 characters after trimming.
        #[serde(default)]
        question: String,
    },
    /// `escalate`: bring in a manager ([`Command::Escalate`]).
    Escalate {
        /// `reason`: `manager_adds_value` or `other_department_must_act`. Required.
        #[serde(default)]
        reason: String,
    },
    /// `propose_resolution`: say the problem is fixed
    /// ([`Command::ProposeResolution`]); only the customer can confirm it.
    ProposeResolution {
        /// `summary`: what the company did. Required; at most 4000 characters after trimming.
        #[serde(default)]
        summary: String,
        /// `prevention`: what the company changed so it won't happen again.
        /// Required; at most 4000 characters after trimming.
        #[serde(default)]
        prevention: String,
    },
    /// `confirm_solved`: the customer's "yes, this is solved for me"
    /// ([`Command::ConfirmSolved`]). No fields.
    ConfirmSolved,
    /// `not_yet`: the customer's "not yet", which reopens the ticket
    /// ([`Command::NotYet`]).
    NotYet {
        /// `reason`: what is still wrong. Required; at most 4000 characters after trimming.
        #[serde(default)]
        reason: String,
    },
    /// `offer_make_good`: offer a make-good ([`Command::OfferMakeGood`]).
    OfferMakeGood {
        /// `kind`: `credit`, `refund`, `gift_card`, `discount` or `replacement`. Required.
        #[serde(default)]
        kind: String,
        /// `value`: what the make-good is worth, as
        /// `{"currency": "USD", "minor_units": 5000}`. Required.
        #[serde(default)]
        value: MoneyRequest,
        /// `note`: a word to the customer with the offer. Optional (blank
        /// counts as absent); at most 4000 characters after trimming.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// `accept_make_good`: the customer accepts the pending make-good
    /// ([`Command::AcceptMakeGood`]). No fields.
    AcceptMakeGood,
    /// `decline_make_good`: the customer declines the pending make-good
    /// ([`Command::DeclineMakeGood`]). No fields.
    DeclineMakeGood,
    /// `rate`: the customer rates the recovery ([`Command::Rate`]).
    Rate {
        /// `score`: a whole number from 1 (badly) to 5 (very well). Required.
        #[serde(default)]
        score: i64,
        /// `comment`: what the customer adds. Optional (blank counts as
        /// absent); at most 4000 characters after trimming.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// `mark_promise_missed`: record a missed promise
    /// ([`Command::MarkPromiseMissed`]). Only Mend itself
    /// ([`Actor::System`](crate::ticket::Actor::System)) may give it; from
    /// anyone else it is refused. No fields.
    MarkPromiseMissed,
    /// `withdraw`: the customer no longer needs help ([`Command::Withdraw`]).
    /// No fields.
    Withdraw,
}

impl CommandRequest {
    /// The [`Command`] this request asks for, with every field parsed; the
    /// first bad field is named in the [`InputError`]. Who may give it and
    /// whether the ticket's state allows it is [`Ticket::decide`]'s business.
    pub fn parse(&self) -> Result<Command, InputError> {
        Ok(match self {
            CommandRequest::Message { text } => Command::AddMessage { text: MessageText::parse(text)? },
            CommandRequest::Update { text, next_update_by } => Command::PostUpdate {
                text: UpdateText::parse(text)?,
                next_update_by: parse_time(Field::NextUpdateBy, next_update_by)?,
            },
            CommandRequest::Ask { question } => Command::AskQuestion { question: QuestionText::parse(question)? },
            CommandRequest::Escalate { reason } => Command::Escalate {
                reason: named(Field::Escalation, reason, "manager_adds_value or other_department_must_act")?,
            },
            CommandRequest::ProposeResolution { summary, prevention } => Command::ProposeResolution {
                summary: Summary::parse(summary)?,
                prevention: PreventionNote::parse(prevention)?,
            },
            CommandRequest::ConfirmSolved => Command::ConfirmSolved,
            CommandRequest::NotYet { reason } => Command::NotYet { reason: Reason::parse(reason)? },
            CommandRequest::OfferMakeGood { kind, value, note } => Command::OfferMakeGood(MakeGood {
                kind: named(Field::MakeGoodKind, kind, "one of credit, refund, gift_card, discount, replacement")?,
                value: value.parse()?,
                note: optional(note, Note::parse)?,
            }),
            CommandRequest::AcceptMakeGood => Command::AcceptMakeGood,
            CommandRequest::DeclineMakeGood => Command::DeclineMakeGood,
            CommandRequest::Rate { score, comment } => {
                Command::Rate(Rating { score: Score::parse(*score)?, comment: optional(comment, Comment::parse)? })
            }
            CommandRequest::MarkPromiseMissed => Command::MarkPromiseMissed,
            CommandRequest::Withdraw => Command::Withdraw,
        })
    }
}

/// Reads one of an enum's names, as its serde attributes spell them, so
/// each wire name is written down once, on the enum.
fn named<T: DeserializeOwned>(field: Field, raw: &str, expected: &'static str) -> Result<T, InputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    T::deserialize(raw.into_deserializer())
        .map_err(|_: serde::de::value::Error| InputError::new(field, Problem::Malformed { expected }))
}

/// The chips a customer picked: known names, each once.
fn feelings(raw: &[String]) -> Result<Vec<Feeling>, InputError> {
    let mut feelings = Vec::new();
    for name in raw {
        let expected = "any of frustrated, angry, disappointed, worried, stressed, let_down";
        let feeling = named(Field::Feelings, name, expected)?;
        if !feelings.contains(&feeling) {
            feelings.push(feeling);
        }
    }
    Ok(feelings)
}

fn parse_time(field: Field, raw: &str) -> Result<Timestamp, InputError> {
    if raw.trim().is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    Timestamp::parse(raw.trim())
        .ok_or(InputError::new(field, Problem::Malformed { expected: "an RFC 3339 time such as 2026-11-24T15:00:00Z" }))
}

/// The company as the customer meets it: its name and its apology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyVoice {
    /// The company's name. The widget signs the apology and every company
    /// event with it: one voice, never a department.
    pub name: String,
    /// The workspace's apology in its own words, the first thing the
    /// customer sees after reporting.
    pub apology: String,
}

/// The answer to `POST /v1/reports` (201). The token is shown exactly once:
/// Mend keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCreated {
    /// The new ticket, whose log is the one `reported` event.
    pub ticket: TicketView,
    /// The customer's private token for this ticket (`mend_ct_…`): with it
    /// they follow and answer the ticket, from any device.
    pub customer_token: String,
    /// The company's name and apology, for the widget to show at once.
    pub company: CompanyVoice,
}

/// The part of a [`TicketView`] that a client which folds the log itself
/// (the widget) reads; the rest of the JSON is skipped unparsed, which keeps
/// the widget's wasm small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLog {
    /// The ticket's id, as in `/v1/tickets/{id}`.
    pub id: TicketId,
    /// The whole log, oldest first, for [`Ticket::from_events`].
    pub events: Vec<Event>,
}

/// [`ReportCreated`] as the widget reads it: the ticket as its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportReceipt {
    /// The new ticket's id and log.
    pub ticket: TicketLog,
    /// The customer's private token for this ticket, shown only here.
    pub customer_token: String,
    /// The company's name and apology.
    pub company: CompanyVoice,
}

/// The resolution the company proposed, while it waits for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionView {
    /// What the company did to solve the problem.
    pub summary: Summary,
    /// What the company changed so it won't happen again.
    pub prevention: PreventionNote,
}

/// The promise in force, as a client shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseView {
    /// The latest time the next update comes.
    pub due: Timestamp,
    /// Mend recorded it as missed: show it as late.
    pub missed: bool,
}

/// A ticket as its customer and the workspace's reps see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    /// The ticket's id, as in `/v1/tickets/{id}`.
    pub id: TicketId,
    /// The company's workspace the ticket belongs to.
    pub workspace: WorkspaceId,
    /// Where the ticket stands (`in_progress`, `solved`, …).
    pub status: Status,
    /// When the customer reported the problem.
    pub reported_at: Timestamp,
    /// What the customer reported.
    pub report: Report,
    /// The promise in force: when the next update comes at the latest.
    pub next_update_by: Option<Timestamp>,
    /// The same promise, with whether Mend recorded it as missed.
    pub promise: Option<PromiseView>,
    /// The company's open question, while it waits on the customer.
    pub question: Option<QuestionText>,
    /// The proposed resolution, while it waits for the customer's answer.
    pub resolution: Option<ResolutionView>,
    /// Why and when a rep brought in a manager, if one did.
    pub escalation: Option<Escalation>,
    /// Every make-good offered, oldest first, each with its status.
    pub make_goods: Vec<Offer>,
    /// The customer's rating, once given after they confirmed it solved.
    pub rating: Option<Rating>,
    /// How often the customer said "not yet".
    pub reopened: u32,
    /// How many next-update promises the company made, kept and missed.
    pub promises: PromiseLedger,
    /// The sequence number of the last event; live clients resume after it.
    pub last_seq: u64,
    /// The whole log, oldest first.
    pub events: Vec<Event>,
}

impl TicketView {
    /// The view of `ticket`, whose whole log is `events`.
    pub fn new(id: TicketId, workspace: WorkspaceId, ticket: &Ticket, events: Vec<Event>) -> Self {
        let (resolution, question) = match ticket.state() {
            State::ResolutionProposed { summary, prevention } => {
                (Some(ResolutionView { summary: summary.clone(), prevention: prevention.clone() }), None)
            }
            State::WaitingOnCustomer { question, .. } => (None, Some(question.clone())),
            _ => (None, None),
        };
        Self {
            id,
            workspace,
            status: ticket.state().status(),
            reported_at: ticket.reported_at(),
            report: ticket.report().clone(),
            next_update_by: ticket.next_update_by(),
            promise: ticket.promise().map(|p| PromiseView { due: p.due, missed: p.missed }),
            question,
            resolution,
            escalation: ticket.escalation(),
            make_goods: ticket.offers().to_vec(),
            rating: ticket.rating().cloned(),
            reopened: ticket.reopened(),
            promises: ticket.promises(),
            last_seq: ticket.last_seq(),
            events,
        }
    }
}

/// The answer to `GET /v1/tickets/{id}/events?since=N`: the events after `N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsPage {
    /// The events whose `seq` is greater than `N`, oldest first; empty when
    /// the client is up to date.
    pub events: Vec<Event>,
}

/// Every error answer: `{"error": {"code": "…", "message": "…"}}`, plus the
/// offending field for validation errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The body's only key: the code, the message and any field at fault.
    pub error: ErrorDetail,
}

/// The `error` object of an [`ErrorBody`]: a code for programs, a sentence
/// for people, and for a validation error the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A stable code for programs to branch on, such as `validation` (422),
    /// `not_found` (404) or `invalid_transition` (409).
    pub code: String,
    /// A sentence a person can act on. It never carries internal details.
    pub message: String,
    /// For a `validation` error, the JSON key of the offending field
    /// ([`Field::key`]); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::make_good::{MakeGoodKind, Policy};
    use crate::ticket::EscalationReason;
    use crate::ticket::{Actor, Context};

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn request(value: Value) -> ReportRequest {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn report_request_names_the_first_bad_field() {
        let err = request(json!({"workspace": "acme", "what_happened": "  "})).parse().unwrap_err();
        assert_eq!(err.field.key(), "what_happened");
        let err = request(json!({"workspace": "acme", "what_happened": "x", "feelings": ["furious"]})).parse();
        assert_eq!(err.unwrap_err().field.key(), "feelings");
        let err = request(json!({"workspace": "acme", "what_happened": "x", "contact_email": "ana"})).parse();
        assert_eq!(err.unwrap_err().field.key(), "contact_email");
        let err = request(json!({"workspace": "acme", "what_happened": "x", "cost": {"hours_lost": -3}})).parse();
        assert_eq!(err.unwrap_err().field.key(), "hours_lost");
        let err = request(
            json!({"workspace": "acme", "what_happened": "x", "order_value": {"currency": "US", "minor_units": 5}}),
        )
        .parse();
        assert_eq!(err.unwrap_err().field.key(), "currency");
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let (_, report) = request(json!({
            "workspace": "acme", "what_happened": "No armchair", "how_it_affected_you": " ", "order_id": "1042", "contact_email": ""
        }))
        .parse()
        .unwrap();
        assert_eq!(report.how_it_affected_you, None);
        assert_eq!(report.contact_email, None);
        assert_eq!(report.cost, Harm::default());
        assert_eq!(report.order_id.unwrap().as_str(), "1042");
    }

    #[test]
    fn the_full_report_is_parsed() {
        let (workspace, report) = request(json!({
            "workspace": "acme",
            "what_happened": "The armchair was missing.",
            "how_it_affected_you": "Guests stood all evening.",
            "feelings": ["let_down", "frustrated", "let_down"],
            "cost": {"money": {"currency": "usd", "minor_units": 4000}, "hours_lost": 6, "missed_event": true},
            "order_id": "1042",
            "order_value": {"currency": "USD", "minor_units": 240000},
            "contact_email": "ana@example.com"
        }))
        .parse()
        .unwrap();
        assert_eq!(workspace.as_str(), "acme");
        assert_eq!(report.feelings, vec![Feeling::LetDown, Feeling::Frustrated]);
        assert_eq!(report.cost.money.unwrap().to_string(), "$40");
        assert_eq!(report.cost.hours_lost, Some(6));
        assert!(report.cost.missed_event);
        assert_eq!(report.order_value.unwrap().to_string(), "$2,400");
        assert_eq!(report.contact_email.unwrap().as_str(), "ana@example.com");
    }

    #[test]
    fn command_requests_are_parsed_by_type() {
        let parse = |value: Value| serde_json::from_value::<CommandRequest>(value).unwrap().parse();
        assert!(matches!(
            parse(json!({"type": "update", "text": "On it", "next_update_by": "2026-11-24T15:00:00Z"})),
            Ok(Command::PostUpdate { .. })
        ));
        assert_eq!(parse(json!({"type": "confirm_solved"})), Ok(Command::ConfirmSolved));
        assert!(matches!(parse(json!({"type": "message", "text": "Hi"})), Ok(Command::AddMessage { .. })));
        assert!(matches!(parse(json!({"type": "ask", "question": "Which colour?"})), Ok(Command::AskQuestion { .. })));
        assert_eq!(
            parse(json!({"type": "escalate", "reason": "other_department_must_act"})),
            Ok(Command::Escalate { reason: EscalationReason::OtherDepartmentMustAct })
        );
        let offer = parse(
            json!({"type": "offer_make_good", "kind": "gift_card", "value": {"currency": "USD", "minor_units": 5000}}),
        );
        assert!(matches!(offer, Ok(Command::OfferMakeGood(MakeGood { kind: MakeGoodKind::GiftCard, .. }))));
        assert!(matches!(parse(json!({"type": "rate", "score": 4})), Ok(Command::Rate(_))));
        assert_eq!(parse(json!({"type": "withdraw"})), Ok(Command::Withdraw));
        assert_eq!(parse(json!({"type": "mark_promise_missed"})), Ok(Command::MarkPromiseMissed));
    }

    #[test]
    fn a_missing_or_wrong_command_field_is_a_named_validation_error() {
        let field =
            |value: Value| serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap_err().field.key();
        assert_eq!(field(json!({"type": "propose_resolution", "summary": "Delivered"})), "prevention");
        assert_eq!(field(json!({"type": "escalate"})), "reason");
        assert_eq!(field(json!({"type": "escalate", "reason": "the_courier"})), "reason");
        assert_eq!(
            field(json!({"type": "offer_make_good", "kind": "candy", "value": {"currency": "USD", "minor_units": 1}})),
            "kind"
        );
        assert_eq!(field(json!({"type": "offer_make_good", "kind": "refund"})), "currency");
        assert_eq!(field(json!({"type": "rate", "score": 9})), "score");
        let update: CommandRequest =
            serde_json::from_value(json!({"type": "update", "text": "Soon", "next_update_by": "Tuesday"})).unwrap();
        let err = update.parse().unwrap_err();
        assert_eq!(err.field.key(), "next_update_by");
        assert_eq!(err.to_string(), "The next-update promise must be an RFC 3339 time such as 2026-11-24T15:00:00Z.");
    }

    #[test]
    fn an_unknown_command_type_is_not_a_command() {
        for kind in ["mark_solved", "close", "resolve"] {
            assert!(serde_json::from_value::<CommandRequest>(json!({"type": kind})).is_err(), "{kind}");
        }
    }

    #[test]
    fn an_event_without_its_kinds_fields_is_refused() {
        let missing = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "updated", "text": "Soon"});
        let err = serde_json::from_value::<Event>(missing).unwrap_err();
        assert!(err.to_string().contains("missing field `next_update_by`"), "{err}");
        let blank = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "message_added", "text": " "});
        assert!(serde_json::from_value::<Event>(blank).unwrap_err().to_string().contains("The message is required."));
        let unknown = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "closed"});
        assert!(serde_json::from_value::<Event>(unknown).is_err());
    }

    /// The ticket view as the widget and the HTTP API receive it. A change
    /// here is a change to Mend's public contract.
    #[test]
    fn ticket_view_wire_shape() {
        let (_, report) = request(json!({
            "workspace": "acme",
            "what_happened": "The armchair was missing.",
            "how_it_affected_you": "Guests had nowhere to sit.",
            "feelings": ["let_down"],
            "cost": {"hours_lost": 3},
            "order_id": "1042"
        }))
        .parse()
        .unwrap();
        let policy = Policy::standard(crate::money::Currency::parse("USD", Field::Currency).unwrap());
        let opened = Ticket::open(report, at("2026-11-23T09:00:00Z"));
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let mut events = vec![opened];
        let mut run = |actor, value: Value, now: &str| {
            let command = serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap();
            let event = ticket.decide(actor, command, &Context { now: at(now), policy: &policy }).unwrap();
            ticket.apply(&event).unwrap();
            events.push(event);
        };
        run(
            Actor::Rep,
            json!({"type": "update", "text": "We're so sorry. It ships tomorrow.", "next_update_by": "2026-11-24T15:00:00Z"}),
            "2026-11-23T09:05:00Z",
        );
        run(Actor::Rep, json!({"type": "escalate", "reason": "manager_adds_value"}), "2026-11-23T09:06:00Z");
        run(
            Actor::Manager,
            json!({"type": "offer_make_good", "kind": "credit", "value": {"currency": "USD", "minor_units": 7500}, "note": "For the trouble."}),
            "2026-11-23T09:07:00Z",
        );
        let view =
            TicketView::new(TicketId::parse("t1").unwrap(), WorkspaceId::parse("acme").unwrap(), &ticket, events);
        let report = json!({
            "what_happened": "The armchair was missing.",
            "how_it_affected_you": "Guests had nowhere to sit.",
            "feelings": ["let_down"],
            "cost": {"money": null, "hours_lost": 3, "missed_event": false},
            "order_id": "1042"
        });
        let expected = json!({
            "id": "t1",
            "workspace": "acme",
            "status": "acknowledged",
            "reported_at": "2026-11-23T09:00:00Z",
            "report": report,
            "next_update_by": "2026-11-24T15:00:00Z",
            "promise": {"due": "2026-11-24T15:00:00Z", "missed": false},
            "question": null,
            "resolution": null,
            "escalation": {"reason": "manager_adds_value", "at": "2026-11-23T09:06:00Z"},
            "make_goods": [{"kind": "credit", "value": {"currency": "USD", "minor_units": 7500}, "note": "For the trouble.",
                            "offered_at": "2026-11-23T09:07:00Z", "status": "pending"}],
            "rating": null,
            "reopened": 0,
            "promises": {"made": 1, "kept": 0, "missed": 0},
            "last_seq": 4,
            "events": [
                {"seq": 1, "at": "2026-11-23T09:00:00Z", "by": "customer", "type": "reported", "report": report},
                {"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "updated",
                 "text": "We're so sorry. It ships tomorrow.", "next_update_by": "2026-11-24T15:00:00Z"},
                {"seq": 3, "at": "2026-11-23T09:06:00Z", "by": "rep", "type": "escalated", "escalation": "manager_adds_value"},
                {"seq": 4, "at": "2026-11-23T09:07:00Z", "by": "manager", "type": "make_good_offered",
                 "make_good": {"kind": "credit", "value": {"currency": "USD", "minor_units": 7500}, "note": "For the trouble."}}
            ]
        });
        assert_eq!(serde_json::to_value(&view).unwrap(), expected);
        let back: TicketView = serde_json::from_value(expected).unwrap();
        assert_eq!(back, view);
    }

    #[test]
    fn the_widgets_reading_of_a_report_keeps_the_log_and_skips_the_rest() {
        let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
        let opened = Ticket::open(report, at("2026-11-23T09:00:00Z"));
        let ticket = Ticket::from_events([&opened]).unwrap();
        let view =
            TicketView::new(TicketId::parse("t1").unwrap(), WorkspaceId::parse("acme").unwrap(), &ticket, vec![opened]);
        let created = ReportCreated {
            ticket: view.clone(),
            customer_token: "mend_ct_x".into(),
            company: CompanyVoice { name: "Acme".into(), apology: "Sorry.".into() },
        };
        let receipt: ReportReceipt = serde_json::from_value(serde_json::to_value(&created).unwrap()).unwrap();
        assert_eq!(receipt.ticket, TicketLog { id: view.id, events: view.events });
        assert_eq!((receipt.customer_token, receipt.company), (created.customer_token, created.company));
    }

    #[test]
    fn status_keys_are_the_wire_names() {
        use crate::ticket::Status::*;
        for status in [Reported, Acknowledged, InProgress, WaitingOnCustomer, ResolutionProposed, Solved, Withdrawn] {
            assert_eq!(serde_json::to_value(status).unwrap(), json!(status.key()));
        }
    }

    #[test]
    fn error_body_wire_shape() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: "validation".into(),
                message: "What happened is required.".into(),
                field: Some("what_happened".into()),
            },
        };
        let value: Value = serde_json::to_value(&body).unwrap();
        assert_eq!(
            value,
            json!({"error": {"code": "validation", "message": "What happened is required.", "field": "what_happened"}})
        );
    }
}
