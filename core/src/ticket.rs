//! The ticket lifecycle: who may do what, in which state.
//!
//! A ticket is an append-only log of [`Event`]s numbered 1, 2, 3, …; its
//! [`State`] and everything else known about it is a fold over that log.
//! A [`Command`] from an [`Actor`] either becomes the next event
//! ([`Ticket::decide`]) or is refused with a [`Rejection`] that leaves the
//! ticket untouched.
//!
//! The rules Mend is built on:
//!
//! - **Only the customer can say a problem is solved.** Reps propose a
//!   resolution (with a prevention note); the customer answers "yes"
//!   ([`Command::ConfirmSolved`]) or "not yet" with a reason
//!   ([`Command::NotYet`], which reopens the ticket). Nothing ever becomes
//!   solved or closed on silence: there is no auto-close and no close command.
//! - **Never leave them hanging.** A report carries the company's
//!   first-answer promise, from its opening hours ([`crate::hours`]): any
//!   company message, update, question or proposal by then keeps it
//!   ([`FirstAnswer`]). Every rep update carries a promise of
//!   when the next update comes, at most [`PROMISE_HORIZON_DAYS`] ahead. A
//!   promise is kept when the next update or a resolution proposal comes by
//!   its time; otherwise it is missed, and Mend itself records that
//!   ([`Command::MarkPromiseMissed`], only for [`Actor::System`]). Asking
//!   the customer a question pauses the promise clock until they answer.
//! - **Make it up to them**: one make-good offer at a time, which only the
//!   customer accepts or declines; a rep's offer above the workspace's cap
//!   needs a manager ([`Rejection::NeedsManager`]).
//! - **Escalation** is an attribute with a reason, not a state.
//!
//! ```text
//! reported ─first response─▶ acknowledged ─update─▶ in progress ⇄ waiting on the customer
//!     │                           │                     │  ▲                 │
//!     └───────────────────────────┴──────propose────────┴──┼─────────────────┘
//!                                                   ▼       │ not yet (reason)
//!                                         resolution proposed ──yes──▶ solved ──▶ rated
//!  (any open state) ──withdraw──▶ withdrawn
//! ```
//!
//! Who may give which command is [`CommandKind::permits`]; what a command
//! does in each state is [`Ticket::decide`]; how an event changes the
//! ticket is [`Ticket::apply`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::hours::FirstAnswerTime;
use crate::input::{
    Apology, ApologyText, Comment, ContactEmail, Field, FirstName, HandoverNote, Impact, InputError, KeyLabel, Locale,
    MessageText, Note, OrderId, PreventionNote, Problem, QuestionText, Reason, Score, Summary, TicketId, UpdateText,
    WhatHappened,
};
use crate::make_good::{self, Harm, MakeGoodKind, Policy};
use crate::money::Money;

/// The one place the promise horizon's number is written, so the constant
/// and the words that refuse a later promise cannot drift apart.
macro_rules! promise_horizon_days {
    () => {
        14
    };
}

/// The furthest ahead a next-update promise may be made. A promise further
/// out than this is no promise to a waiting customer.
pub const PROMISE_HORIZON_DAYS: i64 = promise_horizon_days!();

/// What a promise beyond [`PROMISE_HORIZON_DAYS`] must be instead.
const WITHIN_HORIZON: &str = concat!("at most ", promise_horizon_days!(), " days from now");

/// The most events a ticket's log may hold before only commands that wind
/// it down are accepted ([`CommandKind::winds_down`]). A recovery that
/// needs more is better continued in a new report; the bound keeps every
/// ticket's log, which its Durable Object holds in memory, small.
pub const MAX_EVENTS: u64 = 1000;

/// How close to its time a promise counts as at risk in the rep queue.
pub const AT_RISK_MINUTES: i64 = 60;

/// How long after the customer confirmed a problem solved Mend asks them
/// whether the fix held, unless the workspace says otherwise
/// ([`Settings::follow_up_days`](crate::workspace::Settings::follow_up_days)).
pub const FOLLOW_UP_DAYS: u8 = 7;

/// Milliseconds in a day, for turning a workspace's follow-up days into time.
pub const DAY_MS: i64 = 86_400_000;

/// How far back a new report is linked to the same customer's (or the same
/// order's) earlier tickets: a problem back within this many days is the
/// same recovery going on, not a stranger's first report.
pub const REPEAT_WINDOW_DAYS: i64 = 60;

/// Who gives a command. The worker decides who someone is (token, key);
/// the core decides what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The holder of the ticket's customer token.
    Customer,
    /// A company rep, speaking for the company.
    Rep,
    /// A rep with the manager role.
    Manager,
    /// Mend itself, acting on timers.
    System,
}

impl Actor {
    /// Whether this actor speaks for the company.
    pub fn is_company(self) -> bool {
        matches!(self, Actor::Rep | Actor::Manager)
    }
}

/// A rep or manager as a ticket's log names them: the person behind a
/// workspace key. The worker says who they are; the core only compares
/// them, by key.
///
/// The company sees every field. What the customer sees of a colleague
/// ([`Colleague::for_customer`]) is their first name, and only where the
/// workspace signs with its people's first names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    /// The public id of their key; the company's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Whose key it is ("Ana, support"); the company's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<KeyLabel>,
    /// The first name they sign with, where the workspace signs with names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<FirstName>,
}

impl Colleague {
    /// The holder of the key `key_id` labelled `label`, signing with the
    /// label's first name where the workspace `signs_with_names`.
    pub fn new(key_id: &str, label: KeyLabel, signs_with_names: bool) -> Self {
        let first_name = label.first_name().filter(|_| signs_with_names);
        Colleague { key_id: Some(key_id.to_owned()), label: Some(label), first_name }
    }

    /// Whether `self` and `other` are the same person: the same key.
    pub fn is(&self, other: &Colleague) -> bool {
        self.key_id.is_some() && self.key_id == other.key_id
    }

    /// What the customer may know of this colleague: their first name, if
    /// the workspace signs with names.
    pub fn for_customer(&self) -> Colleague {
        Colleague { key_id: None, label: None, first_name: self.first_name.clone() }
    }
}

/// How the customer feels about the problem, picked from a few chips. A
/// report may carry any number of them, each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feeling {
    /// `frustrated`.
    Frustrated,
    /// `angry`.
    Angry,
    /// `disappointed`.
    Disappointed,
    /// `worried`.
    Worried,
    /// `stressed`.
    Stressed,
    /// `let_down`.
    LetDown,
}

impl Feeling {
    /// Every feeling a customer can pick, in the order the form shows them.
    pub const ALL: [Feeling; 6] = [
        Feeling::Frustrated,
        Feeling::Angry,
        Feeling::Disappointed,
        Feeling::Worried,
        Feeling::Stressed,
        Feeling::LetDown,
    ];

    /// The wire name (`let_down`), as a report sends it.
    pub fn key(self) -> &'static str {
        match self {
            Feeling::Frustrated => "frustrated",
            Feeling::Angry => "angry",
            Feeling::Disappointed => "disappointed",
            Feeling::Worried => "worried",
            Feeling::Stressed => "stressed",
            Feeling::LetDown => "let_down",
        }
    }
}

/// What the customer told the company when they reported the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// What went wrong, in the customer's words. The only required part.
    pub what_happened: WhatHappened,
    /// How the problem affected them, when they said; Mend asks so the
    /// company can answer the harm, not just the fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_it_affected_you: Option<Impact>,
    /// The feelings they picked, each once, in the order picked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feelings: Vec<Feeling>,
    /// What it cost them: money, time, an event missed.
    #[serde(default, skip_serializing_if = "no_cost")]
    pub cost: Harm,
    /// The host page's order reference, when the page gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
    /// The order's value, when the page gave it; the make-good policy uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<Money>,
    /// Where the customer wants updates while they are away, when they gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<ContactEmail>,
    /// The language they used the widget in, when the widget said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
}

fn no_cost(harm: &Harm) -> bool {
    *harm == Harm::default()
}

/// Why a rep brings in a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// A manager's authority or judgement will help the customer.
    ManagerAddsValue,
    /// Another part of the company must act; the manager makes it happen.
    OtherDepartmentMustAct,
}

impl EscalationReason {
    /// Every reason, in the order a rep is offered them.
    pub const ALL: [EscalationReason; 2] = [Self::ManagerAddsValue, Self::OtherDepartmentMustAct];

    /// The reason's name on the wire, as serde writes it.
    pub fn key(self) -> &'static str {
        match self {
            Self::ManagerAddsValue => "manager_adds_value",
            Self::OtherDepartmentMustAct => "other_department_must_act",
        }
    }
}

/// A make-good the company offers: what, how much, and a note to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeGood {
    /// What is offered: credit, refund, gift card, discount or replacement.
    pub kind: MakeGoodKind,
    /// What it is worth. A rep may offer up to the workspace's
    /// [`rep_cap`](Policy::rep_cap), in its currency; more, or another
    /// currency, needs a manager.
    pub value: Money,
    /// A word from the company to go with the offer, shown to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// How the customer feels about the company after the recovery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// How well the company recovered, from 1 (badly) to 5 (very well).
    pub score: Score,
    /// What the customer wants to add, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Comment>,
}

