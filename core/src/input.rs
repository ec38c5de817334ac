//! Parse, don't validate: every piece of text that enters Mend becomes a
//! newtype here, at the boundary, or is refused with an [`InputError`] that
//! names the field and says, in words a customer can act on, what to fix.
//!
//! Text is kept as text. Nothing here (or anywhere in Mend) interprets it as
//! HTML; the widget renders it as text nodes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The input fields Mend accepts, named as they are on the wire.
///
/// [`Field::key`] gives the JSON key, which is what the worker reports as
/// `error.field` in a 422. Several fields share a key (`text`, `reason`)
/// because they live in different requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `workspace`: the company's workspace id in a report ([`WorkspaceId`]).
    /// The worker also names it when the id is well formed but no workspace uses it.
    Workspace,
    /// `ticket_id`: a ticket's id ([`TicketId`]).
    TicketId,
    /// `order_id`: the host page's order reference in a report ([`OrderId`]).
    OrderId,
    /// `what_happened`: the customer's account of the problem ([`WhatHappened`]).
    WhatHappened,
    /// `how_it_affected_you`: the customer's account of the harm ([`Impact`]).
    HowItAffectedYou,
    /// `text`: the company's update in an `update` command ([`UpdateText`]).
    Text,
    /// `next_update_by`: the promise of an `update` command. Named both
    /// when it is not an RFC 3339 time and when it is not in the future or
    /// is more than 14 days ahead.
    NextUpdateBy,
    /// `summary`: what was done, in a `propose_resolution` command ([`Summary`]).
    Summary,
    /// `prevention`: what changed so it won't recur, in a
    /// `propose_resolution` command ([`PreventionNote`]).
    Prevention,
    /// `reason`: the customer's "not yet" reason in a `not_yet` command ([`Reason`]).
    Reason,
    /// `since`: the query parameter of the events and live routes, the
    /// sequence number to resume after; it must be a whole number.
    Since,
    /// `currency`: the currency code of any amount ([`Currency`](crate::money::Currency)).
    Currency,
    /// `minor_units`: the size of any amount ([`Money`](crate::money::Money)).
    Amount,
    /// `text`: a conversation message in a `message` command ([`MessageText`]).
    Message,
    /// `question`: the company's question in an `ask` command ([`QuestionText`]).
    Question,
    /// `contact_email`: where the customer wants updates ([`ContactEmail`]).
    ContactEmail,
    /// `feelings`: the chips the customer picked in a report
    /// ([`Feeling`](crate::ticket::Feeling)).
    Feelings,
    /// `hours_lost`: the hours a customer says the problem cost them.
    HoursLost,
    /// `reason`: why a rep escalates, in an `escalate` command
    /// ([`EscalationReason`](crate::ticket::EscalationReason)).
    Escalation,
    /// `kind`: the kind of make-good in an `offer_make_good` command
    /// ([`MakeGoodKind`](crate::make_good::MakeGoodKind)).
    MakeGoodKind,
    /// `note`: a rep's note on a make-good offer ([`Note`]).
    Note,
    /// `score`: the customer's rating of the recovery ([`Score`]).
    Score,
    /// `comment`: what the customer adds to their rating ([`Comment`]).
    Comment,
    /// `id`: the id of a workspace being created ([`WorkspaceId`]).
    NewWorkspace,
    /// `name`: the company's name as customers know it ([`CompanyName`]).
    CompanyName,
    /// `apology`: the company's apology, shown first to every customer who
    /// reports ([`Apology`]).
    Apology,
    /// `colour`: the brand colour of the widget ([`Colour`]).
    Colour,
    /// `locale`: the widget's language ([`Locale`]).
    Locale,
    /// `origins`: the sites that may embed the widget ([`Origin`]).
    Origins,
    /// `make_good_policy`: a workspace's make-good policy.
    Policy,
    /// `role`: a workspace key's role, `rep` or `manager`.
    Role,
    /// `label`: whose a workspace key is ([`KeyLabel`]).
    Label,
    /// `filter`: the query parameter choosing a part of the queue.
    Filter,
    /// `idempotency_key`: the `Idempotency-Key` header of a POST.
    IdempotencyKey,
    /// `voice_terms`: a workspace's own one-voice terms
    /// ([`VoiceTerm`](crate::workspace::VoiceTerm)).
    VoiceTerms,
    /// `from`: the first day of a recovery record's period (`YYYY-MM-DD`).
    From,
    /// `to`: the last day of a recovery record's period (`YYYY-MM-DD`).
    To,
    /// `url`: where a webhook endpoint receives Mend's events
    /// ([`EndpointUrl`](crate::webhook::EndpointUrl)).
    EndpointUrl,
    /// `description`: what a webhook endpoint is for ([`Description`]).
    Description,
    /// `event_types`: the webhook event types an endpoint receives
    /// ([`EventType`](crate::webhook::EventType)).
    EventTypes,
    /// `overlap_seconds`: how long a rotated webhook secret keeps signing.
    Overlap,
    /// `since`: the time from which failed webhook deliveries are replayed.
    FailedSince,
    /// `time_zone`: the IANA time zone of a workspace's opening hours
    /// ([`Hours`](crate::hours::Hours)).
    TimeZone,
    /// `week`: a workspace's opening spans per weekday.
    Week,
    /// `closed_dates`: the dates a workspace is closed all day.
    ClosedDates,
    /// `first_answer_minutes`: the first-answer target, in opening time.
    FirstAnswer,
    /// `customer_subject`: the identity `sub` of a signed-in customer a
    /// proactive report is for.
    CustomerSubject,
    /// `customer`: who a proactive report is for; named when it gives
    /// neither an email address nor an identity to reach them by.
    Customer,
    /// `to`: the key id of the colleague a `hand_over` command gives the
    /// ticket to; named when no key in force in the workspace has it.
    Colleague,
    /// `note`: what the owner tells the colleague they hand a ticket over
    /// to ([`HandoverNote`]).
    HandoverNote,
    /// `held`: the customer's answer to the follow-up, `true` or `false`.
    Held,
    /// `follow_up_days`: how many days after "solved" Mend asks whether
    /// the fix held, 1 to 30.
    FollowUpDays,
}

