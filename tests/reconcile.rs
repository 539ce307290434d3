//! The reconciler over real HTTP and a real ledger file: pending top-ups followed to the end,
//! unknown outcomes settled where the provider allows it (once it can no longer be executing
//! them), rows a crash left half-way settled before anything new is sent, and the rest flagged
//! for a person with the evidence.

mod common;

use std::time::Duration;

use std::sync::Arc;

use saldo::domain::clock::SteppedClock;
use saldo::domain::{Basis, Money, Note, Reference, TxState, Unit};
use saldo::engine::{CreditOrder, EngineOptions, TopUpOrder, TransferOrder};
use saldo::ledger::{NewOperation, StateChange, TxKind};
use saldo::providers::CreditDirection;
use saldo::simulator::{Fault, FaultRule, Simulator};

/// The horizon during which a provider may still execute a send whose answer was lost.
const HORIZON_MS: i64 = 60_000;
const SECOND_READING_MS: i64 = 20_000;

/// Short deadlines so "the sender has given up" comes quickly.
fn options() -> EngineOptions {
    EngineOptions {
        retry_backoff: Duration::from_millis(20),
        deadline: Duration::from_millis(1500),
        late_execution_horizon: Duration::from_millis(HORIZON_MS as u64),
        second_reading_after: Duration::from_millis(SECOND_READING_MS as u64),
        ..EngineOptions::default()
    }
}

async fn setup() -> (
    Simulator,
    saldo::engine::Engine,
    Arc<SteppedClock>,
    tempfile::TempDir,
) {
    let sim = common::simulator(|c| c.hang = Duration::from_secs(3)).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = SteppedClock::new();
    let engine = common::engine_with_all_on(dir.path(), &sim, 1, options(), clock.clone());
    (sim, engine, clock, dir)
}

fn india(number: &str) -> TopUpOrder {
    TopUpOrder {
        operator: Some("Airtel".into()),
        circle: Some("Delhi NCR".into()),
        ..TopUpOrder::new("in", number, "100")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rechargekit_unknowns_are_settled_by_our_reference_both_ways() {
    let (sim, engine, clock, _dir) = setup().await;
    sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetAfterCommit,
    ));
    let executed = engine.top_up(&india("9876543210")).await.unwrap();
    assert_eq!(executed.state, TxState::Unknown);
    sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetBeforeCommit,
    ));
    let lost = engine.top_up(&india("9876543211")).await.unwrap();
    assert_eq!(lost.state, TxState::Unknown);

    // Right away, "not found" may only mean "not arrived yet": the lost one waits.
    let report = engine.reconcile(None).await.unwrap();
    let ledger = engine.ledger();
    assert_eq!(
        ledger.transaction(&executed.reference).unwrap().state,
        TxState::Succeeded
    );
    assert_eq!(
        ledger.transaction(&lost.reference).unwrap().state,
        TxState::Unknown
    );
    assert_eq!(report.settled.len(), 1);

    // Once it can no longer arrive, the very same request goes again, with the same id: the
    // provider executes it once.
    clock.step(HORIZON_MS + 1_000);
    engine.reconcile(None).await.unwrap();
    let row = ledger.transaction(&lost.reference).unwrap();
    assert_eq!(row.state, TxState::Succeeded, "{row:?}");
    assert_eq!(row.basis, Some(Basis::Stated));
    let events = ledger.events(&lost.reference).unwrap();
    assert!(
        events.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| Note::in_english(d).contains("same reference"))),
        "{events:?}"
    );
    let prepaid = sim.requests_to("/recharge/prepaid");
    assert_eq!(prepaid.len(), 3, "sent again once");
    assert_eq!(prepaid[1].body, prepaid[2].body, "the very same request");
    assert_eq!(sim.with_state(|s| s.rechargekit.orders.len()), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_qvatel_top_up_is_followed_until_it_succeeds() {
    let sim = common::simulator(|c| c.qvatel.status_delay_ms = 300).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 2, options());
    let row = engine
        .top_up(&TopUpOrder::new("cuba", "52942387", "20"))
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Pending, "{row:?}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let row = engine.refresh_status(&row.reference).await.unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(sim.with_state(|s| s.qvatel.recharges.len()), 1);
}

