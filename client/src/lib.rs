//! What Mend's two browser apps — the customer's widget and the rep
//! console — share: one [`ApiError`], one way to send a request and decode
//! Mend's answer ([`request`]), one way to open a live socket whose
//! handlers live as long as it does ([`socket`]), and one [`FormField`].
//!
//! Each app keeps its own words (how an error reads in its language) and
//! its own policies (when to reconnect, whether to poll); everything here
//! is what both do alike. The widget's first open carries only what it
//! calls of this crate, as it did when the code was its own.

mod error;
mod field;
pub mod request;
pub mod socket;

pub use error::ApiError;
pub use field::{FieldError, FormField};
