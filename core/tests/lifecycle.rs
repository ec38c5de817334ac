//! The ticket lifecycle, tested from outside the crate: the full (state × command × actor) table written
//! out as data, the named rules Mend is built on (only the customer says "solved", promises are kept or
//! missed, one make-good at a time, …), and properties that hold for any sequence of commands.

use std::collections::HashSet;

use mend_core::clock::Timestamp;
use mend_core::hours::FirstAnswerTime;
use mend_core::input::{
    Comment, ContactEmail, Field, FirstName, HandoverNote, Impact, InputError, KeyLabel, MessageText, Note, OrderId,
    PreventionNote, Problem, QuestionText, Reason, Score, Summary, TicketId, UpdateText, WhatHappened,
};
use mend_core::make_good::{Harm, MakeGoodKind, Policy};
use mend_core::money::{Currency, Money};
use mend_core::outbox;
use mend_core::ticket::{
    Actor, Colleague, Command, CommandKind, Conflict, Context, EscalationReason, Event, EventKind, Feeling,
    FirstAnswer, FollowUp, FollowUpAnswer, LogError, MakeGood, OfferStatus, Promise, PromiseLedger, Rating, Rejection,
    Report, RiskKey, RiskTier, State, Status, Ticket, Wording,
};
use proptest::prelude::*;
use serde_json::json;

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// A week, in milliseconds: when these tests have Mend ask whether a fix held.
const FOLLOW_UP_MS: i64 = 7 * 24 * 3_600_000;

/// Fourteen days, in minutes, written out rather than taken from the code.
const HORIZON_MINUTES: i64 = 14 * 24 * 60;

/// The standard policy's rep cap, $250, in cents, written out rather than taken from the code.
const REP_CAP_CENTS: i64 = 25_000;

/// An offer well within the rep cap.
const SMALL_OFFER_CENTS: i64 = 2_000;

const ACTORS: [Actor; 4] = [Actor::Customer, Actor::Rep, Actor::Manager, Actor::System];

const STATUSES: [Status; 7] = [
    Status::Reported,
    Status::Acknowledged,
    Status::InProgress,
    Status::WaitingOnCustomer,
    Status::ResolutionProposed,
    Status::Solved,
    Status::Withdrawn,
];

/// A colleague of the workspace, named by their key's label ("Sam, support" has key `key-sam`).
fn colleague(label: &str) -> Colleague {
    let first = label.split(',').next().unwrap().to_lowercase();
    Colleague { key_id: Some(format!("key-{first}")), label: Some(KeyLabel::parse(label).unwrap()), first_name: None }
}

/// The rep every `Actor::Rep` command of the tests is given by.
fn sam() -> Colleague {
    colleague("Sam, support")
}

/// The manager every `Actor::Manager` command of the tests is given by.
fn mia() -> Colleague {
    colleague("Mia, support lead")
}

/// A second rep, for handovers.
fn alex() -> Colleague {
    colleague("Alex, support")
}

fn hand_over(to: Colleague) -> Command {
    Command::HandOver { to, note: HandoverNote::parse("She prefers email; the courier is booked for Friday.").unwrap() }
}

fn t0() -> Timestamp {
    Timestamp::parse("2026-11-23T09:00:00Z").unwrap()
}

fn usd_currency() -> Currency {
    Currency::parse("USD", Field::Currency).unwrap()
}

fn usd(cents: i64) -> Money {
    Money { currency: usd_currency(), minor_units: cents }
}

fn policy() -> Policy {
    Policy::standard(usd_currency())
}

fn report() -> Report {
    Report {
        what_happened: WhatHappened::parse("The armchair was missing from the delivery.").unwrap(),
        how_it_affected_you: Some(Impact::parse("Guests had nowhere to sit at the party.").unwrap()),
        feelings: vec![Feeling::Frustrated, Feeling::LetDown],
        cost: Harm { money: Some(usd(12_000)), hours_lost: Some(3), missed_event: true },
        order_id: Some(OrderId::parse("1042").unwrap()),
        order_value: Some(usd(125_000)),
        contact_email: Some(ContactEmail::parse("ana@example.com").unwrap()),
        locale: None,
    }
}

fn message(text: &str) -> Command {
    Command::AddMessage { text: MessageText::parse(text).unwrap() }
}

fn update(next_update_by: Timestamp) -> Command {
    Command::PostUpdate { text: UpdateText::parse("The armchair ships tomorrow.").unwrap(), next_update_by }
}

fn update_saying(text: &str, next_update_by: Timestamp) -> Command {
    Command::PostUpdate { text: UpdateText::parse(text).unwrap(), next_update_by }
}

fn question() -> Command {
    Command::AskQuestion { question: QuestionText::parse("Which colour was the armchair?").unwrap() }
}

fn escalate() -> Command {
    Command::Escalate { reason: EscalationReason::OtherDepartmentMustAct }
}

fn propose() -> Command {
    Command::ProposeResolution {
        summary: Summary::parse("The armchair was delivered this morning.").unwrap(),
        prevention: PreventionNote::parse("Orders are now checked against the packing list.").unwrap(),
    }
}

fn not_yet() -> Command {
    Command::NotYet { reason: Reason::parse("It arrived with a broken leg.").unwrap() }
}

fn make_good(cents: i64) -> MakeGood {
    MakeGood {
        kind: MakeGoodKind::Credit,
        value: usd(cents),
        note: Some(Note::parse("For the evening we spoilt.").unwrap()),
    }
}

fn offer(cents: i64) -> Command {
    Command::OfferMakeGood(make_good(cents))
}

fn rating(score: i64) -> Rating {
    Rating { score: Score::parse(score).unwrap(), comment: Some(Comment::parse("They made it right.").unwrap()) }
}

fn rate(score: i64) -> Command {
    Command::Rate(rating(score))
}

/// A well-formed command of `kind`, given at `now`: an update promises an hour ahead and an offer is
/// well within the rep cap, so only the state (and the ticket's history) decides the outcome.
fn command(kind: CommandKind, now: Timestamp) -> Command {
    match kind {
        CommandKind::AddMessage => message("Any news on the armchair?"),
        CommandKind::PostUpdate => update(now.plus_minutes(60)),
        CommandKind::AskQuestion => question(),
        CommandKind::Escalate => escalate(),
        CommandKind::ProposeResolution => propose(),
        CommandKind::ConfirmSolved => Command::ConfirmSolved,
        CommandKind::NotYet => not_yet(),
        CommandKind::OfferMakeGood => offer(SMALL_OFFER_CENTS),
        CommandKind::AcceptMakeGood => Command::AcceptMakeGood,
        CommandKind::DeclineMakeGood => Command::DeclineMakeGood,
        CommandKind::Rate => rate(4),
        CommandKind::MarkPromiseMissed => Command::MarkPromiseMissed,
        CommandKind::Withdraw => Command::Withdraw,
        CommandKind::TakeOwnership => Command::TakeOwnership,
        CommandKind::HandOver => hand_over(alex()),
        CommandKind::AskFollowUp => Command::AskFollowUp,
        CommandKind::AnswerFollowUp => Command::AnswerFollowUp(FollowUpAnswer::Held),
    }
}

fn came_back() -> Command {
    Command::AnswerFollowUp(FollowUpAnswer::CameBack {
        what_happened: WhatHappened::parse("The leg snapped again.").unwrap(),
        reopened_as: Some(TicketId::parse("0123456789abcdef0123456789abcdef").unwrap()),
    })
}

/// Who in the company gives `actor`'s commands in these tests.
fn person(actor: Actor) -> Option<Colleague> {
    match actor {
        Actor::Rep => Some(sam()),
        Actor::Manager => Some(mia()),
        Actor::Customer | Actor::System => None,
    }
}

/// A ticket together with its log and a clock, driven only through `open`, `decide` and `apply`.
struct Log {
    ticket: Ticket,
    events: Vec<Event>,
    now: Timestamp,
    policy: Policy,
}

impl Log {
    fn open() -> Self {
        Self::open_at(t0())
    }

    fn open_at(at: Timestamp) -> Self {
        let opened = Ticket::open(report(), None, at);
        let ticket = Ticket::from_events([&opened]).unwrap();
        Log { ticket, events: vec![opened], now: at, policy: policy() }
    }

    /// Moves the clock on.
    fn wait(&mut self, minutes: i64) -> &mut Self {
        self.now = self.now.plus_minutes(minutes);
        self
    }

    /// Decides `command` by `actor` now, without applying anything: a rep's
    /// commands are Sam's, a manager's Mia's.
    fn decide(&self, actor: Actor, command: Command) -> Result<Event, Rejection> {
        self.decide_as(actor, person(actor).as_ref(), command)
    }

    /// Decides `command` by `actor`, given by the colleague `by`, now.
    fn decide_as(&self, actor: Actor, by: Option<&Colleague>, command: Command) -> Result<Event, Rejection> {
        self.ticket.decide(actor, command, &Context::new(self.now, &self.policy).by(by))
    }

    /// Decides `command` by the rep or manager `by` and, if accepted, applies and logs it.
    fn act_as(&mut self, actor: Actor, by: &Colleague, command: Command) -> Result<Event, Rejection> {
        let event = self.decide_as(actor, Some(by), command)?;
        self.ticket.apply(&event).unwrap();
        self.events.push(event.clone());
        Ok(event)
    }

    /// Decides `command` by `actor` now and, if accepted, applies and logs the event.
    fn act(&mut self, actor: Actor, command: Command) -> Result<Event, Rejection> {
        let event = self.decide(actor, command)?;
        self.ticket.apply(&event).unwrap();
        self.events.push(event.clone());
        Ok(event)
    }

    fn must(&mut self, actor: Actor, command: Command) -> Event {
        self.act(actor, command).unwrap_or_else(|rejection| panic!("{actor:?} was refused: {rejection:?}"))
    }

    /// Gives a command that must be refused, and checks it changed nothing.
    fn refused(&mut self, actor: Actor, command: Command) -> Rejection {
        let before = self.ticket.clone();
        let events = self.events.len();
        let rejection = self.act(actor, command).expect_err("the command was accepted");
        assert_eq!(self.ticket, before, "a refused command changed the ticket");
        assert_eq!(self.events.len(), events);
        rejection
    }

    fn status(&self) -> Status {
        self.ticket.state().status()
    }

    fn ledger(&self) -> PromiseLedger {
        self.ticket.promises()
    }
}

/// A ticket in `status`, reached by real decided events from a fresh report, five minutes apart.
///
/// The fixture's preconditions, which the table below relies on (and
/// `the_fixture_states_are_what_the_table_assumes` checks):
/// - no make-good offer is pending (accept / decline → `Conflict::NoOfferPending`);
/// - the ticket has not been escalated (escalate is accepted by a rep);
/// - it has not been rated (rate in Solved is accepted);
/// - the promise in force, if any, is due an hour after it was made, so five minutes later it is not
///   due (mark promise missed → `Conflict::NoPromiseDue`).
fn reach(status: Status) -> Log {
    let mut log = Log::open();
    let path: &[(Actor, CommandKind)] = match status {
        Status::Reported => &[],
        Status::Acknowledged => &[(Actor::Rep, CommandKind::PostUpdate)],
        Status::InProgress => &[(Actor::Rep, CommandKind::PostUpdate), (Actor::Rep, CommandKind::PostUpdate)],
        Status::WaitingOnCustomer => &[(Actor::Rep, CommandKind::PostUpdate), (Actor::Rep, CommandKind::AskQuestion)],
        Status::ResolutionProposed => {
            &[(Actor::Rep, CommandKind::PostUpdate), (Actor::Rep, CommandKind::ProposeResolution)]
        }
        Status::Solved => &[
            (Actor::Rep, CommandKind::PostUpdate),
            (Actor::Rep, CommandKind::ProposeResolution),
            (Actor::Customer, CommandKind::ConfirmSolved),
        ],
        Status::Withdrawn => &[(Actor::Rep, CommandKind::PostUpdate), (Actor::Customer, CommandKind::Withdraw)],
    };
    for &(actor, kind) in path {
        log.wait(5);
        let now = log.now;
        log.must(actor, command(kind, now));
    }
    assert_eq!(log.status(), status);
    log
}

// ---------------------------------------------------------------------------
// The table: every (state × command kind × actor), as data
// ---------------------------------------------------------------------------

use Actor::{Customer, Manager, Rep, System};
use CommandKind as K;
use Status as S;

/// Who may give each command, transcribed from the issue's table (Customer | Rep | Manager | System).
/// For any actor not listed, the command is `NotPermitted` in every state.
#[rustfmt::skip]
const WHO_MAY: [(CommandKind, &[Actor]); 17] = [
    (K::AddMessage,        &[Customer, Rep, Manager]), // ✓ ✓ ✓ –
    (K::PostUpdate,        &[Rep, Manager]),           // – ✓ ✓ –  (with a promise)
    (K::AskQuestion,       &[Rep, Manager]),           // – ✓ ✓ –
    (K::Escalate,          &[Rep]),                    // – ✓ – –
    (K::ProposeResolution, &[Rep, Manager]),           // – ✓ ✓ –
    (K::ConfirmSolved,     &[Customer]),               // ✓ – – –
    (K::NotYet,            &[Customer]),               // ✓ – – –
    (K::OfferMakeGood,     &[Rep, Manager]),           // – ✓ (within cap) ✓ –
    (K::AcceptMakeGood,    &[Customer]),               // ✓ – – –
    (K::DeclineMakeGood,   &[Customer]),               // ✓ – – –
    (K::Rate,              &[Customer]),               // ✓ – – –  (after solved)
    (K::MarkPromiseMissed, &[System]),                 // – – – ✓  (when the promise passed)
    (K::Withdraw,          &[Customer]),               // ✓ – – –
    (K::TakeOwnership,     &[Rep, Manager]),           // – ✓ ✓ –  (while no one owns it)
    (K::HandOver,          &[Rep, Manager]),           // – ✓ (the owner) ✓ –
    (K::AskFollowUp,       &[System]),                 // – – – ✓  (a set time after solved)
    (K::AnswerFollowUp,    &[Customer]),               // ✓ – – –  (once asked)
];

