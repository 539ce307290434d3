//! The journal-first top-up and the status refresh of an earlier one.

use std::collections::BTreeMap;

use crate::domain::{Money, PhoneNumber, Reference, TxState};
use crate::ledger::{BatchLine, StateChange, TxKind, TxRecord};
use crate::providers::registry::{PickList, TopUpField, resolve_extras};
use crate::providers::{
    Profile, Progress, StatusProgress, StatusQuery, StatusReport, TopUpExtras, TopUpReceipt,
    TopUpRequest, TopUpStatus,
};

use tracing::Instrument;

use super::journal::{Deadline, Settlement, Start, operation_span, repeat_guard, settle_error};
use super::{Engine, EngineError, blocking};

/// A top-up as a person or a script asks for it: text straight from the counter.
#[derive(Clone, Debug)]
pub struct TopUpOrder {
    pub profile: String,
    pub number: String,
    pub amount: String,
    /// The mobile operator, by name or code, for providers that need it (RechargeKit).
    pub operator: Option<String>,
    /// The telecom circle, by name or code, for providers that need it (RechargeKit).
    pub circle: Option<String>,
    /// The person confirmed that this repeats a recent top-up on purpose.
    pub confirm_repeat: bool,
}

impl TopUpOrder {
    /// An order with no operator or circle.
    pub fn new(profile: &str, number: &str, amount: &str) -> TopUpOrder {
        TopUpOrder {
            profile: profile.to_string(),
            number: number.to_string(),
            amount: amount.to_string(),
            operator: None,
            circle: None,
            confirm_repeat: false,
        }
    }
}

/// The state a status report settles an operation in; `None` when the provider has no record
/// of it, which only the reconciler may turn into a failure (once no send can still arrive).
pub(super) fn settle_status(report: &StatusReport) -> Option<TxState> {
    match report.progress {
        StatusProgress::Delivered => Some(TxState::Succeeded),
        StatusProgress::InProgress => Some(TxState::Pending),
        StatusProgress::Failed => Some(TxState::Failed),
        StatusProgress::NotFound => None,
    }
}

/// A top-up order checked against its profile: exactly what would be sent.
#[derive(Clone, Debug)]
pub struct CheckedTopUp {
    pub number: PhoneNumber,
    pub amount: Money,
    pub extras: TopUpExtras,
}

/// Checks an order against its profile without sending or recording anything: the number for
/// the provider's country, the amount and the profile's denominations, operator and circle
/// (against `lists`, the profile's [`Ledger::topup_lists`](crate::ledger::Ledger::topup_lists)).
pub fn check_top_up(
    order: &TopUpOrder,
    profile: &Profile,
    lists: &[PickList],
) -> Result<CheckedTopUp, EngineError> {
    let country = profile.provider.topup_country().ok_or_else(|| {
        EngineError::Config(format!(
            "{} does not top up phones: choose a top-up profile",
            profile.provider.display_name()
        ))
    })?;
    let number = PhoneNumber::parse_mobile(&order.number, country)
        .map_err(|e| EngineError::BadInput(e.to_string()))?;
    let amount = Money::parse(&order.amount, profile.settings.unit)
        .map_err(|e| EngineError::BadInput(e.to_string()))?;
    if amount.minor() == 0 {
        return Err(EngineError::BadInput(
            "the amount must be more than 0".into(),
        ));
    }
    let denominations = &profile.settings.denominations;
    if !denominations.is_empty() && !denominations.contains(&amount.minor()) {
        let allowed: Vec<String> = profile
            .settings
            .denomination_amounts()
            .iter()
            .map(Money::to_string)
            .collect();
        return Err(EngineError::BadInput(format!(
            "{amount} is not an amount profile “{}” sells: choose one of {}",
            profile.name,
            allowed.join(", ")
        )));
    }
    let extras = resolve_extras(lists, order.operator.as_deref(), order.circle.as_deref())
        .map_err(EngineError::BadInput)?;
    Ok(CheckedTopUp {
        number,
        amount,
        extras,
    })
}

impl Engine {
    /// Tops up a number: validates, records, sends, confirms and records the outcome.
    ///
    /// Returns the final ledger row; its state says how it ended (`Succeeded`, `Failed`,
    /// `Pending`, `Unknown`). An `Err` means either nothing was sent (bad input, settings,
    /// the ledger could not be written) or the outcome could not be recorded.
    pub async fn top_up(&self, order: &TopUpOrder) -> Result<TxRecord, EngineError> {
        self.send_top_up(order, None).await
    }

