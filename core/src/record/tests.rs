use proptest::prelude::*;

use super::*;
use crate::hours::FirstAnswerTime;
use crate::input::{MessageText, PreventionNote, Reason, Summary, UpdateText, WhatHappened};
use crate::make_good::{Harm, MakeGoodKind};
use crate::ticket::{Actor, Command, Context, EscalationReason, MakeGood, Rating, Report};

const MINUTE: i64 = 60 * 1000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

fn usd_currency() -> Currency {
    Currency::parse("USD", crate::input::Field::Currency).unwrap()
}

fn eur_currency() -> Currency {
    Currency::parse("EUR", crate::input::Field::Currency).unwrap()
}

/// Dollars, in cents.
fn usd(dollars: i64) -> Money {
    Money { currency: usd_currency(), minor_units: dollars * 100 }
}

fn eur(euros: i64) -> Money {
    Money { currency: eur_currency(), minor_units: euros * 100 }
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

/// Monday 23 November 2026, 09:00 UTC.
fn monday() -> Timestamp {
    at("2026-11-23T09:00:00Z")
}

fn report(cost: Harm) -> Report {
    Report { cost, ..Report::of(WhatHappened::parse("The armchair was missing from the delivery.").unwrap()) }
}

fn message(text: &str) -> Command {
    Command::AddMessage { text: MessageText::parse(text).unwrap() }
}

fn update(text: &str, next_update_by: Timestamp) -> Command {
    Command::PostUpdate { text: UpdateText::parse(text).unwrap(), next_update_by }
}

fn propose(summary: &str) -> Command {
    Command::ProposeResolution {
        summary: Summary::parse(summary).unwrap(),
        prevention: PreventionNote::parse("Every order is now checked against its packing list.").unwrap(),
    }
}

fn not_yet() -> Command {
    Command::NotYet { reason: Reason::parse("The new one has a broken leg.").unwrap() }
}

fn offer(value: Money) -> Command {
    Command::OfferMakeGood(MakeGood { kind: MakeGoodKind::GiftCard, value, note: None })
}

fn rate(score: u8) -> Command {
    Command::Rate(Rating { score: Score::try_from(score).unwrap(), comment: None })
}

/// A ticket driven only through `open`, `decide` and `apply`, with every
/// command given at an exact time after the report.
struct Story {
    ticket: Ticket,
    events: Vec<Event>,
    policy: Policy,
}

impl Story {
    fn reported(reported_at: Timestamp, cost: Harm) -> Self {
        Self::promising(reported_at, cost, None)
    }

    /// Reported at `reported_at`, its first answer promised `first_answer_ms` after it.
    fn promising(reported_at: Timestamp, cost: Harm, first_answer_ms: Option<i64>) -> Self {
        let first_answer_by = first_answer_ms.map(|ms| reported_at.plus_millis(ms));
        let first_answer = first_answer_by.map(|by| FirstAnswerTime { by, opens_at: None });
        let opened = Ticket::open(report(cost), first_answer, reported_at);
        let ticket = Ticket::from_events([&opened]).unwrap();
        Story { ticket, events: vec![opened], policy: Policy::standard(usd_currency()) }
    }

    /// Gives `command` as `actor`, `ms` after the report.
    fn then(mut self, ms: i64, actor: Actor, command: Command) -> Self {
        let now = self.ticket.reported_at().plus_millis(ms);
        let event = self
            .ticket
            .decide(actor, command, &Context::new(now, &self.policy))
            .unwrap_or_else(|rejection| panic!("{actor:?} at +{ms} ms: {rejection}"));
        self.ticket.apply(&event).unwrap();
        self.events.push(event);
        self
    }

    fn record(&self) -> TicketRecord {
        TicketRecord::of(&self.ticket, &self.events, &self.policy)
    }
}

/// Solved within three hours, apologising in the first update, which
/// keeps the first-answer promise.
fn solved_fast() -> Story {
    Story::promising(monday(), Harm::default(), Some(30 * MINUTE))
        .then(
            10 * MINUTE,
            Actor::Rep,
            update("We are sorry the armchair was missing. It ships today.", monday().plus_millis(4 * HOUR)),
        )
        .then(2 * HOUR, Actor::Rep, propose("The armchair was delivered this morning."))
        .then(3 * HOUR, Actor::Customer, Command::ConfirmSolved)
        .then(3 * HOUR + 5 * MINUTE, Actor::Customer, rate(5))
}

/// A promise missed, a proposal answered "not yet", then solved after a day.
fn missed_and_reopened() -> Story {
    let start = monday().plus_millis(HOUR);
    Story::reported(start, Harm::default())
        .then(30 * MINUTE, Actor::Rep, message("Thank you for telling us. We are looking into it."))
        .then(HOUR, Actor::Rep, update("I am sorry: the missing part is on its way.", start.plus_millis(2 * HOUR)))
        .then(3 * HOUR, Actor::System, Command::MarkPromiseMissed)
        .then(4 * HOUR, Actor::Rep, update("The part arrives today.", start.plus_millis(DAY)))
        .then(5 * HOUR, Actor::Rep, propose("The part was delivered."))
        .then(6 * HOUR, Actor::Customer, not_yet())
        .then(7 * HOUR, Actor::Rep, update("A new armchair leaves tomorrow.", start.plus_millis(DAY + 7 * HOUR)))
        .then(8 * HOUR, Actor::Rep, propose("A new armchair was delivered."))
        .then(DAY, Actor::Customer, Command::ConfirmSolved)
        .then(DAY + HOUR, Actor::Customer, rate(3))
}

/// Escalated; a $20 offer declined, a $120 one and a €50 one accepted; a
/// proposal awaiting the customer's answer. $100 lost and 8 hours at $25.
/// The first answer came half an hour after it was promised (escalating
/// is no answer).
fn escalated_with_make_good() -> Story {
    let start = monday().plus_millis(2 * HOUR);
    let harm = Harm { money: Some(usd(100)), hours_lost: Some(8), missed_event: false };
    Story::promising(start, harm, Some(30 * MINUTE))
        .then(15 * MINUTE, Actor::Rep, Command::Escalate { reason: EscalationReason::ManagerAddsValue })
        .then(
            HOUR,
            Actor::Manager,
            update("We apologise for the mix-up. A courier is booked.", start.plus_millis(DAY + HOUR)),
        )
        .then(90 * MINUTE, Actor::Rep, offer(usd(20)))
        .then(100 * MINUTE, Actor::Customer, Command::DeclineMakeGood)
        .then(2 * HOUR, Actor::Manager, offer(usd(120)))
        .then(3 * HOUR, Actor::Customer, Command::AcceptMakeGood)
        .then(3 * HOUR + 10 * MINUTE, Actor::Manager, offer(eur(50)))
        .then(3 * HOUR + 20 * MINUTE, Actor::Customer, Command::AcceptMakeGood)
        .then(20 * HOUR, Actor::Manager, propose("The courier delivered the armchair."))
}

/// Withdrawn with a promise still in force; the customer missed an event ($200).
fn withdrawn() -> Story {
    let start = monday().plus_millis(3 * HOUR);
    let harm = Harm { missed_event: true, ..Harm::default() };
    Story::reported(start, harm)
        .then(
            20 * MINUTE,
            Actor::Rep,
            update("We are so sorry. We are finding the armchair.", start.plus_millis(2 * HOUR)),
        )
        .then(HOUR, Actor::Customer, Command::Withdraw)
}

/// Nobody answered, and the first answer's time has not yet come.
fn unanswered() -> Story {
    Story::promising(monday().plus_millis(4 * HOUR), Harm::default(), Some(2 * HOUR))
}

/// Solved without the company ever saying sorry.
fn solved_without_apology() -> Story {
    Story::reported(monday().plus_millis(5 * HOUR), Harm::default())
        .then(45 * MINUTE, Actor::Rep, propose("The invoice is corrected."))
        .then(2 * HOUR, Actor::Customer, Command::ConfirmSolved)
        .then(2 * HOUR + MINUTE, Actor::Customer, rate(4))
}

fn seeded() -> Vec<TicketRecord> {
    [
        solved_fast(),
        missed_and_reopened(),
        escalated_with_make_good(),
        withdrawn(),
        unanswered(),
        solved_without_apology(),
    ]
    .iter()
    .map(Story::record)
    .collect()
}

fn ledger(made: u32, kept: u32, missed: u32) -> PromiseLedger {
    PromiseLedger { made, kept, missed }
}

/// A record with nothing in it but its report time.
fn blank(reported_at: Timestamp) -> TicketRecord {
    TicketRecord {
        reported_at,
        first_response_ms: None,
        first_apology_ms: None,
        confirmation_ms: None,
        promises: PromiseLedger::default(),
        first_answer: FirstAnswer::Unpromised,
        reopened: 0,
        resolution_proposed: false,
        escalated: false,
        make_good_accepted: None,
        harm_reported: None,
        rating: None,
        solved: false,
        withdrawn: false,
        flagged: 0,
        found_first: false,
        handovers: 0,
        answered_by_owner: false,
        follow_up: FollowUp::NotAsked,
        repeat: false,
    }
}

fn with_times(times: &[i64]) -> Vec<TicketRecord> {
    times.iter().map(|&ms| TicketRecord { first_response_ms: Some(ms), ..blank(monday()) }).collect()
}

fn with_ratings(scores: &[u8]) -> Vec<TicketRecord> {
    scores.iter().map(|&s| TicketRecord { rating: Some(Score::try_from(s).unwrap()), ..blank(monday()) }).collect()
}

#[test]
fn each_ticket_gives_its_exact_figures() {
    let [fast, reopened, escalated, gone, silent, no_apology] = seeded().try_into().unwrap();
    assert_eq!(
        fast,
        TicketRecord {
            reported_at: monday(),
            first_response_ms: Some(10 * MINUTE),
            first_apology_ms: Some(10 * MINUTE),
            confirmation_ms: Some(3 * HOUR),
            promises: ledger(1, 1, 0),
            first_answer: FirstAnswer::Kept,
            reopened: 0,
            resolution_proposed: true,
            escalated: false,
            make_good_accepted: None,
            harm_reported: None,
            rating: Some(Score::try_from(5).unwrap()),
            solved: true,
            withdrawn: false,
            flagged: 0,
            found_first: false,
            handovers: 0,
            answered_by_owner: false,
            follow_up: FollowUp::NotAsked,
            repeat: false,
        }
    );
    assert_eq!(
        reopened,
        TicketRecord {
            reported_at: monday().plus_millis(HOUR),
            first_response_ms: Some(30 * MINUTE),
            first_apology_ms: Some(HOUR),
            confirmation_ms: Some(DAY),
            promises: ledger(3, 2, 1),
            reopened: 1,
            resolution_proposed: true,
            rating: Some(Score::try_from(3).unwrap()),
            solved: true,
            ..blank(monday())
        }
    );
    assert_eq!(
        escalated,
        TicketRecord {
            reported_at: monday().plus_millis(2 * HOUR),
            first_response_ms: Some(HOUR),
            first_apology_ms: Some(HOUR),
            promises: ledger(1, 1, 0),
            first_answer: FirstAnswer::Missed,
            resolution_proposed: true,
            escalated: true,
            make_good_accepted: Some(usd(120)),
            harm_reported: Some(usd(100 + 8 * 25)),
            ..blank(monday())
        }
    );
    assert_eq!(
        gone,
        TicketRecord {
            reported_at: monday().plus_millis(3 * HOUR),
            first_response_ms: Some(20 * MINUTE),
            first_apology_ms: Some(20 * MINUTE),
            promises: ledger(1, 0, 0),
            harm_reported: Some(usd(200)),
            withdrawn: true,
            flagged: 0,
            ..blank(monday())
        }
    );
    assert_eq!(silent, TicketRecord { first_answer: FirstAnswer::Pending, ..blank(monday().plus_millis(4 * HOUR)) });
    assert_eq!(
        no_apology,
        TicketRecord {
            reported_at: monday().plus_millis(5 * HOUR),
            first_response_ms: Some(45 * MINUTE),
            confirmation_ms: Some(2 * HOUR),
            resolution_proposed: true,
            rating: Some(Score::try_from(4).unwrap()),
            solved: true,
            ..blank(monday())
        }
    );
}

#[test]
fn a_workspace_record_adds_up_every_figure() {
    let record = RecoveryRecord::of(&seeded(), usd_currency());
    assert_eq!(
        record,
        RecoveryRecord {
            tickets: 6,
            solved: 3,
            withdrawn: 1,
            escalated: 1,
            unanswered: 1,
            // 10, 20, 30, 45 and 60 minutes.
            median_first_response_ms: Some(30 * MINUTE),
            // 10, 20, 60 and 60 minutes: the mean of 20 and 60.
            median_first_apology_ms: Some(40 * MINUTE),
            // 2 hours, 3 hours and a day.
            median_confirmation_ms: Some(3 * HOUR),
            promises: ledger(6, 4, 1),
            promises_kept_percent: Some(80),
            // Promised on three; one kept, one late, one not yet due.
            first_answers: ledger(3, 1, 1),
            first_answers_kept_percent: Some(50),
            resolutions_proposed: 4,
            reopened: 1,
            reopen_rate_percent: Some(25),
            make_good_total: Some(usd(120)),
            harm_total: Some(usd(300 + 200)),
            ratings: [0, 0, 1, 1, 1],
            average_rating_tenths: Some(40),
            flagged: 0,
            found_first: 0,
            handovers: 0,
            handed_over: 0,
            answered_by_owner: 0,
            follow_ups: FollowUps::default(),
            follow_ups_held_percent: None,
            repeat_reports: 0,
        }
    );
}

#[test]
fn a_response_before_the_report_counts_as_immediate() {
    // The rep's clock ran a minute behind the one that stamped the report.
    let record = Story::reported(monday(), Harm::default())
        .then(-MINUTE, Actor::Rep, message("We are sorry, and on it."))
        .record();
    assert_eq!((record.first_response_ms, record.first_apology_ms), (Some(0), Some(0)));
}

#[test]
fn escalating_or_offering_is_not_a_response() {
    let record = Story::reported(monday(), Harm::default())
        .then(5 * MINUTE, Actor::Rep, Command::Escalate { reason: EscalationReason::OtherDepartmentMustAct })
        .then(10 * MINUTE, Actor::Manager, offer(usd(40)))
        .record();
    assert_eq!(record.first_response_ms, None);
    assert_eq!(RecoveryRecord::of([&record], usd_currency()).unanswered, 1);
}

#[test]
fn a_conditional_apology_is_no_apology() {
    let record = Story::reported(monday(), Harm::default())
        .then(5 * MINUTE, Actor::Rep, message("We are sorry if you feel let down."))
        .then(HOUR, Actor::Rep, message("We are sorry we got this wrong."))
        .record();
    assert_eq!((record.first_response_ms, record.first_apology_ms), (Some(5 * MINUTE), Some(HOUR)));
}

#[test]
fn median_of_an_odd_count_is_the_middle_time() {
    let record = RecoveryRecord::of(&with_times(&[9, 1, 5]), usd_currency());
    assert_eq!(record.median_first_response_ms, Some(5));
}

#[test]
fn median_of_an_even_count_is_the_mean_of_the_middle_two_rounded_down() {
    assert_eq!(RecoveryRecord::of(&with_times(&[7, 1, 4, 100]), usd_currency()).median_first_response_ms, Some(5));
    assert_eq!(RecoveryRecord::of(&with_times(&[2, 4]), usd_currency()).median_first_response_ms, Some(3));
    assert_eq!(
        RecoveryRecord::of(&with_times(&[0, i64::MAX]), usd_currency()).median_first_response_ms,
        Some(i64::MAX / 2)
    );
}

#[test]
fn negative_times_in_a_hand_made_record_count_as_zero() {
    assert_eq!(RecoveryRecord::of(&with_times(&[-50, -10, 30]), usd_currency()).median_first_response_ms, Some(0));
}

#[test]
fn promises_kept_rounds_half_up_to_whole_percent() {
    let kept = |kept, missed| {
        let record = TicketRecord { promises: ledger(kept + missed, kept, missed), ..blank(monday()) };
        RecoveryRecord::of([&record], usd_currency()).promises_kept_percent
    };
    assert_eq!(kept(1, 7), Some(13)); // 12.5
    assert_eq!(kept(2, 1), Some(67)); // 66.67
    assert_eq!(kept(1, 2), Some(33)); // 33.33
    assert_eq!(kept(199, 1), Some(100)); // 99.5
    assert_eq!(kept(0, 3), Some(0));
    assert_eq!(kept(0, 0), None);
}

#[test]
fn promises_still_in_force_are_left_out_of_promises_kept() {
    let record = TicketRecord { promises: ledger(5, 1, 0), ..blank(monday()) };
    assert_eq!(RecoveryRecord::of([&record], usd_currency()).promises_kept_percent, Some(100));
}

#[test]
fn reopen_rate_counts_tickets_reopened_among_tickets_with_a_proposal() {
    let proposed = TicketRecord { resolution_proposed: true, ..blank(monday()) };
    let reopened_twice = TicketRecord { resolution_proposed: true, reopened: 2, ..blank(monday()) };
    let records = [proposed.clone(), proposed, reopened_twice, blank(monday()), blank(monday())];
    let record = RecoveryRecord::of(&records, usd_currency());
    assert_eq!((record.reopened, record.resolutions_proposed, record.reopen_rate_percent), (1, 3, Some(33)));
    assert_eq!(RecoveryRecord::of([&blank(monday())], usd_currency()).reopen_rate_percent, None);
}

#[test]
fn average_rating_is_in_tenths_rounded_half_up() {
    let average = |scores: &[u8]| RecoveryRecord::of(&with_ratings(scores), usd_currency()).average_rating_tenths;
    assert_eq!(average(&[4, 4, 5]), Some(43)); // 4.33
    assert_eq!(average(&[5, 5, 4]), Some(47)); // 4.67
    assert_eq!(average(&[5, 4, 4, 4]), Some(43)); // 4.25
    assert_eq!(average(&[1]), Some(10));
    let record = RecoveryRecord::of(&with_ratings(&[1, 5, 5, 3]), usd_currency());
    assert_eq!(record.ratings, [1, 0, 1, 0, 2]);
}

#[test]
fn money_in_another_currency_is_left_out_of_the_totals() {
    let dollars = TicketRecord { make_good_accepted: Some(usd(30)), harm_reported: Some(usd(150)), ..blank(monday()) };
    let euros = TicketRecord { make_good_accepted: Some(eur(999)), harm_reported: Some(eur(999)), ..blank(monday()) };
    let record = RecoveryRecord::of([&dollars, &euros], usd_currency());
    assert_eq!((record.make_good_total, record.harm_total), (Some(usd(30)), Some(usd(150))));
}

#[test]
fn flagged_events_add_up_and_old_records_count_none() {
    let records = [blank(monday()).with_flagged(2), blank(monday()), blank(monday()).with_flagged(1)];
    assert_eq!(RecoveryRecord::of(&records, usd_currency()).flagged, 3);
    let mut old = serde_json::to_value(blank(monday())).unwrap();
    old.as_object_mut().unwrap().remove("flagged");
    assert_eq!(serde_json::from_value::<TicketRecord>(old).unwrap().flagged, 0);
}

#[test]
fn a_company_that_gave_nothing_shows_zero_not_a_blank() {
    let record = RecoveryRecord::of([&blank(monday())], usd_currency());
    assert_eq!((record.make_good_total, record.harm_total), (Some(usd(0)), Some(usd(0))));
}

/// Owners, follow-ups and repeat links, read from real logs: each
/// ticket's record says what its log says, and the workspace's adds them up.
#[test]
fn handovers_follow_ups_and_repeats_add_up_from_the_logs() {
    use crate::input::{HandoverNote, KeyLabel, TicketId};
    use crate::ticket::{Colleague, FollowUpAnswer};
    let policy = Policy::standard(usd_currency());
    let (sam, mia) = (
        Colleague::new("aaaaaaaaaaaaaaaa", KeyLabel::parse("Sam").unwrap(), false),
        Colleague::new("bbbbbbbbbbbbbbbb", KeyLabel::parse("Mia").unwrap(), false),
    );
    let run = |earlier: Vec<TicketId>, steps: Vec<(Actor, Option<&Colleague>, Command)>| {
        let opened = Ticket::open(report(Harm::default()), None, monday()).linked_to(earlier);
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let mut events = vec![opened];
        for (i, (actor, by, command)) in steps.into_iter().enumerate() {
            let now = monday().plus_minutes(i as i64 * 8 * 24 * 60 + 5);
            let event = ticket.decide(actor, command, &Context::new(now, &policy).by(by)).unwrap();
            ticket.apply(&event).unwrap();
            events.push(event);
        }
        TicketRecord::of(&ticket, &events, &policy)
    };
    let message = || Command::AddMessage { text: MessageText::parse("We're sorry: on it.").unwrap() };
    let propose = || Command::ProposeResolution {
        summary: Summary::parse("Fixed.").unwrap(),
        prevention: PreventionNote::parse("Checked now.").unwrap(),
    };
    let note = HandoverNote::parse("Over to you.").unwrap();
    // Sam answers, hands over to Mia, Mia proposes; solved, asked a week later, it held.
    let held = run(
        Vec::new(),
        vec![
            (Actor::Rep, Some(&sam), message()),
            (Actor::Rep, Some(&sam), Command::HandOver { to: mia.clone(), note: note.clone() }),
            (Actor::Manager, Some(&mia), propose()),
            (Actor::Customer, None, Command::ConfirmSolved),
            (Actor::System, None, Command::AskFollowUp),
            (Actor::Customer, None, Command::AnswerFollowUp(FollowUpAnswer::Held)),
        ],
    );
    assert_eq!((held.handovers, held.answered_by_owner, held.follow_up, held.repeat), (1, true, FollowUp::Held, false));
    // A repeat: Sam answers, Mia answers too without it being hers; asked, never answered.
    let earlier = vec![TicketId::parse("0123456789abcdef0123456789abcdef").unwrap()];
    let unanswered = run(
        earlier,
        vec![
            (Actor::Rep, Some(&sam), message()),
            (Actor::Manager, Some(&mia), propose()),
            (Actor::Customer, None, Command::ConfirmSolved),
            (Actor::System, None, Command::AskFollowUp),
        ],
    );
    assert_eq!(
        (unanswered.handovers, unanswered.answered_by_owner, unanswered.follow_up, unanswered.repeat),
        (0, false, FollowUp::Asked, true)
    );
    let workspace = RecoveryRecord::of([&held, &unanswered], usd_currency());
    assert_eq!(
        (workspace.handovers, workspace.handed_over, workspace.answered_by_owner, workspace.repeat_reports),
        (1, 1, 1, 1)
    );
    assert_eq!(workspace.follow_ups, FollowUps { asked: 2, held: 1, came_back: 0, unanswered: 1 });
    assert_eq!(workspace.follow_ups_held_percent, Some(100), "of the one answered; no answer is never held");
}

#[test]
fn tickets_found_first_are_counted_and_kept_out_of_the_waiting_medians() {
    let found = TicketRecord {
        first_response_ms: Some(0),
        first_apology_ms: Some(0),
        confirmation_ms: Some(2 * HOUR),
        solved: true,
        found_first: true,
        ..blank(monday())
    };
    let waited = TicketRecord {
        first_response_ms: Some(20 * MINUTE),
        first_apology_ms: Some(HOUR),
        confirmation_ms: Some(4 * HOUR),
        solved: true,
        ..blank(monday())
    };
    let record = RecoveryRecord::of([&found, &waited], usd_currency());
    assert_eq!((record.tickets, record.found_first, record.solved, record.unanswered), (2, 1, 2, 0));
    assert_eq!(record.median_first_response_ms, Some(20 * MINUTE), "no customer waited on the found one");
    assert_eq!(record.median_first_apology_ms, Some(HOUR));
    assert_eq!(record.median_confirmation_ms, Some(3 * HOUR));
    let wire = serde_json::to_value(&found).unwrap();
    assert_eq!(wire["found_first"], true);
    assert!(serde_json::to_value(&waited).unwrap().get("found_first").is_none());
}

#[test]
fn an_empty_set_has_no_figures() {
    let record = RecoveryRecord::of([], usd_currency());
    assert_eq!(
        record,
        RecoveryRecord {
            tickets: 0,
            solved: 0,
            withdrawn: 0,
            escalated: 0,
            unanswered: 0,
            median_first_response_ms: None,
            median_first_apology_ms: None,
            median_confirmation_ms: None,
            promises: PromiseLedger::default(),
            promises_kept_percent: None,
            first_answers: PromiseLedger::default(),
            first_answers_kept_percent: None,
            resolutions_proposed: 0,
            reopened: 0,
            reopen_rate_percent: None,
            make_good_total: None,
            harm_total: None,
            ratings: [0; 5],
            average_rating_tenths: None,
            flagged: 0,
            found_first: 0,
            handovers: 0,
            handed_over: 0,
            answered_by_owner: 0,
            follow_ups: FollowUps::default(),
            follow_ups_held_percent: None,
            repeat_reports: 0,
        }
    );
    assert_eq!(weekly(&[], usd_currency()), Vec::new());
}

#[test]
fn a_week_starts_on_monday_at_midnight_utc() {
    let cases = [
        ("2026-11-29T23:59:59.999Z", "2026-11-23T00:00:00Z"), // Sunday
        ("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z"),     // Monday
        ("2026-12-02T13:30:00Z", "2026-11-30T00:00:00Z"),     // Wednesday
        ("1970-01-01T00:00:00Z", "1969-12-29T00:00:00Z"),     // the epoch, a Thursday
        ("1969-12-28T12:00:00Z", "1969-12-22T00:00:00Z"),     // before the epoch, a Sunday
    ];
    for (time, monday) in cases {
        assert_eq!(week_start(at(time)), at(monday), "{time}");
    }
}

#[test]
fn weekly_splits_sunday_night_from_monday_morning() {
    let sunday = TicketRecord { first_response_ms: Some(HOUR), ..blank(at("2026-11-29T23:59:00Z")) };
    let monday_midnight = TicketRecord { first_response_ms: Some(3 * HOUR), ..blank(at("2026-11-30T00:00:00Z")) };
    let earlier_that_week = TicketRecord { first_response_ms: Some(2 * HOUR), ..blank(monday()) };
    let weeks = weekly(&[monday_midnight.clone(), sunday.clone(), earlier_that_week.clone()], usd_currency());
    assert_eq!(
        weeks,
        vec![
            (at("2026-11-23T00:00:00Z"), RecoveryRecord::of([&sunday, &earlier_that_week], usd_currency())),
            (at("2026-11-30T00:00:00Z"), RecoveryRecord::of([&monday_midnight], usd_currency())),
        ]
    );
    assert_eq!(weeks[0].1.median_first_response_ms, Some(90 * MINUTE));
    assert_eq!(weeks[1].1.tickets, 1);
}

#[test]
fn a_period_is_whole_days_from_first_to_last() {
    let now = at("2026-11-25T10:00:00Z");
    let period = Period::parse(Some("2026-11-02"), Some("2026-11-15"), now).unwrap();
    assert!(period.contains(at("2026-11-02T00:00:00Z")));
    assert!(period.contains(at("2026-11-15T23:59:59.999Z")));
    assert!(!period.contains(at("2026-11-16T00:00:00Z")));
    assert!(!period.contains(at("2026-11-01T23:59:59.999Z")));
    assert_eq!(period.weeks(), [at("2026-11-02T00:00:00Z"), at("2026-11-09T00:00:00Z")]);
    let one_day = Period::parse(Some("2026-11-25"), Some("2026-11-25"), now).unwrap();
    assert_eq!(one_day.weeks(), [at("2026-11-23T00:00:00Z")]);
}

#[test]
fn without_a_period_a_record_covers_the_last_twelve_full_weeks() {
    let period = Period::parse(None, None, at("2026-11-25T10:00:00Z")).unwrap();
    assert_eq!((period.first_day(), period.last_day()), (at("2026-08-31T00:00:00Z"), at("2026-11-22T00:00:00Z")));
    assert_eq!(period.weeks().len(), 12);
}

#[test]
fn the_default_period_reads_as_dates_the_api_takes_on_any_day() {
    // A fixed clock on the days a month's end or a year's turn could
    // trip: the 1st, 15th, 29th, 30th and 31st of January and of March
    // (whose last Sunday turns Europe's clocks), late in the UTC day.
    for (now, from, to) in [
        ("2027-01-01T23:30:00Z", "2026-10-05", "2026-12-27"),
        ("2027-01-15T23:30:00Z", "2026-10-19", "2027-01-10"),
        ("2027-01-29T23:30:00Z", "2026-11-02", "2027-01-24"),
        ("2027-01-30T23:30:00Z", "2026-11-02", "2027-01-24"),
        ("2027-01-31T23:30:00Z", "2026-11-02", "2027-01-24"),
        ("2026-03-01T00:00:00Z", "2025-12-01", "2026-02-22"),
        ("2026-03-15T12:00:00Z", "2025-12-15", "2026-03-08"),
        ("2026-03-29T01:30:00Z", "2025-12-29", "2026-03-22"),
        ("2026-03-30T00:30:00+02:00", "2025-12-29", "2026-03-22"),
        ("2026-03-31T23:59:59.999Z", "2026-01-05", "2026-03-29"),
    ] {
        let now = at(now);
        let period = Period::recent(now);
        assert_eq!((period.from_day().as_str(), period.to_day().as_str()), (from, to), "{now}");
        assert_eq!(Period::parse(Some(from), Some(to), now), Ok(period), "{now}");
    }
}

#[test]
fn a_period_that_cannot_be_is_refused_naming_the_field() {
    let now = at("2026-11-25T10:00:00Z");
    let refused = |from, to| Period::parse(from, to, now).unwrap_err();
    assert_eq!(refused(Some("2026-11-02"), None), InputError::new(Field::To, Problem::Missing));
    assert_eq!(refused(None, Some("2026-11-02")), InputError::new(Field::From, Problem::Missing));
    assert_eq!(refused(Some("2026-02-30"), Some("2026-03-02")).field, Field::From);
    assert_eq!(refused(Some("2026-11-02"), Some("02/11/2026")).field, Field::To);
    let backwards = refused(Some("2026-11-02"), Some("2026-11-01"));
    assert_eq!(backwards.to_string(), "The period's last day (to) must be the same day as from or later.");
    assert_eq!(refused(Some("2025-01-01"), Some("2026-01-02")).field, Field::To);
    // 366 days, a leap year's worth, is the most.
    assert!(Period::parse(Some("2024-01-01"), Some("2024-12-31"), now).is_ok());
}

#[test]
fn weekly_over_a_period_has_every_week_and_only_its_tickets() {
    let period = Period::parse(Some("2026-11-04"), Some("2026-11-18"), monday()).unwrap();
    let before = blank(at("2026-11-03T23:00:00Z"));
    let first = blank(at("2026-11-04T10:00:00Z"));
    let last = blank(at("2026-11-18T10:00:00Z"));
    let after = blank(at("2026-11-19T00:00:00Z"));
    let weeks = weekly_over(&[after, last.clone(), before, first.clone()], period, usd_currency());
    assert_eq!(
        weeks,
        vec![
            (at("2026-11-02T00:00:00Z"), RecoveryRecord::of([&first], usd_currency())),
            (at("2026-11-09T00:00:00Z"), RecoveryRecord::of([], usd_currency())),
            (at("2026-11-16T00:00:00Z"), RecoveryRecord::of([&last], usd_currency())),
        ]
    );
}

#[test]
fn weekly_skips_weeks_without_tickets() {
    let first = blank(at("2026-11-02T10:00:00Z"));
    let third = blank(at("2026-11-18T10:00:00Z"));
    let starts: Vec<Timestamp> = weekly(&[third, first], usd_currency()).into_iter().map(|(start, _)| start).collect();
    assert_eq!(starts, vec![at("2026-11-02T00:00:00Z"), at("2026-11-16T00:00:00Z")]);
}

#[test]
fn records_keep_their_shape_on_the_wire() {
    let record = RecoveryRecord::of(&with_ratings(&[4]), usd_currency());
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "tickets": 1, "solved": 0, "withdrawn": 0, "escalated": 0, "unanswered": 1,
            "median_first_response_ms": null, "median_first_apology_ms": null, "median_confirmation_ms": null,
            "promises": {"made": 0, "kept": 0, "missed": 0}, "promises_kept_percent": null,
            "first_answers": {"made": 0, "kept": 0, "missed": 0}, "first_answers_kept_percent": null,
            "resolutions_proposed": 0, "reopened": 0, "reopen_rate_percent": null,
            "make_good_total": {"currency": "USD", "minor_units": 0},
            "harm_total": {"currency": "USD", "minor_units": 0},
            "ratings": [0, 0, 0, 1, 0], "average_rating_tenths": 40, "flagged": 0, "found_first": 0,
            "handovers": 0, "handed_over": 0, "answered_by_owner": 0,
            "follow_ups": {"asked": 0, "held": 0, "came_back": 0, "unanswered": 0}, "follow_ups_held_percent": null, "repeat_reports": 0,
        })
    );
    let ticket = &seeded()[2];
    let back: TicketRecord = serde_json::from_str(&serde_json::to_string(ticket).unwrap()).unwrap();
    assert_eq!(&back, ticket);
    // A record kept before first answers were promised reads as unpromised.
    let mut old = serde_json::to_value(ticket).unwrap();
    old.as_object_mut().unwrap().remove("first_answer");
    let read: TicketRecord = serde_json::from_value(old).unwrap();
    assert_eq!(read, TicketRecord { first_answer: FirstAnswer::Unpromised, ..ticket.clone() });
}

