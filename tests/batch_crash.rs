//! Counters as separate processes. `saldo batch` killed with SIGKILL at random moments, at
//! least 20 times, and resumed each time with `--resume`: afterwards no number was topped up
//! twice, every row has exactly one operation, every operation is final or needs review and
//! agrees with what the simulator executed, and `PRAGMA integrity_check` is clean. On the
//! shop's server: two and then five counters sending overlapping batches at once top every
//! number up once, and a counter killed mid-send is settled by another counter once its lease
//! has run out, without a second request; the server going away mid-batch and coming back
//! sends nothing while it is away and loses nothing.
//!
//! The CLI reads its secret from the OS keychain, so this needs `SALDO_TEST_KEYCHAIN=1` (set by
//! scripts/test.sh with a private gnome-keyring); `SALDO_CRASH_SEED` replays a run's timings.
//! The server tests need `SALDO_TEST_POSTGRES` (also set by scripts/test.sh).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use saldo::domain::TxState;
use saldo::ledger::Ledger;
use saldo::ledger::PgTarget;
use saldo::providers::ProviderKind;
use saldo::providers::rechargekit::partner_request_id as rechargekit_id;
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{Fault, FaultRule, RandomFaults, SimConfig, Simulator, qvatel, rechargekit};

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

    let executed = topped_up_by_number(&sim);
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

fn keychain_available() -> bool {
    if std::env::var_os("SALDO_TEST_KEYCHAIN").is_none() {
        eprintln!(
            "skipped: set SALDO_TEST_KEYCHAIN=1 with a Secret Service (scripts/test.sh does)"
        );
        return false;
    }
    true
}

/// `saldo` as the counter `name` of the shop whose server is `url`, with a data folder of its
/// own under `dir`.
fn counter(dir: &Path, name: &str, url: &str, args: &[&str]) -> Command {
    let mut command = saldo(&dir.join(name), &["--ledger", url, "--terminal", name]);
    command.args(args);
    command
}

/// Opens the shop's server at `url` as a counter of this test, and adds the profile `name`.
fn server_with_profile(
    url: &str,
    dir: &Path,
    name: &str,
    kind: ProviderKind,
    base: &str,
) -> Ledger {
    let target = PgTarget::parse(url).unwrap();
    let ledger = Ledger::open_server(&target, None, &dir.join("setup")).unwrap();
    let mut settings = kind.default_settings();
    settings.request_timeout_secs = 5;
    settings.denominations.clear();
    ledger.add_profile(name, kind, base, &settings).unwrap();
    ledger
}

/// Two counters, then five, each sending its own batch through one server at the same moment;
/// neighbouring batches share half their numbers. The repeat guard is checked inside each
/// recording transaction, so every number is topped up exactly once at the simulator and the
/// other counters' rows for it are refused as a probable double send.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_on_one_server_send_overlapping_batches_and_top_up_each_number_once() {
    if !keychain_available() {
        return;
    }
    let Some(url) = common::server_database() else {
        return;
    };
    let shop = QvatelShop::on(&url, 15).await;
    let (sim, dir, profile, server) = (&shop.sim, &shop.dir, &shop.profile, &shop.server);

    let mut every_number = std::collections::BTreeSet::new();
    for (round, counters) in [(0_u32, 2_u32), (1, 5)] {
        let children: Vec<_> = (0..counters)
            .map(|c| {
                // Counter c sends 30 numbers; the next counter starts 15 numbers further on.
                let mut rows = String::from("number,amount\n");
                for i in 0..30 {
                    let number = format!("5{:07}", 4_000_000 + round * 1000 + c * 15 + i);
                    rows.push_str(&format!("{number},20\n"));
                    every_number.insert(number);
                }
                let file = dir.path().join(format!("round{round}-counter{c}.csv"));
                std::fs::write(&file, rows).unwrap();
                let name = format!("counter-{c}");
                let file = file.to_string_lossy().into_owned();
                let args = ["batch", profile, &file, "--concurrency", "4", "--rate", "0"];
                counter(dir.path(), &name, &url, &args).spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 2)),
                "round {round}: {:?}: {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    let executed = topped_up_by_number(sim);
    let twice: Vec<_> = executed.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "topped up twice: {twice:?}");
    let missing: Vec<_> = every_number
        .iter()
        .filter(|n| !executed.keys().any(|e| e.ends_with(n.as_str())))
        .collect();
    assert!(missing.is_empty(), "never topped up: {missing:?}");
    assert_eq!(executed.len(), every_number.len());
    // The server holds one succeeded operation per number, each by the counter that sent it.
    let operations = server.history_page(None, 1000).unwrap();
    let succeeded: Vec<_> = operations
        .iter()
        .filter(|o| o.state == TxState::Succeeded)
        .collect();
    assert_eq!(succeeded.len(), every_number.len(), "{operations:?}");
    assert_eq!(
        operations.len(),
        every_number.len(),
        "nothing recorded twice"
    );
    assert!(succeeded.iter().all(|o| {
        o.counter
            .as_deref()
            .is_some_and(|c| c.starts_with("counter-"))
    }));
}

