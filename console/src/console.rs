//! The console's root and what its views share: who is signed in, which page
//! shows, the workspace's make-good policy and one-voice reviewer, the
//! queue's live feed, and a clock that ticks for the countdowns.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mend_core::input::TicketId;
use mend_core::make_good::Policy;
use mend_core::ticket::Colleague;
use mend_core::voice::Reviewer;
use mend_core::wire::{SessionView, WorkspaceView};
use mend_core::workspace::Role;

use crate::api::{self, Connection, QueueLive};
use crate::proactive::ProactiveReport;
use crate::queue::QueueView;
use crate::record::RecordView;
use crate::settings::SettingsView;
use crate::sign_in::SignIn;
use crate::text;
use crate::ticket::TicketView;

/// Which page the console shows. Each has an address of its own in the
/// location's fragment, so back and forward, reloads and links work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Queue,
    Ticket(String),
    Settings,
    Record,
    /// *New proactive report*: a problem the company found before its customer did.
    Proactive,
}

impl Page {
    /// The page a location's fragment names (`#/tickets/ab12`); the queue for anything else.
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        match path.split('/').collect::<Vec<_>>()[..] {
            ["settings"] => Page::Settings,
            ["record"] => Page::Record,
            ["proactive"] => Page::Proactive,
            ["tickets", id] if TicketId::parse(id).is_ok() => Page::Ticket(id.to_owned()),
            _ => Page::Queue,
        }
    }

    /// This page's fragment.
    pub fn hash(&self) -> String {
        match self {
            Page::Queue => "#/queue".into(),
            Page::Ticket(id) => format!("#/tickets/{id}"),
            Page::Settings => "#/settings".into(),
            Page::Record => "#/record".into(),
            Page::Proactive => "#/proactive".into(),
        }
    }
}

/// Something in the queue changed: `ticket` names it when Mend said which.
/// `count` goes up each time, so every change is seen, even the same twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub count: u64,
    pub ticket: Option<String>,
}

/// Everything the views share. `Copy`, so each view takes it from context.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// Who is signed in, with what the console needs of their workspace
    /// (its make-good policy and one-voice terms); `None` shows the sign-in form.
    pub session: RwSignal<Option<SessionView>>,
    /// Whether the console is still asking Mend who is signed in.
    pub checking: RwSignal<bool>,
    pub page: RwSignal<Page>,
    /// The one-voice reviewer with the workspace's own terms, built once per session.
    pub reviewer: RwSignal<Reviewer>,
    pub changed: RwSignal<Change>,
    pub connection: RwSignal<Connection>,
    /// `Date.now()` as of the last tick of the console's clock (every second).
    pub now_ms: RwSignal<i64>,
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    /// Starts a signed-in session: the reviewer with the workspace's own terms.
    pub fn signed_in(self, session: SessionView) {
        self.reviewer.set(reviewer(&session));
        self.page.set(Page::Queue);
        self.session.set(Some(session));
    }

    /// A manager saved the workspace's settings: the session takes on its
    /// policy and terms at once, as the worker does with the next command.
    pub fn settings_saved(self, view: &WorkspaceView) {
        self.session.update(|session| {
            if let Some(session) = session.as_mut() {
                session.company = view.name.clone();
                session.make_good_policy = view.make_good_policy.clone();
                session.voice_terms = view.voice_terms.clone();
                session.rep_names = view.rep_names;
                session.record_public = view.record_public;
                self.reviewer.set(reviewer(session));
            }
        });
    }

    /// Back to the sign-in form, after signing out or when Mend says the session is gone.
    pub fn signed_out(self) {
        self.session.set(None);
        self.reviewer.set(Reviewer::new());
    }

    /// The workspace's make-good policy, for every rep and manager alike.
    pub fn policy(self) -> Option<Policy> {
        self.session.with(|s| s.as_ref().map(|s| s.make_good_policy.clone()))
    }

    /// The signed-in rep or manager, as a ticket's log names them: who
    /// gives this console's commands, for `Ticket::allowed`.
    pub fn me(self) -> Option<Colleague> {
        self.session.with(|s| {
            let s = s.as_ref()?;
            s.colleagues.iter().find(|c| c.key_id.as_deref() == Some(s.key_id.as_str())).cloned()
        })
    }

    pub fn is_manager(self) -> bool {
        self.session.with(|s| s.as_ref().is_some_and(|s| s.role == Role::Manager))
    }

    pub fn workspace(self) -> String {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.workspace.as_str().to_owned()).unwrap_or_default())
    }

    /// Records a change that views showing the queue or `ticket` refetch on.
    pub fn note_change(self, ticket: Option<String>) {
        self.changed.update(|change| {
            change.count += 1;
            change.ticket = ticket;
        });
    }
}

/// The whole console.
#[component]
pub fn Console() -> impl IntoView {
    let ctx = Ctx {
        session: RwSignal::new(None),
        checking: RwSignal::new(true),
        page: RwSignal::new(Page::Queue),
        reviewer: RwSignal::new(Reviewer::new()),
        changed: RwSignal::new(Change::default()),
        connection: RwSignal::new(Connection::Reconnecting),
        now_ms: RwSignal::new(js_sys::Date::now() as i64),
    };
    provide_context(ctx);
    spawn_local(async move {
        if let Ok(session) = api::session().await {
            ctx.signed_in(session);
        }
        ctx.checking.set(false);
    });
    // Memos, so a session updated in place (a manager's saved settings) rebuilds no page.
    let signed_in = Memo::new(move |_| ctx.session.with(Option::is_some));
    view! {
        {move || {
            if ctx.checking.get() {
                view! { <p class="loading" role="status">{text::LOADING}</p> }.into_any()
            } else if signed_in.get() {
                view! { <SignedIn /> }.into_any()
            } else {
                view! { <SignIn /> }.into_any()
            }
        }}
    }
}

