//! The only module of the widget that talks to the company's page: messages
//! between the loader (`public/widget.js`, on the company's origin) and this
//! frame (on Mend's origin), both ways, over `postMessage`.
//!
//! The page's side is `window.Mend`: `report({orderId, summary})` prefills
//! the form, `identify(jwt)` identifies the customer, `setContext({...})`
//! follows a single-page app to another order. This frame answers with the
//! events the page can listen to (`reported`, `solved`) and asks to be
//! closed (`close`).
//!
//! (Interface first; the loader side and the message checks are being
//! filled in with the loader's JS API.)

use leptos::prelude::*;

/// What the company's page asked the form to start with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    /// The order the problem is about.
    pub order_id: Option<String>,
    /// The customer's first words about it.
    pub summary: Option<String>,
}

/// What the company's page says about where the customer is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageContext {
    /// The order on screen, if any.
    pub order_id: Option<String>,
}

/// Something the widget tells the company's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// The customer reported a problem; `ticket` is its id.
    Reported { ticket: String },
    /// The customer confirmed ticket `ticket` is solved.
    Solved { ticket: String },
    /// The customer asked to close the widget.
    Close,
}

/// The company's page as the widget hears it.
#[derive(Debug, Clone, Copy)]
pub struct Host {
    /// Set by `Mend.report(...)`.
    pub prefill: RwSignal<Option<Prefill>>,
    /// Set by `Mend.identify(jwt)`: the identity token to send with reports.
    pub identity: RwSignal<Option<String>>,
    /// Set by `Mend.setContext(...)`, and first from the frame's address.
    pub context: RwSignal<PageContext>,
}

impl Host {
    /// Starts listening to the company's page. The frame's address gives the
    /// first context (`?order=1042`).
    pub fn connect() -> Host {
        let order_id = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
            .and_then(|params| params.get("order"))
            .filter(|order| !order.trim().is_empty());
        Host {
            prefill: RwSignal::new(None),
            identity: RwSignal::new(None),
            context: RwSignal::new(PageContext { order_id }),
        }
    }

    /// Tells the company's page that `event` happened.
    pub fn emit(&self, event: HostEvent) {
        let _ = event;
    }
}
