//! One Durable Object per ticket: the keeper of its log, its single
//! writer, its live hub, and the dispatcher of what follows each event.
//!
//! Every change to a ticket goes through its object, one at a time: the
//! object checks who is asking (the worker has authenticated them; the
//! object knows whose ticket it is), asks `mend-core` to decide, gives the
//! event the next sequence number, and stores it in its own SQLite storage
//! ([`log`]) together with the work the event leaves behind (its outbox
//! rows). Only then is the event applied and sent to every open WebSocket.
//! So no event is broadcast that is not stored, no two events of a ticket
//! share a number, and no command waits on D1.
//!
//! After the answer has gone out, the [`outbox`] dispatcher projects the
//! event into D1 (the index the queue, listings and the recovery record
//! read) and tells the workspace's [`QueueHub`](crate::queue_hub). The
//! object's one alarm is the earlier of the promise's deadline — when it
//! fires with the promise unkept, the object records the system's
//! `promise_missed` — and the outbox's next retry.
//!
//! The object keeps the workspace settings it works with (the make-good
//! policy, the one-voice terms, whether reps sign, the sites that may call)
//! and reads them again from D1 only when they changed: a rep's or
//! manager's call carries the settings version read with their key, and a
//! browser on another site is checked against settings at most
//! [`SETTINGS_TTL_MS`] old.
//!
//! A ticket D1 held before objects kept their logs is copied from D1 into
//! its object on first touch, every event and finding as it was.
//!
//! The worker reaches the object with a [`Call`] (JSON over an internal
//! fetch); answers are the public wire types or the public error body, so
//! the worker passes them straight through.

mod log;
mod outbox;

use std::cell::Cell;
use std::rc::Rc;

use futures_util::lock::Mutex;
use mend_core::email;
use mend_core::input::{Field, InputError, KeyLabel, Problem, TicketId, WorkspaceId};
use mend_core::ticket::{Actor, Colleague, Command, Context, Event, FollowUpAnswer, Ticket};
use mend_core::wire::{CommandRequest, EmailsView, EventsPage, Review};
use mend_core::workspace::Settings;
use serde::{Deserialize, Serialize};
use worker::{
    DurableObject, Env, Headers, Method, Request, RequestInit, Response, Result, State, WebSocket, WebSocketPair,
    durable_object,
};

use self::log::{Appending, Kept, Log, Owner, Start, Stored};
use crate::auth::same_secret;
use crate::error::{AppError, AppResult};
use crate::sockets;
use crate::store::{self, Db, Once};
use crate::timing::{self, Timing};
use crate::{now, with_headers};

/// How old the settings may be that a browser on another site is checked
/// against: a site taken off a workspace's list is refused within this.
pub const SETTINGS_TTL_MS: i64 = 30_000;

/// What the worker asks of a ticket's object.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Call {
    /// Start the ticket's log with `events`, as the core decided them: the
    /// customer's report, or a proactive report by the company with what
    /// followed it (by the key `key_id`). `customer_subject` is the
    /// identified customer's `sub`, if there is one; `settings` are the
    /// workspace's, as the report read them; `number` the ticket's in the
    /// workspace, which its reference writes.
    Open {
        ticket_id: TicketId,
        number: u64,
        workspace: WorkspaceId,
        token_hash: String,
        customer_subject: Option<String>,
        events: Vec<Event>,
        key_id: Option<String>,
        settings: Box<Settings>,
        settings_version: u32,
    },
    /// The whole ticket view; for staff, what the reviewer flagged too.
    View { ticket_id: TicketId, caller: Caller, origin: Option<String> },
    /// The events after `since`.
    Events { ticket_id: TicketId, since: u64, caller: Caller, origin: Option<String> },
    /// A command, with the request's `Idempotency-Key`, if it had one.
    Command { ticket_id: TicketId, caller: Caller, origin: Option<String>, command: CommandRequest, once: Option<Once> },
    /// The customer turns emails about their ticket on or off.
    SetEmails { ticket_id: TicketId, caller: Caller, origin: Option<String>, on: bool },
    /// Someone followed an email's one-click unsubscribe link with `token`.
    Unsubscribe { ticket_id: TicketId, token: String },
}

