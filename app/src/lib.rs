//! `mend-app`: the customer widget, a Leptos (CSR) app running in the frame
//! that the loader (`public/widget.js`) opens on the company's page.
//!
//! The customer says what happened and how it affected them, sees the
//! company's apology, watches the ticket move live, and alone answers "Is
//! this solved for you?". The ticket's state is not kept here: it is folded
//! from the event log by `mend-core`, exactly as the worker folds it.
//! [`api`] is the only module that touches the network, `device` the only
//! one that touches the device's storage, `host` the only one that talks to
//! the company's page.

pub mod api;
mod device;
mod format;
mod host;
mod widget;

pub use widget::Widget;

/// Mounts the widget into `#mend`, replacing its loading message.
pub fn mount() {
    use wasm_bindgen::JsCast;
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("mend"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, Widget).forget();
}
