//! What saldo itself writes about an operation — an event's note, or the message of an
//! outcome saldo concluded rather than the provider said — kept as data, so the command line
//! and the CSV export say it in English and the window in its own language.
//!
//! A note is kept as one line of JSON; whatever followed it on later lines (usually the
//! provider's raw reply, or another note) is kept as it came. Text that is not a note — the
//! provider's own words, or a sentence an older saldo wrote — is shown as written.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::review::balance_conclusion;
use super::{BalanceArithmetic, Money, ReviewReason, TxState};

/// One thing saldo wrote about an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "saldo-note", rename_all = "kebab-case")]
pub enum Note {
    /// Nothing reached the provider.
    NotSent { reason: String },
    /// The request went out but no clear answer came back.
    MaybeSent { reason: String },
    /// The provider refused the credentials.
    CredentialsRefused { message: String },
    /// The provider asked saldo to slow down (and when to try again, in seconds).
    RateLimited { retry_after_s: Option<u64> },
    /// The provider's reply could not be read.
    Unreadable { reason: String },
    /// The reconciler found a row recorded but never marked as sending.
    StoppedBeforeSending,
    /// It was never sent: saldo stopped before sending it.
    NeverSent,
    /// saldo stopped while sending it, before recording the outcome.
    StoppedWhileSending,
    /// The reconciler settled it by asking the provider.
    StatusCheck,
    /// The provider said something new when asked.
    StatusSaid { said: String },
    /// The provider has no record of it and can no longer be executing it: the very same
    /// request goes again, with the same reference.
    SendingAgain,
    /// The outcome of sending the very same request again.
    SentAgain,
    /// Settled by two balance readings apart in time that agree.
    BalancesAgree {
        state: TxState,
        arithmetic: BalanceArithmetic,
        apart_s: i64,
    },
    /// What the balances say (the message of an operation settled by them).
    BalanceConclusion {
        state: TxState,
        arithmetic: BalanceArithmetic,
    },
    /// The first of two balance readings.
    FirstBalanceReading {
        state: TxState,
        arithmetic: BalanceArithmetic,
    },
    /// Flagged for a person.
    Flagged { reason: ReviewReason },
    /// A provider's outcome that arrived after the operation had moved on.
    LateOutcome {
        reported: TxState,
        recorded: TxState,
        message: Option<String>,
    },
    /// A person recorded that it was never sent.
    NeverSentByHand,
    /// A person settled it, saying how they know.
    SettledByHand { state: TxState, note: String },
    /// The message of an operation a person settled.
    ByHand { note: String },
    /// A person kept a contradicted outcome as it was.
    KeptByHand { state: TxState, note: String },
    /// A person corrected a contradicted outcome.
    CorrectedByHand { state: TxState, note: String },
    /// A credit move's reply, with the balances after it.
    BalancesAfter { main: Money, sub_account: Money },
    /// A credit move's reply that did not say the balances after it.
    DoneWithoutBalances,
}

/// Text as the ledger keeps it, read back: saldo's notes first, then what followed them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept<'a> {
    /// The notes at the start, in order.
    pub notes: Vec<Note>,
    /// What followed them (the provider's words or raw reply, or text an older saldo wrote).
    pub rest: &'a str,
}

