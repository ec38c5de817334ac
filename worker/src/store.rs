//! The only module that touches D1. Binding names match `wrangler.toml`.
//!
//! Tables (see `worker/migrations`): `workspaces` and `workspace_origins`,
//! `identity_keys`, `rep_keys` and `sessions` (hashes only), `tickets` (with
//! the customer token's hash only, and the core's `Standing` for the queue),
//! `events`, whose primary key `(ticket_id, seq)` makes a duplicate sequence
//! number impossible even if two writers ever raced (each with what the
//! one-voice reviewer flagged in it), and the bookkeeping of
//! `idempotency_keys` and `rate_windows`. Beside each ticket it keeps the
//! core's `TicketRecord`, so a workspace's recovery record is one query.

use std::future::Future;
use std::ops::Deref;
use std::rc::Rc;

use mend_core::clock::Timestamp;
use mend_core::input::{
    Apology, Colour, CompanyName, Field, FirstName, InputError, KeyLabel, Locale, Origin, TicketId, WorkspaceId,
};
use mend_core::money::Currency;
use mend_core::record::{Period, TicketRecord};
use mend_core::ticket::{Event, Standing, Ticket};
use mend_core::wire::{CustomerTicket, IdentityKeyCreated, IdentityKeyInfo, KeyInfo, QueueItem, Review, headline};
use mend_core::workspace::{Role, Settings};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, D1Result, Env, query};

use crate::error::{AppError, AppResult};
use crate::timing::Timing;

/// The D1 binding (`[[d1_databases]] binding` in `wrangler.toml`).
pub const DB: &str = "DB";
/// The ticket Durable Object binding (`[durable_objects] bindings`).
pub const TICKETS: &str = "TICKETS";
/// The per-workspace live queue Durable Object binding (`[durable_objects] bindings`).
pub const QUEUES: &str = "QUEUES";

/// Mend's D1 database, counting every round trip into the [`Timing`] of
/// the request (or object call) it serves.
pub struct Db {
    d1: D1Database,
    timing: Rc<Timing>,
}

pub fn db(env: &Env, timing: Rc<Timing>) -> AppResult<Db> {
    Ok(Db { d1: env.d1(DB)?, timing })
}

impl Db {
    /// Awaits one round trip to D1, counted.
    async fn trip<T>(&self, trip: impl Future<Output = T>) -> T {
        self.timing.d1(trip).await
    }

    /// Awaits one round trip to D1 that writes, counted as one.
    async fn write<T>(&self, trip: impl Future<Output = T>) -> T {
        self.timing.d1_write(trip).await
    }

    /// `statements`, which only read, in one round trip, counted.
    async fn batch(&self, statements: Vec<D1PreparedStatement>) -> worker::Result<Vec<D1Result>> {
        self.trip(self.d1.batch(statements)).await
    }

    /// `statements`, some of which write, in one round trip and one transaction, counted.
    async fn write_batch(&self, statements: Vec<D1PreparedStatement>) -> worker::Result<Vec<D1Result>> {
        self.write(self.d1.batch(statements)).await
    }
}

impl Deref for Db {
    type Target = D1Database;

    /// The database itself, to prepare statements on (`query!`); running
    /// them goes through [`Db`], so that every round trip is counted.
    fn deref(&self) -> &D1Database {
        &self.d1
    }
}

/// A workspace's settings, or `None` if no workspace has this id: one round trip.
pub async fn settings(db: &Db, id: &WorkspaceId) -> AppResult<Option<Settings>> {
    Ok(versioned_settings(db, id).await?.map(|(settings, _)| settings))
}

/// A workspace's settings and their version, which every change bumps: one round trip.
pub async fn versioned_settings(db: &Db, id: &WorkspaceId) -> AppResult<Option<(Settings, u32)>> {
    let results = db.batch(settings_reads(db, id)?.into()).await?;
    settings_from(id, &results[0], &results[1])
}

