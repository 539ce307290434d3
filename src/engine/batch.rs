//! Running a stored batch: unsent rows go out with bounded concurrency and a rate limit, each
//! through the same journal-first path as the counter, linked to its row in the transaction
//! that records it. Stopping (Ctrl-C, a crash, power loss) at any point loses nothing: a
//! resumed run sends exactly the rows that never got an operation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::domain::TxState;
use crate::ledger::{BatchLine, BatchRowStatus, LedgerError};

use super::batch_file::order_for;
use super::{Engine, EngineError, blocking};

/// How a batch is sent.
#[derive(Clone, Copy, Debug)]
pub struct BatchRun {
    /// How many rows may be on their way at once.
    pub concurrency: usize,
    /// At most this many sends start per second (0: no limit).
    pub per_second: u32,
}

impl Default for BatchRun {
    fn default() -> Self {
        BatchRun {
            concurrency: 4,
            per_second: 20,
        }
    }
}

/// Where a batch stands, after each row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchProgress {
    pub total: usize,
    /// Rows dealt with so far (including those done in earlier runs).
    pub done: usize,
    pub succeeded: usize,
    pub failed: usize,
    /// Pending or unknown: recorded, to reconcile; never resent.
    pub unsettled: usize,
    /// Not sent because they repeat a recent top-up (or their input was refused).
    pub refused: usize,
}

impl BatchProgress {
    fn count(&mut self, row: &BatchRowStatus) {
        if let Some(op) = &row.operation {
            self.done += 1;
            match op.state {
                TxState::Succeeded => self.succeeded += 1,
                TxState::Failed => self.failed += 1,
                _ => self.unsettled += 1,
            }
        } else if row.refusal.is_some() {
            self.done += 1;
            self.refused += 1;
        }
    }

    /// The progress of a batch's rows as stored.
    pub fn of(rows: &[BatchRowStatus]) -> BatchProgress {
        let mut progress = BatchProgress {
            total: rows.len(),
            ..BatchProgress::default()
        };
        rows.iter().for_each(|r| progress.count(r));
        progress
    }
}

/// Spaces the start of sends to at most `per_second`.
struct RateLimit {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimit {
    fn new(per_second: u32) -> RateLimit {
        RateLimit {
            interval: match per_second {
                0 => Duration::ZERO,
                n => Duration::from_secs(1) / n,
            },
            next: Mutex::new(Instant::now()),
        }
    }

    async fn wait_turn(&self) {
        if self.interval.is_zero() {
            return;
        }
        let start = {
            let mut next = self.next.lock().await;
            let start = (*next).max(Instant::now());
            *next = start + self.interval;
            start
        };
        tokio::time::sleep_until(start).await;
    }
}

/// What became of one row in this run.
enum RowResult {
    Done,
    /// Something that stops the whole batch (settings, keychain, ledger): nothing more is sent.
    Stop(EngineError),
}

impl Engine {
    /// Sends every unsent row of a stored batch. `stop` ends it early (rows on their way finish
    /// and are recorded); `progress` hears after each row. Returns the batch's rows as stored
    /// afterwards, or the error that stopped it.
    pub async fn run_batch(
        &self,
        batch_id: i64,
        run: BatchRun,
        stop: Arc<AtomicBool>,
        progress: impl Fn(BatchProgress) + Send + Sync,
    ) -> Result<Vec<BatchRowStatus>, EngineError> {
        let ledger = self.ledger.clone();
        let (info, rows) = blocking(move || {
            Ok::<_, LedgerError>((ledger.batch(batch_id)?, ledger.batch_rows(batch_id)?))
        })
        .await??;
        let tally = std::sync::Mutex::new(BatchProgress::of(&rows));
        progress(*tally.lock().expect("progress lock"));
        let limit = RateLimit::new(run.per_second);
        let unsent: Vec<BatchRowStatus> = rows.into_iter().filter(|r| r.is_unsent()).collect();
        let stopped_by: std::sync::Mutex<Option<EngineError>> = std::sync::Mutex::new(None);
        {
            let sends = futures_util::stream::iter(unsent)
                .map(|row| {
                    let (info, limit, stop, stopped_by) = (&info, &limit, &stop, &stopped_by);
                    async move {
                        if stop.load(Ordering::SeqCst) {
                            return None;
                        }
                        limit.wait_turn().await;
                        if stop.load(Ordering::SeqCst) {
                            return None;
                        }
                        let line = BatchLine {
                            batch_id,
                            line: row.input.line,
                        };
                        let order = order_for(&info.profile_name, &row.input, info.confirm_repeats);
                        match self.send_batch_row(&order, line).await {
                            RowResult::Done => Some(line),
                            RowResult::Stop(error) => {
                                stop.store(true, Ordering::SeqCst);
                                stopped_by.lock().expect("stop lock").get_or_insert(error);
                                None
                            }
                        }
                    }
                })
                .buffer_unordered(run.concurrency.max(1));
            futures_util::pin_mut!(sends);
            while let Some(done) = sends.next().await {
                if done.is_some() {
                    let mut tally = tally.lock().expect("progress lock");
                    tally.done += 1;
                    progress(*tally);
                }
            }
        }
        if let Some(error) = stopped_by.into_inner().expect("stop lock") {
            return Err(error);
        }
        let ledger = self.ledger.clone();
        Ok(blocking(move || {
            let rows = ledger.batch_rows(batch_id)?;
            if rows.iter().all(|r| !r.is_unsent()) {
                ledger.finish_batch(batch_id)?;
            }
            Ok::<_, LedgerError>(rows)
        })
        .await??)
    }

    async fn send_batch_row(&self, order: &super::TopUpOrder, line: BatchLine) -> RowResult {
        let refuse = |reason: String| async move {
            let ledger = self.ledger.clone();
            match blocking(move || ledger.refuse_batch_row(line, &reason)).await {
                Ok(Ok(())) => RowResult::Done,
                Ok(Err(error)) => RowResult::Stop(EngineError::Ledger(error)),
                Err(error) => RowResult::Stop(error),
            }
        };
        match self.top_up_batch_row(order, line).await {
            Ok(_) => RowResult::Done,
            Err(
                error @ (EngineError::PossibleRepeat(_)
                | EngineError::RepeatOfOpen(_)
                | EngineError::BadInput(_)),
            ) => refuse(error.to_string()).await,
            // Another run of the same batch took this row: it is not ours to send.
            Err(EngineError::NotRecorded(LedgerError::BatchRowTaken { .. })) => RowResult::Done,
            Err(error) => RowResult::Stop(error),
        }
    }
}
