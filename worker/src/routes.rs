//! The route table and its handlers: each parses, authenticates, asks the
//! core or the ticket's object, and answers. Routing is one `match` on
//! method and path segments so the whole surface (documented in
//! `openapi.json`) reads at a glance; what every request shares — the
//! credential, the browser site it came from — lives in [`Ask`], reading
//! bodies in [`crate::request`], `Idempotency-Key` in
//! [`crate::idempotency`], rate limits in [`crate::rate_limit`], and the
//! HTML pages in [`crate::pages`].

use mend_core::changes::{ChangeList, ChangeNote, PublishRequest, PublishedChange};
use mend_core::input::{ContactEmail, Field, InputError, Problem, TicketId, WorkspaceId};
use mend_core::proactive::{ProactiveReportCreated, ProactiveReportRequest};
use mend_core::record::{self, Period, RecoveryRecord};
use mend_core::reference::Reference;
use mend_core::ticket::{self, Ticket};
use mend_core::wire::{
    CommandRequest, CompanyVoice, CustomerTickets, EmailsRequest, IdentityKeyCreated, KeyCreated, KeyInfo, KeyList,
    KeyRequest, NewWorkspaceRequest, QueueFilter, QueuePage, RecordView, ReportCreated, ReportRequest, SessionView,
    SettingsPatch, TicketView, WidgetConfig, WorkspaceView,
};
use mend_core::workspace::{Role, Settings};
use worker::{Context, Env, Headers, Method, Request, Response};

use crate::ask::{self, Ask, EXPOSED_HEADERS};
use crate::auth::{self, Credential};
use crate::error::{AppError, AppResult};
use crate::pages::{self, Unsubscribe};
use crate::request::{
    NoFields, answer, json, parse_json, query, read_body, read_optional_body, since, websocket_handshake,
};
use crate::ticket_object::{self, Call, Caller};
use crate::{now, queue_hub, store, webhooks, with_headers};

/// The OpenAPI 3.1 document of everything under `/v1`.
const OPENAPI: &str = include_str!("openapi.json");

/// Answers one request. Errors become their JSON answer here; every answer
/// is marked uncacheable unless it says otherwise (the pages do) and says
/// where its time went (`Server-Timing`), and a `/v1` answer carries CORS
/// headers when a browser on an allowed site asked.
pub async fn handle(mut req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let path = req.path();
    let api = path.starts_with("/v1/");
    let ask = match Ask::new(&req, env, ctx) {
        Ok(ask) => ask,
        Err(err) => return Ok(err.into_response()),
    };
    let response = route(&ask, &mut req, &path).await.unwrap_or_else(AppError::into_response);
    if response.status_code() == 101 {
        return Ok(response);
    }
    let mut extra = Vec::new();
    if response.headers().get("Cache-Control")?.is_none() {
        // API answers carry tokens and customers' words: no cache may keep them.
        extra.push(("Cache-Control", "no-store".to_owned()));
    }
    if api && let Some(origin) = ask.cors_origin().await {
        extra.push(("Access-Control-Allow-Origin", origin));
        extra.push(("Access-Control-Expose-Headers", EXPOSED_HEADERS.to_owned()));
        extra.push(("Vary", "Origin".to_owned()));
    }
    // Last, so that it counts everything the answer took.
    extra.push(("Server-Timing", ask.timing.header()));
    with_headers(response, &extra)
}

