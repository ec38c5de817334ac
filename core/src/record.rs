//! The recovery record: how well a company recovers, from its tickets' logs.
//!
//! Buyers judge a vendor by how it recovers, so Mend keeps this record per
//! workspace and can publish it. It is built in two steps: each ticket gives
//! its own figures ([`TicketRecord::of`]), and any set of those figures adds
//! up to a workspace's record ([`RecoveryRecord::of`]), for one period or
//! week by week ([`weekly`]). Which tickets make up a period is the caller's
//! choice: this module reads no clock.
//!
//! # One ticket's figures
//!
//! Every time is counted in milliseconds **from the customer's report**.
//!
//! - **Time to first response**: to the company's first message, update,
//!   question or resolution proposal. Escalating and offering a make-good are
//!   not answers to the customer, so they do not count.
//! - **Time to first apology**: to the first company message, update,
//!   question or proposal that holds a sincere apology, as
//!   [`voice::is_sincere_apology`] judges it: "sorry if you feel that way"
//!   is not one.
//! - **Time to the customer's confirmation**: to the customer's "yes, this is
//!   solved for me". The company saying it is fixed does not stop this clock;
//!   only the customer does.
//! - **Promises** made, kept and missed, as the ticket's
//!   [`PromiseLedger`] counts them. A promise still in force is made but
//!   neither kept nor missed yet, so kept + missed ≤ made.
//! - **First answer**: whether the company's first response came by the
//!   time the report promised ([`FirstAnswer`]); reports from before Mend
//!   promised one are unpromised.
//! - **Reopens**: how often the customer answered a proposal with "not yet".
//! - **Resolution proposed**: whether the company ever proposed a resolution.
//! - **Make-good accepted**: the sum of the offers the customer accepted, in
//!   the policy's currency. Mend converts no currency, so an offer in another
//!   one is left out. `None` when no such offer was accepted.
//! - **Harm reported**: what the customer said the problem cost them, valued
//!   by the workspace's policy ([`harm_value`]). `None` when nothing they
//!   reported can be valued.
//! - **Rating**: how the customer says they feel about the company now.
//! - **Flagged**: how many of the company's events the one-voice reviewer
//!   flagged when they were sent. The log keeps the words, not the
//!   findings (which depend on the workspace's terms at the time), so the
//!   ticket's object counts them as it stores each event
//!   ([`TicketRecord::with_flagged`]).
//! - **Found first**: whether the company found the problem and reported it
//!   to the customer before they told it (a proactive report,
//!   [`crate::proactive`]). Its report is the first response and, with its
//!   apology, the first apology, both at 0.
//!
//! A time is never negative. The worker stamps each event with its own `now`
//! as it appends it, the report first, so a later event never carries an
//! earlier time — unless a clock stepped back between two requests or a log
//! was written by hand. Then the time counts as 0: the reply came, and one
//! skewed clock must not pull a median below zero.
//!
//! # A workspace's figures
//!
//! - **Counts**: tickets, solved (the customer confirmed), withdrawn,
//!   escalated, and unanswered (no company response at all, withdrawn ones
//!   included: the customer gave up waiting). The medians below leave
//!   unanswered tickets out, so their count is shown beside them: a silent
//!   queue must not flatter the record.
//! - **Found first**: the tickets the company reported itself. They count
//!   everywhere except the medians of time to first response and to first
//!   apology, where no customer waited: a company that finds its problems
//!   first must not look faster at answering the ones customers report.
//! - **Medians** of the three times, over the tickets that have one. With an
//!   even number of times the median is the mean of the two middle ones,
//!   rounded down to the millisecond — the usual definition, which a reader
//!   checking the figure in a spreadsheet will find. `None` when no ticket
//!   has that time.
//! - **Promises kept**: kept ÷ (kept + missed), in whole percent rounded half
//!   up. Promises still in force are not yet a success or a failure, so they
//!   are left out. `None` when no promise was settled.
//! - **First answers kept**: the same, over first-answer promises.
//! - **Reopen rate**: tickets reopened at least once ÷ tickets with a
//!   resolution proposed, in whole percent rounded half up. Only a proposal
//!   can be reopened, so tickets that never got one do not dilute the rate: a
//!   week of new, unanswered tickets must not make the record look better.
//!   `None` when no resolution was proposed.
//! - **Make-goods against harm**: the sum of accepted make-goods and the sum
//!   of reported harm, both in the currency the caller names (the
//!   workspace's policy currency); amounts in another currency, from before
//!   the workspace changed it, are left out rather than added as if they were
//!   the same money. Both are `Some` whenever there is a ticket: $0 given is
//!   a figure, not a blank.
//! - **Ratings**: how many customers gave each score from 1 to 5, and the
//!   average in tenths (43 is 4.3), rounded half up. `None` without ratings.
//!
//! A ticket belongs to the week, and the period, it was **reported** in and
//! brings all its figures there, however late they come: a week's record
//! still changes as its tickets progress.
//!
//! # Periods
//!
//! A [`Period`] is a run of whole days in UTC, from its first day to its
//! last, both included: at most [`MAX_PERIOD_DAYS`]. Without one, a record
//! covers the last [`DEFAULT_WEEKS`] full weeks, Monday to Sunday, before
//! the current week. [`weekly_over`] gives every week the period touches,
//! those without tickets included, so a chart has one point per week.
//!
//! Arithmetic is integer only. Counts and sums saturate rather than wrap, and
//! no aggregate figure is ever negative, even from a hand-made record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{Field, InputError, Problem, Score};
use crate::make_good::{Policy, harm_value};
use crate::money::{Currency, Money};
use crate::ticket::{Event, FirstAnswer, FollowUp, OfferStatus, PromiseLedger, State, Ticket};
use crate::voice;

