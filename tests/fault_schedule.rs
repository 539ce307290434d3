//! The exactly-once promise against the world: at least 10,000 money-moving operations across
//! the four providers that move money, sent by two engines on one ledger file (as two saldos
//! would be), against a simulator that — like a real server — keeps working after the client
//! hangs up and commits seconds later, and draws random faults for every request (timeouts and
//! resets before and after the provider commits, late commits, 5xx, 429, malformed bodies) from
//! a printed seed. Meanwhile the wall clock steps by ±2 minutes, a background reconciler runs
//! on the second engine, a person settles open operations at random moments (and is refused for
//! those still being sent), and a backup taken early is restored in the middle. Then the
//! reconciler, then the invariants:
//!
//! - the simulator executed no operation twice;
//! - each row agrees with the simulator: succeeded ⇒ executed once, failed ⇒ never executed;
//! - every row is final, or needs review with the evidence in its event log;
//! - once a person has settled what needs review by the provider's records, each profile's
//!   succeeded total is exactly what the simulator charged.
//!
//! Replay a failing run with `SALDO_FAULT_SEED=<seed>` (and `SALDO_FAULT_LANES=1` to replay
//! the exact order of requests); `SALDO_FAULT_OPS` changes the number of operations.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use saldo::domain::clock::SteppedClock;
use saldo::domain::{Reference, TxState};
use saldo::engine::{CreditOrder, Engine, EngineOptions, Settlement, TopUpOrder, TransferOrder};
use saldo::ledger::{TxKind, TxRecord};
use saldo::providers::CreditDirection;
use saldo::simulator::{RandomFaults, SimConfig, Simulator, marketext};
use tokio::sync::RwLock;

const FAULTS: &str = "timeout-before-commit=0.004,timeout-after-commit=0.008,late-commit=0.01,\
    reset-before-commit=0.01,reset=0.02,http500=0.02,http503=0.01,http429=0.02,malformed=0.01";

/// How long the simulator works on a "late" request, and holds a timed-out one.
const HANG: Duration = Duration::from_millis(2500);
/// The horizon after a lost send during which the provider may still execute it: minutes, well
/// above the clock steps.
const HORIZON: Duration = Duration::from_secs(5 * 60);
const SECOND_READING: Duration = Duration::from_secs(60);
const CLOCK_STEP_MS: i64 = 2 * 60 * 1000;

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
        hang: HANG,
        random: RandomFaults {
            latency_ms: 0,
            rates: RandomFaults::parse_rates(FAULTS).unwrap(),
            seed,
        },
        ..SimConfig::default()
    }
    .with_large_balances()
}

