//! Why an operation waits for a person: a reason kept as data, so the command line says it in
//! English and the window in its own language. It is stored as JSON in the ledger's
//! `review_reason` column; a row an older saldo flagged keeps its sentence as it was written.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::time::{local_text, utc_iso};
use super::{Money, TxState};

/// The balance arithmetic behind a credit move settled (or not) by its sub-account's balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceArithmetic {
    pub sub_account: String,
    /// The balance read just before the move, and when (Unix ms).
    pub before: Money,
    pub before_at: i64,
    /// The later reading, and when.
    pub later: Money,
    pub later_at: i64,
    /// What the other settled moves in between changed.
    pub others: Money,
    /// What this move would change.
    pub effect: Money,
}

/// What a person is asked to look at, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum ReviewReason {
    /// The profile's settings or secrets cannot be read, so the provider cannot be asked.
    ProfileUnreadable,
    /// The provider has no way to be asked about an earlier transfer.
    TransferCannotBeAsked { profile: String, child: String },
    /// The provider cannot be sent the top-up again.
    CannotSendAgain,
    /// The recorded number cannot be read back.
    NumberUnreadable { error: String },
    /// The request as sent cannot be read back.
    RequestUnreadable { error: String },
    /// The provider has no record, and the request as sent was not kept.
    RequestNotKept {
        destination: String,
        amount: Money,
        at: i64,
    },
    /// The provider cannot be asked about an earlier top-up.
    CannotAskTopUp,
    /// The provider's reply was lost, and it can only be asked by its own id.
    ProviderIdLost {
        destination: String,
        amount: Money,
        at: i64,
    },
    /// The provider did not answer this many checks.
    NoAnswer { checks: i64 },
    /// The provider has no record of it, which does not mean it failed.
    NoRecord {
        destination: String,
        amount: Money,
        at: i64,
    },
    /// The provider accepted it but no longer knows it.
    NoLongerKnown,
    /// The provider's order under our reference is for another amount.
    AmountDiffers { found: Money, recorded: Money },
    /// Still pending after a day (with the provider's last word, if any).
    PendingTooLong { said: Option<String> },
    /// The provider later reported an outcome the ledger contradicts.
    LateContradiction {
        reported: TxState,
        recorded: TxState,
    },
    /// No balance was kept before the credit move.
    NoBalanceBefore,
    /// The sub-account list could not be read.
    SubAccountsUnreadable,
    /// The sub-account is no longer listed.
    SubAccountGone { sub_account: String },
    /// Another move on the same sub-account overlapped this one.
    Overlapped { other: String },
    /// Another move on the same sub-account is unknown too.
    AlsoUnknown { other: String },
    /// Another move on the same sub-account is not settled yet.
    OtherUnsettled { other: String },
    /// The balance moved by neither 0 nor this move's amount.
    BalanceMoved {
        moved: Money,
        arithmetic: BalanceArithmetic,
    },
    /// Two balance readings apart in time disagree.
    ReadingsDisagree {
        first: TxState,
        now: TxState,
        arithmetic: BalanceArithmetic,
    },
    /// A sentence an older saldo wrote, shown as it was.
    #[serde(skip)]
    Written(String),
}

impl ReviewReason {
    /// The text kept in the ledger.
    pub fn to_stored(&self) -> String {
        match self {
            ReviewReason::Written(text) => text.clone(),
            reason => serde_json::to_string(reason).expect("a review reason serialises"),
        }
    }

    /// Reads a kept reason back; anything that is not one of today's reasons is a sentence
    /// an older saldo wrote.
    pub fn from_stored(text: &str) -> ReviewReason {
        if text.starts_with('{')
            && let Ok(reason) = serde_json::from_str(text)
        {
            return reason;
        }
        ReviewReason::Written(text.to_string())
    }
}

impl fmt::Display for BalanceArithmetic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sub-account {}: {} before (read {}), {} at {}, other settled moves {}; this move \
             would change it by {}",
            self.sub_account,
            self.before,
            utc_iso(self.before_at),
            self.later,
            utc_iso(self.later_at),
            self.others.to_decimal_string(),
            self.effect.to_decimal_string(),
        )
    }
}

/// What a balance reading concluded, in words: "executed — …" or "not executed — …".
pub fn balance_conclusion(state: TxState, arithmetic: &BalanceArithmetic) -> String {
    match state {
        TxState::Succeeded => format!("executed — {arithmetic}"),
        _ => format!("not executed — {arithmetic}"),
    }
}

