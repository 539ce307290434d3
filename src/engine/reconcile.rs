//! The reconciler: follows every operation that is not final until it is, or until a person
//! must decide. It works only on operations it has claimed (see [`crate::ledger::claims`]): a
//! row whose sender is alive is in flight and left alone, whatever the clocks say; a row whose
//! claim can be taken was left by an interruption. Pending top-ups are asked about with
//! back-off; unknown ones are settled where the provider allows it — RechargeKit by sending the
//! very same request again (it creates an order once per reference), QvaTel by its id, SMS
//! Partner by two balance readings after the provider can no longer execute the move. What it
//! cannot settle is flagged "needs review" with the evidence. Every settlement is
//! compare-and-set: another reconciler having settled an operation first is not an error.

use crate::domain::{Basis, Note, PhoneNumber, Reference, ReviewReason, TxState};
use crate::ledger::{NextCheck, StateChange, TxKind, TxRecord};
use crate::providers::{Connector, Profile, StatusProgress, StatusQuery, TopUpRequest};

use super::balance_check::{BalanceBefore, BalanceReading, BalanceVerdict, judge, later_reading};
use tracing::Instrument;

use super::journal::{Deadline, failure_message, settle_error};
use super::topup::settle_status;
use super::{Engine, EngineError, blocking};

/// The longest pause between two checks of the same operation.
const MAX_CHECK_INTERVAL_MS: i64 = 30 * 60 * 1000;
/// The first pause after a check that learnt nothing.
const FIRST_CHECK_INTERVAL_MS: i64 = 5_000;
/// After this many checks without an answer, a person is asked to look (checking goes on).
const CHECKS_BEFORE_REVIEW: i64 = 8;
/// A top-up still pending after this long is shown to a person (checking goes on).
const PENDING_TOO_LONG_MS: i64 = 24 * 60 * 60 * 1000;
/// How far back other moves on the same sub-account are considered.
const BALANCE_LOOKBACK_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// What one reconciler pass did.
#[derive(Clone, Debug, Default)]
pub struct ReconcileReport {
    /// Operations it settled (their rows after the change).
    pub settled: Vec<TxRecord>,
    /// Operations a person must look at, with the reason in `review_reason`.
    pub needs_review: Vec<TxRecord>,
    /// Operations still open that will be asked about again later (or in flight).
    pub waiting: usize,
}

/// What the follow-up of one operation came to.
enum Step {
    Settled(TxState, StateChange),
    /// Still open; ask again later. When it is newly flagged for a person, the event log
    /// notes the reason, with the provider's reply behind it.
    Later {
        review: Option<ReviewReason>,
        raw: Option<String>,
        /// When to ask again (Unix ms); `None`: after the usual back-off.
        at: Option<i64>,
    },
    /// In flight in some process, or not due yet: leave it alone.
    NotDue,
}

/// How many open operations a reconciler claims at once.
const CLAIM_CHUNK: usize = 8;

fn later(review: Option<ReviewReason>) -> Step {
    Step::Later {
        review,
        raw: None,
        at: None,
    }
}

/// Still open, with the provider's reply kept in case it is flagged now.
fn later_with_reply(review: Option<ReviewReason>, raw: &str) -> Step {
    Step::Later {
        review,
        raw: Some(raw.to_string()),
        at: None,
    }
}

/// Flags an operation for a person.
fn flag(why: ReviewReason) -> Step {
    later(Some(why))
}

fn later_at(at: i64) -> Step {
    Step::Later {
        review: None,
        raw: None,
        at: Some(at),
    }
}

fn settled(state: TxState, message: Note, detail: Note, basis: Basis) -> Step {
    Step::Settled(
        state,
        StateChange {
            provider_ref: None,
            provider_message: Some(message.to_stored()),
            detail: Some(detail.to_stored()),
            basis: Some(basis),
        },
    )
}

fn backoff(checks: i64) -> i64 {
    let doublings = u32::try_from(checks.clamp(0, 20)).unwrap_or(20);
    FIRST_CHECK_INTERVAL_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_CHECK_INTERVAL_MS)
}

/// How an older saldo noted that the very same request was sent again (today:
/// [`Note::SendingAgain`]); the horizon runs from it anew.
const SENT_AGAIN: &str =
    "reconciler: the provider has no record of it and can no longer be executing";

fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The first of two balance readings, as kept on the operation: the verdict it gave and when.
fn parse_first_reading(text: &str) -> Option<(TxState, i64)> {
    let (state, at) = text.split_once('@')?;
    Some((TxState::parse(state)?, at.parse().ok()?))
}