const MS_PER_DAY: i64 = 24 * 60 * 60 * 1000;

/// One ticket's figures (see the module's definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRecord {
    /// When the customer reported the problem; every time below counts from here.
    pub reported_at: Timestamp,
    /// Milliseconds to the company's first response.
    pub first_response_ms: Option<i64>,
    /// Milliseconds to the company's first sincere apology.
    pub first_apology_ms: Option<i64>,
    /// Milliseconds to the customer's "yes, this is solved for me".
    pub confirmation_ms: Option<i64>,
    /// Next-update promises made, kept and missed.
    pub promises: PromiseLedger,
    /// How the first-answer promise went. Absent in records kept before
    /// Mend made it: unpromised.
    #[serde(default)]
    pub first_answer: FirstAnswer,
    /// How often the customer said "not yet" to a proposed resolution.
    pub reopened: u32,
    /// Whether the company proposed a resolution, as far as the ticket shows.
    pub resolution_proposed: bool,
    /// Whether a manager was brought in.
    pub escalated: bool,
    /// The make-goods the customer accepted, in the policy's currency.
    pub make_good_accepted: Option<Money>,
    /// The harm the customer reported, valued by the policy.
    pub harm_reported: Option<Money>,
    /// The customer's rating of the recovery, 1 to 5. A [`Score`] rather than
    /// a bare number, so a record cannot hold a 0 or a 9 (on the wire it is
    /// the same number).
    pub rating: Option<Score>,
    /// The customer confirmed the problem is solved.
    pub solved: bool,
    /// The customer withdrew the report.
    pub withdrawn: bool,
    /// Company events the one-voice reviewer flagged (the rep was warned
    /// and sent them anyway). Absent in records kept before it was counted.
    #[serde(default)]
    pub flagged: u32,
    /// The company found the problem and reported it before the customer
    /// did (a proactive report). Absent in records kept before Mend had them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub found_first: bool,
    /// How often the ticket was handed over from one colleague to another.
    /// Absent in records kept before tickets had owners.
    #[serde(default)]
    pub handovers: u32,
    /// The company answered, and every answer came from whoever owned the
    /// ticket at the time. Absent in records kept before tickets had owners.
    #[serde(default)]
    pub answered_by_owner: bool,
    /// Whether the fix held, as the follow-up after "solved" found out.
    /// Absent in records kept before Mend followed up.
    #[serde(default)]
    pub follow_up: FollowUp,
    /// The same customer or order reported before, within
    /// [`REPEAT_WINDOW_DAYS`](crate::ticket::REPEAT_WINDOW_DAYS).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeat: bool,
}

