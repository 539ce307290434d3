//! Operations and their append-only event log.
//!
//! Journal-first: an operation's row is committed in state `recorded` before anything is sent.
//! Every state change is checked against the rules and appends an event in the same transaction.

use super::db::{LockSpace, Row, Sql};
use super::leases::Fence;
use super::{Ledger, LedgerError};
use crate::args;
use crate::domain::{Basis, Money, Note, Reference, ReviewReason, TxState, Unit};

/// What kind of operation a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxKind {
    /// A phone top-up; the destination is the number (E.164).
    TopUp,
    /// Credit from the main account to a sub-account; the destination is the sub-account's id.
    CreditAdd,
    /// Credit from a sub-account back to the main account; the destination is its id.
    CreditRemove,
    /// Points from the main account to a child account; the destination is the child's id.
    Transfer,
}

impl TxKind {
    const ALL: [TxKind; 4] = [
        TxKind::TopUp,
        TxKind::CreditAdd,
        TxKind::CreditRemove,
        TxKind::Transfer,
    ];

    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            TxKind::TopUp => "topup",
            TxKind::CreditAdd => "credit_add",
            TxKind::CreditRemove => "credit_remove",
            TxKind::Transfer => "transfer",
        }
    }

    /// What the operation is, in words for a person.
    pub fn label(self) -> &'static str {
        match self {
            TxKind::TopUp => "top-up",
            TxKind::CreditAdd => "credit to sub-account",
            TxKind::CreditRemove => "credit back from sub-account",
            TxKind::Transfer => "transfer to child account",
        }
    }

    /// The kind a stored word names.
    pub(crate) fn parse(word: &str) -> Option<TxKind> {
        TxKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

/// An operation about to be recorded.
#[derive(Clone, Debug)]
pub struct NewOperation<'a> {
    pub reference: &'a Reference,
    pub kind: TxKind,
    pub profile_id: i64,
    pub destination: &'a str,
    pub amount: Money,
    /// The repeat guard, checked in the transaction that records the operation (`None`: no
    /// guard, for demo history and tests).
    pub repeat_guard: Option<RepeatGuard>,
    /// What the request carries beyond destination and amount (JSON), kept so the very same
    /// request can be sent again where the provider deduplicates on our reference.
    pub request: Option<&'a str>,
    /// The batch row this operation sends, linked in the same transaction so a resumed batch
    /// never sends that row again.
    pub batch_row: Option<BatchLine>,
}

/// The repeat guard of one new operation: the same kind, destination and amount as an earlier
/// one is refused outright while that one is open (recorded, sending, pending, unknown), and
/// needs the person's confirmation within `window_ms` of one that went through or whose
/// failure the provider never stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepeatGuard {
    pub window_ms: i64,
    /// The person confirmed a repeat of a settled operation on purpose.
    pub confirmed: bool,
}

/// A row of a batch: the batch's id and the row's line in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub batch_id: i64,
    pub line: i64,
}

/// An earlier operation that a new one looks like a repeat of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlierOperation {
    pub reference: Reference,
    pub state: TxState,
    /// Milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
}

/// What changes with a state change besides the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateChange {
    /// The provider's id for the operation, once known.
    pub provider_ref: Option<String>,
    /// The provider's words (a reason for a refusal, a status text).
    pub provider_message: Option<String>,
    /// Evidence for the event log: raw reply with secrets removed, error text.
    pub detail: Option<String>,
    /// How a final outcome is known (`None`: stated by the provider).
    pub basis: Option<Basis>,
}

/// What a compare-and-set settlement did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled<R = TxRecord> {
    /// The operation moved to the new state.
    Moved(R),
    /// Someone else had already settled it the same way: nothing was written.
    Already(R),
    /// It had moved on to another state (or another counter had taken it over): the fact was
    /// appended to its event log (and, where it contradicts a settled outcome, the operation
    /// was flagged for review).
    Noted(R),
}

impl Settled {
    /// The operation as it stands afterwards.
    pub fn into_record(self) -> TxRecord {
        match self {
            Settled::Moved(r) | Settled::Already(r) | Settled::Noted(r) => r,
        }
    }
}