/// A counter killed (SIGKILL) while its top-ups are at the provider, which executed them:
/// its operations stay "sending" under its leases; once the leases run out by the server's
/// clock, another counter's reconciler takes them over and settles each by asking the
/// provider — never by sending it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_killed_mid_send_is_settled_by_another_after_its_lease_runs_out() {
    if !keychain_available() {
        return;
    }
    let Some(url) = common::server_database() else {
        return;
    };
    let config = SimConfig {
        hang: Duration::from_secs(30),
        ..SimConfig::default()
    }
    .with_large_balances();
    let sim = Simulator::start(0, config).await.unwrap();
    // The provider executes every top-up, then holds its answer longer than the counter lives.
    sim.inject(FaultRule {
        path: "/recharge/prepaid".into(),
        fault: Fault::TimeoutAfterCommit,
        times: 1000,
    });
    let dir = tempfile::tempdir().unwrap();
    let profile = format!("india-{}", fastrand::u32(..));
    let server = server_with_profile(
        &url,
        dir.path(),
        &profile,
        ProviderKind::Rechargekit,
        &sim.rechargekit_base_url(),
    );
    let keychain = SecretStore::keychain();
    keychain
        .set(&profile, SecretKind::ApiToken, rechargekit::DEMO_API_TOKEN)
        .unwrap();
    let file = dir.path().join("customers.csv");
    let mut rows = String::from("number,amount,operator,circle\n");
    for i in 0..6 {
        rows.push_str(&format!("96798{:05},10,Airtel,West Bengal\n", 500 + i));
    }
    std::fs::write(&file, rows).unwrap();
    let file = file.to_string_lossy().into_owned();

    let mut front = counter(
        dir.path(),
        "front",
        &url,
        &[
            "batch",
            &profile,
            &file,
            "--concurrency",
            "6",
            "--rate",
            "0",
        ],
    );
    front.env("SALDO_LEASE_SECONDS", "4");
    let mut front = front.spawn().unwrap();
    let started = Instant::now();
    while sim.requests_to("/recharge/prepaid").len() < 6 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the batch did not send"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    front.kill().unwrap(); // SIGKILL, mid-send
    front.wait().unwrap();
    let open = server.history_page(None, 100).unwrap();
    assert_eq!(open.len(), 6);
    assert!(open.iter().all(|o| o.state == TxState::Sending), "{open:?}");

    // Before the leases run out, the back office's reconciler leaves them to their owner.
    let early = counter(dir.path(), "back", &url, &["reconcile", "--now"])
        .output()
        .unwrap();
    assert!(matches!(early.status.code(), Some(0 | 3)), "{early:?}");
    let still = server.history_page(None, 100).unwrap();
    assert!(
        still.iter().all(|o| o.state == TxState::Sending),
        "{still:?}"
    );
    // After them (4 s by the server's clock), it settles every one by asking the provider.
    std::thread::sleep(Duration::from_millis(4_500));
    let settled = counter(dir.path(), "back", &url, &["reconcile", "--now"])
        .output()
        .unwrap();
    assert!(matches!(settled.status.code(), Some(0 | 3)), "{settled:?}");
    let done = server.history_page(None, 100).unwrap();
    assert!(
        done.iter().all(|o| o.state == TxState::Succeeded),
        "{done:?}\n{}",
        String::from_utf8_lossy(&settled.stdout)
    );
    // One request per operation at the provider: nothing was sent again.
    let sent = sim.requests_to("/recharge/prepaid");
    assert_eq!(sent.len(), 6);
    for operation in &done {
        let id = rechargekit_id(&operation.reference);
        let requests = sent.iter().filter(|r| r.body.contains(&id)).count();
        assert_eq!(requests, 1, "{}", operation.reference);
        // The settling fact is the back office's.
        let events = server.events(&operation.reference).unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.to_state, TxState::Succeeded);
        assert_eq!(last.counter.as_deref(), Some("back"), "{events:?}");
    }
    keychain.delete(&profile, SecretKind::ApiToken).ok();
}

/// The way from the counters to the test server, which the test can cut: while it is cut,
/// every connection through it is closed and new ones are closed on arrival — what counters
/// see of a server stopped and started again (the server itself rolls back what the closed
/// connections had not committed). The cluster itself is shared by every test of the suite,
/// so it is this path, not the cluster, that is stopped.
struct CuttablePath {
    port: u16,
    up: Arc<AtomicBool>,
    cuts: Arc<AtomicU64>,
}

