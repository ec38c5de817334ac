//! The webhook hub's SQLite storage: the one place a workspace's endpoints,
//! their secrets, the messages handed to them and every attempt are kept.
//!
//! Tables (`SCHEMA`): `endpoints` (address, filter, whether enabled and
//! why not, since when it fails, its secret and the one it replaced while
//! that still signs); `messages` (each ticket event's body, exactly as
//! signed and sent, under its `webhook-id`); `deliveries` (one message to
//! one endpoint: pending, delivered or failed, with its attempts counted
//! and the next one due); `attempts` (each try: when, the status, how long,
//! and the first 500 bytes of the answer). Secrets are kept here, in the
//! hub's own storage, which only this object's code reads; they are never
//! written to D1, never logged and never shown again after they are made.

use mend_core::clock::Timestamp;
use mend_core::input::TicketId;
use mend_core::webhook::{AttemptView, DeliveryStatus, DeliveryView, EndpointView, EventType, Filter};
use serde::{Deserialize, Serialize};
use worker::{SqlStorage, SqlStorageValue, Storage};

use crate::error::{AppError, AppResult};
use crate::object_sql;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS endpoints (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  event_types TEXT,
  enabled INTEGER NOT NULL,
  disabled_reason TEXT,
  failing_since_ms INTEGER,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_until_ms INTEGER,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  ticket_id TEXT,
  seq INTEGER,
  body TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  endpoint_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  round_start INTEGER NOT NULL DEFAULT 0,
  next_ms INTEGER,
  created_ms INTEGER NOT NULL,
  UNIQUE (endpoint_id, message_id)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (endpoint_id, status, next_ms);
CREATE TABLE IF NOT EXISTS attempts (
  delivery_id INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  status INTEGER,
  latency_ms INTEGER NOT NULL,
  answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_of ON attempts (delivery_id);
";

/// A message handed to the hub: one ticket event's webhook, or a test.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    /// Its `webhook-id`.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub ticket_id: Option<TicketId>,
    pub seq: Option<u64>,
    /// The body, exactly as it is signed and sent.
    pub body: String,
}

/// An endpoint as stored, secrets included.
#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub description: String,
    event_types: Option<String>,
    enabled: i64,
    pub disabled_reason: Option<String>,
    failing_since_ms: Option<i64>,
    pub secret: String,
    pub previous_secret: Option<String>,
    previous_until_ms: Option<i64>,
    created_ms: i64,
}

impl Endpoint {
    pub fn enabled(&self) -> bool {
        self.enabled != 0
    }

    pub fn filter(&self) -> AppResult<Filter> {
        let keys: Option<Vec<String>> = match &self.event_types {
            Some(json) => Some(from_json(json, "event types")?),
            None => None,
        };
        Filter::parse(keys.as_deref()).map_err(|e| AppError::Internal(format!("stored filter: {e}")))
    }

    pub fn failing_since(&self) -> Option<Timestamp> {
        self.failing_since_ms.and_then(Timestamp::from_unix_ms)
    }

    /// The secret it replaced and until when that still signs.
    pub fn previous(&self) -> Option<(&String, Timestamp)> {
        let until = self.previous_until_ms.and_then(Timestamp::from_unix_ms)?;
        self.previous_secret.as_ref().map(|secret| (secret, until))
    }

    pub fn view(&self, now: Timestamp) -> AppResult<EndpointView> {
        Ok(EndpointView {
            id: self.id.clone(),
            url: self.url.clone(),
            description: self.description.clone(),
            event_types: self.filter()?.types().map(<[EventType]>::to_vec),
            enabled: self.enabled(),
            disabled_reason: self.disabled_reason.clone(),
            failing_since: self.failing_since(),
            previous_secret_expires_at: self.previous().map(|(_, until)| until).filter(|until| *until > now),
            created_at: at(self.created_ms),
        })
    }
}

/// A delivery due for an attempt, with what it sends.
#[derive(Debug, Clone, Deserialize)]
pub struct Due {
    pub id: i64,
    pub message_id: String,
    pub ticket_id: Option<String>,
    pub attempts: u32,
    pub round_start: u32,
}

/// What one attempt found, as stored.
pub struct Outcome {
    pub at: Timestamp,
    pub status: Option<u16>,
    pub latency_ms: u32,
    pub answer: String,
}

/// The hub's storage.
pub struct Stored {
    storage: Storage,
}

impl Stored {
    /// The storage of a hub, its tables made if this is its first use.
    pub fn open(storage: Storage) -> AppResult<Self> {
        storage.sql().exec(SCHEMA, None)?;
        Ok(Self { storage })
    }

    fn sql(&self) -> SqlStorage {
        self.storage.sql()
    }

