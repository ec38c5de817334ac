//! Who is asking. Every credential travels as `Authorization: Bearer …`:
//!
//! - a customer's ticket token (`mend_ct_…`), which grants that one ticket;
//!   for WebSockets, where browsers cannot set headers, it may come as the
//!   subprotocol `mend.auth.<token>` instead, never in the URL;
//! - an identified customer's identity token (a JWT the company signed,
//!   see [`identity`](crate::identity)), which grants the tickets they
//!   reported while identified, and their listing;
//! - a workspace key (`mend_rk_…`) of a rep or manager, which grants that
//!   workspace — or the console's `mend_session` cookie standing for one;
//! - the admin token (the `ADMIN_TOKEN` secret), which grants managing
//!   workspaces and nothing about tickets.
//!
//! Mend stores only SHA-256 hashes of tokens, keys and sessions. A wrong
//! customer token and a ticket of another workspace are answered exactly
//! like a ticket that does not exist: 404, so neither can be probed.

use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mend_core::input::{TicketId, WorkspaceId};
use mend_core::wire::{CUSTOMER_TOKEN_PREFIX, LIVE_AUTH_PREFIX};
use mend_core::workspace::Role;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use worker::{Env, Request};

use crate::error::{AppError, AppResult};
use crate::identity::{self, Identity, IdentityKey};
use crate::now;
use crate::store::{self, Db};
use crate::ticket_object::Caller;

const REP_PREFIX: &str = "mend_rk_";
/// The console's session cookie.
pub const SESSION_COOKIE: &str = "mend_session";
/// How long a console session lasts.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// The wrangler secret (or `.dev.vars` entry) holding the admin token.
const ADMIN_TOKEN: &str = "ADMIN_TOKEN";
/// The fewest characters an admin token may have; a shorter one turns the admin API off.
const MIN_ADMIN_TOKEN: usize = 32;
/// Whether this isolate has said in the log why the admin API is off.
static ADMIN_OFF_LOGGED: AtomicBool = AtomicBool::new(false);

/// `N` random bytes from the runtime's CSPRNG.
pub fn random_bytes<const N: usize>() -> AppResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| AppError::Internal(format!("randomness: {e}")))?;
    Ok(bytes)
}

/// 32 random bytes from the runtime's CSPRNG, base64url, after `prefix`.
pub fn random_token(prefix: &str) -> AppResult<String> {
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes::<32>()?)))
}

/// A new customer token: 256 bits, shown to the customer once.
pub fn new_customer_token() -> AppResult<String> {
    random_token(CUSTOMER_TOKEN_PREFIX)
}

/// A new workspace key: 256 bits, shown once to whoever made it.
pub fn new_rep_key() -> AppResult<String> {
    random_token(REP_PREFIX)
}

/// A new ticket id: 128 random bits, as 32 lowercase hex digits.
pub fn new_ticket_id() -> AppResult<TicketId> {
    TicketId::parse(&hex(&random_bytes::<16>()?)).map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hex SHA-256 of a secret (or a body), as stored in D1.
pub fn hash(secret: impl AsRef<[u8]>) -> String {
    hex(&Sha256::digest(secret.as_ref()))
}

/// Whether two secrets (or their hashes) are the same, compared in constant time.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A credential as presented.
pub enum Credential {
    /// `Authorization: Bearer …`, or a WebSocket's `mend.auth.` subprotocol.
    Bearer(String),
    /// The console's session cookie.
    Session(String),
}

impl Credential {
    /// Whether this looks like an identity JWT rather than any of Mend's own secrets.
    pub fn is_identity_token(&self) -> bool {
        matches!(self, Credential::Bearer(secret) if identity::looks_like_jwt(secret))
    }

    /// Who asked, for idempotency records: the hash of what they presented.
    pub fn principal(&self) -> String {
        match self {
            Credential::Bearer(secret) => hash(secret),
            Credential::Session(secret) => hash(format!("session:{secret}")),
        }
    }
}

/// The credential `req` carries, if any: the bearer token first, then for
/// a WebSocket upgrade the `mend.auth.` subprotocol, then the session cookie.
pub fn credential(req: &Request) -> AppResult<Option<Credential>> {
    if let Some(value) = req.headers().get("Authorization")? {
        let token = value
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(AppError::Unauthenticated("Send credentials as 'Authorization: Bearer <token>'."))?;
        return Ok(Some(Credential::Bearer(token.to_owned())));
    }
    let protocols = req.headers().get("Sec-WebSocket-Protocol")?.unwrap_or_default();
    if let Some(token) = protocols.split(',').map(str::trim).find_map(|p| p.strip_prefix(LIVE_AUTH_PREFIX)) {
        return Ok(Some(Credential::Bearer(token.to_owned())));
    }
    let cookies = req.headers().get("Cookie")?.unwrap_or_default();
    let session =
        cookies.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(name, _)| *name == SESSION_COOKIE);
    Ok(session.map(|(_, value)| Credential::Session(value.to_owned())))
}

