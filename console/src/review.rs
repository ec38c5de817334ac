//! The one-voice reviewer, inline: while the rep types, the phrases that
//! shift blame, minimise, apologise on a condition or hide behind policy are
//! highlighted on a copy of the text, each with what to write instead. It
//! never blocks sending: the rep may know better. The rules are
//! `mend_core::voice`'s; this module only shows them.

use leptos::prelude::*;
use mend_core::voice::{Category, Finding};

use crate::console::use_ctx;
use crate::text;

/// The text cut into plain runs and flagged runs, in order (also for sent
/// text, with the findings the worker kept).
pub fn segments(draft: &str, findings: &[Finding]) -> Vec<(String, Option<Category>)> {
    let mut parts = Vec::new();
    let mut at = 0;
    for finding in findings {
        // Findings are sorted, non-overlapping and on char boundaries; anything else is skipped.
        let (Some(before), Some(phrase)) = (draft.get(at..finding.start), draft.get(finding.start..finding.end)) else {
            continue;
        };
        if !before.is_empty() {
            parts.push((before.to_owned(), None));
        }
        parts.push((phrase.to_owned(), Some(finding.category)));
        at = finding.end;
    }
    if let Some(rest) = draft.get(at..).filter(|rest| !rest.is_empty()) {
        parts.push((rest.to_owned(), None));
    }
    parts
}

/// The reviewer's findings on `draft`, shown under its field. `id` is the
/// element's id, for the field's `aria-describedby`.
#[component]
pub fn Review(
    /// The text being written.
    draft: RwSignal<String>,
    /// The id of the findings, which the field names in `aria-describedby`.
    id: &'static str,
) -> impl IntoView {
    let ctx = use_ctx();
    let findings = Memo::new(move |_| draft.with(|draft| ctx.reviewer.with(|reviewer| reviewer.review(draft))));
    let summary = move || match findings.with(Vec::len) {
        0 => String::new(),
        1 => text::REVIEW_ONE.to_owned(),
        n => text::fill(text::REVIEW_MANY, &n.to_string()),
    };
    view! {
        <div class="review" id=id data-testid=format!("{id}")>
            <p class="review-summary" role="status">{summary}</p>
            <Show when=move || findings.with(|f| !f.is_empty())>
                <p class="review-text" dir="auto" data-testid="review-text">
                    {move || {
                        draft.with(|draft| {
                            findings.with(|findings| {
                                segments(draft, findings)
                                    .into_iter()
                                    .map(|(part, flagged)| match flagged {
                                        Some(category) => view! {
                                            <mark data-testid="finding-mark" data-category=text::category_key(category)>{part}</mark>
                                        }
                                            .into_any(),
                                        None => part.into_any(),
                                    })
                                    .collect_view()
                            })
                        })
                    }}
                </p>
                <ul class="findings">
                    {move || {
                        findings
                            .get()
                            .into_iter()
                            .map(|finding| {
                                view! {
                                    <li data-testid="finding">
                                        <q>{finding.phrase}</q>
                                        " — "
                                        <strong>{text::category(finding.category)}</strong>
                                        ": "
                                        {finding.category.advice()}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use mend_core::voice::Reviewer;

    use super::segments;

    #[test]
    fn a_draft_is_cut_around_its_findings_and_nothing_is_lost() {
        let draft = "Sorry, our warehouse sent the wrong part. Mistakes happen!";
        let findings = Reviewer::new().review(draft);
        let parts = segments(draft, &findings);
        assert_eq!(parts.iter().map(|(part, _)| part.as_str()).collect::<String>(), draft);
        let flagged: Vec<_> = parts.iter().filter(|(_, c)| c.is_some()).map(|(p, _)| p.as_str()).collect();
        assert_eq!(flagged.len(), findings.len());
        assert!(flagged.iter().any(|p| p.contains("warehouse")), "{flagged:?}");
        assert!(flagged.contains(&"Mistakes happen"), "{flagged:?}");
    }

    #[test]
    fn a_clean_draft_is_one_plain_run() {
        let draft = "We're sorry we sent the wrong part; a new one ships today.";
        assert_eq!(segments(draft, &Reviewer::new().review(draft)), vec![(draft.to_owned(), None)]);
    }
}
