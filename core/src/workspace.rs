//! A company's workspace: what its customers see (name, apology, colour,
//! language), which sites may embed the widget, its make-good policy, and
//! the roles of the keys its people hold. Settings are parsed and checked
//! here, so the admin API and the console refuse exactly the same things.
//! A workspace also adds its own one-voice terms ([`VoiceTerm`]), which the
//! reviewer flags beside the built-in rules, and chooses whether its
//! recovery record is published.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::hours::{FirstAnswerTime, Hours};
use crate::input::{Apology, Colour, CompanyName, Field, InputError, Locale, Origin, Problem};
use crate::make_good::Policy;
use crate::money::Currency;
use crate::ticket::{Actor, DAY_MS, FOLLOW_UP_DAYS};
use crate::voice::{self, Category};

/// The most origins a workspace may list.
pub const MAX_ORIGINS: usize = 20;
/// The brand colour a new workspace starts with.
pub const DEFAULT_COLOUR: &str = "#1f6feb";
/// The language a new workspace starts with.
pub const DEFAULT_LOCALE: &str = "en";
/// The most one-voice terms a workspace may add.
pub const MAX_VOICE_TERMS: usize = 50;
/// The longest one-voice term, in characters.
pub const MAX_VOICE_TERM_CHARS: usize = 60;

/// Everything a workspace's managers can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The company's name, which signs every company event.
    pub name: CompanyName,
    /// The apology a customer reads first after reporting.
    pub apology: Apology,
    /// The widget's brand colour.
    pub colour: Colour,
    /// The widget's language.
    pub locale: Locale,
    /// The sites that may embed the widget and call the API from a browser.
    pub origins: Vec<Origin>,
    /// The make-good policy; its currency is the workspace's currency.
    pub policy: Policy,
    /// Whether company events show the first name of the rep who wrote
    /// them ("Acme Furniture · Ana"). Off by default: one company voice.
    pub rep_names: bool,
    /// The workspace's own one-voice terms, flagged beside the built-in rules.
    #[serde(default)]
    pub voice_terms: Vec<VoiceTerm>,
    /// Whether the recovery record is published as a public scorecard at
    /// `/r/{workspace}`. Off by default: a company chooses to publish.
    #[serde(default)]
    pub record_public: bool,
    /// When the company answers: opening hours, closed dates and the
    /// first-answer target. Checked when set ([`Hours::schedule`]).
    #[serde(default)]
    pub hours: Hours,
    /// How many days after a customer confirms a problem solved Mend asks
    /// them whether the fix held: 1 to 30, [`FOLLOW_UP_DAYS`] unless set.
    #[serde(default = "follow_up_days")]
    pub follow_up_days: u8,
}

fn follow_up_days() -> u8 {
    FOLLOW_UP_DAYS
}

/// The fewest and most days a workspace may wait before its follow-up.
pub const FOLLOW_UP_RANGE: std::ops::RangeInclusive<i64> = 1..=30;

impl Settings {
    /// A new workspace's settings: the default colour and language, no
    /// origins yet, and the standard make-good policy in `currency`.
    pub fn new(name: CompanyName, apology: Apology, currency: Currency) -> Self {
        Self {
            name,
            apology,
            colour: Colour::parse(DEFAULT_COLOUR).expect("the default colour is valid"),
            locale: Locale::parse(DEFAULT_LOCALE).expect("the default locale is valid"),
            origins: Vec::new(),
            policy: Policy::standard(currency),
            rep_names: false,
            voice_terms: Vec::new(),
            record_public: false,
            hours: Hours::default(),
            follow_up_days: FOLLOW_UP_DAYS,
        }
    }

    /// How long after "solved" Mend asks whether the fix held.
    pub fn follow_up_after_ms(&self) -> i64 {
        i64::from(self.follow_up_days) * DAY_MS
    }

    /// Sets the days before the follow-up, within [`FOLLOW_UP_RANGE`].
    pub fn set_follow_up_days(&mut self, days: i64) -> Result<(), InputError> {
        if !FOLLOW_UP_RANGE.contains(&days) {
            let expected = "a whole number of days from 1 to 30";
            return Err(InputError::new(Field::FollowUpDays, Problem::Malformed { expected }));
        }
        self.follow_up_days = days as u8;
        Ok(())
    }

    /// The one-voice reviewer with this workspace's own terms.
    pub fn reviewer(&self) -> voice::Reviewer {
        voice::Reviewer::new().with_terms(self.voice_terms.iter().map(|term| (term.category, term.term.clone())))
    }

