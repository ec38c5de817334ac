//! The widget's root and what its views share: which screen is showing,
//! the ticket being followed (its event log, the one source of truth from
//! which its state is folded), the workspace's config and the words of the
//! customer's language.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::{spawn_local, spawn_local_scoped_with_cancellation};
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use mend_core::ticket::{Event, EventKind, FollowUp, Status};
use mend_core::wire::{CUSTOMER_TOKEN_PREFIX, ReportRequest, TicketLog, WidgetConfig, headline};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::device::{self, Saved};
use crate::host::{Host, HostEvent};
use crate::report::ReportForm;
use crate::reports::YourReports;
use crate::text::{self, Text};
use crate::ticket::TicketPanel;

/// Which view the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Opening a ticket this device follows.
    Loading,
    /// The report form.
    Report,
    /// The ticket being followed.
    Ticket,
    /// The customer's reports.
    Reports,
}

/// The ticket the customer follows: its id and the credential that opens it
/// (their ticket token, or their identity token when the company identified them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub ticket_id: String,
    pub token: String,
}

impl Session {
    /// The private link that opens this ticket on another device, if the
    /// credential is the ticket's own token (an identity token is short-lived).
    pub fn private_link(&self, workspace: &str) -> Option<String> {
        if !self.token.starts_with(CUSTOMER_TOKEN_PREFIX) {
            return None;
        }
        let origin = web_sys::window()?.location().origin().ok()?;
        Some(format!("{origin}/w/{workspace}#ticket={}&token={}", self.ticket_id, self.token))
    }
}

/// Everything the views share. `Copy`, so each view takes it from context.
#[derive(Clone, Copy)]
pub struct App {
    pub workspace: StoredValue<String>,
    pub config: StoredValue<WidgetConfig>,
    pub text: &'static Text,
    pub screen: RwSignal<Screen>,
    pub session: RwSignal<Option<Session>>,
    pub events: RwSignal<Vec<Event>>,
    /// The reference of the ticket shown, as the customer would say it.
    pub reference: RwSignal<Option<String>>,
    /// Whether Mend emails the customer about it; `None` without an address.
    pub emails: RwSignal<Option<bool>>,
    /// Why the last ticket could not be opened, if it could not.
    pub error: RwSignal<Option<ApiError>>,
    pub host: Host,
}

pub fn use_app() -> App {
    expect_context::<App>()
}

impl App {
    /// Appends the events that follow the last one held, in order, once each.
    pub fn merge(self, incoming: impl IntoIterator<Item = Event>) {
        self.events.update(|events| {
            for event in incoming {
                let last = events.last().map_or(0, |e| e.seq);
                if event.seq == last + 1 {
                    events.push(event);
                }
            }
        });
    }

    pub fn last_seq(self) -> u64 {
        self.events.with_untracked(|events| events.last().map_or(0, |e| e.seq))
    }

    /// Shows a ticket whose log the widget already has.
    pub fn show(self, session: Session, log: TicketLog) {
        if session.token.starts_with(CUSTOMER_TOKEN_PREFIX) {
            let headline = match log.events.first().map(|e| &e.kind) {
                Some(EventKind::Reported { report, .. }) => headline(report.what_happened.as_str()),
                _ => String::new(),
            };
            let saved = Saved {
                ticket_id: session.ticket_id.clone(),
                token: session.token.clone(),
                reference: log.reference.as_ref().map(|r| r.to_string()),
                headline,
                closed: false,
            };
            self.workspace.with_value(|workspace| device::save(workspace, saved));
        }
        self.reference.set(log.reference.map(|r| r.to_string()));
        self.emails.set(log.emails.map(|emails| emails.on));
        self.events.set(log.events);
        self.session.set(Some(session));
        self.error.set(None);
        self.screen.set(Screen::Ticket);
    }

    /// Opens a ticket: loads its log, then shows it (see [`follow`]).
    pub fn open(self, session: Session) {
        self.screen.set(Screen::Loading);
        spawn_local(async move {
            if let Err(err) = follow(self, session, None).await {
                self.error.set(Some(err));
                self.screen.set(Screen::Reports);
            }
        });
    }

    /// Leaves the ticket and shows an empty report form.
    pub fn new_report(self) {
        self.session.set(None);
        self.reference.set(None);
        self.emails.set(None);
        self.events.set(Vec::new());
        self.screen.set(Screen::Report);
    }
}

/// The workspace's public config, as the worker put it into the frame's page.
fn read_config() -> WidgetConfig {
    let text = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("mend-config"))
        .and_then(|el| el.text_content());
    text.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_else(|| WidgetConfig {
        workspace: mend_core::input::WorkspaceId::parse("unknown").expect("a valid id"),
        name: String::new(),
        colour: mend_core::workspace::DEFAULT_COLOUR.into(),
        on_colour: "#ffffff".into(),
        apology: String::new(),
        locale: "en".into(),
        currency: mend_core::money::Currency::parse("USD", mend_core::input::Field::Currency).expect("USD"),
    })
}

