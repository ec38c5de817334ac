//! Webhooks: what Mend tells a company's own systems after each ticket
//! event, under the Standard Webhooks specification (standardwebhooks.com).
//!
//! The rules here are pure: which type each event is sent as, which
//! addresses may receive them, when a failed delivery is tried again and
//! when an endpoint that never answers is given up on, which secrets sign
//! at a moment, and the shape of every body. The worker draws the
//! randomness (jitter, secrets) and passes `now` in.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{Description, Field, InputError, Problem, TicketId, WorkspaceId};
use crate::ticket::{Event, EventKind};
use crate::wire::TicketView;

/// The waits before each retry after a first attempt made at once: the
/// schedule receivers know from Svix (5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
/// 10 h), about 28 hours in all, in milliseconds.
pub const RETRY_WAITS_MS: [i64; 7] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/// Every attempt one delivery gets before it is kept as failed.
pub const ATTEMPTS: u32 = RETRY_WAITS_MS.len() as u32 + 1;
/// How long every attempt to an endpoint may fail before Mend disables it.
pub const DISABLE_AFTER_MS: i64 = 5 * 24 * 3_600_000;
/// How long one attempt waits for the receiver's answer.
pub const TIMEOUT_MS: i64 = 15_000;
/// How long a rotated secret keeps signing beside the new one, by default.
pub const DEFAULT_OVERLAP_SECONDS: u32 = 24 * 3_600;
/// The longest overlap a rotation may ask for: a week.
pub const MAX_OVERLAP_SECONDS: u32 = 7 * 24 * 3_600;
/// The largest body Mend sends; longer texts are cut to fit.
pub const MAX_BODY_BYTES: usize = 20_000;
/// How many bytes of a receiver's answer a delivery keeps.
pub const ANSWER_BYTES: usize = 500;
/// The longest `Retry-After` Mend honours before its own schedule applies.
pub const LONGEST_RETRY_AFTER_MS: i64 = 36_000_000;

/// The type a webhook is sent as: one per kind of ticket event, and the
/// test event a manager sends from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// A customer reported a problem.
    #[serde(rename = "ticket.reported")]
    Reported,
    /// A message in the conversation, from the customer or the company.
    #[serde(rename = "ticket.message")]
    Message,
    /// A rep's update, with its next-update promise.
    #[serde(rename = "ticket.updated")]
    Updated,
    /// The company asked the customer something.
    #[serde(rename = "ticket.question_asked")]
    QuestionAsked,
    /// A rep brought in a manager.
    #[serde(rename = "ticket.escalated")]
    Escalated,
    /// The company says it is fixed and asks the customer.
    #[serde(rename = "ticket.resolution_proposed")]
    ResolutionProposed,
    /// The customer confirmed it is solved: only they can.
    #[serde(rename = "ticket.solved")]
    Solved,
    /// The customer said it is not solved yet.
    #[serde(rename = "ticket.not_yet")]
    NotYet,
    /// The company offered a make-good.
    #[serde(rename = "ticket.make_good_offered")]
    MakeGoodOffered,
    /// The customer accepted the make-good.
    #[serde(rename = "ticket.make_good_accepted")]
    MakeGoodAccepted,
    /// The customer declined the make-good.
    #[serde(rename = "ticket.make_good_declined")]
    MakeGoodDeclined,
    /// The customer rated the recovery.
    #[serde(rename = "ticket.rated")]
    Rated,
    /// The company's promise passed without an update.
    #[serde(rename = "ticket.promise_missed")]
    PromiseMissed,
    /// The customer withdrew the report.
    #[serde(rename = "ticket.withdrawn")]
    Withdrawn,
    /// A rep or manager took the unowned ticket.
    #[serde(rename = "ticket.ownership_taken")]
    OwnershipTaken,
    /// The ticket's owner, or a manager, handed it to a colleague.
    #[serde(rename = "ticket.handed_over")]
    HandedOver,
    /// Mend asked the customer whether the fix held.
    #[serde(rename = "ticket.follow_up_asked")]
    FollowUpAsked,
    /// The customer said whether the fix held.
    #[serde(rename = "ticket.follow_up_answered")]
    FollowUpAnswered,
    /// A test a manager sent from the settings.
    #[serde(rename = "webhook.test")]
    Test,
}

