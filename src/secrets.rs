//! The one place that knows where secrets live: the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) under the service name `saldo`, one entry
//! per profile and kind of secret (`username` = `PROFILE/KIND`). The demo keeps its secrets in
//! memory. There is no plain-text fallback.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// The keychain service name every saldo entry is stored under.
pub const SERVICE: &str = "saldo";

/// The kinds of secret a profile may need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecretKind {
    /// A static API token (QvaTel's `api_token`).
    ApiToken,
    /// A static API key (SMS Partner's `apiKey`).
    ApiKey,
    /// An expiring access token (Marketext), renewed with the refresh token.
    AccessToken,
    /// The token that renews an access token; rotated at each renewal.
    RefreshToken,
    /// A login name (RechargeKit), kept beside its password.
    Username,
    /// A login password (RechargeKit, Saba Payamak).
    Password,
    /// A session token with its expiry, kept as "EXPIRY_UNIX_SECONDS TOKEN" (Saba Payamak).
    SessionToken,
}

impl SecretKind {
    /// Every kind of secret.
    pub const ALL: [SecretKind; 7] = [
        SecretKind::ApiToken,
        SecretKind::ApiKey,
        SecretKind::AccessToken,
        SecretKind::RefreshToken,
        SecretKind::Username,
        SecretKind::Password,
        SecretKind::SessionToken,
    ];

    /// The word used in keychain entry names and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::ApiToken => "api_token",
            SecretKind::ApiKey => "api_key",
            SecretKind::AccessToken => "access_token",
            SecretKind::RefreshToken => "refresh_token",
            SecretKind::Username => "username",
            SecretKind::Password => "password",
            SecretKind::SessionToken => "session_token",
        }
    }

    /// What the secret is, in words for a person.
    pub fn description(self) -> &'static str {
        match self {
            SecretKind::ApiToken => "API token",
            SecretKind::ApiKey => "API key",
            SecretKind::AccessToken => "access token",
            SecretKind::RefreshToken => "refresh token",
            SecretKind::Username => "user name",
            SecretKind::Password => "password",
            SecretKind::SessionToken => "session token",
        }
    }

    /// Reads the command-line word.
    pub fn parse(word: &str) -> Option<SecretKind> {
        SecretKind::ALL
            .into_iter()
            .find(|k| k.as_str() == word.trim())
    }
}

/// A secret value. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        let value = value.into();
        crate::logging::redact::remember_secret(&value);
        Secret(value)
    }

    /// The value itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([hidden])")
    }
}

/// Why a secret could not be stored or read. The texts never contain the secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error(
        "no keychain is available on this computer: saldo keeps API keys only in the system \
         keychain (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager). Start \
         or install one, then try again"
    )]
    Unavailable,
    #[error("the keychain is locked: unlock it (log in to your desktop session) and try again")]
    Locked,
    #[error("no {} saved for profile “{profile}”: save it with `saldo credentials set {profile}`", .kind.description())]
    Missing { profile: String, kind: SecretKind },
    #[error("the secret is empty: nothing was saved")]
    Empty,
    #[error("the keychain refused: {0}")]
    Keychain(String),
}

/// Where secrets are kept.
pub struct SecretStore {
    backend: Backend,
}

enum Backend {
    Keychain,
    Memory(Mutex<HashMap<String, String>>),
}

fn entry_user(profile: &str, kind: SecretKind) -> String {
    format!("{profile}/{}", kind.as_str())
}

fn map_keychain_error(error: keyring_core::Error) -> SecretError {
    use keyring_core::Error as E;
    match error {
        E::NoDefaultStore => SecretError::Unavailable,
        E::NoStorageAccess(_) => SecretError::Locked,
        E::PlatformFailure(e) => SecretError::Keychain(e.to_string()),
        E::BadEncoding(_) | E::BadDataFormat(..) => {
            SecretError::Keychain("the saved secret is not readable text".to_string())
        }
        other => SecretError::Keychain(other.to_string()),
    }
}

impl SecretStore {
    /// The OS keychain. Nothing is touched until the first read or write.
    pub fn keychain() -> SecretStore {
        SecretStore {
            backend: Backend::Keychain,
        }
    }