/// Who the worker found is asking; the object decides what that grants on
/// its ticket. Anyone it grants nothing gets the same 404 as no ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Caller {
    /// Someone holding a customer token: its SHA-256.
    Customer { token_hash: String },
    /// An identified customer, their identity token verified by the worker.
    Identified { workspace: WorkspaceId, subject: String },
    /// A rep or manager of `workspace` (key or session), with the version
    /// of the workspace's settings read with their key.
    Staff { workspace: WorkspaceId, actor: Actor, key_id: String, label: String, settings_version: u32 },
}

/// The internal header an object answers with when it checked a browser's
/// site: `allowed` or `refused`. The worker reads it for CORS and never
/// passes it on.
pub const ORIGIN_VERDICT: &str = "Mend-Origin";
/// The internal header carrying a live socket's caller and site, as JSON.
const LIVE_CALLER: &str = "Mend-Caller";
const INTERNAL_ORIGIN: &str = "https://ticket.mend.internal";
/// Where objects that kept their ticket's id before they kept its log kept it.
const TICKET_KEY: &str = "ticket_id";
const NO_TICKET: &str = "No ticket with this id was found for these credentials.";
/// What an unsubscribe link that stops nothing is told.
pub const UNSUBSCRIBE_REFUSED: &str =
    "This link stops emails about no report: it may be cut short or made up. Nothing was changed.";
/// The tag of a customer's live socket: while one is open, Mend does not
/// email them. It is sent each event as the customer sees it.
const CUSTOMER_TAG: &str = "customer";
/// The tag of a rep's or manager's live socket, sent each event whole.
const STAFF_TAG: &str = "staff";
/// A test hook, never set in `wrangler.toml`: how long news waits for more
/// before it is emailed, instead of [`email::COALESCE_MS`].
const COALESCE_VAR: &str = "EMAIL_COALESCE_MS";
/// A test hook, never set in `wrangler.toml`: how long after "solved" Mend
/// asks whether the fix held, instead of the workspace's `follow_up_days`.
const FOLLOW_UP_VAR: &str = "FOLLOW_UP_AFTER_MS";

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

/// Hands a WebSocket upgrade for ticket `id` to its object, which checks
/// `caller` and `origin`, replays the events after `since` and then streams
/// new ones.
pub async fn live(
    env: &Env,
    timing: &Timing,
    id: &TicketId,
    since: u64,
    caller: &Caller,
    origin: Option<&str>,
    req: &Request,
) -> AppResult<Response> {
    let headers = Headers::new();
    let who = serde_json::to_string(&(caller, origin)).map_err(|e| AppError::Internal(e.to_string()))?;
    headers.set(LIVE_CALLER, &who)?;
    let request = sockets::upgrade(req, &format!("{INTERNAL_ORIGIN}/live?ticket={id}&since={since}"), headers)?;
    Ok(timing.object(stub(env, id)?.fetch_with_request(request)).await?)
}

#[durable_object]
pub struct TicketObject {
    this: Rc<Object>,
}

/// The object's state, shared with the dispatcher that runs after an answer.
pub(crate) struct Object {
    state: State,
    env: Env,
    /// The log, loaded from the object's storage on first use. The lock is
    /// held for a whole call, so calls on one ticket run one after another;
    /// the dispatcher holds it only to take a snapshot.
    log: Mutex<Option<Log>>,
    /// Whether a dispatcher is running, and whether it should look again.
    dispatching: Cell<bool>,
    look_again: Cell<bool>,
}

