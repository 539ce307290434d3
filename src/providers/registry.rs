//! Builds a provider adapter from a profile and its secrets, and says what it can do.

use std::sync::Arc;

use reqwest::Url;

use super::http::{Timeouts, check_base_url, client};
use super::profile::{OptionSpec, Profile, ProfileSettings, ProviderKind};
use super::{
    BalanceRead, ChildTransfer, OperatorList, Probe, ProviderError, Statement, SubAccountCreate,
    SubAccountCredit, SubAccountDelete, SubAccountList, TopUp, TopUpExtras, TopUpStatus, marketext,
    qvatel, rechargekit, sabapayamak, smspartner,
};
use crate::domain::Country;
use crate::secrets::{SecretError, SecretKind, SecretStore};

/// What a profile's provider can do; the UI and CLI offer only these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub top_up: bool,
    pub top_up_status: bool,
    pub balance: bool,
    pub sub_accounts: bool,
    pub sub_account_credit: bool,
    pub sub_account_create: bool,
    pub sub_account_delete: bool,
    pub child_transfer: bool,
    pub statement: bool,
    /// Lists its operators live (RechargeKit), beside the table saldo ships.
    pub operator_list: bool,
}

/// A profile's provider, ready to use, split by capability.
#[derive(Clone, Default)]
pub struct Connector {
    pub top_up: Option<Arc<dyn TopUp>>,
    pub top_up_status: Option<Arc<dyn TopUpStatus>>,
    pub balance: Option<Arc<dyn BalanceRead>>,
    pub sub_accounts: Option<Arc<dyn SubAccountList>>,
    pub sub_account_credit: Option<Arc<dyn SubAccountCredit>>,
    pub sub_account_create: Option<Arc<dyn SubAccountCreate>>,
    pub sub_account_delete: Option<Arc<dyn SubAccountDelete>>,
    pub child_transfer: Option<Arc<dyn ChildTransfer>>,
    pub statement: Option<Arc<dyn Statement>>,
    pub operator_list: Option<Arc<dyn OperatorList>>,
    /// A call that proves the credentials without reading or moving anything (`saldo check`).
    pub probe: Option<Arc<dyn Probe>>,
}

impl Connector {
    /// What this connector offers.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            top_up: self.top_up.is_some(),
            top_up_status: self.top_up_status.is_some(),
            balance: self.balance.is_some(),
            sub_accounts: self.sub_accounts.is_some(),
            sub_account_credit: self.sub_account_credit.is_some(),
            sub_account_create: self.sub_account_create.is_some(),
            sub_account_delete: self.sub_account_delete.is_some(),
            child_transfer: self.child_transfer.is_some(),
            statement: self.statement.is_some(),
            operator_list: self.operator_list.is_some(),
        }
    }
}

/// Why a profile's provider could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("profile “{profile}”: {message}")]
    Settings { profile: String, message: String },
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// What an adapter needs to build itself for a profile.
pub struct ConnectParts<'a> {
    pub profile: &'a Profile,
    pub http: reqwest::Client,
    pub base: Url,
    /// Shared, so an adapter can store renewed tokens.
    pub secrets: &'a Arc<SecretStore>,
}

/// Everything saldo knows about one provider API. Each adapter file defines its entry; adding a
/// provider adds one entry to [`PROVIDERS`] (and its [`ProviderKind`] variant).
pub struct ProviderInfo {
    pub kind: ProviderKind,
    /// The word used on the command line and in the ledger.
    pub word: &'static str,
    /// The provider's name as shops know it.
    pub display_name: &'static str,
    /// The secrets a profile with these settings needs in the keychain.
    pub secret_kinds: fn(&ProfileSettings) -> &'static [SecretKind],
    /// The country whose numbers it tops up, if it tops up phones.
    pub topup_country: Option<Country>,
    /// The documented production address.
    pub default_base_url: &'static str,
    /// Settings a new profile starts with.
    pub default_settings: fn() -> ProfileSettings,
    /// Its provider-specific settings (`saldo profile add … --set name=value`).
    pub options: &'static [OptionSpec],
    /// What it can do.
    pub capabilities: Capabilities,
    /// Builds the adapter for a profile.
    pub connect: fn(ConnectParts<'_>) -> Result<Connector, ConnectError>,
    /// The choices a top-up needs besides number and amount, as the tables saldo ships.
    pub topup_pickers: fn() -> Vec<PickList>,
    /// Which of the provider's balances saldo reads, as a message id of the window's
    /// translations (`balance-of-…`), when it reads one.
    pub balance_name: fn(&Profile) -> Option<&'static str>,
}

/// Where a top-up choice's options come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListSource {
    /// The table shipped with saldo (`assets/…`).
    Shipped,
    /// The provider's own list, fetched at this time (ms since the epoch).
    Live { fetched_at: i64 },
}

/// The options of one top-up choice: provider codes with their names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickList {
    pub field: TopUpField,
    pub entries: Vec<(u32, String)>,
    pub source: ListSource,
}