/// The reads of a workspace's settings: its row, then its origins.
fn settings_reads(db: &Db, id: &WorkspaceId) -> AppResult<[D1PreparedStatement; 2]> {
    Ok([
        query!(
            db,
            "SELECT name, apology, colour, locale, currency, make_good_policy, rep_names, voice_terms, record_public,
                    settings_version
             FROM workspaces WHERE id = ?1",
            id.as_str()
        )?,
        query!(db, "SELECT origin FROM workspace_origins WHERE workspace_id = ?1 ORDER BY origin", id.as_str())?,
    ])
}

/// Workspace `id`'s settings and their version from the answers to [`settings_reads`].
fn settings_from(id: &WorkspaceId, row: &D1Result, origins: &D1Result) -> AppResult<Option<(Settings, u32)>> {
    #[derive(Deserialize)]
    struct Row {
        name: String,
        apology: String,
        colour: String,
        locale: String,
        currency: String,
        make_good_policy: Option<String>,
        rep_names: u8,
        voice_terms: String,
        record_public: u8,
        settings_version: u32,
    }
    #[derive(Deserialize)]
    struct OriginRow {
        origin: String,
    }
    let Some(row) = row.results::<Row>()?.into_iter().next() else { return Ok(None) };
    let origins: Vec<OriginRow> = origins.results()?;
    let stored = |what: &str, err: InputError| AppError::Internal(format!("stored {what} of workspace {id}: {err}"));
    let currency = Currency::parse(&row.currency, Field::Currency).map_err(|e| stored("currency", e))?;
    let mut settings = Settings::new(
        CompanyName::parse(&row.name).map_err(|e| stored("name", e))?,
        Apology::parse(&row.apology).map_err(|e| stored("apology", e))?,
        currency,
    );
    settings.colour = Colour::parse(&row.colour).map_err(|e| stored("colour", e))?;
    settings.locale = Locale::parse(&row.locale).map_err(|e| stored("locale", e))?;
    // An origin stored before origins were checked, and not one, is left out.
    settings.origins = origins.iter().filter_map(|row| Origin::parse(&row.origin).ok()).collect();
    settings.rep_names = row.rep_names != 0;
    settings.record_public = row.record_public != 0;
    settings.voice_terms = serde_json::from_str(&row.voice_terms)
        .map_err(|e| AppError::Internal(format!("stored voice terms of {id}: {e}")))?;
    if let Some(json) = row.make_good_policy {
        settings.policy =
            serde_json::from_str(&json).map_err(|e| AppError::Internal(format!("stored policy of {id}: {e}")))?;
    }
    Ok(Some((settings, row.settings_version)))
}

/// Creates workspace `id` with `settings` in one batch; `false` if one with
/// this id exists already.
pub async fn insert_workspace(db: &Db, id: &WorkspaceId, settings: &Settings, now: Timestamp) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        id: String,
    }
    let existing = query!(db, "SELECT id FROM workspaces WHERE id = ?1", id.as_str())?;
    if db.trip(existing.first::<Row>(None)).await?.is_some() {
        return Ok(false);
    }
    let insert = query!(
        db,
        "INSERT INTO workspaces (id, name, apology, currency, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        id.as_str(),
        settings.name.as_str(),
        settings.apology.as_str(),
        settings.currency().code(),
        now.to_string()
    )?;
    let mut statements = vec![insert];
    statements.extend(settings_statements(db, id, settings)?);
    db.write_batch(statements).await.map_err(write_failed)?;
    Ok(true)
}

/// Stores `settings` for workspace `id`, origins included, in one batch.
pub async fn save_settings(db: &Db, id: &WorkspaceId, settings: &Settings) -> AppResult<()> {
    db.write_batch(settings_statements(db, id, settings)?).await.map_err(write_failed)?;
    Ok(())
}

