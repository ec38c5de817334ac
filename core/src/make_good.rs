//! Make-goods in proportion to the harm: a $15 candy basket does not answer
//! $30,000 of downtime. This module suggests a range for a make-good and
//! judges a rep's offer against it. The rules:
//!
//! 1. **Two bases.** A workspace's [`Policy`] suggests a share of the harm the
//!    customer reported ([`Policy::harm_bp`], 10–50% by default) and a share
//!    of the order value ([`Policy::order_value_bp`], 5–20% by default).
//!    The suggested range is the *larger* of the two — the one with the higher
//!    top, then the higher bottom; on a tie, the harm, because the harm is the
//!    point. Ratios are in basis points: 1% = 100.
//! 2. **What the harm is worth.** Money lost, plus hours lost at the policy's
//!    [`hour_value`](Policy::hour_value), plus a missed event at the policy's
//!    [`missed_event_value`](Policy::missed_event_value) — see [`harm_value`].
//!    Only amounts in the policy's currency count: Mend does not convert
//!    currencies, so anything else is left out, and the suggestion's basis
//!    says what was left out and why. Hours or a missed event the policy puts
//!    no value on are left out the same way.
//! 3. **Nothing is no basis.** A harm or an order worth zero is no basis: a
//!    share of nothing is nothing, and would flag every offer as too high.
//!    With no basis at all the verdict is [`Verdict::NoBasis`]: judge by hand.
//! 4. **Rounding.** Suggestions are whole major units (dollars, not cents):
//!    the low end rounds down and the high end rounds up, so an offer at the
//!    exact share is never flagged. A low end that is more than zero but
//!    under one major unit becomes one major unit, because a make-good of
//!    nothing is not a make-good. Amounts never exceed
//!    [`MAX_MINOR_UNITS`]: a larger harm counts as that much.
//! 5. **The verdict.** An offer from the low end to the high end inclusive is
//!    [`WithinRange`](Verdict::WithinRange); below is
//!    [`TooLow`](Verdict::TooLow), above is [`TooHigh`](Verdict::TooHigh);
//!    an offer in another currency than the policy's is
//!    [`OtherCurrency`](Verdict::OtherCurrency).
//! 6. **The rep's limit.** An offer above [`Policy::rep_cap`] needs a manager,
//!    whatever the verdict. So does an offer that cannot be compared with the
//!    limit (another currency): a rep must not get round the limit by
//!    switching currency.
//! 7. **Plain words.** Every verdict comes with a reason a rep can act on, in
//!    the words the customer used: money *lost*, hours of *downtime*, a
//!    *missed event*.
//!
//! Arithmetic is integer only, with `i128` in between, so no amount Mend
//! accepts (nor any `i64` at all) can overflow, and the same inputs give the
//! same answer on every machine.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::input::{Field, InputError, Problem};
use crate::money::{Currency, MAX_MINOR_UNITS, Money};

/// The most hours lost a customer may report for one problem, about five
/// working years; more is a typo.
pub const MAX_HOURS_LOST: u32 = 10_000;

/// Basis points in a whole: 10,000 bp = 100%.
const BP_PER_WHOLE: i128 = 10_000;

/// What a rep can offer to make it up to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MakeGoodKind {
    /// Credit on the customer's account, for a later order.
    Credit,
    /// Money back, in full or in part.
    Refund,
    /// A gift card the customer can spend or give away.
    GiftCard,
    /// A discount on a later order.
    Discount,
    /// A replacement item, on top of putting the problem right.
    Replacement,
}

impl MakeGoodKind {
    /// Every kind, in the order a rep is offered them.
    pub const ALL: [MakeGoodKind; 5] = [Self::Credit, Self::Refund, Self::GiftCard, Self::Discount, Self::Replacement];

    /// The kind's name on the wire, as serde writes it (`gift_card`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Credit => "credit",
            Self::Refund => "refund",
            Self::GiftCard => "gift_card",
            Self::Discount => "discount",
            Self::Replacement => "replacement",
        }
    }
}

/// What the problem cost the customer, as they reported it. Every part is
/// optional: a customer who reports nothing has still been wronged, and the
/// order value may be the only basis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Harm {
    /// Money the customer says they lost, in any currency.
    pub money: Option<Money>,
    /// Hours the customer says they lost: waiting in, downtime, redoing work.
    pub hours_lost: Option<u32>,
    /// Whether the customer missed an event because of the problem.
    pub missed_event: bool,
}

impl Harm {
    /// Checks what the customer reported against Mend's limits: money within
    /// [`Money::new`]'s bounds and at most [`MAX_HOURS_LOST`] hours.
    ///
    /// Money is reported against [`Field::Amount`], hours against
    /// [`Field::HoursLost`].
    pub fn check(&self) -> Result<(), InputError> {
        if let Some(money) = self.money {
            Money::new(money.currency, money.minor_units, Field::Amount)?;
        }
        if self.hours_lost.is_some_and(|hours| hours > MAX_HOURS_LOST) {
            return Err(InputError::new(
                Field::HoursLost,
                Problem::Malformed { expected: "no more than 10,000 hours" },
            ));
        }
        Ok(())
    }
}

/// A workspace's make-good policy. Ratios are in basis points (1% = 100);
/// every amount is in [`Policy::currency`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The currency the policy, its amounts and its suggestions are in.
    pub currency: Currency,
    /// The suggested range as a share of the order value: `(500, 2000)` is 5–20%.
    #[serde(deserialize_with = "crate::whole::pair")]
    pub order_value_bp: (u32, u32),
    /// The suggested range as a share of the harm reported: `(1000, 5000)` is 10–50%.
    #[serde(deserialize_with = "crate::whole::pair")]
    pub harm_bp: (u32, u32),
    /// What an hour lost is worth; `None` leaves hours lost out of the harm.
    pub hour_value: Option<Money>,
    /// What a missed event is worth; `None` leaves missed events out of the harm.
    pub missed_event_value: Option<Money>,
    /// The largest offer a rep may make alone; above it a manager approves.
    pub rep_cap: Money,
}