/// Something an actor asks to do to an existing ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Add to the conversation. A customer's message answers an open question.
    AddMessage {
        /// The message, shown in the conversation as written.
        text: MessageText,
    },
    /// Tell the customer where things stand, promising when the next update comes.
    PostUpdate {
        /// Where things stand, in the company's voice.
        text: UpdateText,
        /// The latest time the next update will come: after `now` and at
        /// most [`PROMISE_HORIZON_DAYS`] ahead, or the command is
        /// [`Rejection::Invalid`].
        next_update_by: Timestamp,
    },
    /// Ask the customer something; the promise clock pauses until they answer.
    AskQuestion {
        /// What the company needs to know.
        question: QuestionText,
    },
    /// Bring in a manager, saying why.
    Escalate {
        /// Why a manager is needed.
        reason: EscalationReason,
    },
    /// Say the problem is fixed, what was done and what changed so it won't recur.
    ProposeResolution {
        /// What the company did to solve the problem.
        summary: Summary,
        /// What the company changed so it won't happen again; required, and
        /// shown to the customer with the proposal.
        prevention: PreventionNote,
    },
    /// The customer's "yes, this is solved for me".
    ConfirmSolved,
    /// The customer's "not yet", with the reason; reopens the ticket.
    NotYet {
        /// What is still wrong, in the customer's words.
        reason: Reason,
    },
    /// Offer a make-good.
    OfferMakeGood(MakeGood),
    /// The customer accepts the make-good on offer.
    AcceptMakeGood,
    /// The customer declines the make-good on offer.
    DeclineMakeGood,
    /// The customer says how they feel about the company now.
    Rate(Rating),
    /// The promise's time passed with no update: Mend records it.
    MarkPromiseMissed,
    /// The customer no longer needs help ("never mind").
    Withdraw,
    /// A rep or manager takes an unowned ticket as theirs.
    TakeOwnership,
    /// The owner (or a manager) hands the ticket to a colleague, with a
    /// note for them that the customer never sees.
    HandOver {
        /// Who looks after the ticket from now on; the worker has checked
        /// that their key is in force in the ticket's workspace.
        to: Colleague,
        /// What the new owner needs to know.
        note: HandoverNote,
    },
    /// The follow-up's time came: Mend asks the customer whether the fix
    /// held. Only [`Actor::System`], once, after the problem was solved.
    AskFollowUp,
    /// The customer's answer to the follow-up: it held, or it came back
    /// with what happened.
    AnswerFollowUp(FollowUpAnswer),
}

/// The customer's answer when Mend asks whether the fix held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpAnswer {
    /// "Yes, it held."
    Held,
    /// "No, it came back", and what happened; Mend opens a new ticket
    /// linked to this one, `reopened_as`, and this one stays solved.
    CameBack {
        /// What happened, in the customer's words: the new ticket's report.
        what_happened: WhatHappened,
        /// The id the new ticket takes, which the worker gives it.
        reopened_as: Option<TicketId>,
    },
}

/// The kinds of [`Command`], for permission checks and messages. Each
/// variant says who may give it, as [`CommandKind::permits`] rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// [`Command::AddMessage`]: the customer, reps and managers.
    AddMessage,
    /// [`Command::PostUpdate`]: reps and managers.
    PostUpdate,
    /// [`Command::AskQuestion`]: reps and managers.
    AskQuestion,
    /// [`Command::Escalate`]: reps only; a manager is already the escalation.
    Escalate,
    /// [`Command::ProposeResolution`]: reps and managers.
    ProposeResolution,
    /// [`Command::ConfirmSolved`]: the customer only.
    ConfirmSolved,
    /// [`Command::NotYet`]: the customer only.
    NotYet,
    /// [`Command::OfferMakeGood`]: reps and managers.
    OfferMakeGood,
    /// [`Command::AcceptMakeGood`]: the customer only.
    AcceptMakeGood,
    /// [`Command::DeclineMakeGood`]: the customer only.
    DeclineMakeGood,
    /// [`Command::Rate`]: the customer only.
    Rate,
    /// [`Command::MarkPromiseMissed`]: Mend itself ([`Actor::System`]) only.
    MarkPromiseMissed,
    /// [`Command::Withdraw`]: the customer only.
    Withdraw,
    /// [`Command::TakeOwnership`]: reps and managers.
    TakeOwnership,
    /// [`Command::HandOver`]: reps and managers; a rep only while they own the ticket.
    HandOver,
    /// [`Command::AskFollowUp`]: Mend itself ([`Actor::System`]) only.
    AskFollowUp,
    /// [`Command::AnswerFollowUp`]: the customer only.
    AnswerFollowUp,
}

impl CommandKind {
    /// Every command kind, for tables that must cover them all.
    pub const ALL: [CommandKind; 17] = [
        CommandKind::AddMessage,
        CommandKind::PostUpdate,
        CommandKind::AskQuestion,
        CommandKind::Escalate,
        CommandKind::ProposeResolution,
        CommandKind::ConfirmSolved,
        CommandKind::NotYet,
        CommandKind::OfferMakeGood,
        CommandKind::AcceptMakeGood,
        CommandKind::DeclineMakeGood,
        CommandKind::Rate,
        CommandKind::MarkPromiseMissed,
        CommandKind::Withdraw,
        CommandKind::TakeOwnership,
        CommandKind::HandOver,
        CommandKind::AskFollowUp,
        CommandKind::AnswerFollowUp,
    ];

    /// Whether `actor` may ever give this command, whatever the state. This
    /// is the table of who may do what; nothing else grants a permission.
    pub fn permits(self, actor: Actor) -> bool {
        use Actor::{Customer, Manager, Rep, System};
        match self {
            CommandKind::AddMessage => matches!(actor, Customer | Rep | Manager),
            CommandKind::PostUpdate | CommandKind::AskQuestion | CommandKind::ProposeResolution => {
                matches!(actor, Rep | Manager)
            }
            CommandKind::OfferMakeGood | CommandKind::TakeOwnership | CommandKind::HandOver => {
                matches!(actor, Rep | Manager)
            }
            CommandKind::Escalate => actor == Rep,
            CommandKind::ConfirmSolved
            | CommandKind::NotYet
            | CommandKind::AcceptMakeGood
            | CommandKind::DeclineMakeGood
            | CommandKind::Rate
            | CommandKind::Withdraw
            | CommandKind::AnswerFollowUp => actor == Customer,
            CommandKind::MarkPromiseMissed | CommandKind::AskFollowUp => actor == System,
        }
    }

    /// Whether this command may still be given once the log is full: the
    /// customer's answers and Mend's own bookkeeping, which bring a ticket to
    /// its end and can add only a handful of events, so a full ticket is
    /// never stranded short of the customer's say.
    pub fn winds_down(self) -> bool {
        matches!(
            self,
            CommandKind::ConfirmSolved
                | CommandKind::AcceptMakeGood
                | CommandKind::DeclineMakeGood
                | CommandKind::Rate
                | CommandKind::MarkPromiseMissed
                | CommandKind::Withdraw
                | CommandKind::AskFollowUp
                | CommandKind::AnswerFollowUp
        )
    }

    /// A well-formed command of this kind, as an app would send it at
    /// `context.now`: an update promising the next an hour later, the
    /// smallest make-good in the workspace's currency, a rating of 5, a
    /// handover to a colleague who is no one on the ticket yet.
    /// [`Ticket::allowed`] asks [`Ticket::decide`] about it.
    pub fn example(self, context: &Context) -> Command {
        /// Text every free-text field accepts.
        const WORDS: &str = "…";
        match self {
            CommandKind::AddMessage => Command::AddMessage { text: MessageText::parse(WORDS).expect("example text") },
            CommandKind::PostUpdate => Command::PostUpdate {
                text: UpdateText::parse(WORDS).expect("example text"),
                next_update_by: context.now.plus_minutes(60),
            },
            CommandKind::AskQuestion => {
                Command::AskQuestion { question: QuestionText::parse(WORDS).expect("example text") }
            }
            CommandKind::Escalate => Command::Escalate { reason: EscalationReason::ManagerAddsValue },
            CommandKind::ProposeResolution => Command::ProposeResolution {
                summary: Summary::parse(WORDS).expect("example text"),
                prevention: PreventionNote::parse(WORDS).expect("example text"),
            },
            CommandKind::ConfirmSolved => Command::ConfirmSolved,
            CommandKind::NotYet => Command::NotYet { reason: Reason::parse(WORDS).expect("example text") },
            CommandKind::OfferMakeGood => Command::OfferMakeGood(MakeGood {
                kind: MakeGoodKind::Credit,
                value: Money { currency: context.policy.currency, minor_units: 1 },
                note: None,
            }),
            CommandKind::AcceptMakeGood => Command::AcceptMakeGood,
            CommandKind::DeclineMakeGood => Command::DeclineMakeGood,
            CommandKind::Rate => Command::Rate(Rating { score: Score::try_from(5).expect("a score"), comment: None }),
            CommandKind::MarkPromiseMissed => Command::MarkPromiseMissed,
            CommandKind::Withdraw => Command::Withdraw,
            CommandKind::TakeOwnership => Command::TakeOwnership,
            CommandKind::HandOver => Command::HandOver {
                to: Colleague { key_id: Some(String::new()), label: None, first_name: None },
                note: HandoverNote::parse(WORDS).expect("example text"),
            },
            CommandKind::AskFollowUp => Command::AskFollowUp,
            CommandKind::AnswerFollowUp => Command::AnswerFollowUp(FollowUpAnswer::Held),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CommandKind::AddMessage => "adding a message",
            CommandKind::PostUpdate => "posting an update",
            CommandKind::AskQuestion => "asking the customer a question",
            CommandKind::Escalate => "escalating to a manager",
            CommandKind::ProposeResolution => "proposing a resolution",
            CommandKind::ConfirmSolved => "confirming the problem is solved",
            CommandKind::NotYet => "saying the problem is not solved yet",
            CommandKind::OfferMakeGood => "offering a make-good",
            CommandKind::AcceptMakeGood => "accepting a make-good",
            CommandKind::DeclineMakeGood => "declining a make-good",
            CommandKind::Rate => "rating the recovery",
            CommandKind::MarkPromiseMissed => "marking a promise missed",
            CommandKind::Withdraw => "withdrawing the report",
            CommandKind::TakeOwnership => "taking the ticket",
            CommandKind::HandOver => "handing the ticket over",
            CommandKind::AskFollowUp => "asking whether the fix held",
            CommandKind::AnswerFollowUp => "answering whether the fix held",
        }
    }
}