    /// Secrets kept in this process's memory only (the demo, tests).
    pub fn in_memory() -> SecretStore {
        SecretStore {
            backend: Backend::Memory(Mutex::new(HashMap::new())),
        }
    }

    fn keychain_entry(profile: &str, kind: SecretKind) -> Result<keyring_core::Entry, SecretError> {
        keyring::Entry::store_status()
            .as_ref()
            .map_err(|_| SecretError::Unavailable)?;
        let label = format!("saldo: {} of profile {profile}", kind.description());
        let modifiers = HashMap::from([("label", label.as_str())]);
        keyring_core::Entry::new_with_modifiers(SERVICE, &entry_user(profile, kind), &modifiers)
            .map_err(map_keychain_error)
    }

    /// Saves (or replaces) a secret. May block on the keychain: call it off the UI thread.
    pub fn set(&self, profile: &str, kind: SecretKind, secret: &str) -> Result<(), SecretError> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        crate::logging::redact::remember_secret(secret);
        match &self.backend {
            Backend::Keychain => Self::keychain_entry(profile, kind)?
                .set_password(secret)
                .map_err(map_keychain_error),
            Backend::Memory(map) => {
                lock(map).insert(entry_user(profile, kind), secret.to_string());
                Ok(())
            }
        }
    }

    /// Reads a secret. May block on the keychain: call it off the UI thread.
    pub fn get(&self, profile: &str, kind: SecretKind) -> Result<Secret, SecretError> {
        let missing = || SecretError::Missing {
            profile: profile.to_string(),
            kind,
        };
        match &self.backend {
            Backend::Keychain => match Self::keychain_entry(profile, kind)?.get_password() {
                Ok(value) => Ok(Secret::new(value)),
                Err(keyring_core::Error::NoEntry) => Err(missing()),
                Err(e) => Err(map_keychain_error(e)),
            },
            Backend::Memory(map) => lock(map)
                .get(&entry_user(profile, kind))
                .map(|v| Secret::new(v.clone()))
                .ok_or_else(missing),
        }
    }

    /// Whether a secret is saved, without revealing it.
    pub fn has(&self, profile: &str, kind: SecretKind) -> Result<bool, SecretError> {
        match self.get(profile, kind) {
            Ok(_) => Ok(true),
            Err(SecretError::Missing { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The shop server's password saved on this counter, if any (a server may also let a
    /// counter in without one, by certificate or by its own rules).
    pub fn server_password(
        &self,
        target: &crate::ledger::PgTarget,
    ) -> Option<crate::ledger::ServerPassword> {
        self.get(&target.keychain_name(), SecretKind::Password)
            .ok()
            .map(|secret| crate::ledger::ServerPassword(secret.expose().to_string()))
    }

    /// Deletes a secret; deleting one that is not there is not an error.
    pub fn delete(&self, profile: &str, kind: SecretKind) -> Result<(), SecretError> {
        match &self.backend {
            Backend::Keychain => match Self::keychain_entry(profile, kind)?.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(map_keychain_error(e)),
            },
            Backend::Memory(map) => {
                lock(map).remove(&entry_user(profile, kind));
                Ok(())
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trips_and_reports_missing() {
        let store = SecretStore::in_memory();
        assert_eq!(
            store.get("cuba", SecretKind::ApiToken),
            Err(SecretError::Missing {
                profile: "cuba".into(),
                kind: SecretKind::ApiToken
            })
        );
        store
            .set("cuba", SecretKind::ApiToken, " tok-123 ")
            .unwrap();
        assert_eq!(
            store.get("cuba", SecretKind::ApiToken).unwrap().expose(),
            "tok-123"
        );
        assert!(store.has("cuba", SecretKind::ApiToken).unwrap());
        store.delete("cuba", SecretKind::ApiToken).unwrap();
        assert!(!store.has("cuba", SecretKind::ApiToken).unwrap());
        assert_eq!(
            store.set("cuba", SecretKind::ApiToken, "  "),
            Err(SecretError::Empty)
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let secret = Secret::new("tok-very-secret");
        assert!(!format!("{secret:?}").contains("tok-very-secret"));
    }
}
