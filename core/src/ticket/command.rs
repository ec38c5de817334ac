//! What an actor asks of a ticket, and who may ask what
//! ([`CommandKind::permits`]).

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{
    Comment, HandoverNote, MessageText, Note, PreventionNote, QuestionText, Reason, Score, Summary, TicketId,
    UpdateText, WhatHappened,
};
use crate::make_good::MakeGoodKind;
use crate::money::Money;

use super::*;

/// Why a rep brings in a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// A manager's authority or judgement will help the customer.
    ManagerAddsValue,
    /// Another part of the company must act; the manager makes it happen.
    OtherDepartmentMustAct,
}

impl EscalationReason {
    /// Every reason, in the order a rep is offered them.
    pub const ALL: [EscalationReason; 2] = [Self::ManagerAddsValue, Self::OtherDepartmentMustAct];

    /// The reason's name on the wire, as serde writes it.
    pub fn key(self) -> &'static str {
        match self {
            Self::ManagerAddsValue => "manager_adds_value",
            Self::OtherDepartmentMustAct => "other_department_must_act",
        }
    }
}

/// A make-good the company offers: what, how much, and a note to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeGood {
    /// What is offered: credit, refund, gift card, discount or replacement.
    pub kind: MakeGoodKind,
    /// What it is worth. A rep may offer up to the workspace's
    /// [`rep_cap`](Policy::rep_cap), in its currency; more, or another
    /// currency, needs a manager.
    pub value: Money,
    /// A word from the company to go with the offer, shown to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// How the customer feels about the company after the recovery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// How well the company recovered, from 1 (badly) to 5 (very well).
    pub score: Score,
    /// What the customer wants to add, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Comment>,
}

/// Something an actor asks to do to an existing ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Add to the conversation. A customer's message answers an open question.
    AddMessage {
        /// The message, shown in the conversation as written.
        text: MessageText,
    },
    /// Tell the customer where things stand, promising when the next update comes.
    PostUpdate {
        /// Where things stand, in the company's voice.
        text: UpdateText,
        /// The latest time the next update will come: after `now` and at
        /// most [`PROMISE_HORIZON_DAYS`] ahead, or the command is
        /// [`Rejection::Invalid`].
        next_update_by: Timestamp,
    },
    /// Ask the customer something; the promise clock pauses until they answer.
    AskQuestion {
        /// What the company needs to know.
        question: QuestionText,
    },
    /// Bring in a manager, saying why.
    Escalate {
        /// Why a manager is needed.
        reason: EscalationReason,
    },
    /// Say the problem is fixed, what was done and what changed so it won't recur.
    ProposeResolution {
        /// What the company did to solve the problem.
        summary: Summary,
        /// What the company changed so it won't happen again; required, and
        /// shown to the customer with the proposal.
        prevention: PreventionNote,
    },
    /// The customer's "yes, this is solved for me".
    ConfirmSolved,
    /// The customer's "not yet", with the reason; reopens the ticket.
    NotYet {
        /// What is still wrong, in the customer's words.
        reason: Reason,
    },
    /// Offer a make-good.
    OfferMakeGood(MakeGood),
    /// The customer accepts the make-good on offer.
    AcceptMakeGood,
    /// The customer declines the make-good on offer.
    DeclineMakeGood,
    /// The customer says how they feel about the company now.
    Rate(Rating),
    /// The promise's time passed with no update: Mend records it.
    MarkPromiseMissed,
    /// The customer no longer needs help ("never mind").
    Withdraw,
    /// A rep or manager takes an unowned ticket as theirs.
    TakeOwnership,
    /// The owner (or a manager) hands the ticket to a colleague, with a
    /// note for them that the customer never sees.
    HandOver {
        /// Who looks after the ticket from now on; the worker has checked
        /// that their key is in force in the ticket's workspace.
        to: Colleague,
        /// What the new owner needs to know.
        note: HandoverNote,
    },
    /// The follow-up's time came: Mend asks the customer whether the fix
    /// held. Only [`Actor::System`], once, after the problem was solved.
    AskFollowUp,
    /// The customer's answer to the follow-up: it held, or it came back
    /// with what happened.
    AnswerFollowUp(FollowUpAnswer),
}

/// The customer's answer when Mend asks whether the fix held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpAnswer {
    /// "Yes, it held."
    Held,
    /// "No, it came back", and what happened; Mend opens a new ticket
    /// linked to this one, `reopened_as`, and this one stays solved.
    CameBack {
        /// What happened, in the customer's words: the new ticket's report.
        what_happened: WhatHappened,
        /// The id the new ticket takes, which the worker gives it.
        reopened_as: Option<TicketId>,
    },
}