fn settings_statements(db: &Db, id: &WorkspaceId, settings: &Settings) -> AppResult<Vec<worker::D1PreparedStatement>> {
    let policy = serde_json::to_string(&settings.policy).map_err(|e| AppError::Internal(e.to_string()))?;
    let terms = serde_json::to_string(&settings.voice_terms).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut statements = vec![
        query!(
            db,
            "UPDATE workspaces SET name = ?2, apology = ?3, colour = ?4, locale = ?5, make_good_policy = ?6,
                                   rep_names = ?7, voice_terms = ?8, record_public = ?9,
                                   settings_version = settings_version + 1
             WHERE id = ?1",
            id.as_str(),
            settings.name.as_str(),
            settings.apology.as_str(),
            settings.colour.as_str(),
            settings.locale.as_str(),
            policy,
            u8::from(settings.rep_names),
            terms,
            u8::from(settings.record_public)
        )?,
        query!(db, "DELETE FROM workspace_origins WHERE workspace_id = ?1", id.as_str())?,
    ];
    for origin in &settings.origins {
        statements.push(query!(
            db,
            "INSERT INTO workspace_origins (workspace_id, origin) VALUES (?1, ?2)",
            id.as_str(),
            origin.as_str()
        )?);
    }
    Ok(statements)
}

/// Whether any workspace lists `origin`: enough to answer a CORS preflight,
/// which carries no body and so names no workspace.
pub async fn any_workspace_allows(db: &Db, origin: &str) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        origin: String,
    }
    let statement = query!(db, "SELECT origin FROM workspace_origins WHERE origin = ?1 LIMIT 1", origin)?;
    Ok(db.trip(statement.first::<Row>(None)).await?.is_some())
}

/// A workspace's identity keys, oldest first.
pub async fn identity_keys(db: &Db, id: &WorkspaceId) -> AppResult<Vec<StoredIdentityKey>> {
    Ok(db.trip(identity_keys_read(db, id)?.all()).await?.results()?)
}

fn identity_keys_read(db: &Db, id: &WorkspaceId) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "SELECT kid, secret, created_at FROM identity_keys WHERE workspace_id = ?1 ORDER BY created_at, kid",
        id.as_str()
    )?)
}

/// An identity key as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredIdentityKey {
    pub kid: String,
    pub secret: String,
    pub created_at: String,
}

impl StoredIdentityKey {
    pub fn info(&self) -> AppResult<IdentityKeyInfo> {
        Ok(IdentityKeyInfo { kid: self.kid.clone(), created_at: stored_time(&self.created_at)? })
    }
}

pub async fn insert_identity_key(db: &Db, id: &WorkspaceId, key: &IdentityKeyCreated) -> AppResult<()> {
    db.write(
        query!(
            db,
            "INSERT INTO identity_keys (workspace_id, kid, secret, created_at) VALUES (?1, ?2, ?3, ?4)",
            id.as_str(),
            &key.kid,
            &key.secret,
            key.created_at.to_string()
        )?
        .run(),
    )
    .await
    .map_err(write_failed)?;
    Ok(())
}

/// Deletes an identity key; `false` if the workspace has none with this id.
pub async fn delete_identity_key(db: &Db, id: &WorkspaceId, kid: &str) -> AppResult<bool> {
    let statement =
        query!(db, "DELETE FROM identity_keys WHERE workspace_id = ?1 AND kid = ?2 RETURNING kid", id.as_str(), kid)?;
    Ok(db.write(statement.first::<serde_json::Value>(None)).await?.is_some())
}

/// A rep or manager key in force, found by its hash.
#[derive(Debug, Clone, Deserialize)]
pub struct RepKey {
    pub key_hash: String,
    pub workspace_id: String,
    pub role: String,
    /// Whose key it is ("Ana, support").
    pub label: String,
    /// The version of its workspace's settings, read with the key, so the
    /// ticket's object knows whether the settings it keeps are current.
    pub settings_version: u32,
}

