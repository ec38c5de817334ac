//! A company's workspace: what its customers see (name, apology, colour,
//! language), which sites may embed the widget, its make-good policy, and
//! the roles of the keys its people hold. Settings are parsed and checked
//! here, so the admin API and the console refuse exactly the same things.

use serde::{Deserialize, Serialize};

use crate::input::{Apology, Colour, CompanyName, Field, InputError, Locale, Origin, Problem};
use crate::make_good::Policy;
use crate::money::Currency;
use crate::ticket::Actor;

/// The most origins a workspace may list.
pub const MAX_ORIGINS: usize = 20;
/// The brand colour a new workspace starts with.
pub const DEFAULT_COLOUR: &str = "#1f6feb";
/// The language a new workspace starts with.
pub const DEFAULT_LOCALE: &str = "en";

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
}

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
        }
    }

    /// The workspace's currency: every amount in its policy and offers.
    pub fn currency(&self) -> Currency {
        self.policy.currency
    }

    /// Whether the browser origin `origin` (an `Origin` header) is one of this workspace's sites.
    pub fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|allowed| allowed.as_str() == origin)
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
}