impl Policy {
    /// The policy a workspace starts with:
    ///
    /// - **10–50% of the harm reported.** A make-good is a token of
    ///   appreciation, not damages: the problem itself is put right
    ///   separately. Below a tenth it reads as not having listened; above
    ///   half it becomes compensation, which is a manager's decision.
    /// - **5–20% of the order value**, the usual goodwill gesture when the
    ///   customer reported no cost: a visible share of what they paid.
    /// - **An hour lost is worth 25** major units, about a median hourly wage
    ///   in dollars, euros or pounds: most customers lose hours waiting in,
    ///   not billing them. Businesses whose customers lose billable hours
    ///   should raise it.
    /// - **A missed event is worth 200**: a dinner, a party, a trip's first day.
    /// - **A rep may offer up to 250** alone: enough for a full day lost or
    ///   20% of a $1,250 order, so routine cases never wait, while a
    ///   four-figure make-good always has a manager's eyes on it.
    ///
    /// The amounts are whole major units of `currency` and suit currencies
    /// whose unit is worth roughly a dollar. Workspaces in yen, won and the
    /// like must set their own; the ratios carry over, the amounts do not.
    pub fn standard(currency: Currency) -> Self {
        let major = |units: i64| Money { currency, minor_units: units * 10_i64.pow(currency.exponent()) };
        Self {
            currency,
            order_value_bp: (500, 2000),
            harm_bp: (1000, 5000),
            hour_value: Some(major(25)),
            missed_event_value: Some(major(200)),
            rep_cap: major(250),
        }
    }

    /// Checks a policy before a workspace saves it: each range runs from low
    /// to high, and every amount is within [`Money::new`]'s bounds and in the
    /// policy's currency. (The functions below cope with any policy anyway:
    /// a range given backwards is read the right way round, and an amount in
    /// another currency is left out.)
    pub fn check(&self) -> Result<(), InputError> {
        if [self.order_value_bp, self.harm_bp].iter().any(|(low, high)| low > high) {
            return Err(InputError::new(
                Field::Amount,
                Problem::Malformed { expected: "a range whose low end is not above its high end" },
            ));
        }
        for money in [Some(self.rep_cap), self.hour_value, self.missed_event_value].into_iter().flatten() {
            Money::new(money.currency, money.minor_units, Field::Amount)?;
            if money.currency != self.currency {
                return Err(InputError::new(
                    Field::Currency,
                    Problem::Malformed { expected: "the policy's own currency for every amount" },
                ));
            }
        }
        Ok(())
    }
}

/// A suggested make-good: from `low` to `high`, both in the policy's
/// currency, and the basis in plain words:
/// "10–50% of $30,000 of reported downtime (200 hours at $150 an hour), rather than 5–20% of the $2,400 order."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The least the policy suggests, rounded down to a whole major unit.
    pub low: Money,
    /// The most the policy suggests, rounded up to a whole major unit.
    pub high: Money,
    /// How the range was reached, and what was left out and why.
    pub basis: String,
}

/// How an offer compares with the suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// From the suggested low to the suggested high, inclusive.
    WithinRange,
    /// Below the suggested low: out of proportion to the harm.
    TooLow,
    /// Above the suggested high.
    TooHigh,
    /// Nothing to measure against: no cost Mend can count and no order value.
    NoBasis,
    /// The offer is in another currency than the policy's.
    OtherCurrency,
}

/// The console's judgement of an offer, shown to the rep before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// How the offer compares with the suggestion.
    pub verdict: Verdict,
    /// Why, in words a rep can act on.
    pub reason: String,
    /// Whether a manager must approve the offer: above [`Policy::rep_cap`],
    /// or not comparable with it.
    pub needs_manager: bool,
}

/// What the customer's reported harm is worth under `policy`: money lost,
/// plus hours lost at [`Policy::hour_value`], plus a missed event at
/// [`Policy::missed_event_value`], in the policy's currency and capped at
/// [`MAX_MINOR_UNITS`].
///
/// `None` when nothing comparable was reported, or it adds up to zero.
/// Money in another currency is not comparable and is left out;
/// [`suggest`] says so in its basis.
pub fn harm_value(policy: &Policy, harm: &Harm) -> Option<Money> {
    read_harm(policy, harm).counted.map(|counted| counted.value)
}

/// Suggests a make-good range for a problem: the larger of the harm-based and
/// the order-based ranges (see the module's rules). `None` when neither
/// exists.
pub fn suggest(policy: &Policy, order_value: Option<Money>, harm: &Harm) -> Option<Suggestion> {
    let reading = Reading::new(policy, order_value, harm);
    let chosen = reading.chosen()?;
    let mut basis = chosen.describe();
    if let Some(other) = reading.other(&chosen) {
        basis.push_str(", rather than ");
        basis.push_str(&other.describe());
    }
    basis.push('.');
    basis.push_str(&reading.not_counted());
    Some(Suggestion { low: chosen.low, high: chosen.high, basis })
}

/// Whether a rep's `offer` needs a manager: above the rep's cap, or in a
/// currency the policy or the cap cannot be compared with (otherwise a rep
/// could get round the cap by switching currency).
pub fn needs_manager(policy: &Policy, offer: Money) -> bool {
    let cap = policy.rep_cap;
    offer.currency != policy.currency || offer.currency != cap.currency || offer.minor_units > cap.minor_units
}

