//! The ticket as the customer follows it: the company's apology first, then
//! where it stands, the promise of the next update, the timeline, and what
//! only the customer can do — answer, accept or decline a make-good, say
//! whether it is solved, rate the recovery, withdraw.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_client::FormField;
use mend_core::clock::Timestamp;
use mend_core::make_good::Policy;
use mend_core::ticket::{Actor, CommandKind, Context, EventKind, State, Ticket};
use mend_core::wire::CommandRequest;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, Connection, Live, Said};
use crate::format;
use crate::host::HostEvent;
use crate::text::Text;
use crate::text::keys::{COMMENT, MESSAGE, REASON, WHAT_HAPPENED};
use crate::widget::{App, use_app};

/// The ticket view.
#[component]
pub fn TicketPanel() -> impl IntoView {
    let app = use_app();
    let text = app.text;
    let words = text.ticket();
    let Some(session) = app.session.get_untracked() else {
        return ().into_any();
    };
    let ticket = Memo::new(move |_| app.events.with(|events| Ticket::from_events(events).ok()));
    let state = move || ticket.with(|t| t.as_ref().map(|t| t.state().clone()));
    let connection = RwSignal::new(Connection::Reconnecting);
    let live = Live::connect(
        session.ticket_id.clone(),
        session.token.clone(),
        move || app.last_seq(),
        move |event| app.merge([event]),
        move |now| connection.set(now),
    );
    on_cleanup(move || drop(live));

    // The company's page may listen for the customer's confirmation.
    let ticket_id = session.ticket_id.clone();
    let solved = Memo::new(move |_| matches!(state(), Some(State::Solved)));
    Effect::new(move |was: Option<bool>| {
        let now = solved.get();
        if now && was == Some(false) {
            app.host.emit(HostEvent::Solved { ticket: ticket_id.clone() });
        }
        now
    });

    // A solved or withdrawn ticket stays listed, but the next visit starts a new report.
    let closed_id = session.ticket_id.clone();
    Effect::new(move |_| {
        if state().is_some_and(|state| state.is_final()) {
            app.workspace.with_value(|ws| crate::device::close(ws, &closed_id));
        }
    });

    let heading = NodeRef::<html::H1>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });

    let (company, apology) = app.config.with_value(|c| (c.name.clone(), c.apology.clone()));
    let company_owner = company.clone();
    // A proactive report: the company tells what it found, in its words,
    // with its own apology for this problem.
    let found = app.events.with_untracked(|events| match events.first().map(|e| &e.kind) {
        Some(EventKind::Reported { report, apology: Some(apology), .. }) => {
            Some((report.what_happened.to_string(), apology.to_string()))
        }
        _ => None,
    });
    let (found, apology) = match found {
        Some((what, apology)) => (Some(what), apology),
        None => (None, apology),
    };
    let status = move || match state() {
        Some(State::Reported { .. }) => words.status_reported,
        Some(State::Acknowledged { .. } | State::InProgress { .. }) => words.status_working,
        Some(State::WaitingOnCustomer { .. }) => words.status_question,
        Some(State::ResolutionProposed { .. }) => words.status_proposed,
        Some(State::Solved) => words.status_solved,
        Some(State::Withdrawn) => words.status_withdrawn,
        None => "",
    };
    let promise = move || ticket.with(|t| t.as_ref().and_then(Ticket::promise));
    // What the customer may do now is the core's answer (`Ticket::allowed`):
    // each part below is offered exactly while its command is listed, and
    // rebuilt only when that changes, so a half-written message survives
    // the company's news.
    // (The customer's commands do not weigh make-goods: any policy serves.)
    let policy = Policy::standard(app.config.with_value(|c| c.currency));
    let allowed = Memo::new(move |_| {
        let now = Timestamp::from_unix_ms(js_sys::Date::now() as i64).unwrap_or(Timestamp::EPOCH);
        let context = Context::new(now, &policy);
        ticket.with(|t| t.as_ref().map_or_else(Vec::new, |t| t.allowed(Actor::Customer, &context)))
    });
    let may = move |kind: CommandKind| Memo::new(move |_| allowed.with(|a| a.contains(&kind)));
    let (answer_offer, answer_proposal, rate, write, withdraw, follow_up) = (
        may(CommandKind::AcceptMakeGood),
        may(CommandKind::ConfirmSolved),
        may(CommandKind::Rate),
        may(CommandKind::AddMessage),
        may(CommandKind::Withdraw),
        may(CommandKind::AnswerFollowUp),
    );
    let proposal = Memo::new(move |_| match state() {
        Some(State::ResolutionProposed { summary, prevention }) => Some((summary.to_string(), prevention.to_string())),
        _ => None,
    });
    let rated = Memo::new(move |_| ticket.with(|t| t.as_ref().is_some_and(|t| t.rating().is_some())));
    let is_final = Memo::new(move |_| state().is_some_and(|state| state.is_final()));
    let link = app.workspace.with_value(|ws| session.private_link(ws));

    view! {
        <section class="ticket" data-testid="ticket" data-ticket=session.ticket_id.clone()>
            <div class="apology" data-testid="apology">
                {found.map(|what| view! { <p class="found" data-testid="found-first">{what}</p> })}
                <h1 tabindex="-1" node_ref=heading>{apology}</h1>
                <p class="signature">"— " {company.clone()}</p>
            </div>
            <p class="status" data-testid="status">{status}</p>
            {move || {
                let owner = ticket.with(|t| t.as_ref().and_then(|t| t.owner().cloned()));
                owner.map(|owner| view! { <p class="owner" data-testid="owner">{format::looked_after(&owner, &company_owner, text)}</p> })
            }}
            <p class="reference">{words.your_reference} " " <span data-testid="reference">{move || app.reference.get()}</span></p>
            {move || {
                promise()
                    .map(|p| {
                        view! {
                            <p class="promise" class:late=p.missed data-testid="promise">
                                {match state() {
                                    Some(State::Reported { .. }) => {
                                        // Told the company is closed until it opens.
                                        let closed = app.events.with(|events| match events.first().map(|e| &e.kind) {
                                            Some(EventKind::Reported { opens_at: Some(at), .. }) => {
                                                at.unix_ms() as f64 > js_sys::Date::now()
                                            }
                                            _ => false,
                                        });
                                        let line = if closed { words.closed_answer_by } else { words.first_answer_by };
                                        Text::fill(line, &format::near_time(p.due, text))
                                    }
                                    _ => Text::fill(words.next_update_by, &format::local_time(p.due, text)),
                                }}
                                {p.missed.then(|| view! { " — " <strong>{words.late}</strong> })}
                            </p>
                        }
                    })
            }}
            <p class="live" data-testid="live-status" role="status">
                {move || match connection.get() {
                    Connection::Live => words.live,
                    Connection::Polling => words.polling,
                    Connection::Reconnecting => words.reconnecting,
                }}
            </p>
            <h2 class="visually-hidden">{words.timeline}</h2>
            <ol class="timeline" data-testid="timeline" aria-live="polite" aria-relevant="additions">
                <For
                    each=move || app.events.get()
                    key=|event| event.seq
                    children=move |event| {
                        view! {
                            <li data-testid="event" data-seq=event.seq>
                                <span class="who">{format::speaker(&event, &company, text)}</span>
                                <span class="text" dir="auto">{format::entry_text(&event, &company, text)}</span>
                            </li>
                        }
                    }
                />
            </ol>
            {move || {
                answer_offer
                    .get()
                    .then(|| ticket.with(|t| t.as_ref().and_then(|t| t.pending_offer().cloned())))
                    .flatten()
                    .map(|offer| view! { <MakeGoodCard offer /> })
            }}
            {move || {
                proposal
                    .get()
                    .filter(|_| answer_proposal.get())
                    .map(|(summary, prevention)| view! { <SolvedQuestion summary prevention /> })
            }}
            {move || follow_up.get().then(|| {
                let solved_at = ticket.with_untracked(|t| t.as_ref().and_then(|t| t.milestones().solved_at));
                view! { <FollowUpQuestion solved_at /> }
            })}
            {move || matches!(state(), Some(State::Solved)).then(|| view! { <p class="solved" data-testid="solved">{words.thanks_confirming}</p> })}
            {move || rated.get().then(|| view! { <p data-testid="rated">{words.rated}</p> })}
            {move || rate.get().then(|| view! { <RatingForm /> })}
            {move || write.get().then(|| view! { <MessageComposer /> })}
            {move || withdraw.get().then(|| view! { <Withdraw /> })}
            {move || is_final.get().then(|| view! { <StartOver /> })}
            {move || app.emails.get().map(|on| view! { <EmailsToggle on /> })}
            {link.map(|link| view! { <PrivateLink link /> })}
        </section>
    }
    .into_any()
}

