//! The last balance read from each profile's provider, so the balances board can say how old
//! a figure is and the engine can hold sales below a profile's floor.

use std::collections::HashMap;

use super::{Ledger, LedgerError};
use crate::args;
use crate::domain::{Money, Unit};

/// A balance as read from the provider, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BalanceReading {
    pub amount: Money,
    /// Unix ms.
    pub read_at: i64,
}

fn reading(amount_minor: i64, unit: &str, read_at: i64) -> Result<BalanceReading, LedgerError> {
    let unit = Unit::from_code(unit)
        .ok_or_else(|| LedgerError::Corrupt(format!("unknown unit “{unit}” in a balance")))?;
    Ok(BalanceReading {
        amount: Money::from_minor(amount_minor, unit),
        read_at,
    })
}

impl Ledger {
    /// Keeps `amount` as the profile's latest balance, read at `read_at` (Unix ms).
    pub fn record_balance(
        &self,
        profile_id: i64,
        amount: Money,
        read_at: i64,
    ) -> Result<(), LedgerError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO balance_readings (profile_id, amount_minor, unit, read_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (profile_id) DO UPDATE SET amount_minor = ?2, unit = ?3, read_at = ?4
                 WHERE balance_readings.read_at <= ?4",
                args![profile_id, amount.minor(), amount.unit().code(), read_at],
            )?;
            Ok(())
        })
    }

    /// The latest balance read for a profile, if any.
    pub fn last_balance(&self, profile_id: i64) -> Result<Option<BalanceReading>, LedgerError> {
        let row = self.query(|sql| {
            sql.row(
                "SELECT amount_minor, unit, read_at FROM balance_readings WHERE profile_id = ?1",
                args![profile_id],
                |r| Ok::<_, LedgerError>((r.get::<i64>(0)?, r.get::<String>(1)?, r.get(2)?)),
            )
        })?;
        row.map(|(minor, unit, at)| reading(minor, &unit, at))
            .transpose()
    }

    /// The latest balance of every profile that has one, by profile id.
    pub fn last_balances(&self) -> Result<HashMap<i64, BalanceReading>, LedgerError> {
        let rows = self.query(|sql| {
            sql.rows(
                "SELECT profile_id, amount_minor, unit, read_at FROM balance_readings",
                args![],
                |r| {
                    Ok::<_, LedgerError>((
                        r.get::<i64>(0)?,
                        r.get::<i64>(1)?,
                        r.get::<String>(2)?,
                        r.get::<i64>(3)?,
                    ))
                },
            )
        })?;
        rows.into_iter()
            .map(|(id, minor, unit, at)| Ok((id, reading(minor, &unit, at)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_reading_wins_and_an_older_one_never_overwrites_it() {
        let (_dir, ledger, id) = crate::ledger::ledger_with_cuba();
        assert_eq!(ledger.last_balance(id).unwrap(), None);
        ledger
            .record_balance(id, Money::from_minor(500, Unit::Usd), 2_000)
            .unwrap();
        ledger
            .record_balance(id, Money::from_minor(900, Unit::Usd), 1_000)
            .unwrap();
        let last = ledger.last_balance(id).unwrap().unwrap();
        assert_eq!((last.amount.minor(), last.read_at), (500, 2_000));
        assert_eq!(ledger.last_balances().unwrap()[&id], last);
    }
}
