//! What both of Mend's live hubs — a ticket's object and a workspace's
//! queue hub — do with their hibernating sockets: ask for one on behalf of
//! a client, answer the upgrade with Mend's subprotocol when the client
//! offered it, and handle what listen-only clients send, close or break.

use mend_core::wire::LIVE_PROTOCOL;
use worker::{Headers, Method, Request, RequestInit, Response, WebSocket};

/// The request a route sends a hub at `url` (its internal origin, a path
/// and the query) to open a socket, carrying `headers` besides the upgrade,
/// and whether the hub should answer with [`LIVE_PROTOCOL`]: the client
/// (`req`) offered it.
pub fn upgrade(req: &Request, url: &str, headers: Headers) -> worker::Result<Request> {
    let offered = req
        .headers()
        .get("Sec-WebSocket-Protocol")?
        .is_some_and(|protocols| protocols.split(',').any(|p| p.trim() == LIVE_PROTOCOL));
    headers.set("Upgrade", "websocket")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let separator = if url.contains('?') { '&' } else { '?' };
    Request::new_with_init(&format!("{url}{separator}protocol={offered}"), &init)
}

/// The hub's answer to an [`upgrade`] request `req`: the client's end of
/// the socket, naming [`LIVE_PROTOCOL`] when the client offered it.
pub fn answer(req: &Request, client: WebSocket) -> worker::Result<Response> {
    let response = Response::from_websocket(client)?;
    if !req.url()?.query_pairs().any(|(k, v)| k == "protocol" && v == "true") {
        return Ok(response);
    }
    let headers = Headers::new();
    headers.set("Sec-WebSocket-Protocol", LIVE_PROTOCOL)?;
    Ok(response.with_headers(headers))
}

/// Answers a client's close. The hibernation API leaves the close to us;
/// reserved codes may not be sent back.
pub fn closed(ws: &WebSocket, code: usize, reason: String) {
    let code = match code {
        1005 | 1006 | 1015 => 1000,
        other => u16::try_from(other).unwrap_or(1000),
    };
    let _ = ws.close(Some(code), Some(reason));
}

/// Closes a socket that failed.
pub fn failed(ws: &WebSocket) {
    let _ = ws.close(Some(1011), Some("error"));
}

/// The `DurableObject` socket handlers of a hub whose clients only listen:
/// what they send is ignored, a close is answered ([`closed`]), a failed
/// socket closed ([`failed`]).
macro_rules! listen_only {
    () => {
        async fn websocket_message(
            &self,
            _ws: ::worker::WebSocket,
            _message: ::worker::WebSocketIncomingMessage,
        ) -> ::worker::Result<()> {
            Ok(())
        }

        async fn websocket_close(
            &self,
            ws: ::worker::WebSocket,
            code: usize,
            reason: String,
            _was_clean: bool,
        ) -> ::worker::Result<()> {
            $crate::sockets::closed(&ws, code, reason);
            Ok(())
        }

        async fn websocket_error(&self, ws: ::worker::WebSocket, _error: ::worker::Error) -> ::worker::Result<()> {
            $crate::sockets::failed(&ws);
            Ok(())
        }
    };
}
pub(crate) use listen_only;
