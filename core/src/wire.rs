//! Every JSON shape that crosses HTTP or a WebSocket, in one place:
//! serialisation is a compatibility promise, so changes here show in review
//! (the tests below pin each shape).
//!
//! Requests arrive as plain strings and are parsed into the core's
//! newtypes by `parse`, so a bad field yields an [`InputError`] naming it
//! (a 422), while only a body that is not JSON of the right shape is a 400.
//! A ticket's [`Event`]s travel exactly as they are stored; each WebSocket
//! message from `GET /v1/tickets/{id}/live` is one event.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{
    Field, Impact, InputError, OrderId, PreventionNote, Problem, Reason, Summary, TicketId, UpdateText, WhatHappened,
    WorkspaceId,
};
use crate::ticket::{Command, Event, Report, State, Status, Ticket};

/// The body of `POST /v1/reports`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    #[serde(default)]
    pub workspace: String,
    #[serde(default)]
    pub what_happened: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_it_affected_you: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
}

impl ReportRequest {
    /// The workspace and report this request asks for; blank optional
    /// fields count as absent.
    pub fn parse(&self) -> Result<(WorkspaceId, Report), InputError> {
        let workspace = WorkspaceId::parse(&self.workspace)?;
        let report = Report {
            what_happened: WhatHappened::parse(&self.what_happened)?,
            how_it_affected_you: optional(&self.how_it_affected_you, Impact::parse)?,
            order_id: optional(&self.order_id, OrderId::parse)?,
        };
        Ok((workspace, report))
    }
}

fn optional<T>(raw: &Option<String>, parse: fn(&str) -> Result<T, InputError>) -> Result<Option<T>, InputError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some),
    }
}

/// The body of `POST /v1/tickets/{id}/commands`: one command, named by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CommandRequest {
    Update {
        #[serde(default)]
        text: String,
        #[serde(default)]
        next_update_by: String,
    },
    ProposeResolution {
        #[serde(default)]
        summary: String,
        #[serde(default)]
        prevention: String,
    },
    ConfirmSolved,
    NotYet {
        #[serde(default)]
        reason: String,
    },
}

impl CommandRequest {
    pub fn parse(&self) -> Result<Command, InputError> {
        Ok(match self {
            CommandRequest::Update { text, next_update_by } => Command::PostUpdate {
                text: UpdateText::parse(text)?,
                next_update_by: parse_time(Field::NextUpdateBy, next_update_by)?,
            },
            CommandRequest::ProposeResolution { summary, prevention } => Command::ProposeResolution {
                summary: Summary::parse(summary)?,
                prevention: PreventionNote::parse(prevention)?,
            },
            CommandRequest::ConfirmSolved => Command::ConfirmSolved,
            CommandRequest::NotYet { reason } => Command::NotYet { reason: Reason::parse(reason)? },
        })
    }
}

fn parse_time(field: Field, raw: &str) -> Result<Timestamp, InputError> {
    if raw.trim().is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    Timestamp::parse(raw.trim())
        .ok_or(InputError::new(field, Problem::Malformed { expected: "an RFC 3339 time such as 2026-11-24T15:00:00Z" }))
}

/// The company as the customer meets it: its name and its apology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyVoice {
    pub name: String,
    pub apology: String,
}

/// The answer to `POST /v1/reports` (201). The token is shown exactly once:
/// Mend keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCreated {
    pub ticket: TicketView,
    pub customer_token: String,
    pub company: CompanyVoice,
}

/// The resolution the company proposed, while it waits for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionView {
    pub summary: Summary,
    pub prevention: PreventionNote,
}

/// A ticket as its customer and the workspace's reps see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: TicketId,
    pub workspace: WorkspaceId,
    pub status: Status,
    pub reported_at: Timestamp,
    pub report: Report,
    /// The promise in force: when the next update comes at the latest.
    pub next_update_by: Option<Timestamp>,
    pub resolution: Option<ResolutionView>,
    /// The sequence number of the last event; live clients resume after it.
    pub last_seq: u64,
    pub events: Vec<Event>,
}

impl TicketView {
    /// The view of `ticket`, whose whole log is `events`.
    pub fn new(id: TicketId, workspace: WorkspaceId, ticket: &Ticket, events: Vec<Event>) -> Self {
        let resolution = match ticket.state() {
            State::ResolutionProposed { summary, prevention } => {
                Some(ResolutionView { summary: summary.clone(), prevention: prevention.clone() })
            }
            _ => None,
        };
        Self {
            id,
            workspace,
            status: ticket.state().status(),
            reported_at: ticket.reported_at(),
            report: ticket.report().clone(),
            next_update_by: ticket.next_update_by(),
            resolution,
            last_seq: ticket.last_seq(),
            events,
        }
    }
}

/// The answer to `GET /v1/tickets/{id}/events?since=N`: the events after `N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsPage {
    pub events: Vec<Event>,
}