async fn route(ask: &Ask, req: &mut Request, path: &str) -> AppResult<Response> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    // The method as sent: workers-rs reads a method it has no name for
    // (QUERY, PROPFIND…) as GET, and those must be refused, not served.
    // HEAD is answered as GET; the runtime drops the body.
    let method = match req.inner().method().as_str() {
        "GET" | "HEAD" => Some(Method::Get),
        "POST" => Some(Method::Post),
        "PATCH" => Some(Method::Patch),
        "PUT" => Some(Method::Put),
        "DELETE" => Some(Method::Delete),
        "OPTIONS" => Some(Method::Options),
        _ => None,
    };
    let Some(method) = method else { return refuse_method(&segments) };
    match (segments.as_slice(), method) {
        (["v1", ..], Method::Options) => ask::preflight(ask).await,
        (["v1", "health"], Method::Get) => json(&serde_json::json!({"status": "ok"}), 200),
        (["v1", "openapi.json"], Method::Get) => openapi(),
        (["v1", "reports"], Method::Post) => create_report(ask, req).await,
        (["v1", "proactive-reports"], Method::Post) => create_proactive_report(ask, req).await,
        (["v1", "tickets", id], Method::Get) => view_ticket(ask, id).await,
        (["v1", "tickets", id, "commands"], Method::Post) => run_command(ask, req, id).await,
        (["v1", "tickets", id, "events"], Method::Get) => events(ask, req, id).await,
        (["v1", "tickets", id, "live"], Method::Get) => live(ask, req, id).await,
        (["v1", "tickets", id, "emails"], Method::Put) => set_emails(ask, req, id).await,
        (["v1", "unsubscribe", _, _], Method::Get) => pages::unsubscribe_page(Unsubscribe::Ask, 200),
        (["v1", "unsubscribe", id, token], Method::Post) => unsubscribe(ask, req, id, token).await,
        (["v1", "customers", "me", "tickets"], Method::Get) => my_tickets(ask).await,
        (["v1", "queue"], Method::Get) => queue(ask, req).await,
        (["v1", "queue", "live"], Method::Get) => queue_live(ask, req).await,
        (["v1", "session"], Method::Get) => get_session(ask).await,
        (["v1", "session"], Method::Post) => start_session(ask, req).await,
        (["v1", "session"], Method::Delete) => end_session(ask).await,
        (["v1", "workspaces"], Method::Post) => create_workspace(ask, req).await,
        (["v1", "workspaces", ws], Method::Get) => get_workspace(ask, ws).await,
        (["v1", "workspaces", ws], Method::Patch) => update_workspace(ask, req, ws).await,
        (["v1", "workspaces", ws, "widget-config"], Method::Get) => widget_config(ask, ws).await,
        (["v1", "workspaces", ws, "record"], Method::Get) => workspace_record(ask, req, ws).await,
        (["v1", "workspaces", ws, "keys"], Method::Get) => list_keys(ask, ws).await,
        (["v1", "workspaces", ws, "keys"], Method::Post) => create_key(ask, req, ws).await,
        (["v1", "workspaces", ws, "keys", key], Method::Delete) => revoke_key(ask, ws, key).await,
        (["v1", "workspaces", ws, "changes"], Method::Get) => list_changes(ask, ws).await,
        (["v1", "workspaces", ws, "changes"], Method::Post) => publish_change(ask, req, ws).await,
        (["v1", "workspaces", ws, "changes", ticket], Method::Delete) => withdraw_change(ask, ws, ticket).await,
        (["v1", "workspaces", ws, "identity-keys"], Method::Post) => create_identity_key(ask, req, ws).await,
        (["v1", "workspaces", ws, "identity-keys", kid], Method::Delete) => delete_identity_key(ask, ws, kid).await,
        (["v1", "workspaces", ws, "webhooks", rest @ ..], method) if webhook_route(rest, &method) => {
            manage_webhooks(ask, req, ws, rest, method).await
        }
        (["w", ws], Method::Get) => pages::frame(ask, req, ws).await,
        (["r", ws], Method::Get) => pages::public_record(ask, req, ws).await,
        (segments, _) => refuse_method(segments),
    }
}

/// The answer to a method an address does not take: 405 with what it
/// takes, or 404 where Mend has no such address.
fn refuse_method(segments: &[&str]) -> AppResult<Response> {
    match allowed_methods(segments) {
        Some(allow) => Err(AppError::MethodNotAllowed { allow }),
        None => Err(AppError::NotFound("There is nothing at this address.")),
    }
}

/// The methods an address answers, for a 405's `Allow`; `None` if it is no address of Mend's.
fn allowed_methods(segments: &[&str]) -> Option<&'static str> {
    Some(match segments {
        ["v1", "health" | "openapi.json" | "queue"] => "GET",
        ["v1", "tickets", _] | ["v1", "tickets", _, "events" | "live"] => "GET",
        ["v1", "customers", "me", "tickets"] | ["v1", "workspaces", _, "widget-config" | "record"] => "GET",
        ["v1", "queue", "live"] | ["w", _] | ["r", _] => "GET",
        ["v1", "reports" | "proactive-reports" | "workspaces"] | ["v1", "tickets", _, "commands"] => "POST",
        ["v1", "tickets", _, "emails"] => "PUT",
        ["v1", "unsubscribe", _, _] => "GET, POST",
        ["v1", "workspaces", _, "identity-keys"] => "POST",
        ["v1", "session"] => "GET, POST, DELETE",
        ["v1", "workspaces", _] => "GET, PATCH",
        ["v1", "workspaces", _, "keys" | "changes"] => "GET, POST",
        ["v1", "workspaces", _, "changes", _] => "DELETE",
        ["v1", "workspaces", _, "keys" | "identity-keys", _] => "DELETE",
        ["v1", "workspaces", _, "webhooks"] => "GET, POST",
        ["v1", "workspaces", _, "webhooks", _] => "GET, PATCH, DELETE",
        ["v1", "workspaces", _, "webhooks", _, "deliveries"] => "GET",
        ["v1", "workspaces", _, "webhooks", _, "secret" | "test" | "replay"] => "POST",
        ["v1", "workspaces", _, "webhooks", _, "deliveries", _, "replay"] => "POST",
        _ => return None,
    })
}

