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
    Apology, Colour, Comment, CompanyName, ContactEmail, Field, HandoverNote, Impact, InputError, KeyLabel, Locale,
    MessageText, Note, OrderId, PreventionNote, Problem, QuestionText, Reason, Score, Summary, TicketId, UpdateText,
    WhatHappened, WorkspaceId,
};
use crate::make_good::{Harm, Policy};
use crate::money::{Currency, Money};
use crate::record::{Period, RecoveryRecord};
use crate::reference::Reference;
use crate::ticket::{
    Colleague, Command, Escalation, Event, EventKind, Feeling, FollowUp, FollowUpAnswer, MakeGood, Offer,
    PromiseLedger, Rating, Report, RiskTier, Standing, State, Status, Ticket,
};
use crate::voice::{Finding, Reviewer};
use crate::whole;
use crate::workspace::{self, Role, Settings, VoiceTerm};

/// How a customer's ticket token starts (`mend_ct_…`), so a client can tell
/// it from an identity token it holds for the same ticket.
pub const CUSTOMER_TOKEN_PREFIX: &str = "mend_ct_";

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
    /// `locale`: the language the customer used the widget in (`de`), so
    /// Mend writes to them in it. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `identity`: the customer's identity as the company's backend signed
    /// it, a short-lived HS256 JWT. Optional; the worker verifies it and
    /// refuses the report (401) if it does not hold, never filing it as
    /// anonymous instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
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
    #[serde(default, deserialize_with = "whole::number")]
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
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::optional")]
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
            locale: optional(&self.locale, Locale::parse)?,
        };
        Ok((workspace, report))
    }
}

pub(crate) fn optional<T>(
    raw: &Option<String>,
    parse: fn(&str) -> Result<T, InputError>,
) -> Result<Option<T>, InputError> {
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
        #[serde(default, deserialize_with = "whole::number")]
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
    /// `take_ownership`: a rep or manager takes an unowned ticket
    /// ([`Command::TakeOwnership`]). No fields.
    TakeOwnership,
    /// `hand_over`: the owner, or a manager, gives the ticket to a colleague
    /// ([`Command::HandOver`]).
    HandOver {
        /// `to`: the id of the colleague's key, as the workspace's keys list
        /// it. Required; the worker refuses a key not in force in the
        /// ticket's workspace.
        #[serde(default)]
        to: String,
        /// `note`: what the colleague needs to know; the customer never sees
        /// it. Required; at most 4000 characters after trimming.
        #[serde(default)]
        note: String,
    },
    /// `answer_follow_up`: the customer says whether the fix held, once
    /// Mend asked ([`Command::AnswerFollowUp`]).
    AnswerFollowUp {
        /// `held`: `true` for "yes, it held", `false` for "no, it came
        /// back". Required.
        #[serde(default)]
        held: Option<bool>,
        /// `what_happened`: when it came back, what happened. Required then;
        /// at most 4000 characters after trimming.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        what_happened: Option<String>,
    },
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
            CommandRequest::TakeOwnership => Command::TakeOwnership,
            CommandRequest::HandOver { to, note } => {
                let to = to.trim();
                if to.is_empty() {
                    return Err(InputError::new(Field::Colleague, Problem::Missing));
                }
                let key_id = Some(to.to_owned());
                Command::HandOver {
                    to: Colleague { key_id, label: None, first_name: None },
                    note: HandoverNote::parse(note)?,
                }
            }
            CommandRequest::AnswerFollowUp { held, what_happened } => Command::AnswerFollowUp(match held {
                None => return Err(InputError::new(Field::Held, Problem::Missing)),
                Some(true) => FollowUpAnswer::Held,
                Some(false) => FollowUpAnswer::CameBack {
                    what_happened: WhatHappened::parse(what_happened.as_deref().unwrap_or_default())?,
                    reopened_as: None,
                },
            }),
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

pub(crate) fn parse_time(field: Field, raw: &str) -> Result<Timestamp, InputError> {
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
    /// The reference a person can say, as in [`TicketView::reference`].
    #[serde(default)]
    pub reference: Option<Reference>,
    /// Whether Mend emails the customer, as in [`TicketView::emails`].
    #[serde(default)]
    pub emails: Option<EmailsView>,
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
    /// The reference a person can say (`ACM-7KQ-3TF`), unique in the
    /// workspace; `null` only for a ticket Mend has not numbered yet.
    pub reference: Option<Reference>,
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
    /// Who looks after the ticket, once someone does; the customer sees
    /// only the first name the workspace signs with
    /// ([`Colleague::for_customer`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Colleague>,
    /// How often the ticket was handed over.
    #[serde(default)]
    pub handovers: u32,
    /// Whether the fix held, once solved: `asked` while Mend waits for the
    /// customer's answer (absent while not asked).
    #[serde(default, skip_serializing_if = "is_not_asked")]
    pub follow_up: FollowUp,
    /// The solved ticket this one's problem came back on, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub came_back_from: Option<TicketId>,
    /// The same customer's or order's earlier tickets, newest first: for
    /// the company only (empty, and absent, for the customer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<TicketId>,
    /// The sequence number of the last event; live clients resume after it.
    pub last_seq: u64,
    /// The whole log, oldest first.
    pub events: Vec<Event>,
    /// What the one-voice reviewer flagged in the company's words, event by
    /// event; for the workspace's reps and managers only, never the customer
    /// (absent when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<Review>,
    /// Whether Mend emails the customer about this ticket while they are
    /// away; absent when the customer gave no address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<EmailsView>,
    /// Why Mend could not email the customer yet, while it keeps trying;
    /// for the workspace's reps and managers only (absent when all is well).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_trouble: Option<String>,
    /// Whether a widget of the customer has the ticket open right now (so
    /// they see news live, and Mend does not email it); for the
    /// workspace's reps and managers only (absent when not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub customer_watching: bool,
}

/// Emails about a ticket, as its customer and reps see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailsView {
    /// Whether they are on: the customer turns them off with the email's
    /// one-click link or in the widget, and on again in the widget.
    pub on: bool,
}

