//! The ticket's log in its object's own SQLite storage: the one place the
//! ticket's history is kept. D1 holds a projection of it for the queue,
//! listings and the recovery record (see [`super::outbox`]).
//!
//! Tables (`SCHEMA`): `ticket`, one row — whose ticket it is (workspace,
//! the customer token's hash, the identified customer's `sub`, its number
//! in the workspace; objects from before references gain the column
//! when they learn theirs, [`Stored::keep_number`]), the
//! workspace settings the object works with and their version; `events`,
//! the log (each with what the one-voice reviewer flagged in it and the
//! workspace key that gave it); `outbox`, the work each event left behind,
//! written in the same transaction as the event; and `answers`, the
//! answers to commands sent with an `Idempotency-Key`, kept a day.
//!
//! Every write here is synchronous and a whole transaction
//! (`transactionSync`): an event and its outbox rows are stored together or
//! not at all.

use mend_core::clock::Timestamp;
use mend_core::email;
use mend_core::input::{TicketId, WorkspaceId};
use mend_core::outbox::{self, Work};
use mend_core::record::TicketRecord;
use mend_core::reference::Reference;
use mend_core::ticket::{Event, Ticket};
use mend_core::wire::{Review, TicketView};
use mend_core::workspace::Settings;
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue, Storage};

use crate::error::{AppError, AppResult};
use crate::store::{IDEMPOTENCY_MS, Once};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ticket (
  id TEXT PRIMARY KEY,
  workspace TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  customer_subject TEXT,
  last_key_id TEXT,
  settings TEXT NOT NULL,
  settings_version INTEGER NOT NULL,
  settings_read_ms INTEGER NOT NULL,
  number INTEGER
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  body TEXT NOT NULL,
  findings TEXT,
  key_id TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  work TEXT NOT NULL,
  seq INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_ms INTEGER NOT NULL,
  last_error TEXT
);
CREATE TABLE IF NOT EXISTS answers (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
";

/// What the object keeps for emailing the customer (`mail`, one row, and
/// `links`, the hashes of the customer tokens emails carried). Made with
/// the log, and on first use by objects from before emails.
const MAIL_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS mail (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  emails_on INTEGER NOT NULL DEFAULT 1,
  unsubscribe_token TEXT
);
CREATE TABLE IF NOT EXISTS links (
  hash TEXT PRIMARY KEY,
  created_ms INTEGER NOT NULL
);
INSERT OR IGNORE INTO mail (id) VALUES (1);
";

/// Who a ticket belongs to, as its object keeps it.
#[derive(Debug, Clone)]
pub struct Owner {
    pub workspace: WorkspaceId,
    pub token_hash: String,
    /// The identified customer's `sub`, if the report carried an identity.
    pub customer_subject: Option<String>,
    /// The ticket's number in its workspace, which its [`Reference`] writes;
    /// `None` for a ticket from before references until it learns it.
    pub number: Option<u64>,
    /// The hashes of the customer tokens Mend's emails carried in their
    /// links: each opens the ticket as its customer, like the first.
    pub link_hashes: Vec<String>,
    /// Whether the customer lets Mend email them about this ticket.
    pub emails_on: bool,
}

/// How a log starts in the object's storage ([`Stored::create`]).
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// A new ticket: each event with its outbox rows, and an email for its
    /// news due at `mail_due`, if one is.
    Fresh { mail_due: Option<Timestamp> },
    /// A ticket D1 held before its object kept the log, copied as it is.
    Copied,
}

/// The workspace settings an object works with, and when it read them.
#[derive(Debug, Clone)]
pub struct Kept {
    pub settings: Settings,
    pub version: u32,
    pub read_at: Timestamp,
}

/// A ticket's log, folded, as the object holds it in memory.
pub struct Log {
    pub id: TicketId,
    pub owner: Owner,
    pub ticket: Ticket,
    pub events: Vec<Event>,
    /// What the reviewer flagged in the company's words, in log order.
    pub reviews: Vec<Review>,
    /// The workspace key that last acted, for the queue's "mine".
    pub last_key_id: Option<String>,
    pub settings: Kept,
}

