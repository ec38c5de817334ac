//! A ticket as a rep works it: the customer's own words first, then the
//! timeline, then what the company can do — an update that carries the
//! next promise, a question, an escalation, a proposed resolution with its
//! prevention note, a make-good in proportion to the harm. There is no
//! button that closes a ticket or marks it solved: once a resolution is
//! proposed the console waits, like everyone, for the customer's answer.
//!
//! The ticket's state is folded from its log by `Ticket::from_events`, as
//! the worker folds it; whether a command is allowed is the worker's (the
//! core's) decision, whose refusal is shown next to the field it names.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::changes::ChangeNote;
use mend_core::input::Field;
use mend_core::make_good::{self, MakeGoodKind, Verdict};
use mend_core::money::{self, Money};
use mend_core::ticket::{
    CommandKind, Context, EscalationReason, EventKind, FollowUp, Promise, Report, State, Ticket, Wording,
};
use mend_core::wire::{self, CommandRequest, MoneyRequest};
use mend_core::workspace::Role;
use wasm_bindgen::JsValue;

use mend_client::FormField;

use crate::api::{self, ApiError, Said};
use crate::console::{Page, focus_on_show, use_ctx};
use crate::format;
use crate::review::{Review, segments};
use crate::text;

/// What the parts of one ticket's page share.
#[derive(Clone, Copy)]
struct Shared {
    id: StoredValue<String>,
    page: RwSignal<Option<wire::TicketView>>,
    ticket: Memo<Option<Ticket>>,
}

fn use_shared() -> Shared {
    expect_context::<Shared>()
}

/// Sends one form's commands: one at a time, keeping the last refusal to
/// show next to the field it names, and showing the ticket Mend answers.
#[derive(Clone, Copy)]
struct Commands {
    ctx: crate::console::Ctx,
    shared: Shared,
    sending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl Commands {
    fn new() -> Self {
        Self { ctx: use_ctx(), shared: use_shared(), sending: RwSignal::new(false), error: RwSignal::new(None) }
    }

    /// Sends `command` unless one is under way; `accepted` runs once Mend took it.
    fn send(self, command: CommandRequest, accepted: impl FnOnce() + 'static) {
        if self.sending.get_untracked() {
            return;
        }
        let ctx = self.ctx;
        let id = self.shared.id.get_value();
        self.sending.set(true);
        self.error.set(None);
        spawn_local(async move {
            match api::command(&id, &command).await {
                Ok(page) => {
                    self.shared.page.set(Some(page));
                    accepted();
                }
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) => self.error.set(Some(err)),
            }
            self.sending.set(false);
        });
    }

    /// The refusal's message if it names one of `fields`.
    fn field_error(self, fields: &'static [Field]) -> impl Fn() -> Option<String> + Copy {
        move || self.error.with(|e| e.as_ref().filter(|e| e.names(fields)).map(|e| e.message()))
    }

    /// The refusal's message if it names none of `fields`: shown above the form's button.
    fn other_error(self, fields: &'static [Field]) -> impl Fn() -> Option<String> + Copy {
        move || self.error.with(|e| e.as_ref().filter(|e| !e.names(fields)).map(|e| e.message()))
    }

    fn invalid(self, fields: &'static [Field]) -> impl Fn() -> String + Copy {
        let error = self.field_error(fields);
        move || error().is_some().to_string()
    }
}

/// The ticket page.
#[component]
pub fn TicketView(
    /// The ticket's id.
    id: String,
) -> impl IntoView {
    let ctx = use_ctx();
    let page = RwSignal::new(None::<wire::TicketView>);
    let error = RwSignal::new(None::<ApiError>);
    let ticket = Memo::new(move |_| page.with(|p| p.as_ref().and_then(|p| Ticket::from_events(&p.events).ok())));
    let shared = Shared { id: StoredValue::new(id.clone()), page, ticket };
    provide_context(shared);
    let heading = NodeRef::<html::H1>::new();
    focus_on_show(heading);

    // Fetched now, and again whenever Mend says this ticket (or, not saying which, anything) changed.
    let this = id.clone();
    Effect::new(move |ran: Option<()>| {
        let change = ctx.changed.get();
        // The first run always fetches, whichever ticket Mend last said changed.
        if ran.is_some() && change.count > 0 && change.ticket.as_ref().is_some_and(|changed| *changed != this) {
            return;
        }
        let id = this.clone();
        spawn_local(async move {
            match api::ticket(&id).await {
                Ok(fresh) => {
                    error.set(None);
                    page.set(Some(fresh));
                }
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) => error.set(Some(err)),
            }
        });
    });

    // What this rep or manager may do now is the core's answer
    // (`Ticket::allowed`): the composer offers exactly those actions, and
    // is rebuilt only when they change, so a rep's half-written draft
    // survives a colleague's update or escalation.
    let allowed = Memo::new(move |_| {
        let actor = ctx.session.with(|s| s.as_ref().map(|s| s.role.actor()))?;
        let (policy, now) = (ctx.policy()?, mend_core::clock::Timestamp::from_unix_ms(ctx.now_ms.get())?);
        let me = ctx.me();
        ticket.with(|t| t.as_ref().map(|t| t.allowed(actor, &Context::new(now, &policy).by(me.as_ref()))))
    });
    let take =
        Memo::new(move |_| allowed.with(|a| a.as_ref().is_some_and(|a| a.contains(&CommandKind::TakeOwnership))));
    // The cards change only when the ticket moves to another state.
    let state = Memo::new(move |_| ticket.with(|t| t.as_ref().map(|t| t.state().clone())));
    view! {
        <article class="ticket" data-testid="ticket" data-ticket=id.clone()>
            <button type="button" class="link" data-testid="back-to-queue" on:click=move |_| ctx.page.set(Page::Queue)>
                {text::BACK_TO_QUEUE}
            </button>
            <h1 tabindex="-1" node_ref=heading data-testid="ticket-title">
                {
                    let id = id.clone();
                    move || {
                        let reference = page.with(|p| p.as_ref().and_then(|p| p.reference.clone()));
                        text::fill(text::TICKET_TITLE, reference.as_ref().map_or(id.as_str(), |r| r.as_str()))
                    }
                }
            </h1>
            <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            {move || {
                ticket
                    .get()
                    .map(|t| {
                        view! {
                            <p class="status" data-testid="ticket-status">{format::status(t.state().status())}</p>
                            <CurrentPromise />
                            <EarlierTickets />
                            <Owner take />
                            <FollowUpLinks />
                            <PublishChange />
                            <Emails />
                            <CustomerWords report=t.report().clone() found_first=t.found_first() />
                        }
                    })
            }}
            <Timeline />
            {move || match state.get() {
                None => view! { <p class="loading">{text::LOADING}</p> }.into_any(),
                Some(State::ResolutionProposed { summary, prevention }) => view! {
                    <section class="card awaiting" aria-labelledby="awaiting-title">
                        <h2 id="awaiting-title" data-testid="awaiting-confirmation">{text::AWAITING_CONFIRMATION}</h2>
                        <p>{text::AWAITING_HINT}</p>
                        <p dir="auto"><strong>{text::PROPOSED_SUMMARY}</strong> " " {summary.to_string()}</p>
                        <p dir="auto"><strong>{text::PROPOSED_PREVENTION}</strong> " " {prevention.to_string()}</p>
                    </section>
                }
                .into_any(),
                Some(State::Solved) => view! { <p class="card" data-testid="solved">{text::SOLVED_BY_CUSTOMER}</p> }.into_any(),
                Some(State::Withdrawn) => view! { <p class="card" data-testid="withdrawn">{text::WITHDRAWN_BY_CUSTOMER}</p> }.into_any(),
                Some(_) => ().into_any(),
            }}
            <Underway />
            <Composer allowed />
        </article>
    }
}

