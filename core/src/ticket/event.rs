//! What happened to a ticket: each event of its log, as stored and sent,
//! and the words in it that are the company's.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{
    ApologyText, FirstName, HandoverNote, InputError, MessageText, PreventionNote, QuestionText, Reason, Summary,
    TicketId, UpdateText, WhatHappened,
};

use super::*;

/// What happened to a ticket, as recorded in its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// `reported`: the report. Always event 1, and only event 1. From the
    /// customer, the ticket starts in [`State::Reported`], with the
    /// first-answer promise in force when the report carries one. From a
    /// rep or manager it is a proactive report ([`crate::proactive`]): the
    /// company found the problem first, told the customer and apologised,
    /// so the ticket starts [`State::Acknowledged`], already answered.
    Reported {
        /// What was reported, in the customer's words (or, for a
        /// proactive report, the company's); the ticket keeps it unchanged.
        report: Box<Report>,
        /// The company's apology, in a proactive report only.
        #[serde(skip_serializing_if = "Option::is_none")]
        apology: Option<ApologyText>,
        /// When the company promised its first answer, from the workspace's
        /// opening hours ([`crate::hours`]); `None` in reports from before
        /// Mend made that promise.
        #[serde(skip_serializing_if = "Option::is_none")]
        first_answer_by: Option<Timestamp>,
        /// When the company next opens, if it was closed when the report
        /// came: the customer is told so beside the first answer's time.
        #[serde(skip_serializing_if = "Option::is_none")]
        opens_at: Option<Timestamp>,
        /// For a problem that came back after it was solved: the ticket it
        /// came back on, and its owner, who owns this one too.
        #[serde(skip_serializing_if = "Option::is_none")]
        came_back: Option<CameBack>,
        /// The same customer's (their identity or email) or the same
        /// order's tickets of the [`REPEAT_WINDOW_DAYS`] before, newest
        /// first: the company's to see, never the customer's.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        earlier: Vec<TicketId>,
    },
    /// `message_added`: a message in the conversation. The company's first
    /// message on a new report acknowledges it ([`State::Acknowledged`],
    /// with no promise yet); the customer's message while the company waits
    /// on them answers the question and resumes the paused promise
    /// ([`State::InProgress`]). Otherwise the state stays as it was.
    MessageAdded {
        /// The message, from whoever `by` names.
        text: MessageText,
    },
    /// `updated`: the company's update with a new promise. The previous promise is
    /// settled as kept or missed; a new report becomes
    /// [`State::Acknowledged`], anything else [`State::InProgress`].
    Updated {
        /// Where things stand, as told to the customer.
        text: UpdateText,
        /// The new promise: the next update comes by this time.
        next_update_by: Timestamp,
    },
    /// `question_asked`: the company asked the customer something; the
    /// ticket waits on them ([`State::WaitingOnCustomer`]) with the promise
    /// clock paused. A promise already past its time is counted missed and
    /// not resumed.
    QuestionAsked {
        /// The question, open until the customer sends a message.
        question: QuestionText,
    },
    /// `escalated`: a rep brought in a manager. The state does not change.
    Escalated {
        /// Why the rep brought in a manager.
        escalation: EscalationReason,
    },
    /// `resolution_proposed`: the company says it is fixed. The promise is
    /// settled and the ticket waits for the customer's answer
    /// ([`State::ResolutionProposed`]).
    ResolutionProposed {
        /// What the company did.
        summary: Summary,
        /// What the company changed so it won't happen again.
        prevention: PreventionNote,
    },
    /// `confirmed_solved`: the customer said "yes, it's solved"
    /// ([`State::Solved`]). Only the customer's command produces it.
    ConfirmedSolved,
    /// `reopened`: the customer said "not yet". The ticket is
    /// [`State::InProgress`] with no promise until a rep makes one.
    Reopened {
        /// What is still wrong, in the customer's words.
        reason: Reason,
    },
    /// `make_good_offered`: the company offered a make-good, now pending.
    /// The state does not change.
    MakeGoodOffered {
        /// What the company offers; only the customer accepts or declines it.
        make_good: MakeGood,
    },
    /// `make_good_accepted`: the customer accepted the pending offer.
    MakeGoodAccepted,
    /// `make_good_declined`: the customer declined the pending offer.
    MakeGoodDeclined,
    /// `rated`: the customer rated the recovery, once, after confirming it solved.
    Rated {
        /// The customer's rating.
        rating: Rating,
    },
    /// `promise_missed`: the promise due at `due` passed with no update
    /// (or, for the first-answer promise, with no answer at all). Recorded
    /// by Mend itself; the promise stays in force, marked missed.
    PromiseMissed {
        /// The time the company had promised.
        due: Timestamp,
        /// Whether it was the first-answer promise; on the wire only when true.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        first_answer: bool,
    },
    /// `withdrawn`: the customer no longer needs help ([`State::Withdrawn`]).
    /// A pending make-good lapses.
    Withdrawn,
    /// `ownership_taken`: the rep or manager in `author` took the unowned
    /// ticket as theirs. (The company's first answer makes its author the
    /// owner without an event of its own.) The state does not change.
    OwnershipTaken,
    /// `handed_over`: the ticket's owner, or a manager, gave it to `to`.
    /// The state does not change.
    HandedOver {
        /// Who owned it before; `None` when a manager gave an unowned ticket.
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Colleague>,
        /// Who owns it now.
        to: Colleague,
        /// What the owner told them; absent from what the customer sees.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<HandoverNote>,
    },
    /// `follow_up_asked`: the follow-up's time came after the customer
    /// confirmed the problem solved, and Mend asked them whether the fix
    /// held. Recorded by Mend itself; the ticket stays solved.
    FollowUpAsked,
    /// `follow_up_answered`: the customer's answer to the follow-up. The
    /// ticket stays solved whatever it is; "it came back" opens the ticket
    /// `reopened_as`, with `what_happened` as its report.
    FollowUpAnswered {
        /// Whether the fix held.
        held: bool,
        /// What happened, when it came back.
        #[serde(skip_serializing_if = "Option::is_none")]
        what_happened: Option<WhatHappened>,
        /// The ticket opened for it, when it came back.
        #[serde(skip_serializing_if = "Option::is_none")]
        reopened_as: Option<TicketId>,
    },
}