/// The kinds of [`Command`], for permission checks and messages. Each
/// variant says who may give it, as [`CommandKind::permits`] rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// [`Command::AddMessage`]: the customer, reps and managers.
    AddMessage,
    /// [`Command::PostUpdate`]: reps and managers.
    PostUpdate,
    /// [`Command::AskQuestion`]: reps and managers.
    AskQuestion,
    /// [`Command::Escalate`]: reps only; a manager is already the escalation.
    Escalate,
    /// [`Command::ProposeResolution`]: reps and managers.
    ProposeResolution,
    /// [`Command::ConfirmSolved`]: the customer only.
    ConfirmSolved,
    /// [`Command::NotYet`]: the customer only.
    NotYet,
    /// [`Command::OfferMakeGood`]: reps and managers.
    OfferMakeGood,
    /// [`Command::AcceptMakeGood`]: the customer only.
    AcceptMakeGood,
    /// [`Command::DeclineMakeGood`]: the customer only.
    DeclineMakeGood,
    /// [`Command::Rate`]: the customer only.
    Rate,
    /// [`Command::MarkPromiseMissed`]: Mend itself ([`Actor::System`]) only.
    MarkPromiseMissed,
    /// [`Command::Withdraw`]: the customer only.
    Withdraw,
    /// [`Command::TakeOwnership`]: reps and managers.
    TakeOwnership,
    /// [`Command::HandOver`]: reps and managers; a rep only while they own the ticket.
    HandOver,
    /// [`Command::AskFollowUp`]: Mend itself ([`Actor::System`]) only.
    AskFollowUp,
    /// [`Command::AnswerFollowUp`]: the customer only.
    AnswerFollowUp,
}

impl CommandKind {
    /// Every command kind, for tables that must cover them all.
    pub const ALL: [CommandKind; 17] = [
        CommandKind::AddMessage,
        CommandKind::PostUpdate,
        CommandKind::AskQuestion,
        CommandKind::Escalate,
        CommandKind::ProposeResolution,
        CommandKind::ConfirmSolved,
        CommandKind::NotYet,
        CommandKind::OfferMakeGood,
        CommandKind::AcceptMakeGood,
        CommandKind::DeclineMakeGood,
        CommandKind::Rate,
        CommandKind::MarkPromiseMissed,
        CommandKind::Withdraw,
        CommandKind::TakeOwnership,
        CommandKind::HandOver,
        CommandKind::AskFollowUp,
        CommandKind::AnswerFollowUp,
    ];

    /// Whether `actor` may ever give this command, whatever the state. This
    /// is the table of who may do what; nothing else grants a permission.
    pub fn permits(self, actor: Actor) -> bool {
        use Actor::{Customer, Manager, Rep, System};
        match self {
            CommandKind::AddMessage => matches!(actor, Customer | Rep | Manager),
            CommandKind::PostUpdate | CommandKind::AskQuestion | CommandKind::ProposeResolution => {
                matches!(actor, Rep | Manager)
            }
            CommandKind::OfferMakeGood | CommandKind::TakeOwnership | CommandKind::HandOver => {
                matches!(actor, Rep | Manager)
            }
            CommandKind::Escalate => actor == Rep,
            CommandKind::ConfirmSolved
            | CommandKind::NotYet
            | CommandKind::AcceptMakeGood
            | CommandKind::DeclineMakeGood
            | CommandKind::Rate
            | CommandKind::Withdraw
            | CommandKind::AnswerFollowUp => actor == Customer,
            CommandKind::MarkPromiseMissed | CommandKind::AskFollowUp => actor == System,
        }
    }

    /// Whether this command may still be given once the log is full: the
    /// customer's answers and Mend's own bookkeeping, which bring a ticket to
    /// its end and can add only a handful of events, so a full ticket is
    /// never stranded short of the customer's say.
    pub fn winds_down(self) -> bool {
        matches!(
            self,
            CommandKind::ConfirmSolved
                | CommandKind::AcceptMakeGood
                | CommandKind::DeclineMakeGood
                | CommandKind::Rate
                | CommandKind::MarkPromiseMissed
                | CommandKind::Withdraw
                | CommandKind::AskFollowUp
                | CommandKind::AnswerFollowUp
        )
    }

