//! Export of a 1,000,000-operation ledger to CSV by `saldo export` against `sqlite3 -csv`
//! reading the same columns from the same file (targets: no slower, under 64 MB peak memory).
//! Both run as processes under `/usr/bin/time`, which reports wall time and peak memory.
//! Run: `cargo bench --bench export -- 1000000`. On the shop's server
//! (`scripts/with-postgres.sh cargo bench --bench export -- 1000000`) the same ledger is moved
//! onto it and `saldo --ledger URL export` is measured against `psql -c "\copy (SELECT …) to
//! stdout csv"` of the same columns (target: <= 1.2x, constant memory).

mod common;

use std::process::Command;

use saldo::demo::{DEFAULT_SIM_BASE, demo_profiles, ensure_demo_profile};
use saldo::ledger::Ledger;

/// Runs a command under `/usr/bin/time`, three times; returns the best wall time (s) and the
/// largest peak memory (MB).
fn measure(program: &str, args: &[&str]) -> (f64, f64) {
    let mut best = f64::MAX;
    let mut peak = 0.0f64;
    for _ in 0..3 {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%e %M", program])
            .args(args)
            .stdout(std::process::Stdio::null())
            .output()
            .expect("/usr/bin/time runs (Debian package: time)");
        assert!(out.status.success(), "{program}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        let mut parts = last.split_whitespace();
        let seconds: f64 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::MAX);
        let kb: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
        best = best.min(seconds);
        peak = peak.max(kb / 1024.0);
    }
    (best, peak)
}

fn main() {
    let rows = common::count_arg(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let ledger = Ledger::open_in(dir.path()).expect("ledger");
        for demo in demo_profiles(DEFAULT_SIM_BASE) {
            ensure_demo_profile(&ledger, &demo).expect("profile");
        }
        ledger.fill_demo_history(rows, 7).expect("demo history");
    }
    let db = dir.path().join(saldo::ledger::FILE_NAME);
    let db = db.to_string_lossy();
    let out = dir.path().join("export.csv");
    let out = out.to_string_lossy();
    let data = dir.path().to_string_lossy();
    let saldo = env!("CARGO_BIN_EXE_saldo");
    let (ours, our_mb) = measure(saldo, &["--data-dir", &data, "export", "--out", &out]);
    if let Some(admin) = common::server() {
        on_server(&admin, &dir.path().join(saldo::ledger::FILE_NAME), rows);
        return;
    }
    let sql = "SELECT t.reference, t.created_at, t.kind, p.name, p.provider, t.destination, \
               t.amount_minor, t.unit, t.state, t.provider_ref, t.provider_message, t.updated_at \
               FROM transactions t JOIN profiles p ON p.id = t.profile_id \
               ORDER BY t.created_at, t.id";
    let (theirs, their_mb) = measure("sqlite3", &["-csv", "-readonly", &db, sql]);
    assert_eq!(rows_in(&out), rows);
    println!("export of {rows} operations (best of 3):");
    println!("  saldo export   {ours:.2} s, peak {our_mb:.1} MB");
    println!("  sqlite3 -csv   {theirs:.2} s, peak {their_mb:.1} MB");
    println!(
        "  ratio {:.2}x its time (target <= 1.0), peak {our_mb:.1} MB (target <= 64)",
        ours / theirs
    );
}

/// How many rows a CSV file holds under its header.
fn rows_in(csv: &str) -> usize {
    std::fs::read_to_string(csv)
        .expect("export")
        .lines()
        .count()
        - 1
}

/// The export from the shop's server, against psql's `\copy` of the same stored columns.
fn on_server(admin: &str, file: &std::path::Path, rows: usize) {
    let url = common::fresh_database(admin);
    let target = saldo::ledger::PgTarget::parse(&url).expect("address");
    let counter = file.with_file_name("counter");
    let server = Ledger::open_server(&target, None, &counter).expect("the server opens");
    server.copy_from(file).expect("copied onto the server");
    drop(server);
    let mut analyse = saldo::ledger::db::connect_postgres(&target, None).unwrap();
    analyse.sql().batch("ANALYZE").unwrap();
    let out = counter.join("export.csv");
    let out = out.to_string_lossy();
    let data = counter.to_string_lossy();
    let saldo = env!("CARGO_BIN_EXE_saldo");
    let (ours, our_mb) = measure(
        saldo,
        &[
            "--data-dir",
            &data,
            "--ledger",
            &url,
            "export",
            "--out",
            &out,
        ],
    );
    let copy = "\\copy (SELECT t.reference, t.created_at, t.kind, p.name, p.provider, \
                t.destination, t.amount_minor, t.unit, t.state, t.provider_ref, \
                t.provider_message, t.updated_at FROM transactions t \
                JOIN profiles p ON p.id = t.profile_id ORDER BY t.created_at, t.id) \
                TO STDOUT CSV";
    // psql takes the address without saldo's own parameters.
    let psql_url = url.split('?').next().unwrap_or(&url).to_string();
    let (theirs, their_mb) = measure("psql", &["-X", "-q", &psql_url, "-c", copy]);
    assert_eq!(rows_in(&out), rows);
    println!("export of {rows} operations from the shop's server (best of 3):");
    println!("  saldo export     {ours:.2} s, peak {our_mb:.1} MB");
    println!("  psql \\copy csv   {theirs:.2} s, peak {their_mb:.1} MB");
    println!(
        "  ratio {:.2}x its time (target <= 1.2), peak {our_mb:.1} MB",
        ours / theirs
    );
}