/// Who `credential` says is asking about a ticket, for the ticket's object
/// to decide what that grants: a customer token only as its hash (no D1),
/// an identity token once verified against its workspace's keys, a rep key
/// or session once found in force (one D1 read each).
pub async fn ticket_caller(db: &Db, env: &Env, credential: Option<&Credential>) -> AppResult<Caller> {
    let Some(credential) = credential else {
        return Err(AppError::Unauthenticated(
            "This ticket needs its customer token, the customer's identity token or a rep key: \
             send 'Authorization: Bearer <token>'.",
        ));
    };
    // The admin token manages workspaces and is known for what it is, so it
    // is told so; any other credential that does not hold is a plain 404.
    let own_kind = matches!(credential, Credential::Bearer(secret)
        if secret.starts_with(CUSTOMER_TOKEN_PREFIX) || secret.starts_with(REP_PREFIX) || identity::looks_like_jwt(secret));
    if !own_kind && is_admin(env, Some(credential))? {
        return Err(AppError::Unauthenticated(
            "The admin token is not accepted on tickets: use the customer's token or identity token, or a rep key.",
        ));
    }
    match credential {
        Credential::Bearer(secret) if identity::looks_like_jwt(secret) => {
            let identity = verified_identity(db, secret, None).await?;
            Ok(Caller::Identified { workspace: identity.workspace, subject: identity.subject })
        }
        Credential::Bearer(secret) if !secret.starts_with(REP_PREFIX) => {
            Ok(Caller::Customer { token_hash: hash(secret) })
        }
        _ => staff_caller(&staff(db, Some(credential)).await?),
    }
}

/// The rep or manager behind `key`, as a ticket's object is told who asks.
pub fn staff_caller(key: &store::RepKey) -> AppResult<Caller> {
    Ok(Caller::Staff {
        workspace: WorkspaceId::parse(&key.workspace_id).map_err(|e| AppError::Internal(e.to_string()))?,
        actor: key.role()?.actor(),
        key_id: key.id().to_owned(),
        label: key.label.clone(),
        settings_version: key.settings_version,
    })
}

/// The workspace key behind a bearer `mend_rk_…` key or a session cookie;
/// `None` for other credentials. An unknown, revoked or expired one is refused.
async fn staff_key(db: &Db, credential: &Credential) -> AppResult<Option<store::RepKey>> {
    match credential {
        Credential::Bearer(secret) if secret.starts_with(REP_PREFIX) => store::rep_key(db, &hash(secret))
            .await?
            .map(Some)
            .ok_or(AppError::Unauthenticated("This rep key is unknown or was revoked.")),
        Credential::Bearer(_) => Ok(None),
        Credential::Session(secret) => store::session_key(db, &hash(secret), now())
            .await?
            .map(Some)
            .ok_or(AppError::Unauthenticated("This session has ended: sign in again with your key.")),
    }
}

