//! The rules around profiles that the window and the command line share: saving one (its
//! name and address checked the same way a send checks them), proving it works, which secrets
//! it has, forgetting them, and the counter's memory of numbers.

use crate::domain::Money;
use crate::engine::{Engine, EngineError, blocking};
use crate::ledger::{FavouriteNumber, Ledger, LedgerError};
use crate::providers::http::{AddressProblem, check_base_url};
use crate::providers::profile::check_profile_name;
use crate::providers::registry::capabilities_of;
use crate::providers::{Profile, ProfileSettings, ProviderKind, StatementQuery};
use crate::secrets::{SecretError, SecretKind};

/// A profile to add or change, as a person filled it in.
#[derive(Clone, Debug)]
pub struct ProfileDraft {
    /// The name it has now, when editing.
    pub existing: Option<String>,
    pub name: String,
    pub provider: ProviderKind,
    pub base_url: String,
    pub settings: ProfileSettings,
}

/// Why a profile was not saved.
#[derive(Debug, thiserror::Error)]
pub enum ProfileSaveError {
    #[error("“{name}” is not a usable profile name: use 1 to 40 letters, digits, '-', '_' or '.'")]
    BadName { name: String },
    /// The address is refused here exactly as every send would refuse it.
    #[error(transparent)]
    BadAddress(AddressProblem),
    #[error(transparent)]
    Ledger(LedgerError),
    /// The background task saving it failed.
    #[error("{0}")]
    Internal(String),
}

/// Saves a draft: adds a new profile or changes one, after the checks a send makes.
pub fn save_profile(ledger: &Ledger, draft: &ProfileDraft) -> Result<Profile, ProfileSaveError> {
    let name = check_profile_name(&draft.name).map_err(|_| ProfileSaveError::BadName {
        name: draft.name.trim().to_string(),
    })?;
    check_base_url(&draft.base_url).map_err(ProfileSaveError::BadAddress)?;
    // Stored as typed (trimmed): the check only proves it is usable.
    let address = draft.base_url.trim();
    let saved = match &draft.existing {
        Some(existing) => ledger
            .update_profile(existing, address, &draft.settings)
            .and_then(|()| ledger.profile(existing)),
        None => ledger.add_profile(name, draft.provider, address, &draft.settings),
    };
    saved.map_err(ProfileSaveError::Ledger)
}

/// What the cheapest read a provider offers proved about a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionProof {
    /// The main account's balance was read.
    Balance(Money),
    /// The sub-accounts were listed (how many).
    SubAccounts(usize),
    /// The statement was read.
    Statement,
    /// The provider has no read-only call: every secret it needs is in the store.
    SecretsPresent,
}

/// Which secrets a profile needs, and whether each is in the store (or why that is unknown).
pub type SecretPresence = Vec<(SecretKind, Result<bool, SecretError>)>;

/// What the counter remembers for a profile.
#[derive(Clone, Debug, Default)]
pub struct CounterMemory {
    /// Numbers sold to lately, newest first.
    pub recent: Vec<String>,
    pub favourites: Vec<FavouriteNumber>,
}

/// How many recent numbers the counter offers.
pub const RECENT_NUMBERS: usize = 8;

impl Engine {
    /// Saves a profile draft (see [`save_profile`]).
    pub async fn save_profile(&self, draft: ProfileDraft) -> Result<Profile, ProfileSaveError> {
        let ledger = self.ledger.clone();
        blocking(move || save_profile(&ledger, &draft))
            .await
            .unwrap_or_else(|e| Err(ProfileSaveError::Internal(e.to_string())))
    }

    /// Proves a profile's address and secrets work with the cheapest read its provider has.
    pub async fn test_connection(&self, profile: &str) -> Result<ConnectionProof, EngineError> {
        let can = capabilities_of(self.profile(profile).await?.provider);
        if can.balance {
            self.balance(profile).await.map(ConnectionProof::Balance)
        } else if can.sub_accounts {
            let list = self.sub_accounts(profile).await?;
            Ok(ConnectionProof::SubAccounts(list.len()))
        } else if can.statement {
            let query = StatementQuery::Last {
                count: 1,
                kind: None,
            };
            self.statement(profile, &query).await?;
            Ok(ConnectionProof::Statement)
        } else {
            self.check_credentials(profile).await?;
            Ok(ConnectionProof::SecretsPresent)
        }
    }

    /// The secrets a profile needs and whether each is saved; the keychain is asked off the
    /// async threads.
    pub async fn secret_presence(&self, profile: &str) -> Result<SecretPresence, EngineError> {
        let needed = self.profile(profile).await?.secret_kinds();
        let (secrets, name) = (self.secrets.clone(), profile.to_string());
        blocking(move || {
            needed
                .iter()
                .map(|&kind| (kind, secrets.has(&name, kind)))
                .collect()
        })
        .await
    }