impl Field {
    /// The JSON key this field travels under (an error body's `field`);
    /// `const`, so an app can match on it as a pattern.
    pub const fn key(self) -> &'static str {
        match self {
            Field::Workspace => "workspace",
            Field::TicketId => "ticket_id",
            Field::OrderId => "order_id",
            Field::WhatHappened => "what_happened",
            Field::HowItAffectedYou => "how_it_affected_you",
            Field::Text => "text",
            Field::NextUpdateBy => "next_update_by",
            Field::Summary => "summary",
            Field::Prevention => "prevention",
            Field::Reason => "reason",
            Field::Since => "since",
            Field::Currency => "currency",
            Field::Amount => "minor_units",
            Field::Message => "text",
            Field::Question => "question",
            Field::ContactEmail => "contact_email",
            Field::Feelings => "feelings",
            Field::HoursLost => "hours_lost",
            Field::Escalation => "reason",
            Field::MakeGoodKind => "kind",
            Field::Note => "note",
            Field::Score => "score",
            Field::Comment => "comment",
            Field::NewWorkspace => "id",
            Field::CompanyName => "name",
            Field::Apology => "apology",
            Field::Colour => "colour",
            Field::Locale => "locale",
            Field::Origins => "origins",
            Field::Policy => "make_good_policy",
            Field::Role => "role",
            Field::Label => "label",
            Field::Filter => "filter",
            Field::IdempotencyKey => "idempotency_key",
            Field::VoiceTerms => "voice_terms",
            Field::From => "from",
            Field::To => "to",
            Field::EndpointUrl => "url",
            Field::Description => "description",
            Field::EventTypes => "event_types",
            Field::Overlap => "overlap_seconds",
            Field::FailedSince => "since",
            Field::TimeZone => "time_zone",
            Field::Week => "week",
            Field::ClosedDates => "closed_dates",
            Field::FirstAnswer => "first_answer_minutes",
            Field::CustomerSubject => "customer_subject",
            Field::Customer => "customer",
            Field::Colleague => "to",
            Field::HandoverNote => "note",
            Field::Held => "held",
            Field::FollowUpDays => "follow_up_days",
        }
    }

    /// How a person calls this field, at the start of a sentence.
    fn label(self) -> &'static str {
        match self {
            Field::Workspace => "The workspace",
            Field::TicketId => "The ticket id",
            Field::OrderId => "The order id",
            Field::WhatHappened => "What happened",
            Field::HowItAffectedYou => "How it affected you",
            Field::Text => "The update",
            Field::NextUpdateBy => "The next-update promise",
            Field::Summary => "The resolution summary",
            Field::Prevention => "The prevention note",
            Field::Reason => "The reason",
            Field::Since => "The sequence number to resume after",
            Field::Currency => "The currency",
            Field::Amount => "The amount",
            Field::Message => "The message",
            Field::Question => "The question",
            Field::ContactEmail => "The email address",
            Field::Feelings => "How you feel",
            Field::HoursLost => "The time lost",
            Field::Escalation => "The reason to escalate",
            Field::MakeGoodKind => "The kind of make-good",
            Field::Note => "The note",
            Field::Score => "The rating",
            Field::Comment => "The comment",
            Field::NewWorkspace => "The workspace id",
            Field::CompanyName => "The company name",
            Field::Apology => "The apology",
            Field::Colour => "The colour",
            Field::Locale => "The locale",
            Field::Origins => "Each allowed origin",
            Field::Policy => "The make-good policy",
            Field::Role => "The role",
            Field::Label => "The label",
            Field::Filter => "The queue filter",
            Field::IdempotencyKey => "The Idempotency-Key header",
            Field::VoiceTerms => "The one-voice terms",
            Field::From => "The period's first day (from)",
            Field::To => "The period's last day (to)",
            Field::EndpointUrl => "The endpoint's URL",
            Field::Description => "The description",
            Field::EventTypes => "Each event type",
            Field::Overlap => "The overlap",
            Field::FailedSince => "The time to replay failures from",
            Field::TimeZone => "The time zone",
            Field::Week => "The opening hours",
            Field::ClosedDates => "The closed dates",
            Field::FirstAnswer => "The first-answer target",
            Field::CustomerSubject => "The customer's identity",
            Field::Customer => "The customer",
            Field::Colleague => "The colleague",
            Field::HandoverNote => "The note for your colleague",
            Field::Held => "Whether the fix held",
            Field::FollowUpDays => "The days before the follow-up",
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Absent, or only whitespace.
    Missing,
    /// Longer than the limit, counted in characters.
    TooLong {
        /// The limit, in characters (not bytes).
        max: usize,
    },
    /// Contains control characters other than newlines and tabs.
    ControlCharacters,
    /// Not of the expected shape, described in words.
    Malformed {
        /// What the field must be, worded to follow "must be"
        /// (`"a whole number from 1 to 5"`).
        expected: &'static str,
    },
}

