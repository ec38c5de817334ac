//! Reading requests: bodies (JSON objects only, at most [`MAX_BODY`]
//! bytes, strict keys), query parameters, WebSocket handshakes, and the
//! answers of a ticket's object.

use mend_core::input::{Field, InputError, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Request, Response};

use crate::error::{AppError, AppResult};

/// The largest request body Mend reads.
pub const MAX_BODY: usize = 64 * 1024;

/// Refuses, as Mend's JSON 426, a request to a WebSocket address that asks
/// for no upgrade. The rest of the handshake (key, version) is the
/// runtime's to check, and it answers a broken one itself before Mend runs.
pub(crate) fn websocket_handshake(req: &Request) -> AppResult<()> {
    if req.headers().get("Upgrade")?.is_some_and(|v| v.eq_ignore_ascii_case("websocket")) {
        Ok(())
    } else {
        Err(AppError::UpgradeRequired)
    }
}

pub(crate) fn query(req: &Request, name: &str) -> AppResult<Option<String>> {
    let url = req.url()?;
    Ok(url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned()))
}

pub(crate) fn since(req: &Request) -> AppResult<u64> {
    match query(req, "since")? {
        None => Ok(0),
        Some(value) => value.parse().map_err(|_| {
            AppError::Validation(InputError::new(Field::Since, Problem::Malformed { expected: "a whole number" }))
        }),
    }
}

/// Reads a JSON body of at most [`MAX_BODY`] bytes.
pub(crate) async fn read_body(req: &mut Request) -> AppResult<Vec<u8>> {
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !content_type.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")) {
        return Err(AppError::UnsupportedMediaType);
    }
    let declared = req.headers().get("Content-Length")?.and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(AppError::PayloadTooLarge { limit: MAX_BODY });
    }
    let body = req.bytes().await?;
    if body.len() > MAX_BODY {
        return Err(AppError::PayloadTooLarge { limit: MAX_BODY });
    }
    Ok(body)
}

/// Like [`read_body`], for routes whose body may be left out altogether.
pub(crate) async fn read_optional_body(req: &mut Request) -> AppResult<Vec<u8>> {
    let declared = req.headers().get("Content-Length")?;
    let has_type = req.headers().get("Content-Type")?.is_some();
    if !has_type && declared.as_deref().is_none_or(|n| n == "0") {
        return Ok(Vec::new());
    }
    read_body(req).await
}

/// The body of a request that takes no fields: `{}`, if it is sent at all.
#[derive(serde::Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoFields {}

/// Reads a request body as `T`. Every body is a JSON object, and so is
/// every object within it: serde would read a struct from an array, by
/// position, and no client means that. A key `T` refuses (settings are
/// strict, so a typo never passes silently) is a 422 naming it.
pub(crate) fn parse_json<T: DeserializeOwned + Serialize>(body: &[u8]) -> AppResult<T> {
    let malformed = |err: serde_json::Error| {
        let why = err.to_string();
        match unknown_field(&why) {
            Some(key) => AppError::UnknownKey(key.to_owned()),
            None => AppError::MalformedJson(why),
        }
    };
    let sent: serde_json::Value = serde_json::from_slice(body).map_err(malformed)?;
    if !sent.is_object() {
        return Err(AppError::MalformedJson("the body must be a JSON object, {…}".into()));
    }
    let parsed = T::deserialize(&sent).map_err(malformed)?;
    // What `T` writes as an object must have come as one.
    let shape = serde_json::to_value(&parsed).map_err(|err| AppError::Internal(err.to_string()))?;
    match array_for_object(&sent, &shape) {
        Some(key) => Err(AppError::MalformedJson(format!("'{key}' must be a JSON object, {{…}}, not an array"))),
        None => Ok(parsed),
    }
}

/// The key, in `sent`, of the first array that stands where `shape` (the
/// value as read, written back) has an object.
fn array_for_object<'a>(sent: &'a serde_json::Value, shape: &serde_json::Value) -> Option<&'a str> {
    use serde_json::Value::{Array, Object};
    match (sent, shape) {
        (Object(sent), Object(shape)) => sent.iter().find_map(|(key, value)| match (value, shape.get(key)?) {
            (Array(_), Object(_)) => Some(key.as_str()),
            (value, inner) => array_for_object(value, inner),
        }),
        (Array(sent), Array(shape)) => sent.iter().zip(shape).find_map(|(value, inner)| array_for_object(value, inner)),
        _ => None,
    }
}

/// The key serde names in its "unknown field `…`" refusal.
fn unknown_field(why: &str) -> Option<&str> {
    why.strip_prefix("unknown field `")?.split_once('`').map(|(key, _)| key)
}

pub(crate) fn json<T: Serialize>(value: &T, status: u16) -> AppResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}

/// Decodes a successful answer from a ticket's object.
pub(crate) async fn answer<T: DeserializeOwned>(mut response: Response) -> AppResult<T> {
    if response.status_code() >= 300 {
        return Err(AppError::Internal(format!("ticket object answered {}", response.status_code())));
    }
    // serde_json, not a JavaScript value: sequence numbers are u64.
    serde_json::from_str(&response.text().await?).map_err(|err| AppError::Internal(format!("ticket object: {err}")))
}
