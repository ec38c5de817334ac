//! The opening hours and first-answer target in the settings form: the
//! time zone, each weekday's opening times as a person types them
//! (`09:00–12:00, 13:00–17:00`), closed dates and the target in minutes of
//! opening time. The core reads the typed spans ([`Span::parse_list`]) and
//! checks the rest when the form is saved.

use leptos::prelude::*;
use mend_core::hours::{Hours, Span, Week};
use mend_core::input::Field;

use crate::api::{ApiError, Said};
use crate::text;

/// The error fields this part of the form shows beside its boxes.
pub const FIELDS: &[Field] = &[Field::TimeZone, Field::Week, Field::ClosedDates, Field::FirstAnswer];

/// The boxes of the opening hours, as typed.
#[derive(Clone, Copy)]
pub struct HoursForm {
    time_zone: RwSignal<String>,
    days: [RwSignal<String>; 7],
    closed: RwSignal<String>,
    target: RwSignal<String>,
}

impl HoursForm {
    /// The boxes filled with `hours`.
    pub fn new(hours: &Hours) -> Self {
        let form = Self {
            time_zone: RwSignal::default(),
            days: std::array::from_fn(|_| RwSignal::default()),
            closed: RwSignal::default(),
            target: RwSignal::default(),
        };
        form.fill(hours);
        form
    }

    /// Fills the boxes with `hours`, as Mend holds them after a save.
    pub fn fill(&self, hours: &Hours) {
        self.time_zone.set(hours.time_zone.clone());
        for (day, spans) in self.days.iter().zip(hours.week.days()) {
            day.set(Span::list_text(spans));
        }
        self.closed.set(hours.closed_dates.join("\n"));
        self.target.set(hours.first_answer_minutes.to_string());
    }

    /// The hours as typed, or the first box that is not shaped as asked.
    pub fn read(&self) -> Result<Hours, ApiError> {
        let days = self.days.map(|day| Span::parse_list(&day.get_untracked()));
        if days.iter().any(Option::is_none) {
            return Err(ApiError::invalid(Field::Week, text::HOURS_SHAPE_INVALID));
        }
        let first_answer_minutes = self
            .target
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| ApiError::invalid(Field::FirstAnswer, text::HOURS_TARGET_INVALID))?;
        Ok(Hours {
            time_zone: self.time_zone.get_untracked().trim().to_owned(),
            week: Week::from_days(days.map(Option::unwrap_or_default)),
            closed_dates: self
                .closed
                .get_untracked()
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|date| !date.is_empty())
                .map(str::to_owned)
                .collect(),
            first_answer_minutes,
        })
    }
}

/// The opening hours' boxes, with the refusal Mend or [`HoursForm::read`]
/// gave for them.
#[component]
pub fn OpeningHours(
    /// The boxes.
    form: HoursForm,
    /// The settings form's error, shown here when it names one of [`FIELDS`].
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let box_ = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input
                id=id
                data-testid=id
                autocomplete="off"
                aria-describedby="hours-hint hours-error"
                prop:value=move || signal.get()
                on:input=move |ev| signal.set(event_target_value(&ev))
            />
        }
    };
    let days = form
        .days
        .into_iter()
        .zip(text::WEEKDAYS)
        .zip(["hours-mon", "hours-tue", "hours-wed", "hours-thu", "hours-fri", "hours-sat", "hours-sun"])
        .map(|((signal, label), id)| view! { <div class="day">{box_(id, label, signal)}</div> })
        .collect_view();
    view! {
        <fieldset class="hours" data-testid="hours">
            <legend>{text::SETTINGS_HOURS}</legend>
            <p class="hint" id="hours-hint">{text::SETTINGS_HOURS_HINT}</p>
            {box_("hours-time-zone", text::HOURS_TIME_ZONE, form.time_zone)}
            <div class="week">{days}</div>
            <label for="hours-closed">{text::HOURS_CLOSED}</label>
            <textarea
                id="hours-closed"
                data-testid="hours-closed"
                rows="2"
                aria-describedby="hours-hint hours-error"
                prop:value=move || form.closed.get()
                on:input=move |ev| form.closed.set(event_target_value(&ev))
            ></textarea>
            {box_("hours-target", text::HOURS_TARGET, form.target)}
            <p id="hours-error" class="field-error" data-testid="hours-error">
                {move || error.with(|e| e.as_ref().filter(|e| e.names(FIELDS)).map(ApiError::message))}
            </p>
        </fieldset>
    }
}
