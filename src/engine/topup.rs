//! The journal-first top-up and the status refresh of an earlier one.

use crate::domain::{Money, PhoneNumber, Reference, TxState};
use crate::ledger::{StateChange, TxKind, TxRecord};
use crate::providers::{
    Progress, StatusProgress, StatusQuery, StatusReport, TopUpReceipt, TopUpRequest, TopUpStatus,
};

use super::journal::{Settlement, settle_error};
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

fn settle_status(report: &StatusReport) -> TxState {
    match report.progress {
        StatusProgress::Delivered => TxState::Succeeded,
        StatusProgress::InProgress => TxState::Pending,
        StatusProgress::Failed => TxState::Failed,
    }
}

impl Engine {
    /// Tops up a number: validates, records, sends, confirms and records the outcome.
    ///
    /// Returns the final ledger row; its state says how it ended (`Succeeded`, `Failed`,
    /// `Pending`, `Unknown`). An `Err` means either nothing was sent (bad input, settings,
    /// the ledger could not be written) or the outcome could not be recorded.
    pub async fn top_up(&self, order: &TopUpOrder) -> Result<TxRecord, EngineError> {
        let profile = self.profile(&order.profile).await?;
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
        let extras = (profile.provider.info().topup_extras)(
            order.operator.as_deref(),
            order.circle.as_deref(),
        )
        .map_err(EngineError::BadInput)?;
        let connector = self.connector(&profile).await?;
        let sender = connector.top_up.clone().ok_or_else(|| {
            EngineError::Config(format!(
                "{} cannot top up phones",
                profile.provider.display_name()
            ))
        })?;

        let reference = Reference::generate();
        let request = TopUpRequest {
            reference: reference.clone(),
            destination: number,
            amount,
            extras,
        };
        let destination = request.destination.e164();
        let window_ms = i64::try_from(profile.settings.duplicate_window_secs)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000);
        let guard = (!order.confirm_repeat && window_ms > 0).then_some(window_ms);
        self.record_and_start(
            &reference,
            TxKind::TopUp,
            profile.id,
            &destination,
            amount,
            None,
            guard,
        )
        .await?;
        let sent = self.send_money(|| sender.top_up(&request)).await;
        let (state, change) = match sent {
            Ok(receipt) => {
                self.settle_receipt(&reference, receipt, connector.top_up_status.as_deref())
                    .await
            }
            Err(error) => settle_error(&error),
        };
        self.record_outcome(&reference, state, change).await
    }

    /// Turns an accepted top-up into a state, asking for its status when the provider's
    /// acceptance is not yet a confirmation.
    async fn settle_receipt(
        &self,
        receipt_reference: &Reference,
        receipt: TopUpReceipt,
        status: Option<&dyn TopUpStatus>,
    ) -> Settlement {
        let mut change = StateChange {
            provider_ref: receipt.provider_ref.clone(),
            provider_message: receipt.message.clone(),
            detail: Some(receipt.raw.clone()),
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
                match self.read_with_retry(|| status.top_up_status(query)).await {
                    Ok(report) => {
                        change.provider_message =
                            report.message.clone().or(change.provider_message);
                        change.detail = Some(format!("{}\n{}", receipt.raw, report.raw));
                        settle_status(&report)
                    }
                    // Accepted, and it can be asked about later: not final yet.
                    Err(_) => TxState::Pending,
                }
            }
            (Progress::Accepted, _) => TxState::Succeeded,
        };
        (state, change)
    }

    /// Reads an operation from the ledger and, if it is still pending or unknown and its
    /// provider can say more, asks the provider and records the answer.
    pub async fn refresh_status(&self, reference: &Reference) -> Result<TxRecord, EngineError> {
        let ledger = self.ledger.clone();
        let r = reference.clone();
        let record = blocking(move || ledger.transaction(&r)).await??;
        if !matches!(record.state, TxState::Pending | TxState::Unknown) {
            return Ok(record);
        }
        let profile = self.profile(&record.profile_name).await?;
        let connector = self.connector(&profile).await?;
        let Some(status) = connector.top_up_status else {
            return Ok(record);
        };
        if status.needs_provider_ref() && record.provider_ref.is_none() {
            return Ok(record);
        }
        let query = StatusQuery {
            reference,
            provider_ref: record.provider_ref.as_deref(),
        };
        let report = self
            .read_with_retry(|| status.top_up_status(query))
            .await
            .map_err(EngineError::Provider)?;
        let state = settle_status(&report);
        if state == record.state || !record.state.can_become(state) {
            return Ok(record);
        }
        let change = StateChange {
            provider_ref: None,
            provider_message: report.message.clone(),
            detail: Some(report.raw.clone()),
        };
        self.record_outcome(reference, state, change).await
    }
}
