//! How long one journal-first top-up takes at the counter, end to end: three committed ledger
//! writes (`synchronous=FULL`), the send and the status check over HTTP on 127.0.0.1 against
//! the in-process simulator. Run: `cargo bench --bench topup -- 300` (the count is optional);
//! add `--logged` to write the log file as the app does (every request and reply at the default
//! level, each line redacted).

use std::sync::Arc;
use std::time::{Duration, Instant};

use saldo::domain::TxState;
use saldo::engine::{Engine, EngineOptions, TopUpOrder};
use saldo::ledger::Ledger;
use saldo::providers::ProviderKind;
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{SimConfig, Simulator, qvatel};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    if std::env::args().any(|a| a == "--logged") {
        saldo::logging::init(&saldo::logging::LogSetup {
            data_dir: Some(dir.path().to_path_buf()),
            stderr_verbosity: 0,
        })
        .expect("the log file opens");
    }
    let mut times = runtime.block_on(async {
        let mut config = SimConfig::default();
        for account in config.qvatel.accounts.values_mut() {
            account.balance_cents = i64::MAX / 2;
        }
        let sim = Simulator::start(0, config).await.expect("simulator");
        let ledger = Ledger::open_in(dir.path()).expect("ledger");
        let kind = ProviderKind::Qvatel;
        ledger
            .add_profile(
                "bench",
                kind,
                &sim.qvatel_base_url(),
                &kind.default_settings(),
            )
            .expect("profile");
        let secrets = SecretStore::in_memory();
        secrets
            .set("bench", SecretKind::ApiToken, qvatel::DEMO_TOKEN)
            .expect("secret");
        let engine = Engine::new(
            Arc::new(ledger),
            Arc::new(secrets),
            EngineOptions::default(),
        );
        // The same sale over and over: past the repeat guard on purpose.
        let order = TopUpOrder {
            confirm_repeat: true,
            ..TopUpOrder::new("bench", "52942387", "20")
        };
        let mut times = Vec::with_capacity(count);
        for _ in 0..count {
            let start = Instant::now();
            let row = engine.top_up(&order).await.expect("top-up");
            times.push(start.elapsed());
            assert_eq!(row.state, TxState::Succeeded);
        }
        assert_eq!(sim.with_state(|s| s.qvatel.recharges.len()), count);
        times
    });
    times.sort();
    let total: Duration = times.iter().sum();
    println!(
        "journal-first top-up, {count} in a row (3 fsynced commits + send + status over loopback):"
    );
    println!(
        "  p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms   mean {:.2} ms",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / count as f64
    );
}