impl Engine {
    /// One pass over every open operation (of one profile, or all): settles what can be
    /// settled now and schedules the rest.
    pub async fn reconcile(
        &self,
        profile_name: Option<&str>,
    ) -> Result<ReconcileReport, EngineError> {
        self.reconcile_pass(profile_name, false).await
    }

    /// Like [`Engine::reconcile`], but asks about every open operation now, whatever its
    /// schedule (after an outage, or when a person asks to re-check everything).
    pub async fn reconcile_now(
        &self,
        profile_name: Option<&str>,
    ) -> Result<ReconcileReport, EngineError> {
        self.reconcile_pass(profile_name, true).await
    }

    async fn reconcile_pass(
        &self,
        profile_name: Option<&str>,
        now_regardless: bool,
    ) -> Result<ReconcileReport, EngineError> {
        let profile_id = match profile_name {
            Some(name) => Some(self.profile(name).await?.id),
            None => None,
        };
        let ledger = self.ledger.clone();
        let open = blocking(move || ledger.open_operations(profile_id)).await??;
        self.follow_up_all(open, now_regardless).await
    }

    /// Settles the rows of a profile that an interruption left `recorded` or `sending`, before
    /// anything new is sent to it. Rows whose sender is alive (it holds their claim, perhaps in
    /// another saldo) are in flight and left alone.
    pub(super) async fn recover_leftovers(&self, profile: &Profile) -> Result<(), EngineError> {
        let _one_at_a_time = self.recovering.lock().await;
        let ledger = self.ledger.clone();
        let id = profile.id;
        let unfinished = blocking(move || ledger.unfinished_sends(id)).await??;
        if !unfinished.is_empty() {
            self.follow_up_all(unfinished, false).await?;
        }
        Ok(())
    }

    /// Asks about one operation now, whatever its schedule, and returns its row afterwards.
    pub async fn refresh_status(&self, reference: &Reference) -> Result<TxRecord, EngineError> {
        let ledger = self.ledger.clone();
        let r = reference.clone();
        let record = blocking(move || ledger.transaction(&r)).await??;
        if record.state.is_final() {
            return Ok(record);
        }
        self.follow_up_all(vec![record], true).await?;
        let ledger = self.ledger.clone();
        let r = reference.clone();
        Ok(blocking(move || ledger.transaction(&r)).await??)
    }

    async fn follow_up_all(
        &self,
        open: Vec<TxRecord>,
        now_regardless: bool,
    ) -> Result<ReconcileReport, EngineError> {
        let mut report = ReconcileReport::default();
        let mut connectors: Vec<(i64, Option<Connector>, Option<Profile>)> = Vec::new();
        let mut due = Vec::new();
        for listed in open {
            let now = self.ledger.now();
            let is_due = now_regardless || listed.next_check_at.is_none_or(|at| at <= now);
            if matches!(listed.state, TxState::Pending | TxState::Unknown) && !is_due {
                report.waiting += 1;
            } else {
                due.push(listed.reference);
            }
        }
        // Only what this pass has claimed is touched: a live sender, another reconciler
        // or a person settling it holds the claim meanwhile. A few at a time, so that
        // other counters' reconcilers share a long list instead of waiting for this one.
        for chunk in due.chunks(CLAIM_CHUNK) {
            let ledger = self.ledger.clone();
            let wanted = chunk.to_vec();
            let claimed = blocking(move || ledger.claim_open(&wanted)).await??;
            report.waiting += chunk.len() - claimed.len();
            for (reference, claim) in claimed {
                let ledger = self.ledger.clone();
                let record = blocking(move || ledger.transaction(&reference)).await??;
                if record.state.is_final() {
                    continue;
                }
                // A credit move settled by its sub-account's balance: one reconciler at a
                // time judges a sub-account's balance.
                let _sub_account =
                    if matches!(record.kind, TxKind::CreditAdd | TxKind::CreditRemove)
                        && record.state == TxState::Unknown
                    {
                        let ledger = self.ledger.clone();
                        let (id, account) = (record.profile_id, record.destination.clone());
                        match blocking(move || ledger.claim_sub_account(id, &account)).await?? {
                            Some(held) => Some(held),
                            None => {
                                report.waiting += 1;
                                continue;
                            }
                        }
                    } else {
                        None
                    };
                if !connectors.iter().any(|(id, ..)| *id == record.profile_id) {
                    let profile = self.profile(&record.profile_name).await.ok();
                    let connector = match &profile {
                        Some(p) => self.connector(p).await.ok(),
                        None => None,
                    };
                    connectors.push((record.profile_id, connector, profile));
                }
                let (_, connector, profile) = connectors
                    .iter()
                    .find(|(id, ..)| *id == record.profile_id)
                    .expect("just added");
                let (step, record) = self
                    .follow_up(record, connector.as_ref(), profile.as_ref())
                    .await?;
                self.apply_step(record, step, &mut report).await?;
                drop(claim);
            }
        }
        Ok(report)
    }

