//! Batches over real HTTP and a real ledger file: every row linked to its operation when it is
//! recorded, so a stopped or crashed batch resumes without sending any row twice.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use saldo::engine::batch_file::{order_for, read_batch};
use saldo::engine::{BatchRun, EngineError, EngineOptions};
use saldo::ledger::{BatchLine, LedgerError};
use saldo::simulator::{Fault, FaultRule};

fn options() -> EngineOptions {
    EngineOptions {
        retry_backoff: Duration::from_millis(20),
        ..EngineOptions::default()
    }
}

/// A batch file of `rows` Cuban numbers, 20 USD each.
fn cuban_file(rows: usize) -> String {
    let mut file = String::from("number,amount\n");
    for i in 0..rows {
        file.push_str(&format!("5{:07},20\n", 2_000_000 + i));
    }
    file
}

fn store(engine: &saldo::engine::Engine, file: &str, confirm: bool) -> i64 {
    let ledger = engine.ledger();
    let profile = ledger.profile("cuba").unwrap();
    let lists = ledger.topup_lists(&profile).unwrap();
    let rows = read_batch(file.as_bytes(), &profile, &lists).unwrap();
    ledger
        .create_batch(profile.id, "test.csv", confirm, "test", true, &rows)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_batch_resumes_and_sends_every_row_exactly_once() {
    let sim = common::simulator(|c| {
        c.qvatel
            .accounts
            .values_mut()
            .for_each(|a| a.balance_cents = 10_000_000)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 5, options());
    let id = store(&engine, &cuban_file(40), false);
    sim.inject(FaultRule {
        path: "/recharge/send".into(),
        fault: Fault::Latency { ms: 30 },
        times: 1000,
    });
    let stop = Arc::new(AtomicBool::new(false));
    let seen = AtomicUsize::new(0);
    let run = BatchRun {
        concurrency: 4,
        per_second: 0,
    };
    let first = engine
        .run_batch(id, run, stop.clone(), |p| {
            if seen.fetch_add(1, Ordering::SeqCst) == 10 {
                stop.store(true, Ordering::SeqCst);
            }
            assert!(p.done <= p.total);
        })
        .await
        .unwrap();
    let sent_first = first.iter().filter(|r| r.operation.is_some()).count();
    assert!(
        (10..40).contains(&sent_first),
        "stopped part-way: {sent_first}"
    );
    assert!(engine.ledger().batch(id).unwrap().finished_at.is_none());

    let rows = engine
        .run_batch(id, run, Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .unwrap();
    assert!(rows.iter().all(|r| {
        r.operation
            .as_ref()
            .is_some_and(|o| o.state == saldo::domain::TxState::Succeeded)
    }));
    let recharges = sim.with_state(|s| s.qvatel.recharges.clone());
    assert_eq!(recharges.len(), 40);
    let mut numbers: Vec<&str> = recharges.iter().map(|r| r.destino.as_str()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 40, "no number topped up twice");
    assert!(engine.ledger().batch(id).unwrap().finished_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_with_an_operation_is_never_sent_again() {
    let sim = common::simulator(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 5, options());
    let id = store(&engine, &cuban_file(3), false);
    let rows = engine.ledger().batch_rows(id).unwrap();
    let line = BatchLine {
        batch_id: id,
        line: rows[0].input.line,
    };
    let order = order_for("cuba", &rows[0].input, false);
    engine.top_up_batch_row(&order, line).await.unwrap();
    // Sending the same row again is refused before anything goes out.
    let again = engine
        .top_up_batch_row(
            &saldo::engine::TopUpOrder {
                confirm_repeat: true,
                ..order
            },
            line,
        )
        .await;
    assert!(
        matches!(
            again,
            Err(EngineError::NotRecorded(LedgerError::BatchRowTaken { .. }))
        ),
        "{again:?}"
    );
    engine
        .run_batch(
            id,
            BatchRun::default(),
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(sim.requests_to("/recharge/send").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_rows_are_refused_unless_the_batch_confirms_them() {
    let sim = common::simulator(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 5, options());
    let file = "number,amount\n52942387,20\n52942387,20\n";
    let run = BatchRun {
        concurrency: 1,
        per_second: 0,
    };
    let id = store(&engine, file, false);
    let rows = engine
        .run_batch(id, run, Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .unwrap();
    assert!(rows[0].operation.is_some());
    let refusal = rows[1].refusal.as_deref().unwrap();
    assert!(refusal.contains("repeat"), "{refusal}");
    let id = store(&engine, file, true);
    let rows = engine
        .run_batch(id, run, Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.operation.is_some()));
    assert_eq!(sim.requests_to("/recharge/send").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_spaces_the_sends() {
    let sim = common::simulator(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine_with_all(dir.path(), &sim, 5, options());
    let id = store(&engine, &cuban_file(6), false);
    let started = std::time::Instant::now();
    let run = BatchRun {
        concurrency: 6,
        per_second: 20,
    };
    engine
        .run_batch(id, run, Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .unwrap();
    // Six sends at 20 per second: the last starts 250 ms after the first, at the earliest.
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
}
