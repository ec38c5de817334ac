//! What the customer reports: what happened, how it affected them, how
//! they feel and what it cost them.

use serde::{Deserialize, Serialize};

use crate::input::{ContactEmail, Impact, Locale, OrderId, WhatHappened};
use crate::make_good::Harm;
use crate::money::Money;

/// How the customer feels about the problem, picked from a few chips. A
/// report may carry any number of them, each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feeling {
    /// `frustrated`.
    Frustrated,
    /// `angry`.
    Angry,
    /// `disappointed`.
    Disappointed,
    /// `worried`.
    Worried,
    /// `stressed`.
    Stressed,
    /// `let_down`.
    LetDown,
}

impl Feeling {
    /// Every feeling a customer can pick, in the order the form shows them.
    pub const ALL: [Feeling; 6] = [
        Feeling::Frustrated,
        Feeling::Angry,
        Feeling::Disappointed,
        Feeling::Worried,
        Feeling::Stressed,
        Feeling::LetDown,
    ];

    /// The wire name (`let_down`), as a report sends it.
    pub fn key(self) -> &'static str {
        match self {
            Feeling::Frustrated => "frustrated",
            Feeling::Angry => "angry",
            Feeling::Disappointed => "disappointed",
            Feeling::Worried => "worried",
            Feeling::Stressed => "stressed",
            Feeling::LetDown => "let_down",
        }
    }
}

/// What the customer told the company when they reported the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// What went wrong, in the customer's words. The only required part.
    pub what_happened: WhatHappened,
    /// How the problem affected them, when they said; Mend asks so the
    /// company can answer the harm, not just the fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_it_affected_you: Option<Impact>,
    /// The feelings they picked, each once, in the order picked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feelings: Vec<Feeling>,
    /// What it cost them: money, time, an event missed.
    #[serde(default, skip_serializing_if = "no_cost")]
    pub cost: Harm,
    /// The host page's order reference, when the page gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
    /// The order's value, when the page gave it; the make-good policy uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<Money>,
    /// Where the customer wants updates while they are away, when they gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<ContactEmail>,
    /// The language they used the widget in, when the widget said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
}

impl Report {
    /// A report of only what happened: no impact, feelings, cost, order or
    /// way to reach the customer; the rest is added with `..Report::of(…)`.
    pub fn of(what_happened: WhatHappened) -> Report {
        Report {
            what_happened,
            how_it_affected_you: None,
            feelings: Vec::new(),
            cost: Harm::default(),
            order_id: None,
            order_value: None,
            contact_email: None,
            locale: None,
        }
    }
}

fn no_cost(harm: &Harm) -> bool {
    *harm == Harm::default()
}