/// Paints buttons in the company's colour, with text that stays readable on it.
fn apply_colour(config: &WidgetConfig) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    let _ = style.set_property("--accent", &config.colour);
    let _ = style.set_property("--on-accent", &config.on_colour);
}

/// A private link's ticket, from the page's fragment (`#ticket=…&token=…`),
/// which is then removed from the address bar.
fn session_from_fragment() -> Option<Session> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(hash.strip_prefix('#')?).ok()?;
    let session = Session { ticket_id: params.get("ticket")?, token: params.get("token")? };
    let path = window.location().pathname().ok()?;
    let search = window.location().search().ok()?;
    let _ = window.history().ok()?.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&(path + &search)));
    Some(session)
}

// What a customer needs only once a report is sent or a saved ticket
// opens: sending, opening a ticket, and the ticket and reports views. Each
// is split into a wasm module of its own, fetched when first needed (or
// sooner, see [`prefetch`]), so the first open downloads the report form's
// code alone. A module that cannot be fetched is an error the customer can
// retry (`ApiError::Offline`, or [`Later`]'s button), never a panic.

/// Sends a report and shows its ticket, apology first.
#[wasm_split(
    send_report,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_send_report),
    fallible,
    return_wrapper(let future = _; { future.await } -> Result<(), ApiError>)
)]
pub fn send_report(app: App, request: ReportRequest) -> api::Pending<()> {
    Box::pin(async move {
        let created = api::create_report(&request).await?;
        let session = Session { ticket_id: created.ticket.id.to_string(), token: created.customer_token };
        app.host.emit(HostEvent::Reported { ticket: session.ticket_id.clone() });
        app.show(session, created.ticket);
        Ok(())
    })
}

/// Loads a ticket's log and shows it. A ticket Mend no longer knows for
/// this credential is forgotten on this device.
///
/// With `lookup`, the session's credential is an identity token and the
/// ticket is found among the customer's: a solved one whose fix Mend asks
/// about and they have not answered, else the one the company itself
/// reported to them about the order `lookup` names (a proactive report),
/// if it is open — and only if the customer has not started on anything
/// else; otherwise nothing changes.
#[wasm_split(
    follow,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    return_wrapper(let future = _; { future.await } -> Result<(), ApiError>)
)]
fn follow(app: App, session: Session, lookup: Option<Option<String>>) -> api::Pending<()> {
    Box::pin(async move {
        let session = match lookup {
            None => session,
            Some(order) => {
                let mine = api::my_tickets(&session.token).await?;
                let asked = mine.tickets.iter().position(|ticket| ticket.follow_up == FollowUp::Asked);
                let found_first = mine.tickets.iter().position(|ticket| {
                    ticket.found_first
                        && order.is_some()
                        && ticket.order_id == order
                        && !matches!(ticket.status, Status::Solved | Status::Withdrawn)
                });
                let found = asked.or(found_first).map(|at| mine.tickets[at].clone());
                let idle = app.session.with_untracked(Option::is_none)
                    && app.screen.get_untracked() == Screen::Report
                    && app.host.prefill.with_untracked(Option::is_none);
                match found.filter(|_| idle) {
                    Some(ticket) => Session { ticket_id: ticket.id.to_string(), token: session.token },
                    None => return Ok(()),
                }
            }
        };
        match api::get_ticket(&session.ticket_id, &session.token).await {
            Ok(log) => app.show(session, log),
            Err(err) if err.is_not_found() => {
                app.workspace.with_value(|workspace| device::forget(workspace, &session.ticket_id));
                app.screen.set(Screen::Report);
            }
            Err(err) => return Err(err),
        }
        Ok(())
    })
}

#[wasm_split(ticket_panel, wasm_split_path = ::leptos::wasm_split, preload(preload_ticket_panel), fallible)]
fn ticket_panel() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <TicketPanel /> }.into_any())
}

#[wasm_split(your_reports, wasm_split_path = ::leptos::wasm_split, fallible)]
fn your_reports() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <YourReports /> }.into_any())
}

/// Fetches what sending a report needs — the code that sends it and the
/// ticket view that shows the apology — while the customer is still
/// writing. A failure here is silent: sending fetches again and says so.
pub fn prefetch() {
    spawn_local(async {
        if preload_send_report().await.is_ok() {
            let _ = preload_ticket_panel().await;
        }
    });
}