/// What a permitted actor's command comes to in a fixture state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Accepted; the ticket moves to (or stays in) this status.
    To(Status),
    /// Accepted; where the ticket goes depends on who speaks (a message).
    Msg { customer: Status, company: Status },
    /// Refused with `Rejection::NotNow` in this state.
    NotNow,
    /// Refused with `Rejection::Conflict(_)`, given the fixture's history.
    Clash(Conflict),
    /// A handover: accepted from a manager, and from a rep while they own
    /// the ticket, to this status; refused with `Rejection::NotOwner` from
    /// a rep who does not.
    Owners(Status),
}

use Outcome::{Clash, Msg, NotNow, Owners, To};

const NO_OFFER: Outcome = Clash(Conflict::NoOfferPending);
const NO_PROMISE_DUE: Outcome = Clash(Conflict::NoPromiseDue);
const OWNED: Outcome = Clash(Conflict::AlreadyOwned);

/// The 7 × 17 outcome matrix for permitted actors, on the fixture states of [`reach`]. In every state
/// but `Reported`, Sam's first update made him the owner.
#[rustfmt::skip]
const OUTCOMES: [(Status, CommandKind, Outcome); 119] = [
    // ---- Reported: nothing from the company yet --------------------------------------------------
    (S::Reported, K::AddMessage,        Msg { customer: S::Reported, company: S::Acknowledged }),
    (S::Reported, K::PostUpdate,        To(S::Acknowledged)),
    (S::Reported, K::AskQuestion,       To(S::WaitingOnCustomer)),
    (S::Reported, K::Escalate,          To(S::Reported)),
    (S::Reported, K::ProposeResolution, To(S::ResolutionProposed)),
    (S::Reported, K::ConfirmSolved,     NotNow),
    (S::Reported, K::NotYet,            NotNow),
    (S::Reported, K::OfferMakeGood,     To(S::Reported)),
    (S::Reported, K::AcceptMakeGood,    NO_OFFER),
    (S::Reported, K::DeclineMakeGood,   NO_OFFER),
    (S::Reported, K::Rate,              NotNow),
    (S::Reported, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::Reported, K::Withdraw,          To(S::Withdrawn)),
    (S::Reported, K::TakeOwnership,     To(S::Reported)),
    (S::Reported, K::HandOver,          Owners(S::Reported)),
    (S::Reported, K::AskFollowUp,       NotNow),
    (S::Reported, K::AnswerFollowUp,    NotNow),
    // ---- Acknowledged: one update, its promise not yet due ------------------------------------------
    (S::Acknowledged, K::AddMessage,        Msg { customer: S::Acknowledged, company: S::Acknowledged }),
    (S::Acknowledged, K::PostUpdate,        To(S::InProgress)),
    (S::Acknowledged, K::AskQuestion,       To(S::WaitingOnCustomer)),
    (S::Acknowledged, K::Escalate,          To(S::Acknowledged)),
    (S::Acknowledged, K::ProposeResolution, To(S::ResolutionProposed)),
    (S::Acknowledged, K::ConfirmSolved,     NotNow),
    (S::Acknowledged, K::NotYet,            NotNow),
    (S::Acknowledged, K::OfferMakeGood,     To(S::Acknowledged)),
    (S::Acknowledged, K::AcceptMakeGood,    NO_OFFER),
    (S::Acknowledged, K::DeclineMakeGood,   NO_OFFER),
    (S::Acknowledged, K::Rate,              NotNow),
    (S::Acknowledged, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::Acknowledged, K::Withdraw,          To(S::Withdrawn)),
    (S::Acknowledged, K::TakeOwnership,     OWNED),
    (S::Acknowledged, K::HandOver,          Owners(S::Acknowledged)),
    (S::Acknowledged, K::AskFollowUp,       NotNow),
    (S::Acknowledged, K::AnswerFollowUp,    NotNow),
    // ---- InProgress: two updates, the promise not yet due -------------------------------------------
    (S::InProgress, K::AddMessage,        Msg { customer: S::InProgress, company: S::InProgress }),
    (S::InProgress, K::PostUpdate,        To(S::InProgress)),
    (S::InProgress, K::AskQuestion,       To(S::WaitingOnCustomer)),
    (S::InProgress, K::Escalate,          To(S::InProgress)),
    (S::InProgress, K::ProposeResolution, To(S::ResolutionProposed)),
    (S::InProgress, K::ConfirmSolved,     NotNow),
    (S::InProgress, K::NotYet,            NotNow),
    (S::InProgress, K::OfferMakeGood,     To(S::InProgress)),
    (S::InProgress, K::AcceptMakeGood,    NO_OFFER),
    (S::InProgress, K::DeclineMakeGood,   NO_OFFER),
    (S::InProgress, K::Rate,              NotNow),
    (S::InProgress, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::InProgress, K::Withdraw,          To(S::Withdrawn)),
    (S::InProgress, K::TakeOwnership,     OWNED),
    (S::InProgress, K::HandOver,          Owners(S::InProgress)),
    (S::InProgress, K::AskFollowUp,       NotNow),
    (S::InProgress, K::AnswerFollowUp,    NotNow),
    // ---- WaitingOnCustomer: a question asked, the promise clock paused ------------------------------
    (S::WaitingOnCustomer, K::AddMessage,        Msg { customer: S::InProgress, company: S::WaitingOnCustomer }),
    (S::WaitingOnCustomer, K::PostUpdate,        To(S::InProgress)),
    (S::WaitingOnCustomer, K::AskQuestion,       To(S::WaitingOnCustomer)),
    (S::WaitingOnCustomer, K::Escalate,          To(S::WaitingOnCustomer)),
    (S::WaitingOnCustomer, K::ProposeResolution, To(S::ResolutionProposed)),
    (S::WaitingOnCustomer, K::ConfirmSolved,     NotNow),
    (S::WaitingOnCustomer, K::NotYet,            NotNow),
    (S::WaitingOnCustomer, K::OfferMakeGood,     To(S::WaitingOnCustomer)),
    (S::WaitingOnCustomer, K::AcceptMakeGood,    NO_OFFER),
    (S::WaitingOnCustomer, K::DeclineMakeGood,   NO_OFFER),
    (S::WaitingOnCustomer, K::Rate,              NotNow),
    (S::WaitingOnCustomer, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::WaitingOnCustomer, K::Withdraw,          To(S::Withdrawn)),
    (S::WaitingOnCustomer, K::TakeOwnership,     OWNED),
    (S::WaitingOnCustomer, K::HandOver,          Owners(S::WaitingOnCustomer)),
    (S::WaitingOnCustomer, K::AskFollowUp,       NotNow),
    (S::WaitingOnCustomer, K::AnswerFollowUp,    NotNow),
    // ---- ResolutionProposed: the customer's answer is awaited ---------------------------------------
    (S::ResolutionProposed, K::AddMessage,        Msg { customer: S::ResolutionProposed, company: S::ResolutionProposed }),
    (S::ResolutionProposed, K::PostUpdate,        NotNow),
    (S::ResolutionProposed, K::AskQuestion,       NotNow),
    (S::ResolutionProposed, K::Escalate,          To(S::ResolutionProposed)),
    (S::ResolutionProposed, K::ProposeResolution, NotNow),
    (S::ResolutionProposed, K::ConfirmSolved,     To(S::Solved)),
    (S::ResolutionProposed, K::NotYet,            To(S::InProgress)),
    (S::ResolutionProposed, K::OfferMakeGood,     To(S::ResolutionProposed)),
    (S::ResolutionProposed, K::AcceptMakeGood,    NO_OFFER),
    (S::ResolutionProposed, K::DeclineMakeGood,   NO_OFFER),
    (S::ResolutionProposed, K::Rate,              NotNow),
    (S::ResolutionProposed, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::ResolutionProposed, K::Withdraw,          To(S::Withdrawn)),
    (S::ResolutionProposed, K::TakeOwnership,     OWNED),
    (S::ResolutionProposed, K::HandOver,          Owners(S::ResolutionProposed)),
    (S::ResolutionProposed, K::AskFollowUp,       NotNow),
    (S::ResolutionProposed, K::AnswerFollowUp,    NotNow),
    // ---- Solved (final, unrated): only make-goods and the rating follow -----------------------------
    (S::Solved, K::AddMessage,        NotNow),
    (S::Solved, K::PostUpdate,        NotNow),
    (S::Solved, K::AskQuestion,       NotNow),
    (S::Solved, K::Escalate,          NotNow),
    (S::Solved, K::ProposeResolution, NotNow),
    (S::Solved, K::ConfirmSolved,     NotNow),
    (S::Solved, K::NotYet,            NotNow),
    (S::Solved, K::OfferMakeGood,     To(S::Solved)),
    (S::Solved, K::AcceptMakeGood,    NO_OFFER),
    (S::Solved, K::DeclineMakeGood,   NO_OFFER),
    (S::Solved, K::Rate,              To(S::Solved)),
    (S::Solved, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::Solved, K::Withdraw,          NotNow),
    (S::Solved, K::TakeOwnership,     NotNow),
    (S::Solved, K::HandOver,          NotNow),
    (S::Solved, K::AskFollowUp,       Clash(Conflict::NoFollowUpDue)),
    (S::Solved, K::AnswerFollowUp,    Clash(Conflict::NoFollowUpAsked)),
    // ---- Withdrawn (final): nothing follows ---------------------------------------------------------
    (S::Withdrawn, K::AddMessage,        NotNow),
    (S::Withdrawn, K::PostUpdate,        NotNow),
    (S::Withdrawn, K::AskQuestion,       NotNow),
    (S::Withdrawn, K::Escalate,          NotNow),
    (S::Withdrawn, K::ProposeResolution, NotNow),
    (S::Withdrawn, K::ConfirmSolved,     NotNow),
    (S::Withdrawn, K::NotYet,            NotNow),
    (S::Withdrawn, K::OfferMakeGood,     NotNow),
    (S::Withdrawn, K::AcceptMakeGood,    NotNow),
    (S::Withdrawn, K::DeclineMakeGood,   NotNow),
    (S::Withdrawn, K::Rate,              NotNow),
    (S::Withdrawn, K::MarkPromiseMissed, NO_PROMISE_DUE),
    (S::Withdrawn, K::Withdraw,          NotNow),
    (S::Withdrawn, K::TakeOwnership,     NotNow),
    (S::Withdrawn, K::HandOver,          NotNow),
    (S::Withdrawn, K::AskFollowUp,       NotNow),
    (S::Withdrawn, K::AnswerFollowUp,    NotNow),
];

/// The permitted actors of `kind`, from [`WHO_MAY`].
fn who_may(kind: CommandKind) -> &'static [Actor] {
    WHO_MAY.iter().find(|(k, _)| *k == kind).map(|(_, actors)| *actors).expect("a WHO_MAY row for every kind")
}

fn permitted(kind: CommandKind, actor: Actor) -> bool {
    who_may(kind).contains(&actor)
}

/// What a (state, command, actor) must come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    To(Status),
    NotPermitted,
    NotNow,
    Conflict(Conflict),
    NotOwner,
}

fn expected(status: Status, kind: CommandKind, actor: Actor) -> Expect {
    if !permitted(kind, actor) {
        return Expect::NotPermitted;
    }
    let outcome = OUTCOMES
        .iter()
        .find(|&&(s, k, _)| s == status && k == kind)
        .map(|&(.., outcome)| outcome)
        .unwrap_or_else(|| panic!("no OUTCOMES row for {status:?} × {kind:?}"));
    match outcome {
        To(next) => Expect::To(next),
        Msg { customer, .. } if actor == Customer => Expect::To(customer),
        Msg { company, .. } => Expect::To(company),
        NotNow => Expect::NotNow,
        Clash(conflict) => Expect::Conflict(conflict),
        // The fixture's rep owns every ticket the company has answered.
        Owners(_) if actor == Rep && status == S::Reported => Expect::NotOwner,
        Owners(next) => Expect::To(next),
    }
}

/// Whether `event` is what an accepted command of `kind` is recorded as.
fn records_as(kind: CommandKind, event: &EventKind) -> bool {
    matches!(
        (kind, event),
        (K::AddMessage, EventKind::MessageAdded { .. })
            | (K::PostUpdate, EventKind::Updated { .. })
            | (K::AskQuestion, EventKind::QuestionAsked { .. })
            | (K::Escalate, EventKind::Escalated { .. })
            | (K::ProposeResolution, EventKind::ResolutionProposed { .. })
            | (K::ConfirmSolved, EventKind::ConfirmedSolved)
            | (K::NotYet, EventKind::Reopened { .. })
            | (K::OfferMakeGood, EventKind::MakeGoodOffered { .. })
            | (K::AcceptMakeGood, EventKind::MakeGoodAccepted)
            | (K::DeclineMakeGood, EventKind::MakeGoodDeclined)
            | (K::Rate, EventKind::Rated { .. })
            | (K::MarkPromiseMissed, EventKind::PromiseMissed { .. })
            | (K::Withdraw, EventKind::Withdrawn)
            | (K::TakeOwnership, EventKind::OwnershipTaken)
            | (K::HandOver, EventKind::HandedOver { .. })
            | (K::AskFollowUp, EventKind::FollowUpAsked)
            | (K::AnswerFollowUp, EventKind::FollowUpAnswered { .. })
    )
}

#[test]
fn the_table_has_every_state_command_and_actor_exactly_once() {
    // The permission table: every kind exactly once.
    let kinds: Vec<CommandKind> = WHO_MAY.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds.iter().collect::<HashSet<_>>().len(), WHO_MAY.len(), "a kind appears twice in WHO_MAY");
    for kind in CommandKind::ALL {
        assert!(kinds.contains(&kind), "WHO_MAY has no row for {kind:?}");
        let actors = who_may(kind);
        assert_eq!(actors.iter().collect::<HashSet<_>>().len(), actors.len(), "{kind:?} lists an actor twice");
    }

    // The outcome matrix: every (state, kind) exactly once.
    let cells: HashSet<(Status, CommandKind)> = OUTCOMES.iter().map(|&(s, k, _)| (s, k)).collect();
    assert_eq!(cells.len(), OUTCOMES.len(), "a (state, kind) appears twice in OUTCOMES");
    assert_eq!(cells.len(), STATUSES.len() * CommandKind::ALL.len());

    // Together: 7 × 17 × 4 distinct rows, each with one expectation.
    let mut rows = HashSet::new();
    for status in STATUSES {
        for kind in CommandKind::ALL {
            assert!(cells.contains(&(status, kind)), "OUTCOMES has no cell for {status:?} × {kind:?}");
            for actor in ACTORS {
                let _ = expected(status, kind, actor);
                assert!(rows.insert((status, kind, actor)));
            }
        }
    }
    assert_eq!(rows.len(), 7 * 17 * 4);
    assert_eq!(STATUSES.iter().collect::<HashSet<_>>().len(), 7);
    assert_eq!(CommandKind::ALL.iter().collect::<HashSet<_>>().len(), 17);
}

