//! The only module of the widget that touches the network. It speaks the
//! wire types of `mend-core` and returns typed results that the view
//! renders; nothing here panics on what the server says.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use gloo_net::http::Request;
pub use mend_client::ApiError;
use mend_client::request::{bearer, decode, send, send_json};
use mend_client::socket::{self, Handlers};
use mend_core::ticket::Event;
use mend_core::wire::{
    CommandRequest, CustomerTickets, EmailsRequest, EventsPage, LIVE_AUTH_PREFIX, LIVE_PROTOCOL, ReportReceipt,
    ReportRequest, TicketLog,
};
use web_sys::WebSocket;

use crate::text::Text;

/// How an error reads to the customer, in their language.
pub trait Said {
    /// A sentence the customer can act on, in `text`'s language where it
    /// is the widget's own; `label` gives the label the customer sees a
    /// field under, by its key.
    fn message(&self, text: &Text, label: impl Fn(&str) -> Option<&'static str>) -> String;
}

impl Said for ApiError {
    fn message(&self, text: &Text, label: impl Fn(&str) -> Option<&'static str>) -> String {
        let ApiError::Refused { error, .. } = self else { return text.offline.into() };
        if self.is_unexpected() {
            return text.unexpected.into();
        }
        match (error.code.as_str(), error.field.as_deref().and_then(label), &error.problem) {
            ("rate_limited", ..) => text.rate_limited.into(),
            ("validation", Some(label), Some(problem)) => {
                text.refusal(label, *problem, error.max).unwrap_or_else(|| error.message.clone())
            }
            _ => error.message.clone(),
        }
    }
}

/// An answer still to come from a function the build splits out of the
/// first open (see `widget::send_report`), whose boundary cannot be
/// `async` itself.
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// `POST /v1/reports`.
pub async fn create_report(report: &ReportRequest) -> Result<ReportReceipt, ApiError> {
    decode(send_json(Request::post("/v1/reports"), report).await?).await
}

/// `GET /v1/tickets/{id}`, as the ticket's customer: its log.
pub async fn get_ticket(ticket: &str, token: &str) -> Result<TicketLog, ApiError> {
    decode(send(bearer(Request::get(&format!("/v1/tickets/{ticket}")), token)).await?).await
}

/// `GET /v1/tickets/{id}/events?since=N`: the events after `since`, for polling.
pub async fn get_events(ticket: &str, token: &str, since: u64) -> Result<EventsPage, ApiError> {
    decode(send(bearer(Request::get(&format!("/v1/tickets/{ticket}/events?since={since}")), token)).await?).await
}

/// `GET /v1/customers/me/tickets`: an identified customer's tickets, with their identity token.
pub async fn my_tickets(identity: &str) -> Result<CustomerTickets, ApiError> {
    decode(send(bearer(Request::get("/v1/customers/me/tickets"), identity)).await?).await
}

/// `POST /v1/tickets/{id}/commands`, as the ticket's customer.
pub async fn send_command(ticket: &str, token: &str, command: &CommandRequest) -> Result<TicketLog, ApiError> {
    mend_client::request::command(ticket, Some(token), command).await
}

/// `PUT /v1/tickets/{id}/emails`: the customer turns emails about the ticket on or off.
pub async fn set_emails(ticket: &str, token: &str, on: bool) -> Result<TicketLog, ApiError> {
    let request = bearer(Request::put(&format!("/v1/tickets/{ticket}/emails")), token);
    decode(send_json(request, &EmailsRequest { on }).await?).await
}

/// How the widget is hearing about the ticket right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Over a WebSocket: updates arrive as they happen.
    Live,
    /// WebSockets seem blocked here: asking for news every few seconds.
    Polling,
    /// Lost; trying again.
    Reconnecting,
}

/// After this many WebSocket attempts in a row that never opened, poll instead.
const REFUSALS_BEFORE_POLLING: u32 = 5;
/// After this many connections in a row that closed within [`SHORT_LIVED_MS`]
/// of opening (a proxy that drops them), poll instead.
const DROPS_BEFORE_POLLING: u32 = 3;
const SHORT_LIVED_MS: f64 = 5_000.0;
/// How often to ask for news while polling.
const POLL_EVERY: Duration = Duration::from_secs(4);

/// A live connection to a ticket that survives drops: after each close it
/// reconnects, asking only for the events after the last one it delivered.
/// Where WebSockets are blocked (they never open, or are dropped at once by
/// a proxy), it falls back to polling `/events?since=N`, with the same
/// guarantee, for the rest of the visit.
/// Dropping it stops it: no more events are delivered and it no longer
/// reconnects (the socket itself closes at its next message).
pub struct Live {
    stopped: Arc<AtomicBool>,
}

