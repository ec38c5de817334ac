//! The ticket lifecycle: who may do what, in which state.
//!
//! A ticket is an append-only log of [`Event`]s numbered 1, 2, 3, …; its
//! [`State`] is a fold over that log. A [`Command`] from an [`Actor`]
//! either becomes the next event ([`Ticket::decide`]) or is refused with a
//! [`Rejection`] that leaves the ticket untouched.
//!
//! The rule Mend is built on: **only the customer can say a problem is
//! solved.** Reps propose a resolution; the customer answers "yes"
//! ([`Command::ConfirmSolved`]) or "not yet" with a reason
//! ([`Command::NotYet`], which reopens the ticket). Nothing ever becomes
//! solved on silence.
//!
//! ```text
//! reported ──update──▶ in progress ──propose──▶ resolution proposed ──yes──▶ solved
//!    │                    ▲  │ update                 │
//!    └──────propose───────┼──┘                        │
//!                         └────────not yet (reason)───┘
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{
    Field, Impact, InputError, OrderId, PreventionNote, Problem, Reason, Summary, UpdateText, WhatHappened,
};

/// The furthest ahead a next-update promise may be made. A promise further
/// out than this is no promise to a waiting customer.
pub const PROMISE_HORIZON_DAYS: i64 = 14;

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

/// What the customer told the company when they reported the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub what_happened: WhatHappened,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_it_affected_you: Option<Impact>,
    /// The host page's order reference, when the page gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
}

/// Something an actor asks to do to an existing ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Tell the customer where things stand, promising when the next update comes.
    PostUpdate { text: UpdateText, next_update_by: Timestamp },
    /// Say the problem is fixed, what was done and what changed so it won't recur.
    ProposeResolution { summary: Summary, prevention: PreventionNote },
    /// The customer's "yes, this is solved for me".
    ConfirmSolved,
    /// The customer's "not yet", with the reason; reopens the ticket.
    NotYet { reason: Reason },
}

/// The kinds of [`Command`], for permission checks and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    PostUpdate,
    ProposeResolution,
    ConfirmSolved,
    NotYet,
}

impl CommandKind {
    /// Every command kind, for tables that must cover them all.
    pub const ALL: [CommandKind; 4] =
        [CommandKind::PostUpdate, CommandKind::ProposeResolution, CommandKind::ConfirmSolved, CommandKind::NotYet];

    /// Whether `actor` may ever give this command, whatever the state.
    pub fn permits(self, actor: Actor) -> bool {
        match self {
            CommandKind::PostUpdate | CommandKind::ProposeResolution => matches!(actor, Actor::Rep | Actor::Manager),
            CommandKind::ConfirmSolved | CommandKind::NotYet => actor == Actor::Customer,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CommandKind::PostUpdate => "posting an update",
            CommandKind::ProposeResolution => "proposing a resolution",
            CommandKind::ConfirmSolved => "confirming the problem is solved",
            CommandKind::NotYet => "saying the problem is not solved yet",
        }
    }
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::PostUpdate { .. } => CommandKind::PostUpdate,
            Command::ProposeResolution { .. } => CommandKind::ProposeResolution,
            Command::ConfirmSolved => CommandKind::ConfirmSolved,
            Command::NotYet { .. } => CommandKind::NotYet,
        }
    }
}

/// What happened to a ticket, as recorded in its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Reported { report: Report },
    Updated { text: UpdateText, next_update_by: Timestamp },
    ResolutionProposed { summary: Summary, prevention: PreventionNote },
    ConfirmedSolved,
    Reopened { reason: Reason },
}

/// One entry of a ticket's log. `seq` starts at 1 and has no gaps.
///
/// On the wire an event is one flat object: `seq`, `at`, `by`, its `type`
/// and that type's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatEvent")]
pub struct Event {
    pub seq: u64,
    pub at: Timestamp,
    pub by: Actor,
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
    #[serde(rename = "type")]
    kind: EventType,
    report: Option<Report>,
    text: Option<UpdateText>,
    next_update_by: Option<Timestamp>,
    summary: Option<Summary>,
    prevention: Option<PreventionNote>,
    reason: Option<Reason>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventType {
    Reported,
    Updated,
    ResolutionProposed,
    ConfirmedSolved,
    Reopened,
}

impl TryFrom<FlatEvent> for Event {
    type Error = String;

    fn try_from(flat: FlatEvent) -> Result<Self, String> {
        fn needs<T>(value: Option<T>, field: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("missing field `{field}`"))
        }
        let kind = match flat.kind {
            EventType::Reported => EventKind::Reported { report: needs(flat.report, "report")? },
            EventType::Updated => EventKind::Updated {
                text: needs(flat.text, "text")?,
                next_update_by: needs(flat.next_update_by, "next_update_by")?,
            },
            EventType::ResolutionProposed => EventKind::ResolutionProposed {
                summary: needs(flat.summary, "summary")?,
                prevention: needs(flat.prevention, "prevention")?,
            },
            EventType::ConfirmedSolved => EventKind::ConfirmedSolved,
            EventType::Reopened => EventKind::Reopened { reason: needs(flat.reason, "reason")? },
        };
        Ok(Event { seq: flat.seq, at: flat.at, by: flat.by, kind })
    }
}

/// Where a ticket stands. Each variant holds only what is true in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The customer has reported; the company has not answered yet.
    Reported,
    /// The company is working on it. `next_update_by` is the promise in
    /// force; `None` after a reopen, until a rep promises again.
    InProgress { next_update_by: Option<Timestamp> },
    /// The company says it is fixed and waits for the customer's answer.
    ResolutionProposed { summary: Summary, prevention: PreventionNote },
    /// The customer confirmed the problem is solved. Final.
    Solved,
}