#[test]
fn the_permission_table_is_the_codes_permission_table() {
    for kind in CommandKind::ALL {
        for actor in ACTORS {
            assert_eq!(kind.permits(actor), permitted(kind, actor), "{kind:?} × {actor:?}");
        }
    }
}

#[test]
fn the_fixture_states_are_what_the_table_assumes() {
    for status in STATUSES {
        let mut log = reach(status);
        assert_eq!(log.ticket.pending_offer(), None, "{status:?}");
        assert_eq!(log.ticket.escalation(), None, "{status:?}");
        assert_eq!(log.ticket.rating(), None, "{status:?}");
        log.wait(5);
        if let Some(promise) = log.ticket.promise() {
            assert!(!promise.missed && promise.due > log.now, "{status:?}: {promise:?} is due");
        }
        assert_eq!(Ticket::from_events(&log.events), Ok(log.ticket.clone()));
    }
}

#[test]
fn every_state_command_and_actor_follows_the_table() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for status in STATUSES {
        for kind in CommandKind::ALL {
            for actor in ACTORS {
                checked += 1;
                let expect = expected(status, kind, actor);
                let mut log = reach(status);
                log.wait(5);
                let before = log.ticket.clone();
                let outcome = log.decide(actor, command(kind, log.now));
                let row = format!("{status:?} × {kind:?} × {actor:?}: expected {expect:?}, got {outcome:?}");
                if log.ticket != before {
                    failures.push(format!("{row} (decide changed the ticket)"));
                }
                match (expect, outcome) {
                    (Expect::To(next), Ok(event)) => {
                        if event.seq != before.last_seq() + 1 {
                            failures.push(format!("{row} (seq {} after {})", event.seq, before.last_seq()));
                        }
                        if event.by != actor || event.at != log.now || !records_as(kind, &event.kind) {
                            failures.push(format!("{row} (malformed event)"));
                        }
                        let mut ticket = log.ticket.clone();
                        ticket.apply(&event).unwrap();
                        if ticket.state().status() != next {
                            failures.push(format!("{row} (applied, the ticket is {:?})", ticket.state().status()));
                        }
                        if ticket.last_seq() != event.seq {
                            failures.push(format!("{row} (last_seq is {})", ticket.last_seq()));
                        }
                        let mut events = log.events.clone();
                        events.push(event);
                        if Ticket::from_events(&events).as_ref() != Ok(&ticket) {
                            failures.push(format!("{row} (replaying the log gives another ticket)"));
                        }
                    }
                    (Expect::NotPermitted, Err(Rejection::NotPermitted { actor: a, command: k }))
                        if a == actor && k == kind => {}
                    (Expect::NotNow, Err(Rejection::NotNow { status: s, command: k })) if s == status && k == kind => {}
                    (Expect::Conflict(expected), Err(Rejection::Conflict(found))) if expected == found => {}
                    (Expect::NotOwner, Err(Rejection::NotOwner)) => {}
                    _ => failures.push(row),
                }
            }
        }
    }
    assert_eq!(checked, 476);
    assert!(failures.is_empty(), "{} of 476 rows failed:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Success paths of the commands the table's fixture refuses for lack of a precondition
// ---------------------------------------------------------------------------

#[test]
fn accept_and_decline_succeed_on_a_pending_offer_in_every_state_that_allows_them() {
    for status in [S::Reported, S::Acknowledged, S::InProgress, S::WaitingOnCustomer, S::ResolutionProposed, S::Solved]
    {
        for (answer, kind, recorded) in [
            (Command::AcceptMakeGood, K::AcceptMakeGood, OfferStatus::Accepted),
            (Command::DeclineMakeGood, K::DeclineMakeGood, OfferStatus::Declined),
        ] {
            let mut log = reach(status);
            log.wait(5).must(Rep, offer(SMALL_OFFER_CENTS));
            log.wait(5);
            let event = log.must(Customer, answer);
            assert!(records_as(kind, &event.kind));
            assert_eq!(log.status(), status, "answering an offer does not move the ticket");
            assert_eq!(log.ticket.pending_offer(), None);
            assert_eq!(log.ticket.offers().len(), 1);
            assert_eq!(log.ticket.offers()[0].status, recorded);
            assert_eq!(Ticket::from_events(&log.events), Ok(log.ticket.clone()));
        }
    }
}

#[test]
fn mark_promise_missed_succeeds_once_the_promise_has_passed() {
    for status in [S::Acknowledged, S::InProgress] {
        let mut log = reach(status);
        let due = log.ticket.next_deadline().unwrap();
        log.now = due.plus_minutes(1);
        let event = log.must(System, Command::MarkPromiseMissed);
        assert_eq!(event.kind, EventKind::PromiseMissed { due, first_answer: false });
        assert_eq!(log.status(), status);
        assert_eq!(log.ticket.promise(), Some(Promise { due, missed: true }));
        assert_eq!(Ticket::from_events(&log.events), Ok(log.ticket.clone()));
    }
}

// ---------------------------------------------------------------------------
// Only the customer says it is solved; each actor keeps to its part
// ---------------------------------------------------------------------------

#[test]
fn rep_cannot_confirm_a_solution() {
    for status in STATUSES {
        let mut log = reach(status);
        log.wait(5);
        for command in [Command::ConfirmSolved, not_yet()] {
            let kind = command.kind();
            let rejection = log.refused(Rep, command);
            assert_eq!(rejection, Rejection::NotPermitted { actor: Rep, command: kind });
            assert!(rejection.to_string().starts_with("Only the customer can say"), "{rejection}");
        }
    }
}

#[test]
fn manager_cannot_confirm_a_solution() {
    for status in STATUSES {
        let mut log = reach(status);
        log.wait(5);
        let rejection = log.refused(Manager, Command::ConfirmSolved);
        assert_eq!(rejection, Rejection::NotPermitted { actor: Manager, command: K::ConfirmSolved });
        assert!(rejection.to_string().starts_with("Only the customer can say"), "{rejection}");
    }
}

#[test]
fn system_cannot_confirm_a_solution_on_silence() {
    let mut log = reach(S::ResolutionProposed);
    log.wait(90 * 24 * 60);
    let rejection = log.refused(System, Command::ConfirmSolved);
    assert_eq!(rejection, Rejection::NotPermitted { actor: System, command: K::ConfirmSolved });
    assert_eq!(log.status(), S::ResolutionProposed);
}

#[test]
fn customer_cannot_post_updates() {
    for status in STATUSES {
        let mut log = reach(status);
        log.wait(5);
        let promise = log.now.plus_minutes(60);
        let rejection = log.refused(Customer, update(promise));
        assert_eq!(rejection, Rejection::NotPermitted { actor: Customer, command: K::PostUpdate });
        assert_eq!(rejection.to_string(), "Only the company can do this (posting an update).");
    }
}

#[test]
fn only_the_system_marks_a_promise_missed() {
    let mut log = reach(S::InProgress);
    let due = log.ticket.next_deadline().unwrap();
    log.now = due.plus_minutes(30);
    for actor in [Customer, Rep, Manager] {
        let rejection = log.refused(actor, Command::MarkPromiseMissed);
        assert_eq!(rejection, Rejection::NotPermitted { actor, command: K::MarkPromiseMissed });
        assert_eq!(rejection.to_string(), "Only Mend itself records a missed promise, when its time has passed.");
    }
    let event = log.must(System, Command::MarkPromiseMissed);
    assert_eq!(event.by, System);
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 1, missed: 1 });
}

// ---------------------------------------------------------------------------
// Promises
// ---------------------------------------------------------------------------

#[test]
fn a_promise_is_kept_when_the_next_update_comes_in_time() {
    let mut log = Log::open();
    let due = t0().plus_minutes(60);
    log.wait(5).must(Rep, update(due));
    assert_eq!(log.ledger(), PromiseLedger { made: 1, kept: 0, missed: 0 });
    let next = log.wait(25).now.plus_minutes(60);
    log.must(Rep, update(next));
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 1, missed: 0 });

    // Right at its time still counts as kept ("next update by 10:30").
    log.now = log.ticket.next_deadline().unwrap();
    log.must(Manager, update(log.now.plus_minutes(60)));
    assert_eq!(log.ledger(), PromiseLedger { made: 3, kept: 2, missed: 0 });

    // A resolution proposal in time keeps it too, and promises nothing further.
    log.wait(10).must(Rep, propose());
    assert_eq!(log.ledger(), PromiseLedger { made: 3, kept: 3, missed: 0 });
    assert_eq!(log.ticket.next_deadline(), None);
}

#[test]
fn a_late_update_counts_the_promise_missed() {
    let mut log = Log::open();
    let due = t0().plus_minutes(60);
    log.wait(5).must(Rep, update(due));
    log.now = due.plus_minutes(1);
    log.must(Rep, update(log.now.plus_minutes(60)));
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 0, missed: 1 });

    // A late proposal too.
    log.now = log.ticket.next_deadline().unwrap().plus_minutes(1);
    log.must(Rep, propose());
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 0, missed: 2 });
}

#[test]
fn a_promise_marked_missed_is_not_counted_twice() {
    let mut log = Log::open();
    let due = t0().plus_minutes(60);
    log.wait(5).must(Rep, update(due));
    log.now = due.plus_minutes(5);
    let event = log.must(System, Command::MarkPromiseMissed);
    assert_eq!(event.kind, EventKind::PromiseMissed { due, first_answer: false });
    assert_eq!(log.ledger(), PromiseLedger { made: 1, kept: 0, missed: 1 });

    // Mend does not record the same promise missed again…
    log.wait(60);
    assert_eq!(log.refused(System, Command::MarkPromiseMissed), Rejection::Conflict(Conflict::NoPromiseDue));
    // …and the late update that follows does not count it again.
    log.must(Rep, update(log.now.plus_minutes(60)));
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 0, missed: 1 });
    // A late proposal after a missed mark likewise.
    log.now = log.ticket.next_deadline().unwrap().plus_minutes(1);
    log.must(System, Command::MarkPromiseMissed);
    log.wait(5).must(Rep, propose());
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 0, missed: 2 });
}

#[test]
fn mark_promise_missed_is_refused_before_the_promise_is_due() {
    let mut log = Log::open();
    // No promise at all yet.
    log.wait(5);
    assert_eq!(log.refused(System, Command::MarkPromiseMissed), Rejection::Conflict(Conflict::NoPromiseDue));

    let due = log.now.plus_minutes(60);
    log.must(Rep, update(due));
    for before_due in [log.now, due.plus_minutes(-1), due.plus_millis(-1)] {
        log.now = before_due;
        let rejection = log.refused(System, Command::MarkPromiseMissed);
        assert_eq!(rejection, Rejection::Conflict(Conflict::NoPromiseDue));
        assert_eq!(rejection.to_string(), "No promise on this ticket is past its time.");
    }
    log.now = due.plus_millis(1);
    log.must(System, Command::MarkPromiseMissed);
}

#[test]
fn asking_a_question_pauses_the_promise_and_the_answer_resumes_it() {
    let mut log = Log::open();
    let due = t0().plus_minutes(5 + 60);
    log.wait(5).must(Rep, update(due));
    // Asked 20 minutes in: 40 minutes of the promise remain.
    log.wait(20).must(Rep, question());
    assert_eq!(
        log.ticket.state(),
        &State::WaitingOnCustomer {
            question: QuestionText::parse("Which colour was the armchair?").unwrap(),
            remaining_ms: Some(40 * 60 * 1000),
        }
    );
    assert_eq!(log.ticket.promise(), None);
    assert_eq!(log.ticket.next_deadline(), None);

    // Long past the original time the clock is still paused: nothing to mark missed.
    log.now = due.plus_minutes(24 * 60);
    assert_eq!(log.refused(System, Command::MarkPromiseMissed), Rejection::Conflict(Conflict::NoPromiseDue));
    // A company message, or a second question, does not resume it.
    log.must(Rep, message("Take your time, there is no rush."));
    log.wait(1).must(Manager, question());
    assert_eq!(log.status(), S::WaitingOnCustomer);
    assert_eq!(log.ticket.next_deadline(), None);

    // The customer's answer resumes it with the 40 minutes that were left.
    let answered_at = log.wait(2 * 24 * 60).now;
    log.must(Customer, message("It was the green one."));
    let resumed = answered_at.plus_minutes(40);
    assert_eq!(log.ticket.state(), &State::InProgress { promise: Some(Promise { due: resumed, missed: false }) });
    assert_eq!(log.ticket.next_deadline(), Some(resumed));
    assert_eq!(log.ledger(), PromiseLedger { made: 1, kept: 0, missed: 0 });

    log.now = resumed.plus_millis(-1);
    assert_eq!(log.refused(System, Command::MarkPromiseMissed), Rejection::Conflict(Conflict::NoPromiseDue));
    log.now = resumed.plus_minutes(1);
    log.must(System, Command::MarkPromiseMissed);
    assert_eq!(log.ledger(), PromiseLedger { made: 1, kept: 0, missed: 1 });
}

#[test]
fn a_question_without_a_promise_resumes_without_one() {
    let mut log = Log::open();
    log.wait(5).must(Rep, question());
    assert_eq!(log.ticket.milestones().first_response_at, Some(log.now));
    log.wait(5).must(Customer, message("It was the green one."));
    assert_eq!(log.ticket.state(), &State::InProgress { promise: None });
    assert_eq!(log.ticket.next_deadline(), None);
}