/// An operation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    pub id: i64,
    pub reference: Reference,
    pub kind: TxKind,
    pub profile_id: i64,
    pub profile_name: String,
    pub destination: String,
    pub amount: Money,
    pub state: TxState,
    pub provider_ref: Option<String>,
    pub provider_message: Option<String>,
    /// Milliseconds since the Unix epoch, UTC.
    pub created_at: i64,
    pub updated_at: i64,
    /// How a final outcome is known; `None` while it is open.
    pub basis: Option<Basis>,
    /// The request's fields beyond destination and amount, as sent (JSON).
    pub request: Option<String>,
    /// The first of the two balance readings that settle a credit move, while waiting for the
    /// second.
    pub first_reading: Option<String>,
    /// When the reconciler should next ask about it (Unix ms).
    pub next_check_at: Option<i64>,
    /// How many times the reconciler has asked about it without an answer.
    pub checks: i64,
    /// Why a person must look at it, when the reconciler could not settle it.
    pub review_reason: Option<ReviewReason>,
    /// The counter that recorded it (none on operations from before counters had names).
    pub counter: Option<String>,
}

/// One state change in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    pub at: i64,
    pub from_state: Option<TxState>,
    pub to_state: TxState,
    pub detail: Option<String>,
    /// The counter that wrote it (none on events from before counters had names).
    pub counter: Option<String>,
}

pub(super) const TX_COLUMNS: &str =
    "t.id, t.reference, t.kind, t.profile_id, p.name AS profile_name,
    t.destination, t.amount_minor, t.unit, t.state, t.provider_ref, t.provider_message,
    t.created_at, t.updated_at, t.basis, t.request, t.first_reading, t.next_check_at, t.checks,
    t.review_reason, t.counter";

pub(super) fn tx_from_row(row: &Row<'_>) -> Result<TxRecord, LedgerError> {
    let kind: String = row.get("kind")?;
    let unit: String = row.get("unit")?;
    let state: String = row.get("state")?;
    let reference: String = row.get("reference")?;
    let basis: Option<String> = row.get("basis")?;
    let review_reason: Option<String> = row.get("review_reason")?;
    Ok(TxRecord {
        id: row.get("id")?,
        reference: Reference::from_text(&reference),
        kind: TxKind::parse(&kind)
            .ok_or_else(|| LedgerError::Corrupt(format!("operation kind “{kind}”")))?,
        profile_id: row.get("profile_id")?,
        profile_name: row.get("profile_name")?,
        destination: row.get("destination")?,
        amount: Money::from_minor(
            row.get("amount_minor")?,
            Unit::from_code(&unit).ok_or_else(|| LedgerError::Corrupt(format!("unit “{unit}”")))?,
        ),
        state: TxState::parse(&state)
            .ok_or_else(|| LedgerError::Corrupt(format!("state “{state}”")))?,
        provider_ref: row.get("provider_ref")?,
        provider_message: row.get("provider_message")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        basis: basis
            .map(|b| Basis::parse(&b).ok_or_else(|| LedgerError::Corrupt(format!("basis “{b}”"))))
            .transpose()?,
        request: row.get("request")?,
        first_reading: row.get("first_reading")?,
        next_check_at: row.get("next_check_at")?,
        checks: row.get("checks")?,
        review_reason: review_reason.as_deref().map(ReviewReason::from_stored),
        counter: row.get("counter")?,
    })
}

/// When the reconciler first asks about an operation that has just entered `state`.
fn first_check_at(state: TxState, now: i64) -> Option<i64> {
    match state {
        TxState::Pending => Some(now + super::follow_up::FIRST_PENDING_CHECK_MS),
        TxState::Unknown => Some(now),
        _ => None,
    }
}

fn earlier(row: &Row<'_>) -> Result<EarlierOperation, LedgerError> {
    let (reference, state, created_at): (String, String, i64) =
        (row.get(0)?, row.get(1)?, row.get(2)?);
    let state =
        TxState::parse(&state).ok_or_else(|| LedgerError::Corrupt(format!("state “{state}”")))?;
    Ok(EarlierOperation {
        reference: Reference::from_text(&reference),
        state,
        created_at,
    })
}