/// The name of a [`State`], as the wire and messages say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Reported,
    InProgress,
    ResolutionProposed,
    Solved,
}

impl State {
    pub fn status(&self) -> Status {
        match self {
            State::Reported => Status::Reported,
            State::InProgress { .. } => Status::InProgress,
            State::ResolutionProposed { .. } => Status::ResolutionProposed,
            State::Solved => Status::Solved,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Reported => "reported",
            Status::InProgress => "in progress",
            Status::ResolutionProposed => "waiting for the customer to confirm a resolution",
            Status::Solved => "solved",
        })
    }
}

/// Why a command was refused. A rejected command changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// This actor may never give this command (the worker answers 403).
    NotPermitted { actor: Actor, command: CommandKind },
    /// The command is not possible in the ticket's current state (409).
    NotNow { status: Status, command: CommandKind },
    /// A field of the command is unacceptable (422).
    Invalid(InputError),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::NotPermitted { command: CommandKind::ConfirmSolved | CommandKind::NotYet, .. } => f.write_str(
                "Only the customer can say whether the problem is solved. Propose a resolution and wait for their answer.",
            ),
            Rejection::NotPermitted { command, .. } => {
                write!(f, "Only the company's reps can do this ({}).", command.describe())
            }
            Rejection::NotNow { status, command } => {
                let what = command.describe();
                write!(f, "The ticket is {status}, so {what} is not possible now.")
            }
            Rejection::Invalid(err) => err.fmt(f),
        }
    }
}

/// An event log that cannot be a ticket's: it does not start with a
/// report, or its sequence numbers skip or repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogError {
    Empty,
    NotStartedByReport,
    OutOfSequence { expected: u64, found: u64 },
    SecondReport { seq: u64 },
}

/// A ticket: the customer's report and the state its log folds to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    report: Report,
    reported_at: Timestamp,
    state: State,
    last_seq: u64,
}

impl Ticket {
    /// The first event of a new ticket: the customer's report.
    pub fn open(report: Report, now: Timestamp) -> Event {
        Event { seq: 1, at: now, by: Actor::Customer, kind: EventKind::Reported { report } }
    }

    /// Folds a whole log into the ticket it describes.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<Self, LogError> {
        let mut events = events.into_iter();
        let first = events.next().ok_or(LogError::Empty)?;
        let EventKind::Reported { report } = &first.kind else {
            return Err(LogError::NotStartedByReport);
        };
        if first.seq != 1 {
            return Err(LogError::OutOfSequence { expected: 1, found: first.seq });
        }
        let mut ticket = Ticket { report: report.clone(), reported_at: first.at, state: State::Reported, last_seq: 1 };
        for event in events {
            ticket.apply(event)?;
        }
        Ok(ticket)
    }

    /// Turns `command` by `actor` at `now` into the next event, or says why not.
    /// The ticket itself is unchanged until the event is [applied](Self::apply).
    pub fn decide(&self, actor: Actor, command: Command, now: Timestamp) -> Result<Event, Rejection> {
        let kind = command.kind();
        if !kind.permits(actor) {
            return Err(Rejection::NotPermitted { actor, command: kind });
        }
        let not_now = Rejection::NotNow { status: self.state.status(), command: kind };
        let event = match (&self.state, command) {
            (State::Reported | State::InProgress { .. }, Command::PostUpdate { text, next_update_by }) => {
                check_promise(next_update_by, now)?;
                EventKind::Updated { text, next_update_by }
            }
            (State::Reported | State::InProgress { .. }, Command::ProposeResolution { summary, prevention }) => {
                EventKind::ResolutionProposed { summary, prevention }
            }
            (State::ResolutionProposed { .. }, Command::ConfirmSolved) => EventKind::ConfirmedSolved,
            (State::ResolutionProposed { .. }, Command::NotYet { reason }) => EventKind::Reopened { reason },
            (_, _) => return Err(not_now),
        };
        Ok(Event { seq: self.last_seq + 1, at: now, by: actor, kind: event })
    }

    /// Appends an event already in the log (or just decided) to this ticket.
    pub fn apply(&mut self, event: &Event) -> Result<(), LogError> {
        let expected = self.last_seq + 1;
        if event.seq != expected {
            return Err(LogError::OutOfSequence { expected, found: event.seq });
        }
        self.state = match &event.kind {
            EventKind::Reported { .. } => return Err(LogError::SecondReport { seq: event.seq }),
            EventKind::Updated { next_update_by, .. } => State::InProgress { next_update_by: Some(*next_update_by) },
            EventKind::ResolutionProposed { summary, prevention } => {
                State::ResolutionProposed { summary: summary.clone(), prevention: prevention.clone() }
            }
            EventKind::ConfirmedSolved => State::Solved,
            EventKind::Reopened { .. } => State::InProgress { next_update_by: None },
        };
        self.last_seq = event.seq;
        Ok(())
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    pub fn reported_at(&self) -> Timestamp {
        self.reported_at
    }

    /// The sequence number of the last event applied.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// The promise in force: when the customer was told the next update comes.
    pub fn next_update_by(&self) -> Option<Timestamp> {
        match self.state {
            State::InProgress { next_update_by } => next_update_by,
            _ => None,
        }
    }
}

fn check_promise(next_update_by: Timestamp, now: Timestamp) -> Result<(), Rejection> {
    let expected = if next_update_by <= now {
        "a time in the future"
    } else if next_update_by > now.plus_minutes(PROMISE_HORIZON_DAYS * 24 * 60) {
        "at most 14 days from now"
    } else {
        return Ok(());
    };
    Err(Rejection::Invalid(InputError::new(Field::NextUpdateBy, Problem::Malformed { expected })))
}
