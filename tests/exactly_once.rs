//! Never twice, never lost — against a simulator that, like a real server, keeps working after
//! the client hangs up and commits seconds later; against a wall clock that steps; against a
//! second saldo on the same ledger file; and against a person settling things at the worst
//! moment. One test per way the promise used to break (issue 12's findings).

mod common;

use std::sync::Arc;
use std::time::Duration;

use saldo::domain::clock::SteppedClock;
use saldo::domain::{Basis, ReviewReason, TxState};
use saldo::engine::{
    CreditOrder, Engine, EngineError, EngineOptions, Settlement, TopUpOrder, TransferOrder,
};
use saldo::providers::CreditDirection;
use saldo::simulator::{Fault, FaultRule, Simulator};

/// How long the simulator works on a "late" request: longer than the client's 1 s timeout.
const LATE_MS: u64 = 1_500;
/// The horizon after a lost send during which the provider may still execute it.
const HORIZON: Duration = Duration::from_secs(60);
const SECOND_READING: Duration = Duration::from_secs(30);

fn options() -> EngineOptions {
    EngineOptions {
        retry_backoff: Duration::from_millis(20),
        deadline: Duration::from_millis(1500),
        late_execution_horizon: HORIZON,
        second_reading_after: SECOND_READING,
        ..EngineOptions::default()
    }
}

struct World {
    sim: Simulator,
    engine: Engine,
    clock: Arc<SteppedClock>,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    world_with_timeout(1).await
}

/// A world whose profiles wait `timeout_secs` for a reply (long sends stay in flight).
async fn world_with_timeout(timeout_secs: u64) -> World {
    let sim = common::simulator(|c| c.hang = Duration::from_millis(LATE_MS)).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = SteppedClock::new();
    // A longer timeout gets a deadline to match (four requests' worth, as the engine's own).
    let options = match timeout_secs {
        0 | 1 => options(),
        _ => EngineOptions {
            deadline: Duration::from_secs(timeout_secs * 4),
            ..options()
        },
    };
    let engine = common::engine_with_all_on(dir.path(), &sim, timeout_secs, options, clock.clone());
    World {
        sim,
        engine,
        clock,
        _dir: dir,
    }
}

fn india(number: &str) -> TopUpOrder {
    TopUpOrder {
        operator: Some("Airtel".into()),
        circle: Some("Delhi NCR".into()),
        ..TopUpOrder::new("in", number, "100")
    }
}

fn credit(sub: &str, amount: &str) -> CreditOrder {
    CreditOrder {
        profile: "fr".into(),
        sub_account: sub.into(),
        amount: amount.into(),
        direction: CreditDirection::Add,
        confirm_repeat: false,
    }
}

fn transfer(child: &str, amount: &str) -> TransferOrder {
    TransferOrder {
        profile: "mx".into(),
        child: child.into(),
        amount: amount.into(),
        confirm_repeat: false,
    }
}

fn ms(duration: Duration) -> i64 {
    duration.as_millis() as i64
}