impl Live {
    /// Connects to ticket `id` with the customer's `token`. `last_seq` says
    /// what the widget already has; `on_event` receives each later event once.
    pub fn connect(
        id: String,
        token: String,
        last_seq: impl Fn() -> u64 + 'static,
        on_event: impl Fn(Event) + 'static,
        on_connection: impl Fn(Connection) + 'static,
    ) -> Self {
        let live = Rc::new(LiveInner {
            id,
            token,
            last_seq: Box::new(last_seq),
            on_event: Box::new(on_event),
            on_connection: Box::new(on_connection),
            stopped: Arc::new(AtomicBool::new(false)),
            attempts: Cell::new(0),
            refusals: Cell::new(0),
            drops: Cell::new(0),
            opened_at: Cell::new(None),
        });
        let stopped = live.stopped.clone();
        LiveInner::open(live);
        Self { stopped }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

struct LiveInner {
    id: String,
    token: String,
    last_seq: Box<dyn Fn() -> u64>,
    on_event: Box<dyn Fn(Event)>,
    on_connection: Box<dyn Fn(Connection)>,
    stopped: Arc<AtomicBool>,
    /// Attempts since the last connection that lasted, for the back-off.
    attempts: Cell<u32>,
    /// Attempts in a row that never opened.
    refusals: Cell<u32>,
    /// Connections in a row that were dropped soon after opening.
    drops: Cell<u32>,
    /// When the current connection opened (`Date.now()`), if it did.
    opened_at: Cell<Option<f64>>,
}

impl Handlers for LiveInner {
    fn opened(self: Rc<Self>) {
        self.opened_at.set(Some(js_sys::Date::now()));
        self.refusals.set(0);
        (self.on_connection)(Connection::Live);
    }

    fn text(self: Rc<Self>, socket: &WebSocket, text: String) {
        if self.stopped.load(Ordering::Relaxed) {
            let _ = socket.close();
            return;
        }
        let Ok(event) = serde_json::from_str::<Event>(&text) else { return };
        if !self.deliver(event) {
            // A gap: drop this connection and resume from what we have.
            let _ = socket.close();
        }
    }

    fn closed(self: Rc<Self>) {
        match self.opened_at.take() {
            None => self.refusals.set(self.refusals.get() + 1),
            Some(at) if js_sys::Date::now() - at < SHORT_LIVED_MS => self.drops.set(self.drops.get() + 1),
            Some(_) => {
                self.drops.set(0);
                self.attempts.set(0);
            }
        }
        (self.on_connection)(Connection::Reconnecting);
        LiveInner::retry(self);
    }
}

impl LiveInner {
    fn open(this: Rc<Self>) {
        if this.stopped.load(Ordering::Relaxed) {
            return;
        }
        let path = format!("/v1/tickets/{}/live?since={}", this.id, (this.last_seq)());
        let protocols = js_sys::Array::of2(&LIVE_PROTOCOL.into(), &format!("{LIVE_AUTH_PREFIX}{}", this.token).into());
        if socket::open(&path, &protocols, this.clone()).is_none() {
            Self::retry(this);
        }
    }

    /// Hands on `event` if it is the next one; `false` if events are missing before it.
    fn deliver(&self, event: Event) -> bool {
        let (seq, last) = (event.seq, (self.last_seq)());
        if seq == last + 1 {
            (self.on_event)(event);
        }
        seq <= last + 1
    }

    /// Reconnects after a pause that grows with each attempt (1 s up to
    /// 15 s), or polls if WebSockets look blocked here.
    fn retry(this: Rc<Self>) {
        if this.stopped.load(Ordering::Relaxed) {
            return;
        }
        if this.refusals.get() >= REFUSALS_BEFORE_POLLING || this.drops.get() >= DROPS_BEFORE_POLLING {
            Self::poll(this);
            return;
        }
        let attempt = this.attempts.get().saturating_add(1);
        this.attempts.set(attempt);
        let delay = socket::backoff(attempt, Duration::from_secs(1), Duration::from_secs(15));
        leptos::prelude::set_timeout(move || Self::open(this), delay);
    }

    /// Asks for the events after the last one held, then again in a few seconds.
    fn poll(this: Rc<Self>) {
        if this.stopped.load(Ordering::Relaxed) {
            return;
        }
        leptos::task::spawn_local(async move {
            match get_events(&this.id, &this.token, (this.last_seq)()).await {
                Ok(page) => {
                    (this.on_connection)(Connection::Polling);
                    for event in page.events {
                        if !this.stopped.load(Ordering::Relaxed) {
                            this.deliver(event);
                        }
                    }
                }
                Err(_) => (this.on_connection)(Connection::Reconnecting),
            }
            leptos::prelude::set_timeout(move || Self::poll(this), POLL_EVERY);
        });
    }
}
