//! The workspace's settings, for managers: where the widget may be
//! embedded, how the company looks and speaks, its make-good policy, its
//! own one-voice terms, whether its recovery record is public, its people's
//! keys, its identity secrets and its webhook endpoints ([`crate::webhooks`]). Mend checks every value (`SettingsPatch`
//! in the core); a refusal is shown next to the field it names.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::input::Field;
use mend_core::make_good::Policy;
use mend_core::money::{self, Money};
use mend_core::voice::Category;
use mend_core::wire::{IdentityKeyCreated, KeyCreated, KeyInfo, KeyRequest, SettingsPatch, WorkspaceView};
use mend_core::workspace::{Role, VoiceTerm};

use mend_client::FormField;

use crate::api::{self, ApiError, Said};
use crate::console::{focus_on_show, use_ctx};
use crate::hours::{self, HoursForm, OpeningHours};
use crate::text;
use crate::webhooks::Webhooks;

/// The settings page: loads the workspace, then shows its parts.
#[component]
pub fn SettingsView() -> impl IntoView {
    let ctx = use_ctx();
    let workspace = RwSignal::new(None::<WorkspaceView>);
    let error = RwSignal::new(None::<ApiError>);
    let heading = NodeRef::<html::H1>::new();
    focus_on_show(heading);
    let loaded = Memo::new(move |_| workspace.with(Option::is_some));
    let ws = ctx.workspace();
    spawn_local(async move {
        match api::workspace(&ws).await {
            Ok(view) => workspace.set(Some(view)),
            Err(err) if err.is_signed_out() => ctx.signed_out(),
            Err(err) => error.set(Some(err)),
        }
    });
    view! {
        <section class="settings" data-testid="settings" aria-labelledby="settings-title">
            <h1 id="settings-title" tabindex="-1" node_ref=heading>{text::SETTINGS_TITLE}</h1>
            <p class="error" role="alert" data-testid="settings-error">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            // Built once, when loaded: a save or a new identity key updates `workspace` in place.
            {move || {
                loaded.get().then(|| workspace.get_untracked()).flatten().map(|loaded| {
                    view! {
                        <SettingsForm loaded workspace />
                        <Keys />
                        <IdentityKeys workspace />
                        <Webhooks />
                    }
                })
            }}
        </section>
    }
}

/// A policy amount as typed, in the policy's currency.
fn policy_amount(amount: Option<Money>) -> String {
    amount.map(|m| money::typed(m.minor_units, m.currency.exponent())).unwrap_or_default()
}