/// "Report another problem", once a ticket is final.
#[component]
fn StartOver() -> impl IntoView {
    let app = use_app();
    view! {
        <button type="button" data-testid="start-over" on:click=move |_| app.new_report()>
            {app.text.ticket().report_another}
        </button>
    }
}

/// Moves the keyboard focus to the control `id` once the step the customer
/// just chose has drawn it: the button they pressed is gone or behind them,
/// and what they write next is there.
fn focus_when_shown(id: &'static str) {
    request_animation_frame(move || mend_client::focus(id));
}

/// Sends the customer's commands from one part of the view: one at a time,
/// keeping the last error to show, and merging the answer's events.
#[derive(Clone, Copy)]
struct Commands {
    app: App,
    sending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    /// The key of the one field the part's form has, whose refusals show beside it.
    field: Option<&'static str>,
}

impl Commands {
    fn new() -> Self {
        Self { app: use_app(), sending: RwSignal::new(false), error: RwSignal::new(None), field: None }
    }

    /// Commands from a form with one field, the one `key` names.
    fn beside(key: &'static str) -> Self {
        Self { field: Some(key), ..Self::new() }
    }

    /// The last refusal as a sentence: the one beside this part's field
    /// when `beside`, else any other.
    fn said(self, beside: bool) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let text = self.app.text;
        let words = text.ticket();
        move || {
            self.error.with(|e| {
                e.as_ref()
                    .filter(|e| (e.field().is_some() && e.field() == self.field) == beside)
                    .map(|e| e.message(text, |key| words.label(key)))
            })
        }
    }

    /// The last refusal, if it names this part's field.
    fn field_error(self) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        self.said(true)
    }

    /// Sends `command` unless one is under way; `accepted` runs once Mend took it.
    fn send(self, command: CommandRequest, accepted: impl FnOnce() + 'static) {
        let Some(session) = self.app.session.get_untracked() else { return };
        if self.sending.get_untracked() {
            return;
        }
        self.sending.set(true);
        self.error.set(None);
        spawn_local(async move {
            match api::send_command(&session.ticket_id, &session.token, &command).await {
                Ok(log) => {
                    self.app.merge(log.events);
                    accepted();
                }
                Err(err) => self.error.set(Some(err)),
            }
            self.sending.set(false);
        });
    }

    /// The last refusal, as a sentence, in an alert region, unless it shows beside the field.
    fn error_view(self) -> impl IntoView {
        view! { <p class="error" role="alert">{self.said(false)}</p> }
    }
}