impl Log {
    /// The ticket as its customer sees it, or with `staff`, as its
    /// workspace's reps do: with the reviewer's findings.
    pub fn view(&self, staff: bool) -> TicketView {
        let (id, workspace) = (self.id.clone(), self.owner.workspace.clone());
        let mut view = TicketView::new(id, self.reference(), workspace, &self.ticket, self.events.clone());
        if let Some(emails) = view.emails.as_mut() {
            emails.on = self.owner.emails_on;
        }
        match staff {
            true => TicketView { review: self.reviews.clone(), ..view },
            false => view.for_customer(),
        }
    }

    /// The reference a person can say, once the ticket has a number.
    pub fn reference(&self) -> Option<Reference> {
        self.owner.number.map(|number| Reference::new(&self.owner.workspace, number))
    }

    pub fn since(&self, seq: u64) -> &[Event] {
        let start = self.events.partition_point(|event| event.seq <= seq);
        &self.events[start..]
    }

    /// The ticket as of its event `seq`, its recovery record then as the
    /// index keeps it, and when that event happened.
    pub fn as_of(&self, seq: u64) -> AppResult<(Ticket, TicketRecord, Timestamp)> {
        let end = self.events.partition_point(|event| event.seq <= seq);
        let events = &self.events[..end];
        let last = events.last().ok_or_else(|| AppError::Internal(format!("no event {seq} in the log")))?;
        let ticket = if end == self.events.len() {
            self.ticket.clone()
        } else {
            Ticket::from_events(events).map_err(|e| AppError::Internal(format!("object's log: {e:?}")))?
        };
        let reviews: Vec<Review> = self.reviews.iter().filter(|review| review.seq <= seq).cloned().collect();
        let record = TicketRecord::of(&ticket, events, &self.settings.settings.policy)
            .with_flagged(Review::events_flagged(&reviews));
        Ok((ticket, record, last.at))
    }

    /// What the reviewer flagged in event `seq`.
    pub fn reviews_of(&self, seq: u64) -> Vec<Review> {
        self.reviews.iter().filter(|review| review.seq == seq).cloned().collect()
    }
}

/// An event on its way into the log: what the reviewer flagged in it and
/// which workspace key gave it, and the answer to keep for its
/// `Idempotency-Key`, if it had one.
pub struct Appending<'a> {
    pub event: &'a Event,
    pub reviews: &'a [Review],
    pub key_id: Option<&'a str>,
    pub answer: Option<(&'a Once, u16, &'a str)>,
    /// When to email the customer about it, if it is news for them.
    pub mail_due: Option<Timestamp>,
}

/// A row of the outbox.
#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub id: i64,
    pub seq: u64,
    pub attempts: u32,
}

/// An answer kept for an `Idempotency-Key`.
#[derive(Debug, Deserialize)]
pub struct Answer {
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}

/// The object's SQLite storage.
pub struct Stored {
    storage: Storage,
}

impl Stored {
    /// The storage of an object. Its tables are made only when it starts
    /// a log, so asking about a ticket that does not exist stores nothing.
    pub fn new(storage: Storage) -> Self {
        Self { storage }
    }

    /// Whether this object keeps a log (its tables exist).
    fn keeps_log(&self) -> AppResult<bool> {
        #[derive(Deserialize)]
        struct Tables {
            n: f64,
        }
        let tables: Tables = self
            .sql()
            .exec("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'ticket'", None)?
            .one()?;
        Ok(tables.n > 0.0)
    }

    fn sql(&self) -> SqlStorage {
        self.storage.sql()
    }

    /// Runs `body` as one transaction: all its writes or none.
    fn transaction(&self, body: impl FnOnce(&SqlStorage) -> AppResult<()> + 'static) -> AppResult<()> {
        crate::object_sql::transaction(&self.storage, body)
    }

