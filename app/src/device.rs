//! The only module of the widget that touches the device's storage: the
//! ticket a customer follows, kept so a reload of the company's page does
//! not cut them off from a ticket only they can close. Nothing is stored
//! until the customer has sent a report. Where storage is blocked, the
//! widget still works for the visit.

use serde::{Deserialize, Serialize};

/// What the widget needs to follow a ticket again after a reload. This is
/// the widget's own storage format, not a wire type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub ticket_id: String,
    pub token: String,
    pub company_name: String,
    pub apology: String,
}

fn key(workspace: &str) -> String {
    format!("mend.ticket.{workspace}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The ticket this device follows in `workspace`, if any.
pub fn saved(workspace: &str) -> Option<Saved> {
    let text = storage()?.get_item(&key(workspace)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Remembers the ticket this device follows in `workspace`.
pub fn save(workspace: &str, saved: &Saved) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(saved)) {
        let _ = storage.set_item(&key(workspace), &text);
    }
}

/// Forgets it, when the customer starts a new report.
pub fn forget(workspace: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(workspace));
    }
}
