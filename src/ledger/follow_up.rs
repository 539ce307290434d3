//! What the reconciler reads and writes: the open operations, when to ask about each again,
//! why one needs a person, and notes of what it found — appended to the event log like any
//! state change, with the state unchanged.

use super::db::{Dialect, Value};
use super::transactions::{TX_COLUMNS, TxKind, TxRecord, tx_from_row};
use super::{Ledger, LedgerError};
use crate::args;
use crate::domain::{Note, Reference, ReviewReason, TxState};

/// How long after an operation turns pending the reconciler first asks about it.
pub const FIRST_PENDING_CHECK_MS: i64 = 5_000;

/// An operation on a destination, with the time its send ended (when it left `sending`).
#[derive(Clone, Debug)]
pub struct DestinationOperation {
    pub record: TxRecord,
    /// When the operation left `sending` (Unix ms); `None` while it has not.
    pub send_ended_at: Option<i64>,
    /// The evidence written when it started sending (e.g. the balance before).
    pub sending_detail: Option<String>,
}

/// The state change of the next check.
#[derive(Clone, Debug)]
pub struct NextCheck<'a> {
    /// The state the operation must still be in; otherwise nothing is written.
    pub expected: TxState,
    /// When to ask again (Unix ms).
    pub at: i64,
    /// Why a person must look at it, if the reconciler cannot settle it.
    pub review_reason: Option<&'a ReviewReason>,
    /// The provider's reply behind the reason, kept under the event log's note when the
    /// operation is newly flagged.
    pub raw: Option<&'a str>,
}

impl Ledger {
    /// The operations a query over `transactions t JOIN profiles p` selects with
    /// [`TX_COLUMNS`], in its order.
    fn records(&self, sql: &str, args: &[Value]) -> Result<Vec<TxRecord>, LedgerError> {
        self.query(|db| db.rows(sql, args, tx_from_row))
    }

    /// Every operation not final yet (of one profile, or all), oldest first.
    pub fn open_operations(&self, profile_id: Option<i64>) -> Result<Vec<TxRecord>, LedgerError> {
        self.records(
            &format!(
                "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
                 WHERE t.state IN ('recorded', 'sending', 'pending', 'unknown')
                   AND (CAST(?1 AS BIGINT) IS NULL OR t.profile_id = ?1)
                 ORDER BY t.created_at, t.id"
            ),
            args![profile_id],
        )
    }