#[test]
fn next_deadline_is_the_unkept_promise() {
    let mut log = Log::open();
    assert_eq!(log.ticket.next_deadline(), None);

    let first = t0().plus_minutes(65);
    log.wait(5).must(Rep, update(first));
    assert_eq!(log.ticket.next_deadline(), Some(first));

    let second = log.wait(10).now.plus_minutes(120);
    log.must(Rep, update(second));
    assert_eq!(log.ticket.next_deadline(), Some(second));

    // None while waiting on the customer; the remaining time again after the answer.
    log.wait(20).must(Rep, question());
    assert_eq!(log.ticket.next_deadline(), None);
    log.wait(30).must(Customer, message("It was the green one."));
    let resumed = log.now.plus_minutes(100);
    assert_eq!(log.ticket.next_deadline(), Some(resumed));

    // None once it is recorded missed, though the promise stays visible.
    log.now = resumed.plus_minutes(1);
    log.must(System, Command::MarkPromiseMissed);
    assert_eq!(log.ticket.next_deadline(), None);
    assert_eq!(log.ticket.next_update_by(), Some(resumed));

    // A new promise is the new deadline; a proposal leaves none.
    let third = log.wait(5).now.plus_minutes(60);
    log.must(Rep, update(third));
    assert_eq!(log.ticket.next_deadline(), Some(third));
    log.wait(5).must(Rep, propose());
    assert_eq!(log.ticket.next_deadline(), None);
    log.wait(5).must(Customer, Command::ConfirmSolved);
    assert_eq!(log.ticket.next_deadline(), None);
}

fn promise_refusal(expected: &'static str) -> Rejection {
    Rejection::Invalid(InputError::new(Field::NextUpdateBy, Problem::Malformed { expected }))
}

#[test]
fn promise_must_be_in_the_future() {
    for status in [S::Reported, S::Acknowledged, S::InProgress, S::WaitingOnCustomer] {
        let mut log = reach(status);
        log.wait(5);
        for past in [log.now, log.now.plus_millis(-1), log.now.plus_minutes(-60)] {
            let rejection = log.refused(Rep, update(past));
            assert_eq!(rejection, promise_refusal("a time in the future"));
            assert_eq!(rejection.to_string(), "The next-update promise must be a time in the future.");
        }
        log.must(Rep, update(log.now.plus_millis(1)));
    }
}

#[test]
fn promise_beyond_the_horizon_is_refused() {
    let mut log = reach(S::InProgress);
    log.wait(5);
    let beyond = log.now.plus_minutes(HORIZON_MINUTES + 1);
    let rejection = log.refused(Manager, update(beyond));
    assert_eq!(rejection, promise_refusal("at most 14 days from now"));
    assert_eq!(rejection.to_string(), "The next-update promise must be at most 14 days from now.");
    assert_eq!(log.refused(Rep, update(log.now.plus_minutes(HORIZON_MINUTES).plus_millis(1))), rejection);

    let horizon = log.now.plus_minutes(HORIZON_MINUTES);
    log.must(Rep, update(horizon));
    assert_eq!(log.ticket.next_deadline(), Some(horizon));
}

// ---------------------------------------------------------------------------
// Promises across questions and at their exact time
// ---------------------------------------------------------------------------

/// A promise paused by a question is still a promise: an update (or a proposal) given while the
/// customer has not answered yet comes within its paused clock, so it keeps it, rather than being
/// counted as made and then neither kept nor missed.
#[test]
fn an_update_while_waiting_on_the_customer_keeps_the_paused_promise() {
    for (closing, kind) in [(K::PostUpdate, "update"), (K::ProposeResolution, "proposal")] {
        let mut log = Log::open();
        log.wait(5).must(Rep, update(t0().plus_minutes(65)));
        log.wait(20).must(Rep, question());
        log.wait(5);
        let now = log.now;
        log.must(Rep, command(closing, now));
        let ledger = log.ledger();
        assert_eq!(
            (ledger.kept, ledger.missed),
            (1, 0),
            "an {kind} while waiting on the customer left the paused promise unsettled: {ledger:?}"
        );
    }
}

/// A question asked after the promise's time has passed must not erase the missed promise: it is
/// counted missed when the question is asked, so a rep cannot dodge a missed promise with a
/// throwaway question.
#[test]
fn a_question_asked_after_the_promise_passed_does_not_hide_the_miss() {
    let mut log = Log::open();
    let due = t0().plus_minutes(65);
    log.wait(5).must(Rep, update(due));
    log.now = due.plus_minutes(30);
    log.must(Rep, question());
    let next = log.wait(5).now.plus_minutes(60);
    log.must(Rep, update(next));
    assert_eq!(log.ledger(), PromiseLedger { made: 2, kept: 0, missed: 1 });
}

/// "Next update by 10:05" is kept by an update at 10:05 (see
/// `a_promise_is_kept_when_the_next_update_comes_in_time`), so at 10:05 the promise has not passed
/// and Mend must not record it missed yet; otherwise the ledger would say kept or missed depending
/// on which command came first.
#[test]
fn a_promise_is_not_missed_at_its_exact_time() {
    let mut log = Log::open();
    let due = t0().plus_minutes(65);
    log.wait(5).must(Rep, update(due));
    log.now = due;
    assert_eq!(log.decide(System, Command::MarkPromiseMissed), Err(Rejection::Conflict(Conflict::NoPromiseDue)));
}

// ---------------------------------------------------------------------------
// The first-answer promise
// ---------------------------------------------------------------------------

impl Log {
    /// A fresh report whose first answer is promised `minutes` after it.
    fn promising_first_answer(minutes: i64) -> Self {
        let first_answer = FirstAnswerTime { by: t0().plus_minutes(minutes), opens_at: None };
        let opened = Ticket::open(report(), Some(first_answer), t0());
        let ticket = Ticket::from_events([&opened]).unwrap();
        Log { ticket, events: vec![opened], now: t0(), policy: policy() }
    }

    /// A proactive report: the company found the problem and told the
    /// customer first, so the ticket starts answered.
    fn found_by_the_company() -> Self {
        let apology = mend_core::input::Apology::parse("We're sorry: we found this before you did.").unwrap();
        let opened = Ticket::found(report(), apology, Actor::Rep, Some(&sam()), t0()).unwrap();
        let ticket = Ticket::from_events([&opened]).unwrap();
        Log { ticket, events: vec![opened], now: t0(), policy: policy() }
    }
}

/// The company's words in each event, named as the reviewer, the record and
/// the console all read them; the customer's words and Mend's are never the
/// company's.
#[test]
fn the_company_words_of_each_event() {
    use Wording as W;
    let words = |event: &Event| -> Vec<(Wording, String)> {
        event.company_words().into_iter().map(|(wording, text)| (wording, text.to_owned())).collect()
    };
    let mut log = Log::open();
    assert_eq!(words(&log.events[0]), [], "the customer's report");
    let asking = log.must(Actor::Customer, message("Any news?"));
    assert_eq!(words(&asking), []);
    let answer = log.must(Actor::Rep, message("We are on it."));
    assert_eq!(words(&answer), [(W::Text, "We are on it.".to_owned())]);
    let asked = log.must(Actor::Manager, question());
    let Command::AskQuestion { question } = question() else { unreachable!() };
    assert_eq!(words(&asked), [(W::Question, question.as_str().to_owned())]);
    let offered = log.must(Actor::Rep, offer(SMALL_OFFER_CENTS));
    assert_eq!(words(&offered), [(W::Note, "For the evening we spoilt.".to_owned())]);
    let proposed = log.must(Actor::Rep, propose());
    assert_eq!(
        words(&proposed),
        [
            (W::Summary, "The armchair was delivered this morning.".to_owned()),
            (W::Prevention, "Orders are now checked against the packing list.".to_owned()),
        ]
    );
    assert_eq!(words(&log.must(Actor::Customer, Command::ConfirmSolved)), []);

    let found = Log::found_by_the_company();
    let account = report().what_happened.as_str().to_owned();
    assert_eq!(
        words(&found.events[0]),
        [(W::WhatHappened, account), (W::Apology, "We're sorry: we found this before you did.".to_owned())]
    );
    assert_eq!(
        W::ALL.map(W::key),
        ["what_happened", "apology", "text", "question", "summary", "prevention", "note"],
        "each named as its key in the event's JSON"
    );
}

/// What each actor may do now, as the core lists it for the apps: on a new
/// report, once a resolution is proposed, once solved, and on a report the
/// company made itself. Mend itself may do nothing until a promise is due.
#[test]
fn what_each_actor_may_do_now() {
    use K::*;
    let company = [AddMessage, PostUpdate, AskQuestion, Escalate, ProposeResolution, OfferMakeGood];
    let manager = [AddMessage, PostUpdate, AskQuestion, ProposeResolution, OfferMakeGood];
    let allowed =
        |log: &Log, actor| log.ticket.allowed(actor, &Context::new(log.now, &log.policy).by(person(actor).as_ref()));

    let with = |kinds: &[CommandKind], more: &[CommandKind]| [kinds, more].concat();

    let mut log = Log::open();
    assert_eq!(allowed(&log, Actor::Customer), [AddMessage, Withdraw]);
    assert_eq!(allowed(&log, Actor::Rep), with(&company, &[TakeOwnership]), "no one owns it yet");
    assert_eq!(allowed(&log, Actor::Manager), with(&manager, &[TakeOwnership, HandOver]));
    assert_eq!(allowed(&log, Actor::System), []);

    log.must(Actor::Rep, propose());
    assert_eq!(allowed(&log, Actor::Customer), [AddMessage, ConfirmSolved, NotYet, Withdraw]);
    assert_eq!(
        allowed(&log, Actor::Rep),
        [AddMessage, Escalate, OfferMakeGood, HandOver],
        "the proposal awaits the customer; Sam owns the ticket he answered"
    );
    log.must(Actor::Customer, Command::ConfirmSolved);
    assert_eq!(allowed(&log, Actor::Customer), [Rate]);
    assert_eq!(allowed(&log, Actor::Rep), [OfferMakeGood], "a make-good may still follow");

    let mut found = Log::found_by_the_company();
    assert_eq!(allowed(&found, Actor::Rep), with(&company, &[HandOver]), "a proactive report is worked like any other");
    assert_eq!(allowed(&found, Actor::Customer), [AddMessage, Withdraw]);
    found.must(Actor::Rep, update(t0().plus_minutes(30)));
    found.wait(31);
    assert_eq!(allowed(&found, Actor::System), [MarkPromiseMissed], "once the promise is past its time");
}

/// Any company answer — a message, an update, a question or a proposal —
/// by the promised time keeps the first-answer promise; the same answer a
/// minute late misses it. Neither touches the next-update ledger, except
/// that an update makes its own promise.
#[test]
fn any_company_answer_settles_the_first_answer_promise() {
    for kind in [K::AddMessage, K::PostUpdate, K::AskQuestion, K::ProposeResolution] {
        for (late, expected) in [(0, FirstAnswer::Kept), (1, FirstAnswer::Missed)] {
            let mut log = Log::promising_first_answer(120);
            assert_eq!(log.ticket.first_answer(), FirstAnswer::Pending);
            assert_eq!(log.ticket.state().promise(), Some(Promise { due: t0().plus_minutes(120), missed: false }));
            log.wait(120 + late);
            let now = log.now;
            log.must(Rep, command(kind, now));
            assert_eq!(log.ticket.first_answer(), expected, "{kind:?}, {late} minutes late");
            let made = u32::from(kind == K::PostUpdate);
            assert_eq!(log.ledger(), PromiseLedger { made, kept: 0, missed: 0 }, "{kind:?}");
            assert_ne!(log.status(), S::Reported);
        }
    }
}

/// What is not an answer to the customer leaves the promise standing: the
/// customer's own message, an escalation, a make-good offered before a word.
#[test]
fn what_is_no_answer_leaves_the_first_answer_promise_standing() {
    let mut log = Log::promising_first_answer(120);
    log.wait(10).must(Customer, message("Hello?"));
    log.wait(10).must(Rep, escalate());
    log.wait(10).must(Manager, offer(SMALL_OFFER_CENTS));
    assert_eq!(log.status(), S::Reported);
    assert_eq!(log.ticket.first_answer(), FirstAnswer::Pending);
    assert_eq!(log.ticket.next_deadline(), Some(t0().plus_minutes(120)));
    assert_eq!(log.ticket.alarm_at(None, FOLLOW_UP_MS), Some(t0().plus_minutes(120).plus_millis(1)));
}

/// Past its time, Mend records the first-answer promise missed, once; the
/// late answer that follows does not count it again, and the company's
/// next-update ledger is not charged with it.
#[test]
fn mend_records_a_missed_first_answer_and_the_late_answer_keeps_it_missed() {
    let mut log = Log::promising_first_answer(120);
    log.now = t0().plus_minutes(120);
    assert_eq!(log.decide(System, Command::MarkPromiseMissed), Err(Rejection::Conflict(Conflict::NoPromiseDue)));
    log.now = log.now.plus_millis(1);
    let missed = log.must(System, Command::MarkPromiseMissed);
    assert_eq!(missed.kind, EventKind::PromiseMissed { due: t0().plus_minutes(120), first_answer: true });
    assert_eq!(log.status(), S::Reported);
    assert_eq!(log.ticket.first_answer(), FirstAnswer::Missed);
    assert_eq!(log.ticket.state().promise(), Some(Promise { due: t0().plus_minutes(120), missed: true }));
    assert_eq!(log.ticket.risk(log.now).tier, RiskTier::PromiseAtRisk);
    assert_eq!(log.refused(System, Command::MarkPromiseMissed), Rejection::Conflict(Conflict::NoPromiseDue));
    let next = log.wait(30).now.plus_minutes(60);
    log.must(Rep, update(next));
    assert_eq!(log.ticket.first_answer(), FirstAnswer::Missed);
    assert_eq!(log.ledger(), PromiseLedger { made: 1, kept: 0, missed: 0 });
}

/// A new report waits in the queue as unanswered while its first answer is
/// far off, and rises above it once that time comes within the hour.
#[test]
fn a_new_report_is_unanswered_until_its_first_answer_is_at_risk() {
    let log = Log::promising_first_answer(120);
    assert_eq!(log.ticket.risk(t0()), RiskKey { tier: RiskTier::Unanswered, at: t0() });
    let near = t0().plus_minutes(61);
    assert_eq!(log.ticket.risk(near), RiskKey { tier: RiskTier::PromiseAtRisk, at: t0().plus_minutes(120) });
}

/// A report from before Mend promised first answers has none, and nothing
/// about it changes.
#[test]
fn a_report_without_a_first_answer_promise_is_unpromised() {
    let mut log = Log::open();
    assert_eq!(log.ticket.first_answer(), FirstAnswer::Unpromised);
    assert_eq!(log.ticket.state().promise(), None);
    log.wait(600).must(Rep, message("We're on it."));
    assert_eq!(log.ticket.first_answer(), FirstAnswer::Unpromised);
}