/// `GET /v1/openapi.json`: this API, as OpenAPI 3.1.
fn openapi() -> AppResult<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    headers.set("Cache-Control", "public, max-age=60")?;
    Ok(Response::ok(OPENAPI)?.with_headers(headers))
}

/// `POST /v1/reports`: a customer reports a problem; the answer carries
/// their token, once. One D1 round trip (the workspace, the rate limits
/// and the `Idempotency-Key`, in one batch) and one call to the new
/// ticket's object, which D1 hears from after the answer.
async fn create_report(ask: &Ask, req: &mut Request) -> AppResult<Response> {
    let body = read_body(req).await?;
    let once = ask.once_for(&body)?;
    let request: ReportRequest = parse_json(&body)?;
    let (workspace_id, report) = request.parse()?;
    // Everything the report needs from D1 in one round trip, its
    // rate-limit hits included: a report refused further on (for its
    // site or its identity) still counts as an attempt.
    let limits = ask.report_limits(&workspace_id);
    // The customer's and the order's earlier tickets, found in the same round trip.
    let subject = request.identity.as_deref().and_then(crate::identity::claimed_subject);
    let repeat = store::RepeatOf {
        subject: subject.as_deref(),
        email: report.contact_email.as_ref().map(|email| email.as_str()),
        order: report.order_id.as_ref().map(|order| order.as_str()),
        since: now().plus_minutes(-ticket::REPEAT_WINDOW_DAYS * 24 * 60),
    };
    let (counters, window_start) = (limits.counters(), limits.window_start);
    let context =
        store::report_context(&ask.db, once.as_ref(), &workspace_id, &counters, window_start, &repeat, now()).await?;
    let report = async {
        let (settings, settings_version) = context.settings.ok_or(AppError::Validation(InputError::new(
            Field::Workspace,
            Problem::Malformed { expected: "a workspace that uses Mend" },
        )))?;
        ask.admit(&settings)?;
        let identity = match request.identity.as_deref().map(str::trim).filter(|jwt| !jwt.is_empty()) {
            Some(jwt) => Some(auth::verify_identity(jwt, context.identity_keys, &workspace_id)?),
            None => None,
        };
        if let Some(refusal) = limits.refusal(&context.hits) {
            return Err(refusal);
        }
        let mut report = report;
        if report.contact_email.is_none() {
            // An identified customer is kept posted at the address their company knows.
            report.contact_email =
                identity.as_ref().and_then(|i| i.email.as_deref()).and_then(|e| ContactEmail::parse(e).ok());
        }
        let (ticket_id, token) = (auth::new_ticket_id()?, auth::new_customer_token()?);
        let company = CompanyVoice { name: settings.name.to_string(), apology: settings.apology.to_string() };
        let number = context.number.ok_or(AppError::Internal(format!("workspace {workspace_id} took no number")))?;
        let now = now();
        let call = Call::Open {
            ticket_id: ticket_id.clone(),
            number,
            workspace: workspace_id.clone(),
            token_hash: auth::hash(&token),
            customer_subject: identity.map(|identity| identity.subject),
            events: vec![Ticket::open(report, settings.first_answer(now), now).linked_to(context.earlier)],
            key_id: None,
            settings: Box::new(settings),
            settings_version,
        };
        let ticket: TicketView = answer(ticket_object::call(&ask.env, &ask.timing, &ticket_id, &call).await?).await?;
        json(&ReportCreated { ticket, customer_token: token, company }, 201)
    };
    match (once, context.claim) {
        (Some(once), Some(claim)) => ask.as_claimed(once, claim, report).await,
        _ => report.await,
    }
}

/// `POST /v1/proactive-reports`: a rep or manager reports a problem the
/// company found before its customer did. The core decides the whole log
/// first (the report, its update, its make-good), so a refusal takes no
/// number; the customer's private link goes to them alone, by email.
async fn create_proactive_report(ask: &Ask, req: &mut Request) -> AppResult<Response> {
    let key = auth::staff(&ask.db, ask.credential.as_ref()).await?;
    let workspace = WorkspaceId::parse(&key.workspace_id).map_err(|e| AppError::Internal(e.to_string()))?;
    ask.admit_workspace(&workspace).await?;
    let body = read_body(req).await?;
    ask.once(&body, async {
        let proactive = parse_json::<ProactiveReportRequest>(&body)?.parse()?;
        let (settings, settings_version) = store::versioned_settings(&ask.db, &workspace)
            .await?
            .ok_or_else(|| AppError::Internal(format!("workspace {workspace} has a key but no settings")))?;
        let customer_subject = proactive.customer_subject.clone();
        let colleague = key.colleague(settings.rep_names)?;
        let context = ticket::Context::new(now(), &settings.policy).by(Some(&colleague));
        let mut events = proactive.events(key.role()?.actor(), &context)?;
        events.iter_mut().for_each(|event| event.signed = colleague.first_name.clone());
        let number = store::take_number(&ask.db, &workspace).await?;
        let ticket_id = auth::new_ticket_id()?;
        let call = Call::Open {
            ticket_id: ticket_id.clone(),
            number,
            workspace: workspace.clone(),
            // A token no one holds: each email's link carries its own.
            token_hash: auth::hash(auth::new_customer_token()?),
            customer_subject,
            events,
            key_id: Some(key.id().to_owned()),
            settings: Box::new(settings),
            settings_version,
        };
        let ticket: TicketView = answer(ticket_object::call(&ask.env, &ask.timing, &ticket_id, &call).await?).await?;
        json(&ProactiveReportCreated { ticket }, 201)
    })
    .await
}

