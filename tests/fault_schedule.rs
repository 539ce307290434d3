//! The exactly-once promise under faults: at least 10,000 money-moving operations across the
//! four providers that move money, against the simulator drawing random faults for every
//! request (timeouts and resets before and after the provider commits, 5xx, 429, malformed
//! bodies) from a printed seed; then the reconciler; then the invariants:
//!
//! - the simulator executed no operation twice;
//! - every ledger row is final, or needs review with the evidence in its event log;
//! - each row agrees with the simulator: succeeded ⇒ executed once, failed ⇒ never executed;
//!   so each profile's succeeded total is what the simulator charged, apart from rows a person
//!   must review (counted and printed).
//!
//! Replay a failing run with `SALDO_FAULT_SEED=<seed>` (and `SALDO_FAULT_LANES=1` to replay
//! the exact order of requests); `SALDO_FAULT_OPS` changes the number of operations.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use saldo::domain::TxState;
use saldo::engine::{CreditOrder, Engine, EngineOptions, TopUpOrder, TransferOrder};
use saldo::ledger::{TxKind, TxRecord};
use saldo::providers::CreditDirection;
use saldo::simulator::{RandomFaults, SimConfig, Simulator, marketext, qvatel, smspartner};

const FAULTS: &str = "timeout-before-commit=0.004,timeout-after-commit=0.008,\
    reset-before-commit=0.01,reset=0.02,http500=0.02,http503=0.01,http429=0.02,malformed=0.01";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One operation of the schedule.
#[derive(Clone, Debug)]
enum Op {
    Cuba {
        number: String,
        amount: &'static str,
    },
    India {
        number: String,
        rupees: u32,
    },
    /// A credit move on the lane's own sub-account.
    Credit {
        milli: i64,
    },
    Transfer {
        child: &'static str,
        points: i64,
    },
}

/// The schedule: operation `i` goes to lane `i % lanes`; operations on one SMS Partner
/// sub-account share a lane, so their balances can be compared.
fn schedule(ops: usize, seed: u64) -> Vec<Op> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..ops)
        .map(|i| match rng.u8(0..100) {
            0..30 => Op::Cuba {
                number: format!("5{:07}", 1_000_000 + i),
                amount: if rng.bool() { "20" } else { "15" },
            },
            30..55 => Op::India {
                number: format!("98{:08}", i),
                rupees: rng.u32(10..500),
            },
            // Every amount is unique, so each execution the simulator logs names its operation.
            55..80 => Op::Credit {
                milli: (i as i64 + 1) * if rng.u8(0..10) < 7 { 1 } else { -1 },
            },
            _ => Op::Transfer {
                child: marketext::DEMO_CHILDREN[i % 3],
                points: i as i64 + 1,
            },
        })
        .collect()
}

async fn send(engine: &Engine, op: &Op, lane: usize) -> Option<TxRecord> {
    let result = match op {
        Op::Cuba { number, amount } => {
            engine
                .top_up(&TopUpOrder::new("cuba", number, amount))
                .await
        }
        Op::India { number, rupees } => {
            let order = TopUpOrder {
                operator: Some("Airtel".into()),
                circle: Some("Delhi NCR".into()),
                ..TopUpOrder::new("in", number, &rupees.to_string())
            };
            engine.top_up(&order).await
        }
        Op::Credit { milli, .. } => {
            let order = CreditOrder {
                profile: "fr".into(),
                sub_account: (1001 + lane).to_string(),
                amount: format!("{}.{:03}", milli.abs() / 1000, milli.abs() % 1000),
                direction: if *milli > 0 {
                    CreditDirection::Add
                } else {
                    CreditDirection::Remove
                },
                confirm_repeat: false,
            };
            engine.move_credit(&order).await.map(|o| o.record)
        }
        Op::Transfer { child, points } => {
            let order = TransferOrder {
                profile: "mx".into(),
                child: child.to_string(),
                amount: points.to_string(),
                confirm_repeat: false,
            };
            engine.transfer(&order).await
        }
    };
    // Errors before recording (the sub-account list could not be read) send nothing.
    result.ok()
}

fn start_config(seed: u64) -> SimConfig {
    SimConfig {
        hang: Duration::from_millis(2500),
        random: RandomFaults {
            latency_ms: 0,
            rates: RandomFaults::parse_rates(FAULTS).unwrap(),
            seed,
        },
        ..SimConfig::default()
    }
    .with_large_balances()
}