impl fmt::Display for ReviewReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReviewReason::*;
        match self {
            ProfileUnreadable => f.write_str(
                "its profile's settings or secrets cannot be read: check the profile in Settings",
            ),
            TransferCannotBeAsked { profile, child } => write!(
                f,
                "{profile} cannot be asked about an earlier transfer: check child account \
                 {child}'s points on the provider's portal, then settle it"
            ),
            CannotSendAgain => f.write_str(
                "the provider cannot be sent the top-up again: check the provider's records, \
                 then settle it",
            ),
            NumberUnreadable { error } => write!(f, "its number cannot be read back ({error})"),
            RequestUnreadable { error } => {
                write!(f, "the request as sent cannot be read back ({error})")
            }
            RequestNotKept {
                destination,
                amount,
                at,
            } => write!(
                f,
                "the provider has no record of it, and the request as sent was not kept, so it \
                 cannot be sent again as it was: check the provider's records for {destination} \
                 {amount} around {}, then settle it",
                local_text(*at)
            ),
            CannotAskTopUp => f.write_str(
                "the provider cannot be asked about an earlier top-up: check the provider's \
                 records, then settle it",
            ),
            ProviderIdLost {
                destination,
                amount,
                at,
            } => write!(
                f,
                "the provider's reply was lost, and it can only be asked by its own id: check \
                 the provider's records for {destination} {amount} around {}, then settle it",
                local_text(*at)
            ),
            NoAnswer { checks } => write!(f, "the provider did not answer {checks} status checks"),
            NoRecord {
                destination,
                amount,
                at,
            } => write!(
                f,
                "the provider has no record of it, which does not mean it failed: check the \
                 provider's records for {destination} {amount} around {}, then settle it",
                local_text(*at)
            ),
            NoLongerKnown => f.write_str("the provider accepted it but no longer knows it"),
            AmountDiffers { found, recorded } => write!(
                f,
                "the provider's order under our reference is for {found}, not {recorded}: it is \
                 not taken as this operation; check it with the provider, then settle it"
            ),
            PendingTooLong { said: Some(said) } => {
                write!(f, "still pending after a day ({said}): ask the provider")
            }
            PendingTooLong { said: None } => {
                f.write_str("still pending after a day: ask the provider")
            }
            LateContradiction { reported, recorded } => write!(
                f,
                "the provider later reported it {reported}, but the ledger says {recorded}: \
                 check with the provider and the customer, then settle it"
            ),
            NoBalanceBefore => f.write_str(
                "no balance was recorded before the move: compare the sub-account's history on \
                 the provider's portal, then settle it",
            ),
            SubAccountsUnreadable => f.write_str("the sub-account list could not be read"),
            SubAccountGone { sub_account } => write!(
                f,
                "sub-account {sub_account} is no longer listed: its balance cannot be compared"
            ),
            Overlapped { other } => write!(
                f,
                "{other} on the same sub-account overlapped this move, so the balances cannot \
                 tell them apart"
            ),
            AlsoUnknown { other } => write!(
                f,
                "{other} on the same sub-account is unknown too, so the balances cannot tell \
                 the two apart"
            ),
            OtherUnsettled { other } => {
                write!(f, "{other} on the same sub-account is not settled yet")
            }
            BalanceMoved { moved, arithmetic } => write!(
                f,
                "the balance moved by {} — neither 0 nor this move's amount: {arithmetic}",
                moved.to_decimal_string()
            ),
            ReadingsDisagree {
                first,
                now,
                arithmetic,
            } => write!(
                f,
                "two balance readings disagree (first {first}, now {now}): the sub-account's \
                 balance is moving — {}",
                balance_conclusion(*now, arithmetic)
            ),
            Written(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Unit;

    #[test]
    fn a_reason_is_kept_as_data_and_read_back_the_same() {
        let reason = ReviewReason::NoRecord {
            destination: "+5352942387".into(),
            amount: Money::from_minor(500, Unit::Usd),
            at: 1_700_000_000_000,
        };
        let stored = reason.to_stored();
        assert!(stored.starts_with("{\"reason\":\"no-record\""), "{stored}");
        assert_eq!(ReviewReason::from_stored(&stored), reason);
        assert!(reason.to_string().contains("+5352942387 5.00 USD"));
    }

    #[test]
    fn an_older_sentence_is_shown_as_written() {
        let old = "the provider accepted it but no longer knows it (an older saldo)";
        assert_eq!(
            ReviewReason::from_stored(old),
            ReviewReason::Written(old.into())
        );
        assert_eq!(ReviewReason::from_stored(old).to_stored(), old);
        let odd = "{not json";
        assert_eq!(ReviewReason::from_stored(odd).to_string(), odd);
    }
}
