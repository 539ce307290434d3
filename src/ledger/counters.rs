//! The shop's counters as the shared ledger knows them: each one's name, when it last
//! checked in, and which profiles' secrets its own keychain lacks (secrets never leave a
//! counter's keychain; only the fact that one is missing is shared, so the window can say
//! which counters cannot sell through a profile yet).

use std::collections::BTreeMap;

use super::{Ledger, LedgerError};
use crate::args;

/// One counter of the shop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterInfo {
    pub name: String,
    /// When it last checked in (Unix ms, the ledger's time).
    pub seen_at: i64,
    /// Profile name → the kinds of secret (`SecretKind::as_str`) its keychain lacks.
    pub missing_secrets: BTreeMap<String, Vec<String>>,
}

impl Ledger {
    /// Records that this counter is here, and which profiles' secrets its keychain lacks.
    pub fn check_in_counter(
        &self,
        missing_secrets: &BTreeMap<String, Vec<String>>,
    ) -> Result<(), LedgerError> {
        let now = self.now();
        let missing = serde_json::to_string(missing_secrets)
            .map_err(|e| LedgerError::Write(e.to_string()))?;
        let name = self.counter().to_string();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO counters (name, seen_at, missing_secrets) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET seen_at = EXCLUDED.seen_at,
                     missing_secrets = EXCLUDED.missing_secrets",
                args![name.as_str(), now, missing.as_str()],
            )?;
            Ok(())
        })
    }

    /// Every counter that checked in, and every name operations were recorded under, by name.
    pub fn counters(&self) -> Result<Vec<CounterInfo>, LedgerError> {
        self.query(|sql| {
            let mut known: Vec<CounterInfo> = sql.rows(
                "SELECT name, seen_at, missing_secrets FROM counters ORDER BY name",
                args![],
                |r| {
                    let missing: String = r.get(2)?;
                    Ok::<_, LedgerError>(CounterInfo {
                        name: r.get(0)?,
                        seen_at: r.get(1)?,
                        missing_secrets: serde_json::from_str(&missing).unwrap_or_default(),
                    })
                },
            )?;
            let recorded: Vec<String> = sql.rows(
                "SELECT DISTINCT counter FROM transactions WHERE counter IS NOT NULL
                   AND counter NOT IN (SELECT name FROM counters)",
                args![],
                |r| Ok::<_, LedgerError>(r.get(0)?),
            )?;
            known.extend(recorded.into_iter().map(|name| CounterInfo {
                name,
                seen_at: 0,
                missing_secrets: BTreeMap::new(),
            }));
            known.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(known)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_check_in_and_say_which_secrets_they_lack() {
        let dir = tempfile::tempdir().unwrap();
        let front = super::super::testkit::open_in(dir.path())
            .unwrap()
            .with_counter("front");
        let back = super::super::testkit::open_in(dir.path())
            .unwrap()
            .with_counter("back");
        let lacks = BTreeMap::from([("cuba".to_string(), vec!["api_token".to_string()])]);
        front.check_in_counter(&BTreeMap::new()).unwrap();
        back.check_in_counter(&lacks).unwrap();
        back.check_in_counter(&lacks).unwrap();
        let counters = front.counters().unwrap();
        let names: Vec<&str> = counters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["back", "front"]);
        assert_eq!(counters[0].missing_secrets, lacks);
        assert!(counters[1].missing_secrets.is_empty());
    }
}
