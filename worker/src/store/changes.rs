//! The prevention notes a workspace published on its scorecard
//! (`published_changes`), one per ticket.

use mend_core::changes::{ChangeNote, PublishedChange};
use mend_core::clock::Timestamp;
use mend_core::input::{PreventionNote, TicketId, WorkspaceId};
use serde::Deserialize;
use worker::query;

use super::{Db, stored_time, write_failed};
use crate::error::{AppError, AppResult};

/// Publishes (or publishes again, in its current words) ticket `ticket`'s `note`.
pub async fn publish_change(
    db: &Db,
    workspace: &WorkspaceId,
    ticket: &TicketId,
    note: &ChangeNote,
    now: Timestamp,
) -> AppResult<()> {
    let statement = query!(
        db,
        "INSERT INTO published_changes (workspace_id, ticket_id, text, month, published_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (workspace_id, ticket_id) DO UPDATE
         SET text = excluded.text, month = excluded.month, published_at = excluded.published_at",
        workspace.as_str(),
        ticket.as_str(),
        note.text.as_str(),
        &note.month,
        now.to_string()
    )?;
    db.write(statement.run()).await.map_err(write_failed)?;
    Ok(())
}

/// Withdraws ticket `ticket`'s published change; `false` if none was published.
pub async fn withdraw_change(db: &Db, workspace: &WorkspaceId, ticket: &str) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        ticket_id: String,
    }
    let statement = query!(
        db,
        "DELETE FROM published_changes WHERE workspace_id = ?1 AND ticket_id = ?2 RETURNING ticket_id",
        workspace.as_str(),
        ticket
    )?;
    let row: Option<Row> = db.write(statement.first(None)).await.map_err(write_failed)?;
    Ok(row.is_some())
}

/// The workspace's published changes, newest first, at most `limit`.
pub async fn published_changes(db: &Db, workspace: &WorkspaceId, limit: usize) -> AppResult<Vec<PublishedChange>> {
    #[derive(Deserialize)]
    struct Row {
        ticket_id: String,
        text: String,
        month: String,
        published_at: String,
    }
    let statement = query!(
        db,
        "SELECT ticket_id, text, month, published_at FROM published_changes WHERE workspace_id = ?1
         ORDER BY published_at DESC, ticket_id LIMIT ?2",
        workspace.as_str(),
        limit as f64
    )?;
    let rows: Vec<Row> = db.trip(statement.all()).await?.results()?;
    rows.into_iter()
        .map(|row| {
            let stored =
                |what: &str, e: &dyn std::fmt::Display| AppError::Internal(format!("stored change {what}: {e}"));
            Ok(PublishedChange {
                ticket_id: TicketId::parse(&row.ticket_id).map_err(|e| stored("ticket", &e))?,
                note: ChangeNote {
                    text: PreventionNote::parse(&row.text).map_err(|e| stored("text", &e))?,
                    month: row.month,
                },
                published_at: stored_time(&row.published_at)?,
            })
        })
        .collect()
}
