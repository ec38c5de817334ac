//! A ticket as each reader gets it: the company's whole view, the log a
//! folding client reads, the events page, a customer's own tickets.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{PreventionNote, QuestionText, Summary, TicketId, WorkspaceId};
use crate::reference::Reference;
use crate::ticket::{
    Colleague, Escalation, Event, FollowUp, Offer, PromiseLedger, Rating, Report, State, Status, Ticket, Wording,
};
use crate::voice::{Finding, Reviewer};

/// The part of a [`TicketView`] that a client which folds the log itself
/// (the widget) reads; the rest of the JSON is skipped unparsed, which keeps
/// the widget's wasm small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLog {
    /// The ticket's id, as in `/v1/tickets/{id}`.
    pub id: TicketId,
    /// The reference a person can say, as in [`TicketView::reference`].
    #[serde(default)]
    pub reference: Option<Reference>,
    /// Whether Mend emails the customer, as in [`TicketView::emails`].
    #[serde(default)]
    pub emails: Option<EmailsView>,
    /// The whole log, oldest first, for [`Ticket::from_events`].
    pub events: Vec<Event>,
}

/// The resolution the company proposed, while it waits for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionView {
    /// What the company did to solve the problem.
    pub summary: Summary,
    /// What the company changed so it won't happen again.
    pub prevention: PreventionNote,
}

/// The promise in force, as a client shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseView {
    /// The latest time the next update comes.
    pub due: Timestamp,
    /// Mend recorded it as missed: show it as late.
    pub missed: bool,
}

/// A ticket as its customer and the workspace's reps see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    /// The ticket's id, as in `/v1/tickets/{id}`.
    pub id: TicketId,
    /// The reference a person can say (`ACM-7KQ-3TF`), unique in the
    /// workspace; `null` only for a ticket Mend has not numbered yet.
    pub reference: Option<Reference>,
    /// The company's workspace the ticket belongs to.
    pub workspace: WorkspaceId,
    /// Where the ticket stands (`in_progress`, `solved`, …).
    pub status: Status,
    /// When the customer reported the problem.
    pub reported_at: Timestamp,
    /// What the customer reported.
    pub report: Report,
    /// The promise in force: when the next update comes at the latest.
    pub next_update_by: Option<Timestamp>,
    /// The same promise, with whether Mend recorded it as missed.
    pub promise: Option<PromiseView>,
    /// The company's open question, while it waits on the customer.
    pub question: Option<QuestionText>,
    /// The proposed resolution, while it waits for the customer's answer.
    pub resolution: Option<ResolutionView>,
    /// Why and when a rep brought in a manager, if one did.
    pub escalation: Option<Escalation>,
    /// Every make-good offered, oldest first, each with its status.
    pub make_goods: Vec<Offer>,
    /// The customer's rating, once given after they confirmed it solved.
    pub rating: Option<Rating>,
    /// How often the customer said "not yet".
    pub reopened: u32,
    /// How many next-update promises the company made, kept and missed.
    pub promises: PromiseLedger,
    /// Who looks after the ticket, once someone does; the customer sees
    /// only the first name the workspace signs with
    /// ([`Colleague::for_customer`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Colleague>,
    /// How often the ticket was handed over.
    #[serde(default)]
    pub handovers: u32,
    /// Whether the fix held, once solved: `asked` while Mend waits for the
    /// customer's answer (absent while not asked).
    #[serde(default, skip_serializing_if = "is_not_asked")]
    pub follow_up: FollowUp,
    /// The solved ticket this one's problem came back on, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub came_back_from: Option<TicketId>,
    /// The same customer's or order's earlier tickets, newest first: for
    /// the company only (empty, and absent, for the customer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<TicketId>,
    /// The sequence number of the last event; live clients resume after it.
    pub last_seq: u64,
    /// The whole log, oldest first.
    pub events: Vec<Event>,
    /// What the one-voice reviewer flagged in the company's words, event by
    /// event; for the workspace's reps and managers only, never the customer
    /// (absent when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<Review>,
    /// Whether Mend emails the customer about this ticket while they are
    /// away; absent when the customer gave no address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<EmailsView>,
    /// Why Mend could not email the customer yet, while it keeps trying;
    /// for the workspace's reps and managers only (absent when all is well).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_trouble: Option<String>,
    /// Whether a widget of the customer has the ticket open right now (so
    /// they see news live, and Mend does not email it); for the
    /// workspace's reps and managers only (absent when not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub customer_watching: bool,
}

/// Emails about a ticket, as its customer and reps see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailsView {
    /// Whether they are on: the customer turns them off with the email's
    /// one-click link or in the widget, and on again in the widget.
    pub on: bool,
}

/// The body of `PUT /v1/tickets/{id}/emails`: the customer turns emails about their ticket on or off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailsRequest {
    /// `on`: `true` to get emails while away, `false` for none.
    pub on: bool,
}