// -----------------------------------------------------------------------
// Properties

fn any_money() -> impl Strategy<Value = Option<Money>> {
    proptest::option::of((prop_oneof![Just(usd_currency()), Just(eur_currency())], any::<i64>()))
        .prop_map(|money| money.map(|(currency, minor_units)| Money { currency, minor_units }))
}

/// Any record a ticket could give (kept + missed <= made), with times and
/// amounts of any sign, as a hand-made or corrupted record might carry.
fn any_record() -> impl Strategy<Value = TicketRecord> {
    let ledger = (0..1_000_000_u32).prop_flat_map(|made| {
        (0..=made).prop_flat_map(move |kept| (0..=made - kept).prop_map(move |missed| ledger(made, kept, missed)))
    });
    let times = proptest::array::uniform3(proptest::option::of(any::<i64>()));
    let flags = proptest::array::uniform4(any::<bool>());
    (
        -1_000_000_000_000_i64..=100_000_000_000_000,
        times,
        ledger,
        0..5_u32,
        flags,
        (any_money(), any_money()),
        proptest::option::of(1..=5_u8),
        prop_oneof![
            Just(FirstAnswer::Unpromised),
            Just(FirstAnswer::Pending),
            Just(FirstAnswer::Kept),
            Just(FirstAnswer::Missed)
        ],
    )
        .prop_map(
            |(
                ms,
                [response, apology, confirmation],
                promises,
                reopened,
                [p, e, s, w],
                (given, harm),
                rating,
                first_answer,
            )| {
                TicketRecord {
                    reported_at: Timestamp::EPOCH.plus_millis(ms),
                    first_response_ms: response,
                    first_apology_ms: apology,
                    confirmation_ms: confirmation,
                    promises,
                    first_answer,
                    reopened,
                    resolution_proposed: p,
                    escalated: e,
                    make_good_accepted: given,
                    harm_reported: harm,
                    rating: rating.map(|score| Score::try_from(score).unwrap()),
                    solved: s,
                    withdrawn: w,
                    flagged: 0,
                    found_first: false,
                    handovers: 0,
                    answered_by_owner: false,
                    follow_up: FollowUp::NotAsked,
                    repeat: false,
                }
            },
        )
}