/// What is under way and waits on someone else: a manager brought in, an
/// offer the customer has not answered yet.
#[component]
fn Underway() -> impl IntoView {
    let shared = use_shared();
    // Memos: each card is drawn again only when what it says changes, not on every event.
    let escalation = Memo::new(move |_| shared.ticket.with(|t| t.as_ref().and_then(|t| t.escalation())));
    let pending = Memo::new(move |_| shared.ticket.with(|t| t.as_ref().and_then(|t| t.pending_offer().cloned())));
    view! {
        {move || escalation.get().map(|done| view! {
            <p class="card" data-testid="escalated">{text::fill(text::ESCALATED_ALREADY, text::escalation(done.reason))}</p>
        })}
        {move || pending.get().map(|offer| view! {
            <p class="card" data-testid="make-good-pending">
                {text::fill(text::OFFER_PENDING, &format!("{} {}", offer.make_good.value, text::make_good_kind(offer.make_good.kind)))}
            </p>
        })}
    }
}

/// What a rep or manager can do with the ticket, in the composer's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Act {
    Update,
    Ask,
    Propose,
    MakeGood,
    Escalate,
    HandOver,
}

impl Act {
    const ALL: [Act; 6] = [Act::Update, Act::Ask, Act::Propose, Act::MakeGood, Act::Escalate, Act::HandOver];

    /// The command the core must allow for this action to be offered.
    fn command(self) -> CommandKind {
        match self {
            Act::Update => CommandKind::PostUpdate,
            Act::Ask => CommandKind::AskQuestion,
            Act::Propose => CommandKind::ProposeResolution,
            Act::MakeGood => CommandKind::OfferMakeGood,
            Act::Escalate => CommandKind::Escalate,
            Act::HandOver => CommandKind::HandOver,
        }
    }

    /// Its name in ids and test ids (`act-propose`).
    fn id(self) -> &'static str {
        match self {
            Act::Update => "update",
            Act::Ask => "ask",
            Act::Propose => "propose",
            Act::MakeGood => "make-good",
            Act::Escalate => "escalate",
            Act::HandOver => "hand-over",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Act::Update => text::ACT_UPDATE,
            Act::Ask => text::ACT_ASK,
            Act::Propose => text::ACT_PROPOSE,
            Act::MakeGood => text::ACT_MAKE_GOOD,
            Act::Escalate => text::ACT_ESCALATE,
            Act::HandOver => text::ACT_HAND_OVER,
        }
    }

    fn form(self) -> AnyView {
        match self {
            Act::Update => view! { <UpdateComposer /> }.into_any(),
            Act::Ask => view! { <AskQuestion /> }.into_any(),
            Act::Propose => view! { <ProposeResolution /> }.into_any(),
            Act::MakeGood => view! { <MakeGood /> }.into_any(),
            Act::Escalate => view! { <Escalate /> }.into_any(),
            Act::HandOver => view! { <HandOver /> }.into_any(),
        }
    }
}

