//! Settling a credit move whose reply was lost by comparing balances: SMS Partner has no way
//! to ask about an earlier move, but it lists every sub-account's balance. The balance read just
//! before the move is kept as evidence; a later reading, minus the moves saldo knows settled in
//! between, says whether this one was executed.

use std::fmt;

use crate::domain::time::utc_iso;
use crate::domain::{BalanceArithmetic, Money, ReviewReason, TxState};
use crate::ledger::{DestinationOperation, TxKind, TxRecord};

/// The sub-account balance read just before a credit move, as its `sending` event keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalanceBefore {
    pub sub_account: String,
    pub balance: Money,
    /// When the balance was read (Unix ms).
    pub read_at: i64,
}

const BEFORE: &str = " balance before: ";
const READ_AT: &str = " (read at ";

impl fmt::Display for BalanceBefore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sub-account {}{BEFORE}{}{READ_AT}{})",
            self.sub_account,
            self.balance,
            utc_iso(self.read_at)
        )
    }
}

impl BalanceBefore {
    /// Reads the evidence back; `fallback_read_at` serves evidence written without a time.
    pub fn parse(text: &str, fallback_read_at: i64) -> Option<BalanceBefore> {
        let rest = text.strip_prefix("sub-account ")?;
        let (sub_account, rest) = rest.split_once(BEFORE)?;
        let (amount_text, read_at) = match rest.split_once(READ_AT) {
            Some((amount, time)) => {
                let time = time.trim_end_matches(')');
                let at = time.parse::<jiff::Timestamp>().ok()?.as_millisecond();
                (amount, at)
            }
            None => (rest, fallback_read_at),
        };
        let (number, unit) = amount_text.trim().split_once(' ')?;
        let unit = crate::domain::Unit::from_code(unit)?;
        Some(BalanceBefore {
            sub_account: sub_account.to_string(),
            balance: Money::parse_signed(number, unit).ok()?,
            read_at,
        })
    }
}

/// A later reading of the same sub-account's balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BalanceReading {
    pub balance: Money,
    pub read_at: i64,
}

/// What the balances say about a credit move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BalanceVerdict {
    /// Settled: succeeded or failed, with the arithmetic as evidence.
    Settled(TxState, BalanceArithmetic),
    /// Another move in between is not settled yet: ask again later.
    Wait(ReviewReason),
    /// The balances do not add up to either outcome: a person must look.
    Review(ReviewReason),
}

/// How a credit move changes the sub-account's balance, in minor units.
fn effect(record: &TxRecord) -> i64 {
    match record.kind {
        TxKind::CreditRemove => -record.amount.minor(),
        _ => record.amount.minor(),
    }
}

/// Which later reading to compare with: the first "balance before" of a move on the same
/// sub-account read after `unknown` stopped sending, else `now`.
pub(crate) fn later_reading(
    unknown: &TxRecord,
    others: &[DestinationOperation],
    now: Option<BalanceReading>,
) -> Option<BalanceReading> {
    let sent_by = unknown.updated_at;
    others
        .iter()
        .filter(|o| o.record.id != unknown.id && o.record.created_at >= unknown.created_at)
        .filter_map(|o| {
            let before = BalanceBefore::parse(o.sending_detail.as_deref()?, o.record.created_at)?;
            (before.read_at > sent_by).then_some(BalanceReading {
                balance: before.balance,
                read_at: before.read_at,
            })
        })
        .next()
        .or(now)
}

