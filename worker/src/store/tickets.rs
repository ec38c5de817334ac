//! The tickets' index in D1, which each ticket's object projects its log
//! into: a row per ticket (who it belongs to, the core's `Standing` for the
//! queue, its `TicketRecord`, its last projected `seq`) and a copy of its
//! events with their findings, keyed by `(ticket_id, seq)`. Tickets D1 held
//! before objects kept logs are read back whole, once, by `stored_ticket`.

use mend_core::clock::Timestamp;
use mend_core::input::{TicketId, WorkspaceId};
use mend_core::record::{Period, TicketRecord};
use mend_core::reference::Reference;
use mend_core::ticket::{Event, Standing, Ticket};
use mend_core::wire::{CustomerTicket, QueueItem, Review, headline};
use serde::Deserialize;
use worker::query;

use super::{Db, stored_time, to_json, write_failed};
use crate::error::{AppError, AppResult};

/// A ticket as D1 held it before its object kept its own log: who it
/// belongs to, and its whole log with what the reviewer flagged.
pub struct StoredTicket {
    pub workspace_id: String,
    pub token_hash: String,
    /// The identified customer's `sub`, if the report carried an identity.
    pub customer_subject: Option<String>,
    /// The workspace key that last acted on it, for the queue's "mine".
    pub last_key_id: Option<String>,
    /// Its number in the workspace ([`Reference`]).
    pub number: Option<u64>,
    pub events: Vec<Event>,
    pub reviews: Vec<Review>,
}

/// Ticket `id` as D1 holds it, log included, in one round trip; `None` if D1 has no such ticket.
pub async fn stored_ticket(db: &Db, id: &TicketId) -> AppResult<Option<StoredTicket>> {
    #[derive(Deserialize)]
    struct Row {
        workspace_id: String,
        token_hash: String,
        customer_subject: Option<String>,
        last_key_id: Option<String>,
        number: Option<f64>,
    }
    #[derive(Deserialize)]
    struct EventRow {
        body: String,
        findings: Option<String>,
    }
    let results = db
        .batch(vec![
            query!(
                db,
                "SELECT workspace_id, token_hash, customer_subject, last_key_id, number FROM tickets WHERE id = ?1",
                id.as_str()
            )?,
            query!(db, "SELECT body, findings FROM events WHERE ticket_id = ?1 ORDER BY seq", id.as_str())?,
        ])
        .await?;
    let Some(row) = results[0].results::<Row>()?.into_iter().next() else { return Ok(None) };
    let rows: Vec<EventRow> = results[1].results()?;
    let mut events = Vec::with_capacity(rows.len());
    let mut reviews = Vec::new();
    for row in rows {
        events.push(serde_json::from_str(&row.body).map_err(|e| AppError::Internal(format!("stored event: {e}")))?);
        if let Some(findings) = row.findings {
            let stored: Vec<Review> =
                serde_json::from_str(&findings).map_err(|e| AppError::Internal(format!("stored findings: {e}")))?;
            reviews.extend(stored);
        }
    }
    Ok(Some(StoredTicket {
        workspace_id: row.workspace_id,
        token_hash: row.token_hash,
        customer_subject: row.customer_subject,
        last_key_id: row.last_key_id,
        number: row.number.map(|n| n as u64),
        events,
        reviews,
    }))
}

/// What a ticket's object writes into the index: the ticket's row as of
/// its event `ticket.last_seq()`, and the events the index still lacks.
pub struct Projection<'a> {
    pub id: &'a TicketId,
    pub workspace: &'a WorkspaceId,
    pub token_hash: &'a str,
    pub customer_subject: Option<&'a str>,
    /// Its number in the workspace ([`Reference`]), if it has one.
    pub number: Option<u64>,
    /// The ticket folded up to its last event.
    pub ticket: &'a Ticket,
    /// When its last event happened.
    pub updated_at: Timestamp,
    pub record: &'a TicketRecord,
    pub last_key_id: Option<&'a str>,
    /// Events to write, each with what the reviewer flagged in it.
    pub events: Vec<(&'a Event, Vec<Review>)>,
}

