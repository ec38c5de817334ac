//! The only module of the widget that talks to the company's page: messages
//! between the loader (`public/widget.js`, on the company's origin) and this
//! frame (on Mend's origin), both ways, over `postMessage`.
//!
//! The page's side is `window.Mend`: `report({orderId, summary})` prefills
//! the form, `identify(jwt)` identifies the customer, `setContext({orderId})`
//! follows a single-page app to another order. This frame answers with the
//! events the page can listen to (`reported`, `solved`) and asks to be
//! closed (`close`, also on Escape).
//!
//! Every message is a plain object `{mend: 1, type, …}`. The loader puts the
//! page's origin in the frame's address (`?host=`); the frame believes it
//! only if it is a bare origin, the frame has a parent, and, where the
//! browser says who embeds us (`location.ancestorOrigins`), it is the
//! parent's origin. Mend's `frame-ancestors` already lets only the
//! workspace's own sites embed the frame at all. From then on the frame
//! hears only messages whose `source` is its parent window *and* whose
//! `origin` is that origin, and posts only to that origin, never to `'*'`.
//! Anything else is ignored without a word. The frame then says `ready`, and
//! the loader sends what the page asked for before the frame was listening.
//!
//! Messages are read with `Reflect`, not serde: every byte of the widget's
//! wasm is downloaded on the first open.

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{KeyboardEvent, MessageEvent, Window};

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
    /// The page's origin, once checked; `None` when the frame is opened on
    /// its own (the full-page ticket view), and then nothing is posted.
    /// Leaked once, as it lives as long as the frame (cheaper in wasm than
    /// a `StoredValue`).
    page: Option<&'static str>,
}

impl Host {
    /// Starts listening to the company's page; call it once per frame. The
    /// frame's address gives the first context (`?order=1042`) and the
    /// page's origin (`?host=`).
    pub fn connect() -> Host {
        let window = web_sys::window();
        let params = window
            .as_ref()
            .and_then(|w| w.location().search().ok())
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok());
        let param = |name: &str| params.as_ref().and_then(|p| p.get(name)).filter(|v| !v.trim().is_empty());
        let page = window
            .as_ref()
            .zip(param("host"))
            .and_then(|(w, claimed)| embedding_origin(w, claimed))
            .map(|page| &*Box::leak(page.into_boxed_str()));
        let host = Host {
            prefill: RwSignal::new(None),
            identity: RwSignal::new(None),
            context: RwSignal::new(PageContext { order_id: param("order") }),
            page,
        };
        if let (Some(window), Some(page)) = (window, page) {
            host.listen(&window, page);
            post(page, "ready", None);
        }
        host
    }

    /// The order on the company's page, if it names one.
    pub fn order_id(&self) -> Option<String> {
        self.context.with(|page| page.order_id.clone())
    }

    /// Tells the company's page that `event` happened.
    pub fn emit(&self, event: HostEvent) {
        let (kind, ticket) = match event {
            HostEvent::Reported { ticket } => ("reported", Some(ticket)),
            HostEvent::Solved { ticket } => ("solved", Some(ticket)),
            HostEvent::Close => ("close", None),
        };
        if let Some(page) = self.page {
            post(page, kind, ticket);
        }
    }

    /// Hears the page's messages, and closes on Escape. The listeners live
    /// as long as the frame, so they are never removed.
    fn listen(self, window: &Window, page: &'static str) {
        let parent = window.parent().ok().flatten();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let from_parent =
                event.source().zip(parent.as_ref()).is_some_and(|(source, parent)| Object::is(&source, parent));
            if from_parent && event.origin() == page {
                self.receive(&event.data());
            }
        });
        // Adding a listener fails only for a callback that is not a function.
        let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        on_message.forget();

        // Escape closes the widget, unless a control inside it used the key.
        let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            if event.key() == "Escape" && !event.default_prevented() && !event.is_composing() {
                self.emit(HostEvent::Close);
            }
        });
        let _ = window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        on_key.forget();
    }

    /// Applies one message from the page; one of another shape changes nothing.
    fn receive(self, data: &JsValue) {
        if field(data, "mend").as_f64() != Some(1.0) {
            return;
        }
        let read = |name| text(&field(data, name));
        match field(data, "type").as_string().as_deref() {
            Some("report") => self.prefill.set(Some(Prefill { order_id: read("orderId"), summary: read("summary") })),
            Some("identify") => self.identity.set(read("jwt")),
            Some("context") => self.context.set(PageContext { order_id: read("orderId") }),
            _ => {}
        }
    }
}

/// The origin of the page embedding this frame, if `claimed` is one and
/// nothing the browser knows says otherwise.
fn embedding_origin(window: &Window, claimed: String) -> Option<String> {
    // A bare origin serialises to itself; anything else (a path, `*`, an opaque `null`) does not.
    let origin = web_sys::Url::new(&claimed).ok()?.origin();
    let parent = window.parent().ok().flatten()?;
    if origin != claimed || origin == "null" || Object::is(&parent, window) {
        return None;
    }
    // Chromium and WebKit name the embedding origins; Firefox does not, and there the frame's CSP still holds.
    let ancestors = field(&window.location(), "ancestorOrigins");
    if !ancestors.is_undefined() && field(&ancestors, "0").as_string().as_deref() != Some(origin.as_str()) {
        return None;
    }
    Some(origin)
}

/// `data[name]`, or `undefined` when `data` has no such field or is no object.
fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `value` as text, if it is some: a string, or a number (an order id may be one).
fn text(value: &JsValue) -> Option<String> {
    let text = match value.dyn_ref::<js_sys::Number>() {
        Some(number) => number.to_string_with_radix(10).ok()?.into(),
        None => value.as_string()?,
    };
    Some(text).filter(|text| !text.trim().is_empty())
}

/// Posts `{mend: 1, type: kind, ticket?}` to the parent page at its checked origin `page`.
fn post(page: &str, kind: &str, ticket: Option<String>) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    let message = Object::new();
    let fields =
        [("mend", JsValue::from(1)), ("type", kind.into())].into_iter().chain(ticket.map(|t| ("ticket", t.into())));
    for (name, value) in fields {
        // Setting a field on a fresh plain object cannot fail.
        let _ = Reflect::set(&message, &JsValue::from_str(name), &value);
    }
    // Posting fails only for a malformed origin, which `embedding_origin` rules out.
    let _ = parent.post_message(&message, page);
}
