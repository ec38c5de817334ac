//! *New proactive report*: a rep or manager tells a customer about a
//! problem the company found before they did — in the company's words,
//! with its apology, and optionally a first update with its promise and a
//! make-good. The worker and the core decide; the form shows what they
//! refused beside the field they named.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::input::Field;
use mend_core::make_good::MakeGoodKind;
use mend_core::money;
use mend_core::proactive::{FirstMakeGood, FirstUpdate, ProactiveReportRequest};
use mend_core::wire::MoneyRequest;

use mend_client::FormField;

use crate::api::{self, ApiError, Said};
use crate::console::{Page, focus_on_show, use_ctx};
use crate::{format, text};

/// The form, which opens the new ticket once Mend has it.
#[component]
pub fn ProactiveReport() -> impl IntoView {
    let ctx = use_ctx();
    let heading = NodeRef::<html::H1>::new();
    focus_on_show(heading);
    let [email, subject, order, what, apology, locale, update, when, kind, value, note] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    kind.set(MakeGoodKind::Credit.key().to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    let field_error = move |keys: &'static [Field]| {
        move || error.with(|e| e.as_ref().filter(|e| e.names(keys)).map(ApiError::message))
    };
    let other_error = move || {
        const SHOWN: &[Field] = &[
            Field::Customer,
            Field::ContactEmail,
            Field::CustomerSubject,
            Field::OrderId,
            Field::WhatHappened,
            Field::Apology,
            Field::Locale,
            Field::Text,
            Field::NextUpdateBy,
            Field::MakeGoodKind,
            Field::Amount,
            Field::Currency,
            Field::Note,
        ];
        error.with(|e| e.as_ref().filter(|e| !e.names(SHOWN)).map(ApiError::message))
    };
    let currency = move || ctx.session.with_untracked(|s| s.as_ref().map(|s| s.currency));
    let code = currency().map(|c| c.code().to_owned()).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|v| !v.trim().is_empty());
        let make_good = match typed(value) {
            None => None,
            Some(amount) => {
                let Some(currency) = currency() else { return };
                let Some(minor_units) = money::typed_minor_units(&amount, currency.exponent()) else {
                    error.set(Some(ApiError::invalid(Field::Amount, text::AMOUNT_INVALID)));
                    return;
                };
                let value = MoneyRequest { currency: currency.code().to_owned(), minor_units };
                Some(FirstMakeGood { kind: kind.get_untracked(), value, note: typed(note) })
            }
        };
        let update = (typed(update).is_some() || typed(when).is_some()).then(|| FirstUpdate {
            text: update.get_untracked(),
            next_update_by: format::from_local_input(&when.get_untracked()),
        });
        let request = ProactiveReportRequest {
            contact_email: typed(email),
            customer_subject: typed(subject),
            order_id: typed(order),
            order_value: None,
            what_happened: what.get_untracked(),
            apology: apology.get_untracked(),
            locale: typed(locale),
            update,
            make_good,
        };
        sending.set(true);
        spawn_local(async move {
            match api::create_proactive_report(&request).await {
                Ok(created) => ctx.page.set(Page::Ticket(created.ticket.id.to_string())),
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) => error.set(Some(err)),
            }
            let _ = sending.try_set(false);
        });
    };
    view! {
        <section class="proactive" aria-labelledby="proactive-title">
            <h1 id="proactive-title" tabindex="-1" node_ref=heading>{text::PROACTIVE_TITLE}</h1>
            <p class="hint">{text::PROACTIVE_HINT}</p>
            <form class="card" data-testid="proactive-form" novalidate on:submit=submit>
                <fieldset>
                    <legend>{text::PROACTIVE_CUSTOMER}</legend>
                    <p class="hint">{text::PROACTIVE_CUSTOMER_HINT}</p>
                    <FormField id="proactive-email" label=text::PROACTIVE_EMAIL value=email error=field_error(&[Field::ContactEmail, Field::Customer]) />
                    <FormField id="proactive-subject" label=text::PROACTIVE_SUBJECT value=subject error=field_error(&[Field::CustomerSubject]) />
                    <label for="proactive-locale">{text::PROACTIVE_LOCALE}</label>
                    <select id="proactive-locale" data-testid="proactive-locale" bind:value=locale>
                        <option value="">{text::PROACTIVE_LOCALE_WORKSPACE}</option>
                        <option value="en">"English"</option>
                        <option value="de">"Deutsch"</option>
                    </select>
                    <p class="field-error">{field_error(&[Field::Locale])}</p>
                    <FormField id="proactive-order" label=text::PROACTIVE_ORDER value=order error=field_error(&[Field::OrderId]) />
                </fieldset>
                <FormField id="proactive-what" label=text::PROACTIVE_WHAT value=what rows=3 error=field_error(&[Field::WhatHappened]) />
                <FormField id="proactive-apology" label=text::PROACTIVE_APOLOGY value=apology rows=3 error=field_error(&[Field::Apology]) />
                <fieldset>
                    <legend>{text::PROACTIVE_UPDATE} " " <span class="hint">{text::OPTIONAL}</span></legend>
                    <FormField id="proactive-update" label=text::UPDATE_LABEL value=update rows=3 error=field_error(&[Field::Text]) />
                    <label for="proactive-promise">{text::PICK_CUSTOM}</label>
                    <input id="proactive-promise" type="datetime-local" data-testid="proactive-promise" bind:value=when />
                    <p class="field-error" data-testid="proactive-promise-error">{field_error(&[Field::NextUpdateBy])}</p>
                </fieldset>
                <fieldset>
                    <legend>{text::MAKE_GOOD_TITLE} " " <span class="hint">{text::OPTIONAL}</span></legend>
                    <label for="proactive-kind">{text::MAKE_GOOD_KIND}</label>
                    <select id="proactive-kind" data-testid="proactive-kind" bind:value=kind>
                        {MakeGoodKind::ALL.map(|k| view! { <option value=k.key()>{text::make_good_kind(k)}</option> }).collect_view()}
                    </select>
                    <FormField id="proactive-value" label=text::fill(text::MAKE_GOOD_VALUE, &code) value=value inputmode="decimal"
                        error=field_error(&[Field::Amount, Field::Currency, Field::MakeGoodKind]) />
                    <FormField id="proactive-note" label=text::MAKE_GOOD_NOTE value=note error=field_error(&[Field::Note]) />
                </fieldset>
                <p class="error" role="alert" data-testid="proactive-error">{other_error}</p>
                <button type="submit" data-testid="send-proactive" disabled=move || sending.get()>{text::PROACTIVE_SEND}</button>
            </form>
        </section>
    }
}
