//! `saldo topup` and `saldo status`.

use clap::Args;

use super::{CliError, Exit, Output};
use crate::domain::{Basis, Note, Reference, TxState};
use crate::engine::{Engine, TopUpOrder};
use crate::ledger::{TxKind, TxRecord};
use std::borrow::Cow;

#[derive(Debug, Args)]
pub struct TopupArgs {
    /// The profile to top up through.
    pub profile: String,
    /// The customer's mobile number (e.g. 52942387 or +53 5294 2387).
    #[arg(long)]
    pub to: String,
    /// The amount, one of the profile's denominations (e.g. 20 or 20.00).
    #[arg(long)]
    pub amount: String,
    /// The mobile operator, by name or code (RechargeKit), e.g. Airtel.
    #[arg(long)]
    pub operator: Option<String>,
    /// The telecom circle, by name or code (RechargeKit), e.g. "West Bengal".
    #[arg(long)]
    pub circle: Option<String>,
    /// Send it even though the same number got the same amount moments ago (the repeat is
    /// refused otherwise, for the profile's duplicate window, 10 minutes by default). A repeat
    /// of a top-up that is still open (sending, pending, unknown) is always refused.
    #[arg(long)]
    pub confirm_duplicate: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Our reference of the operation (SAL-…).
    pub reference: String,
}

/// The result line of an operation and the exit code its state calls for.
pub(crate) fn describe(record: &TxRecord) -> Output {
    let target = match record.kind {
        TxKind::TopUp => format!("to {}", record.destination),
        TxKind::CreditAdd => format!("to sub-account {}", record.destination),
        TxKind::CreditRemove => format!("from sub-account {}", record.destination),
        TxKind::Transfer => format!("to child account {}", record.destination),
    };
    let what = format!(
        "{} {} {target} via {}",
        record.reference, record.amount, record.profile_name
    );
    let provider_said = record
        .provider_message
        .as_deref()
        .filter(|_| record.state == TxState::Succeeded && record.kind != TxKind::TopUp)
        .map(|m| format!(": {}", Note::in_english(m)))
        .unwrap_or_default();
    let provider_ref = record
        .provider_ref
        .as_deref()
        .map(|r| format!(", provider reference {r}"))
        .unwrap_or_default();
    let message = record
        .provider_message
        .as_deref()
        .map_or(Cow::Borrowed("no reason given"), Note::in_english);
    let (text, exit) = match record.state {
        TxState::Succeeded => (
            format!("succeeded: {what}{provider_ref}{provider_said}"),
            Exit::Ok,
        ),
        // Only a failure the provider stated (or a send that never reached it) means nothing
        // was charged; one saldo or a person concluded says so.
        TxState::Failed => match record.basis {
            Some(Basis::Inferred) => (
                format!(
                    "failed (concluded by saldo from the evidence, not stated by the provider): \
                     {what}: {message}"
                ),
                Exit::Rejected,
            ),
            Some(Basis::ByHand) => (
                format!("failed (settled by hand, not stated by the provider): {what}: {message}"),
                Exit::Rejected,
            ),
            _ => (
                format!("failed: {what}: {message} (nothing was charged)"),
                Exit::Rejected,
            ),
        },
        TxState::Pending => (
            format!(
                "pending: {what}{provider_ref}: accepted, not confirmed yet; check again with \
                 `saldo status {}`",
                record.reference
            ),
            Exit::Unsettled,
        ),
        TxState::Unknown => (
            format!(
                "unknown: {what}: {message}. Do NOT send it again; check it with `saldo status {}` \
                 or with the provider",
                record.reference
            ),
            Exit::Unsettled,
        ),
        TxState::Recorded | TxState::Sending => (
            format!(
                "interrupted: {what}: saldo stopped while sending it; the outcome is unknown. Do \
                 NOT send it again"
            ),
            Exit::Unsettled,
        ),
    };
    Output { text, exit }
}

pub(crate) fn run_topup(
    args: TopupArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let order = TopUpOrder {
        profile: args.profile,
        number: args.to,
        amount: args.amount,
        operator: args.operator,
        circle: args.circle,
        confirm_repeat: args.confirm_duplicate,
    };
    let record = runtime.block_on(engine.top_up(&order))?;
    Ok(describe(&record))
}

pub(crate) fn run_status(
    args: StatusArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let reference = Reference::from_text(&args.reference);
    let record = runtime.block_on(engine.refresh_status(&reference))?;
    Ok(describe(&record))
}
