//! The recovery record: the workspace's scorecard over a chosen period, as
//! the worker renders it at `/r/{workspace}` (the same page a published
//! record shows the world; a signed-in workspace sees it even unpublished),
//! embedded here, with a link to the public page.

use leptos::html;
use leptos::prelude::*;

use mend_core::clock::Timestamp;
use mend_core::record::Period;

use crate::console::{focus_on_show, use_ctx};
use crate::text;

/// The browser's clock, as the core takes it.
fn now() -> Timestamp {
    Timestamp::from_unix_ms(js_sys::Date::now() as i64).unwrap_or(Timestamp::EPOCH)
}

/// The record page.
#[component]
pub fn RecordView() -> impl IntoView {
    let ctx = use_ctx();
    let workspace = ctx.workspace();
    let company = ctx.session.with_untracked(|s| s.as_ref().map(|s| s.company.clone()).unwrap_or_default());
    // The same default period as the API's and the scorecard's, worked out by the core.
    let recent = Period::recent(now());
    let from = RwSignal::new(recent.from_day());
    let to = RwSignal::new(recent.to_day());
    // The period showing: changed by the form's button, not by every keystroke.
    let period = RwSignal::new((from.get_untracked(), to.get_untracked()));
    let error = RwSignal::new(None::<String>);
    let heading = NodeRef::<html::H1>::new();
    focus_on_show(heading);

    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (start, end) = (from.get_untracked(), to.get_untracked());
        // The core's rule for a period, so the scorecard below never answers a refusal.
        match Period::parse(Some(&start), Some(&end), now()) {
            Ok(chosen) => {
                error.set(None);
                period.set((chosen.from_day(), chosen.to_day()));
            }
            Err(refused) => error.set(Some(refused.to_string())),
        }
    };
    let path = format!("/r/{workspace}");
    let src = {
        let path = path.clone();
        move || period.with(|(from, to)| format!("{path}?from={from}&to={to}"))
    };
    let title = {
        let company = company.clone();
        move || {
            period.with(|(from, to)| text::fill(&text::fill(&text::fill(text::RECORD_FRAME_TITLE, &company), from), to))
        }
    };
    let date = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <div>
                <label for=id>{label}</label>
                <input id=id type="date" data-testid=id aria-describedby="period-error" prop:value=move || signal.get()
                    on:input=move |ev| signal.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <section class="record" data-testid="record" aria-labelledby="record-title">
            <h1 id="record-title" tabindex="-1" node_ref=heading>{text::RECORD_TITLE}</h1>
            <p class="hint">{text::RECORD_HINT}</p>
            <form class="period" novalidate data-testid="period-form" on:submit=show>
                <div class="pair">
                    {date("record-from", text::PERIOD_FROM, from)}
                    {date("record-to", text::PERIOD_TO, to)}
                </div>
                <p id="period-error" class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" data-testid="record-show">{text::PERIOD_SHOW}</button>
            </form>
            <iframe class="scorecard" data-testid="scorecard" src=src title=title></iframe>
            <p>
                <a href=path.clone() target="_blank" rel="noopener" data-testid="record-public-link">{text::RECORD_PUBLIC_LINK}</a>
                " " <span class="hint">{text::RECORD_PUBLIC_HINT}</span>
            </p>
        </section>
    }
}