    /// Tops up one row of a stored batch. The row is linked to its operation in the same
    /// transaction that records it, so the row is never sent twice, even after a crash.
    pub async fn top_up_batch_row(
        &self,
        order: &TopUpOrder,
        row: BatchLine,
    ) -> Result<TxRecord, EngineError> {
        self.send_top_up(order, Some(row)).await
    }

    async fn send_top_up(
        &self,
        order: &TopUpOrder,
        batch_row: Option<BatchLine>,
    ) -> Result<TxRecord, EngineError> {
        let profile = self.profile(&order.profile).await?;
        let lists = self.topup_lists(&profile).await?;
        let checked = check_top_up(order, &profile, &lists)?;
        self.check_sales_floor(&profile, checked.amount).await?;
        let connector = self.connector(&profile).await?;
        let sender = connector.top_up.clone().ok_or_else(|| {
            EngineError::Config(format!(
                "{} cannot top up phones",
                profile.provider.display_name()
            ))
        })?;
        self.recover_leftovers(&profile).await?;

        let reference = Reference::generate_on(self.ledger.now());
        let request = TopUpRequest {
            reference: reference.clone(),
            destination: checked.number,
            amount: checked.amount,
            extras: checked.extras,
        };
        let deadline = Deadline::after(self.operation_deadline(&profile));
        // Kept so the very same request can be sent again (see the reconciler).
        let extras = serde_json::to_string(&request.extras).ok();
        let _claim = self
            .record_and_start(Start {
                reference: reference.clone(),
                kind: TxKind::TopUp,
                profile_id: profile.id,
                destination: request.destination.e164(),
                amount: request.amount,
                evidence: None,
                repeat_guard: Some(repeat_guard(
                    profile.settings.duplicate_window_secs,
                    order.confirm_repeat,
                )),
                request: extras,
                batch_row,
            })
            .await?;
        self.remember_choices(&profile, order, &request.destination.e164())
            .await;
        let (state, change) = async {
            match self.send_money(deadline, || sender.top_up(&request)).await {
                Ok(receipt) => {
                    let status = connector.top_up_status.as_deref();
                    self.settle_receipt(&reference, receipt, status, deadline)
                        .await
                }
                Err(error) => settle_error(&error),
            }
        }
        .instrument(operation_span(&reference))
        .await;
        self.record_outcome(&reference, TxState::Sending, state, change)
            .await
    }

    /// Keeps the operator and circle chosen for a number, for the counter to offer next time.
    /// Losing this memory costs the clerk one choice, so a failure here does not stop the sale.
    async fn remember_choices(&self, profile: &Profile, order: &TopUpOrder, number: &str) {
        let choices: BTreeMap<String, String> = [
            (TopUpField::Operator, &order.operator),
            (TopUpField::Circle, &order.circle),
        ]
        .into_iter()
        .filter_map(|(field, value)| Some((field.key().to_string(), value.clone()?)))
        .collect();
        if choices.is_empty() {
            return;
        }
        let ledger = self.ledger.clone();
        let (id, number) = (profile.id, number.to_string());
        let _ = blocking(move || ledger.remember_choices(id, &number, &choices)).await;
    }

    /// Turns an accepted top-up into a state, asking for its status when the provider's
    /// acceptance is not yet a confirmation.
    pub(super) async fn settle_receipt(
        &self,
        receipt_reference: &Reference,
        receipt: TopUpReceipt,
        status: Option<&dyn TopUpStatus>,
        deadline: Deadline,
    ) -> Settlement {
        let mut change = StateChange {
            provider_ref: receipt.provider_ref.clone(),
            provider_message: receipt.message.clone(),
            detail: Some(receipt.raw.clone()),
            basis: None,
        };
        let reference = &receipt_reference;
        let state = match (receipt.progress, status) {
            (Progress::Delivered, _) => TxState::Succeeded,
            (Progress::InProgress, _) => TxState::Pending,
            (Progress::Accepted, Some(status))
                if receipt.provider_ref.is_some() || !status.needs_provider_ref() =>
            {
                let query = StatusQuery {
                    reference,
                    provider_ref: receipt.provider_ref.as_deref(),
                };
                let asked = tokio::time::timeout_at(
                    deadline.at,
                    self.read_with_retry(|| status.top_up_status(query)),
                )
                .await;
                match asked {
                    Ok(Ok(report)) if report.progress != StatusProgress::NotFound => {
                        change.provider_message =
                            report.message.clone().or(change.provider_message);
                        change.detail = Some(format!("{}\n{}", receipt.raw, report.raw));
                        settle_status(&report).unwrap_or(TxState::Pending)
                    }
                    // Accepted, and it can be asked about later: not final yet.
                    _ => TxState::Pending,
                }
            }
            (Progress::Accepted, _) => TxState::Succeeded,
        };
        (state, change)
    }
}
