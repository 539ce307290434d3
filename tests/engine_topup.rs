//! The journal-first top-up against the simulator over real HTTP and a real ledger file.

mod common;

use std::time::Duration;

use common::{PROFILE, Rig, confirmed, order};
use saldo::domain::{Reference, TxState};
use std::sync::Arc;

use saldo::engine::{Engine, EngineError, EngineOptions, Settlement};
use saldo::ledger::Ledger;
use saldo::simulator::{Fault, FaultRule, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topup_succeeds_and_every_state_change_is_in_the_event_log() {
    let rig = Rig::new(5).await;
    let row = rig
        .engine
        .top_up(&order("+53 5294 2387", "20"))
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(row.destination, "+5352942387");
    assert_eq!(row.amount.to_string(), "20.00 USD");
    assert_eq!(row.provider_ref.as_deref(), Some("qvatel-23479287356"));
    assert_eq!(row.profile_name, PROFILE);

    let events = rig.engine.ledger().events(&row.reference).unwrap();
    let states: Vec<_> = events.iter().map(|e| e.to_state).collect();
    assert_eq!(
        states,
        [TxState::Recorded, TxState::Sending, TxState::Succeeded]
    );
    assert_eq!(rig.recharges().len(), 1);
    assert_eq!(rig.sim_balance_cents(), 480_00);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_recorded_as_failed_with_the_reason() {
    let rig = Rig::new(5).await;
    rig.set_sim_balance_cents(10_00);
    let row = rig
        .engine
        .top_up(&order("52942387", "15.00"))
        .await
        .unwrap();
    assert_eq!(row.state, TxState::Failed);
    assert_eq!(row.provider_message.as_deref(), Some("Saldo insuficiente"));
    assert!(rig.recharges().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recharge_not_yet_final_is_pending_and_a_later_status_check_settles_it() {
    let mut config = SimConfig {
        hang: Duration::from_secs(8),
        ..SimConfig::default()
    };
    config.qvatel.status_delay_ms = 600;
    let rig = Rig::with_config(5, config).await;
    let row = rig.engine.top_up(&order("52942387", "15")).await.unwrap();
    assert_eq!(row.state, TxState::Pending);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let settled = rig.engine.refresh_status(&row.reference).await.unwrap();
    assert_eq!(settled.state, TxState::Succeeded);
    assert_eq!(settled.provider_message.as_deref(), Some("Recargado"));
    assert_eq!(rig.recharges().len(), 1, "a status check never resends");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_after_the_provider_committed_is_unknown_and_never_resent() {
    let rig = Rig::new(1).await;
    rig.sim
        .inject(FaultRule::once("/recharge/send", Fault::TimeoutAfterCommit));
    let row = rig.engine.top_up(&order("52942387", "20")).await.unwrap();
    assert_eq!(row.state, TxState::Unknown);
    assert!(
        row.provider_ref.is_none(),
        "QvaTel's id was lost with the reply"
    );

    // Give any hidden retry a chance to show up before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(rig.sim.requests_to("/recharge/send").len(), 1);
    assert_eq!(
        rig.recharges().len(),
        1,
        "the provider executed it exactly once"
    );

    // Asking for its status again must not send anything either.
    let again = rig.engine.refresh_status(&row.reference).await.unwrap();
    assert_eq!(again.state, TxState::Unknown);
    assert_eq!(rig.sim.requests_to("/recharge/send").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unclear_replies_are_unknown_and_refusals_before_commit_are_not_charged() {
    let rig = Rig::new(2).await;
    let cases = [
        (Fault::ResetAfterCommit, TxState::Unknown, 1),
        (Fault::Malformed, TxState::Unknown, 1),
        (Fault::Status { code: 503 }, TxState::Unknown, 0),
        (Fault::ResetBeforeCommit, TxState::Unknown, 0),
    ];
    let mut executed = 0;
    // One number each: an open (unknown) top-up refuses an identical one outright.
    for (i, (fault, state, commits)) in cases.into_iter().enumerate() {
        rig.sim
            .inject(FaultRule::once("/recharge/send", fault.clone()));
        let row = rig
            .engine
            .top_up(&order(&format!("5294238{i}"), "15"))
            .await
            .unwrap();
        assert_eq!(row.state, state, "{fault:?}");
        executed += commits;
        assert_eq!(rig.recharges().len(), executed, "{fault:?}");
    }
    assert_eq!(
        rig.sim.requests_to("/recharge/send").len(),
        4,
        "one send per top-up, none repeated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_records_and_sends_nothing() {
    let rig = Rig::new(5).await;
    for (number, amount) in [("5294238", "20"), ("78345678", "20"), ("52942387", "17")] {
        let err = rig.engine.top_up(&order(number, amount)).await.unwrap_err();
        assert!(matches!(err, EngineError::BadInput(_)), "{err}");
    }
    assert!(
        rig.engine
            .ledger()
            .history_page(None, 10)
            .unwrap()
            .is_empty()
    );
    assert!(rig.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_that_cannot_be_written_sends_nothing() {
    let rig = Rig::new(5).await;
    let ledger = rig.engine.ledger().clone();
    ledger.set_busy_timeout(Duration::from_millis(200)).unwrap();
    // Another program holds the ledger's write lock for the whole attempt.
    let holder = rusqlite::Connection::open(ledger.path()).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let err = rig
        .engine
        .top_up(&order("52942387", "20"))
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::NotRecorded(_)), "{err}");
    let text = err.to_string();
    assert!(text.starts_with("nothing was sent"), "{text}");
    assert!(text.contains("locked"), "{text}");
    assert!(rig.sim.requests().is_empty(), "no request may leave");

    holder.execute_batch("ROLLBACK").unwrap();
    assert!(ledger.history_page(None, 10).unwrap().is_empty());
}

/// Set in the child process that runs the read-only test without root's privileges.
const UNPRIVILEGED_CHILD: &str = "SALDO_TEST_UNPRIVILEGED_CHILD";

#[test]
fn a_read_only_ledger_file_sends_nothing() {
    if is_root() && std::env::var_os(UNPRIVILEGED_CHILD).is_none() {
        // Root ignores file permissions: run this very test again as the user nobody.
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(exe)
            .args([
                "--exact",
                "a_read_only_ledger_file_sends_nothing",
                "--nocapture",
            ])
            .env(UNPRIVILEGED_CHILD, "1")
            .env("TMPDIR", "/tmp")
            .output()
            .expect("setpriv (util-linux) runs the test as nobody");
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "unprivileged run failed:\n{text}");
        assert!(
            text.contains("1 passed"),
            "the child did not run the test:\n{text}"
        );
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use std::os::unix::fs::PermissionsExt;
        let rig = Rig::new(5).await;
        let path = rig.engine.ledger().path().to_path_buf();
        let secrets = rig.engine.secrets().clone();
        drop(rig.engine);
        for file in [
            path.clone(),
            path.with_extension("sqlite3-wal"),
            path.with_extension("sqlite3-shm"),
        ] {
            if file.exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
            }
        }
        let ledger = match Ledger::open(&path) {
            Ok(ledger) => ledger,
            Err(err) => {
                // Refusing to open is also safe: nothing can be sent without a ledger.
                assert!(err.to_string().contains("read-only"), "{err}");
                assert!(rig.sim.requests().is_empty());
                return;
            }
        };
        let engine = Engine::new(Arc::new(ledger), secrets, EngineOptions::default());
        let err = engine.top_up(&order("52942387", "20")).await.unwrap_err();
        assert!(matches!(err, EngineError::NotRecorded(_)), "{err}");
        assert!(err.to_string().contains("read-only"), "{err}");
        assert!(rig.sim.requests().is_empty(), "no request may leave");
    });
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_reference_is_a_clear_error() {
    let rig = Rig::new(5).await;
    let err = rig
        .engine
        .refresh_status(&Reference::from_text("SAL-20990101-XXXXXXXX"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no operation with reference"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_send_backs_off_and_goes_through_once() {
    let rig = Rig::new(5).await;
    rig.sim.inject(FaultRule::once(
        "/recharge/send",
        Fault::Status { code: 429 },
    ));
    let row = rig.engine.top_up(&order("52942387", "20")).await.unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(rig.sim.requests_to("/recharge/send").len(), 2);
    assert_eq!(rig.recharges().len(), 1, "the 429 executed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_refused_by_rate_limiting_every_time_fails_with_the_reason() {
    let rig = Rig::new(5).await;
    rig.sim.inject(FaultRule {
        path: "/recharge/send".into(),
        fault: Fault::Status { code: 429 },
        times: 10,
    });
    let row = rig.engine.top_up(&order("52942387", "20")).await.unwrap();
    assert_eq!(row.state, TxState::Failed);
    let message = row.provider_message.unwrap();
    assert!(
        saldo::domain::Note::in_english(&message).contains("rate limiting"),
        "{message}"
    );
    assert_eq!(
        rig.sim.requests_to("/recharge/send").len(),
        5,
        "1 + 4 retries"
    );
    assert!(rig.recharges().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_topup_whose_outcome_cannot_be_recorded_says_do_not_resend() {
    let rig = Rig::new(5).await;
    let ledger = rig.engine.ledger().clone();
    ledger.set_busy_timeout(Duration::from_millis(200)).unwrap();
    rig.sim.inject(FaultRule::once(
        "/recharge/send",
        Fault::Latency { ms: 800 },
    ));
    let engine = rig.engine.clone();
    let topup = tokio::spawn(async move { engine.top_up(&order("52942387", "20")).await });
    // While the provider works, another program takes the ledger's write lock.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let holder = rusqlite::Connection::open(ledger.path()).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = topup.await.unwrap().unwrap_err();
    holder.execute_batch("ROLLBACK").unwrap();

    assert!(err.may_have_been_sent(), "{err}");
    assert!(err.to_string().contains("Do NOT send it again"), "{err}");
    assert_eq!(rig.recharges().len(), 1, "the provider did execute it");
    let rows = ledger.history_page(None, 10).unwrap();
    assert_eq!(
        rows[0].state,
        TxState::Sending,
        "left for reconciliation, not lost"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeat_of_a_recent_top_up_is_refused_until_confirmed() {
    let rig = Rig::new(5).await;
    let first = rig.engine.top_up(&order("52942387", "20")).await.unwrap();
    assert_eq!(first.state, TxState::Succeeded);

    let err = rig
        .engine
        .top_up(&order("+53 5294 2387", "20.00"))
        .await
        .unwrap_err();
    match &err {
        EngineError::PossibleRepeat(earlier) => {
            assert_eq!(earlier.reference, first.reference);
            assert_eq!(earlier.state, TxState::Succeeded);
        }
        other => panic!("expected the duplicate guard, got {other}"),
    }
    assert!(err.to_string().contains("--confirm-duplicate"), "{err}");
    assert_eq!(
        rig.engine.ledger().history_page(None, 10).unwrap().len(),
        1,
        "nothing recorded"
    );
    assert_eq!(
        rig.sim.requests_to("/recharge/send").len(),
        1,
        "nothing sent"
    );

    // Another amount or another number is not a repeat; a confirmed repeat goes through.
    rig.engine.top_up(&order("52942387", "15")).await.unwrap();
    rig.engine.top_up(&order("52942388", "20")).await.unwrap();
    let again = rig
        .engine
        .top_up(&confirmed(order("52942387", "20")))
        .await
        .unwrap();
    assert_eq!(again.state, TxState::Succeeded);
    assert_eq!(rig.recharges().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_ignores_failed_top_ups_and_its_window_is_a_setting() {
    let rig = Rig::new(5).await;
    rig.set_sim_balance_cents(10_00);
    let failed = rig.engine.top_up(&order("52942387", "15")).await.unwrap();
    assert_eq!(failed.state, TxState::Failed);
    rig.set_sim_balance_cents(100_00);
    let retried = rig.engine.top_up(&order("52942387", "15")).await.unwrap();
    assert_eq!(
        retried.state,
        TxState::Succeeded,
        "a failed one does not block a new try"
    );

    // A one-second window: refused at once, allowed after it.
    let ledger = rig.engine.ledger();
    let mut profile = ledger.profile(PROFILE).unwrap();
    profile.settings.duplicate_window_secs = 1;
    ledger
        .update_profile(PROFILE, &profile.base_url, &profile.settings)
        .unwrap();
    assert!(matches!(
        rig.engine.top_up(&order("52942387", "15")).await,
        Err(EngineError::PossibleRepeat(_))
    ));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(rig.engine.top_up(&order("52942387", "15")).await.is_ok());
    // Zero turns the guard off.
    profile.settings.duplicate_window_secs = 0;
    ledger
        .update_profile(PROFILE, &profile.base_url, &profile.settings)
        .unwrap();
    assert!(rig.engine.top_up(&order("52942387", "15")).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_outcome_is_listed_for_review_and_settled_by_hand_with_a_note() {
    let rig = Rig::new(1).await;
    rig.sim
        .inject(FaultRule::once("/recharge/send", Fault::TimeoutAfterCommit));
    let unknown = rig.engine.top_up(&order("52942387", "20")).await.unwrap();
    assert_eq!(unknown.state, TxState::Unknown);
    let fine = rig.engine.top_up(&order("52942388", "20")).await.unwrap();
    assert_eq!(fine.state, TxState::Succeeded);

    let items = rig.engine.needs_review().await.unwrap();
    assert_eq!(items.len(), 1, "only the unknown one");
    assert_eq!(items[0].record.reference, unknown.reference);
    assert!(
        items[0].events.len() >= 3,
        "its event log comes as evidence"
    );

    let err = rig
        .engine
        .settle(&unknown.reference, Settlement::Succeeded, "  ")
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::BadInput(_)), "{err}");
    let settled = rig
        .engine
        .settle(
            &unknown.reference,
            Settlement::Succeeded,
            "customer confirmed the credit",
        )
        .await
        .unwrap();
    assert_eq!(settled.state, TxState::Succeeded);
    let events = rig.engine.ledger().events(&unknown.reference).unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.from_state, last.to_state),
        (Some(TxState::Unknown), TxState::Succeeded)
    );
    assert!(
        last.detail
            .as_deref()
            .unwrap()
            .contains("customer confirmed the credit")
    );
    assert!(rig.engine.needs_review().await.unwrap().is_empty());
    let again = rig
        .engine
        .settle(&unknown.reference, Settlement::Failed, "changed my mind")
        .await
        .unwrap_err();
    assert!(again.to_string().contains("already succeeded"), "{again}");
    assert_eq!(
        rig.sim.requests_to("/recharge/send").len(),
        2,
        "settling sends nothing"
    );
}
