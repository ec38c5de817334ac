//! "Your reports": the tickets this device follows in the workspace, and,
//! when the company identified the customer, every ticket they reported.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Said};
use crate::device;
use crate::widget::{Session, use_app};

/// One report in the list: how to open it, and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    session: Session,
    reference: Option<String>,
    headline: String,
}

/// The customer's reports, newest first; choosing one opens it.
#[component]
pub fn YourReports() -> impl IntoView {
    let app = use_app();
    let text = app.text;
    let words = text.ticket();
    let on_device: Vec<Listed> = app
        .workspace
        .with_value(|ws| device::saved(ws))
        .into_iter()
        .map(|saved| Listed {
            session: Session { ticket_id: saved.ticket_id, token: saved.token },
            reference: saved.reference,
            headline: saved.headline,
        })
        .collect();
    let listed = RwSignal::new(on_device);
    // An identified customer also sees the reports they made elsewhere.
    if let Some(identity) = app.host.identity.get_untracked() {
        spawn_local(async move {
            if let Ok(mine) = api::my_tickets(&identity).await {
                listed.update(|listed| {
                    for ticket in mine.tickets {
                        let id = ticket.id.to_string();
                        if !listed.iter().any(|l| l.session.ticket_id == id) {
                            let session = Session { ticket_id: id, token: identity.clone() };
                            let reference = ticket.reference.map(|r| r.to_string());
                            listed.push(Listed { session, reference, headline: ticket.what_happened });
                        }
                    }
                });
            }
        });
    }
    view! {
        <section class="reports" data-testid="reports">
            <h1>{text.your_reports}</h1>
            <p class="error" role="alert">{move || app.error.with(|e| e.as_ref().map(|e| e.message(text, |_| None)))}</p>
            <Show when=move || listed.with(Vec::is_empty)>
                <p>{words.no_reports}</p>
            </Show>
            <ul class="report-list">
                <For
                    each=move || listed.get()
                    key=|listed| listed.session.ticket_id.clone()
                    children=move |listed| {
                        let Listed { session, reference, headline } = listed;
                        view! {
                            <li>
                                <button type="button" class="report-item" data-testid="report-item"
                                    on:click=move |_| app.open(session.clone())>
                                    <span class="text">{headline}</span>
                                    <span class="reference">{reference}</span>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <button type="button" data-testid="new-report" on:click=move |_| app.new_report()>{text.new_report}</button>
        </section>
    }
}