/// A stored role; a role Mend does not know grants nothing.
fn role(stored: &str) -> AppResult<Role> {
    match stored {
        "rep" => Ok(Role::Rep),
        "manager" => Ok(Role::Manager),
        other => Err(AppError::Internal(format!("rep key with unknown role {other:?}"))),
    }
}

impl RepKey {
    /// The key's role.
    pub fn role(&self) -> AppResult<Role> {
        role(&self.role)
    }

    /// The first name of the key's holder, for signing events.
    pub fn first_name(&self) -> Option<FirstName> {
        KeyLabel::parse(&self.label).ok()?.first_name()
    }

    /// The key's public id: the start of its hash.
    pub fn id(&self) -> &str {
        key_id(&self.key_hash)
    }
}

/// The public id of the key whose hash is `key_hash`.
pub fn key_id(key_hash: &str) -> &str {
    &key_hash[..KEY_ID_LEN.min(key_hash.len())]
}

const KEY_ID_LEN: usize = 16;

/// Whether `text` has the shape of a key id: 16 lowercase hex digits.
pub fn is_key_id(text: &str) -> bool {
    text.len() == KEY_ID_LEN && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub async fn rep_key(db: &Db, key_hash: &str) -> AppResult<Option<RepKey>> {
    let statement = query!(
        db,
        "SELECT k.key_hash, k.workspace_id, k.role, k.label, w.settings_version
         FROM rep_keys k JOIN workspaces w ON w.id = k.workspace_id WHERE k.key_hash = ?1 AND k.revoked_at IS NULL",
        key_hash
    )?;
    Ok(db.trip(statement.first::<RepKey>(None)).await?)
}

/// Every key of a workspace, revoked ones included, oldest first.
pub async fn keys(db: &Db, id: &WorkspaceId) -> AppResult<Vec<KeyInfo>> {
    #[derive(Deserialize)]
    struct Row {
        key_hash: String,
        role: String,
        label: String,
        created_at: String,
        revoked_at: Option<String>,
    }
    let statement = query!(
        db,
        "SELECT key_hash, role, label, created_at, revoked_at FROM rep_keys WHERE workspace_id = ?1
         ORDER BY created_at, key_hash",
        id.as_str()
    )?;
    let rows: Vec<Row> = db.trip(statement.all()).await?.results()?;
    rows.into_iter()
        .map(|row| {
            let role = role(&row.role)?;
            Ok(KeyInfo {
                id: key_id(&row.key_hash).to_owned(),
                role,
                label: row.label,
                created_at: stored_time(&row.created_at)?,
                revoked_at: row.revoked_at.as_deref().map(stored_time).transpose()?,
            })
        })
        .collect()
}

pub async fn insert_key(db: &Db, id: &WorkspaceId, key_hash: &str, info: &KeyInfo) -> AppResult<()> {
    db.write(
        query!(
            db,
            "INSERT INTO rep_keys (key_hash, workspace_id, role, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            key_hash,
            id.as_str(),
            info.role.key(),
            &info.label,
            info.created_at.to_string()
        )?
        .run(),
    )
    .await
    .map_err(write_failed)?;
    Ok(())
}

/// Revokes the workspace's key with public id `key`, and ends its sessions;
/// `false` if the workspace has no such key in force.
pub async fn revoke_key(db: &Db, id: &WorkspaceId, key: &str, now: Timestamp) -> AppResult<bool> {
    if !is_key_id(key) {
        return Ok(false);
    }
    let pattern = format!("{key}%");
    let revoke = query!(
        db,
        "UPDATE rep_keys SET revoked_at = ?3 WHERE workspace_id = ?1 AND key_hash LIKE ?2 AND revoked_at IS NULL
         RETURNING key_hash",
        id.as_str(),
        &pattern,
        now.to_string()
    )?;
    #[derive(Deserialize)]
    struct Row {
        key_hash: String,
    }
    let Some(row) = db.write(revoke.first::<Row>(None)).await? else { return Ok(false) };
    db.write(query!(db, "DELETE FROM sessions WHERE key_hash = ?1", &row.key_hash)?.run())
        .await
        .map_err(write_failed)?;
    Ok(true)
}

/// Starts a console session for the key `key_hash`.
pub async fn insert_session(db: &Db, session_hash: &str, key_hash: &str, expires: Timestamp) -> AppResult<()> {
    db.write(
        query!(
            db,
            "INSERT INTO sessions (session_hash, key_hash, expires_ms) VALUES (?1, ?2, ?3)",
            session_hash,
            key_hash,
            expires.unix_ms() as f64
        )?
        .run(),
    )
    .await
    .map_err(write_failed)?;
    Ok(())
}

/// The key in force behind an unexpired session.
pub async fn session_key(db: &Db, session_hash: &str, now: Timestamp) -> AppResult<Option<RepKey>> {
    let statement = query!(
        db,
        "SELECT k.key_hash, k.workspace_id, k.role, k.label, w.settings_version
         FROM sessions s JOIN rep_keys k ON k.key_hash = s.key_hash JOIN workspaces w ON w.id = k.workspace_id
         WHERE s.session_hash = ?1 AND s.expires_ms > ?2 AND k.revoked_at IS NULL",
        session_hash,
        now.unix_ms() as f64
    )?;
    Ok(db.trip(statement.first::<RepKey>(None)).await?)
}

/// Ends a session, and drops every expired one while at it.
pub async fn delete_session(db: &Db, session_hash: &str, now: Timestamp) -> AppResult<()> {
    db.write(
        query!(
            db,
            "DELETE FROM sessions WHERE session_hash = ?1 OR expires_ms <= ?2",
            session_hash,
            now.unix_ms() as f64
        )?
        .run(),
    )
    .await
    .map_err(write_failed)?;
    Ok(())
}

/// A ticket as D1 held it before its object kept its own log: who it
/// belongs to, and its whole log with what the reviewer flagged.
pub struct StoredTicket {
    pub workspace_id: String,
    pub token_hash: String,
    /// The identified customer's `sub`, if the report carried an identity.
    pub customer_subject: Option<String>,
    /// The workspace key that last acted on it, for the queue's "mine".
    pub last_key_id: Option<String>,
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
                "SELECT workspace_id, token_hash, customer_subject, last_key_id FROM tickets WHERE id = ?1",
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
                              customer_subject, standing, headline, order_id, record, last_key_id, last_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (id) DO UPDATE SET
           status = excluded.status, next_update_by = excluded.next_update_by, updated_at = excluded.updated_at,
           standing = excluded.standing, record = excluded.record, last_key_id = excluded.last_key_id,
           last_seq = excluded.last_seq
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
        ticket.last_seq() as f64
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

fn to_json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
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
    pub standing: String,
    pub updated_at: String,
    pub headline: String,
    pub last_key_id: Option<String>,
}

impl QueueRow {
    /// This row as a queue entry at `now`, for the key `key_id`.
    pub fn item(&self, now: Timestamp, key_id: Option<&str>) -> AppResult<(Standing, QueueItem)> {
        let standing: Standing = serde_json::from_str(&self.standing)
            .map_err(|e| AppError::Internal(format!("stored standing of {}: {e}", self.id)))?;
        let id = TicketId::parse(&self.id).map_err(|e| AppError::Internal(e.to_string()))?;
        let mine = key_id.is_some() && self.last_key_id.as_deref() == key_id;
        let item = QueueItem::new(id, &standing, now, stored_time(&self.updated_at)?, &self.headline, mine);
        Ok((standing, item))
    }
}

/// The workspace's open tickets, at most [`QUEUE_LIMIT`], oldest first.
pub async fn open_tickets(db: &Db, workspace: &WorkspaceId) -> AppResult<Vec<QueueRow>> {
    let statement = query!(
        db,
        "SELECT id, standing, updated_at, headline, last_key_id FROM tickets
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
        status: String,
        created_at: String,
        updated_at: String,
        headline: String,
        order_id: Option<String>,
    }
    let statement = query!(
        db,
        "SELECT id, status, created_at, updated_at, headline, order_id FROM tickets
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
                status: serde_json::from_value(serde_json::Value::String(row.status.clone()))
                    .map_err(|e| internal(e.to_string()))?,
                reported_at: stored_time(&row.created_at)?,
                updated_at: stored_time(&row.updated_at)?,
                what_happened: row.headline,
                order_id: row.order_id,
            })
        })
        .collect()
}