/// The body of `PUT /v1/tickets/{id}/emails`: the customer turns emails about their ticket on or off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailsRequest {
    /// `on`: `true` to get emails while away, `false` for none.
    pub on: bool,
}

/// What the one-voice reviewer flagged in one text of one company event.
/// The rep was warned and could still send it; the findings are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The event the text belongs to.
    pub seq: u64,
    /// Which text of the event: `text` (a message or update), `question`,
    /// `summary`, `prevention` or `note` (a make-good's); each finding's
    /// `start` and `end` are byte offsets into it.
    pub field: String,
    /// The flagged phrases, sorted and non-overlapping.
    pub findings: Vec<Finding>,
}

impl Review {
    /// What `reviewer` flags in the words of `event`, if the company wrote
    /// them: one entry per text with at least one finding.
    pub fn of(reviewer: &Reviewer, event: &Event) -> Vec<Review> {
        if !event.by.is_company() {
            return Vec::new();
        }
        let texts: Vec<(&str, &str)> = match &event.kind {
            // The company's own report: its account and its apology.
            EventKind::Reported { report, apology: Some(apology), .. } => {
                vec![("what_happened", report.what_happened.as_str()), ("apology", apology.as_str())]
            }
            EventKind::MessageAdded { text } => vec![("text", text.as_str())],
            EventKind::Updated { text, .. } => vec![("text", text.as_str())],
            EventKind::QuestionAsked { question } => vec![("question", question.as_str())],
            EventKind::ResolutionProposed { summary, prevention } => {
                vec![("summary", summary.as_str()), ("prevention", prevention.as_str())]
            }
            EventKind::MakeGoodOffered { make_good } => {
                make_good.note.iter().map(|note| ("note", note.as_str())).collect()
            }
            _ => Vec::new(),
        };
        texts
            .into_iter()
            .map(|(field, text)| Review { seq: event.seq, field: field.to_owned(), findings: reviewer.review(text) })
            .filter(|review| !review.findings.is_empty())
            .collect()
    }

    /// How many events `reviews` (a ticket's, in log order) flagged: an
    /// event with findings in two texts counts once.
    pub fn events_flagged(reviews: &[Review]) -> u32 {
        let mut seqs: Vec<u64> = reviews.iter().map(|review| review.seq).collect();
        seqs.dedup();
        u32::try_from(seqs.len()).unwrap_or(u32::MAX)
    }
}

impl TicketView {
    /// This view as the ticket's customer may see it: every event
    /// [as they see it](Event::for_customer), the owner by first name only,
    /// and nothing that is the company's alone.
    pub fn for_customer(self) -> Self {
        Self {
            events: self.events.iter().map(Event::for_customer).collect(),
            owner: self.owner.as_ref().map(Colleague::for_customer),
            earlier: Vec::new(),
            review: Vec::new(),
            email_trouble: None,
            customer_watching: false,
            ..self
        }
    }

    /// The view of `ticket`, whose whole log is `events`.
    pub fn new(
        id: TicketId,
        reference: Option<Reference>,
        workspace: WorkspaceId,
        ticket: &Ticket,
        events: Vec<Event>,
    ) -> Self {
        let (resolution, question) = match ticket.state() {
            State::ResolutionProposed { summary, prevention } => {
                (Some(ResolutionView { summary: summary.clone(), prevention: prevention.clone() }), None)
            }
            State::WaitingOnCustomer { question, .. } => (None, Some(question.clone())),
            _ => (None, None),
        };
        Self {
            id,
            reference,
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
            owner: ticket.owner().cloned(),
            handovers: ticket.handovers(),
            follow_up: ticket.follow_up(),
            came_back_from: ticket.came_back_from().cloned(),
            earlier: ticket.earlier().to_vec(),
            last_seq: ticket.last_seq(),
            events,
            review: Vec::new(),
            emails: ticket.report().contact_email.as_ref().map(|_| EmailsView { on: true }),
            email_trouble: None,
            customer_watching: false,
        }
    }
}

fn is_not_asked(follow_up: &FollowUp) -> bool {
    *follow_up == FollowUp::NotAsked
}

/// The answer to `GET /v1/tickets/{id}/events?since=N`: the events after `N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsPage {
    /// The events whose `seq` is greater than `N`, oldest first; empty when
    /// the client is up to date.
    pub events: Vec<Event>,
}

/// The most characters of a customer's words a listing shows.
pub const HEADLINE_CHARS: usize = 140;

/// The start of `text`, at most [`HEADLINE_CHARS`] characters, for listings.
pub fn headline(text: &str) -> String {
    match text.char_indices().nth(HEADLINE_CHARS) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text.to_owned(),
    }
}