/// A rep or manager of some workspace, by key or session; anyone else is refused.
pub async fn staff(db: &Db, credential: Option<&Credential>) -> AppResult<store::RepKey> {
    let refused =
        || AppError::Unauthenticated("This needs a rep or manager key: send 'Authorization: Bearer mend_rk_…'.");
    match credential {
        Some(credential) => staff_key(db, credential).await?.ok_or_else(refused),
        None => Err(refused()),
    }
}

/// Who may manage workspace `ws`: Mend's admin, or one of its managers.
/// A rep of `ws` is refused (403); a key of another workspace learns nothing (404).
pub async fn workspace_manager(db: &Db, env: &Env, credential: Option<&Credential>, ws: &WorkspaceId) -> AppResult<()> {
    if is_admin(env, credential)? {
        return Ok(());
    }
    let key = staff(db, credential).await.map_err(|_| {
        AppError::Unauthenticated("Managing a workspace needs a manager key of it, or the admin token.")
    })?;
    if key.workspace_id != ws.as_str() {
        return Err(AppError::NotFound("No such workspace."));
    }
    match key.role()? {
        Role::Manager => Ok(()),
        Role::Rep => {
            Err(AppError::Forbidden("Only a manager of this workspace may change its settings and keys.".into()))
        }
    }
}

/// Refuses anyone but Mend's admin.
pub fn admin(env: &Env, credential: Option<&Credential>) -> AppResult<()> {
    if is_admin(env, credential)? {
        Ok(())
    } else {
        Err(AppError::Unauthenticated("This needs Mend's admin token: send 'Authorization: Bearer <ADMIN_TOKEN>'."))
    }
}

fn is_admin(env: &Env, credential: Option<&Credential>) -> AppResult<bool> {
    let Some(Credential::Bearer(secret)) = credential else { return Ok(false) };
    // Unset, or too short to be a secret: nobody is admin, and the log says why once.
    let token = env.secret(ADMIN_TOKEN).ok().map(|s| s.to_string()).unwrap_or_default();
    if token.chars().count() < MIN_ADMIN_TOKEN {
        if !ADMIN_OFF_LOGGED.swap(true, Ordering::Relaxed) {
            worker::console_warn!(
                "Mend's admin API is off: the {ADMIN_TOKEN} secret is {}. Set one of at least {MIN_ADMIN_TOKEN} \
                 characters with 'wrangler secret put {ADMIN_TOKEN}' (locally, in .dev.vars); until then every \
                 admin call is 401.",
                if token.is_empty() {
                    "not set".to_owned()
                } else {
                    format!("only {} characters long", token.chars().count())
                }
            );
        }
        return Ok(false);
    }
    Ok(same_secret(&hash(secret), &hash(&token)))
}

/// Verifies an identity token against its workspace's keys. With
/// `workspace`, the token must be for that workspace; without, the one it
/// claims is looked up. Any failure is a 401, never "anonymous".
pub async fn verified_identity(db: &Db, token: &str, workspace: Option<&WorkspaceId>) -> AppResult<Identity> {
    let refused = |err: identity::IdentityError| AppError::InvalidIdentity(err.to_string());
    let workspace = match workspace {
        Some(workspace) => workspace.clone(),
        None => identity::claimed_workspace(token).map_err(refused)?,
    };
    verify_identity(token, store::identity_keys(db, &workspace).await?, &workspace)
}

/// Checks identity token `token` for `workspace` against its identity keys `keys`.
pub fn verify_identity(
    token: &str,
    keys: Vec<store::StoredIdentityKey>,
    workspace: &WorkspaceId,
) -> AppResult<Identity> {
    let keys: Vec<IdentityKey> = keys.into_iter().map(|key| IdentityKey { kid: key.kid, secret: key.secret }).collect();
    identity::verify(token, &keys, workspace, now()).map_err(|err| AppError::InvalidIdentity(err.to_string()))
}

/// A new identity key id: 8 random bytes as hex.
pub fn new_kid() -> AppResult<String> {
    Ok(hex(&random_bytes::<8>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