/// A recharge QvaTel reports as `Fallido` ends failed instead of pending forever; a word
/// nobody knows keeps it pending, with the word in its event log for a person to see.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qvatel_top_up_reported_fallido_fails_and_an_unknown_estado_is_kept_for_a_person() {
    let sim = common::simulator(|c| c.qvatel.status_delay_ms = 300).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 2, options());
    let first = engine
        .top_up(&TopUpOrder::new("cuba", "52942387", "20"))
        .await
        .unwrap();
    let second = engine
        .top_up(&TopUpOrder::new("cuba", "52942388", "20"))
        .await
        .unwrap();
    assert_eq!(
        (first.state, second.state),
        (TxState::Pending, TxState::Pending)
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    sim.with_state(|s| s.qvatel.final_estado = "Fallido".into());
    let failed = engine.refresh_status(&first.reference).await.unwrap();
    assert_eq!(failed.state, TxState::Failed, "{failed:?}");
    assert_eq!(failed.provider_message.as_deref(), Some("Fallido"));
    sim.with_state(|s| s.qvatel.final_estado = "Procesado".into());
    let still = engine.refresh_status(&second.reference).await.unwrap();
    assert_eq!(still.state, TxState::Pending);
    let events = engine.ledger().events(&second.reference).unwrap();
    assert!(
        events.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("“Procesado”, a word saldo does not know"))),
        "{events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qvatel_top_up_whose_reply_was_lost_needs_review_with_what_to_check() {
    let (sim, engine, _clock, _dir) = setup().await;
    sim.inject(FaultRule::once("/recharge/send", Fault::ResetAfterCommit));
    let row = engine
        .top_up(&TopUpOrder::new("cuba", "52942387", "20"))
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Unknown);
    let report = engine.reconcile(None).await.unwrap();
    assert_eq!(report.needs_review.len(), 1);
    let flagged = &report.needs_review[0];
    let reason = flagged.review_reason.as_ref().unwrap().to_string();
    assert!(
        reason.contains("+5352942387") && reason.contains("settle it"),
        "{reason}"
    );
    assert_eq!(flagged.state, TxState::Unknown);
    // The note is in the event log once, however often the reconciler passes.
    engine.refresh_status(&row.reference).await.unwrap();
    let notes = engine
        .ledger()
        .events(&row.reference)
        .unwrap()
        .into_iter()
        .filter(|e| e.from_state == Some(TxState::Unknown) && e.to_state == TxState::Unknown)
        .count();
    assert_eq!(notes, 1);
    let listed = engine.needs_review().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(sim.requests_to("/recharge/send").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_partner_moves_are_settled_by_comparing_balances() {
    let (sim, engine, clock, _dir) = setup().await;
    let order = |amount: &str| CreditOrder {
        profile: "fr".into(),
        sub_account: "1002".into(),
        amount: amount.into(),
        direction: CreditDirection::Add,
        confirm_repeat: false,
    };
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::ResetAfterCommit,
    ));
    let executed = engine.move_credit(&order("3")).await.unwrap().record;
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::ResetBeforeCommit,
    ));
    let lost = engine.move_credit(&order("5")).await.unwrap().record;
    let settled_ok = engine.move_credit(&order("1")).await.unwrap().record;
    assert_eq!(
        (executed.state, lost.state, settled_ok.state),
        (TxState::Unknown, TxState::Unknown, TxState::Succeeded)
    );
    // Nothing is concluded while the provider may still execute them, nor on one reading.
    let report = engine.reconcile_now(Some("fr")).await.unwrap();
    assert!(report.settled.is_empty(), "{report:?}");
    clock.step(HORIZON_MS + 1_000);
    let report = engine.reconcile_now(Some("fr")).await.unwrap();
    assert!(report.settled.is_empty(), "{report:?}");
    // The lost one settles first; the executed one waits for it (it overlaps), then needs
    // its own two readings.
    let mut settled = 0;
    for _ in 0..3 {
        clock.step(SECOND_READING_MS + 1_000);
        settled += engine
            .reconcile_now(Some("fr"))
            .await
            .unwrap()
            .settled
            .len();
    }
    assert_eq!(settled, 2);
    let ledger = engine.ledger();
    let executed = ledger.transaction(&executed.reference).unwrap();
    assert_eq!(executed.state, TxState::Succeeded);
    assert!(
        Note::in_english(executed.provider_message.as_deref().unwrap()).starts_with("executed"),
        "{executed:?}"
    );
    let lost = ledger.transaction(&lost.reference).unwrap();
    assert_eq!(
        (lost.state, lost.basis),
        (TxState::Failed, Some(Basis::Inferred))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marketext_transfer_with_a_lost_reply_needs_review() {
    let (sim, engine, _clock, _dir) = setup().await;
    sim.inject(FaultRule::once("mx-child-01", Fault::ResetAfterCommit));
    let row = engine
        .transfer(&TransferOrder {
            profile: "mx".into(),
            child: "mx-child-01".into(),
            amount: "50".into(),
            confirm_repeat: false,
        })
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Unknown);
    let report = engine.reconcile(None).await.unwrap();
    let reason = report.needs_review[0]
        .review_reason
        .as_ref()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("mx-child-01") && reason.contains("portal"),
        "{reason}"
    );
}