/// The answer to `GET /v1/workspaces/{ws}/widget-config`: what the widget
/// shows before anyone reports anything. Public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetConfig {
    /// The workspace's id.
    pub workspace: WorkspaceId,
    /// The company's name.
    pub name: String,
    /// The brand colour, `#rrggbb`.
    pub colour: String,
    /// The colour of text on the brand colour, chosen for contrast
    /// ([`Colour::text_colour`](crate::input::Colour::text_colour)).
    pub on_colour: String,
    /// The apology a customer reads first after reporting.
    pub apology: String,
    /// The widget's language (`en`, `de`).
    pub locale: String,
    /// The workspace's currency, for what a problem cost the customer.
    pub currency: Currency,
}

impl WidgetConfig {
    /// The public part of `settings`.
    pub fn new(workspace: WorkspaceId, settings: &Settings) -> Self {
        Self {
            workspace,
            name: settings.name.to_string(),
            colour: settings.colour.to_string(),
            on_colour: settings.colour.text_colour().to_owned(),
            apology: settings.apology.to_string(),
            locale: settings.locale.to_string(),
            currency: settings.currency(),
        }
    }
}

/// Which tickets `GET /v1/queue?filter=…` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueFilter {
    /// `all`: every open ticket (the default).
    #[default]
    All,
    /// `mine`: tickets the asker looks after.
    Mine,
    /// `unowned`: tickets no one looks after yet.
    Unowned,
    /// `escalated`: tickets a manager was brought into.
    Escalated,
    /// `waiting_on_customer`: tickets with a question open to the customer.
    WaitingOnCustomer,
    /// `resolution_proposed`: tickets waiting for the customer to confirm.
    ResolutionProposed,
}

impl QueueFilter {
    /// The filter named by the `filter` query parameter; absent means [`QueueFilter::All`].
    pub fn parse(raw: Option<&str>) -> Result<Self, InputError> {
        let expected = "one of all, mine, unowned, escalated, waiting_on_customer, resolution_proposed";
        raw.map_or(Ok(Self::All), |raw| named(Field::Filter, raw, expected))
    }

    /// Whether a ticket standing as `standing` is listed for the colleague
    /// with key `asker`.
    pub fn admits(self, standing: &Standing, asker: &str) -> bool {
        match self {
            QueueFilter::All => true,
            QueueFilter::Mine => standing.owned_by(asker),
            QueueFilter::Unowned => standing.owner.is_none(),
            QueueFilter::Escalated => standing.escalated,
            QueueFilter::WaitingOnCustomer => standing.status == Status::WaitingOnCustomer,
            QueueFilter::ResolutionProposed => standing.status == Status::ResolutionProposed,
        }
    }
}

/// One open ticket in the rep queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    /// The ticket's id.
    pub id: TicketId,
    /// The reference a person can say, as in [`TicketView::reference`].
    pub reference: Option<Reference>,
    /// Where the ticket stands.
    pub status: Status,
    /// How urgent it is now; the queue is sorted by this, then `risk_at`.
    pub risk: RiskTier,
    /// The promise's time for promised tickets, otherwise when it was reported.
    pub risk_at: Timestamp,
    /// The promise in force, if any.
    pub promise: Option<PromiseView>,
    /// Whether a manager was brought in.
    pub escalated: bool,
    /// When the customer reported the problem.
    pub reported_at: Timestamp,
    /// When the ticket last changed.
    pub updated_at: Timestamp,
    /// The start of the customer's account ([`headline`]).
    pub what_happened: String,
    /// Who looks after the ticket, if anyone does yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Colleague>,
    /// Whether the asker looks after the ticket.
    pub mine: bool,
    /// Whether the same customer or order reported before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeat: bool,
}

impl QueueItem {
    /// The queue entry of ticket `id`, standing as `standing`, at `now`.
    pub fn new(
        id: TicketId,
        reference: Option<Reference>,
        standing: &Standing,
        now: Timestamp,
        updated_at: Timestamp,
        what_happened: &str,
        asker: &str,
    ) -> Self {
        let risk = standing.risk(now);
        Self {
            id,
            reference,
            status: standing.status,
            risk: risk.tier,
            risk_at: risk.at,
            promise: standing.promise.map(|p| PromiseView { due: p.due, missed: p.missed }),
            escalated: standing.escalated,
            reported_at: standing.reported_at,
            updated_at,
            what_happened: headline(what_happened),
            owner: standing.owner.clone(),
            mine: standing.owned_by(asker),
            repeat: standing.repeat,
        }
    }
}

/// The answer to `GET /v1/queue`: open tickets, most at risk first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    /// The time the risks were judged at.
    pub now: Timestamp,
    /// The tickets, most urgent first.
    pub tickets: Vec<QueueItem>,
}

/// One of an identified customer's tickets, in `GET /v1/customers/me/tickets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTicket {
    /// The ticket's id.
    pub id: TicketId,
    /// The reference a person can say, as in [`TicketView::reference`].
    pub reference: Option<Reference>,
    /// Where it stands.
    pub status: Status,
    /// When they reported it.
    pub reported_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// The start of their account ([`headline`]).
    pub what_happened: String,
    /// The order it was about, if the host page said.
    pub order_id: Option<String>,
    /// Whether the company found the problem and reported it first (a
    /// proactive report); the widget opens such a ticket on its order.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub found_first: bool,
    /// Whether the fix held, once Mend asked: `asked` while it waits for
    /// their answer, which the widget then asks for (absent while not asked).
    #[serde(default, skip_serializing_if = "is_not_asked")]
    pub follow_up: FollowUp,
}