    /// The workspace's currency: every amount in its policy and offers.
    pub fn currency(&self) -> Currency {
        self.policy.currency
    }

    /// Whether the browser origin `origin` (an `Origin` header) is one of this workspace's sites.
    pub fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|allowed| allowed.as_str() == origin)
    }

    /// When the company's first answer to a report made at `now` is due,
    /// by its opening hours, and when it opens if closed then; `None` only
    /// if hours kept from before they were checked no longer pass, or
    /// closed dates leave no time for years.
    pub fn first_answer(&self, now: Timestamp) -> Option<FirstAnswerTime> {
        self.hours.schedule().ok()?.first_answer(now)
    }

    /// Replaces the opening hours, which must be valid.
    pub fn set_hours(&mut self, hours: Hours) -> Result<(), InputError> {
        hours.schedule()?;
        self.hours = hours;
        Ok(())
    }

    /// Replaces the make-good policy, which must be valid and in the workspace's currency.
    pub fn set_policy(&mut self, policy: Policy) -> Result<(), InputError> {
        if policy.currency != self.currency() {
            return Err(InputError::new(
                Field::Policy,
                Problem::Malformed { expected: "in the workspace's own currency" },
            ));
        }
        policy.check()?;
        self.policy = policy;
        Ok(())
    }
}

/// Parses a list of origins: each valid, none twice, at most [`MAX_ORIGINS`],
/// sorted, so a workspace's list reads the same however it was given.
pub fn origins(raw: &[String]) -> Result<Vec<Origin>, InputError> {
    if raw.len() > MAX_ORIGINS {
        return Err(InputError::new(Field::Origins, Problem::Malformed { expected: "a list of at most 20 origins" }));
    }
    let mut origins: Vec<Origin> = Vec::with_capacity(raw.len());
    for origin in raw.iter().map(|raw| Origin::parse(raw)) {
        let origin = origin?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    origins.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(origins)
}

/// A phrase a workspace wants flagged in its reps' replies, such as the
/// name of its carrier, and why it breaks the one voice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceTerm {
    /// The rule the term breaks; its advice is shown with every finding.
    pub category: Category,
    /// The phrase, matched as whole words whatever its case.
    pub term: String,
}

/// Parses a workspace's one-voice terms: each trimmed, 1 to
/// [`MAX_VOICE_TERM_CHARS`] characters without control characters and with
/// at least one letter or digit, none twice (whatever its case), at most
/// [`MAX_VOICE_TERMS`].
pub fn voice_terms(raw: &[VoiceTerm]) -> Result<Vec<VoiceTerm>, InputError> {
    let refused = |expected| InputError::new(Field::VoiceTerms, Problem::Malformed { expected });
    if raw.len() > MAX_VOICE_TERMS {
        return Err(refused("a list of at most 50 terms"));
    }
    let mut terms: Vec<VoiceTerm> = Vec::with_capacity(raw.len());
    for VoiceTerm { category, term } in raw {
        let term = term.trim();
        if term.is_empty() {
            return Err(refused("a list of terms none of which is blank"));
        }
        if term.chars().count() > MAX_VOICE_TERM_CHARS {
            return Err(refused("a list of terms of at most 60 characters each"));
        }
        if term.chars().any(char::is_control) {
            return Err(InputError::new(Field::VoiceTerms, Problem::ControlCharacters));
        }
        if !term.chars().any(char::is_alphanumeric) {
            return Err(refused("a list of terms that each hold a letter or a digit"));
        }
        let seen = terms.iter().any(|kept| kept.term.to_lowercase() == term.to_lowercase());
        if !seen {
            terms.push(VoiceTerm { category: *category, term: term.to_owned() });
        }
    }
    Ok(terms)
}

/// What a workspace key lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// `rep`: works tickets.
    Rep,
    /// `manager`: works tickets, approves make-goods above the cap, and
    /// manages the workspace's settings and keys.
    Manager,
}

impl Role {
    /// The actor a key of this role speaks as on a ticket.
    pub fn actor(self) -> Actor {
        match self {
            Role::Rep => Actor::Rep,
            Role::Manager => Actor::Manager,
        }
    }

