//! Why an operation waits for a person, in the window's language: the ledger keeps the reason
//! as data ([`ReviewReason`]); a sentence an older saldo wrote is shown as it was.

use crate::domain::time::local_text;
use crate::domain::{BalanceArithmetic, Money, ReviewReason, TxState};
use crate::t;
use crate::ui::text::error_text::state_text;
use crate::ui::text::numbers::money_text;

/// The reason as the window's language says it.
pub fn review_reason_text(reason: &ReviewReason) -> String {
    use ReviewReason::*;
    match reason {
        ProfileUnreadable => t!("reason-profile-unreadable"),
        TransferCannotBeAsked { profile, child } => t!(
            "reason-transfer-cannot-be-asked",
            profile = profile.as_str(),
            child = child.as_str()
        ),
        CannotSendAgain => t!("reason-cannot-send-again"),
        NumberUnreadable { error } => t!("reason-number-unreadable", error = error.as_str()),
        RequestUnreadable { error } => t!("reason-request-unreadable", error = error.as_str()),
        RequestNotKept {
            destination,
            amount,
            at,
        } => look_up("reason-request-not-kept", destination, *amount, *at),
        CannotAskTopUp => t!("reason-cannot-ask-top-up"),
        ProviderIdLost {
            destination,
            amount,
            at,
        } => look_up("reason-provider-id-lost", destination, *amount, *at),
        NoAnswer { checks } => t!("reason-no-answer", checks = *checks),
        NoRecord {
            destination,
            amount,
            at,
        } => look_up("reason-no-record", destination, *amount, *at),
        NoLongerKnown => t!("reason-no-longer-known"),
        AmountDiffers { found, recorded } => t!(
            "reason-amount-differs",
            found = money_text(*found),
            recorded = money_text(*recorded)
        ),
        PendingTooLong { said: Some(said) } => {
            t!("reason-pending-too-long-said", said = said.as_str())
        }
        PendingTooLong { said: None } => t!("reason-pending-too-long"),
        LateContradiction { reported, recorded } => t!(
            "reason-late-contradiction",
            reported = state_text(*reported),
            recorded = state_text(*recorded)
        ),
        NoBalanceBefore => t!("reason-no-balance-before"),
        SubAccountsUnreadable => t!("reason-sub-accounts-unreadable"),
        SubAccountGone { sub_account } => {
            t!(
                "reason-sub-account-gone",
                sub_account = sub_account.as_str()
            )
        }
        Overlapped { other } => t!("reason-overlapped", other = other.as_str()),
        AlsoUnknown { other } => t!("reason-also-unknown", other = other.as_str()),
        OtherUnsettled { other } => t!("reason-other-unsettled", other = other.as_str()),
        BalanceMoved { moved, arithmetic } => t!(
            "reason-balance-moved",
            moved = money_text(*moved),
            arithmetic = arithmetic_text(arithmetic)
        ),
        ReadingsDisagree {
            first,
            now,
            arithmetic,
        } => t!(
            "reason-readings-disagree",
            first = state_text(*first),
            now = state_text(*now),
            conclusion = conclusion_text(*now, arithmetic)
        ),
        Written(text) => text.clone(),
    }
}

/// A reason that asks a person to look `destination` and `amount` up around `at`.
fn look_up(id: &str, destination: &str, amount: Money, at: i64) -> String {
    t!(
        id,
        destination = destination,
        amount = money_text(amount),
        at = local_text(at)
    )
}

/// The balance arithmetic behind a reason, in the window's language.
fn arithmetic_text(arithmetic: &BalanceArithmetic) -> String {
    t!(
        "reason-arithmetic",
        sub_account = arithmetic.sub_account.as_str(),
        before = money_text(arithmetic.before),
        before_at = local_text(arithmetic.before_at),
        later = money_text(arithmetic.later),
        later_at = local_text(arithmetic.later_at),
        others = money_text(arithmetic.others),
        effect = money_text(arithmetic.effect)
    )
}

/// What the balances say about a credit move, in the window's language.
pub(crate) fn conclusion_text(state: TxState, arithmetic: &BalanceArithmetic) -> String {
    let arithmetic = arithmetic_text(arithmetic);
    match state {
        TxState::Succeeded => t!("reason-executed", arithmetic = arithmetic),
        _ => t!("reason-not-executed", arithmetic = arithmetic),
    }
}
