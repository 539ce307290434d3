//! Snapshot images of every panel in both themes, drawn by wgpu on the software adapter and
//! compared with the images committed under `docs/screenshots/{light,dark}/` (refresh them
//! with `UPDATE_SNAPSHOTS=1`, then look at them). The demo data are made deterministic first:
//! the history's times are moved so the newest operation is at a fixed instant, notifications
//! are dismissed and nothing is loading.

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::SnapshotOptions;
use egui_kittest::kittest::Queryable;
use saldo::domain::jalali::JalaliDate;

use super::support::*;

/// The one place the comparison thresholds are set: a pixel may differ by the default colour
/// distance (anti-aliasing across software rasterizers), and at most this many pixels may.
fn snapshot_options(theme: egui::Theme) -> SnapshotOptions {
    let folder = match theme {
        egui::Theme::Light => "light",
        egui::Theme::Dark => "dark",
    };
    SnapshotOptions::new()
        .threshold(0.6)
        .max_failed_pixels(8)
        .output_path(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs/screenshots")
                .join(folder),
        )
}

/// 2026-11-26 15:00 UTC: where the newest demo operation is moved to.
const PINNED_NEWEST_MS: i64 = 1_795_705_200_000;

/// Moves every stored time so the newest operation is at [`PINNED_NEWEST_MS`] (and the day in
/// each reference with it: references carry the day they were made), and puts each
/// operation's events one second apart after it (the reconciler's checks happen at whatever
/// moment the test runs). The event log is append-only; on this throw-away ledger its guard is
/// lifted for the move and put back.
fn pin_times(harness: &App) {
    let path = harness
        .state()
        .services()
        .engine
        .ledger()
        .path()
        .to_path_buf();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let newest: i64 = conn
        .query_row("SELECT MAX(created_at) FROM transactions", [], |r| r.get(0))
        .unwrap();
    let shift = newest - PINNED_NEWEST_MS;
    conn.execute_batch(&format!(
        "BEGIN;
         DROP TRIGGER transaction_events_no_update;
         UPDATE transactions SET created_at = created_at - {shift},
             updated_at = updated_at - {shift},
             send_deadline_at = send_deadline_at - {shift};
         UPDATE transactions SET reference = 'SAL-'
             || strftime('%Y%m%d', created_at / 1000, 'unixepoch') || substr(reference, 13);
         UPDATE transaction_events SET at = 1000 * (
             SELECT COUNT(*) FROM transaction_events e
             WHERE e.transaction_id = transaction_events.transaction_id
               AND e.id < transaction_events.id)
           + (SELECT t.created_at FROM transactions t
              WHERE t.id = transaction_events.transaction_id);
         UPDATE transactions SET updated_at = created_at + 1000 * ((
             SELECT COUNT(*) FROM transaction_events e
             WHERE e.transaction_id = transactions.id) - 1);
         CREATE TRIGGER transaction_events_no_update BEFORE UPDATE ON transaction_events
             BEGIN SELECT RAISE(ABORT, 'transaction events are append-only'); END;
         COMMIT;"
    ))
    .unwrap();
}

/// Frames until nothing loads, then without notifications and a blinking cursor.
fn settle(harness: &mut App) {
    run_until(harness, "the window to settle", |h| !h.state().is_busy());
    harness.state_mut().dismiss_notifications();
    harness
        .ctx
        .all_styles_mut(|style| style.visuals.text_cursor.blink = false);
    harness.run_steps(8);
}

fn snapshot(harness: &mut App, name: &str) {
    settle(harness);
    let theme = harness.ctx.theme();
    harness.snapshot_options(name, &snapshot_options(theme));
}

/// The demo after its first reconciler pass (which settles or flags the demo's open rows).
fn settled_demo(dir: &std::path::Path, theme: egui::Theme) -> App {
    let mut harness = demo_app_rendered(dir, theme);
    wait_for(&mut harness, "15.00 USD");
    run_until(&mut harness, "the first reconcile", |h| {
        h.query_all_by_label_contains("Needs review (")
            .next()
            .is_some()
    });
    pin_times(&harness);
    harness
}

/// Months from `from` back to `to` (both first days of months).
fn months_between(from: JalaliDate, to: JalaliDate) -> i32 {
    (from.year * 12 + i32::from(from.month)) - (to.year * 12 + i32::from(to.month))
}

