//! The ticket lifecycle, tested from outside the crate: the full (state, command, actor) table,
//! the named rules Mend is built on, and properties that hold for any sequence of commands.

use std::collections::HashSet;

use mend_core::clock::Timestamp;
use mend_core::input::{
    Field, Impact, InputError, OrderId, PreventionNote, Problem, Reason, Summary, UpdateText, WhatHappened,
};
use mend_core::ticket::{
    Actor, Command, CommandKind, Event, EventKind, LogError, PROMISE_HORIZON_DAYS, Rejection, Report, State, Status,
    Ticket,
};
use proptest::prelude::*;
use serde_json::json;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Fourteen days, in minutes, written out rather than derived from the code.
const HORIZON_MINUTES: i64 = 14 * 24 * 60;

const ACTORS: [Actor; 4] = [Actor::Customer, Actor::Rep, Actor::Manager, Actor::System];
const STATUSES: [Status; 4] = [Status::Reported, Status::InProgress, Status::ResolutionProposed, Status::Solved];

fn t0() -> Timestamp {
    Timestamp::parse("2026-11-23T09:00:00Z").unwrap()
}

fn report() -> Report {
    Report {
        what_happened: WhatHappened::parse("The armchair was missing from the delivery.").unwrap(),
        how_it_affected_you: Some(Impact::parse("Guests had nowhere to sit.").unwrap()),
        order_id: Some(OrderId::parse("1042").unwrap()),
    }
}

fn update(next_update_by: Timestamp) -> Command {
    Command::PostUpdate { text: UpdateText::parse("The armchair ships tomorrow.").unwrap(), next_update_by }
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

/// A well-formed command of `kind`, given at `now` (updates promise an hour ahead).
fn command(kind: CommandKind, now: Timestamp) -> Command {
    match kind {
        CommandKind::PostUpdate => update(now.plus_minutes(60)),
        CommandKind::ProposeResolution => propose(),
        CommandKind::ConfirmSolved => Command::ConfirmSolved,
        CommandKind::NotYet => not_yet(),
    }
}

/// A ticket together with its log, driven only through `open`, `decide` and `apply`.
struct Log {
    ticket: Ticket,
    events: Vec<Event>,
    now: Timestamp,
}

impl Log {
    fn open() -> Self {
        let opened = Ticket::open(report(), t0());
        let ticket = Ticket::from_events([&opened]).unwrap();
        Log { ticket, events: vec![opened], now: t0() }
    }

    /// Moves the clock on five minutes, then decides and applies `command`.
    fn act(&mut self, actor: Actor, command: Command) -> Result<Event, Rejection> {
        self.now = self.now.plus_minutes(5);
        let event = self.ticket.decide(actor, command, self.now)?;
        self.ticket.apply(&event).unwrap();
        self.events.push(event.clone());
        Ok(event)
    }

    fn must(&mut self, actor: Actor, command: Command) -> Event {
        self.act(actor, command).unwrap_or_else(|rejection| panic!("{actor:?} was refused: {rejection}"))
    }

    fn status(&self) -> Status {
        self.ticket.state().status()
    }
}

/// A ticket in `status`, reached by real decided events from a fresh report.
fn reach(status: Status) -> Log {
    let mut log = Log::open();
    let path: &[(Actor, CommandKind)] = match status {
        Status::Reported => &[],
        Status::InProgress => &[(Actor::Rep, CommandKind::PostUpdate)],
        Status::ResolutionProposed => {
            &[(Actor::Rep, CommandKind::PostUpdate), (Actor::Rep, CommandKind::ProposeResolution)]
        }
        Status::Solved => &[
            (Actor::Rep, CommandKind::PostUpdate),
            (Actor::Rep, CommandKind::ProposeResolution),
            (Actor::Customer, CommandKind::ConfirmSolved),
        ],
    };
    for &(actor, kind) in path {
        let now = log.now.plus_minutes(5);
        log.must(actor, command(kind, now));
    }
    assert_eq!(log.status(), status);
    log
}

// ---------------------------------------------------------------------------
// The table: every (state, command, actor)
// ---------------------------------------------------------------------------

/// What a (state, command, actor) must come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Accepted; the ticket moves to this status.
    To(Status),
    /// Refused with `Rejection::NotPermitted` (this actor may never do this).
    NotPermitted,
    /// Refused with `Rejection::NotNow` (not in this state).
    NotNow,
}

use Expect::{NotNow, NotPermitted, To};

