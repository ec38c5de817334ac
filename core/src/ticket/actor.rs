//! Who gives a command: the customer, a rep, a manager or Mend itself,
//! and the colleague behind a rep's or manager's key.

use serde::{Deserialize, Serialize};

use crate::input::{FirstName, KeyLabel};

/// Who gives a command. The worker decides who someone is (token, key);
/// the core decides what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The holder of the ticket's customer token.
    Customer,
    /// A company rep, speaking for the company.
    Rep,
    /// A rep with the manager role.
    Manager,
    /// Mend itself, acting on timers.
    System,
}

impl Actor {
    /// Whether this actor speaks for the company.
    pub fn is_company(self) -> bool {
        matches!(self, Actor::Rep | Actor::Manager)
    }
}

/// A rep or manager as a ticket's log names them: the person behind a
/// workspace key. The worker says who they are; the core only compares
/// them, by key.
///
/// The company sees every field. What the customer sees of a colleague
/// ([`Colleague::for_customer`]) is their first name, and only where the
/// workspace signs with its people's first names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    /// The public id of their key; the company's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Whose key it is ("Ana, support"); the company's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<KeyLabel>,
    /// The first name they sign with, where the workspace signs with names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<FirstName>,
}

impl Colleague {
    /// The holder of the key `key_id` labelled `label`, signing with the
    /// label's first name where the workspace `signs_with_names`.
    pub fn new(key_id: &str, label: KeyLabel, signs_with_names: bool) -> Self {
        let first_name = label.first_name().filter(|_| signs_with_names);
        Colleague { key_id: Some(key_id.to_owned()), label: Some(label), first_name }
    }

    /// Whether `self` and `other` are the same person: the same key.
    pub fn is(&self, other: &Colleague) -> bool {
        self.key_id.is_some() && self.key_id == other.key_id
    }

    /// What the customer may know of this colleague: their first name, if
    /// the workspace signs with names.
    pub fn for_customer(&self) -> Colleague {
        Colleague { key_id: None, label: None, first_name: self.first_name.clone() }
    }
}
