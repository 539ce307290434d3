//! CPU time of one frame of the History panel over a large ledger against a small one (target:
//! ≤ 1.2× and under 4 ms in release). The real app runs in egui_kittest (layout, no GPU) over
//! the demo simulator; the table is scrolled by the mouse wheel every frame, down then up through
//! the same few hundred rows, so each frame lays out new rows and pages are read and dropped as
//! they come and go. Run: `cargo bench --bench frame -- 1000 1000000`.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use saldo::demo::{DEFAULT_SIM_BASE, demo_profiles, ensure_demo_profile};
use saldo::ledger::Ledger;
use saldo::ui::{Panel, SaldoApp, Services};

/// CPU time used by this thread so far.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill in.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Median and 95th percentile CPU time per frame while scrolling the history of `rows`.
fn frame_times(rows: usize) -> (Duration, Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo_dir = dir.path();
    {
        let ledger = Ledger::open_in(demo_dir).expect("ledger");
        for demo in demo_profiles(DEFAULT_SIM_BASE) {
            ensure_demo_profile(&ledger, &demo).expect("profile");
        }
        let start = Instant::now();
        ledger.fill_demo_history(rows, 42).expect("history");
        eprintln!(
            "filled {rows} rows in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    let services = Services::demo_in(demo_dir).expect("services");
    let mut harness = Harness::builder()
        .with_size([1100.0, 720.0])
        .build_eframe(|cc| SaldoApp::new(cc, services));
    harness.state_mut().show_panel(Panel::History);
    let start = Instant::now();
    while harness.query_by_label_contains("operations").is_none() || harness.state().is_busy() {
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "history never loaded"
        );
    }
    harness.state_mut().dismiss_notifications();
    harness.run_steps(10);
    // Point at the table, then scroll a few rows down every frame.
    let table = harness
        .get_all_by_label_contains("SAL-")
        .next()
        .expect("a history row on screen")
        .rect()
        .center();
    harness.hover_at(table);
    let mut times = Vec::new();
    for frame in 0..1_200 {
        // Down for 100 frames, up for 100: both ledgers scroll through the same few hundred
        // rows (a small ledger would otherwise hit its end and stop laying out new rows).
        let down = (frame / 100) % 2 == 0;
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, if down { -3.0 } else { 3.0 }),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        let before = thread_cpu();
        harness.step();
        let took = thread_cpu() - before;
        if frame >= 200 {
            times.push(took);
        }
        // Let the page reads land, as they would between frames of a real window.
        std::thread::sleep(Duration::from_millis(2));
    }
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 1_000_000]
    } else {
        sizes
    };
    let mut medians = Vec::new();
    for rows in &sizes {
        let (median, p95) = frame_times(*rows);
        println!(
            "history, {rows:>9} rows: {:.3} ms per frame (median), {:.3} ms (95th percentile)",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
        medians.push(median);
    }
    if let [small, .., large] = medians.as_slice() {
        println!(
            "ratio large/small: {:.2}× (target ≤ 1.2×)",
            large.as_secs_f64() / small.as_secs_f64()
        );
    }
}