/// The settings form, filled with what Mend holds.
#[component]
fn SettingsForm(
    /// The workspace as loaded.
    loaded: WorkspaceView,
    /// Replaced with Mend's answer after a save.
    workspace: RwSignal<Option<WorkspaceView>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let policy = loaded.make_good_policy.clone();
    let currency = policy.currency;
    let name = RwSignal::new(loaded.name.clone());
    let apology = RwSignal::new(loaded.apology.clone());
    let colour = RwSignal::new(loaded.colour.clone());
    let locale = RwSignal::new(loaded.locale.clone());
    let origins = RwSignal::new(loaded.origins.join("\n"));
    let rep_names = RwSignal::new(loaded.rep_names);
    let order_low = RwSignal::new(money::typed(i64::from(policy.order_value_bp.0), 2));
    let order_high = RwSignal::new(money::typed(i64::from(policy.order_value_bp.1), 2));
    let harm_low = RwSignal::new(money::typed(i64::from(policy.harm_bp.0), 2));
    let harm_high = RwSignal::new(money::typed(i64::from(policy.harm_bp.1), 2));
    let hour_value = RwSignal::new(policy_amount(policy.hour_value));
    let event_value = RwSignal::new(policy_amount(policy.missed_event_value));
    let rep_cap = RwSignal::new(policy_amount(Some(policy.rep_cap)));
    let terms = RwSignal::new(loaded.voice_terms.clone());
    let record_public = RwSignal::new(loaded.record_public);
    let follow_up_days = RwSignal::new(loaded.follow_up_days.to_string());
    let hours = HoursForm::new(&loaded.opening_hours);
    let sending = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    let field_error = move |fields: &'static [Field]| {
        move || error.with(|e| e.as_ref().filter(|e| e.names(fields)).map(ApiError::message))
    };
    const POLICY_FIELDS: &[Field] = &[Field::Policy, Field::Amount, Field::Currency];
    const FIELDS: &[Field] = &[
        Field::CompanyName,
        Field::Apology,
        Field::Colour,
        Field::Locale,
        Field::Origins,
        Field::Policy,
        Field::Amount,
        Field::Currency,
        Field::VoiceTerms,
        Field::FollowUpDays,
    ];

    // The policy as typed, or the first box that is not a number.
    let read_policy = move || -> Result<Policy, ApiError> {
        let percent = |signal: RwSignal<String>| {
            money::typed_minor_units(&signal.get_untracked(), 2)
                .and_then(|bp| u32::try_from(bp).ok())
                .ok_or_else(|| ApiError::invalid(Field::Policy, text::PERCENT_INVALID))
        };
        let money = |signal: RwSignal<String>| -> Result<Option<Money>, ApiError> {
            let raw = signal.get_untracked();
            if raw.trim().is_empty() {
                return Ok(None);
            }
            money::typed_minor_units(&raw, currency.exponent())
                .map(|minor_units| Some(Money { currency, minor_units }))
                .ok_or_else(|| ApiError::invalid(Field::Policy, text::AMOUNT_INVALID))
        };
        Ok(Policy {
            currency,
            order_value_bp: (percent(order_low)?, percent(order_high)?),
            harm_bp: (percent(harm_low)?, percent(harm_high)?),
            hour_value: money(hour_value)?,
            missed_event_value: money(event_value)?,
            rep_cap: money(rep_cap)?.ok_or_else(|| ApiError::invalid(Field::Policy, text::CAP_MISSING))?,
        })
    };

    let ws = loaded.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        saved.set(false);
        let (policy, opening_hours) = match (read_policy(), hours.read()) {
            (Ok(policy), Ok(opening_hours)) => (policy, opening_hours),
            (Err(err), _) | (_, Err(err)) => return error.set(Some(err)),
        };
        let patch = SettingsPatch {
            name: Some(name.get_untracked()),
            apology: Some(apology.get_untracked()),
            colour: Some(colour.get_untracked()),
            locale: Some(locale.get_untracked()),
            origins: Some(
                origins.get_untracked().lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect(),
            ),
            make_good_policy: Some(policy),
            rep_names: Some(rep_names.get_untracked()),
            voice_terms: Some(terms.get_untracked()),
            record_public: Some(record_public.get_untracked()),
            opening_hours: Some(opening_hours),
            // What is not a whole number is sent as none, for the core to refuse in its words.
            follow_up_days: Some(follow_up_days.get_untracked().trim().parse().unwrap_or(0)),
        };
        let ws = ws.clone();
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::update_workspace(ws.as_str(), &patch).await {
                Ok(view) => {
                    ctx.settings_saved(&view);
                    hours.fill(&view.opening_hours);
                    workspace.set(Some(view));
                    saved.set(true);
                }
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) => error.set(Some(err)),
            }
            sending.set(false);
        });
    };

    let number = move |id: &'static str, label: String, signal: RwSignal<String>| {
        view! {
            <div>
                <label for=id>{label}</label>
                <input
                    id=id
                    data-testid=id
                    inputmode="decimal"
                    autocomplete="off"
                    aria-describedby="policy-error"
                    prop:value=move || signal.get()
                    on:input=move |ev| signal.set(event_target_value(&ev))
                />
            </div>
        }
    };
    let money_label = move |label: &'static str| text::fill(label, currency.code());

    view! {
        <form class="card settings-form" data-testid="settings-form" novalidate aria-labelledby="brand-title" on:submit=submit>
            <h2 id="brand-title">{text::SETTINGS_BRAND}</h2>
            <FormField id="settings-name" label=text::SETTINGS_NAME value=name error=field_error(&[Field::CompanyName]) />
            <FormField id="settings-apology" label=text::SETTINGS_APOLOGY hint=text::SETTINGS_APOLOGY_HINT value=apology rows=3
                error=field_error(&[Field::Apology]) />
            <FormField id="settings-colour" label=text::SETTINGS_COLOUR value=colour error=field_error(&[Field::Colour]) />
            <FormField id="settings-locale" label=text::SETTINGS_LOCALE value=locale error=field_error(&[Field::Locale]) />
            <label class="check">
                <input type="checkbox" data-testid="settings-rep-names" prop:checked=move || rep_names.get()
                    on:change=move |ev| rep_names.set(event_target_checked(&ev)) />
                {text::SETTINGS_REP_NAMES}
            </label>

            <h2>{text::SETTINGS_ORIGINS}</h2>
            <FormField id="settings-origins" label=text::SETTINGS_ORIGINS_LABEL hint=text::SETTINGS_ORIGINS_HINT value=origins rows=3
                error=field_error(&[Field::Origins]) />

            <fieldset class="policy">
                <legend>{text::fill(text::SETTINGS_POLICY, currency.code())}</legend>
                <p class="hint">{text::SETTINGS_POLICY_HINT}</p>
                <div class="pair">
                    {number("policy-harm-low", text::POLICY_HARM_LOW.to_owned(), harm_low)}
                    {number("policy-harm-high", text::POLICY_HARM_HIGH.to_owned(), harm_high)}
                </div>
                <div class="pair">
                    {number("policy-order-low", text::POLICY_ORDER_LOW.to_owned(), order_low)}
                    {number("policy-order-high", text::POLICY_ORDER_HIGH.to_owned(), order_high)}
                </div>
                {number("policy-hour", money_label(text::POLICY_HOUR), hour_value)}
                {number("policy-event", money_label(text::POLICY_EVENT), event_value)}
                {number("policy-cap", money_label(text::POLICY_CAP), rep_cap)}
                <p id="policy-error" class="field-error" data-testid="policy-error">{field_error(POLICY_FIELDS)}</p>
            </fieldset>

            <OpeningHours form=hours error />
            <h2>{text::SETTINGS_FOLLOW_UP}</h2>
            <label for="settings-follow-up-days">{text::SETTINGS_FOLLOW_UP_DAYS}</label>
            <p class="hint" id="settings-follow-up-hint">{text::SETTINGS_FOLLOW_UP_HINT}</p>
            <input
                id="settings-follow-up-days"
                data-testid="settings-follow-up-days"
                type="number"
                min="1"
                max="30"
                inputmode="numeric"
                aria-describedby="settings-follow-up-hint settings-follow-up-days-error"
                prop:value=move || follow_up_days.get()
                on:input=move |ev| follow_up_days.set(event_target_value(&ev))
            />
            <p id="settings-follow-up-days-error" class="field-error" data-testid="settings-follow-up-days-error">
                {field_error(&[Field::FollowUpDays])}
            </p>
            <VoiceTerms terms />
            <h2>{text::SETTINGS_RECORD}</h2>
            <label class="check">
                <input type="checkbox" data-testid="settings-record-public"
                    prop:checked=move || record_public.get()
                    on:change=move |ev| record_public.set(event_target_checked(&ev)) />
                {text::SETTINGS_RECORD_PUBLIC}
            </label>

            <p class="error" role="alert" data-testid="settings-form-error">
                {move || {
                    let elsewhere = |e: &&ApiError| e.names(FIELDS) || e.names(hours::FIELDS);
                    error.with(|e| e.as_ref().filter(|e| !elsewhere(e)).map(ApiError::message))
                }}
                {field_error(&[Field::VoiceTerms])}
            </p>
            <p role="status" data-testid="settings-saved">{move || saved.get().then_some(text::SETTINGS_SAVED)}</p>
            <button type="submit" data-testid="settings-save" disabled=move || sending.get()>{text::SETTINGS_SAVE}</button>
        </form>
    }
}

