//! Why a command was refused, or a log could not be folded.

use std::fmt;

use crate::input::InputError;
use crate::money::Money;

use super::*;

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