/// One step of a random ticket's life: who, what, and how many minutes
/// after the step before (now and then a clock a little behind).
fn any_step() -> impl Strategy<Value = (i64, Actor, Command)> {
    let command = prop_oneof![
        Just((Actor::Rep, message("We are sorry, and on it."))),
        Just((Actor::Rep, message("We are looking into it."))),
        Just((Actor::Customer, message("Any news?"))),
        (1..=600_i64).prop_map(|minutes| (
            Actor::Rep,
            update("Here is where things stand.", Timestamp::EPOCH.plus_minutes(minutes))
        )),
        Just((
            Actor::Rep,
            Command::AskQuestion { question: crate::input::QuestionText::parse("Which colour?").unwrap() }
        )),
        Just((Actor::Rep, Command::Escalate { reason: EscalationReason::ManagerAddsValue })),
        Just((Actor::Rep, propose("It is fixed."))),
        Just((Actor::Customer, Command::ConfirmSolved)),
        Just((Actor::Customer, not_yet())),
        Just((Actor::Rep, offer(usd(20)))),
        Just((Actor::Manager, offer(eur(50)))),
        Just((Actor::Customer, Command::AcceptMakeGood)),
        Just((Actor::Customer, Command::DeclineMakeGood)),
        (1..=5_u8).prop_map(|score| (Actor::Customer, rate(score))),
        Just((Actor::System, Command::MarkPromiseMissed)),
        Just((Actor::Customer, Command::Withdraw)),
    ];
    (-30..=720_i64, command).prop_map(|(gap, (actor, command))| (gap, actor, command))
}

