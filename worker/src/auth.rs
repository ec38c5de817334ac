//! Who is asking. Customers hold their ticket's token (`mend_ct_…`); reps
//! and managers hold a workspace key (`mend_rk_…`). Both travel as
//! `Authorization: Bearer …` (or, for WebSockets, where browsers cannot set
//! headers, as the subprotocol `mend.auth.<token>`). Mend stores only
//! SHA-256 hashes of either.
//!
//! A wrong customer token and a ticket of another workspace are answered
//! exactly like a ticket that does not exist: 404, so neither can be probed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mend_core::input::TicketId;
use mend_core::ticket::Actor;
use mend_core::wire::LIVE_AUTH_PREFIX;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use worker::{D1Database, Request};

use crate::error::{AppError, AppResult};
use crate::store;

const CUSTOMER_PREFIX: &str = "mend_ct_";
const REP_PREFIX: &str = "mend_rk_";

const NO_TICKET: &str = "No ticket with this id was found for these credentials.";

/// 32 random bytes from the runtime's CSPRNG, base64url.
fn random_token(prefix: &str) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| AppError::Internal(format!("randomness: {e}")))?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// A new customer token: 256 bits, shown to the customer once.
pub fn new_customer_token() -> AppResult<String> {
    random_token(CUSTOMER_PREFIX)
}

/// A new ticket id: 128 random bits, as 32 lowercase hex digits.
pub fn new_ticket_id() -> AppResult<TicketId> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|e| AppError::Internal(format!("randomness: {e}")))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    TicketId::parse(&hex).map_err(|e| AppError::Internal(e.to_string()))
}

/// The hex SHA-256 of a secret, as stored in D1.
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The secret a request carries: the bearer token, or for a WebSocket
/// upgrade the `mend.auth.` subprotocol.
fn credential(req: &Request) -> AppResult<Option<String>> {
    if let Some(value) = req.headers().get("Authorization")? {
        let token = value
            .strip_prefix("Bearer ")
            .map(str::trim)
            .ok_or(AppError::Unauthenticated("Send credentials as 'Authorization: Bearer <token>'."))?;
        return Ok(Some(token.to_owned()));
    }
    let protocols = req.headers().get("Sec-WebSocket-Protocol")?.unwrap_or_default();
    Ok(protocols.split(',').map(str::trim).find_map(|p| p.strip_prefix(LIVE_AUTH_PREFIX)).map(str::to_owned))
}

/// Decides which actor `req` speaks as on ticket `id`, or refuses.
pub async fn actor_for_ticket(db: &D1Database, req: &Request, id: &TicketId) -> AppResult<Actor> {
    let Some(secret) = credential(req)? else {
        return Err(AppError::Unauthenticated(
            "This ticket needs its customer token or a rep key: send 'Authorization: Bearer <token>'.",
        ));
    };
    if secret.starts_with(REP_PREFIX) {
        let key = store::rep_key(db, &hash(&secret))
            .await?
            .ok_or(AppError::Unauthenticated("This rep key is unknown or was revoked."))?;
        let access = store::ticket_access(db, id).await?.ok_or(AppError::NotFound(NO_TICKET))?;
        return if access.workspace_id == key.workspace_id { key.actor() } else { Err(AppError::NotFound(NO_TICKET)) };
    }
    let access = store::ticket_access(db, id).await?.ok_or(AppError::NotFound(NO_TICKET))?;
    let presented = hash(&secret);
    if bool::from(presented.as_bytes().ct_eq(access.token_hash.as_bytes())) {
        Ok(Actor::Customer)
    } else {
        Err(AppError::NotFound(NO_TICKET))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
