//! One Durable Object per ticket: its single writer and its live hub.
//!
//! Every change to a ticket goes through its object, one at a time: the
//! object asks `mend-core` to decide, gives the event the next sequence
//! number, stores it in D1, and only then applies it and sends it to every
//! open WebSocket. So no event is broadcast that is not stored, and no two
//! events of a ticket share a number.
//!
//! The object also keeps the company's promises honest: after every event
//! it sets its alarm at the ticket's next deadline, and when the alarm
//! fires with the promise still unkept, it records the system's
//! `promise_missed` event, which the customer and the reps see.
//!
//! With every event it stores, the object also keeps what the one-voice
//! reviewer flagged in the company's words (shown to reps, never to the
//! customer) and the ticket's recovery record, in the same batch, and then
//! tells its workspace's [`QueueHub`](crate::queue_hub) that the queue moved.
//!
//! The worker reaches the object with a [`Call`] (JSON over an internal
//! fetch); answers are the public wire types or the public error body, so
//! the worker passes them straight through.

use std::rc::Rc;

use futures_util::lock::Mutex;
use mend_core::input::{FirstName, TicketId, WorkspaceId};
use mend_core::make_good::Policy;
use mend_core::record::TicketRecord;
use mend_core::ticket::{Actor, Command, Context, Event, Report, Ticket};
use mend_core::wire::{CommandRequest, EventsPage, LIVE_PROTOCOL, QueueChanged, Review, TicketView};
use serde::{Deserialize, Serialize};
use worker::{
    DurableObject, Env, Headers, Method, Request, RequestInit, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, durable_object,
};

use crate::error::{AppError, AppResult};
use crate::sockets;
use crate::store::{self, Db};
use crate::timing::{self, Timing};
use crate::{now, queue_hub, with_headers};

/// What the worker asks of a ticket's object.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Call {
    /// Start the ticket's log with the customer's report; `customer_subject`
    /// is the identified customer's `sub`, if they were identified; `policy`
    /// values the harm reported in the ticket's first record.
    Open {
        ticket_id: TicketId,
        workspace: WorkspaceId,
        token_hash: String,
        customer_subject: Option<String>,
        report: Report,
        policy: Box<Policy>,
    },
    /// The whole ticket view; with `staff`, what the reviewer flagged too.
    View { ticket_id: TicketId, staff: bool },
    /// The events after `since`.
    Events { ticket_id: TicketId, since: u64 },
    /// A command from an actor the worker has already authenticated;
    /// `key_id` and `first_name` are the workspace key of a rep or manager
    /// and its holder's first name.
    Command {
        ticket_id: TicketId,
        actor: Actor,
        key_id: Option<String>,
        first_name: Option<FirstName>,
        command: CommandRequest,
    },
}

const INTERNAL_ORIGIN: &str = "https://ticket.mend.internal";
/// The object's own storage keeps only which ticket it is, for its alarm.
const TICKET_KEY: &str = "ticket_id";

fn stub(env: &Env, id: &TicketId) -> AppResult<worker::Stub> {
    Ok(env.durable_object(store::TICKETS)?.id_from_name(id.as_str())?.get_stub()?)
}

/// Sends `call` to the ticket's object and returns its answer as is; the
/// D1 round trips the object reports go into `timing` (and the report is
/// dropped from the answer by [`with_headers`] on its way out).
pub async fn call(env: &Env, timing: &Timing, id: &TicketId, call: &Call) -> AppResult<Response> {
    let body = serde_json::to_string(call).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let request = Request::new_with_init(&format!("{INTERNAL_ORIGIN}/call"), &init)?;
    let response = timing.object(stub(env, id)?.fetch_with_request(request)).await?;
    if let Some(report) = response.headers().get(timing::OBJECT_D1)? {
        timing.add_d1_report(&report);
    }
    Ok(response)
}

