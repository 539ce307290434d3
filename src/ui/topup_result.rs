//! How a finished top-up reads at the counter: a headline in large clear words, its colour,
//! and the lines under it. Unknown outcomes always say "do not resend".

use egui::Color32;

use super::backend::{Command, SendFailure};
use super::error_text::state_text;
use super::theme::{FAILURE, SUCCESS, WARNING};
use super::topup_panel::{Stage, TopUpPanel};
use crate::domain::{Basis, Money, PhoneNumber, TxState};
use crate::engine::TopUpOrder;
use crate::ledger::TxRecord;
use crate::t;

/// Sends an order and shows the counter as sending.
pub(super) fn submit_order(
    panel: &mut TopUpPanel,
    number: PhoneNumber,
    amount: Money,
    order: TopUpOrder,
    run: &mut dyn FnMut(Command),
) {
    run(Command::TopUp(order.clone()));
    panel.last_sent = Some((number.clone(), amount, order));
    panel.stage = Stage::Sending { number, amount };
}

/// The headline, its colour and the detail lines for a finished top-up.
pub fn result_text(result: &Result<TxRecord, SendFailure>) -> (String, Color32, Vec<String>) {
    let record = match result {
        Ok(record) => record,
        Err(failure) if failure.repeat_of.is_some() => {
            return (t!("result-repeat"), WARNING, vec![failure.message.clone()]);
        }
        Err(failure) if failure.may_have_been_sent => {
            return (t!("result-unknown"), WARNING, vec![failure.message.clone()]);
        }
        Err(failure) => {
            return (
                t!("result-not-sent"),
                FAILURE,
                vec![failure.message.clone()],
            );
        }
    };
    let what = t!(
        "result-what",
        amount = record.amount.to_string(),
        number = record.destination.as_str()
    );
    let reference = t!(
        "result-our-reference",
        reference = record.reference.as_str()
    );
    let provider_ref = record
        .provider_ref
        .as_deref()
        .map(|r| t!("result-provider-reference", reference = r));
    let reason = record.provider_message.clone().unwrap_or_default();
    match record.state {
        TxState::Succeeded => (
            t!("result-succeeded"),
            SUCCESS,
            [Some(what), provider_ref, Some(reference)]
                .into_iter()
                .flatten()
                .collect(),
        ),
        TxState::Failed => (
            t!("result-failed"),
            FAILURE,
            vec![
                t!("result-reason", reason = reason),
                // Only a failure the provider stated means nothing was charged.
                match record.basis {
                    Some(Basis::Inferred | Basis::ByHand) => {
                        t!("result-failure-concluded", what = what)
                    }
                    _ => t!("result-nothing-charged", what = what),
                },
                reference,
            ],
        ),
        TxState::Pending => (
            t!("result-pending"),
            WARNING,
            [
                Some(t!("result-pending-detail", what = what)),
                provider_ref,
                Some(t!("result-do-not-resend-history")),
                Some(reference),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        TxState::Unknown | TxState::Recorded | TxState::Sending => (
            t!("result-unknown"),
            WARNING,
            vec![
                t!(
                    "result-unknown-detail",
                    what = what,
                    reason = reason,
                    state = state_text(record.state)
                ),
                t!("result-unknown-advice"),
                reference,
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_sending_never_reads_as_not_sent() {
        let sent = SendFailure {
            message: "top-up SAL-1 was sent but saldo could not record that".into(),
            may_have_been_sent: true,
            repeat_of: None,
        };
        assert_eq!(result_text(&Err(sent)).0, t!("result-unknown"));
        let refused = SendFailure {
            message: "nothing was sent: the disk is full".into(),
            may_have_been_sent: false,
            repeat_of: None,
        };
        assert_eq!(result_text(&Err(refused)).0, t!("result-not-sent"));
        assert_ne!(t!("result-unknown"), t!("result-not-sent"));
    }
}