/// Writes `projection` into D1 in one batch (one transaction). It is
/// idempotent on (ticket, seq): an event already there is left as it is,
/// and the ticket's row only ever moves forward to a later `last_seq`, so a
/// retried or replayed projection changes nothing twice.
pub async fn project(db: &Db, projection: &Projection<'_>) -> AppResult<()> {
    let ticket = projection.ticket;
    let report = ticket.report();
    let (standing, record) = (standing(ticket)?, to_json(projection.record)?);
    let upsert = query!(
        db,
        "INSERT INTO tickets (id, workspace_id, token_hash, status, next_update_by, created_at, updated_at,
                              customer_subject, standing, headline, order_id, record, last_key_id, last_seq, number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (id) DO UPDATE SET
           status = excluded.status, next_update_by = excluded.next_update_by, updated_at = excluded.updated_at,
           standing = excluded.standing, record = excluded.record, last_key_id = excluded.last_key_id,
           last_seq = excluded.last_seq, number = coalesce(tickets.number, excluded.number)
         WHERE excluded.last_seq > tickets.last_seq",
        projection.id.as_str(),
        projection.workspace.as_str(),
        projection.token_hash,
        ticket.state().status().key(),
        ticket.next_update_by().map(|at| at.to_string()),
        ticket.reported_at().to_string(),
        projection.updated_at.to_string(),
        projection.customer_subject,
        standing,
        headline(report.what_happened.as_str()),
        report.order_id.as_ref().map(|order| order.as_str()),
        record,
        projection.last_key_id,
        ticket.last_seq() as f64,
        projection.number.map(|n| n as f64)
    )?;
    let mut statements = vec![upsert];
    for (event, reviews) in &projection.events {
        let findings = if reviews.is_empty() { None } else { Some(to_json(reviews)?) };
        let body = to_json(event)?;
        statements.push(query!(
            db,
            "INSERT INTO events (ticket_id, seq, at, body, findings) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (ticket_id, seq) DO NOTHING",
            projection.id.as_str(),
            event.seq as f64,
            event.at.to_string(),
            body,
            findings
        )?);
    }
    db.write_batch(statements).await.map_err(write_failed)?;
    Ok(())
}

/// The records of workspace `id`'s tickets reported in `period`. Tickets
/// stored before records were kept have none and are left out.
pub async fn ticket_records(db: &Db, id: &WorkspaceId, period: Period) -> AppResult<Vec<TicketRecord>> {
    #[derive(Deserialize)]
    struct Row {
        record: String,
    }
    // `created_at` is RFC 3339 in UTC, so a bare day sorts before every time
    // on it: the bounds are exact as text.
    let statement = query!(
        db,
        "SELECT record FROM tickets WHERE workspace_id = ?1 AND created_at >= ?2 AND created_at < ?3
           AND record IS NOT NULL",
        id.as_str(),
        period.first_day().day(),
        period.end().day()
    )?;
    let rows: Vec<Row> = db.trip(statement.all()).await?.results()?;
    rows.iter()
        .map(|row| serde_json::from_str(&row.record).map_err(|e| AppError::Internal(format!("stored record: {e}"))))
        .collect()
}

fn standing(ticket: &Ticket) -> AppResult<String> {
    to_json(&ticket.standing())
}

/// An open ticket as the queue reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct QueueRow {
    pub id: String,
    pub workspace_id: String,
    pub number: Option<f64>,
    pub standing: String,
    pub updated_at: String,
    pub headline: String,
}

impl QueueRow {
    /// This row as a queue entry at `now`, for the colleague with key `asker`.
    pub fn item(&self, now: Timestamp, asker: &str) -> AppResult<(Standing, QueueItem)> {
        let standing: Standing = serde_json::from_str(&self.standing)
            .map_err(|e| AppError::Internal(format!("stored standing of {}: {e}", self.id)))?;
        let id = TicketId::parse(&self.id).map_err(|e| AppError::Internal(e.to_string()))?;
        let reference = reference(&self.workspace_id, self.number)?;
        let item = QueueItem::new(id, reference, &standing, now, stored_time(&self.updated_at)?, &self.headline, asker);
        Ok((standing, item))
    }
}

/// The workspace's open tickets, at most [`QUEUE_LIMIT`], oldest first.
pub async fn open_tickets(db: &Db, workspace: &WorkspaceId) -> AppResult<Vec<QueueRow>> {
    let statement = query!(
        db,
        "SELECT id, workspace_id, number, standing, updated_at, headline FROM tickets
         WHERE workspace_id = ?1 AND status NOT IN ('solved', 'withdrawn')
         ORDER BY created_at LIMIT ?2",
        workspace.as_str(),
        QUEUE_LIMIT as f64
    )?;
    Ok(db.trip(statement.all()).await?.results()?)
}