    async fn apply_step(
        &self,
        record: TxRecord,
        step: Step,
        report: &mut ReconcileReport,
    ) -> Result<(), EngineError> {
        match step {
            Step::NotDue => report.waiting += 1,
            Step::Settled(state, change) => {
                let row = self
                    .record_outcome(&record.reference, record.state, state, change)
                    .await?;
                if row.state.is_final() && row.review_reason.is_none() {
                    report.settled.push(row);
                } else if row.review_reason.is_some() {
                    report.needs_review.push(row);
                } else {
                    report.waiting += 1;
                }
            }
            Step::Later { review, raw, at } => {
                let ledger = self.ledger.clone();
                let reference = record.reference.clone();
                let state = record.state;
                let at = at.unwrap_or_else(|| self.ledger.now() + backoff(record.checks));
                let row = blocking(move || {
                    let next = NextCheck {
                        expected: state,
                        at,
                        review_reason: review.as_ref(),
                        raw: raw.as_deref(),
                    };
                    ledger.schedule_check(&reference, &next)?;
                    ledger.transaction(&reference)
                })
                .await??;
                if row.review_reason.is_some() {
                    report.needs_review.push(row);
                } else {
                    report.waiting += 1;
                }
            }
        }
        Ok(())
    }

    /// Moves an operation on only if nobody else has since it was read.
    async fn move_if_still(
        &self,
        record: &TxRecord,
        to: TxState,
        change: StateChange,
    ) -> Result<Option<TxRecord>, EngineError> {
        let ledger = self.ledger.clone();
        let (reference, from) = (record.reference.clone(), record.state);
        let moved = blocking(move || ledger.transition_from(&reference, from, to, &change)).await?;
        moved.map_err(|error| EngineError::OutcomeNotRecorded {
            reference: record.reference.to_string(),
            outcome: to.to_string(),
            error,
        })
    }

    /// Decides the next step for one open operation this pass has claimed; returns it with the
    /// row as it stands (a leftover is first moved to `unknown`).
    async fn follow_up(
        &self,
        record: TxRecord,
        connector: Option<&Connector>,
        profile: Option<&Profile>,
    ) -> Result<(Step, TxRecord), EngineError> {
        let step = match record.state {
            // Claimed, so its sender is gone: it stopped before sending anything.
            TxState::Recorded => {
                let never = StateChange {
                    detail: Some(Note::StoppedBeforeSending.to_stored()),
                    ..StateChange::default()
                };
                match self.move_if_still(&record, TxState::Sending, never).await? {
                    Some(row) => {
                        let step = settled(
                            TxState::Failed,
                            Note::NeverSent,
                            Note::NeverSent,
                            Basis::Stated,
                        );
                        return Ok((step, row));
                    }
                    None => Step::NotDue,
                }
            }
            // Claimed, so its sender is gone: it stopped while sending.
            TxState::Sending => {
                let interrupted = StateChange {
                    provider_ref: None,
                    provider_message: Some(Note::StoppedWhileSending.to_stored()),
                    detail: Some(Note::StoppedWhileSending.to_stored()),
                    basis: None,
                };
                match self
                    .move_if_still(&record, TxState::Unknown, interrupted)
                    .await?
                {
                    Some(row) => {
                        let step = self.ask_provider(&row, connector, profile).await?;
                        return Ok((step, row));
                    }
                    None => Step::NotDue,
                }
            }
            TxState::Pending | TxState::Unknown => {
                self.ask_provider(&record, connector, profile).await?
            }
            TxState::Succeeded | TxState::Failed => Step::NotDue,
        };
        Ok((step, record))
    }