// ---------------------------------------------------------------------------
// Reopening, escalation, make-goods, rating, the end of a ticket
// ---------------------------------------------------------------------------

#[test]
fn not_yet_reopens_without_a_promise_and_counts_a_reopen() {
    let mut log = reach(S::ResolutionProposed);
    assert_eq!(log.ticket.reopened(), 0);
    let event = log.wait(5).must(Customer, not_yet());
    assert_eq!(event.kind, EventKind::Reopened { reason: Reason::parse("It arrived with a broken leg.").unwrap() });
    assert_eq!(log.ticket.state(), &State::InProgress { promise: None });
    assert_eq!(log.ticket.next_deadline(), None);
    assert_eq!(log.ticket.reopened(), 1);
    // Nobody has promised anything: the reopened ticket is unanswered in the queue.
    assert_eq!(log.ticket.risk(log.now).tier, RiskTier::Unanswered);

    // A rep promises again, proposes again; a second "not yet" counts a second reopen.
    let promise = log.wait(5).now.plus_minutes(120);
    log.must(Rep, update(promise));
    assert_eq!(log.ticket.state(), &State::InProgress { promise: Some(Promise { due: promise, missed: false }) });
    log.wait(5).must(Manager, propose());
    log.wait(5).must(Customer, not_yet());
    assert_eq!(log.ticket.reopened(), 2);
    log.wait(5).must(Rep, propose());
    log.wait(5).must(Customer, Command::ConfirmSolved);
    assert_eq!(log.status(), S::Solved);
    assert_eq!(log.ticket.reopened(), 2);
    assert_eq!(Ticket::from_events(&log.events), Ok(log.ticket.clone()));
}

#[test]
fn a_second_escalation_is_a_conflict() {
    let mut log = reach(S::InProgress);
    let escalated_at = log.wait(5).now;
    log.must(Rep, Command::Escalate { reason: EscalationReason::ManagerAddsValue });
    let escalation = log.ticket.escalation().unwrap();
    assert_eq!((escalation.reason, escalation.at), (EscalationReason::ManagerAddsValue, escalated_at));
    assert_eq!(log.status(), S::InProgress);

    log.wait(5);
    let rejection = log.refused(Rep, escalate());
    assert_eq!(rejection, Rejection::Conflict(Conflict::AlreadyEscalated));
    assert_eq!(rejection.to_string(), "A manager has already been brought in on this ticket.");
    // Still a conflict after the ticket moves on.
    log.must(Rep, propose());
    assert_eq!(log.refused(Rep, escalate()), Rejection::Conflict(Conflict::AlreadyEscalated));
}

#[test]
fn a_manager_cannot_escalate() {
    for status in STATUSES {
        let mut log = reach(status);
        log.wait(5);
        let rejection = log.refused(Manager, escalate());
        assert_eq!(rejection, Rejection::NotPermitted { actor: Manager, command: K::Escalate });
        assert_eq!(rejection.to_string(), "A manager is already the escalation: reply to the customer instead.");
    }
}

#[test]
fn a_rep_offer_above_the_cap_needs_a_manager() {
    let mut log = reach(S::InProgress);
    log.wait(5);
    let cap = usd(REP_CAP_CENTS);

    let rejection = log.refused(Rep, offer(REP_CAP_CENTS + 1));
    assert_eq!(rejection, Rejection::NeedsManager { cap });
    assert_eq!(
        rejection.to_string(),
        "Make-goods above $250 need a manager: escalate, and a manager can make the offer."
    );
    // An offer in another currency cannot be checked against the cap: a manager's too.
    let euros = Money { currency: Currency::parse("EUR", Field::Currency).unwrap(), minor_units: 100 };
    let foreign = Command::OfferMakeGood(MakeGood { kind: MakeGoodKind::GiftCard, value: euros, note: None });
    assert_eq!(log.refused(Rep, foreign.clone()), Rejection::NeedsManager { cap });

    // The manager may offer the same.
    let event = log.must(Manager, offer(REP_CAP_CENTS + 1));
    assert_eq!(event.kind, EventKind::MakeGoodOffered { make_good: make_good(REP_CAP_CENTS + 1) });
    assert_eq!(log.ticket.pending_offer().unwrap().make_good, make_good(REP_CAP_CENTS + 1));
    log.wait(5).must(Customer, Command::DeclineMakeGood);
    log.wait(5).must(Manager, foreign);
    log.wait(5).must(Customer, Command::DeclineMakeGood);

    // Exactly the cap is within a rep's reach.
    log.wait(5).must(Rep, offer(REP_CAP_CENTS));
    assert_eq!(log.ticket.offers().len(), 3);
}

#[test]
fn one_offer_at_a_time() {
    let mut log = reach(S::InProgress);
    let offered_at = log.wait(5).now;
    log.must(Rep, offer(SMALL_OFFER_CENTS));
    log.wait(5);
    for actor in [Rep, Manager] {
        let rejection = log.refused(actor, offer(1_000));
        assert_eq!(rejection, Rejection::Conflict(Conflict::OfferPending));
        assert_eq!(rejection.to_string(), "A make-good is already waiting for the customer's answer.");
    }
    // A pending offer also trumps the cap check.
    assert_eq!(log.refused(Rep, offer(REP_CAP_CENTS * 10)), Rejection::Conflict(Conflict::OfferPending));

    log.must(Customer, Command::DeclineMakeGood);
    log.wait(5).must(Manager, offer(5_000));
    let offers = log.ticket.offers();
    assert_eq!(offers.len(), 2);
    assert_eq!((offers[0].status, offers[0].offered_at), (OfferStatus::Declined, offered_at));
    assert_eq!(offers[1].status, OfferStatus::Pending);
    assert_eq!(log.ticket.pending_offer(), Some(&offers[1]));
}

#[test]
fn accept_and_decline_need_a_pending_offer() {
    let mut log = reach(S::InProgress);
    log.wait(5);
    for command in [Command::AcceptMakeGood, Command::DeclineMakeGood] {
        let rejection = log.refused(Customer, command);
        assert_eq!(rejection, Rejection::Conflict(Conflict::NoOfferPending));
        assert_eq!(rejection.to_string(), "There is no make-good waiting for an answer.");
    }

    // Accepted: the offer is answered, and cannot be answered again.
    log.must(Rep, offer(SMALL_OFFER_CENTS));
    log.wait(5).must(Customer, Command::AcceptMakeGood);
    assert_eq!(log.ticket.offers()[0].status, OfferStatus::Accepted);
    assert_eq!(log.ticket.pending_offer(), None);
    assert_eq!(log.refused(Customer, Command::AcceptMakeGood), Rejection::Conflict(Conflict::NoOfferPending));
    assert_eq!(log.refused(Customer, Command::DeclineMakeGood), Rejection::Conflict(Conflict::NoOfferPending));

    // Declined likewise, and only the customer answers.
    log.must(Manager, offer(SMALL_OFFER_CENTS));
    for actor in [Rep, Manager, System] {
        let rejection = log.refused(actor, Command::AcceptMakeGood);
        assert_eq!(rejection, Rejection::NotPermitted { actor, command: K::AcceptMakeGood });
        assert_eq!(rejection.to_string(), "Only the customer can accept or decline a make-good.");
    }
    log.wait(5).must(Customer, Command::DeclineMakeGood);
    assert_eq!(log.ticket.offers()[1].status, OfferStatus::Declined);
    assert_eq!(log.refused(Customer, Command::DeclineMakeGood), Rejection::Conflict(Conflict::NoOfferPending));
    assert_eq!(Ticket::from_events(&log.events), Ok(log.ticket.clone()));
}

#[test]
fn rating_only_after_solved_and_only_once() {
    let mut log = Log::open();
    let path: [(Actor, Command); 3] =
        [(Rep, update(t0().plus_minutes(60))), (Rep, propose()), (Customer, Command::ConfirmSolved)];
    for (actor, command) in path {
        log.wait(5);
        let status = log.status();
        assert_eq!(log.refused(Customer, rate(5)), Rejection::NotNow { status, command: K::Rate });
        log.must(actor, command);
    }
    assert_eq!(log.status(), S::Solved);
    log.wait(5);
    for actor in [Rep, Manager, System] {
        assert_eq!(log.refused(actor, rate(5)), Rejection::NotPermitted { actor, command: K::Rate });
    }
    let event = log.must(Customer, rate(4));
    assert_eq!(event.kind, EventKind::Rated { rating: rating(4) });
    assert_eq!(log.ticket.rating(), Some(&rating(4)));
    assert_eq!(log.status(), S::Solved);

    let rejection = log.wait(5).refused(Customer, rate(1));
    assert_eq!(rejection, Rejection::Conflict(Conflict::AlreadyRated));
    assert_eq!(rejection.to_string(), "The customer has already rated this recovery.");
    assert_eq!(log.ticket.rating(), Some(&rating(4)));

    // A withdrawn ticket is never rated.
    let mut withdrawn = reach(S::Withdrawn);
    assert_eq!(
        withdrawn.wait(5).refused(Customer, rate(3)),
        Rejection::NotNow { status: S::Withdrawn, command: K::Rate }
    );
}

#[test]
fn messages_after_solved_are_refused_and_suggest_a_new_report() {
    for status in [S::Solved, S::Withdrawn] {
        let mut log = reach(status);
        log.wait(60);
        for actor in [Customer, Rep, Manager] {
            let rejection = log.refused(actor, message("Actually, the cushion is torn too."));
            assert_eq!(rejection, Rejection::NotNow { status, command: K::AddMessage });
            assert!(rejection.to_string().contains("start a new report"), "{rejection}");
        }
    }
    // A late reply never silently reopens a solved ticket.
    let mut log = reach(S::Solved);
    log.wait(5).refused(Customer, not_yet());
    assert_eq!(log.status(), S::Solved);
}

#[test]
fn withdraw_is_final() {
    for from in [S::Reported, S::Acknowledged, S::InProgress, S::WaitingOnCustomer, S::ResolutionProposed] {
        let mut log = reach(from);
        log.wait(5).must(Rep, offer(SMALL_OFFER_CENTS));
        for actor in [Rep, Manager, System] {
            let rejection = log.refused(actor, Command::Withdraw);
            assert_eq!(rejection, Rejection::NotPermitted { actor, command: K::Withdraw });
        }
        let event = log.wait(5).must(Customer, Command::Withdraw);
        assert_eq!(event.kind, EventKind::Withdrawn);
        assert_eq!(log.ticket.state(), &State::Withdrawn);
        assert_eq!(log.ticket.next_deadline(), None);
        assert_eq!(log.ticket.risk(log.now).tier, RiskTier::Closed);

        // Nothing anyone does afterwards is accepted, even long after a promise passed.
        log.wait(30 * 24 * 60);
        for kind in CommandKind::ALL {
            for actor in ACTORS {
                let now = log.now;
                log.refused(actor, command(kind, now));
            }
        }
        assert_eq!(log.status(), S::Withdrawn);
    }
}

#[test]
fn solved_is_final() {
    let mut log = reach(S::Solved);
    log.wait(30 * 24 * 60);
    for kind in CommandKind::ALL {
        for actor in ACTORS {
            let now = log.now;
            if let Ok(event) = log.act(actor, command(kind, now)) {
                assert!(
                    matches!(
                        event.kind,
                        EventKind::MakeGoodOffered { .. }
                            | EventKind::MakeGoodAccepted
                            | EventKind::MakeGoodDeclined
                            | EventKind::Rated { .. }
                            | EventKind::FollowUpAsked
                            | EventKind::FollowUpAnswered { .. }
                    ),
                    "{event:?}"
                );
            }
            assert_eq!(log.status(), S::Solved);
        }
    }
    assert_eq!(log.ticket.milestones().solved_at, Some(t0().plus_minutes(15)));
}

#[test]
fn first_response_and_first_sincere_apology_milestones() {
    // The first apology is read from the log's text by the recovery record.
    let first_apology = |log: &Log| {
        let record = mend_core::record::TicketRecord::of(&log.ticket, &log.events, &log.policy);
        record.first_apology_ms.map(|ms| log.ticket.reported_at().plus_millis(ms))
    };
    let mut log = Log::open();
    // Escalating and offering are not answering the customer.
    log.wait(5).must(Rep, escalate());
    log.wait(5).must(Manager, offer(SMALL_OFFER_CENTS));
    // The customer's own words are not a response, however apologetic.
    log.wait(5).must(Customer, message("We're so sorry, we got this wrong."));
    assert_eq!(log.ticket.milestones().first_response_at, None);
    assert_eq!(first_apology(&log), None);
    assert_eq!(log.status(), S::Reported);

    // A stock apology is a response but not a sincere apology.
    let responded_at = log.wait(5).now;
    log.must(Rep, message("We apologize for any inconvenience."));
    assert_eq!(log.ticket.milestones().first_response_at, Some(responded_at));
    assert_eq!(first_apology(&log), None);
    assert_eq!(log.status(), S::Acknowledged);

    // The first sincere apology is recorded once: a later one does not move it.
    let apologised_at = log.wait(5).now;
    log.must(Manager, update_saying("We're so sorry, we got this wrong.", apologised_at.plus_minutes(60)));
    let next = log.wait(5).now.plus_minutes(60);
    log.must(Rep, update_saying("We're so sorry, we got this wrong.", next));
    let milestones = log.ticket.milestones();
    assert_eq!(milestones.first_response_at, Some(responded_at));
    assert_eq!(first_apology(&log), Some(apologised_at));
    assert_eq!(milestones.solved_at, None);

    log.wait(5).must(Rep, propose());
    let solved_at = log.wait(5).now;
    log.must(Customer, Command::ConfirmSolved);
    assert_eq!(log.ticket.milestones().solved_at, Some(solved_at));
    assert_eq!(Ticket::from_events(&log.events).unwrap().milestones(), log.ticket.milestones());

    // A sincere apology in a resolution summary counts as well.
    let mut log = Log::open();
    let at = log.wait(5).now;
    log.must(
        Rep,
        Command::ProposeResolution {
            summary: Summary::parse("We're so sorry, we got this wrong. The armchair arrives today.").unwrap(),
            prevention: PreventionNote::parse("Orders are now checked against the packing list.").unwrap(),
        },
    );
    assert_eq!(log.ticket.milestones().first_response_at, Some(at));
    assert_eq!(first_apology(&log), Some(at));
    assert_eq!(log.ticket.milestones().first_proposed_at, Some(at));
}

