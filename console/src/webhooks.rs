//! The workspace's webhook endpoints, for managers: register one (its
//! secret shown once), choose its event types, enable or disable it, see
//! why Mend disabled it, send a test event, rotate its secret, and read its
//! recent deliveries with every attempt, replaying one or every failure
//! since a time. Mend checks every value; a refusal is shown by the form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::webhook::{DeliveryStatus, DeliveryView, EndpointRequest, EndpointView, EventType, ReplayRequest};

use crate::api::{self, ApiError, Said};
use crate::console::use_ctx;
use crate::format;
use crate::text;

/// The webhooks card of the settings page.
#[component]
pub fn Webhooks() -> impl IntoView {
    let ctx = use_ctx();
    let ws = StoredValue::new(ctx.workspace());
    let endpoints = RwSignal::new(Vec::<EndpointView>::new());
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<String>);
    let open = RwSignal::new(None::<String>);
    let reload = move || {
        let Some(ws) = ws.try_get_value() else { return };
        spawn_local(async move {
            match api::endpoints(&ws).await {
                Ok(list) => endpoints.set(list.endpoints),
                Err(err) => error.set(Some(err)),
            }
        })
    };
    reload();
    let run = move |call: Action| {
        let ws = ws.get_value();
        error.set(None);
        spawn_local(async move {
            let done = match call {
                Action::Enable(id, enabled) => {
                    let request = EndpointRequest { enabled: Some(enabled), ..Default::default() };
                    api::update_endpoint(&ws, &id, &request).await.map(|_| None)
                }
                Action::Delete(id) => api::delete_endpoint(&ws, &id).await.map(|()| None),
                Action::Rotate(id) => api::rotate_secret(&ws, &id).await.map(|rotated| Some(rotated.secret)),
                Action::Test(id) => {
                    let sent = api::send_test(&ws, &id).await;
                    if sent.is_ok() {
                        open.set(Some(id));
                    }
                    sent.map(|_| None)
                }
            };
            match done {
                Ok(shown) => {
                    secret.set(shown);
                    reload();
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };
    view! {
        <section class="card" data-testid="webhooks" aria-labelledby="webhooks-title">
            <h2 id="webhooks-title">{text::WEBHOOKS_TITLE}</h2>
            <p class="hint">{text::WEBHOOKS_HINT}</p>
            <ul class="endpoints">
                <For
                    each=move || endpoints.get()
                    key=|endpoint| (endpoint.id.clone(), endpoint.enabled, endpoint.disabled_reason.clone(), endpoint.previous_secret_expires_at)
                    children=move |endpoint| view! { <Endpoint endpoint open run /> }
                />
            </ul>
            <p class="error" role="alert" data-testid="webhooks-error">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            {move || secret.get().map(|secret| view! {
                <div class="shown-once" role="status">
                    <label for="webhook-secret">{text::WEBHOOK_SECRET_SHOWN_ONCE}</label>
                    <input id="webhook-secret" data-testid="webhook-secret" readonly value=secret />
                </div>
            })}
            <NewEndpoint on_created=move |created: String| {
                secret.set(Some(created));
                reload();
            } />
        </section>
    }
}

/// What a manager does to an endpoint from its row.
#[derive(Clone)]
enum Action {
    Enable(String, bool),
    Delete(String),
    Rotate(String),
    Test(String),
}

/// One endpoint: where it sends, what, whether it is on, and its deliveries when opened.
#[component]
fn Endpoint(
    endpoint: EndpointView,
    open: RwSignal<Option<String>>,
    run: impl Fn(Action) + Copy + 'static,
) -> impl IntoView {
    let id = StoredValue::new(endpoint.id.clone());
    let types = match &endpoint.event_types {
        None => text::WEBHOOK_ALL_TYPES.to_owned(),
        Some(types) => types.iter().map(|kind| kind.key()).collect::<Vec<_>>().join(", "),
    };
    let enabled = endpoint.enabled;
    let is_open = move || open.with(|open| open.as_deref() == Some(id.get_value().as_str()));
    view! {
        <li class="endpoint" data-testid="endpoint" data-endpoint=endpoint.id.clone() data-enabled=enabled.to_string()>
            <p><code data-testid="endpoint-url">{endpoint.url.clone()}</code> " " {endpoint.description.clone()}</p>
            <p class="hint">{types}</p>
            <p data-testid="endpoint-state">{if enabled { text::WEBHOOK_ENABLED } else { text::WEBHOOK_DISABLED }}</p>
            {endpoint.disabled_reason.clone().map(|reason| view! { <p class="error" role="alert" data-testid="endpoint-disabled-reason">{reason}</p> })}
            {endpoint.failing_since.map(|since| view! {
                <p class="error" data-testid="endpoint-failing">{text::fill(text::WEBHOOK_FAILING_SINCE, &format::local_time(since))}</p>
            })}
            {endpoint.previous_secret_expires_at.map(|until| view! {
                <p class="hint" data-testid="endpoint-overlap">{text::fill(text::WEBHOOK_OVERLAP, &format::local_time(until))}</p>
            })}
            <div class="actions">
                <button type="button" class="secondary small" data-testid="endpoint-toggle"
                    on:click=move |_| run(Action::Enable(id.get_value(), !enabled))>
                    {if enabled { text::WEBHOOK_DISABLE } else { text::WEBHOOK_ENABLE }}
                </button>
                <button type="button" class="secondary small" data-testid="endpoint-test" disabled=!enabled
                    on:click=move |_| run(Action::Test(id.get_value()))>{text::WEBHOOK_SEND_TEST}</button>
                <button type="button" class="secondary small" data-testid="endpoint-rotate"
                    on:click=move |_| run(Action::Rotate(id.get_value()))>{text::WEBHOOK_ROTATE}</button>
                <button type="button" class="secondary small" data-testid="endpoint-deliveries" aria-expanded=move || is_open().to_string()
                    on:click=move |_| open.update(|open| *open = if is_open() { None } else { Some(id.get_value()) })>
                    {text::WEBHOOK_DELIVERIES}
                </button>
                <button type="button" class="secondary small" data-testid="endpoint-delete"
                    on:click=move |_| run(Action::Delete(id.get_value()))>{text::WEBHOOK_DELETE}</button>
            </div>
            <Show when=is_open>
                <Deliveries endpoint=id.get_value() enabled />
            </Show>
        </li>
    }
}

/// An endpoint's newest deliveries, each with its attempts, and the replays.
#[component]
fn Deliveries(endpoint: String, enabled: bool) -> impl IntoView {
    let ctx = use_ctx();
    let ws = StoredValue::new(ctx.workspace());
    let endpoint = StoredValue::new(endpoint);
    let deliveries = RwSignal::new(Vec::<DeliveryView>::new());
    let error = RwSignal::new(None::<ApiError>);
    let since = RwSignal::new(format::local_input_value(&{
        let date = js_sys::Date::new_0();
        date.set_time(date.get_time() - 86_400_000.0);
        date
    }));
    let replayed = RwSignal::new(None::<u32>);
    let reload = move || {
        let (Some(ws), Some(id)) = (ws.try_get_value(), endpoint.try_get_value()) else { return };
        spawn_local(async move {
            match api::deliveries(&ws, &id).await {
                Ok(list) => deliveries.set(list.deliveries),
                Err(err) => error.set(Some(err)),
            }
        })
    };
    reload();
    let replay_one = move |delivery: String| {
        let (ws, id) = (ws.get_value(), endpoint.get_value());
        spawn_local(async move {
            match api::replay_delivery(&ws, &id, &delivery).await {
                Ok(_) => reload(),
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let replay_failed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (ws, id) = (ws.get_value(), endpoint.get_value());
        let request = ReplayRequest { since: format::from_local_input(&since.get_untracked()) };
        error.set(None);
        spawn_local(async move {
            match api::replay_failed(&ws, &id, &request).await {
                Ok(answer) => {
                    replayed.set(Some(answer.replayed));
                    reload();
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let since_id = format!("replay-since-{}", endpoint.get_value());
    view! {
        <div class="deliveries" data-testid="deliveries">
            <button type="button" class="secondary small" data-testid="deliveries-refresh" on:click=move |_| reload()>{text::WEBHOOK_REFRESH}</button>
            <table>
                <caption class="visually-hidden">{text::WEBHOOK_DELIVERIES}</caption>
                <thead><tr>
                    <th scope="col">{text::WEBHOOK_EVENT}</th>
                    <th scope="col">{text::WEBHOOK_TICKET}</th>
                    <th scope="col">{text::WEBHOOK_STATUS}</th>
                    <th scope="col">{text::WEBHOOK_ATTEMPTS}</th>
                    <th scope="col"><span class="visually-hidden">{text::WEBHOOK_REPLAY}</span></th>
                </tr></thead>
                <tbody>
                    <For
                        each=move || deliveries.get()
                        key=|d| (d.id.clone(), d.status, d.attempts.len())
                        children=move |delivery| {
                            let id = delivery.id.clone();
                            view! {
                                <tr data-testid="delivery" data-status=delivery.status.key()>
                                    <td><code>{delivery.event_type.key()}</code></td>
                                    <td>{delivery.ticket_id.as_ref().map(|t| format!("{t} #{}", delivery.seq.unwrap_or(0))).unwrap_or_default()}</td>
                                    <td data-testid="delivery-status">{status_text(delivery.status)}</td>
                                    <td>
                                        <ol class="attempts">
                                            {delivery.attempts.iter().map(|attempt| view! {
                                                <li data-testid="attempt">
                                                    {format::local_time(attempt.at)} " · "
                                                    <span data-testid="attempt-status">{attempt.status.map_or(text::WEBHOOK_NO_ANSWER.to_owned(), |s| s.to_string())}</span>
                                                    " · " {format!("{} ms", attempt.latency_ms)}
                                                    <details><summary>{text::WEBHOOK_ANSWER}</summary><pre data-testid="attempt-answer">{attempt.answer.clone()}</pre></details>
                                                </li>
                                            }).collect_view()}
                                        </ol>
                                    </td>
                                    <td>
                                        <button type="button" class="secondary small" data-testid="delivery-replay" disabled=!enabled
                                            on:click=move |_| replay_one(id.clone())>{text::WEBHOOK_REPLAY}</button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            <form novalidate data-testid="replay-form" on:submit=replay_failed>
                <label for=since_id.clone()>{text::WEBHOOK_REPLAY_SINCE}</label>
                <input id=since_id type="datetime-local" data-testid="replay-since"
                    prop:value=move || since.get() on:input=move |ev| since.set(event_target_value(&ev)) />
                <button type="submit" class="secondary" disabled=!enabled data-testid="replay-failed">{text::WEBHOOK_REPLAY_FAILED}</button>
                <p role="status" data-testid="replayed">{move || replayed.get().map(|n| text::fill(text::WEBHOOK_REPLAYED, &n.to_string()))}</p>
            </form>
            <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
        </div>
    }
}

/// The form that registers an endpoint; `on_created` gets its secret.
#[component]
fn NewEndpoint(on_created: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let ctx = use_ctx();
    let ws = StoredValue::new(ctx.workspace());
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<EventType>::new());
    let error = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let types = chosen.get_untracked();
        let request = EndpointRequest {
            url: Some(url.get_untracked()),
            description: Some(description.get_untracked()),
            // None chosen: every type.
            event_types: Some((!types.is_empty()).then(|| types.iter().map(|t| t.key().to_owned()).collect())),
            enabled: None,
        };
        let ws = ws.get_value();
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::create_endpoint(&ws, &request).await {
                Ok(created) => {
                    url.set(String::new());
                    description.set(String::new());
                    chosen.set(Vec::new());
                    on_created(created.secret);
                }
                Err(err) => error.set(Some(err)),
            }
            sending.set(false);
        });
    };
    view! {
        <form novalidate data-testid="endpoint-form" on:submit=create>
            <h3>{text::WEBHOOK_NEW}</h3>
            <label for="endpoint-url">{text::WEBHOOK_URL}</label>
            <input id="endpoint-url" data-testid="new-endpoint-url" type="url" autocomplete="off" aria-describedby="endpoint-error"
                prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev)) />
            <label for="endpoint-description">{text::WEBHOOK_DESCRIPTION}</label>
            <input id="endpoint-description" data-testid="new-endpoint-description" autocomplete="off"
                prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev)) />
            <fieldset>
                <legend>{text::WEBHOOK_TYPES}</legend>
                {EventType::TICKET.into_iter().map(|kind| {
                    let id = format!("type-{}", kind.key());
                    view! {
                        <label class="check">
                            <input type="checkbox" id=id data-testid="new-endpoint-type" value=kind.key()
                                prop:checked=move || chosen.with(|c| c.contains(&kind))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| if on { c.push(kind) } else { c.retain(|k| *k != kind) });
                                } />
                            {kind.key()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <p id="endpoint-error" class="field-error" role="alert" data-testid="endpoint-error">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            <button type="submit" data-testid="create-endpoint" disabled=move || sending.get()>{text::WEBHOOK_CREATE}</button>
        </form>
    }
}

fn status_text(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => text::DELIVERY_PENDING,
        DeliveryStatus::Delivered => text::DELIVERY_DELIVERED,
        DeliveryStatus::Failed => text::DELIVERY_FAILED,
    }
}
