//! Webhooks: one Durable Object per workspace, `WebhookHub`, owns the
//! workspace's endpoints, their secrets, health and schedules.
//!
//! The path of a ticket event: the ticket's object commits the event with
//! a `webhooks` row in its outbox; its dispatcher makes the event's body
//! ([`body`]) and hands it to the hub (`hand_off`), and is done once the
//! hub has stored it (`/accept`), with a pending delivery to every enabled
//! endpoint whose filter wants it. The hub then delivers on its own time:
//! each attempt signs the stored bytes ([`sign`]) and POSTs them
//! ([`send`]); the core judges the answer and says when to try again
//! ([`mend_core::webhook`]); the hub's alarm is set for the next due
//! delivery, so a restart resumes the schedule. At most
//! [`PER_ENDPOINT`] attempts run at once per endpoint, and one ticket's
//! events go to an endpoint one after another, in `seq` order, so a slow
//! receiver slows only itself. Managers reach the hub through the API
//! (`manage`): the worker authenticates, the hub answers.
//!
//! Vars (README, *Webhooks*): `WEBHOOKS_ALLOW_LOOPBACK=true` lets
//! endpoints be `http://127.0.0.1` (local development and tests only; off
//! unless set); `WEBHOOKS_SCHEDULE_SPEEDUP=N` divides every wait of the
//! schedule and the five days before an endpoint is disabled (tests);
//! `WEBHOOKS_TIMEOUT_MS` shortens the 15 s an attempt may take (tests).

pub mod body;
mod send;
mod sign;
mod stored;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use mend_core::input::WorkspaceId;
use mend_core::webhook::{
    self, DeliveryList, EndpointCreated, EndpointList, EndpointRequest, EndpointUrl, Filter, ReplayRequest, Replayed,
    RotateRequest, SecretRotated, Verdict,
};
use worker::{DurableObject, Env, Headers, Method, Request, RequestInit, Response, Result, State, durable_object};

pub use stored::Message;
use stored::{Due, Endpoint, NewEndpoint, Replay, Stored};

use crate::auth;
use crate::error::{AppError, AppResult};
use crate::request::parse_json;
use crate::{now, store, with_headers};

const INTERNAL_ORIGIN: &str = "https://webhooks.mend.internal";
/// The header naming the workspace on the worker's calls to its hub.
const WORKSPACE_HEADER: &str = "Mend-Workspace";
/// The var that lets endpoints be `http://127.0.0.1`.
const LOOPBACK_VAR: &str = "WEBHOOKS_ALLOW_LOOPBACK";
/// The var that divides the schedule's waits.
const SPEEDUP_VAR: &str = "WEBHOOKS_SCHEDULE_SPEEDUP";
/// The var that shortens an attempt's timeout.
const TIMEOUT_VAR: &str = "WEBHOOKS_TIMEOUT_MS";
/// The most attempts in flight to one endpoint.
pub const PER_ENDPOINT: usize = 16;
/// The most due deliveries of one endpoint looked at in one pass.
const LOOK_AT: u32 = 4 * PER_ENDPOINT as u32;
/// The newest deliveries an endpoint lists.
const LISTED: u32 = 50;
/// The time past an attempt's timeout after which the alarm makes it
/// again, should the hub have restarted while it ran.
const LEASE_GRACE_MS: i64 = 5_000;
/// How long a delivered delivery is kept, with its attempts and message.
const KEEP_DELIVERED_DAYS: i64 = 30;
/// How often a hub forgets what it no longer keeps, at most.
const PRUNE_EVERY_MS: i64 = 3_600_000;

/// Whether this deployment lets endpoints be `http://127.0.0.1`.
pub fn allows_loopback(env: &Env) -> bool {
    env.var(LOOPBACK_VAR).is_ok_and(|value| value.to_string() == "true")
}

fn number_var(env: &Env, name: &str) -> Option<i64> {
    env.var(name).ok().and_then(|value| value.to_string().parse().ok()).filter(|n: &i64| *n > 0)
}

fn stub(env: &Env, workspace: &WorkspaceId) -> AppResult<worker::Stub> {
    Ok(env.durable_object(store::WEBHOOKS)?.id_from_name(workspace.as_str())?.get_stub()?)
}

