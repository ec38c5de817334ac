//! How a ticket ranks in the rep queue: a few facts kept beside each
//! ticket, and the key they sort by.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

use super::*;

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