/// Opens the picker whose button starts with `label`, walks back to `target`'s month and picks
/// its day.
fn pick_day(harness: &mut App, label: &str, shown: JalaliDate, target: JalaliDate) {
    harness.get_by_label_contains(label).click();
    harness.run_steps(2);
    let mut back = months_between(shown.first_of_month_plus(0), target.first_of_month_plus(0));
    // The grid runs right to left: earlier months are behind "»" (a year) and ">" (a month).
    while back >= 12 {
        harness.get_by_label("»").click();
        harness.run_steps(1);
        back -= 12;
    }
    for _ in 0..back {
        harness.get_by_label(">").click();
        harness.run_steps(1);
    }
    let day = saldo::ui::widgets::jalali_picker::persian_digits(&target.day.to_string());
    harness.get_by_label(&day).click();
    harness.run_steps(2);
}

#[test]
fn every_panel_looks_as_committed_in_the_dark_theme() {
    every_panel_looks_as_committed(egui::Theme::Dark);
}

#[test]
fn every_panel_looks_as_committed_in_the_light_theme() {
    every_panel_looks_as_committed(egui::Theme::Light);
}

fn every_panel_looks_as_committed(theme: egui::Theme) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = settled_demo(dir.path(), theme);
    // Today's sales are counted again when the counter opens (after the times were moved).
    open_panel(&mut harness, "Balances");
    open_panel(&mut harness, "Counter");
    snapshot(&mut harness, "counter");

    open_panel(&mut harness, "Balances");
    wait_for(&mut harness, "25,000.00 INR");
    snapshot(&mut harness, "balances");

    open_panel(&mut harness, "Sub-accounts");
    wait_for(&mut harness, "shop-01@example.fr");
    // The columns size themselves over a few frames: the click (and the pointer the image
    // shows) lands where the row stays.
    let last = std::cell::Cell::new(egui::Rect::NOTHING);
    run_until(&mut harness, "the columns to settle", |h| {
        let now = h.get_by_label("1001").rect();
        now == last.replace(now)
    });
    harness.get_by_label("1001").click();
    harness.run_steps(2);
    snapshot(&mut harness, "subaccounts");

    open_panel(&mut harness, "Statement");
    wait_for_button(&mut harness, "Show");
    let today = JalaliDate::today();
    let from = JalaliDate::new(1403, 7, 1).unwrap();
    let to = JalaliDate::new(1403, 7, 10).unwrap();
    pick_day(&mut harness, "From (Jalali): ", today.plus_days(-30), from);
    pick_day(&mut harness, "To (Jalali): ", today, to);
    click(&mut harness, "Show");
    run_until(&mut harness, "the movements", |h| shows(h, "Remaining"));
    snapshot(&mut harness, "statement");
    // The Jalali month grid, open: right to left, Persian digits.
    harness.get_by_label_contains("To (Jalali): ").click();
    harness.run_steps(2);
    snapshot(&mut harness, "statement-picker");
    harness.get_by_label_contains("To (Jalali): ").click();
    harness.run_steps(2);

    open_panel(&mut harness, "History");
    run_until(&mut harness, "the totals", |h| {
        h.query_by_role_and_label(Role::Button, "Export…").is_some() && !shows(h, "Counting…")
    });
    snapshot(&mut harness, "history");
    // A row opens its details under the table: every field whole and what happened.
    harness.get_by_label("+919959638613").click();
    wait_for(&mut harness, "What happened");
    run_until(&mut harness, "the events", |h| shows(h, ", then "));
    snapshot(&mut harness, "history-details");
    click(&mut harness, "Close");
    harness.get_by_label("Daily sales chart").click();
    run_until(&mut harness, "the chart", |h| shows(h, "Daily sales ("));
    snapshot(&mut harness, "history-chart");
    harness.get_by_label("Daily sales chart").click();
    harness.run_steps(2);

    open_panel(&mut harness, "Needs review");
    wait_for(&mut harness, "Evidence");
    snapshot(&mut harness, "review");

    open_panel(&mut harness, "Settings");
    // A new profile's form: the address is the provider's own (this run's simulator port
    // would differ from one run to the next).
    click(&mut harness, "Add a profile");
    wait_for(&mut harness, "Save the profile first");
    snapshot(&mut harness, "settings");

    // Receipts: this counter's printer, then the shop's details for every counter.
    harness.get_by_label("Receipts").click();
    wait_for(&mut harness, "Save for every counter");
    harness.get_by_label("Network thermal printer").click();
    harness.run_steps(2);
    snapshot(&mut harness, "settings-receipts");
}