    /// Tells the shared ledger that this counter is here and which profiles' secrets its
    /// own keychain lacks (the secrets themselves never leave it). A keychain that cannot be
    /// asked reports nothing missing rather than guessing.
    pub async fn check_in_counter(&self) -> Result<(), EngineError> {
        let (ledger, secrets) = (self.ledger.clone(), self.secrets.clone());
        blocking(move || {
            let mut missing = std::collections::BTreeMap::new();
            for profile in ledger.profiles()? {
                let lacks: Vec<String> = profile
                    .secret_kinds()
                    .iter()
                    .filter(|&&kind| matches!(secrets.has(&profile.name, kind), Ok(false)))
                    .map(|kind| kind.as_str().to_string())
                    .collect();
                if !lacks.is_empty() {
                    missing.insert(profile.name.clone(), lacks);
                }
            }
            ledger.check_in_counter(&missing)
        })
        .await??;
        Ok(())
    }

    /// Forgets every secret a profile could have (after the profile is removed). Every kind
    /// is tried; the first failure is returned, each one logged.
    pub async fn forget_secrets(&self, profile: &str) -> Result<(), EngineError> {
        let (secrets, profile) = (self.secrets.clone(), profile.to_string());
        blocking(move || {
            let mut first_error = None;
            for kind in SecretKind::ALL {
                if let Err(error) = secrets.delete(&profile, kind) {
                    tracing::warn!(profile, kind = kind.as_str(), %error, "could not forget a secret");
                    first_error.get_or_insert(error);
                }
            }
            first_error.map_or(Ok(()), |e| Err(EngineError::Secret(e)))
        })
        .await?
    }

    /// Runs `work` on the ledger with the id of the profile named `profile`, off the async
    /// threads.
    async fn on_profile<T: Send + 'static>(
        &self,
        profile: &str,
        work: impl FnOnce(&Ledger, i64) -> Result<T, LedgerError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let (ledger, name) = (self.ledger.clone(), profile.to_string());
        blocking(move || work(&ledger, ledger.profile(&name)?.id))
            .await?
            .map_err(EngineError::Ledger)
    }

    /// The recent and favourite numbers of a profile.
    pub async fn counter_memory(&self, profile: &str) -> Result<CounterMemory, EngineError> {
        self.on_profile(profile, |ledger, id| {
            Ok(CounterMemory {
                recent: ledger.recent_numbers(id, RECENT_NUMBERS)?,
                favourites: ledger.favourites(id)?,
            })
        })
        .await
    }

    /// Makes `number` a favourite of a profile with `label`, or no longer one (`None`).
    pub async fn set_favourite(
        &self,
        profile: &str,
        number: &str,
        label: Option<&str>,
    ) -> Result<(), EngineError> {
        let (number, label) = (number.to_string(), label.map(str::to_string));
        self.on_profile(profile, move |ledger, id| match label {
            Some(label) => ledger.set_favourite(id, &number, &label),
            None => ledger.remove_favourite(id, &number),
        })
        .await
    }

    /// The operator and circle last chosen for a number through a profile.
    pub async fn number_choices(
        &self,
        profile: &str,
        number: &str,
    ) -> Result<std::collections::BTreeMap<String, String>, EngineError> {
        let number = number.to_string();
        self.on_profile(profile, move |ledger, id| ledger.choices_for(id, &number))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(base_url: &str) -> ProfileDraft {
        let provider = ProviderKind::Qvatel;
        ProfileDraft {
            existing: None,
            name: "cuba".into(),
            provider,
            base_url: base_url.into(),
            settings: provider.default_settings(),
        }
    }

    #[test]
    fn a_profile_is_refused_at_save_exactly_where_a_send_would_refuse_it() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        let refused = save_profile(&ledger, &draft("http://qvatel.example/api")).unwrap_err();
        assert!(
            matches!(
                refused,
                ProfileSaveError::BadAddress(AddressProblem::PlainHttp { .. })
            ),
            "{refused:?}"
        );
        let mut bad_name = draft("https://qvatel.example/api");
        bad_name.name = "a name with spaces".into();
        assert!(matches!(
            save_profile(&ledger, &bad_name),
            Err(ProfileSaveError::BadName { .. })
        ));
        assert!(ledger.profiles().unwrap().is_empty(), "nothing was saved");

        let saved = save_profile(&ledger, &draft(" http://127.0.0.1:8750/qvatel ")).unwrap();
        assert_eq!(saved.base_url, "http://127.0.0.1:8750/qvatel");
        let mut change = draft("http://10.0.0.5/qvatel");
        change.existing = Some("cuba".into());
        assert!(save_profile(&ledger, &change).is_err());
        assert_eq!(
            ledger.profile("cuba").unwrap().base_url,
            "http://127.0.0.1:8750/qvatel",
            "a refused change leaves the profile as it was"
        );
    }
}