/// Hands a WebSocket upgrade for ticket `id` to its object, which replays
/// the events after `since` and then streams new ones.
pub async fn live(env: &Env, timing: &Timing, id: &TicketId, since: u64, req: &Request) -> AppResult<Response> {
    let mut init = RequestInit::new();
    let headers = Headers::new();
    headers.set("Upgrade", "websocket")?;
    init.with_method(Method::Get).with_headers(headers);
    let wants_protocol = req
        .headers()
        .get("Sec-WebSocket-Protocol")?
        .is_some_and(|protocols| protocols.split(',').any(|p| p.trim() == LIVE_PROTOCOL));
    let url = format!("{INTERNAL_ORIGIN}/live?ticket={id}&since={since}&protocol={wants_protocol}");
    Ok(timing.object(stub(env, id)?.fetch_with_request(Request::new_with_init(&url, &init)?)).await?)
}

/// A ticket's log, folded, as the object keeps it in memory.
struct Log {
    id: TicketId,
    workspace: WorkspaceId,
    ticket: Ticket,
    events: Vec<Event>,
    /// What the reviewer flagged in the company's words, in log order.
    reviews: Vec<Review>,
}

impl Log {
    /// The ticket as its customer sees it, or with `staff`, as its
    /// workspace's reps do: with the reviewer's findings.
    fn view(&self, staff: bool) -> TicketView {
        let mut view = TicketView::new(self.id.clone(), self.workspace.clone(), &self.ticket, self.events.clone());
        if staff {
            view.review = self.reviews.clone();
        }
        view
    }

    fn since(&self, seq: u64) -> &[Event] {
        let start = self.events.partition_point(|event| event.seq <= seq);
        &self.events[start..]
    }
}

#[durable_object]
pub struct TicketObject {
    state: State,
    env: Env,
    /// The log, loaded from D1 on first use. The lock is held for a whole
    /// call, so calls on one ticket run one after another.
    log: Mutex<Option<Log>>,
}

impl DurableObject for TicketObject {
    fn new(state: State, env: Env) -> Self {
        Self { state, env, log: Mutex::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let timing = Rc::new(Timing::start());
        let db = match store::db(&self.env, timing.clone()) {
            Ok(db) => db,
            Err(err) => return Ok(err.into_response()),
        };
        let answer = if req.path() == "/live" {
            self.open_live(&db, &req).await
        } else {
            // Read by serde_json, never as a JavaScript value: sequence
            // numbers are u64 and would lose their precision above 2^53.
            let call = req.text().await.map_err(AppError::from).and_then(|text| {
                serde_json::from_str::<Call>(&text)
                    .map_err(|err| AppError::Internal(format!("bad internal call: {err}")))
            });
            match call {
                Ok(call) => self.handle(&db, call).await,
                Err(err) => Err(err),
            }
        };
        let response = answer.unwrap_or_else(AppError::into_response);
        if response.status_code() == 101 {
            return Ok(response);
        }
        with_headers(response, &[(timing::OBJECT_D1, timing.d1_report())])
    }

    /// The promise's time has come: record it as missed unless it was kept.
    /// A failure is returned, so the runtime retries the alarm.
    async fn alarm(&self) -> Result<Response> {
        let promise = async { self.record_missed_promise(&store::db(&self.env, Rc::new(Timing::start()))?).await };
        match promise.await {
            Ok(()) => Response::empty(),
            Err(err) => {
                let why = format!("{err:?}");
                let _ = err.into_response(); // logs it, as every error is logged
                Err(worker::Error::RustError(format!("promise alarm failed: {why}")))
            }
        }
    }

    async fn websocket_message(&self, _ws: WebSocket, _message: WebSocketIncomingMessage) -> Result<()> {
        // Live clients only listen; what they send is ignored.
        Ok(())
    }

    async fn websocket_close(&self, ws: WebSocket, code: usize, reason: String, _was_clean: bool) -> Result<()> {
        sockets::closed(&ws, code, reason);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        sockets::failed(&ws);
        Ok(())
    }
}

impl TicketObject {
    async fn handle(&self, db: &Db, call: Call) -> AppResult<Response> {
        let mut guard = self.log.lock().await;
        match call {
            Call::Open { ticket_id, workspace, token_hash, customer_subject, report, policy } => {
                let first = Ticket::open(report, now());
                let ticket = Ticket::from_events([&first]).map_err(|e| AppError::Internal(format!("{e:?}")))?;
                let record = TicketRecord::of(&ticket, std::slice::from_ref(&first), &policy);
                let owner = store::Owner {
                    workspace: &workspace,
                    token_hash: &token_hash,
                    customer_subject: customer_subject.as_deref(),
                };
                store::insert_ticket(db, &ticket_id, &owner, &ticket, &first, &record).await?;
                self.state.storage().put(TICKET_KEY, ticket_id.as_str()).await?;
                let log =
                    guard.insert(Log { id: ticket_id, workspace, ticket, events: vec![first], reviews: Vec::new() });
                self.tell_queue(log).await;
                json(&log.view(false), 201)
            }
            Call::View { ticket_id, staff } => json(&self.load(db, &mut guard, &ticket_id).await?.view(staff), 200),
            Call::Events { ticket_id, since } => {
                let log = self.load(db, &mut guard, &ticket_id).await?;
                json(&EventsPage { events: log.since(since).to_vec() }, 200)
            }
            Call::Command { ticket_id, actor, key_id, first_name, command } => {
                let command = command.parse()?;
                let log = self.load(db, &mut guard, &ticket_id).await?;
                let by = Signer { key_id: key_id.as_deref(), first_name };
                if let Err(err) = self.commit(db, log, actor, by, command).await {
                    forget_on_failure(&mut guard, &err);
                    return Err(err);
                }
                let log = guard.as_ref().ok_or(AppError::Internal("log vanished".into()))?;
                json(&log.view(actor.is_company()), 200)
            }
        }
    }