/// The console once signed in: the bar with its pages and sign-out, and
/// the page showing. It owns the queue's live feed and the clock, so both
/// stop when the rep signs out.
#[component]
fn SignedIn() -> impl IntoView {
    let ctx = use_ctx();
    let manager = Memo::new(move |_| ctx.is_manager());
    // Both stop when the rep signs out: the feed is dropped with this view, the clock cleared.
    let _live = StoredValue::new_local(QueueLive::connect(
        move |ticket| ctx.note_change(ticket),
        move |now| ctx.connection.set(now),
    ));
    let clock =
        set_interval_with_handle(move || ctx.now_ms.set(js_sys::Date::now() as i64), std::time::Duration::from_secs(1))
            .ok();

    // The address names the page: a reload or a link lands on it, back and forward move between pages.
    let location = || web_sys::window().map(|w| w.location());
    let current_hash = move || location().and_then(|l| l.hash().ok()).unwrap_or_default();
    ctx.page.set(Page::from_hash(&current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let page = Page::from_hash(&current_hash());
        if ctx.page.get_untracked() != page {
            ctx.page.set(page);
        }
    });
    Effect::new(move |_| {
        let hash = ctx.page.with(Page::hash);
        if current_hash() != hash
            && let Some(location) = location()
        {
            let _ = location.set_hash(&hash);
        }
    });
    on_cleanup(move || {
        listener.remove();
        if let Some(clock) = clock {
            clock.clear();
        }
    });

    let who = ctx.session.with_untracked(|s| {
        s.as_ref()
            .map(|s| {
                let role = if s.role == Role::Manager { text::ROLE_MANAGER } else { text::ROLE_REP };
                if s.label.is_empty() { role.to_owned() } else { format!("{} · {role}", s.label) }
            })
            .unwrap_or_default()
    });
    let company = move || ctx.session.with(|s| s.as_ref().map(|s| s.company.clone()).unwrap_or_default());
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        spawn_local(async move {
            // Signed out on Mend's side or not, the console forgets the session;
            // the cookie is HttpOnly and only the worker can clear it.
            let _ = api::sign_out().await;
            signing_out.set(false);
            ctx.signed_out();
        });
    };
    let tab = move |page: Page, label: &'static str, testid: &'static str| {
        let target = page.clone();
        let current = move || {
            let showing = ctx.page.get();
            let under_queue = matches!(showing, Page::Ticket(_) | Page::Proactive);
            (showing == target || (target == Page::Queue && under_queue)).then_some("page")
        };
        view! {
            <button type="button" class="tab" data-testid=testid aria-current=current on:click=move |_| ctx.page.set(page.clone())>
                {label}
            </button>
        }
    };
    view! {
        <header class="top">
            <p class="brand">{text::BRAND} " · " <span data-testid="company">{company}</span></p>
            <nav aria-label=text::NAV_LABEL>
                {tab(Page::Queue, text::NAV_QUEUE, "nav-queue")}
                {tab(Page::Record, text::NAV_RECORD, "nav-record")}
                <Show when=move || manager.get()>{tab(Page::Settings, text::NAV_SETTINGS, "nav-settings")}</Show>
            </nav>
            <p class="connection" data-testid="connection" data-state=move || ctx.connection.get().key() role="status">
                {move || match ctx.connection.get() {
                    Connection::Live => text::LIVE,
                    Connection::Reconnecting => text::RECONNECTING,
                }}
            </p>
            <p class="who" data-testid="signed-in-as">{who}</p>
            <button type="button" class="secondary" data-testid="sign-out" disabled=move || signing_out.get() on:click=sign_out>
                {text::SIGN_OUT}
            </button>
        </header>
        <main>
            {move || match ctx.page.get() {
                Page::Queue => view! { <QueueView /> }.into_any(),
                Page::Ticket(id) => view! { <TicketView id /> }.into_any(),
                Page::Settings if manager.get() => view! { <SettingsView /> }.into_any(),
                Page::Settings => view! { <p role="alert" data-testid="no-settings">{text::MANAGERS_ONLY}</p> }.into_any(),
                Page::Record => view! { <RecordView /> }.into_any(),
                Page::Proactive => view! { <ProactiveReport /> }.into_any(),
            }}
        </main>
    }
}

/// The one-voice reviewer with `session`'s workspace terms, as the worker reviews what is sent.
fn reviewer(session: &SessionView) -> Reviewer {
    Reviewer::new().with_terms(session.voice_terms.iter().map(|t| (t.category, t.term.clone())))
}

/// Moves focus to a page's heading when it shows, so keyboard and screen
/// reader users land at the top of what they opened.
pub fn focus_on_show(heading: NodeRef<html::H1>) {
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn every_page_has_an_address_that_leads_back_to_it() {
        for page in [Page::Queue, Page::Ticket("ab12".into()), Page::Settings, Page::Record, Page::Proactive] {
            assert_eq!(Page::from_hash(&page.hash()), page);
        }
    }

    #[test]
    fn an_address_that_names_no_page_is_the_queue() {
        for hash in ["", "#", "#/", "#/tickets/", "#/tickets/NOT A TICKET", "#/tickets/a/b", "#/elsewhere"] {
            assert_eq!(Page::from_hash(hash), Page::Queue, "{hash}");
        }
    }
}