impl DurableObject for TicketObject {
    fn new(state: State, env: Env) -> Self {
        let this =
            Object { state, env, log: Mutex::new(None), dispatching: Cell::new(false), look_again: Cell::new(false) };
        Self { this: Rc::new(this) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let this = &self.this;
        let timing = Rc::new(Timing::start());
        let db = match store::db(&this.env, timing.clone()) {
            Ok(db) => db,
            Err(err) => return Ok(err.into_response()),
        };
        let verdict = Cell::new(None);
        let answer = if req.path() == "/live" {
            this.open_live(&db, &req, &verdict).await
        } else {
            // Read by serde_json, never as a JavaScript value: sequence
            // numbers are u64 and would lose their precision above 2^53.
            let call = req.text().await.map_err(AppError::from).and_then(|text| {
                serde_json::from_str::<Call>(&text)
                    .map_err(|err| AppError::Internal(format!("bad internal call: {err}")))
            });
            match call {
                Ok(call) => {
                    let writes = matches!(call, Call::Open { .. } | Call::Command { .. } | Call::SetEmails { .. });
                    let answer = this.handle(&db, call, &verdict).await;
                    if writes {
                        // The outbox is worked after the answer has gone out.
                        this.state.wait_until(this.clone().dispatch());
                    }
                    answer
                }
                Err(err) => Err(err),
            }
        };
        let response = answer.unwrap_or_else(AppError::into_response);
        if response.status_code() == 101 {
            return Ok(response);
        }
        let mut extra = vec![(timing::OBJECT_D1, timing.d1_report())];
        if let Some(allowed) = verdict.get() {
            extra.push((ORIGIN_VERDICT, if allowed { "allowed" } else { "refused" }.to_owned()));
        }
        with_headers(response, &extra)
    }

    /// The promise's or the follow-up's time has come, or the outbox has
    /// work to retry. A failure to record a missed promise or ask the
    /// follow-up is returned, so the runtime retries the alarm; the outbox
    /// sets its own retries.
    async fn alarm(&self) -> Result<Response> {
        let this = self.this.clone();
        if let Err(err) = this.record_missed_promise().await {
            let why = format!("{err:?}");
            let _ = err.into_response(); // logs it, as every error is logged
            return Err(worker::Error::RustError(format!("promise alarm failed: {why}")));
        }
        this.dispatch().await;
        Response::empty()
    }

    // Live clients only listen.
    sockets::listen_only!();
}

/// What a caller may act as on this ticket, and the workspace key behind
/// a rep or manager: its id and label.
struct Signer {
    actor: Actor,
    key: Option<(String, String)>,
}

impl Signer {
    /// An actor with no workspace key: the customer, or Mend itself.
    fn anonymous(actor: Actor) -> Self {
        Self { actor, key: None }
    }

    /// The rep or manager behind the key, as the log names them in a
    /// workspace that `signs_with_names` or not.
    fn colleague(&self, signs_with_names: bool) -> AppResult<Option<Colleague>> {
        let Some((key_id, label)) = &self.key else { return Ok(None) };
        let label = KeyLabel::parse(label).map_err(|e| AppError::Internal(format!("key {key_id}'s label: {e}")))?;
        Ok(Some(Colleague::new(key_id, label, signs_with_names)))
    }
}

impl Object {
    fn stored(&self) -> AppResult<Stored> {
        Ok(Stored::new(self.state.storage()))
    }