// ---------------------------------------------------------------------------
// The rep queue
// ---------------------------------------------------------------------------

#[test]
fn risk_orders_missed_and_soon_due_promises_first_then_unanswered_reports_by_age() {
    let now = t0().plus_minutes(24 * 60);
    let opened = |minutes: i64| Log::open_at(t0().plus_minutes(minutes));
    let mut tickets: Vec<(&str, Log)> = Vec::new();

    // Due an hour after t0, recorded missed.
    let mut missed = opened(0);
    missed.wait(5).must(Rep, update(t0().plus_minutes(60)));
    missed.now = t0().plus_minutes(70);
    missed.must(System, Command::MarkPromiseMissed);
    tickets.push(("missed", missed));

    // Overdue ten minutes, not yet recorded missed.
    let mut overdue = opened(10);
    overdue.wait(5).must(Rep, update(now.plus_minutes(-10)));
    tickets.push(("overdue", overdue));

    // Due within the hour, and right at the hour's edge.
    let mut due_soon = opened(20);
    due_soon.wait(5).must(Rep, update(now.plus_minutes(30)));
    tickets.push(("due in 30 minutes", due_soon));
    let mut due_at_edge = opened(30);
    due_at_edge.wait(5).must(Rep, update(now.plus_minutes(60)));
    tickets.push(("due in 60 minutes", due_at_edge));

    // Nobody has promised anything: new, reopened, or answered without a promise.
    tickets.push(("newest unanswered", opened(300)));
    tickets.push(("oldest unanswered", opened(40)));
    let mut reopened = opened(50);
    reopened.wait(5).must(Rep, propose());
    reopened.wait(5).must(Customer, not_yet());
    tickets.push(("reopened", reopened));
    let mut acknowledged = opened(60);
    acknowledged.wait(5).must(Rep, message("We are looking into it."));
    tickets.push(("acknowledged without a promise", acknowledged));

    // Promised, not yet at risk.
    let mut promised_later = opened(70);
    promised_later.wait(5).must(Rep, update(now.plus_minutes(300)));
    tickets.push(("due in 5 hours", promised_later));
    let mut promised_soonest = opened(80);
    promised_soonest.wait(5).must(Rep, update(now.plus_minutes(61)));
    tickets.push(("due in 61 minutes", promised_soonest));

    // The ball is with the customer.
    let mut proposed = opened(100);
    proposed.wait(5).must(Rep, update(now.plus_minutes(-600)));
    proposed.wait(5).must(Rep, propose());
    tickets.push(("proposed", proposed));
    let mut waiting = opened(90);
    waiting.wait(5).must(Rep, update(now.plus_minutes(-60)));
    waiting.wait(5).must(Rep, question());
    tickets.push(("waiting on the customer", waiting));

    // Closed.
    let mut withdrawn = opened(120);
    withdrawn.wait(5).must(Customer, Command::Withdraw);
    tickets.push(("withdrawn", withdrawn));
    let mut solved = opened(110);
    solved.wait(5).must(Rep, propose());
    solved.wait(5).must(Customer, Command::ConfirmSolved);
    tickets.push(("solved", solved));

    let keys: Vec<RiskKey> = tickets.iter().map(|(_, log)| log.ticket.risk(now)).collect();
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), keys.len(), "two tickets share a risk key: {keys:?}");
    tickets.sort_by_key(|(_, log)| log.ticket.risk(now));
    let order: Vec<&str> = tickets.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        order,
        [
            "missed",
            "overdue",
            "due in 30 minutes",
            "due in 60 minutes",
            "oldest unanswered",
            "reopened",
            "acknowledged without a promise",
            "newest unanswered",
            "due in 61 minutes",
            "due in 5 hours",
            "waiting on the customer",
            "proposed",
            "solved",
            "withdrawn",
        ]
    );
    let tiers: Vec<RiskTier> = tickets.iter().map(|(_, log)| log.ticket.risk(now).tier).collect();
    assert_eq!(
        tiers,
        [
            [RiskTier::PromiseAtRisk; 4].as_slice(),
            &[RiskTier::Unanswered; 4],
            &[RiskTier::Promised; 2],
            &[RiskTier::WithCustomer; 2],
            &[RiskTier::Closed; 2],
        ]
        .concat()
    );
    assert_eq!(tickets[0].1.ticket.risk(now), RiskKey { tier: RiskTier::PromiseAtRisk, at: t0().plus_minutes(60) });
    assert_eq!(tickets[4].1.ticket.risk(now), RiskKey { tier: RiskTier::Unanswered, at: t0().plus_minutes(40) });
}

// ---------------------------------------------------------------------------
// The log
// ---------------------------------------------------------------------------

#[test]
fn deciding_changes_nothing_until_the_event_is_applied() {
    let mut log = reach(S::InProgress);
    log.wait(5);
    let before = log.ticket.clone();
    let event = log.decide(Rep, propose()).unwrap();
    assert_eq!(log.ticket, before);
    assert_eq!(event.seq, before.last_seq() + 1);
    let mut ticket = log.ticket.clone();
    ticket.apply(&event).unwrap();
    assert_ne!(ticket, before);
    assert_eq!(ticket.last_seq(), event.seq);
}

#[test]
fn apply_refuses_a_replayed_or_skipping_event_and_changes_nothing() {
    let mut log = reach(S::Acknowledged);
    let last = log.events.last().unwrap().clone();
    let before = log.ticket.clone();
    assert_eq!(log.ticket.apply(&last), Err(LogError::OutOfSequence { expected: 3, found: 2 }));
    assert_eq!(log.ticket, before);

    log.wait(5);
    let mut skipping = log.decide(Rep, propose()).unwrap();
    skipping.seq += 1;
    assert_eq!(log.ticket.apply(&skipping), Err(LogError::OutOfSequence { expected: 3, found: 4 }));
    assert_eq!(log.ticket, before);

    let second_report = Event {
        seq: 3,
        at: log.now,
        by: Customer,
        signed: None,
        author: None,
        kind: EventKind::Reported {
            report: Box::new(report()),
            apology: None,
            first_answer_by: None,
            opens_at: None,
            came_back: None,
            earlier: Vec::new(),
        },
    };
    assert_eq!(log.ticket.apply(&second_report), Err(LogError::SecondReport { seq: 3 }));
    assert_eq!(log.ticket, before);

    log.must(Rep, propose());
    assert_eq!(log.ticket.last_seq(), 3);
}

#[test]
fn from_events_keeps_the_report_and_when_it_was_made() {
    let log = reach(S::Solved);
    let ticket = Ticket::from_events(&log.events).unwrap();
    assert_eq!(ticket, log.ticket);
    assert_eq!(ticket.report(), &report());
    assert_eq!(ticket.reported_at(), t0());
    assert_eq!(ticket.last_seq(), 4);
}

#[test]
fn from_events_rejects_gaps_and_second_reports() {
    let log = reach(S::ResolutionProposed);
    let [opened, updated, proposed] = <[Event; 3]>::try_from(log.events.clone()).unwrap();
    assert_eq!(Ticket::from_events([&opened, &updated, &proposed]), Ok(log.ticket.clone()));

    // Nothing at all.
    assert_eq!(Ticket::from_events(&Vec::<Event>::new()), Err(LogError::Empty));

    // Not started by a report, whatever its number.
    assert_eq!(Ticket::from_events([&updated, &proposed]), Err(LogError::NotStartedByReport));
    let mut updated_first = updated.clone();
    updated_first.seq = 1;
    assert_eq!(Ticket::from_events([&updated_first]), Err(LogError::NotStartedByReport));

    // A report that is not number 1.
    let mut late_report = opened.clone();
    late_report.seq = 2;
    assert_eq!(Ticket::from_events([&late_report]), Err(LogError::OutOfSequence { expected: 1, found: 2 }));
    let mut zeroth_report = opened.clone();
    zeroth_report.seq = 0;
    assert_eq!(Ticket::from_events([&zeroth_report]), Err(LogError::OutOfSequence { expected: 1, found: 0 }));

    // A gap, a repeat, events out of order.
    assert_eq!(Ticket::from_events([&opened, &proposed]), Err(LogError::OutOfSequence { expected: 2, found: 3 }));
    assert_eq!(
        Ticket::from_events([&opened, &updated, &updated]),
        Err(LogError::OutOfSequence { expected: 3, found: 2 })
    );
    assert_eq!(
        Ticket::from_events([&opened, &proposed, &updated]),
        Err(LogError::OutOfSequence { expected: 2, found: 3 })
    );

    // A second report, correctly numbered.
    let mut second_report = opened.clone();
    second_report.seq = 2;
    assert_eq!(Ticket::from_events([&opened, &second_report]), Err(LogError::SecondReport { seq: 2 }));
    second_report.seq = 4;
    assert_eq!(
        Ticket::from_events([&opened, &updated, &proposed, &second_report]),
        Err(LogError::SecondReport { seq: 4 })
    );
    // A second report that is also out of sequence is a gap first.
    second_report.seq = 9;
    assert_eq!(Ticket::from_events([&opened, &second_report]), Err(LogError::OutOfSequence { expected: 2, found: 9 }));
}

/// The wire name of an event's kind, written out for every kind.
fn wire_type(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Reported { .. } => "reported",
        EventKind::MessageAdded { .. } => "message_added",
        EventKind::Updated { .. } => "updated",
        EventKind::QuestionAsked { .. } => "question_asked",
        EventKind::Escalated { .. } => "escalated",
        EventKind::ResolutionProposed { .. } => "resolution_proposed",
        EventKind::ConfirmedSolved => "confirmed_solved",
        EventKind::Reopened { .. } => "reopened",
        EventKind::MakeGoodOffered { .. } => "make_good_offered",
        EventKind::MakeGoodAccepted => "make_good_accepted",
        EventKind::MakeGoodDeclined => "make_good_declined",
        EventKind::Rated { .. } => "rated",
        EventKind::PromiseMissed { .. } => "promise_missed",
        EventKind::Withdrawn => "withdrawn",
        EventKind::OwnershipTaken => "ownership_taken",
        EventKind::HandedOver { .. } => "handed_over",
        EventKind::FollowUpAsked => "follow_up_asked",
        EventKind::FollowUpAnswered { .. } => "follow_up_answered",
    }
}

#[test]
fn event_json_round_trips() {
    // One log through every kind but `withdrawn`, and one that is withdrawn.
    let mut solved = Log::open();
    solved.wait(5).must(Customer, message("Any news?"));
    let promise = solved.wait(5).now.plus_minutes(60);
    solved.must(Rep, update(promise));
    solved.wait(5).must(Rep, question());
    solved.wait(5).must(Customer, message("It was the green one."));
    solved.wait(5).must(Rep, escalate());
    solved.wait(5).must(Manager, offer(REP_CAP_CENTS * 2));
    solved.wait(5).must(Customer, Command::DeclineMakeGood);
    solved.wait(5).must(Rep, offer(SMALL_OFFER_CENTS));
    solved.wait(5).must(Customer, Command::AcceptMakeGood);
    solved.wait(120).must(System, Command::MarkPromiseMissed);
    solved.wait(5).must(Rep, propose());
    solved.wait(5).must(Customer, not_yet());
    solved.wait(5).must(Manager, propose());
    solved.wait(5).must(Customer, Command::ConfirmSolved);
    solved.wait(5).must(Customer, rate(5));
    solved.wait(7 * 24 * 60).must(System, Command::AskFollowUp);
    solved.wait(5).must(Customer, came_back());
    let mut withdrawn = Log::open();
    withdrawn.wait(5).must(Manager, Command::TakeOwnership);
    withdrawn.wait(5).must(Manager, hand_over(alex()));
    withdrawn.wait(5).must(Customer, Command::Withdraw);

    let all_types: HashSet<&str> = [
        "reported",
        "message_added",
        "updated",
        "question_asked",
        "escalated",
        "resolution_proposed",
        "confirmed_solved",
        "reopened",
        "make_good_offered",
        "make_good_accepted",
        "make_good_declined",
        "rated",
        "promise_missed",
        "withdrawn",
        "ownership_taken",
        "handed_over",
        "follow_up_asked",
        "follow_up_answered",
    ]
    .into();
    let mut seen = HashSet::new();
    for log in [&solved, &withdrawn] {
        for event in &log.events {
            let text = serde_json::to_string(event).unwrap();
            let back: Event = serde_json::from_str(&text).unwrap();
            assert_eq!(&back, event, "{text}");
            let value = serde_json::to_value(event).unwrap();
            assert_eq!(value["type"], json!(wire_type(&event.kind)), "{text}");
            assert_eq!(value["seq"], json!(event.seq));
            assert_eq!(value["by"], json!(format!("{:?}", event.by).to_lowercase()));
            seen.insert(wire_type(&event.kind));
        }
        // The whole log round-trips and folds to the same ticket.
        let text = serde_json::to_string(&log.events).unwrap();
        let back: Vec<Event> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, log.events);
        assert_eq!(Ticket::from_events(&back), Ok(log.ticket.clone()));
    }
    assert_eq!(seen, all_types, "not every event kind was round-tripped");

    // A few shapes pinned exactly.
    let find = |type_name: &str| solved.events.iter().find(|e| wire_type(&e.kind) == type_name).unwrap();
    assert_eq!(
        serde_json::to_value(find("promise_missed")).unwrap(),
        json!({"seq": 11, "at": "2026-11-23T11:45:00Z", "by": "system", "type": "promise_missed",
               "due": "2026-11-23T10:15:00Z"})
    );
    assert_eq!(
        serde_json::to_value(find("escalated")).unwrap(),
        json!({"seq": 6, "at": "2026-11-23T09:25:00Z", "by": "rep", "type": "escalated",
               "author": {"key_id": "key-sam", "label": "Sam, support"}, "escalation": "other_department_must_act"})
    );
    assert_eq!(
        serde_json::to_value(find("make_good_offered")).unwrap(),
        json!({"seq": 7, "at": "2026-11-23T09:30:00Z", "by": "manager", "type": "make_good_offered",
               "author": {"key_id": "key-mia", "label": "Mia, support lead"}, "make_good": {"kind": "credit", "value": {"currency": "USD", "minor_units": 50_000},
                             "note": "For the evening we spoilt."}})
    );
    assert_eq!(
        serde_json::to_value(find("rated")).unwrap(),
        json!({"seq": 16, "at": "2026-11-23T12:10:00Z", "by": "customer", "type": "rated",
               "rating": {"score": 5, "comment": "They made it right."}})
    );
    assert_eq!(
        serde_json::to_value(&withdrawn.events[3]).unwrap(),
        json!({"seq": 4, "at": "2026-11-23T09:15:00Z", "by": "customer", "type": "withdrawn"})
    );
    let mia = json!({"key_id": "key-mia", "label": "Mia, support lead"});
    assert_eq!(
        serde_json::to_value(&withdrawn.events[1]).unwrap(),
        json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "manager", "author": mia, "type": "ownership_taken"})
    );
    assert_eq!(
        serde_json::to_value(&withdrawn.events[2]).unwrap(),
        json!({"seq": 3, "at": "2026-11-23T09:10:00Z", "by": "manager", "author": mia, "type": "handed_over",
               "from": mia, "to": {"key_id": "key-alex", "label": "Alex, support"},
               "note": "She prefers email; the courier is booked for Friday."})
    );

    // Reading re-checks what is inside an event.
    let blank_reason =
        json!({"seq": 4, "at": "2026-11-23T09:15:00Z", "by": "customer", "type": "reopened", "reason": "  "});
    assert!(serde_json::from_value::<Event>(blank_reason).is_err());
    let unknown_actor = json!({"seq": 6, "at": "2026-11-23T09:25:00Z", "by": "robot", "type": "confirmed_solved"});
    assert!(serde_json::from_value::<Event>(unknown_actor).is_err());
    let missing_due = json!({"seq": 6, "at": "2026-11-23T09:25:00Z", "by": "system", "type": "promise_missed"});
    assert!(serde_json::from_value::<Event>(missing_due).is_err());
    let bad_score = json!({"seq": 6, "at": "2026-11-23T09:25:00Z", "by": "customer", "type": "rated",
                           "rating": {"score": 6}});
    assert!(serde_json::from_value::<Event>(bad_score).is_err());
}

