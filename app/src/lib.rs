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
mod report;
mod reports;
mod text;
mod ticket;
mod widget;

pub use widget::Widget;

/// Mounts the widget into `#mend`. Should anything in it ever panic, the
/// customer sees a sentence and a way on, not a frozen window.
pub fn mount() {
    use wasm_bindgen::JsCast;
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("mend"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    std::panic::set_hook(Box::new(|info| {
        // For the company's developers: what broke, in the frame's console.
        web_sys::console::error_1(&info.to_string().into());
        show_broken();
    }));
    root.set_inner_html("");
    let _ = root.remove_attribute("aria-busy");
    leptos::mount::mount_to(root, Widget).forget();
}

/// Replaces the widget with a message and a reload button. Nothing is lost:
/// the ticket lives on Mend's side and this device remembers it.
fn show_broken() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = document.get_element_by_id("mend") else { return };
    let lang = document.document_element().and_then(|html| html.get_attribute("lang")).unwrap_or_default();
    let text = text::for_locale(&lang);
    root.set_text_content(None);
    let message = document.create_element("p").ok();
    let button = document.create_element("button").ok();
    if let (Some(message), Some(button)) = (message, button) {
        message.set_text_content(Some(text.broken));
        let _ = message.set_attribute("role", "alert");
        button.set_text_content(Some(text.retry));
        // A listener, not an `onclick` attribute: the frame's CSP runs no inline script.
        let reload = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
            let _ = web_sys::window().map(|window| window.location().reload());
        });
        let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
        reload.forget();
        let _ = root.append_child(&message);
        let _ = root.append_child(&button);
    }
}