/// One entry of a ticket's log. `seq` starts at 1 and has no gaps.
///
/// On the wire an event is one flat object: `seq`, `at`, `by`, its `type`
/// and that type's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatEvent")]
pub struct Event {
    /// The event's place in the log: 1 for the report, then one more each
    /// time. Clients resume after the last `seq` they saw.
    pub seq: u64,
    /// When it happened: the `now` given to [`Ticket::open`] or [`Ticket::decide`].
    pub at: Timestamp,
    /// Who gave the command it records.
    pub by: Actor,
    /// The first name of the rep or manager who wrote it, for workspaces
    /// that sign with their people's names. Set by the worker from the key
    /// that acted, never by the core; the company still speaks as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<FirstName>,
    /// The rep or manager who gave the command, as the worker identified
    /// them; the company's only ([`Event::for_customer`] leaves it out).
    /// The first company answer makes them the ticket's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Colleague>,
    /// What happened, with the fields of that kind of event.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// An event as it is read from JSON: every kind's fields side by side.
/// Reading through this flat struct, rather than `flatten` over a tagged
/// enum, spares the widget serde's buffering machinery (a few KB of wasm).
#[derive(Deserialize)]
struct FlatEvent {
    seq: u64,
    at: Timestamp,
    by: Actor,
    signed: Option<FirstName>,
    author: Option<Colleague>,
    #[serde(rename = "type")]
    kind: EventType,
    report: Option<Report>,
    apology: Option<ApologyText>,
    first_answer_by: Option<Timestamp>,
    opens_at: Option<Timestamp>,
    came_back: Option<CameBack>,
    #[serde(default)]
    earlier: Vec<TicketId>,
    text: Option<String>,
    next_update_by: Option<Timestamp>,
    question: Option<QuestionText>,
    escalation: Option<EscalationReason>,
    summary: Option<Summary>,
    prevention: Option<PreventionNote>,
    reason: Option<Reason>,
    make_good: Option<MakeGood>,
    rating: Option<Rating>,
    due: Option<Timestamp>,
    first_answer: Option<bool>,
    from: Option<Colleague>,
    to: Option<Colleague>,
    note: Option<HandoverNote>,
    held: Option<bool>,
    what_happened: Option<WhatHappened>,
    reopened_as: Option<TicketId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventType {
    Reported,
    MessageAdded,
    Updated,
    QuestionAsked,
    Escalated,
    ResolutionProposed,
    ConfirmedSolved,
    Reopened,
    MakeGoodOffered,
    MakeGoodAccepted,
    MakeGoodDeclined,
    Rated,
    PromiseMissed,
    Withdrawn,
    OwnershipTaken,
    HandedOver,
    FollowUpAsked,
    FollowUpAnswered,
}

impl TryFrom<FlatEvent> for Event {
    type Error = String;

