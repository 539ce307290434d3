//! History pages, newest first, by keyset (never large OFFSETs).

use rusqlite::params;

use super::transactions::{TX_COLUMNS, TxRecord, tx_from_row};
use super::{Ledger, LedgerError, read_error};

/// Where the next (older) page starts: the last row of the previous page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryCursor {
    pub created_at: i64,
    pub id: i64,
}

impl HistoryCursor {
    /// The cursor after a row.
    pub fn after(row: &TxRecord) -> HistoryCursor {
        HistoryCursor {
            created_at: row.created_at,
            id: row.id,
        }
    }
}

impl Ledger {
    /// Up to `limit` operations older than `before` (or the newest, without a cursor).
    pub fn history_page(
        &self,
        before: Option<HistoryCursor>,
        limit: usize,
    ) -> Result<Vec<TxRecord>, LedgerError> {
        let conn = self.conn();
        let (created_at, id) = before.map_or((i64::MAX, i64::MAX), |c| (c.created_at, c.id));
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
                 WHERE (t.created_at, t.id) < (?1, ?2)
                 ORDER BY t.created_at DESC, t.id DESC LIMIT ?3"
            ))
            .map_err(read_error)?;
        let rows = stmt
            .query_map(params![created_at, id, limit as i64], tx_from_row)
            .map_err(read_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(read_error)?;
        rows.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Reference, Unit};
    use crate::ledger::{NewOperation, TxKind};
    use crate::providers::ProviderKind;

    #[test]
    fn pages_walk_the_whole_history_newest_first_without_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let profile = ledger
            .add_profile(
                "cuba",
                ProviderKind::Qvatel,
                "https://qvatel.com/api",
                &ProviderKind::Qvatel.default_settings(),
            )
            .unwrap();
        let mut made = Vec::new();
        for i in 0..25 {
            let reference = Reference::generate();
            ledger
                .record_new(&NewOperation {
                    reference: &reference,
                    kind: TxKind::TopUp,
                    profile_id: profile.id,
                    destination: "+5352942387",
                    amount: Money::from_minor(100 + i, Unit::Usd),
                    refuse_repeat_within_ms: None,
                })
                .unwrap();
            made.push(reference);
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = ledger.history_page(cursor, 10).unwrap();
            if page.is_empty() {
                break;
            }
            cursor = page.last().map(HistoryCursor::after);
            seen.extend(page.into_iter().map(|r| r.reference));
        }
        made.reverse();
        assert_eq!(seen, made);
    }
}