    async fn handle(&self, db: &Db, call: Call, verdict: &Cell<Option<bool>>) -> AppResult<Response> {
        let mut guard = self.log.lock().await;
        match call {
            Call::Open {
                ticket_id,
                number,
                workspace,
                token_hash,
                customer_subject,
                events,
                key_id,
                settings,
                settings_version,
            } => {
                let stored = self.stored()?;
                if stored.load()?.is_some() {
                    return Err(AppError::Internal(format!("ticket id {ticket_id} is taken")));
                }
                let now = now();
                let ticket = Ticket::from_events(&events).map_err(|e| AppError::Internal(format!("{e:?}")))?;
                let reviewer = settings.reviewer();
                let reviews = events.iter().flat_map(|event| Review::of(&reviewer, event)).collect();
                // The company's own report goes to the customer at once: no
                // widget of theirs can be watching a ticket they never saw.
                let mail_due = (ticket.found_first() && ticket.report().contact_email.is_some()).then_some(now);
                let log = Log {
                    id: ticket_id,
                    owner: Owner {
                        workspace,
                        token_hash,
                        customer_subject,
                        number: Some(number),
                        link_hashes: Vec::new(),
                        emails_on: true,
                    },
                    ticket,
                    events,
                    reviews,
                    last_key_id: key_id,
                    settings: Kept { settings: *settings, version: settings_version, read_at: now },
                };
                stored.create(&log, Start::Fresh { mail_due }, now)?;
                let log = guard.insert(log);
                // The ticket exists now: its customer must get the answer with
                // their token whatever happens to the alarm (logged; the
                // dispatcher, which runs next, sets it again).
                if let Err(err) = self.schedule_for(log).await {
                    let _ = err.into_response();
                }
                // A proactive report is answered to the rep who made it.
                json(&log.view(log.ticket.found_first()), 201)
            }
            Call::View { ticket_id, caller, origin } => {
                let log = self.load(db, &mut guard, &ticket_id).await?;
                let by = authorize(log, &caller)?;
                self.admit(db, log, &caller, origin.as_deref(), verdict).await?;
                json(&self.view(log, by.actor.is_company())?, 200)
            }
            Call::SetEmails { ticket_id, caller, origin, on } => {
                let log = self.load(db, &mut guard, &ticket_id).await?;
                let by = authorize(log, &caller)?;
                self.admit(db, log, &caller, origin.as_deref(), verdict).await?;
                if by.actor != Actor::Customer {
                    return Err(AppError::Forbidden("Only the customer decides whether Mend emails them.".into()));
                }
                if log.ticket.report().contact_email.is_none() {
                    return Err(AppError::Conflict(
                        "This report gave no email address, so there are no emails to turn on or off.".into(),
                    ));
                }
                self.stored()?.set_emails(on)?;
                log.owner.emails_on = on;
                json(&self.view(log, false)?, 200)
            }
            Call::Unsubscribe { ticket_id, token } => {
                const FORGED: &str = UNSUBSCRIBE_REFUSED;
                let stored = self.stored()?;
                let log = match self.load(db, &mut guard, &ticket_id).await {
                    Ok(log) => log,
                    Err(AppError::NotFound(_)) => return Err(AppError::NotFound(FORGED)),
                    Err(err) => return Err(err),
                };
                // Only a token an email carried stops anything.
                if !stored.unsubscribe_token()?.is_some_and(|kept| same_secret(&token, &kept)) {
                    return Err(AppError::NotFound(FORGED));
                }
                stored.set_emails(false)?;
                log.owner.emails_on = false;
                json(&EmailsView { on: false }, 200)
            }
            Call::Events { ticket_id, since, caller, origin } => {
                let log = self.load(db, &mut guard, &ticket_id).await?;
                let by = authorize(log, &caller)?;
                self.admit(db, log, &caller, origin.as_deref(), verdict).await?;
                let events = log.since(since).iter();
                let events = match by.actor.is_company() {
                    true => events.cloned().collect(),
                    false => events.map(Event::for_customer).collect(),
                };
                json(&EventsPage { events }, 200)
            }
            Call::Command { ticket_id, caller, origin, command, once } => {
                let log = self.load(db, &mut guard, &ticket_id).await?;
                let by = authorize(log, &caller)?;
                self.admit(db, log, &caller, origin.as_deref(), verdict).await?;
                let stored = self.stored()?;
                if let Some(once) = &once
                    && let Some(answer) = stored.answer(once, now())?
                {
                    if answer.fingerprint != once.fingerprint {
                        return Err(AppError::IdempotencyKeyReused);
                    }
                    return replay(answer.status, answer.body);
                }
                let result = match command.parse() {
                    Ok(command) => match colleague_named(db, log, command).await {
                        Ok(command) => match self.came_back(db, log, &by, &caller, command).await {
                            Ok(command) => self.commit(log, by, command, once.as_ref()).await,
                            Err(err) => Err(err),
                        },
                        Err(err) => Err(err),
                    },
                    Err(err) => Err(err.into()),
                };
                match result {
                    Ok(body) => ok_json(body, 200),
                    Err(err) => {
                        if let (Some(once), Some((status, body))) = (&once, err.kept()) {
                            stored.keep_answer(once, status, &body, now())?;
                        }
                        forget_on_failure(&mut guard, &err);
                        Err(err)
                    }
                }
            }
        }
    }