impl Command {
    /// Which kind of command this is, for [`CommandKind::permits`] and messages.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::AddMessage { .. } => CommandKind::AddMessage,
            Command::PostUpdate { .. } => CommandKind::PostUpdate,
            Command::AskQuestion { .. } => CommandKind::AskQuestion,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::ProposeResolution { .. } => CommandKind::ProposeResolution,
            Command::ConfirmSolved => CommandKind::ConfirmSolved,
            Command::NotYet { .. } => CommandKind::NotYet,
            Command::OfferMakeGood(_) => CommandKind::OfferMakeGood,
            Command::AcceptMakeGood => CommandKind::AcceptMakeGood,
            Command::DeclineMakeGood => CommandKind::DeclineMakeGood,
            Command::Rate(_) => CommandKind::Rate,
            Command::MarkPromiseMissed => CommandKind::MarkPromiseMissed,
            Command::Withdraw => CommandKind::Withdraw,
            Command::TakeOwnership => CommandKind::TakeOwnership,
            Command::HandOver { .. } => CommandKind::HandOver,
            Command::AskFollowUp => CommandKind::AskFollowUp,
            Command::AnswerFollowUp(_) => CommandKind::AnswerFollowUp,
        }
    }
}

/// What happened to a ticket, as recorded in its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// `reported`: the report. Always event 1, and only event 1. From the
    /// customer, the ticket starts in [`State::Reported`], with the
    /// first-answer promise in force when the report carries one. From a
    /// rep or manager it is a proactive report ([`crate::proactive`]): the
    /// company found the problem first, told the customer and apologised,
    /// so the ticket starts [`State::Acknowledged`], already answered.
    Reported {
        /// What was reported, in the customer's words (or, for a
        /// proactive report, the company's); the ticket keeps it unchanged.
        report: Box<Report>,
        /// The company's apology, in a proactive report only.
        #[serde(skip_serializing_if = "Option::is_none")]
        apology: Option<ApologyText>,
        /// When the company promised its first answer, from the workspace's
        /// opening hours ([`crate::hours`]); `None` in reports from before
        /// Mend made that promise.
        #[serde(skip_serializing_if = "Option::is_none")]
        first_answer_by: Option<Timestamp>,
        /// When the company next opens, if it was closed when the report
        /// came: the customer is told so beside the first answer's time.
        #[serde(skip_serializing_if = "Option::is_none")]
        opens_at: Option<Timestamp>,
        /// For a problem that came back after it was solved: the ticket it
        /// came back on, and its owner, who owns this one too.
        #[serde(skip_serializing_if = "Option::is_none")]
        came_back: Option<CameBack>,
        /// The same customer's (their identity or email) or the same
        /// order's tickets of the [`REPEAT_WINDOW_DAYS`] before, newest
        /// first: the company's to see, never the customer's.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        earlier: Vec<TicketId>,
    },
    /// `message_added`: a message in the conversation. The company's first
    /// message on a new report acknowledges it ([`State::Acknowledged`],
    /// with no promise yet); the customer's message while the company waits
    /// on them answers the question and resumes the paused promise
    /// ([`State::InProgress`]). Otherwise the state stays as it was.
    MessageAdded {
        /// The message, from whoever `by` names.
        text: MessageText,
    },
    /// `updated`: the company's update with a new promise. The previous promise is
    /// settled as kept or missed; a new report becomes
    /// [`State::Acknowledged`], anything else [`State::InProgress`].
    Updated {
        /// Where things stand, as told to the customer.
        text: UpdateText,
        /// The new promise: the next update comes by this time.
        next_update_by: Timestamp,
    },
    /// `question_asked`: the company asked the customer something; the
    /// ticket waits on them ([`State::WaitingOnCustomer`]) with the promise
    /// clock paused. A promise already past its time is counted missed and
    /// not resumed.
    QuestionAsked {
        /// The question, open until the customer sends a message.
        question: QuestionText,
    },
    /// `escalated`: a rep brought in a manager. The state does not change.
    Escalated {
        /// Why the rep brought in a manager.
        escalation: EscalationReason,
    },
    /// `resolution_proposed`: the company says it is fixed. The promise is
    /// settled and the ticket waits for the customer's answer
    /// ([`State::ResolutionProposed`]).
    ResolutionProposed {
        /// What the company did.
        summary: Summary,
        /// What the company changed so it won't happen again.
        prevention: PreventionNote,
    },
    /// `confirmed_solved`: the customer said "yes, it's solved"
    /// ([`State::Solved`]). Only the customer's command produces it.
    ConfirmedSolved,
    /// `reopened`: the customer said "not yet". The ticket is
    /// [`State::InProgress`] with no promise until a rep makes one.
    Reopened {
        /// What is still wrong, in the customer's words.
        reason: Reason,
    },
    /// `make_good_offered`: the company offered a make-good, now pending.
    /// The state does not change.
    MakeGoodOffered {
        /// What the company offers; only the customer accepts or declines it.
        make_good: MakeGood,
    },
    /// `make_good_accepted`: the customer accepted the pending offer.
    MakeGoodAccepted,
    /// `make_good_declined`: the customer declined the pending offer.
    MakeGoodDeclined,
    /// `rated`: the customer rated the recovery, once, after confirming it solved.
    Rated {
        /// The customer's rating.
        rating: Rating,
    },
    /// `promise_missed`: the promise due at `due` passed with no update
    /// (or, for the first-answer promise, with no answer at all). Recorded
    /// by Mend itself; the promise stays in force, marked missed.
    PromiseMissed {
        /// The time the company had promised.
        due: Timestamp,
        /// Whether it was the first-answer promise; on the wire only when true.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        first_answer: bool,
    },
    /// `withdrawn`: the customer no longer needs help ([`State::Withdrawn`]).
    /// A pending make-good lapses.
    Withdrawn,
    /// `ownership_taken`: the rep or manager in `author` took the unowned
    /// ticket as theirs. (The company's first answer makes its author the
    /// owner without an event of its own.) The state does not change.
    OwnershipTaken,
    /// `handed_over`: the ticket's owner, or a manager, gave it to `to`.
    /// The state does not change.
    HandedOver {
        /// Who owned it before; `None` when a manager gave an unowned ticket.
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Colleague>,
        /// Who owns it now.
        to: Colleague,
        /// What the owner told them; absent from what the customer sees.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<HandoverNote>,
    },
    /// `follow_up_asked`: the follow-up's time came after the customer
    /// confirmed the problem solved, and Mend asked them whether the fix
    /// held. Recorded by Mend itself; the ticket stays solved.
    FollowUpAsked,
    /// `follow_up_answered`: the customer's answer to the follow-up. The
    /// ticket stays solved whatever it is; "it came back" opens the ticket
    /// `reopened_as`, with `what_happened` as its report.
    FollowUpAnswered {
        /// Whether the fix held.
        held: bool,
        /// What happened, when it came back.
        #[serde(skip_serializing_if = "Option::is_none")]
        what_happened: Option<WhatHappened>,
        /// The ticket opened for it, when it came back.
        #[serde(skip_serializing_if = "Option::is_none")]
        reopened_as: Option<TicketId>,
    },
}

/// One entry of a ticket's log. `seq` starts at 1 and has no gaps.
///
/// On the wire an event is one flat object: `seq`, `at`, `by`, its `type`
/// and that type's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatEvent")]
pub struct Event {
    /// The event's place in the log: 1 for the report, then one more each
    /// time. Clients resume after the last `seq` they saw.
    pub seq: u64,
    /// When it happened: the `now` given to [`Ticket::open`] or [`Ticket::decide`].
    pub at: Timestamp,
    /// Who gave the command it records.
    pub by: Actor,
    /// The first name of the rep or manager who wrote it, for workspaces
    /// that sign with their people's names. Set by the worker from the key
    /// that acted, never by the core; the company still speaks as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<FirstName>,
    /// The rep or manager who gave the command, as the worker identified
    /// them; the company's only ([`Event::for_customer`] leaves it out).
    /// The first company answer makes them the ticket's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Colleague>,
    /// What happened, with the fields of that kind of event.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// An event as it is read from JSON: every kind's fields side by side.
/// Reading through this flat struct, rather than `flatten` over a tagged
/// enum, spares the widget serde's buffering machinery (a few KB of wasm).
#[derive(Deserialize)]
struct FlatEvent {
    seq: u64,
    at: Timestamp,
    by: Actor,
    signed: Option<FirstName>,
    author: Option<Colleague>,
    #[serde(rename = "type")]
    kind: EventType,
    report: Option<Report>,
    apology: Option<ApologyText>,
    first_answer_by: Option<Timestamp>,
    opens_at: Option<Timestamp>,
    came_back: Option<CameBack>,
    #[serde(default)]
    earlier: Vec<TicketId>,
    text: Option<String>,
    next_update_by: Option<Timestamp>,
    question: Option<QuestionText>,
    escalation: Option<EscalationReason>,
    summary: Option<Summary>,
    prevention: Option<PreventionNote>,
    reason: Option<Reason>,
    make_good: Option<MakeGood>,
    rating: Option<Rating>,
    due: Option<Timestamp>,
    first_answer: Option<bool>,
    from: Option<Colleague>,
    to: Option<Colleague>,
    note: Option<HandoverNote>,
    held: Option<bool>,
    what_happened: Option<WhatHappened>,
    reopened_as: Option<TicketId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventType {
    Reported,
    MessageAdded,
    Updated,
    QuestionAsked,
    Escalated,
    ResolutionProposed,
    ConfirmedSolved,
    Reopened,
    MakeGoodOffered,
    MakeGoodAccepted,
    MakeGoodDeclined,
    Rated,
    PromiseMissed,
    Withdrawn,
    OwnershipTaken,
    HandedOver,
    FollowUpAsked,
    FollowUpAnswered,
}

impl TryFrom<FlatEvent> for Event {
    type Error = String;

