//! The queue: the workspace's open tickets, most at risk first, as the
//! worker orders them with the core's `Standing::risk` — missed and
//! about-to-be-missed promises with a live countdown, then reports nobody
//! has answered by age, then the rest. Filters, and live: each change Mend
//! announces on the live socket (or, while it reconnects, every ten
//! seconds) refetches it.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::ticket::{RiskTier, Status};
use mend_core::wire::{QueueFilter, QueueItem};

use crate::api::{self, ApiError, Said};
use crate::console::{Page, focus_on_show, use_ctx};
use crate::format;
use crate::text;

const FILTERS: [(QueueFilter, &str, &str); 6] = [
    (QueueFilter::All, text::FILTER_ALL, "all"),
    (QueueFilter::Mine, text::FILTER_MINE, "mine"),
    (QueueFilter::Unowned, text::FILTER_UNOWNED, "unowned"),
    (QueueFilter::Escalated, text::FILTER_ESCALATED, "escalated"),
    (QueueFilter::WaitingOnCustomer, text::FILTER_WAITING, "waiting"),
    (QueueFilter::ResolutionProposed, text::FILTER_PROPOSED, "proposed"),
];

/// The queue page.
#[component]
pub fn QueueView() -> impl IntoView {
    let ctx = use_ctx();
    let filter = RwSignal::new(QueueFilter::All);
    // The key id of the colleague whose tickets alone are listed; empty for anyone's.
    let owner = RwSignal::new(String::new());
    let items = RwSignal::new(None::<Vec<QueueItem>>);
    let error = RwSignal::new(None::<ApiError>);
    // Mend's clock minus the browser's, so countdowns agree with the worker.
    let skew = RwSignal::new(0_i64);
    let announcement = RwSignal::new(String::new());
    let heading = NodeRef::<html::H1>::new();
    focus_on_show(heading);

    // Fetched when the filter changes and whenever the queue changed.
    Effect::new(move |_| {
        let chosen = (filter.get(), owner.get());
        ctx.changed.track();
        spawn_local(async move {
            let (kind, whose) = chosen.clone();
            match api::queue(kind, Some(whose.as_str()).filter(|whose| !whose.is_empty())).await {
                Ok(page) => {
                    skew.set(page.now.unix_ms() - js_sys::Date::now() as i64);
                    // New tickets are announced, not the first load or a change of filter.
                    // The rep may have left the queue while it was asked for: then there is nothing to show.
                    let (Some(kind), Some(whose)) = (filter.try_get_untracked(), owner.try_get_untracked()) else {
                        return;
                    };
                    let current = (kind, whose);
                    let known = items.try_with_untracked(|known| {
                        known.as_ref().map(|known| known.iter().map(|item| item.id.clone()).collect::<Vec<_>>())
                    });
                    if let Some(known) = known.flatten().filter(|_| current == chosen) {
                        let fresh: Vec<_> = page.tickets.iter().filter(|item| !known.contains(&item.id)).collect();
                        if let Some(first) = fresh.first() {
                            announcement.set(text::fill(text::QUEUE_NEW, &first.what_happened));
                        }
                    }
                    if current == chosen {
                        error.set(None);
                        items.set(Some(page.tickets));
                    }
                }
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) => error.set(Some(err)),
            }
        });
    });

    view! {
        <section class="queue" aria-labelledby="queue-title">
            <h1 id="queue-title" tabindex="-1" node_ref=heading>{text::QUEUE_TITLE}</h1>
            <p class="actions">
                <button type="button" class="secondary" data-testid="new-proactive" on:click=move |_| ctx.page.set(Page::Proactive)>
                    {text::PROACTIVE_NEW}
                </button>
            </p>
            <FindTicket />
            <div class="filters" role="group" aria-label=text::FILTER_LABEL>
                {FILTERS
                    .into_iter()
                    .map(|(choice, label, testid)| {
                        view! {
                            <button
                                type="button"
                                class="filter"
                                data-testid=format!("filter-{testid}")
                                aria-pressed=move || (filter.get() == choice).to_string()
                                on:click=move |_| {
                                    items.set(None);
                                    filter.set(choice);
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="owner-filter">
                <label for="owner-filter">{text::OWNER_FILTER_LABEL}</label>
                " "
                <select id="owner-filter" data-testid="owner-filter" prop:value=move || owner.get() on:change=move |ev| {
                    items.set(None);
                    owner.set(event_target_value(&ev));
                }>
                    <option value="">{text::OWNER_ANYONE}</option>
                    {move || {
                        ctx.session
                            .with(|s| s.as_ref().map(|s| s.colleagues.clone()).unwrap_or_default())
                            .into_iter()
                            .map(|c| view! { <option value=c.key_id.clone().unwrap_or_default()>{format::colleague(Some(&c))}</option> })
                            .collect_view()
                    }}
                </select>
            </p>
            <p class="visually-hidden" role="status" data-testid="queue-announcement">{move || announcement.get()}</p>
            <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            {move || match items.get() {
                None => view! { <p class="loading">{text::LOADING}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p data-testid="queue-empty">{text::QUEUE_EMPTY}</p> }.into_any(),
                Some(list) => {
                    view! {
                        <ol class="queue-list" data-testid="queue">
                            <For
                                each=move || list.clone()
                                key=|item| (item.id.clone(), item.updated_at)
                                children=move |item| view! { <QueueEntry item skew /> }
                            />
                        </ol>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One ticket in the queue: what the customer said, how urgent it is and why.
#[component]
fn QueueEntry(
    /// The ticket as the queue lists it.
    item: QueueItem,
    /// Mend's clock minus the browser's.
    skew: RwSignal<i64>,
) -> impl IntoView {
    let ctx = use_ctx();
    let id = item.id.as_str().to_owned();
    let open = {
        let id = id.clone();
        move |_| ctx.page.set(Page::Ticket(id.clone()))
    };
    let now = move || ctx.now_ms.get() + skew.get();
    let (tier, tier_class) = match item.risk {
        RiskTier::CameBack => (text::RISK_CAME_BACK, "came-back"),
        RiskTier::PromiseAtRisk => (text::RISK_AT_RISK, "at-risk"),
        RiskTier::Unanswered => (text::RISK_UNANSWERED, "unanswered"),
        RiskTier::Promised => (text::RISK_PROMISED, "promised"),
        RiskTier::WithCustomer => (text::RISK_WITH_CUSTOMER, "with-customer"),
        RiskTier::Closed => (text::RISK_CLOSED, "closed"),
    };
    let reported_at = item.reported_at;
    let promise = item.promise;
    let first_answer = item.status == Status::Reported;
    let timing = move || match promise {
        Some(p) if first_answer => text::fill(text::FIRST_ANSWER_TIMING, &format::countdown(p.due, p.missed, now())),
        Some(p) => format::countdown(p.due, p.missed, now()),
        None => text::fill(text::WAITING_FOR, &format::span(now() - reported_at.unix_ms())),
    };
    view! {
        <li class=format!("queue-item {tier_class}") data-testid="queue-item" data-ticket=id.clone() data-risk=tier_class>
            <button type="button" class="open" data-testid="open-ticket" on:click=open>
                <span class="headline" dir="auto">{item.what_happened.clone()}</span>
            </button>
            <p class="meta">
                <strong class="tier">{tier}</strong>
                " · "
                <span data-testid="timing">{timing}</span>
                " · "
                {format::status(item.status)}
                {item.reference.map(|r| view! { " · " <span class="reference" data-testid="queue-reference">{r.to_string()}</span> })}
                {item.escalated.then_some(view! { " · " <span class="badge">{text::ESCALATED_BADGE}</span> })}
                {item.repeat.then_some(view! { " · " <span class="badge" data-testid="repeat">{text::REPEAT_BADGE}</span> })}
                {match (&item.owner, item.mine) {
                    (_, true) => view! { " · " <span class="badge" data-testid="owner">{text::MINE_BADGE}</span> }.into_any(),
                    (Some(owner), false) => view! { " · " <span data-testid="owner">{text::fill(text::LOOKED_AFTER_BY, &format::colleague(Some(owner)))}</span> }.into_any(),
                    (None, false) => view! { " · " <span class="badge" data-testid="owner">{text::UNOWNED_BADGE}</span> }.into_any(),
                }}
            </p>
        </li>
    }
}

/// A ticket found by the reference a customer reads out: opened, or why not.
#[component]
fn FindTicket() -> impl IntoView {
    let ctx = use_ctx();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // What a person types between the groups does not reach the path.
        let reference: String = typed.get_untracked().chars().filter(char::is_ascii_alphanumeric).collect();
        if reference.is_empty() {
            return;
        }
        spawn_local(async move {
            match api::ticket(&reference).await {
                Ok(found) => ctx.page.set(Page::Ticket(found.id.to_string())),
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) if err.status() == Some(404) => {
                    error.set(Some(text::fill(text::FIND_NONE, &typed.get_untracked())))
                }
                Err(err) => error.set(Some(err.message())),
            }
        });
    };
    view! {
        <form class="find" data-testid="find-ticket" role="search" on:submit=submit>
            <label for="find-reference">{text::FIND_LABEL}</label>
            <p class="hint" id="find-hint">{text::FIND_HINT}</p>
            <input
                id="find-reference"
                data-testid="find-reference"
                aria-describedby="find-hint find-error"
                autocomplete="off"
                spellcheck="false"
                bind:value=typed
            />
            <button type="submit" data-testid="find-button">{text::FIND_BUTTON}</button>
            <p class="error" role="alert" id="find-error" data-testid="find-error">{move || error.get()}</p>
        </form>
    }
}
