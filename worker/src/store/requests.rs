//! What D1 keeps about requests rather than tickets: `Idempotency-Key`
//! records and rate-limit windows, and a report's whole context (its
//! workspace, rate-limit hits and key claim) read in one round trip.

use mend_core::clock::Timestamp;
use mend_core::input::{TicketId, WorkspaceId};
use mend_core::workspace::Settings;
use serde::Deserialize;
use worker::{D1PreparedStatement, D1Result, query};

use super::workspaces::{identity_keys_read, settings_from, settings_reads};
use super::{Db, StoredIdentityKey, write_failed};
use crate::error::{AppError, AppResult};

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
    /// The workspace's next ticket number, taken for this report
    /// ([`mend_core::reference::Reference`]); `None` if no workspace has the id.
    pub number: Option<u64>,
    /// The earlier tickets of the same customer or order the report is
    /// linked to, newest first ([`RepeatOf`]).
    pub earlier: Vec<TicketId>,
}

/// Who a report is from and what it is about, to find the earlier tickets
/// it repeats: the same identity `sub` or contact email, or the same order,
/// reported since `since`.
pub struct RepeatOf<'a> {
    pub subject: Option<&'a str>,
    pub email: Option<&'a str>,
    pub order: Option<&'a str>,
    pub since: Timestamp,
}

/// A rate-limit bucket and the most hits it takes in a window.
pub struct Limit<'a> {
    pub bucket: &'a str,
    pub most: u32,
}

/// One batch, so one round trip: the claim of `once`, if the report has
/// an `Idempotency-Key`, workspace `id`'s settings, origins and identity
/// keys, and a hit in each of `limits`' buckets for the one-minute window
/// starting at `window_start` (windows that have ended are swept with it),
/// and the earlier tickets the report repeats (`repeat`).
/// A bucket is hit only while the one before it is within its limit, so a
/// connection over its own limit never uses up the company's. A retry
/// with the same key counts as an attempt, as it is one.
pub async fn report_context(
    db: &Db,
    once: Option<&Once>,
    id: &WorkspaceId,
    limits: &[Limit<'_>],
    window_start: i64,
    repeat: &RepeatOf<'_>,
    now: Timestamp,
) -> AppResult<ReportContext> {
    #[derive(Deserialize)]
    struct Hits {
        hits: u32,
    }
    #[derive(Deserialize)]
    struct Earlier {
        id: String,
    }
    let mut statements = Vec::from(settings_reads(db, id)?);
    statements.push(identity_keys_read(db, id)?);
    statements.push(super::tickets::number_statement(db, id)?);
    statements.push(query!(
        db,
        "SELECT t.id FROM tickets t JOIN events e ON e.ticket_id = t.id AND e.seq = 1
         WHERE t.workspace_id = ?1 AND t.created_at >= ?2
           AND ((?3 IS NOT NULL AND t.customer_subject = ?3)
                OR (?4 IS NOT NULL AND json_extract(e.body, '$.report.contact_email') = ?4)
                OR (?5 IS NOT NULL AND t.order_id = ?5))
         ORDER BY t.created_at DESC LIMIT 10",
        id.as_str(),
        repeat.since.to_string(),
        repeat.subject,
        repeat.email,
        repeat.order
    )?);
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
        number: results[3]
            .results::<super::tickets::Numbered>()?
            .into_iter()
            .next()
            .map(|row| row.tickets_numbered as u64),
        earlier: results[4]
            .results::<Earlier>()?
            .into_iter()
            .map(|row| TicketId::parse(&row.id).map_err(|e| AppError::Internal(format!("stored ticket id: {e}"))))
            .collect::<AppResult<_>>()?,
    })
}