    fn try_from(flat: FlatEvent) -> Result<Self, String> {
        fn needs<T>(value: Option<T>, field: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("missing field `{field}`"))
        }
        fn text<T: TryFrom<String, Error = InputError>>(value: Option<String>) -> Result<T, String> {
            T::try_from(needs(value, "text")?).map_err(|e| e.to_string())
        }
        let kind = match flat.kind {
            EventType::Reported => EventKind::Reported {
                report: Box::new(needs(flat.report, "report")?),
                apology: flat.apology,
                first_answer_by: flat.first_answer_by,
                opens_at: flat.opens_at,
                came_back: flat.came_back,
                earlier: flat.earlier,
            },
            EventType::MessageAdded => EventKind::MessageAdded { text: text(flat.text)? },
            EventType::Updated => EventKind::Updated {
                text: text(flat.text)?,
                next_update_by: needs(flat.next_update_by, "next_update_by")?,
            },
            EventType::QuestionAsked => EventKind::QuestionAsked { question: needs(flat.question, "question")? },
            EventType::Escalated => EventKind::Escalated { escalation: needs(flat.escalation, "escalation")? },
            EventType::ResolutionProposed => EventKind::ResolutionProposed {
                summary: needs(flat.summary, "summary")?,
                prevention: needs(flat.prevention, "prevention")?,
            },
            EventType::ConfirmedSolved => EventKind::ConfirmedSolved,
            EventType::Reopened => EventKind::Reopened { reason: needs(flat.reason, "reason")? },
            EventType::MakeGoodOffered => EventKind::MakeGoodOffered { make_good: needs(flat.make_good, "make_good")? },
            EventType::MakeGoodAccepted => EventKind::MakeGoodAccepted,
            EventType::MakeGoodDeclined => EventKind::MakeGoodDeclined,
            EventType::Rated => EventKind::Rated { rating: needs(flat.rating, "rating")? },
            EventType::PromiseMissed => EventKind::PromiseMissed {
                due: needs(flat.due, "due")?,
                first_answer: flat.first_answer.unwrap_or(false),
            },
            EventType::Withdrawn => EventKind::Withdrawn,
            EventType::OwnershipTaken => EventKind::OwnershipTaken,
            EventType::HandedOver => {
                EventKind::HandedOver { from: flat.from, to: needs(flat.to, "to")?, note: flat.note }
            }
            EventType::FollowUpAsked => EventKind::FollowUpAsked,
            EventType::FollowUpAnswered => EventKind::FollowUpAnswered {
                held: needs(flat.held, "held")?,
                what_happened: flat.what_happened,
                reopened_as: flat.reopened_as,
            },
        };
        Ok(Event { seq: flat.seq, at: flat.at, by: flat.by, signed: flat.signed, author: flat.author, kind })
    }
}

impl Event {
    /// This report linked to the `earlier` tickets of the same customer or
    /// order ([`REPEAT_WINDOW_DAYS`]), as the worker found them; any other
    /// event is returned as it is.
    #[must_use]
    pub fn linked_to(mut self, earlier: Vec<TicketId>) -> Event {
        if let EventKind::Reported { earlier: links, .. } = &mut self.kind {
            *links = earlier;
        }
        self
    }

    /// This event as its customer sees it: without who in the company gave
    /// it, a handover's note or the earlier tickets a report is linked to, and with colleagues named only by the first
    /// name the workspace signs with ([`Colleague::for_customer`]).
    pub fn for_customer(&self) -> Event {
        let kind = match &self.kind {
            EventKind::Reported { report, apology, first_answer_by, opens_at, came_back, .. } => EventKind::Reported {
                report: report.clone(),
                apology: apology.clone(),
                first_answer_by: *first_answer_by,
                opens_at: *opens_at,
                came_back: came_back.as_ref().map(|came_back| CameBack {
                    ticket: came_back.ticket.clone(),
                    owner: came_back.owner.as_ref().map(Colleague::for_customer),
                }),
                earlier: Vec::new(),
            },
            EventKind::HandedOver { from, to, .. } => EventKind::HandedOver {
                from: from.as_ref().map(Colleague::for_customer),
                to: to.for_customer(),
                note: None,
            },
            kind => kind.clone(),
        };
        Event { author: None, kind, ..self.clone() }
    }

    /// Whether this event is one of the company's answers to the customer:
    /// a message, an update, a question, a proposal or its own report. The
    /// first answers the report; the first with an author makes them the
    /// ticket's owner.
    pub fn is_company_answer(&self) -> bool {
        self.by.is_company()
            && matches!(
                self.kind,
                EventKind::Reported { .. }
                    | EventKind::MessageAdded { .. }
                    | EventKind::Updated { .. }
                    | EventKind::QuestionAsked { .. }
                    | EventKind::ResolutionProposed { .. }
            )
    }

    /// The company's own words in this event, each named by which text it
    /// is: what the one-voice reviewer reads, the record searches for the
    /// first apology and the console marks. None in the customer's events or
    /// Mend's.
    pub fn company_words(&self) -> Vec<(Wording, &str)> {
        if !self.by.is_company() {
            return Vec::new();
        }
        match &self.kind {
            // The company's own report: its account and its apology.
            EventKind::Reported { report, apology, .. } => {
                std::iter::once((Wording::WhatHappened, report.what_happened.as_str()))
                    .chain(apology.iter().map(|apology| (Wording::Apology, apology.as_str())))
                    .collect()
            }
            EventKind::MessageAdded { text } => vec![(Wording::Text, text.as_str())],
            EventKind::Updated { text, .. } => vec![(Wording::Text, text.as_str())],
            EventKind::QuestionAsked { question } => vec![(Wording::Question, question.as_str())],
            EventKind::ResolutionProposed { summary, prevention } => {
                vec![(Wording::Summary, summary.as_str()), (Wording::Prevention, prevention.as_str())]
            }
            EventKind::MakeGoodOffered { make_good } => {
                make_good.note.iter().map(|note| (Wording::Note, note.as_str())).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Which of the company's texts in an event ([`Event::company_words`]),
/// named as its key in the event's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    /// The company's account in its own report.
    WhatHappened,
    /// The apology in the company's own report.
    Apology,
    /// A message or an update.
    Text,
    /// A question to the customer.
    Question,
    /// A proposed resolution's summary.
    Summary,
    /// A proposed resolution's prevention note.
    Prevention,
    /// A make-good's note.
    Note,
}

impl Wording {
    /// Every text of the company's an event can hold.
    pub const ALL: [Wording; 7] =
        [Self::WhatHappened, Self::Apology, Self::Text, Self::Question, Self::Summary, Self::Prevention, Self::Note];

    /// The text's name on the wire, as serde writes it (a review's `field`).
    pub fn key(self) -> &'static str {
        match self {
            Self::WhatHappened => "what_happened",
            Self::Apology => "apology",
            Self::Text => "text",
            Self::Question => "question",
            Self::Summary => "summary",
            Self::Prevention => "prevention",
            Self::Note => "note",
        }
    }
}

/// A next-update promise: when, and whether Mend recorded it as missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// The latest time the next update comes ("next update by Tue 15:00").
    pub due: Timestamp,
    /// Whether Mend has recorded the promise as missed
    /// ([`EventKind::PromiseMissed`]).
    pub missed: bool,
}

/// Where a ticket stands. Each variant holds only what is true in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The customer has reported; the company has not answered yet.
    Reported {
        /// The first-answer promise: the company answers (a message, an
        /// update, a question or a proposal) by then. `None` for reports
        /// from before Mend made that promise.
        promise: Option<Promise>,
    },
    /// The company has answered for the first time.
    Acknowledged {
        /// The promise made with the first update; `None` when the first
        /// answer was a message.
        promise: Option<Promise>,
    },
    /// The company is working on it. No promise after a reopen, until a rep promises again.
    InProgress {
        /// The promise in force, if any.
        promise: Option<Promise>,
    },
    /// The company asked the customer something. The promise clock is
    /// paused with `remaining_ms` left; it resumes when they answer.
    WaitingOnCustomer {
        /// The open question.
        question: QuestionText,
        /// Milliseconds the paused promise had left when the question was
        /// asked; `None` if there was no promise on time to pause.
        remaining_ms: Option<i64>,
    },
    /// The company says it is fixed and waits for the customer's answer.
    ResolutionProposed {
        /// What the company did.
        summary: Summary,
        /// What the company changed so it won't happen again.
        prevention: PreventionNote,
    },
    /// The customer confirmed the problem is solved. Final.
    Solved,
    /// The customer withdrew the report. Final.
    Withdrawn,
}

/// The name of a [`State`], as the wire and messages say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// `reported`: [`State::Reported`].
    Reported,
    /// `acknowledged`: [`State::Acknowledged`].
    Acknowledged,
    /// `in_progress`: [`State::InProgress`].
    InProgress,
    /// `waiting_on_customer`: [`State::WaitingOnCustomer`].
    WaitingOnCustomer,
    /// `resolution_proposed`: [`State::ResolutionProposed`].
    ResolutionProposed,
    /// `solved`: [`State::Solved`].
    Solved,
    /// `withdrawn`: [`State::Withdrawn`].
    Withdrawn,
}