    /// The log this object keeps, or `None` if it keeps none yet.
    pub fn load(&self) -> AppResult<Option<Log>> {
        #[derive(Deserialize)]
        struct TicketRow {
            id: String,
            workspace: String,
            token_hash: String,
            customer_subject: Option<String>,
            last_key_id: Option<String>,
            settings: String,
            settings_version: u32,
            settings_read_ms: f64,
            /// Absent from objects made before references.
            #[serde(default)]
            number: Option<f64>,
        }
        #[derive(Deserialize)]
        struct EventRow {
            body: String,
            findings: Option<String>,
        }
        if !self.keeps_log()? {
            return Ok(None);
        }
        let rows: Vec<TicketRow> = self.sql().exec("SELECT * FROM ticket", None)?.to_array()?;
        let Some(row) = rows.into_iter().next() else { return Ok(None) };
        let (link_hashes, emails_on) = self.mail_state()?;
        let events: Vec<EventRow> =
            self.sql().exec("SELECT body, findings FROM events ORDER BY seq", None)?.to_array()?;
        let mut log_events = Vec::with_capacity(events.len());
        let mut reviews = Vec::new();
        for row in events {
            log_events.push(from_json::<Event>(&row.body, "event")?);
            if let Some(findings) = row.findings {
                reviews.extend(from_json::<Vec<Review>>(&findings, "findings")?);
            }
        }
        let ticket =
            Ticket::from_events(&log_events).map_err(|e| AppError::Internal(format!("object's log: {e:?}")))?;
        let internal = |e: mend_core::input::InputError| AppError::Internal(format!("object's ticket row: {e}"));
        Ok(Some(Log {
            id: TicketId::parse(&row.id).map_err(internal)?,
            owner: Owner {
                workspace: WorkspaceId::parse(&row.workspace).map_err(internal)?,
                token_hash: row.token_hash,
                customer_subject: row.customer_subject,
                number: row.number.map(|n| n as u64),
                link_hashes,
                emails_on,
            },
            ticket,
            events: log_events,
            reviews,
            last_key_id: row.last_key_id,
            settings: Kept {
                settings: from_json(&row.settings, "settings")?,
                version: row.settings_version,
                read_at: Timestamp::from_unix_ms(row.settings_read_ms as i64).unwrap_or(Timestamp::EPOCH),
            },
        }))
    }

