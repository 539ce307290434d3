//! The reconciler: follows every operation that is not final until it is, or until a person
//! must decide. Pending top-ups are asked about with back-off; unknown ones are settled where
//! the provider allows it (RechargeKit by our reference, QvaTel by its id, SMS Partner by
//! comparing balances); rows a crash left half-way are settled first. What it cannot settle
//! is flagged "needs review" with the evidence it collected.

use crate::domain::{Reference, TxState};
use crate::ledger::{NextCheck, StateChange, TxKind, TxRecord, now_ms};
use crate::providers::{Connector, Profile, StatusQuery};

use super::balance_check::{BalanceBefore, BalanceReading, BalanceVerdict, judge, later_reading};
use tracing::Instrument;

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
    /// Operations still open that will be asked about again later.
    pub waiting: usize,
}

/// What the follow-up of one operation came to.
enum Step {
    Settled(TxState, StateChange),
    /// Still open; ask again later (the text says why, for the event log when it matters).
    Later {
        review: Option<String>,
        note: String,
    },
    /// In flight in some process, or not due yet: leave it alone.
    NotDue,
}

fn later(review: Option<String>, note: impl Into<String>) -> Step {
    Step::Later {
        review,
        note: note.into(),
    }
}

fn settled(state: TxState, message: Option<String>, detail: String) -> Step {
    Step::Settled(
        state,
        StateChange {
            provider_ref: None,
            provider_message: message,
            detail: Some(format!("reconciler: {detail}")),
        },
    )
}

