//! What the counter remembers for the clerk: recent and favourite numbers per profile, and the
//! operator and circle last chosen for a number.

use std::collections::BTreeMap;

use super::{Ledger, LedgerError};
use crate::args;

/// A number the clerk keeps at hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FavouriteNumber {
    /// E.164.
    pub number: String,
    /// A name for it ("Ana's mother"); may be empty.
    pub label: String,
}

/// How many of the newest top-ups are looked at to find recent numbers.
const RECENT_SCAN: i64 = 300;

impl Ledger {
    /// Up to `limit` distinct numbers topped up lately through a profile, newest first.
    pub fn recent_numbers(
        &self,
        profile_id: i64,
        limit: usize,
    ) -> Result<Vec<String>, LedgerError> {
        let numbers: Vec<String> = self.query(|sql| {
            sql.rows(
                "SELECT destination FROM transactions
                 WHERE profile_id = ?1 AND kind = 'topup'
                 ORDER BY created_at DESC, id DESC LIMIT ?2",
                args![profile_id, RECENT_SCAN],
                |r| Ok::<_, LedgerError>(r.get(0)?),
            )
        })?;
        let mut recent: Vec<String> = Vec::with_capacity(limit);
        for number in numbers {
            if recent.len() == limit {
                break;
            }
            if !recent.contains(&number) {
                recent.push(number);
            }
        }
        Ok(recent)
    }

    /// A profile's favourite numbers, by label then number.
    pub fn favourites(&self, profile_id: i64) -> Result<Vec<FavouriteNumber>, LedgerError> {
        self.query(|sql| {
            sql.rows(
                "SELECT number, label FROM favourite_numbers WHERE profile_id = ?1
                 ORDER BY label = '', label, number",
                args![profile_id],
                |r| {
                    Ok(FavouriteNumber {
                        number: r.get(0)?,
                        label: r.get(1)?,
                    })
                },
            )
        })
    }

    /// Adds a favourite number, or renames it.
    pub fn set_favourite(
        &self,
        profile_id: i64,
        number: &str,
        label: &str,
    ) -> Result<(), LedgerError> {
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO favourite_numbers (profile_id, number, label, created_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (profile_id, number) DO UPDATE SET label = ?3",
                args![profile_id, number, label.trim(), now],
            )?;
            Ok(())
        })
    }

    /// Removes a favourite number (nothing happens if it is not one).
    pub fn remove_favourite(&self, profile_id: i64, number: &str) -> Result<(), LedgerError> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM favourite_numbers WHERE profile_id = ?1 AND number = ?2",
                args![profile_id, number],
            )?;
            Ok(())
        })
    }

    /// Remembers the choices (operator, circle… by field name) made for a number.
    pub fn remember_choices(
        &self,
        profile_id: i64,
        number: &str,
        choices: &BTreeMap<String, String>,
    ) -> Result<(), LedgerError> {
        let json = serde_json::to_string(choices).map_err(|e| LedgerError::Write(e.to_string()))?;
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO number_choices (profile_id, number, choices, updated_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (profile_id, number) DO UPDATE SET choices = ?3, updated_at = ?4",
                args![profile_id, number, json, now],
            )?;
            Ok(())
        })
    }

    /// The choices last made for a number, if any.
    pub fn choices_for(
        &self,
        profile_id: i64,
        number: &str,
    ) -> Result<BTreeMap<String, String>, LedgerError> {
        let json: Option<String> = self.query(|sql| {
            sql.row(
                "SELECT choices FROM number_choices WHERE profile_id = ?1 AND number = ?2",
                args![profile_id, number],
                |r| Ok::<_, LedgerError>(r.get(0)?),
            )
        })?;
        match json {
            None => Ok(BTreeMap::new()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| LedgerError::Corrupt(format!("choices for {number}: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Reference, Unit};
    use crate::ledger::{NewOperation, TxKind};
    use crate::providers::ProviderKind;

    fn ledger() -> (tempfile::TempDir, Ledger, i64) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        let kind = ProviderKind::Rechargekit;
        let id = ledger
            .add_profile("in", kind, "https://x.example", &kind.default_settings())
            .unwrap()
            .id;
        (dir, ledger, id)
    }

    #[test]
    fn recent_numbers_are_distinct_and_newest_first() {
        let (_dir, ledger, id) = ledger();
        for number in ["+919800000001", "+919800000002", "+919800000001"] {
            ledger
                .record_new(&NewOperation {
                    reference: &Reference::generate(),
                    kind: TxKind::TopUp,
                    profile_id: id,
                    destination: number,
                    amount: Money::from_minor(1000, Unit::Inr),
                    repeat_guard: None,
                    request: None,
                    batch_row: None,
                })
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert_eq!(
            ledger.recent_numbers(id, 5).unwrap(),
            vec!["+919800000001", "+919800000002"]
        );
        assert_eq!(ledger.recent_numbers(id, 1).unwrap().len(), 1);
    }

    #[test]
    fn favourites_and_choices_round_trip() {
        let (_dir, ledger, id) = ledger();
        ledger.set_favourite(id, "+919800000001", "Ana").unwrap();
        ledger.set_favourite(id, "+919800000002", "").unwrap();
        ledger.set_favourite(id, "+919800000001", "Ana M.").unwrap();
        let favourites = ledger.favourites(id).unwrap();
        assert_eq!(favourites.len(), 2);
        assert_eq!(favourites[0].label, "Ana M.");
        ledger.remove_favourite(id, "+919800000002").unwrap();
        assert_eq!(ledger.favourites(id).unwrap().len(), 1);

        assert!(ledger.choices_for(id, "+919800000001").unwrap().is_empty());
        let choices = BTreeMap::from([("operator".to_string(), "Airtel".to_string())]);
        ledger
            .remember_choices(id, "+919800000001", &choices)
            .unwrap();
        assert_eq!(ledger.choices_for(id, "+919800000001").unwrap(), choices);
    }
}
