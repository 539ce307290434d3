//! Receipts as the ledger keeps them: the number each counter hands out, gap-free, and every
//! copy printed (the original is copy 0; copy n is "REPRINT n"). Both are append-only. The
//! shop's details printed on every receipt are a setting all counters share.
//!
//! A number is taken in the same transaction that writes its receipt: a rollback gives it
//! back, so no number is ever skipped; on the shop's server two processes of one counter
//! take turns for it (an advisory lock on the counter's name).

use serde::{Deserialize, Serialize};

use super::db::{LockSpace, Sql};
use super::{Ledger, LedgerError};
use crate::args;
use crate::domain::{Reference, TxState};

/// The key the shop's receipt details are kept under in `shop_settings`.
const SHOP_KEY: &str = "shop";

/// What every receipt says about the shop, and how it shows a customer's number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShopDetails {
    /// The shop's name, the receipt's first line.
    pub name: String,
    /// Its address (one or more lines).
    pub address: String,
    /// Show the customer's number with its middle digits hidden.
    pub mask_destinations: bool,
    /// The receipts' language ("en", "es", "fa"); none: the profile's country decides.
    pub receipt_language: Option<String>,
}

/// One copy of a receipt as it was printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptPrint {
    /// The counter whose numbering the receipt belongs to (the one that printed it first).
    pub counter: String,
    /// Its number within that counter's receipts.
    pub number: i64,
    /// 0 for the original, n for "REPRINT n".
    pub copy: i64,
    /// When this copy was printed (Unix ms).
    pub at: i64,
    /// The counter that printed this copy.
    pub printed_by: String,
    /// How it was printed ("text", "pdf", "escpos").
    pub format: String,
    /// The operation's state printed on it.
    pub state: TxState,
}

impl ReceiptPrint {
    /// Whether this copy is a reprint.
    pub fn is_reprint(&self) -> bool {
        self.copy > 0
    }
}

impl Ledger {
    /// The shop's receipt details (empty ones until the owner sets them).
    pub fn shop_details(&self) -> Result<ShopDetails, LedgerError> {
        let stored: Option<String> = self.query(|sql| {
            Ok(sql.row(
                "SELECT value FROM shop_settings WHERE key = ?1",
                args![SHOP_KEY],
                |r| r.get::<String>(0),
            )?)
        })?;
        match stored {
            None => Ok(ShopDetails::default()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| LedgerError::Corrupt(format!("the shop's details: {e}"))),
        }
    }

    /// Replaces the shop's receipt details, for every counter.
    pub fn set_shop_details(&self, details: &ShopDetails) -> Result<(), LedgerError> {
        let json = serde_json::to_string(details).map_err(|e| LedgerError::Write(e.to_string()))?;
        let now = self.now();
        self.write(|sql| {
            sql.execute(
                "INSERT INTO shop_settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,
                     updated_at = EXCLUDED.updated_at",
                args![SHOP_KEY, json.as_str(), now],
            )?;
            Ok(())
        })
    }

    /// Records that a receipt of the operation `reference` is being printed, and says which
    /// copy it is: the first print takes this counter's next receipt number, every later one
    /// is a reprint of the same number. Refused for an operation that failed (nothing to
    /// hand over) or is still being sent (its outcome is seconds away).
    pub fn print_receipt(
        &self,
        reference: &Reference,
        format: &str,
    ) -> Result<ReceiptPrint, LedgerError> {
        let counter = self.counter().to_string();
        let now = self.now();
        self.write_locked(|sql| {
            let row = sql.row(
                &format!(
                    "SELECT id, state FROM transactions WHERE reference = ?1{}",
                    sql.for_update()
                ),
                args![reference.as_str()],
                |r| Ok::<_, LedgerError>((r.get::<i64>(0)?, r.get::<String>(1)?)),
            )?;
            let (id, state) =
                row.ok_or_else(|| LedgerError::TransactionNotFound(reference.to_string()))?;
            let state = TxState::parse(&state)
                .ok_or_else(|| LedgerError::Corrupt(format!("state “{state}”")))?;
            if !receipt_allowed(state) {
                return Err(LedgerError::NoReceipt {
                    reference: reference.to_string(),
                    state,
                });
            }
            let (receipt_id, owner, number) = match existing_receipt(sql, id)? {
                Some(found) => found,
                None => new_receipt(sql, id, &counter, now)?,
            };
            let copy: i64 = sql.value(
                "SELECT COALESCE(MAX(copy) + 1, 0) FROM receipt_prints WHERE receipt_id = ?1",
                args![receipt_id],
            )?;
            sql.execute(
                "INSERT INTO receipt_prints (receipt_id, copy, at, counter, format, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    receipt_id,
                    copy,
                    now,
                    counter.as_str(),
                    format,
                    state.as_str()
                ],
            )?;
            Ok(ReceiptPrint {
                counter: owner,
                number,
                copy,
                at: now,
                printed_by: counter.clone(),
                format: format.to_string(),
                state,
            })
        })
    }

    /// Every copy of the operation's receipt printed so far, oldest first (none when it never
    /// had one).
    pub fn receipt_prints(&self, reference: &Reference) -> Result<Vec<ReceiptPrint>, LedgerError> {
        self.query(|sql| {
            sql.rows(
                "SELECT r.counter, r.number, p.copy, p.at, p.counter, p.format, p.state
                 FROM receipt_prints p JOIN receipts r ON r.id = p.receipt_id
                 JOIN transactions t ON t.id = r.transaction_id
                 WHERE t.reference = ?1 ORDER BY p.copy",
                args![reference.as_str()],
                |r| {
                    let state: String = r.get(6)?;
                    Ok::<_, LedgerError>(ReceiptPrint {
                        counter: r.get(0)?,
                        number: r.get(1)?,
                        copy: r.get(2)?,
                        at: r.get(3)?,
                        printed_by: r.get(4)?,
                        format: r.get(5)?,
                        state: TxState::parse(&state)
                            .ok_or_else(|| LedgerError::Corrupt(format!("state “{state}”")))?,
                    })
                },
            )
        })
    }
}