/// Who is asking about ticket `id`; the ticket's object decides what that
/// grants. A workspace's reps and its identified customers may name a
/// ticket by its reference (`ACM-7KQ-3TF`) instead: one more D1 round trip.
async fn ticket_caller(ask: &Ask, id: &str) -> AppResult<(TicketId, Caller)> {
    let caller = auth::ticket_caller(&ask.db, &ask.env, ask.credential.as_ref()).await?;
    let workspace = match &caller {
        Caller::Staff { workspace, .. } | Caller::Identified { workspace, .. } => Some(workspace),
        Caller::Customer { .. } => None,
    };
    if let Some(workspace) = workspace
        && let Some(number) = Reference::number_in(workspace, id)
        && let Some(found) = store::ticket_numbered(&ask.db, workspace, number).await?
    {
        return Ok((found, caller));
    }
    let id = TicketId::parse(id).map_err(|_| AppError::NotFound("No ticket with this id or reference was found."))?;
    Ok((id, caller))
}

/// `GET /v1/tickets/{id}`: the ticket view, for its customer or its
/// workspace's reps (who also see what the one-voice reviewer flagged).
async fn view_ticket(ask: &Ask, id: &str) -> AppResult<Response> {
    let (id, caller) = ticket_caller(ask, id).await?;
    ask.object(&id, &Call::View { ticket_id: id.clone(), caller, origin: ask.foreign_origin.clone() }).await
}

/// `POST /v1/tickets/{id}/commands`: one command; the core decides whether
/// this actor may. The ticket's object keeps the `Idempotency-Key`'s answer
/// with the event, so a command touches D1 only to authenticate a rep.
async fn run_command(ask: &Ask, req: &mut Request, id: &str) -> AppResult<Response> {
    let (id, caller) = ticket_caller(ask, id).await?;
    let body = read_body(req).await?;
    let once = ask.once_for(&body)?;
    let command: CommandRequest = parse_json(&body)?;
    let call = Call::Command { ticket_id: id.clone(), caller, origin: ask.foreign_origin.clone(), command, once };
    ask.object(&id, &call).await
}

/// `GET /v1/tickets/{id}/events?since=N`: the events after `N`, for polling.
async fn events(ask: &Ask, req: &Request, id: &str) -> AppResult<Response> {
    let since = since(req)?;
    let (id, caller) = ticket_caller(ask, id).await?;
    ask.object(&id, &Call::Events { ticket_id: id.clone(), since, caller, origin: ask.foreign_origin.clone() }).await
}

/// `GET /v1/tickets/{id}/live?since=N`: a WebSocket that replays the events
/// after `N`, then streams new ones. Credentials come as the subprotocol
/// `mend.auth.<token>` beside `mend.v1`, never in the URL.
async fn live(ask: &Ask, req: &Request, id: &str) -> AppResult<Response> {
    websocket_handshake(req)?;
    let since = since(req)?;
    let (id, caller) = ticket_caller(ask, id).await?;
    let origin = ask.foreign_origin.as_deref();
    let response = ticket_object::live(&ask.env, &ask.timing, &id, since, &caller, origin, req).await?;
    ask.note_verdict(&response)?;
    Ok(response)
}

/// `PUT /v1/tickets/{id}/emails`: the customer turns emails about their
/// ticket on or off; answers the ticket view.
async fn set_emails(ask: &Ask, req: &mut Request, id: &str) -> AppResult<Response> {
    let (id, caller) = ticket_caller(ask, id).await?;
    let request: EmailsRequest = parse_json(&read_body(req).await?)?;
    let call = Call::SetEmails { ticket_id: id.clone(), caller, origin: ask.foreign_origin.clone(), on: request.on };
    ask.object(&id, &call).await
}