const CATEGORIES: [Category; 5] = [
    Category::BlamesOthers,
    Category::BlamesCustomer,
    Category::Minimises,
    Category::ConditionalApology,
    Category::HidesBehindPolicy,
];

/// The workspace's own one-voice terms: each flagged wherever it appears
/// in a rep's draft, besides the reviewer's built-in rules. Saved with the form.
#[component]
fn VoiceTerms(
    /// The terms being edited.
    terms: RwSignal<Vec<VoiceTerm>>,
) -> impl IntoView {
    let term = RwSignal::new(String::new());
    let category = RwSignal::new(Category::BlamesOthers);
    let add = move |_| {
        let typed = term.get_untracked().trim().to_owned();
        if typed.is_empty() {
            return;
        }
        terms.update(|terms| terms.push(VoiceTerm { category: category.get_untracked(), term: typed }));
        term.set(String::new());
    };
    view! {
        <h2>{text::SETTINGS_TERMS}</h2>
        <p class="hint">{text::SETTINGS_TERMS_HINT}</p>
        <ul class="terms" data-testid="voice-terms">
            {move || {
                terms
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(at, t)| {
                        let remove_label = text::fill(text::TERM_REMOVE, &t.term);
                        view! {
                            <li data-testid="voice-term">
                                <q>{t.term.clone()}</q> " — " {text::category(t.category)}
                                <button type="button" class="link" aria-label=remove_label on:click=move |_| {
                                    terms.update(|terms| {
                                        if at < terms.len() {
                                            terms.remove(at);
                                        }
                                    })
                                }>{text::REMOVE}</button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <div class="pair">
            <div>
                <label for="term-text">{text::TERM_LABEL}</label>
                <input id="term-text" data-testid="term-text" autocomplete="off" prop:value=move || term.get()
                    on:input=move |ev| term.set(event_target_value(&ev)) />
            </div>
            <div>
                <label for="term-category">{text::TERM_CATEGORY}</label>
                <select id="term-category" data-testid="term-category" on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(found) = CATEGORIES.into_iter().find(|c| text::category_key(*c) == key) {
                        category.set(found);
                    }
                }>
                    {CATEGORIES.into_iter().map(|c| view! { <option value=text::category_key(c)>{text::category(c)}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <button type="button" class="secondary" data-testid="term-add" on:click=add>{text::TERM_ADD}</button>
    }
}

/// The workspace's rep and manager keys: list, create (shown once), revoke.
#[component]
fn Keys() -> impl IntoView {
    let ctx = use_ctx();
    let ws = StoredValue::new(ctx.workspace());
    let keys = RwSignal::new(Vec::<KeyInfo>::new());
    let label = RwSignal::new(String::new());
    let role = RwSignal::new("rep".to_owned());
    let created = RwSignal::new(None::<KeyCreated>);
    let error = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    // May run after the page was left (a key made just before): then there is nothing to refresh.
    let reload = move || {
        let Some(ws) = ws.try_get_value() else { return };
        spawn_local(async move {
            match api::keys(&ws).await {
                Ok(list) => keys.set(list.keys),
                Err(err) => error.set(Some(err)),
            }
        })
    };
    reload();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let request = KeyRequest { role: role.get_untracked(), label: label.get_untracked() };
        let ws = ws.get_value();
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::create_key(&ws, &request).await {
                Ok(key) => {
                    created.set(Some(key));
                    label.set(String::new());
                    reload();
                }
                Err(err) => error.set(Some(err)),
            }
            sending.set(false);
        });
    };
    let revoke = move |id: String| {
        let ws = ws.get_value();
        spawn_local(async move {
            match api::revoke_key(&ws, &id).await {
                Ok(()) => reload(),
                Err(err) => error.set(Some(err)),
            }
        });
    };
    view! {
        <section class="card" data-testid="keys" aria-labelledby="keys-title">
            <h2 id="keys-title">{text::KEYS_TITLE}</h2>
            <table>
                <caption class="visually-hidden">{text::KEYS_TITLE}</caption>
                <thead><tr><th scope="col">{text::KEY_LABEL_COLUMN}</th><th scope="col">{text::KEY_ROLE}</th><th scope="col">{text::KEY_STATE}</th></tr></thead>
                <tbody>
                    <For
                        each=move || keys.get()
                        key=|key| (key.id.clone(), key.revoked_at)
                        children=move |key| {
                            let role = if key.role == Role::Manager { text::ROLE_MANAGER } else { text::ROLE_REP };
                            let id = key.id.clone();
                            let revoke_label = text::fill(text::KEY_REVOKE_LABEL, &key.label);
                            view! {
                                <tr data-testid="key-row">
                                    <td>{key.label.clone()}</td>
                                    <td>{role}</td>
                                    <td>
                                        {match key.revoked_at {
                                            Some(_) => text::KEY_REVOKED.into_any(),
                                            None => view! {
                                                <button type="button" class="secondary small" data-testid="revoke-key" aria-label=revoke_label
                                                    on:click=move |_| revoke(id.clone())>{text::KEY_REVOKE}</button>
                                            }.into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            <form novalidate data-testid="key-form" on:submit=create>
                <div class="pair">
                    <div>
                        <label for="new-key-label">{text::KEY_NEW_LABEL}</label>
                        <input id="new-key-label" data-testid="new-key-label" autocomplete="off" aria-describedby="new-key-error"
                            prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                    </div>
                    <div>
                        <label for="new-key-role">{text::KEY_ROLE}</label>
                        <select id="new-key-role" data-testid="new-key-role" on:change=move |ev| role.set(event_target_value(&ev))>
                            <option value="rep">{text::ROLE_REP}</option>
                            <option value="manager">{text::ROLE_MANAGER}</option>
                        </select>
                    </div>
                </div>
                <p id="new-key-error" class="field-error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
                <button type="submit" data-testid="create-key" disabled=move || sending.get()>{text::KEY_CREATE}</button>
            </form>
            {move || created.get().map(|key| view! { <ShownOnce label=text::KEY_SHOWN_ONCE secret=key.key testid="new-key" /> })}
        </section>
    }
}

/// A secret Mend shows exactly once, to copy now.
#[component]
fn ShownOnce(
    /// What it is and that it is shown once.
    label: &'static str,
    /// The secret.
    secret: String,
    /// The `data-testid` of its box.
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="shown-once" role="status">
            <label for=testid>{label}</label>
            <input id=testid data-testid=testid readonly value=secret />
        </div>
    }
}

/// The identity secrets the company's backend signs its customers' identity
/// tokens with: rotate by adding a new one, then deleting the old once the
/// backend uses the new.
#[component]
fn IdentityKeys(
    /// The workspace, whose `identity_keys` are listed and refreshed.
    workspace: RwSignal<Option<WorkspaceView>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let ws = StoredValue::new(ctx.workspace());
    let created = RwSignal::new(None::<IdentityKeyCreated>);
    let error = RwSignal::new(None::<ApiError>);
    let reload = move || {
        let Some(ws) = ws.try_get_value() else { return };
        spawn_local(async move {
            if let Ok(view) = api::workspace(&ws).await {
                workspace.set(Some(view));
            }
        })
    };
    let create = move |_| {
        error.set(None);
        let ws = ws.get_value();
        spawn_local(async move {
            match api::create_identity_key(&ws).await {
                Ok(key) => {
                    created.set(Some(key));
                    reload();
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let delete = move |kid: String| {
        let ws = ws.get_value();
        spawn_local(async move {
            match api::delete_identity_key(&ws, &kid).await {
                Ok(()) => reload(),
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let keys = move || workspace.with(|w| w.as_ref().map(|w| w.identity_keys.clone()).unwrap_or_default());
    view! {
        <section class="card" data-testid="identity-keys" aria-labelledby="identity-title">
            <h2 id="identity-title">{text::IDENTITY_TITLE}</h2>
            <p class="hint">{text::IDENTITY_HINT}</p>
            <ul>
                <For
                    each=keys
                    key=|key| key.kid.clone()
                    children=move |key| {
                        let kid = key.kid.clone();
                        let delete_label = text::fill(text::IDENTITY_DELETE_LABEL, &key.kid);
                        view! {
                            <li data-testid="identity-key">
                                <code>{key.kid.clone()}</code>
                                <button type="button" class="secondary small" aria-label=delete_label on:click=move |_| delete(kid.clone())>
                                    {text::IDENTITY_DELETE}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            <button type="button" data-testid="create-identity-key" on:click=create>{text::IDENTITY_CREATE}</button>
            {move || created.get().map(|key| view! { <ShownOnce label=text::IDENTITY_SHOWN_ONCE secret=key.secret testid="new-identity-secret" /> })}
        </section>
    }
}