/// The most open tickets the queue sorts at once.
pub const QUEUE_LIMIT: usize = 2000;

/// An identified customer's tickets in a workspace, newest first.
pub async fn customer_tickets(db: &Db, workspace: &WorkspaceId, subject: &str) -> AppResult<Vec<CustomerTicket>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        number: Option<f64>,
        status: String,
        created_at: String,
        updated_at: String,
        headline: String,
        order_id: Option<String>,
        found_first: Option<f64>,
        follow_up: Option<String>,
    }
    let statement = query!(
        db,
        "SELECT id, number, status, created_at, updated_at, headline, order_id,
                json_extract(record, '$.found_first') AS found_first,
                json_extract(record, '$.follow_up') AS follow_up FROM tickets
         WHERE workspace_id = ?1 AND customer_subject = ?2 ORDER BY created_at DESC LIMIT 200",
        workspace.as_str(),
        subject
    )?;
    let rows: Vec<Row> = db.trip(statement.all()).await?.results()?;
    rows.into_iter()
        .map(|row| {
            let internal = |what: String| AppError::Internal(format!("stored ticket {}: {what}", row.id));
            Ok(CustomerTicket {
                id: TicketId::parse(&row.id).map_err(|e| internal(e.to_string()))?,
                reference: row.number.map(|n| Reference::new(workspace, n as u64)),
                status: serde_json::from_value(serde_json::Value::String(row.status.clone()))
                    .map_err(|e| internal(e.to_string()))?,
                reported_at: stored_time(&row.created_at)?,
                updated_at: stored_time(&row.updated_at)?,
                what_happened: row.headline,
                order_id: row.order_id,
                found_first: row.found_first.is_some_and(|flag| flag != 0.0),
                follow_up: row
                    .follow_up
                    .map(|key| serde_json::from_value(serde_json::Value::String(key)))
                    .transpose()
                    .map_err(|e| internal(e.to_string()))?
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// The reference of ticket `number` of the workspace D1 names `workspace`.
fn reference(workspace: &str, number: Option<f64>) -> AppResult<Option<Reference>> {
    let Some(number) = number else { return Ok(None) };
    let workspace = WorkspaceId::parse(workspace).map_err(|e| AppError::Internal(format!("stored workspace: {e}")))?;
    Ok(Some(Reference::new(&workspace, number as u64)))
}

/// The id of ticket `number` of `workspace`, if D1 has it.
pub async fn ticket_numbered(db: &Db, workspace: &WorkspaceId, number: u64) -> AppResult<Option<TicketId>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let statement = query!(
        db,
        "SELECT id FROM tickets WHERE workspace_id = ?1 AND number = ?2",
        workspace.as_str(),
        number as f64
    )?;
    let row: Option<Row> = db.trip(statement.first(None)).await?;
    row.map(|row| TicketId::parse(&row.id).map_err(|e| AppError::Internal(e.to_string()))).transpose()
}

/// The number D1 gave ticket `id` when it numbered the tickets from before
/// references (`None` if it has none).
pub async fn ticket_number(db: &Db, id: &TicketId) -> AppResult<Option<u64>> {
    #[derive(Deserialize)]
    struct Row {
        number: Option<f64>,
    }
    let statement = query!(db, "SELECT number FROM tickets WHERE id = ?1", id.as_str())?;
    let row: Option<Row> = db.trip(statement.first(None)).await?;
    Ok(row.and_then(|row| row.number).map(|n| n as u64))
}

/// The workspace's count of numbered tickets, as taking a number returns it.
#[derive(Deserialize)]
pub(super) struct Numbered {
    pub tickets_numbered: f64,
}

/// The statement that takes workspace `id`'s next ticket number and returns it ([`Numbered`]).
pub(super) fn number_statement(db: &Db, id: &WorkspaceId) -> AppResult<worker::D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE workspaces SET tickets_numbered = tickets_numbered + 1 WHERE id = ?1 RETURNING tickets_numbered",
        id.as_str()
    )?)
}

/// Takes workspace `id`'s next ticket number, for a ticket the company
/// reports itself (a customer's report takes its number in its one batch).
pub async fn take_number(db: &Db, id: &WorkspaceId) -> AppResult<u64> {
    let row: Option<Numbered> = db.write(number_statement(db, id)?.first(None)).await.map_err(write_failed)?;
    row.map(|row| row.tickets_numbered as u64)
        .ok_or_else(|| AppError::Internal(format!("workspace {id} took no number")))
}