/// The repeat guard, inside the transaction that records `new`: an identical open operation
/// refuses it outright; an identical one that went through, or whose failure only saldo or a
/// person concluded, refuses it within the window unless the person confirmed.
fn check_repeat(
    tx: &mut Sql<'_>,
    new: &NewOperation<'_>,
    guard: RepeatGuard,
    now: i64,
) -> Result<(), LedgerError> {
    // Two counters recording the same number at once take turns here, until commit: the
    // second one's checks see the first one's operation.
    tx.lock_key(LockSpace::Destination, new.destination, false)?;
    let what = args![
        new.destination,
        new.kind.as_str(),
        new.amount.minor(),
        new.amount.unit().code()
    ];
    let open = tx
        .row(
            "SELECT reference, state, created_at FROM transactions
             WHERE destination = ?1 AND kind = ?2 AND amount_minor = ?3 AND unit = ?4
               AND state IN ('recorded', 'sending', 'pending', 'unknown')
             ORDER BY created_at DESC, id DESC LIMIT 1",
            what,
            earlier,
        )
        .map_err(LedgerError::reading)?;
    if let Some(found) = open {
        return Err(LedgerError::RepeatOfOpen(found));
    }
    if guard.confirmed || guard.window_ms <= 0 {
        return Ok(());
    }
    let recent = tx
        .row(
            "SELECT reference, state, created_at FROM transactions
             WHERE destination = ?1 AND kind = ?2 AND amount_minor = ?3 AND unit = ?4
               AND created_at >= ?5
               AND (state = 'succeeded'
                    OR (state = 'failed' AND (basis IS NULL OR basis <> 'stated')))
             ORDER BY created_at DESC, id DESC LIMIT 1",
            args![
                new.destination,
                new.kind.as_str(),
                new.amount.minor(),
                new.amount.unit().code(),
                now.saturating_sub(guard.window_ms)
            ],
            earlier,
        )
        .map_err(LedgerError::reading)?;
    match recent {
        Some(found) => Err(LedgerError::PossibleRepeat(found)),
        None => Ok(()),
    }
}

/// Inserts a new operation in state `recorded` with its first event, after the repeat guard,
/// and links its batch row; inside the caller's transaction. Returns its id.
fn insert_new(tx: &mut Sql<'_>, new: &NewOperation<'_>, at: Stamp<'_>) -> Result<i64, LedgerError> {
    if let Some(guard) = new.repeat_guard {
        check_repeat(tx, new, guard, at.now)?;
    }
    let id: i64 = tx.value(
        "INSERT INTO transactions (reference, kind, profile_id, destination, amount_minor,
                 unit, state, created_at, updated_at, request, counter)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10) RETURNING id",
        args![
            new.reference.as_str(),
            new.kind.as_str(),
            new.profile_id,
            new.destination,
            new.amount.minor(),
            new.amount.unit().code(),
            TxState::Recorded.as_str(),
            at.now,
            new.request,
            at.counter
        ],
    )?;
    if let Some(line) = new.batch_row {
        super::batches::link_row(tx, line, id)?;
    }
    tx.execute(
        "INSERT INTO transaction_events (transaction_id, at, from_state, to_state, counter)
             VALUES (?1, ?2, NULL, ?3, ?4)",
        args![id, at.now, TxState::Recorded.as_str(), at.counter],
    )?;
    Ok(id)
}

/// An operation's id and state, read inside a write transaction and locked until it ends.
fn current_state(tx: &mut Sql<'_>, reference: &Reference) -> Result<(i64, TxState), LedgerError> {
    let locked = tx.for_update();
    let current: Option<(i64, String)> = tx
        .row(
            &format!("SELECT id, state FROM transactions WHERE reference = ?1{locked}"),
            args![reference.as_str()],
            |r| Ok::<_, LedgerError>((r.get(0)?, r.get(1)?)),
        )
        .map_err(LedgerError::reading)?;
    let (id, state) =
        current.ok_or_else(|| LedgerError::TransactionNotFound(reference.to_string()))?;
    let state =
        TxState::parse(&state).ok_or_else(|| LedgerError::Corrupt(format!("state “{state}”")))?;
    Ok((id, state))
}

