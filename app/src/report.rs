//! The report form: what happened, how it affected the customer, how they
//! feel, what it cost them, and where to reach them — then the apology.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_client::FormField;
use mend_core::input::ProblemKind;
use mend_core::money::typed_minor_units;
use mend_core::ticket::Feeling;
use mend_core::wire::{CostRequest, ErrorDetail, MoneyRequest, ReportRequest};

use crate::api::{ApiError, Said};
use crate::text::Text;
use crate::text::keys::*;
use crate::widget::{self, use_app};

/// A field's error, if the last refusal named it.
fn field_error(error: RwSignal<Option<ApiError>>, fields: &'static [&'static str]) -> impl Fn() -> Option<String> {
    let text = use_app().text;
    move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field().is_some_and(|f| fields.contains(&f)))
                .map(|e| e.message(text, |key| text.label(key)))
        })
    }
}

/// The fields a refusal is shown next to; any other refusal shows above Send.
const FIELDS: &[&str] = &[WHAT_HAPPENED, IMPACT, FEELINGS, CURRENCY, AMOUNT, HOURS_LOST, CONTACT_EMAIL];

/// Asks what happened and how it affected the customer, then reports it.
#[component]
pub fn ReportForm() -> impl IntoView {
    let app = use_app();
    let (text, host) = (app.text, app.host);
    let currency = app.config.with_value(|config| config.currency);
    let what_happened = RwSignal::new(String::new());
    let impact = RwSignal::new(String::new());
    let feelings = RwSignal::new(Vec::<Feeling>::new());
    let money = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let missed_event = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    // `Mend.report({orderId, summary})` on the company's page starts the form, once.
    Effect::new(move |_| {
        if let Some(prefill) = host.prefill.get() {
            host.prefill.set(None);
            if let Some(summary) = prefill.summary {
                what_happened.set(summary);
            }
            if prefill.order_id.is_some() {
                host.context.update(|page| page.order_id = prefill.order_id);
            }
        }
    });
    // The form opens with the customer in its first field, what happened.
    Effect::new(|_| mend_client::focus("what-happened"));
    let order_id = move || host.context.with(|page| page.order_id.clone());

    let submit =
        move || {
            if sending.get_untracked() {
                return;
            }
            // An amount or a number of hours that cannot be read is refused here, before anything is sent.
            let malformed = |field: &str| ApiError::Refused {
                status: 422,
                error: ErrorDetail {
                    field: Some(field.into()),
                    problem: Some(ProblemKind::Malformed),
                    ..ErrorDetail::new("validation", String::new())
                },
            };
            let money_text = money.get_untracked();
            let amount = match money_text.trim() {
                "" => None,
                raw => match typed_minor_units(raw, currency.exponent()) {
                    Some(units) => Some(MoneyRequest { currency: currency.code().into(), minor_units: units }),
                    None => return error.set(Some(malformed(AMOUNT))),
                },
            };
            let hours_text = hours.get_untracked();
            let hours_lost = match hours_text.trim() {
                "" => None,
                raw => match raw.parse::<i64>() {
                    Ok(hours) => Some(hours),
                    Err(_) => return error.set(Some(malformed(HOURS_LOST))),
                },
            };
            let cost = (amount.is_some() || hours_lost.is_some() || missed_event.get_untracked())
                .then(|| CostRequest { money: amount, hours_lost, missed_event: missed_event.get_untracked() });
            let request = ReportRequest {
                workspace: app.workspace.get_value(),
                what_happened: what_happened.get_untracked(),
                how_it_affected_you: Some(impact.get_untracked()),
                feelings: feelings.get_untracked().iter().map(|f| f.key().to_owned()).collect(),
                cost,
                order_id: host.context.with_untracked(|page| page.order_id.clone()),
                contact_email: Some(email.get_untracked()),
                locale: Some(app.config.with_value(|c| c.locale.clone())),
                identity: host.identity.get_untracked(),
                ..ReportRequest::default()
            };
            sending.set(true);
            error.set(None);
            spawn_local(async move {
                if let Err(err) = widget::send_report(app, request).await {
                    error.set(Some(err));
                }
                sending.set(false);
            });
        };
    let general_error = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| !e.field().is_some_and(|f| FIELDS.contains(&f)))
                .map(|e| e.message(text, |key| text.label(key)))
        })
    };
    let can_retry = move || error.with(|e| e.as_ref().is_some_and(ApiError::can_retry));
    let money_label = format!("{} ({})", text.cost_money, currency.code());

    view! {
        <form
            class="report"
            data-testid="report-form"
            novalidate
            on:input=prefetch_once()
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <h1>{text.report_title}</h1>
            {move || order_id().map(|order| view! { <p class="context" data-testid="order">{Text::fill(text.order, &order)}</p> })}
            <FormField id="what-happened" label=text.what_happened value=what_happened rows=4 required=true
                error=field_error(error, &[WHAT_HAPPENED]) />
            <FormField id="impact" label=text.impact value=impact rows=3 error=field_error(error, &[IMPACT]) />
            <fieldset class="chips" aria-describedby="feelings-hint">
                <legend>{text.feelings}</legend>
                <p id="feelings-hint" class="hint">{text.feelings_hint}</p>
                {Feeling::ALL
                    .into_iter()
                    .map(|feeling| {
                        let toggle = move |ev| {
                            let on = event_target_checked(&ev);
                            feelings.update(|all| {
                                all.retain(|f| *f != feeling);
                                if on {
                                    all.push(feeling);
                                }
                            });
                        };
                        view! {
                            <label class="chip">
                                <input type="checkbox" data-testid=format!("feeling-{}", feeling.key()) on:change=toggle />
                                {text.feeling(feeling)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="cost">
                <legend>{text.cost} " " <span class="hint">{text.optional}</span></legend>
                <FormField id="cost-money" label=money_label value=money inputmode="decimal"
                    error=field_error(error, &[CURRENCY, AMOUNT]) />
                <FormField id="cost-hours" label=text.cost_hours value=hours inputmode="numeric"
                    error=field_error(error, &[HOURS_LOST]) />
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="cost-missed-event"
                        on:change=move |ev| missed_event.set(event_target_checked(&ev))
                    />
                    {text.cost_missed_event}
                </label>
            </fieldset>
            <FormField id="contact-email" label=text.contact optional=text.optional hint=text.contact_hint value=email
                input_type="email" autocomplete="email" error=field_error(error, &[CONTACT_EMAIL]) />
            <p class="error" role="alert" data-testid="form-error">{general_error}</p>
            <button type="submit" data-testid="send-report" disabled=move || sending.get()>
                {move || if sending.get() { text.sending } else if can_retry() { text.retry } else { text.send }}
            </button>
        </form>
    }
}

/// An `input` handler that starts [`widget::prefetch`] on the first one: a
/// customer who starts writing will likely send.
fn prefetch_once() -> impl FnMut(web_sys::Event) + 'static {
    let mut started = false;
    move |_| {
        if !std::mem::replace(&mut started, true) {
            widget::prefetch();
        }
    }
}