    /// When the provider can no longer execute an operation whose send ended without an
    /// answer: the late-execution horizon after its last send ended (Unix ms, by the ledger's
    /// clock). A request sent again starts the horizon anew, counted from the end of its
    /// deadline.
    async fn beyond_reach_at(&self, record: &TxRecord) -> Result<i64, EngineError> {
        let ledger = self.ledger.clone();
        let reference = record.reference.clone();
        let events = blocking(move || ledger.events(&reference)).await??;
        let first_end = events
            .iter()
            .find(|e| e.from_state == Some(TxState::Sending))
            .map_or(record.updated_at, |e| e.at);
        let again_end = events
            .iter()
            .filter(|e| {
                e.detail.as_deref().is_some_and(|d| {
                    d.starts_with(SENT_AGAIN)
                        || Note::read(d).notes.first() == Some(&Note::SendingAgain)
                })
            })
            .map(|e| e.at.saturating_add(millis(self.options.deadline)))
            .max();
        let ended = again_end.map_or(first_end, |again| again.max(first_end));
        Ok(ended.saturating_add(millis(self.options.late_execution_horizon)))
    }

    /// Asks the provider (or the balances) how an open operation ended.
    async fn ask_provider(
        &self,
        record: &TxRecord,
        connector: Option<&Connector>,
        profile: Option<&Profile>,
    ) -> Result<Step, EngineError> {
        let Some(connector) = connector else {
            return Ok(later(
                (record.checks >= CHECKS_BEFORE_REVIEW).then_some(ReviewReason::ProfileUnreadable),
            ));
        };
        match record.kind {
            TxKind::TopUp => self.ask_top_up_status(record, connector, profile).await,
            TxKind::CreditAdd | TxKind::CreditRemove => {
                self.compare_balances(record, connector, profile).await
            }
            TxKind::Transfer => Ok(later(Some(ReviewReason::TransferCannotBeAsked {
                profile: record.profile_name.clone(),
                child: record.destination.clone(),
            }))),
        }
    }

    /// Sends the very same request again, with the same reference, to a provider that creates
    /// an order once per reference: it executes it now if it never arrived, or answers
    /// "duplicate" and then the existing order's status.
    async fn send_same_again(
        &self,
        record: &TxRecord,
        connector: &Connector,
        profile: &Profile,
    ) -> Result<Step, EngineError> {
        let (Some(sender), Some(country)) =
            (connector.top_up.clone(), profile.provider.topup_country())
        else {
            return Ok(later(Some(ReviewReason::CannotSendAgain)));
        };
        let destination = match PhoneNumber::from_e164(&record.destination, country) {
            Ok(number) => number,
            Err(error) => {
                return Ok(later(Some(ReviewReason::NumberUnreadable {
                    error: error.to_string(),
                })));
            }
        };
        // Only the very same request is safe to send again: without the fields it was sent
        // with (a row an older saldo recorded), a person decides.
        let extras = match record.request.as_deref().map(serde_json::from_str) {
            Some(Ok(extras)) => extras,
            Some(Err(error)) => {
                return Ok(later(Some(ReviewReason::RequestUnreadable {
                    error: error.to_string(),
                })));
            }
            None => {
                return Ok(later(Some(ReviewReason::RequestNotKept {
                    destination: record.destination.clone(),
                    amount: record.amount,
                    at: record.created_at,
                })));
            }
        };
        let request = TopUpRequest {
            reference: record.reference.clone(),
            destination,
            amount: record.amount,
            extras,
        };
        let ledger = self.ledger.clone();
        let (reference, state) = (record.reference.clone(), record.state);
        let noted = blocking(move || {
            ledger.append_note(&reference, state, &Note::SendingAgain.to_stored())
        })
        .await??;
        if !noted {
            return Ok(Step::NotDue);
        }
        let deadline = Deadline::after(self.operation_deadline(profile));
        let sent = self
            .send_money(deadline, || sender.top_up(&request))
            .instrument(super::journal::operation_span(&record.reference))
            .await;
        let (state, mut change) = match sent {
            Ok(receipt) => {
                let status = connector.top_up_status.as_deref();
                self.settle_receipt(&record.reference, receipt, status, deadline)
                    .await
            }
            Err(error) => settle_error(&error),
        };
        if state == record.state {
            // No answer again: this send may still arrive, so the horizon starts anew.
            let reach = self.beyond_reach_at(record).await?;
            return Ok(later_at(reach));
        }
        change.detail = change.detail.map(|d| Note::SentAgain.followed_by(&d));
        Ok(Step::Settled(state, change))
    }