/// What the one-voice reviewer flagged in one text of one company event.
/// The rep was warned and could still send it; the findings are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The event the text belongs to.
    pub seq: u64,
    /// Which of the company's texts in the event; each finding's `start`
    /// and `end` are byte offsets into it.
    pub field: Wording,
    /// The flagged phrases, sorted and non-overlapping.
    pub findings: Vec<Finding>,
}

impl Review {
    /// What `reviewer` flags in [the company's words](Event::company_words)
    /// in `event`: one entry per text with at least one finding.
    pub fn of(reviewer: &Reviewer, event: &Event) -> Vec<Review> {
        event
            .company_words()
            .into_iter()
            .map(|(field, text)| Review { seq: event.seq, field, findings: reviewer.review(text) })
            .filter(|review| !review.findings.is_empty())
            .collect()
    }

    /// How many events `reviews` (a ticket's, in log order) flagged: an
    /// event with findings in two texts counts once.
    pub fn events_flagged(reviews: &[Review]) -> u32 {
        let mut seqs: Vec<u64> = reviews.iter().map(|review| review.seq).collect();
        seqs.dedup();
        u32::try_from(seqs.len()).unwrap_or(u32::MAX)
    }
}

impl TicketView {
    /// This view as the ticket's customer may see it: every event
    /// [as they see it](Event::for_customer), the owner by first name only,
    /// and nothing that is the company's alone.
    pub fn for_customer(self) -> Self {
        Self {
            events: self.events.iter().map(Event::for_customer).collect(),
            owner: self.owner.as_ref().map(Colleague::for_customer),
            earlier: Vec::new(),
            review: Vec::new(),
            email_trouble: None,
            customer_watching: false,
            ..self
        }
    }

    /// The view of `ticket`, whose whole log is `events`.
    pub fn new(
        id: TicketId,
        reference: Option<Reference>,
        workspace: WorkspaceId,
        ticket: &Ticket,
        events: Vec<Event>,
    ) -> Self {
        let (resolution, question) = match ticket.state() {
            State::ResolutionProposed { summary, prevention } => {
                (Some(ResolutionView { summary: summary.clone(), prevention: prevention.clone() }), None)
            }
            State::WaitingOnCustomer { question, .. } => (None, Some(question.clone())),
            _ => (None, None),
        };
        Self {
            id,
            reference,
            workspace,
            status: ticket.state().status(),
            reported_at: ticket.reported_at(),
            report: ticket.report().clone(),
            next_update_by: ticket.next_update_by(),
            promise: ticket.promise().map(|p| PromiseView { due: p.due, missed: p.missed }),
            question,
            resolution,
            escalation: ticket.escalation(),
            make_goods: ticket.offers().to_vec(),
            rating: ticket.rating().cloned(),
            reopened: ticket.reopened(),
            promises: ticket.promises(),
            owner: ticket.owner().cloned(),
            handovers: ticket.handovers(),
            follow_up: ticket.follow_up(),
            came_back_from: ticket.came_back_from().cloned(),
            earlier: ticket.earlier().to_vec(),
            last_seq: ticket.last_seq(),
            events,
            review: Vec::new(),
            emails: ticket.report().contact_email.as_ref().map(|_| EmailsView { on: true }),
            email_trouble: None,
            customer_watching: false,
        }
    }
}

fn is_not_asked(follow_up: &FollowUp) -> bool {
    *follow_up == FollowUp::NotAsked
}

/// The answer to `GET /v1/tickets/{id}/events?since=N`: the events after `N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsPage {
    /// The events whose `seq` is greater than `N`, oldest first; empty when
    /// the client is up to date.
    pub events: Vec<Event>,
}

/// The most characters of a customer's words a listing shows.
pub const HEADLINE_CHARS: usize = 140;

/// The start of `text`, at most [`HEADLINE_CHARS`] characters, for listings.
pub fn headline(text: &str) -> String {
    match text.char_indices().nth(HEADLINE_CHARS) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text.to_owned(),
    }
}

/// One of an identified customer's tickets, in `GET /v1/customers/me/tickets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTicket {
    /// The ticket's id.
    pub id: TicketId,
    /// The reference a person can say, as in [`TicketView::reference`].
    pub reference: Option<Reference>,
    /// Where it stands.
    pub status: Status,
    /// When they reported it.
    pub reported_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// The start of their account ([`headline`]).
    pub what_happened: String,
    /// The order it was about, if the host page said.
    pub order_id: Option<String>,
    /// Whether the company found the problem and reported it first (a
    /// proactive report); the widget opens such a ticket on its order.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub found_first: bool,
    /// Whether the fix held, once Mend asked: `asked` while it waits for
    /// their answer, which the widget then asks for (absent while not asked).
    #[serde(default, skip_serializing_if = "is_not_asked")]
    pub follow_up: FollowUp,
}

/// The answer to `GET /v1/customers/me/tickets`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTickets {
    /// The identified customer's tickets in this workspace.
    pub tickets: Vec<CustomerTicket>,
}
