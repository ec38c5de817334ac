//! What Mend's two browser apps — the customer's widget and the rep
//! console — share: one [`ApiError`], one way to send a request and decode
//! Mend's answer ([`request`]), one way to open a live socket and hand
//! what happens on it to the app ([`socket`]), one [`FormField`], and
//! moving the focus ([`focus`]).
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

use wasm_bindgen::JsCast;

/// Moves the keyboard focus to the element with `id`, if the page has it
/// and it can take focus.
pub fn focus(id: &str) {
    let element = leptos::prelude::document().get_element_by_id(id);
    if let Some(element) = element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
pub use field::{FieldError, FormField};
