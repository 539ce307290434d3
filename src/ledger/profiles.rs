//! Provider profiles in the ledger (never their secrets).

use super::db::{ErrorKind, Row};
use super::{Ledger, LedgerError};
use crate::args;
use crate::providers::{Profile, ProfileSettings, ProviderKind};

fn profile_from_row(row: &Row<'_>) -> Result<Profile, LedgerError> {
    let name: String = row.get("name")?;
    let provider: String = row.get("provider")?;
    let settings: String = row.get("settings")?;
    let provider = ProviderKind::parse(&provider)
        .ok_or_else(|| LedgerError::Corrupt(format!("unknown provider “{provider}”")))?;
    let settings: ProfileSettings = serde_json::from_str(&settings)
        .map_err(|e| LedgerError::Corrupt(format!("settings of profile {name}: {e}")))?;
    Ok(Profile {
        id: row.get("id")?,
        name,
        provider,
        base_url: row.get("base_url")?,
        settings,
    })
}

/// What removing a profile did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileRemoval {
    /// It had no operations and is gone.
    Deleted,
    /// It has operations: it is hidden, and kept for the history and exports.
    PutAside,
}

impl Ledger {
    /// Adds a profile; its name must be new.
    pub fn add_profile(
        &self,
        name: &str,
        provider: ProviderKind,
        base_url: &str,
        settings: &ProfileSettings,
    ) -> Result<Profile, LedgerError> {
        let json =
            serde_json::to_string(settings).map_err(|e| LedgerError::Write(e.to_string()))?;
        let now = self.now();
        let inserted = self.write(|tx| {
            tx.value::<i64>(
                "INSERT INTO profiles (name, provider, base_url, settings, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                args![name, provider.as_str(), base_url, json, now],
            )
            .map_err(|e| match e.kind {
                ErrorKind::Constraint => LedgerError::ProfileExists(name.to_string()),
                _ => LedgerError::from(e),
            })
        });
        let id = inserted?;
        Ok(Profile {
            id,
            name: name.to_string(),
            provider,
            base_url: base_url.to_string(),
            settings: settings.clone(),
        })
    }

