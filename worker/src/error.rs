//! The worker's one error type and its one mapping to HTTP: a status and
//! `{"error": {"code": "…", "message": "…"}}`. Internal details never reach
//! the client; they are logged once, where the response is written.

use mend_core::input::{InputError, ProblemKind};
use mend_core::ticket::Rejection;
use mend_core::wire::{ErrorBody, ErrorDetail};
use worker::{Headers, Response};

#[derive(Debug)]
pub enum AppError {
    /// The body is not JSON of the expected shape (400).
    MalformedJson(String),
    /// A record's period (`from`, `to`) that cannot be (400), naming the field at fault.
    InvalidPeriod(InputError),
    /// No credentials, or credentials Mend does not know (401).
    Unauthenticated(&'static str),
    /// An identity token that does not hold (401): never read as anonymous.
    InvalidIdentity(String),
    /// Known credentials, but this actor may never do this (403).
    Forbidden(String),
    /// A rep's make-good above the workspace's cap (403): a manager must
    /// make the offer, so the rep's next step is to escalate.
    NeedsManager(String),
    /// A browser on a site the workspace does not list (403).
    OriginNotAllowed,
    /// Unknown — or not yours, which is answered identically (404).
    NotFound(&'static str),
    /// The route exists but not for this method (405).
    MethodNotAllowed { allow: &'static str },
    /// Not possible in the ticket's current state (409).
    Conflict(String),
    /// Something with this id exists already (409).
    AlreadyExists(&'static str),
    /// The first request with this `Idempotency-Key` is still running (409).
    IdempotencyInProgress,
    /// This `Idempotency-Key` came before with another body (422).
    IdempotencyKeyReused,
    /// Too many requests; try again after `retry_after` seconds (429).
    RateLimited { retry_after: u32, message: &'static str },
    /// A WebSocket address asked without `Upgrade: websocket` (426, with `Sec-WebSocket-Version: 13`).
    UpgradeRequired,
    /// The body is over the size limit (413).
    PayloadTooLarge { limit: usize },
    /// The body is not `application/json` (415).
    UnsupportedMediaType,
    /// A field failed validation (422).
    Validation(InputError),
    /// A key the body may not have (422), named in `field`: settings are
    /// strict, so a misspelt one never passes silently.
    UnknownKey(String),
    /// Something in Mend broke; the message is for the log only (500).
    Internal(String),
}

impl AppError {
    fn status(&self) -> u16 {
        match self {
            AppError::MalformedJson(_) | AppError::InvalidPeriod(_) => 400,
            AppError::Unauthenticated(_) | AppError::InvalidIdentity(_) => 401,
            AppError::Forbidden(_) | AppError::NeedsManager(_) | AppError::OriginNotAllowed => 403,
            AppError::NotFound(_) => 404,
            AppError::MethodNotAllowed { .. } => 405,
            AppError::Conflict(_) | AppError::AlreadyExists(_) | AppError::IdempotencyInProgress => 409,
            AppError::PayloadTooLarge { .. } => 413,
            AppError::UpgradeRequired => 426,
            AppError::UnsupportedMediaType => 415,
            AppError::Validation(_) | AppError::UnknownKey(_) | AppError::IdempotencyKeyReused => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal(_) => 500,
        }
    }

    fn detail(&self) -> ErrorDetail {
        let (code, message, field) = match self {
            AppError::InvalidPeriod(err) => return ErrorDetail::refusing("invalid_period", err),
            AppError::Validation(err) => return ErrorDetail::refusing("validation", err),
            AppError::UnknownKey(key) => {
                return ErrorDetail {
                    field: Some(key.clone()),
                    problem: Some(ProblemKind::Unknown),
                    ..ErrorDetail::new(
                        "validation",
                        format!(
                            "'{key}' is not a key this request takes: check its spelling against the API's document."
                        ),
                    )
                };
            }
            AppError::MalformedJson(why) => {
                ("malformed_json", format!("The request body is not valid JSON for this request: {why}"), None)
            }
            AppError::Unauthenticated(why) => ("unauthenticated", (*why).to_owned(), None),
            AppError::InvalidIdentity(why) => {
                ("invalid_identity", format!("The identity token was refused: {why}"), None)
            }
            AppError::Forbidden(why) => ("forbidden", why.clone(), None),
            AppError::NeedsManager(why) => ("needs_manager", why.clone(), None),
            AppError::OriginNotAllowed => (
                "origin_not_allowed",
                "This site is not one of the workspace's allowed origins: a manager can add it in the settings.".into(),
                None,
            ),
            AppError::NotFound(what) => ("not_found", (*what).to_owned(), None),
            AppError::MethodNotAllowed { allow } => {
                ("method_not_allowed", format!("This address only accepts {allow}."), None)
            }
            AppError::Conflict(why) => ("invalid_transition", why.clone(), None),
            AppError::AlreadyExists(what) => ("already_exists", (*what).to_owned(), None),
            AppError::IdempotencyInProgress => (
                "idempotency_in_progress",
                "A request with this Idempotency-Key is still being handled: retry in a moment.".into(),
                None,
            ),
            AppError::IdempotencyKeyReused => (
                "idempotency_key_reused",
                "This Idempotency-Key was used for a different request: use a new key for a new request.".into(),
                Some("idempotency_key".to_owned()),
            ),
            AppError::RateLimited { message, .. } => ("rate_limited", (*message).to_owned(), None),
            AppError::PayloadTooLarge { limit } => {
                ("payload_too_large", format!("The request body is larger than {limit} bytes."), None)
            }
            AppError::UpgradeRequired => (
                "upgrade_required",
                "This address speaks WebSocket only: connect with a WebSocket client ('Upgrade: websocket', \
                 version 13) and the mend.v1 subprotocol."
                    .into(),
                None,
            ),
            AppError::UnsupportedMediaType => {
                ("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.".into(), None)
            }
            AppError::Internal(_) => ("internal", "Something went wrong on our side. Please try again.".into(), None),
        };
        ErrorDetail { field, ..ErrorDetail::new(code, message) }
    }

    /// The status and body an `Idempotency-Key` keeps of this error for a
    /// retry, or `None` where a retry should run afresh: Mend's own
    /// failures and rate limits.
    pub fn kept(&self) -> Option<(u16, String)> {
        let status = self.status();
        if status >= 500 || status == 429 {
            return None;
        }
        serde_json::to_string(&ErrorBody { error: self.detail() }).ok().map(|body| (status, body))
    }

    /// The HTTP answer for this error. Internal errors are logged here, the
    /// one place every error passes through.
    pub fn into_response(self) -> Response {
        if let AppError::Internal(why) = &self {
            worker::console_error!("internal error: {why}");
        }
        let status = self.status();
        let body = ErrorBody { error: self.detail() };
        let response = Response::from_json(&body)
            .unwrap_or_else(|_| Response::error("Something went wrong on our side.", 500).expect("plain response"))
            .with_status(status);
        let extra = match self {
            AppError::MethodNotAllowed { allow } => Some(("Allow", allow.to_owned())),
            AppError::RateLimited { retry_after, .. } => Some(("Retry-After", retry_after.to_string())),
            AppError::UpgradeRequired => Some(("Sec-WebSocket-Version", "13".to_owned())),
            _ => None,
        };
        let Some((name, value)) = extra else { return response };
        let headers = Headers::new();
        let _ = headers.set(name, &value);
        let _ = headers.set("Content-Type", "application/json");
        response.with_headers(headers)
    }
}

impl From<InputError> for AppError {
    fn from(err: InputError) -> Self {
        AppError::Validation(err)
    }
}

impl From<Rejection> for AppError {
    fn from(rejection: Rejection) -> Self {
        match rejection {
            Rejection::NotPermitted { .. } | Rejection::NotCompany { .. } | Rejection::NotOwner => {
                AppError::Forbidden(rejection.to_string())
            }
            Rejection::NeedsManager { .. } => AppError::NeedsManager(rejection.to_string()),
            Rejection::NotNow { .. } | Rejection::Conflict(_) => AppError::Conflict(rejection.to_string()),
            Rejection::Invalid(err) => AppError::Validation(err),
        }
    }
}

impl From<worker::Error> for AppError {
    fn from(err: worker::Error) -> Self {
        AppError::Internal(err.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