/// What became of an `Idempotency-Key` claimed for a request.
pub enum Claim {
    /// First use (or the old record expired): go ahead, then [`finish`] or [`release`].
    New,
    /// Answered before: send this again.
    Replay { status: u16, body: String },
    /// The first request with this key is still running.
    InProgress,
    /// Used before with another body.
    Reused,
}

/// How long an idempotency record is kept.
pub const IDEMPOTENCY_MS: i64 = 24 * 60 * 60 * 1000;

/// An `Idempotency-Key` to claim: who asked, by which method and path
/// (`scope`), the key, and the SHA-256 of the body (`fingerprint`).
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct Once {
    pub scope: String,
    pub key: String,
    pub fingerprint: String,
}

/// Claims `once`'s key: one round trip.
pub async fn claim(db: &Db, once: &Once, now: Timestamp) -> AppResult<Claim> {
    let results = db.write_batch(claim_statements(db, once, now)?.into()).await.map_err(write_failed)?;
    claim_from(once, &results[0], &results[1])
}

/// The statements of a claim: take the key (or an expired record of it),
/// read what it holds, and sweep expired records.
fn claim_statements(db: &Db, once: &Once, now: Timestamp) -> AppResult<[D1PreparedStatement; 3]> {
    let cutoff = (now.unix_ms() - IDEMPOTENCY_MS) as f64;
    Ok([
        query!(
            db,
            "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
             VALUES (?1, ?2, ?3, NULL, NULL, ?4)
             ON CONFLICT (scope, key) DO UPDATE
               SET fingerprint = excluded.fingerprint, status = NULL, body = NULL, created_ms = excluded.created_ms
               WHERE idempotency_keys.created_ms <= ?5
             RETURNING fingerprint",
            &once.scope,
            &once.key,
            &once.fingerprint,
            now.unix_ms() as f64,
            cutoff
        )?,
        query!(
            db,
            "SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
            &once.scope,
            &once.key
        )?,
        query!(db, "DELETE FROM idempotency_keys WHERE created_ms <= ?1", cutoff)?,
    ])
}