    /// Changes where a profile's provider lives and its settings.
    pub fn update_profile(
        &self,
        name: &str,
        base_url: &str,
        settings: &ProfileSettings,
    ) -> Result<(), LedgerError> {
        let json =
            serde_json::to_string(settings).map_err(|e| LedgerError::Write(e.to_string()))?;
        let changed = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE profiles SET base_url = ?2, settings = ?3 WHERE name = ?1",
                args![name, base_url, json],
            )?)
        })?;
        if changed == 0 {
            return Err(LedgerError::ProfileNotFound(name.to_string()));
        }
        Ok(())
    }

    /// Every profile, by name.
    pub fn profiles(&self) -> Result<Vec<Profile>, LedgerError> {
        self.query(|sql| {
            sql.rows(
                "SELECT id, name, provider, base_url, settings FROM profiles
                 WHERE archived_at IS NULL ORDER BY name",
                args![],
                profile_from_row,
            )
        })
    }

    /// Removes a profile. One with operations in the ledger is put aside instead: renamed
    /// `NAME~ID` so the name is free again, hidden from every list, and kept for the history.
    ///
    /// Refused while any of its operations is open (or flagged for review): settling one needs
    /// the profile and its secrets, which go with it.
    pub fn remove_profile(&self, name: &str) -> Result<ProfileRemoval, LedgerError> {
        let profile = self.profile(name)?;
        let now = self.now();
        self.write(|tx| {
            let open: i64 = tx.value(
                "SELECT count(*) FROM transactions WHERE profile_id = ?1
                   AND (state IN ('recorded', 'sending', 'pending', 'unknown')
                        OR review_reason IS NOT NULL)",
                args![profile.id],
            )?;
            if open > 0 {
                return Err(LedgerError::ProfileInUse {
                    name: profile.name.clone(),
                    open,
                });
            }
            let used: bool = tx.value(
                "SELECT EXISTS (SELECT 1 FROM transactions WHERE profile_id = ?1)
                     OR EXISTS (SELECT 1 FROM batches WHERE profile_id = ?1)",
                args![profile.id],
            )?;
            if used {
                tx.execute(
                    "UPDATE profiles SET archived_at = ?2, name = name || '~' || id WHERE id = ?1",
                    args![profile.id, now],
                )?;
                Ok(ProfileRemoval::PutAside)
            } else {
                tx.execute("DELETE FROM profiles WHERE id = ?1", args![profile.id])?;
                Ok(ProfileRemoval::Deleted)
            }
        })
    }

    /// The profile with this name.
    pub fn profile(&self, name: &str) -> Result<Profile, LedgerError> {
        self.query(|sql| {
            sql.row(
                "SELECT id, name, provider, base_url, settings FROM profiles WHERE name = ?1",
                args![name],
                profile_from_row,
            )
        })?
        .ok_or_else(|| LedgerError::ProfileNotFound(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_round_trip_and_names_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        let settings = ProviderKind::Qvatel.default_settings();
        let added = ledger
            .add_profile(
                "cuba",
                ProviderKind::Qvatel,
                "https://qvatel.com/api",
                &settings,
            )
            .unwrap();
        assert_eq!(ledger.profile("cuba").unwrap(), added);
        assert!(matches!(
            ledger.add_profile("cuba", ProviderKind::Qvatel, "https://x.example", &settings),
            Err(LedgerError::ProfileExists(_))
        ));
        let mut changed = settings.clone();
        changed.denominations = vec![500];
        ledger
            .update_profile("cuba", "https://other.example/api", &changed)
            .unwrap();
        let reread = ledger.profile("cuba").unwrap();
        assert_eq!(reread.base_url, "https://other.example/api");
        assert_eq!(reread.settings.denominations, vec![500]);
        assert!(matches!(
            ledger.profile("nope"),
            Err(LedgerError::ProfileNotFound(_))
        ));
        assert_eq!(ledger.profiles().unwrap().len(), 1);
        assert_eq!(
            ledger.remove_profile("cuba").unwrap(),
            ProfileRemoval::Deleted
        );
        assert!(ledger.profiles().unwrap().is_empty());
    }
}

#[cfg(test)]
mod removal_tests {
    use super::*;
    use crate::domain::{Money, Reference, TxState, Unit};
    use crate::ledger::{NewOperation, StateChange, TxKind};

    #[test]
    fn a_profile_with_an_open_operation_is_not_removed_and_keeps_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        let settings = ProviderKind::Qvatel.default_settings();
        let profile = ledger
            .add_profile(
                "cuba",
                ProviderKind::Qvatel,
                "https://qvatel.com/api",
                &settings,
            )
            .unwrap();
        let reference = Reference::generate();
        ledger
            .record_sending(
                &NewOperation {
                    reference: &reference,
                    kind: TxKind::TopUp,
                    profile_id: profile.id,
                    destination: "+5352942387",
                    amount: Money::from_minor(2000, Unit::Usd),
                    repeat_guard: None,
                    request: None,
                    batch_row: None,
                },
                &StateChange::default(),
            )
            .unwrap();
        ledger
            .transition(&reference, TxState::Unknown, &StateChange::default())
            .unwrap();
        let error = ledger.remove_profile("cuba").unwrap_err();
        assert!(
            matches!(error, LedgerError::ProfileInUse { open: 1, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("settle them first"), "{error}");
        assert_eq!(ledger.profile("cuba").unwrap().id, profile.id);
        ledger
            .transition(&reference, TxState::Succeeded, &StateChange::default())
            .unwrap();
        assert_eq!(
            ledger.remove_profile("cuba").unwrap(),
            ProfileRemoval::PutAside
        );
    }
}