    /// The wire name (`rep`, `manager`), as stored beside the key.
    pub fn key(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    fn acme() -> Settings {
        let name = CompanyName::parse("Acme Furniture").unwrap();
        let apology = Apology::parse("We're sorry: we let you down.").unwrap();
        Settings::new(name, apology, Currency::parse("USD", Field::Currency).unwrap())
    }

    #[test]
    fn origins_are_checked_deduplicated_and_bounded() {
        let list = origins(&["https://a.example".into(), "https://A.example".into(), "http://b.example:81".into()]);
        let list: Vec<String> = list.unwrap().into_iter().map(String::from).collect();
        assert_eq!(list, ["http://b.example:81", "https://a.example"]);
        assert_eq!(origins(&["https://a.example/".into()]).unwrap_err().field, Field::Origins);
        let many: Vec<String> = (0..=MAX_ORIGINS).map(|i| format!("https://s{i}.example")).collect();
        assert_eq!(origins(&many).unwrap_err().field, Field::Origins);
    }

    #[test]
    fn a_workspace_allows_only_its_own_origins() {
        let mut settings = acme();
        settings.origins = origins(&["https://shop.example".into()]).unwrap();
        assert!(settings.allows("https://shop.example"));
        assert!(!settings.allows("https://shop.example.evil"));
        assert!(!settings.allows("http://shop.example"));
    }

    #[test]
    fn a_policy_must_be_valid_and_in_the_workspace_currency() {
        let mut settings = acme();
        let mut euros = Policy::standard(Currency::parse("EUR", Field::Currency).unwrap());
        assert_eq!(settings.set_policy(euros.clone()).unwrap_err().field, Field::Policy);
        euros.currency = settings.currency();
        euros.rep_cap = Money::new(settings.currency(), 10_000, Field::Amount).unwrap();
        euros.hour_value = None;
        euros.missed_event_value = None;
        settings.set_policy(euros.clone()).unwrap();
        assert_eq!(settings.policy, euros);
    }

    fn term(category: Category, term: &str) -> VoiceTerm {
        VoiceTerm { category, term: term.to_owned() }
    }

    #[test]
    fn voice_terms_are_trimmed_and_kept_once() {
        let parsed = voice_terms(&[
            term(Category::BlamesOthers, "  DHL "),
            term(Category::HidesBehindPolicy, "head office rules"),
            term(Category::Minimises, "dhl"),
        ])
        .unwrap();
        assert_eq!(
            parsed,
            [term(Category::BlamesOthers, "DHL"), term(Category::HidesBehindPolicy, "head office rules")]
        );
        assert_eq!(voice_terms(&[]).unwrap(), []);
    }

    #[test]
    fn a_voice_term_must_be_one_to_sixty_characters_of_words() {
        let refused = |raw: &str| voice_terms(&[term(Category::BlamesOthers, raw)]).unwrap_err();
        assert_eq!(refused("   ").to_string(), "The one-voice terms must be a list of terms none of which is blank.");
        assert_eq!(
            refused(&"x".repeat(61)).to_string(),
            "The one-voice terms must be a list of terms of at most 60 characters each."
        );
        assert_eq!(refused("our\u{7}courier").problem, Problem::ControlCharacters);
        assert_eq!(refused("?!").field, Field::VoiceTerms);
        assert_eq!(voice_terms(&[term(Category::BlamesOthers, &"é".repeat(60))]).unwrap()[0].term.chars().count(), 60);
    }

    #[test]
    fn at_most_fifty_voice_terms() {
        let many: Vec<VoiceTerm> =
            (0..=MAX_VOICE_TERMS).map(|i| term(Category::BlamesOthers, &format!("carrier {i}"))).collect();
        assert_eq!(voice_terms(&many[..MAX_VOICE_TERMS]).unwrap().len(), MAX_VOICE_TERMS);
        let err = voice_terms(&many).unwrap_err();
        assert_eq!(err.field, Field::VoiceTerms);
        assert_eq!(err.to_string(), "The one-voice terms must be a list of at most 50 terms.");
    }

    #[test]
    fn the_reviewer_flags_the_workspace_terms() {
        let mut settings = acme();
        settings.voice_terms = voice_terms(&[term(Category::BlamesOthers, "Speedy Parcels")]).unwrap();
        let findings = settings.reviewer().review("We booked speedy parcels for Tuesday.");
        assert_eq!(findings.len(), 1);
        assert_eq!((findings[0].category, findings[0].phrase.as_str()), (Category::BlamesOthers, "speedy parcels"));
        assert!(acme().reviewer().review("We booked speedy parcels for Tuesday.").is_empty());
    }

    #[test]
    fn voice_terms_travel_with_snake_case_categories() {
        let json = serde_json::to_string(&term(Category::HidesBehindPolicy, "T&Cs")).unwrap();
        assert_eq!(json, r#"{"category":"hides_behind_policy","term":"T&Cs"}"#);
    }
}
