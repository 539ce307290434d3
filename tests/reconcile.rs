//! The reconciler over real HTTP and a real ledger file: pending top-ups followed to the end,
//! unknown outcomes settled where the provider allows it, rows a crash left half-way settled
//! before anything new is sent, and the rest flagged for a person with the evidence.

mod common;

use std::time::Duration;

use saldo::domain::{Money, Reference, TxState, Unit};
use saldo::engine::{CreditOrder, EngineOptions, TopUpOrder, TransferOrder};
use saldo::ledger::{NewOperation, StateChange, TxKind, now_ms};
use saldo::providers::CreditDirection;
use saldo::simulator::{Fault, FaultRule, Simulator};

/// Short deadlines so "the sender has given up" comes quickly.
fn options() -> EngineOptions {
    EngineOptions {
        retry_backoff: Duration::from_millis(20),
        deadline: Duration::from_millis(1500),
        ..EngineOptions::default()
    }
}

async fn setup() -> (Simulator, saldo::engine::Engine, tempfile::TempDir) {
    let sim = common::simulator(|c| c.hang = Duration::from_secs(3)).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 1, options());
    (sim, engine, dir)
}

fn india(number: &str) -> TopUpOrder {
    TopUpOrder {
        operator: Some("Airtel".into()),
        circle: Some("Delhi NCR".into()),
        ..TopUpOrder::new("in", number, "100")
    }
}

/// Waits until every send of the operations so far is surely over (deadline + grace).
async fn past_deadlines() {
    tokio::time::sleep(Duration::from_millis(1500 + 2_100)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rechargekit_unknowns_are_settled_by_our_reference_both_ways() {
    let (sim, engine, _dir) = setup().await;
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

    past_deadlines().await;
    engine.reconcile(None).await.unwrap(); // scheduled a few seconds later: not yet due
    let row = engine.refresh_status(&lost.reference).await.unwrap();
    assert_eq!(row.state, TxState::Failed, "{row:?}");
    let events = ledger.events(&lost.reference).unwrap();
    let last = events.last().unwrap().detail.clone().unwrap();
    assert!(last.contains("no record of it"), "{last}");
    assert_eq!(
        sim.requests_to("/recharge/prepaid").len(),
        2,
        "nothing was resent"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qvatel_top_up_whose_reply_was_lost_needs_review_with_what_to_check() {
    let (sim, engine, _dir) = setup().await;
    sim.inject(FaultRule::once("/recharge/send", Fault::ResetAfterCommit));
    let row = engine
        .top_up(&TopUpOrder::new("cuba", "52942387", "20"))
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Unknown);
    let report = engine.reconcile(None).await.unwrap();
    assert_eq!(report.needs_review.len(), 1);
    let flagged = &report.needs_review[0];
    let reason = flagged.review_reason.as_deref().unwrap();
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
    let (sim, engine, _dir) = setup().await;
    let order = |amount: &str| CreditOrder {
        profile: "fr".into(),
        sub_account: "1002".into(),
        amount: amount.into(),
        direction: CreditDirection::Add,
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
    let report = engine.reconcile(Some("fr")).await.unwrap();
    assert_eq!(report.settled.len(), 2, "{report:?}");
    let ledger = engine.ledger();
    let executed = ledger.transaction(&executed.reference).unwrap();
    assert_eq!(executed.state, TxState::Succeeded);
    assert!(
        executed
            .provider_message
            .as_deref()
            .unwrap()
            .starts_with("executed"),
        "{executed:?}"
    );
    assert_eq!(
        ledger.transaction(&lost.reference).unwrap().state,
        TxState::Failed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marketext_transfer_with_a_lost_reply_needs_review() {
    let (sim, engine, _dir) = setup().await;
    sim.inject(FaultRule::once("mx-child-01", Fault::ResetAfterCommit));
    let row = engine
        .transfer(&TransferOrder {
            profile: "mx".into(),
            child: "mx-child-01".into(),
            amount: "50".into(),
        })
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Unknown);
    let report = engine.reconcile(None).await.unwrap();
    let reason = report.needs_review[0].review_reason.clone().unwrap();
    assert!(
        reason.contains("mx-child-01") && reason.contains("portal"),
        "{reason}"
    );
}

/// Writes a row as an interrupted saldo would have left it.
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
            refuse_repeat_within_ms: None,
            send_deadline_at: now_ms() - 10_000,
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
    let (sim, engine, _dir) = setup().await;
    let never_sent = leftover(&engine, "in", "+919876500001", false);
    let interrupted = leftover(&engine, "in", "+919876500002", true);
    // A row whose sender may still be working on it is left alone.
    let ledger = engine.ledger();
    let in_flight = Reference::generate();
    ledger
        .record_new(&NewOperation {
            reference: &in_flight,
            kind: TxKind::TopUp,
            profile_id: ledger.profile("in").unwrap().id,
            destination: "+919876500003",
            amount: Money::parse("100", Unit::Inr).unwrap(),
            refuse_repeat_within_ms: None,
            send_deadline_at: now_ms() + 60_000,
            batch_row: None,
        })
        .unwrap();
    ledger
        .transition(&in_flight, TxState::Sending, &StateChange::default())
        .unwrap();

    let fresh = engine.top_up(&india("9876543299")).await.unwrap();
    assert_eq!(fresh.state, TxState::Succeeded);
    let never = ledger.transaction(&never_sent).unwrap();
    assert_eq!(never.state, TxState::Failed);
    assert!(never.provider_message.unwrap().contains("never sent"));
    let cut = ledger.transaction(&interrupted).unwrap();
    assert_eq!(
        cut.state,
        TxState::Failed,
        "the provider has no record of it"
    );
    assert!(
        cut.updated_at <= fresh.created_at,
        "settled before the new top-up was recorded"
    );
    assert_eq!(
        ledger.transaction(&in_flight).unwrap().state,
        TxState::Sending
    );
    assert_eq!(sim.requests_to("/recharge/prepaid").len(), 1);
}
