//! HTTP glue: each handler parses, asks the core or the ticket's object,
//! and answers. Routing is one `match` on method and path segments so the
//! whole surface reads at a glance.

use mend_core::input::{Field, InputError, Problem, TicketId, WorkspaceId};
use mend_core::ticket::Actor;
use mend_core::wire::{CommandRequest, CompanyVoice, ReportCreated, ReportRequest, TicketView};
use serde::de::DeserializeOwned;
use worker::{Env, Headers, Method, Request, Response};

use crate::error::{AppError, AppResult};
use crate::ticket_object::{self, Call};
use crate::{auth, store};

/// The largest request body Mend reads.
pub const MAX_BODY: usize = 64 * 1024;

pub async fn handle(mut req: Request, env: Env) -> AppResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    // HEAD is answered as GET; the runtime drops the body.
    let method = match req.method() {
        Method::Head => Method::Get,
        other => other,
    };
    match (segments.as_slice(), method) {
        (["v1", "health"], Method::Get) => Ok(Response::from_json(&serde_json::json!({"status": "ok"}))?),
        (["v1", "reports"], Method::Post) => create_report(&mut req, &env).await,
        (["v1", "tickets", id], Method::Get) => view_ticket(&req, &env, id).await,
        (["v1", "tickets", id, "commands"], Method::Post) => run_command(&mut req, &env, id).await,
        (["v1", "tickets", id, "events"], Method::Get) => events(&req, &env, id).await,
        (["v1", "tickets", id, "live"], Method::Get) => live(&req, &env, id).await,
        (["w", workspace], Method::Get) => frame(&env, workspace).await,
        (["v1", "reports"] | ["v1", "tickets", _, "commands"], _) => Err(AppError::MethodNotAllowed { allow: "POST" }),
        (["v1", "health"] | ["v1", "tickets", _] | ["v1", "tickets", _, "events" | "live"] | ["w", _], _) => {
            Err(AppError::MethodNotAllowed { allow: "GET" })
        }
        _ => Err(AppError::NotFound("There is nothing at this address.")),
    }
}

/// `POST /v1/reports`: a customer reports a problem; the answer carries
/// their token, once.
async fn create_report(req: &mut Request, env: &Env) -> AppResult<Response> {
    let request: ReportRequest = read_json(req).await?;
    let (workspace_id, report) = request.parse()?;
    let db = store::db(env)?;
    let workspace = store::workspace(&db, &workspace_id).await?.ok_or(AppError::Validation(InputError::new(
        Field::Workspace,
        Problem::Malformed { expected: "a workspace that uses Mend" },
    )))?;
    let (ticket_id, token) = (auth::new_ticket_id()?, auth::new_customer_token()?);
    let call =
        Call::Open { ticket_id: ticket_id.clone(), workspace: workspace_id, token_hash: auth::hash(&token), report };
    let ticket: TicketView = answer(ticket_object::call(env, &ticket_id, &call).await?).await?;
    let company = CompanyVoice { name: workspace.name, apology: workspace.apology };
    Ok(Response::from_json(&ReportCreated { ticket, customer_token: token, company })?.with_status(201))
}

/// `GET /v1/tickets/{id}`: the ticket view, for its customer or its workspace's reps.
async fn view_ticket(req: &Request, env: &Env, id: &str) -> AppResult<Response> {
    let id = authorize(req, env, id).await?.0;
    ticket_object::call(env, &id, &Call::View { ticket_id: id.clone() }).await
}

/// `POST /v1/tickets/{id}/commands`: one command; the core decides whether this actor may.
async fn run_command(req: &mut Request, env: &Env, id: &str) -> AppResult<Response> {
    let (id, actor) = authorize(req, env, id).await?;
    let command: CommandRequest = read_json(req).await?;
    ticket_object::call(env, &id, &Call::Command { ticket_id: id.clone(), actor, command }).await
}

/// `GET /v1/tickets/{id}/events?since=N`: the events after `N`, for polling.
async fn events(req: &Request, env: &Env, id: &str) -> AppResult<Response> {
    let since = since(req)?;
    let id = authorize(req, env, id).await?.0;
    ticket_object::call(env, &id, &Call::Events { ticket_id: id.clone(), since }).await
}

/// `GET /v1/tickets/{id}/live?since=N`: a WebSocket that replays the events
/// after `N`, then streams new ones. Credentials come as the subprotocol
/// `mend.auth.<token>` beside `mend.v1`, never in the URL.
async fn live(req: &Request, env: &Env, id: &str) -> AppResult<Response> {
    if !req.headers().get("Upgrade")?.is_some_and(|v| v.eq_ignore_ascii_case("websocket")) {
        return Err(AppError::UpgradeRequired);
    }
    let since = since(req)?;
    let id = authorize(req, env, id).await?.0;
    ticket_object::live(env, &id, since, req).await
}

/// `GET /w/{workspace}`: the widget frame, embeddable only by the
/// workspace's own origins.
async fn frame(env: &Env, workspace: &str) -> AppResult<Response> {
    let id = WorkspaceId::parse(workspace).map_err(|_| AppError::NotFound("No such workspace."))?;
    let workspace = store::workspace(&store::db(env)?, &id).await?.ok_or(AppError::NotFound("No such workspace."))?;
    let ancestors: Vec<&str> = workspace.origins().filter(|origin| is_origin(origin)).collect();
    let policy = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self' {}",
        ancestors.join(" ")
    );
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Content-Security-Policy", policy.trim_end())?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    Ok(Response::ok(include_str!("frame.html"))?.with_headers(headers))
}

/// Whether `origin` is a bare `scheme://host[:port]`, safe to put in a header.
fn is_origin(origin: &str) -> bool {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':')
    })
}

async fn authorize(req: &Request, env: &Env, id: &str) -> AppResult<(TicketId, Actor)> {
    let id = TicketId::parse(id).map_err(|_| AppError::NotFound("No ticket with this id was found."))?;
    let actor = auth::actor_for_ticket(&store::db(env)?, req, &id).await?;
    Ok((id, actor))
}

fn since(req: &Request) -> AppResult<u64> {
    let url = req.url()?;
    match url.query_pairs().find(|(key, _)| key == "since") {
        None => Ok(0),
        Some((_, value)) => value.parse().map_err(|_| {
            AppError::Validation(InputError::new(Field::Since, Problem::Malformed { expected: "a whole number" }))
        }),
    }
}

/// Reads a JSON body of at most [`MAX_BODY`] bytes.
async fn read_json<T: DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !content_type.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")) {
        return Err(AppError::UnsupportedMediaType);
    }
    let declared = req.headers().get("Content-Length")?.and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(AppError::PayloadTooLarge { limit: MAX_BODY });
    }
    let body = req.bytes().await?;
    if body.len() > MAX_BODY {
        return Err(AppError::PayloadTooLarge { limit: MAX_BODY });
    }
    serde_json::from_slice(&body).map_err(|err| AppError::MalformedJson(err.to_string()))
}

/// Decodes a successful answer from a ticket's object.
async fn answer<T: DeserializeOwned>(mut response: Response) -> AppResult<T> {
    if response.status_code() >= 300 {
        return Err(AppError::Internal(format!("ticket object answered {}", response.status_code())));
    }
    response.json().await.map_err(AppError::from)
}
