//! One field of a form, as both apps draw it: its label, its control, an
//! optional hint, and the error that names it, tied together by ids so a
//! screen reader reads them as one.

use leptos::either::Either;
use leptos::prelude::*;

/// A labelled text control (a textarea when `rows` is given, else an
/// input) bound to `value`, with its hint (`{id}-hint`) and the error
/// Mend or the app found in it (`{id}-error`, also its test id). The
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
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
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
    /// The input's `type` (`email`); text unless given.
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// The input's `inputmode` (`decimal`, `numeric`).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The input's `autocomplete`; `off` unless given.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The id of something else that describes the control (a review of the draft).
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let described =
        [hint_id.as_deref(), described_by, Some(&error_id)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let invalid = move || error().is_some().to_string();
    let required_aria = required.then_some("true");
    let control = match rows {
        Some(rows) => Either::Left(view! {
            <textarea
                id=id
                data-testid=id
                rows=rows
                required=required
                aria-required=required_aria
                aria-invalid=invalid
                aria-describedby=described
                bind:value=value
            ></textarea>
        }),
        None => Either::Right(view! {
            <input
                id=id
                type=input_type
                data-testid=id
                inputmode=inputmode
                autocomplete=autocomplete.unwrap_or("off")
                required=required
                aria-required=required_aria
                aria-invalid=invalid
                aria-describedby=described
                bind:value=value
            />
        }),
    };
    view! {
        <label for=id>{label} {optional.map(|words| view! { " " <span class="hint">{words}</span> })}</label>
        {control}
        {hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
        <p id=error_id.clone() class="field-error" data-testid=error_id>{error}</p>
    }
}