/// One composer for everything the core lets this rep do now
/// (`Ticket::allowed`): a tab per action, the chosen one's form below, and
/// nothing for what they cannot do. A form stays while its action is
/// allowed, hidden when another is chosen, so a draft survives a switch.
#[component]
fn Composer(
    /// What the core allows this rep or manager now.
    allowed: Memo<Option<Vec<CommandKind>>>,
) -> impl IntoView {
    let offered = Memo::new(move |_| {
        allowed.with(|allowed| {
            let allowed = allowed.as_deref().unwrap_or_default();
            Act::ALL.into_iter().filter(|act| allowed.contains(&act.command())).collect::<Vec<_>>()
        })
    });
    let picked = RwSignal::new(None::<Act>);
    // The rep's pick while it is allowed, else the first action allowed.
    let shown = Memo::new(move |_| {
        offered.with(|offered| picked.get().filter(|act| offered.contains(act)).or(offered.first().copied()))
    });
    // The tab pattern's keys: arrows move to the previous or next action
    // (round the ends), Home and End to the first and last; the focus goes
    // with the choice, and only the chosen tab is a Tab stop.
    let step = move |ev: web_sys::KeyboardEvent| {
        let offered = offered.get_untracked();
        let Some(at) = shown.get_untracked().and_then(|act| offered.iter().position(|a| *a == act)) else { return };
        let last = offered.len() - 1;
        let to = match ev.key().as_str() {
            "ArrowRight" => {
                if at == last {
                    0
                } else {
                    at + 1
                }
            }
            "ArrowLeft" => {
                if at == 0 {
                    last
                } else {
                    at - 1
                }
            }
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        picked.set(Some(offered[to]));
        mend_client::focus(&format!("act-{}", offered[to].id()));
    };
    let panel = move |act: Act| {
        let on = Memo::new(move |_| offered.with(|offered| offered.contains(&act)));
        move || {
            on.get().then(|| {
                view! {
                    <div role="tabpanel" id=format!("act-{}-panel", act.id()) aria-labelledby=format!("act-{}", act.id())
                        hidden=move || shown.get() != Some(act)>
                        {act.form()}
                    </div>
                }
            })
        }
    };
    view! {
        <section class="composer" aria-label=text::COMPOSER_LABEL hidden=move || offered.with(Vec::is_empty)>
            <div class="acts" role="tablist" aria-label=text::COMPOSER_LABEL on:keydown=step>
                <For each=move || offered.get() key=|act| *act let:act>
                    <button type="button" role="tab" class="act" id=format!("act-{}", act.id())
                        data-testid=format!("act-{}", act.id())
                        aria-controls=format!("act-{}-panel", act.id())
                        aria-selected=move || (shown.get() == Some(act)).to_string()
                        tabindex=move || if shown.get() == Some(act) { "0" } else { "-1" }
                        on:click=move |_| picked.set(Some(act))>
                        {act.label()}
                    </button>
                </For>
            </div>
            {Act::ALL.map(panel).collect_view()}
        </section>
    }
}

/// Who looks after the ticket, how often it changed hands, and, as the
/// core allows this rep now, taking it.
#[component]
fn Owner(
    /// Whether this rep may take the ticket now.
    take: Memo<bool>,
) -> impl IntoView {
    let ctx = use_ctx();
    let commands = Commands::new();
    let owner = Memo::new(move |_| commands.shared.ticket.with(|t| t.as_ref().and_then(|t| t.owner().cloned())));
    let handovers = move || commands.shared.ticket.with(|t| t.as_ref().map_or(0, Ticket::handovers));
    let line = move || match owner.get() {
        Some(owner) if ctx.me().is_some_and(|me| me.is(&owner)) => text::OWNER_YOU.to_owned(),
        Some(owner) => text::fill(text::OWNER_IS, &format::colleague(Some(&owner))),
        None => text::OWNER_NONE.to_owned(),
    };
    view! {
        <section class="owner" aria-labelledby="owner-title">
            <h2 id="owner-title" class="visually-hidden">{text::OWNER_TITLE}</h2>
            <p data-testid="owner">{line}</p>
            {move || (handovers() > 0).then(|| view! { <p data-testid="handovers">{text::fill(text::HANDOVERS, &handovers().to_string())}</p> })}
            {move || take.get().then(|| view! {
                <button type="button" data-testid="take" disabled=move || commands.sending.get()
                    on:click=move |_| commands.send(CommandRequest::TakeOwnership, || ())>
                    {text::TAKE}
                </button>
            })}
            <p class="error" role="alert">{move || take.get().then(|| commands.other_error(&[])()).flatten()}</p>
        </section>
    }
}

/// The same customer's or order's earlier tickets, at the top of the
/// ticket: "This customer reported *the missing armchair* 12 days ago —
/// solved; we changed: …", each one click away. The customer sees none of it.
#[component]
fn EarlierTickets() -> impl IntoView {
    let ctx = use_ctx();
    let shared = use_shared();
    let earlier = RwSignal::new(Vec::<wire::TicketView>::new());
    Effect::new(move |_| {
        let ids: Vec<String> = shared
            .page
            .with(|p| p.as_ref().map(|p| p.earlier.iter().map(ToString::to_string).collect()).unwrap_or_default());
        if ids.is_empty() || earlier.with_untracked(|known| known.len() == ids.len()) {
            return;
        }
        spawn_local(async move {
            let mut found = Vec::new();
            for id in ids {
                if let Ok(view) = api::ticket(&id).await {
                    found.push(view);
                }
            }
            earlier.set(found);
        });
    });
    move || {
        earlier
            .get()
            .into_iter()
            .map(|before| {
                let id = before.id.to_string();
                let ago = format::span(ctx.now_ms.get_untracked() - before.reported_at.unix_ms());
                let changed = before.events.iter().rev().find_map(|event| match &event.kind {
                    EventKind::ResolutionProposed { prevention, .. } => Some(prevention.to_string()),
                    _ => None,
                });
                let line = text::fill(&text::fill(text::EARLIER_REPORTED, &ago), format::status(before.status));
                view! {
                    <p class="card earlier" data-testid="earlier-ticket">
                        {text::EARLIER_LEAD} " " <em dir="auto">{before.report.what_happened.to_string()}</em> " " {line}
                        {changed.map(|changed| view! { " " {text::EARLIER_CHANGED} " " <span dir="auto">{changed}</span> })}
                        " "
                        <button type="button" class="link" data-testid="open-earlier" on:click=move |_| ctx.page.set(Page::Ticket(id.clone()))>
                            {text::OPEN_EARLIER}
                        </button>
                    </p>
                }
            })
            .collect_view()
    }
}

/// What the company changed, on its public scorecard: once the ticket has
/// a prevention note, a manager sees it as the scorecard would show it —
/// the month and the company's words, nothing of the customer's — and
/// publishes it, or withdraws it again; everyone sees whether it is published.
#[component]
fn PublishChange() -> impl IntoView {
    let ctx = use_ctx();
    let shared = use_shared();
    let published = RwSignal::new(None::<bool>);
    let error = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    let ws = ctx.workspace();
    let id = shared.id.get_value();
    {
        let (ws, id) = (ws.clone(), id.clone());
        spawn_local(async move {
            if let Ok(list) = api::changes(&ws).await {
                published.set(Some(list.changes.iter().any(|change| change.ticket_id.as_str() == id)));
            }
        });
    }
    let note = Memo::new(move |_| {
        let zone = ctx.session.with(|s| s.as_ref().map(|s| s.time_zone.clone())).unwrap_or_default();
        shared.page.with(|p| p.as_ref().and_then(|p| ChangeNote::of(&p.events, &zone)))
    });
    let act = move |publish: bool| {
        let (ws, id) = (ws.clone(), id.clone());
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            let done = if publish {
                api::publish_change(&ws, &id).await.map(|_| ())
            } else {
                api::withdraw_change(&ws, &id).await
            };
            match done {
                Ok(()) => published.set(Some(publish)),
                Err(err) if err.is_signed_out() => ctx.signed_out(),
                Err(err) => error.set(Some(err)),
            }
            sending.set(false);
        });
    };
    let act_again = act.clone();
    move || {
        let note = note.get()?;
        let is_published = published.get()?;
        let manager = ctx.is_manager();
        let (act, act_again) = (act.clone(), act_again.clone());
        Some(view! {
            <section class="card publish" data-testid="publish-change" aria-labelledby="publish-title">
                <h2 id="publish-title">{text::PUBLISH_TITLE}</h2>
                <p class="hint">{if is_published { text::PUBLISHED } else { text::PUBLISH_PREVIEW }}</p>
                <blockquote data-testid="change-preview">
                    <p class="month">{note.month.clone()}</p>
                    <p dir="auto">{note.text.to_string()}</p>
                </blockquote>
                {(manager && !is_published).then(|| view! {
                    <button type="button" data-testid="publish" disabled=move || sending.get() on:click=move |_| act(true)>{text::PUBLISH}</button>
                })}
                {(manager && is_published).then(|| view! {
                    <button type="button" class="secondary" data-testid="withdraw-change" disabled=move || sending.get() on:click=move |_| act_again(false)>{text::WITHDRAW_CHANGE}</button>
                })}
                <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            </section>
        })
    }
}