/// What the answers to [`claim_statements`] say of the claim.
fn claim_from(once: &Once, inserted: &D1Result, existing: &D1Result) -> AppResult<Claim> {
    #[derive(Deserialize)]
    struct Taken {
        #[allow(dead_code)]
        fingerprint: String,
    }
    #[derive(Deserialize)]
    struct Row {
        fingerprint: String,
        status: Option<u16>,
        body: Option<String>,
    }
    if !inserted.results::<Taken>()?.is_empty() {
        return Ok(Claim::New);
    }
    let Some(row) = existing.results::<Row>()?.into_iter().next() else {
        return Err(AppError::Internal("idempotency record vanished".into()));
    };
    Ok(match (row.fingerprint == once.fingerprint, row.status, row.body) {
        (false, _, _) => Claim::Reused,
        (true, Some(status), Some(body)) => Claim::Replay { status, body },
        (true, _, _) => Claim::InProgress,
    })
}

/// Records the answer to a claimed key, for replays.
pub async fn finish(db: &Db, once: &Once, status: u16, body: &str) -> AppResult<()> {
    db.write(
        query!(
            db,
            "UPDATE idempotency_keys SET status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2",
            &once.scope,
            &once.key,
            status,
            body
        )?
        .run(),
    )
    .await
    .map_err(write_failed)?;
    Ok(())
}