/// Writes a row as an interrupted saldo would have left it: nobody holds its claim.
fn leftover(engine: &saldo::engine::Engine, profile: &str, to: &str, sending: bool) -> Reference {
    let ledger = engine.ledger();
    let profile = ledger.profile(profile).unwrap();
    let reference = Reference::generate();
    ledger
        .record_new(&NewOperation {
            reference: &reference,
            kind: TxKind::TopUp,
            profile_id: profile.id,
            destination: to,
            amount: Money::parse("100", Unit::Inr).unwrap(),
            repeat_guard: None,
            request: Some(r#"{"operator_code":1,"circle_code":5}"#),
            batch_row: None,
        })
        .unwrap();
    if sending {
        ledger
            .transition(&reference, TxState::Sending, &StateChange::default())
            .unwrap();
    }
    reference
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_a_crash_left_are_settled_before_the_next_send_to_that_profile() {
    let (sim, engine, clock, _dir) = setup().await;
    let never_sent = leftover(&engine, "in", "+919876500001", false);
    let interrupted = leftover(&engine, "in", "+919876500002", true);
    // A row whose sender is alive (it holds the claim), however old, is left alone.
    let ledger = engine.ledger();
    let in_flight = Reference::generate();
    let _sender = ledger.claim(&in_flight).unwrap().unwrap();
    ledger
        .record_new(&NewOperation {
            reference: &in_flight,
            kind: TxKind::TopUp,
            profile_id: ledger.profile("in").unwrap().id,
            destination: "+919876500003",
            amount: Money::parse("100", Unit::Inr).unwrap(),
            repeat_guard: None,
            request: None,
            batch_row: None,
        })
        .unwrap();
    ledger
        .transition(&in_flight, TxState::Sending, &StateChange::default())
        .unwrap();

    clock.step(24 * 60 * 60 * 1000);
    let fresh = engine.top_up(&india("9876543299")).await.unwrap();
    assert_eq!(fresh.state, TxState::Succeeded);
    let never = ledger.transaction(&never_sent).unwrap();
    assert_eq!(
        (never.state, never.basis),
        (TxState::Failed, Some(Basis::Stated))
    );
    assert!(Note::in_english(&never.provider_message.unwrap()).contains("never sent"));
    // Interrupted mid-send: moved to unknown before the new top-up — never to failed, since
    // the provider may still execute what was sent until the horizon after saldo stopped.
    let cut = ledger.transaction(&interrupted).unwrap();
    assert_eq!(cut.state, TxState::Unknown, "{cut:?}");
    assert!(
        cut.updated_at <= fresh.created_at,
        "settled before the new top-up was recorded"
    );
    // Once it can no longer arrive, it goes again with the same reference: executed once.
    clock.step(HORIZON_MS + 1_000);
    engine.reconcile(None).await.unwrap();
    let cut = ledger.transaction(&interrupted).unwrap();
    assert_eq!(cut.state, TxState::Succeeded, "{cut:?}");
    assert_eq!(
        ledger.transaction(&in_flight).unwrap().state,
        TxState::Sending
    );
    let sent = sim.requests_to("/recharge/prepaid");
    assert_eq!(sent.len(), 2, "the new one, and the interrupted one once");
    let id = saldo::providers::rechargekit::partner_request_id(&interrupted);
    assert!(sent[1].body.contains(&id));
}
