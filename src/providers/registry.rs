//! Builds a provider adapter from a profile and its secrets, and says what it can do.

use std::sync::Arc;

use super::http::{Timeouts, check_base_url, client};
use super::profile::{Profile, ProviderKind};
use super::{BalanceRead, ProviderError, TopUp, TopUpStatus, qvatel};
use crate::secrets::{SecretError, SecretKind, SecretStore};

/// What a profile's provider can do; the UI and CLI offer only these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub top_up: bool,
    pub top_up_status: bool,
    pub balance: bool,
}

/// A profile's provider, ready to use, split by capability.
#[derive(Clone, Default)]
pub struct Connector {
    pub top_up: Option<Arc<dyn TopUp>>,
    pub top_up_status: Option<Arc<dyn TopUpStatus>>,
    pub balance: Option<Arc<dyn BalanceRead>>,
}

impl Connector {
    /// What this connector offers.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            top_up: self.top_up.is_some(),
            top_up_status: self.top_up_status.is_some(),
            balance: self.balance.is_some(),
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
            })
        }
    }
}
