//! The only module of the console that touches the network. It speaks only
//! the wire types of `mend-core` (`SessionView`, `TicketView`,
//! `WorkspaceView`, `SettingsPatch`, `QueueChanged`, …), as the worker
//! writes them, and returns typed results the views render; nothing here
//! panics on what the server says. The session cookie that
//! `POST /v1/session` sets travels with every same-origin request by itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::Request;
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
pub use mend_client::ApiError;
use mend_client::request::{decode, decode_empty, send, send_json};
use mend_client::socket::{self, Handlers};
use mend_core::changes::{ChangeList, PublishRequest, PublishedChange};
use mend_core::proactive::{ProactiveReportCreated, ProactiveReportRequest};
use mend_core::webhook::{
    DeliveryList, DeliveryView, EndpointCreated, EndpointList, EndpointRequest, EndpointView, ReplayRequest, Replayed,
    RotateRequest, SecretRotated,
};
use mend_core::wire::{
    CommandRequest, IdentityKeyCreated, KeyCreated, KeyList, KeyRequest, LIVE_PROTOCOL, QueueChanged, QueueFilter,
    QueuePage, SessionView, SettingsPatch, TicketView, WorkspaceView,
};
use web_sys::WebSocket;

/// How an error reads to a rep.
pub trait Said {
    /// A sentence the rep can act on.
    fn message(&self) -> String;
}

impl Said for ApiError {
    fn message(&self) -> String {
        match self.detail() {
            None => crate::text::OFFLINE.into(),
            Some(_) if self.is_unexpected() => crate::text::UNEXPECTED.into(),
            Some(error) => error.message.clone(),
        }
    }
}

/// `GET /v1/session`: who is signed in here, if anyone.
pub async fn session() -> Result<SessionView, ApiError> {
    decode(send(Request::get("/v1/session")).await?).await
}

/// `POST /v1/session`: trades a rep or manager key for the session cookie.
pub async fn sign_in(key: &str) -> Result<SessionView, ApiError> {
    let request = Request::post("/v1/session").header("Authorization", &format!("Bearer {}", key.trim()));
    decode(send(request).await?).await
}

/// `DELETE /v1/session`: signs out; the worker clears the cookie.
pub async fn sign_out() -> Result<(), ApiError> {
    decode_empty(send(Request::delete("/v1/session")).await?).await
}

/// `GET /v1/queue?filter=…&owner=…`: the open tickets, most at risk first.
pub async fn queue(filter: QueueFilter, owner: Option<&str>) -> Result<QueuePage, ApiError> {
    let name = serde_json::to_value(filter).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    // A key id is hex: it needs no escaping in a query.
    let owner = owner.map_or(String::new(), |owner| format!("&owner={owner}"));
    decode(send(Request::get(&format!("/v1/queue?filter={name}{owner}"))).await?).await
}

/// `GET /v1/tickets/{id}`.
pub async fn ticket(id: &str) -> Result<TicketView, ApiError> {
    decode(send(Request::get(&format!("/v1/tickets/{id}"))).await?).await
}

/// `POST /v1/tickets/{id}/commands`: one command; Mend answers the ticket as it now is.
pub async fn command(id: &str, command: &CommandRequest) -> Result<TicketView, ApiError> {
    mend_client::request::command(id, None, command).await
}

/// `POST /v1/proactive-reports`: a report of a problem the company found first.
pub async fn create_proactive_report(request: &ProactiveReportRequest) -> Result<ProactiveReportCreated, ApiError> {
    decode(send_json(Request::post("/v1/proactive-reports"), request).await?).await
}

/// `GET /v1/workspaces/{ws}` (managers).
pub async fn workspace(ws: &str) -> Result<WorkspaceView, ApiError> {
    decode(send(Request::get(&format!("/v1/workspaces/{ws}"))).await?).await
}

/// `PATCH /v1/workspaces/{ws}` (managers).
pub async fn update_workspace(ws: &str, patch: &SettingsPatch) -> Result<WorkspaceView, ApiError> {
    decode(send_json(Request::patch(&format!("/v1/workspaces/{ws}")), patch).await?).await
}

/// `GET /v1/workspaces/{ws}/keys` (managers).
pub async fn keys(ws: &str) -> Result<KeyList, ApiError> {
    decode(send(Request::get(&format!("/v1/workspaces/{ws}/keys"))).await?).await
}

/// `POST /v1/workspaces/{ws}/keys` (managers): the new key, shown once.
pub async fn create_key(ws: &str, request: &KeyRequest) -> Result<KeyCreated, ApiError> {
    decode(send_json(Request::post(&format!("/v1/workspaces/{ws}/keys")), request).await?).await
}

/// `GET /v1/workspaces/{ws}/changes`: what the workspace published on its scorecard.
pub async fn changes(ws: &str) -> Result<ChangeList, ApiError> {
    decode(send(Request::get(&format!("/v1/workspaces/{ws}/changes"))).await?).await
}