/// Waits until the one operation of the ledger is being sent; returns its reference.
async fn in_flight(engine: &Engine) -> saldo::domain::Reference {
    for _ in 0..500 {
        let open = engine.ledger().open_operations(None).unwrap();
        if let Some(row) = open.iter().find(|r| r.state == TxState::Sending) {
            return row.reference.clone();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the top-up never started sending");
}

/// Finding 1: a timed-out SMS Partner move that the provider commits seconds later is never
/// settled "not executed" by an early balance comparison; it is settled once the horizon has
/// passed, by two agreeing readings, as an inference.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_committed_credit_move_is_not_settled_failed_by_an_early_balance() {
    let w = world().await;
    w.sim
        .inject(FaultRule::once("/subaccount/credit/add", Fault::LateCommit));
    let moved = w
        .engine
        .move_credit(&credit("1002", "3"))
        .await
        .unwrap()
        .record;
    assert_eq!(moved.state, TxState::Unknown);
    assert!(
        w.sim.with_state(|s| s.smspartner.moves.is_empty()),
        "not yet"
    );
    // The window's background reconciler runs right away; nothing is concluded.
    w.engine.reconcile_now(None).await.unwrap();
    let ledger = w.engine.ledger();
    assert_eq!(
        ledger.transaction(&moved.reference).unwrap().state,
        TxState::Unknown
    );
    // The provider commits after the client gave up.
    assert!(w.sim.wait_idle(Duration::from_secs(5)).await);
    assert_eq!(w.sim.with_state(|s| s.smspartner.moves.len()), 1);
    w.engine.reconcile_now(None).await.unwrap();
    assert_eq!(
        ledger.transaction(&moved.reference).unwrap().state,
        TxState::Unknown
    );
    // Past the horizon: a first reading, and still no conclusion.
    w.clock.step(ms(HORIZON) + 1_000);
    w.engine.reconcile_now(None).await.unwrap();
    let row = ledger.transaction(&moved.reference).unwrap();
    assert_eq!(row.state, TxState::Unknown, "one reading is not enough");
    assert!(row.first_reading.is_some(), "{row:?}");
    // A second reading apart in time agrees: settled, and said to be an inference.
    w.clock.step(ms(SECOND_READING) + 1_000);
    w.engine.reconcile_now(None).await.unwrap();
    let row = ledger.transaction(&moved.reference).unwrap();
    assert_eq!(row.state, TxState::Succeeded, "{row:?}");
    assert_eq!(row.basis, Some(Basis::Inferred));
}

/// Finding 1, the other half: readings that disagree (the sub-account spends its own credit)
/// go to a person with the arithmetic, never settle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balance_readings_that_disagree_go_to_a_person() {
    let w = world().await;
    w.sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::ResetBeforeCommit,
    ));
    let lost = w
        .engine
        .move_credit(&credit("1002", "3"))
        .await
        .unwrap()
        .record;
    assert_eq!(lost.state, TxState::Unknown);
    w.clock.step(ms(HORIZON) + 1_000);
    w.engine.reconcile_now(None).await.unwrap();
    // The sub-account spends 1.000 EUR of its own between the two readings.
    w.sim.with_state(|s| {
        let account = s.smspartner.accounts.values_mut().next().unwrap();
        let sub = account
            .subaccounts
            .iter_mut()
            .find(|s| s.id == "1002")
            .unwrap();
        sub.balance_milli -= 1_000;
    });
    w.clock.step(ms(SECOND_READING) + 1_000);
    let report = w.engine.reconcile_now(None).await.unwrap();
    let row = w.engine.ledger().transaction(&lost.reference).unwrap();
    assert_eq!(row.state, TxState::Unknown);
    let reason = row.review_reason.expect("a person must look");
    assert!(
        matches!(reason, ReviewReason::BalanceMoved { .. }),
        "{reason:?}"
    );
    assert!(reason.to_string().contains("moved by"), "{reason}");
    assert_eq!(report.needs_review.len(), 1);
}

/// Finding 2: "Order not found" soon after a lost RechargeKit send is not a failure; once the
/// request can no longer arrive the very same request goes again with the same id, and the
/// provider creates the order once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rechargekit_order_not_found_is_sent_again_with_the_same_id_never_failed() {
    let w = world().await;
    w.sim
        .inject(FaultRule::once("/recharge/prepaid", Fault::LateCommit));
    let late = w.engine.top_up(&india("9876543210")).await.unwrap();
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetBeforeCommit,
    ));
    let lost = w.engine.top_up(&india("9876543211")).await.unwrap();
    assert_eq!(
        (late.state, lost.state),
        (TxState::Unknown, TxState::Unknown)
    );
    let ledger = w.engine.ledger();
    w.engine.reconcile_now(None).await.unwrap();
    assert_eq!(
        ledger.transaction(&late.reference).unwrap().state,
        TxState::Unknown
    );
    assert_eq!(
        ledger.transaction(&lost.reference).unwrap().state,
        TxState::Unknown
    );
    assert!(w.sim.wait_idle(Duration::from_secs(5)).await);
    // The clerk's retype is refused while they are open: no second order goes out.
    let again = w.engine.top_up(&india("9876543211")).await.unwrap_err();
    assert!(matches!(again, EngineError::RepeatOfOpen(_)), "{again}");
    w.clock.step(ms(HORIZON) + 1_000);
    w.engine.reconcile_now(None).await.unwrap();
    for reference in [&late.reference, &lost.reference] {
        let row = ledger.transaction(reference).unwrap();
        assert_eq!(row.state, TxState::Succeeded, "{row:?}");
    }
    let orders = w.sim.with_state(|s| s.rechargekit.orders.len());
    assert_eq!(orders, 2, "one order each, however often it was sent");
    let lost_id = saldo::providers::rechargekit::partner_request_id(&lost.reference);
    let sends = w
        .sim
        .requests_to("/recharge/prepaid")
        .iter()
        .filter(|r| r.body.contains(&lost_id))
        .count();
    assert_eq!(sends, 2, "the lost one was sent again with the same id");
}