    async fn ask_top_up_status(
        &self,
        record: &TxRecord,
        connector: &Connector,
        profile: Option<&Profile>,
    ) -> Result<Step, EngineError> {
        let Some(status) = connector.top_up_status.as_deref() else {
            return Ok(later(Some(ReviewReason::CannotAskTopUp)));
        };
        if status.needs_provider_ref() && record.provider_ref.is_none() {
            return Ok(later(Some(ReviewReason::ProviderIdLost {
                destination: record.destination.clone(),
                amount: record.amount,
                at: record.created_at,
            })));
        }
        let query = StatusQuery {
            reference: &record.reference,
            provider_ref: record.provider_ref.as_deref(),
        };
        let asked = self
            .read_with_retry(|| status.top_up_status(query))
            .instrument(super::journal::operation_span(&record.reference))
            .await;
        let report = match asked {
            Ok(report) => report,
            Err(error) => {
                return Ok(later_with_reply(
                    (record.checks >= CHECKS_BEFORE_REVIEW).then_some(ReviewReason::NoAnswer {
                        checks: record.checks + 1,
                    }),
                    &failure_message(&error),
                ));
            }
        };
        let now = self.ledger.now();
        if report.progress == StatusProgress::NotFound {
            // "Not found" alone never means failed: the request may still arrive, or have been
            // lost on the way. A provider that creates an order once per reference is sent the
            // very same request again once the first can no longer be executing.
            return match (record.state, profile) {
                (TxState::Unknown, Some(profile)) if status.deduplicates_by_reference() => {
                    let reach = self.beyond_reach_at(record).await?;
                    if now < reach {
                        Ok(later_at(reach))
                    } else {
                        self.send_same_again(record, connector, profile).await
                    }
                }
                (TxState::Unknown, _) => Ok(later_with_reply(
                    Some(ReviewReason::NoRecord {
                        destination: record.destination.clone(),
                        amount: record.amount,
                        at: record.created_at,
                    }),
                    &report.raw,
                )),
                _ => Ok(later_with_reply(
                    Some(ReviewReason::NoLongerKnown),
                    &report.raw,
                )),
            };
        }
        if let Some(amount) = report.amount.filter(|a| *a != record.amount) {
            let why = ReviewReason::AmountDiffers {
                found: amount,
                recorded: record.amount,
            };
            return Ok(later_with_reply(Some(why), &report.raw));
        }
        let Some(state) = settle_status(&report) else {
            return Ok(later(None));
        };
        if state == record.state {
            self.note_new_word(record, &report).await?;
            let too_long = now - record.created_at > PENDING_TOO_LONG_MS;
            return Ok(later_with_reply(
                too_long.then(|| ReviewReason::PendingTooLong {
                    said: report.message.clone(),
                }),
                &report.raw,
            ));
        }
        Ok(Step::Settled(
            state,
            StateChange {
                provider_ref: None,
                provider_message: report.message.clone(),
                detail: Some(Note::StatusCheck.followed_by(&report.raw)),
                basis: None,
            },
        ))
    }

    /// Writes what a status check said into the operation's event log the first time the
    /// provider says it (an `estado` nobody knew, say), so a person sees it; never twice.
    async fn note_new_word(
        &self,
        record: &TxRecord,
        report: &crate::providers::StatusReport,
    ) -> Result<(), EngineError> {
        let Some(said) = report.message.clone() else {
            return Ok(());
        };
        let ledger = self.ledger.clone();
        let (reference, state, raw) = (record.reference.clone(), record.state, report.raw.clone());
        blocking(move || {
            let events = ledger.events(&reference)?;
            let seen = events.iter().filter_map(|e| e.detail.as_deref()).any(|d| {
                let kept = Note::read(d);
                if kept.notes.is_empty() {
                    // An older saldo wrote the word into a sentence.
                    d.contains(&said)
                } else {
                    kept.notes
                        .iter()
                        .any(|n| matches!(n, Note::StatusSaid { said: s } if *s == said))
                }
            });
            if !seen {
                let note = Note::StatusSaid { said }.followed_by(&raw);
                ledger.append_note(&reference, state, &note)?;
            }
            Ok::<_, crate::ledger::LedgerError>(())
        })
        .await??;
        Ok(())
    }

