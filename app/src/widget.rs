//! The widget's views: the report form, then the ticket the customer follows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::ticket::{Event, State, Ticket};
use mend_core::wire::{CommandRequest, CompanyVoice, ReportRequest};

use crate::api::{self, ApiError, Live};
use crate::device::{self, Saved};
use crate::format;
use crate::host::{Host, HostEvent};

/// The workspace whose frame this is, from the frame's address (`/w/{workspace}`).
fn workspace_from_location() -> String {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    path.trim_matches('/').strip_prefix("w/").unwrap_or_default().to_owned()
}

/// The ticket the customer follows: how to reach it and the company's voice.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Session {
    ticket_id: String,
    token: String,
    company: CompanyVoice,
}

/// Shared by the ticket views: the session and the ticket's event log, the
/// one source of truth from which its state is folded.
#[derive(Clone, Copy)]
struct TicketContext {
    session: RwSignal<Option<Session>>,
    events: RwSignal<Vec<Event>>,
}

fn use_ticket() -> TicketContext {
    expect_context::<TicketContext>()
}

impl TicketContext {
    /// Appends the events that follow the last one held, in order, once each.
    fn merge(self, incoming: impl IntoIterator<Item = Event>) {
        self.events.update(|events| {
            for event in incoming {
                let last = events.last().map_or(0, |e| e.seq);
                if event.seq == last + 1 {
                    events.push(event);
                }
            }
        });
    }

    fn last_seq(self) -> u64 {
        self.events.with_untracked(|events| events.last().map_or(0, |e| e.seq))
    }
}

impl Session {
    fn saved(&self) -> Saved {
        Saved {
            ticket_id: self.ticket_id.clone(),
            token: self.token.clone(),
            company_name: self.company.name.clone(),
            apology: self.company.apology.clone(),
        }
    }

    fn from_saved(saved: Saved) -> Self {
        Session {
            ticket_id: saved.ticket_id,
            token: saved.token,
            company: CompanyVoice { name: saved.company_name, apology: saved.apology },
        }
    }
}

/// The whole widget: the ticket this device follows, if any, else the report form.
#[component]
pub fn Widget() -> impl IntoView {
    let context = TicketContext { session: RwSignal::new(None), events: RwSignal::new(Vec::new()) };
    provide_context(context);
    provide_context(Host::connect());
    let workspace = workspace_from_location();
    let restoring = RwSignal::new(false);

    // A customer who reloads the page comes back to the ticket only they can close.
    if let Some(saved) = device::saved(&workspace) {
        restoring.set(true);
        let workspace = workspace.clone();
        spawn_local(async move {
            match api::get_ticket(&saved.ticket_id, &saved.token).await {
                Ok(log) => {
                    context.events.set(log.events);
                    context.session.set(Some(Session::from_saved(saved)));
                }
                Err(err) if err.is_not_found() => device::forget(&workspace),
                Err(_) => {}
            }
            restoring.set(false);
        });
    }

    let start_over = Callback::new({
        let workspace = workspace.clone();
        move |()| {
            device::forget(&workspace);
            context.session.set(None);
            context.events.set(Vec::new());
        }
    });
    let host = expect_context::<Host>();
    view! {
        <div class="mend" data-testid="widget">
            <button
                type="button"
                class="close"
                data-testid="close"
                aria-label="Close"
                on:click=move |_| host.emit(HostEvent::Close)
            >
                "×"
            </button>
            <Show
                when=move || context.session.with(Option::is_some)
                fallback=move || {
                    let workspace = workspace.clone();
                    view! {
                        <Show
                            when=move || !restoring.get()
                            fallback=|| view! { <p class="loading" role="status">"Loading your report…"</p> }
                        >
                            <ReportForm workspace=workspace.clone() />
                        </Show>
                    }
                }
            >
                <TicketPanel start_over />
            </Show>
        </div>
    }
}