    /// A well-formed command of this kind, as an app would send it at
    /// `context.now`: an update promising the next an hour later, the
    /// smallest make-good in the workspace's currency, a rating of 5, a
    /// handover to a colleague who is no one on the ticket yet.
    /// [`Ticket::allowed`] asks [`Ticket::decide`] about it.
    pub fn example(self, context: &Context) -> Command {
        /// Text every free-text field accepts.
        const WORDS: &str = "…";
        match self {
            CommandKind::AddMessage => Command::AddMessage { text: MessageText::parse(WORDS).expect("example text") },
            CommandKind::PostUpdate => Command::PostUpdate {
                text: UpdateText::parse(WORDS).expect("example text"),
                next_update_by: context.now.plus_minutes(60),
            },
            CommandKind::AskQuestion => {
                Command::AskQuestion { question: QuestionText::parse(WORDS).expect("example text") }
            }
            CommandKind::Escalate => Command::Escalate { reason: EscalationReason::ManagerAddsValue },
            CommandKind::ProposeResolution => Command::ProposeResolution {
                summary: Summary::parse(WORDS).expect("example text"),
                prevention: PreventionNote::parse(WORDS).expect("example text"),
            },
            CommandKind::ConfirmSolved => Command::ConfirmSolved,
            CommandKind::NotYet => Command::NotYet { reason: Reason::parse(WORDS).expect("example text") },
            CommandKind::OfferMakeGood => Command::OfferMakeGood(MakeGood {
                kind: MakeGoodKind::Credit,
                value: Money { currency: context.policy.currency, minor_units: 1 },
                note: None,
            }),
            CommandKind::AcceptMakeGood => Command::AcceptMakeGood,
            CommandKind::DeclineMakeGood => Command::DeclineMakeGood,
            CommandKind::Rate => Command::Rate(Rating { score: Score::try_from(5).expect("a score"), comment: None }),
            CommandKind::MarkPromiseMissed => Command::MarkPromiseMissed,
            CommandKind::Withdraw => Command::Withdraw,
            CommandKind::TakeOwnership => Command::TakeOwnership,
            CommandKind::HandOver => Command::HandOver {
                to: Colleague { key_id: Some(String::new()), label: None, first_name: None },
                note: HandoverNote::parse(WORDS).expect("example text"),
            },
            CommandKind::AskFollowUp => Command::AskFollowUp,
            CommandKind::AnswerFollowUp => Command::AnswerFollowUp(FollowUpAnswer::Held),
        }
    }

    pub(super) fn describe(self) -> &'static str {
        match self {
            CommandKind::AddMessage => "adding a message",
            CommandKind::PostUpdate => "posting an update",
            CommandKind::AskQuestion => "asking the customer a question",
            CommandKind::Escalate => "escalating to a manager",
            CommandKind::ProposeResolution => "proposing a resolution",
            CommandKind::ConfirmSolved => "confirming the problem is solved",
            CommandKind::NotYet => "saying the problem is not solved yet",
            CommandKind::OfferMakeGood => "offering a make-good",
            CommandKind::AcceptMakeGood => "accepting a make-good",
            CommandKind::DeclineMakeGood => "declining a make-good",
            CommandKind::Rate => "rating the recovery",
            CommandKind::MarkPromiseMissed => "marking a promise missed",
            CommandKind::Withdraw => "withdrawing the report",
            CommandKind::TakeOwnership => "taking the ticket",
            CommandKind::HandOver => "handing the ticket over",
            CommandKind::AskFollowUp => "asking whether the fix held",
            CommandKind::AnswerFollowUp => "answering whether the fix held",
        }
    }
}

impl Command {
    /// Which kind of command this is, for [`CommandKind::permits`] and messages.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::AddMessage { .. } => CommandKind::AddMessage,
            Command::PostUpdate { .. } => CommandKind::PostUpdate,
            Command::AskQuestion { .. } => CommandKind::AskQuestion,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::ProposeResolution { .. } => CommandKind::ProposeResolution,
            Command::ConfirmSolved => CommandKind::ConfirmSolved,
            Command::NotYet { .. } => CommandKind::NotYet,
            Command::OfferMakeGood(_) => CommandKind::OfferMakeGood,
            Command::AcceptMakeGood => CommandKind::AcceptMakeGood,
            Command::DeclineMakeGood => CommandKind::DeclineMakeGood,
            Command::Rate(_) => CommandKind::Rate,
            Command::MarkPromiseMissed => CommandKind::MarkPromiseMissed,
            Command::Withdraw => CommandKind::Withdraw,
            Command::TakeOwnership => CommandKind::TakeOwnership,
            Command::HandOver { .. } => CommandKind::HandOver,
            Command::AskFollowUp => CommandKind::AskFollowUp,
            Command::AnswerFollowUp(_) => CommandKind::AnswerFollowUp,
        }
    }
}