/// `POST /v1/unsubscribe/{id}/{token}`: an email's one-click unsubscribe
/// (RFC 8058: mail clients POST `List-Unsubscribe=One-Click`; the page at
/// the same address posts the same). Emails about the ticket stop at once;
/// a link made up or cut short changes nothing and says so. A browser
/// gets a page, anything else JSON.
async fn unsubscribe(ask: &Ask, req: &Request, id: &str, token: &str) -> AppResult<Response> {
    let wants_page = req.headers().get("Accept")?.is_some_and(|accept| accept.contains("text/html"));
    let forged = AppError::NotFound(ticket_object::UNSUBSCRIBE_REFUSED);
    let answer = match TicketId::parse(id) {
        Ok(id) => {
            let call = Call::Unsubscribe { ticket_id: id.clone(), token: token.to_owned() };
            ask.object(&id, &call).await
        }
        Err(_) => Err(forged),
    };
    match (wants_page, answer) {
        (true, Ok(response)) if response.status_code() == 200 => pages::unsubscribe_page(Unsubscribe::Done, 200),
        (true, Ok(response)) if response.status_code() == 404 => pages::unsubscribe_page(Unsubscribe::Forged, 404),
        (true, Err(AppError::NotFound(_))) => pages::unsubscribe_page(Unsubscribe::Forged, 404),
        (_, answer) => answer,
    }
}

/// `GET /v1/customers/me/tickets`: an identified customer's tickets, newest first.
async fn my_tickets(ask: &Ask) -> AppResult<Response> {
    // Only an identity token is taken here; a token that is one and does not hold is `invalid_identity`.
    let Some(Credential::Bearer(token)) = ask.credential.as_ref().filter(|c| c.is_identity_token()) else {
        return Err(AppError::Unauthenticated("This needs the customer's identity token as 'Authorization: Bearer'."));
    };
    let identity = auth::verified_identity(&ask.db, token, None).await?;
    ask.admit_workspace(&identity.workspace).await?;
    let tickets = store::customer_tickets(&ask.db, &identity.workspace, &identity.subject).await?;
    json(&CustomerTickets { tickets }, 200)
}

/// `GET /v1/queue?filter=…&owner=…`: the workspace's open tickets, most at
/// risk first; with `owner`, only those the colleague with that key id looks after.
async fn queue(ask: &Ask, req: &Request) -> AppResult<Response> {
    let key = auth::staff(&ask.db, ask.credential.as_ref()).await?;
    let filter = QueueFilter::parse(query(req, "filter")?.as_deref())?;
    let owner = query(req, "owner")?;
    let workspace = WorkspaceId::parse(&key.workspace_id).map_err(|e| AppError::Internal(e.to_string()))?;
    ask.admit_workspace(&workspace).await?;
    let now = now();
    let mut listed = Vec::new();
    for row in store::open_tickets(&ask.db, &workspace).await? {
        let (standing, item) = row.item(now, key.id())?;
        if filter.admits(&standing, key.id()) && owner.as_deref().is_none_or(|owner| standing.owned_by(owner)) {
            listed.push((standing.risk(now), item));
        }
    }
    listed.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.as_str().cmp(y.id.as_str())));
    json(&QueuePage { now, tickets: listed.into_iter().map(|(_, item)| item).collect() }, 200)
}

/// `GET /v1/queue/live`: a WebSocket that says `queue_changed` whenever a
/// ticket of the rep's workspace has a new event. Credentials come as the
/// subprotocol `mend.auth.<key>` beside `mend.v1`, or as the session cookie.
async fn queue_live(ask: &Ask, req: &Request) -> AppResult<Response> {
    websocket_handshake(req)?;
    let key = auth::staff(&ask.db, ask.credential.as_ref()).await?;
    let workspace = WorkspaceId::parse(&key.workspace_id).map_err(|e| AppError::Internal(e.to_string()))?;
    ask.admit_workspace(&workspace).await?;
    queue_hub::live(&ask.env, &workspace, req).await
}

/// The workspace at `ws`, for one of its reps or managers; a key of another
/// workspace learns nothing (404).
async fn staffed(ask: &Ask, ws: &str) -> AppResult<(WorkspaceId, Settings)> {
    let key = auth::staff(&ask.db, ask.credential.as_ref()).await?;
    if key.workspace_id != ws {
        return Err(AppError::NotFound("No such workspace."));
    }
    let (id, settings) = workspace(ask, ws).await?;
    ask.admit(&settings)?;
    Ok((id, settings))
}

/// The recovery record of workspace `id` over `period`, from the records
/// its tickets' objects keep.
pub(crate) async fn record_view(
    ask: &Ask,
    id: &WorkspaceId,
    settings: &Settings,
    period: Period,
) -> AppResult<RecordView> {
    let records = store::ticket_records(&ask.db, id, period).await?;
    let currency = settings.currency();
    let overall = RecoveryRecord::of(&records, currency);
    Ok(RecordView::new(period, currency, overall, record::weekly_over(&records, period, currency)))
}