impl State {
    /// This state's name, without its data.
    pub fn status(&self) -> Status {
        match self {
            State::Reported { .. } => Status::Reported,
            State::Acknowledged { .. } => Status::Acknowledged,
            State::InProgress { .. } => Status::InProgress,
            State::WaitingOnCustomer { .. } => Status::WaitingOnCustomer,
            State::ResolutionProposed { .. } => Status::ResolutionProposed,
            State::Solved => Status::Solved,
            State::Withdrawn => Status::Withdrawn,
        }
    }

    /// Solved and withdrawn tickets are final. After solved, only make-goods
    /// and the customer's rating may follow; after a withdrawal, nothing.
    pub fn is_final(&self) -> bool {
        matches!(self, State::Solved | State::Withdrawn)
    }

    /// The promise in force, if the state carries one.
    pub fn promise(&self) -> Option<Promise> {
        match self {
            State::Reported { promise } | State::Acknowledged { promise } | State::InProgress { promise } => *promise,
            _ => None,
        }
    }
}

impl Status {
    /// The wire name (`in_progress`), as stored beside the ticket in D1.
    pub fn key(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Acknowledged => "acknowledged",
            Status::InProgress => "in_progress",
            Status::WaitingOnCustomer => "waiting_on_customer",
            Status::ResolutionProposed => "resolution_proposed",
            Status::Solved => "solved",
            Status::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Reported => "reported",
            Status::Acknowledged => "acknowledged",
            Status::InProgress => "in progress",
            Status::WaitingOnCustomer => "waiting on the customer",
            Status::ResolutionProposed => "waiting for the customer to confirm a resolution",
            Status::Solved => "solved",
            Status::Withdrawn => "withdrawn",
        })
    }
}

/// Why a command was refused. A rejected command changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// This actor may never give this command (the worker answers 403).
    NotPermitted {
        /// Who gave the command, as the worker identified them.
        actor: Actor,
        /// What they asked to do, which [`CommandKind::permits`] refuses them.
        command: CommandKind,
    },
    /// A rep's make-good above the workspace's cap (403): a manager must offer it.
    NeedsManager {
        /// The workspace's [`rep_cap`](Policy::rep_cap). An offer above it,
        /// or in another currency, needs a manager.
        cap: Money,
    },
    /// The command is not possible in the ticket's current state (409).
    NotNow {
        /// The ticket's status when the command came, which it does not fit.
        status: Status,
        /// The kind of command refused.
        command: CommandKind,
    },
    /// The command conflicts with what already happened (409).
    Conflict(Conflict),
    /// A field of the command is unacceptable (422).
    Invalid(InputError),
    /// Only the company reports a problem it found first (403).
    NotCompany {
        /// Who tried to.
        actor: Actor,
    },
    /// A rep handing over a ticket they do not own (403): its owner or a
    /// manager hands it over.
    NotOwner,
}

/// What already happened that a command conflicts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// An escalation on a ticket already escalated: once is enough.
    AlreadyEscalated,
    /// A make-good offer while another waits for the customer's answer:
    /// one offer at a time.
    OfferPending,
    /// An accept or decline with no make-good waiting for an answer.
    NoOfferPending,
    /// A second rating: the customer rates a recovery once.
    AlreadyRated,
    /// A missed promise to record, but none is past its time: there is no
    /// promise, it is already recorded, or its time has not passed
    /// ("by 10:05" includes 10:05).
    NoPromiseDue,
    /// The log holds [`MAX_EVENTS`] events.
    TicketFull,
    /// Taking a ticket someone already owns: it is handed over, not taken.
    AlreadyOwned,
    /// Handing a ticket to the colleague who already owns it.
    AlreadyTheirs,
    /// Asking the follow-up before its time, or a second time.
    NoFollowUpDue,
    /// Answering a follow-up Mend has not asked.
    NoFollowUpAsked,
    /// Answering the follow-up a second time: the customer answers once.
    FollowUpAnswered,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::NotPermitted { command: CommandKind::ConfirmSolved | CommandKind::NotYet, .. } => f.write_str(
                "Only the customer can say whether the problem is solved. Propose a resolution and wait for their answer.",
            ),
            Rejection::NotPermitted { command: CommandKind::AcceptMakeGood | CommandKind::DeclineMakeGood, .. } => {
                f.write_str("Only the customer can accept or decline a make-good.")
            }
            Rejection::NotPermitted { command: CommandKind::MarkPromiseMissed, .. } => {
                f.write_str("Only Mend itself records a missed promise, when its time has passed.")
            }
            Rejection::NotPermitted { command: CommandKind::Escalate, actor: Actor::Manager } => {
                f.write_str("A manager is already the escalation: reply to the customer instead.")
            }
            Rejection::NotPermitted { command, .. } if command.permits(Actor::Customer) => {
                write!(f, "Only the customer can do this ({}).", command.describe())
            }
            Rejection::NotPermitted { command, .. } => {
                write!(f, "Only the company can do this ({}).", command.describe())
            }
            Rejection::NeedsManager { cap } => {
                write!(f, "Make-goods above {cap} need a manager: escalate, and a manager can make the offer.")
            }
            Rejection::NotNow { status: Status::Solved | Status::Withdrawn, command: CommandKind::AddMessage } => f
                .write_str("This ticket is closed. If something else is wrong, please start a new report."),
            Rejection::NotNow { status, command } => {
                write!(f, "The ticket is {status}, so {} is not possible now.", command.describe())
            }
            Rejection::Conflict(conflict) => f.write_str(match conflict {
                Conflict::AlreadyEscalated => "A manager has already been brought in on this ticket.",
                Conflict::OfferPending => "A make-good is already waiting for the customer's answer.",
                Conflict::NoOfferPending => "There is no make-good waiting for an answer.",
                Conflict::AlreadyRated => "The customer has already rated this recovery.",
                Conflict::NoPromiseDue => "No promise on this ticket is past its time.",
                Conflict::TicketFull => "This ticket is as long as a ticket may be. Please start a new report.",
                Conflict::AlreadyOwned => {
                    "A colleague already looks after this ticket: its owner or a manager can hand it over to you."
                }
                Conflict::AlreadyTheirs => "That colleague already looks after this ticket.",
                Conflict::NoFollowUpDue => "No follow-up on this ticket is due.",
                Conflict::NoFollowUpAsked => "Mend has not asked yet whether the fix held.",
                Conflict::FollowUpAnswered => "You already told us whether the fix held. Thank you.",
            }),
            Rejection::Invalid(err) => err.fmt(f),
            Rejection::NotCompany { .. } => {
                f.write_str("Only a rep or manager can report a problem the company found before its customer did.")
            }
            Rejection::NotOwner => f.write_str(
                "Only the colleague who looks after this ticket, or a manager, can hand it over. Take it first if no one does.",
            ),
        }
    }
}

/// An event log that cannot be a ticket's: it does not start with a
/// report, or its sequence numbers skip or repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogError {
    /// The log has no events.
    Empty,
    /// The first event is not [`EventKind::Reported`].
    NotStartedByReport,
    /// An event's `seq` is not the next number: the first must be 1, each
    /// later one one more than the one before.
    OutOfSequence {
        /// The `seq` the event should have had.
        expected: u64,
        /// The `seq` it had.
        found: u64,
    },
    /// A second [`EventKind::Reported`] event; a ticket has one report.
    SecondReport {
        /// The `seq` of the second report.
        seq: u64,
    },
}

/// What a decision needs besides the ticket: the time, and the workspace's rules.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The time of the decision: the new event's `at`, and what promises
    /// are checked against.
    pub now: Timestamp,
    /// The workspace's make-good policy; its [`rep_cap`](Policy::rep_cap)
    /// bounds what a rep may offer alone.
    pub policy: &'a Policy,
    /// The rep or manager giving the command, as the worker identified
    /// them by their key: the new event's [`author`](Event::author), and
    /// who may take or hand over the ticket. `None` for the customer and
    /// Mend itself.
    pub by: Option<&'a Colleague>,
    /// How long after the customer confirmed the problem solved Mend asks
    /// them whether the fix held ([`Command::AskFollowUp`]).
    pub follow_up_after_ms: i64,
}

impl<'a> Context<'a> {
    /// A decision at `now` under `policy`, by no colleague, following up
    /// [`FOLLOW_UP_DAYS`] after a problem is solved.
    pub fn new(now: Timestamp, policy: &'a Policy) -> Self {
        Context { now, policy, by: None, follow_up_after_ms: i64::from(FOLLOW_UP_DAYS) * DAY_MS }
    }

    /// This context, with the command given by the colleague `by`.
    #[must_use]
    pub fn by(self, by: Option<&'a Colleague>) -> Self {
        Context { by, ..self }
    }

    /// This context, following up `ms` after a problem is solved.
    #[must_use]
    pub fn following_up_after(self, ms: i64) -> Self {
        Context { follow_up_after_ms: ms, ..self }
    }
}

