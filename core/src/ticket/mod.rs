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

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::hours::FirstAnswerTime;
use crate::input::{Apology, Field, InputError, Problem, TicketId, WhatHappened};
use crate::make_good::{self, Policy};

/// The one place the promise horizon's number is written, so the constant
/// and the words that refuse a later promise cannot drift apart.
macro_rules! promise_horizon_days {
    () => {
        14
    };
}

mod actor;
mod command;
mod event;
mod rejection;
mod report;
mod standing;
mod state;

pub use actor::*;
pub use command::*;
pub use event::*;
pub use rejection::*;
pub use report::*;
pub use standing::*;
pub use state::*;

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
            order_id: old.order_id.clone(),
            order_value: old.order_value,
            contact_email: old.contact_email.clone(),
            locale: old.locale.clone(),
            ..Report::of(what_happened)
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