impl TicketRecord {
    /// Reads one ticket's figures from the ticket and its log (`events`);
    /// `policy` values its harm and names the currency its make-goods count in.
    pub fn of(ticket: &Ticket, events: &[Event], policy: &Policy) -> Self {
        let reported_at = ticket.reported_at();
        let since_report = |at: Option<Timestamp>| at.map(|at| at.millis_since(reported_at).max(0));
        let milestones = ticket.milestones();
        let accepted = ticket
            .offers()
            .iter()
            .filter(|offer| offer.status == OfferStatus::Accepted && offer.make_good.value.currency == policy.currency)
            .map(|offer| offer.make_good.value.minor_units.max(0))
            .reduce(i64::saturating_add);
        let state = ticket.state();
        Self {
            reported_at,
            first_response_ms: since_report(milestones.first_response_at),
            first_apology_ms: since_report(first_apology(events)),
            confirmation_ms: since_report(milestones.solved_at),
            promises: ticket.promises(),
            first_answer: ticket.first_answer(),
            reopened: ticket.reopened(),
            resolution_proposed: milestones.first_proposed_at.is_some(),
            escalated: ticket.escalation().is_some(),
            make_good_accepted: accepted.map(|minor_units| Money { currency: policy.currency, minor_units }),
            harm_reported: harm_value(policy, &ticket.report().cost),
            rating: ticket.rating().map(|rating| rating.score),
            solved: *state == State::Solved,
            withdrawn: *state == State::Withdrawn,
            flagged: 0,
            found_first: ticket.found_first(),
            handovers: ticket.handovers(),
            answered_by_owner: milestones.first_response_at.is_some()
                && ticket.owner().is_some()
                && ticket.answers_by_others() == 0,
            follow_up: ticket.follow_up(),
            repeat: !ticket.earlier().is_empty(),
        }
    }

    /// This record with `flagged` company events flagged by the reviewer.
    #[must_use]
    pub fn with_flagged(self, flagged: u32) -> Self {
        Self { flagged, ..self }
    }
}

/// When the company first apologised sincerely, in any of its words
/// ([`Event::company_words`]).
fn first_apology(events: &[Event]) -> Option<Timestamp> {
    events
        .iter()
        .find(|event| event.company_words().iter().any(|(_, text)| voice::is_sincere_apology(text)))
        .map(|event| event.at)
}

/// A workspace's figures over a set of tickets (see the module's definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryRecord {
    /// Tickets in the set.
    pub tickets: u32,
    /// Tickets the customer confirmed solved.
    pub solved: u32,
    /// Tickets the customer withdrew.
    pub withdrawn: u32,
    /// Tickets a manager was brought in on.
    pub escalated: u32,
    /// Tickets the company never responded to; left out of the medians.
    pub unanswered: u32,
    /// Median milliseconds to the first response, over tickets that got one.
    pub median_first_response_ms: Option<i64>,
    /// Median milliseconds to the first sincere apology, over tickets that got one.
    pub median_first_apology_ms: Option<i64>,
    /// Median milliseconds to the customer's confirmation, over solved tickets.
    pub median_confirmation_ms: Option<i64>,
    /// Promises made, kept and missed, over all tickets.
    pub promises: PromiseLedger,
    /// Kept ÷ (kept + missed), in whole percent rounded half up.
    pub promises_kept_percent: Option<u8>,
    /// First-answer promises made, kept and missed, over all tickets.
    pub first_answers: PromiseLedger,
    /// First answers kept ÷ (kept + missed), in whole percent rounded half up.
    pub first_answers_kept_percent: Option<u8>,
    /// Tickets with a resolution proposed: the reopen rate's denominator.
    pub resolutions_proposed: u32,
    /// Tickets reopened at least once: the reopen rate's numerator.
    pub reopened: u32,
    /// Reopened ÷ resolutions proposed, in whole percent rounded half up.
    pub reopen_rate_percent: Option<u8>,
    /// Make-goods accepted, in the record's currency.
    pub make_good_total: Option<Money>,
    /// Harm reported, valued by the policy, in the record's currency.
    pub harm_total: Option<Money>,
    /// How many customers gave each score: `ratings[0]` counts the 1s, `ratings[4]` the 5s.
    pub ratings: [u32; 5],
    /// The average rating in tenths (43 is 4.3), rounded half up.
    pub average_rating_tenths: Option<u32>,
    /// Company events the one-voice reviewer flagged, over all tickets.
    pub flagged: u32,
    /// Tickets the company found and reported before the customer did.
    /// They count in every figure but the two medians of how fast the
    /// company answered and apologised: there, no customer waited.
    #[serde(default)]
    pub found_first: u32,
    /// Handovers from one colleague to another, over all tickets.
    #[serde(default)]
    pub handovers: u32,
    /// Tickets handed over at least once.
    #[serde(default)]
    pub handed_over: u32,
    /// Answered tickets whose every answer came from their owner at the
    /// time, out of the answered ones (`tickets - unanswered`).
    #[serde(default)]
    pub answered_by_owner: u32,
    /// The fixes Mend asked about after they were solved, and what the
    /// customers said.
    #[serde(default)]
    pub follow_ups: FollowUps,
    /// The share of answered follow-ups whose fix held (`held` of `held +
    /// came_back`); `None` while none was answered. No answer never counts
    /// as held.
    #[serde(default)]
    pub follow_ups_held_percent: Option<u8>,
    /// Reports by a customer, or on an order, that had reported within
    /// [`REPEAT_WINDOW_DAYS`](crate::ticket::REPEAT_WINDOW_DAYS) before.
    #[serde(default)]
    pub repeat_reports: u32,
}