// ---------------------------------------------------------------------------
// Properties of any command sequence
// ---------------------------------------------------------------------------

/// A command as the property tests generate it.
#[derive(Debug, Clone, Copy)]
enum Cmd {
    Message,
    /// An update promising the next one this many minutes after it is given.
    Update {
        promise_in: i64,
    },
    Question,
    Escalate,
    Propose,
    Confirm,
    NotYet,
    Offer {
        cents: i64,
    },
    Accept,
    Decline,
    Rate,
    MarkMissed,
    Withdraw,
    Take,
    /// A handover to Sam (0), Alex (1) or Mia (2).
    HandTo(u8),
    AskFollowUp,
    Held,
    CameBack,
}

impl Cmd {
    fn kind(self) -> CommandKind {
        match self {
            Cmd::Message => K::AddMessage,
            Cmd::Update { .. } => K::PostUpdate,
            Cmd::Question => K::AskQuestion,
            Cmd::Escalate => K::Escalate,
            Cmd::Propose => K::ProposeResolution,
            Cmd::Confirm => K::ConfirmSolved,
            Cmd::NotYet => K::NotYet,
            Cmd::Offer { .. } => K::OfferMakeGood,
            Cmd::Accept => K::AcceptMakeGood,
            Cmd::Decline => K::DeclineMakeGood,
            Cmd::Rate => K::Rate,
            Cmd::MarkMissed => K::MarkPromiseMissed,
            Cmd::Withdraw => K::Withdraw,
            Cmd::Take => K::TakeOwnership,
            Cmd::HandTo(_) => K::HandOver,
            Cmd::AskFollowUp => K::AskFollowUp,
            Cmd::Held | Cmd::CameBack => K::AnswerFollowUp,
        }
    }

    fn at(self, now: Timestamp) -> Command {
        match self {
            Cmd::Update { promise_in } => update(now.plus_minutes(promise_in)),
            Cmd::Offer { cents } => offer(cents),
            Cmd::HandTo(who) => hand_over([sam(), alex(), mia()][usize::from(who % 3)].clone()),
            Cmd::CameBack => came_back(),
            other => command(other.kind(), now),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Step {
    actor: Actor,
    cmd: Cmd,
    /// Minutes the clock moves on before this command.
    after: i64,
}

fn cmd() -> impl Strategy<Value = Cmd> {
    let promise_in = prop_oneof![
        Just(-1i64),
        Just(0i64),
        Just(1i64),
        Just(60i64),
        Just(HORIZON_MINUTES),
        Just(HORIZON_MINUTES + 1),
        -120i64..=HORIZON_MINUTES + 120,
    ];
    let cents = prop_oneof![Just(REP_CAP_CENTS), Just(REP_CAP_CENTS + 1), 0i64..=REP_CAP_CENTS * 4];
    prop_oneof![
        2 => Just(Cmd::Message),
        4 => promise_in.prop_map(|promise_in| Cmd::Update { promise_in }),
        1 => Just(Cmd::Question),
        1 => Just(Cmd::Escalate),
        2 => Just(Cmd::Propose),
        2 => Just(Cmd::Confirm),
        1 => Just(Cmd::NotYet),
        1 => cents.prop_map(|cents| Cmd::Offer { cents }),
        1 => Just(Cmd::Accept),
        1 => Just(Cmd::Decline),
        1 => Just(Cmd::Rate),
        2 => Just(Cmd::MarkMissed),
        1 => Just(Cmd::Withdraw),
        1 => Just(Cmd::Take),
        1 => (0u8..3).prop_map(Cmd::HandTo),
        2 => Just(Cmd::AskFollowUp),
        1 => Just(Cmd::Held),
        1 => Just(Cmd::CameBack),
    ]
}

/// A step: mostly an actor allowed to give the command (so tickets get somewhere), sometimes anyone.
fn step() -> impl Strategy<Value = Step> {
    let after = prop_oneof![3 => 0i64..=10, 2 => 0i64..=600, 1 => Just(HORIZON_MINUTES), 1 => 0i64..=3 * 24 * 60];
    (cmd(), prop::bool::weighted(0.85), 0usize..4, after).prop_map(|(cmd, allowed, pick, after)| {
        let actor = if allowed {
            let actors = who_may(cmd.kind());
            actors[pick % actors.len()]
        } else {
            ACTORS[pick]
        };
        Step { actor, cmd, after }
    })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 0..=40)
}

/// One command given during a run: the ticket before and after, and what came of it.
struct Turn {
    step: Step,
    now: Timestamp,
    before: Ticket,
    result: Result<Event, Rejection>,
    after: Ticket,
}

/// A run of `steps` from a fresh ticket: every outcome, the whole log, and
/// the ticket after each event of the log (`tickets[i]` after `events[..=i]`).
/// Runs of an odd number of steps start from a report whose first answer is
/// promised two hours after it, except every other one (3, 7, 11… steps),
/// which starts from a proactive report by the company; the others from a
/// report without that promise. Every property holds for all three.
struct Run {
    turns: Vec<Turn>,
    events: Vec<Event>,
    tickets: Vec<Ticket>,
}

fn run(steps: &[Step]) -> Run {
    let mut log = match steps.len() % 4 {
        3 => Log::found_by_the_company(),
        1 => Log::promising_first_answer(120),
        _ => Log::open(),
    };
    let mut run = Run { turns: Vec::new(), events: vec![log.events[0].clone()], tickets: vec![log.ticket.clone()] };
    for &step in steps {
        log.wait(step.after);
        let before = log.ticket.clone();
        let result = log.act(step.actor, step.cmd.at(log.now));
        if let Ok(event) = &result {
            run.events.push(event.clone());
            run.tickets.push(log.ticket.clone());
        }
        run.turns.push(Turn { step, now: log.now, before, result, after: log.ticket.clone() });
    }
    assert_eq!(run.events, log.events);
    run
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// What the core lists for an actor is what it accepts: a command
    /// accepted was of a kind `Ticket::allowed` listed for its actor then, and
    /// for every actor each kind is listed exactly when its well-formed
    /// example would be accepted. So a shell offering what the core lists
    /// offers nothing that will be refused, and hides nothing that would not.
    #[test]
    fn prop_what_the_core_allows_is_what_it_accepts(steps in steps()) {
        let run = run(&steps);
        let policy = policy();
        for turn in &run.turns {
            if turn.result.is_ok() {
                let by = person(turn.step.actor);
                let context = Context::new(turn.now, &policy).by(by.as_ref());
                let listed = turn.before.allowed(turn.step.actor, &context);
                prop_assert!(listed.contains(&turn.step.cmd.kind()), "{:?} accepted but not listed", turn.step);
            }
            for actor in ACTORS {
                let by = person(actor);
                let context = Context::new(turn.now, &policy).by(by.as_ref());
                let listed = turn.before.allowed(actor, &context);
                for kind in CommandKind::ALL {
                    let accepted = turn.before.decide(actor, kind.example(&context), &context).is_ok();
                    prop_assert_eq!(accepted, listed.contains(&kind), "{:?} by {:?}", kind, actor);
                    if listed.contains(&kind) {
                        prop_assert!(kind.permits(actor), "{:?} listed for {:?}, who may never give it", kind, actor);
                    }
                }
            }
        }
    }

    /// (a) Solved is reached only by a `ConfirmedSolved` event given by the customer.
    #[test]
    fn prop_solved_only_by_the_customers_confirmation(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let was_solved = turn.before.state() == &State::Solved;
            let is_solved = turn.after.state() == &State::Solved;
            if is_solved && !was_solved {
                let event = turn.result.as_ref().unwrap();
                prop_assert_eq!(&event.kind, &EventKind::ConfirmedSolved);
                prop_assert_eq!(event.by, Actor::Customer);
                prop_assert_eq!(turn.before.state().status(), Status::ResolutionProposed);
            }
        }
        for event in &run.events {
            if event.kind == EventKind::ConfirmedSolved {
                prop_assert_eq!(event.by, Actor::Customer);
            }
        }
    }

    /// (b) Accepted events are numbered 1, 2, 3, … with no gaps or repeats.
    #[test]
    fn prop_sequence_numbers_increase_by_exactly_one(steps in steps()) {
        let run = run(&steps);
        for (i, event) in run.events.iter().enumerate() {
            prop_assert_eq!(event.seq, i as u64 + 1);
        }
        for turn in &run.turns {
            match &turn.result {
                Ok(event) => {
                    prop_assert_eq!(event.seq, turn.before.last_seq() + 1);
                    prop_assert_eq!(turn.after.last_seq(), event.seq);
                    prop_assert_eq!(event.at, turn.now);
                    prop_assert_eq!(event.by, turn.step.actor);
                    prop_assert!(records_as(turn.step.cmd.kind(), &event.kind));
                }
                Err(_) => prop_assert_eq!(turn.after.last_seq(), turn.before.last_seq()),
            }
        }
    }

    /// (c) Folding any prefix of the log gives the ticket built event by event.
    #[test]
    fn prop_from_events_equals_applying_one_by_one(steps in steps()) {
        let run = run(&steps);
        prop_assert_eq!(run.tickets.len(), run.events.len());
        for (i, ticket) in run.tickets.iter().enumerate() {
            let folded = Ticket::from_events(&run.events[..=i]);
            prop_assert_eq!(folded.as_ref(), Ok(ticket), "prefix of {} events", i + 1);
        }
    }

    /// (d) A refused command leaves the ticket exactly as it was; only the permission table decides
    /// `NotPermitted`.
    #[test]
    fn prop_rejection_leaves_the_ticket_unchanged(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let (actor, kind) = (turn.step.actor, turn.step.cmd.kind());
            match &turn.result {
                Err(rejection) => {
                    prop_assert_eq!(&turn.after, &turn.before);
                    let not_permitted = matches!(rejection, Rejection::NotPermitted { .. });
                    prop_assert_eq!(not_permitted, !permitted(kind, actor), "{:?}", rejection);
                }
                Ok(_) => {
                    prop_assert!(permitted(kind, actor));
                    prop_assert_ne!(&turn.after, &turn.before);
                }
            }
        }
    }

    /// (e) The promise ledger never counts more promises settled than made, and never goes back.
    #[test]
    fn prop_promise_ledger_is_consistent_and_only_grows(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let (before, after) = (turn.before.promises(), turn.after.promises());
            prop_assert!(after.kept + after.missed <= after.made, "{:?}", after);
            prop_assert!(after.made >= before.made && after.kept >= before.kept && after.missed >= before.missed,
                "{:?} went back to {:?}", before, after);
            if let Ok(Event { kind: EventKind::Updated { .. }, .. }) = &turn.result {
                prop_assert_eq!(after.made, before.made + 1);
            } else {
                prop_assert_eq!(after.made, before.made);
            }
        }
    }

    /// (f) Nothing ever leaves Solved or Withdrawn.
    #[test]
    fn prop_nothing_leaves_solved_or_withdrawn(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let before = turn.before.state().status();
            if matches!(before, Status::Solved | Status::Withdrawn) {
                prop_assert_eq!(turn.after.state().status(), before);
            }
        }
    }

    /// (g) The first-answer promise is settled once, by the company's first
    /// answer or Mend's record of the miss, and never changes after.
    #[test]
    fn prop_the_first_answer_is_settled_once(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let (before, after) = (turn.before.first_answer(), turn.after.first_answer());
            match before {
                FirstAnswer::Pending => {
                    if after != FirstAnswer::Pending {
                        let event = turn.result.as_ref().unwrap();
                        let answer = event.by.is_company()
                            && matches!(
                                event.kind,
                                EventKind::MessageAdded { .. }
                                    | EventKind::Updated { .. }
                                    | EventKind::QuestionAsked { .. }
                                    | EventKind::ResolutionProposed { .. }
                            );
                        let missed = matches!(event.kind, EventKind::PromiseMissed { first_answer: true, .. });
                        prop_assert!(answer || missed, "{:?} settled the first answer", event.kind);
                    }
                }
                settled => prop_assert_eq!(after, settled),
            }
        }
    }

    /// (i) A follow-up never changes a solved ticket's state: asking and
    /// answering leave it solved, and only its follow-up moves, once each way.
    #[test]
    fn prop_a_follow_up_never_changes_a_solved_tickets_state(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let Ok(event) = &turn.result else { continue };
            if matches!(event.kind, EventKind::FollowUpAsked | EventKind::FollowUpAnswered { .. }) {
                prop_assert_eq!(turn.before.state(), &State::Solved);
                prop_assert_eq!(turn.after.state(), &State::Solved);
                prop_assert_eq!(turn.after.last_seq(), turn.before.last_seq() + 1);
            }
            let (before, after) = (turn.before.follow_up(), turn.after.follow_up());
            match event.kind {
                EventKind::FollowUpAsked => prop_assert_eq!((before, after), (FollowUp::NotAsked, FollowUp::Asked)),
                EventKind::FollowUpAnswered { held, .. } => {
                    let answer = if held { FollowUp::Held } else { FollowUp::CameBack };
                    prop_assert_eq!((before, after), (FollowUp::Asked, answer));
                }
                _ => prop_assert_eq!(after, before),
            }
        }
    }

    /// (h) Ownership moves only as the rules say, and never moves the
    /// state: an owner, once there, is replaced only by a handover; an
    /// unowned ticket gains one by an answer, a take or a handover.
    #[test]
    fn prop_ownership_moves_only_by_answer_take_or_handover(steps in steps()) {
        let run = run(&steps);
        for turn in &run.turns {
            let (before, after) = (turn.before.owner(), turn.after.owner());
            let Ok(event) = &turn.result else { continue };
            match &event.kind {
                EventKind::HandedOver { to, .. } => {
                    prop_assert_eq!(after, Some(to));
                    prop_assert_eq!(turn.after.handovers(), turn.before.handovers() + 1);
                }
                EventKind::OwnershipTaken => {
                    prop_assert!(before.is_none());
                    prop_assert_eq!(after, event.author.as_ref());
                }
                _ if before.is_none() && event.is_company_answer() => prop_assert_eq!(after, event.author.as_ref()),
                _ => prop_assert_eq!(after, before),
            }
            if matches!(event.kind, EventKind::HandedOver { .. } | EventKind::OwnershipTaken) {
                prop_assert_eq!(turn.after.state(), turn.before.state());
            }
        }
    }
}