/// The answer to `GET /v1/customers/me/tickets`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTickets {
    /// The identified customer's tickets in this workspace.
    pub tickets: Vec<CustomerTicket>,
}

/// The body of `POST /v1/workspaces` (admin only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWorkspaceRequest {
    /// `id`: the new workspace's id, as in [`WorkspaceId`].
    #[serde(default)]
    pub id: String,
    /// `name`: the company's name, 1 to 100 characters.
    #[serde(default)]
    pub name: String,
    /// `apology`: a sincere apology, at most 1000 characters.
    #[serde(default)]
    pub apology: String,
    /// `colour`: `#rrggbb`; default [`DEFAULT_COLOUR`](workspace::DEFAULT_COLOUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// `locale`: `en`, `de`, `pt-BR`…; default `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `currency`: the workspace's currency, fixed at creation; default `USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `origins`: sites that may embed the widget; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<String>,
}

impl NewWorkspaceRequest {
    /// The new workspace's id and settings, or the first field at fault.
    pub fn parse(&self) -> Result<(WorkspaceId, Settings), InputError> {
        let id = WorkspaceId::parse(&self.id).map_err(|err| InputError::new(Field::NewWorkspace, err.problem))?;
        let currency = Currency::parse(self.currency.as_deref().unwrap_or("USD"), Field::Currency)?;
        let settings = Settings::new(CompanyName::parse(&self.name)?, Apology::parse(&self.apology)?, currency);
        let patch = SettingsPatch {
            colour: self.colour.clone(),
            locale: self.locale.clone(),
            origins: Some(self.origins.clone()),
            ..SettingsPatch::default()
        };
        Ok((id, patch.apply(settings)?))
    }
}

/// The body of `PATCH /v1/workspaces/{ws}`: the settings to change; absent
/// ones stay. An unknown key is refused, so a typo never passes silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// `name`: the company's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `apology`: the apology customers read first; must be sincere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apology: Option<String>,
    /// `colour`: `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// `locale`: the widget's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `origins`: the whole new list of allowed origins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    /// `make_good_policy`: the whole new policy, in the workspace's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make_good_policy: Option<crate::make_good::Policy>,
    /// `rep_names`: whether company events show the rep's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep_names: Option<bool>,
    /// `voice_terms`: the whole new list of the workspace's one-voice terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_terms: Option<Vec<VoiceTerm>>,
    /// `record_public`: whether the recovery record is published at `/r/{workspace}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_public: Option<bool>,
    /// `opening_hours`: the whole new opening hours and first-answer target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<crate::hours::Hours>,
    /// `follow_up_days`: how many days after "solved" Mend asks whether
    /// the fix held, 1 to 30.
    #[serde(default, deserialize_with = "whole::optional", skip_serializing_if = "Option::is_none")]
    pub follow_up_days: Option<i64>,
}

impl SettingsPatch {
    /// `settings` with this patch applied, or the first field at fault.
    pub fn apply(&self, mut settings: Settings) -> Result<Settings, InputError> {
        if let Some(name) = &self.name {
            settings.name = CompanyName::parse(name)?;
        }
        if let Some(apology) = &self.apology {
            settings.apology = Apology::parse(apology)?;
        }
        if let Some(colour) = &self.colour {
            settings.colour = Colour::parse(colour)?;
        }
        if let Some(locale) = &self.locale {
            settings.locale = Locale::parse(locale)?;
        }
        if let Some(origins) = &self.origins {
            settings.origins = workspace::origins(origins)?;
        }
        if let Some(policy) = &self.make_good_policy {
            settings.set_policy(policy.clone())?;
        }
        if let Some(rep_names) = self.rep_names {
            settings.rep_names = rep_names;
        }
        if let Some(terms) = &self.voice_terms {
            settings.voice_terms = workspace::voice_terms(terms)?;
        }
        if let Some(record_public) = self.record_public {
            settings.record_public = record_public;
        }
        if let Some(hours) = &self.opening_hours {
            settings.set_hours(hours.clone())?;
        }
        if let Some(days) = self.follow_up_days {
            settings.set_follow_up_days(days)?;
        }
        Ok(settings)
    }
}

/// An identity key as listed: its id, never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityKeyInfo {
    /// The `kid` a token names to be checked with this key.
    pub kid: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// The answer to `POST /v1/workspaces/{ws}/identity-keys`: the secret,