impl Problem {
    /// What kind of problem this is: an error body's `problem`.
    pub fn kind(&self) -> ProblemKind {
        match self {
            Problem::Missing => ProblemKind::Missing,
            Problem::TooLong { .. } => ProblemKind::TooLong,
            Problem::ControlCharacters => ProblemKind::ControlCharacters,
            Problem::Malformed { .. } => ProblemKind::Malformed,
        }
    }
}

/// What is wrong with a field, as an error body's `problem` names it: the
/// kind of a [`Problem`], or `unknown` for a key the body may not have.
/// Both apps decode it into this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// `missing`: absent, or only whitespace.
    Missing,
    /// `too_long`: longer than the body's `max` characters.
    TooLong,
    /// `control_characters`: invisible characters other than newlines and tabs.
    ControlCharacters,
    /// `malformed`: not of the expected shape.
    Malformed,
    /// `unknown`: a key the body may not have, such as a misspelt setting.
    Unknown,
}

/// A field that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The field at fault; its [`Field::key`] is returned as `error.field`.
    pub field: Field,
    /// What is wrong with it. With the field, it makes the sentence
    /// [`Display`](fmt::Display) shows the customer.
    pub problem: Problem,
}

impl InputError {
    /// The error saying `problem` about `field`.
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.field.label();
        match &self.problem {
            Problem::Missing => write!(f, "{label} is required."),
            Problem::TooLong { max } => {
                write!(f, "{label} is too long: please keep it under {max} characters.")
            }
            Problem::ControlCharacters => {
                write!(f, "{label} contains invisible control characters; please retype it.")
            }
            Problem::Malformed { expected } => write!(f, "{label} must be {expected}."),
        }
    }
}