/// Asks what happened and how it affected the customer, then reports it.
#[component]
fn ReportForm(
    /// The workspace whose frame this is.
    workspace: String,
) -> impl IntoView {
    let context = use_ticket();
    let host = expect_context::<Host>();
    let what_happened = RwSignal::new(String::new());
    let impact = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // `Mend.report({orderId, summary})` on the company's page starts the form.
    Effect::new(move |_| {
        if let Some(prefill) = host.prefill.get() {
            if let Some(summary) = prefill.summary {
                what_happened.set(summary);
            }
            if prefill.order_id.is_some() {
                host.context.update(|page| page.order_id = prefill.order_id);
            }
        }
    });
    let order_id = move || host.context.with(|page| page.order_id.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let workspace = workspace.clone();
        let request = ReportRequest {
            workspace: workspace.clone(),
            what_happened: what_happened.get_untracked(),
            how_it_affected_you: Some(impact.get_untracked()),
            order_id: host.context.with_untracked(|page| page.order_id.clone()),
            identity: host.identity.get_untracked(),
            ..ReportRequest::default()
        };
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::create_report(&request).await {
                Ok(created) => {
                    let session = Session {
                        ticket_id: created.ticket.id.to_string(),
                        token: created.customer_token,
                        company: created.company,
                    };
                    device::save(&workspace, &session.saved());
                    host.emit(HostEvent::Reported { ticket: session.ticket_id.clone() });
                    context.events.set(created.ticket.events);
                    context.session.set(Some(session));
                }
                Err(err) => error.set(Some(err)),
            }
            sending.set(false);
        });
    };

    let field_error = move |field: &'static str| {
        move || error.with(|e| e.as_ref().filter(|e| e.field() == Some(field)).map(ApiError::message))
    };
    let general_error = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| !matches!(e.field(), Some("what_happened" | "how_it_affected_you")))
                .map(ApiError::message)
        })
    };

    view! {
        <form class="report" data-testid="report-form" on:submit=submit novalidate>
            <h1>"Tell us what went wrong"</h1>
            {move || order_id().map(|order| view! { <p class="context" data-testid="order">"Order #" {order}</p> })}
            <label for="what-happened">"What happened?"</label>
            <textarea
                id="what-happened"
                data-testid="what-happened"
                rows="4"
                required
                aria-describedby="what-happened-error"
                prop:value=move || what_happened.get()
                on:input=move |ev| what_happened.set(event_target_value(&ev))
            ></textarea>
            <p id="what-happened-error" class="field-error" data-testid="what-happened-error">
                {field_error("what_happened")}
            </p>
            <label for="impact">"How did it affect you?"</label>
            <textarea
                id="impact"
                data-testid="impact"
                rows="3"
                aria-describedby="impact-error"
                prop:value=move || impact.get()
                on:input=move |ev| impact.set(event_target_value(&ev))
            ></textarea>
            <p id="impact-error" class="field-error">{field_error("how_it_affected_you")}</p>
            <p class="error" role="alert" data-testid="form-error">{general_error}</p>
            <button type="submit" data-testid="send-report" disabled=move || sending.get()>
                {move || if sending.get() { "Sending…" } else { "Send" }}
            </button>
        </form>
    }
}