/// shown once. The company's backend signs identity tokens with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityKeyCreated {
    /// The key's id, for the token header's `kid`.
    pub kid: String,
    /// The HMAC-SHA256 secret (its UTF-8 bytes are the key).
    pub secret: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// A workspace's settings as its managers and Mend's admin see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceView {
    /// The workspace's id.
    pub id: WorkspaceId,
    /// The company's name.
    pub name: String,
    /// The apology customers read first.
    pub apology: String,
    /// The brand colour.
    pub colour: String,
    /// The widget's language.
    pub locale: String,
    /// The workspace's currency.
    pub currency: Currency,
    /// The sites that may embed the widget.
    pub origins: Vec<String>,
    /// The make-good policy.
    pub make_good_policy: crate::make_good::Policy,
    /// Whether company events show the rep's first name.
    pub rep_names: bool,
    /// The workspace's own one-voice terms.
    pub voice_terms: Vec<VoiceTerm>,
    /// Whether the recovery record is published at `/r/{workspace}`.
    pub record_public: bool,
    /// The opening hours and first-answer target.
    pub opening_hours: crate::hours::Hours,
    /// How many days after "solved" Mend asks whether the fix held.
    pub follow_up_days: u8,
    /// The identity keys in force, oldest first.
    pub identity_keys: Vec<IdentityKeyInfo>,
}

impl WorkspaceView {
    /// The view of workspace `id` with `settings` and `identity_keys`.
    pub fn new(id: WorkspaceId, settings: &Settings, identity_keys: Vec<IdentityKeyInfo>) -> Self {
        Self {
            id,
            name: settings.name.to_string(),
            apology: settings.apology.to_string(),
            colour: settings.colour.to_string(),
            locale: settings.locale.to_string(),
            currency: settings.currency(),
            origins: settings.origins.iter().map(ToString::to_string).collect(),
            make_good_policy: settings.policy.clone(),
            rep_names: settings.rep_names,
            voice_terms: settings.voice_terms.clone(),
            record_public: settings.record_public,
            follow_up_days: settings.follow_up_days,
            opening_hours: settings.hours.clone(),
            identity_keys,
        }
    }
}

/// The body of `POST /v1/workspaces/{ws}/keys`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRequest {
    /// `role`: `rep` or `manager`.
    #[serde(default)]
    pub role: String,
    /// `label`: whose key it is, 1 to 100 characters.
    #[serde(default)]
    pub label: String,
}

impl KeyRequest {
    /// The role and label asked for, or the field at fault.
    pub fn parse(&self) -> Result<(Role, KeyLabel), InputError> {
        Ok((named(Field::Role, &self.role, "rep or manager")?, KeyLabel::parse(&self.label)?))
    }
}

/// A workspace key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// The key's id, for revoking it.
    pub id: String,
    /// What it lets its holder do.
    pub role: Role,
    /// Whose it is.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was revoked; a revoked key grants nothing.
    pub revoked_at: Option<Timestamp>,
}

/// The answer to `POST /v1/workspaces/{ws}/keys`: the key, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCreated {
    /// The key's id, for revoking it.
    pub id: String,
    /// What it lets its holder do.
    pub role: Role,
    /// Whose it is.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// Always `null` for a new key.
    pub revoked_at: Option<Timestamp>,
    /// The key (`mend_rk_…`). Mend keeps only its hash.
    pub key: String,
}

/// The answer to `GET /v1/workspaces/{ws}/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    /// Every key ever made for the workspace, revoked ones included, oldest first.
    pub keys: Vec<KeyInfo>,
}

/// The answer to `GET` and `POST /v1/session`: who is signed in, and what
/// the console needs of their workspace to suggest make-goods and review
/// replies as Mend will.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// The key's workspace.
    pub workspace: WorkspaceId,
    /// The key's role.
    pub role: Role,
    /// The key's label: whose key it is.
    pub label: String,
    /// The company's name.
    pub company: String,
    /// The workspace's currency.
    pub currency: Currency,
    /// The make-good policy, for `make_good::suggest` and `assess`.
    pub make_good_policy: Policy,
    /// The workspace's own one-voice terms, for `voice::Reviewer::with_terms`.
    pub voice_terms: Vec<VoiceTerm>,
    /// Whether company events show the rep's first name.
    pub rep_names: bool,
    /// Whether the recovery record is published at `/r/{workspace}`.
    pub record_public: bool,
    /// The key's id: who "mine" is in the queue, and who gives commands.
    pub key_id: String,
    /// Everyone whose key is in force in the workspace, the signed-in
    /// colleague too, oldest key first: whom a ticket may be handed to.
    pub colleagues: Vec<Colleague>,
    /// The workspace's IANA time zone, its opening hours': the month a
    /// published change is dated in ([`crate::changes::month_of`]).
    pub time_zone: String,
}

impl SessionView {
    /// The session of the key `key_id` of `role` labelled `label`, in
    /// workspace `workspace` with `settings`, among `colleagues`.
    pub fn new(
        workspace: WorkspaceId,
        role: Role,
        (key_id, label): (String, String),
        colleagues: Vec<Colleague>,
        settings: &Settings,
    ) -> Self {
        Self {
            workspace,
            role,
            label,
            key_id,
            colleagues,
            time_zone: settings.hours.time_zone.clone(),
            company: settings.name.to_string(),
            currency: settings.currency(),
            make_good_policy: settings.policy.clone(),
            voice_terms: settings.voice_terms.clone(),
            rep_names: settings.rep_names,
            record_public: settings.record_public,
        }
    }
}

/// The answer to `GET /v1/workspaces/{ws}/record`: the recovery record over
/// the tickets reported in a period, overall and week by week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    /// The period's first day, `YYYY-MM-DD`.
    pub from: String,
    /// The period's last day, `YYYY-MM-DD`, included.
    pub to: String,
    /// The currency every amount is counted in.
    pub currency: Currency,
    /// The figures over the whole period.
    pub overall: RecoveryRecord,
    /// Every week the period touches, earliest first, empty ones included.
    pub weeks: Vec<WeekRecord>,
}

