//! The recovery record: the workspace's scorecard over a chosen period, as
//! the worker renders it at `/r/{workspace}` (the same page a published
//! record shows the world; a signed-in workspace sees it even unpublished),
//! embedded here, with a link to the public page.

use leptos::html;
use leptos::prelude::*;

use crate::console::{focus_on_show, use_ctx};
use crate::text;

/// `YYYY-MM-DD` of the browser's date `days` from today.
fn date_from_today(days: i32) -> String {
    let date = js_sys::Date::new_0();
    date.set_date((date.get_date() as i32 + days) as u32);
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}

/// Whether `raw` looks like a `date` input's `YYYY-MM-DD`.
fn is_date(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(at, b)| if at == 4 || at == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

/// The record page.
#[component]
pub fn RecordView() -> impl IntoView {
    let ctx = use_ctx();
    let workspace = ctx.workspace();
    let company = ctx.session.with_untracked(|s| s.as_ref().map(|s| s.company.clone()).unwrap_or_default());
    let from = RwSignal::new(date_from_today(-30));
    let to = RwSignal::new(date_from_today(0));
    // The period showing: changed by the form's button, not by every keystroke.
    let period = RwSignal::new((from.get_untracked(), to.get_untracked()));
    let error = RwSignal::new(None::<&'static str>);
    let heading = NodeRef::<html::H1>::new();
    focus_on_show(heading);

    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (start, end) = (from.get_untracked(), to.get_untracked());
        if !is_date(&start) || !is_date(&end) {
            return error.set(Some(text::PERIOD_INVALID));
        }
        if start > end {
            return error.set(Some(text::PERIOD_BACKWARDS));
        }
        error.set(None);
        period.set((start, end));
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

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn only_a_date_inputs_value_is_a_date() {
        assert!(is_date("2026-11-23"));
        for bad in ["", "2026-11-3", "23/11/2026", "2026-11-23T10:00", "2026_11_23"] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