    /// Settles a credit move whose reply was lost by the sub-account's balance: only once the
    /// provider can no longer be executing it, only on an exact match, and only when two
    /// readings apart in time agree. Anything else goes to a person with the arithmetic.
    async fn compare_balances(
        &self,
        record: &TxRecord,
        connector: &Connector,
        profile: Option<&Profile>,
    ) -> Result<Step, EngineError> {
        let now = self.ledger.now();
        let reach = self.beyond_reach_at(record).await?;
        if now < reach {
            // The provider may still execute it: the balances are compared once it no
            // longer can.
            return Ok(later_at(reach));
        }
        let ledger = self.ledger.clone();
        let (reference, profile_id, destination, since) = (
            record.reference.clone(),
            record.profile_id,
            record.destination.clone(),
            record.created_at - BALANCE_LOOKBACK_MS,
        );
        let (events, others) = blocking(move || {
            let events = ledger.events(&reference)?;
            let kinds = [TxKind::CreditAdd, TxKind::CreditRemove];
            let others = ledger.operations_on(profile_id, &destination, &kinds, since)?;
            Ok::<_, crate::ledger::LedgerError>((events, others))
        })
        .await??;
        let before = events
            .iter()
            .find(|e| e.to_state == TxState::Sending)
            .and_then(|e| BalanceBefore::parse(e.detail.as_deref()?, record.created_at));
        let Some(before) = before else {
            return Ok(later(Some(ReviewReason::NoBalanceBefore)));
        };
        let first = record
            .first_reading
            .as_deref()
            .and_then(parse_first_reading);
        let gap = millis(self.options.second_reading_after);
        // A reading counts only if it was taken after the provider could last execute it, and,
        // as the second one, far enough after the first.
        let seen_later = later_reading(record, &others, None).filter(|r| {
            r.read_at >= reach && first.is_none_or(|(_, at)| r.read_at >= at.saturating_add(gap))
        });
        let now_reading = match (&connector.sub_accounts, profile) {
            (Some(lister), Some(_)) if seen_later.is_none() => {
                match self.read_with_retry(|| lister.sub_accounts()).await {
                    Ok(list) => list
                        .into_iter()
                        .find(|s| s.id == record.destination)
                        .map(|s| BalanceReading {
                            balance: s.balance,
                            read_at: self.ledger.now(),
                        }),
                    Err(error) => {
                        return Ok(later_with_reply(
                            (record.checks >= CHECKS_BEFORE_REVIEW)
                                .then_some(ReviewReason::SubAccountsUnreadable),
                            &failure_message(&error),
                        ));
                    }
                }
            }
            _ => None,
        };
        let Some(reading) = seen_later.or(now_reading) else {
            return Ok(later(Some(ReviewReason::SubAccountGone {
                sub_account: record.destination.clone(),
            })));
        };
        let keep_first = |reading: Option<String>| {
            let ledger = self.ledger.clone();
            let (reference, state) = (record.reference.clone(), record.state);
            blocking(move || ledger.set_first_reading(&reference, state, reading.as_deref()))
        };
        match judge(record, &before, reading, &others) {
            BalanceVerdict::Settled(state, arithmetic) => match first {
                Some((agreed, at)) if agreed == state => {
                    let apart = reading.read_at - at;
                    if apart >= gap {
                        let message = Note::BalanceConclusion {
                            state,
                            arithmetic: arithmetic.clone(),
                        };
                        let detail = Note::BalancesAgree {
                            state,
                            arithmetic,
                            apart_s: apart / 1000,
                        };
                        Ok(settled(state, message, detail, Basis::Inferred))
                    } else {
                        // Waiting for the second balance reading.
                        Ok(later_at(at + gap))
                    }
                }
                Some((first_state, _)) => {
                    keep_first(None).await??;
                    let why = ReviewReason::ReadingsDisagree {
                        first: first_state,
                        now: state,
                        arithmetic,
                    };
                    Ok(flag(why))
                }
                None => {
                    keep_first(Some(format!("{state}@{}", reading.read_at))).await??;
                    let ledger = self.ledger.clone();
                    let (reference, current) = (record.reference.clone(), record.state);
                    let note = Note::FirstBalanceReading { state, arithmetic }.to_stored();
                    blocking(move || ledger.append_note(&reference, current, &note)).await??;
                    Ok(later_at(reading.read_at.saturating_add(gap)))
                }
            },
            BalanceVerdict::Wait(why) => Ok(later(
                (record.checks >= CHECKS_BEFORE_REVIEW).then_some(why),
            )),
            BalanceVerdict::Review(why) => {
                keep_first(None).await??;
                Ok(flag(why))
            }
        }
    }
}
