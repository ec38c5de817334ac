//! What both of Mend's live hubs — a ticket's object and a workspace's
//! queue hub — do when one of their hibernating sockets closes or fails.

use worker::WebSocket;

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
