//! What saldo wrote about an operation — its event log's notes and the messages of outcomes it
//! concluded — in the window's language. The ledger keeps them as data ([`Note`]); the
//! provider's own words and sentences an older saldo wrote are shown as written.

use crate::domain::Note;
use crate::engine::BalanceBefore;
use crate::providers::ProviderError;
use crate::t;
use crate::ui::text::error_text::{provider_error_text, state_text};
use crate::ui::text::numbers::money_text;
use crate::ui::text::review_reasons::{conclusion_text, review_reason_text};

/// An event's detail as the window shows it: sentences to read, and what stays behind
/// "Details" (the provider's raw reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventText {
    pub sentences: Vec<String>,
    pub raw: String,
}

/// Reads an event's detail: saldo's notes in the window's language, then the first line of
/// what follows as a sentence when saldo wrote no note (a provider's message, or an older
/// saldo's sentence), the rest as the raw reply.
pub fn event_text(detail: &str) -> EventText {
    let kept = Note::read(detail);
    let mut sentences: Vec<String> = kept.notes.iter().map(note_text).collect();
    let mut raw = kept.rest;
    if sentences.is_empty() {
        let (first, rest) = raw.split_once('\n').unwrap_or((raw, ""));
        sentences.push(evidence_text(first).unwrap_or_else(|| first.to_string()));
        raw = rest;
    }
    EventText {
        sentences,
        raw: raw.to_string(),
    }
}

/// An operation's message (what the provider said, or what saldo concluded) in the window's
/// language, on one line.
pub fn message_text(message: &str) -> String {
    let kept = Note::read(message);
    let mut parts: Vec<String> = kept.notes.iter().map(note_text).collect();
    if !kept.rest.is_empty() {
        parts.push(kept.rest.replace('\n', " "));
    }
    parts.join(" — ")
}

/// The evidence a credit move's `sending` event keeps (the sub-account's balance before).
fn evidence_text(line: &str) -> Option<String> {
    let before = BalanceBefore::parse(line, 0)?;
    let at = (before.read_at != 0).then(|| crate::domain::time::local_text(before.read_at));
    Some(match at {
        Some(at) => t!(
            "note-balance-before-at",
            sub_account = before.sub_account.as_str(),
            balance = money_text(before.balance),
            at = at
        ),
        None => t!(
            "note-balance-before",
            sub_account = before.sub_account.as_str(),
            balance = money_text(before.balance)
        ),
    })
}

/// One note in the window's language.
pub fn note_text(note: &Note) -> String {
    use Note::*;
    let provider = |error: ProviderError| provider_error_text(&error);
    match note {
        NotSent { reason } => provider(ProviderError::NotSent {
            reason: reason.clone(),
        }),
        MaybeSent { reason } => provider(ProviderError::MaybeSent {
            reason: reason.clone(),
        }),
        CredentialsRefused { message } => provider(ProviderError::Auth {
            message: message.clone(),
        }),
        RateLimited { retry_after_s } => provider(ProviderError::RateLimited {
            retry_after: retry_after_s.map(std::time::Duration::from_secs),
        }),
        Unreadable { reason } => provider(ProviderError::Malformed {
            reason: reason.clone(),
            raw: String::new(),
        }),
        StoppedBeforeSending => t!("note-stopped-before-sending"),
        NeverSent => t!("note-never-sent"),
        StoppedWhileSending => t!("note-stopped-while-sending"),
        StatusCheck => t!("note-status-check"),
        StatusSaid { said } => t!("note-status-said", said = said.as_str()),
        SendingAgain => t!("note-sending-again"),
        SentAgain => t!("note-sent-again"),
        BalancesAgree {
            state,
            arithmetic,
            apart_s,
        } => t!(
            "note-balances-agree",
            conclusion = conclusion_text(*state, arithmetic),
            seconds = *apart_s
        ),
        BalanceConclusion { state, arithmetic } => conclusion_text(*state, arithmetic),
        FirstBalanceReading { state, arithmetic } => t!(
            "note-first-balance-reading",
            conclusion = conclusion_text(*state, arithmetic)
        ),
        Flagged { reason } => t!("note-flagged", reason = review_reason_text(reason)),
        LateOutcome {
            reported,
            recorded,
            message,
        } => {
            let late = t!(
                "note-late-outcome",
                reported = state_text(*reported),
                recorded = state_text(*recorded)
            );
            match message {
                Some(message) => format!("{late}: {}", message_text(message)),
                None => late,
            }
        }
        NeverSentByHand => t!("note-never-sent-by-hand"),
        SettledByHand { state, note } => t!(
            "note-settled-by-hand",
            state = state_text(*state),
            note = note.as_str()
        ),
        ByHand { note } => t!("note-by-hand", note = note.as_str()),
        KeptByHand { state, note } => t!(
            "note-kept-by-hand",
            state = state_text(*state),
            note = note.as_str()
        ),
        CorrectedByHand { state, note } => t!(
            "note-corrected-by-hand",
            state = state_text(*state),
            note = note.as_str()
        ),
        BalancesAfter { main, sub_account } => t!(
            "note-balances-after",
            main = money_text(*main),
            sub_account = money_text(*sub_account)
        ),
        DoneWithoutBalances => t!("note-done-without-balances"),
    }
}
