//! Throughput of `saldo batch` (2,000 top-ups, 32 at once, 100 ms simulated provider latency,
//! a real ledger file with every state change committed) against a bare reqwest loop making the
//! same calls (send, then status) at the same concurrency with no ledger (target: >= 0.9x).
//! Run: `cargo bench --bench batch -- 2000`.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use saldo::engine::batch_file::read_batch;
use saldo::engine::{BatchRun, Engine, EngineOptions};
use saldo::ledger::Ledger;
use saldo::providers::ProviderKind;
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{RandomFaults, SimConfig, Simulator, qvatel};

const CONCURRENCY: usize = 32;

async fn simulator() -> Simulator {
    let config = SimConfig {
        random: RandomFaults {
            latency_ms: 100,
            ..RandomFaults::default()
        },
        ..SimConfig::default()
    }
    .with_large_balances();
    Simulator::start(0, config).await.expect("simulator")
}

fn numbers(rows: usize, first: usize) -> Vec<String> {
    (0..rows).map(|i| format!("5{:07}", first + i)).collect()
}

async fn with_saldo(rows: usize) -> Duration {
    let sim = simulator().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = Ledger::open_in(dir.path()).expect("ledger");
    let profile = ledger
        .add_profile(
            "cuba",
            ProviderKind::Qvatel,
            &sim.qvatel_base_url(),
            &ProviderKind::Qvatel.default_settings(),
        )
        .expect("profile");
    let secrets = SecretStore::in_memory();
    secrets
        .set("cuba", SecretKind::ApiToken, qvatel::DEMO_TOKEN)
        .expect("secret");
    let mut file = String::from("number,amount\n");
    for number in numbers(rows, 1_000_000) {
        file.push_str(&format!("{number},20\n"));
    }
    let lists = ledger.topup_lists(&profile).expect("lists");
    let batch_rows = read_batch(file.as_bytes(), &profile, &lists).expect("rows");
    let id = ledger
        .create_batch(profile.id, "bench.csv", false, "bench", true, &batch_rows)
        .expect("batch");
    let engine = Engine::new(
        Arc::new(ledger),
        Arc::new(secrets),
        EngineOptions::default(),
    );
    let run = BatchRun {
        concurrency: CONCURRENCY,
        per_second: 0,
    };
    let start = Instant::now();
    let done = engine
        .run_batch(id, run, Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .expect("batch runs");
    let took = start.elapsed();
    let succeeded = done
        .iter()
        .filter(|r| r.operation.as_ref().is_some_and(|o| o.state.is_final()))
        .count();
    assert_eq!(succeeded, rows);
    took
}

async fn bare(rows: usize) -> Duration {
    let sim = simulator().await;
    let base = sim.qvatel_base_url();
    let client = reqwest::Client::new();
    let start = Instant::now();
    futures_util::stream::iter(numbers(rows, 3_000_000))
        .map(|number| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let form = [
                    ("api_token", qvatel::DEMO_TOKEN),
                    ("destino", number.as_str()),
                    ("monto", "20"),
                ];
                let reply: serde_json::Value = client
                    .post(format!("{base}/recharge/send"))
                    .form(&form)
                    .send()
                    .await
                    .expect("send")
                    .json()
                    .await
                    .expect("json");
                let id = reply["id_recarga"]
                    .to_string()
                    .trim_matches('"')
                    .to_string();
                let status = client
                    .get(format!("{base}/recharge/status"))
                    .query(&[("api_token", qvatel::DEMO_TOKEN), ("id_recarga", &id)])
                    .send()
                    .await
                    .expect("status");
                assert!(status.status().is_success());
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
    start.elapsed()
}

fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ours = runtime.block_on(with_saldo(rows));
    let theirs = runtime.block_on(bare(rows));
    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    println!("{rows} top-ups, {CONCURRENCY} at once, 100 ms provider latency:");
    println!(
        "  saldo batch (ledger, journal-first)  {:.2} s  {:.0} top-ups/s",
        ours.as_secs_f64(),
        rate(ours)
    );
    println!(
        "  bare reqwest loop (no ledger)        {:.2} s  {:.0} top-ups/s",
        theirs.as_secs_f64(),
        rate(theirs)
    );
    println!(
        "  throughput ratio {:.2}x (target >= 0.9)",
        rate(ours) / rate(theirs)
    );
}