/// Moves an operation, standing `from` as the caller read (and locked) it, to a new state if
/// the rules allow it, and appends the event; inside the caller's transaction.
fn apply_transition(
    tx: &mut Sql<'_>,
    (id, from): (i64, TxState),
    to: TxState,
    change: &StateChange,
    at: Stamp<'_>,
) -> Result<(), LedgerError> {
    let now = at.now;
    from.check(to)?;
    let basis = to
        .is_final()
        .then(|| change.basis.unwrap_or(Basis::Stated).as_str());
    tx.execute(
        "UPDATE transactions SET state = ?2, updated_at = ?3,
                 provider_ref = COALESCE(?4, provider_ref),
                 provider_message = COALESCE(?5, provider_message),
                 next_check_at = ?6,
                 checks = 0,
                 review_reason = CASE WHEN ?7 THEN NULL ELSE review_reason END,
                 basis = ?8,
                 first_reading = NULL
             WHERE id = ?1",
        args![
            id,
            to.as_str(),
            now,
            change.provider_ref,
            change.provider_message,
            first_check_at(to, now),
            to.is_final(),
            basis
        ],
    )?;
    tx.execute(
        "INSERT INTO transaction_events (transaction_id, at, from_state, to_state, detail,
                 counter)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![
            id,
            now,
            from.as_str(),
            to.as_str(),
            change.detail,
            at.counter
        ],
    )?;
    Ok(())
}

/// Whether a provider's report of `reported` contradicts an operation that stands `current`.
fn contradicts(current: TxState, reported: TxState) -> bool {
    use TxState::*;
    matches!(
        (current, reported),
        (Failed, Succeeded | Pending) | (Succeeded, Failed)
    )
}

/// Appends a fact that came too late to move the operation (it had moved on), keeping the
/// provider's reference; a fact that contradicts a settled outcome flags it for review.
fn note_late_fact(
    tx: &mut Sql<'_>,
    id: i64,
    current: TxState,
    reported: TxState,
    change: &StateChange,
    at: Stamp<'_>,
) -> Result<(), LedgerError> {
    let late = Note::LateOutcome {
        reported,
        recorded: current,
        message: change.provider_message.clone(),
    };
    let detail = late.followed_by(change.detail.as_deref().unwrap_or_default());
    let review = contradicts(current, reported).then(|| {
        ReviewReason::LateContradiction {
            reported,
            recorded: current,
        }
        .to_stored()
    });
    tx.execute(
        "UPDATE transactions SET provider_ref = COALESCE(provider_ref, ?2),
                 review_reason = COALESCE(?3, review_reason)
             WHERE id = ?1",
        args![id, change.provider_ref, review],
    )?;
    tx.execute(
        "INSERT INTO transaction_events (transaction_id, at, from_state, to_state, detail,
                 counter)
             VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
        args![id, at.now, current.as_str(), detail, at.counter],
    )?;
    Ok(())
}

/// When and where a change is written: the ledger's time and the counter writing it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp<'a> {
    pub now: i64,
    pub counter: &'a str,
}

/// Settles an operation by compare-and-set inside the caller's transaction (see
/// [`Ledger::settle_from`]); `fenced` means another holder has taken the operation over, so
/// the fact is appended, never moved over the new holder.
pub(crate) fn settle_in(
    tx: &mut Sql<'_>,
    reference: &Reference,
    expected: TxState,
    to: TxState,
    change: &StateChange,
    at: Stamp<'_>,
    fence: &Fence,
) -> Result<Settled<()>, LedgerError> {
    let (id, current) = current_state(tx, reference)?;
    Ok(if current == to {
        Settled::Already(())
    } else if !fence.shut_out(tx)?
        && (current == expected || (!current.is_final() && to.is_final() && current.can_become(to)))
    {
        apply_transition(tx, (id, current), to, change, at)?;
        Settled::Moved(())
    } else {
        note_late_fact(tx, id, current, to, change, at)?;
        Settled::Noted(())
    })
}

impl Ledger {
    /// Commits a new operation in state `recorded` with its first event. Nothing may be sent
    /// unless this returns `Ok`.
    pub fn record_new(&self, new: &NewOperation<'_>) -> Result<TxRecord, LedgerError> {
        let now = self.now();
        self.write_locked(|tx| insert_new(tx, new, self.stamp(now)).map(drop))?;
        self.transaction(new.reference)
    }