/// One week of a [`RecordView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRecord {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    /// The figures of the tickets reported that week (within the period).
    pub record: RecoveryRecord,
}

impl RecordView {
    /// The view of `period`'s figures: `overall`, and `weeks` by their Mondays.
    pub fn new(
        period: Period,
        currency: Currency,
        overall: RecoveryRecord,
        weeks: Vec<(Timestamp, RecoveryRecord)>,
    ) -> Self {
        Self {
            from: period.from_day(),
            to: period.to_day(),
            currency,
            overall,
            weeks: weeks.into_iter().map(|(monday, record)| WeekRecord { week: monday.day(), record }).collect(),
        }
    }
}

/// What `GET /v1/queue/live` sends reps and managers: a ticket of their
/// workspace changed (a new report counts), so the queue may have moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "queue_changed")]
pub struct QueueChanged {
    /// The ticket that changed.
    pub ticket_id: TicketId,
    /// The sequence number of its new event.
    pub seq: u64,
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
    /// With `field`, what is wrong with it ([`Problem::key`]), so a client
    /// can say it in its own language; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// With a `too_long` problem, the limit in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
}

impl ErrorDetail {
    /// The detail of an answer with `code`, saying `message` and nothing more.
    pub fn new(code: &str, message: String) -> Self {
        Self { code: code.to_owned(), message, field: None, problem: None, max: None }
    }

