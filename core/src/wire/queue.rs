//! The queue: `GET /v1/queue` and its live changes.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{Field, InputError, TicketId};
use crate::reference::Reference;
use crate::ticket::{Colleague, RiskTier, Standing, Status};

use super::{PromiseView, headline, named};

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
    /// The reference a person can say, as in [`TicketView::reference`](super::TicketView::reference).
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