    /// Commits a new operation as `recorded` and at once as `sending` (with `change` as that
    /// event's evidence), in one transaction: nothing may be sent unless this returns `Ok`.
    /// On the shop's server the sender must hold the operation's lease, checked in the same
    /// transaction.
    pub fn record_sending(
        &self,
        new: &NewOperation<'_>,
        change: &StateChange,
    ) -> Result<(), LedgerError> {
        let now = self.now();
        let fence = self.fence(new.reference);
        self.write_locked(|tx| {
            if fence.shut_out(tx)? {
                return Err(LedgerError::Write(format!(
                    "{} is held by another counter: nothing was sent",
                    new.reference
                )));
            }
            let id = insert_new(tx, new, self.stamp(now))?;
            let recorded = (id, TxState::Recorded);
            apply_transition(tx, recorded, TxState::Sending, change, self.stamp(now))
        })
    }

    /// Like [`Ledger::transition`], but only while the operation is still in `from`: returns
    /// `None` (and writes nothing) when someone else — another saldo, another task, another
    /// counter that took it over — has moved it on meanwhile.
    pub fn transition_from(
        &self,
        reference: &Reference,
        from: TxState,
        to: TxState,
        change: &StateChange,
    ) -> Result<Option<TxRecord>, LedgerError> {
        let now = self.now();
        let fence = self.fence(reference);
        let moved = self.write_locked(|tx| {
            let current = match current_state(tx, reference) {
                Ok(current) => current,
                Err(LedgerError::TransactionNotFound(_)) => return Ok(false),
                Err(other) => return Err(other),
            };
            if current.1 != from || fence.shut_out(tx)? {
                return Ok(false);
            }
            apply_transition(tx, current, to, change, self.stamp(now))?;
            Ok(true)
        })?;
        if !moved {
            return Ok(None);
        }
        self.transaction(reference).map(Some)
    }

    /// Moves an operation to a new state, if the rules allow it, and appends the event.
    pub fn transition(
        &self,
        reference: &Reference,
        to: TxState,
        change: &StateChange,
    ) -> Result<TxRecord, LedgerError> {
        let now = self.now();
        let fence = self.fence(reference);
        self.write_locked(|tx| {
            // The row first, then the lease: the order every writer locks them in.
            let current = current_state(tx, reference)?;
            if fence.shut_out(tx)? {
                return Err(LedgerError::Write(format!(
                    "{reference} is held by another counter right now: try again in a moment"
                )));
            }
            apply_transition(tx, current, to, change, self.stamp(now))
        })?;
        self.transaction(reference)
    }

    /// Settles an operation by compare-and-set: it moves to `to` only if it still stands
    /// `expected` (or is open and `to` is a final fact). Otherwise nothing moves: if it is
    /// already `to` nothing is written, and any other fact is appended to its event log with
    /// the provider's reference — flagged for review when it contradicts a settled outcome.
    /// Provider facts are never dropped: when the shop's server cannot be reached, the fact
    /// is kept on this counter (its outbox) and written as soon as the server is back.
    pub fn settle_from(
        &self,
        reference: &Reference,
        expected: TxState,
        to: TxState,
        change: &StateChange,
    ) -> Result<Settled, LedgerError> {
        let now = self.now();
        let fence = self.fence(reference);
        let written = self.write_locked(|tx| {
            settle_in(tx, reference, expected, to, change, self.stamp(now), &fence)
        });
        let outcome = match written {
            Ok(outcome) => outcome,
            Err(error @ LedgerError::Unreachable(_)) => {
                self.keep_for_later(reference, expected, to, change, now)?;
                return Err(error);
            }
            Err(error) => return Err(error),
        };
        let record = self.transaction(reference)?;
        Ok(match outcome {
            Settled::Already(()) => Settled::Already(record),
            Settled::Moved(()) => Settled::Moved(record),
            Settled::Noted(()) => Settled::Noted(record),
        })
    }

    /// The operation with this reference.
    pub fn transaction(&self, reference: &Reference) -> Result<TxRecord, LedgerError> {
        self.query(|sql| {
            sql.row(
                &format!(
                    "SELECT {TX_COLUMNS} FROM transactions t JOIN profiles p ON p.id = t.profile_id
                     WHERE t.reference = ?1"
                ),
                args![reference.as_str()],
                tx_from_row,
            )
        })?
        .ok_or_else(|| LedgerError::TransactionNotFound(reference.to_string()))
    }

