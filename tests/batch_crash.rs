//! `saldo batch` killed with SIGKILL at random moments, at least 20 times, and resumed each
//! time with `--resume`: afterwards no number was topped up twice, every row has exactly one
//! operation, every operation is final or needs review and agrees with what the simulator
//! executed, and `PRAGMA integrity_check` is clean.
//!
//! The CLI reads its secret from the OS keychain, so this needs `SALDO_TEST_KEYCHAIN=1` (set by
//! scripts/test.sh with a private gnome-keyring); `SALDO_CRASH_SEED` replays a run's timings.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use saldo::domain::TxState;
use saldo::ledger::Ledger;
use saldo::providers::ProviderKind;
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{RandomFaults, SimConfig, Simulator, qvatel};

const ROWS: usize = 600;
const KILLS: usize = 20;

fn saldo(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_saldo"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_twenty_times_and_resumed_sends_every_row_exactly_once() {
    if std::env::var_os("SALDO_TEST_KEYCHAIN").is_none() {
        eprintln!(
            "skipped: set SALDO_TEST_KEYCHAIN=1 with a Secret Service (scripts/test.sh does)"
        );
        return;
    }
    let seed = std::env::var("SALDO_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("crash test seed {seed} (replay with SALDO_CRASH_SEED={seed})");
    let mut rng = fastrand::Rng::with_seed(seed);
    let config = SimConfig {
        hang: Duration::from_millis(1500),
        random: RandomFaults {
            latency_ms: 25,
            rates: RandomFaults::parse_rates("reset=0.01,timeout-after-commit=0.005,http500=0.01")
                .unwrap(),
            seed,
        },
        ..SimConfig::default()
    }
    .with_large_balances();
    let sim = Simulator::start(0, config).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let profile = format!("crash-{}", fastrand::u32(..));
    {
        let ledger = Ledger::open_in(&data).unwrap();
        let mut settings = ProviderKind::Qvatel.default_settings();
        settings.request_timeout_secs = 1;
        ledger
            .add_profile(
                &profile,
                ProviderKind::Qvatel,
                &sim.qvatel_base_url(),
                &settings,
            )
            .unwrap();
    }
    let keychain = SecretStore::keychain();
    keychain
        .set(&profile, SecretKind::ApiToken, qvatel::DEMO_TOKEN)
        .unwrap();
    let file = dir.path().join("numbers.csv");
    let mut rows = String::from("number,amount\n");
    for i in 0..ROWS {
        rows.push_str(&format!("5{:07},20\n", 3_000_000 + i));
    }
    std::fs::write(&file, rows).unwrap();

    let file_arg = file.to_string_lossy().into_owned();
    let first = [
        "batch",
        profile.as_str(),
        file_arg.as_str(),
        "--concurrency",
        "6",
        "--rate",
        "0",
    ];
    let resume = [
        "batch",
        "--resume",
        "1",
        "--concurrency",
        "6",
        "--rate",
        "0",
    ];
    let mut kills = 0;
    let mut runs = 0;
    let mut finished = false;
    while kills < KILLS && !finished && runs < KILLS * 3 {
        // A run killed before it stored the batch left nothing to resume: start it again.
        let stored = Ledger::open_in(&data).unwrap().batch(1).is_ok();
        let args: &[&str] = if stored { &resume } else { &first };
        runs += 1;
        let mut child = saldo(&data, args).spawn().unwrap();
        let wait = Duration::from_millis(rng.u64(30..400));
        let started = Instant::now();
        while started.elapsed() < wait && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        match child.try_wait().unwrap() {
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
            }
            Some(status) => {
                let out = child.wait_with_output().unwrap();
                assert!(
                    matches!(status.code(), Some(0 | 3)),
                    "{status:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                finished = true;
            }
        }
    }
    println!("{kills} kills in {runs} runs");
    assert!(kills >= KILLS || finished, "killed {kills} times");
    assert!(
        kills >= KILLS,
        "the batch finished before it was killed {KILLS} times"
    );
    let out = saldo(&data, &resume).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stdout.contains("not sent yet"), "{stdout}");

    // Every send's deadline passes (4 s for a 1 s request timeout), then the reconciler runs.
    sim.set_random_faults(RandomFaults::default());
    std::thread::sleep(Duration::from_millis(4_000 + 2_200));
    let out = saldo(&data, &["reconcile", "--now"]).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 3)), "{out:?}");

    let executed = sim.with_state(|s| {
        let mut by_number: HashMap<String, usize> = HashMap::new();
        for r in &s.qvatel.recharges {
            *by_number.entry(r.destino.clone()).or_default() += 1;
        }
        by_number
    });
    let twice: Vec<_> = executed.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "topped up twice: {twice:?}");

    let ledger = Ledger::open_in(&data).unwrap();
    let batch_rows = ledger.batch_rows(1).unwrap();
    assert_eq!(batch_rows.len(), ROWS);
    let mut states: HashMap<TxState, usize> = HashMap::new();
    for row in &batch_rows {
        let op = row.operation.as_ref().expect("every row has its operation");
        *states.entry(op.state).or_default() += 1;
        let ran = executed.get(&op.destination).copied().unwrap_or(0);
        match op.state {
            TxState::Succeeded => assert_eq!(ran, 1, "{op:?}"),
            TxState::Failed => assert_eq!(ran, 0, "{op:?}"),
            _ => assert!(op.review_reason.is_some(), "open without review: {op:?}"),
        }
    }
    let operations = ledger.history_page(None, ROWS * 2).unwrap().len();
    assert_eq!(operations, ROWS, "one operation per row, no more");
    let check: String = rusqlite::Connection::open(ledger.path())
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    println!("states after {kills} kills: {states:?}");
    keychain.delete(&profile, SecretKind::ApiToken).ok();
}