async fn call(
    env: &Env,
    workspace: &WorkspaceId,
    method: Method,
    path: &str,
    body: Option<String>,
) -> AppResult<Response> {
    let headers = Headers::new();
    headers.set(WORKSPACE_HEADER, workspace.as_str())?;
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers).with_body(body.map(Into::into));
    let request = Request::new_with_init(&format!("{INTERNAL_ORIGIN}{path}"), &init)?;
    Ok(stub(env, workspace)?.fetch_with_request(request).await?)
}

/// Hands `messages` to `workspace`'s hub; done once it has stored them.
pub async fn hand_off(env: &Env, workspace: &WorkspaceId, messages: &[Message]) -> AppResult<()> {
    let body = serde_json::to_string(messages).map_err(|e| AppError::Internal(e.to_string()))?;
    let response = call(env, workspace, Method::Post, "/accept", Some(body)).await?;
    if response.status_code() >= 300 {
        return Err(AppError::Internal(format!("webhook hub of {workspace} answered {}", response.status_code())));
    }
    Ok(())
}

/// Passes a manager's request about `workspace`'s endpoints to its hub;
/// `path` starts with `/endpoints`. The worker has authenticated them.
pub async fn manage(
    env: &Env,
    workspace: &WorkspaceId,
    method: Method,
    path: &str,
    body: Vec<u8>,
) -> AppResult<Response> {
    let body = (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned());
    call(env, workspace, method, path, body).await
}

#[durable_object]
pub struct WebhookHub {
    this: Rc<Hub>,
}

/// The hub's state, shared with the attempts that run after an answer.
struct Hub {
    state: State,
    env: Env,
    /// Deliveries being attempted, and one ticket's per endpoint, so the
    /// next event of that ticket waits for it.
    flying: RefCell<HashSet<i64>>,
    tickets: RefCell<HashSet<(String, String)>>,
    per_endpoint: RefCell<HashMap<String, usize>>,
    /// Whether a pass over the due deliveries runs, and whether it should look again.
    pumping: Cell<bool>,
    look_again: Cell<bool>,
    /// The alarm this hub last set, so a pass that changes nothing writes nothing.
    alarm_at: Cell<Option<i64>>,
    /// When this instance last forgot old deliveries.
    pruned_at: Cell<i64>,
}

impl DurableObject for WebhookHub {
    fn new(state: State, env: Env) -> Self {
        let hub = Hub {
            state,
            env,
            flying: RefCell::default(),
            tickets: RefCell::default(),
            per_endpoint: RefCell::default(),
            pumping: Cell::new(false),
            look_again: Cell::new(false),
            alarm_at: Cell::new(None),
            pruned_at: Cell::new(0),
        };
        Self { this: Rc::new(hub) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let this = self.this.clone();
        let answer = this.handle(&mut req).await;
        this.state.wait_until(this.clone().pump());
        let response = answer.unwrap_or_else(AppError::into_response);
        with_headers(response, &[])
    }

    /// A delivery is due, or an attempt cut off by a restart is to be made again.
    async fn alarm(&self) -> Result<Response> {
        self.this.alarm_at.set(None); // spent: the pass sets the next one
        self.this.clone().pump().await;
        Response::empty()
    }
}

impl Hub {
    fn stored(&self) -> AppResult<Stored> {
        Stored::open(self.state.storage())
    }

    fn speedup(&self) -> u32 {
        number_var(&self.env, SPEEDUP_VAR).and_then(|n| u32::try_from(n).ok()).unwrap_or(1)
    }

    fn timeout_ms(&self) -> i64 {
        number_var(&self.env, TIMEOUT_VAR).unwrap_or(webhook::TIMEOUT_MS).min(webhook::TIMEOUT_MS)
    }

