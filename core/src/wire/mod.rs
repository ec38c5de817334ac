//! Every JSON shape that crosses HTTP or a WebSocket, in one place:
//! serialisation is a compatibility promise, so changes here show in review
//! (the tests pin each shape). One module per resource; every shape is
//! re-exported here, so each keeps its path `mend_core::wire::…`.
//!
//! Requests arrive as plain strings and are parsed into the core's
//! newtypes by `parse`, so a bad field yields an [`InputError`] naming it
//! (a 422), while only a body that is not JSON of the right shape is a 400.
//! A ticket's [`Event`](crate::ticket::Event)s travel exactly as they are stored; each WebSocket
//! message from `GET /v1/tickets/{id}/live` is one event.

use serde::de::{DeserializeOwned, IntoDeserializer};

use crate::clock::Timestamp;
use crate::input::{Field, InputError, Problem};

mod command;
mod error;
mod keys;
mod queue;
mod record;
mod report;
mod session;
mod settings;
mod ticket;

pub use command::*;
pub use error::*;
pub use keys::*;
pub use queue::*;
pub use record::*;
pub use report::*;
pub use session::*;
pub use settings::*;
pub use ticket::*;

/// How a customer's ticket token starts (`mend_ct_…`), so a client can tell
/// it from an identity token it holds for the same ticket.
pub const CUSTOMER_TOKEN_PREFIX: &str = "mend_ct_";

/// The WebSocket subprotocol of `GET /v1/tickets/{id}/live`.
pub const LIVE_PROTOCOL: &str = "mend.v1";

/// Browsers cannot set headers on a WebSocket, so the credential travels as
/// a second subprotocol, `mend.auth.<token>`, never in the URL.
pub const LIVE_AUTH_PREFIX: &str = "mend.auth.";

pub(crate) fn optional<T>(
    raw: &Option<String>,
    parse: fn(&str) -> Result<T, InputError>,
) -> Result<Option<T>, InputError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => parse(text).map(Some),
    }
}

/// Reads one of an enum's names, as its serde attributes spell them, so
/// each wire name is written down once, on the enum.
fn named<T: DeserializeOwned>(field: Field, raw: &str, expected: &'static str) -> Result<T, InputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    T::deserialize(raw.into_deserializer())
        .map_err(|_: serde::de::value::Error| InputError::new(field, Problem::Malformed { expected }))
}

pub(crate) fn parse_time(field: Field, raw: &str) -> Result<Timestamp, InputError> {
    if raw.trim().is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    Timestamp::parse(raw.trim())
        .ok_or(InputError::new(field, Problem::Malformed { expected: "an RFC 3339 time such as 2026-11-24T15:00:00Z" }))
}

#[cfg(test)]
mod tests;
