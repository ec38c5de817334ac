//! The only module that touches D1, split by what it stores: [`workspaces`]
//! (settings, origins, identity keys), [`keys`] (rep and manager keys,
//! console sessions), [`tickets`] (the index the tickets' objects project
//! into: each ticket's row with its standing and record, and a copy of its
//! events with their findings), [`changes`] (the prevention notes a
//! workspace published on its scorecard) and [`requests`] (idempotency
//! records, rate windows, and a report's whole context in one batch). Binding names
//! match `wrangler.toml`.
//!
//! D1 is the index, not the log: a ticket's log lives in its Durable
//! Object (see `ticket_object`), which projects each event here after it
//! has answered. Every round trip goes through [`Db`], which counts it.

mod changes;
mod keys;
mod requests;
mod tickets;
mod workspaces;

pub use changes::*;
pub use keys::*;
pub use requests::*;
pub use tickets::*;
pub use workspaces::*;

use std::future::Future;
use std::ops::Deref;
use std::rc::Rc;

use mend_core::clock::Timestamp;
use worker::{D1Database, D1PreparedStatement, D1Result, Env};

use crate::error::{AppError, AppResult};
use crate::timing::Timing;

/// The D1 binding (`[[d1_databases]] binding` in `wrangler.toml`).
pub const DB: &str = "DB";
/// The ticket Durable Object binding (`[durable_objects] bindings`).
pub const TICKETS: &str = "TICKETS";
/// The per-workspace live queue Durable Object binding (`[durable_objects] bindings`).
pub const QUEUES: &str = "QUEUES";
/// The binding of the `WebhookHub` Durable Object class: one per workspace.
pub const WEBHOOKS: &str = "WEBHOOKS";

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

fn to_json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn stored_time(text: &str) -> AppResult<Timestamp> {
    Timestamp::parse(text).ok_or_else(|| AppError::Internal(format!("stored time {text:?} is not RFC 3339")))
}

fn write_failed(err: worker::Error) -> AppError {
    AppError::Internal(format!("D1 write failed: {err}"))
}
