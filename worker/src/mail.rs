//! Email to the customer who is not watching: one message, made from the
//! core's [`Digest`] by two templates (plain text and HTML, every text
//! escaped for where it goes), sent by the first transport configured.
//!
//! Transports, in order:
//! - `MAIL_RELAY_URL`, for development and tests only: the message is
//!   POSTed whole (RFC 5322) to a recording mail server on loopback
//!   (`scripts/mailbox.mjs`, which `make dev` starts and whose inbox a
//!   person opens in the browser). Anything but a loopback address is refused.
//! - the `EMAIL` `send_email` binding, in production: Cloudflare Email
//!   Service sends the same bytes (README, *Deploy*).
//!
//! `MAIL_FROM` is the sender's address (the company's or Mend's onboarded
//! domain); the company's name is its display name. `PUBLIC_URL` is the
//! origin the links in the email point at.

use askama::Template;
use mail_builder::MessageBuilder;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mend_core::clock::Timestamp;
use mend_core::email::{Digest, Language, one_line};
use mend_core::input::{TicketId, WorkspaceId};
use worker::{Env, Headers, Method, Request, RequestInit};

use crate::error::{AppError, AppResult};

const RELAY_VAR: &str = "MAIL_RELAY_URL";
const FROM_VAR: &str = "MAIL_FROM";
const PUBLIC_URL_VAR: &str = "PUBLIC_URL";
const BINDING: &str = "EMAIL";

#[derive(Template)]
#[template(path = "email.html")]
struct Html<'a> {
    digest: &'a Digest,
    company: &'a str,
    colour: &'a str,
    language: &'a str,
    link: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "email.txt")]
struct Plain<'a> {
    digest: &'a Digest,
    link: &'a str,
    unsubscribe: &'a str,
}

/// Everything one email to a customer is made of.
pub struct Letter<'a> {
    pub digest: &'a Digest,
    pub language: Language,
    pub company: &'a str,
    pub colour: &'a str,
    pub workspace: &'a WorkspaceId,
    pub ticket: &'a TicketId,
    /// The last event the email tells of: its `Message-ID` is made from it.
    pub seq: u64,
    pub to: &'a str,
    /// A customer token minted for this email: the link opens the ticket with it.
    pub link_token: &'a str,
    /// The ticket's unsubscribe token.
    pub unsubscribe_token: &'a str,
    pub at: Timestamp,
}

/// A message ready for a transport.
#[derive(Debug)]
pub struct Outgoing {
    pub from: String,
    pub to: String,
    pub raw: String,
}

/// Where the links of Mend's emails point (`PUBLIC_URL`, no trailing slash).
pub fn public_url(env: &Env) -> AppResult<String> {
    let url = var(env, PUBLIC_URL_VAR)
        .ok_or_else(|| AppError::Internal(format!("{PUBLIC_URL_VAR} is not set: emails would have no link")))?;
    Ok(url.trim_end_matches('/').to_owned())
}

/// The one-click unsubscribe address of ticket `id` (RFC 8058).
pub fn unsubscribe_url(base: &str, id: &TicketId, token: &str) -> String {
    format!("{base}/v1/unsubscribe/{id}/{token}")
}

/// The email `letter` describes, as RFC 5322 text: both parts, the
/// threading headers that make a ticket one thread, and the one-click
/// unsubscribe headers.
pub fn compose(env: &Env, letter: &Letter<'_>) -> AppResult<Outgoing> {
    let base = public_url(env)?;
    let from = var(env, FROM_VAR).ok_or_else(|| AppError::Internal(format!("{FROM_VAR} is not set")))?;
    let domain = from.rsplit_once('@').map_or("mend.invalid", |(_, domain)| domain).to_owned();
    let link = format!("{base}/w/{}#ticket={}&token={}", letter.workspace, letter.ticket, letter.link_token);
    let unsubscribe = unsubscribe_url(&base, letter.ticket, letter.unsubscribe_token);
    let render = |e: askama::Error| AppError::Internal(format!("email template: {e}"));
    let html = Html {
        digest: letter.digest,
        company: letter.company,
        colour: letter.colour,
        language: letter.language.tag(),
        link: &link,
        unsubscribe: &unsubscribe,
    }
    .render()
    .map_err(render)?;
    let text = Plain { digest: letter.digest, link: &link, unsubscribe: &unsubscribe }.render().map_err(render)?;
    // The thread's root: every email of the ticket refers to it.
    let root = format!("ticket-{}@{domain}", letter.ticket);
    let raw = MessageBuilder::new()
        .from((one_line(letter.company), from.clone()))
        .to(letter.to.to_owned())
        .subject(Text::new(one_line(&letter.digest.subject)))
        .message_id(format!("ticket-{}.{}@{domain}", letter.ticket, letter.seq))
        .in_reply_to(root.clone())
        .references(root)
        .date(letter.at.unix_ms() / 1000)
        .header("Content-Language", Raw::new(letter.language.tag()))
        .header("List-Unsubscribe", Raw::new(format!("<{unsubscribe}>")))
        .header("List-Unsubscribe-Post", Raw::new("List-Unsubscribe=One-Click"))
        .header("Auto-Submitted", Raw::new("auto-generated"))
        .text_body(text)
        .html_body(html)
        .write_to_string()
        .map_err(|e| AppError::Internal(format!("email: {e}")))?;
    Ok(Outgoing { from, to: letter.to.to_owned(), raw })
}

/// Sends `message` by the first transport configured.
pub async fn send(env: &Env, message: &Outgoing) -> AppResult<()> {
    if let Some(relay) = var(env, RELAY_VAR) {
        return relay_to(&relay, message).await;
    }
    let binding = env.send_email(BINDING).map_err(|_| {
        AppError::Internal(format!("no way to send email: neither {RELAY_VAR} nor the {BINDING} binding"))
    })?;
    let email = worker::EmailMessage::new(&message.from, &message.to, &message.raw)
        .map_err(|e| AppError::Internal(format!("email message: {e:?}")))?;
    binding.send(&email).await.map_err(|e| AppError::Internal(format!("send_email: {e:?}")))?;
    Ok(())
}

/// Development and tests: hands the message to the recording mail server.
async fn relay_to(relay: &str, message: &Outgoing) -> AppResult<()> {
    let url = worker::Url::parse(relay).map_err(|e| AppError::Internal(format!("{RELAY_VAR}: {e}")))?;
    if !matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) {
        return Err(AppError::Internal(format!("{RELAY_VAR} must be a loopback address: it is for development only")));
    }
    let headers = Headers::new();
    headers.set("Content-Type", "message/rfc822")?;
    headers.set("Mend-Mail-From", &message.from)?;
    headers.set("Mend-Mail-To", &message.to)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(message.raw.clone().into()));
    let mut response = worker::Fetch::Request(Request::new_with_init(url.as_str(), &init)?).send().await?;
    match response.status_code() {
        200..=299 => Ok(()),
        status => Err(AppError::Internal(format!(
            "the mail relay answered {status}: {}",
            response.text().await.unwrap_or_default()
        ))),
    }
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|value| value.to_string()).filter(|value| !value.is_empty())
}