/// Judges a rep's `offer` against the suggestion for this problem, and says
/// whether a manager must approve it.
pub fn assess(policy: &Policy, order_value: Option<Money>, harm: &Harm, offer: Money) -> Assessment {
    let cap = policy.rep_cap;
    let needs_manager = needs_manager(policy, offer);
    if offer.currency != policy.currency {
        let reason = format!(
            "The offer is in {} but the policy is in {}. Make it in {}, or ask a manager to approve it.",
            offer.currency.code(),
            policy.currency.code(),
            policy.currency.code(),
        );
        return Assessment { verdict: Verdict::OtherCurrency, reason, needs_manager };
    }
    let reading = Reading::new(policy, order_value, harm);
    let Some(range) = reading.chosen() else {
        let mut reason = reading.no_basis();
        if needs_manager {
            reason.push_str(&format!(" {offer} is {}: a manager should approve.", over_limit(cap, offer)));
        }
        return Assessment { verdict: Verdict::NoBasis, reason, needs_manager };
    };
    let (low, high, against) = (range.low, range.high, range.ground.phrase());
    let (verdict, reason) = if offer.minor_units < low.minor_units {
        let approval = if cap.currency != policy.currency {
            format!(", with a manager's approval (your limit is set in {})", cap.currency.code())
        } else if high.minor_units > cap.minor_units {
            format!(", with a manager's approval above your limit of {cap}")
        } else {
            String::new()
        };
        (Verdict::TooLow, format!("{offer} against {against} is too little: suggest {low} to {high}{approval}."))
    } else if offer.minor_units > high.minor_units {
        let tail = if needs_manager {
            "a manager should approve.".to_owned()
        } else {
            format!("it is within your limit of {cap}, so it is your call.")
        };
        (Verdict::TooHigh, format!("{offer} against {against} is more than the suggested {low} to {high}; {tail}"))
    } else if needs_manager {
        (
            Verdict::WithinRange,
            format!("{offer} is in proportion to {against}, but {}: a manager should approve.", over_limit(cap, offer)),
        )
    } else {
        (Verdict::WithinRange, format!("{offer} is in proportion to {against}."))
    };
    Assessment { verdict, reason, needs_manager }
}

/// Why an offer needs a manager: "above your limit of $250", or not
/// comparable with a limit set in another currency.
fn over_limit(cap: Money, offer: Money) -> String {
    if cap.currency == offer.currency {
        format!("above your limit of {cap}")
    } else {
        format!("not comparable with your limit, which is set in {}", cap.currency.code())
    }
}

/// The harm as the policy can count it, and what it cannot.
struct HarmReading {
    counted: Option<CountedHarm>,
    /// What was reported but left out, each with its reason in brackets.
    not_counted: Vec<String>,
}

/// The part of the harm the policy can count, worth more than zero.
struct CountedHarm {
    value: Money,
    /// "$30,000 of reported downtime", for "… against $30,000 of reported downtime".
    phrase: String,
    /// How the value was reached, when the phrase alone does not show it.
    detail: Option<String>,
}

fn read_harm(policy: &Policy, harm: &Harm) -> HarmReading {
    let currency = policy.currency;
    let mut total: i128 = 0;
    let mut kinds: Vec<&str> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut not_counted: Vec<String> = Vec::new();
    let mut hours_counted = false;

    if let Some(lost) = harm.money {
        if lost.currency != currency {
            not_counted.push(format!("{lost} lost (in {}, not {})", lost.currency.code(), currency.code()));
        } else if lost.minor_units > 0 {
            total += i128::from(lost.minor_units);
            kinds.push("loss");
            parts.push(format!("{lost} lost"));
        }
    }
    if let Some(hours) = harm.hours_lost.filter(|&hours| hours > 0) {
        let hours_text = count(hours, "hour", "hours");
        match policy.hour_value {
            None => not_counted.push(format!("{hours_text} lost (the policy sets no value for an hour)")),
            Some(rate) if rate.currency != currency => not_counted.push(format!(
                "{hours_text} lost (the policy values an hour in {}, not {})",
                rate.currency.code(),
                currency.code()
            )),
            Some(rate) if rate.minor_units > 0 => {
                total += i128::from(hours) * i128::from(rate.minor_units);
                kinds.push("downtime");
                parts.push(format!("{hours_text} at {rate} an hour"));
                hours_counted = true;
            }
            Some(_) => {}
        }
    }
    if harm.missed_event {
        match policy.missed_event_value {
            None => not_counted.push("a missed event (the policy sets no value for one)".to_owned()),
            Some(value) if value.currency != currency => not_counted.push(format!(
                "a missed event (the policy values one in {}, not {})",
                value.currency.code(),
                currency.code()
            )),
            Some(value) if value.minor_units > 0 => {
                total += i128::from(value.minor_units);
                kinds.push("a missed event");
                parts.push(format!("a missed event at {value}"));
            }
            Some(_) => {}
        }
    }

    let counted = (total > 0).then(|| {
        let value = Money { currency, minor_units: capped(total) };
        let phrase = match kinds.as_slice() {
            ["a missed event"] => format!("a missed event valued at {value}"),
            _ => format!("{value} of reported {}", join_words(&kinds)),
        };
        let detail = (parts.len() > 1 || hours_counted).then(|| parts.join(", "));
        CountedHarm { value, phrase, detail }
    });
    HarmReading { counted, not_counted }
}

