//! Operations a person must look at — unknown outcomes, rows an interruption left half-way,
//! and settled ones a later fact contradicted — and settling them by hand with a note, an
//! event like any other. Nobody settles an operation that a live saldo is sending.

use crate::domain::{Basis, Note, Reference, TxState};
use crate::ledger::{EventRecord, LedgerError, StateChange, TxRecord};

use super::{Engine, EngineError, blocking};

/// How a person settles an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    Succeeded,
    Failed,
}

impl Settlement {
    fn state(self) -> TxState {
        match self {
            Settlement::Succeeded => TxState::Succeeded,
            Settlement::Failed => TxState::Failed,
        }
    }
}

/// An operation needing review, with its event log as evidence.
#[derive(Clone, Debug)]
pub struct ReviewItem {
    pub record: TxRecord,
    pub events: Vec<EventRecord>,
}

fn busy(reference: &Reference) -> EngineError {
    EngineError::BadInput(format!(
        "{reference} is being sent (or checked) right now by a running saldo: nothing was \
         changed. Wait until it has finished, then look again"
    ))
}

impl Engine {
    /// Every operation whose outcome nobody knows yet — unknown, left recorded or sending by
    /// an interruption, flagged by the reconciler, or settled but contradicted later — oldest
    /// first. Operations a live saldo is sending right now are not listed: they are not stuck.
    pub async fn needs_review(&self) -> Result<Vec<ReviewItem>, EngineError> {
        let ledger = self.ledger.clone();
        Ok(blocking(move || {
            let records = ledger.open_or_flagged()?;
            records
                .into_iter()
                .filter(|r| listed_for_review(&ledger, r))
                .map(|record| {
                    let events = ledger.events(&record.reference)?;
                    Ok(ReviewItem { record, events })
                })
                .collect::<Result<Vec<_>, LedgerError>>()
        })
        .await??)
    }

    /// How many operations [`Engine::needs_review`] lists (the window's side bar shows it),
    /// by the same rule, without reading their events.
    pub async fn review_count(&self) -> Result<usize, EngineError> {
        let ledger = self.ledger.clone();
        Ok(blocking(move || {
            let records = ledger.open_or_flagged()?;
            Ok::<_, LedgerError>(
                records
                    .iter()
                    .filter(|r| listed_for_review(&ledger, r))
                    .count(),
            )
        })
        .await??)
    }

    /// Settles an operation by hand, after checking with the provider or the customer. It is
    /// refused while a live saldo holds the operation (sending it, or checking it); a settled
    /// operation can be settled again only when a later fact contradicted it.
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
        let target = outcome.state();
        blocking(move || {
            let Some(_claim) = ledger.claim(&r)? else {
                return Err(busy(&r));
            };
            let record = ledger.transaction(&r)?;
            match record.state {
                TxState::Succeeded | TxState::Failed if record.review_reason.is_some() => {
                    ledger.resolve_flag_by_hand(&r, record.state, target, &note)?;
                    return Ok(ledger.transaction(&r)?);
                }
                TxState::Succeeded | TxState::Failed => {
                    return Err(EngineError::BadInput(format!(
                        "{r} is already {}: nothing to settle",
                        record.state
                    )));
                }
                TxState::Recorded if target == TxState::Succeeded => {
                    return Err(EngineError::BadInput(format!(
                        "{r} was recorded but never sent: it cannot have succeeded"
                    )));
                }
                _ => {}
            }
            let mut from = record.state;
            if from == TxState::Recorded {
                let never = StateChange {
                    detail: Some(Note::NeverSentByHand.to_stored()),
                    ..StateChange::default()
                };
                ledger.transition_from(&r, TxState::Recorded, TxState::Sending, &never)?;
                from = TxState::Sending;
            }
            let change = StateChange {
                provider_ref: None,
                provider_message: Some(Note::ByHand { note: note.clone() }.to_stored()),
                detail: Some(
                    Note::SettledByHand {
                        state: target,
                        note,
                    }
                    .to_stored(),
                ),
                basis: Some(Basis::ByHand),
            };
            Ok(ledger.settle_from(&r, from, target, &change)?.into_record())
        })
        .await?
    }
}

/// Whether Review lists an operation: flagged ones, and open ones but plain pending (the
/// provider is working on it) and those a live sender holds (in flight).
fn listed_for_review(ledger: &crate::ledger::Ledger, record: &TxRecord) -> bool {
    (record.review_reason.is_some() || record.state != TxState::Pending)
        && (!matches!(record.state, TxState::Recorded | TxState::Sending)
            || !ledger.is_claimed(&record.reference))
}
