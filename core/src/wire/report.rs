//! A customer's report: `POST /v1/reports` and what it answers.

use serde::{Deserialize, Serialize};

use crate::input::{ContactEmail, Field, Impact, InputError, Locale, OrderId, Problem, WhatHappened, WorkspaceId};
use crate::make_good::Harm;
use crate::money::{Currency, Money};
use crate::ticket::{Feeling, Report};
use crate::whole;

use super::{TicketLog, TicketView, named, optional};

/// The body of `POST /v1/reports`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    /// `workspace`: the id of the company's workspace (`acme`). Required:
    /// 1 to 40 characters from `a-z`, `0-9`, `-` and `_`, and the worker
    /// also checks that a workspace with this id uses Mend.
    #[serde(default)]
    pub workspace: String,
    /// `what_happened`: the problem in the customer's words. Required; at
    /// most 4000 characters ([`MAX_TEXT`](crate::input::MAX_TEXT)) after
    /// trimming, with no control characters but newline, tab and carriage
    /// return (the same holds for every free-text field).
    #[serde(default)]
    pub what_happened: String,
    /// `how_it_affected_you`: the harm in the customer's words. Optional
    /// (blank counts as absent); at most 4000 characters after trimming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_it_affected_you: Option<String>,
    /// `feelings`: the chips the customer picked, any of `frustrated`,
    /// `angry`, `disappointed`, `worried`, `stressed`, `let_down`. Optional;
    /// repeats count once, an unknown name is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feelings: Vec<String>,
    /// `cost`: what the problem cost the customer. Optional; absent means
    /// nothing reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostRequest>,
    /// `order_id`: the host page's order reference (`1042`). Optional (blank
    /// counts as absent); at most 64 characters after trimming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// `order_value`: what the order was worth, passed by the host page.
    /// Optional; a share of it is one of the two bases of the suggested
    /// make-good (see [`make_good`](crate::make_good)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<MoneyRequest>,
    /// `contact_email`: where the customer wants updates while they are
    /// away. Optional (blank counts as absent); at most 254 characters, one
    /// `@` and a dotted domain, no spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// `locale`: the language the customer used the widget in (`de`), so
    /// Mend writes to them in it. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `identity`: the customer's identity as the company's backend signed
    /// it, a short-lived HS256 JWT. Optional; the worker verifies it and
    /// refuses the report (401) if it does not hold, never filing it as
    /// anonymous instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

/// An amount as a request carries it: `{"currency": "USD", "minor_units": 1500}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyRequest {
    /// `currency`: a three-letter code in any case (`usd` reads as `USD`).
    /// Required whenever an amount is sent.
    #[serde(default)]
    pub currency: String,
    /// `minor_units`: the amount in the currency's minor units (cents for
    /// USD, whole yen for JPY), from 0 to [`MAX_MINOR_UNITS`](crate::money::MAX_MINOR_UNITS).
    /// Missing reads as 0.
    #[serde(default, deserialize_with = "whole::number")]
    pub minor_units: i64,
}

impl MoneyRequest {
    /// The [`Money`] this request describes. A bad code is reported against
    /// `currency`, a negative or oversized amount against `minor_units`.
    pub fn parse(&self) -> Result<Money, InputError> {
        Money::new(Currency::parse(&self.currency, Field::Currency)?, self.minor_units, Field::Amount)
    }
}

/// What the problem cost the customer, as the report form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRequest {
    /// `money`: money the customer lost because of the problem. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneyRequest>,
    /// `hours_lost`: whole hours the customer lost (waiting in, downtime,
    /// redoing work). Optional; from 0 to
    /// [`MAX_HOURS_LOST`](crate::make_good::MAX_HOURS_LOST).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "whole::optional")]
    pub hours_lost: Option<i64>,
    /// `missed_event`: `true` if the problem made the customer miss an
    /// event. Missing reads as `false`.
    #[serde(default)]
    pub missed_event: bool,
}

impl CostRequest {
    /// The [`Harm`] this request describes, within [`Harm::check`]'s limits.
    /// A bad amount is reported against `currency` or `minor_units`, bad
    /// hours against `hours_lost`.
    pub fn parse(&self) -> Result<Harm, InputError> {
        let hours_lost = match self.hours_lost {
            None => None,
            Some(hours) => Some(u32::try_from(hours).map_err(|_| {
                InputError::new(Field::HoursLost, Problem::Malformed { expected: "a whole number of hours, 0 or more" })
            })?),
        };
        let harm = Harm {
            money: self.money.as_ref().map(MoneyRequest::parse).transpose()?,
            hours_lost,
            missed_event: self.missed_event,
        };
        harm.check()?;
        Ok(harm)
    }
}

impl ReportRequest {
    /// The workspace and report this request asks for; blank optional
    /// fields count as absent.
    pub fn parse(&self) -> Result<(WorkspaceId, Report), InputError> {
        let workspace = WorkspaceId::parse(&self.workspace)?;
        let report = Report {
            what_happened: WhatHappened::parse(&self.what_happened)?,
            how_it_affected_you: optional(&self.how_it_affected_you, Impact::parse)?,
            feelings: feelings(&self.feelings)?,
            cost: self.cost.as_ref().map(CostRequest::parse).transpose()?.unwrap_or_default(),
            order_id: optional(&self.order_id, OrderId::parse)?,
            order_value: self.order_value.as_ref().map(MoneyRequest::parse).transpose()?,
            contact_email: optional(&self.contact_email, ContactEmail::parse)?,
            locale: optional(&self.locale, Locale::parse)?,
        };
        Ok((workspace, report))
    }
}

/// The chips a customer picked: known names, each once.
fn feelings(raw: &[String]) -> Result<Vec<Feeling>, InputError> {
    let mut feelings = Vec::new();
    for name in raw {
        let expected = "any of frustrated, angry, disappointed, worried, stressed, let_down";
        let feeling = named(Field::Feelings, name, expected)?;
        if !feelings.contains(&feeling) {
            feelings.push(feeling);
        }
    }
    Ok(feelings)
}

/// The company as the customer meets it: its name and its apology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyVoice {
    /// The company's name. The widget signs the apology and every company
    /// event with it: one voice, never a department.
    pub name: String,
    /// The workspace's apology in its own words, the first thing the
    /// customer sees after reporting.
    pub apology: String,
}

/// The answer to `POST /v1/reports` (201). The token is shown exactly once:
/// Mend keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCreated {
    /// The new ticket, whose log is the one `reported` event.
    pub ticket: TicketView,
    /// The customer's private token for this ticket (`mend_ct_…`): with it
    /// they follow and answer the ticket, from any device.
    pub customer_token: String,
    /// The company's name and apology, for the widget to show at once.
    pub company: CompanyVoice,
}

/// [`ReportCreated`] as the widget reads it: the ticket as its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportReceipt {
    /// The new ticket's id and log.
    pub ticket: TicketLog,
    /// The customer's private token for this ticket, shown only here.
    pub customer_token: String,
    /// The company's name and apology.
    pub company: CompanyVoice,
}