    /// Decides `command` with the core, stores the event (with what the
    /// one-voice reviewer flagged in it, and the ticket's new record), and
    /// only then applies it, shows it to every live client, sets the next
    /// alarm and tells the workspace's queue. The workspace's settings (its
    /// make-good policy, its one-voice terms) are read afresh for every
    /// command, so a manager's change applies at once. Findings never stop
    /// a command: the rep was warned, and may know better.
    async fn commit(&self, db: &Db, log: &mut Log, actor: Actor, by: Signer<'_>, command: Command) -> AppResult<()> {
        let settings = store::settings(db, &log.workspace)
            .await?
            .ok_or_else(|| AppError::Internal(format!("workspace {} vanished", log.workspace)))?;
        let context = Context { now: now(), policy: &settings.policy };
        let mut event = log.ticket.decide(actor, command, &context)?;
        if settings.rep_names {
            event.signed = by.first_name;
        }
        let mut next = log.ticket.clone();
        next.apply(&event).map_err(|e| AppError::Internal(format!("{e:?}")))?;
        let reviews = Review::of(&settings.reviewer(), &event);
        // The record reads the whole log and its findings, this event's
        // included; they are taken back if storing fails.
        let kept_reviews = log.reviews.len();
        log.events.push(event.clone());
        log.reviews.extend(reviews.iter().cloned());
        let record =
            TicketRecord::of(&next, &log.events, &settings.policy).with_flagged(Review::events_flagged(&log.reviews));
        let appended = store::Appended { event: &event, reviews: &reviews, record: &record };
        if let Err(err) = store::append_event(db, &log.id, &next, &appended, by.key_id).await {
            log.events.pop();
            log.reviews.truncate(kept_reviews);
            return Err(err);
        }
        // Stored: now, and only now, it is part of the ticket and may be shown.
        log.ticket = next;
        self.broadcast(&event);
        // The event is acknowledged whatever happens to the alarm and the
        // queue: a failure there is logged, and the next event tries again.
        if let Err(err) = self.schedule(&log.ticket).await {
            let _ = err.into_response();
        }
        self.tell_queue(log).await;
        Ok(())
    }

    /// Tells the workspace's live queue that this ticket has a new event.
    /// Best effort: a failure is logged and never fails the command.
    async fn tell_queue(&self, log: &Log) {
        let change = QueueChanged { ticket_id: log.id.clone(), seq: log.ticket.last_seq() };
        if let Err(err) = queue_hub::notify(&self.env, &log.workspace, &change).await {
            let _ = err.into_response(); // logs it, as every error is logged
        }
    }