/// `POST /v1/workspaces/{ws}/changes` (managers): publishes a ticket's prevention note.
pub async fn publish_change(ws: &str, ticket_id: &str) -> Result<PublishedChange, ApiError> {
    let request = PublishRequest { ticket_id: ticket_id.to_owned() };
    decode(send_json(Request::post(&format!("/v1/workspaces/{ws}/changes")), &request).await?).await
}

/// `DELETE /v1/workspaces/{ws}/changes/{ticket_id}` (managers): withdraws it.
pub async fn withdraw_change(ws: &str, ticket_id: &str) -> Result<(), ApiError> {
    decode_empty(send(Request::delete(&format!("/v1/workspaces/{ws}/changes/{ticket_id}"))).await?).await
}

/// `DELETE /v1/workspaces/{ws}/keys/{id}` (managers).
pub async fn revoke_key(ws: &str, id: &str) -> Result<(), ApiError> {
    decode_empty(send(Request::delete(&format!("/v1/workspaces/{ws}/keys/{id}"))).await?).await
}

/// `POST /v1/workspaces/{ws}/identity-keys` (managers): a new secret, shown once.
pub async fn create_identity_key(ws: &str) -> Result<IdentityKeyCreated, ApiError> {
    decode(send(Request::post(&format!("/v1/workspaces/{ws}/identity-keys"))).await?).await
}

/// `DELETE /v1/workspaces/{ws}/identity-keys/{kid}` (managers).
pub async fn delete_identity_key(ws: &str, kid: &str) -> Result<(), ApiError> {
    decode_empty(send(Request::delete(&format!("/v1/workspaces/{ws}/identity-keys/{kid}"))).await?).await
}

/// The address of `ws`'s webhook endpoints, and of one of them with `rest`.
fn hooks(ws: &str, rest: &str) -> String {
    format!("/v1/workspaces/{ws}/webhooks{rest}")
}

/// `GET /v1/workspaces/{ws}/webhooks` (managers).
pub async fn endpoints(ws: &str) -> Result<EndpointList, ApiError> {
    decode(send(Request::get(&hooks(ws, ""))).await?).await
}

/// `POST /v1/workspaces/{ws}/webhooks` (managers): the endpoint and its secret, shown once.
pub async fn create_endpoint(ws: &str, request: &EndpointRequest) -> Result<EndpointCreated, ApiError> {
    decode(send_json(Request::post(&hooks(ws, "")), request).await?).await
}

/// `PATCH /v1/workspaces/{ws}/webhooks/{id}` (managers).
pub async fn update_endpoint(ws: &str, id: &str, request: &EndpointRequest) -> Result<EndpointView, ApiError> {
    decode(send_json(Request::patch(&hooks(ws, &format!("/{id}"))), request).await?).await
}

/// `DELETE /v1/workspaces/{ws}/webhooks/{id}` (managers).
pub async fn delete_endpoint(ws: &str, id: &str) -> Result<(), ApiError> {
    decode_empty(send(Request::delete(&hooks(ws, &format!("/{id}")))).await?).await
}

/// `POST /v1/workspaces/{ws}/webhooks/{id}/secret` (managers): a new secret,
/// the old one signing beside it for a day.
pub async fn rotate_secret(ws: &str, id: &str) -> Result<SecretRotated, ApiError> {
    decode(send_json(Request::post(&hooks(ws, &format!("/{id}/secret"))), &RotateRequest::default()).await?).await
}

/// `POST /v1/workspaces/{ws}/webhooks/{id}/test` (managers): a test event, on its way.
pub async fn send_test(ws: &str, id: &str) -> Result<DeliveryView, ApiError> {
    decode(send(Request::post(&hooks(ws, &format!("/{id}/test")))).await?).await
}

/// `GET /v1/workspaces/{ws}/webhooks/{id}/deliveries` (managers): the newest first.
pub async fn deliveries(ws: &str, id: &str) -> Result<DeliveryList, ApiError> {
    decode(send(Request::get(&hooks(ws, &format!("/{id}/deliveries")))).await?).await
}

/// `POST …/webhooks/{id}/deliveries/{delivery}/replay` (managers).
pub async fn replay_delivery(ws: &str, id: &str, delivery: &str) -> Result<Replayed, ApiError> {
    decode(send(Request::post(&hooks(ws, &format!("/{id}/deliveries/{delivery}/replay")))).await?).await
}

/// `POST …/webhooks/{id}/replay` (managers): every failed delivery since a time.
pub async fn replay_failed(ws: &str, id: &str, request: &ReplayRequest) -> Result<Replayed, ApiError> {
    decode(send_json(Request::post(&hooks(ws, &format!("/{id}/replay"))), request).await?).await
}

/// How the console hears about changes to the queue right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Over the queue's WebSocket: changes arrive as they happen.
    Live,
    /// The socket is not open (yet, or any more) and is being tried again;
    /// meanwhile the queue is asked for every [`POLL_EVERY`].
    Reconnecting,
}