/// Where the fix stands after "solved", and the tickets it links: the
/// solved one this problem came back on, or the new one it came back as —
/// each one click away.
#[component]
fn FollowUpLinks() -> impl IntoView {
    let ctx = use_ctx();
    let shared = use_shared();
    let link = move |id: String, testid: &'static str, label: &'static str| {
        view! {
            <button type="button" class="link" data-testid=testid on:click=move |_| ctx.page.set(Page::Ticket(id.clone()))>
                {label}
            </button>
        }
    };
    move || {
        let (follow_up, came_back_from, reopened_as) = shared.page.with(|page| {
            let Some(page) = page else { return (FollowUp::NotAsked, None, None) };
            let reopened = page.events.iter().rev().find_map(|event| match &event.kind {
                EventKind::FollowUpAnswered { reopened_as: Some(id), .. } => Some(id.to_string()),
                _ => None,
            });
            (page.follow_up, page.came_back_from.as_ref().map(ToString::to_string), reopened)
        });
        let status = match follow_up {
            FollowUp::NotAsked => None,
            FollowUp::Asked => Some(text::FOLLOW_UP_ASKED),
            FollowUp::Held => Some(text::FOLLOW_UP_HELD),
            FollowUp::CameBack => Some(text::FOLLOW_UP_CAME_BACK),
        };
        view! {
            {came_back_from.map(|id| view! {
                <p class="card came-back" data-testid="came-back-from">{text::CAME_BACK_FROM} " " {link(id, "open-old-ticket", text::OPEN_OLD_TICKET)}</p>
            })}
            {status.map(|status| view! {
                <p data-testid="follow-up-status">{status} " " {reopened_as.map(|id| link(id, "open-new-ticket", text::OPEN_NEW_TICKET))}</p>
            })}
        }
    }
}