impl std::error::Error for InputError {}

/// Trims `raw` and checks it is present, within `max` characters and free
/// of control characters other than newline, carriage return and tab.
fn bounded(field: Field, raw: &str, max: usize) -> Result<String, InputError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    if text.chars().count() > max {
        return Err(InputError::new(field, Problem::TooLong { max }));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(InputError::new(field, Problem::ControlCharacters));
    }
    Ok(text.to_owned())
}

/// Checks an identifier: 1..=`max` characters from `[a-z0-9_-]`.
fn slug(field: Field, raw: &str, max: usize, expected: &'static str) -> Result<String, InputError> {
    if raw.is_empty() {
        return Err(InputError::new(field, Problem::Missing));
    }
    let ok =
        raw.len() <= max && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok { Ok(raw.to_owned()) } else { Err(InputError::new(field, Problem::Malformed { expected })) }
}

/// Declares a string newtype whose only constructor is `parse`, and whose
/// serde form is the plain string (deserialising re-checks the limits).
macro_rules! newtype {
    ($(#[$doc:meta])* $name:ident, |$raw:ident| $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            #[doc = concat!(
                "Accepts `raw` as a [`", stringify!($name), "`] if it meets the limits in ",
                "the type's docs; otherwise the [`InputError`] names the field and the ",
                "problem. Deserialising goes through here too."
            )]
            pub fn parse($raw: &str) -> Result<Self, InputError> {
                $check.map(Self)
            }

            #[doc = concat!(
                "The accepted text of this [`", stringify!($name), "`], as stored and sent on the wire."
            )]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InputError;
            fn try_from(raw: String) -> Result<Self, InputError> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Longest free text a customer or rep may write in one field.
pub const MAX_TEXT: usize = 4000;
/// Longest order reference a host page may pass.
pub const MAX_ORDER_ID: usize = 64;

newtype!(
    /// A workspace: one company using Mend (`acme`). 1 to 40 characters from
    /// `a-z`, `0-9`, `-` and `_`, taken as given (no trimming).
    WorkspaceId,
    |raw| slug(Field::Workspace, raw, 40, "1 to 40 lowercase letters, digits, '-' or '_'")
);
newtype!(
    /// A ticket's id. The worker draws it at random; the core only checks its shape:
    /// 1 to 64 characters from `a-z`, `0-9`, `-` and `_`, taken as given.
    TicketId,
    |raw| slug(Field::TicketId, raw, 64, "1 to 64 lowercase letters, digits, '-' or '_'")
);
newtype!(
    /// The host page's order reference (`1042`), kept exactly as given once
    /// trimmed: 1 to [`MAX_ORDER_ID`] characters with no control characters
    /// other than newline, tab and carriage return.
    OrderId,
    |raw| bounded(Field::OrderId, raw, MAX_ORDER_ID)
);
newtype!(
    /// What happened, in the customer's own words.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    WhatHappened,
    |raw| bounded(Field::WhatHappened, raw, MAX_TEXT)
);
newtype!(
    /// How the problem affected the customer, in their own words.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    Impact,
    |raw| bounded(Field::HowItAffectedYou, raw, MAX_TEXT)
);
newtype!(
    /// A rep's update to the customer.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    UpdateText,
    |raw| bounded(Field::Text, raw, MAX_TEXT)
);
newtype!(
    /// What the company did to solve the problem, as proposed to the customer.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    Summary,
    |raw| bounded(Field::Summary, raw, MAX_TEXT)
);
newtype!(
    /// What the company changed so this won't happen again.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    PreventionNote,
    |raw| bounded(Field::Prevention, raw, MAX_TEXT)
);
newtype!(
    /// Why the customer says the problem is not solved yet.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    Reason,
    |raw| bounded(Field::Reason, raw, MAX_TEXT)
);