/// Decides a credit move from its balance before, a later reading, and every other move saldo
/// made on the same sub-account.
pub(crate) fn judge(
    unknown: &TxRecord,
    before: &BalanceBefore,
    later: BalanceReading,
    others: &[DestinationOperation],
) -> BalanceVerdict {
    let mut settled_in_between = 0i64;
    for other in others.iter().filter(|o| o.record.id != unknown.id) {
        let record = &other.record;
        if record.created_at >= later.read_at {
            continue;
        }
        let ended_before = other.send_ended_at.is_some_and(|end| end <= before.read_at);
        if ended_before {
            continue;
        }
        let started_after = record.created_at > before.read_at;
        match record.state {
            TxState::Failed => {}
            TxState::Succeeded if started_after => settled_in_between += effect(record),
            TxState::Succeeded => {
                return BalanceVerdict::Review(ReviewReason::Overlapped {
                    other: record.reference.to_string(),
                });
            }
            // Two moves whose outcomes are both unknown: one balance cannot tell them apart.
            TxState::Unknown => {
                return BalanceVerdict::Review(ReviewReason::AlsoUnknown {
                    other: record.reference.to_string(),
                });
            }
            _ => {
                return BalanceVerdict::Wait(ReviewReason::OtherUnsettled {
                    other: record.reference.to_string(),
                });
            }
        }
    }
    let unit = before.balance.unit();
    let moved = later.balance.minor() - before.balance.minor() - settled_in_between;
    let expected = effect(unknown);
    let arithmetic = BalanceArithmetic {
        sub_account: before.sub_account.clone(),
        before: before.balance,
        before_at: before.read_at,
        later: later.balance,
        later_at: later.read_at,
        others: Money::from_minor(settled_in_between, unit),
        effect: Money::from_minor(expected, unit),
    };
    if moved == expected {
        BalanceVerdict::Settled(TxState::Succeeded, arithmetic)
    } else if moved == 0 {
        BalanceVerdict::Settled(TxState::Failed, arithmetic)
    } else {
        BalanceVerdict::Review(ReviewReason::BalanceMoved {
            moved: Money::from_minor(moved, unit),
            arithmetic,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Reference, Unit};

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Unit::Eur)
    }

    fn record(id: i64, kind: TxKind, minor: i64, state: TxState, created: i64) -> TxRecord {
        TxRecord {
            id,
            reference: Reference::from_text(&format!("SAL-20261122-0000000{id}")),
            kind,
            profile_id: 1,
            profile_name: "p".into(),
            destination: "42".into(),
            amount: eur(minor),
            state,
            provider_ref: None,
            provider_message: None,
            created_at: created,
            updated_at: created + 100,
            basis: None,
            request: None,
            first_reading: None,
            next_check_at: None,
            checks: 0,
            review_reason: None,
            counter: None,
        }
    }

    fn op(record: TxRecord, ended: Option<i64>) -> DestinationOperation {
        DestinationOperation {
            record,
            send_ended_at: ended,
            sending_detail: None,
        }
    }

    #[test]
    fn evidence_round_trips_and_reads_the_old_form() {
        let before = BalanceBefore {
            sub_account: "42".into(),
            balance: eur(12_500),
            read_at: 1_774_000_000_123,
        };
        let text = before.to_string();
        assert_eq!(
            text,
            "sub-account 42 balance before: 12.500 EUR (read at 2026-03-20T09:46:40.123Z)"
        );
        assert_eq!(BalanceBefore::parse(&text, 0), Some(before));
        let old = BalanceBefore::parse("sub-account 7 balance before: 3.000 EUR", 99).unwrap();
        assert_eq!((old.balance, old.read_at), (eur(3_000), 99));
    }

    #[test]
    fn balances_settle_a_lost_credit_move_either_way() {
        let unknown = record(1, TxKind::CreditAdd, 2_000, TxState::Unknown, 1_000);
        let before = BalanceBefore {
            sub_account: "42".into(),
            balance: eur(10_000),
            read_at: 990,
        };
        let later = |minor| BalanceReading {
            balance: eur(minor),
            read_at: 5_000,
        };
        // A later, settled removal of 500 in between.
        let others = [op(
            record(2, TxKind::CreditRemove, 500, TxState::Succeeded, 3_000),
            Some(3_100),
        )];
        let verdict = judge(&unknown, &before, later(11_500), &others);
        assert!(
            matches!(verdict, BalanceVerdict::Settled(TxState::Succeeded, _)),
            "{verdict:?}"
        );
        let verdict = judge(&unknown, &before, later(9_500), &others);
        assert!(
            matches!(verdict, BalanceVerdict::Settled(TxState::Failed, _)),
            "{verdict:?}"
        );
        let verdict = judge(&unknown, &before, later(9_000), &others);
        assert!(
            matches!(
                verdict,
                BalanceVerdict::Review(ReviewReason::BalanceMoved { moved, .. })
                    if moved == eur(-500)
            ),
            "{verdict:?}"
        );
        let open = [op(
            record(3, TxKind::CreditAdd, 100, TxState::Pending, 3_000),
            Some(3_100),
        )];
        let verdict = judge(&unknown, &before, later(12_000), &open);
        assert!(matches!(verdict, BalanceVerdict::Wait(_)), "{verdict:?}");
        let also_unknown = [op(
            record(3, TxKind::CreditAdd, 100, TxState::Unknown, 3_000),
            Some(3_100),
        )];
        let verdict = judge(&unknown, &before, later(12_000), &also_unknown);
        assert!(
            matches!(
                verdict,
                BalanceVerdict::Review(ReviewReason::AlsoUnknown { .. })
            ),
            "{verdict:?}"
        );
    }
}