/// The period a request asks for with `from` and `to`, the last 12 full weeks without them.
pub(crate) fn period(req: &Request) -> AppResult<Period> {
    let (from, to) = (query(req, "from")?, query(req, "to")?);
    Period::parse(from.as_deref(), to.as_deref(), now()).map_err(AppError::InvalidPeriod)
}

/// `GET /v1/workspaces/{ws}/record?from=…&to=…`: the recovery record over
/// the tickets reported in a period, overall and week by week.
async fn workspace_record(ask: &Ask, req: &Request, ws: &str) -> AppResult<Response> {
    let (id, settings) = staffed(ask, ws).await?;
    let period = period(req)?;
    json(&record_view(ask, &id, &settings, period).await?, 200)
}

/// `GET /v1/workspaces/{ws}/widget-config`: the public face of a workspace.
async fn widget_config(ask: &Ask, ws: &str) -> AppResult<Response> {
    let (id, settings) = workspace(ask, ws).await?;
    ask.admit(&settings)?;
    let response = json(&WidgetConfig::new(id, &settings), 200)?;
    with_headers(response, &[("Cache-Control", "public, max-age=60".into())]).map_err(AppError::from)
}

/// `POST /v1/session`: trades a rep or manager key for the console's
/// HttpOnly session cookie. A retry simply starts another session, so this
/// POST does not keep `Idempotency-Key` records.
async fn start_session(ask: &Ask, req: &mut Request) -> AppResult<Response> {
    let _ = read_optional_body(req).await?;
    let Some(credential @ Credential::Bearer(_)) = &ask.credential else {
        return Err(AppError::Unauthenticated("Sign in with a rep or manager key: 'Authorization: Bearer mend_rk_…'."));
    };
    let key = auth::staff(&ask.db, Some(credential)).await?;
    let (workspace, settings) = workspace(ask, &key.workspace_id).await?;
    ask.admit(&settings)?;
    let session = auth::random_token("mend_s_")?;
    let expires = now().plus_minutes(auth::SESSION_SECONDS / 60);
    store::insert_session(&ask.db, &auth::hash(&session), &key.key_hash, expires).await?;
    let cookie = format!(
        "{}={session}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
        auth::SESSION_COOKIE,
        auth::SESSION_SECONDS
    );
    let response = json(&session_view(ask, &key, workspace, &settings).await?, 200)?;
    with_headers(response, &[("Set-Cookie", cookie)]).map_err(AppError::from)
}

/// `GET /v1/session`: who is signed in (by session cookie or key), and what
/// the console needs of their workspace.
async fn get_session(ask: &Ask) -> AppResult<Response> {
    let key = auth::staff(&ask.db, ask.credential.as_ref()).await?;
    let (workspace, settings) = workspace(ask, &key.workspace_id).await?;
    ask.admit(&settings)?;
    json(&session_view(ask, &key, workspace, &settings).await?, 200)
}

/// What the console needs of the signed-in `key` and its workspace.
async fn session_view(
    ask: &Ask,
    key: &store::RepKey,
    workspace: WorkspaceId,
    settings: &Settings,
) -> AppResult<SessionView> {
    let colleagues = store::colleagues(&ask.db, &workspace, settings.rep_names).await?;
    let me = (key.id().to_owned(), key.label.clone());
    Ok(SessionView::new(workspace, key.role()?, me, colleagues, settings))
}

/// `DELETE /v1/session`: signs out; the cookie is cleared whatever it held.
async fn end_session(ask: &Ask) -> AppResult<Response> {
    if let Some(Credential::Session(session)) = &ask.credential {
        store::delete_session(&ask.db, &auth::hash(session), now()).await?;
    }
    let cookie = format!("{}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0", auth::SESSION_COOKIE);
    with_headers(Response::empty()?.with_status(204), &[("Set-Cookie", cookie)]).map_err(AppError::from)
}

/// `POST /v1/workspaces`: Mend's admin creates a workspace.
async fn create_workspace(ask: &Ask, req: &mut Request) -> AppResult<Response> {
    auth::admin(&ask.env, ask.credential.as_ref())?;
    let body = read_body(req).await?;
    ask.once(&body, async {
        let (id, settings) = parse_json::<NewWorkspaceRequest>(&body)?.parse()?;
        if !store::insert_workspace(&ask.db, &id, &settings, now()).await? {
            return Err(AppError::AlreadyExists("A workspace with this id exists already: choose another id."));
        }
        json(&WorkspaceView::new(id, &settings, Vec::new()), 201)
    })
    .await
}