    async fn handle(&self, req: &mut Request) -> AppResult<Response> {
        let path = req.path();
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let method = req.method();
        let body = req.bytes().await.unwrap_or_default();
        let now = now();
        let stored = self.stored()?;
        match (segments.as_slice(), method) {
            (["accept"], Method::Post) => {
                let messages: Vec<Message> =
                    serde_json::from_slice(&body).map_err(|e| AppError::Internal(format!("bad hand-off: {e}")))?;
                stored.accept(messages, None, now)?;
                if now.unix_ms() - self.pruned_at.get() > PRUNE_EVERY_MS {
                    self.pruned_at.set(now.unix_ms());
                    if let Err(err) = stored.prune(now.plus_days(-KEEP_DELIVERED_DAYS)) {
                        let _ = err.into_response(); // logged; what was handed off is stored all the same
                    }
                }
                Ok(Response::empty()?.with_status(204))
            }
            (["endpoints"], Method::Get) => {
                let endpoints = stored.endpoints()?.iter().map(|e| e.view(now)).collect::<AppResult<_>>()?;
                json(&EndpointList { endpoints }, 200)
            }
            (["endpoints"], Method::Post) => {
                let change = parse_json::<EndpointRequest>(&body)?.parse_new(allows_loopback(&self.env))?;
                let id = format!("ep_{}", auth::hex(&auth::random_bytes::<8>()?));
                let secret = sign::new_secret()?;
                let url = change.url.as_ref().map(EndpointUrl::as_str).unwrap_or_default();
                let filter = change.filter.unwrap_or(Filter::ALL);
                let description = change.description.as_ref().map(|d| d.as_str()).unwrap_or_default();
                let enabled = change.enabled.unwrap_or(true);
                stored.insert_endpoint(
                    &NewEndpoint { id: &id, url, description, filter: &filter, enabled, secret: &secret },
                    now,
                )?;
                json(&EndpointCreated { endpoint: stored.endpoint(&id)?.view(now)?, secret }, 201)
            }
            (["endpoints", id], Method::Get) => json(&stored.endpoint(id)?.view(now)?, 200),
            (["endpoints", id], Method::Patch) => {
                let change = parse_json::<EndpointRequest>(&body)?.parse(allows_loopback(&self.env))?;
                let mut endpoint = stored.endpoint(id)?;
                if let Some(url) = change.url {
                    endpoint.url = url.into();
                }
                if let Some(description) = change.description {
                    endpoint.description = description.into();
                }
                let filter = match change.filter {
                    Some(filter) => filter,
                    None => endpoint.filter()?,
                };
                let enabled = change.enabled.unwrap_or(endpoint.enabled());
                // Enabling it clears Mend's reason for disabling it; other
                // changes keep that reason in sight.
                let reason = if enabled { None } else { endpoint.disabled_reason.clone() };
                stored.save_endpoint(&endpoint, &filter, enabled, reason.as_deref())?;
                json(&stored.endpoint(id)?.view(now)?, 200)
            }
            (["endpoints", id], Method::Delete) => {
                stored.endpoint(id)?;
                stored.delete_endpoint(id)?;
                Ok(Response::empty()?.with_status(204))
            }
            (["endpoints", id, "secret"], Method::Post) => {
                let overlap = parse_optional::<RotateRequest>(&body)?.parse()?;
                let endpoint = stored.endpoint(id)?;
                let secret = sign::new_secret()?;
                let until = now.plus_millis(i64::from(overlap) * 1_000);
                stored.rotate(id, &secret, &endpoint.secret, until)?;
                json(&SecretRotated { secret, previous_secret_expires_at: (overlap > 0).then_some(until) }, 200)
            }
            (["endpoints", id, "test"], Method::Post) => {
                parse_optional::<crate::request::NoFields>(&body)?;
                let endpoint = enabled(stored.endpoint(id)?)?;
                let workspace = workspace_of(req)?;
                let message_id = format!("msg_test_{}", auth::hex(&auth::random_bytes::<12>()?));
                stored.accept(vec![body::test(message_id, &workspace, &endpoint.id, now)?], Some(id), now)?;
                let delivery = stored.deliveries(id, 1)?.into_iter().next();
                json(&delivery.ok_or(AppError::Internal("the test delivery was not stored".into()))?, 202)
            }
            (["endpoints", id, "deliveries"], Method::Get) => {
                stored.endpoint(id)?;
                json(&DeliveryList { deliveries: stored.deliveries(id, LISTED)? }, 200)
            }
            (["endpoints", id, "deliveries", delivery, "replay"], Method::Post) => {
                parse_optional::<crate::request::NoFields>(&body)?;
                enabled(stored.endpoint(id)?)?;
                let delivery = delivery.parse::<i64>().map_err(|_| AppError::NotFound(NO_DELIVERY))?;
                match stored.replay(id, Replay::One(delivery), now)? {
                    0 => Err(AppError::NotFound(NO_DELIVERY)),
                    replayed => json(&Replayed { replayed }, 202),
                }
            }
            (["endpoints", id, "replay"], Method::Post) => {
                let since = parse_json::<ReplayRequest>(&body)?.parse()?;
                enabled(stored.endpoint(id)?)?;
                json(&Replayed { replayed: stored.replay(id, Replay::FailedSince(since), now)? }, 202)
            }
            _ => Err(AppError::NotFound("There is nothing at this address.")),
        }
    }

