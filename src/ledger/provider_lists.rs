//! A provider's own lists of top-up choices (RechargeKit's live operators), kept per profile
//! with the time they were fetched, and laid over the tables saldo ships.

use super::{Ledger, LedgerError};
use crate::args;
use crate::providers::Profile;
use crate::providers::registry::{ListSource, PickList, TopUpField};

/// A kept list: its entries and when they were fetched (Unix ms).
type KeptList = (Vec<(u32, String)>, i64);

impl Ledger {
    /// Keeps a list the provider gave for one top-up choice, replacing the one before.
    pub fn save_provider_list(
        &self,
        profile_id: i64,
        field: TopUpField,
        entries: &[(u32, String)],
    ) -> Result<i64, LedgerError> {
        let json = serde_json::to_string(entries).map_err(|e| LedgerError::Write(e.to_string()))?;
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO provider_lists (profile_id, field, entries, fetched_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (profile_id, field) DO UPDATE SET entries = ?3, fetched_at = ?4",
                args![profile_id, field.key(), json, now],
            )?;
            Ok(())
        })?;
        Ok(now)
    }

    /// The list the provider last gave for a choice, with when it was fetched.
    fn provider_list(
        &self,
        profile_id: i64,
        field: TopUpField,
    ) -> Result<Option<KeptList>, LedgerError> {
        let row: Option<(String, i64)> = self.query(|sql| {
            sql.row(
                "SELECT entries, fetched_at FROM provider_lists
                 WHERE profile_id = ?1 AND field = ?2",
                args![profile_id, field.key()],
                |r| Ok::<_, LedgerError>((r.get(0)?, r.get(1)?)),
            )
        })?;
        row.map(|(json, at)| {
            serde_json::from_str(&json)
                .map(|entries| (entries, at))
                .map_err(|e| LedgerError::Corrupt(format!("{} list: {e}", field.key())))
        })
        .transpose()
    }

    /// The choices a top-up through this profile offers: each shipped table, replaced by the
    /// provider's own list where one was fetched.
    pub fn topup_lists(&self, profile: &Profile) -> Result<Vec<PickList>, LedgerError> {
        let mut lists = (profile.provider.info().topup_pickers)();
        for list in &mut lists {
            if let Some((entries, fetched_at)) = self.provider_list(profile.id, list.field)?
                && !entries.is_empty()
            {
                list.entries = entries;
                list.source = ListSource::Live { fetched_at };
            }
        }
        Ok(lists)
    }
}
