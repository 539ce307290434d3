//! Builds a provider adapter from a profile and its secrets, and says what it can do.

use std::sync::Arc;

use super::http::{Timeouts, check_base_url, client};
use super::profile::{Profile, ProviderKind};
use super::{
    BalanceRead, ProviderError, SubAccountCreate, SubAccountCredit, SubAccountList, TopUp,
    TopUpStatus, qvatel, smspartner,
};
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

/// The capabilities of a provider, known without connecting.
pub fn capabilities_of(kind: ProviderKind) -> Capabilities {
    match kind {
        ProviderKind::Qvatel => Capabilities {
            top_up: true,
            top_up_status: true,
            balance: true,
            ..Capabilities::default()
        },
        ProviderKind::Smspartner => Capabilities {
            balance: true,
            sub_accounts: true,
            sub_account_credit: true,
            sub_account_create: true,
            ..Capabilities::default()
        },
    }
}

/// Builds the adapter for a profile, reading its secrets from `secrets`.
/// This may block on the keychain: call it off the UI thread.
pub fn connect(profile: &Profile, secrets: &SecretStore) -> Result<Connector, ConnectError> {
    let base_url = check_base_url(&profile.base_url).map_err(|message| ConnectError::Settings {
        profile: profile.name.clone(),
        message,
    })?;
    let timeouts = Timeouts {
        request: std::time::Duration::from_secs(profile.settings.request_timeout_secs.max(1)),
        ..Timeouts::default()
    };
    let http = client(timeouts, &base_url)?;
    match profile.provider {
        ProviderKind::Qvatel => {
            let token = secrets.get(&profile.name, SecretKind::ApiToken)?;
            let adapter = Arc::new(qvatel::QvaTel::new(
                http,
                base_url,
                token,
                profile.settings.unit,
            ));
            Ok(Connector {
                top_up: Some(adapter.clone()),
                top_up_status: Some(adapter.clone()),
                balance: Some(adapter),
                ..Connector::default()
            })
        }
        ProviderKind::Smspartner => {
            let key = secrets.get(&profile.name, SecretKind::ApiKey)?;
            let adapter = Arc::new(smspartner::SmsPartner::new(
                http,
                base_url,
                key,
                profile.settings.unit,
            ));
            Ok(Connector {
                balance: Some(adapter.clone()),
                sub_accounts: Some(adapter.clone()),
                sub_account_credit: Some(adapter.clone()),
                sub_account_create: Some(adapter),
                ..Connector::default()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::SecretStore;

    /// What `capabilities_of` promises must be what `connect` delivers.
    #[test]
    fn declared_capabilities_match_the_built_adapters() {
        let secrets = SecretStore::in_memory();
        for kind in ProviderKind::ALL {
            for secret in kind.secret_kinds() {
                secrets.set("p", *secret, "secret-value").unwrap();
            }
            let profile = Profile {
                id: 1,
                name: "p".into(),
                provider: kind,
                base_url: kind.default_base_url().into(),
                settings: kind.default_settings(),
            };
            let connector = connect(&profile, &secrets).unwrap();
            assert_eq!(connector.capabilities(), capabilities_of(kind), "{kind:?}");
        }
    }
}