/// A week after the customer said "solved", and not a moment before, Mend
/// asks once whether the fix held; only the customer answers, once. "It
/// came back" leaves this ticket solved and opens a new one from what
/// happened, on the same order, looked after by the same colleague, which
/// sorts first in the queue until the company answers it.
#[test]
fn the_follow_up_asks_once_a_week_after_solved_and_only_the_customer_answers() {
    let mut log = Log::open();
    log.wait(5).must(Rep, update(t0().plus_minutes(65)));
    log.wait(5).must(Rep, propose());
    log.wait(5).must(Customer, Command::ConfirmSolved);
    let solved_at = log.now;
    assert_eq!(log.ticket.follow_up_due(FOLLOW_UP_MS), Some(solved_at.plus_millis(FOLLOW_UP_MS)));
    assert_eq!(
        log.ticket.alarm_at(None, FOLLOW_UP_MS),
        Some(solved_at.plus_millis(FOLLOW_UP_MS)),
        "the object wakes for it"
    );

    assert_eq!(log.refused(Customer, came_back()), Rejection::Conflict(Conflict::NoFollowUpAsked));
    log.now = solved_at.plus_millis(FOLLOW_UP_MS - 1);
    assert_eq!(log.refused(System, Command::AskFollowUp), Rejection::Conflict(Conflict::NoFollowUpDue));
    assert!(matches!(log.refused(Rep, Command::AskFollowUp), Rejection::NotPermitted { .. }));
    log.now = solved_at.plus_millis(FOLLOW_UP_MS);
    log.must(System, Command::AskFollowUp);
    assert_eq!((log.ticket.follow_up(), log.status()), (FollowUp::Asked, S::Solved));
    assert_eq!(log.ticket.follow_up_due(FOLLOW_UP_MS), None);
    assert_eq!(log.ticket.alarm_at(None, FOLLOW_UP_MS), None, "asked once");
    assert_eq!(log.refused(System, Command::AskFollowUp), Rejection::Conflict(Conflict::NoFollowUpDue));
    assert!(matches!(log.refused(Rep, came_back()), Rejection::NotPermitted { .. }));
    assert_eq!(
        log.ticket.allowed(Customer, &Context::new(log.now, &log.policy)),
        [K::Rate, K::AnswerFollowUp],
        "the customer is offered the answer"
    );

    let answered = log.wait(60).must(Customer, came_back());
    assert_eq!((log.ticket.follow_up(), log.status()), (FollowUp::CameBack, S::Solved), "it stays solved");
    assert_eq!(
        log.refused(Customer, Command::AnswerFollowUp(FollowUpAnswer::Held)),
        Rejection::Conflict(Conflict::FollowUpAnswered)
    );
    let EventKind::FollowUpAnswered { held: false, reopened_as: Some(new_id), .. } = &answered.kind else {
        panic!("{answered:?}")
    };

    // The new ticket: the customer's words, the old order, Sam still looking after it, first in the queue.
    let opened = log.ticket.came_back(
        TicketId::parse("fedcba9876543210fedcba9876543210").unwrap(),
        WhatHappened::parse("The leg snapped again.").unwrap(),
        None,
        log.now,
    );
    let again = Ticket::from_events([&opened]).unwrap();
    assert_eq!(again.report().what_happened.as_str(), "The leg snapped again.");
    assert_eq!(again.report().order_id, log.ticket.report().order_id);
    assert_eq!(again.owner(), Some(&sam()));
    assert_eq!(again.came_back_from().map(TicketId::as_str), Some("fedcba9876543210fedcba9876543210"));
    assert_eq!(again.risk(log.now).tier, RiskTier::CameBack);
    assert_eq!(new_id.as_str(), "0123456789abcdef0123456789abcdef");
    // The customer is sent the link, not who looks after it beyond a first name.
    let shown = serde_json::to_value(opened.for_customer()).unwrap();
    assert_eq!(shown["came_back"], json!({"ticket": "fedcba9876543210fedcba9876543210", "owner": {}}));

    // "It held" is recorded as held; unanswered stays asked, never held.
    let mut held = Log::open();
    held.wait(5).must(Rep, propose());
    held.wait(5).must(Customer, Command::ConfirmSolved);
    held.wait(7 * 24 * 60).must(System, Command::AskFollowUp);
    held.wait(5).must(Customer, Command::AnswerFollowUp(FollowUpAnswer::Held));
    assert_eq!(held.ticket.follow_up(), FollowUp::Held);
}

/// A report linked to the same customer's earlier tickets carries them for
/// the company, counts as a repeat in the queue's standing, and is sent to
/// the customer without them.
#[test]
fn a_repeat_report_links_earlier_tickets_for_the_company_only() {
    let earlier = vec![TicketId::parse("0123456789abcdef0123456789abcdef").unwrap()];
    let opened = Ticket::open(report(), None, t0()).linked_to(earlier.clone());
    let ticket = Ticket::from_events([&opened]).unwrap();
    assert_eq!(ticket.earlier(), earlier.as_slice());
    assert!(ticket.standing().repeat);
    assert_eq!(serde_json::to_value(&opened).unwrap()["earlier"], json!(["0123456789abcdef0123456789abcdef"]));
    assert!(
        serde_json::to_value(opened.for_customer()).unwrap().get("earlier").is_none(),
        "the customer sees nothing of it"
    );
    let back: Event = serde_json::from_value(serde_json::to_value(&opened).unwrap()).unwrap();
    assert_eq!(back, opened);
    let fresh = Ticket::from_events([&Ticket::open(report(), None, t0())]).unwrap();
    assert!(fresh.earlier().is_empty() && !fresh.standing().repeat);
}

/// The first company answer makes its author the owner; a colleague's
/// answer after that does not, and counts as answered by someone else. A
/// rep who does not own the ticket can neither take nor hand it over; its
/// owner hands it over with a note the customer never sees; a manager may
/// give any open ticket to anyone but its owner. Owning it lets no one
/// confirm it solved.
#[test]
fn owners_answer_take_and_hand_over() {
    let mut log = Log::open();
    assert_eq!(log.ticket.owner(), None);
    log.wait(5).act_as(Rep, &sam(), update(t0().plus_minutes(65))).unwrap();
    assert_eq!(log.ticket.owner(), Some(&sam()), "the first answer takes ownership");
    log.wait(5).act_as(Rep, &alex(), message("I can help with the courier.")).unwrap();
    assert_eq!(log.ticket.owner(), Some(&sam()), "a colleague's answer does not take it");
    assert_eq!(log.ticket.answers_by_others(), 1);

    let refused = |log: &mut Log, by: Colleague, command| {
        let before = log.ticket.clone();
        let rejection = log.act_as(Rep, &by, command).expect_err("accepted");
        assert_eq!(log.ticket, before);
        rejection
    };
    assert_eq!(refused(&mut log, alex(), Command::TakeOwnership), Rejection::Conflict(Conflict::AlreadyOwned));
    assert_eq!(refused(&mut log, alex(), hand_over(alex())), Rejection::NotOwner);
    assert_eq!(refused(&mut log, sam(), hand_over(sam())), Rejection::Conflict(Conflict::AlreadyTheirs));
    assert!(matches!(refused(&mut log, sam(), Command::ConfirmSolved), Rejection::NotPermitted { .. }));

    let handed = log.wait(5).act_as(Rep, &sam(), hand_over(alex())).unwrap();
    assert_eq!(
        handed.kind,
        EventKind::HandedOver {
            from: Some(sam()),
            to: alex(),
            note: Some(HandoverNote::parse("She prefers email; the courier is booked for Friday.").unwrap())
        }
    );
    assert_eq!((log.ticket.owner(), log.ticket.handovers()), (Some(&alex()), 1));
    assert_eq!(log.status(), S::Acknowledged, "a handover changes no state");

    // The customer reads the handover without the note or who the company's people are,
    // and with first names only where the workspace signs with them.
    let signing = Colleague { first_name: Some(FirstName::parse("Alex").unwrap()), ..alex() };
    let shown = Event { kind: EventKind::HandedOver { from: Some(sam()), to: signing, note: None }, ..handed.clone() };
    assert_eq!(
        serde_json::to_value(shown.for_customer()).unwrap(),
        json!({"seq": 4, "at": "2026-11-23T09:15:00Z", "by": "rep", "type": "handed_over",
               "from": {}, "to": {"first_name": "Alex"}})
    );
    assert_eq!(serde_json::to_value(handed.for_customer()).unwrap()["to"], json!({}));

    // A manager gives an unowned ticket to a rep, and takes one back.
    let mut unowned = Log::open();
    unowned.wait(5).act_as(Manager, &mia(), hand_over(alex())).unwrap();
    assert_eq!(unowned.ticket.owner(), Some(&alex()));
    unowned.wait(5).act_as(Manager, &mia(), hand_over(mia())).unwrap();
    assert_eq!((unowned.ticket.owner(), unowned.ticket.handovers()), (Some(&mia()), 2));
    // A rep takes an unowned ticket before answering; no one takes a closed one.
    let mut taken = Log::open();
    taken.wait(5).act_as(Rep, &alex(), Command::TakeOwnership).unwrap();
    taken.wait(5).act_as(Rep, &sam(), message("On it.")).unwrap();
    assert_eq!((taken.ticket.owner(), taken.ticket.answers_by_others()), (Some(&alex()), 1));
    taken.wait(5).must(Customer, Command::Withdraw);
    let closed = taken.act_as(Manager, &mia(), hand_over(sam())).unwrap_err();
    assert_eq!(closed, Rejection::NotNow { status: S::Withdrawn, command: K::HandOver });
}

#[test]
fn a_make_good_of_nothing_is_refused() {
    let mut log = Log::open();
    let rejection = log.refused(Manager, offer(0));
    assert!(matches!(rejection, Rejection::Invalid(ref err) if err.field == Field::Amount), "{rejection:?}");
    // A real offer is still possible afterwards: nothing is left pending.
    log.must(Manager, offer(SMALL_OFFER_CENTS));
}

#[test]
fn the_alarm_is_set_just_after_the_promise_is_due() {
    let mut log = Log::open();
    let due = log.now.plus_minutes(60);
    log.must(Rep, update(due));
    let alarm = log.ticket.alarm_at(None, FOLLOW_UP_MS).unwrap();
    assert_eq!(alarm, due.plus_millis(1));
    log.now = due;
    assert_eq!(log.decide(System, Command::MarkPromiseMissed), Err(Rejection::Conflict(Conflict::NoPromiseDue)));
    log.now = alarm;
    log.must(System, Command::MarkPromiseMissed);
    assert_eq!(log.ticket.alarm_at(None, FOLLOW_UP_MS), None);
}

#[test]
fn the_one_alarm_is_the_earlier_of_the_promise_and_the_outbox() {
    let mut log = Log::open();
    let soon = log.now.plus_millis(outbox::GRACE_MS);
    // No promise yet: only the outbox wakes the object, and only if it has work.
    assert_eq!(log.ticket.alarm_at(None, FOLLOW_UP_MS), None);
    assert_eq!(log.ticket.alarm_at(Some(soon), FOLLOW_UP_MS), Some(soon));
    let due = log.now.plus_minutes(60);
    log.must(Rep, update(due));
    assert_eq!(log.ticket.alarm_at(Some(soon), FOLLOW_UP_MS), Some(soon), "work due first comes first");
    let late = due.plus_minutes(5);
    assert_eq!(
        log.ticket.alarm_at(Some(late), FOLLOW_UP_MS),
        Some(due.plus_millis(1)),
        "a promise due first comes first"
    );
    assert_eq!(log.ticket.alarm_at(None, FOLLOW_UP_MS), Some(due.plus_millis(1)));
}

#[test]
fn a_ticket_stops_growing_at_its_event_limit() {
    let mut log = Log::open();
    while log.ticket.last_seq() < mend_core::ticket::MAX_EVENTS {
        log.must(Customer, message("Any news?"));
    }
    let rejection = log.refused(Rep, message("Here is the news."));
    assert_eq!(rejection, Rejection::Conflict(Conflict::TicketFull));
    assert_eq!(rejection.to_string(), "This ticket is as long as a ticket may be. Please start a new report.");
    // Permission still comes first.
    assert!(matches!(log.refused(Rep, Command::ConfirmSolved), Rejection::NotPermitted { .. }));
    // The customer still has the last word: a full ticket is never stranded.
    log.must(Customer, Command::Withdraw);
    assert_eq!(log.status(), S::Withdrawn);
}