#[rustfmt::skip]
const TABLE: [(Status, CommandKind, Actor, Expect); 64] = [
    // ---- Reported ----------------------------------------------------------------------------------
    (Status::Reported, CommandKind::PostUpdate, Actor::Customer, NotPermitted),
    (Status::Reported, CommandKind::PostUpdate, Actor::Rep, To(Status::InProgress)),
    (Status::Reported, CommandKind::PostUpdate, Actor::Manager, To(Status::InProgress)),
    (Status::Reported, CommandKind::PostUpdate, Actor::System, NotPermitted),
    (Status::Reported, CommandKind::ProposeResolution, Actor::Customer, NotPermitted),
    (Status::Reported, CommandKind::ProposeResolution, Actor::Rep, To(Status::ResolutionProposed)),
    (Status::Reported, CommandKind::ProposeResolution, Actor::Manager, To(Status::ResolutionProposed)),
    (Status::Reported, CommandKind::ProposeResolution, Actor::System, NotPermitted),
    (Status::Reported, CommandKind::ConfirmSolved, Actor::Customer, NotNow),
    (Status::Reported, CommandKind::ConfirmSolved, Actor::Rep, NotPermitted),
    (Status::Reported, CommandKind::ConfirmSolved, Actor::Manager, NotPermitted),
    (Status::Reported, CommandKind::ConfirmSolved, Actor::System, NotPermitted),
    (Status::Reported, CommandKind::NotYet, Actor::Customer, NotNow),
    (Status::Reported, CommandKind::NotYet, Actor::Rep, NotPermitted),
    (Status::Reported, CommandKind::NotYet, Actor::Manager, NotPermitted),
    (Status::Reported, CommandKind::NotYet, Actor::System, NotPermitted),
    // ---- InProgress --------------------------------------------------------------------------------
    (Status::InProgress, CommandKind::PostUpdate, Actor::Customer, NotPermitted),
    (Status::InProgress, CommandKind::PostUpdate, Actor::Rep, To(Status::InProgress)),
    (Status::InProgress, CommandKind::PostUpdate, Actor::Manager, To(Status::InProgress)),
    (Status::InProgress, CommandKind::PostUpdate, Actor::System, NotPermitted),
    (Status::InProgress, CommandKind::ProposeResolution, Actor::Customer, NotPermitted),
    (Status::InProgress, CommandKind::ProposeResolution, Actor::Rep, To(Status::ResolutionProposed)),
    (Status::InProgress, CommandKind::ProposeResolution, Actor::Manager, To(Status::ResolutionProposed)),
    (Status::InProgress, CommandKind::ProposeResolution, Actor::System, NotPermitted),
    (Status::InProgress, CommandKind::ConfirmSolved, Actor::Customer, NotNow),
    (Status::InProgress, CommandKind::ConfirmSolved, Actor::Rep, NotPermitted),
    (Status::InProgress, CommandKind::ConfirmSolved, Actor::Manager, NotPermitted),
    (Status::InProgress, CommandKind::ConfirmSolved, Actor::System, NotPermitted),
    (Status::InProgress, CommandKind::NotYet, Actor::Customer, NotNow),
    (Status::InProgress, CommandKind::NotYet, Actor::Rep, NotPermitted),
    (Status::InProgress, CommandKind::NotYet, Actor::Manager, NotPermitted),
    (Status::InProgress, CommandKind::NotYet, Actor::System, NotPermitted),
    // ---- ResolutionProposed ------------------------------------------------------------------------
    (Status::ResolutionProposed, CommandKind::PostUpdate, Actor::Customer, NotPermitted),
    (Status::ResolutionProposed, CommandKind::PostUpdate, Actor::Rep, NotNow),
    (Status::ResolutionProposed, CommandKind::PostUpdate, Actor::Manager, NotNow),
    (Status::ResolutionProposed, CommandKind::PostUpdate, Actor::System, NotPermitted),
    (Status::ResolutionProposed, CommandKind::ProposeResolution, Actor::Customer, NotPermitted),
    (Status::ResolutionProposed, CommandKind::ProposeResolution, Actor::Rep, NotNow),
    (Status::ResolutionProposed, CommandKind::ProposeResolution, Actor::Manager, NotNow),
    (Status::ResolutionProposed, CommandKind::ProposeResolution, Actor::System, NotPermitted),
    (Status::ResolutionProposed, CommandKind::ConfirmSolved, Actor::Customer, To(Status::Solved)),
    (Status::ResolutionProposed, CommandKind::ConfirmSolved, Actor::Rep, NotPermitted),
    (Status::ResolutionProposed, CommandKind::ConfirmSolved, Actor::Manager, NotPermitted),
    (Status::ResolutionProposed, CommandKind::ConfirmSolved, Actor::System, NotPermitted),
    (Status::ResolutionProposed, CommandKind::NotYet, Actor::Customer, To(Status::InProgress)),
    (Status::ResolutionProposed, CommandKind::NotYet, Actor::Rep, NotPermitted),
    (Status::ResolutionProposed, CommandKind::NotYet, Actor::Manager, NotPermitted),
    (Status::ResolutionProposed, CommandKind::NotYet, Actor::System, NotPermitted),
    // ---- Solved ------------------------------------------------------------------------------------
    (Status::Solved, CommandKind::PostUpdate, Actor::Customer, NotPermitted),
    (Status::Solved, CommandKind::PostUpdate, Actor::Rep, NotNow),
    (Status::Solved, CommandKind::PostUpdate, Actor::Manager, NotNow),
    (Status::Solved, CommandKind::PostUpdate, Actor::System, NotPermitted),
    (Status::Solved, CommandKind::ProposeResolution, Actor::Customer, NotPermitted),
    (Status::Solved, CommandKind::ProposeResolution, Actor::Rep, NotNow),
    (Status::Solved, CommandKind::ProposeResolution, Actor::Manager, NotNow),
    (Status::Solved, CommandKind::ProposeResolution, Actor::System, NotPermitted),
    (Status::Solved, CommandKind::ConfirmSolved, Actor::Customer, NotNow),
    (Status::Solved, CommandKind::ConfirmSolved, Actor::Rep, NotPermitted),
    (Status::Solved, CommandKind::ConfirmSolved, Actor::Manager, NotPermitted),
    (Status::Solved, CommandKind::ConfirmSolved, Actor::System, NotPermitted),
    (Status::Solved, CommandKind::NotYet, Actor::Customer, NotNow),
    (Status::Solved, CommandKind::NotYet, Actor::Rep, NotPermitted),
    (Status::Solved, CommandKind::NotYet, Actor::Manager, NotPermitted),
    (Status::Solved, CommandKind::NotYet, Actor::System, NotPermitted),
];