impl EventType {
    /// Every type a ticket event is sent as, in the order the README lists them.
    pub const TICKET: [EventType; 18] = [
        EventType::Reported,
        EventType::Message,
        EventType::Updated,
        EventType::QuestionAsked,
        EventType::Escalated,
        EventType::ResolutionProposed,
        EventType::Solved,
        EventType::NotYet,
        EventType::MakeGoodOffered,
        EventType::MakeGoodAccepted,
        EventType::MakeGoodDeclined,
        EventType::Rated,
        EventType::PromiseMissed,
        EventType::Withdrawn,
        EventType::OwnershipTaken,
        EventType::HandedOver,
        EventType::FollowUpAsked,
        EventType::FollowUpAnswered,
    ];

    /// The type `event` is sent as.
    pub fn of(event: &EventKind) -> Self {
        match event {
            EventKind::Reported { .. } => EventType::Reported,
            EventKind::MessageAdded { .. } => EventType::Message,
            EventKind::Updated { .. } => EventType::Updated,
            EventKind::QuestionAsked { .. } => EventType::QuestionAsked,
            EventKind::Escalated { .. } => EventType::Escalated,
            EventKind::ResolutionProposed { .. } => EventType::ResolutionProposed,
            EventKind::ConfirmedSolved => EventType::Solved,
            EventKind::Reopened { .. } => EventType::NotYet,
            EventKind::MakeGoodOffered { .. } => EventType::MakeGoodOffered,
            EventKind::MakeGoodAccepted => EventType::MakeGoodAccepted,
            EventKind::MakeGoodDeclined => EventType::MakeGoodDeclined,
            EventKind::Rated { .. } => EventType::Rated,
            EventKind::PromiseMissed { .. } => EventType::PromiseMissed,
            EventKind::Withdrawn => EventType::Withdrawn,
            EventKind::OwnershipTaken => EventType::OwnershipTaken,
            EventKind::HandedOver { .. } => EventType::HandedOver,
            EventKind::FollowUpAsked => EventType::FollowUpAsked,
            EventKind::FollowUpAnswered { .. } => EventType::FollowUpAnswered,
        }
    }

    /// The name a webhook carries in its `type`.
    pub fn key(self) -> &'static str {
        match self {
            EventType::Reported => "ticket.reported",
            EventType::Message => "ticket.message",
            EventType::Updated => "ticket.updated",
            EventType::QuestionAsked => "ticket.question_asked",
            EventType::Escalated => "ticket.escalated",
            EventType::ResolutionProposed => "ticket.resolution_proposed",
            EventType::Solved => "ticket.solved",
            EventType::NotYet => "ticket.not_yet",
            EventType::MakeGoodOffered => "ticket.make_good_offered",
            EventType::MakeGoodAccepted => "ticket.make_good_accepted",
            EventType::MakeGoodDeclined => "ticket.make_good_declined",
            EventType::Rated => "ticket.rated",
            EventType::PromiseMissed => "ticket.promise_missed",
            EventType::Withdrawn => "ticket.withdrawn",
            EventType::OwnershipTaken => "ticket.ownership_taken",
            EventType::HandedOver => "ticket.handed_over",
            EventType::FollowUpAsked => "ticket.follow_up_asked",
            EventType::FollowUpAnswered => "ticket.follow_up_answered",
            EventType::Test => "webhook.test",
        }
    }

    /// The ticket event type named `key`; a test event is not one.
    pub fn ticket_type(key: &str) -> Option<Self> {
        Self::TICKET.into_iter().find(|kind| kind.key() == key)
    }
}

/// Which ticket event types an endpoint receives: all of them, or the ones listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter(Option<Vec<EventType>>);

impl Filter {
    /// Every ticket event.
    pub const ALL: Filter = Filter(None);