    fn transaction(&self, body: impl FnOnce(&SqlStorage) -> AppResult<()> + 'static) -> AppResult<()> {
        object_sql::transaction(&self.storage, body)
    }

    pub fn endpoints(&self) -> AppResult<Vec<Endpoint>> {
        Ok(self.sql().exec("SELECT * FROM endpoints ORDER BY created_ms, id", None)?.to_array()?)
    }

    pub fn endpoint(&self, id: &str) -> AppResult<Endpoint> {
        let found: Vec<Endpoint> =
            self.sql().exec("SELECT * FROM endpoints WHERE id = ?", vec![id.into()])?.to_array()?;
        found.into_iter().next().ok_or(AppError::NotFound("This workspace has no webhook endpoint with this id."))
    }

    pub fn insert_endpoint(&self, endpoint: &NewEndpoint<'_>, now: Timestamp) -> AppResult<()> {
        self.sql().exec(
            "INSERT INTO endpoints (id, url, description, event_types, enabled, secret, created_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![
                endpoint.id.into(),
                endpoint.url.into(),
                endpoint.description.into(),
                types_json(endpoint.filter)?.into(),
                i64::from(endpoint.enabled).into(),
                endpoint.secret.into(),
                now.unix_ms().into(),
            ],
        )?;
        Ok(())
    }

    /// Saves an endpoint's address, description, filter and whether it is
    /// enabled. Disabling it fails its pending deliveries, kept for replay.
    pub fn save_endpoint(
        &self,
        endpoint: &Endpoint,
        filter: &Filter,
        enabled: bool,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let values: Vec<SqlStorageValue> = vec![
            endpoint.url.as_str().into(),
            endpoint.description.as_str().into(),
            types_json(filter)?.into(),
            i64::from(enabled).into(),
            reason.map(str::to_owned).into(),
            endpoint.id.as_str().into(),
        ];
        let id = endpoint.id.clone();
        self.transaction(move |sql| {
            sql.exec(
                "UPDATE endpoints SET url = ?, description = ?, event_types = ?, enabled = ?, disabled_reason = ?,
                 failing_since_ms = CASE WHEN enabled = ?4 THEN failing_since_ms ELSE NULL END WHERE id = ?",
                values,
            )?;
            if !enabled {
                sql.exec(
                    "UPDATE deliveries SET status = 'failed', next_ms = NULL WHERE endpoint_id = ? AND status = 'pending'",
                    vec![id.into()],
                )?;
            }
            Ok(())
        })
    }

    pub fn delete_endpoint(&self, id: &str) -> AppResult<()> {
        let id = id.to_owned();
        self.transaction(move |sql| {
            sql.exec(
                "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE endpoint_id = ?)",
                vec![id.as_str().into()],
            )?;
            sql.exec("DELETE FROM deliveries WHERE endpoint_id = ?", vec![id.as_str().into()])?;
            sql.exec("DELETE FROM endpoints WHERE id = ?", vec![id.as_str().into()])?;
            Ok(())
        })
    }

    pub fn rotate(&self, id: &str, secret: &str, previous: &str, until: Timestamp) -> AppResult<()> {
        self.sql().exec(
            "UPDATE endpoints SET secret = ?, previous_secret = ?, previous_until_ms = ? WHERE id = ?",
            vec![secret.into(), previous.into(), until.unix_ms().into(), id.into()],
        )?;
        Ok(())
    }

    /// Takes `messages` on: each is stored once under its id, with a
    /// pending delivery to every enabled endpoint whose filter admits it
    /// (`to` narrows that to one endpoint, for a test). Taking a message
    /// on again changes nothing, so a repeated hand-off is harmless.
    pub fn accept(&self, messages: Vec<Message>, to: Option<&str>, now: Timestamp) -> AppResult<()> {
        let mut targets = Vec::new();
        for endpoint in self.endpoints()?.into_iter().filter(Endpoint::enabled) {
            if to.is_none_or(|to| to == endpoint.id) {
                let filter = endpoint.filter()?;
                targets.push((endpoint.id, filter));
            }
        }
        if targets.is_empty() {
            return Ok(());
        }
        self.transaction(move |sql| {
            for message in messages {
                let wanted: Vec<&String> =
                    targets.iter().filter(|(_, filter)| filter.admits(message.kind)).map(|(id, _)| id).collect();
                if wanted.is_empty() {
                    continue;
                }
                sql.exec(
                    "INSERT OR IGNORE INTO messages (id, type, ticket_id, seq, body, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    vec![
                        message.id.as_str().into(),
                        message.kind.key().into(),
                        message.ticket_id.as_ref().map(|id| id.to_string()).into(),
                        message.seq.map(|seq| seq as i64).into(),
                        message.body.as_str().into(),
                        now.unix_ms().into(),
                    ],
                )?;
                for endpoint in wanted {
                    sql.exec(
                        "INSERT OR IGNORE INTO deliveries (endpoint_id, message_id, status, next_ms, created_ms)
                         VALUES (?, ?, 'pending', ?, ?)",
                        vec![endpoint.as_str().into(), message.id.as_str().into(), now.unix_ms().into(), now.unix_ms().into()],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// `endpoint`'s pending deliveries due by `now`, oldest first: the
    /// order in which one ticket's events reach it. Without their bodies,
    /// which [`Stored::body`] reads for the ones that go.
    pub fn due_to(&self, endpoint: &str, now: Timestamp, limit: u32) -> AppResult<Vec<Due>> {
        Ok(self
            .sql()
            .exec(
                "SELECT d.id, d.message_id, m.ticket_id, d.attempts, d.round_start
                 FROM deliveries d JOIN messages m ON m.id = d.message_id
                 WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_ms <= ? ORDER BY d.id LIMIT ?",
                vec![endpoint.into(), now.unix_ms().into(), i64::from(limit).into()],
            )?
            .to_array()?)
    }

    /// The body of message `id`, exactly as it is signed and sent.
    pub fn body(&self, id: &str) -> AppResult<String> {
        #[derive(Deserialize)]
        struct Body {
            body: String,
        }
        let body: Body = self.sql().exec("SELECT body FROM messages WHERE id = ?", vec![id.into()])?.one()?;
        Ok(body.body)
    }

    /// Holds a delivery whose attempt starts now until `until`, so an
    /// attempt cut off by a restart is made again by the alarm then.
    pub fn lease(&self, id: i64, until: Timestamp) -> AppResult<()> {
        self.sql().exec("UPDATE deliveries SET next_ms = ? WHERE id = ?", vec![until.unix_ms().into(), id.into()])?;
        Ok(())
    }

    /// Records an attempt and where its delivery now stands: delivered,
    /// pending again at `next`, or failed (`next` is `None` after a failure).
    pub fn record(&self, id: i64, outcome: &Outcome, status: DeliveryStatus, next: Option<Timestamp>) -> AppResult<()> {
        let attempt: Vec<SqlStorageValue> = vec![
            id.into(),
            outcome.at.unix_ms().into(),
            outcome.status.map(i64::from).into(),
            i64::from(outcome.latency_ms).into(),
            outcome.answer.as_str().into(),
        ];
        let delivery: Vec<SqlStorageValue> = vec![status.key().into(), next.map(Timestamp::unix_ms).into(), id.into()];
        self.transaction(move |sql| {
            sql.exec(
                "INSERT INTO attempts (delivery_id, at_ms, status, latency_ms, answer) VALUES (?, ?, ?, ?, ?)",
                attempt,
            )?;
            sql.exec("UPDATE deliveries SET attempts = attempts + 1, status = ?, next_ms = ? WHERE id = ?", delivery)?;
            Ok(())
        })
    }

    /// Notes an endpoint's health after an attempt: answering clears its
    /// failing streak; failing starts one if none runs.
    pub fn health(&self, endpoint: &str, answered: bool, now: Timestamp) -> AppResult<()> {
        if answered {
            self.sql().exec("UPDATE endpoints SET failing_since_ms = NULL WHERE id = ?", vec![endpoint.into()])?;
        } else {
            self.sql().exec(
                "UPDATE endpoints SET failing_since_ms = coalesce(failing_since_ms, ?) WHERE id = ?",
                vec![now.unix_ms().into(), endpoint.into()],
            )?;
        }
        Ok(())
    }

    /// The endpoint's newest deliveries, each with its attempts.
    pub fn deliveries(&self, endpoint: &str, limit: u32) -> AppResult<Vec<DeliveryView>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            message_id: String,
            #[serde(rename = "type")]
            kind: String,
            ticket_id: Option<String>,
            seq: Option<i64>,
            status: String,
            next_ms: Option<i64>,
            created_ms: i64,
        }
        #[derive(Deserialize)]
        struct AttemptRow {
            delivery_id: i64,
            at_ms: i64,
            status: Option<i64>,
            latency_ms: i64,
            answer: String,
        }
        let rows: Vec<Row> = self
            .sql()
            .exec(
                "SELECT d.id, d.message_id, m.type, m.ticket_id, m.seq, d.status, d.next_ms, d.created_ms
                 FROM deliveries d JOIN messages m ON m.id = d.message_id
                 WHERE d.endpoint_id = ? ORDER BY d.id DESC LIMIT ?",
                vec![endpoint.into(), i64::from(limit).into()],
            )?
            .to_array()?;
        let Some(oldest) = rows.last().map(|row| row.id) else { return Ok(Vec::new()) };
        let attempts: Vec<AttemptRow> = self
            .sql()
            .exec(
                "SELECT a.delivery_id, a.at_ms, a.status, a.latency_ms, a.answer FROM attempts a
                 JOIN deliveries d ON d.id = a.delivery_id
                 WHERE d.endpoint_id = ? AND a.delivery_id >= ? ORDER BY a.at_ms, a.rowid",
                vec![endpoint.into(), oldest.into()],
            )?
            .to_array()?;
        rows.into_iter()
            .map(|row| {
                let status = DeliveryStatus::from_key(&row.status)
                    .ok_or_else(|| AppError::Internal(format!("stored delivery status {}", row.status)))?;
                let kind: EventType = from_json(&format!("\"{}\"", row.kind), "message type")?;
                Ok(DeliveryView {
                    id: row.id.to_string(),
                    message_id: row.message_id,
                    event_type: kind,
                    ticket_id: row.ticket_id.as_deref().and_then(|id| TicketId::parse(id).ok()),
                    seq: row.seq.and_then(|seq| u64::try_from(seq).ok()),
                    status,
                    created_at: at(row.created_ms),
                    next_attempt_at: row.next_ms.filter(|_| status == DeliveryStatus::Pending).map(at),
                    attempts: attempts
                        .iter()
                        .filter(|attempt| attempt.delivery_id == row.id)
                        .map(|attempt| AttemptView {
                            at: at(attempt.at_ms),
                            status: attempt.status.and_then(|s| u16::try_from(s).ok()),
                            latency_ms: u32::try_from(attempt.latency_ms).unwrap_or(u32::MAX),
                            answer: attempt.answer.clone(),
                        })
                        .collect(),
                })
            })
            .collect()
    }

    /// Schedules deliveries of `endpoint` again at `now`, on a fresh round
    /// of the schedule: the one with `id`, or every failed one taken on
    /// from `since`. Returns how many.
    pub fn replay(&self, endpoint: &str, which: Replay, now: Timestamp) -> AppResult<u32> {
        let (filter, value): (&str, SqlStorageValue) = match which {
            Replay::One(id) => ("id = ?", id.into()),
            Replay::FailedSince(since) => ("status = 'failed' AND created_ms >= ?", since.unix_ms().into()),
        };
        #[derive(Deserialize)]
        struct Replayed {
            #[allow(dead_code)]
            id: i64,
        }
        let replayed: Vec<Replayed> = self
            .sql()
            .exec(
                &format!(
                    "UPDATE deliveries SET status = 'pending', next_ms = ?, round_start = attempts
                     WHERE endpoint_id = ? AND {filter} RETURNING id"
                ),
                vec![now.unix_ms().into(), endpoint.into(), value],
            )?
            .to_array()?;
        Ok(replayed.len() as u32)
    }

    /// Forgets up to 500 deliveries delivered before `before`, with their
    /// attempts, and the messages no delivery needs any more. Pending and
    /// failed deliveries stay until their endpoint is deleted.
    pub fn prune(&self, before: Timestamp) -> AppResult<()> {
        let before = before.unix_ms();
        self.transaction(move |sql| {
            let old = "SELECT id FROM deliveries WHERE status = 'delivered' AND created_ms < ? ORDER BY id LIMIT 500";
            sql.exec(&format!("DELETE FROM attempts WHERE delivery_id IN ({old})"), vec![before.into()])?;
            sql.exec(&format!("DELETE FROM deliveries WHERE id IN ({old})"), vec![before.into()])?;
            sql.exec(
                "DELETE FROM messages WHERE created_ms < ?
                 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = messages.id)",
                vec![before.into()],
            )?;
            Ok(())
        })
    }

    /// When the next pending delivery is due, if any is.
    pub fn next_due(&self) -> AppResult<Option<Timestamp>> {
        #[derive(Deserialize)]
        struct Next {
            next_ms: Option<f64>,
        }
        let next: Next =
            self.sql().exec("SELECT min(next_ms) AS next_ms FROM deliveries WHERE status = 'pending'", None)?.one()?;
        Ok(next.next_ms.and_then(|ms| Timestamp::from_unix_ms(ms as i64)))
    }
}

/// Which deliveries a replay sends again.
pub enum Replay {
    One(i64),
    FailedSince(Timestamp),
}

/// A new endpoint, as stored.
pub struct NewEndpoint<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub description: &'a str,
    pub filter: &'a Filter,
    pub enabled: bool,
    pub secret: &'a str,
}

fn types_json(filter: &Filter) -> AppResult<Option<String>> {
    filter
        .types()
        .map(|types| serde_json::to_string(&types.iter().map(|t| t.key()).collect::<Vec<_>>()))
        .transpose()
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_ms(ms).unwrap_or(Timestamp::EPOCH)
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(format!("webhook hub's stored {what}: {e}")))
}