/// Lets the customer write to the company: to answer its question, or add
/// anything while the ticket is open.
#[component]
fn MessageComposer() -> impl IntoView {
    let commands = Commands::beside(MESSAGE);
    let text = commands.app.text;
    let words = text.ticket();
    let message = RwSignal::new(String::new());
    view! {
        <form class="composer" data-testid="composer" on:submit=move |ev| {
            ev.prevent_default();
            commands.send(CommandRequest::Message { text: message.get_untracked() }, move || message.set(String::new()));
        }>
            <FormField id="message" label=words.write_to_us value=message rows=2 error=commands.field_error() />
            {commands.error_view()}
            <button type="submit" data-testid="send-message" disabled=move || commands.sending.get()>{text.send}</button>
        </form>
    }
}

/// "You told us on 3 March that this was solved. Is everything still
/// right?" — yes, it held; or no, it came back, with what happened, which
/// opens a new report that the widget follows from then on. The old one
/// stays solved.
#[component]
fn FollowUpQuestion(
    /// When the customer confirmed it solved.
    solved_at: Option<Timestamp>,
) -> impl IntoView {
    let commands = Commands::beside(WHAT_HAPPENED);
    let app = commands.app;
    let text = app.text;
    let telling = RwSignal::new(false);
    let what = RwSignal::new(String::new());
    let (question, words) = (format::follow_up_question(solved_at, text), text.ticket());
    let answer = move |held: bool| {
        let what_happened = (!held).then(|| what.get_untracked());
        commands.send(CommandRequest::AnswerFollowUp { held: Some(held), what_happened }, move || {
            // "It came back" opened a new report: follow it, with the same credential.
            let reopened = app.events.with_untracked(|events| match events.last().map(|e| &e.kind) {
                Some(EventKind::FollowUpAnswered { reopened_as: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            });
            if let (Some(ticket_id), Some(session)) = (reopened, app.session.get_untracked()) {
                app.open(crate::widget::Session { ticket_id, token: session.token });
            }
        });
    };
    view! {
        <section class="card follow-up" data-testid="follow-up" aria-labelledby="follow-up-title">
            <h2 id="follow-up-title">{question}</h2>
            <Show
                when=move || telling.get()
                fallback=move || view! {
                    <button type="button" data-testid="it-held" disabled=move || commands.sending.get()
                        on:click=move |_| answer(true)>
                        {words.held}
                    </button>
                    <button type="button" class="secondary" data-testid="it-came-back" on:click=move |_| {
                            telling.set(true);
                            focus_when_shown("came-back-what");
                        }>
                        {words.came_back}
                    </button>
                }
            >
                <FormField id="came-back-what" label=words.came_back_what value=what rows=3
                    error=commands.field_error() />
                <button type="button" data-testid="send-came-back" disabled=move || commands.sending.get()
                    on:click=move |_| answer(false)>
                    {text.send}
                </button>
            </Show>
            {commands.error_view()}
        </section>
    }
}

/// Whether Mend emails the customer news while they are away: they switch it here.
#[component]
fn EmailsToggle(on: bool) -> impl IntoView {
    let commands = Commands::new();
    let (app, text) = (commands.app, commands.app.text);
    let words = text.ticket();
    let change = move |ev: leptos::ev::Event| {
        let Some(session) = app.session.get_untracked() else { return };
        let wanted = event_target_checked(&ev);
        commands.sending.set(true);
        spawn_local(async move {
            match api::set_emails(&session.ticket_id, &session.token, wanted).await {
                Ok(log) => app.emails.set(log.emails.map(|emails| emails.on)),
                Err(err) => commands.error.set(Some(err)),
            }
            commands.sending.set(false);
        });
    };
    view! {
        <div class="emails">
            <label>
                <input type="checkbox" data-testid="emails-toggle" prop:checked=on on:change=change
                    disabled=move || commands.sending.get() />
                " " {words.emails_toggle}
            </label>
            {commands.error_view()}
        </div>
    }
}

/// The company's make-good, for the customer to accept or decline.
#[component]
fn MakeGoodCard(offer: mend_core::ticket::Offer) -> impl IntoView {
    let commands = Commands::new();
    let text = commands.app.text;
    let words = text.ticket();
    let make_good = offer.make_good;
    view! {
        <section class="card make-good" data-testid="make-good" aria-labelledby="make-good-title">
            <h2 id="make-good-title">{words.make_good_title}</h2>
            <p class="offer">
                <strong data-testid="make-good-value">{make_good.value.to_string()}</strong>
                " · "
                {words.make_good_kind(make_good.kind)}
            </p>
            {make_good.note.map(|note| view! { <p class="text" dir="auto">{note.to_string()}</p> })}
            <button type="button" data-testid="accept-make-good" disabled=move || commands.sending.get()
                on:click=move |_| commands.send(CommandRequest::AcceptMakeGood, || ())>
                {words.accept}
            </button>
            <button type="button" class="secondary" data-testid="decline-make-good" disabled=move || commands.sending.get()
                on:click=move |_| commands.send(CommandRequest::DeclineMakeGood, || ())>
                {words.decline}
            </button>
            {commands.error_view()}
        </section>
    }
}

/// "Is this solved for you?" — yes, or not yet with a reason — under what
/// the company did and what it changed so it won't happen again.
#[component]
fn SolvedQuestion(
    /// What the company did.
    summary: String,
    /// What it changed so this won't happen again.
    prevention: String,
) -> impl IntoView {
    let commands = Commands::beside(REASON);
    let app = commands.app;
    let text = app.text;
    let words = text.ticket();
    let explaining = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    view! {
        <section class="card question" data-testid="solved-question" aria-labelledby="solved-title">
            <p class="text" dir="auto" data-testid="resolution">{summary}</p>
            <p class="prevention" data-testid="prevention">
                <strong>{words.prevention}</strong> " " <span dir="auto">{prevention}</span>
            </p>
            <h2 id="solved-title">{words.solved_question}</h2>
            <button type="button" data-testid="confirm-yes" disabled=move || commands.sending.get()
                on:click=move |_| commands.send(CommandRequest::ConfirmSolved, || ())>
                {words.yes_solved}
            </button>
            <button type="button" class="secondary" data-testid="confirm-not-yet" disabled=move || commands.sending.get()
                aria-expanded=move || explaining.get().to_string()
                on:click=move |_| {
                    explaining.set(true);
                    focus_when_shown("not-yet-reason");
                }>
                {words.not_yet}
            </button>
            <Show when=move || explaining.get()>
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    commands.send(CommandRequest::NotYet { reason: reason.get_untracked() }, || ());
                }>
                    <FormField id="not-yet-reason" label=words.still_wrong value=reason rows=3 required=true
                        error=commands.field_error() />
                    <button type="submit" data-testid="send-not-yet" disabled=move || commands.sending.get()>{text.send}</button>
                </form>
            </Show>
            {commands.error_view()}
        </section>
    }
}

/// "How do you feel about us now?", after the customer said it is solved.
#[component]
fn RatingForm() -> impl IntoView {
    let commands = Commands::beside(COMMENT);
    let text = commands.app.text;
    let words = text.ticket();
    let score = RwSignal::new(0_i64);
    let comment = RwSignal::new(String::new());
    view! {
        <form class="card rating" data-testid="rating" on:submit=move |ev| {
            ev.prevent_default();
            commands.send(CommandRequest::Rate { score: score.get_untracked(), comment: Some(comment.get_untracked()) }, || ());
        }>
            <fieldset>
                <legend>{words.rate_title}</legend>
                {(1..=5_i64)
                    .map(|n| {
                        view! {
                            <label class="chip">
                                <input type="radio" name="score" data-testid=format!("score-{n}")
                                    on:change=move |_| score.set(n) />
                                {n.to_string()} " · " {words.rate_score[(n - 1) as usize]}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FormField id="rating-comment" label=words.rate_comment optional=text.optional value=comment rows=2
                error=commands.field_error() />
            {commands.error_view()}
            <button type="submit" data-testid="send-rating" disabled=move || commands.sending.get()>{text.send}</button>
        </form>
    }
}

/// Withdrawing a report, with a second step so it is never done by accident.
#[component]
fn Withdraw() -> impl IntoView {
    let commands = Commands::new();
    let text = commands.app.text;
    let words = text.ticket();
    let asking = RwSignal::new(false);
    view! {
        <div class="withdraw">
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="link" data-testid="withdraw" on:click=move |_| asking.set(true)>
                        {words.withdraw}
                    </button>
                }
            >
                <p role="alert">{words.withdraw_confirm}</p>
                <button type="button" data-testid="withdraw-yes" disabled=move || commands.sending.get()
                    on:click=move |_| commands.send(CommandRequest::Withdraw, || ())>
                    {words.withdraw_yes}
                </button>
                <button type="button" class="secondary" data-testid="withdraw-no" on:click=move |_| asking.set(false)>
                    {words.keep_open}
                </button>
            </Show>
            {commands.error_view()}
        </div>
    }
}

/// The private link that opens this ticket on another device.
#[component]
fn PrivateLink(link: String) -> impl IntoView {
    let text = use_app().text;
    let words = text.ticket();
    let copied = RwSignal::new(false);
    let copy = {
        let link = link.clone();
        move |_| {
            let Some(window) = web_sys::window() else { return };
            let navigator = js_sys::Reflect::get(&window, &"navigator".into()).ok();
            let clipboard = navigator.and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()).ok());
            let write = clipboard.as_ref().and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok());
            if let (Some(clipboard), Some(write)) =
                (clipboard, write.and_then(|w| w.dyn_into::<js_sys::Function>().ok()))
            {
                let _ = write.call1(&clipboard, &link.as_str().into());
                copied.set(true);
            }
        }
    };
    view! {
        <details class="private-link" data-testid="private-link">
            <summary>{words.private_link}</summary>
            <p class="hint" id="private-link-hint">{words.private_link_hint}</p>
            <input readonly data-testid="private-link-url" aria-label=words.private_link aria-describedby="private-link-hint" value=link />
            <button type="button" class="secondary" on:click=copy>
                {move || if copied.get() { words.copied } else { words.copy }}
            </button>
        </details>
    }
}
