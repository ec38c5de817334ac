//! The console's session: who is signed in, as what, in which workspace.

use serde::{Deserialize, Serialize};

use crate::input::WorkspaceId;
use crate::make_good::Policy;
use crate::money::Currency;
use crate::ticket::Colleague;
use crate::workspace::{Role, Settings, VoiceTerm};

/// The answer to `GET` and `POST /v1/session`: who is signed in, and what
/// the console needs of their workspace to suggest make-goods and review
/// replies as Mend will.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// The key's workspace.
    pub workspace: WorkspaceId,
    /// The key's role.
    pub role: Role,
    /// The key's label: whose key it is.
    pub label: String,
    /// The company's name.
    pub company: String,
    /// The workspace's currency.
    pub currency: Currency,
    /// The make-good policy, for `make_good::suggest` and `assess`.
    pub make_good_policy: Policy,
    /// The workspace's own one-voice terms, for `voice::Reviewer::with_terms`.
    pub voice_terms: Vec<VoiceTerm>,
    /// Whether company events show the rep's first name.
    pub rep_names: bool,
    /// Whether the recovery record is published at `/r/{workspace}`.
    pub record_public: bool,
    /// The key's id: who "mine" is in the queue, and who gives commands.
    pub key_id: String,
    /// Everyone whose key is in force in the workspace, the signed-in
    /// colleague too, oldest key first: whom a ticket may be handed to.
    pub colleagues: Vec<Colleague>,
    /// The workspace's IANA time zone, its opening hours': the month a
    /// published change is dated in ([`crate::changes::month_of`]).
    pub time_zone: String,
}

impl SessionView {
    /// The session of the key `key_id` of `role` labelled `label`, in
    /// workspace `workspace` with `settings`, among `colleagues`.
    pub fn new(
        workspace: WorkspaceId,
        role: Role,
        (key_id, label): (String, String),
        colleagues: Vec<Colleague>,
        settings: &Settings,
    ) -> Self {
        Self {
            workspace,
            role,
            label,
            key_id,
            colleagues,
            time_zone: settings.hours.time_zone.clone(),
            company: settings.name.to_string(),
            currency: settings.currency(),
            make_good_policy: settings.policy.clone(),
            voice_terms: settings.voice_terms.clone(),
            rep_names: settings.rep_names,
            record_public: settings.record_public,
        }
    }
}