    /// The filter `keys` ask for: absent or `null` is every type; a list
    /// names one or more ticket event types, each once.
    pub fn parse(keys: Option<&[String]>) -> Result<Self, InputError> {
        let Some(keys) = keys else { return Ok(Self::ALL) };
        let refuse = |expected| Err(InputError::new(Field::EventTypes, Problem::Malformed { expected }));
        if keys.is_empty() {
            return refuse("a list of at least one event type, or null for all of them");
        }
        let mut types = Vec::with_capacity(keys.len());
        for key in keys {
            match EventType::ticket_type(key) {
                Some(kind) if !types.contains(&kind) => types.push(kind),
                Some(_) => return refuse("a list naming each event type at most once"),
                None => return refuse("one of Mend's ticket event types, such as ticket.updated (see the README)"),
            }
        }
        Ok(Self(Some(types)))
    }

    /// Whether an endpoint with this filter receives `kind`. A test event
    /// reaches the endpoint it was sent to whatever it filters.
    pub fn admits(&self, kind: EventType) -> bool {
        kind == EventType::Test || self.0.as_ref().is_none_or(|types| types.contains(&kind))
    }

    /// The types listed, or `None` for all of them.
    pub fn types(&self) -> Option<&[EventType]> {
        self.0.as_deref()
    }
}

/// Where an endpoint receives Mend's events: `https://` to a public host,
/// at most 2,000 characters, with no user name or password and no IP
/// address in a private, loopback, link-local or otherwise non-public
/// range, and no `localhost`. Only for local development and tests, a
/// deployment may also allow `http://` and `https://` to `127.0.0.1`
/// (`loopback`). Checked when it is registered and again before every
/// attempt, so a deployment that stops allowing loopback stops sending there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String")]
pub struct EndpointUrl(String);

impl EndpointUrl {
    /// The longest URL Mend takes, in characters.
    pub const MAX: usize = 2_000;

    /// Accepts `raw` as an endpoint's URL if it meets the rules above.
    pub fn parse(raw: &str, loopback: bool) -> Result<Self, InputError> {
        let refuse = |expected| Err(InputError::new(Field::EndpointUrl, Problem::Malformed { expected }));
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(InputError::new(Field::EndpointUrl, Problem::Missing));
        }
        if raw.chars().count() > Self::MAX {
            return Err(InputError::new(Field::EndpointUrl, Problem::TooLong { max: Self::MAX }));
        }
        let Ok(url) = url::Url::parse(raw) else {
            return refuse("an absolute https:// URL, such as https://hooks.example.com/mend");
        };
        if !url.username().is_empty() || url.password().is_some() {
            return refuse("a URL without a user name or password: Mend signs every delivery instead");
        }
        let host = url.host();
        let is_loopback_ip = matches!(host, Some(url::Host::Ipv4(ip)) if ip == Ipv4Addr::LOCALHOST);
        match url.scheme() {
            "https" => {}
            "http" if loopback && is_loopback_ip => {}
            _ => return refuse("an https:// URL: Mend delivers only over TLS"),
        }
        let public = match host {
            Some(url::Host::Domain(name)) => public_name(name),
            Some(url::Host::Ipv4(ip)) => public_v4(ip) || (loopback && is_loopback_ip),
            Some(url::Host::Ipv6(ip)) => public_v6(ip),
            None => false,
        };
        if !public {
            return refuse("a URL to a public host: no localhost, and no private, loopback or link-local address");
        }
        Ok(Self(url.to_string()))
    }

    /// The URL as stored and requested.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<EndpointUrl> for String {
    fn from(url: EndpointUrl) -> String {
        url.0
    }
}

/// A host name that can be a public one: dotted, and not `localhost` or
/// one of the names kept for local networks.
fn public_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let local = ["localhost", "local", "internal", "lan", "home.arpa", "localdomain"];
    name.contains('.') && !local.iter().any(|suffix| name == *suffix || name.ends_with(&format!(".{suffix}")))
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10, carrier-grade NAT
    let reserved = a == 0 || a >= 240 || (a == 192 && b == 0) || (a == 198 && (b == 18 || b == 19));
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || shared
        || reserved)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local || documentation)
}

