//! The bodies Mend sends: a ticket event's, made by the ticket's object
//! from its log, and a test's. Each is serialised once, here; the hub
//! stores, signs and sends those exact bytes.

use mend_core::clock::Timestamp;
use mend_core::input::{TicketId, WorkspaceId};
use mend_core::reference::Reference;
use mend_core::ticket::{Event, Ticket};
use mend_core::webhook::{self, Body, EventType, MAX_BODY_BYTES, TestData, TicketData};
use mend_core::wire::TicketView;
use serde_json::Value;

use super::stored::Message;
use crate::error::{AppError, AppResult};

/// The longest each text may stay, tried in turn until the body fits.
const CUTS: [usize; 5] = [2_000, 1_000, 500, 200, 100];

/// The message of ticket `id`'s `event`, with `ticket` as it stands after it.
pub fn ticket_event(
    id: &TicketId,
    reference: Option<Reference>,
    workspace: &WorkspaceId,
    ticket: &Ticket,
    event: &Event,
) -> AppResult<Message> {
    let kind = EventType::of(&event.kind);
    let view = TicketView::new(id.clone(), reference.clone(), workspace.clone(), ticket, Vec::new());
    let body = Body {
        kind,
        timestamp: event.at,
        workspace: workspace.clone(),
        data: TicketData {
            ticket_id: id.clone(),
            reference,
            seq: event.seq,
            event: event.clone(),
            ticket: view.into(),
            url: format!("/v1/tickets/{id}"),
            truncated: false,
        },
    };
    Ok(Message {
        id: webhook::message_id(id, event.seq),
        kind,
        ticket_id: Some(id.clone()),
        seq: Some(event.seq),
        body: fitted(&body)?,
    })
}

/// A test message to endpoint `endpoint`, with its own id.
pub fn test(id: String, workspace: &WorkspaceId, endpoint: &str, now: Timestamp) -> AppResult<Message> {
    let body = Body {
        kind: EventType::Test,
        timestamp: now,
        workspace: workspace.clone(),
        data: TestData {
            endpoint_id: endpoint.to_owned(),
            message: "A test from Mend: this endpoint receives and verifies Mend's webhooks.".into(),
        },
    };
    Ok(Message { id, kind: EventType::Test, ticket_id: None, seq: None, body: to_json(&body)? })
}

/// `body` as JSON of at most [`MAX_BODY_BYTES`]: as it is if it fits,
/// else with every long text cut (ending in `…`) and `truncated` set.
fn fitted(body: &Body<TicketData>) -> AppResult<String> {
    let whole = to_json(body)?;
    if whole.len() <= MAX_BODY_BYTES {
        return Ok(whole);
    }
    let mut value = serde_json::to_value(body).map_err(|e| AppError::Internal(e.to_string()))?;
    value["data"]["truncated"] = Value::Bool(true);
    for longest in CUTS {
        cut(&mut value["data"], longest);
        let text = to_json(&value)?;
        if text.len() <= MAX_BODY_BYTES {
            return Ok(text);
        }
    }
    Err(AppError::Internal(format!("a webhook body stays over {MAX_BODY_BYTES} bytes")))
}

/// Cuts every string in `value` longer than `longest` characters.
fn cut(value: &mut Value, longest: usize) {
    match value {
        Value::String(text) if text.chars().count() > longest => {
            *text = text.chars().take(longest - 1).chain(['…']).collect();
        }
        Value::Array(items) => items.iter_mut().for_each(|item| cut(item, longest)),
        Value::Object(fields) => fields.values_mut().for_each(|field| cut(field, longest)),
        _ => {}
    }
}

fn to_json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mend_core::input::{Impact, MAX_TEXT, WhatHappened};
    use mend_core::ticket::Report;

    fn report(words: &str) -> Report {
        serde_json::from_value(serde_json::json!({
            "what_happened": WhatHappened::parse(words).unwrap(),
            "how_it_affected_you": Impact::parse(words).unwrap(),
        }))
        .unwrap()
    }

    fn opened(words: &str) -> (TicketId, WorkspaceId, Ticket, Event) {
        let at = Timestamp::parse("2026-12-04T09:00:00Z").unwrap();
        let event = Ticket::open(report(words), None, at);
        let ticket = Ticket::from_events([&event]).unwrap();
        (TicketId::parse("t1").unwrap(), WorkspaceId::parse("acme").unwrap(), ticket, event)
    }

    #[test]
    fn a_short_body_is_sent_whole_with_its_ticket_state() {
        let (id, ws, ticket, event) = opened("The armchair never came.");
        let reference = Reference::new(&ws, 7);
        let message = ticket_event(&id, Some(reference.clone()), &ws, &ticket, &event).unwrap();
        assert_eq!(message.id, "msg_t1_1");
        let body: Value = serde_json::from_str(&message.body).unwrap();
        assert_eq!(body["type"], "ticket.reported");
        assert_eq!(body["workspace"], "acme");
        assert_eq!(body["data"]["seq"], 1);
        assert_eq!(body["data"]["reference"], reference.as_str());
        assert_eq!(body["data"]["event"]["type"], "reported");
        assert_eq!(body["data"]["ticket"]["status"], "reported");
        assert_eq!(body["data"]["url"], "/v1/tickets/t1");
        assert!(body["data"].get("truncated").is_none());
        assert!(body["data"]["ticket"].get("events").is_none(), "the log travels event by event");
    }

    #[test]
    fn long_texts_are_cut_to_keep_the_body_under_20_kb() {
        // Four-byte characters at the longest a customer may write, twice over.
        let (id, ws, ticket, event) = opened(&"😞".repeat(MAX_TEXT));
        let message = ticket_event(&id, None, &ws, &ticket, &event).unwrap();
        assert!(message.body.len() <= MAX_BODY_BYTES, "{} bytes", message.body.len());
        let body: Value = serde_json::from_str(&message.body).unwrap();
        assert_eq!(body["data"]["truncated"], true);
        let cut = body["data"]["event"]["report"]["what_happened"].as_str().unwrap();
        assert!(cut.ends_with('…') && cut.chars().count() < MAX_TEXT);
    }
}
