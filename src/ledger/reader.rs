//! Reads for the window's history on a read-only connection of their own: paging anywhere in a
//! ledger of millions of rows, totals for a filter and sales per day. A long aggregate here never
//! holds up a top-up on the ledger's writing connection.

use std::sync::{Mutex, MutexGuard};

use super::db::{Conn, Value};
use super::history::{HistoryCursor, HistoryFilter, page_on};
use super::transactions::{TxKind, TxRecord};
use super::{Ledger, LedgerError};
use crate::domain::{TxState, Unit};

/// A read-only view of the ledger file. Cheap to share behind an `Arc`.
pub struct LedgerReader {
    conn: Mutex<Conn>,
}

/// Succeeded operations of one kind and unit in a filter: how many, and their sum in minor
/// units (credit taken back is its own total, never added to credit given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitTotal {
    pub kind: TxKind,
    pub unit: Unit,
    pub count: u64,
    pub sum_minor: i64,
}

/// Succeeded top-ups of one local day in one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailySales {
    /// Days since 1970-01-01 in local time.
    pub day: i64,
    pub unit: Unit,
    pub count: u64,
    pub sum_minor: i64,
}

/// What a filter holds, in numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistorySummary {
    /// Every operation matching the filter.
    pub count: u64,
    /// How many are in each state.
    pub by_state: Vec<(TxState, u64)>,
    /// Succeeded operations by kind and unit.
    pub succeeded: Vec<UnitTotal>,
    /// Succeeded top-ups per local day, oldest first.
    pub daily_sales: Vec<DailySales>,
}

const DAY_MS: i64 = 86_400_000;

impl Ledger {
    /// A read-only connection to this ledger for long reads.
    pub fn reader(&self) -> Result<LedgerReader, LedgerError> {
        Ok(LedgerReader {
            conn: Mutex::new(self.store().open_reader()?),
        })
    }
}

impl LedgerReader {
    fn conn(&self) -> MutexGuard<'_, Conn> {
        super::lock(&self.conn)
    }

    /// Up to `limit` operations matching `filter`, older than `before`, newest first.
    pub fn page(
        &self,
        filter: &HistoryFilter,
        before: Option<HistoryCursor>,
        limit: usize,
    ) -> Result<Vec<TxRecord>, LedgerError> {
        page_on(&mut self.conn().sql(), filter, before, limit)
    }

    /// The cursor `skip` rows further than `from` (from the newest without one): where a page
    /// that far down starts. `None` when the filter has fewer rows. Reads only the time index.
    pub fn cursor_after(
        &self,
        filter: &HistoryFilter,
        from: Option<HistoryCursor>,
        skip: u64,
    ) -> Result<Option<HistoryCursor>, LedgerError> {
        if skip == 0 {
            return Ok(from);
        }
        let (created_at, id) = from.map_or((i64::MAX, i64::MAX), |c| (c.created_at, c.id));
        let mut conn = self.conn();
        let mut sql = conn.sql();
        let (conditions, filters) = filter.conditions(sql.dialect());
        let query = format!(
            "SELECT t.created_at, t.id FROM transactions t
             WHERE (t.created_at, t.id) < (?, ?){conditions}
             ORDER BY t.created_at DESC, t.id DESC LIMIT 1 OFFSET ?"
        );
        let mut params = vec![Value::Int(created_at), Value::Int(id)];
        params.extend(filters);
        params.push(Value::Int(skip as i64 - 1));
        sql.row(&query, &params, |row| {
            Ok::<_, LedgerError>(HistoryCursor {
                created_at: row.get(0)?,
                id: row.get(1)?,
            })
        })
        .map_err(LedgerError::reading)
    }

    /// Counts, totals and daily sales for `filter`; days are cut at local midnight for a zone
    /// `utc_offset_secs` ahead of UTC.
    pub fn summary(
        &self,
        filter: &HistoryFilter,
        utc_offset_secs: i64,
    ) -> Result<HistorySummary, LedgerError> {
        let mut conn = self.conn();
        // Both reads see one moment of the ledger, so the totals agree with the days.
        conn.read(|sql| {
            let (conditions, filters) = filter.conditions(sql.dialect());
            let mut summary = HistorySummary::default();
            let query = format!(
                "SELECT t.state, t.unit, COUNT(*), CAST(SUM(t.amount_minor) AS BIGINT), t.kind
                 FROM transactions t
                 WHERE 1 = 1{conditions} GROUP BY t.state, t.kind, t.unit"
            );
            sql.for_each(&query, &filters, |row| {
                let state: String = row.get(0)?;
                let unit: String = row.get(1)?;
                let count = row.get::<i64>(2)? as u64;
                let sum: i64 = row.get(3)?;
                let state = TxState::parse(&state)
                    .ok_or_else(|| LedgerError::Corrupt(format!("unknown state “{state}”")))?;
                summary.count += count;
                match summary.by_state.iter_mut().find(|(s, _)| *s == state) {
                    Some((_, n)) => *n += count,
                    None => summary.by_state.push((state, count)),
                }
                if state == TxState::Succeeded {
                    let kind: String = row.get(4)?;
                    summary.succeeded.push(UnitTotal {
                        kind: TxKind::parse(&kind).ok_or_else(|| {
                            LedgerError::Corrupt(format!("unknown kind “{kind}”"))
                        })?,
                        unit: parse_unit(&unit)?,
                        count,
                        sum_minor: sum,
                    });
                }
                Ok::<_, LedgerError>(())
            })?;
            summary.by_state.sort_by_key(|(state, _)| *state as u8);
            summary
                .succeeded
                .sort_by_key(|t| (t.kind as u8, t.unit.code()));

            let query = format!(
                "SELECT (t.created_at + ?) / {DAY_MS} AS day, t.unit, COUNT(*),
                        CAST(SUM(t.amount_minor) AS BIGINT)
                 FROM transactions t
                 WHERE t.state = 'succeeded' AND t.kind = 'topup'{conditions}
                 GROUP BY day, t.unit ORDER BY day"
            );
            let mut params = vec![Value::Int(utc_offset_secs * 1000)];
            params.extend(filters);
            sql.for_each(&query, &params, |row| {
                let unit: String = row.get(1)?;
                summary.daily_sales.push(DailySales {
                    day: row.get(0)?,
                    unit: parse_unit(&unit)?,
                    count: row.get::<i64>(2)? as u64,
                    sum_minor: row.get(3)?,
                });
                Ok::<_, LedgerError>(())
            })?;
            Ok(summary)
        })
        .map_err(LedgerError::reading)
    }
}