    /// Starts the log: the ticket's row and its events, with their outbox
    /// rows when they are new ([`Start::Fresh`]); a ticket D1 held before
    /// its object kept the log ([`Start::Copied`]) is stored as it is, with
    /// no outbox rows: D1 has it already.
    pub fn create(&self, log: &Log, start: Start, now: Timestamp) -> AppResult<()> {
        let row = vec![
            log.id.as_str().into(),
            log.owner.workspace.as_str().into(),
            log.owner.token_hash.as_str().into(),
            log.owner.customer_subject.clone().into(),
            log.last_key_id.clone().into(),
            to_json(&log.settings.settings)?.into(),
            i64::from(log.settings.version).into(),
            log.settings.read_at.unix_ms().into(),
            log.owner.number.map(|n| n as i64).into(),
        ];
        let mut events = Vec::with_capacity(log.events.len());
        for event in &log.events {
            let reviews = log.reviews_of(event.seq);
            let key_id = event.by.is_company().then(|| log.last_key_id.clone()).flatten();
            let mail = match start {
                Start::Fresh { mail_due: Some(due) } if email::is_news(event) => Some(due),
                _ => None,
            };
            events.push((event.seq, to_json(event)?, findings_json(&reviews)?, key_id, mail));
        }
        let fresh = matches!(start, Start::Fresh { .. });
        self.transaction(move |sql| {
            sql.exec(SCHEMA, None)?;
            sql.exec(MAIL_SCHEMA, None)?;
            sql.exec(
                "INSERT INTO ticket (id, workspace, token_hash, customer_subject, last_key_id, settings,
                                     settings_version, settings_read_ms, number)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )?;
            for (seq, body, findings, key_id, mail) in events {
                insert_event(sql, seq, body, findings, key_id)?;
                if fresh {
                    add_work(sql, seq, now)?;
                }
                if let Some(due) = mail {
                    add_mail(sql, seq, due)?;
                }
            }
            Ok(())
        })
    }

    /// Appends an event to the log with its outbox rows (and the answer to
    /// its `Idempotency-Key`), in one transaction.
    pub fn append(&self, appending: &Appending<'_>, now: Timestamp) -> AppResult<()> {
        let seq = appending.event.seq;
        let body = to_json(appending.event)?;
        let findings = findings_json(appending.reviews)?;
        let key_id = appending.key_id.map(str::to_owned);
        let answer = appending.answer.map(|(once, status, body)| answer_values(once, status, body, now));
        let mail_due = appending.mail_due;
        self.transaction(move |sql| {
            insert_event(sql, seq, body, findings, key_id.clone())?;
            if key_id.is_some() {
                sql.exec("UPDATE ticket SET last_key_id = ?", vec![key_id.into()])?;
            }
            add_work(sql, seq, now)?;
            if let Some(due) = mail_due {
                add_mail(sql, seq, due)?;
            }
            if let Some(values) = answer {
                keep_answer(sql, values, now)?;
            }
            Ok(())
        })
    }

    /// Keeps the answer to a command that was refused, for its `Idempotency-Key`.
    pub fn keep_answer(&self, once: &Once, status: u16, body: &str, now: Timestamp) -> AppResult<()> {
        let values = answer_values(once, status, body, now);
        self.transaction(move |sql| keep_answer(sql, values, now))
    }

    /// The answer kept for `once`'s key, if it is younger than a day.
    pub fn answer(&self, once: &Once, now: Timestamp) -> AppResult<Option<Answer>> {
        let rows: Vec<Answer> = self
            .sql()
            .exec(
                "SELECT fingerprint, status, body FROM answers WHERE scope = ? AND key = ? AND created_ms > ?",
                vec![once.scope.as_str().into(), once.key.as_str().into(), (now.unix_ms() - IDEMPOTENCY_MS).into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next())
    }

    /// Stores settings read afresh.
    pub fn keep_settings(&self, kept: &Kept) -> AppResult<()> {
        let values =
            vec![to_json(&kept.settings)?.into(), i64::from(kept.version).into(), kept.read_at.unix_ms().into()];
        self.transaction(move |sql| {
            sql.exec("UPDATE ticket SET settings = ?, settings_version = ?, settings_read_ms = ?", values)?;
            Ok(())
        })
    }

    /// Keeps the number D1 gave a ticket from before references, adding
    /// the column to an object made before it existed.
    pub fn keep_number(&self, number: u64) -> AppResult<()> {
        #[derive(Deserialize)]
        struct Columns {
            n: f64,
        }
        let columns: Columns = self
            .sql()
            .exec("SELECT count(*) AS n FROM pragma_table_info('ticket') WHERE name = 'number'", None)?
            .one()?;
        let number = i64::try_from(number).map_err(|e| AppError::Internal(e.to_string()))?;
        self.transaction(move |sql| {
            if columns.n == 0.0 {
                sql.exec("ALTER TABLE ticket ADD COLUMN number INTEGER", None)?;
            }
            sql.exec("UPDATE ticket SET number = ?", vec![number.into()])?;
            Ok(())
        })
    }

    /// The customer-token hashes emails carried, and whether emails are on.
    fn mail_state(&self) -> AppResult<(Vec<String>, bool)> {
        #[derive(Deserialize)]
        struct Link {
            hash: String,
        }
        #[derive(Deserialize)]
        struct Mail {
            emails_on: f64,
        }
        self.sql().exec(MAIL_SCHEMA, None)?;
        let links: Vec<Link> = self.sql().exec("SELECT hash FROM links", None)?.to_array()?;
        let mail: Mail = self.sql().exec("SELECT emails_on FROM mail", None)?.one()?;
        Ok((links.into_iter().map(|link| link.hash).collect(), mail.emails_on != 0.0))
    }

    /// Turns emails about this ticket on or off.
    pub fn set_emails(&self, on: bool) -> AppResult<()> {
        self.transaction(move |sql| {
            sql.exec(MAIL_SCHEMA, None)?;
            sql.exec("UPDATE mail SET emails_on = ?", vec![i64::from(on).into()])?;
            Ok(())
        })
    }

    /// The ticket's unsubscribe token, if an email has carried one.
    pub fn unsubscribe_token(&self) -> AppResult<Option<String>> {
        #[derive(Deserialize)]
        struct Mail {
            unsubscribe_token: Option<String>,
        }
        self.sql().exec(MAIL_SCHEMA, None)?;
        let mail: Mail = self.sql().exec("SELECT unsubscribe_token FROM mail", None)?.one()?;
        Ok(mail.unsubscribe_token.filter(|token| !token.is_empty()))
    }

    /// The ticket's unsubscribe token, `fresh` kept as it if it has none yet.
    pub fn unsubscribe_token_or(&self, fresh: String) -> AppResult<String> {
        if let Some(token) = self.unsubscribe_token()? {
            return Ok(token);
        }
        let kept = fresh.clone();
        self.transaction(move |sql| {
            sql.exec("UPDATE mail SET unsubscribe_token = ?", vec![kept.into()])?;
            Ok(())
        })?;
        Ok(fresh)
    }

    /// Keeps the hash of a customer token an email carries.
    pub fn add_link(&self, hash: &str, now: Timestamp) -> AppResult<()> {
        let values = vec![hash.into(), now.unix_ms().into()];
        self.transaction(move |sql| {
            sql.exec(MAIL_SCHEMA, None)?;
            sql.exec("INSERT OR IGNORE INTO links (hash, created_ms) VALUES (?, ?)", values)?;
            Ok(())
        })
    }

    /// Forgets the hash of a link whose email never went.
    pub fn remove_link(&self, hash: &str) -> AppResult<()> {
        let values = vec![hash.into()];
        self.transaction(move |sql| {
            sql.exec("DELETE FROM links WHERE hash = ?", values)?;
            Ok(())
        })
    }

    /// Every email row of the outbox once the first of them is due at
    /// `now` (so news close together goes in one email); none before.
    pub fn mail_due(&self, now: Timestamp) -> AppResult<Vec<Row>> {
        #[derive(Deserialize)]
        struct Due {
            n: f64,
        }
        if !self.keeps_log()? {
            return Ok(Vec::new());
        }
        let due: Due = self
            .sql()
            .exec(
                "SELECT count(*) AS n FROM outbox WHERE work = ? AND due_ms <= ?",
                vec![Work::Email.key().into(), now.unix_ms().into()],
            )?
            .one()?;
        if due.n == 0.0 {
            return Ok(Vec::new());
        }
        self.work(Work::Email, u32::MAX)
    }

    /// Why the last attempt to email the customer failed, with how many
    /// attempts were made, while an email still waits to be sent.
    pub fn mail_trouble(&self) -> AppResult<Option<(u32, String)>> {
        #[derive(Deserialize)]
        struct Trouble {
            attempts: u32,
            last_error: String,
        }
        if !self.keeps_log()? {
            return Ok(None);
        }
        let rows: Vec<Trouble> = self
            .sql()
            .exec(
                "SELECT attempts, last_error FROM outbox WHERE work = ? AND last_error IS NOT NULL
                 ORDER BY attempts DESC LIMIT 1",
                vec![Work::Email.key().into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|row| (row.attempts, row.last_error)))
    }

    /// The outbox's rows of `work`, oldest first, at most `limit`.
    pub fn work(&self, work: Work, limit: u32) -> AppResult<Vec<Row>> {
        if !self.keeps_log()? {
            return Ok(Vec::new());
        }
        Ok(self
            .sql()
            .exec(
                "SELECT id, seq, attempts FROM outbox WHERE work = ? ORDER BY id LIMIT ?",
                vec![work.key().into(), i64::from(limit).into()],
            )?
            .to_array()?)
    }

    /// Deletes the rows whose work is confirmed done.
    pub fn done(&self, rows: &[Row]) -> AppResult<()> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        self.transaction(move |sql| {
            for id in ids {
                sql.exec("DELETE FROM outbox WHERE id = ?", vec![id.into()])?;
            }
            Ok(())
        })
    }

    /// Counts a failed attempt of each row and sets when it is tried again.
    pub fn failed(&self, rows: &[Row], error: &str, now: Timestamp) -> AppResult<()> {
        let updates: Vec<(i64, i64, u32)> = rows
            .iter()
            .map(|row| {
                let attempts = row.attempts.saturating_add(1);
                (row.id, outbox::retry_at(attempts, now).unix_ms(), attempts)
            })
            .collect();
        let error = error.to_owned();
        self.transaction(move |sql| {
            for (id, due_ms, attempts) in updates {
                sql.exec(
                    "UPDATE outbox SET attempts = ?, due_ms = ?, last_error = ? WHERE id = ?",
                    vec![i64::from(attempts).into(), due_ms.into(), error.as_str().into(), id.into()],
                )?;
            }
            Ok(())
        })
    }

    /// When the outbox next has work to try, if it has any.
    pub fn next_due(&self) -> AppResult<Option<Timestamp>> {
        #[derive(Deserialize)]
        struct Due {
            due_ms: Option<f64>,
        }
        if !self.keeps_log()? {
            return Ok(None);
        }
        let due: Due = self.sql().exec("SELECT min(due_ms) AS due_ms FROM outbox", None)?.one()?;
        Ok(due.due_ms.and_then(|ms| Timestamp::from_unix_ms(ms as i64)))
    }
}