/// The state of a make-good offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    /// `pending`: waiting for the customer's answer. At most one offer on a
    /// ticket is pending at a time.
    Pending,
    /// `accepted`: the customer accepted it.
    Accepted,
    /// `declined`: the customer declined it.
    Declined,
    /// `lapsed`: the customer withdrew the report while the offer was pending.
    Lapsed,
}

/// A make-good offered on this ticket, and the customer's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// What was offered. On the wire its fields (`kind`, `value`, `note`)
    /// sit beside `offered_at` and `status`.
    #[serde(flatten)]
    pub make_good: MakeGood,
    /// When the company made the offer.
    pub offered_at: Timestamp,
    /// Whether the customer has answered, and how.
    pub status: OfferStatus,
}

/// The escalation of a ticket: why, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// Why the rep brought in a manager.
    pub reason: EscalationReason,
    /// When the rep escalated.
    pub at: Timestamp,
}

/// How the company kept its word on this ticket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseLedger {
    /// Promises made: one with every update.
    pub made: u32,
    /// Promises kept, counted when the company next updates or proposes a
    /// resolution: by the promised time, or while a question still holds
    /// the promise paused with time left.
    pub kept: u32,
    /// Promises missed: recorded by Mend when the time passed, or found
    /// late when the company next updated, proposed or asked a question.
    pub missed: u32,
}

/// How the company kept its first-answer promise on a ticket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstAnswer {
    /// `unpromised`: reported before Mend promised first answers.
    #[default]
    Unpromised,
    /// `pending`: promised, not yet answered, and not yet past its time
    /// as far as the log knows.
    Pending,
    /// `kept`: the company's first answer came by the promised time.
    Kept,
    /// `missed`: the time passed first (Mend recorded it, or the answer came late).
    Missed,
}

/// The milestones of a recovery, as the recovery record measures them.
/// (The first apology is read from the text of the log by the record itself:
/// judging text is not the lifecycle's business.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    /// The company's first message, update, question or proposal.
    pub first_response_at: Option<Timestamp>,
    /// The company's first resolution proposal.
    pub first_proposed_at: Option<Timestamp>,
    /// The customer's "yes, it's solved".
    pub solved_at: Option<Timestamp>,
}

/// A ticket: the customer's report and everything its log folds to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    report: Report,
    reported_at: Timestamp,
    state: State,
    first_answer: FirstAnswer,
    found_first: bool,
    last_seq: u64,
    escalation: Option<Escalation>,
    offers: Vec<Offer>,
    rating: Option<Rating>,
    reopened: u32,
    promises: PromiseLedger,
    milestones: Milestones,
    owner: Option<Colleague>,
    handovers: u32,
    answers_by_others: u32,
    follow_up: FollowUp,
    came_back_from: Option<TicketId>,
    earlier: Vec<TicketId>,
}

/// Whether the fix held, as the follow-up after "solved" found out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUp {
    /// `not_asked`: not solved, or the follow-up's time has not come.
    #[default]
    NotAsked,
    /// `asked`: Mend asked and the customer has not answered: no answer,
    /// which is never counted as "held".
    Asked,
    /// `held`: the customer said the fix held.
    Held,
    /// `came_back`: the customer said the problem came back; a new ticket
    /// carries it.
    CameBack,
}

/// Where a ticket opened by "it came back" came from: the solved ticket,
/// and who looked after it, who looks after the new one too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameBack {
    /// The solved ticket the problem came back on.
    pub ticket: TicketId,
    /// Who looked after it; absent if no one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Colleague>,
}

impl Ticket {
    /// The first event of a new ticket: the customer's report, made at
    /// `now`, with the company's first answer promised by `first_answer_by`.
    pub fn open(report: Report, first_answer: Option<FirstAnswerTime>, now: Timestamp) -> Event {
        Event {
            seq: 1,
            at: now,
            by: Actor::Customer,
            signed: None,
            author: None,
            kind: EventKind::Reported {
                report: Box::new(report),
                apology: None,
                first_answer_by: first_answer.map(|time| time.by),
                opens_at: first_answer.and_then(|time| time.opens_at),
                came_back: None,
                earlier: Vec::new(),
            },
        }
    }

    /// The first event of the ticket a problem opens when it came back
    /// after this ticket (`id`) was solved: the customer's `what_happened`,
    /// with this report's order, email and language, made at `now` with
    /// the first answer promised by `first_answer`; whoever looked after
    /// this ticket looks after the new one.
    pub fn came_back(
        &self,
        id: TicketId,
        what_happened: WhatHappened,
        first_answer: Option<FirstAnswerTime>,
        now: Timestamp,
    ) -> Event {
        let old = &self.report;
        let report = Report {
            what_happened,
            how_it_affected_you: None,
            feelings: Vec::new(),
            cost: Harm::default(),
            order_id: old.order_id.clone(),
            order_value: old.order_value,
            contact_email: old.contact_email.clone(),
            locale: old.locale.clone(),
        };
        let mut event = Ticket::open(report, first_answer, now);
        if let EventKind::Reported { came_back, .. } = &mut event.kind {
            *came_back = Some(CameBack { ticket: id, owner: self.owner.clone() });
        }
        event
    }

    /// The first event of a proactive report: the company, in `by`'s
    /// voice, tells the customer what it found (`report`, in its own words)
    /// and apologises, at `now`. Only a rep or manager reports for the company.
    /// The colleague in `author` reports it, and owns the ticket.
    pub fn found(
        report: Report,
        apology: Apology,
        by: Actor,
        author: Option<&Colleague>,
        now: Timestamp,
    ) -> Result<Event, Rejection> {
        if !by.is_company() {
            return Err(Rejection::NotCompany { actor: by });
        }
        let kind = EventKind::Reported {
            report: Box::new(report),
            apology: Some(apology.into()),
            first_answer_by: None,
            opens_at: None,
            came_back: None,
            earlier: Vec::new(),
        };
        Ok(Event { seq: 1, at: now, by, signed: None, author: author.cloned(), kind })
    }