impl PickList {
    /// A shipped table.
    pub fn shipped(field: TopUpField, entries: &[(u32, &str)]) -> PickList {
        PickList {
            field,
            entries: entries
                .iter()
                .map(|(code, name)| (*code, name.to_string()))
                .collect(),
            source: ListSource::Shipped,
        }
    }

    /// The option names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|(_, n)| n.as_str()).collect()
    }

    /// Finds a code by name (case-insensitive) or by the code itself.
    pub fn resolve(&self, choice: Option<&str>) -> Result<u32, String> {
        let what = self.field.key();
        let listing = || self.names().join(", ");
        let choice = choice
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| format!("choose the {what}: {}", listing()))?;
        self.entries
            .iter()
            .find(|(code, name)| name.eq_ignore_ascii_case(choice) || code.to_string() == choice)
            .map(|(code, _)| *code)
            .ok_or_else(|| {
                format!(
                    "“{choice}” is not a known {what}: choose one of {}",
                    listing()
                )
            })
    }
}

/// Resolves the operator and circle a person chose (by name or code) against a profile's
/// lists; a provider that needs neither refuses both.
pub fn resolve_extras(
    lists: &[PickList],
    operator: Option<&str>,
    circle: Option<&str>,
) -> Result<TopUpExtras, String> {
    let mut extras = TopUpExtras::default();
    for (field, choice) in [
        (TopUpField::Operator, operator),
        (TopUpField::Circle, circle),
    ] {
        match lists.iter().find(|l| l.field == field) {
            Some(list) => {
                let code = Some(list.resolve(choice)?);
                match field {
                    TopUpField::Operator => extras.operator_code = code,
                    TopUpField::Circle => extras.circle_code = code,
                }
            }
            None if choice.is_some_and(|c| !c.trim().is_empty()) => {
                return Err(format!("this provider takes no {}", field.key()));
            }
            None => {}
        }
    }
    Ok(extras)
}

/// A choice some providers need for a top-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TopUpField {
    Operator,
    Circle,
}

impl TopUpField {
    /// Every choice, in the order the counter shows them.
    pub const ALL: [TopUpField; 2] = [TopUpField::Operator, TopUpField::Circle];

    /// Its name where it is stored.
    pub fn key(self) -> &'static str {
        match self {
            TopUpField::Operator => "operator",
            TopUpField::Circle => "circle",
        }
    }

    /// Its label on the counter.
    pub fn label(self) -> &'static str {
        match self {
            TopUpField::Operator => "Operator",
            TopUpField::Circle => "Circle",
        }
    }
}

/// For providers whose top-ups need no choice besides number and amount.
pub fn no_topup_pickers() -> Vec<PickList> {
    Vec::new()
}

/// Every provider saldo speaks, in [`ProviderKind`] order.
pub static PROVIDERS: [ProviderInfo; 5] = [
    qvatel::INFO,
    smspartner::INFO,
    marketext::INFO,
    rechargekit::INFO,
    sabapayamak::INFO,
];

/// The capabilities of a provider, known without connecting.
pub fn capabilities_of(kind: ProviderKind) -> Capabilities {
    kind.info().capabilities
}

/// Builds the adapter for a profile, reading its secrets from `secrets`.
/// This may block on the keychain: call it off the UI thread.
pub fn connect(profile: &Profile, secrets: &Arc<SecretStore>) -> Result<Connector, ConnectError> {
    let base = check_base_url(&profile.base_url).map_err(|problem| ConnectError::Settings {
        profile: profile.name.clone(),
        message: problem.to_string(),
    })?;
    let timeouts = Timeouts {
        request: std::time::Duration::from_secs(profile.settings.request_timeout_secs.max(1)),
        ..Timeouts::default()
    };
    let http = client(timeouts, &base)?;
    (profile.provider.info().connect)(ConnectParts {
        profile,
        http,
        base,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::SecretStore;

    #[test]
    fn registry_entries_are_in_provider_kind_order() {
        for kind in ProviderKind::ALL {
            assert_eq!(PROVIDERS[kind as usize].kind, kind);
        }
        assert_eq!(PROVIDERS.len(), ProviderKind::ALL.len());
    }

    /// What `capabilities_of` promises must be what `connect` delivers.
    #[test]
    fn declared_capabilities_match_the_built_adapters() {
        let secrets = Arc::new(SecretStore::in_memory());
        for kind in ProviderKind::ALL {
            let mut settings = kind.default_settings();
            for secret in (kind.info().secret_kinds)(&settings) {
                secrets.set("p", *secret, "secret-value").unwrap();
            }
            for spec in kind.info().options {
                let value = spec.allowed.first().copied().unwrap_or("x");
                settings
                    .options
                    .insert(spec.name.to_string(), value.to_string());
            }
            let profile = Profile {
                id: 1,
                name: "p".into(),
                provider: kind,
                base_url: kind.default_base_url().into(),
                settings,
            };
            let connector = connect(&profile, &secrets).unwrap();
            assert_eq!(connector.capabilities(), capabilities_of(kind), "{kind:?}");
        }
    }
}
