//! A realistic history for the demo ledger and the benchmarks: operations of every kind the
//! profiles can do, spread over the last 90 days, mostly succeeded, each with its event log.

use super::db::ErrorKind;
use super::{Ledger, LedgerError};
use crate::args;
use crate::domain::{Reference, TxState};
use crate::providers::ProviderKind;

const DAY_MS: i64 = 86_400_000;

/// The kind word and a destination for an operation of a profile's provider.
fn operation(kind: ProviderKind, rng: &mut fastrand::Rng) -> Option<(&'static str, String)> {
    Some(match kind {
        ProviderKind::Qvatel => ("topup", format!("+535{:07}", rng.u32(0..10_000_000))),
        ProviderKind::Rechargekit => ("topup", format!("+919{:09}", rng.u32(0..1_000_000_000))),
        ProviderKind::Smspartner => {
            let kind = if rng.u8(0..4) == 0 {
                "credit_remove"
            } else {
                "credit_add"
            };
            (kind, (1001 + rng.u32(0..45)).to_string())
        }
        ProviderKind::Marketext => ("transfer", format!("mx-child-0{}", rng.u8(1..4))),
        ProviderKind::Sabapayamak => return None,
    })
}

/// The final state of a made-up operation: mostly succeeded.
fn outcome(rng: &mut fastrand::Rng) -> TxState {
    match rng.u8(0..100) {
        0..=89 => TxState::Succeeded,
        90..=95 => TxState::Failed,
        96..=97 => TxState::Pending,
        _ => TxState::Unknown,
    }
}

impl Ledger {
    /// Adds `rows` made-up operations over the last 90 days for the profiles that move money,
    /// in one transaction. Returns how many were added.
    pub fn fill_demo_history(&self, rows: usize, seed: u64) -> Result<usize, LedgerError> {
        let profiles: Vec<_> = self
            .profiles()?
            .into_iter()
            .filter(|p| p.provider != ProviderKind::Sabapayamak)
            .collect();
        if profiles.is_empty() || rows == 0 {
            return Ok(0);
        }
        let mut rng = fastrand::Rng::with_seed(seed);
        let end = self.now();
        let start = end - 90 * DAY_MS;
        let step = ((end - start) / rows as i64).max(1);
        self.write(|tx| {
            for i in 0..rows {
                let profile = &profiles[rng.usize(0..profiles.len())];
                let Some((kind, destination)) = operation(profile.provider, &mut rng) else {
                    continue;
                };
                let settings = &profile.settings;
                let minor = match settings.denominations.as_slice() {
                    [] => (1 + i64::from(rng.u32(0..200))) * 10i64.pow(settings.unit.scale()),
                    list => list[rng.usize(0..list.len())],
                };
                let created = start + i as i64 * step + rng.i64(0..step);
                let state = outcome(&mut rng);
                let provider_ref =
                    (state != TxState::Failed).then(|| format!("demo-{}", rng.u64(..)));
                let message = (state == TxState::Failed).then_some("Saldo insuficiente");
                // A made-up reference may, rarely, repeat one: then make another (skipped
                // quietly by the store, so a transaction on the server is not aborted).
                let mut attempts = 0;
                let id = loop {
                    let reference = Reference::generate_at(created, &mut rng);
                    let inserted: Option<i64> = tx.row(
                        "INSERT INTO transactions (reference, kind, profile_id, destination,
                             amount_minor, unit, state, provider_ref, provider_message,
                             created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                         ON CONFLICT (reference) DO NOTHING RETURNING id",
                        args![
                            reference.as_str(),
                            kind,
                            profile.id,
                            destination,
                            minor,
                            settings.unit.code(),
                            state.as_str(),
                            provider_ref,
                            message,
                            created,
                            created + 1_500
                        ],
                        |r| Ok::<_, LedgerError>(r.get(0)?),
                    )?;
                    match inserted {
                        Some(id) => break id,
                        None if attempts < 5 => attempts += 1,
                        None => {
                            return Err(LedgerError::from(super::db::DbError::new(
                                ErrorKind::Constraint,
                                "made-up references kept repeating",
                            )));
                        }
                    }
                };
                for (at, from, to) in [
                    (created, None, TxState::Recorded),
                    (created + 5, Some(TxState::Recorded), TxState::Sending),
                    (created + 1_500, Some(TxState::Sending), state),
                ] {
                    tx.execute(
                        "INSERT INTO transaction_events (transaction_id, at, from_state,
                             to_state, detail)
                         VALUES (?1, ?2, ?3, ?4, NULL)",
                        args![id, at, from.map(|s| s.as_str()), to.as_str()],
                    )?;
                }
            }
            Ok(())
        })?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{HistoryCursor, HistoryFilter};

    #[test]
    fn demo_history_is_realistic_and_pages_like_real_history() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        for (name, kind) in [
            ("cuba", ProviderKind::Qvatel),
            ("fr", ProviderKind::Smspartner),
        ] {
            ledger
                .add_profile(
                    name,
                    kind,
                    kind.default_base_url(),
                    &kind.default_settings(),
                )
                .unwrap();
        }
        assert_eq!(ledger.fill_demo_history(2_000, 7).unwrap(), 2_000);
        let mut seen = 0;
        let mut cursor = None;
        let mut last: Option<(i64, i64)> = None;
        loop {
            let page = ledger.history_page(cursor, 500).unwrap();
            if page.is_empty() {
                break;
            }
            for row in &page {
                let key = (row.created_at, row.id);
                assert!(last.is_none_or(|l| key < l), "newest first, no repeats");
                last = Some(key);
            }
            seen += page.len();
            cursor = page.last().map(HistoryCursor::after);
        }
        assert_eq!(seen, 2_000);
        let failed = ledger
            .history_page_filtered(
                &HistoryFilter {
                    state: Some(TxState::Failed),
                    ..HistoryFilter::default()
                },
                None,
                2_000,
            )
            .unwrap();
        assert!((40..=200).contains(&failed.len()), "{}", failed.len());
        let one = &failed[0];
        assert_eq!(ledger.events(&one.reference).unwrap().len(), 3);
        assert!(
            one.amount.minor() == 1500 || one.amount.minor() == 2000 || one.profile_name == "fr"
        );
    }
}