    /// The detail of an answer with `code` refusing an input: the sentence,
    /// the field at fault, and what is wrong with it.
    pub fn refusing(code: &str, err: &InputError) -> Self {
        Self {
            code: code.to_owned(),
            message: err.to_string(),
            field: Some(err.field.key().to_owned()),
            problem: Some(err.problem.key().to_owned()),
            max: match err.problem {
                Problem::TooLong { max } => Some(max),
                _ => None,
            },
        }
    }
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
    fn whole_numbers_written_as_floats_are_read_as_the_numbers_they_are() {
        let read = |text: &str| serde_json::from_str::<CommandRequest>(text).unwrap().parse();
        let Ok(Command::Rate(rating)) = read(r#"{"type": "rate", "score": 2.0}"#) else { panic!("a rating") };
        assert_eq!(rating.score, Score::parse(2).unwrap());
        let offer =
            r#"{"type": "offer_make_good", "kind": "refund", "value": {"currency": "USD", "minor_units": 189900.0}}"#;
        let Ok(Command::OfferMakeGood(make_good)) = read(offer) else { panic!("an offer") };
        assert_eq!(make_good.value.minor_units, 189_900);
        let report: ReportRequest =
            serde_json::from_str(r#"{"workspace": "acme", "what_happened": "x", "cost": {"hours_lost": 6.0}}"#)
                .unwrap();
        assert_eq!(report.cost.unwrap().hours_lost, Some(6));
        assert!(serde_json::from_str::<CommandRequest>(r#"{"type": "rate", "score": 2.5}"#).is_err());
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
        let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let mut events = vec![opened];
        let mut run = |actor, value: Value, now: &str| {
            let command = serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap();
            let event = ticket.decide(actor, command, &Context::new(at(now), &policy)).unwrap();
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
        let view = TicketView::new(
            TicketId::parse("t1").unwrap(),
            Some(Reference::new(&WorkspaceId::parse("acme").unwrap(), 1)),
            WorkspaceId::parse("acme").unwrap(),
            &ticket,
            events,
        );
        let report = json!({
            "what_happened": "The armchair was missing.",
            "how_it_affected_you": "Guests had nowhere to sit.",
            "feelings": ["let_down"],
            "cost": {"money": null, "hours_lost": 3, "missed_event": false},
            "order_id": "1042"
        });
        let expected = json!({
            "id": "t1",
            "reference": Reference::new(&WorkspaceId::parse("acme").unwrap(), 1).as_str(),
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
            "handovers": 0,
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
    fn the_company_words_are_reviewed_text_by_text_and_the_customers_never() {
        let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
        let policy = Policy::standard(crate::money::Currency::parse("USD", Field::Currency).unwrap());
        let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let mut decide = |actor, value: Value| {
            let command = serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap();
            let event = ticket.decide(actor, command, &Context::new(at("2026-11-23T09:05:00Z"), &policy)).unwrap();
            ticket.apply(&event).unwrap();
            event
        };
        let reviewer = Reviewer::new().with_terms([(crate::voice::Category::BlamesOthers, "Speedy".to_owned())]);
        let from_customer = decide(Actor::Customer, json!({"type": "message", "text": "Mistakes happen, no worries."}));
        assert_eq!(Review::of(&reviewer, &from_customer), []);
        let proposal = decide(
            Actor::Rep,
            json!({"type": "propose_resolution", "summary": "Speedy brought it today.", "prevention": "Mistakes happen."}),
        );
        assert_eq!(Review::events_flagged(&Review::of(&reviewer, &proposal)), 1);
        let reviews = serde_json::to_value(Review::of(&reviewer, &proposal)).unwrap();
        assert_eq!(
            reviews,
            json!([
                {"seq": 3, "field": "summary", "findings": [{"category": "blames_others", "start": 0, "end": 6, "phrase": "Speedy"}]},
                {"seq": 3, "field": "prevention", "findings": [{"category": "minimises", "start": 0, "end": 15, "phrase": "Mistakes happen"}]},
            ])
        );
        let offer = decide(
            Actor::Rep,
            json!({"type": "offer_make_good", "kind": "credit", "value": {"currency": "USD", "minor_units": 500}, "note": "At least you got it."}),
        );
        assert_eq!(Review::of(&reviewer, &offer)[0].field, "note");
        let clean = decide(Actor::Rep, json!({"type": "message", "text": "We're sorry we let you down."}));
        assert_eq!(Review::of(&reviewer, &clean), []);
    }

    #[test]
    fn a_ticket_view_without_findings_has_no_review_key() {
        let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
        let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
        let ticket = Ticket::from_events([&opened]).unwrap();
        let view = TicketView::new(
            TicketId::parse("t1").unwrap(),
            None,
            WorkspaceId::parse("acme").unwrap(),
            &ticket,
            vec![opened],
        );
        assert!(serde_json::to_value(&view).unwrap().get("review").is_none());
    }

    #[test]
    fn session_record_and_queue_change_wire_shapes() {
        let mut settings = Settings::new(
            CompanyName::parse("Acme Furniture").unwrap(),
            Apology::parse("We're sorry: we let you down.").unwrap(),
            crate::money::Currency::parse("EUR", Field::Currency).unwrap(),
        );
        let patch: SettingsPatch = serde_json::from_value(
            json!({"voice_terms": [{"category": "blames_others", "term": " Speedy Parcels "}], "record_public": true}),
        )
        .unwrap();
        settings = patch.apply(settings).unwrap();
        let ana = Colleague::new("0123456789abcdef", KeyLabel::parse("Ana").unwrap(), false);
        let (workspace, key) = (WorkspaceId::parse("acme").unwrap(), ("0123456789abcdef".into(), "Ana".into()));
        let session = SessionView::new(workspace, Role::Rep, key, vec![ana], &settings);
        let value = serde_json::to_value(&session).unwrap();
        assert_eq!(
            value.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "colleagues",
                "company",
                "currency",
                "key_id",
                "label",
                "make_good_policy",
                "record_public",
                "rep_names",
                "role",
                "time_zone",
                "voice_terms",
                "workspace"
            ]
        );
        assert_eq!(value["voice_terms"], json!([{"category": "blames_others", "term": "Speedy Parcels"}]));
        assert_eq!(
            (&value["company"], &value["currency"], &value["record_public"]),
            (&json!("Acme Furniture"), &json!("EUR"), &json!(true))
        );
        let bad: SettingsPatch =
            serde_json::from_value(json!({"voice_terms": [{"category": "blames_others", "term": ""}]})).unwrap();
        assert_eq!(bad.apply(settings.clone()).unwrap_err().field, Field::VoiceTerms);
        assert!(
            serde_json::from_value::<SettingsPatch>(json!({"voice_terms": [{"category": "rude", "term": "x"}]}))
                .is_err()
        );

        let changed = QueueChanged { ticket_id: TicketId::parse("t1").unwrap(), seq: 2 };
        assert_eq!(
            serde_json::to_value(&changed).unwrap(),
            json!({"type": "queue_changed", "ticket_id": "t1", "seq": 2})
        );

        let period = Period::parse(Some("2026-11-20"), Some("2026-11-24"), at("2026-11-25T00:00:00Z")).unwrap();
        let currency = settings.currency();
        let empty = RecoveryRecord::of([], currency);
        let view = RecordView::new(period, currency, empty.clone(), crate::record::weekly_over(&[], period, currency));
        let value = serde_json::to_value(&view).unwrap();
        assert_eq!(
            (&value["from"], &value["to"], &value["currency"]),
            (&json!("2026-11-20"), &json!("2026-11-24"), &json!("EUR"))
        );
        assert_eq!(
            value["weeks"].as_array().unwrap().iter().map(|w| w["week"].clone()).collect::<Vec<_>>(),
            [json!("2026-11-16"), json!("2026-11-23")]
        );
        assert_eq!(value["weeks"][0]["record"], serde_json::to_value(&empty).unwrap());
    }

    #[test]
    fn the_widgets_reading_of_a_report_keeps_the_log_and_skips_the_rest() {
        let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
        let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
        let ticket = Ticket::from_events([&opened]).unwrap();
        let view = TicketView::new(
            TicketId::parse("t1").unwrap(),
            Some(Reference::new(&WorkspaceId::parse("acme").unwrap(), 12)),
            WorkspaceId::parse("acme").unwrap(),
            &ticket,
            vec![opened],
        );
        let created = ReportCreated {
            ticket: view.clone(),
            customer_token: "mend_ct_x".into(),
            company: CompanyVoice { name: "Acme".into(), apology: "Sorry.".into() },
        };
        let receipt: ReportReceipt = serde_json::from_value(serde_json::to_value(&created).unwrap()).unwrap();
        assert_eq!(
            receipt.ticket,
            TicketLog { id: view.id, reference: view.reference, emails: view.emails, events: view.events }
        );
        assert_eq!((receipt.customer_token, receipt.company), (created.customer_token, created.company));
    }

    #[test]
    fn status_keys_are_the_wire_names() {
        use crate::ticket::Status::*;
        for status in [Reported, Acknowledged, InProgress, WaitingOnCustomer, ResolutionProposed, Solved, Withdrawn] {
            assert_eq!(serde_json::to_value(status).unwrap(), json!(status.key()));
        }
        for feeling in crate::ticket::Feeling::ALL {
            assert_eq!(serde_json::to_value(feeling).unwrap(), json!(feeling.key()));
        }
        for role in [Role::Rep, Role::Manager] {
            assert_eq!(serde_json::to_value(role).unwrap(), json!(role.key()));
        }
    }

    #[test]
    fn error_body_wire_shape() {
        let missing = ErrorBody {
            error: ErrorDetail::refusing("validation", &InputError::new(Field::WhatHappened, Problem::Missing)),
        };
        assert_eq!(
            serde_json::to_value(&missing).unwrap(),
            json!({"error": {"code": "validation", "message": "What happened is required.", "field": "what_happened", "problem": "missing"}})
        );
        let long = ErrorBody {
            error: ErrorDetail::refusing("validation", &InputError::new(Field::Reason, Problem::TooLong { max: 2000 })),
        };
        assert_eq!(
            serde_json::to_value(&long).unwrap(),
            json!({"error": {
                "code": "validation",
                "message": "The reason is too long: please keep it under 2000 characters.",
                "field": "reason",
                "problem": "too_long",
                "max": 2000
            }})
        );
        let plain = ErrorBody { error: ErrorDetail::new("not_found", "No such ticket.".into()) };
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            json!({"error": {"code": "not_found", "message": "No such ticket."}})
        );
    }

    #[test]
    fn a_headline_keeps_short_text_and_cuts_long_text_by_characters() {
        assert_eq!(headline("The sofa came torn."), "The sofa came torn.");
        let long = "é".repeat(HEADLINE_CHARS + 10);
        assert_eq!(headline(&long), format!("{}…", "é".repeat(HEADLINE_CHARS)));
    }

    #[test]
    fn a_new_workspace_names_the_field_at_fault() {
        let good = NewWorkspaceRequest {
            id: "globex".into(),
            name: "Globex".into(),
            apology: "We're sorry we let you down.".into(),
            origins: vec!["https://shop.globex.example".into()],
            ..NewWorkspaceRequest::default()
        };
        let (id, settings) = good.parse().unwrap();
        assert_eq!((id.as_str(), settings.colour.as_str(), settings.locale.as_str()), ("globex", "#1f6feb", "en"));
        assert!(settings.allows("https://shop.globex.example"));
        let field = |request: NewWorkspaceRequest| request.parse().unwrap_err().field.key();
        assert_eq!(field(NewWorkspaceRequest { id: "Globex!".into(), ..good.clone() }), "id");
        assert_eq!(field(NewWorkspaceRequest { apology: "Noted.".into(), ..good.clone() }), "apology");
        assert_eq!(field(NewWorkspaceRequest { currency: Some("dollars".into()), ..good.clone() }), "currency");
        assert_eq!(field(NewWorkspaceRequest { origins: vec!["*".into()], ..good }), "origins");
    }

    #[test]
    fn a_settings_patch_changes_only_what_it_names_and_refuses_unknown_keys() {
        let (_, settings) = NewWorkspaceRequest {
            id: "globex".into(),
            name: "Globex".into(),
            apology: "We're sorry we let you down.".into(),
            ..NewWorkspaceRequest::default()
        }
        .parse()
        .unwrap();
        let patch: SettingsPatch = serde_json::from_value(json!({"colour": "#AA0000", "locale": "de"})).unwrap();
        let changed = patch.apply(settings.clone()).unwrap();
        assert_eq!((changed.colour.as_str(), changed.locale.as_str()), ("#aa0000", "de"));
        assert_eq!((changed.name, changed.apology), (settings.name, settings.apology));
        assert!(serde_json::from_value::<SettingsPatch>(json!({"color": "#aa0000"})).is_err());
    }

    #[test]
    fn queue_filters_and_key_roles_are_read_by_their_wire_names() {
        assert_eq!(QueueFilter::parse(None).unwrap(), QueueFilter::All);
        assert_eq!(QueueFilter::parse(Some("waiting_on_customer")).unwrap(), QueueFilter::WaitingOnCustomer);
        assert_eq!(QueueFilter::parse(Some("urgent")).unwrap_err().field, Field::Filter);
        let request = KeyRequest { role: "manager".into(), label: "Ana".into() };
        assert_eq!(request.parse().unwrap().0, Role::Manager);
        assert_eq!(KeyRequest { role: "owner".into(), ..request }.parse().unwrap_err().field, Field::Role);
    }

    #[test]
    fn a_signed_event_carries_the_first_name_and_an_unsigned_one_does_not() {
        let mut event = Ticket::open(
            Report {
                what_happened: WhatHappened::parse("The lamp flickers.").unwrap(),
                how_it_affected_you: None,
                feelings: Vec::new(),
                cost: Harm::default(),
                order_id: None,
                order_value: None,
                contact_email: None,
                locale: None,
            },
            None,
            at("2026-11-23T08:00:00Z"),
        );
        assert!(serde_json::to_value(&event).unwrap().get("signed").is_none());
        event.signed = Some(crate::input::FirstName::parse("Ana").unwrap());
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["signed"], json!("Ana"));
        assert_eq!(serde_json::from_value::<Event>(value).unwrap(), event);
    }
}