impl CuttablePath {
    async fn to(upstream: std::net::SocketAddr) -> CuttablePath {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, cuts) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicU64::new(0)));
        let (up_seen, cuts_seen) = (up.clone(), cuts.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up_seen.load(Ordering::SeqCst) {
                    continue; // dropped: closed on arrival
                }
                let (cuts, cut_at_start) = (cuts_seen.clone(), cuts_seen.load(Ordering::SeqCst));
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await else {
                        return;
                    };
                    let cut = async {
                        while cuts.load(Ordering::SeqCst) == cut_at_start {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        () = cut => {}
                    }
                });
            }
        });
        CuttablePath { port, up, cuts }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.fetch_add(1, Ordering::SeqCst);
    }

    fn mend(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// The shop's server goes away in the middle of a batch and comes back: while it is away no
/// top-up reaches the provider (only those already recorded and on their way finish), the
/// outcomes learned meanwhile are kept on the counter and written when it is back, and the
/// batch resumed afterwards tops every number up exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_going_away_mid_batch_sends_nothing_meanwhile_and_loses_nothing() {
    if !keychain_available() {
        return;
    }
    let Some(url) = common::server_database() else {
        return;
    };
    let parsed = url::Url::parse(&url).unwrap();
    let upstream = std::net::SocketAddr::new(
        parsed.host_str().unwrap().parse().unwrap(),
        parsed.port().unwrap(),
    );
    let path = CuttablePath::to(upstream).await;
    let mut through = parsed.clone();
    through.set_port(Some(path.port)).unwrap();
    let through = through.to_string();

    let shop = QvatelShop::on(&url, 40).await;
    let (sim, dir, profile, server) = (&shop.sim, &shop.dir, &shop.profile, &shop.server);
    const ROWS_HERE: usize = 150;
    let file = dir.path().join("numbers.csv");
    let mut rows = String::from("number,amount\n");
    for i in 0..ROWS_HERE {
        rows.push_str(&format!("5{:07},20\n", 6_000_000 + i));
    }
    std::fs::write(&file, rows).unwrap();
    let file = file.to_string_lossy().into_owned();
    let executed = || sim.with_state(|s| s.qvatel.recharges.len());

    let args = ["batch", profile, &file, "--concurrency", "4", "--rate", "0"];
    let front = counter(dir.path(), "front", &through, &args)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while executed() < 30 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the batch did not send"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    path.cut();
    // What was recorded and on its way finishes; after that, nothing reaches the provider.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let settled_down = executed();
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    assert_eq!(
        executed(),
        settled_down,
        "a top-up was sent while the server was away"
    );
    assert!(settled_down < ROWS_HERE, "the batch was cut off part-way");
    path.mend();
    let out = tokio::task::spawn_blocking(move || front.wait_with_output().unwrap())
        .await
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "the batch while the server went away: {:?} {said}",
        out.status
    );

    // Resumed (as the clerk is told) once the server is back.
    let resume = [
        "batch",
        "--resume",
        "1",
        "--concurrency",
        "4",
        "--rate",
        "0",
    ];
    let out = counter(dir.path(), "front", &through, &resume)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{:?}: {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let done = topped_up_by_number(sim);
    let twice: Vec<_> = done.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "topped up twice: {twice:?}");
    assert_eq!(done.len(), ROWS_HERE, "every number once");
    let operations = server.history_page(None, 1000).unwrap();
    assert_eq!(operations.len(), ROWS_HERE, "one operation per row");
    let open: Vec<_> = operations
        .iter()
        .filter(|o| o.state != TxState::Succeeded)
        .collect();
    assert!(open.is_empty(), "not settled: {open:?}");
    let kept = std::fs::read_dir(dir.path().join("front").join("outbox"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert_eq!(kept, 0, "every outcome kept meanwhile was written");
}

/// How many times the simulator topped each QvaTel number up.
fn topped_up_by_number(sim: &Simulator) -> HashMap<String, usize> {
    sim.with_state(|s| {
        let mut by_number: HashMap<String, usize> = HashMap::new();
        for r in &s.qvatel.recharges {
            *by_number.entry(r.destino.clone()).or_default() += 1;
        }
        by_number
    })
}

/// A shop on the server at `url` with one QvaTel profile on a simulator answering after
/// `latency_ms`, its token in the keychain (removed when the shop is dropped).
struct QvatelShop {
    sim: Simulator,
    dir: tempfile::TempDir,
    profile: String,
    server: Ledger,
}

impl QvatelShop {
    async fn on(url: &str, latency_ms: u64) -> QvatelShop {
        let config = SimConfig {
            random: RandomFaults {
                latency_ms,
                ..RandomFaults::default()
            },
            ..SimConfig::default()
        }
        .with_large_balances();
        let sim = Simulator::start(0, config).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let profile = format!("shop-{}", fastrand::u32(..));
        let server = server_with_profile(
            url,
            dir.path(),
            &profile,
            ProviderKind::Qvatel,
            &sim.qvatel_base_url(),
        );
        SecretStore::keychain()
            .set(&profile, SecretKind::ApiToken, qvatel::DEMO_TOKEN)
            .unwrap();
        QvatelShop {
            sim,
            dir,
            profile,
            server,
        }
    }
}

impl Drop for QvatelShop {
    fn drop(&mut self) {
        SecretStore::keychain()
            .delete(&self.profile, SecretKind::ApiToken)
            .ok();
    }
}