/// How long after `attempts` failed attempts of one delivery the next is
/// due, or `None` once the schedule is spent and the delivery is kept as
/// failed. `jitter` (from 0 to 1, drawn by the caller) spreads the wait by
/// up to a tenth either way so that receivers coming back are not hit all
/// at once; `speedup` divides every wait (1 in production, larger in
/// tests); a receiver's `Retry-After` is honoured up to ten hours.
pub fn retry_wait(attempts: u32, jitter: f64, speedup: u32, retry_after_ms: Option<i64>) -> Option<i64> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    let planned = *RETRY_WAITS_MS.get(index)?;
    let spread = planned as f64 * 0.1 * (jitter.clamp(0.0, 1.0) * 2.0 - 1.0);
    let wait = match retry_after_ms {
        Some(asked) => asked.clamp(0, LONGEST_RETRY_AFTER_MS),
        None => planned + spread as i64,
    };
    Some(wait / i64::from(speedup.max(1)))
}

/// What one attempt's answer means for its delivery and its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A 2xx: delivered.
    Delivered,
    /// `410 Gone`: the receiver is gone; the endpoint is disabled at once.
    Gone,
    /// Anything else, or no answer: try again on the schedule, or after
    /// the receiver's `Retry-After` where it may give one (429, 502, 503, 504).
    Retry {
        /// Whether the answer's `Retry-After` is honoured.
        honour_retry_after: bool,
    },
}

impl Verdict {
    /// The verdict on an answer with `status`, or on no answer (`None`:
    /// refused, timed out, or not a valid HTTP answer). A redirect is a
    /// failure: Mend follows none.
    pub fn of(status: Option<u16>) -> Self {
        match status {
            Some(200..=299) => Verdict::Delivered,
            Some(410) => Verdict::Gone,
            Some(429 | 502 | 503 | 504) => Verdict::Retry { honour_retry_after: true },
            _ => Verdict::Retry { honour_retry_after: false },
        }
    }
}

/// Whether an endpoint that has failed every attempt since `failing_since`
/// is given up on at `now` (with the same `speedup` as the schedule).
pub fn gives_up(failing_since: Timestamp, now: Timestamp, speedup: u32) -> bool {
    now.millis_since(failing_since) >= DISABLE_AFTER_MS / i64::from(speedup.max(1))
}

/// The secrets that sign at `now`: the endpoint's current one, and the one
/// it replaced while its overlap lasts (strictly before `until`).
pub fn signing<'a, S>(current: &'a S, previous: Option<(&'a S, Timestamp)>, now: Timestamp) -> Vec<&'a S> {
    let mut secrets = vec![current];
    if let Some((previous, until)) = previous
        && now < until
    {
        secrets.push(previous);
    }
    secrets
}

/// The overlap a rotation asks for, in seconds: 0 (the old secret stops
/// at once, as after a leak) to a week, a day by default.
pub fn overlap(seconds: Option<u32>) -> Result<u32, InputError> {
    match seconds {
        None => Ok(DEFAULT_OVERLAP_SECONDS),
        Some(seconds) if seconds <= MAX_OVERLAP_SECONDS => Ok(seconds),
        Some(_) => Err(InputError::new(
            Field::Overlap,
            Problem::Malformed { expected: "a whole number of seconds from 0 to 604800 (a week)" },
        )),
    }
}

/// A webhook's body: `{"type", "timestamp", "workspace", "data"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body<D> {
    /// What happened ([`EventType::key`]).
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When it happened (the event's own time; a test's when it was sent).
    pub timestamp: Timestamp,
    /// The workspace whose ticket it is.
    pub workspace: WorkspaceId,
    /// What the type describes.
    pub data: D,
}

/// The `data` of a ticket event's webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketData {
    /// The ticket, as in `/v1/tickets/{id}`.
    pub ticket_id: TicketId,
    /// The reference its customer and reps say (`ACM-7KQ-3TF`); `null`
    /// only for a ticket Mend has not numbered yet.
    pub reference: Option<crate::reference::Reference>,
    /// The event's place in the ticket's log: events of one ticket reach an
    /// endpoint in this order on their first attempt; a retry may come later.
    pub seq: u64,
    /// The event, as the API shows it.
    pub event: Event,
    /// The ticket as it stands after the event.
    pub ticket: TicketState,
    /// The API path of the whole ticket, for a receiver that wants more,
    /// or the full text of one that was cut (`truncated`).
    pub url: String,
    /// Whether long texts were cut to keep the body under 20 KB; each cut
    /// text ends in `…`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// A ticket as it stands after an event: the ticket view without its log,