/// The workspace at `ws`, with its settings; an unknown one is a 404.
pub(crate) async fn workspace(ask: &Ask, ws: &str) -> AppResult<(WorkspaceId, Settings)> {
    let id = WorkspaceId::parse(ws).map_err(|_| AppError::NotFound("No such workspace."))?;
    let settings = store::settings(&ask.db, &id).await?.ok_or(AppError::NotFound("No such workspace."))?;
    Ok((id, settings))
}

/// The workspace at `ws`, for its admin or one of its managers.
async fn managed(ask: &Ask, ws: &str) -> AppResult<(WorkspaceId, Settings)> {
    let id = WorkspaceId::parse(ws).map_err(|_| AppError::NotFound("No such workspace."))?;
    auth::workspace_manager(&ask.db, &ask.env, ask.credential.as_ref(), &id).await?;
    let (id, settings) = workspace(ask, ws).await?;
    ask.admit(&settings)?;
    Ok((id, settings))
}

async fn workspace_view(ask: &Ask, id: WorkspaceId, settings: &Settings, status: u16) -> AppResult<Response> {
    let keys = store::identity_keys(&ask.db, &id).await?;
    let keys = keys.iter().map(store::StoredIdentityKey::info).collect::<AppResult<Vec<_>>>()?;
    json(&WorkspaceView::new(id, settings, keys), status)
}

/// `GET /v1/workspaces/{ws}`: the settings, for the admin or a manager.
async fn get_workspace(ask: &Ask, ws: &str) -> AppResult<Response> {
    let (id, settings) = managed(ask, ws).await?;
    workspace_view(ask, id, &settings, 200).await
}

/// `PATCH /v1/workspaces/{ws}`: changes the settings it names.
async fn update_workspace(ask: &Ask, req: &mut Request, ws: &str) -> AppResult<Response> {
    let (id, settings) = managed(ask, ws).await?;
    let patch: SettingsPatch = parse_json(&read_body(req).await?)?;
    let settings = patch.apply(settings)?;
    store::save_settings(&ask.db, &id, &settings).await?;
    workspace_view(ask, id, &settings, 200).await
}

/// Whether `rest`, the path after `/v1/workspaces/{ws}/webhooks`, is an
/// address of the webhook API that takes `method`.
fn webhook_route(rest: &[&str], method: &Method) -> bool {
    matches!(
        (rest, method),
        ([], Method::Get | Method::Post)
            | ([_], Method::Get | Method::Patch | Method::Delete)
            | ([_, "deliveries"], Method::Get)
            | ([_, "secret" | "test" | "replay"], Method::Post)
            | ([_, "deliveries", _, "replay"], Method::Post)
    )
}

/// `/v1/workspaces/{ws}/webhooks…`: a manager's endpoints, their secrets,
/// deliveries and replays. The worker checks who asks and reads the body;
/// the workspace's `WebhookHub` keeps the endpoints and answers. A POST
/// goes through `Idempotency-Key`, so a retried one registers once.
async fn manage_webhooks(ask: &Ask, req: &mut Request, ws: &str, rest: &[&str], method: Method) -> AppResult<Response> {
    let (id, _) = managed(ask, ws).await?;
    let path =
        ["/endpoints".to_owned()].into_iter().chain(rest.iter().map(|part| format!("/{part}"))).collect::<String>();
    let body = match (&method, rest) {
        (Method::Post, [] | [_, "replay"]) | (Method::Patch, _) => read_body(req).await?,
        (Method::Post, _) => read_optional_body(req).await?,
        _ => Vec::new(),
    };
    if method == Method::Post {
        ask.once(&body, webhooks::manage(&ask.env, &id, method.clone(), &path, body.clone())).await
    } else {
        webhooks::manage(&ask.env, &id, method, &path, body).await
    }
}

/// `GET /v1/workspaces/{ws}/keys`: every key, never the keys themselves.
async fn list_keys(ask: &Ask, ws: &str) -> AppResult<Response> {
    let (id, _) = managed(ask, ws).await?;
    json(&KeyList { keys: store::keys(&ask.db, &id).await? }, 200)
}

/// `POST /v1/workspaces/{ws}/keys`: a new rep or manager key, shown once.
async fn create_key(ask: &Ask, req: &mut Request, ws: &str) -> AppResult<Response> {
    let (id, _) = managed(ask, ws).await?;
    let body = read_body(req).await?;
    ask.once(&body, async {
        let (role, label) = parse_json::<KeyRequest>(&body)?.parse()?;
        let key = auth::new_rep_key()?;
        let key_hash = auth::hash(&key);
        let info = KeyInfo {
            id: store::key_id(&key_hash).to_owned(),
            role,
            label: label.into(),
            created_at: now(),
            revoked_at: None,
        };
        store::insert_key(&ask.db, &id, &key_hash, &info).await?;
        let KeyInfo { id, role, label, created_at, revoked_at } = info;
        json(&KeyCreated { id, role, label, created_at, revoked_at, key }, 201)
    })
    .await
}

