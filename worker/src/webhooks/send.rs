//! One attempt to deliver: a signed POST of the exact stored bytes, no
//! redirect followed, given up after the timeout.

use std::time::Duration;

use futures_util::future::{Either, select};
use mend_core::clock::Timestamp;
use mend_core::webhook::ANSWER_BYTES;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

use super::stored::Outcome;
use crate::now;

/// What a receiver answered, beyond what [`Outcome`] keeps.
pub struct Sent {
    pub outcome: Outcome,
    /// The receiver's `Retry-After`, in milliseconds, when it gave one in seconds.
    pub retry_after_ms: Option<i64>,
}

/// POSTs `body` to `url` as message `id`, signed with `signature` made for
/// `timestamp`, waiting at most `timeout_ms` for the whole answer.
pub async fn post(url: &str, id: &str, timestamp: i64, signature: &str, body: &str, timeout_ms: i64) -> Sent {
    let started = now();
    let controller = AbortController::default();
    let signal = controller.signal();
    let attempt = async {
        let headers = Headers::new();
        headers.set("Content-Type", "application/json")?;
        headers.set("User-Agent", "Mend-Webhooks/1")?;
        headers.set("webhook-id", id)?;
        headers.set("webhook-timestamp", &timestamp.to_string())?;
        headers.set("webhook-signature", signature)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_redirect(RequestRedirect::Manual)
            .with_body(Some(body.into()));
        let request = Request::new_with_init(url, &init)?;
        let mut response = Fetch::Request(request).send_with_signal(&signal).await?;
        let retry_after = response.headers().get("Retry-After")?;
        let text = response.text().await.unwrap_or_default();
        Ok::<_, worker::Error>((response.status_code(), retry_after, text))
    };
    let timeout = Delay::from(Duration::from_millis(timeout_ms.max(1) as u64));
    let answered = match select(Box::pin(attempt), timeout).await {
        Either::Left((answered, _)) => answered.map_err(|err| format!("no answer: {err}")),
        Either::Right(((), _)) => {
            controller.abort();
            Err(format!("no answer within {} ms", timeout_ms))
        }
    };
    let latency_ms = u32::try_from(now().millis_since(started).max(0)).unwrap_or(u32::MAX);
    match answered {
        Ok((status, retry_after, text)) => Sent {
            outcome: Outcome { at: started, status: Some(status), latency_ms, answer: head(&text) },
            retry_after_ms: retry_after.and_then(|value| value.trim().parse::<i64>().ok()).map(|s| s * 1_000),
        },
        Err(why) => Sent {
            outcome: Outcome { at: started, status: None, latency_ms, answer: head(&why) },
            retry_after_ms: None,
        },
    }
}

/// An attempt refused before it was made (its address is no longer allowed).
pub fn refused(why: &str, at: Timestamp) -> Sent {
    Sent { outcome: Outcome { at, status: None, latency_ms: 0, answer: head(why) }, retry_after_ms: None }
}

/// The first [`ANSWER_BYTES`] bytes of `text`, cut at a character boundary.
fn head(text: &str) -> String {
    let mut end = text.len().min(ANSWER_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}