    /// Starts an attempt for every due delivery that may go now, then sets
    /// the alarm for the next. One pass runs at a time; a call while one
    /// runs asks it to look again.
    async fn pump(self: Rc<Self>) {
        if self.pumping.replace(true) {
            self.look_again.set(true);
            return;
        }
        loop {
            self.look_again.set(false);
            if let Err(err) = self.start_due() {
                let _ = err.into_response(); // logged; the alarm tries again
                break;
            }
            if !self.look_again.get() {
                break;
            }
        }
        self.pumping.set(false);
        if let Err(err) = self.schedule().await {
            let _ = err.into_response();
        }
    }

    fn start_due(self: &Rc<Self>) -> AppResult<()> {
        let stored = self.stored()?;
        let now = now();
        for endpoint in stored.endpoints()?.into_iter().filter(Endpoint::enabled) {
            let mut room =
                PER_ENDPOINT.saturating_sub(self.per_endpoint.borrow().get(&endpoint.id).copied().unwrap_or(0));
            if room == 0 {
                continue;
            }
            let mut seen = HashSet::new();
            for due in stored.due_to(&endpoint.id, now, LOOK_AT)? {
                let ticket = (endpoint.id.clone(), due.ticket_id.clone().unwrap_or_else(|| due.message_id.clone()));
                // One ticket's events go one after another, oldest first.
                if !seen.insert(ticket.clone()) || self.tickets.borrow().contains(&ticket) {
                    continue;
                }
                if self.flying.borrow().contains(&due.id) {
                    continue;
                }
                stored.lease(due.id, now.plus_millis(self.timeout_ms() + LEASE_GRACE_MS))?;
                let body = stored.body(&due.message_id)?;
                self.flying.borrow_mut().insert(due.id);
                self.tickets.borrow_mut().insert(ticket.clone());
                *self.per_endpoint.borrow_mut().entry(endpoint.id.clone()).or_default() += 1;
                self.state.wait_until(self.clone().attempt(due, body, endpoint.clone(), ticket));
                room -= 1;
                if room == 0 {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Makes one attempt, records it, and looks for more work.
    async fn attempt(self: Rc<Self>, due: Due, body: String, endpoint: Endpoint, ticket: (String, String)) {
        let now = now();
        let sent = match EndpointUrl::parse(&endpoint.url, allows_loopback(&self.env)) {
            Err(err) => send::refused(&format!("not sent: {err}"), now),
            Ok(_) => {
                let previous = endpoint.previous();
                let secrets: Vec<&str> =
                    webhook::signing(&endpoint.secret, previous, now).into_iter().map(String::as_str).collect();
                let timestamp = now.unix_ms().div_euclid(1_000);
                match sign::signature(&secrets, &due.message_id, timestamp, &body) {
                    Ok(signature) => {
                        send::post(&endpoint.url, &due.message_id, timestamp, &signature, &body, self.timeout_ms())
                            .await
                    }
                    Err(err) => send::refused(&format!("not signed: {err:?}"), now),
                }
            }
        };
        if let Err(err) = self.settle(&due, &endpoint, sent) {
            let _ = err.into_response(); // the lease runs out and the alarm tries again
        }
        self.flying.borrow_mut().remove(&due.id);
        self.tickets.borrow_mut().remove(&ticket);
        if let Some(count) = self.per_endpoint.borrow_mut().get_mut(&endpoint.id) {
            *count = count.saturating_sub(1);
        }
        self.clone().pump().await;
    }

    /// Records what an attempt found, and what it means for its endpoint.
    fn settle(&self, due: &Due, endpoint: &Endpoint, sent: send::Sent) -> AppResult<()> {
        let stored = self.stored()?;
        let outcome = &sent.outcome;
        let at = outcome.at;
        match Verdict::of(outcome.status) {
            Verdict::Delivered => {
                stored.record(due.id, outcome, webhook::DeliveryStatus::Delivered, None)?;
                stored.health(&endpoint.id, true, at)?;
            }
            Verdict::Gone => {
                stored.record(due.id, outcome, webhook::DeliveryStatus::Failed, None)?;
                let reason = format!(
                    "The endpoint answered 410 Gone at {at}, so Mend stopped sending to it. Enable it again once it receives."
                );
                stored.save_endpoint(endpoint, &endpoint.filter()?, false, Some(&reason))?;
            }
            Verdict::Retry { honour_retry_after } => {
                let round = (due.attempts + 1).saturating_sub(due.round_start);
                let jitter = f64::from(auth::random_bytes::<1>()?[0]) / 255.0;
                let retry_after = sent.retry_after_ms.filter(|_| honour_retry_after);
                let next =
                    webhook::retry_wait(round, jitter, self.speedup(), retry_after).map(|wait| at.plus_millis(wait));
                let status =
                    if next.is_some() { webhook::DeliveryStatus::Pending } else { webhook::DeliveryStatus::Failed };
                stored.record(due.id, outcome, status, next)?;
                stored.health(&endpoint.id, false, at)?;
                let since = endpoint.failing_since().unwrap_or(at);
                if webhook::gives_up(since, at, self.speedup()) {
                    let last = outcome.status.map_or("no answer".to_owned(), |status| format!("HTTP {status}"));
                    let reason = format!(
                        "Every attempt since {since} failed (the last: {last}), so Mend disabled the endpoint after five days. \
                         Enable it again once it receives, then replay what failed."
                    );
                    stored.save_endpoint(endpoint, &endpoint.filter()?, false, Some(&reason))?;
                }
            }
        }
        Ok(())
    }

    /// Sets the alarm for the next due delivery, or clears it; nothing
    /// when it is already set so.
    async fn schedule(&self) -> AppResult<()> {
        let next = self.stored()?.next_due()?.map(|at| at.unix_ms());
        if next == self.alarm_at.get() {
            return Ok(());
        }
        let storage = self.state.storage();
        match next {
            Some(at) => storage.set_alarm((at - now().unix_ms()).max(0)).await?,
            None => storage.delete_alarm().await?,
        }
        self.alarm_at.set(next);
        Ok(())
    }
}

const NO_DELIVERY: &str = "This endpoint has no delivery with this id.";

/// `endpoint`, if it is enabled: a disabled one is sent nothing.
fn enabled(endpoint: Endpoint) -> AppResult<Endpoint> {
    if endpoint.enabled() {
        Ok(endpoint)
    } else {
        Err(AppError::Conflict("This endpoint is disabled: enable it first, then send or replay.".into()))
    }
}

fn workspace_of(req: &Request) -> AppResult<WorkspaceId> {
    let named = req.headers().get(WORKSPACE_HEADER)?.unwrap_or_default();
    WorkspaceId::parse(&named).map_err(|e| AppError::Internal(format!("webhook hub call without a workspace: {e}")))
}

/// A body that may be left out: `T`'s defaults then.
fn parse_optional<T: serde::de::DeserializeOwned + serde::Serialize + Default>(body: &[u8]) -> AppResult<T> {
    if body.is_empty() { Ok(T::default()) } else { parse_json(body) }
}

fn json<T: serde::Serialize>(value: &T, status: u16) -> AppResult<Response> {
    crate::request::json(value, status)
}