    /// The rows of a profile still `recorded` or `sending`, oldest first: each is either in
    /// flight (its sender holds its claim) or a leftover of an interruption (nobody does).
    /// Those this ledger's own senders hold are left out, and on the shop's server those
    /// whose sender holds a live lease: every counter asks this before each sale, and the
    /// sends in flight are not leftovers. Uses a partial index, so it stays cheap however
    /// many other operations are open.
    pub fn unfinished_sends(&self, profile_id: i64) -> Result<Vec<TxRecord>, LedgerError> {
        let not_in_flight = if self.leases().is_some() {
            "AND NOT EXISTS (SELECT 1 FROM leases l
                             WHERE l.key = t.reference AND l.expires_at > now())"
        } else {
            ""
        };
        let mut unfinished = self.records(
            &format!(
                "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
                 WHERE t.state IN ('recorded', 'sending') AND t.profile_id = ?1 {not_in_flight}
                 ORDER BY t.created_at, t.id"
            ),
            args![profile_id],
        )?;
        unfinished.retain(|record| !self.own_claims.holds(&record.reference));
        Ok(unfinished)
    }

    /// The operations an interruption left `recorded` or `sending` (saldo closed, killed or
    /// crashed while sending them), oldest first: those whose claim nobody holds. A send in
    /// flight in another saldo holds its claim and is not listed.
    pub fn interrupted_sends(&self) -> Result<Vec<TxRecord>, LedgerError> {
        let unfinished = self.records(
            &format!(
                "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
                 WHERE t.state IN ('recorded', 'sending')
                 ORDER BY t.created_at, t.id"
            ),
            args![],
        )?;
        let mut interrupted = Vec::new();
        for record in unfinished {
            // Taken and given back at once: only to learn that nobody is sending it.
            if self.claim(&record.reference)?.is_some() {
                interrupted.push(record);
            }
        }
        Ok(interrupted)
    }

    /// Keeps the first of two balance readings of a credit move (or clears it), only while the
    /// operation is still in `expected`.
    pub fn set_first_reading(
        &self,
        reference: &Reference,
        expected: TxState,
        reading: Option<&str>,
    ) -> Result<(), LedgerError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE transactions SET first_reading = ?3 WHERE reference = ?1 AND state = ?2",
                args![reference.as_str(), expected.as_str(), reading],
            )?;
            Ok(())
        })
    }

    /// The SQL condition of [`Ledger::open_or_flagged`] (also checked for its query plan).
    /// (A union of two index reads: SQLite plans the plain `OR` as a scan of every row, and
    /// is told which index to use; PostgreSQL has no such hint and needs none.)
    pub(crate) fn open_or_flagged_condition(dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => {
                "t.id IN (
                SELECT id FROM transactions
                    WHERE state IN ('recorded', 'sending', 'pending', 'unknown')
                UNION SELECT id FROM transactions INDEXED BY transactions_flagged
                    WHERE review_reason IS NOT NULL)"
            }
            Dialect::Postgres => {
                "t.id IN (
                SELECT id FROM transactions
                    WHERE state IN ('recorded', 'sending', 'pending', 'unknown')
                UNION SELECT id FROM transactions WHERE review_reason IS NOT NULL)"
            }
        }
    }

    /// Every operation a person may have to look at: open ones, and settled ones flagged
    /// because a later fact contradicted them; oldest first. Both halves are read by index
    /// (the state index, and the partial index of flagged rows), never by a scan of every
    /// settled operation.
    pub fn open_or_flagged(&self) -> Result<Vec<TxRecord>, LedgerError> {
        self.records(
            &format!(
                "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
                 WHERE {}
                 ORDER BY t.created_at, t.id",
                Self::open_or_flagged_condition(self.dialect())
            ),
            args![],
        )
    }

    /// The operations of `kinds` on one destination of a profile created from `since` on,
    /// oldest first, with when each send ended and its sending evidence.
    pub fn operations_on(
        &self,
        profile_id: i64,
        destination: &str,
        kinds: &[TxKind],
        since: i64,
    ) -> Result<Vec<DestinationOperation>, LedgerError> {
        let wanted: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let rows = self.query(|sql| {
            sql.rows(
                &format!(
                    "SELECT {TX_COLUMNS},
                        (SELECT MIN(e.at) FROM transaction_events e
                          WHERE e.transaction_id = t.id AND e.from_state = 'sending')
                          AS send_ended_at,
                        (SELECT e.detail FROM transaction_events e
                          WHERE e.transaction_id = t.id AND e.to_state = 'sending'
                            AND e.from_state = 'recorded' ORDER BY e.id LIMIT 1) AS sending_detail
                     FROM transactions t JOIN profiles p ON p.id = t.profile_id
                     WHERE t.destination = ?1 AND t.profile_id = ?2 AND t.created_at >= ?3
                     ORDER BY t.created_at, t.id"
                ),
                args![destination, profile_id, since],
                |row| {
                    Ok(DestinationOperation {
                        record: tx_from_row(row)?,
                        send_ended_at: row.get("send_ended_at")?,
                        sending_detail: row.get("sending_detail")?,
                    })
                },
            )
        })?;
        Ok(rows
            .into_iter()
            .filter(|found| wanted.contains(&found.record.kind.as_str()))
            .collect())
    }

    /// Schedules the next check of an open operation, counts this one, and notes what was
    /// found (only when the note says something new: the reason changed). Does nothing when
    /// the operation has moved on meanwhile.
    pub fn schedule_check(
        &self,
        reference: &Reference,
        next: &NextCheck<'_>,
    ) -> Result<(), LedgerError> {
        let now = self.now();
        self.write(|tx| {
            let current: Option<(i64, Option<String>)> = tx.row(
                "SELECT id, review_reason FROM transactions WHERE reference = ?1 AND state = ?2",
                args![reference.as_str(), next.expected.as_str()],
                |r| Ok::<_, LedgerError>((r.get(0)?, r.get(1)?)),
            )?;
            let Some((id, old_reason)) = current else {
                return Ok(());
            };
            let reason = next.review_reason.map(ReviewReason::to_stored);
            tx.execute(
                "UPDATE transactions SET next_check_at = ?2, checks = checks + 1,
                     review_reason = COALESCE(?3, review_reason)
                 WHERE id = ?1",
                args![id, next.at, reason],
            )?;
            let reason_changed = reason.is_some() && reason != old_reason;
            if let Some(why) = next.review_reason.filter(|_| reason_changed) {
                let note = Note::Flagged {
                    reason: why.clone(),
                }
                .followed_by(next.raw.unwrap_or_default());
                tx.execute(
                    "INSERT INTO transaction_events (transaction_id, at, from_state, to_state,
                         detail, counter)
                     VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
                    args![id, now, next.expected.as_str(), note, self.counter()],
                )?;
            }
            Ok(())
        })
    }
}