newtype!(
    /// A message in the ticket's conversation, from the customer or the company.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    MessageText,
    |raw| bounded(Field::Message, raw, MAX_TEXT)
);
newtype!(
    /// A question the company asks the customer; asking pauses the promise clock.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    QuestionText,
    |raw| bounded(Field::Question, raw, MAX_TEXT)
);
newtype!(
    /// A rep's note on a make-good offer, shown to the customer.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    Note,
    |raw| bounded(Field::Note, raw, MAX_TEXT)
);
newtype!(
    /// What the owner of a ticket tells the colleague they hand it over to.
    /// The company's own: the customer never sees it.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    HandoverNote,
    |raw| bounded(Field::HandoverNote, raw, MAX_TEXT)
);
newtype!(
    /// What the customer adds to their rating of the recovery.
    /// Trimmed, then 1 to [`MAX_TEXT`] characters with no control characters
    /// other than newline, tab and carriage return.
    Comment,
    |raw| bounded(Field::Comment, raw, MAX_TEXT)
);
newtype!(
    /// Where the customer wants updates while they are away. Checked for
    /// shape only: one `@`, something before it, a dotted domain after it.
    /// Trimmed; at most 254 characters and no whitespace.
    ContactEmail,
    |raw| {
        let email = bounded(Field::ContactEmail, raw, 254)?;
        let valid = email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }) && !email.chars().any(char::is_whitespace);
        if valid {
            Ok(email)
        } else {
            Err(InputError::new(Field::ContactEmail, Problem::Malformed { expected: "an email address such as ana@example.com" }))
        }
    }
);

newtype!(
    /// A company's name as its customers know it ("Acme Furniture"): 1 to
    /// 100 characters. The widget signs every company event with it.
    CompanyName,
    |raw| bounded(Field::CompanyName, raw, 100)
);
newtype!(
    /// The company's apology in its own words, the first thing a customer
    /// reads after reporting: at most 1000 characters, and sincere — it
    /// must say sorry (or apologise) without minimising or conditions
    /// ([`is_sincere_apology`](crate::voice::is_sincere_apology)).
    Apology,
    |raw| {
        let text = bounded(Field::Apology, raw, 1000)?;
        if crate::voice::is_sincere_apology(&text) {
            Ok(text)
        } else {
            Err(InputError::new(Field::Apology, Problem::Malformed {
                expected: "a sincere apology: say sorry plainly, without \"if\" or \"any inconvenience\"",
            }))
        }
    }
);
newtype!(
    /// A company's apology as a ticket's log keeps it: checked for
    /// sincerity as an [`Apology`] when the company wrote it, and read back
    /// as written (so a client that reads logs carries no sincerity rules).
    /// Trimmed, then 1 to 1000 characters with no control characters other
    /// than newline, tab and carriage return.
    ApologyText,
    |raw| bounded(Field::Apology, raw, 1000)
);

impl From<Apology> for ApologyText {
    fn from(apology: Apology) -> Self {
        Self(apology.0)
    }
}

newtype!(
    /// What a webhook endpoint is for ("Slack: missed promises"), as its
    /// managers read it: at most 200 characters, possibly empty.
    Description,
    |raw| {
        let text = raw.trim();
        if text.is_empty() { Ok(String::new()) } else { bounded(Field::Description, text, 200) }
    }
);
newtype!(
    /// Who holds a workspace key ("Ana, support"): 1 to 100 characters.
    KeyLabel,
    |raw| bounded(Field::Label, raw, 100)
);

impl KeyLabel {
    /// The holder's first name: the label's first word, without trailing
    /// punctuation ("Ana, support" → "Ana").
    pub fn first_name(&self) -> Option<FirstName> {
        let word = self.0.split_whitespace().next()?.trim_end_matches(|c: char| !c.is_alphanumeric());
        FirstName::parse(word).ok()
    }
}