    /// Sets the alarm where the core says the promise in force would be missed, or clears it.
    async fn schedule(&self, ticket: &Ticket) -> AppResult<()> {
        let storage = self.state.storage();
        match ticket.alarm_at() {
            Some(at) => storage.set_alarm(at.millis_since(now()).max(0)).await?,
            None => storage.delete_alarm().await?,
        }
        Ok(())
    }

    async fn record_missed_promise(&self, db: &Db) -> AppResult<()> {
        let id: Option<String> = self.state.storage().get(TICKET_KEY).await?;
        let id = TicketId::parse(&id.unwrap_or_default()).map_err(|e| AppError::Internal(format!("alarm: {e}")))?;
        let mut guard = self.log.lock().await;
        let log = self.load(db, &mut guard, &id).await?;
        match self.commit(db, log, Actor::System, Signer::default(), Command::MarkPromiseMissed).await {
            // Kept, paused or already recorded since the alarm was set: nothing to record.
            Err(AppError::Conflict(_)) => self.schedule(&log.ticket).await,
            Err(err) => {
                forget_on_failure(&mut guard, &err);
                Err(err)
            }
            Ok(()) => Ok(()),
        }
    }

    /// The log from memory, or from D1 the first time (or after hibernation).
    async fn load<'a>(&self, db: &Db, slot: &'a mut Option<Log>, id: &TicketId) -> AppResult<&'a mut Log> {
        if slot.is_none() {
            let access = store::ticket_access(db, id).await?.ok_or(AppError::NotFound("No such ticket."))?;
            let workspace = WorkspaceId::parse(&access.workspace_id).map_err(|e| AppError::Internal(e.to_string()))?;
            let (events, reviews) = store::events(db, id).await?;
            let ticket = Ticket::from_events(&events).map_err(|e| AppError::Internal(format!("stored log: {e:?}")))?;
            self.state.storage().put(TICKET_KEY, id.as_str()).await?;
            *slot = Some(Log { id: id.clone(), workspace, ticket, events, reviews });
        }
        slot.as_mut().ok_or(AppError::Internal("log vanished".into()))
    }

    async fn open_live(&self, db: &Db, req: &Request) -> AppResult<Response> {
        let url = req.url()?;
        let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        let id = TicketId::parse(&param("ticket").unwrap_or_default())?;
        let since = param("since").and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        let mut guard = self.log.lock().await;
        let log = self.load(db, &mut guard, &id).await?;
        let pair = WebSocketPair::new()?;
        self.state.accept_web_socket(&pair.server);
        // Holding the lock, the backlog and the live stream cannot miss or repeat an event.
        for event in log.since(since) {
            send(&pair.server, event);
        }
        let response = Response::from_websocket(pair.client)?;
        if param("protocol").as_deref() == Some("true") {
            let headers = Headers::new();
            headers.set("Sec-WebSocket-Protocol", LIVE_PROTOCOL)?;
            return Ok(response.with_headers(headers));
        }
        Ok(response)
    }

    /// Sends `event` to every live client, serialised once however many watch.
    fn broadcast(&self, event: &Event) {
        let Ok(text) = serde_json::to_string(event) else { return };
        for socket in self.state.get_websockets() {
            // A socket that is closing will be replaced by a reconnect that resumes from its last seq.
            let _ = socket.send_with_str(&text);
        }
    }
}

/// Which workspace key gave a command, and its holder's first name.
#[derive(Default)]
struct Signer<'a> {
    key_id: Option<&'a str>,
    first_name: Option<FirstName>,
}

/// After a failure of Mend's own (D1 unreachable, say), the stored log may
/// be ahead of the one in memory: drop it, so the next call reloads it.
fn forget_on_failure(slot: &mut Option<Log>, err: &AppError) {
    if matches!(err, AppError::Internal(_)) {
        *slot = None;
    }
}

fn send(socket: &WebSocket, event: &Event) {
    // A socket that is closing will be replaced by a reconnect that resumes from its last seq.
    let _ = socket.send(event);
}

fn json<T: Serialize>(value: &T, status: u16) -> AppResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}