/// Whether a receipt may be handed over for an operation in `state`: one that went through,
/// or one whose outcome is being confirmed (the receipt then says not to pay or send again).
pub fn receipt_allowed(state: TxState) -> bool {
    matches!(
        state,
        TxState::Succeeded | TxState::Pending | TxState::Unknown
    )
}

/// What to do instead of printing a receipt for an operation in `state`.
pub fn no_receipt_advice(state: TxState) -> &'static str {
    match state {
        TxState::Failed => {
            "it did not go through, so there is no receipt: do not charge the customer"
        }
        _ => "it is still being sent: wait for its outcome, then print the receipt",
    }
}

fn existing_receipt(
    sql: &mut Sql<'_>,
    tx_id: i64,
) -> Result<Option<(i64, String, i64)>, LedgerError> {
    sql.row(
        "SELECT id, counter, number FROM receipts WHERE transaction_id = ?1",
        args![tx_id],
        |r| Ok::<_, LedgerError>((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Writes the operation's receipt under this counter's next number.
fn new_receipt(
    sql: &mut Sql<'_>,
    tx_id: i64,
    counter: &str,
    now: i64,
) -> Result<(i64, String, i64), LedgerError> {
    sql.lock_key(LockSpace::Receipt, counter, false)?;
    let number: i64 = sql.value(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM receipts WHERE counter = ?1",
        args![counter],
    )?;
    sql.execute(
        "INSERT INTO receipts (transaction_id, counter, number, issued_at)
         VALUES (?1, ?2, ?3, ?4)",
        args![tx_id, counter, number, now],
    )?;
    let id: i64 = sql.value(
        "SELECT id FROM receipts WHERE transaction_id = ?1",
        args![tx_id],
    )?;
    Ok((id, counter.to_string(), number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Unit};
    use crate::ledger::{NewOperation, StateChange, TxKind};

    /// A top-up to `number`, sent and left in `state`.
    fn topup_in(ledger: &Ledger, profile_id: i64, number: &str, state: TxState) -> Reference {
        let reference = Reference::generate();
        ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind: TxKind::TopUp,
                profile_id,
                destination: number,
                amount: Money::from_minor(20_00, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        let change = StateChange::default();
        ledger
            .transition(&reference, TxState::Sending, &change)
            .unwrap();
        ledger.transition(&reference, state, &change).unwrap();
        reference
    }

    #[test]
    fn the_first_print_takes_the_next_number_and_later_ones_are_reprints() {
        let (_dir, ledger, profile) = crate::ledger::ledger_with_cuba();
        let first = topup_in(&ledger, profile, "+5352000001", TxState::Succeeded);
        let second = topup_in(&ledger, profile, "+5352000002", TxState::Unknown);
        let a = ledger.print_receipt(&first, "text").unwrap();
        let b = ledger.print_receipt(&second, "escpos").unwrap();
        let again = ledger.print_receipt(&first, "pdf").unwrap();
        assert_eq!((a.number, a.copy), (1, 0));
        assert_eq!((b.number, b.copy), (2, 0));
        assert_eq!((again.number, again.copy), (1, 1));
        assert!(again.is_reprint());
        let prints = ledger.receipt_prints(&first).unwrap();
        assert_eq!(
            prints
                .iter()
                .map(|p| (p.copy, p.format.as_str()))
                .collect::<Vec<_>>(),
            [(0, "text"), (1, "pdf")]
        );
    }

    #[test]
    fn a_failed_or_unsent_operation_has_no_receipt_and_takes_no_number() {
        let (_dir, ledger, profile) = crate::ledger::ledger_with_cuba();
        let failed = topup_in(&ledger, profile, "+5352000001", TxState::Failed);
        let error = ledger.print_receipt(&failed, "text").unwrap_err();
        assert!(error.to_string().contains("failed"), "{error}");
        let sold = topup_in(&ledger, profile, "+5352000002", TxState::Succeeded);
        assert_eq!(ledger.print_receipt(&sold, "text").unwrap().number, 1);
    }

    #[test]
    fn receipts_cannot_be_changed_or_removed() {
        let (_dir, ledger, profile) = crate::ledger::ledger_with_cuba();
        let sold = topup_in(&ledger, profile, "+5352000001", TxState::Succeeded);
        ledger.print_receipt(&sold, "text").unwrap();
        for statement in [
            "UPDATE receipts SET number = 7",
            "DELETE FROM receipts",
            "UPDATE receipt_prints SET copy = 3",
            "DELETE FROM receipt_prints",
        ] {
            let refused = ledger.write(|sql| Ok(sql.execute(statement, &[])?));
            assert!(refused.is_err(), "{statement} was allowed");
        }
    }

    /// Two saldos of one counter (the window and a command) printing at the same moment, on
    /// either store: every receipt gets its own number and none is skipped.
    #[test]
    fn receipts_printed_at_once_by_one_counter_take_every_number_once() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        let kind = crate::providers::ProviderKind::Qvatel;
        let profile = ledger
            .add_profile("cuba", kind, "https://x.example", &kind.default_settings())
            .unwrap()
            .id;
        let sales: Vec<Reference> = (0..12)
            .map(|i| {
                topup_in(
                    &ledger,
                    profile,
                    &format!("+53520000{i:02}"),
                    TxState::Succeeded,
                )
            })
            .collect();
        let numbers: Vec<i64> = std::thread::scope(|scope| {
            let workers: Vec<_> = sales
                .chunks(3)
                .map(|chunk| {
                    let dir = dir.path();
                    scope.spawn(move || {
                        let mine = crate::ledger::testkit::open_in(dir)
                            .unwrap()
                            .with_counter("caja-1");
                        chunk
                            .iter()
                            .map(|sale| mine.print_receipt(sale, "text").unwrap().number)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect()
        });
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (1..=12).collect::<Vec<_>>(), "{numbers:?}");
    }

    /// A backup brought back (on either store) keeps every receipt and print, adds none
    /// twice, and the counter's numbering goes on after the highest number either held.
    #[test]
    fn a_restore_keeps_the_receipts_and_their_numbering() {
        let (dir, ledger, profile) = crate::ledger::ledger_with_cuba();
        let first = topup_in(&ledger, profile, "+5352000001", TxState::Succeeded);
        ledger.print_receipt(&first, "text").unwrap();
        let backup = dir.path().join("backup.sqlite3");
        ledger.backup_to(&backup).unwrap();
        let second = topup_in(&ledger, profile, "+5352000002", TxState::Succeeded);
        assert_eq!(ledger.print_receipt(&second, "text").unwrap().number, 2);
        ledger.restore_from(&backup).unwrap();
        ledger.restore_from(&backup).unwrap();
        assert_eq!(ledger.receipt_prints(&first).unwrap().len(), 1);
        let third = topup_in(&ledger, profile, "+5352000003", TxState::Succeeded);
        assert_eq!(ledger.print_receipt(&third, "text").unwrap().number, 3);
        let again = ledger.print_receipt(&first, "text").unwrap();
        assert_eq!((again.number, again.copy), (1, 1));
    }

    #[test]
    fn the_shops_details_are_kept_for_every_counter() {
        let (_dir, ledger, _) = crate::ledger::ledger_with_cuba();
        assert_eq!(ledger.shop_details().unwrap(), ShopDetails::default());
        let details = ShopDetails {
            name: "Recargas El Sol".into(),
            address: "Calle 23 #456, Vedado".into(),
            mask_destinations: true,
            receipt_language: Some("es".into()),
        };
        ledger.set_shop_details(&details).unwrap();
        assert_eq!(ledger.shop_details().unwrap(), details);
    }
}
