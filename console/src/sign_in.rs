//! Signing in with a rep or manager key: Mend trades it for an HttpOnly
//! session cookie, so the key itself is never kept in the browser.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::wire::ErrorDetail;

use crate::api::{self, ApiError, Said};
use crate::console::use_ctx;
use crate::text;

/// The sign-in form.
#[component]
pub fn SignIn() -> impl IntoView {
    let ctx = use_ctx();
    let key = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let typed = key.get_untracked();
        if typed.trim().is_empty() {
            // Nothing to send: said as Mend says a refusal, though it is the form's own.
            let missing = ErrorDetail::new("validation", text::KEY_MISSING.to_owned());
            error.set(Some(ApiError::Refused { status: 422, error: missing }));
            return;
        }
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_in(&typed).await {
                Ok(session) => {
                    key.set(String::new());
                    ctx.signed_in(session);
                }
                Err(err) => error.set(Some(err)),
            }
            sending.set(false);
        });
    };
    let message = move || {
        error.with(|e| e.as_ref().map(|e| if e.is_signed_out() { text::KEY_REFUSED.to_owned() } else { e.message() }))
    };
    view! {
        <main class="sign-in">
            <h1>{text::SIGN_IN_TITLE}</h1>
            <p>{text::SIGN_IN_HINT}</p>
            <form data-testid="sign-in" novalidate on:submit=submit>
                <label for="key">{text::KEY_LABEL}</label>
                <input
                    id="key"
                    type="password"
                    data-testid="key"
                    autocomplete="off"
                    spellcheck="false"
                    required
                    aria-required="true"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="key-error"
                    node_ref=field
                    prop:value=move || key.get()
                    on:input=move |ev| key.set(event_target_value(&ev))
                />
                <p id="key-error" class="field-error" role="alert" data-testid="sign-in-error">{message}</p>
                <button type="submit" data-testid="sign-in-submit" disabled=move || sending.get()>
                    {move || if sending.get() { text::SIGNING_IN } else { text::SIGN_IN }}
                </button>
            </form>
        </main>
    }
}
