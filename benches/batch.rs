//! Throughput of `saldo batch` (2,000 top-ups, 32 at once, 100 ms simulated provider latency,
//! a real ledger file with every state change committed) against a bare reqwest loop making the
//! same calls (send, then status) at the same concurrency with no ledger (target: >= 0.9x).
//! Run: `cargo bench --bench batch -- 2000`.
//!
//! With a server (`--server URL`, or `scripts/with-postgres.sh cargo bench --bench batch --
//! 2000`): four counters, each its own ledger connection and lease keeper, each sending its own
//! batch of 2,000 at 8 at once through the one server, against the same 8,000 top-ups on one
//! SQLite counter at 32 at once and a bare loop at 32 (target: >= 0.9x the bare loop).

mod common;

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

/// A counter ready to send its batch of `rows` numbers from `first` on, through `ledger`
/// (whose profile "cuba" points at `sim`, added if missing).
fn counter_with_batch(ledger: Ledger, sim: &Simulator, rows: usize, first: usize) -> (Engine, i64) {
    let profile = match ledger.profile("cuba") {
        Ok(profile) => profile,
        Err(_) => ledger
            .add_profile(
                "cuba",
                ProviderKind::Qvatel,
                &sim.qvatel_base_url(),
                &ProviderKind::Qvatel.default_settings(),
            )
            .expect("profile"),
    };
    let secrets = SecretStore::in_memory();
    secrets
        .set("cuba", SecretKind::ApiToken, qvatel::DEMO_TOKEN)
        .expect("secret");
    let mut file = String::from("number,amount\n");
    for number in numbers(rows, first) {
        file.push_str(&format!("{number},20\n"));
    }
    let lists = ledger.topup_lists(&profile).expect("lists");
    let batch_rows = read_batch(file.as_bytes(), &profile, &lists).expect("rows");
    let name = format!("bench-{first}.csv");
    let id = ledger
        .create_batch(profile.id, &name, false, &name, true, &batch_rows)
        .expect("batch");
    let engine = Engine::new(
        Arc::new(ledger),
        Arc::new(secrets),
        EngineOptions::default(),
    );
    (engine, id)
}

/// Runs the batch `id` at `concurrency`; checks every row ended.
async fn send_batch(engine: Engine, id: i64, rows: usize, concurrency: usize) {
    let run = BatchRun {
        concurrency,
        per_second: 0,
    };
    let done = engine
        .run_batch(id, run, Arc::new(AtomicBool::new(false)), |_| {})
        .await
        .expect("batch runs");
    let settled = done
        .iter()
        .filter(|r| r.operation.as_ref().is_some_and(|o| o.state.is_final()))
        .count();
    assert_eq!(settled, rows);
}

async fn with_saldo(rows: usize, concurrency: usize) -> Duration {
    let sim = simulator().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = Ledger::open_in(dir.path()).expect("ledger");
    let (engine, id) = counter_with_batch(ledger, &sim, rows, 1_000_000);
    let start = Instant::now();
    send_batch(engine, id, rows, concurrency).await;
    start.elapsed()
}

/// `counters` counters on the server at `url`, each sending its own `rows` at `concurrency`,
/// all at once.
async fn on_server(url: &str, counters: usize, rows: usize, concurrency: usize) -> Duration {
    let sim = simulator().await;
    let target = saldo::ledger::PgTarget::parse(url).expect("address");
    let dirs: Vec<_> = (0..counters)
        .map(|_| tempfile::tempdir().expect("temp dir"))
        .collect();
    let ready: Vec<(Engine, i64)> = dirs
        .iter()
        .enumerate()
        .map(|(c, dir)| {
            let ledger = Ledger::open_server_as(&target, None, dir.path(), Some(&format!("c{c}")))
                .expect("the server opens");
            counter_with_batch(ledger, &sim, rows, 1_000_000 + c * rows)
        })
        .collect();
    let start = Instant::now();
    let sends: Vec<_> = ready
        .into_iter()
        .map(|(engine, id)| tokio::spawn(send_batch(engine, id, rows, concurrency)))
        .collect();
    for send in sends {
        send.await.expect("a counter's batch");
    }
    let took = start.elapsed();
    let executed = sim.with_state(|s| s.qvatel.recharges.len());
    assert_eq!(executed, counters * rows, "every top-up once");
    let mut paths: std::collections::BTreeMap<String, usize> = Default::default();
    for request in sim.requests() {
        *paths.entry(request.path).or_default() += 1;
    }
    println!("  provider requests on the server run: {paths:?}");
    let mut conn = saldo::ledger::db::connect_postgres(&target, None).expect("server");
    let (commits, rollbacks): (i64, i64) = conn
        .sql()
        .row(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database
             WHERE datname = current_database()",
            &[],
            |r| Ok::<_, saldo::ledger::db::DbError>((r.get(0)?, r.get(1)?)),
        )
        .expect("statistics")
        .expect("this database");
    println!("  server transactions: {commits} committed, {rollbacks} rolled back");
    took
}

async fn bare(rows: usize, concurrency: usize) -> Duration {
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
        .buffer_unordered(concurrency)
        .collect::<Vec<()>>()
        .await;
    start.elapsed()
}

fn main() {
    let rows = common::count_arg(2_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    if let Some(admin) = common::server() {
        let (counters, each) = (4, 8);
        let all = counters * rows;
        let url = common::fresh_database(&admin);
        let server = runtime.block_on(on_server(&url, counters, rows, each));
        let file = runtime.block_on(with_saldo(all, counters * each));
        let theirs = runtime.block_on(bare(all, counters * each));
        println!(
            "{counters} counters x {rows} top-ups, {each} at once each, 100 ms provider latency:"
        );
        for (what, took) in [
            ("four counters, one server", server),
            ("one SQLite counter, 32 at once", file),
            ("bare reqwest loop, 32 at once", theirs),
        ] {
            println!(
                "  {what:<32} {:.2} s  {:.0} top-ups/s",
                took.as_secs_f64(),
                rate(all, took)
            );
        }
        println!(
            "  server / bare loop {:.2}x, SQLite / bare loop {:.2}x (target >= 0.9)",
            rate(all, server) / rate(all, theirs),
            rate(all, file) / rate(all, theirs)
        );
        return;
    }
    let ours = runtime.block_on(with_saldo(rows, CONCURRENCY));
    let theirs = runtime.block_on(bare(rows, CONCURRENCY));
    println!("{rows} top-ups, {CONCURRENCY} at once, 100 ms provider latency:");
    println!(
        "  saldo batch (ledger, journal-first)  {:.2} s  {:.0} top-ups/s",
        ours.as_secs_f64(),
        rate(rows, ours)
    );
    println!(
        "  bare reqwest loop (no ledger)        {:.2} s  {:.0} top-ups/s",
        theirs.as_secs_f64(),
        rate(rows, theirs)
    );
    println!(
        "  throughput ratio {:.2}x (target >= 0.9)",
        rate(rows, ours) / rate(rows, theirs)
    );
}