/// Handing the ticket to a colleague whose key is in force, with a note
/// only they read.
#[component]
fn HandOver() -> impl IntoView {
    let ctx = use_ctx();
    let commands = Commands::new();
    // Whoever owns the ticket now is not offered as whom to hand it to.
    let owner = Memo::new(move |_| commands.shared.ticket.with(|t| t.as_ref().and_then(|t| t.owner().cloned())));
    let to = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    const FIELDS: &[Field] = &[Field::Colleague, Field::HandoverNote];
    let choices = move || {
        let colleagues = ctx.session.with(|s| s.as_ref().map(|s| s.colleagues.clone()).unwrap_or_default());
        let owner = owner.get();
        colleagues.into_iter().filter(|c| !owner.as_ref().is_some_and(|owner| owner.is(c))).collect::<Vec<_>>()
    };
    view! {
        <form class="card" data-testid="hand-over-form" novalidate aria-labelledby="hand-over-title" on:submit=move |ev| {
            ev.prevent_default();
            let command = CommandRequest::HandOver { to: to.get_untracked(), note: note.get_untracked() };
            commands.send(command, move || {
                to.set(String::new());
                note.set(String::new());
            });
        }>
            <h2 id="hand-over-title">{text::HAND_OVER_TITLE}</h2>
            <label for="hand-over-to">{text::HAND_OVER_TO}</label>
            <select
                id="hand-over-to"
                data-testid="hand-over-to"
                aria-invalid=commands.invalid(&[Field::Colleague])
                aria-describedby="hand-over-to-error"
                prop:value=move || to.get()
                on:change=move |ev| to.set(event_target_value(&ev))
            >
                <option value="">{text::HAND_OVER_PICK}</option>
                {move || {
                    choices()
                        .into_iter()
                        .map(|c| {
                            let id = c.key_id.clone().unwrap_or_default();
                            view! { <option value=id>{format::colleague(Some(&c))}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p id="hand-over-to-error" class="field-error" data-testid="hand-over-to-error">{commands.field_error(&[Field::Colleague])}</p>
            <FormField id="hand-over-note" label=text::HAND_OVER_NOTE hint=text::HAND_OVER_HINT value=note rows=3 required=true
                error=commands.field_error(&[Field::HandoverNote]) />
            <p class="error" role="alert">{commands.other_error(FIELDS)}</p>
            <button type="submit" data-testid="send-hand-over" disabled=move || commands.sending.get()>{text::HAND_OVER_SEND}</button>
        </form>
    }
}

/// Where the company's promise stands, as the rep needs it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PromiseNow {
    /// A promise in force, counting down (or recorded as missed), with the
    /// words that say which: the first answer, or the next update.
    Due(Promise, &'static str),
    /// A question holds the promise, with this much time left when the customer answers.
    Paused(i64),
    /// The customer is waiting and nothing is promised (a new report, a reopen, a question asked late).
    None,
    /// The ball is not the company's: a proposal awaits the customer, or the ticket is final.
    NotOurs,
}

/// The promise in force and its countdown.
#[component]
fn CurrentPromise() -> impl IntoView {
    let ctx = use_ctx();
    let shared = use_shared();
    let now = Memo::new(move |_| {
        shared.ticket.with(|t| match t.as_ref().map(Ticket::state) {
            Some(State::WaitingOnCustomer { remaining_ms: Some(left), .. }) => PromiseNow::Paused(*left),
            Some(State::ResolutionProposed { .. } | State::Solved | State::Withdrawn) | None => PromiseNow::NotOurs,
            Some(State::Reported { promise: Some(p) }) => PromiseNow::Due(*p, text::FIRST_ANSWER_PROMISE),
            Some(state) => state.promise().map_or(PromiseNow::None, |p| PromiseNow::Due(p, text::CURRENT_PROMISE)),
        })
    });
    move || {
        match now.get() {
        PromiseNow::Due(p, words) => view! {
            <p class="promise" class:late=p.missed data-testid="current-promise">
                {text::fill(words, &format::local_time(p.due))}
                " — "
                <strong>{move || format::countdown(p.due, p.missed, ctx.now_ms.get())}</strong>
            </p>
        }
        .into_any(),
        PromiseNow::Paused(left) => {
            view! { <p class="promise" data-testid="current-promise">{text::fill(text::PROMISE_PAUSED, &format::span(left))}</p> }
                .into_any()
        }
        PromiseNow::None => view! { <p class="promise" data-testid="current-promise">{text::NO_PROMISE}</p> }.into_any(),
        PromiseNow::NotOurs => ().into_any(),
    }
    }
}

/// What the customer told the company, in their own words, before anything else.
#[component]
fn CustomerWords(
    /// The customer's report, or the company's own (a proactive report).
    report: Report,
    /// Whether the company reported it, before the customer did.
    found_first: bool,
) -> impl IntoView {
    let feelings = report.feelings.iter().map(|f| text::feeling(*f)).collect::<Vec<_>>().join(", ");
    let mut cost = Vec::new();
    if let Some(money) = report.cost.money {
        cost.push(text::fill(text::COST_MONEY, &money.to_string()));
    }
    if let Some(hours) = report.cost.hours_lost {
        cost.push(text::fill(text::COST_HOURS, &hours.to_string()));
    }
    if report.cost.missed_event {
        cost.push(text::COST_MISSED_EVENT.to_owned());
    }
    let row = |label: &'static str, value: Option<String>, testid: &'static str| {
        value.map(|value| {
            view! {
                <dt>{label}</dt>
                <dd dir="auto" data-testid=testid>{value}</dd>
            }
        })
    };
    let order = report.order_id.as_ref().map(|order| match report.order_value {
        Some(value) => format!("{order} ({value})"),
        None => order.to_string(),
    });
    view! {
        <section class="words card" aria-labelledby="words-title" data-testid="customer-words">
            <h2 id="words-title">{if found_first { text::FOUND_FIRST_WORDS } else { text::CUSTOMER_WORDS }}</h2>
            <dl>
                {row(text::WHAT_HAPPENED, Some(report.what_happened.to_string()), "words-what-happened")}
                {row(text::HOW_IT_AFFECTED, report.how_it_affected_you.as_ref().map(ToString::to_string), "words-impact")}
                {row(text::HOW_THEY_FEEL, (!feelings.is_empty()).then_some(feelings), "words-feelings")}
                {row(text::WHAT_IT_COST, (!cost.is_empty()).then(|| cost.join("; ")), "words-cost")}
                {row(text::ORDER, order, "words-order")}
                {row(text::CONTACT, report.contact_email.as_ref().map(ToString::to_string), "words-contact")}
            </dl>
        </section>
    }
}

/// What the reviewer flagged in one text of a sent event: the text named,
/// shown again with the flagged phrases marked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Flagged {
    field: Wording,
    parts: Vec<(String, bool)>,
}

/// The ticket's log, oldest first, with what the reviewer flagged on sent text.
#[component]
fn Timeline() -> impl IntoView {
    let shared = use_shared();
    let entries = move || {
        shared.page.with(|page| {
            let Some(page) = page else { return Vec::new() };
            page.events
                .iter()
                .map(|event| {
                    let flagged = page
                        .review
                        .iter()
                        .filter(|review| review.seq == event.seq && !review.findings.is_empty())
                        .filter_map(|review| {
                            let (_, text) =
                                event.company_words().into_iter().find(|(field, _)| *field == review.field)?;
                            let parts = segments(text, &review.findings)
                                .into_iter()
                                .map(|(part, category)| (part, category.is_some()))
                                .collect();
                            Some(Flagged { field: review.field, parts })
                        })
                        .collect::<Vec<_>>();
                    (event.seq, format::actor(event), format::local_time(event.at), format::entry(event), flagged)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="timeline-section" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{text::TIMELINE}</h2>
            <ol class="timeline" data-testid="timeline" aria-live="polite" aria-relevant="additions">
                <For
                    each=entries
                    key=|entry| entry.0
                    children=move |(seq, who, at, what, flagged)| {
                        view! {
                            <li data-testid="event" data-seq=seq>
                                <span class="who">{who} " · " {at}</span>
                                <span class="text" dir="auto">{what}</span>
                                {flagged
                                    .into_iter()
                                    .map(|Flagged { field, parts }| {
                                        view! {
                                            <span class="flagged" data-testid="flagged" data-field=field.key()>
                                                {text::fill(text::FLAGGED, text::reviewed_field(field))}
                                                " "
                                                <q dir="auto">
                                                    {parts
                                                        .into_iter()
                                                        .map(|(part, marked)| {
                                                            if marked {
                                                                view! { <mark data-testid="flagged-phrase">{part}</mark> }.into_any()
                                                            } else {
                                                                part.into_any()
                                                            }
                                                        })
                                                        .collect_view()}
                                                </q>
                                            </span>
                                        }
                                    })
                                    .collect_view()}
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}

/// The quick picks for the next promise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    InOneHour,
    InFourHours,
    TomorrowAtTen,
}

impl Pick {
    fn value(self) -> String {
        let date = js_sys::Date::new_0();
        match self {
            Pick::InOneHour => date.set_time(date.get_time() + 3_600_000.0),
            Pick::InFourHours => date.set_time(date.get_time() + 4.0 * 3_600_000.0),
            Pick::TomorrowAtTen => {
                date.set_date(date.get_date() + 1);
                date.set_hours(10);
                date.set_minutes(0);
                date.get_time()
            }
        };
        format::local_input_value(&date)
    }
}

/// An update to the customer, which must promise when the next one comes.
#[component]
fn UpdateComposer() -> impl IntoView {
    let commands = Commands::new();
    let ctx = use_ctx();
    let draft = RwSignal::new(String::new());
    let when = RwSignal::new(String::new());
    const FIELDS: &[Field] = &[Field::Text, Field::NextUpdateBy];
    let chosen = move || {
        when.with(|local| {
            let date = js_sys::Date::new(&JsValue::from_str(local));
            (!local.is_empty() && !date.get_time().is_nan()).then(|| {
                let ms = date.get_time() as i64;
                let left = format::span(ms - ctx.now_ms.get());
                let at = format::local_time(
                    mend_core::clock::Timestamp::from_unix_ms(ms).unwrap_or(mend_core::clock::Timestamp::EPOCH),
                );
                text::fill(&text::fill(text::PROMISE_CHOSEN, &at), &left)
            })
        })
    };
    let pick = move |choice: Pick, label: &'static str, testid: &'static str| {
        view! {
            <button type="button" class="secondary pick" data-testid=testid on:click=move |_| when.set(choice.value())>
                {label}
            </button>
        }
    };
    view! {
        <form class="card composer" data-testid="update-form" novalidate aria-labelledby="update-title" on:submit=move |ev| {
            ev.prevent_default();
            let command = CommandRequest::Update { text: draft.get_untracked(), next_update_by: format::from_local_input(&when.get_untracked()) };
            commands.send(command, move || {
                draft.set(String::new());
                when.set(String::new());
            });
        }>
            <h2 id="update-title">{text::UPDATE_TITLE}</h2>
            <FormField id="update-text" label=text::UPDATE_LABEL value=draft rows=4 required=true described_by="update-review"
                error=commands.field_error(&[Field::Text]) />
            <Review draft id="update-review" />
            <fieldset class="promise-picker">
                <legend>{text::PROMISE_LEGEND}</legend>
                <p class="hint" id="promise-hint">{text::PROMISE_HINT}</p>
                {pick(Pick::InOneHour, text::PICK_ONE_HOUR, "pick-1h")}
                {pick(Pick::InFourHours, text::PICK_FOUR_HOURS, "pick-4h")}
                {pick(Pick::TomorrowAtTen, text::PICK_TOMORROW, "pick-tomorrow")}
                <label for="promise-at">{text::PICK_CUSTOM}</label>
                <input
                    id="promise-at"
                    type="datetime-local"
                    data-testid="promise-at"
                    required
                    aria-required="true"
                    aria-invalid=commands.invalid(&[Field::NextUpdateBy])
                    aria-describedby="promise-hint promise-chosen promise-error"
                    prop:value=move || when.get()
                    on:input=move |ev| when.set(event_target_value(&ev))
                />
                <p id="promise-chosen" class="hint" data-testid="promise-chosen">{chosen}</p>
                <p id="promise-error" class="field-error" data-testid="promise-error">{commands.field_error(&[Field::NextUpdateBy])}</p>
            </fieldset>
            <p class="error" role="alert">{commands.other_error(FIELDS)}</p>
            <button type="submit" data-testid="send-update" disabled=move || commands.sending.get()>{text::SEND_UPDATE}</button>
        </form>
    }
}

/// A question to the customer; the promise clock pauses until they answer.
#[component]
fn AskQuestion() -> impl IntoView {
    let commands = Commands::new();
    let question = RwSignal::new(String::new());
    view! {
        <form class="card" data-testid="ask-form" novalidate aria-labelledby="ask-title" on:submit=move |ev| {
            ev.prevent_default();
            commands.send(CommandRequest::Ask { question: question.get_untracked() }, move || question.set(String::new()));
        }>
            <h2 id="ask-title">{text::ASK_TITLE}</h2>
            <FormField id="question" label=text::ASK_LABEL hint=text::ASK_HINT value=question rows=2 required=true
                described_by="question-review" error=commands.field_error(&[Field::Question]) />
            <Review draft=question id="question-review" />
            <p class="error" role="alert">{commands.other_error(&[Field::Question])}</p>
            <button type="submit" data-testid="send-question" disabled=move || commands.sending.get()>{text::ASK_SEND}</button>
        </form>
    }
}

/// Bringing in a manager, for one of the two reasons. Offered only while
/// the core allows it (once is enough; a manager is already the escalation).
#[component]
fn Escalate() -> impl IntoView {
    let commands = Commands::new();
    let reason = RwSignal::new(None::<EscalationReason>);
    let option = move |choice: EscalationReason| {
        view! {
            <label class="choice">
                <input type="radio" name="escalation" data-testid=format!("reason-{}", choice.key()) on:change=move |_| reason.set(Some(choice)) />
                {text::escalation(choice)}
            </label>
        }
    };
    view! {
        <form class="card" data-testid="escalate-form" novalidate aria-labelledby="escalate-title" on:submit=move |ev| {
            ev.prevent_default();
            let reason = reason.get_untracked().map_or("", EscalationReason::key);
            commands.send(CommandRequest::Escalate { reason: reason.into() }, || ());
        }>
            <h2 id="escalate-title">{text::ESCALATE_TITLE}</h2>
            <fieldset aria-describedby="escalate-error">
                <legend>{text::ESCALATE_LEGEND}</legend>
                {EscalationReason::ALL.map(option).collect_view()}
            </fieldset>
            <p id="escalate-error" class="field-error" data-testid="escalate-error">{commands.field_error(&[Field::Escalation])}</p>
            <p class="error" role="alert">{commands.other_error(&[Field::Escalation])}</p>
            <button type="submit" data-testid="send-escalation" disabled=move || commands.sending.get()>{text::ESCALATE_SEND}</button>
        </form>
    }
}

/// Proposing a resolution: what was done and what changed so it won't
/// happen again, both required. The customer alone answers it.
#[component]
fn ProposeResolution() -> impl IntoView {
    let commands = Commands::new();
    let summary = RwSignal::new(String::new());
    let prevention = RwSignal::new(String::new());
    const FIELDS: &[Field] = &[Field::Summary, Field::Prevention];
    view! {
        <form class="card" data-testid="propose-form" novalidate aria-labelledby="propose-title" on:submit=move |ev| {
            ev.prevent_default();
            let command = CommandRequest::ProposeResolution { summary: summary.get_untracked(), prevention: prevention.get_untracked() };
            commands.send(command, || ());
        }>
            <h2 id="propose-title">{text::PROPOSE_TITLE}</h2>
            <p class="hint">{text::PROPOSE_HINT}</p>
            <FormField id="summary" label=text::PROPOSE_SUMMARY value=summary rows=3 required=true
                described_by="summary-review" error=commands.field_error(&[Field::Summary]) />
            <Review draft=summary id="summary-review" />
            <FormField id="prevention" label=text::PROPOSE_PREVENTION hint=text::PREVENTION_HINT value=prevention rows=3
                required=true error=commands.field_error(&[Field::Prevention]) />
            <p class="error" role="alert">{commands.other_error(FIELDS)}</p>
            <button type="submit" data-testid="send-proposal" disabled=move || commands.sending.get()>{text::PROPOSE_SEND}</button>
        </form>
    }
}

/// A make-good: the range the workspace's policy suggests for the harm the
/// customer reported, a warning when the offer is out of proportion, and
/// that an offer above the rep's limit needs a manager.
#[component]
fn MakeGood() -> impl IntoView {
    let commands = Commands::new();
    let ctx = use_ctx();
    let kind = RwSignal::new(MakeGoodKind::Credit.key().to_owned());
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    const FIELDS: &[Field] = &[Field::MakeGoodKind, Field::Amount, Field::Currency, Field::Note];
    let report = move || commands.shared.ticket.with(|t| t.as_ref().map(|t| t.report().clone()));
    // The session's policy, for reps and managers alike: the range and the
    // verdict are the core's, in the workspace's currency.
    let policy = move || ctx.policy();
    let currency = move || ctx.session.with(|s| s.as_ref().map(|s| s.currency));
    let suggestion = move || {
        let (report, policy) = (report()?, policy()?);
        Some(make_good::suggest(&policy, report.order_value, &report.cost))
    };
    let offer = move || {
        let currency = currency()?;
        money::typed_minor_units(&value.get(), currency.exponent()).map(|minor_units| Money { currency, minor_units })
    };
    let assessment = move || {
        let (report, offer, policy) = (report()?, offer()?, policy()?);
        Some(make_good::assess(&policy, report.order_value, &report.cost, offer))
    };
    let is_rep = move || ctx.session.with(|s| s.as_ref().is_some_and(|s| s.role == Role::Rep));
    // A rep may offer make-goods, so the worker's only refusal of one with
    // 403 `needs_manager`: above the rep's cap, so a manager must make the offer.
    let needs_manager_refusal =
        move || commands.error.with(|e| e.as_ref().is_some_and(|e| e.code() == Some("needs_manager")));

    view! {
        <section class="card" data-testid="make-good" aria-labelledby="make-good-title">
            <h2 id="make-good-title">{text::MAKE_GOOD_TITLE}</h2>
            <p class="suggestion" data-testid="make-good-suggestion">
                {move || suggestion().map(|suggested| match suggested {
                    Some(s) => text::fill(&text::fill(&text::fill(text::SUGGESTED, &s.low.to_string()), &s.high.to_string()), &s.basis),
                    None => text::NO_SUGGESTION.to_owned(),
                })}
            </p>
            <form data-testid="make-good-form" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        let Some(currency) = ctx.session.with_untracked(|s| s.as_ref().map(|s| s.currency)) else { return };
                        let Some(minor_units) = money::typed_minor_units(&value.get_untracked(), currency.exponent()) else {
                            commands.error.set(Some(ApiError::invalid(Field::Amount, text::AMOUNT_INVALID)));
                            return;
                        };
                        let note = note.get_untracked();
                        let command = CommandRequest::OfferMakeGood {
                            kind: kind.get_untracked(),
                            value: MoneyRequest { currency: currency.code().to_owned(), minor_units },
                            note: (!note.trim().is_empty()).then_some(note),
                        };
                        commands.send(command, move || {
                            value.set(String::new());
                        });
                    }>
                        <label for="make-good-kind">{text::MAKE_GOOD_KIND}</label>
                        <select id="make-good-kind" data-testid="make-good-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {MakeGoodKind::ALL.map(|k| view! { <option value=k.key() selected=move || kind.get() == k.key()>{text::make_good_kind(k)}</option> }).collect_view()}
                        </select>
                        <label for="make-good-value">{move || text::fill(text::MAKE_GOOD_VALUE, currency().map(|c| c.code().to_owned()).unwrap_or_default().as_str())}</label>
                        <input
                            id="make-good-value"
                            data-testid="make-good-value"
                            inputmode="decimal"
                            autocomplete="off"
                            required
                            aria-required="true"
                            aria-invalid=commands.invalid(&[Field::Amount, Field::Currency])
                            aria-describedby="make-good-assessment make-good-error"
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))
                        />
                        <div id="make-good-assessment" role="status">
                            {move || assessment().map(|a| {
                                let out_of_proportion = matches!(a.verdict, Verdict::TooLow | Verdict::TooHigh | Verdict::OtherCurrency);
                                view! {
                                    <p class="assessment" class:warning=out_of_proportion data-testid="make-good-assessment"
                                        data-verdict=text::verdict_key(a.verdict)>
                                        {out_of_proportion.then_some(view! { <strong>{text::OUT_OF_PROPORTION}</strong> " " })}
                                        {a.reason}
                                    </p>
                                    {(a.needs_manager && is_rep()).then_some(view! {
                                        <p class="warning" data-testid="make-good-needs-manager">{text::NEEDS_MANAGER_NOTE}</p>
                                    })}
                                }
                            })}
                        </div>
                        <p id="make-good-error" class="field-error" class:blocked=needs_manager_refusal role="alert" data-testid="make-good-error">
                            {move || needs_manager_refusal().then_some(view! { <strong>{text::NEEDS_MANAGER_REFUSED}</strong> " " })}
                            {commands.field_error(&[Field::Amount, Field::Currency])}
                            {commands.other_error(FIELDS)}
                        </p>
                        <FormField id="make-good-note" label=text::MAKE_GOOD_NOTE optional=text::OPTIONAL value=note rows=2
                            error=commands.field_error(&[Field::Note, Field::MakeGoodKind]) />
                        <button type="submit" data-testid="send-make-good" disabled=move || commands.sending.get()>{text::MAKE_GOOD_SEND}</button>
            </form>
        </section>
    }
}

/// Whether the customer hears from Mend by email while away, and why an
/// email has not gone yet, if it has not.
#[component]
fn Emails() -> impl IntoView {
    let shared = use_shared();
    move || {
        shared.page.with(|page| {
            let page = page.as_ref()?;
            let emails = page.emails.as_ref().map(|emails| if emails.on { text::EMAILS_ON } else { text::EMAILS_OFF });
            let trouble = page.email_trouble.clone();
            let watching = page.customer_watching.then_some(text::CUSTOMER_WATCHING);
            Some(view! {
                <p class="hint" data-testid="emails">{watching.unwrap_or(emails.unwrap_or(text::EMAILS_NONE))}</p>
                {trouble.map(|why| view! { <p class="error" role="status" data-testid="email-trouble">{why}</p> })}
            })
        })
    }
}
