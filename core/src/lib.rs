//! `mend-core` is Mend's rulebook: the ticket lifecycle, the limits on every
//! input, and the JSON shapes both sides speak.
//!
//! It is pure. It does no I/O, reads no clock and draws no randomness:
//! callers pass `now` and ids in, so every rule can be tested natively in
//! milliseconds and the worker and the widget obey exactly the same code.
//!
//! - [`input`]: text and ids parsed into newtypes at the boundary.
//! - [`ticket`]: who may do what, in which state; a ticket is a fold over
//!   its append-only, sequenced event log.
//! - [`wire`]: every serde type that crosses HTTP or a WebSocket.
//! - [`clock`]: the [`Timestamp`](clock::Timestamp) every event carries.

pub mod clock;
pub mod input;
pub mod ticket;
pub mod wire;
