//! Rep and manager keys and the console's sessions in D1, hashes only.

use mend_core::clock::Timestamp;
use mend_core::input::{KeyLabel, WorkspaceId};
use mend_core::ticket::Colleague;
use mend_core::wire::KeyInfo;
use mend_core::workspace::Role;
use serde::Deserialize;
use worker::query;

use super::{Db, stored_time, write_failed};
use crate::error::{AppError, AppResult};

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

    /// The key's holder, as a ticket's log names them in a workspace that
    /// `signs_with_names` or not.
    pub fn colleague(&self, signs_with_names: bool) -> AppResult<Colleague> {
        let label = KeyLabel::parse(&self.label).map_err(|e| AppError::Internal(format!("a key's label: {e}")))?;
        Ok(Colleague::new(self.id(), label, signs_with_names))
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

/// The label of the key in force in `workspace` whose id is `key_id`:
/// the colleague a ticket may be handed over to.
pub async fn colleague_label(db: &Db, workspace: &WorkspaceId, key_id: &str) -> AppResult<Option<KeyLabel>> {
    #[derive(Deserialize)]
    struct Row {
        label: String,
    }
    let statement = query!(
        db,
        "SELECT label FROM rep_keys WHERE workspace_id = ?1 AND substr(key_hash, 1, ?2) = ?3 AND revoked_at IS NULL",
        workspace.as_str(),
        KEY_ID_LEN as f64,
        key_id
    )?;
    let row: Option<Row> = db.trip(statement.first(None)).await?;
    row.map(|row| KeyLabel::parse(&row.label).map_err(|e| AppError::Internal(format!("key {key_id}'s label: {e}"))))
        .transpose()
}

/// Everyone whose key is in force in workspace `id`, oldest key first, as
/// a ticket's log names them in a workspace that `signs_with_names` or not.
pub async fn colleagues(db: &Db, id: &WorkspaceId, signs_with_names: bool) -> AppResult<Vec<Colleague>> {
    let keys = keys(db, id).await?;
    keys.into_iter()
        .filter(|key| key.revoked_at.is_none())
        .map(|key| {
            let label = KeyLabel::parse(&key.label).map_err(|e| AppError::Internal(format!("a key's label: {e}")))?;
            Ok(Colleague::new(&key.id, label, signs_with_names))
        })
        .collect()
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