    /// Decides `command` with the core and stores the event with its outbox
    /// rows (and, for an `Idempotency-Key`, the answer); only then is it
    /// part of the ticket, shown to every live client, and the alarm set.
    /// Answers the ticket view as the actor sees it. Findings never stop a
    /// command: the rep was warned, and may know better.
    async fn commit(&self, log: &mut Log, by: Signer, command: Command, once: Option<&Once>) -> AppResult<String> {
        let actor = by.actor;
        let now = now();
        let settings = &log.settings.settings;
        let colleague = by.colleague(settings.rep_names)?;
        let context =
            Context::new(now, &settings.policy).by(colleague.as_ref()).following_up_after(self.follow_up_ms(settings));
        let mut event = log.ticket.decide(actor, command, &context)?;
        event.signed = colleague.and_then(|colleague| colleague.first_name);
        let reviews = Review::of(&settings.reviewer(), &event);
        let mut next = log.ticket.clone();
        next.apply(&event).map_err(|e| AppError::Internal(format!("{e:?}")))?;
        // Folded in before it is stored, to write the answer it is stored
        // with; taken back if storing fails.
        let before = std::mem::replace(&mut log.ticket, next);
        let kept_reviews = log.reviews.len();
        log.events.push(event.clone());
        log.reviews.extend(reviews.iter().cloned());
        let body = serde_json::to_string(&log.view(actor.is_company())).map_err(|e| AppError::Internal(e.to_string()));
        let stored = body.and_then(|body| {
            let appending = Appending {
                event: &event,
                reviews: &reviews,
                key_id: by.key.as_ref().map(|(key_id, _)| key_id.as_str()),
                answer: once.map(|once| (once, 200, body.as_str())),
                // News the customer watches arrive is theirs already, and
                // news while they turned emails off is not for email.
                mail_due: (email::is_news(&event) && log.owner.emails_on && !self.customer_watching())
                    .then(|| now.plus_millis(self.coalesce_ms())),
            };
            self.stored()?.append(&appending, now).map(|()| body)
        });
        let body = match stored {
            Ok(body) => body,
            Err(err) => {
                log.ticket = before;
                log.events.pop();
                log.reviews.truncate(kept_reviews);
                return Err(err);
            }
        };
        // Stored: now, and only now, it may be shown.
        if let Some((key_id, _)) = by.key {
            log.last_key_id = Some(key_id);
        }
        self.broadcast(&event);
        // The event is acknowledged whatever happens to the alarm: a
        // failure is logged, and the dispatcher sets it again.
        if let Err(err) = self.schedule_for(log).await {
            let _ = err.into_response();
        }
        Ok(body)
    }

    /// "It came back": opens the new ticket the customer's answer names,
    /// with what happened as its report, before the answer is recorded. An
    /// answer the core would refuse opens nothing; the new ticket opens to
    /// the credential the customer answered with (and their identity).
    async fn came_back(
        &self,
        db: &Db,
        log: &Log,
        by: &Signer,
        caller: &Caller,
        command: Command,
    ) -> AppResult<Command> {
        let Command::AnswerFollowUp(FollowUpAnswer::CameBack { what_happened, reopened_as: None }) = command else {
            return Ok(command);
        };
        let (settings, now) = (&log.settings.settings, now());
        let context = Context::new(now, &settings.policy).following_up_after(self.follow_up_ms(settings));
        let trial = FollowUpAnswer::CameBack { what_happened: what_happened.clone(), reopened_as: None };
        log.ticket.decide(by.actor, Command::AnswerFollowUp(trial), &context)?;
        let ticket_id = crate::auth::new_ticket_id()?;
        let token_hash = match caller {
            Caller::Customer { token_hash } => token_hash.clone(),
            _ => log.owner.token_hash.clone(),
        };
        let opened = log.ticket.came_back(log.id.clone(), what_happened.clone(), settings.first_answer(now), now);
        let open = Call::Open {
            ticket_id: ticket_id.clone(),
            number: store::take_number(db, &log.owner.workspace).await?,
            workspace: log.owner.workspace.clone(),
            token_hash,
            customer_subject: log.owner.customer_subject.clone(),
            events: vec![opened],
            key_id: None,
            settings: Box::new(settings.clone()),
            settings_version: log.settings.version,
        };
        let answer = call(&self.env, &Timing::start(), &ticket_id, &open).await?;
        if answer.status_code() != 201 {
            return Err(AppError::Internal(format!(
                "opening the ticket that came back answered {}",
                answer.status_code()
            )));
        }
        Ok(Command::AnswerFollowUp(FollowUpAnswer::CameBack { what_happened, reopened_as: Some(ticket_id) }))
    }

