//! Moving points from the main account to a child account, journal-first.

use crate::domain::{Money, Reference, TxState};
use crate::ledger::{StateChange, TxKind, TxRecord};
use crate::providers::TransferRequest;

use tracing::Instrument;

use super::journal::{Deadline, Start, operation_span, repeat_guard, settle_error};
use super::{Engine, EngineError};

/// A transfer as a person or a script asks for it.
#[derive(Clone, Debug)]
pub struct TransferOrder {
    pub profile: String,
    /// The child account's id at the provider.
    pub child: String,
    pub amount: String,
    /// The person confirmed that this repeats a recent transfer of the same amount on purpose.
    pub confirm_repeat: bool,
}

impl Engine {
    /// Transfers points to a child account: records it, sends it once (a refused token is
    /// renewed and tried once more by the adapter: nothing was executed), records the outcome.
    pub async fn transfer(&self, order: &TransferOrder) -> Result<TxRecord, EngineError> {
        let profile = self.profile(&order.profile).await?;
        let amount = Money::parse(&order.amount, profile.settings.unit)
            .map_err(|e| EngineError::BadInput(e.to_string()))?;
        if amount.minor() == 0 {
            return Err(EngineError::BadInput(
                "the amount to transfer must be more than 0".to_string(),
            ));
        }
        let child = order.child.trim();
        let child_ok = !child.is_empty()
            && child
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !child_ok {
            return Err(EngineError::BadInput(format!(
                "“{child}” is not a child account id: use letters, digits, '-', '_' or '.'"
            )));
        }
        let connector = self.connector(&profile).await?;
        let sender = connector.child_transfer.clone().ok_or_else(|| {
            EngineError::Config(format!(
                "{} cannot transfer to child accounts",
                profile.provider.display_name()
            ))
        })?;
        self.recover_leftovers(&profile).await?;
        let reference = Reference::generate_on(self.ledger.now());
        let deadline = Deadline::after(self.operation_deadline(&profile));
        let _claim = self
            .record_and_start(Start {
                reference: reference.clone(),
                kind: TxKind::Transfer,
                profile_id: profile.id,
                destination: child.to_string(),
                amount,
                evidence: None,
                repeat_guard: Some(repeat_guard(
                    profile.settings.duplicate_window_secs,
                    order.confirm_repeat,
                )),
                request: None,
                batch_row: None,
            })
            .await?;
        let request = TransferRequest {
            reference: reference.clone(),
            child: child.to_string(),
            amount,
        };
        let (state, change) = match self
            .send_money(deadline, || sender.transfer(&request))
            .instrument(operation_span(&reference))
            .await
        {
            Ok(receipt) => (
                TxState::Succeeded,
                StateChange {
                    provider_ref: None,
                    provider_message: Some("OK".to_string()),
                    detail: Some(receipt.raw),
                    basis: None,
                },
            ),
            Err(error) => settle_error(&error),
        };
        self.record_outcome(&reference, TxState::Sending, state, change)
            .await
    }
}
