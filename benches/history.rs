//! How long the History panel waits for one filtered page of 50 rows on a 1,000,000-operation
//! ledger (target: under 20 ms). Run: `cargo bench --bench history -- 1000000`; on the shop's
//! server: `scripts/with-postgres.sh cargo bench --bench history -- 1000000` (the demo ledger is
//! filled on SQLite and moved onto the server by `saldo ledger copy`'s code, which is timed too).

mod common;

use std::time::{Duration, Instant};

use saldo::demo::{DEFAULT_SIM_BASE, demo_profiles, ensure_demo_profile};
use saldo::domain::TxState;
use saldo::ledger::{HistoryCursor, HistoryFilter, Ledger};

fn time(ledger: &Ledger, filter: &HistoryFilter, deep: bool) -> (Duration, Duration) {
    // A deep page starts 10,000 rows in, as after scrolling.
    let cursor = if deep {
        let skip = ledger.history_page_filtered(filter, None, 10_000).unwrap();
        skip.last().map(HistoryCursor::after)
    } else {
        None
    };
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            let page = ledger.history_page_filtered(filter, cursor, 50).unwrap();
            let took = start.elapsed();
            assert!(!page.is_empty());
            took
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

fn main() {
    let rows = common::count_arg(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ledger = Ledger::open_in(dir.path()).expect("ledger");
    for demo in demo_profiles(DEFAULT_SIM_BASE) {
        ensure_demo_profile(&ledger, &demo).expect("profile");
    }
    let start = Instant::now();
    ledger.fill_demo_history(rows, 42).expect("demo history");
    println!(
        "filled {rows} operations in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    if let Some(admin) = common::server() {
        let url = common::fresh_database(&admin);
        let target = saldo::ledger::PgTarget::parse(&url).expect("address");
        let server = Ledger::open_server(&target, None, &dir.path().join("counter")).unwrap();
        let start = Instant::now();
        let copied = server
            .copy_from(ledger.path())
            .expect("copied onto the server");
        println!(
            "copied {} operations onto the server in {:.1} s; the pages below are read there",
            copied.merged.operations_added,
            start.elapsed().as_secs_f64()
        );
        let mut analyse = saldo::ledger::db::connect_postgres(&target, None).unwrap();
        analyse.sql().batch("ANALYZE").unwrap();
        ledger = server;
    }
    let newest = ledger.history_page(None, 1).unwrap();
    let number = newest[0].destination.clone();
    let week_ago = newest[0].created_at - 7 * 86_400_000;
    let filters = [
        ("no filter", HistoryFilter::default()),
        (
            "state = unknown",
            HistoryFilter {
                state: Some(TxState::Unknown),
                ..Default::default()
            },
        ),
        (
            "profile = demo-india",
            HistoryFilter {
                profile: Some("demo-india".into()),
                ..Default::default()
            },
        ),
        (
            "last 7 days",
            HistoryFilter {
                from_ms: Some(week_ago),
                ..Default::default()
            },
        ),
        (
            "profile + state",
            HistoryFilter {
                profile: Some("demo-cuba".into()),
                state: Some(TxState::Failed),
                ..Default::default()
            },
        ),
    ];
    println!("page of 50 rows, 200 runs each: median / worst");
    for (name, filter) in &filters {
        let (first_median, first_worst) = time(&ledger, filter, false);
        let (deep_median, deep_worst) = time(&ledger, filter, true);
        println!(
            "  {name:<22} first page {:.2} / {:.2} ms   10,000 rows in {:.2} / {:.2} ms",
            first_median.as_secs_f64() * 1e3,
            first_worst.as_secs_f64() * 1e3,
            deep_median.as_secs_f64() * 1e3,
            deep_worst.as_secs_f64() * 1e3
        );
    }
    let by_number = HistoryFilter {
        destination: Some(number),
        ..Default::default()
    };
    let start = Instant::now();
    let page = ledger.history_page_filtered(&by_number, None, 50).unwrap();
    println!(
        "  {:<22} first page {:.2} ms ({} rows)",
        "one number",
        start.elapsed().as_secs_f64() * 1e3,
        page.len()
    );
}