fn backoff(checks: i64) -> i64 {
    let doublings = u32::try_from(checks.clamp(0, 20)).unwrap_or(20);
    FIRST_CHECK_INTERVAL_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_CHECK_INTERVAL_MS)
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
    /// anything new is sent to it. Rows still within their sender's deadline are in flight
    /// (perhaps in another saldo) and are left alone.
    pub(super) async fn recover_leftovers(&self, profile: &Profile) -> Result<(), EngineError> {
        let _one_at_a_time = self.recovering.lock().await;
        let ledger = self.ledger.clone();
        let id = profile.id;
        let now = now_ms();
        let leftovers = blocking(move || ledger.leftovers(id, now)).await??;
        if !leftovers.is_empty() {
            self.follow_up_all(leftovers, false).await?;
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
        for record in open {
            let now = now_ms();
            let due = now_regardless || record.next_check_at.is_none_or(|at| at <= now);
            if matches!(record.state, TxState::Pending | TxState::Unknown) && !due {
                report.waiting += 1;
                continue;
            }
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
                .follow_up(record, connector.as_ref(), profile.as_ref(), now)
                .await?;
            self.apply_step(record, step, &mut report).await?;
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
                    .record_outcome(&record.reference, state, change)
                    .await?;
                if row.state.is_final() {
                    report.settled.push(row);
                } else {
                    report.waiting += 1;
                }
            }
            Step::Later { review, note } => {
                let ledger = self.ledger.clone();
                let reference = record.reference.clone();
                let state = record.state;
                let at = now_ms() + backoff(record.checks);
                let row = blocking(move || {
                    let next = NextCheck {
                        expected: state,
                        at,
                        review_reason: review.as_deref(),
                        note: Some(&note),
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

    /// Moves an operation on only if nobody else has since it was read (the window's
    /// reconciler and a command, or two sends recovering the same leftover).
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

    /// Decides the next step for one open operation; returns it with the row as it stands
    /// (a leftover is first moved to `unknown`).
    async fn follow_up(
        &self,
        record: TxRecord,
        connector: Option<&Connector>,
        profile: Option<&Profile>,
        now: i64,
    ) -> Result<(Step, TxRecord), EngineError> {
        let step = match record.state {
            TxState::Recorded | TxState::Sending if !record.is_leftover(now) => Step::NotDue,
            TxState::Recorded => {
                let never = StateChange {
                    detail: Some("reconciler: saldo stopped before sending it".into()),
                    ..StateChange::default()
                };
                match self.move_if_still(&record, TxState::Sending, never).await? {
                    Some(row) => {
                        let step = settled(
                            TxState::Failed,
                            Some("never sent: saldo stopped before sending it".into()),
                            "never sent (the row was recorded but not marked as sending)".into(),
                        );
                        return Ok((step, row));
                    }
                    None => Step::NotDue,
                }
            }
            TxState::Sending => {
                let interrupted = StateChange {
                    provider_ref: None,
                    provider_message: Some(
                        "saldo stopped while sending it: outcome unknown".into(),
                    ),
                    detail: Some("reconciler: saldo stopped before recording the outcome".into()),
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

    /// Asks the provider (or the balances) how an open operation ended.
    async fn ask_provider(
        &self,
        record: &TxRecord,
        connector: Option<&Connector>,
        profile: Option<&Profile>,
    ) -> Result<Step, EngineError> {
        let Some(connector) = connector else {
            return Ok(later(
                (record.checks >= CHECKS_BEFORE_REVIEW)
                    .then(|| "its profile's settings or secrets cannot be read".to_string()),
                "could not connect to the provider: check the profile and its secrets",
            ));
        };
        match record.kind {
            TxKind::TopUp => self.ask_top_up_status(record, connector).await,
            TxKind::CreditAdd | TxKind::CreditRemove => {
                self.compare_balances(record, connector, profile).await
            }
            TxKind::Transfer => Ok(later(
                Some(format!(
                    "{} cannot be asked about an earlier transfer: check child account {}'s \
                     points on the provider's portal, then settle it",
                    record.profile_name, record.destination
                )),
                "no way to ask the provider about a transfer",
            )),
        }
    }

    async fn ask_top_up_status(
        &self,
        record: &TxRecord,
        connector: &Connector,
    ) -> Result<Step, EngineError> {
        let Some(status) = connector.top_up_status.as_deref() else {
            return Ok(later(
                Some("the provider cannot be asked about an earlier top-up".into()),
                "no status check for this provider",
            ));
        };
        if status.needs_provider_ref() && record.provider_ref.is_none() {
            return Ok(later(
                Some(format!(
                    "the provider's reply was lost, and it can only be asked by its own id: \
                     check the provider's records for {} {} around {}, then settle it",
                    record.destination,
                    record.amount,
                    crate::domain::time::local_text(record.created_at)
                )),
                "the provider's id for this top-up is not known",
            ));
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
                return Ok(later(
                    (record.checks >= CHECKS_BEFORE_REVIEW).then(|| {
                        format!(
                            "the provider did not answer {} status checks",
                            record.checks + 1
                        )
                    }),
                    format!("status check failed: {error}"),
                ));
            }
        };
        let now = now_ms();
        let state = match settle_status(&report) {
            Some(state) => state,
            None if record.state == TxState::Unknown && !record.may_still_arrive(now) => {
                return Ok(settled(
                    TxState::Failed,
                    report.message.clone(),
                    format!("the provider has no record of it\n{}", report.raw),
                ));
            }
            None if record.state == TxState::Unknown => {
                return Ok(later(None, "not found yet; its send may still arrive"));
            }
            None => {
                return Ok(later(
                    Some("the provider accepted it but no longer knows it".into()),
                    format!("status check: not found\n{}", report.raw),
                ));
            }
        };
        if state == TxState::Pending && record.state == TxState::Pending {
            let too_long = now - record.created_at > PENDING_TOO_LONG_MS;
            return Ok(later(
                too_long.then(|| "still pending after a day: ask the provider".to_string()),
                format!("still in progress\n{}", report.raw),
            ));
        }
        Ok(Step::Settled(
            state,
            StateChange {
                provider_ref: None,
                provider_message: report.message.clone(),
                detail: Some(format!("reconciler: status check\n{}", report.raw)),
            },
        ))
    }

    async fn compare_balances(
        &self,
        record: &TxRecord,
        connector: &Connector,
        profile: Option<&Profile>,
    ) -> Result<Step, EngineError> {
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
            return Ok(later(
                Some(
                    "no balance was recorded before the move: compare the sub-account's \
                      history on the provider's portal, then settle it"
                        .into(),
                ),
                "no balance before the move",
            ));
        };
        let now_reading = match (&connector.sub_accounts, profile) {
            (Some(lister), Some(_)) if later_reading(record, &others, None).is_none() => {
                match self.read_with_retry(|| lister.sub_accounts()).await {
                    Ok(list) => list
                        .into_iter()
                        .find(|s| s.id == record.destination)
                        .map(|s| BalanceReading {
                            balance: s.balance,
                            read_at: now_ms(),
                        }),
                    Err(error) => {
                        return Ok(later(
                            (record.checks >= CHECKS_BEFORE_REVIEW)
                                .then(|| "the sub-account list could not be read".to_string()),
                            format!("could not read the sub-account list: {error}"),
                        ));
                    }
                }
            }
            _ => None,
        };
        let Some(reading) = later_reading(record, &others, now_reading) else {
            return Ok(later(
                Some(format!(
                    "sub-account {} is no longer listed: its balance cannot be compared",
                    record.destination
                )),
                "sub-account not found",
            ));
        };
        Ok(match judge(record, &before, reading, &others) {
            BalanceVerdict::Settled(state, why) => settled(state, Some(why.clone()), why),
            BalanceVerdict::Wait(why) => later(
                (record.checks >= CHECKS_BEFORE_REVIEW).then(|| why.clone()),
                why,
            ),
            BalanceVerdict::Review(why) => later(Some(why.clone()), why),
        })
    }
}