    /// Whether a widget of the ticket's customer is watching it live now.
    pub(crate) fn customer_watching(&self) -> bool {
        let open = worker::web_sys::WebSocket::OPEN;
        self.state.get_websockets_with_tag(CUSTOMER_TAG).iter().any(|ws| ws.as_ref().ready_state() == open)
    }

    /// How long after "solved" Mend asks whether the fix held: the
    /// workspace's days, or the test hook's milliseconds.
    fn follow_up_ms(&self, settings: &Settings) -> i64 {
        let set = self.env.var(FOLLOW_UP_VAR).ok().and_then(|value| value.to_string().parse::<i64>().ok());
        set.filter(|ms| *ms >= 0).unwrap_or_else(|| settings.follow_up_after_ms())
    }

    /// How long news waits for more before it is emailed.
    fn coalesce_ms(&self) -> i64 {
        let set = self.env.var(COALESCE_VAR).ok().and_then(|value| value.to_string().parse::<i64>().ok());
        set.filter(|ms| *ms >= 0).unwrap_or(email::COALESCE_MS)
    }

    /// The view of `log` for its customer, or for `staff` with what the
    /// reviewer flagged, whether the customer watches, and why an email
    /// could not be sent yet.
    fn view(&self, log: &Log, staff: bool) -> AppResult<mend_core::wire::TicketView> {
        let mut view = log.view(staff);
        if staff {
            view.customer_watching = self.customer_watching();
            view.email_trouble = self.stored()?.mail_trouble()?.map(|(attempts, error)| {
                format!(
                    "Emailing the customer failed {attempts} time(s) so far; Mend keeps trying. The last error: {error}"
                )
            });
        }
        Ok(view)
    }

    /// Reads the workspace's settings again when a rep's call says they
    /// changed, or when a browser on another site is to be checked against
    /// settings older than [`SETTINGS_TTL_MS`]; then lets the call on only
    /// if it comes from no other site or one the workspace lists.
    async fn admit(
        &self,
        db: &Db,
        log: &mut Log,
        caller: &Caller,
        origin: Option<&str>,
        verdict: &Cell<Option<bool>>,
    ) -> AppResult<()> {
        let changed =
            matches!(caller, Caller::Staff { settings_version, .. } if *settings_version != log.settings.version);
        let stale = origin.is_some() && now().millis_since(log.settings.read_at) > SETTINGS_TTL_MS;
        if changed || stale {
            let (settings, version) = store::versioned_settings(db, &log.owner.workspace)
                .await?
                .ok_or_else(|| AppError::Internal(format!("workspace {} vanished", log.owner.workspace)))?;
            log.settings = Kept { settings, version, read_at: now() };
            self.stored()?.keep_settings(&log.settings)?;
        }
        let Some(origin) = origin else { return Ok(()) };
        let allowed = log.settings.settings.allows(origin);
        verdict.set(Some(allowed));
        if allowed { Ok(()) } else { Err(AppError::OriginNotAllowed) }
    }

    /// Sets the alarm where the core says: the earliest of the promise's
    /// deadline, the follow-up's time and the outbox's next retry; or clears it.
    async fn schedule_for(&self, log: &Log) -> AppResult<()> {
        let storage = self.state.storage();
        match log.ticket.alarm_at(self.stored()?.next_due()?, self.follow_up_ms(&log.settings.settings)) {
            Some(at) => storage.set_alarm(at.millis_since(now()).max(0)).await?,
            None => storage.delete_alarm().await?,
        }
        Ok(())
    }