/// The follow-ups of a period: how many fixes Mend asked about, and the answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUps {
    /// Fixes Mend asked about.
    pub asked: u32,
    /// The customer said the fix held.
    pub held: u32,
    /// The customer said the problem came back.
    pub came_back: u32,
    /// Asked, and not answered (yet): never counted as held.
    pub unanswered: u32,
}

impl RecoveryRecord {
    /// Adds up `records`, counting money in `currency` (the workspace's
    /// policy currency) only.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a TicketRecord>, currency: Currency) -> Self {
        let mut tally = Tally::default();
        for record in records {
            tally.add(record, currency);
        }
        tally.finish(currency)
    }
}

/// Groups `records` by the week they were reported in (weeks start on
/// Monday 00:00 UTC, see [`week_start`]) and adds up each week, money
/// counted in `currency`. Weeks come in order, earliest first; a week with
/// no ticket is absent, so the caller places the weeks on its own axis.
pub fn weekly(records: &[TicketRecord], currency: Currency) -> Vec<(Timestamp, RecoveryRecord)> {
    let mut weeks: BTreeMap<Timestamp, Vec<&TicketRecord>> = BTreeMap::new();
    for record in records {
        weeks.entry(week_start(record.reported_at)).or_default().push(record);
    }
    weeks.into_iter().map(|(start, records)| (start, RecoveryRecord::of(records, currency))).collect()
}

/// The start of the ISO week holding `at`: the Monday before it (or of it),
/// 00:00 UTC.
pub fn week_start(at: Timestamp) -> Timestamp {
    at.week_start()
}

/// The longest period a record covers, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;
/// How many full weeks a record covers when no period is given.
pub const DEFAULT_WEEKS: i64 = 12;

/// Whole days in UTC, `first` to `last` included (see the module's definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    first: Timestamp,
    last: Timestamp,
}

impl Period {
    /// The last [`DEFAULT_WEEKS`] full weeks before the week holding `now`.
    pub fn recent(now: Timestamp) -> Self {
        let this_week = week_start(now);
        Self { first: this_week.plus_days(-DEFAULT_WEEKS * 7), last: this_week.plus_days(-1) }
    }

    /// The first day, as `from` names it: `YYYY-MM-DD`.
    pub fn from_day(self) -> String {
        self.first.day()
    }

    /// The last day, as `to` names it: `YYYY-MM-DD`.
    pub fn to_day(self) -> String {
        self.last.day()
    }

    /// The period from the days `from` to `to` (`YYYY-MM-DD`, both
    /// included), or without either, [`Period::recent`]. One without the
    /// other, a day that is no date, `to` before `from` and a period longer
    /// than [`MAX_PERIOD_DAYS`] are refused, naming the field at fault.
    pub fn parse(from: Option<&str>, to: Option<&str>, now: Timestamp) -> Result<Self, InputError> {
        let day = |raw: Option<&str>, field| match raw {
            None => Err(InputError::new(field, Problem::Missing)),
            Some(raw) => Timestamp::parse_day(raw.trim())
                .ok_or(InputError::new(field, Problem::Malformed { expected: "a date written YYYY-MM-DD" })),
        };
        if from.is_none() && to.is_none() {
            return Ok(Self::recent(now));
        }
        let (first, last) = (day(from, Field::From)?, day(to, Field::To)?);
        if last < first {
            return Err(InputError::new(Field::To, Problem::Malformed { expected: "the same day as from or later" }));
        }
        if last.millis_since(first) / MS_PER_DAY >= MAX_PERIOD_DAYS {
            return Err(InputError::new(
                Field::To,
                Problem::Malformed { expected: "at most 365 days after from: a period covers at most 366 days" },
            ));
        }
        Ok(Self { first, last })
    }

