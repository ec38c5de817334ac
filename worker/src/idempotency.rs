//! `Idempotency-Key`: a POST acts at most once per key. The key is claimed
//! in D1 before the handler runs (a report claims it in its one batch);
//! a retry with the same body gets the first answer again, with another
//! body 422, while the first runs 409. A ticket's commands keep theirs in
//! the ticket's own object instead (see `ticket_object`).

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use mend_core::input::{Field, InputError, Problem};
use worker::{Delay, Headers, Response};

use crate::ask::Ask;
use crate::auth::{self, Credential};
use crate::error::{AppError, AppResult};
use crate::now;
use crate::store;
use crate::timing::Timing;

impl Ask {
    /// The request's `Idempotency-Key`, if it sent one, with who asked and
    /// where and the SHA-256 of `body`; a malformed key is a 422.
    pub(crate) fn once_for(&self, body: &[u8]) -> AppResult<Option<store::Once>> {
        let Some(key) = &self.idempotency_key else { return Ok(None) };
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::Validation(InputError::new(
                Field::IdempotencyKey,
                Problem::Malformed { expected: "1 to 255 printable ASCII characters, such as a UUID" },
            )));
        }
        let principal = self.credential.as_ref().map_or_else(|| "anonymous".to_owned(), Credential::principal);
        Ok(Some(store::Once {
            scope: format!("{principal} {} {}", self.method.as_ref(), self.path),
            key: key.clone(),
            fingerprint: auth::hash(body),
        }))
    }

    /// Runs `handler` at most once per `Idempotency-Key`: a retry with the
    /// same key and body gets the first answer again. Answers that are
    /// Mend's own failure (5xx) or a rate limit are not kept, so a retry
    /// runs afresh.
    pub(crate) async fn once(
        &self,
        body: &[u8],
        handler: impl Future<Output = AppResult<Response>>,
    ) -> AppResult<Response> {
        let Some(once) = self.once_for(body)? else { return handler.await };
        let claim = store::claim(&self.db, &once, now()).await?;
        self.as_claimed(once, claim, handler).await
    }

    /// Answers as `claim` says: the kept answer again, a refusal, or, for a
    /// new claim, `handler`'s answer, kept for retries after it has gone out.
    pub(crate) async fn as_claimed(
        &self,
        once: store::Once,
        claim: store::Claim,
        handler: impl Future<Output = AppResult<Response>>,
    ) -> AppResult<Response> {
        match claim {
            store::Claim::Replay { status, body } => {
                let response = if body.is_empty() { Response::empty()? } else { Response::ok(body)? };
                let headers = Headers::new();
                headers.set("Content-Type", "application/json")?;
                headers.set("Idempotent-Replayed", "true")?;
                return Ok(response.with_status(status).with_headers(headers));
            }
            store::Claim::InProgress => return Err(AppError::IdempotencyInProgress),
            store::Claim::Reused => return Err(AppError::IdempotencyKeyReused),
            store::Claim::New => {}
        }
        let mut response = handler.await.unwrap_or_else(AppError::into_response);
        let status = response.status_code();
        if status >= 500 || status == 429 {
            store::release(&self.db, &once).await?;
            return Ok(response);
        }
        let text = response.text().await?;
        // Kept after the answer has gone out, off its path: a retry that
        // comes before it lands is told the first request is in progress.
        let db = store::db(&self.env, Rc::new(Timing::start()))?;
        let kept = text.clone();
        self.ctx.wait_until(async move {
            Delay::from(Duration::ZERO).await; // the answer goes out first
            if let Err(err) = store::finish(&db, &once, status, &kept).await {
                let _ = err.into_response(); // logged; the key stays claimed until it expires
            }
        });
        let fresh = if text.is_empty() { Response::empty()? } else { Response::ok(text)? };
        let headers = Headers::new();
        for (name, value) in response.headers().entries() {
            headers.append(&name, &value)?;
        }
        Ok(fresh.with_status(status).with_headers(headers))
    }
}
