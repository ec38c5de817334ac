//! One request as every handler sees it ([`Ask`]): who is asking, the
//! browser site it came from and whether the workspace concerned lists it
//! (CORS), its `Idempotency-Key` (see [`crate::idempotency`]), the client's
//! address (see [`crate::rate_limit`]), and where its time goes.

use std::cell::Cell;
use std::rc::Rc;

use mend_core::input::{TicketId, WorkspaceId};
use mend_core::workspace::Settings;
use worker::{Context, Env, Headers, Method, Request, Response};

use crate::auth::{self, Credential};
use crate::error::{AppError, AppResult};
use crate::store::{self, Db};
use crate::ticket_object::{self, Call};
use crate::timing::Timing;

/// Headers a browser script on an allowed site may read.
pub const EXPOSED_HEADERS: &str = "Retry-After, Idempotent-Replayed, Server-Timing";

/// One request as every handler sees it.
pub struct Ask {
    pub(crate) env: Env,
    /// The request's context, for work after the answer has gone out.
    pub(crate) ctx: Context,
    pub(crate) db: Db,
    /// Where this request's time goes, for `Server-Timing`.
    pub(crate) timing: Rc<Timing>,
    pub(crate) credential: Option<Credential>,
    /// The `Origin` of a browser on another site than Mend's own.
    pub(crate) foreign_origin: Option<String>,
    /// Whether the workspace concerned lists `foreign_origin`, once known.
    pub(crate) origin_allowed: Cell<Option<bool>>,
    /// The `Idempotency-Key` header, if sent.
    pub(crate) idempotency_key: Option<String>,
    /// The caller's address, as Cloudflare saw it.
    pub(crate) client_address: String,
    pub(crate) method: Method,
    pub(crate) path: String,
}

impl Ask {
    pub(crate) fn new(req: &Request, env: Env, ctx: Context) -> AppResult<Self> {
        let own = req.url()?.origin().ascii_serialization();
        let foreign_origin = req.headers().get("Origin")?.filter(|origin| *origin != own);
        let timing = Rc::new(Timing::start());
        Ok(Self {
            db: store::db(&env, timing.clone())?,
            timing,
            env,
            ctx,
            credential: auth::credential(req)?,
            foreign_origin,
            origin_allowed: Cell::new(None),
            idempotency_key: req.headers().get("Idempotency-Key")?,
            client_address: req.headers().get("CF-Connecting-IP")?.unwrap_or_else(|| "unknown".into()),
            method: req.method(),
            path: req.path(),
        })
    }

    /// Lets the request on only if it comes from no browser, from Mend's own
    /// pages, or from one of `settings`' origins.
    pub(crate) fn admit(&self, settings: &Settings) -> AppResult<()> {
        let Some(origin) = &self.foreign_origin else { return Ok(()) };
        let allowed = settings.allows(origin);
        self.origin_allowed.set(Some(allowed));
        if allowed { Ok(()) } else { Err(AppError::OriginNotAllowed) }
    }

    /// [`Ask::admit`] for workspace `id`, reading its settings only if a browser on another site asks.
    pub(crate) async fn admit_workspace(&self, id: &WorkspaceId) -> AppResult<()> {
        if self.foreign_origin.is_none() {
            return Ok(());
        }
        let settings = store::settings(&self.db, id).await?.ok_or(AppError::NotFound("No such workspace."))?;
        self.admit(&settings)
    }

    /// The origin to name in `Access-Control-Allow-Origin`, if any: the
    /// workspace's verdict, or before a workspace was known, whether any
    /// workspace lists the origin.
    pub(crate) async fn cors_origin(&self) -> Option<String> {
        let origin = self.foreign_origin.clone()?;
        let allowed = match self.origin_allowed.get() {
            Some(allowed) => allowed,
            None => store::any_workspace_allows(&self.db, &origin).await.unwrap_or(false),
        };
        allowed.then_some(origin)
    }

    pub(crate) fn var(&self, name: &str) -> Option<String> {
        self.env.var(name).ok().map(|value| value.to_string())
    }

    /// Calls ticket `id`'s object, and notes what it said of the browser's site, for CORS.
    pub(crate) async fn object(&self, id: &TicketId, call: &Call) -> AppResult<Response> {
        let response = ticket_object::call(&self.env, &self.timing, id, call).await?;
        self.note_verdict(&response)?;
        Ok(response)
    }

    pub(crate) fn note_verdict(&self, response: &Response) -> AppResult<()> {
        if let Some(verdict) = response.headers().get(ticket_object::ORIGIN_VERDICT)? {
            self.origin_allowed.set(Some(verdict == "allowed"));
        }
        Ok(())
    }
}

/// `OPTIONS /v1/…`: a CORS preflight, granted to sites some workspace lists.
pub(crate) async fn preflight(ask: &Ask) -> AppResult<Response> {
    let Some(origin) = &ask.foreign_origin else { return Ok(Response::empty()?.with_status(204)) };
    if !store::any_workspace_allows(&ask.db, origin).await? {
        ask.origin_allowed.set(Some(false));
        return Err(AppError::OriginNotAllowed);
    }
    ask.origin_allowed.set(Some(true));
    let headers = Headers::new();
    headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")?;
    headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")?;
    headers.set("Access-Control-Max-Age", "600")?;
    Ok(Response::empty()?.with_status(204).with_headers(headers))
}
