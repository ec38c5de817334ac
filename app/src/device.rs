//! The only module of the widget that touches the device's storage: the
//! tickets a customer follows from this device, kept so a reload of the
//! company's page does not cut them off from tickets only they can close.
//! Nothing is stored until the customer has sent a report (or opened a
//! private link). Where storage is blocked, the widget still works for the
//! visit.

use serde::{Deserialize, Serialize};

/// What the widget needs to follow a ticket again after a reload. This is
/// the widget's own storage format, not a wire type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub ticket_id: String,
    pub token: String,
    /// The reference the customer would say (`ACM-7KQ-3TF`).
    #[serde(default)]
    pub reference: Option<String>,
    /// The start of what the customer wrote, to tell their reports apart.
    #[serde(default)]
    pub headline: String,
    /// Solved or withdrawn: listed, but not reopened on the next visit.
    #[serde(default)]
    pub closed: bool,
}

/// The most tickets kept per workspace; the oldest is forgotten first.
const KEEP: usize = 20;

fn key(workspace: &str) -> String {
    format!("mend.tickets.{workspace}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The tickets this device follows in `workspace`, newest first.
pub fn saved(workspace: &str) -> Vec<Saved> {
    let text = storage().and_then(|s| s.get_item(&key(workspace)).ok().flatten());
    text.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

fn store(workspace: &str, tickets: &[Saved]) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(tickets)) {
        let _ = storage.set_item(&key(workspace), &text);
    }
}

/// Remembers a ticket this device follows in `workspace`, as the newest.
pub fn save(workspace: &str, ticket: Saved) {
    let mut tickets = saved(workspace);
    tickets.retain(|t| t.ticket_id != ticket.ticket_id);
    tickets.insert(0, ticket);
    tickets.truncate(KEEP);
    store(workspace, &tickets);
}

/// Marks a ticket solved or withdrawn.
pub fn close(workspace: &str, ticket_id: &str) {
    let mut tickets = saved(workspace);
    if let Some(ticket) = tickets.iter_mut().find(|t| t.ticket_id == ticket_id && !t.closed) {
        ticket.closed = true;
        store(workspace, &tickets);
    }
}

/// Forgets a ticket, when Mend no longer knows it.
pub fn forget(workspace: &str, ticket_id: &str) {
    let mut tickets = saved(workspace);
    tickets.retain(|t| t.ticket_id != ticket_id);
    store(workspace, &tickets);
}