    /// Folds a whole log into the ticket it describes.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<Self, LogError> {
        let mut events = events.into_iter();
        let first = events.next().ok_or(LogError::Empty)?;
        let EventKind::Reported { report, first_answer_by, came_back, earlier, .. } = &first.kind else {
            return Err(LogError::NotStartedByReport);
        };
        if first.seq != 1 {
            return Err(LogError::OutOfSequence { expected: 1, found: first.seq });
        }
        // A proactive report is the company's first answer itself.
        let found_first = first.by.is_company();
        let mut ticket = Ticket {
            report: Report::clone(report),
            reported_at: first.at,
            state: match found_first {
                true => State::Acknowledged { promise: None },
                false => State::Reported { promise: first_answer_by.map(|due| Promise { due, missed: false }) },
            },
            first_answer: if first_answer_by.is_some() { FirstAnswer::Pending } else { FirstAnswer::Unpromised },
            found_first,
            last_seq: 1,
            escalation: None,
            offers: Vec::new(),
            rating: None,
            reopened: 0,
            promises: PromiseLedger::default(),
            milestones: Milestones { first_response_at: found_first.then_some(first.at), ..Milestones::default() },
            owner: match came_back {
                Some(came_back) => came_back.owner.clone(),
                None => first.author.clone().filter(|_| found_first),
            },
            handovers: 0,
            answers_by_others: 0,
            follow_up: FollowUp::NotAsked,
            came_back_from: came_back.as_ref().map(|came_back| came_back.ticket.clone()),
            earlier: earlier.clone(),
        };
        for event in events {
            ticket.apply(event)?;
        }
        Ok(ticket)
    }

    /// Turns `command` by `actor` into the next event, or says why not.
    /// Permission is checked first, then the state, then the fields. The
    /// ticket itself is unchanged until the event is [applied](Self::apply).
    pub fn decide(&self, actor: Actor, command: Command, context: &Context) -> Result<Event, Rejection> {
        let kind = command.kind();
        if !kind.permits(actor) {
            return Err(Rejection::NotPermitted { actor, command: kind });
        }
        if self.last_seq >= MAX_EVENTS && !kind.winds_down() {
            return Err(Rejection::Conflict(Conflict::TicketFull));
        }
        let now = context.now;
        let not_now = Rejection::NotNow { status: self.state.status(), command: kind };
        let open = !self.state.is_final();
        let event = match (&self.state, command) {
            (_, Command::AddMessage { text }) if open => EventKind::MessageAdded { text },
            (
                State::Reported { .. }
                | State::Acknowledged { .. }
                | State::InProgress { .. }
                | State::WaitingOnCustomer { .. },
                Command::PostUpdate { text, next_update_by },
            ) => {
                check_promise(next_update_by, now)?;
                EventKind::Updated { text, next_update_by }
            }
            (
                State::Reported { .. }
                | State::Acknowledged { .. }
                | State::InProgress { .. }
                | State::WaitingOnCustomer { .. },
                Command::AskQuestion { question },
            ) => EventKind::QuestionAsked { question },
            (_, Command::Escalate { reason }) if open => match self.escalation {
                Some(_) => return Err(Rejection::Conflict(Conflict::AlreadyEscalated)),
                None => EventKind::Escalated { escalation: reason },
            },
            (
                State::Reported { .. }
                | State::Acknowledged { .. }
                | State::InProgress { .. }
                | State::WaitingOnCustomer { .. },
                Command::ProposeResolution { summary, prevention },
            ) => EventKind::ResolutionProposed { summary, prevention },
            (State::ResolutionProposed { .. }, Command::ConfirmSolved) => EventKind::ConfirmedSolved,
            (State::ResolutionProposed { .. }, Command::NotYet { reason }) => EventKind::Reopened { reason },
            (state, Command::OfferMakeGood(make_good)) if *state != State::Withdrawn => {
                if self.pending_offer().is_some() {
                    return Err(Rejection::Conflict(Conflict::OfferPending));
                }
                if make_good.value.minor_units == 0 {
                    return Err(Rejection::Invalid(InputError::new(
                        Field::Amount,
                        Problem::Malformed { expected: "more than nothing: a make-good of zero is no make-good" },
                    )));
                }
                if actor == Actor::Rep && make_good::needs_manager(context.policy, make_good.value) {
                    return Err(Rejection::NeedsManager { cap: context.policy.rep_cap });
                }
                EventKind::MakeGoodOffered { make_good }
            }
            (state, Command::AcceptMakeGood | Command::DeclineMakeGood) if *state != State::Withdrawn => {
                if self.pending_offer().is_none() {
                    return Err(Rejection::Conflict(Conflict::NoOfferPending));
                }
                if kind == CommandKind::AcceptMakeGood {
                    EventKind::MakeGoodAccepted
                } else {
                    EventKind::MakeGoodDeclined
                }
            }
            (State::Solved, Command::Rate(rating)) => match self.rating {
                Some(_) => return Err(Rejection::Conflict(Conflict::AlreadyRated)),
                None => EventKind::Rated { rating },
            },
            (_, Command::MarkPromiseMissed) => match self.state.promise() {
                // "By 10:05" includes 10:05: missed only once the time has passed.
                Some(promise) if !promise.missed && promise.due < now => EventKind::PromiseMissed {
                    due: promise.due,
                    first_answer: matches!(self.state, State::Reported { .. }),
                },
                _ => return Err(Rejection::Conflict(Conflict::NoPromiseDue)),
            },
            (_, Command::Withdraw) if open => EventKind::Withdrawn,
            (_, Command::TakeOwnership) if open => match (&self.owner, context.by) {
                (Some(_), _) => return Err(Rejection::Conflict(Conflict::AlreadyOwned)),
                (None, Some(_)) => EventKind::OwnershipTaken,
                // Ownership is a person's: a company actor the worker named no one for takes nothing.
                (None, None) => return Err(Rejection::NotOwner),
            },
            (_, Command::HandOver { to, note }) if open => {
                let owns = matches!((&self.owner, context.by), (Some(owner), Some(me)) if owner.is(me));
                if actor == Actor::Rep && !owns {
                    return Err(Rejection::NotOwner);
                }
                if self.owner.as_ref().is_some_and(|owner| owner.is(&to)) {
                    return Err(Rejection::Conflict(Conflict::AlreadyTheirs));
                }
                EventKind::HandedOver { from: self.owner.clone(), to, note: Some(note) }
            }
            (State::Solved, Command::AskFollowUp) => match self.follow_up_due(context.follow_up_after_ms) {
                Some(due) if due <= now => EventKind::FollowUpAsked,
                _ => return Err(Rejection::Conflict(Conflict::NoFollowUpDue)),
            },
            (State::Solved, Command::AnswerFollowUp(answer)) => match (self.follow_up, answer) {
                (FollowUp::NotAsked, _) => return Err(Rejection::Conflict(Conflict::NoFollowUpAsked)),
                (FollowUp::Held | FollowUp::CameBack, _) => {
                    return Err(Rejection::Conflict(Conflict::FollowUpAnswered));
                }
                (FollowUp::Asked, FollowUpAnswer::Held) => {
                    EventKind::FollowUpAnswered { held: true, what_happened: None, reopened_as: None }
                }
                (FollowUp::Asked, FollowUpAnswer::CameBack { what_happened, reopened_as }) => {
                    EventKind::FollowUpAnswered { held: false, what_happened: Some(what_happened), reopened_as }
                }
            },
            (_, _) => return Err(not_now),
        };
        let author = context.by.filter(|_| actor.is_company()).cloned();
        Ok(Event { seq: self.last_seq + 1, at: now, by: actor, signed: None, author, kind: event })
    }

    /// The kinds of command `actor` may give now: those of which a
    /// well-formed instance ([`CommandKind::example`]) would be accepted by
    /// [`decide`](Self::decide) at `context.now`. A shell offers an actor
    /// exactly these and works out nothing of its own; a kind left out is
    /// refused however its fields are filled.
    pub fn allowed(&self, actor: Actor, context: &Context) -> Vec<CommandKind> {
        CommandKind::ALL.into_iter().filter(|kind| self.decide(actor, kind.example(context), context).is_ok()).collect()
    }

    /// Appends an event already in the log (or just decided) to this ticket.
    /// It trusts the log: permissions were checked when the event was decided.
    pub fn apply(&mut self, event: &Event) -> Result<(), LogError> {
        let expected = self.last_seq + 1;
        if event.seq != expected {
            return Err(LogError::OutOfSequence { expected, found: event.seq });
        }
        let at = event.at;
        if event.is_company_answer() {
            self.milestones.first_response_at.get_or_insert(at);
            match (&self.owner, &event.author) {
                (None, Some(author)) => self.owner = Some(author.clone()),
                (Some(owner), Some(author)) if !owner.is(author) => self.answers_by_others += 1,
                _ => {}
            }
        }
        let state = std::mem::replace(&mut self.state, State::Withdrawn);
        self.state = match (&event.kind, state) {
            (EventKind::Reported { .. }, state) => {
                self.state = state;
                return Err(LogError::SecondReport { seq: event.seq });
            }
            (EventKind::MessageAdded { .. }, State::Reported { promise }) if event.by.is_company() => {
                self.settle_first_answer(promise, at);
                State::Acknowledged { promise: None }
            }
            (EventKind::MessageAdded { .. }, State::WaitingOnCustomer { remaining_ms, .. })
                if event.by == Actor::Customer =>
            {
                let promise = remaining_ms.map(|ms| Promise { due: at.plus_millis(ms), missed: false });
                State::InProgress { promise }
            }
            (EventKind::Updated { next_update_by, .. }, state) => {
                self.settle_promise(&state, at);
                self.promises.made += 1;
                let promise = Some(Promise { due: *next_update_by, missed: false });
                match state {
                    State::Reported { .. } => State::Acknowledged { promise },
                    _ => State::InProgress { promise },
                }
            }
            (EventKind::QuestionAsked { question }, state) => {
                let remaining_ms = match &state {
                    // The question is the first answer: nothing to pause.
                    State::Reported { promise } => {
                        self.settle_first_answer(*promise, at);
                        None
                    }
                    State::WaitingOnCustomer { remaining_ms, .. } => *remaining_ms,
                    other => match other.promise() {
                        Some(Promise { due, missed: false }) if at <= due => Some(due.millis_since(at)),
                        // Already past its time: a question cannot hide the miss.
                        Some(Promise { missed: false, .. }) => {
                            self.promises.missed += 1;
                            None
                        }
                        _ => None,
                    },
                };
                State::WaitingOnCustomer { question: question.clone(), remaining_ms }
            }
            (EventKind::ResolutionProposed { summary, prevention }, state) => {
                self.settle_promise(&state, at);
                self.milestones.first_proposed_at.get_or_insert(at);
                State::ResolutionProposed { summary: summary.clone(), prevention: prevention.clone() }
            }
            (EventKind::ConfirmedSolved, _) => {
                self.milestones.solved_at = Some(at);
                State::Solved
            }
            (EventKind::Reopened { .. }, _) => {
                self.reopened += 1;
                State::InProgress { promise: None }
            }
            (EventKind::PromiseMissed { .. }, State::Reported { promise: Some(p) }) => {
                self.first_answer = FirstAnswer::Missed;
                State::Reported { promise: Some(Promise { missed: true, ..p }) }
            }
            (EventKind::PromiseMissed { .. }, State::Acknowledged { promise: Some(p) }) => {
                self.promises.missed += 1;
                State::Acknowledged { promise: Some(Promise { missed: true, ..p }) }
            }
            (EventKind::PromiseMissed { .. }, State::InProgress { promise: Some(p) }) => {
                self.promises.missed += 1;
                State::InProgress { promise: Some(Promise { missed: true, ..p }) }
            }
            (EventKind::Escalated { escalation }, state) => {
                self.escalation = Some(Escalation { reason: *escalation, at });
                state
            }
            (EventKind::MakeGoodOffered { make_good }, state) => {
                self.offers.push(Offer { make_good: make_good.clone(), offered_at: at, status: OfferStatus::Pending });
                state
            }
            (EventKind::MakeGoodAccepted | EventKind::MakeGoodDeclined, state) => {
                let answer = if event.kind == EventKind::MakeGoodAccepted {
                    OfferStatus::Accepted
                } else {
                    OfferStatus::Declined
                };
                if let Some(offer) = self.offers.iter_mut().rev().find(|o| o.status == OfferStatus::Pending) {
                    offer.status = answer;
                }
                state
            }
            (EventKind::Rated { rating }, state) => {
                self.rating = Some(rating.clone());
                state
            }
            (EventKind::OwnershipTaken, state) => {
                self.owner = event.author.clone();
                state
            }
            (EventKind::HandedOver { to, .. }, state) => {
                self.owner = Some(to.clone());
                self.handovers += 1;
                state
            }
            (EventKind::FollowUpAsked, state) => {
                self.follow_up = FollowUp::Asked;
                state
            }
            (EventKind::FollowUpAnswered { held, .. }, state) => {
                self.follow_up = if *held { FollowUp::Held } else { FollowUp::CameBack };
                state
            }
            (EventKind::Withdrawn, _) => {
                for offer in self.offers.iter_mut().filter(|o| o.status == OfferStatus::Pending) {
                    offer.status = OfferStatus::Lapsed;
                }
                State::Withdrawn
            }
            (_, state) => state,
        };
        self.last_seq = event.seq;
        Ok(())
    }

    /// The company's first answer, at `at`, keeps the first-answer
    /// `promise` or misses it; one Mend already recorded missed stays so.
    fn settle_first_answer(&mut self, promise: Option<Promise>, at: Timestamp) {
        if let Some(Promise { due, missed: false }) = promise {
            self.first_answer = if at <= due { FirstAnswer::Kept } else { FirstAnswer::Missed };
        }
    }

    /// Counts the promise in `state` as kept or missed when the company
    /// updates or proposes at `at`: the first-answer promise while the
    /// ticket is new, otherwise the next-update promise. One already
    /// recorded as missed is not counted twice; one paused by a question
    /// had time left, so it is kept.
    fn settle_promise(&mut self, state: &State, at: Timestamp) {
        if let State::Reported { promise } = state {
            return self.settle_first_answer(*promise, at);
        }
        match (state, state.promise()) {
            (State::WaitingOnCustomer { remaining_ms: Some(_), .. }, _) => self.promises.kept += 1,
            (_, Some(Promise { missed: true, .. }) | None) => {}
            (_, Some(Promise { due, .. })) if at <= due => self.promises.kept += 1,
            (_, Some(_)) => self.promises.missed += 1,
        }
    }

    /// How the first-answer promise stands.
    pub fn first_answer(&self) -> FirstAnswer {
        self.first_answer
    }

    /// Whether the company found the problem and reported it before the
    /// customer did (a proactive report).
    pub fn found_first(&self) -> bool {
        self.found_first
    }

    /// Who looks after the ticket: the author of the company's first
    /// answer, unless a colleague took it first, until a handover.
    pub fn owner(&self) -> Option<&Colleague> {
        self.owner.as_ref()
    }

    /// Whether the fix held, as far as the follow-up found out.
    pub fn follow_up(&self) -> FollowUp {
        self.follow_up
    }

    /// When Mend is to ask whether the fix held, `after_ms` after the
    /// customer confirmed it solved: only while it is solved and not asked.
    pub fn follow_up_due(&self, after_ms: i64) -> Option<Timestamp> {
        match (&self.state, self.follow_up, self.milestones.solved_at) {
            (State::Solved, FollowUp::NotAsked, Some(solved)) => Some(solved.plus_millis(after_ms)),
            _ => None,
        }
    }

    /// The solved ticket this one's problem came back on, if it did.
    pub fn came_back_from(&self) -> Option<&TicketId> {
        self.came_back_from.as_ref()
    }

    /// The same customer's or order's earlier tickets this report is
    /// linked to, newest first: a repeat report when there are any.
    pub fn earlier(&self) -> &[TicketId] {
        &self.earlier
    }

    /// How often the ticket was handed over.
    pub fn handovers(&self) -> u32 {
        self.handovers
    }

    /// How many of the company's answers came from someone other than
    /// the ticket's owner at the time.
    pub fn answers_by_others(&self) -> u32 {
        self.answers_by_others
    }

    /// Where the ticket stands now.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// What the customer reported; nothing in the log changes it.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// When the customer reported the problem: the first event's time.
    pub fn reported_at(&self) -> Timestamp {
        self.reported_at
    }

    /// The sequence number of the last event applied.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// The promise in force: when the customer was told the next update comes.
    pub fn promise(&self) -> Option<Promise> {
        self.state.promise()
    }

    /// When the next update is due, if a promise is in force.
    pub fn next_update_by(&self) -> Option<Timestamp> {
        self.promise().map(|p| p.due)
    }

    /// When Mend must next check on this ticket: the time of a promise not
    /// yet kept or missed. The worker sets its alarm here.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.promise().filter(|p| !p.missed).map(|p| p.due)
    }

    /// When the ticket's object must wake: the earliest of the first
    /// instant at which the promise in force counts as missed (just after
    /// its time: "by 10:05" includes 10:05), the follow-up's time,
    /// `follow_up_after_ms` after the problem was solved, and `outbox_due`,
    /// when the object's outbox next has work to try (see
    /// [`crate::outbox`]). The object has one alarm, set here.
    pub fn alarm_at(&self, outbox_due: Option<Timestamp>, follow_up_after_ms: i64) -> Option<Timestamp> {
        let missed_at = self.next_deadline().map(|due| due.plus_millis(1));
        [missed_at, self.follow_up_due(follow_up_after_ms), outbox_due].into_iter().flatten().min()
    }

    /// The escalation, if a rep brought in a manager (at most once per ticket).
    pub fn escalation(&self) -> Option<Escalation> {
        self.escalation
    }

    /// Every make-good offered, oldest first, each with the customer's answer.
    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }

    /// The make-good waiting for the customer's answer.
    pub fn pending_offer(&self) -> Option<&Offer> {
        self.offers.iter().find(|o| o.status == OfferStatus::Pending)
    }

    /// The customer's rating, once they have given it.
    pub fn rating(&self) -> Option<&Rating> {
        self.rating.as_ref()
    }

    /// How often the customer said "not yet".
    pub fn reopened(&self) -> u32 {
        self.reopened
    }

    /// How many next-update promises the company made, kept and missed.
    pub fn promises(&self) -> PromiseLedger {
        self.promises
    }

    /// When the company first responded and first proposed a resolution,
    /// and when the customer confirmed it solved.
    pub fn milestones(&self) -> Milestones {
        self.milestones
    }

    /// Where this ticket belongs in the rep queue: lower is more urgent.
    pub fn risk(&self, now: Timestamp) -> RiskKey {
        self.standing().risk(now)
    }

    /// What the rep queue needs to know of this ticket, small enough to
    /// keep beside it in a listing.
    pub fn standing(&self) -> Standing {
        Standing {
            status: self.state.status(),
            promise: self.state.promise(),
            reported_at: self.reported_at,
            escalated: self.escalation.is_some(),
            owner: self.owner.clone(),
            came_back: self.came_back_from.is_some(),
            repeat: !self.earlier.is_empty(),
        }
    }
}