    /// The first instant of the first day.
    pub fn first_day(self) -> Timestamp {
        self.first
    }

    /// The first instant of the last day.
    pub fn last_day(self) -> Timestamp {
        self.last
    }

    /// The first instant after the period.
    pub fn end(self) -> Timestamp {
        self.last.plus_days(1)
    }

    /// Whether `at` falls on one of the period's days.
    pub fn contains(self, at: Timestamp) -> bool {
        self.first <= at && at < self.end()
    }

    /// The Monday of every week the period touches, earliest first.
    pub fn weeks(self) -> Vec<Timestamp> {
        let mut weeks = Vec::new();
        let mut monday = week_start(self.first);
        while monday <= self.last {
            weeks.push(monday);
            monday = monday.plus_days(7);
        }
        weeks
    }
}

/// [`weekly`] over `period`: the records reported in it, week by week, one
/// entry for every week the period touches (an empty record for a week
/// without tickets).
pub fn weekly_over(records: &[TicketRecord], period: Period, currency: Currency) -> Vec<(Timestamp, RecoveryRecord)> {
    let inside: Vec<TicketRecord> = records.iter().filter(|r| period.contains(r.reported_at)).cloned().collect();
    let mut found: BTreeMap<Timestamp, RecoveryRecord> = weekly(&inside, currency).into_iter().collect();
    period
        .weeks()
        .into_iter()
        .map(|monday| {
            let record = found.remove(&monday).unwrap_or_else(|| RecoveryRecord::of([], currency));
            (monday, record)
        })
        .collect()
}

/// The running sums behind a [`RecoveryRecord`].
#[derive(Default)]
struct Tally {
    tickets: u32,
    solved: u32,
    withdrawn: u32,
    flagged: u32,
    escalated: u32,
    unanswered: u32,
    first_response: Vec<i64>,
    first_apology: Vec<i64>,
    confirmation: Vec<i64>,
    promises: PromiseLedger,
    first_answers: PromiseLedger,
    resolutions_proposed: u32,
    reopened: u32,
    make_good: i64,
    harm: i64,
    ratings: [u32; 5],
    found_first: u32,
    handovers: u32,
    handed_over: u32,
    answered_by_owner: u32,
    follow_ups: FollowUps,
    repeat_reports: u32,
}

impl Tally {
    fn add(&mut self, record: &TicketRecord, currency: Currency) {
        let count = |total: &mut u32, yes: bool| *total = total.saturating_add(u32::from(yes));
        count(&mut self.tickets, true);
        count(&mut self.solved, record.solved);
        count(&mut self.withdrawn, record.withdrawn);
        self.flagged = self.flagged.saturating_add(record.flagged);
        count(&mut self.escalated, record.escalated);
        count(&mut self.found_first, record.found_first);
        self.handovers = self.handovers.saturating_add(record.handovers);
        count(&mut self.handed_over, record.handovers > 0);
        count(&mut self.answered_by_owner, record.answered_by_owner);
        let follow_ups = &mut self.follow_ups;
        count(&mut follow_ups.asked, record.follow_up != FollowUp::NotAsked);
        count(&mut follow_ups.held, record.follow_up == FollowUp::Held);
        count(&mut follow_ups.came_back, record.follow_up == FollowUp::CameBack);
        count(&mut follow_ups.unanswered, record.follow_up == FollowUp::Asked);
        count(&mut self.repeat_reports, record.repeat);
        count(&mut self.unanswered, record.first_response_ms.is_none());
        // A reopened ticket had a proposal, whatever its flag says.
        count(&mut self.resolutions_proposed, record.resolution_proposed || record.reopened > 0);
        count(&mut self.reopened, record.reopened > 0);
        // Clamped again: a record read from JSON may not have come from `TicketRecord::of`.
        let waited = |ms: Option<i64>| ms.filter(|_| !record.found_first);
        let times = [
            (&mut self.first_response, waited(record.first_response_ms)),
            (&mut self.first_apology, waited(record.first_apology_ms)),
            (&mut self.confirmation, record.confirmation_ms),
        ];
        for (times, ms) in times {
            times.extend(ms.map(|ms| ms.max(0)));
        }
        let ledger = &mut self.promises;
        ledger.made = ledger.made.saturating_add(record.promises.made);
        ledger.kept = ledger.kept.saturating_add(record.promises.kept);
        ledger.missed = ledger.missed.saturating_add(record.promises.missed);
        let first = &mut self.first_answers;
        count(&mut first.made, record.first_answer != FirstAnswer::Unpromised);
        count(&mut first.kept, record.first_answer == FirstAnswer::Kept);
        count(&mut first.missed, record.first_answer == FirstAnswer::Missed);
        let amount =
            |money: Option<Money>| money.filter(|m| m.currency == currency).map_or(0, |m| m.minor_units.max(0));
        self.make_good = self.make_good.saturating_add(amount(record.make_good_accepted));
        self.harm = self.harm.saturating_add(amount(record.harm_reported));
        if let Some(score) = record.rating {
            let slot = &mut self.ratings[usize::from(score.get()) - 1];
            *slot = slot.saturating_add(1);
        }
    }