fn insert_event(
    sql: &SqlStorage,
    seq: u64,
    body: String,
    findings: Option<String>,
    key_id: Option<String>,
) -> AppResult<()> {
    sql.exec(
        "INSERT INTO events (seq, body, findings, key_id) VALUES (?, ?, ?, ?)",
        vec![seq_value(seq)?, body.into(), findings.into(), key_id.into()],
    )?;
    Ok(())
}

/// The outbox rows every event leaves, first tried at once by the
/// dispatcher, and by the alarm after [`outbox::GRACE_MS`] if that failed.
fn add_work(sql: &SqlStorage, seq: u64, now: Timestamp) -> AppResult<()> {
    for work in Work::FOR_EVERY_EVENT {
        sql.exec(
            "INSERT INTO outbox (work, seq, attempts, due_ms) VALUES (?, ?, 0, ?)",
            vec![work.key().into(), seq_value(seq)?, now.plus_millis(outbox::GRACE_MS).unix_ms().into()],
        )?;
    }
    Ok(())
}

/// An email about event `seq`, due at `due`: every row due then becomes one email.
fn add_mail(sql: &SqlStorage, seq: u64, due: Timestamp) -> AppResult<()> {
    sql.exec(
        "INSERT INTO outbox (work, seq, attempts, due_ms) VALUES (?, ?, 0, ?)",
        vec![Work::Email.key().into(), seq_value(seq)?, due.unix_ms().into()],
    )?;
    Ok(())
}