/// Every error answer: `{"error": {"code": "…", "message": "…"}}`, plus the
/// offending field for validation errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::ticket::Actor;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn report_request_names_the_first_bad_field() {
        let request = ReportRequest { workspace: "acme".into(), what_happened: "  ".into(), ..Default::default() };
        let err = request.parse().unwrap_err();
        assert_eq!(err.field.key(), "what_happened");
    }

    #[test]
    fn blank_optional_fields_are_absent() {
        let request = ReportRequest {
            workspace: "acme".into(),
            what_happened: "No armchair".into(),
            how_it_affected_you: Some(" ".into()),
            order_id: Some("1042".into()),
        };
        let (_, report) = request.parse().unwrap();
        assert_eq!(report.how_it_affected_you, None);
        assert_eq!(report.order_id.unwrap().as_str(), "1042");
    }

    #[test]
    fn command_requests_are_parsed_by_type() {
        let update: CommandRequest = serde_json::from_value(
            json!({"type": "update", "text": "On it", "next_update_by": "2026-11-24T15:00:00Z"}),
        )
        .unwrap();
        assert!(matches!(update.parse().unwrap(), Command::PostUpdate { .. }));
        let confirm: CommandRequest = serde_json::from_value(json!({"type": "confirm_solved"})).unwrap();
        assert_eq!(confirm.parse().unwrap(), Command::ConfirmSolved);
    }

    #[test]
    fn a_missing_command_field_is_a_named_validation_error() {
        let propose: CommandRequest =
            serde_json::from_value(json!({"type": "propose_resolution", "summary": "Delivered"})).unwrap();
        assert_eq!(propose.parse().unwrap_err().field.key(), "prevention");
        let update: CommandRequest =
            serde_json::from_value(json!({"type": "update", "text": "Soon", "next_update_by": "Tuesday"})).unwrap();
        let err = update.parse().unwrap_err();
        assert_eq!(err.field.key(), "next_update_by");
        assert_eq!(err.to_string(), "The next-update promise must be an RFC 3339 time such as 2026-11-24T15:00:00Z.");
    }

    #[test]
    fn an_unknown_command_type_is_not_a_command() {
        assert!(serde_json::from_value::<CommandRequest>(json!({"type": "mark_solved"})).is_err());
    }

    /// The ticket view as the widget and the HTTP API receive it. A change
    /// here is a change to Mend's public contract.
    #[test]
    fn ticket_view_wire_shape() {
        let report = Report {
            what_happened: WhatHappened::parse("The armchair was missing.").unwrap(),
            how_it_affected_you: Some(Impact::parse("Guests had nowhere to sit.").unwrap()),
            order_id: Some(OrderId::parse("1042").unwrap()),
        };
        let opened = Ticket::open(report, at("2026-11-23T09:00:00Z"));
        let mut ticket = Ticket::from_events([&opened]).unwrap();
        let command = Command::PostUpdate {
            text: UpdateText::parse("It ships tomorrow.").unwrap(),
            next_update_by: at("2026-11-24T15:00:00Z"),
        };
        let update = ticket.decide(Actor::Rep, command, at("2026-11-23T09:05:00Z")).unwrap();
        ticket.apply(&update).unwrap();
        let view = TicketView::new(
            TicketId::parse("t1").unwrap(),
            WorkspaceId::parse("acme").unwrap(),
            &ticket,
            vec![opened, update],
        );
        let expected = json!({
            "id": "t1",
            "workspace": "acme",
            "status": "in_progress",
            "reported_at": "2026-11-23T09:00:00Z",
            "report": {
                "what_happened": "The armchair was missing.",
                "how_it_affected_you": "Guests had nowhere to sit.",
                "order_id": "1042"
            },
            "next_update_by": "2026-11-24T15:00:00Z",
            "resolution": null,
            "last_seq": 2,
            "events": [
                {"seq": 1, "at": "2026-11-23T09:00:00Z", "by": "customer", "type": "reported", "report": {
                    "what_happened": "The armchair was missing.",
                    "how_it_affected_you": "Guests had nowhere to sit.",
                    "order_id": "1042"
                }},
                {"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "updated",
                 "text": "It ships tomorrow.", "next_update_by": "2026-11-24T15:00:00Z"}
            ]
        });
        assert_eq!(serde_json::to_value(&view).unwrap(), expected);
        let back: TicketView = serde_json::from_value(expected).unwrap();
        assert_eq!(back, view);
    }

    #[test]
    fn an_event_without_its_kinds_fields_is_refused() {
        let missing = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "updated", "text": "Soon"});
        let err = serde_json::from_value::<Event>(missing).unwrap_err();
        assert!(err.to_string().contains("missing field `next_update_by`"), "{err}");
        let unknown = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "closed"});
        assert!(serde_json::from_value::<Event>(unknown).is_err());
    }

    #[test]
    fn error_body_wire_shape() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: "validation".into(),
                message: "What happened is required.".into(),
                field: Some("what_happened".into()),
            },
        };
        let value: Value = serde_json::to_value(&body).unwrap();
        assert_eq!(
            value,
            json!({"error": {"code": "validation", "message": "What happened is required.", "field": "what_happened"}})
        );
    }
}
