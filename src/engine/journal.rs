//! The steps every money-moving operation shares: claim the operation, record the intent and
//! mark it as sending (both committed before anything goes out), send with retries only when
//! nothing reached the provider, and record the outcome by compare-and-set; the claim is
//! released only after that.

use std::future::Future;
use std::time::Duration;

use crate::domain::{Money, Note, Reference, TxState};
use crate::ledger::{
    BatchLine, Claim, LedgerError, NewOperation, RepeatGuard, Settled, StateChange, TxKind,
    TxRecord,
};
use crate::providers::ProviderError;

use super::{Engine, EngineError, MAX_RATE_LIMIT_WAIT, blocking};

/// When the sender stops waiting for the provider, on the monotonic clock (a wall-clock step
/// changes nothing). Who owns the operation is decided by its claim, never by this time.
#[derive(Clone, Copy, Debug)]
pub(super) struct Deadline {
    pub at: tokio::time::Instant,
}

impl Deadline {
    /// The deadline `length` from now.
    pub(crate) fn after(length: Duration) -> Deadline {
        Deadline {
            at: tokio::time::Instant::now() + length,
        }
    }
}

/// An operation about to be recorded and sent.
pub(super) struct Start {
    pub reference: Reference,
    pub kind: TxKind,
    pub profile_id: i64,
    pub destination: String,
    pub amount: Money,
    /// What the `sending` event keeps as evidence (e.g. the balance before).
    pub evidence: Option<String>,
    /// The repeat guard, if it applies.
    pub repeat_guard: Option<RepeatGuard>,
    /// What the request carries beyond destination and amount (JSON), to send it again as is.
    pub request: Option<String>,
    pub batch_row: Option<BatchLine>,
}

/// A destination for the log: enough to tell numbers apart, not the whole number.
pub(super) fn masked(destination: &str) -> String {
    let chars: Vec<char> = destination.chars().collect();
    if chars.len() <= 6 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 6))
}

/// The span an operation's requests are logged in, so every line carries our reference.
pub(super) fn operation_span(reference: &Reference) -> tracing::Span {
    tracing::info_span!("operation", %reference)
}

/// The state to record and what to record with it.
pub(super) type Settlement = (TxState, StateChange);

/// The repeat guard of a profile's window (seconds; 0 turns the confirmation off, never the
/// refusal of a repeat of an open operation).
pub(super) fn repeat_guard(window_secs: u64, confirmed: bool) -> RepeatGuard {
    RepeatGuard {
        window_ms: i64::try_from(window_secs)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000),
        confirmed,
    }
}

/// What saldo writes about a provider error: the provider's own words when it refused, else
/// the kind of error as data.
fn failure_note(error: &ProviderError) -> Result<Note, String> {
    Ok(match error {
        ProviderError::Rejected { message, .. } => return Err(message.clone()),
        ProviderError::NotSent { reason } => Note::NotSent {
            reason: reason.clone(),
        },
        ProviderError::MaybeSent { reason } => Note::MaybeSent {
            reason: reason.clone(),
        },
        ProviderError::Auth { message } => Note::CredentialsRefused {
            message: message.clone(),
        },
        ProviderError::RateLimited { retry_after } => Note::RateLimited {
            retry_after_s: retry_after.map(|d| d.as_secs()),
        },
        ProviderError::Malformed { reason, .. } => Note::Unreadable {
            reason: reason.clone(),
        },
    })
}

/// A provider error as the ledger keeps it: the provider's words, or saldo's note.
pub(super) fn failure_message(error: &ProviderError) -> String {
    failure_note(error).map_or_else(|provider_said| provider_said, |note| note.to_stored())
}

/// The state a failed send leaves an operation in: unknown when it may have been executed,
/// failed when the provider clearly did nothing.
pub(super) fn settle_error(error: &ProviderError) -> Settlement {
    let state = if error.outcome_unknown() {
        TxState::Unknown
    } else {
        TxState::Failed
    };
    let raw = error.raw().unwrap_or_default();
    let (message, detail) = match failure_note(error) {
        Ok(note) => (note.to_stored(), note.followed_by(raw)),
        Err(provider_said) => (provider_said, raw.to_string()),
    };
    let change = StateChange {
        provider_ref: None,
        provider_message: Some(message),
        detail: Some(detail),
        basis: None,
    };
    (state, change)
}

