//! The steps every money-moving operation shares: record the intent and mark it as sending
//! (both committed before anything goes out), send with retries only when nothing reached the
//! provider, and record the outcome.

use std::future::Future;

use crate::domain::{Money, Reference, TxState};
use crate::ledger::{LedgerError, NewOperation, StateChange, TxKind, TxRecord};
use crate::providers::ProviderError;

use super::{Engine, EngineError, blocking};

/// The state to record and what to record with it.
pub(super) type Settlement = (TxState, StateChange);

fn failure_message(error: &ProviderError) -> String {
    match error {
        ProviderError::Rejected { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// The state a failed send leaves an operation in: unknown when it may have been executed,
/// failed when the provider clearly did nothing.
pub(super) fn settle_error(error: &ProviderError) -> Settlement {
    let state = if error.outcome_unknown() {
        TxState::Unknown
    } else {
        TxState::Failed
    };
    let change = StateChange {
        provider_ref: None,
        provider_message: Some(failure_message(error)),
        detail: Some(
            error
                .raw()
                .map_or_else(|| error.to_string(), str::to_string),
        ),
    };
    (state, change)
}

impl Engine {
    /// Commits the operation as `recorded`, then as `sending` (with `evidence`, such as the
    /// balances before, in that event). Nothing may be sent unless this returns `Ok`.
    pub(super) async fn record_and_start(
        &self,
        reference: &Reference,
        kind: TxKind,
        profile_id: i64,
        destination: &str,
        amount: Money,
        evidence: Option<String>,
        refuse_repeat_within_ms: Option<i64>,
    ) -> Result<(), EngineError> {
        let ledger = self.ledger.clone();
        let (r, destination) = (reference.clone(), destination.to_string());
        blocking(move || {
            ledger.record_new(&NewOperation {
                reference: &r,
                kind,
                profile_id,
                destination: &destination,
                amount,
                refuse_repeat_within_ms,
            })?;
            let change = StateChange {
                detail: evidence,
                ..StateChange::default()
            };
            ledger.transition(&r, TxState::Sending, &change)
        })
        .await?
        .map(drop)
        .map_err(|error| match error {
            LedgerError::PossibleRepeat(earlier) => EngineError::PossibleRepeat(earlier),
            other => EngineError::NotRecorded(other),
        })
    }

    /// Sends a money-moving request within the deadline, trying again only when it provably
    /// never reached the provider. A deadline overrun leaves the outcome unknown.
    pub(super) async fn send_money<T, F, Fut>(&self, mut send: F) -> Result<T, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let attempts = async {
            let mut pause = self.options.retry_backoff;
            let mut attempt = 0;
            loop {
                match send().await {
                    Err(ProviderError::NotSent { .. })
                        if attempt < self.options.not_sent_retries =>
                    {
                        attempt += 1;
                        tokio::time::sleep(pause).await;
                        pause *= 2;
                    }
                    other => return other,
                }
            }
        };
        tokio::time::timeout(self.options.deadline, attempts)
            .await
            .unwrap_or_else(|_| {
                Err(ProviderError::MaybeSent {
                    reason: "the operation took longer than its deadline".into(),
                })
            })
    }

    /// Commits the outcome of a sent operation. If that fails, the error says the operation
    /// was sent and must not be sent again.
    pub(super) async fn record_outcome(
        &self,
        reference: &Reference,
        state: TxState,
        change: StateChange,
    ) -> Result<TxRecord, EngineError> {
        let ledger = self.ledger.clone();
        let r = reference.clone();
        let written = tokio::task::spawn_blocking(move || ledger.transition(&r, state, &change))
            .await
            .unwrap_or_else(|e| Err(LedgerError::Write(format!("internal task failed: {e}"))));
        written.map_err(|error| EngineError::OutcomeNotRecorded {
            reference: reference.to_string(),
            outcome: state.to_string(),
            error,
        })
    }
}