fn expected(status: Status, kind: CommandKind, actor: Actor) -> Expect {
    TABLE
        .iter()
        .find(|&&(s, k, a, _)| s == status && k == kind && a == actor)
        .map(|&(.., expect)| expect)
        .unwrap_or_else(|| panic!("no table row for {status:?} × {kind:?} × {actor:?}"))
}

/// The event kind an accepted command of `kind` must be recorded as.
fn records_as(kind: CommandKind, event: &EventKind) -> bool {
    matches!(
        (kind, event),
        (CommandKind::PostUpdate, EventKind::Updated { .. })
            | (CommandKind::ProposeResolution, EventKind::ResolutionProposed { .. })
            | (CommandKind::ConfirmSolved, EventKind::ConfirmedSolved)
            | (CommandKind::NotYet, EventKind::Reopened { .. })
    )
}

#[test]
fn table_covers_every_state_command_and_actor_once() {
    let rows: HashSet<(Status, CommandKind, Actor)> = TABLE.iter().map(|&(s, k, a, _)| (s, k, a)).collect();
    assert_eq!(rows.len(), TABLE.len(), "a (state, command, actor) appears twice in the table");
    for status in STATUSES {
        for kind in CommandKind::ALL {
            for actor in ACTORS {
                assert!(rows.contains(&(status, kind, actor)), "missing row {status:?} × {kind:?} × {actor:?}");
            }
        }
    }
}

