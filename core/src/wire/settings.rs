//! A workspace: its public widget config, a new workspace, and its
//! settings as a manager reads and changes them.

use serde::{Deserialize, Serialize};

use crate::input::{Apology, Colour, CompanyName, Field, InputError, Locale, WorkspaceId};
use crate::money::Currency;
use crate::whole;
use crate::workspace::{self, Settings, VoiceTerm};

use super::IdentityKeyInfo;

/// The answer to `GET /v1/workspaces/{ws}/widget-config`: what the widget
/// shows before anyone reports anything. Public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetConfig {
    /// The workspace's id.
    pub workspace: WorkspaceId,
    /// The company's name.
    pub name: String,
    /// The brand colour, `#rrggbb`.
    pub colour: String,
    /// The colour of text on the brand colour, chosen for contrast
    /// ([`Colour::text_colour`](crate::input::Colour::text_colour)).
    pub on_colour: String,
    /// The apology a customer reads first after reporting.
    pub apology: String,
    /// The widget's language (`en`, `de`).
    pub locale: String,
    /// The workspace's currency, for what a problem cost the customer.
    pub currency: Currency,
}

impl WidgetConfig {
    /// The public part of `settings`.
    pub fn new(workspace: WorkspaceId, settings: &Settings) -> Self {
        Self {
            workspace,
            name: settings.name.to_string(),
            colour: settings.colour.to_string(),
            on_colour: settings.colour.text_colour().to_owned(),
            apology: settings.apology.to_string(),
            locale: settings.locale.to_string(),
            currency: settings.currency(),
        }
    }
}

/// The body of `POST /v1/workspaces` (admin only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWorkspaceRequest {
    /// `id`: the new workspace's id, as in [`WorkspaceId`].
    #[serde(default)]
    pub id: String,
    /// `name`: the company's name, 1 to 100 characters.
    #[serde(default)]
    pub name: String,
    /// `apology`: a sincere apology, at most 1000 characters.
    #[serde(default)]
    pub apology: String,
    /// `colour`: `#rrggbb`; default [`DEFAULT_COLOUR`](workspace::DEFAULT_COLOUR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// `locale`: `en`, `de`, `pt-BR`…; default `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `currency`: the workspace's currency, fixed at creation; default `USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `origins`: sites that may embed the widget; default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<String>,
}

impl NewWorkspaceRequest {
    /// The new workspace's id and settings, or the first field at fault.
    pub fn parse(&self) -> Result<(WorkspaceId, Settings), InputError> {
        let id = WorkspaceId::parse(&self.id).map_err(|err| InputError::new(Field::NewWorkspace, err.problem))?;
        let currency = Currency::parse(self.currency.as_deref().unwrap_or("USD"), Field::Currency)?;
        let settings = Settings::new(CompanyName::parse(&self.name)?, Apology::parse(&self.apology)?, currency);
        let patch = SettingsPatch {
            colour: self.colour.clone(),
            locale: self.locale.clone(),
            origins: Some(self.origins.clone()),
            ..SettingsPatch::default()
        };
        Ok((id, patch.apply(settings)?))
    }
}

/// The body of `PATCH /v1/workspaces/{ws}`: the settings to change; absent
/// ones stay. An unknown key is refused, so a typo never passes silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// `name`: the company's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `apology`: the apology customers read first; must be sincere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apology: Option<String>,
    /// `colour`: `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// `locale`: the widget's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `origins`: the whole new list of allowed origins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    /// `make_good_policy`: the whole new policy, in the workspace's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make_good_policy: Option<crate::make_good::Policy>,
    /// `rep_names`: whether company events show the rep's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep_names: Option<bool>,
    /// `voice_terms`: the whole new list of the workspace's one-voice terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_terms: Option<Vec<VoiceTerm>>,
    /// `record_public`: whether the recovery record is published at `/r/{workspace}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_public: Option<bool>,
    /// `opening_hours`: the whole new opening hours and first-answer target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<crate::hours::Hours>,
    /// `follow_up_days`: how many days after "solved" Mend asks whether
    /// the fix held, 1 to 30.
    #[serde(default, deserialize_with = "whole::optional", skip_serializing_if = "Option::is_none")]
    pub follow_up_days: Option<i64>,
}

impl SettingsPatch {
    /// `settings` with this patch applied, or the first field at fault.
    pub fn apply(&self, mut settings: Settings) -> Result<Settings, InputError> {
        if let Some(name) = &self.name {
            settings.name = CompanyName::parse(name)?;
        }
        if let Some(apology) = &self.apology {
            settings.apology = Apology::parse(apology)?;
        }
        if let Some(colour) = &self.colour {
            settings.colour = Colour::parse(colour)?;
        }
        if let Some(locale) = &self.locale {
            settings.locale = Locale::parse(locale)?;
        }
        if let Some(origins) = &self.origins {
            settings.origins = workspace::origins(origins)?;
        }
        if let Some(policy) = &self.make_good_policy {
            settings.set_policy(policy.clone())?;
        }
        if let Some(rep_names) = self.rep_names {
            settings.rep_names = rep_names;
        }
        if let Some(terms) = &self.voice_terms {
            settings.voice_terms = workspace::voice_terms(terms)?;
        }
        if let Some(record_public) = self.record_public {
            settings.record_public = record_public;
        }
        if let Some(hours) = &self.opening_hours {
            settings.set_hours(hours.clone())?;
        }
        if let Some(days) = self.follow_up_days {
            settings.set_follow_up_days(days)?;
        }
        Ok(settings)
    }
}

/// A workspace's settings as its managers and Mend's admin see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceView {
    /// The workspace's id.
    pub id: WorkspaceId,
    /// The company's name.
    pub name: String,
    /// The apology customers read first.
    pub apology: String,
    /// The brand colour.
    pub colour: String,
    /// The widget's language.
    pub locale: String,
    /// The workspace's currency.
    pub currency: Currency,
    /// The sites that may embed the widget.
    pub origins: Vec<String>,
    /// The make-good policy.
    pub make_good_policy: crate::make_good::Policy,
    /// Whether company events show the rep's first name.
    pub rep_names: bool,
    /// The workspace's own one-voice terms.
    pub voice_terms: Vec<VoiceTerm>,
    /// Whether the recovery record is published at `/r/{workspace}`.
    pub record_public: bool,
    /// The opening hours and first-answer target.
    pub opening_hours: crate::hours::Hours,
    /// How many days after "solved" Mend asks whether the fix held.
    pub follow_up_days: u8,
    /// The identity keys in force, oldest first.
    pub identity_keys: Vec<IdentityKeyInfo>,
}

impl WorkspaceView {
    /// The view of workspace `id` with `settings` and `identity_keys`.
    pub fn new(id: WorkspaceId, settings: &Settings, identity_keys: Vec<IdentityKeyInfo>) -> Self {
        Self {
            id,
            name: settings.name.to_string(),
            apology: settings.apology.to_string(),
            colour: settings.colour.to_string(),
            locale: settings.locale.to_string(),
            currency: settings.currency(),
            origins: settings.origins.iter().map(ToString::to_string).collect(),
            make_good_policy: settings.policy.clone(),
            rep_names: settings.rep_names,
            voice_terms: settings.voice_terms.clone(),
            record_public: settings.record_public,
            follow_up_days: settings.follow_up_days,
            opening_hours: settings.hours.clone(),
            identity_keys,
        }
    }
}