    fn try_from(flat: FlatEvent) -> Result<Self, String> {
        fn needs<T>(value: Option<T>, field: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("missing field `{field}`"))
        }
        fn text<T: TryFrom<String, Error = InputError>>(value: Option<String>) -> Result<T, String> {
            T::try_from(needs(value, "text")?).map_err(|e| e.to_string())
        }
        let kind = match flat.kind {
            EventType::Reported => EventKind::Reported {
                report: Box::new(needs(flat.report, "report")?),
                apology: flat.apology,
                first_answer_by: flat.first_answer_by,
                opens_at: flat.opens_at,
                came_back: flat.came_back,
                earlier: flat.earlier,
            },
            EventType::MessageAdded => EventKind::MessageAdded { text: text(flat.text)? },
            EventType::Updated => EventKind::Updated {
                text: text(flat.text)?,
                next_update_by: needs(flat.next_update_by, "next_update_by")?,
            },
            EventType::QuestionAsked => EventKind::QuestionAsked { question: needs(flat.question, "question")? },
            EventType::Escalated => EventKind::Escalated { escalation: needs(flat.escalation, "escalation")? },
            EventType::ResolutionProposed => EventKind::ResolutionProposed {
                summary: needs(flat.summary, "summary")?,
                prevention: needs(flat.prevention, "prevention")?,
            },
            EventType::ConfirmedSolved => EventKind::ConfirmedSolved,
            EventType::Reopened => EventKind::Reopened { reason: needs(flat.reason, "reason")? },
            EventType::MakeGoodOffered => EventKind::MakeGoodOffered { make_good: needs(flat.make_good, "make_good")? },
            EventType::MakeGoodAccepted => EventKind::MakeGoodAccepted,
            EventType::MakeGoodDeclined => EventKind::MakeGoodDeclined,
            EventType::Rated => EventKind::Rated { rating: needs(flat.rating, "rating")? },
            EventType::PromiseMissed => EventKind::PromiseMissed {
                due: needs(flat.due, "due")?,
                first_answer: flat.first_answer.unwrap_or(false),
            },
            EventType::Withdrawn => EventKind::Withdrawn,
            EventType::OwnershipTaken => EventKind::OwnershipTaken,
            EventType::HandedOver => {
                EventKind::HandedOver { from: flat.from, to: needs(flat.to, "to")?, note: flat.note }
            }
            EventType::FollowUpAsked => EventKind::FollowUpAsked,
            EventType::FollowUpAnswered => EventKind::FollowUpAnswered {
                held: needs(flat.held, "held")?,
                what_happened: flat.what_happened,
                reopened_as: flat.reopened_as,
            },
        };
        Ok(Event { seq: flat.seq, at: flat.at, by: flat.by, signed: flat.signed, author: flat.author, kind })
    }
}

impl Event {
    /// This report linked to the `earlier` tickets of the same customer or
    /// order ([`REPEAT_WINDOW_DAYS`]), as the worker found them; any other
    /// event is returned as it is.
    #[must_use]
    pub fn linked_to(mut self, earlier: Vec<TicketId>) -> Event {
        if let EventKind::Reported { earlier: links, .. } = &mut self.kind {
            *links = earlier;
        }
        self
    }

