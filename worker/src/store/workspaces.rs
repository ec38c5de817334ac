//! Workspaces in D1: their settings (with the version every change bumps,
//! so tickets' objects know when the copy they keep is stale), the sites
//! each lists, and the identity keys companies sign customers' tokens with.

use mend_core::clock::Timestamp;
use mend_core::input::{Apology, Colour, CompanyName, Field, InputError, Locale, Origin, WorkspaceId};
use mend_core::money::Currency;
use mend_core::wire::{IdentityKeyCreated, IdentityKeyInfo};
use mend_core::workspace::Settings;
use serde::Deserialize;
use worker::{D1PreparedStatement, D1Result, query};

use super::{Db, stored_time, write_failed};
use crate::error::{AppError, AppResult};

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
pub(super) fn settings_reads(db: &Db, id: &WorkspaceId) -> AppResult<[D1PreparedStatement; 2]> {
    Ok([
        query!(
            db,
            "SELECT name, apology, colour, locale, currency, make_good_policy, rep_names, voice_terms, record_public,
                    opening_hours, follow_up_days, settings_version
             FROM workspaces WHERE id = ?1",
            id.as_str()
        )?,
        query!(db, "SELECT origin FROM workspace_origins WHERE workspace_id = ?1 ORDER BY origin", id.as_str())?,
    ])
}

/// Workspace `id`'s settings and their version from the answers to [`settings_reads`].
pub(super) fn settings_from(
    id: &WorkspaceId,
    row: &D1Result,
    origins: &D1Result,
) -> AppResult<Option<(Settings, u32)>> {
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
        opening_hours: Option<String>,
        follow_up_days: u8,
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
    settings.follow_up_days = row.follow_up_days;
    settings.voice_terms = serde_json::from_str(&row.voice_terms)
        .map_err(|e| AppError::Internal(format!("stored voice terms of {id}: {e}")))?;
    if let Some(json) = row.opening_hours {
        settings.hours =
            serde_json::from_str(&json).map_err(|e| AppError::Internal(format!("stored hours of {id}: {e}")))?;
    }
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
    let hours = serde_json::to_string(&settings.hours).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut statements = vec![
        query!(
            db,
            "UPDATE workspaces SET name = ?2, apology = ?3, colour = ?4, locale = ?5, make_good_policy = ?6,
                                   rep_names = ?7, voice_terms = ?8, record_public = ?9, opening_hours = ?10,
                                   follow_up_days = ?11, settings_version = settings_version + 1
             WHERE id = ?1",
            id.as_str(),
            settings.name.as_str(),
            settings.apology.as_str(),
            settings.colour.as_str(),
            settings.locale.as_str(),
            policy,
            u8::from(settings.rep_names),
            terms,
            u8::from(settings.record_public),
            hours,
            settings.follow_up_days
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

pub(super) fn identity_keys_read(db: &Db, id: &WorkspaceId) -> AppResult<D1PreparedStatement> {
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