impl Ledger {
    /// Appends a note to an operation's event log (state unchanged), only while it is still
    /// in `expected`; returns whether it was written.
    pub fn append_note(
        &self,
        reference: &Reference,
        expected: TxState,
        note: &str,
    ) -> Result<bool, LedgerError> {
        let now = self.now();
        let written =
            self.write(|tx| {
                Ok(tx.execute(
                "INSERT INTO transaction_events (transaction_id, at, from_state, to_state, detail,
                     counter)
                 SELECT id, CAST(?3 AS BIGINT), state, state, CAST(?4 AS TEXT), CAST(?5 AS TEXT)
                 FROM transactions WHERE reference = ?1 AND state = ?2",
                args![reference.as_str(), expected.as_str(), now, note, self.counter()],
            )?)
            })?;
        Ok(written == 1)
    }

    /// A person's decision on a settled operation that a later fact contradicted (it is
    /// flagged for review): it is kept or corrected to `to`, by hand, with the note as the
    /// event. Only while it still stands `expected` and is flagged; returns whether it was.
    pub fn resolve_flag_by_hand(
        &self,
        reference: &Reference,
        expected: TxState,
        to: TxState,
        note: &str,
    ) -> Result<bool, LedgerError> {
        let now = self.now();
        self.write(|tx| {
            let id: Option<i64> = tx.row(
                "SELECT id FROM transactions WHERE reference = ?1 AND state = ?2
                   AND state IN ('succeeded', 'failed') AND review_reason IS NOT NULL",
                args![reference.as_str(), expected.as_str()],
                |r| Ok::<_, LedgerError>(r.get(0)?),
            )?;
            let Some(id) = id else {
                return Ok(false);
            };
            tx.execute(
                "UPDATE transactions SET state = ?2, updated_at = ?3, basis = 'by_hand',
                     review_reason = NULL, provider_message = ?4
                 WHERE id = ?1",
                args![
                    id,
                    to.as_str(),
                    now,
                    Note::ByHand {
                        note: note.to_string()
                    }
                    .to_stored()
                ],
            )?;
            let (state, note) = (to, note.to_string());
            let decided = if to == expected {
                Note::KeptByHand { state, note }
            } else {
                Note::CorrectedByHand { state, note }
            };
            tx.execute(
                "INSERT INTO transaction_events (transaction_id, at, from_state, to_state, detail,
                     counter)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    id,
                    now,
                    expected.as_str(),
                    to.as_str(),
                    decided.to_stored(),
                    self.counter()
                ],
            )?;
            Ok(true)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window counts what Review lists after every reconciler pass: with many settled
    /// operations that must not read them all.
    #[test]
    fn the_review_list_is_read_by_index_not_by_a_scan_of_every_operation() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let conn = ledger.conn();
        let mut stmt = conn
            .as_sqlite()
            .unwrap()
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT t.id FROM transactions t WHERE {}",
                Ledger::open_or_flagged_condition(Dialect::Sqlite)
            ))
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |row| row.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        // Only the partial index of flagged rows may be walked whole: it holds nothing else.
        assert!(
            plan.iter()
                .all(|step| !step.starts_with("SCAN") || step.contains("transactions_flagged")),
            "a full scan: {plan:?}"
        );
        assert!(
            plan.iter()
                .any(|step| step.contains("transactions_flagged")),
            "{plan:?}"
        );
    }

    /// Every open operation, of all profiles or of one: the reconciler asks both ways (on the
    /// server a parameter compared only with nothing has no type of its own).
    #[test]
    fn open_operations_are_listed_for_every_profile_or_one() {
        use crate::domain::{Money, Reference, Unit};
        let (_dir, ledger, cuba) = crate::ledger::ledger_with_cuba();
        let reference = Reference::generate();
        ledger
            .record_sending(
                &super::super::NewOperation {
                    reference: &reference,
                    kind: super::super::TxKind::TopUp,
                    profile_id: cuba,
                    destination: "+5352942387",
                    amount: Money::from_minor(2000, Unit::Usd),
                    repeat_guard: None,
                    request: None,
                    batch_row: None,
                },
                &super::super::StateChange::default(),
            )
            .unwrap();
        let all = ledger.open_operations(None).unwrap();
        let one = ledger.open_operations(Some(cuba)).unwrap();
        let none = ledger.open_operations(Some(cuba + 1)).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(one[0].reference, reference);
        assert!(none.is_empty());
    }
}