    /// [`Object::schedule_for`] the ticket this object keeps, if any.
    async fn schedule(&self) -> AppResult<()> {
        let guard = self.log.lock().await;
        match guard.as_ref() {
            Some(log) => self.schedule_for(log).await,
            None => Ok(()),
        }
    }

    /// Records what Mend itself does when its time comes: a missed promise,
    /// and the follow-up after "solved".
    async fn record_missed_promise(&self) -> AppResult<()> {
        let db = store::db(&self.env, Rc::new(Timing::start()))?;
        let mut guard = self.log.lock().await;
        let id = match self.stored()?.load()? {
            Some(log) => Some(log.id),
            // An object from before objects kept their logs kept only the id.
            None => {
                let kept: Option<String> = self.state.storage().get(TICKET_KEY).await.ok().flatten();
                kept.and_then(|id| TicketId::parse(&id).ok())
            }
        };
        let Some(id) = id else { return Ok(()) };
        let log = self.load(&db, &mut guard, &id).await?;
        for due in [Command::MarkPromiseMissed, Command::AskFollowUp] {
            let system = Signer::anonymous(Actor::System);
            match self.commit(log, system, due, None).await {
                // Not due (kept, paused, recorded or asked since the alarm was set): nothing to record.
                Err(AppError::Conflict(_)) | Ok(_) => {}
                Err(err) => {
                    forget_on_failure(&mut guard, &err);
                    return Err(err);
                }
            }
        }
        Ok(())
    }

    /// The log from memory, from the object's storage after it was evicted,
    /// or, for a ticket D1 held before objects kept logs, from D1 once.
    async fn load<'a>(&self, db: &Db, slot: &'a mut Option<Log>, id: &TicketId) -> AppResult<&'a mut Log> {
        if slot.is_none() {
            let stored = self.stored()?;
            let log = match stored.load()? {
                Some(log) => log,
                None => {
                    let log = self.import(db, id).await?;
                    stored.create(&log, Start::Copied, now())?;
                    log
                }
            };
            if log.id != *id {
                return Err(AppError::NotFound(NO_TICKET));
            }
            let mut log = log;
            if log.owner.number.is_none() {
                // A ticket from before references: D1 numbered it (once per object).
                log.owner.number = store::ticket_number(db, id).await?;
                if let Some(number) = log.owner.number {
                    stored.keep_number(number)?;
                }
            }
            *slot = Some(log);
        }
        slot.as_mut().ok_or(AppError::Internal("log vanished".into()))
    }

    /// A ticket as D1 holds it, and its workspace's settings: two round trips, once per old ticket.
    async fn import(&self, db: &Db, id: &TicketId) -> AppResult<Log> {
        let old = store::stored_ticket(db, id).await?.ok_or(AppError::NotFound(NO_TICKET))?;
        let workspace = WorkspaceId::parse(&old.workspace_id).map_err(|e| AppError::Internal(e.to_string()))?;
        let (settings, version) = store::versioned_settings(db, &workspace)
            .await?
            .ok_or_else(|| AppError::Internal(format!("workspace {workspace} of ticket {id} vanished")))?;
        let ticket =
            Ticket::from_events(&old.events).map_err(|e| AppError::Internal(format!("stored log of {id}: {e:?}")))?;
        Ok(Log {
            id: id.clone(),
            owner: Owner {
                workspace,
                token_hash: old.token_hash,
                customer_subject: old.customer_subject,
                number: old.number,
                link_hashes: Vec::new(),
                emails_on: true,
            },
            ticket,
            events: old.events,
            reviews: old.reviews,
            last_key_id: old.last_key_id,
            settings: Kept { settings, version, read_at: now() },
        })
    }

    async fn open_live(&self, db: &Db, req: &Request, verdict: &Cell<Option<bool>>) -> AppResult<Response> {
        let url = req.url()?;
        let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        let id = TicketId::parse(&param("ticket").unwrap_or_default())?;
        let since = param("since").and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        let who = req.headers().get(LIVE_CALLER)?.unwrap_or_default();
        let (caller, origin): (Caller, Option<String>) =
            serde_json::from_str(&who).map_err(|e| AppError::Internal(format!("live caller: {e}")))?;
        let mut guard = self.log.lock().await;
        let log = self.load(db, &mut guard, &id).await?;
        let by = authorize(log, &caller)?;
        self.admit(db, log, &caller, origin.as_deref(), verdict).await?;
        let pair = WebSocketPair::new()?;
        // Tagged, so the mailer knows a customer is watching, and each
        // audience is sent what it may see.
        let staff = by.actor.is_company();
        self.state.accept_websocket_with_tags(&pair.server, &[if staff { STAFF_TAG } else { CUSTOMER_TAG }]);
        // Holding the lock, the backlog and the live stream cannot miss or repeat an event.
        for event in log.since(since) {
            if staff { send(&pair.server, event) } else { send(&pair.server, &event.for_customer()) }
        }
        Ok(sockets::answer(req, pair.client)?)
    }

    /// Sends `event` to every live client: whole to the company's, as the
    /// customer sees it to the customer's; serialised once per audience
    /// however many watch.
    fn broadcast(&self, event: &Event) {
        for (tag, event) in [(STAFF_TAG, event), (CUSTOMER_TAG, &event.for_customer())] {
            let Ok(text) = serde_json::to_string(event) else { return };
            for socket in self.state.get_websockets_with_tag(tag) {
                // A socket that is closing will be replaced by a reconnect that resumes from its last seq.
                let _ = socket.send_with_str(&text);
            }
        }
    }
}