/// The ticket as the customer follows it: apology, status, promise,
/// timeline, and the question only they can answer.
#[component]
fn TicketPanel(
    /// Forgets this ticket on this device and shows the report form again.
    start_over: Callback<()>,
) -> impl IntoView {
    let context = use_ticket();
    let Some(session) = context.session.get_untracked() else {
        return ().into_any();
    };
    let ticket = Memo::new(move |_| context.events.with(|events| Ticket::from_events(events).ok()));
    let connected = RwSignal::new(false);

    let live = Live::connect(
        session.ticket_id.clone(),
        session.token.clone(),
        move || context.last_seq(),
        move |event| context.merge([event]),
        move |up| connected.set(up),
    );
    on_cleanup(move || drop(live));

    // The company's page may listen for the customer's confirmation.
    let host = expect_context::<Host>();
    let ticket_id = session.ticket_id.clone();
    let solved = Memo::new(move |_| ticket.with(|t| matches!(t.as_ref().map(Ticket::state), Some(State::Solved))));
    Effect::new(move |was: Option<bool>| {
        let now = solved.get();
        if now && was == Some(false) {
            host.emit(HostEvent::Solved { ticket: ticket_id.clone() });
        }
        now
    });

    let company = session.company.name.clone();
    let status = move || {
        ticket.with(|t| match t.as_ref().map(Ticket::state) {
            Some(State::Reported) => "We have your report and will answer soon.",
            Some(State::Acknowledged { .. } | State::InProgress { .. }) => "We're working on it.",
            Some(State::WaitingOnCustomer { .. }) => "We asked you something below.",
            Some(State::ResolutionProposed { .. }) => "We think this is fixed. Is it?",
            Some(State::Solved) => "Solved — you confirmed it.",
            Some(State::Withdrawn) => "You withdrew this report.",
            None => "",
        })
    };
    let promise = move || {
        ticket.with(|t| t.as_ref().and_then(Ticket::promise)).map(|p| {
            let late = if p.missed { " — late" } else { "" };
            format!("{}{late}", format::local_time(p.due))
        })
    };

    view! {
        <section class="ticket" data-testid="ticket">
            <div class="apology" data-testid="apology">
                <p>{session.company.apology.clone()}</p>
                <p class="signature">"— " {session.company.name.clone()}</p>
            </div>
            <p class="status" data-testid="status">{status}</p>
            <p class="reference">"Your reference: " <span data-testid="reference">{session.ticket_id.clone()}</span></p>
            {move || {
                promise().map(|at| view! { <p class="promise" data-testid="promise">"Next update by " {at}</p> })
            }}
            <p class="live" data-testid="live-status">
                {move || if connected.get() { "Live" } else { "Reconnecting…" }}
            </p>
            <ol class="timeline" data-testid="timeline" aria-live="polite">
                <For
                    each=move || context.events.get()
                    key=|event| event.seq
                    children=move |event| {
                        let who = format::speaker(event.by, &company);
                        view! {
                            <li data-testid="event" data-seq=event.seq>
                                <span class="who">{who}</span>
                                <span class="text">{format::entry_text(&event.kind)}</span>
                            </li>
                        }
                    }
                />
            </ol>
            {move || {
                ticket.with(|t| match t.as_ref().map(Ticket::state) {
                    Some(State::ResolutionProposed { .. }) => view! { <SolvedQuestion /> }.into_any(),
                    Some(state) if !state.is_final() => view! { <MessageComposer /> }.into_any(),
                    Some(State::Solved) => {
                        view! {
                            <p class="solved" data-testid="solved">"Thank you for confirming."</p>
                            <button data-testid="start-over" on:click=move |_| start_over.run(())>
                                "Report another problem"
                            </button>
                        }
                            .into_any()
                    }
                    Some(State::Withdrawn) => {
                        view! {
                            <button data-testid="start-over" on:click=move |_| start_over.run(())>
                                "Report another problem"
                            </button>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                })
            }}
        </section>
    }
    .into_any()
}

/// Sends the customer's commands from one part of the view: one at a time,
/// keeping the last error to show, and merging the answer's events.
#[derive(Clone, Copy)]
struct CustomerCommands {
    context: TicketContext,
    sending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl CustomerCommands {
    fn new(context: TicketContext) -> Self {
        Self { context, sending: RwSignal::new(false), error: RwSignal::new(None) }
    }

    /// Sends `command` unless one is under way; `accepted` runs once Mend took it.
    fn send(self, command: CommandRequest, accepted: impl FnOnce() + 'static) {
        let Some(session) = self.context.session.get_untracked() else { return };
        if self.sending.get_untracked() {
            return;
        }
        self.sending.set(true);
        self.error.set(None);
        spawn_local(async move {
            match api::send_command(&session.ticket_id, &session.token, &command).await {
                Ok(log) => {
                    self.context.merge(log.events);
                    accepted();
                }
                Err(err) => self.error.set(Some(err)),
            }
            self.sending.set(false);
        });
    }
}

/// Lets the customer write to the company: to answer its question, or add
/// anything while the ticket is open.
#[component]
fn MessageComposer() -> impl IntoView {
    let sender = CustomerCommands::new(use_ticket());
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.send(CommandRequest::Message { text: text.get_untracked() }, move || text.set(String::new()));
    };
    let (sending, error) = (sender.sending, sender.error);

    view! {
        <form class="composer" data-testid="composer" on:submit=submit>
            <label for="message">"Write to us"</label>
            <textarea
                id="message"
                data-testid="message"
                rows="2"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
            <button type="submit" data-testid="send-message" disabled=move || sending.get()>"Send"</button>
        </form>
    }
}

/// "Is this solved for you?" — yes, or not yet with a reason.
#[component]
fn SolvedQuestion() -> impl IntoView {
    let sender = CustomerCommands::new(use_ticket());
    let explaining = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let send = move |command: CommandRequest| sender.send(command, || ());
    let (sending, error) = (sender.sending, sender.error);

    view! {
        <section class="question" data-testid="solved-question">
            <h2>"Is this solved for you?"</h2>
            <div class="actions">
                <button data-testid="confirm-yes" disabled=move || sending.get() on:click=move |_| send(CommandRequest::ConfirmSolved)>
                    "Yes, it's solved"
                </button>
                <button data-testid="confirm-not-yet" disabled=move || sending.get() on:click=move |_| explaining.set(true)>
                    "Not yet"
                </button>
            </div>
            <Show when=move || explaining.get()>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    send(CommandRequest::NotYet { reason: reason.get_untracked() });
                }>
                    <label for="reason">"What is still wrong?"</label>
                    <textarea
                        id="reason"
                        data-testid="not-yet-reason"
                        rows="3"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    <button type="submit" data-testid="send-not-yet" disabled=move || sending.get()>"Send"</button>
                </form>
            </Show>
            <p class="error" role="alert">{move || error.with(|e| e.as_ref().map(ApiError::message))}</p>
        </section>
    }
}