type AnswerValues = Vec<SqlStorageValue>;

fn answer_values(once: &Once, status: u16, body: &str, now: Timestamp) -> AnswerValues {
    vec![
        once.scope.as_str().into(),
        once.key.as_str().into(),
        once.fingerprint.as_str().into(),
        i64::from(status).into(),
        body.into(),
        now.unix_ms().into(),
    ]
}

/// Keeps an answer, and sweeps those older than a day.
fn keep_answer(sql: &SqlStorage, values: AnswerValues, now: Timestamp) -> AppResult<()> {
    sql.exec("DELETE FROM answers WHERE created_ms <= ?", vec![(now.unix_ms() - IDEMPOTENCY_MS).into()])?;
    sql.exec(
        "INSERT OR REPLACE INTO answers (scope, key, fingerprint, status, body, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
        values,
    )?;
    Ok(())
}

fn seq_value(seq: u64) -> AppResult<SqlStorageValue> {
    i64::try_from(seq)
        .ok()
        .and_then(|seq| SqlStorageValue::try_from_i64(seq).ok())
        .ok_or_else(|| AppError::Internal(format!("sequence number {seq} out of range")))
}

fn findings_json(reviews: &[Review]) -> AppResult<Option<String>> {
    if reviews.is_empty() { Ok(None) } else { to_json(&reviews).map(Some) }
}

fn to_json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(format!("object's stored {what}: {e}")))
}