/// which the receiver has event by event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketState {
    /// Where the ticket stands (`in_progress`, `solved`, …).
    pub status: crate::ticket::Status,
    /// When the customer reported the problem.
    pub reported_at: Timestamp,
    /// What the customer reported.
    pub report: crate::ticket::Report,
    /// The promise in force, with whether Mend recorded it as missed.
    pub promise: Option<crate::wire::PromiseView>,
    /// The company's open question, while it waits on the customer.
    pub question: Option<crate::input::QuestionText>,
    /// The proposed resolution, while it waits for the customer's answer.
    pub resolution: Option<crate::wire::ResolutionView>,
    /// Why and when a rep brought in a manager, if one did.
    pub escalation: Option<crate::ticket::Escalation>,
    /// Every make-good offered, oldest first, each with its status.
    pub make_goods: Vec<crate::ticket::Offer>,
    /// The customer's rating, once given.
    pub rating: Option<crate::ticket::Rating>,
    /// How often the customer said "not yet".
    pub reopened: u32,
    /// How many next-update promises the company made, kept and missed.
    pub promises: crate::ticket::PromiseLedger,
    /// Who looks after the ticket, once someone does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<crate::ticket::Colleague>,
}

impl From<TicketView> for TicketState {
    fn from(view: TicketView) -> Self {
        Self {
            status: view.status,
            reported_at: view.reported_at,
            report: view.report,
            promise: view.promise,
            question: view.question,
            resolution: view.resolution,
            escalation: view.escalation,
            make_goods: view.make_goods,
            rating: view.rating,
            reopened: view.reopened,
            promises: view.promises,
            owner: view.owner,
        }
    }
}

/// The `data` of a test event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestData {
    /// The endpoint the test was sent to.
    pub endpoint_id: String,
    /// What the test is, in words.
    pub message: String,
}

/// The `webhook-id` of ticket `id`'s event `seq`: the same for every
/// attempt and every endpoint, so a receiver de-duplicates on it, and a
/// hand-off repeated after a restart never makes a second message.
pub fn message_id(id: &TicketId, seq: u64) -> String {
    format!("msg_{id}_{seq}")
}

/// The body of `POST /v1/workspaces/{ws}/webhooks` (a new endpoint) and of
/// `PATCH …/webhooks/{endpoint}` (a change; absent keys stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointRequest {
    /// `url`: where deliveries go ([`EndpointUrl`]); a new endpoint needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `description`: what the endpoint is for ([`Description`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `event_types`: the ticket event types it receives; `null` for all of them.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub event_types: Option<Option<Vec<String>>>,
    /// `enabled`: whether it receives anything; a new endpoint is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Reads a key that is present, `null` included, as `Some`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// An endpoint's settings as a request asks for them, each checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointChange {
    /// The new address, if the request names one.
    pub url: Option<EndpointUrl>,
    /// The new description.
    pub description: Option<Description>,
    /// The new filter.
    pub filter: Option<Filter>,
    /// Whether it is now enabled.
    pub enabled: Option<bool>,
}

impl EndpointRequest {
    /// The change asked for, or the field at fault. `loopback`: whether
    /// this deployment allows `127.0.0.1` (see [`EndpointUrl`]).
    pub fn parse(&self, loopback: bool) -> Result<EndpointChange, InputError> {
        Ok(EndpointChange {
            url: self.url.as_deref().map(|url| EndpointUrl::parse(url, loopback)).transpose()?,
            description: self.description.as_deref().map(Description::parse).transpose()?,
            filter: self.event_types.as_ref().map(|types| Filter::parse(types.as_deref())).transpose()?,
            enabled: self.enabled,
        })
    }

    /// A new endpoint's settings: it must name a URL.
    pub fn parse_new(&self, loopback: bool) -> Result<EndpointChange, InputError> {
        let change = self.parse(loopback)?;
        if change.url.is_none() {
            return Err(InputError::new(Field::EndpointUrl, Problem::Missing));
        }
        Ok(change)
    }
}

