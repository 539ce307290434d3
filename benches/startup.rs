//! The window's cold start to its first frame with a 1,000,000-operation ledger against an
//! empty one (target: ≤ 1.1× and under 0.5 s), and the CPU it uses while open and idle (target:
//! under 1 % of a core). Needs a display: `xvfb-run -a cargo bench --bench startup`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use saldo::demo::{DEFAULT_SIM_BASE, demo_profiles, ensure_demo_profile};
use saldo::ledger::Ledger;

const SALDO: &str = env!("CARGO_BIN_EXE_saldo");

/// A real shop's data folder with `rows` operations (and the demo's profiles, without secrets).
fn data_dir(rows: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = Ledger::open_in(dir.path()).expect("ledger");
    for demo in demo_profiles(DEFAULT_SIM_BASE) {
        ensure_demo_profile(&ledger, &demo).expect("profile");
    }
    ledger.fill_demo_history(rows, 42).expect("history");
    dir
}

/// Wall time from starting `saldo` to its first frame.
fn first_frame(dir: &Path) -> Duration {
    let start = Instant::now();
    let mut child = Command::new(SALDO)
        .arg("--data-dir")
        .arg(dir)
        .env("SALDO_BENCH_FIRST_FRAME", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("saldo starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let seen = lines.any(|l| l.is_ok_and(|l| l.contains("first frame drawn")));
    let took = start.elapsed();
    let _ = child.wait();
    assert!(seen, "saldo drew no frame: is there a display (xvfb-run)?");
    took
}

fn median_first_frame(dir: &Path) -> Duration {
    first_frame(dir); // warms the file cache, as for any program started twice
    let mut times: Vec<Duration> = (0..9).map(|_| first_frame(dir)).collect();
    times.sort();
    times[times.len() / 2]
}

/// CPU ticks (user + system) a process has used, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("proc stat");
    let after_name = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0)
}

/// A shop whose operations all have a final outcome: nothing for the reconciler to follow.
fn settled_data_dir(rows: usize) -> tempfile::TempDir {
    let dir = data_dir(rows);
    let conn = rusqlite::Connection::open(dir.path().join(saldo::ledger::FILE_NAME)).expect("db");
    conn.execute(
        "UPDATE transactions SET state = 'failed' WHERE state IN ('pending', 'unknown')",
        [],
    )
    .expect("settle");
    dir
}

/// Share of one core the open window uses when nobody touches it, started with `args`.
fn idle_cpu(dir: &Path, args: &[&str]) -> f64 {
    let mut child = Command::new(SALDO)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("saldo starts");
    // Start-up work and the first notifications pass.
    std::thread::sleep(Duration::from_secs(15));
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let (before, start) = (cpu_ticks(child.id()), Instant::now());
    std::thread::sleep(Duration::from_secs(30));
    let used = (cpu_ticks(child.id()) - before) as f64 / ticks_per_second;
    let share = used / start.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    share
}

fn main() {
    let empty = data_dir(0);
    let large = data_dir(1_000_000);
    let small_time = median_first_frame(empty.path());
    let large_time = median_first_frame(large.path());
    println!(
        "first frame, empty ledger:     {:.0} ms",
        small_time.as_secs_f64() * 1e3
    );
    println!(
        "first frame, 1,000,000 rows:   {:.0} ms",
        large_time.as_secs_f64() * 1e3
    );
    println!(
        "ratio: {:.2}× (target ≤ 1.1×, both under 500 ms)",
        large_time.as_secs_f64() / small_time.as_secs_f64()
    );
    let shop = settled_data_dir(100_000);
    println!(
        "idle CPU, a shop's window (100,000 settled operations), nothing happening: {:.2} % of a core",
        idle_cpu(shop.path(), &[]) * 100.0
    );
    let demo = tempfile::tempdir().expect("temp dir");
    println!(
        "idle CPU, the demo (its reconciler following the demo's open operations): {:.2} % of a core",
        idle_cpu(demo.path(), &["--demo"]) * 100.0
    );
}