    /// This event as its customer sees it: without who in the company gave
    /// it, a handover's note or the earlier tickets a report is linked to, and with colleagues named only by the first
    /// name the workspace signs with ([`Colleague::for_customer`]).
    pub fn for_customer(&self) -> Event {
        let kind = match &self.kind {
            EventKind::Reported { report, apology, first_answer_by, opens_at, came_back, .. } => EventKind::Reported {
                report: report.clone(),
                apology: apology.clone(),
                first_answer_by: *first_answer_by,
                opens_at: *opens_at,
                came_back: came_back.as_ref().map(|came_back| CameBack {
                    ticket: came_back.ticket.clone(),
                    owner: came_back.owner.as_ref().map(Colleague::for_customer),
                }),
                earlier: Vec::new(),
            },
            EventKind::HandedOver { from, to, .. } => EventKind::HandedOver {
                from: from.as_ref().map(Colleague::for_customer),
                to: to.for_customer(),
                note: None,
            },
            kind => kind.clone(),
        };
        Event { author: None, kind, ..self.clone() }
    }

    /// Whether this event is one of the company's answers to the customer:
    /// a message, an update, a question, a proposal or its own report. The
    /// first answers the report; the first with an author makes them the
    /// ticket's owner.
    pub fn is_company_answer(&self) -> bool {
        self.by.is_company()
            && matches!(
                self.kind,
                EventKind::Reported { .. }
                    | EventKind::MessageAdded { .. }
                    | EventKind::Updated { .. }
                    | EventKind::QuestionAsked { .. }
                    | EventKind::ResolutionProposed { .. }
            )
    }

    /// The company's own words in this event, each named by which text it
    /// is: what the one-voice reviewer reads, the record searches for the
    /// first apology and the console marks. None in the customer's events or
    /// Mend's.
    pub fn company_words(&self) -> Vec<(Wording, &str)> {
        if !self.by.is_company() {
            return Vec::new();
        }
        match &self.kind {
            // The company's own report: its account and its apology.
            EventKind::Reported { report, apology, .. } => {
                std::iter::once((Wording::WhatHappened, report.what_happened.as_str()))
                    .chain(apology.iter().map(|apology| (Wording::Apology, apology.as_str())))
                    .collect()
            }
            EventKind::MessageAdded { text } => vec![(Wording::Text, text.as_str())],
            EventKind::Updated { text, .. } => vec![(Wording::Text, text.as_str())],
            EventKind::QuestionAsked { question } => vec![(Wording::Question, question.as_str())],
            EventKind::ResolutionProposed { summary, prevention } => {
                vec![(Wording::Summary, summary.as_str()), (Wording::Prevention, prevention.as_str())]
            }
            EventKind::MakeGoodOffered { make_good } => {
                make_good.note.iter().map(|note| (Wording::Note, note.as_str())).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Which of the company's texts in an event ([`Event::company_words`]),
/// named as its key in the event's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    /// The company's account in its own report.
    WhatHappened,
    /// The apology in the company's own report.
    Apology,
    /// A message or an update.
    Text,
    /// A question to the customer.
    Question,
    /// A proposed resolution's summary.
    Summary,
    /// A proposed resolution's prevention note.
    Prevention,
    /// A make-good's note.
    Note,
}

impl Wording {
    /// Every text of the company's an event can hold.
    pub const ALL: [Wording; 7] =
        [Self::WhatHappened, Self::Apology, Self::Text, Self::Question, Self::Summary, Self::Prevention, Self::Note];

    /// The text's name on the wire, as serde writes it (a review's `field`).
    pub fn key(self) -> &'static str {
        match self {
            Self::WhatHappened => "what_happened",
            Self::Apology => "apology",
            Self::Text => "text",
            Self::Question => "question",
            Self::Summary => "summary",
            Self::Prevention => "prevention",
            Self::Note => "note",
        }
    }
}