/// Finding 3: a send in flight belongs to its sender, whatever the clocks say: a clock step
/// and a second saldo reconciling the same ledger file leave it alone, and its true outcome
/// is recorded when it arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_step_and_a_second_saldo_do_not_take_over_a_live_send() {
    let w = world_with_timeout(10).await;
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Latency { ms: 2_000 },
    ));
    let engine = w.engine.clone();
    let sending = tokio::spawn(async move { engine.top_up(&india("9876543212")).await });
    in_flight(&w.engine).await;
    // NTP steps the clock by hours; another saldo on the same file reconciles at once.
    w.clock.step(3 * 60 * 60 * 1000);
    let other_clock = SteppedClock::new();
    other_clock.step(3 * 60 * 60 * 1000);
    let other = common::second_engine(&w.engine, other_clock);
    let report = other.reconcile_now(None).await.unwrap();
    assert!(
        report.settled.is_empty() && report.needs_review.is_empty(),
        "{report:?}"
    );
    let open = other.ledger().open_operations(None).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].state, TxState::Sending, "still the sender's");
    assert!(
        other.needs_review().await.unwrap().is_empty(),
        "in flight is not stuck"
    );
    let row = sending.await.unwrap().unwrap();
    assert_eq!(row.state, TxState::Succeeded, "{row:?}");
    let events = w.engine.ledger().events(&row.reference).unwrap();
    let moves: Vec<_> = events.iter().map(|e| e.to_state).collect();
    assert_eq!(
        moves,
        [TxState::Recorded, TxState::Sending, TxState::Succeeded]
    );
}

/// Finding 4: nobody settles an operation that is being sent; it is not listed for review.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_cannot_settle_an_operation_while_it_is_being_sent() {
    let w = world_with_timeout(10).await;
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Latency { ms: 2_000 },
    ));
    let engine = w.engine.clone();
    let sending = tokio::spawn(async move { engine.top_up(&india("9876543213")).await });
    let reference = in_flight(&w.engine).await;
    let ledger = w.engine.ledger();
    assert!(w.engine.needs_review().await.unwrap().is_empty());
    let refused = w
        .engine
        .settle(&reference, Settlement::Failed, "customer says nothing came")
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("being sent"), "{refused}");
    let row = sending.await.unwrap().unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert!(ledger.events(&reference).unwrap().iter().all(|e| {
        let detail = e.detail.clone().unwrap_or_default();
        !saldo::domain::Note::in_english(&detail).contains("by hand")
    }));
}

/// Finding 7: a transfer or credit move whose outcome is unknown cannot be typed again; one
/// that went through needs confirming within the window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_and_credit_moves_have_the_repeat_guard() {
    let w = world().await;
    w.sim
        .inject(FaultRule::once("mx-child-01", Fault::ResetAfterCommit));
    let unknown = w
        .engine
        .transfer(&transfer("mx-child-01", "50"))
        .await
        .unwrap();
    assert_eq!(unknown.state, TxState::Unknown);
    let again = w
        .engine
        .transfer(&transfer("mx-child-01", "50"))
        .await
        .unwrap_err();
    assert!(matches!(again, EngineError::RepeatOfOpen(_)), "{again}");
    let confirmed = TransferOrder {
        confirm_repeat: true,
        ..transfer("mx-child-01", "50")
    };
    let again = w.engine.transfer(&confirmed).await.unwrap_err();
    assert!(
        matches!(again, EngineError::RepeatOfOpen(_)),
        "no override: {again}"
    );
    assert_eq!(w.sim.with_state(|s| s.marketext.transfers.len()), 1);

    let done = w
        .engine
        .move_credit(&credit("1002", "2"))
        .await
        .unwrap()
        .record;
    assert_eq!(done.state, TxState::Succeeded);
    let again = w
        .engine
        .move_credit(&credit("1002", "2"))
        .await
        .unwrap_err();
    assert!(matches!(again, EngineError::PossibleRepeat(_)), "{again}");
    let confirmed = CreditOrder {
        confirm_repeat: true,
        ..credit("1002", "2")
    };
    let second = w.engine.move_credit(&confirmed).await.unwrap().record;
    assert_eq!(second.state, TxState::Succeeded);
    assert_eq!(w.sim.with_state(|s| s.smspartner.moves.len()), 2);
}