fn parse_unit(code: &str) -> Result<Unit, LedgerError> {
    Unit::from_code(code).ok_or_else(|| LedgerError::Corrupt(format!("unknown unit “{code}”")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Reference};
    use crate::ledger::{NewOperation, StateChange};

    /// Records an operation, succeeded or left as recorded.
    fn record(ledger: &Ledger, profile: i64, kind: TxKind, to: &str, minor: i64, succeed: bool) {
        let reference = Reference::generate();
        ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind,
                profile_id: profile,
                destination: to,
                amount: Money::from_minor(minor, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        if succeed {
            for state in [TxState::Sending, TxState::Succeeded] {
                ledger
                    .transition(&reference, state, &StateChange::default())
                    .unwrap();
            }
        }
    }

    #[test]
    fn credit_taken_back_is_a_total_of_its_own_and_a_part_of_a_number_finds_it() {
        let (_dir, ledger, id) = crate::ledger::ledger_with_cuba();
        record(&ledger, id, TxKind::CreditAdd, "1002", 500, true);
        record(&ledger, id, TxKind::CreditAdd, "1003", 300, true);
        record(&ledger, id, TxKind::CreditRemove, "1002", 200, true);
        record(&ledger, id, TxKind::TopUp, "+5352942387", 1000, true);
        let reader = ledger.reader().unwrap();
        let summary = reader.summary(&HistoryFilter::default(), 0).unwrap();
        let totals: Vec<_> = summary
            .succeeded
            .iter()
            .map(|t| (t.kind, t.count, t.sum_minor))
            .collect();
        assert_eq!(
            totals,
            [
                (TxKind::TopUp, 1, 1000),
                (TxKind::CreditAdd, 2, 800),
                (TxKind::CreditRemove, 1, 200)
            ]
        );

        let part = |text: &str| HistoryFilter {
            destination_part: Some(text.into()),
            ..HistoryFilter::default()
        };
        let found = |filter: &HistoryFilter| reader.summary(filter, 0).unwrap().count;
        assert_eq!(found(&part("4238")), 1, "the middle of a number");
        assert_eq!(found(&part("100")), 3, "every sub-account with 100 in it");
        assert_eq!(found(&part("1002")), 2);
        assert_eq!(
            found(&part("%")),
            0,
            "a typed % is a character, not a wildcard"
        );
        let page = reader.page(&part("2387"), None, 10).unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].destination, "+5352942387");
    }

    #[test]
    fn pages_can_start_anywhere_and_totals_match_the_rows() {
        let (_dir, ledger, id) = crate::ledger::ledger_with_cuba();
        for i in 0..25 {
            let destination = "+5352942387";
            record(&ledger, id, TxKind::TopUp, destination, 100 + i, i % 5 != 0);
        }
        let reader = ledger.reader().unwrap();
        let filter = HistoryFilter::default();
        let all = reader.page(&filter, None, 100).unwrap();
        assert_eq!(all.len(), 25);
        let cursor = reader.cursor_after(&filter, None, 10).unwrap();
        let page = reader.page(&filter, cursor, 5).unwrap();
        assert_eq!(page, all[10..15].to_vec());
        assert!(reader.cursor_after(&filter, None, 25).unwrap().is_some());
        assert_eq!(reader.cursor_after(&filter, None, 26).unwrap(), None);

        let summary = reader.summary(&filter, 0).unwrap();
        assert_eq!(summary.count, 25);
        assert!(summary.by_state.contains(&(TxState::Succeeded, 20)));
        assert!(summary.by_state.contains(&(TxState::Recorded, 5)));
        let expected: i64 = (0..25).filter(|i| i % 5 != 0).map(|i| 100 + i).sum();
        assert_eq!(summary.succeeded[0].sum_minor, expected);
        let daily: i64 = summary.daily_sales.iter().map(|d| d.sum_minor).sum();
        assert_eq!(daily, expected);
    }
}
