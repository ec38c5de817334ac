//! Sending a request to Mend and decoding its answer into the core's wire
//! types; nothing here panics on what the server says.

use gloo_net::http::{Request, RequestBuilder, Response};
use mend_core::wire::{CommandRequest, ErrorBody};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// `request` with `token` as its bearer credential.
pub fn bearer(request: RequestBuilder, token: &str) -> RequestBuilder {
    request.header("Authorization", &format!("Bearer {token}"))
}

/// Sends `request`; no answer at all is [`ApiError::Offline`].
pub async fn send(request: RequestBuilder) -> Result<Response, ApiError> {
    request.send().await.map_err(|_| ApiError::Offline)
}

/// Sends `request` with `body` as JSON.
pub async fn send_json(request: RequestBuilder, body: &impl Serialize) -> Result<Response, ApiError> {
    let request = request.json(body).map_err(|_| ApiError::Offline)?;
    request.send().await.map_err(|_| ApiError::Offline)
}

/// A 2xx answer's body as `T`, or the error Mend answered with.
pub async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if (200..300).contains(&status) {
        return response.json::<T>().await.map_err(|_| ApiError::unexpected(status));
    }
    Err(refusal(status, response).await)
}

/// A 2xx answer with nothing to read (204), or the error Mend answered with.
pub async fn decode_empty(response: Response) -> Result<(), ApiError> {
    let status = response.status();
    if (200..300).contains(&status) { Ok(()) } else { Err(refusal(status, response).await) }
}

/// The error Mend sent with a non-2xx `status`.
async fn refusal(status: u16, response: Response) -> ApiError {
    match response.json::<ErrorBody>().await {
        Ok(ErrorBody { error }) => ApiError::Refused { status, error },
        Err(_) => ApiError::unexpected(status),
    }
}

/// `POST /v1/tickets/{id}/commands`: one command on `ticket`, as whoever
/// `token` names (or, without one, the session cookie); Mend answers the
/// ticket as it now is, read as `T` (the customer's log, a rep's whole view).
pub async fn command<T: DeserializeOwned>(
    ticket: &str,
    token: Option<&str>,
    command: &CommandRequest,
) -> Result<T, ApiError> {
    let request = Request::post(&format!("/v1/tickets/{ticket}/commands"));
    let request = match token {
        Some(token) => bearer(request, token),
        None => request,
    };
    decode(send_json(request, command).await?).await
}