impl Engine {
    /// Claims the operation, then commits it as `recorded` and `sending` in one transaction
    /// (with its evidence, such as the balance before, in the `sending` event). Nothing may be
    /// sent unless this returns `Ok`; the claim it returns is held until the outcome is
    /// recorded, so nobody else takes the operation over while it is in flight.
    pub(super) async fn record_and_start(&self, start: Start) -> Result<Claim, EngineError> {
        let ledger = self.ledger.clone();
        let (reference, kind, profile_id) = (start.reference.clone(), start.kind, start.profile_id);
        let (destination, amount) = (masked(&start.destination), start.amount);
        blocking(move || {
            let claim = ledger.claim(&start.reference)?.ok_or_else(|| {
                LedgerError::Write(format!("{} is already claimed", start.reference))
            })?;
            let change = StateChange {
                detail: start.evidence,
                ..StateChange::default()
            };
            let new = NewOperation {
                reference: &start.reference,
                kind: start.kind,
                profile_id: start.profile_id,
                destination: &start.destination,
                amount: start.amount,
                repeat_guard: start.repeat_guard,
                request: start.request.as_deref(),
                batch_row: start.batch_row,
            };
            ledger.record_sending(&new, &change).map(|()| claim)
        })
        .await?
        .inspect(|_| {
            tracing::info!(
                %reference,
                ?kind,
                profile_id,
                %destination,
                %amount,
                "recorded; sending"
            );
        })
        .map_err(|error| match error {
            LedgerError::PossibleRepeat(earlier) => EngineError::PossibleRepeat(earlier),
            LedgerError::RepeatOfOpen(earlier) => EngineError::RepeatOfOpen(earlier),
            other => EngineError::NotRecorded(other),
        })
    }

    /// Sends a money-moving request before the deadline, trying again only when it provably
    /// never reached the provider or the provider refused it to slow us down (HTTP 429, which
    /// executes nothing). A deadline overrun leaves the outcome unknown.
    pub(super) async fn send_money<T, F, Fut>(
        &self,
        deadline: Deadline,
        mut send: F,
    ) -> Result<T, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let attempts = async {
            let mut pause = self.options.retry_backoff;
            let mut attempt = 0;
            loop {
                let wait = match send().await {
                    Err(ProviderError::NotSent { .. })
                        if attempt < self.options.not_sent_retries =>
                    {
                        pause
                    }
                    Err(ProviderError::RateLimited { retry_after })
                        if attempt < self.options.rate_limit_retries =>
                    {
                        retry_after
                            .unwrap_or(pause)
                            .clamp(pause, MAX_RATE_LIMIT_WAIT)
                    }
                    other => return other,
                };
                attempt += 1;
                tracing::info!(
                    attempt,
                    wait_ms = wait.as_millis(),
                    "not executed by the provider; trying again"
                );
                tokio::time::sleep(wait).await;
                pause *= 2;
            }
        };
        tokio::time::timeout_at(deadline.at, attempts)
            .await
            .unwrap_or_else(|_| {
                tracing::warn!("the operation ran past its deadline; its outcome is unknown");
                Err(ProviderError::MaybeSent {
                    reason: "the operation took longer than its deadline".into(),
                })
            })
    }

    /// Commits the outcome of an operation that stood `expected` when its owner read it, by
    /// compare-and-set (see [`crate::ledger::Ledger::settle_from`]). If that fails, the error
    /// says the operation was sent and must not be sent again.
    pub(super) async fn record_outcome(
        &self,
        reference: &Reference,
        expected: TxState,
        state: TxState,
        change: StateChange,
    ) -> Result<TxRecord, EngineError> {
        let ledger = self.ledger.clone();
        let r = reference.clone();
        let written = super::blocking(move || ledger.settle_from(&r, expected, state, &change))
            .await
            .unwrap_or_else(|e| Err(LedgerError::Write(e.to_string())));
        if let Ok(Settled::Noted(record)) = &written {
            tracing::warn!(
                %reference,
                outcome = %state,
                ledger_state = %record.state,
                "a late outcome was appended to an operation that had moved on"
            );
        }
        let written = written.map(Settled::into_record);
        match &written {
            Ok(record) => tracing::info!(
                %reference,
                state = %record.state,
                provider_ref = record.provider_ref.as_deref().unwrap_or("-"),
                provider_message = %Note::in_english(record.provider_message.as_deref().unwrap_or("-")),
                "outcome recorded"
            ),
            Err(error) => tracing::error!(
                %reference,
                outcome = %state,
                %error,
                "the outcome could not be written to the ledger"
            ),
        }
        written.map_err(|error| EngineError::OutcomeNotRecorded {
            reference: reference.to_string(),
            outcome: state.to_string(),
            error,
        })
    }
}