/// The order value as the policy can count it.
enum OrderReading {
    Counted(Money),
    Unknown,
    Zero(Money),
    OtherCurrency(Money),
}

/// Everything the policy makes of one problem: both bases and what was left out.
struct Reading<'a> {
    policy: &'a Policy,
    harm: HarmReading,
    order: OrderReading,
}

/// What a range was computed from.
enum Ground<'a> {
    Harm(&'a CountedHarm),
    Order(Money),
}

impl Ground<'_> {
    /// How the ground reads after "against" or "in proportion to".
    fn phrase(&self) -> String {
        match self {
            Ground::Harm(counted) => counted.phrase.clone(),
            Ground::Order(order) => format!("the {order} order"),
        }
    }
}

/// One basis's suggested range.
struct Range<'a> {
    ground: Ground<'a>,
    ratios: (u32, u32),
    low: Money,
    high: Money,
}

impl Range<'_> {
    /// "10–50% of $30,000 of reported downtime (200 hours at $150 an hour)".
    fn describe(&self) -> String {
        let share = percent_range(self.ratios);
        match &self.ground {
            Ground::Harm(CountedHarm { detail: Some(detail), .. }) => {
                format!("{share} of {} ({detail})", self.ground.phrase())
            }
            _ => format!("{share} of {}", self.ground.phrase()),
        }
    }
}

impl<'a> Reading<'a> {
    fn new(policy: &'a Policy, order_value: Option<Money>, harm: &Harm) -> Self {
        let order = match order_value {
            None => OrderReading::Unknown,
            Some(order) if order.currency != policy.currency => OrderReading::OtherCurrency(order),
            Some(order) if order.minor_units <= 0 => OrderReading::Zero(order),
            Some(order) => OrderReading::Counted(order),
        };
        Self { policy, harm: read_harm(policy, harm), order }
    }

    fn harm_range(&self) -> Option<Range<'_>> {
        let counted = self.harm.counted.as_ref()?;
        Some(share_range(Ground::Harm(counted), counted.value, self.policy.harm_bp))
    }

    fn order_range(&self) -> Option<Range<'_>> {
        match self.order {
            OrderReading::Counted(order) => Some(share_range(Ground::Order(order), order, self.policy.order_value_bp)),
            _ => None,
        }
    }

    /// The larger range: higher top, then higher bottom; the harm on a tie.
    fn chosen(&self) -> Option<Range<'_>> {
        match (self.harm_range(), self.order_range()) {
            (Some(harm), Some(order)) => {
                let larger =
                    (order.high.minor_units, order.low.minor_units) > (harm.high.minor_units, harm.low.minor_units);
                Some(if larger { order } else { harm })
            }
            (harm, order) => harm.or(order),
        }
    }

    /// The basis that was not chosen, if both exist.
    fn other(&self, chosen: &Range<'_>) -> Option<Range<'_>> {
        match chosen.ground {
            Ground::Harm(_) => self.order_range(),
            Ground::Order(_) => self.harm_range(),
        }
    }

    /// " Not counted: €500 lost (in EUR, not USD)." or nothing.
    fn not_counted(&self) -> String {
        let mut items = self.harm.not_counted.clone();
        if let OrderReading::OtherCurrency(order) = self.order {
            items.push(format!(
                "the {order} order (in {}, not {})",
                order.currency.code(),
                self.policy.currency.code()
            ));
        }
        if items.is_empty() { String::new() } else { format!(" Not counted: {}.", items.join("; ")) }
    }

    /// Why there is nothing to measure an offer against.
    fn no_basis(&self) -> String {
        let harm = if self.harm.not_counted.is_empty() {
            "The customer reported no cost"
        } else {
            "The customer reported no cost the policy can count,"
        };
        let order = match self.order {
            OrderReading::Zero(order) => format!("the order value is {order}"),
            OrderReading::OtherCurrency(_) => "the order value cannot be counted".to_owned(),
            // A counted order is a basis, so it never reaches here.
            OrderReading::Unknown | OrderReading::Counted(_) => "the order value is unknown".to_owned(),
        };
        format!("{harm} and {order}: judge by hand.{}", self.not_counted())
    }
}

/// The range `ratios` (basis points, either way round) of `value`, low end
/// rounded down and high end rounded up to whole major units, a positive low
/// end at least one major unit, both capped at [`MAX_MINOR_UNITS`].
fn share_range(ground: Ground<'_>, value: Money, ratios: (u32, u32)) -> Range<'_> {
    let (low_bp, high_bp) = (ratios.0.min(ratios.1), ratios.0.max(ratios.1));
    let currency = value.currency;
    let scale = 10_i128.pow(currency.exponent());
    let per_major = BP_PER_WHOLE * scale;
    let value = i128::from(value.minor_units.max(0));

    let low_exact = value * i128::from(low_bp);
    let low_major = match low_exact / per_major {
        0 if low_exact > 0 => 1,
        major => major,
    };
    // Both terms are non-negative, so this is the ceiling.
    let high_major = (value * i128::from(high_bp) + per_major - 1) / per_major;

    let money = |major: i128| Money { currency, minor_units: capped(major * scale) };
    Range { ground, ratios: (low_bp, high_bp), low: money(low_major), high: money(high_major) }
}

/// `minor_units` as a valid amount: at most [`MAX_MINOR_UNITS`].
fn capped(minor_units: i128) -> i64 {
    i64::try_from(minor_units.min(i128::from(MAX_MINOR_UNITS))).unwrap_or(MAX_MINOR_UNITS)
}

/// "10–50%", or "10%" when both ends agree.
fn percent_range((low, high): (u32, u32)) -> String {
    if low == high { format!("{}%", Percent(low)) } else { format!("{}–{}%", Percent(low), Percent(high)) }
}

/// Basis points printed as a percentage: 500 → "5", 1250 → "12.5", 1 → "0.01".
struct Percent(u32);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        match hundredths {
            0 => write!(f, "{whole}"),
            _ if hundredths.is_multiple_of(10) => write!(f, "{whole}.{}", hundredths / 10),
            _ => write!(f, "{whole}.{hundredths:02}"),
        }
    }
}