    /// The event log of one operation, oldest first.
    pub fn events(&self, reference: &Reference) -> Result<Vec<EventRecord>, LedgerError> {
        let parse = |word: &str| {
            TxState::parse(word).ok_or_else(|| LedgerError::Corrupt(format!("state “{word}”")))
        };
        self.query(|sql| {
            sql.rows(
                "SELECT e.at, e.from_state, e.to_state, e.detail, e.counter FROM transaction_events e
                 JOIN transactions t ON t.id = e.transaction_id
                 WHERE t.reference = ?1 ORDER BY e.id",
                args![reference.as_str()],
                |r| {
                    let from: Option<String> = r.get(1)?;
                    let to: String = r.get(2)?;
                    Ok(EventRecord {
                        at: r.get(0)?,
                        from_state: from.as_deref().map(parse).transpose()?,
                        to_state: parse(&to)?,
                        detail: r.get(3)?,
                        counter: r.get(4)?,
                    })
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::ProviderKind;

    fn ledger_with_profile() -> (tempfile::TempDir, Ledger, i64) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::testkit::open_in(dir.path()).unwrap();
        let profile = ledger
            .add_profile(
                "cuba",
                ProviderKind::Qvatel,
                "https://qvatel.com/api",
                &ProviderKind::Qvatel.default_settings(),
            )
            .unwrap();
        (dir, ledger, profile.id)
    }

    #[test]
    fn a_topup_moves_through_legal_states_with_an_event_each() {
        let (_dir, ledger, profile_id) = ledger_with_profile();
        let reference = Reference::generate();
        let amount = Money::from_minor(2000, Unit::Usd);
        let row = ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind: TxKind::TopUp,
                profile_id,
                destination: "+5352942387",
                amount,
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        assert_eq!(row.state, TxState::Recorded);
        assert_eq!(row.amount, amount);
        ledger
            .transition(&reference, TxState::Sending, &StateChange::default())
            .unwrap();
        let done = ledger
            .transition(
                &reference,
                TxState::Succeeded,
                &StateChange {
                    provider_ref: Some("qvatel-1".into()),
                    provider_message: Some("Recargado".into()),
                    detail: Some("{'result': 1}".into()),
                    basis: None,
                },
            )
            .unwrap();
        assert_eq!(done.state, TxState::Succeeded);
        assert_eq!(done.provider_ref.as_deref(), Some("qvatel-1"));
        assert_eq!(done.profile_name, "cuba");
        let events = ledger.events(&reference).unwrap();
        let moves: Vec<_> = events.iter().map(|e| (e.from_state, e.to_state)).collect();
        assert_eq!(
            moves,
            vec![
                (None, TxState::Recorded),
                (Some(TxState::Recorded), TxState::Sending),
                (Some(TxState::Sending), TxState::Succeeded)
            ]
        );
        assert_eq!(events[2].detail.as_deref(), Some("{'result': 1}"));
    }

    #[test]
    fn illegal_moves_are_refused_and_change_nothing() {
        let (_dir, ledger, profile_id) = ledger_with_profile();
        let reference = Reference::generate();
        ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind: TxKind::TopUp,
                profile_id,
                destination: "+5352942387",
                amount: Money::from_minor(1500, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        let err = ledger
            .transition(&reference, TxState::Succeeded, &StateChange::default())
            .unwrap_err();
        assert!(matches!(err, LedgerError::Illegal(_)), "{err}");
        assert_eq!(
            ledger.transaction(&reference).unwrap().state,
            TxState::Recorded
        );
        assert_eq!(ledger.events(&reference).unwrap().len(), 1);
    }

    #[test]
    fn the_event_log_is_append_only() {
        let (_dir, ledger, profile_id) = ledger_with_profile();
        let reference = Reference::generate();
        ledger
            .record_new(&NewOperation {
                reference: &reference,
                kind: TxKind::TopUp,
                profile_id,
                destination: "+5352942387",
                amount: Money::from_minor(1500, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
        let mut conn = ledger.conn();
        let mut sql = conn.sql();
        assert!(
            sql.execute("UPDATE transaction_events SET to_state = 'failed'", args![])
                .is_err()
        );
        assert!(
            sql.execute("DELETE FROM transaction_events", args![])
                .is_err()
        );
    }
}