/// Plays `steps` on a new ticket, skipping what the ticket refuses. An
/// update's promise, drawn relative to the epoch, is moved to after `now`.
fn play(reported_at: Timestamp, cost: Harm, steps: Vec<(i64, Actor, Command)>) -> TicketRecord {
    let policy = Policy::standard(usd_currency());
    let opened = Ticket::open(report(cost), None, reported_at);
    let mut ticket = Ticket::from_events([&opened]).unwrap();
    let mut events = vec![opened];
    let mut now = reported_at;
    for (gap, actor, command) in steps {
        now = now.plus_minutes(gap);
        let command = match command {
            Command::PostUpdate { text, next_update_by } => {
                Command::PostUpdate { text, next_update_by: now.plus_millis(next_update_by.unix_ms()) }
            }
            other => other,
        };
        if let Ok(event) = ticket.decide(actor, command, &Context::new(now, &policy)) {
            ticket.apply(&event).unwrap();
            events.push(event);
        }
    }
    TicketRecord::of(&ticket, &events, &policy)
}

fn any_played_record() -> impl Strategy<Value = TicketRecord> {
    let cost = (proptest::option::of(0..100_000_i64), proptest::option::of(0..100_u32), any::<bool>())
        .prop_map(|(money, hours_lost, missed_event)| Harm { money: money.map(usd_cents), hours_lost, missed_event });
    (0..60 * 24 * 60_i64, cost, proptest::collection::vec(any_step(), 0..25))
        .prop_map(|(minutes, cost, steps)| play(monday().plus_minutes(minutes), cost, steps))
}