/// Finding 8: a failure saldo or a person concluded does not release the guard; only one the
/// provider stated does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_failure_the_provider_stated_releases_the_repeat_guard() {
    let w = world().await;
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetAfterCommit,
    ));
    let unknown = w.engine.top_up(&india("9876543214")).await.unwrap();
    let settled = w
        .engine
        .settle(
            &unknown.reference,
            Settlement::Failed,
            "customer says nothing came",
        )
        .await
        .unwrap();
    assert_eq!(
        (settled.state, settled.basis),
        (TxState::Failed, Some(Basis::ByHand))
    );
    let again = w.engine.top_up(&india("9876543214")).await.unwrap_err();
    assert!(matches!(again, EngineError::PossibleRepeat(_)), "{again}");
    // A refusal the provider stated: nothing was charged, a new attempt is fine.
    let refused = w.engine.top_up(&india("9876500000")).await.unwrap();
    assert_eq!(
        (refused.state, refused.basis),
        (TxState::Failed, Some(Basis::Stated))
    );
    let retry = TopUpOrder {
        amount: "100".into(),
        ..india("9876500000")
    };
    let error = w.engine.top_up(&retry).await;
    assert!(error.is_ok(), "{error:?}");
}

/// Finding 9: a late provider outcome that contradicts a settled row is kept as an event with
/// the provider's reference, and flags the operation for review.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_outcome_that_contradicts_the_ledger_is_kept_and_flagged() {
    let w = world().await;
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetAfterCommit,
    ));
    let unknown = w.engine.top_up(&india("9876543215")).await.unwrap();
    // Rows of a person's mistake: settled failed by hand, though the provider executed it.
    w.engine
        .settle(&unknown.reference, Settlement::Failed, "guessed")
        .await
        .unwrap();
    let row = w.engine.refresh_status(&unknown.reference).await.unwrap();
    assert_eq!(row.state, TxState::Failed, "final: refresh asks nothing");
    // The reconciler asks about it through another path: the provider's answer is kept.
    let reference = unknown.reference.clone();
    let ledger = w.engine.ledger().clone();
    let change = saldo::ledger::StateChange {
        provider_ref: Some("rk-order-1".into()),
        provider_message: Some("Recharge successful".into()),
        detail: Some("status check: success".into()),
        basis: None,
    };
    let written = ledger
        .settle_from(&reference, TxState::Unknown, TxState::Succeeded, &change)
        .unwrap();
    assert!(
        matches!(written, saldo::ledger::Settled::Noted(_)),
        "{written:?}"
    );
    let row = ledger.transaction(&reference).unwrap();
    assert_eq!(row.state, TxState::Failed, "nothing moved by itself");
    assert_eq!(row.provider_ref.as_deref(), Some("rk-order-1"));
    assert_eq!(
        row.review_reason,
        Some(ReviewReason::LateContradiction {
            reported: TxState::Succeeded,
            recorded: TxState::Failed,
        })
    );
    let last = ledger.events(&reference).unwrap().pop().unwrap();
    let last = saldo::domain::Note::in_english(&last.detail.unwrap()).into_owned();
    assert!(last.starts_with("late outcome: succeeded"), "{last}");
    let listed = w.engine.needs_review().await.unwrap();
    assert_eq!(listed.len(), 1, "flagged rows are listed");
    // A person corrects it; the flag goes.
    let fixed = w
        .engine
        .settle(
            &reference,
            Settlement::Succeeded,
            "provider portal shows it",
        )
        .await
        .unwrap();
    assert_eq!(
        (fixed.state, fixed.review_reason),
        (TxState::Succeeded, None)
    );
    assert!(w.engine.needs_review().await.unwrap().is_empty());
}

/// Finding 10: two reconcilers on one ledger (the window's and `saldo reconcile`) never abort
/// each other, and every row is settled once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_reconcilers_settle_the_same_rows_without_aborting_each_other() {
    let w = world().await;
    let mut references = Vec::new();
    for i in 0..12 {
        w.sim.inject(FaultRule::once(
            "/recharge/prepaid",
            Fault::ResetAfterCommit,
        ));
        let row = w
            .engine
            .top_up(&india(&format!("98765432{i:02}")))
            .await
            .unwrap();
        assert_eq!(row.state, TxState::Unknown);
        references.push(row.reference);
    }
    let other = common::second_engine(&w.engine, w.clock.clone());
    let (a, b) = tokio::join!(w.engine.reconcile_now(None), other.reconcile_now(None));
    a.unwrap();
    b.unwrap();
    for reference in &references {
        let row = w.engine.ledger().transaction(reference).unwrap();
        assert_eq!(row.state, TxState::Succeeded);
        let settled = w
            .engine
            .ledger()
            .events(reference)
            .unwrap()
            .iter()
            .filter(|e| e.to_state == TxState::Succeeded)
            .count();
        assert_eq!(settled, 1, "settled once");
    }
}