#[test]
fn every_state_command_and_actor_follows_the_table() {
    let mut failures = Vec::new();
    for &(status, kind, actor, expect) in &TABLE {
        let log = reach(status);
        let before = log.ticket.clone();
        let now = log.now.plus_minutes(5);
        let outcome = log.ticket.decide(actor, command(kind, now), now);
        let row = format!("{status:?} × {kind:?} × {actor:?}: expected {expect:?}, got {outcome:?}");
        match (expect, outcome) {
            (To(next), Ok(event)) => {
                let mut ticket = log.ticket.clone();
                if ticket != before {
                    failures.push(format!("{row} (decide changed the ticket)"));
                }
                let well_formed = event.seq == before.last_seq() + 1
                    && event.by == actor
                    && event.at == now
                    && records_as(kind, &event.kind);
                if !well_formed {
                    failures.push(format!("{row} (malformed event)"));
                }
                ticket.apply(&event).unwrap();
                if ticket.state().status() != next {
                    failures.push(format!("{row} (applied, the ticket is {:?})", ticket.state().status()));
                }
                let mut events = log.events.clone();
                events.push(event);
                if Ticket::from_events(&events).as_ref() != Ok(&ticket) {
                    failures.push(format!("{row} (replaying the log gives another ticket)"));
                }
            }
            (NotPermitted, Err(rejection)) if rejection == Rejection::NotPermitted { actor, command: kind } => {
                if log.ticket != before {
                    failures.push(format!("{row} (the refusal changed the ticket)"));
                }
            }
            (NotNow, Err(rejection)) if rejection == Rejection::NotNow { status, command: kind } => {
                if log.ticket != before {
                    failures.push(format!("{row} (the refusal changed the ticket)"));
                }
            }
            _ => failures.push(row),
        }
    }
    assert!(failures.is_empty(), "{} of 64 rows failed:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Named behaviour
// ---------------------------------------------------------------------------

#[test]
fn rep_cannot_confirm_a_solution() {
    for status in STATUSES {
        let log = reach(status);
        for actor in [Actor::Rep, Actor::Manager] {
            let before = log.ticket.clone();
            let rejection = log.ticket.decide(actor, Command::ConfirmSolved, log.now.plus_minutes(1)).unwrap_err();
            assert_eq!(rejection, Rejection::NotPermitted { actor, command: CommandKind::ConfirmSolved });
            assert!(rejection.to_string().starts_with("Only the customer can say"), "unexpected message: {rejection}");
            assert_eq!(log.ticket, before);
        }
    }
}

#[test]
fn rep_cannot_say_not_yet_on_the_customers_behalf() {
    let log = reach(Status::ResolutionProposed);
    for actor in [Actor::Rep, Actor::Manager, Actor::System] {
        let rejection = log.ticket.decide(actor, not_yet(), log.now.plus_minutes(1)).unwrap_err();
        assert_eq!(rejection, Rejection::NotPermitted { actor, command: CommandKind::NotYet });
        assert!(rejection.to_string().starts_with("Only the customer can say"), "{rejection}");
    }
}

#[test]
fn customer_cannot_post_updates() {
    for status in [Status::Reported, Status::InProgress] {
        let log = reach(status);
        let before = log.ticket.clone();
        let now = log.now.plus_minutes(1);
        let rejection = log.ticket.decide(Actor::Customer, update(now.plus_minutes(60)), now).unwrap_err();
        assert_eq!(rejection, Rejection::NotPermitted { actor: Actor::Customer, command: CommandKind::PostUpdate });
        assert_eq!(rejection.to_string(), "Only the company's reps can do this (posting an update).");
        assert_eq!(log.ticket, before);
    }
}

#[test]
fn customer_cannot_propose_their_own_resolution() {
    let log = reach(Status::InProgress);
    let rejection = log.ticket.decide(Actor::Customer, propose(), log.now.plus_minutes(1)).unwrap_err();
    assert_eq!(rejection, Rejection::NotPermitted { actor: Actor::Customer, command: CommandKind::ProposeResolution });
    assert_eq!(rejection.to_string(), "Only the company's reps can do this (proposing a resolution).");
}

#[test]
fn system_can_give_no_command_at_all() {
    for status in STATUSES {
        let log = reach(status);
        for kind in CommandKind::ALL {
            let now = log.now.plus_minutes(1);
            let rejection = log.ticket.decide(Actor::System, command(kind, now), now).unwrap_err();
            assert_eq!(rejection, Rejection::NotPermitted { actor: Actor::System, command: kind });
        }
    }
}

#[test]
fn not_yet_reopens_without_a_promise() {
    let mut log = reach(Status::ResolutionProposed);
    let event = log.must(Actor::Customer, not_yet());
    assert_eq!(event.kind, EventKind::Reopened { reason: Reason::parse("It arrived with a broken leg.").unwrap() });
    assert_eq!(log.ticket.state(), &State::InProgress { next_update_by: None });
    assert_eq!(log.ticket.next_update_by(), None);

    // A rep promises again, and the promise is in force.
    let promise = log.now.plus_minutes(120);
    log.must(Actor::Rep, update(promise));
    assert_eq!(log.ticket.state(), &State::InProgress { next_update_by: Some(promise) });
    assert_eq!(log.ticket.next_update_by(), Some(promise));
}

#[test]
fn a_reopened_ticket_can_be_proposed_again_and_solved() {
    let mut log = reach(Status::ResolutionProposed);
    log.must(Actor::Customer, not_yet());
    log.must(Actor::Manager, propose());
    assert_eq!(log.status(), Status::ResolutionProposed);
    let event = log.must(Actor::Customer, Command::ConfirmSolved);
    assert_eq!(event.by, Actor::Customer);
    assert_eq!(log.ticket.state(), &State::Solved);
    assert_eq!(log.ticket.last_seq(), 6);
    assert_eq!(Ticket::from_events(&log.events), Ok(log.ticket.clone()));
}

#[test]
fn a_resolution_can_be_proposed_straight_from_reported() {
    let mut log = Log::open();
    log.must(Actor::Rep, propose());
    assert_eq!(
        log.ticket.state(),
        &State::ResolutionProposed {
            summary: Summary::parse("The armchair was delivered this morning.").unwrap(),
            prevention: PreventionNote::parse("Orders are now checked against the packing list.").unwrap(),
        }
    );
    assert_eq!(log.ticket.next_update_by(), None);
}

#[test]
fn an_update_records_the_promise_in_force() {
    let mut log = Log::open();
    assert_eq!(log.ticket.next_update_by(), None);
    let first = t0().plus_minutes(24 * 60);
    log.must(Actor::Rep, update(first));
    assert_eq!(log.ticket.next_update_by(), Some(first));
    let second = t0().plus_minutes(2 * 24 * 60);
    log.must(Actor::Manager, update(second));
    assert_eq!(log.ticket.next_update_by(), Some(second));
    log.must(Actor::Rep, propose());
    assert_eq!(log.ticket.next_update_by(), None);
}

fn promise_refusal(expected: &'static str) -> Rejection {
    Rejection::Invalid(InputError::new(Field::NextUpdateBy, Problem::Malformed { expected }))
}

#[test]
fn promise_must_be_in_the_future() {
    for status in [Status::Reported, Status::InProgress] {
        let log = reach(status);
        let now = log.now.plus_minutes(5);
        let before = log.ticket.clone();
        for promise in [now, now.plus_minutes(-1), now.plus_minutes(-60 * 24 * 365)] {
            let rejection = log.ticket.decide(Actor::Rep, update(promise), now).unwrap_err();
            assert_eq!(rejection, promise_refusal("a time in the future"), "promise {promise} at {now}");
            assert!(matches!(&rejection, Rejection::Invalid(err) if err.field == Field::NextUpdateBy));
            assert_eq!(rejection.to_string(), "The next-update promise must be a time in the future.");
            assert_eq!(log.ticket, before);
        }
        assert!(log.ticket.decide(Actor::Rep, update(now.plus_minutes(1)), now).is_ok());
    }
}

#[test]
fn promise_beyond_the_horizon_is_refused() {
    assert_eq!(PROMISE_HORIZON_DAYS, 14);
    for status in [Status::Reported, Status::InProgress] {
        let log = reach(status);
        let now = log.now.plus_minutes(5);
        let before = log.ticket.clone();

        let at_horizon = log.ticket.decide(Actor::Manager, update(now.plus_minutes(HORIZON_MINUTES)), now).unwrap();
        assert_eq!(
            at_horizon.kind,
            EventKind::Updated {
                text: UpdateText::parse("The armchair ships tomorrow.").unwrap(),
                next_update_by: now.plus_minutes(HORIZON_MINUTES),
            }
        );

        for beyond in [HORIZON_MINUTES + 1, HORIZON_MINUTES + 60, 365 * 24 * 60] {
            let rejection = log.ticket.decide(Actor::Rep, update(now.plus_minutes(beyond)), now).unwrap_err();
            assert_eq!(rejection, promise_refusal("at most 14 days from now"), "{beyond} minutes ahead");
            assert_eq!(rejection.to_string(), "The next-update promise must be at most 14 days from now.");
            assert_eq!(log.ticket, before);
        }
    }
}

#[test]
fn permission_is_checked_before_the_promise() {
    let log = Log::open();
    let now = log.now.plus_minutes(5);
    let rejection = log.ticket.decide(Actor::Customer, update(now), now).unwrap_err();
    assert_eq!(rejection, Rejection::NotPermitted { actor: Actor::Customer, command: CommandKind::PostUpdate });
}

#[test]
fn state_is_checked_before_the_promise() {
    let log = reach(Status::ResolutionProposed);
    let now = log.now.plus_minutes(5);
    let rejection = log.ticket.decide(Actor::Rep, update(now), now).unwrap_err();
    assert_eq!(rejection, Rejection::NotNow { status: Status::ResolutionProposed, command: CommandKind::PostUpdate });
    assert_eq!(
        rejection.to_string(),
        "The ticket is waiting for the customer to confirm a resolution, so posting an update is not possible now."
    );
}

#[test]
fn solved_is_final() {
    let mut log = reach(Status::Solved);
    let before = log.ticket.clone();
    let events_before = log.events.len();
    for actor in ACTORS {
        for kind in CommandKind::ALL {
            let now = log.now.plus_minutes(5);
            let outcome = log.act(actor, command(kind, now));
            let rejection = outcome.expect_err("a solved ticket accepted a command");
            let allowed = match rejection {
                Rejection::NotNow { status, command } => status == Status::Solved && command == kind,
                Rejection::NotPermitted { actor: a, command } => a == actor && command == kind,
                Rejection::Invalid(_) => false,
            };
            assert!(allowed, "{actor:?} {kind:?}: {rejection:?}");
            assert_eq!(log.ticket, before);
        }
    }
    // Even a customer cannot take "yes" back.
    let rejection = log.act(Actor::Customer, not_yet()).unwrap_err();
    assert_eq!(rejection, Rejection::NotNow { status: Status::Solved, command: CommandKind::NotYet });
    assert_eq!(
        rejection.to_string(),
        "The ticket is solved, so saying the problem is not solved yet is not possible now."
    );
    assert_eq!(log.events.len(), events_before);
    assert_eq!(log.ticket.state(), &State::Solved);
}

#[test]
fn deciding_changes_nothing_until_the_event_is_applied() {
    let log = reach(Status::InProgress);
    let before = log.ticket.clone();
    let now = log.now.plus_minutes(5);
    let event = log.ticket.decide(Actor::Rep, propose(), now).unwrap();
    assert_eq!(log.ticket, before);
    assert_eq!(event.seq, before.last_seq() + 1);
    let mut ticket = log.ticket.clone();
    ticket.apply(&event).unwrap();
    assert_ne!(ticket, before);
    assert_eq!(ticket.last_seq(), event.seq);
}

#[test]
fn apply_refuses_a_replayed_or_skipping_event_and_changes_nothing() {
    let mut log = reach(Status::InProgress);
    let last = log.events.last().unwrap().clone();
    let before = log.ticket.clone();
    assert_eq!(log.ticket.apply(&last), Err(LogError::OutOfSequence { expected: 3, found: 2 }));
    assert_eq!(log.ticket, before);

    let now = log.now.plus_minutes(5);
    let mut skipping = log.ticket.decide(Actor::Rep, propose(), now).unwrap();
    skipping.seq += 1;
    assert_eq!(log.ticket.apply(&skipping), Err(LogError::OutOfSequence { expected: 3, found: 4 }));
    assert_eq!(log.ticket, before);

    let second_report = Event { seq: 3, at: now, by: Actor::Customer, kind: EventKind::Reported { report: report() } };
    assert_eq!(log.ticket.apply(&second_report), Err(LogError::SecondReport { seq: 3 }));
    assert_eq!(log.ticket, before);

    log.must(Actor::Rep, propose());
    assert_eq!(log.ticket.last_seq(), 3);
}

#[test]
fn from_events_keeps_the_report_and_when_it_was_made() {
    let log = reach(Status::Solved);
    let ticket = Ticket::from_events(&log.events).unwrap();
    assert_eq!(ticket, log.ticket);
    assert_eq!(ticket.report(), &report());
    assert_eq!(ticket.reported_at(), t0());
    assert_eq!(ticket.last_seq(), 4);
}

#[test]
fn from_events_rejects_gaps_and_second_reports() {
    let log = reach(Status::ResolutionProposed);
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

    // A gap.
    assert_eq!(Ticket::from_events([&opened, &proposed]), Err(LogError::OutOfSequence { expected: 2, found: 3 }));
    // A repeat.
    assert_eq!(
        Ticket::from_events([&opened, &updated, &updated]),
        Err(LogError::OutOfSequence { expected: 3, found: 2 })
    );
    // Out of order.
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

#[test]
fn event_json_round_trips() {
    let mut log = reach(Status::ResolutionProposed);
    log.must(Actor::Customer, not_yet());
    log.must(Actor::Manager, propose());
    log.must(Actor::Customer, Command::ConfirmSolved);
    let kinds: Vec<&str> = log
        .events
        .iter()
        .map(|e| match e.kind {
            EventKind::Reported { .. } => "reported",
            EventKind::Updated { .. } => "updated",
            EventKind::ResolutionProposed { .. } => "resolution_proposed",
            EventKind::ConfirmedSolved => "confirmed_solved",
            EventKind::Reopened { .. } => "reopened",
        })
        .collect();
    assert_eq!(
        kinds,
        ["reported", "updated", "resolution_proposed", "reopened", "resolution_proposed", "confirmed_solved"]
    );

    for event in &log.events {
        let text = serde_json::to_string(event).unwrap();
        let back: Event = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, event, "{text}");
        let value = serde_json::to_value(event).unwrap();
        assert_eq!(value["type"], json!(kinds[(event.seq - 1) as usize]));
        assert_eq!(value["seq"], json!(event.seq));
    }

    // The whole log round-trips and folds to the same ticket.
    let text = serde_json::to_string(&log.events).unwrap();
    let back: Vec<Event> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, log.events);
    assert_eq!(Ticket::from_events(&back), Ok(log.ticket.clone()));

    // Two shapes pinned exactly.
    assert_eq!(
        serde_json::to_value(&log.events[3]).unwrap(),
        json!({"seq": 4, "at": "2026-11-23T09:15:00Z", "by": "customer", "type": "reopened",
               "reason": "It arrived with a broken leg."})
    );
    assert_eq!(
        serde_json::to_value(&log.events[5]).unwrap(),
        json!({"seq": 6, "at": "2026-11-23T09:25:00Z", "by": "customer", "type": "confirmed_solved"})
    );

    // Deserialising re-checks the limits of the text inside an event.
    let blank_reason =
        json!({"seq": 4, "at": "2026-11-23T09:15:00Z", "by": "customer", "type": "reopened", "reason": "  "});
    assert!(serde_json::from_value::<Event>(blank_reason).is_err());
    let unknown_actor = json!({"seq": 6, "at": "2026-11-23T09:25:00Z", "by": "robot", "type": "confirmed_solved"});
    assert!(serde_json::from_value::<Event>(unknown_actor).is_err());
}

// ---------------------------------------------------------------------------
// Properties of any command sequence
// ---------------------------------------------------------------------------

/// A command as the property tests generate it: updates carry their promise
/// as minutes after the moment they are given.
#[derive(Debug, Clone, Copy)]
enum Cmd {
    Update { promise_in: i64 },
    Propose,
    Confirm,
    NotYet,
}

impl Cmd {
    fn kind(self) -> CommandKind {
        match self {
            Cmd::Update { .. } => CommandKind::PostUpdate,
            Cmd::Propose => CommandKind::ProposeResolution,
            Cmd::Confirm => CommandKind::ConfirmSolved,
            Cmd::NotYet => CommandKind::NotYet,
        }
    }

    fn at(self, now: Timestamp) -> Command {
        match self {
            Cmd::Update { promise_in } => update(now.plus_minutes(promise_in)),
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

fn step() -> impl Strategy<Value = Step> {
    let actor = prop::sample::select(ACTORS.to_vec());
    let promise_in = prop_oneof![
        Just(0i64),
        Just(-1i64),
        Just(1i64),
        Just(HORIZON_MINUTES),
        Just(HORIZON_MINUTES + 1),
        -120i64..=HORIZON_MINUTES + 120,
    ];
    let cmd = prop_oneof![
        promise_in.prop_map(|promise_in| Cmd::Update { promise_in }),
        Just(Cmd::Propose),
        Just(Cmd::Confirm),
        Just(Cmd::NotYet),
    ];
    (actor, cmd, 0i64..=600).prop_map(|(actor, cmd, after)| Step { actor, cmd, after })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 0..=30)
}

/// One command given during a run: the ticket before and after, and what came of it.
struct Outcome {
    step: Step,
    now: Timestamp,
    before: Ticket,
    result: Result<Event, Rejection>,
    after: Ticket,
}

/// A run of `steps` from a fresh ticket: every outcome, the whole log, and
/// the ticket after each event of the log (`tickets[i]` after `events[..=i]`).
struct Run {
    outcomes: Vec<Outcome>,
    events: Vec<Event>,
    tickets: Vec<Ticket>,
}

fn run(steps: &[Step]) -> Run {
    let opened = Ticket::open(report(), t0());
    let mut ticket = Ticket::from_events([&opened]).unwrap();
    let mut run = Run { outcomes: Vec::new(), events: vec![opened], tickets: vec![ticket.clone()] };
    let mut now = t0();
    for &step in steps {
        now = now.plus_minutes(step.after);
        let before = ticket.clone();
        let result = ticket.decide(step.actor, step.cmd.at(now), now);
        if let Ok(event) = &result {
            ticket.apply(event).unwrap();
            run.events.push(event.clone());
            run.tickets.push(ticket.clone());
        }
        run.outcomes.push(Outcome { step, now, before, result, after: ticket.clone() });
    }
    run
}

proptest! {
    /// (a) Solved is reached only by a `ConfirmedSolved` event given by the customer.
    #[test]
    fn prop_solved_only_by_the_customers_confirmation(steps in steps()) {
        let run = run(&steps);
        for outcome in &run.outcomes {
            let was_solved = outcome.before.state().status() == Status::Solved;
            let is_solved = outcome.after.state().status() == Status::Solved;
            if was_solved {
                prop_assert!(is_solved, "a solved ticket became {:?}", outcome.after.state());
                prop_assert!(outcome.result.is_err());
            }
            if is_solved && !was_solved {
                let event = outcome.result.as_ref().unwrap();
                prop_assert_eq!(&event.kind, &EventKind::ConfirmedSolved);
                prop_assert_eq!(event.by, Actor::Customer);
                prop_assert_eq!(outcome.before.state().status(), Status::ResolutionProposed);
            }
        }
        for event in &run.events {
            if event.kind == EventKind::ConfirmedSolved {
                prop_assert_eq!(event.by, Actor::Customer);
            }
        }
        for (event, ticket) in run.events.iter().zip(&run.tickets) {
            if ticket.state() == &State::Solved {
                // Every solved ticket in the log got there through the customer's yes.
                let confirm = run.events.iter().find(|e| e.kind == EventKind::ConfirmedSolved);
                prop_assert!(confirm.is_some_and(|c| c.by == Actor::Customer && c.seq <= event.seq));
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
        for pair in run.events.windows(2) {
            prop_assert_eq!(pair[1].seq, pair[0].seq + 1);
            prop_assert!(pair[1].at >= pair[0].at);
        }
        for outcome in &run.outcomes {
            match &outcome.result {
                Ok(event) => {
                    prop_assert_eq!(event.seq, outcome.before.last_seq() + 1);
                    prop_assert_eq!(outcome.after.last_seq(), event.seq);
                    prop_assert_eq!(event.at, outcome.now);
                    prop_assert_eq!(event.by, outcome.step.actor);
                }
                Err(_) => prop_assert_eq!(outcome.after.last_seq(), outcome.before.last_seq()),
            }
        }
        prop_assert_eq!(run.tickets.last().unwrap().last_seq(), run.events.len() as u64);
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

    /// (d) A refused command leaves the ticket exactly as it was.
    #[test]
    fn prop_rejection_leaves_the_ticket_unchanged(steps in steps()) {
        let run = run(&steps);
        for outcome in &run.outcomes {
            if outcome.result.is_err() {
                prop_assert_eq!(&outcome.after, &outcome.before);
            } else {
                prop_assert_ne!(&outcome.after, &outcome.before);
            }
        }
    }

    /// Every outcome is the one the table (and the promise window) says.
    #[test]
    fn prop_every_outcome_matches_the_table(steps in steps()) {
        let run = run(&steps);
        for outcome in &run.outcomes {
            let status = outcome.before.state().status();
            let Step { actor, cmd, .. } = outcome.step;
            let kind = cmd.kind();
            match (expected(status, kind, actor), &outcome.result) {
                (To(next), result) => match cmd {
                    Cmd::Update { promise_in } if promise_in <= 0 => {
                        prop_assert_eq!(result, &Err(promise_refusal("a time in the future")));
                    }
                    Cmd::Update { promise_in } if promise_in > HORIZON_MINUTES => {
                        prop_assert_eq!(result, &Err(promise_refusal("at most 14 days from now")));
                    }
                    _ => {
                        let event = result.as_ref().unwrap();
                        prop_assert!(records_as(kind, &event.kind));
                        prop_assert_eq!(outcome.after.state().status(), next);
                    }
                },
                (NotPermitted, result) => {
                    prop_assert_eq!(result, &Err(Rejection::NotPermitted { actor, command: kind }));
                }
                (NotNow, result) => {
                    prop_assert_eq!(result, &Err(Rejection::NotNow { status, command: kind }));
                }
            }
        }
    }
}