    fn finish(self, currency: Currency) -> RecoveryRecord {
        let money = |minor_units| (self.tickets > 0).then_some(Money { currency, minor_units });
        let rated: u64 = self.ratings.iter().map(|&n| u64::from(n)).sum();
        let points: u64 = self.ratings.iter().zip(1..).map(|(&n, score)| u64::from(n) * score).sum();
        let settled = |ledger: PromiseLedger| u64::from(ledger.kept) + u64::from(ledger.missed);
        RecoveryRecord {
            tickets: self.tickets,
            solved: self.solved,
            withdrawn: self.withdrawn,
            escalated: self.escalated,
            unanswered: self.unanswered,
            median_first_response_ms: median(self.first_response),
            median_first_apology_ms: median(self.first_apology),
            median_confirmation_ms: median(self.confirmation),
            promises: self.promises,
            promises_kept_percent: percent(u64::from(self.promises.kept), settled(self.promises)),
            first_answers: self.first_answers,
            first_answers_kept_percent: percent(u64::from(self.first_answers.kept), settled(self.first_answers)),
            resolutions_proposed: self.resolutions_proposed,
            reopened: self.reopened,
            reopen_rate_percent: percent(u64::from(self.reopened), u64::from(self.resolutions_proposed)),
            make_good_total: money(self.make_good),
            harm_total: money(self.harm),
            ratings: self.ratings,
            average_rating_tenths: divide_half_up(points * 10, rated).map(|tenths| tenths as u32),
            flagged: self.flagged,
            found_first: self.found_first,
            handovers: self.handovers,
            handed_over: self.handed_over,
            answered_by_owner: self.answered_by_owner,
            follow_ups: self.follow_ups,
            follow_ups_held_percent: percent(
                u64::from(self.follow_ups.held),
                u64::from(self.follow_ups.held) + u64::from(self.follow_ups.came_back),
            ),
            repeat_reports: self.repeat_reports,
        }
    }
}

/// The median of non-negative times; of an even count, the mean of the two
/// middle ones rounded down.
fn median(mut times: Vec<i64>) -> Option<i64> {
    times.sort_unstable();
    let n = times.len();
    if n == 0 {
        None
    } else if n % 2 == 1 {
        Some(times[n / 2])
    } else {
        let (low, high) = (times[n / 2 - 1], times[n / 2]);
        // Both are non-negative and low <= high, so this cannot overflow.
        Some(low + (high - low) / 2)
    }
}

/// `part` of `whole` in whole percent, rounded half up; `None` of nothing.
fn percent(part: u64, whole: u64) -> Option<u8> {
    divide_half_up(part.saturating_mul(100), whole).map(|p| p.min(100) as u8)
}

/// `numerator ÷ denominator`, rounded half up; `None` for a zero denominator.
fn divide_half_up(numerator: u64, denominator: u64) -> Option<u64> {
    // n/d + 1/2 = (2n + d) / 2d, in u128 so no sum of u32 counts can overflow.
    let (n, d) = (u128::from(numerator), u128::from(denominator));
    (d > 0).then(|| ((2 * n + d) / (2 * d)) as u64)
}

#[cfg(test)]
mod tests;
