//! A workspace's keys: reps' and managers' API keys, and the identity
//! keys that sign its customers' identity tokens.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{Field, InputError, KeyLabel};
use crate::workspace::Role;

use super::named;

/// An identity key as listed: its id, never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityKeyInfo {
    /// The `kid` a token names to be checked with this key.
    pub kid: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// The answer to `POST /v1/workspaces/{ws}/identity-keys`: the secret,
/// shown once. The company's backend signs identity tokens with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityKeyCreated {
    /// The key's id, for the token header's `kid`.
    pub kid: String,
    /// The HMAC-SHA256 secret (its UTF-8 bytes are the key).
    pub secret: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// The body of `POST /v1/workspaces/{ws}/keys`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRequest {
    /// `role`: `rep` or `manager`.
    #[serde(default)]
    pub role: String,
    /// `label`: whose key it is, 1 to 100 characters.
    #[serde(default)]
    pub label: String,
}

impl KeyRequest {
    /// The role and label asked for, or the field at fault.
    pub fn parse(&self) -> Result<(Role, KeyLabel), InputError> {
        Ok((named(Field::Role, &self.role, "rep or manager")?, KeyLabel::parse(&self.label)?))
    }
}

/// A workspace key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// The key's id, for revoking it.
    pub id: String,
    /// What it lets its holder do.
    pub role: Role,
    /// Whose it is.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was revoked; a revoked key grants nothing.
    pub revoked_at: Option<Timestamp>,
}

/// The answer to `POST /v1/workspaces/{ws}/keys`: the key, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCreated {
    /// The key's id, for revoking it.
    pub id: String,
    /// What it lets its holder do.
    pub role: Role,
    /// Whose it is.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// Always `null` for a new key.
    pub revoked_at: Option<Timestamp>,
    /// The key (`mend_rk_…`). Mend keeps only its hash.
    pub key: String,
}

/// The answer to `GET /v1/workspaces/{ws}/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    /// Every key ever made for the workspace, revoked ones included, oldest first.
    pub keys: Vec<KeyInfo>,
}
