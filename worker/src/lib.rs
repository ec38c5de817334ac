//! `mend-worker`: Mend's edge service, a Cloudflare Worker.
//!
//! Static assets (`public/`) are answered before this code runs. What
//! reaches it is the API under `/v1/`, the widget frame at `/w/{workspace}`
//! and the public scorecard at `/r/{workspace}` ([`pages`]). [`routes`]
//! holds the route table and its handlers, over one [`ask::Ask`] per
//! request (who asks, from which site, its `Idempotency-Key` in
//! [`idempotency`], its rate limits in [`rate_limit`], its body read by
//! [`request`]). Every ticket change goes to that ticket's Durable Object
//! ([`ticket_object`]), which keeps the ticket's log and its outbox,
//! projects each event into D1 and tells its workspace's live queue
//! ([`queue_hub`]). [`store`] is the only module that touches D1.

mod ask;
mod auth;
mod error;
mod idempotency;
mod identity;
mod mail;
mod object_sql;
mod pages;
mod queue_hub;
mod rate_limit;
mod request;
mod routes;
mod scorecard;
mod sockets;
mod store;
mod ticket_object;
mod timing;
mod webhooks;

use mend_core::clock::Timestamp;
use worker::{Context, Env, Headers, Request, Response, Result, event};

pub use queue_hub::QueueHub;
pub use ticket_object::TicketObject;
pub use webhooks::WebhookHub;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    routes::handle(req, env, ctx).await
}

/// Headers a ticket's object answers the worker with, which never leave Mend.
const INTERNAL_HEADERS: [&str; 2] = [timing::OBJECT_D1, ticket_object::ORIGIN_VERDICT];

/// `response` with `extra` headers set (`Vary` and `Set-Cookie` added to,
/// the rest replaced), and without a ticket object's internal headers
/// ([`INTERNAL_HEADERS`]). Answers passed on from a Durable Object have
/// immutable headers, so they are copied.
pub(crate) fn with_headers(response: Response, extra: &[(&str, String)]) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        if !INTERNAL_HEADERS.iter().any(|internal| name.eq_ignore_ascii_case(internal)) {
            headers.append(&name, &value)?;
        }
    }
    for (name, value) in extra {
        if name.eq_ignore_ascii_case("Vary") || name.eq_ignore_ascii_case("Set-Cookie") {
            headers.append(name, value)?;
        } else {
            headers.set(name, value)?;
        }
    }
    Ok(response.with_headers(headers))
}

/// `now`, as the core needs it, from the runtime's clock.
pub(crate) fn now() -> Timestamp {
    // Date.now() is a millisecond count well inside the years 1..9999.
    Timestamp::from_unix_ms(worker::Date::now().as_millis() as i64).unwrap_or(Timestamp::EPOCH)
}
