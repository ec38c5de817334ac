//! One field of a form, as both apps draw it: its label, its control, an
//! optional hint, and the error that names it, tied together by ids so a
//! screen reader reads them as one.

use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;

/// The words of the error about a [`FormField`] while there is one; any
/// closure that gives them turns into one. One type for every field, so
/// the field's view is built by one function however many forms use it.
#[derive(Clone)]
pub struct FieldError(Arc<dyn Fn() -> Option<String> + Send + Sync>);

impl<F: Fn() -> Option<String> + Send + Sync + 'static> From<F> for FieldError {
    fn from(words: F) -> Self {
        Self(Arc::new(words))
    }
}

/// A labelled text control (a textarea when `rows` is given, else an
/// input) bound to `value`, with its hint (`{id}-hint`) and the error
/// Mend or the app found in it (`{id}-error`, also its test id, an alert
/// so it is heard when it appears), both named by the control's
/// `aria-describedby`; `aria-invalid` while the error shows. The
/// control's id is its test id.
#[component]
pub fn FormField(
    /// The control's id and test id; the hint's and the error's ids derive from it.
    id: &'static str,
    /// What the label says.
    #[prop(into)]
    label: String,
    /// The value as typed.
    value: RwSignal<String>,
    /// The error's words while there is one about this field.
    #[prop(into)]
    error: FieldError,
    /// Words beside the label for a field that may stay empty ("optional").
    #[prop(optional)]
    optional: Option<&'static str>,
    /// A sentence under the control on what to write.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// A textarea of this many rows, rather than an input.
    #[prop(optional)]
    rows: Option<u8>,
    /// Whether the form cannot go without it.
    #[prop(optional)]
    required: bool,
    /// The input's `type` (`email`).
    #[prop(default = "text")]
    input_type: &'static str,
    /// The input's `inputmode` (`decimal`, `numeric`).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The input's `autocomplete`.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The id of something else that describes the control (a review of the draft).
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let described =
        [hint_id.as_deref(), described_by, Some(&error_id)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let shown = error.clone();
    let invalid = move || (error.0)().is_some().to_string();
    // `prop:value` and `on:input` rather than `bind:value`: the same two-way
    // binding, measured 1.6 KB lighter in the widget's first open.
    let control = match rows {
        Some(rows) => Either::Left(view! {
            <textarea
                id=id
                data-testid=id
                rows=rows
                required=required
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }),
        None => Either::Right(view! {
            <input
                id=id
                type=input_type
                data-testid=id
                inputmode=inputmode
                autocomplete=autocomplete
                required=required
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }),
    };
    view! {
        <label for=id>{label} {optional.map(|words| view! { " " <span class="hint">{words}</span> })}</label>
        {control}
        {hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
        <p id=error_id.clone() class="field-error" role="alert" data-testid=error_id>{move || (shown.0)()}</p>
    }
}