/// Which operation (by provider and unique key) each simulator execution belongs to.
fn executions(sim: &Simulator) -> HashMap<(String, String), usize> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    sim.with_state(|s| {
        for r in &s.qvatel.recharges {
            *seen.entry(("cuba".into(), r.destino.clone())).or_default() += 1;
        }
        for o in s
            .rechargekit
            .orders
            .values()
            .filter(|o| o.final_status == 1)
        {
            *seen
                .entry(("in".into(), format!("+91{}", o.mobile_no)))
                .or_default() += 1;
        }
        for m in &s.smspartner.moves {
            *seen
                .entry(("fr".into(), m.milli.abs().to_string()))
                .or_default() += 1;
        }
        for (_, _, points) in &s.marketext.transfers {
            *seen.entry(("mx".into(), points.to_string())).or_default() += 1;
        }
    });
    seen
}

/// The key of a ledger row in [`executions`].
fn key(row: &TxRecord) -> (String, String) {
    let value = match row.kind {
        TxKind::TopUp => row.destination.clone(),
        _ => row.amount.minor().to_string(),
    };
    (row.profile_name.clone(), value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_operations_under_random_faults_keep_the_promise() {
    let seed = env_number("SALDO_FAULT_SEED", fastrand::u64(..));
    let ops = env_number("SALDO_FAULT_OPS", 10_000) as usize;
    let lanes = env_number("SALDO_FAULT_LANES", 32).clamp(1, 40) as usize;
    println!("fault schedule: seed {seed}, {ops} operations, {lanes} lanes, faults {FAULTS}");
    println!("replay with: SALDO_FAULT_SEED={seed} cargo test --test fault_schedule");
    let sim = Simulator::start(0, start_config(seed)).await.unwrap();
    // The ledger is a real SQLite file; on tmpfs when there is one, since this test is about
    // what reached the providers, not about surviving power loss (fsync is a no-op there).
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let options = EngineOptions {
        retry_backoff: Duration::from_millis(10),
        deadline: Duration::from_secs(3),
        ..EngineOptions::default()
    };
    let engine = common::engine_with_all(dir.path(), &sim, 1, options);

    let started = Instant::now();
    let plan = schedule(ops, seed);
    let lanes_of_ops: Vec<Vec<Op>> = (0..lanes)
        .map(|lane| plan.iter().skip(lane).step_by(lanes).cloned().collect())
        .collect();
    let recorded: Vec<TxRecord> = futures_util::stream::iter(lanes_of_ops.into_iter().enumerate())
        .map(|(lane, lane_ops)| {
            let engine = engine.clone();
            async move {
                let mut rows = Vec::new();
                for op in &lane_ops {
                    rows.extend(send(&engine, op, lane).await);
                }
                rows
            }
        })
        .buffer_unordered(lanes)
        .flat_map(futures_util::stream::iter)
        .collect()
        .await;
    println!(
        "sent {} of {ops} operations in {:.1} s",
        recorded.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        recorded.len() >= ops * 9 / 10,
        "most operations were recorded"
    );

    // The network recovers; every send's deadline passes; the reconciler runs.
    sim.set_random_faults(RandomFaults::default());
    tokio::time::sleep(Duration::from_millis(3000 + 2_200)).await;
    for _ in 0..3 {
        engine.reconcile_now(None).await.unwrap();
    }

    let executed = executions(&sim);
    let twice: Vec<_> = executed.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "executed more than once: {twice:?}");

    let ledger = engine.ledger();
    let mut review = HashMap::<String, usize>::new();
    let mut rows = 0;
    let mut states = HashMap::<TxState, usize>::new();
    let mut cursor = None;
    loop {
        let page = ledger.history_page(cursor, 1000).unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(saldo::ledger::HistoryCursor::after(last));
        for row in &page {
            rows += 1;
            *states.entry(row.state).or_default() += 1;
            let ran = executed.get(&key(row)).copied().unwrap_or(0);
            match row.state {
                TxState::Succeeded => assert_eq!(ran, 1, "succeeded but not executed: {row:?}"),
                TxState::Failed => assert_eq!(ran, 0, "failed but executed: {row:?}"),
                _ => {
                    assert!(row.review_reason.is_some(), "open without review: {row:?}");
                    let events = ledger.events(&row.reference).unwrap();
                    assert!(
                        events
                            .iter()
                            .any(|e| e.from_state == Some(row.state) && e.to_state == row.state),
                        "no evidence note: {events:?}"
                    );
                    *review.entry(row.profile_name.clone()).or_default() += 1;
                }
            }
        }
    }
    assert_eq!(rows, recorded.len());
    let executed_total: usize = executed.values().sum();
    let succeeded = states.get(&TxState::Succeeded).copied().unwrap_or(0);
    let reviewed: usize = review.values().sum();
    assert!(executed_total >= succeeded && executed_total <= succeeded + reviewed);
    println!(
        "states {states:?}; needs review by profile {review:?}; simulator executed {executed_total}; \
         total {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Everything the providers can be asked about was settled.
    assert_eq!(
        review.get("in"),
        None,
        "RechargeKit rows are always settled by our reference"
    );
    let _ = (qvatel::DEMO_TOKEN, smspartner::DEMO_KEY);
}