/// Gives a claimed key up, so a retry runs afresh.
pub async fn release(db: &Db, once: &Once) -> AppResult<()> {
    let statement = query!(db, "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2", &once.scope, &once.key)?;
    db.write(statement.run()).await.map_err(write_failed)?;
    Ok(())
}

/// What a report needs from D1, read (and its rate-limit hits counted,
/// its `Idempotency-Key` claimed) in one round trip.
pub struct ReportContext {
    /// The workspace's settings and their version, or `None` if no workspace has the id.
    pub settings: Option<(Settings, u32)>,
    /// What became of the report's `Idempotency-Key`, if it has one.
    pub claim: Option<Claim>,
    /// The workspace's identity keys, for a report that carries an identity.
    pub identity_keys: Vec<StoredIdentityKey>,
    /// The hits in each rate-limit bucket's current window, this report's
    /// included; `None` where a bucket before it was over its limit, so
    /// this report was not counted there.
    pub hits: Vec<Option<u32>>,
}

/// A rate-limit bucket and the most hits it takes in a window.
pub struct Limit<'a> {
    pub bucket: &'a str,
    pub most: u32,
}

/// One batch, so one round trip: the claim of `once`, if the report has
/// an `Idempotency-Key`, workspace `id`'s settings, origins and identity
/// keys, and a hit in each of `limits`' buckets for the one-minute window
/// starting at `window_start` (windows that have ended are swept with it).
/// A bucket is hit only while the one before it is within its limit, so a
/// connection over its own limit never uses up the company's. A retry
/// with the same key counts as an attempt, as it is one.
pub async fn report_context(
    db: &Db,
    once: Option<&Once>,
    id: &WorkspaceId,
    limits: &[Limit<'_>],
    window_start: i64,
    now: Timestamp,
) -> AppResult<ReportContext> {
    #[derive(Deserialize)]
    struct Hits {
        hits: u32,
    }
    let mut statements = Vec::from(settings_reads(db, id)?);
    statements.push(identity_keys_read(db, id)?);
    let limits_at = statements.len() + 1;
    statements.push(query!(db, "DELETE FROM rate_windows WHERE window_start < ?1", window_start as f64)?);
    // The first bucket has no bucket before it: an empty name is never one.
    let mut before = Limit { bucket: "", most: 0 };
    for limit in limits {
        statements.push(query!(
            db,
            "INSERT INTO rate_windows (bucket, window_start, hits)
             SELECT ?1, ?2, 1
             WHERE ?3 = '' OR coalesce((SELECT hits FROM rate_windows WHERE bucket = ?3 AND window_start = ?2), 0) <= ?4
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1
             RETURNING hits",
            limit.bucket,
            window_start as f64,
            before.bucket,
            before.most
        )?);
        before = Limit { bucket: limit.bucket, most: limit.most };
    }
    let claim_at = statements.len();
    if let Some(once) = once {
        statements.extend(claim_statements(db, once, now)?);
    }
    let results = db.write_batch(statements).await.map_err(write_failed)?;
    let claim = match once {
        Some(once) => Some(claim_from(once, &results[claim_at], &results[claim_at + 1])?),
        None => None,
    };
    let hits = results[limits_at..claim_at]
        .iter()
        .map(|result| Ok(result.results::<Hits>()?.into_iter().next().map(|row| row.hits)))
        .collect::<AppResult<Vec<Option<u32>>>>()?;
    Ok(ReportContext {
        settings: settings_from(id, &results[0], &results[1])?,
        claim,
        identity_keys: results[2].results()?,
        hits,
    })
}

fn stored_time(text: &str) -> AppResult<Timestamp> {
    Timestamp::parse(text).ok_or_else(|| AppError::Internal(format!("stored time {text:?} is not RFC 3339")))
}

fn write_failed(err: worker::Error) -> AppError {
    AppError::Internal(format!("D1 write failed: {err}"))
}