/// What `caller` may act as on the ticket `log` keeps, or the 404 of no ticket.
fn authorize(log: &Log, caller: &Caller) -> AppResult<Signer> {
    let owner = &log.owner;
    let customer = || Signer::anonymous(Actor::Customer);
    match caller {
        Caller::Customer { token_hash }
            if same_secret(token_hash, &owner.token_hash)
                || owner.link_hashes.iter().any(|link| same_secret(token_hash, link)) =>
        {
            Ok(customer())
        }
        Caller::Identified { workspace, subject }
            if *workspace == owner.workspace && owner.customer_subject.as_deref() == Some(subject.as_str()) =>
        {
            Ok(customer())
        }
        Caller::Staff { workspace, actor, key_id, label, .. } if *workspace == owner.workspace => {
            Ok(Signer { actor: *actor, key: Some((key_id.clone(), label.clone())) })
        }
        _ => Err(AppError::NotFound(NO_TICKET)),
    }
}

/// `command` with the colleague a handover names filled in from the key
/// id it gave: their key must be in force in the ticket's workspace.
async fn colleague_named(db: &Db, log: &Log, command: Command) -> AppResult<Command> {
    let Command::HandOver { to, note } = command else { return Ok(command) };
    let key_id = to.key_id.unwrap_or_default();
    let label = match store::is_key_id(&key_id) {
        true => store::colleague_label(db, &log.owner.workspace, &key_id).await?,
        false => None,
    };
    let Some(label) = label else {
        let expected = "the key id of a colleague in this workspace whose key is in force";
        return Err(InputError::new(Field::Colleague, Problem::Malformed { expected }).into());
    };
    Ok(Command::HandOver { to: Colleague::new(&key_id, label, log.settings.settings.rep_names), note })
}

/// After a failure of Mend's own, the stored log may differ from the one
/// in memory: drop it, so the next call reloads it from storage.
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

fn ok_json(body: String, status: u16) -> AppResult<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    Ok(Response::ok(body)?.with_status(status).with_headers(headers))
}

/// The answer kept for an `Idempotency-Key`, sent again.
fn replay(status: u16, body: String) -> AppResult<Response> {
    let response = ok_json(body, status)?;
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    headers.set("Idempotent-Replayed", "true")?;
    Ok(response.with_headers(headers))
}
