//! `mend-core` is Mend's rulebook: the ticket lifecycle, the limits on every
//! input, and the JSON shapes both sides speak.
//!
//! It is pure. It does no I/O, reads no clock and draws no randomness:
//! callers pass `now` and ids in, so every rule can be tested natively in
//! milliseconds and the worker and the widget obey exactly the same code.
//!
//! - [`input`]: text and ids parsed into newtypes at the boundary.
//! - [`record`]: the recovery record: per-ticket figures and a workspace's
//!   aggregates (time to first apology, promises kept, reopen rate, …).
//! - [`reference`](mod@reference): the short reference of a ticket a person can say
//!   (`ACM-7KQ-3TF`), unique within its workspace.
//! - [`ticket`]: who may do what, in which state; a ticket is a fold over
//!   its append-only, sequenced event log.
//! - [`voice`]: the one-voice reviewer of rep text: blame shifting,
//!   minimising, conditional apologies, hiding behind policy.
//! - [`wire`]: every serde type that crosses HTTP or a WebSocket.
//! - [`make_good`]: proportional make-goods: a suggested range from the
//!   harm reported and the workspace's policy, and an assessment of an offer.
//! - [`money`]: amounts in minor units, printed as people read prices.
//! - [`outbox`]: the work each event leaves behind, and when to retry it.
//! - [`webhook`]: what Mend sends a company's systems after each event:
//!   types, safe addresses, the retry schedule, signing secrets, bodies.
//! - [`proactive`]: the report a company makes for a customer before they
//!   complain, with its apology, first update and make-good.
//! - [`changes`]: the prevention notes a company publishes on its
//!   scorecard: what it changed because customers told it.
//! - [`email`]: which events a customer who is away hears about by email,
//!   and the words of the one email that covers them (English, German).
//! - [`clock`]: the [`Timestamp`](clock::Timestamp) every event carries.
//! - [`hours`]: a company's opening hours and the first-answer time they
//!   give a report, in the company's time zone.
//! - [`whole`]: whole numbers read as JSON Schema counts them (`2.0` is 2).
//! - [`workspace`]: a company's settings (name, apology, colour, origins,
//!   policy) and the roles of its keys.

#![warn(missing_docs)]

pub mod changes;
pub mod clock;
pub mod email;
pub mod hours;
pub mod input;
pub mod make_good;
pub mod money;
pub mod outbox;
pub mod proactive;
pub mod record;
pub mod reference;
pub mod ticket;
pub mod voice;
pub mod webhook;
pub mod whole;
pub mod wire;
pub mod workspace;