/// A webhook endpoint as its managers see it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    /// The endpoint's id (`ep_…`).
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// What it is for; may be empty.
    pub description: String,
    /// The ticket event types it receives; `null` for all of them.
    pub event_types: Option<Vec<EventType>>,
    /// Whether it receives deliveries.
    pub enabled: bool,
    /// Why Mend disabled it (`410 Gone`, or five days of failures), in
    /// words for its managers; `null` when it is enabled or a manager
    /// disabled it.
    pub disabled_reason: Option<String>,
    /// Since when every attempt to it has failed; `null` while it answers.
    pub failing_since: Option<Timestamp>,
    /// Until when the secret it replaced still signs beside the current one.
    pub previous_secret_expires_at: Option<Timestamp>,
    /// When it was registered.
    pub created_at: Timestamp,
}

/// The answer to registering an endpoint: the endpoint and its secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointCreated {
    /// The endpoint.
    pub endpoint: EndpointView,
    /// Its signing secret, `whsec_` and base64: shown only now.
    pub secret: String,
}

/// The answer to `GET /v1/workspaces/{ws}/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointList {
    /// Every endpoint, oldest first.
    pub endpoints: Vec<EndpointView>,
}

/// The body of `POST …/webhooks/{endpoint}/secret`: a new secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    /// `overlap_seconds`: how long the old secret keeps signing beside the
    /// new one ([`overlap`]): a day when absent, 0 to stop it at once.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::whole::optional")]
    pub overlap_seconds: Option<i64>,
}

impl RotateRequest {
    /// The overlap asked for, in seconds, or the field at fault.
    pub fn parse(&self) -> Result<u32, InputError> {
        let seconds = self.overlap_seconds.map(|s| u32::try_from(s).unwrap_or(u32::MAX));
        overlap(seconds)
    }
}

/// The answer to rotating an endpoint's secret: the new one, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRotated {
    /// The new signing secret.
    pub secret: String,
    /// Until when the old one still signs too; `null` when it stopped at once.
    pub previous_secret_expires_at: Option<Timestamp>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Its schedule is spent or its endpoint was disabled: kept, and can be replayed.
    Failed,
}

impl DeliveryStatus {
    /// The status as stored.
    pub fn key(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// The status stored as `key`.
    pub fn from_key(key: &str) -> Option<Self> {
        [DeliveryStatus::Pending, DeliveryStatus::Delivered, DeliveryStatus::Failed]
            .into_iter()
            .find(|status| status.key() == key)
    }
}

/// One attempt to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    /// When it was made.
    pub at: Timestamp,
    /// The receiver's HTTP status; `null` when there was no answer.
    pub status: Option<u16>,
    /// How long the receiver took, in milliseconds.
    pub latency_ms: u32,
    /// The first 500 bytes of the answer, or why there was none.
    pub answer: String,
}

/// One message on its way to one endpoint, with every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// The delivery's id, for replaying it.
    pub id: String,
    /// The message's `webhook-id`, the same on every attempt.
    pub message_id: String,
    /// What the message is.
    pub event_type: EventType,
    /// The ticket it is about; `null` for a test.
    pub ticket_id: Option<TicketId>,
    /// The event's `seq` in that ticket's log; `null` for a test.
    pub seq: Option<u64>,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// When Mend took it on.
    pub created_at: Timestamp,
    /// When the next attempt is due, while it is pending.
    pub next_attempt_at: Option<Timestamp>,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptView>,
}

/// The answer to `GET …/webhooks/{endpoint}/deliveries`: the newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryList {
    /// The endpoint's latest deliveries, newest first.
    pub deliveries: Vec<DeliveryView>,
}

/// The body of `POST …/webhooks/{endpoint}/replay`: every failed delivery
/// Mend took on from `since`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayRequest {
    /// `since`: an RFC 3339 time.
    #[serde(default)]
    pub since: String,
}

impl ReplayRequest {
    /// The time asked for, or the field at fault.
    pub fn parse(&self) -> Result<Timestamp, InputError> {
        if self.since.trim().is_empty() {
            return Err(InputError::new(Field::FailedSince, Problem::Missing));
        }
        Timestamp::parse(self.since.trim()).ok_or(InputError::new(
            Field::FailedSince,
            Problem::Malformed { expected: "an RFC 3339 time, such as 2026-12-01T09:00:00Z" },
        ))
    }
}