newtype!(
    /// The first name a rep signs company events with, where the workspace
    /// allows it: 1 to 40 characters.
    FirstName,
    |raw| bounded(Field::Label, raw, 40)
);
newtype!(
    /// The widget's brand colour: `#` and six hex digits, kept lowercase.
    Colour,
    |raw| {
        let hex = raw.trim().strip_prefix('#').filter(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        match hex {
            Some(hex) => Ok(format!("#{}", hex.to_ascii_lowercase())),
            None => Err(InputError::new(Field::Colour, Problem::Malformed { expected: "a colour such as #1f6feb" })),
        }
    }
);

impl Colour {
    /// The colour of text on this one: white wherever white reaches WCAG's
    /// 4.5:1 contrast on it, else near-black (so a pale brand colour still
    /// gets readable buttons).
    pub fn text_colour(&self) -> &'static str {
        let channel = |at: usize| {
            let value = f64::from(u8::from_str_radix(&self.0[at..at + 2], 16).unwrap_or(0)) / 255.0;
            if value <= 0.04045 { value / 12.92 } else { ((value + 0.055) / 1.055).powf(2.4) }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        if 1.05 / (luminance + 0.05) >= 4.5 { "#ffffff" } else { "#111827" }
    }
}

newtype!(
    /// The widget's language: a language code, optionally with a region
    /// (`en`, `de`, `pt-BR`).
    Locale,
    |raw| {
        let (language, region) = raw.trim().split_once('-').map_or((raw.trim(), None), |(l, r)| (l, Some(r)));
        let language_ok = (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase());
        let region_ok = region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
        if language_ok && region_ok {
            Ok(raw.trim().to_owned())
        } else {
            Err(InputError::new(Field::Locale, Problem::Malformed { expected: "a language code such as en, de or pt-BR" }))
        }
    }
);
impl Locale {
    /// Whether the language is written right to left (Arabic, Hebrew, Persian, Urdu).
    pub fn is_rtl(&self) -> bool {
        matches!(self.0.split('-').next(), Some("ar" | "he" | "fa" | "ur"))
    }
}

newtype!(
    /// A site that may embed the widget, exactly as browsers send it in the
    /// `Origin` header: `https://shop.example` or `http://127.0.0.1:8080`
    /// — scheme, host and a non-default port, nothing else. Letters are
    /// kept lowercase and a default port is dropped, so the stored origin
    /// compares equal to the header. Safe to put in a header or a CSP.
    Origin,
    |raw| parse_origin(raw.trim())
        .ok_or(InputError::new(Field::Origins, Problem::Malformed { expected: "an origin such as https://shop.example, with no path" }))
);

fn parse_origin(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let port = match port {
        None => None,
        Some(port) => match port.parse::<u16>() {
            Ok(n) if n > 0 && port == n.to_string() => (port != default_port).then_some(port),
            _ => return None,
        },
    };
    host_ok.then(|| match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// How the customer rates the recovery: 1 (badly) to 5 (very well).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    /// Accepts a whole number from 1 to 5; anything else is refused against
    /// [`Field::Score`].
    pub fn parse(raw: i64) -> Result<Self, InputError> {
        match u8::try_from(raw) {
            Ok(score @ 1..=5) => Ok(Self(score)),
            _ => Err(InputError::new(Field::Score, Problem::Malformed { expected: "a whole number from 1 to 5" })),
        }
    }

    /// The score, from 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = InputError;
    fn try_from(raw: u8) -> Result<Self, InputError> {
        Self::parse(i64::from(raw))
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_kept_as_written() {
        let text = WhatHappened::parse("  The armchair <b>never</b> came.\n").unwrap();
        assert_eq!(text.as_str(), "The armchair <b>never</b> came.");
    }

    #[test]
    fn blank_text_is_missing() {
        let err = WhatHappened::parse(" \n\t ").unwrap_err();
        assert_eq!(err, InputError::new(Field::WhatHappened, Problem::Missing));
        assert_eq!(err.to_string(), "What happened is required.");
    }

    #[test]
    fn text_over_the_limit_is_refused_by_characters_not_bytes() {
        assert!(WhatHappened::parse(&"é".repeat(MAX_TEXT)).is_ok());
        let err = WhatHappened::parse(&"é".repeat(MAX_TEXT + 1)).unwrap_err();
        assert_eq!(err.problem, Problem::TooLong { max: MAX_TEXT });
        assert_eq!(err.to_string(), "What happened is too long: please keep it under 4000 characters.");
    }

    #[test]
    fn control_characters_are_refused() {
        let err = Reason::parse("fine\u{0}").unwrap_err();
        assert_eq!(err.problem, Problem::ControlCharacters);
    }

    #[test]
    fn origins_are_kept_as_browsers_send_them() {
        let origin = |raw: &str| Origin::parse(raw).map(|o| o.to_string());
        assert_eq!(origin("https://Shop.Example").unwrap(), "https://shop.example");
        assert_eq!(origin("https://shop.example:443").unwrap(), "https://shop.example");
        assert_eq!(origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://shop.example/",
            "https://shop.example/path",
            "https://",
            "https://shop..example",
            "https://shop.example:0",
            "https://shop.example:080",
            "https://shop.example:99999",
            "https://user@shop.example",
            "https://shop.example; script-src *",
        ] {
            assert_eq!(origin(bad).unwrap_err().field, Field::Origins, "{bad}");
        }
    }

    #[test]
    fn an_apology_must_be_sincere() {
        assert!(Apology::parse("We're truly sorry: we let you down.").is_ok());
        let err = Apology::parse("We apologise for any inconvenience.").unwrap_err();
        assert_eq!(err.field, Field::Apology);
        assert!(Apology::parse("Thanks for reaching out.").is_err());
    }

    #[test]
    fn a_first_name_is_the_first_word_of_a_key_label() {
        let name = |label: &str| KeyLabel::parse(label).unwrap().first_name().map(String::from);
        assert_eq!(name("Ana, support").as_deref(), Some("Ana"));
        assert_eq!(name("José").as_deref(), Some("José"));
        assert_eq!(name("—").as_deref(), None);
    }

    #[test]
    fn colours_and_locales_have_one_spelling() {
        assert_eq!(Colour::parse("#1F6FEB").unwrap().as_str(), "#1f6feb");
        assert!(Colour::parse("blue").is_err());
        assert!(Colour::parse("#12345").is_err());
        // White on the colour where white reaches 4.5:1, else near-black.
        assert_eq!(Colour::parse("#1d4ed8").unwrap().text_colour(), "#ffffff");
        assert_eq!(Colour::parse("#767676").unwrap().text_colour(), "#ffffff"); // 4.54:1
        assert_eq!(Colour::parse("#777777").unwrap().text_colour(), "#111827"); // 4.48:1
        assert_eq!(Colour::parse("#ffd400").unwrap().text_colour(), "#111827");
        assert!(Locale::parse("en").is_ok() && Locale::parse("pt-BR").is_ok());
        assert!(Locale::parse("EN").is_err() && Locale::parse("en_US").is_err() && Locale::parse("english").is_err());
    }

    #[test]
    fn workspace_ids_are_slugs() {
        assert!(WorkspaceId::parse("acme").is_ok());
        assert_eq!(WorkspaceId::parse("").unwrap_err().problem, Problem::Missing);
        let err = WorkspaceId::parse("Acme Furniture").unwrap_err();
        assert_eq!(err.field, Field::Workspace);
        assert!(matches!(err.problem, Problem::Malformed { .. }));
    }

    #[test]
    fn contact_emails_are_checked_for_shape() {
        assert_eq!(ContactEmail::parse(" ana@example.com ").unwrap().as_str(), "ana@example.com");
        for bad in ["ana", "@example.com", "ana@example", "ana@.com", "ana@example.", "a b@example.com", "a@b@c.com"] {
            assert_eq!(ContactEmail::parse(bad).unwrap_err().field, Field::ContactEmail, "{bad}");
        }
    }

    #[test]
    fn scores_run_from_one_to_five() {
        assert_eq!(Score::parse(5).unwrap().get(), 5);
        for bad in [0, 6, -1, 256] {
            assert_eq!(Score::parse(bad).unwrap_err().to_string(), "The rating must be a whole number from 1 to 5.");
        }
    }

    #[test]
    fn deserialising_rechecks_the_limits() {
        let err = serde_json::from_str::<Summary>("\"   \"").unwrap_err();
        assert!(err.to_string().contains("The resolution summary is required."), "{err}");
    }
}
