//! Operations a person must look at (unknown outcomes, and rows a crash left half-way), and
//! settling them by hand with a note — an event like any other.

use crate::domain::{Reference, TxState};
use crate::ledger::{EventRecord, StateChange, TxRecord};

use super::{Engine, EngineError, blocking};

/// How a person settles an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    Succeeded,
    Failed,
}

/// An operation needing review, with its event log as evidence.
#[derive(Clone, Debug)]
pub struct ReviewItem {
    pub record: TxRecord,
    pub events: Vec<EventRecord>,
}

impl Engine {
    /// Every operation whose outcome nobody knows yet — unknown, left recorded or sending by
    /// an interruption, or flagged by the reconciler — oldest first.
    pub async fn needs_review(&self) -> Result<Vec<ReviewItem>, EngineError> {
        let ledger = self.ledger.clone();
        Ok(blocking(move || {
            let records = ledger.open_operations(None)?;
            records
                .into_iter()
                .filter(|r| r.review_reason.is_some() || r.state != TxState::Pending)
                .map(|record| {
                    let events = ledger.events(&record.reference)?;
                    Ok(ReviewItem { record, events })
                })
                .collect::<Result<Vec<_>, crate::ledger::LedgerError>>()
        })
        .await??)
    }

    /// Settles an open operation by hand, after checking with the provider or the customer.
    pub async fn settle(
        &self,
        reference: &Reference,
        outcome: Settlement,
        note: &str,
    ) -> Result<TxRecord, EngineError> {
        let note = note.trim().to_string();
        if note.is_empty() {
            return Err(EngineError::BadInput(
                "say how you know (--note), e.g. \"customer received it\"".to_string(),
            ));
        }
        let ledger = self.ledger.clone();
        let r = reference.clone();
        let record = blocking(move || ledger.transaction(&r)).await??;
        let target = match outcome {
            Settlement::Succeeded => TxState::Succeeded,
            Settlement::Failed => TxState::Failed,
        };
        match (record.state, outcome) {
            (TxState::Succeeded | TxState::Failed, _) => {
                return Err(EngineError::BadInput(format!(
                    "{reference} is already {}: nothing to settle",
                    record.state
                )));
            }
            (TxState::Recorded, Settlement::Succeeded) => {
                return Err(EngineError::BadInput(format!(
                    "{reference} was recorded but never sent: it cannot have succeeded"
                )));
            }
            _ => {}
        }
        let ledger = self.ledger.clone();
        let r = reference.clone();
        let written = blocking(move || {
            if record.state == TxState::Recorded {
                let never = StateChange {
                    detail: Some("never sent (settled by hand)".to_string()),
                    ..StateChange::default()
                };
                ledger.transition(&r, TxState::Sending, &never)?;
            }
            let change = StateChange {
                provider_ref: None,
                provider_message: Some(format!("settled by hand: {note}")),
                detail: Some(format!("settled by hand as {target}: {note}")),
            };
            ledger.transition(&r, target, &change)
        })
        .await?;
        written.map_err(EngineError::from)
    }
}
