//! One Durable Object per workspace: the live queue's hub.
//!
//! Reps' and managers' consoles hold a WebSocket here (`GET
//! /v1/queue/live`). Each ticket's object, after storing an event, tells
//! its workspace's hub, which sends every socket one
//! `{"type":"queue_changed","ticket_id":…,"seq":…}` ([`QueueChanged`]); the
//! console then reads the queue again. The hub keeps no state of its own
//! beyond its sockets, which hibernate between messages, so a quiet
//! workspace costs nothing. A message missed while a console reconnects is
//! covered by the console reading the queue when it connects.

use mend_core::input::WorkspaceId;
use mend_core::wire::QueueChanged;
use worker::{
    DurableObject, Env, Headers, Method, Request, RequestInit, Response, Result, State, WebSocketPair, durable_object,
};

use crate::error::{AppError, AppResult};
use crate::sockets;
use crate::store;

const INTERNAL_ORIGIN: &str = "https://queue.mend.internal";

fn stub(env: &Env, workspace: &WorkspaceId) -> AppResult<worker::Stub> {
    Ok(env.durable_object(store::QUEUES)?.id_from_name(workspace.as_str())?.get_stub()?)
}

/// Tells `workspace`'s hub that a ticket changed.
pub async fn notify(env: &Env, workspace: &WorkspaceId, change: &QueueChanged) -> AppResult<()> {
    let body = serde_json::to_string(change).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let request = Request::new_with_init(&format!("{INTERNAL_ORIGIN}/changed"), &init)?;
    let response = stub(env, workspace)?.fetch_with_request(request).await?;
    if response.status_code() >= 300 {
        return Err(AppError::Internal(format!("queue hub of {workspace} answered {}", response.status_code())));
    }
    Ok(())
}

/// Hands a WebSocket upgrade for `workspace`'s live queue to its hub.
pub async fn live(env: &Env, workspace: &WorkspaceId, req: &Request) -> AppResult<Response> {
    let request = sockets::upgrade(req, &format!("{INTERNAL_ORIGIN}/live"), Headers::new())?;
    Ok(stub(env, workspace)?.fetch_with_request(request).await?)
}

#[durable_object]
pub struct QueueHub {
    state: State,
}

impl DurableObject for QueueHub {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/live" => {
                let pair = WebSocketPair::new()?;
                self.state.accept_web_socket(&pair.server);
                sockets::answer(&req, pair.client)
            }
            "/changed" => {
                // Passed on as the ticket's object wrote it: one serialisation however many listen.
                let text = req.text().await?;
                for socket in self.state.get_websockets() {
                    // A closing socket's console reads the queue again when it reconnects.
                    let _ = socket.send_with_str(&text);
                }
                Ok(Response::empty()?.with_status(204))
            }
            _ => Ok(AppError::NotFound("There is nothing at this address.").into_response()),
        }
    }

    // Consoles only listen.
    sockets::listen_only!();
}