/// What the simulator executed: per operation (provider and unique key), how often and for how
/// much (minor units, signed for credit taken back).
fn executions(sim: &Simulator) -> HashMap<(String, String), (usize, i64)> {
    let mut seen: HashMap<(String, String), (usize, i64)> = HashMap::new();
    let mut add = |key: (String, String), amount: i64| {
        let entry = seen.entry(key).or_default();
        entry.0 += 1;
        entry.1 += amount;
    };
    sim.with_state(|s| {
        for r in &s.qvatel.recharges {
            add(("cuba".into(), r.destino.clone()), r.monto_cents);
        }
        for o in s
            .rechargekit
            .orders
            .values()
            .filter(|o| o.final_status == 1)
        {
            add(("in".into(), format!("+91{}", o.mobile_no)), o.amount_paise);
        }
        for m in &s.smspartner.moves {
            add(("fr".into(), m.milli.abs().to_string()), m.milli);
        }
        for (_, _, points) in &s.marketext.transfers {
            add(("mx".into(), points.to_string()), *points);
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

/// A row's amount as the simulator counts it (credit taken back is negative).
fn signed(row: &TxRecord) -> i64 {
    match row.kind {
        TxKind::CreditRemove => -row.amount.minor(),
        _ => row.amount.minor(),
    }
}

fn all_rows(engine: &Engine) -> Vec<TxRecord> {
    let ledger = engine.ledger();
    let mut rows = Vec::new();
    let mut cursor = None;
    loop {
        let page = ledger.history_page(cursor, 1000).unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(saldo::ledger::HistoryCursor::after(last));
        rows.extend(page);
    }
    rows
}

/// What the background work did while the lanes were sending.
#[derive(Default)]
struct Meanwhile {
    clock_steps: AtomicUsize,
    reconciles: AtomicUsize,
    settled_by_hand: AtomicUsize,
    refused_in_flight: AtomicUsize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_operations_against_the_world_keep_the_promise() {
    let seed = env_number("SALDO_FAULT_SEED", fastrand::u64(..));
    let ops = env_number("SALDO_FAULT_OPS", 10_000) as usize;
    let lanes = env_number("SALDO_FAULT_LANES", 32).clamp(1, 40) as usize;
    println!("fault schedule: seed {seed}, {ops} operations, {lanes} lanes, faults {FAULTS}");
    println!("replay with: SALDO_FAULT_SEED={seed} cargo test --test fault_schedule");
    let sim = Arc::new(Simulator::start(0, start_config(seed)).await.unwrap());
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
        late_execution_horizon: HORIZON,
        second_reading_after: SECOND_READING,
        ..EngineOptions::default()
    };
    // One machine clock, read by both engines, stepped as NTP would.
    let clock = SteppedClock::new();
    let first = common::engine_with_all_on(dir.path(), &sim, 1, options, clock.clone());
    let second = common::second_engine(&first, clock.clone());
    let engines = [first.clone(), second.clone()];

    let started = Instant::now();
    let plan = schedule(ops, seed);
    let lanes_of_ops: Vec<Vec<Op>> = (0..lanes)
        .map(|lane| plan.iter().skip(lane).step_by(lanes).cloned().collect())
        .collect();
    // Lanes hold this for each operation; the restore takes it whole (nothing in flight).
    let pause = Arc::new(RwLock::new(()));
    let done_ops = Arc::new(AtomicUsize::new(0));
    let sending = Arc::new(AtomicBool::new(true));
    let meanwhile = Arc::new(Meanwhile::default());

    // The wall clock steps by up to two minutes either way, at random moments.
    let stepper = {
        let (clock, sending, meanwhile) = (clock.clone(), sending.clone(), meanwhile.clone());
        tokio::spawn(async move {
            let mut rng = fastrand::Rng::with_seed(seed ^ 0xC10C);
            while sending.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(rng.u64(100..800))).await;
                let target = [-CLOCK_STEP_MS, 0, CLOCK_STEP_MS][rng.usize(0..3)];
                clock.step(target - clock.offset_ms());
                meanwhile.clock_steps.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    // The second saldo's background reconciler, as the window runs it.
    let background = {
        let (engine, sending, pause, meanwhile) = (
            second.clone(),
            sending.clone(),
            pause.clone(),
            meanwhile.clone(),
        );
        tokio::spawn(async move {
            while sending.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(700)).await;
                let _turn = pause.read().await;
                engine
                    .reconcile(None)
                    .await
                    .expect("a reconciler pass never aborts");
                meanwhile.reconciles.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    // A person at the worst moments: settles what the provider's records show executed, and
    // tries to settle operations that are still being sent (refused while their sender lives).
    let person = {
        let (engine, sim, sending, pause, meanwhile) = (
            first.clone(),
            sim.clone(),
            sending.clone(),
            pause.clone(),
            meanwhile.clone(),
        );
        tokio::spawn(async move {
            let mut rng = fastrand::Rng::with_seed(seed ^ 0xBEEF);
            while sending.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(rng.u64(100..400))).await;
                let _turn = pause.read().await;
                let open = engine.ledger().open_operations(None).unwrap();
                if open.is_empty() {
                    continue;
                }
                let row = &open[rng.usize(0..open.len())];
                let executed = executions(&sim).get(&key(row)).is_some_and(|e| e.0 > 0);
                let in_flight = matches!(row.state, TxState::Recorded | TxState::Sending)
                    && engine.ledger().is_claimed(&row.reference);
                if in_flight && executed {
                    // What the person would record is true (the provider executed it), but the
                    // operation is its sender's until its outcome is recorded.
                    let refused = engine
                        .settle(&row.reference, Settlement::Succeeded, "customer got it")
                        .await;
                    match refused {
                        Err(e) if e.to_string().contains("being sent") => {
                            meanwhile.refused_in_flight.fetch_add(1, Ordering::SeqCst);
                        }
                        // It finished between the look and the click: settled by its sender.
                        Err(e) if e.to_string().contains("already") => {}
                        other => {
                            let now = engine.ledger().transaction(&row.reference).unwrap();
                            assert!(
                                !matches!(now.state, TxState::Sending | TxState::Recorded),
                                "settled while in flight: {other:?} {now:?}"
                            );
                        }
                    }
                } else if executed && matches!(row.state, TxState::Unknown | TxState::Pending) {
                    let settled = engine
                        .settle(
                            &row.reference,
                            Settlement::Succeeded,
                            "on the provider's portal",
                        )
                        .await;
                    if settled.is_ok() {
                        meanwhile.settled_by_hand.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        })
    };

    let backup = dir.path().join("early.sqlite3");
    let restore_report = Arc::new(std::sync::Mutex::new(None));
    let recorded: Vec<TxRecord> = futures_util::stream::iter(lanes_of_ops.into_iter().enumerate())
        .map(|(lane, lane_ops)| {
            let engine = engines[lane % 2].clone();
            let (pause, done_ops, backup, restore_report) = (
                pause.clone(),
                done_ops.clone(),
                backup.clone(),
                restore_report.clone(),
            );
            async move {
                let mut rows = Vec::new();
                for op in &lane_ops {
                    let done = done_ops.fetch_add(1, Ordering::SeqCst);
                    if done == ops / 4 {
                        // A backup early on, while the lanes go on sending.
                        engine.ledger().backup_to(&backup).unwrap();
                    }
                    if done == ops / 2 {
                        // The backup is restored in the middle, with nothing in flight.
                        let _whole = pause.write().await;
                        let before = all_rows(&engine).len();
                        let restored = engine.ledger().restore_from(&backup).unwrap();
                        let after = all_rows(&engine).len();
                        assert_eq!(after, before, "a restore forgets no operation");
                        *restore_report.lock().unwrap() = Some((before, restored.merged));
                    }
                    let _turn = pause.read().await;
                    rows.extend(send(&engine, op, lane).await);
                }
                rows
            }
        })
        .buffer_unordered(lanes)
        .flat_map(futures_util::stream::iter)
        .collect()
        .await;
    sending.store(false, Ordering::SeqCst);
    stepper.await.unwrap();
    background.await.unwrap();
    person.await.unwrap();
    println!(
        "sent {} of {ops} operations in {:.1} s; meanwhile {} clock steps, {} background \
         reconciler passes, {} settled by hand, {} settlements refused while in flight; \
         restore at {:?}",
        recorded.len(),
        started.elapsed().as_secs_f64(),
        meanwhile.clock_steps.load(Ordering::SeqCst),
        meanwhile.reconciles.load(Ordering::SeqCst),
        meanwhile.settled_by_hand.load(Ordering::SeqCst),
        meanwhile.refused_in_flight.load(Ordering::SeqCst),
        restore_report.lock().unwrap(),
    );
    assert!(
        recorded.len() >= ops * 9 / 10,
        "most operations were recorded"
    );
    assert!(restore_report.lock().unwrap().is_some(), "the restore ran");

    // The network recovers; the provider finishes every request it was still working on;
    // time passes beyond the horizon; both reconcilers run, with readings apart in time.
    sim.set_random_faults(RandomFaults::default());
    assert!(
        sim.wait_idle(Duration::from_secs(30)).await,
        "the simulator settles down"
    );
    clock.step(-clock.offset_ms() + (HORIZON.as_millis() as i64) + 60_000);
    for _ in 0..6 {
        let (a, b) = tokio::join!(first.reconcile_now(None), second.reconcile_now(None));
        a.unwrap();
        b.unwrap();
        clock.step(SECOND_READING.as_millis() as i64 + 1_000);
    }

    let executed = executions(&sim);
    let twice: Vec<_> = executed.iter().filter(|(_, (n, _))| *n > 1).collect();
    assert!(twice.is_empty(), "executed more than once: {twice:?}");

    let rows = all_rows(&first);
    assert_eq!(
        rows.len(),
        recorded.len(),
        "every recorded operation is in the ledger"
    );
    let mut review = HashMap::<String, usize>::new();
    let mut states = HashMap::<TxState, usize>::new();
    let mut open: Vec<Reference> = Vec::new();
    for row in &rows {
        *states.entry(row.state).or_default() += 1;
        let ran = executed.get(&key(row)).map_or(0, |e| e.0);
        match row.state {
            TxState::Succeeded => assert_eq!(ran, 1, "succeeded but not executed: {row:?}"),
            TxState::Failed => assert_eq!(ran, 0, "failed but executed: {row:?}"),
            _ => {
                assert!(row.review_reason.is_some(), "open without review: {row:?}");
                let events = first.ledger().events(&row.reference).unwrap();
                assert!(
                    events
                        .iter()
                        .any(|e| e.from_state == Some(row.state) && e.to_state == row.state),
                    "no evidence note: {events:?}"
                );
                *review.entry(row.profile_name.clone()).or_default() += 1;
                open.push(row.reference.clone());
            }
        }
    }
    println!("states {states:?}; needs review by profile {review:?}");
    assert_eq!(
        review.get("in"),
        None,
        "RechargeKit rows are always settled by our reference"
    );

    // A person settles what needs review by the provider's records; then every profile's
    // succeeded total is exactly what the simulator charged.
    for reference in &open {
        let row = first.ledger().transaction(reference).unwrap();
        let outcome = if executed.get(&key(&row)).is_some_and(|e| e.0 > 0) {
            Settlement::Succeeded
        } else {
            Settlement::Failed
        };
        first
            .settle(reference, outcome, "checked on the provider's portal")
            .await
            .unwrap();
    }
    let mut ledger_totals = HashMap::<String, i64>::new();
    for row in all_rows(&first) {
        assert!(row.state.is_final(), "{row:?}");
        if row.state == TxState::Succeeded {
            *ledger_totals.entry(row.profile_name.clone()).or_default() += signed(&row);
        }
    }
    let mut charged = HashMap::<String, i64>::new();
    for ((profile, _), (_, amount)) in &executed {
        *charged.entry(profile.clone()).or_default() += amount;
    }
    assert_eq!(
        ledger_totals, charged,
        "ledger totals = what the providers charged"
    );
    println!(
        "simulator executed {}; totals per profile {charged:?}; total {:.1} s",
        executed.len(),
        started.elapsed().as_secs_f64()
    );
}
