//! Where a ticket stands, and the promise in force.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{PreventionNote, QuestionText, Summary};

/// A next-update promise: when, and whether Mend recorded it as missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// The latest time the next update comes ("next update by Tue 15:00").
    pub due: Timestamp,
    /// Whether Mend has recorded the promise as missed
    /// ([`EventKind::PromiseMissed`](super::EventKind::PromiseMissed)).
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
