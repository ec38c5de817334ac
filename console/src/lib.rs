//! `mend-console`: the rep console, a Leptos (CSR) app at `/console` on
//! Mend's own origin, a bundle of its own so the customer widget stays small.
//!
//! Reps and managers sign in with their key, work the queue most at risk
//! first, and on a ticket read the customer's own words, post updates that
//! carry a promise (with the one-voice reviewer reading along), ask,
//! escalate, propose a resolution and offer a make-good in proportion to the
//! harm. There is no button that closes a ticket: only the customer says it
//! is solved. Managers also keep the workspace's settings. Every rule comes
//! from `mend-core`: the ticket's state is folded from its log, the
//! reviewer is `voice::Reviewer`, the make-good range and verdict are
//! `make_good::suggest` and `assess`. [`api`] is the only module that
//! touches the network; every word is in `text`.

pub mod api;
mod console;
mod format;
mod hours;
mod proactive;
mod queue;
mod record;
mod review;
mod settings;
mod sign_in;
mod text;
mod ticket;
mod webhooks;

pub use console::Console;

/// Mounts the console into `#console`. Should anything in it ever panic,
/// the rep sees a sentence and a reload button, not a frozen page.
pub fn mount() {
    use wasm_bindgen::JsCast;
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("console"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    std::panic::set_hook(Box::new(|info| {
        report_panic(&info.to_string());
        show_broken();
    }));
    root.set_inner_html("");
    let _ = root.remove_attribute("aria-busy");
    leptos::mount::mount_to(root, Console).forget();
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `console.error`, so a developer's tools show what broke.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn report_panic(message: &str);
}

/// Replaces the console with a message and a reload button. Nothing is
/// lost: every ticket lives on Mend's side.
fn show_broken() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = document.get_element_by_id("console") else { return };
    root.set_text_content(None);
    let message = document.create_element("p").ok();
    let button = document.create_element("button").ok();
    if let (Some(message), Some(button)) = (message, button) {
        message.set_text_content(Some(text::BROKEN));
        let _ = message.set_attribute("role", "alert");
        button.set_text_content(Some(text::RELOAD));
        // No inline handler: the console's CSP allows none.
        let reload = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
        reload.forget();
        let _ = root.append_child(&message);
        let _ = root.append_child(&button);
    }
}
