//! Batches of top-ups: the rows of a file, kept in the ledger before anything is sent, each
//! linked to its operation in the same transaction that records it — so a resumed batch sends
//! exactly the rows that never got an operation.

use super::db::{Row, Sql};
use super::transactions::{BatchLine, TX_COLUMNS, TxRecord, tx_from_row};
use super::{Ledger, LedgerError};
use crate::args;

/// A row of a batch file, as validated before the batch is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchRowInput {
    /// The row's line in the file (the header is line 1).
    pub line: i64,
    pub number: String,
    pub amount: String,
    pub operator: Option<String>,
    pub circle: Option<String>,
}

/// A stored batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchInfo {
    pub id: i64,
    pub profile_name: String,
    /// Where the rows came from (the file's path).
    pub source: String,
    /// Whether rows repeating a recent top-up are sent without asking.
    pub confirm_repeats: bool,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// What identifies its rows whatever the file (see `engine::batch_file::fingerprint`).
    pub fingerprint: Option<String>,
}

/// A batch row and what became of it.
#[derive(Clone, Debug)]
pub struct BatchRowStatus {
    pub input: BatchRowInput,
    /// The operation that sends it, once recorded.
    pub operation: Option<TxRecord>,
    /// Why it was not sent (e.g. it repeats a recent top-up), if it was refused.
    pub refusal: Option<String>,
}

impl BatchRowStatus {
    /// Whether the row still has to be sent: no operation and no refusal yet.
    pub fn is_unsent(&self) -> bool {
        self.operation.is_none() && self.refusal.is_none()
    }
}

const BATCH_COLUMNS: &str =
    "b.id, p.name, b.source, b.confirm_repeats, b.created_at, b.finished_at, b.fingerprint";

fn batch_from_row(r: &Row<'_>) -> Result<BatchInfo, LedgerError> {
    Ok(BatchInfo {
        id: r.get(0)?,
        profile_name: r.get(1)?,
        source: r.get(2)?,
        confirm_repeats: r.get(3)?,
        created_at: r.get(4)?,
        finished_at: r.get(5)?,
        fingerprint: r.get(6)?,
    })
}

/// Links a batch row to the operation that sends it; fails if the row already has one.
pub(super) fn link_row(
    tx: &mut Sql<'_>,
    line: BatchLine,
    transaction_id: i64,
) -> Result<(), LedgerError> {
    let linked = tx.execute(
        "UPDATE batch_rows SET transaction_id = ?3
         WHERE batch_id = ?1 AND line = ?2 AND transaction_id IS NULL AND refusal IS NULL",
        args![line.batch_id, line.line, transaction_id],
    )?;
    if linked == 1 {
        Ok(())
    } else {
        Err(LedgerError::BatchRowTaken {
            batch_id: line.batch_id,
            line: line.line,
        })
    }
}

impl Ledger {
    /// Stores a batch and all its rows in one transaction; returns its id. Unless `new_run`,
    /// it is refused when a batch with the same fingerprint was stored before (checked in the
    /// same transaction, so two runs of one file started at once store it once).
    pub fn create_batch(
        &self,
        profile_id: i64,
        source: &str,
        confirm_repeats: bool,
        fingerprint: &str,
        new_run: bool,
        rows: &[BatchRowInput],
    ) -> Result<i64, LedgerError> {
        let now = self.now();
        self.write(|tx| {
            if !new_run {
                let earlier: Option<i64> = tx.row(
                    "SELECT id FROM batches WHERE fingerprint = ?1
                     ORDER BY created_at DESC, id DESC LIMIT 1",
                    args![fingerprint],
                    |r| Ok::<_, LedgerError>(r.get(0)?),
                )?;
                if let Some(batch_id) = earlier {
                    return Err(LedgerError::SameRows { batch_id });
                }
            }
            let id: i64 = tx.value(
                "INSERT INTO batches (profile_id, source, confirm_repeats, created_at, fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                args![profile_id, source, confirm_repeats, now, fingerprint],
            )?;
            for row in rows {
                tx.execute(
                    "INSERT INTO batch_rows (batch_id, line, number, amount, operator, circle)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    args![
                        id,
                        row.line,
                        row.number,
                        row.amount,
                        row.operator,
                        row.circle
                    ],
                )?;
            }
            Ok(id)
        })
    }

    /// A stored batch.
    pub fn batch(&self, id: i64) -> Result<BatchInfo, LedgerError> {
        self.query(|sql| {
            sql.row(
                &format!(
                    "SELECT {BATCH_COLUMNS} FROM batches b JOIN profiles p ON p.id = b.profile_id
                     WHERE b.id = ?1"
                ),
                args![id],
                batch_from_row,
            )
        })?
        .ok_or(LedgerError::BatchNotFound(id))
    }

    /// Every row of a batch in file order, with its operation or refusal.
    pub fn batch_rows(&self, id: i64) -> Result<Vec<BatchRowStatus>, LedgerError> {
        self.query(|sql| {
            sql.rows(
                &format!(
                    "SELECT r.line AS line, r.number AS number, r.amount AS amount,
                        r.operator AS operator, r.circle AS circle, r.refusal AS refusal,
                        r.transaction_id AS linked, {TX_COLUMNS}
                     FROM batch_rows r
                     LEFT JOIN transactions t ON t.id = r.transaction_id
                     LEFT JOIN profiles p ON p.id = t.profile_id
                     WHERE r.batch_id = ?1 ORDER BY r.line"
                ),
                args![id],
                |row| {
                    let linked: Option<i64> = row.get("linked")?;
                    Ok(BatchRowStatus {
                        input: BatchRowInput {
                            line: row.get("line")?,
                            number: row.get("number")?,
                            amount: row.get("amount")?,
                            operator: row.get("operator")?,
                            circle: row.get("circle")?,
                        },
                        operation: linked.map(|_| tx_from_row(row)).transpose()?,
                        refusal: row.get("refusal")?,
                    })
                },
            )
        })
    }

    /// Marks a batch row as not sent, with the reason; only while it has no operation.
    pub fn refuse_batch_row(&self, line: BatchLine, reason: &str) -> Result<(), LedgerError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE batch_rows SET refusal = ?3
                 WHERE batch_id = ?1 AND line = ?2 AND transaction_id IS NULL",
                args![line.batch_id, line.line, reason],
            )?;
            Ok(())
        })
    }

    /// Notes that every row of a batch has been dealt with.
    pub fn finish_batch(&self, id: i64) -> Result<(), LedgerError> {
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "UPDATE batches SET finished_at = ?2 WHERE id = ?1 AND finished_at IS NULL",
                args![id, now],
            )?;
            Ok(())
        })
    }
}
