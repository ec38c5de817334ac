//! Opening one of Mend's live sockets from the page: its address on this
//! page's host, the subprotocols it offers, and its handlers. When to
//! reconnect, and what to do while it is down, is each app's own policy.

use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{MessageEvent, WebSocket};

/// What a socket reports, each on its handler, which is shared with the
/// app's own reconnecting (hence `Rc<Self>`).
pub trait Handlers: 'static {
    /// The socket opened.
    fn opened(self: Rc<Self>);
    /// A text message arrived on `socket`.
    fn text(self: Rc<Self>, socket: &WebSocket, text: String);
    /// The socket closed, or never opened.
    fn closed(self: Rc<Self>);
}

/// Opens a WebSocket to `path` on this page's host (`wss:` under `https:`),
/// offering the subprotocols in `protocols` (a JS array of strings, as the
/// browser takes them), and hands what happens on it to `handlers`. `None`
/// when the browser refuses to even try (no window, a malformed address).
pub fn open<H: Handlers>(path: &str, protocols: &js_sys::Array, handlers: Rc<H>) -> Option<WebSocket> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok().as_deref() == Some("https:") { "wss" } else { "ws" };
    let url = format!("{scheme}://{}{path}", location.host().ok()?);
    let socket = WebSocket::new_with_str_sequence(&url, protocols).ok()?;
    let on_open = {
        let handlers = handlers.clone();
        Closure::<dyn FnMut()>::new(move || handlers.clone().opened())
    };
    let on_message = {
        let (handlers, socket) = (handlers.clone(), socket.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            if let Some(text) = message.data().as_string() {
                handlers.clone().text(&socket, text);
            }
        })
    };
    let on_close = Closure::<dyn FnMut()>::new(move || handlers.clone().closed());
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    // Kept for the page's life, not freed when the socket closes: three
    // small closures per socket, and a socket is opened once per reconnect.
    on_open.forget();
    on_message.forget();
    on_close.forget();
    Some(socket)
}

/// The pause before reconnection attempt number `attempt` (1, 2, …): `step`
/// more with each attempt, never more than `most`.
pub fn backoff(attempt: u32, step: Duration, most: Duration) -> Duration {
    step.saturating_mul(attempt).min(most)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attempt_waits_a_step_longer_up_to_the_most() {
        let (step, most) = (Duration::from_secs(2), Duration::from_secs(60));
        let waits: Vec<u64> = [1, 2, 3, 29, 30, 31, u32::MAX].map(|a| backoff(a, step, most).as_secs()).to_vec();
        assert_eq!(waits, [2, 4, 6, 58, 60, 60, 60]);
    }
}