impl Connection {
    /// The state's name in `data-state`, for styles and tests.
    pub fn key(self) -> &'static str {
        match self {
            Connection::Live => "live",
            Connection::Reconnecting => "reconnecting",
        }
    }
}

/// While the socket is down, the queue is fetched again this often.
pub const POLL_EVERY: Duration = Duration::from_secs(10);

/// The queue's live feed: a WebSocket to `/v1/queue/live` (the session
/// cookie authenticates it) that calls `on_change` with the ticket that
/// changed; while it is not open, `on_change(None)` every [`POLL_EVERY`]
/// instead, and the socket is tried again with a growing pause. Dropping
/// it stops both.
pub struct QueueLive {
    inner: Rc<LiveInner>,
}

struct LiveInner {
    on_change: Box<dyn Fn(Option<String>)>,
    on_connection: Box<dyn Fn(Connection)>,
    stopped: Cell<bool>,
    open: Cell<bool>,
    attempts: Cell<u32>,
    socket: RefCell<Option<WebSocket>>,
    /// The next poll and the next attempt at the socket, to clear on drop.
    poll_timer: Cell<Option<TimeoutHandle>>,
    retry_timer: Cell<Option<TimeoutHandle>>,
}

impl QueueLive {
    pub fn connect(on_change: impl Fn(Option<String>) + 'static, on_connection: impl Fn(Connection) + 'static) -> Self {
        let inner = Rc::new(LiveInner {
            on_change: Box::new(on_change),
            on_connection: Box::new(on_connection),
            stopped: Cell::new(false),
            open: Cell::new(false),
            attempts: Cell::new(0),
            socket: RefCell::new(None),
            poll_timer: Cell::new(None),
            retry_timer: Cell::new(None),
        });
        (inner.on_connection)(Connection::Reconnecting);
        LiveInner::open(inner.clone());
        LiveInner::poll_later(inner.clone());
        Self { inner }
    }
}

impl Drop for QueueLive {
    fn drop(&mut self) {
        self.inner.stopped.set(true);
        for timer in [self.inner.poll_timer.take(), self.inner.retry_timer.take()].into_iter().flatten() {
            timer.clear();
        }
        if let Some(socket) = self.inner.socket.borrow_mut().take() {
            let _ = socket.close();
        }
    }
}

impl Handlers for LiveInner {
    fn opened(self: Rc<Self>) {
        self.open.set(true);
        self.attempts.set(0);
        (self.on_connection)(Connection::Live);
        // Whatever changed while the socket was down.
        (self.on_change)(None);
    }

    fn text(self: Rc<Self>, _socket: &WebSocket, text: String) {
        if self.stopped.get() {
            return;
        }
        if let Ok(changed) = serde_json::from_str::<QueueChanged>(&text) {
            (self.on_change)(Some(changed.ticket_id.as_str().to_owned()));
        }
    }

    fn closed(self: Rc<Self>) {
        self.open.set(false);
        if !self.stopped.get() {
            (self.on_connection)(Connection::Reconnecting);
        }
        LiveInner::retry(self);
    }
}

impl LiveInner {
    fn open(this: Rc<Self>) {
        if this.stopped.get() {
            return;
        }
        match socket::open("/v1/queue/live", &js_sys::Array::of1(&LIVE_PROTOCOL.into()), this.clone()) {
            Some(socket) => *this.socket.borrow_mut() = Some(socket),
            None => Self::retry(this),
        }
    }

    /// Tries the socket again after a pause that grows with each attempt (2 s up to a minute).
    fn retry(this: Rc<Self>) {
        if this.stopped.get() {
            return;
        }
        let attempt = this.attempts.get().saturating_add(1);
        this.attempts.set(attempt);
        let delay = socket::backoff(attempt, Duration::from_secs(2), Duration::from_secs(60));
        let later = this.clone();
        this.retry_timer.set(set_timeout_with_handle(move || Self::open(later), delay).ok());
    }

    /// Every [`POLL_EVERY`], asks the queue to refetch unless the socket is open.
    fn poll_later(this: Rc<Self>) {
        if this.stopped.get() {
            return;
        }
        let later = this.clone();
        let tick = move || {
            if later.stopped.get() {
                return;
            }
            if !later.open.get() {
                (later.on_change)(None);
            }
            Self::poll_later(later);
        };
        this.poll_timer.set(set_timeout_with_handle(tick, POLL_EVERY).ok());
    }
}

#[cfg(test)]
mod tests {
    use mend_core::wire::QueueChanged;

    #[test]
    fn the_live_queue_reads_the_workers_message_as_the_core_writes_it() {
        let sent = r#"{"type":"queue_changed","ticket_id":"t1","seq":3}"#;
        let changed: QueueChanged = serde_json::from_str(sent).unwrap();
        assert_eq!((changed.ticket_id.as_str(), changed.seq), ("t1", 3));
        assert!(serde_json::from_str::<QueueChanged>(r#"{"type":"queue_changed"}"#).is_err(), "no ticket, no change");
    }
}