/// "1 hour", "1,200 hours".
fn count(n: u32, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

/// "loss", "loss and downtime", "loss, downtime and a missed event".
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn currency(code: &str) -> Currency {
        Currency::parse(code, Field::Currency).unwrap()
    }

    fn money(code: &str, major: i64) -> Money {
        let currency = currency(code);
        Money { currency, minor_units: major * 10_i64.pow(currency.exponent()) }
    }

    fn usd(major: i64) -> Money {
        money("USD", major)
    }

    fn eur(major: i64) -> Money {
        money("EUR", major)
    }

    fn lost(amount: Money) -> Harm {
        Harm { money: Some(amount), ..Harm::default() }
    }

    fn hours(hours: u32) -> Harm {
        Harm { hours_lost: Some(hours), ..Harm::default() }
    }

    fn missed() -> Harm {
        Harm { missed_event: true, ..Harm::default() }
    }

    fn nothing() -> Harm {
        Harm::default()
    }

    /// The standard USD policy: 10–50% of harm, 5–20% of the order, $25 an
    /// hour, $200 a missed event, reps alone up to $250.
    fn standard() -> Policy {
        Policy::standard(currency("USD"))
    }

    /// A business whose customers lose billable hours: $150 an hour.
    fn downtime() -> Policy {
        Policy { hour_value: Some(usd(150)), ..standard() }
    }

    /// Reps may offer up to $20,000 alone.
    fn trusted() -> Policy {
        Policy { hour_value: Some(usd(150)), rep_cap: usd(20_000), ..standard() }
    }

    /// (policy, offer, order value, harm) → (verdict, reason, needs a manager).
    type Row = (Policy, Money, Option<Money>, Harm, Verdict, &'static str, bool);

    #[test]
    fn assessments_judge_offers_against_the_harm_in_the_customers_words() {
        use Verdict::*;
        #[rustfmt::skip]
        let table: Vec<Row> = vec![
            (trusted(), usd(15), None, hours(200), TooLow,
             "$15 against $30,000 of reported downtime is too little: suggest $3,000 to $15,000.", false),
            (downtime(), usd(15), None, hours(200), TooLow,
             "$15 against $30,000 of reported downtime is too little: suggest $3,000 to $15,000, \
              with a manager's approval above your limit of $250.", false),
            (trusted(), usd(5_000), None, lost(usd(30_000)), WithinRange,
             "$5,000 is in proportion to $30,000 of reported loss.", false),
            (standard(), usd(5_000), None, lost(usd(30_000)), WithinRange,
             "$5,000 is in proportion to $30,000 of reported loss, but above your limit of $250: \
              a manager should approve.", true),
            (standard(), usd(20_000), None, lost(usd(30_000)), TooHigh,
             "$20,000 against $30,000 of reported loss is more than the suggested $3,000 to $15,000; \
              a manager should approve.", true),
            (standard(), usd(15), Some(usd(2_400)), nothing(), TooLow,
             "$15 against the $2,400 order is too little: suggest $120 to $480, \
              with a manager's approval above your limit of $250.", false),
            (standard(), usd(200), Some(usd(2_400)), nothing(), WithinRange,
             "$200 is in proportion to the $2,400 order.", false),
            (standard(), usd(250), Some(usd(2_400)), nothing(), WithinRange,
             "$250 is in proportion to the $2,400 order.", false),
            (standard(), usd(251), Some(usd(2_400)), nothing(), WithinRange,
             "$251 is in proportion to the $2,400 order, but above your limit of $250: \
              a manager should approve.", true),
            (standard(), usd(100), Some(usd(40)), nothing(), TooHigh,
             "$100 against the $40 order is more than the suggested $2 to $8; \
              it is within your limit of $250, so it is your call.", false),
            (standard(), usd(50), None, missed(), WithinRange,
             "$50 is in proportion to a missed event valued at $200.", false),
            (standard(), usd(10), None, Harm { hours_lost: Some(8), missed_event: true, money: None }, TooLow,
             "$10 against $400 of reported downtime and a missed event is too little: suggest $40 to $200.", false),
            (standard(), usd(700), None, Harm { money: Some(usd(1_000)), hours_lost: Some(8), missed_event: true },
             WithinRange,
             "$700 is in proportion to $1,400 of reported loss, downtime and a missed event, \
              but above your limit of $250: a manager should approve.", true),
            (standard(), usd(30), Some(usd(2_400)), lost(usd(100)), TooLow,
             "$30 against the $2,400 order is too little: suggest $120 to $480, \
              with a manager's approval above your limit of $250.", false),
            (standard(), usd(200), Some(usd(2_400)), lost(eur(500)), WithinRange,
             "$200 is in proportion to the $2,400 order.", false),
            (standard(), usd(15), None, nothing(), NoBasis,
             "The customer reported no cost and the order value is unknown: judge by hand.", false),
            (standard(), usd(500), None, nothing(), NoBasis,
             "The customer reported no cost and the order value is unknown: judge by hand. \
              $500 is above your limit of $250: a manager should approve.", true),
            (Policy { hour_value: None, ..standard() }, usd(15), None, hours(40), NoBasis,
             "The customer reported no cost the policy can count, and the order value is unknown: judge by hand. \
              Not counted: 40 hours lost (the policy sets no value for an hour).", false),
            (standard(), usd(15), Some(usd(0)), lost(usd(0)), NoBasis,
             "The customer reported no cost and the order value is $0: judge by hand.", false),
            (standard(), usd(15), Some(eur(2_400)), nothing(), NoBasis,
             "The customer reported no cost and the order value cannot be counted: judge by hand. \
              Not counted: the €2,400 order (in EUR, not USD).", false),
            (standard(), eur(50), Some(usd(2_400)), nothing(), OtherCurrency,
             "The offer is in EUR but the policy is in USD. Make it in USD, or ask a manager to approve it.", true),
            (Policy::standard(currency("CHF")), money("CHF", 1), Some(money("CHF", 80)), nothing(), TooLow,
             "CHF 1 against the CHF 80 order is too little: suggest CHF 4 to CHF 16.", false),
            (Policy { rep_cap: eur(250), ..standard() }, usd(10), Some(usd(100)), nothing(), WithinRange,
             "$10 is in proportion to the $100 order, but not comparable with your limit, which is set in EUR: \
              a manager should approve.", true),
            (Policy { rep_cap: eur(250), ..standard() }, usd(1), Some(usd(100)), nothing(), TooLow,
             "$1 against the $100 order is too little: suggest $5 to $20, \
              with a manager's approval (your limit is set in EUR).", true),
        ];
        for (row, (policy, offer, order, harm, verdict, reason, needs_manager)) in table.into_iter().enumerate() {
            let assessment = assess(&policy, order, &harm, offer);
            let expected = Assessment { verdict, reason: reason.to_owned(), needs_manager };
            assert_eq!(assessment, expected, "row {row}: {offer} against order {order:?} and {harm:?}");
        }
    }

    #[test]
    fn harm_value_adds_money_hours_and_a_missed_event() {
        let harm = Harm { money: Some(usd(1_000)), hours_lost: Some(8), missed_event: true };
        assert_eq!(harm_value(&standard(), &harm), Some(usd(1_000 + 8 * 25 + 200)));
        assert_eq!(harm_value(&downtime(), &hours(200)), Some(usd(30_000)));
    }

    #[test]
    fn harm_value_leaves_out_what_the_policy_cannot_count() {
        assert_eq!(harm_value(&standard(), &lost(eur(500))), None);
        assert_eq!(harm_value(&Policy { hour_value: None, ..standard() }, &hours(40)), None);
        assert_eq!(harm_value(&Policy { missed_event_value: Some(eur(200)), ..standard() }, &missed()), None);
        assert_eq!(harm_value(&standard(), &nothing()), None);
        assert_eq!(harm_value(&standard(), &lost(usd(0))), None);
        let harm = Harm { money: Some(eur(500)), hours_lost: Some(4), missed_event: false };
        assert_eq!(harm_value(&standard(), &harm), Some(usd(100)));
    }

    #[test]
    fn harm_value_is_capped_at_the_largest_amount_mend_accepts() {
        let harm = Harm {
            money: Some(Money { minor_units: MAX_MINOR_UNITS, ..usd(0) }),
            hours_lost: Some(u32::MAX),
            missed_event: true,
        };
        assert_eq!(harm_value(&standard(), &harm), Some(Money { minor_units: MAX_MINOR_UNITS, ..usd(0) }));
    }

    #[test]
    fn suggestion_states_its_basis_and_the_basis_it_beat() {
        let suggestion = suggest(&downtime(), Some(usd(2_400)), &hours(200)).unwrap();
        assert_eq!(
            suggestion,
            Suggestion {
                low: usd(3_000),
                high: usd(15_000),
                basis: "10–50% of $30,000 of reported downtime (200 hours at $150 an hour), \
                        rather than 5–20% of the $2,400 order."
                    .to_owned(),
            }
        );
    }

    #[test]
    fn suggestion_takes_the_order_when_it_gives_the_larger_range() {
        let suggestion = suggest(&standard(), Some(usd(2_400)), &lost(usd(100))).unwrap();
        assert_eq!((suggestion.low, suggestion.high), (usd(120), usd(480)));
        assert_eq!(suggestion.basis, "5–20% of the $2,400 order, rather than 10–50% of $100 of reported loss.");
    }

    #[test]
    fn suggestion_prefers_the_range_that_reaches_higher_and_the_harm_on_a_tie() {
        // The harm gives $0 to $100, the order $50 to $80: the harm reaches higher.
        let policy = Policy { harm_bp: (0, 10_000), order_value_bp: (500, 800), ..standard() };
        let suggestion = suggest(&policy, Some(usd(1_000)), &lost(usd(100))).unwrap();
        assert_eq!((suggestion.low, suggestion.high), (usd(0), usd(100)));
        // Both give $100 to $500.
        let policy = Policy { order_value_bp: (400, 2000), ..standard() };
        let suggestion = suggest(&policy, Some(usd(2_500)), &lost(usd(1_000))).unwrap();
        assert_eq!(suggestion.basis, "10–50% of $1,000 of reported loss, rather than 4–20% of the $2,500 order.");
    }

    #[test]
    fn suggestion_says_what_it_left_out_and_why() {
        let harm = Harm { money: Some(eur(500)), hours_lost: Some(1), missed_event: true };
        let policy = Policy { missed_event_value: None, ..standard() };
        let suggestion = suggest(&policy, Some(usd(2_400)), &harm).unwrap();
        assert_eq!(
            suggestion.basis,
            "5–20% of the $2,400 order, rather than 10–50% of $25 of reported downtime (1 hour at $25 an hour). \
             Not counted: €500 lost (in EUR, not USD); a missed event (the policy sets no value for one)."
        );
    }

    #[test]
    fn suggestion_details_a_mixed_harm() {
        let harm = Harm { money: Some(usd(1_000)), hours_lost: Some(1_200), missed_event: true };
        let suggestion = suggest(&standard(), None, &harm).unwrap();
        assert_eq!(
            suggestion.basis,
            "10–50% of $31,200 of reported loss, downtime and a missed event \
             ($1,000 lost, 1,200 hours at $25 an hour, a missed event at $200)."
        );
    }

    #[test]
    fn suggestion_rounds_low_down_and_high_up_to_whole_major_units() {
        // 5% of $37 is $1.85, 20% is $7.40.
        let suggestion = suggest(&standard(), Some(usd(37)), &nothing()).unwrap();
        assert_eq!((suggestion.low, suggestion.high), (usd(1), usd(8)));
        // 5% of $2,400.50 is $120.025, 20% is $480.10.
        let order = Money { minor_units: 240_050, ..usd(0) };
        let suggestion = suggest(&standard(), Some(order), &nothing()).unwrap();
        assert_eq!((suggestion.low, suggestion.high), (usd(120), usd(481)));
        assert_eq!(suggestion.basis, "5–20% of the $2,400.50 order.");
    }

    #[test]
    fn suggestion_never_rounds_a_positive_low_end_to_nothing() {
        // 5% of $12 is $0.60, 20% is $2.40.
        let suggestion = suggest(&standard(), Some(usd(12)), &nothing()).unwrap();
        assert_eq!((suggestion.low, suggestion.high), (usd(1), usd(3)));
    }

    #[test]
    fn suggestion_rounds_to_whole_units_of_each_currency() {
        let yen = suggest(&Policy::standard(currency("JPY")), Some(money("JPY", 10_001)), &nothing()).unwrap();
        assert_eq!((yen.low, yen.high), (money("JPY", 500), money("JPY", 2_001)));
        let dinar = suggest(&Policy::standard(currency("KWD")), Some(money("KWD", 1_000)), &nothing()).unwrap();
        assert_eq!((dinar.low, dinar.high), (money("KWD", 50), money("KWD", 200)));
    }

    #[test]
    fn suggestion_prints_fractional_and_single_percentages() {
        let policy = Policy { order_value_bp: (1250, 1250), harm_bp: (5, 2550), ..standard() };
        let order = suggest(&policy, Some(usd(1_000)), &nothing()).unwrap();
        assert_eq!(order.basis, "12.5% of the $1,000 order.");
        let harm = suggest(&policy, None, &lost(usd(1_000))).unwrap();
        assert_eq!(harm.basis, "0.05–25.5% of $1,000 of reported loss.");
        assert_eq!((harm.low, harm.high), (usd(1), usd(255)));
    }

    #[test]
    fn suggestion_reads_a_backwards_range_the_right_way_round() {
        let policy = Policy { order_value_bp: (2000, 500), ..standard() };
        let suggestion = suggest(&policy, Some(usd(2_400)), &nothing()).unwrap();
        assert_eq!((suggestion.low, suggestion.high), (usd(120), usd(480)));
        assert_eq!(suggestion.basis, "5–20% of the $2,400 order.");
    }

    #[test]
    fn no_suggestion_without_a_basis() {
        assert_eq!(suggest(&standard(), None, &nothing()), None);
        assert_eq!(suggest(&standard(), Some(eur(2_400)), &lost(eur(500))), None);
        assert_eq!(suggest(&standard(), Some(usd(0)), &hours(0)), None);
    }

    #[test]
    fn harm_check_refuses_absurd_hours_and_amounts() {
        assert_eq!(hours(MAX_HOURS_LOST).check(), Ok(()));
        let err = hours(MAX_HOURS_LOST + 1).check().unwrap_err();
        assert_eq!(err.field, Field::HoursLost);
        assert_eq!(err.to_string(), "The time lost must be no more than 10,000 hours.");
        let negative = lost(Money { minor_units: -1, ..usd(0) }).check().unwrap_err();
        assert_eq!(negative.field, Field::Amount);
    }

    #[test]
    fn standard_policy_passes_its_own_check() {
        let policy = standard();
        assert_eq!(policy.check(), Ok(()));
        assert_eq!((policy.order_value_bp, policy.harm_bp), ((500, 2000), (1000, 5000)));
        assert_eq!(
            (policy.hour_value, policy.missed_event_value, policy.rep_cap),
            (Some(usd(25)), Some(usd(200)), usd(250))
        );
        assert_eq!(Policy::standard(currency("JPY")).rep_cap, money("JPY", 250));
    }

    #[test]
    fn policy_check_refuses_backwards_ranges_and_foreign_amounts() {
        let backwards = Policy { harm_bp: (5000, 1000), ..standard() }.check().unwrap_err();
        assert_eq!(backwards.field, Field::Amount);
        let foreign = Policy { rep_cap: eur(250), ..standard() }.check().unwrap_err();
        assert_eq!(foreign.to_string(), "The currency must be the policy's own currency for every amount.");
        let absurd = Policy { hour_value: Some(Money { minor_units: -5, ..usd(0) }), ..standard() };
        assert_eq!(absurd.check().unwrap_err().field, Field::Amount);
    }

    #[test]
    fn wire_names_are_snake_case() {
        assert_eq!(serde_json::to_string(&MakeGoodKind::GiftCard).unwrap(), r#""gift_card""#);
        assert_eq!(serde_json::to_string(&Verdict::OtherCurrency).unwrap(), r#""other_currency""#);
        let harm = Harm { money: Some(usd(15)), hours_lost: Some(3), missed_event: true };
        assert_eq!(
            serde_json::to_string(&harm).unwrap(),
            r#"{"money":{"currency":"USD","minor_units":1500},"hours_lost":3,"missed_event":true}"#
        );
        let policy = standard();
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    }

    fn any_currency() -> impl Strategy<Value = Currency> {
        prop_oneof![Just("USD"), Just("EUR"), Just("JPY"), Just("KWD")].prop_map(currency)
    }

    fn amount_in(currency: Currency) -> impl Strategy<Value = Money> {
        (0..=MAX_MINOR_UNITS).prop_map(move |minor_units| Money { currency, minor_units })
    }

    fn any_amount() -> impl Strategy<Value = Money> {
        (any_currency(), 0..=MAX_MINOR_UNITS).prop_map(|(currency, minor_units)| Money { currency, minor_units })
    }

    fn any_policy() -> impl Strategy<Value = Policy> {
        (
            any_currency(),
            any::<(u32, u32)>(),
            any::<(u32, u32)>(),
            proptest::option::of(any_amount()),
            proptest::option::of(any_amount()),
            any_amount(),
        )
            .prop_map(|(currency, order_value_bp, harm_bp, hour_value, missed_event_value, rep_cap)| Policy {
                currency,
                order_value_bp,
                harm_bp,
                hour_value,
                missed_event_value,
                rep_cap,
            })
    }

    /// A realistic policy in the currency of its amounts, so suggestions exist.
    fn sane_policy() -> impl Strategy<Value = Policy> {
        (any_currency(), 0..=20_000_u32, 0..=20_000_u32, 0..=20_000_u32, 0..=20_000_u32).prop_flat_map(
            |(currency, a, b, c, d)| {
                (
                    proptest::option::of(amount_in(currency)),
                    proptest::option::of(amount_in(currency)),
                    amount_in(currency),
                )
                    .prop_map(move |(hour_value, missed_event_value, rep_cap)| Policy {
                        currency,
                        order_value_bp: (a.min(b), a.max(b)),
                        harm_bp: (c.min(d), c.max(d)),
                        hour_value,
                        missed_event_value,
                        rep_cap,
                    })
            },
        )
    }

    fn any_harm() -> impl Strategy<Value = Harm> {
        (proptest::option::of(any_amount()), proptest::option::of(any::<u32>()), any::<bool>())
            .prop_map(|(money, hours_lost, missed_event)| Harm { money, hours_lost, missed_event })
    }

    proptest! {
        #[test]
        fn suggested_low_is_never_above_high(
            policy in any_policy(), order in proptest::option::of(any_amount()), harm in any_harm(),
        ) {
            if let Some(suggestion) = suggest(&policy, order, &harm) {
                prop_assert!(suggestion.low.minor_units <= suggestion.high.minor_units, "{suggestion:?}");
                prop_assert!(suggestion.high.minor_units <= MAX_MINOR_UNITS);
                prop_assert_eq!(suggestion.low.currency, policy.currency);
            }
        }

        #[test]
        fn offers_at_either_end_of_the_suggestion_are_within_range(
            policy in sane_policy(), order in 0..=MAX_MINOR_UNITS, harm in any_harm(),
        ) {
            let order = Some(Money { currency: policy.currency, minor_units: order });
            if let Some(suggestion) = suggest(&policy, order, &harm) {
                for offer in [suggestion.low, suggestion.high] {
                    prop_assert_eq!(assess(&policy, order, &harm, offer).verdict, Verdict::WithinRange);
                }
            }
        }

        #[test]
        fn verdict_is_monotone_in_the_offer(
            policy in sane_policy(), order in 0..=MAX_MINOR_UNITS, harm in any_harm(), offer in 0..=MAX_MINOR_UNITS,
        ) {
            let order = Some(Money { currency: policy.currency, minor_units: order });
            let offered = |minor_units| Money { currency: policy.currency, minor_units };
            let at = |minor_units| assess(&policy, order, &harm, offered(minor_units)).verdict;
            match at(offer) {
                Verdict::TooHigh => prop_assert_eq!(at(offer + 1), Verdict::TooHigh),
                Verdict::TooLow => prop_assert_eq!(at(offer - 1), Verdict::TooLow),
                _ => {}
            }
        }

        #[test]
        fn verdict_matches_the_suggestion(
            policy in sane_policy(), order in proptest::option::of(any_amount()), harm in any_harm(),
            offer in 0..=MAX_MINOR_UNITS,
        ) {
            let offer = Money { currency: policy.currency, minor_units: offer };
            let assessment = assess(&policy, order, &harm, offer);
            let expected = match suggest(&policy, order, &harm) {
                None => Verdict::NoBasis,
                Some(s) if offer.minor_units < s.low.minor_units => Verdict::TooLow,
                Some(s) if offer.minor_units > s.high.minor_units => Verdict::TooHigh,
                Some(_) => Verdict::WithinRange,
            };
            prop_assert_eq!(assessment.verdict, expected);
            prop_assert_eq!(assessment.needs_manager, offer.minor_units > policy.rep_cap.minor_units);
        }

        #[test]
        fn assessing_any_amounts_never_panics(
            policy in any_policy(), order in proptest::option::of(any_amount()), harm in any_harm(),
            offer in any_amount(),
        ) {
            let assessment = assess(&policy, order, &harm, offer);
            prop_assert!(!assessment.reason.is_empty());
            let _ = harm_value(&policy, &harm);
        }
    }
}