/// Finding 11: "1,000" rupees is asked about, never sent as ₹1.00.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amount_with_a_thousands_separator_is_refused_not_guessed() {
    let w = world().await;
    let order = TopUpOrder {
        amount: "1,000".into(),
        ..india("9876543216")
    };
    let refused = w.engine.top_up(&order).await.unwrap_err();
    let text = refused.to_string();
    assert!(text.contains("did you mean 1000 or 1"), "{text}");
    let transfer = w
        .engine
        .transfer(&transfer("mx-child-01", "5,000"))
        .await
        .unwrap_err();
    assert!(transfer.to_string().contains("5000"), "{transfer}");
    assert!(w.sim.requests_to("/recharge/prepaid").is_empty());
    assert!(w.sim.with_state(|s| s.marketext.transfers.is_empty()));
}

/// A ledger an older saldo wrote: the English sentence with which it noted sending the very
/// same request again still restarts the horizon, so nothing is sent again before it passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_saldos_sent_again_sentence_still_restarts_the_horizon() {
    let w = world().await;
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetBeforeCommit,
    ));
    let lost = w.engine.top_up(&india("9876543218")).await.unwrap();
    assert_eq!(lost.state, TxState::Unknown);
    w.clock.step(ms(HORIZON) + 1_000);
    let older = "reconciler: the provider has no record of it and can no longer be executing \
                 the last send: sending the very same request again, with the same reference \
                 (the provider creates it once)";
    let ledger = w.engine.ledger();
    assert!(
        ledger
            .append_note(&lost.reference, TxState::Unknown, older)
            .unwrap()
    );
    let sends = || w.sim.requests_to("/recharge/prepaid").len();
    w.engine.reconcile_now(None).await.unwrap();
    assert_eq!(sends(), 1, "sent again within the older saldo's horizon");
    w.clock.step(ms(HORIZON) + ms(options().deadline) + 1_000);
    w.engine.reconcile_now(None).await.unwrap();
    assert_eq!(sends(), 2, "sent again once its horizon passed");
}

/// A RechargeKit request sent again that gets no answer either may still arrive: the horizon
/// starts anew from it, and nothing more is sent before it has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sent_again_without_an_answer_restarts_the_horizon() {
    let w = world().await;
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetBeforeCommit,
    ));
    let lost = w.engine.top_up(&india("9876543217")).await.unwrap();
    assert_eq!(lost.state, TxState::Unknown);
    w.clock.step(ms(HORIZON) + 1_000);
    // The second send is lost too.
    w.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::ResetBeforeCommit,
    ));
    w.engine.reconcile_now(None).await.unwrap();
    let sends = || w.sim.requests_to("/recharge/prepaid").len();
    assert_eq!(sends(), 2);
    assert_eq!(
        w.engine
            .ledger()
            .transaction(&lost.reference)
            .unwrap()
            .state,
        TxState::Unknown
    );
    // Asked again at once (the window's reconciler, `saldo status`): nothing is sent.
    w.engine.reconcile_now(None).await.unwrap();
    w.engine.refresh_status(&lost.reference).await.unwrap();
    assert_eq!(
        sends(),
        2,
        "not sent again within the horizon of the last send"
    );
    w.clock.step(ms(HORIZON) + ms(options().deadline) + 1_000);
    w.engine.reconcile_now(None).await.unwrap();
    assert_eq!(sends(), 3);
    let row = w.engine.ledger().transaction(&lost.reference).unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(w.sim.with_state(|s| s.rechargekit.orders.len()), 1);
}

/// A first balance reading taken from a later move's "balance before" is not compared with
/// itself: the second reading is a fresh one, and the move is settled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_reading_borrowed_from_a_later_move_does_not_wait_forever() {
    let w = world().await;
    w.sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::ResetBeforeCommit,
    ));
    let lost = w
        .engine
        .move_credit(&credit("1003", "3"))
        .await
        .unwrap()
        .record;
    assert_eq!(lost.state, TxState::Unknown);
    w.clock.step(ms(HORIZON) + 1_000);
    // A later move on the same sub-account reads its balance before: the first reading.
    let later = w
        .engine
        .move_credit(&credit("1003", "1"))
        .await
        .unwrap()
        .record;
    assert_eq!(later.state, TxState::Succeeded);
    w.engine.reconcile_now(None).await.unwrap();
    let row = w.engine.ledger().transaction(&lost.reference).unwrap();
    assert!(row.first_reading.is_some(), "{row:?}");
    for _ in 0..2 {
        w.clock.step(ms(SECOND_READING) + 1_000);
        w.engine.reconcile_now(None).await.unwrap();
    }
    let row = w.engine.ledger().transaction(&lost.reference).unwrap();
    assert_eq!(
        (row.state, row.basis),
        (TxState::Failed, Some(Basis::Inferred)),
        "{row:?}"
    );
}