impl Note {
    /// The note as the ledger keeps it.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a note serialises")
    }

    /// The note followed by `more` (a raw reply, or another kept note) on the next lines.
    pub fn followed_by(&self, more: &str) -> String {
        if more.is_empty() {
            self.to_stored()
        } else {
            format!("{}\n{more}", self.to_stored())
        }
    }

    /// Reads kept text back: the notes it starts with, and the rest as written.
    pub fn read(text: &str) -> Kept<'_> {
        let mut notes = Vec::new();
        let mut rest = text;
        while rest.starts_with("{\"saldo-note\"") {
            let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
            match serde_json::from_str(line) {
                Ok(note) => notes.push(note),
                Err(_) => break,
            }
            rest = after;
        }
        Kept { notes, rest }
    }

    /// Kept text in English, on one line per note and the rest as written (for the command
    /// line, logs and the CSV export).
    pub fn in_english(text: &str) -> Cow<'_, str> {
        let kept = Note::read(text);
        if kept.notes.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut lines: Vec<String> = kept.notes.iter().map(Note::to_string).collect();
        if !kept.rest.is_empty() {
            lines.push(kept.rest.to_string());
        }
        Cow::Owned(lines.join("\n"))
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Note::*;
        match self {
            NotSent { reason } => write!(f, "could not reach the provider: {reason}"),
            MaybeSent { reason } => write!(
                f,
                "no clear answer from the provider ({reason}): the outcome is unknown"
            ),
            CredentialsRefused { message } => write!(
                f,
                "the provider refused the credentials ({message}): check the profile's secret"
            ),
            RateLimited {
                retry_after_s: Some(s),
            } => write!(
                f,
                "the provider is rate limiting requests; try again in {} s",
                (*s).max(1)
            ),
            RateLimited {
                retry_after_s: None,
            } => f.write_str("the provider is rate limiting requests; try again in a moment"),
            Unreadable { reason } => write!(f, "the provider's reply could not be read ({reason})"),
            StoppedBeforeSending => f.write_str("reconciler: saldo stopped before sending it"),
            NeverSent => f.write_str("never sent: saldo stopped before sending it"),
            StoppedWhileSending => f.write_str(
                "saldo stopped while sending it, before recording the outcome: outcome unknown",
            ),
            StatusCheck => f.write_str("reconciler: status check"),
            StatusSaid { said } => write!(f, "status check: {said}"),
            SendingAgain => f.write_str(
                "reconciler: the provider has no record of it and can no longer be executing \
                 the last send: sending the very same request again, with the same reference \
                 (the provider creates it once)",
            ),
            SentAgain => f.write_str("reconciler: sent again"),
            BalancesAgree {
                state,
                arithmetic,
                apart_s,
            } => write!(
                f,
                "reconciler: {} (the same at two readings {apart_s} s apart; concluded from \
                 balances, not stated by the provider)",
                balance_conclusion(*state, arithmetic)
            ),
            BalanceConclusion { state, arithmetic } => {
                f.write_str(&balance_conclusion(*state, arithmetic))
            }
            FirstBalanceReading { state, arithmetic } => write!(
                f,
                "reconciler: first balance reading: {}",
                balance_conclusion(*state, arithmetic)
            ),
            Flagged { reason } => write!(f, "needs review: {reason}"),
            LateOutcome {
                reported,
                recorded,
                message,
            } => {
                write!(
                    f,
                    "late outcome: {reported} (the operation was already {recorded})"
                )?;
                match message {
                    Some(message) => write!(f, ": {}", Note::in_english(message)),
                    None => Ok(()),
                }
            }
            NeverSentByHand => f.write_str("never sent (settled by hand)"),
            SettledByHand { state, note } => write!(f, "settled by hand as {state}: {note}"),
            ByHand { note } => write!(f, "settled by hand: {note}"),
            KeptByHand { state, note } => write!(f, "kept as {state} by hand: {note}"),
            CorrectedByHand { state, note } => write!(f, "corrected to {state} by hand: {note}"),
            BalancesAfter { main, sub_account } => {
                write!(f, "main account {main}, sub-account {sub_account}")
            }
            DoneWithoutBalances => f.write_str("done; the provider did not say the balances after"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Unit;

    #[test]
    fn notes_and_what_follows_them_are_read_back_in_order() {
        let raw = "{\"status\":\"ok\"}\nsecond line";
        let kept = Note::SentAgain.followed_by(&Note::StatusCheck.followed_by(raw));
        let read = Note::read(&kept);
        assert_eq!(read.notes, vec![Note::SentAgain, Note::StatusCheck]);
        assert_eq!(read.rest, raw);
        assert_eq!(
            Note::in_english(&kept),
            format!("reconciler: sent again\nreconciler: status check\n{raw}")
        );
    }

    #[test]
    fn the_providers_words_and_older_sentences_are_shown_as_written() {
        for text in [
            "Saldo insuficiente",
            "{\"status\":\"ok\"}",
            "reconciler: saldo stopped before sending it",
            "{\"saldo-note\":\"no-such-note\"}",
        ] {
            let read = Note::read(text);
            assert!(read.notes.is_empty(), "{text}");
            assert_eq!(read.rest, text);
            assert_eq!(Note::in_english(text), text);
        }
    }

    #[test]
    fn a_note_with_a_reason_and_amounts_round_trips() {
        let eur = |minor| Money::from_minor(minor, Unit::Eur);
        let note = Note::Flagged {
            reason: ReviewReason::AmountDiffers {
                found: eur(2_000),
                recorded: eur(1_000),
            },
        };
        assert_eq!(Note::read(&note.to_stored()).notes, vec![note.clone()]);
        assert!(!note.to_stored().contains('\n'));
        assert!(note.to_string().starts_with("needs review: "));
    }
}
