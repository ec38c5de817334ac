//! Commands on a ticket: `POST /v1/tickets/{id}/commands`.

use serde::{Deserialize, Serialize};

use crate::input::{
    Comment, Field, HandoverNote, InputError, MessageText, Note, PreventionNote, Problem, QuestionText, Reason, Score,
    Summary, UpdateText, WhatHappened,
};
use crate::ticket::{Colleague, Command, FollowUpAnswer, MakeGood, Rating};
use crate::whole;

use super::{MoneyRequest, named, optional, parse_time};

/// The body of `POST /v1/tickets/{id}/commands`: one command, named by
/// `type`. Missing fields read as empty and are refused by `parse` with
/// the field named; an unknown `type` is not a command at all.
///
/// Free-text fields are trimmed and hold 1 to 4000 characters
/// ([`MAX_TEXT`](crate::input::MAX_TEXT)) with no control characters but
/// newline, tab and carriage return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CommandRequest {
    /// `message`: add to the conversation ([`Command::AddMessage`]).
    Message {
        /// `text`: the message. Required; at most 4000 characters after trimming.
        #[serde(default)]
        text: String,
    },
    /// `update`: tell the customer where things stand and promise the next
    /// update ([`Command::PostUpdate`]).
    Update {
        /// `text`: the update. Required; at most 4000 characters after trimming.
        #[serde(default)]
        text: String,
        /// `next_update_by`: an RFC 3339 time (`2026-11-24T15:00:00Z`) by
        /// which the next update comes. Required; [`Ticket::decide`](crate::ticket::Ticket::decide) also
        /// requires it to be in the future and at most 14 days ahead.
        #[serde(default)]
        next_update_by: String,
    },
    /// `ask`: ask the customer something, pausing the promise clock
    /// ([`Command::AskQuestion`]).
    Ask {
        /// `question`: what the company needs to know. Required; at most
        /// 4000 characters after trimming.
        #[serde(default)]
        question: String,
    },
    /// `escalate`: bring in a manager ([`Command::Escalate`]).
    Escalate {
        /// `reason`: `manager_adds_value` or `other_department_must_act`. Required.
        #[serde(default)]
        reason: String,
    },
    /// `propose_resolution`: say the problem is fixed
    /// ([`Command::ProposeResolution`]); only the customer can confirm it.
    ProposeResolution {
        /// `summary`: what the company did. Required; at most 4000 characters after trimming.
        #[serde(default)]
        summary: String,
        /// `prevention`: what the company changed so it won't happen again.
        /// Required; at most 4000 characters after trimming.
        #[serde(default)]
        prevention: String,
    },
    /// `confirm_solved`: the customer's "yes, this is solved for me"
    /// ([`Command::ConfirmSolved`]). No fields.
    ConfirmSolved,
    /// `not_yet`: the customer's "not yet", which reopens the ticket
    /// ([`Command::NotYet`]).
    NotYet {
        /// `reason`: what is still wrong. Required; at most 4000 characters after trimming.
        #[serde(default)]
        reason: String,
    },
    /// `offer_make_good`: offer a make-good ([`Command::OfferMakeGood`]).
    OfferMakeGood {
        /// `kind`: `credit`, `refund`, `gift_card`, `discount` or `replacement`. Required.
        #[serde(default)]
        kind: String,
        /// `value`: what the make-good is worth, as
        /// `{"currency": "USD", "minor_units": 5000}`. Required.
        #[serde(default)]
        value: MoneyRequest,
        /// `note`: a word to the customer with the offer. Optional (blank
        /// counts as absent); at most 4000 characters after trimming.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// `accept_make_good`: the customer accepts the pending make-good
    /// ([`Command::AcceptMakeGood`]). No fields.
    AcceptMakeGood,
    /// `decline_make_good`: the customer declines the pending make-good
    /// ([`Command::DeclineMakeGood`]). No fields.
    DeclineMakeGood,
    /// `rate`: the customer rates the recovery ([`Command::Rate`]).
    Rate {
        /// `score`: a whole number from 1 (badly) to 5 (very well). Required.
        #[serde(default, deserialize_with = "whole::number")]
        score: i64,
        /// `comment`: what the customer adds. Optional (blank counts as
        /// absent); at most 4000 characters after trimming.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// `mark_promise_missed`: record a missed promise
    /// ([`Command::MarkPromiseMissed`]). Only Mend itself
    /// ([`Actor::System`](crate::ticket::Actor::System)) may give it; from
    /// anyone else it is refused. No fields.
    MarkPromiseMissed,
    /// `withdraw`: the customer no longer needs help ([`Command::Withdraw`]).
    /// No fields.
    Withdraw,
    /// `take_ownership`: a rep or manager takes an unowned ticket
    /// ([`Command::TakeOwnership`]). No fields.
    TakeOwnership,
    /// `hand_over`: the owner, or a manager, gives the ticket to a colleague
    /// ([`Command::HandOver`]).
    HandOver {
        /// `to`: the id of the colleague's key, as the workspace's keys list
        /// it. Required; the worker refuses a key not in force in the
        /// ticket's workspace.
        #[serde(default)]
        to: String,
        /// `note`: what the colleague needs to know; the customer never sees
        /// it. Required; at most 4000 characters after trimming.
        #[serde(default)]
        note: String,
    },
    /// `answer_follow_up`: the customer says whether the fix held, once
    /// Mend asked ([`Command::AnswerFollowUp`]).
    AnswerFollowUp {
        /// `held`: `true` for "yes, it held", `false` for "no, it came
        /// back". Required.
        #[serde(default)]
        held: Option<bool>,
        /// `what_happened`: when it came back, what happened. Required then;
        /// at most 4000 characters after trimming.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        what_happened: Option<String>,
    },
}

impl CommandRequest {
    /// The [`Command`] this request asks for, with every field parsed; the
    /// first bad field is named in the [`InputError`]. Who may give it and
    /// whether the ticket's state allows it is [`Ticket::decide`](crate::ticket::Ticket::decide)'s business.
    pub fn parse(&self) -> Result<Command, InputError> {
        Ok(match self {
            CommandRequest::Message { text } => Command::AddMessage { text: MessageText::parse(text)? },
            CommandRequest::Update { text, next_update_by } => Command::PostUpdate {
                text: UpdateText::parse(text)?,
                next_update_by: parse_time(Field::NextUpdateBy, next_update_by)?,
            },
            CommandRequest::Ask { question } => Command::AskQuestion { question: QuestionText::parse(question)? },
            CommandRequest::Escalate { reason } => Command::Escalate {
                reason: named(Field::Escalation, reason, "manager_adds_value or other_department_must_act")?,
            },
            CommandRequest::ProposeResolution { summary, prevention } => Command::ProposeResolution {
                summary: Summary::parse(summary)?,
                prevention: PreventionNote::parse(prevention)?,
            },
            CommandRequest::ConfirmSolved => Command::ConfirmSolved,
            CommandRequest::NotYet { reason } => Command::NotYet { reason: Reason::parse(reason)? },
            CommandRequest::OfferMakeGood { kind, value, note } => Command::OfferMakeGood(MakeGood {
                kind: named(Field::MakeGoodKind, kind, "one of credit, refund, gift_card, discount, replacement")?,
                value: value.parse()?,
                note: optional(note, Note::parse)?,
            }),
            CommandRequest::AcceptMakeGood => Command::AcceptMakeGood,
            CommandRequest::DeclineMakeGood => Command::DeclineMakeGood,
            CommandRequest::Rate { score, comment } => {
                Command::Rate(Rating { score: Score::parse(*score)?, comment: optional(comment, Comment::parse)? })
            }
            CommandRequest::MarkPromiseMissed => Command::MarkPromiseMissed,
            CommandRequest::Withdraw => Command::Withdraw,
            CommandRequest::TakeOwnership => Command::TakeOwnership,
            CommandRequest::HandOver { to, note } => {
                let to = to.trim();
                if to.is_empty() {
                    return Err(InputError::new(Field::Colleague, Problem::Missing));
                }
                let key_id = Some(to.to_owned());
                Command::HandOver {
                    to: Colleague { key_id, label: None, first_name: None },
                    note: HandoverNote::parse(note)?,
                }
            }
            CommandRequest::AnswerFollowUp { held, what_happened } => Command::AnswerFollowUp(match held {
                None => return Err(InputError::new(Field::Held, Problem::Missing)),
                Some(true) => FollowUpAnswer::Held,
                Some(false) => FollowUpAnswer::CameBack {
                    what_happened: WhatHappened::parse(what_happened.as_deref().unwrap_or_default())?,
                    reopened_as: None,
                },
            }),
        })
    }
}