/// Where a ticket stands, as the rep queue sorts and filters it. The worker
/// keeps it beside the ticket in D1 after every event, so the queue is one
/// query and the order is still the core's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The ticket's state, by name.
    pub status: Status,
    /// The promise in force, if any.
    pub promise: Option<Promise>,
    /// When the customer reported the problem.
    pub reported_at: Timestamp,
    /// Whether a rep brought in a manager.
    pub escalated: bool,
    /// Who looks after the ticket, if anyone does yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Colleague>,
    /// Whether the problem came back after a ticket was solved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub came_back: bool,
    /// Whether the same customer or order reported before
    /// ([`REPEAT_WINDOW_DAYS`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeat: bool,
}

impl Standing {
    /// Whether the colleague with key `key_id` looks after the ticket.
    pub fn owned_by(&self, key_id: &str) -> bool {
        self.owner.as_ref().and_then(|owner| owner.key_id.as_deref()) == Some(key_id)
    }

    /// Where the ticket belongs in the rep queue at `now`: lower is more urgent.
    pub fn risk(&self, now: Timestamp) -> RiskKey {
        let tier = |tier| RiskKey { tier, at: self.reported_at };
        match (self.status, self.promise) {
            (Status::Solved | Status::Withdrawn, _) => tier(RiskTier::Closed),
            // A fix that did not hold comes first, until the company answers it.
            (Status::Reported, _) if self.came_back => tier(RiskTier::CameBack),
            (_, Some(p)) if p.missed || p.due <= now.plus_minutes(AT_RISK_MINUTES) => {
                RiskKey { tier: RiskTier::PromiseAtRisk, at: p.due }
            }
            // A new report waits for its first answer, whatever was promised.
            (Status::Reported, Some(_)) => tier(RiskTier::Unanswered),
            (_, Some(p)) => RiskKey { tier: RiskTier::Promised, at: p.due },
            (Status::Reported | Status::Acknowledged | Status::InProgress, None) => tier(RiskTier::Unanswered),
            (Status::WaitingOnCustomer | Status::ResolutionProposed, None) => tier(RiskTier::WithCustomer),
        }
    }
}

/// How urgent a ticket is for the company, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskTier {
    /// A problem that came back after it was solved, not answered yet.
    CameBack,
    /// A promise missed, or due within [`AT_RISK_MINUTES`] (a first-answer
    /// promise included).
    PromiseAtRisk,
    /// The customer is waiting for a first answer, or no promise covers
    /// them (reopened).
    Unanswered,
    /// A promise is in force and not yet at risk.
    Promised,
    /// The ball is with the customer (a question, a proposed resolution).
    WithCustomer,
    /// Solved or withdrawn.
    Closed,
}

/// The rep queue's ordering key: by tier, then by time (earliest first:
/// the soonest due promise, the oldest unanswered report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RiskKey {
    /// How urgent the ticket is; compared first.
    pub tier: RiskTier,
    /// Within a tier: the promise's time for [`RiskTier::PromiseAtRisk`] and
    /// [`RiskTier::Promised`], otherwise when the problem was reported.
    pub at: Timestamp,
}

fn check_promise(next_update_by: Timestamp, now: Timestamp) -> Result<(), Rejection> {
    let expected = if next_update_by <= now {
        "a time in the future"
    } else if next_update_by > now.plus_minutes(PROMISE_HORIZON_DAYS * 24 * 60) {
        WITHIN_HORIZON
    } else {
        return Ok(());
    };
    Err(Rejection::Invalid(InputError::new(Field::NextUpdateBy, Problem::Malformed { expected })))
}
