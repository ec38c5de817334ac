//! The only module that touches D1. Binding names match `wrangler.toml`.
//!
//! Tables (see `worker/migrations`): `workspaces`, `rep_keys` (hashes only),
//! `tickets` (with the customer token's hash only) and `events`, whose
//! primary key `(ticket_id, seq)` makes a duplicate sequence number
//! impossible even if two writers ever raced.

use mend_core::input::{Field, TicketId, WorkspaceId};
use mend_core::make_good::Policy;
use mend_core::money::Currency;
use mend_core::ticket::{Actor, Event, Ticket};
use serde::Deserialize;
use worker::{D1Database, Env, query};

use crate::error::{AppError, AppResult};

/// The D1 binding (`[[d1_databases]] binding` in `wrangler.toml`).
pub const DB: &str = "DB";
/// The ticket Durable Object binding (`[durable_objects] bindings`).
pub const TICKETS: &str = "TICKETS";

pub fn db(env: &Env) -> AppResult<D1Database> {
    Ok(env.d1(DB)?)
}

/// A company using Mend, as the widget and the frame need it.
#[derive(Debug, Clone, Deserialize)]
pub struct Workspace {
    pub name: String,
    pub apology: String,
    /// Space-separated origins allowed to embed the widget.
    pub allowed_origins: String,
}

impl Workspace {
    pub fn origins(&self) -> impl Iterator<Item = &str> {
        self.allowed_origins.split_whitespace()
    }
}

pub async fn workspace(db: &D1Database, id: &WorkspaceId) -> AppResult<Option<Workspace>> {
    let statement = query!(db, "SELECT name, apology, allowed_origins FROM workspaces WHERE id = ?1", id.as_str())?;
    Ok(statement.first::<Workspace>(None).await?)
}

/// The workspace's make-good policy: its own, or the standard one in its currency.
pub async fn policy(db: &D1Database, id: &WorkspaceId) -> AppResult<Policy> {
    #[derive(Deserialize)]
    struct Row {
        currency: String,
        make_good_policy: Option<String>,
    }
    let statement = query!(db, "SELECT currency, make_good_policy FROM workspaces WHERE id = ?1", id.as_str())?;
    let row = statement.first::<Row>(None).await?.ok_or(AppError::Internal(format!("workspace {id} vanished")))?;
    match row.make_good_policy {
        Some(json) => {
            serde_json::from_str(&json).map_err(|e| AppError::Internal(format!("stored policy of {id}: {e}")))
        }
        None => {
            let currency =
                Currency::parse(&row.currency, Field::Currency).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(Policy::standard(currency))
        }
    }
}

/// A rep or manager key, found by its hash.
#[derive(Debug, Clone, Deserialize)]
pub struct RepKey {
    pub workspace_id: String,
    pub role: String,
}

impl RepKey {
    /// The actor this key speaks as; a role Mend does not know grants nothing.
    pub fn actor(&self) -> AppResult<Actor> {
        match self.role.as_str() {
            "rep" => Ok(Actor::Rep),
            "manager" => Ok(Actor::Manager),
            other => Err(AppError::Internal(format!("rep key with unknown role {other:?}"))),
        }
    }
}

pub async fn rep_key(db: &D1Database, key_hash: &str) -> AppResult<Option<RepKey>> {
    let statement =
        query!(db, "SELECT workspace_id, role FROM rep_keys WHERE key_hash = ?1 AND revoked_at IS NULL", key_hash)?;
    Ok(statement.first::<RepKey>(None).await?)
}

/// What it takes to decide who may see a ticket.
#[derive(Debug, Clone, Deserialize)]
pub struct TicketAccess {
    pub workspace_id: String,
    pub token_hash: String,
}

pub async fn ticket_access(db: &D1Database, id: &TicketId) -> AppResult<Option<TicketAccess>> {
    let statement = query!(db, "SELECT workspace_id, token_hash FROM tickets WHERE id = ?1", id.as_str())?;
    Ok(statement.first::<TicketAccess>(None).await?)
}

/// Creates the ticket and its first event in one batch (one transaction).
pub async fn insert_ticket(
    db: &D1Database,
    id: &TicketId,
    workspace: &WorkspaceId,
    token_hash: &str,
    ticket: &Ticket,
    first: &Event,
) -> AppResult<()> {
    let at = first.at.to_string();
    let status = ticket.state().status().key();
    let insert_ticket = query!(
        db,
        "INSERT INTO tickets (id, workspace_id, token_hash, status, next_update_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?5)",
        id.as_str(),
        workspace.as_str(),
        token_hash,
        status,
        at
    )?;
    db.batch(vec![insert_ticket, insert_event(db, id, first)?]).await.map_err(write_failed)?;
    Ok(())
}

/// Appends `event` to the log and records the state it leads to, in one
/// batch. Fails, writing nothing, if `event.seq` is already taken.
pub async fn append_event(db: &D1Database, id: &TicketId, ticket: &Ticket, event: &Event) -> AppResult<()> {
    let next_update_by = ticket.next_update_by().map(|at| at.to_string());
    let update_ticket = query!(
        db,
        "UPDATE tickets SET status = ?2, next_update_by = ?3, updated_at = ?4 WHERE id = ?1",
        id.as_str(),
        ticket.state().status().key(),
        next_update_by,
        event.at.to_string()
    )?;
    db.batch(vec![insert_event(db, id, event)?, update_ticket]).await.map_err(write_failed)?;
    Ok(())
}

fn insert_event(db: &D1Database, id: &TicketId, event: &Event) -> AppResult<worker::D1PreparedStatement> {
    let body = serde_json::to_string(event).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(query!(
        db,
        "INSERT INTO events (ticket_id, seq, at, body) VALUES (?1, ?2, ?3, ?4)",
        id.as_str(),
        event.seq as f64,
        event.at.to_string(),
        body
    )?)
}

/// The whole log of a ticket, in sequence order.
pub async fn events(db: &D1Database, id: &TicketId) -> AppResult<Vec<Event>> {
    #[derive(Deserialize)]
    struct Row {
        body: String,
    }
    let statement = query!(db, "SELECT body FROM events WHERE ticket_id = ?1 ORDER BY seq", id.as_str())?;
    let rows: Vec<Row> = statement.all().await?.results()?;
    rows.iter()
        .map(|row| serde_json::from_str(&row.body).map_err(|e| AppError::Internal(format!("stored event: {e}"))))
        .collect()
}

fn write_failed(err: worker::Error) -> AppError {
    AppError::Internal(format!("D1 write failed: {err}"))
}