/// `DELETE /v1/workspaces/{ws}/keys/{key}`: revokes a key and ends its sessions.
async fn revoke_key(ask: &Ask, ws: &str, key: &str) -> AppResult<Response> {
    let (id, _) = managed(ask, ws).await?;
    if !store::revoke_key(&ask.db, &id, key, now()).await? {
        return Err(AppError::NotFound("This workspace has no key in force with this id."));
    }
    Ok(Response::empty()?.with_status(204))
}

/// `GET /v1/workspaces/{ws}/changes`: what the workspace published on its
/// scorecard, newest first, for its reps and managers.
async fn list_changes(ask: &Ask, ws: &str) -> AppResult<Response> {
    let (id, _) = staffed(ask, ws).await?;
    json(&ChangeList { changes: store::published_changes(&ask.db, &id, 1000).await? }, 200)
}

/// The manager behind the request's key or session, of workspace `ws`.
async fn workspace_manager_key(ask: &Ask, ws: &str) -> AppResult<(store::RepKey, WorkspaceId, Settings)> {
    let key = auth::staff(&ask.db, ask.credential.as_ref()).await?;
    if key.workspace_id != ws {
        return Err(AppError::NotFound("No such workspace."));
    }
    if key.role()? != Role::Manager {
        return Err(AppError::Forbidden("Only a manager publishes or withdraws what the company changed.".into()));
    }
    let (id, settings) = workspace(ask, ws).await?;
    ask.admit(&settings)?;
    Ok((key, id, settings))
}

/// `POST /v1/workspaces/{ws}/changes`: a manager publishes the prevention
/// note of one of the workspace's tickets on its scorecard — the last one
/// proposed, in the company's words, with its month.
async fn publish_change(ask: &Ask, req: &mut Request, ws: &str) -> AppResult<Response> {
    let (key, id, settings) = workspace_manager_key(ask, ws).await?;
    let body = read_body(req).await?;
    let request: PublishRequest = parse_json(&body)?;
    let ticket_id = TicketId::parse(&request.ticket_id)?;
    let caller = auth::staff_caller(&key)?;
    let call = Call::View { ticket_id: ticket_id.clone(), caller, origin: ask.foreign_origin.clone() };
    let response = ask.object(&ticket_id, &call).await?;
    if response.status_code() == 404 {
        return Err(AppError::NotFound("This workspace has no ticket with this id."));
    }
    let view: TicketView = answer(response).await?;
    let note = ChangeNote::of(&view.events, &settings.hours.time_zone).ok_or_else(|| {
        AppError::Conflict(
            "This ticket has no prevention note yet: propose a resolution that says what you changed, then publish it."
                .into(),
        )
    })?;
    let now = now();
    store::publish_change(&ask.db, &id, &ticket_id, &note, now).await?;
    json(&PublishedChange { ticket_id, note, published_at: now }, 201)
}

/// `DELETE /v1/workspaces/{ws}/changes/{ticket_id}`: a manager withdraws a published change.
async fn withdraw_change(ask: &Ask, ws: &str, ticket: &str) -> AppResult<Response> {
    let (_, id, _) = workspace_manager_key(ask, ws).await?;
    if !store::withdraw_change(&ask.db, &id, ticket).await? {
        return Err(AppError::NotFound("This workspace published no change for this ticket."));
    }
    Ok(Response::empty()?.with_status(204))
}

/// `POST /v1/workspaces/{ws}/identity-keys`: a new identity secret, shown once.
/// Older keys stay valid until deleted, so the company can rotate without a gap.
async fn create_identity_key(ask: &Ask, req: &mut Request, ws: &str) -> AppResult<Response> {
    let (id, _) = managed(ask, ws).await?;
    let body = read_optional_body(req).await?;
    ask.once(&body, async {
        if !body.is_empty() {
            parse_json::<NoFields>(&body)?;
        }
        let key =
            IdentityKeyCreated { kid: auth::new_kid()?, secret: auth::random_token("mend_is_")?, created_at: now() };
        store::insert_identity_key(&ask.db, &id, &key).await?;
        json(&key, 201)
    })
    .await
}

/// `DELETE /v1/workspaces/{ws}/identity-keys/{kid}`: tokens signed with it stop working.
async fn delete_identity_key(ask: &Ask, ws: &str, kid: &str) -> AppResult<Response> {
    let (id, _) = managed(ask, ws).await?;
    if !store::delete_identity_key(&ask.db, &id, kid).await? {
        return Err(AppError::NotFound("This workspace has no identity key with this id."));
    }
    Ok(Response::empty()?.with_status(204))
}