/// A view whose code is still being fetched: "Loading…" until it arrives,
/// or, if it cannot be fetched, a sentence and a button to try again. (A
/// task and signals rather than `<Suspense>`, whose machinery the first
/// open would otherwise download.)
#[component]
fn Later(
    /// Calls the split-out view's function.
    load: fn() -> Pending<AnyView>,
) -> impl IntoView {
    let text = use_app().text;
    let arrived = StoredValue::new_local(None::<AnyView>);
    let state = RwSignal::new(Loading::Fetching);
    // The view is built when its code arrives, under this component's owner
    // (whose context it reads), and never once this one is gone.
    let owner = Owner::current().unwrap_or_default();
    let fetch = move || {
        state.set(Loading::Fetching);
        owner.with(|| {
            spawn_local_scoped_with_cancellation(async move {
                match load().await {
                    Ok(view) => {
                        arrived.set_value(Some(view));
                        state.set(Loading::Arrived);
                    }
                    Err(_) => state.set(Loading::Failed),
                }
            })
        });
    };
    fetch.clone()();
    // Runs again when the state changes; takes the view once it has arrived.
    move || match state.get() {
        Loading::Arrived => arrived.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
        Loading::Fetching => view! { <p class="loading" role="status">{text.loading}</p> }.into_any(),
        Loading::Failed => view! {
            <div class="error" role="alert">
                <p>{text.offline}</p>
                <button type="button" on:click={
                    let fetch = fetch.clone();
                    move |_| fetch()
                }>{text.retry}</button>
            </div>
        }
        .into_any(),
    }
}

/// A split-out view on its way.
type Pending<T> = Pin<Box<dyn Future<Output = Result<T, SplitLoaderError>>>>;

/// Where a [`Later`] view's code is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Loading {
    Fetching,
    Arrived,
    Failed,
}

/// The whole widget.
#[component]
pub fn Widget() -> impl IntoView {
    let config = read_config();
    apply_colour(&config);
    let app = App {
        workspace: StoredValue::new(config.workspace.to_string()),
        text: text::for_locale(&config.locale),
        config: StoredValue::new(config),
        screen: RwSignal::new(Screen::Report),
        session: RwSignal::new(None),
        events: RwSignal::new(Vec::new()),
        reference: RwSignal::new(None),
        emails: RwSignal::new(None),
        error: RwSignal::new(None),
        host: Host::connect(),
    };
    provide_context(app);
    provide_context(app.host);

    // A private link, or else the newest open ticket this device follows: a
    // customer who reloads the page comes back to the ticket only they can close.
    let newest = app.workspace.with_value(|workspace| device::saved(workspace).into_iter().find(|t| !t.closed));
    if let Some(session) = session_from_fragment()
        .or_else(|| newest.map(|saved| Session { ticket_id: saved.ticket_id, token: saved.token }))
    {
        app.open(session);
    }

    // A signed-in customer is asked whether a fix held, or, on an order the
    // company told them it got wrong, shown what the company said first.
    Effect::new(move |_| {
        if let Some(token) = app.host.identity.get() {
            let order = app.host.order_id();
            spawn_local(async move {
                let _ = follow(app, Session { ticket_id: String::new(), token }, Some(order)).await;
            });
        }
    });

    // `Mend.report(...)` on the company's page asks for the form, whatever is showing.
    Effect::new(move |_| {
        if app.host.prefill.with(Option::is_some) && app.screen.get_untracked() != Screen::Report {
            app.new_report();
        }
    });

    let text = app.text;
    // The device's list is not reactive: reading the session re-checks it whenever a ticket opens.
    let has_reports = move || {
        app.session.track();
        app.host.identity.with(Option::is_some) || app.workspace.with_value(|ws| !device::saved(ws).is_empty())
    };
    // The view is rebuilt when the screen or the ticket changes, not on every event.
    let showing = Memo::new(move |_| (app.screen.get(), app.session.with(|s| s.as_ref().map(|s| s.ticket_id.clone()))));
    // A new view starts at its top, whatever the last one was scrolled to.
    Effect::new(move |_| {
        showing.track();
        let _ = web_sys::window().map(|window| window.scroll_to_with_x_and_y(0.0, 0.0));
    });
    view! {
        <div class="mend" data-testid="widget">
            <nav class="bar">
                <Show when=move || has_reports() && app.screen.get() != Screen::Reports>
                    <button type="button" class="link" data-testid="your-reports" on:click=move |_| app.screen.set(Screen::Reports)>
                        {text.your_reports}
                    </button>
                </Show>
                <button
                    type="button"
                    class="close"
                    data-testid="close"
                    aria-label=text.close
                    on:click=move |_| app.host.emit(HostEvent::Close)
                >
                    "×"
                </button>
            </nav>
            {move || match showing.get().0 {
                Screen::Loading => view! { <p class="loading" role="status">{text.loading}</p> }.into_any(),
                Screen::Report => view! { <ReportForm /> }.into_any(),
                Screen::Ticket => view! { <Later load=|| Box::pin(ticket_panel()) /> }.into_any(),
                Screen::Reports => view! { <Later load=|| Box::pin(your_reports()) /> }.into_any(),
            }}
        </div>
    }
}