/// The answer to a replay: how many deliveries go out again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replayed {
    /// The deliveries scheduled again, at once.
    pub replayed: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_ms(ms).unwrap()
    }

    #[test]
    fn every_event_kind_has_its_own_type_and_name() {
        let names: Vec<&str> = EventType::TICKET.iter().map(|kind| kind.key()).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        for kind in EventType::TICKET.into_iter().chain([EventType::Test]) {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
            assert_eq!(serde_json::from_value::<EventType>(kind.key().into()).unwrap(), kind);
        }
        assert_eq!(EventType::ticket_type("webhook.test"), None);
        assert_eq!(EventType::of(&EventKind::ConfirmedSolved), EventType::Solved);
    }

    #[test]
    fn filters_name_ticket_types_once_and_admit_tests_always() {
        let keys = |list: &[&str]| list.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let solved = Filter::parse(Some(&keys(&["ticket.solved"]))).unwrap();
        assert!(solved.admits(EventType::Solved) && solved.admits(EventType::Test));
        assert!(!solved.admits(EventType::Updated));
        assert!(Filter::parse(None).unwrap().admits(EventType::Withdrawn));
        for refused in [&[][..], &["ticket.solved", "ticket.solved"], &["ticket.nope"], &["webhook.test"]] {
            assert_eq!(Filter::parse(Some(&keys(refused))).unwrap_err().field, Field::EventTypes);
        }
    }

    #[test]
    fn only_public_https_addresses_are_endpoints() {
        for good in [
            "https://hooks.example.com/mend",
            "https://example.com:8443/x?y=1",
            "https://8.8.8.8/h",
            "https://[2606:4700::1111]/",
        ] {
            assert!(EndpointUrl::parse(good, false).is_ok(), "{good}");
        }
        let refused = [
            "http://hooks.example.com/x",
            "http://10.0.0.1/x",
            "https://10.0.0.1/x",
            "https://172.16.5.4/",
            "https://192.168.1.1/",
            "https://127.0.0.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fe80::1]/",
            "https://[fd00::1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://localhost/",
            "https://api.localhost/",
            "https://intranet/",
            "https://printer.local/",
            "https://user:pw@example.com/",
            "https://user@example.com/",
            "ftp://example.com/file",
            "example.com/hook",
            "javascript:alert(1)",
        ];
        for bad in refused {
            let err = EndpointUrl::parse(bad, false).unwrap_err();
            assert_eq!(err.field, Field::EndpointUrl, "{bad}");
        }
        assert_eq!(EndpointUrl::parse("  ", false).unwrap_err().problem, Problem::Missing);
        let long = format!("https://example.com/{}", "a".repeat(2_000));
        assert_eq!(EndpointUrl::parse(&long, false).unwrap_err().problem, Problem::TooLong { max: 2_000 });
    }

    #[test]
    fn loopback_is_allowed_only_to_127_0_0_1_and_only_when_the_deployment_says() {
        assert!(EndpointUrl::parse("http://127.0.0.1:8788/hook", true).is_ok());
        assert!(EndpointUrl::parse("https://127.0.0.1/hook", true).is_ok());
        assert!(EndpointUrl::parse("http://127.0.0.1:8788/hook", false).is_err());
        for still_refused in ["http://10.0.0.1/x", "http://localhost/x", "http://[::1]/x", "http://example.com/x"] {
            assert!(EndpointUrl::parse(still_refused, true).is_err(), "{still_refused}");
        }
    }

    #[test]
    fn the_schedule_is_svixs_about_28_hours_then_failed() {
        let waits: Vec<i64> = (1..=ATTEMPTS).filter_map(|n| retry_wait(n, 0.5, 1, None)).collect();
        assert_eq!(waits, RETRY_WAITS_MS);
        assert_eq!(RETRY_WAITS_MS.iter().sum::<i64>(), 27 * 3_600_000 + 35 * 60_000 + 5_000);
        assert_eq!(retry_wait(ATTEMPTS, 0.5, 1, None), None, "the eighth failure ends the schedule");
        assert_eq!(retry_wait(0, 0.5, 1, None), None);
        // Jitter spreads a wait by at most a tenth either way.
        assert_eq!(retry_wait(2, 0.0, 1, None), Some(270_000));
        assert_eq!(retry_wait(2, 1.0, 1, None), Some(330_000));
        // Tests run the schedule faster; a receiver's Retry-After wins, within ten hours.
        assert_eq!(retry_wait(2, 0.5, 1_000, None), Some(300));
        assert_eq!(retry_wait(1, 0.5, 1, Some(60_000)), Some(60_000));
        assert_eq!(retry_wait(1, 0.5, 1, Some(i64::MAX)), Some(LONGEST_RETRY_AFTER_MS));
        assert_eq!(retry_wait(ATTEMPTS, 0.5, 1, Some(1_000)), None, "Retry-After never extends the schedule");
    }

    #[test]
    fn answers_are_judged_as_the_spec_and_svix_do() {
        assert_eq!(Verdict::of(Some(200)), Verdict::Delivered);
        assert_eq!(Verdict::of(Some(204)), Verdict::Delivered);
        assert_eq!(Verdict::of(Some(410)), Verdict::Gone);
        for retried in [429, 502, 503, 504] {
            assert_eq!(Verdict::of(Some(retried)), Verdict::Retry { honour_retry_after: true });
        }
        for failed in [Some(301), Some(302), Some(400), Some(404), Some(500), None] {
            assert_eq!(Verdict::of(failed), Verdict::Retry { honour_retry_after: false });
        }
    }

    #[test]
    fn an_endpoint_is_given_up_on_after_five_days_of_failures() {
        let since = at(1_800_000_000_000);
        assert!(!gives_up(since, since.plus_millis(DISABLE_AFTER_MS - 1), 1));
        assert!(gives_up(since, since.plus_days(5), 1));
        assert!(gives_up(since, since.plus_millis(DISABLE_AFTER_MS / 1_000), 1_000));
    }

    #[test]
    fn a_rotated_secret_signs_until_its_overlap_ends() {
        let now = at(1_800_000_000_000);
        let until = now.plus_millis(1_000);
        assert_eq!(signing(&"new", Some((&"old", until)), now), [&"new", &"old"]);
        assert_eq!(signing(&"new", Some((&"old", until)), until), [&"new"]);
        assert_eq!(signing(&"new", None, now), [&"new"]);
        assert_eq!(overlap(None), Ok(86_400));
        assert_eq!(overlap(Some(0)), Ok(0));
        assert_eq!(overlap(Some(MAX_OVERLAP_SECONDS + 1)).unwrap_err().field, Field::Overlap);
    }

    #[test]
    fn requests_tell_absent_from_null_and_need_a_url_to_register() {
        let read = |json: &str| serde_json::from_str::<EndpointRequest>(json).unwrap();
        let all = read(r#"{"url":"https://hooks.example.com/m","event_types":null}"#).parse_new(false).unwrap();
        assert_eq!(all.filter, Some(Filter::ALL));
        let unchanged = read(r#"{"enabled":false}"#).parse(false).unwrap();
        assert_eq!((unchanged.filter, unchanged.enabled), (None, Some(false)));
        assert_eq!(
            read(r#"{"description":"x"}"#).parse_new(false).unwrap_err(),
            InputError::new(Field::EndpointUrl, Problem::Missing)
        );
        assert!(serde_json::from_str::<EndpointRequest>(r#"{"uri":"https://x.example"}"#).is_err());
        let replay = ReplayRequest { since: "2026-12-01T09:00:00+01:00".into() };
        assert_eq!(replay.parse().unwrap(), Timestamp::parse("2026-12-01T08:00:00Z").unwrap());
        assert_eq!(ReplayRequest::default().parse().unwrap_err().field, Field::FailedSince);
        assert_eq!(RotateRequest { overlap_seconds: Some(-1) }.parse().unwrap_err().field, Field::Overlap);
        assert_eq!(DeliveryStatus::from_key("failed"), Some(DeliveryStatus::Failed));
    }

    #[test]
    fn message_ids_are_one_per_ticket_event() {
        let id = TicketId::parse("3f2a").unwrap();
        assert_eq!(message_id(&id, 7), "msg_3f2a_7");
    }
}