fn usd_cents(minor_units: i64) -> Money {
    Money { currency: usd_currency(), minor_units }
}

fn assert_sound(record: &RecoveryRecord, count: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(record.tickets as usize, count);
    for ms in [record.median_first_response_ms, record.median_first_apology_ms, record.median_confirmation_ms] {
        prop_assert!(ms.is_none_or(|ms| ms >= 0), "{:?}", record);
    }
    let ledger = record.promises;
    prop_assert!(u64::from(ledger.kept) + u64::from(ledger.missed) <= u64::from(ledger.made), "{:?}", ledger);
    prop_assert!(record.promises_kept_percent.is_none_or(|p| p <= 100));
    prop_assert!(record.reopen_rate_percent.is_none_or(|p| p <= 100));
    prop_assert!(record.reopened <= record.resolutions_proposed);
    for money in [record.make_good_total, record.harm_total] {
        prop_assert!(money.is_none_or(|m| m.minor_units >= 0 && m.currency == usd_currency()));
    }
    prop_assert!(record.average_rating_tenths.is_none_or(|tenths| (10..=50).contains(&tenths)));
    for count in [record.solved, record.withdrawn, record.escalated, record.unanswered] {
        prop_assert!(count <= record.tickets);
    }
    Ok(())
}

proptest! {
    #[test]
    fn no_figure_is_ever_negative_and_no_more_promises_settle_than_were_made(
        records in proptest::collection::vec(any_record(), 0..40),
    ) {
        assert_sound(&RecoveryRecord::of(&records, usd_currency()), records.len())?;
        let weeks = weekly(&records, usd_currency());
        prop_assert_eq!(weeks.iter().map(|(_, week)| week.tickets as usize).sum::<usize>(), records.len());
        for pair in weeks.windows(2) {
            prop_assert!(pair[0].0 < pair[1].0);
        }
        for (start, week) in &weeks {
            prop_assert_eq!(*start, week_start(*start));
            assert_sound(week, week.tickets as usize)?;
        }
    }

    #[test]
    fn real_tickets_give_sound_records(records in proptest::collection::vec(any_played_record(), 1..12)) {
        for record in &records {
            for ms in [record.first_response_ms, record.first_apology_ms, record.confirmation_ms] {
                prop_assert!(ms.is_none_or(|ms| ms >= 0), "{:?}", record);
            }
            let ledger = record.promises;
            prop_assert!(ledger.kept + ledger.missed <= ledger.made, "{:?}", record);
            prop_assert!(record.make_good_accepted.is_none_or(|m| m.minor_units >= 0 && m.currency == usd_currency()));
            prop_assert!(!(record.solved && record.withdrawn));
            prop_assert!(!record.solved || (record.resolution_proposed && record.confirmation_ms.is_some()));
        }
        assert_sound(&RecoveryRecord::of(&records, usd_currency()), records.len())?;
    }
}
