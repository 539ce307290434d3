//! The history: the demo's thousands of rows, filters with totals, the daily chart, and an
//! export of exactly the filtered rows through the save dialog.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use saldo::ledger::HistoryFilter;

use super::support::*;

#[test]
fn filters_change_the_rows_and_totals_and_the_export_has_exactly_those_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("yesterday.csv");
    let mut harness = demo_app_with(dir.path(), Some(out.clone()));
    let total = ledger_count(&harness);
    open_panel(&mut harness, "History");
    wait_for(&mut harness, &format!("{total} operations"));
    // The newest row is on screen.
    let newest = ledger_rows(&harness, 1).remove(0);
    wait_for(&mut harness, newest.reference.as_str());

    // Only demo-cuba's failed operations.
    choose(&mut harness, "Profile", "demo-cuba");
    choose(&mut harness, "State", "failed");
    let filter = HistoryFilter {
        profile: Some("demo-cuba".into()),
        state: Some(saldo::domain::TxState::Failed),
        ..HistoryFilter::default()
    };
    let reader = harness.state().services().engine.ledger().reader().unwrap();
    let expected = reader.summary(&filter, 0).unwrap().count;
    assert!(expected > 0 && (expected as usize) < total);
    wait_for(&mut harness, &format!("{expected} operations"));

    click(&mut harness, "Export…");
    wait_for(&mut harness, "Exported");
    let text = std::fs::read_to_string(&out).unwrap();
    let lines = text.lines().count() - 1;
    assert_eq!(
        lines as u64, expected,
        "one line per filtered row plus the header"
    );
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains("demo-cuba") && l.contains("failed"))
    );
}

#[test]
fn yesterday_is_one_click_and_the_chart_shows_its_sales() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "History");
    wait_for(&mut harness, "operations");
    click(&mut harness, "Yesterday");
    let yesterday = jiff::Zoned::now().date().yesterday().unwrap().to_string();
    assert_eq!(
        text_field(&harness, "From").value().as_deref(),
        Some(yesterday.as_str())
    );
    assert_eq!(
        text_field(&harness, "To").value().as_deref(),
        Some(yesterday.as_str())
    );
    // Yesterday's totals are counted, then the chart is drawn from them.
    wait_for(&mut harness, "operation");
    harness.get_by_label("Daily sales chart").click();
    harness.run_steps(2);
    run_until(&mut harness, "the chart", |h| {
        shows(h, "Daily sales (") || shows(h, "No succeeded top-ups in this period.")
    });
}

#[test]
fn an_export_with_no_file_chosen_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app_with(dir.path(), None);
    open_panel(&mut harness, "History");
    wait_for(&mut harness, "operations");
    click(&mut harness, "Export…");
    wait_for(&mut harness, "No file chosen: nothing was exported.");
}

/// At 800×600 the rows keep most of the panel: the filters past the first row and the totals
/// fold away (and open when asked), so the newest row starts in the upper half.
#[test]
fn at_800_by_600_the_rows_keep_the_room() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app_sized(dir.path(), [800.0, 600.0]);
    open_panel(&mut harness, "History");
    run_until(&mut harness, "the folded totals", |h| shows(h, "Totals ("));
    let newest = ledger_rows(&harness, 1).remove(0);
    wait_for(&mut harness, &newest.destination);
    let first_row = harness
        .query_all_by_label(&newest.destination)
        .map(|n| n.rect())
        .min_by(|a, b| a.min.y.total_cmp(&b.min.y))
        .unwrap();
    assert!(
        first_row.min.y < 300.0,
        "the rows start at {} of 600 px",
        first_row.min.y
    );
    assert!(
        !shows(&harness, "Top-ups succeeded"),
        "the totals are folded"
    );
    let dates = |h: &App| h.query_all_by_label("From").next().is_some();
    assert!(!dates(&harness), "the dates are folded");
    harness.get_by_label_contains("Totals (").click();
    harness.run_steps(2);
    assert!(shows(&harness, "Top-ups succeeded: "), "the totals open");
    harness.get_by_label_contains("More filters").click();
    harness.run_steps(2);
    assert!(dates(&harness), "the dates open");
    // The export's controls are in the title row, still one click away.
    assert!(harness.query_all_by_label("Export…").next().is_some());
}

/// The Export button keeps its identity while the rows load again: egui knows a click by the
/// widget pressed, so a button whose id changed between the press and the release (a spinner
/// drawn before it) lost clerks' clicks whenever a refresh began or ended under the pointer.
#[test]
fn export_keeps_its_identity_while_the_rows_reload() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app_with(dir.path(), None);
    let total = ledger_count(&harness);
    open_panel(&mut harness, "History");
    let newest = ledger_rows(&harness, 1).remove(0);
    // Settled: the totals counted and the newest rows on screen.
    wait_for(&mut harness, &format!("{total} operations"));
    wait_for(&mut harness, newest.reference.as_str());
    harness.run_steps(3);
    let export_id = |h: &App| {
        h.get_by_role_and_label(Role::Button, "Export…")
            .accesskit_node()
            .id()
    };
    let settled = export_id(&harness);
    // F5 starts a reload in the frame that reads its key press, and that frame draws the
    // spinner: one frame with the press alone (a key press and release queued together run
    // two frames, and the reload may be over by the second).
    harness.key_down(egui::Key::F5);
    harness.step();
    assert!(shows(&harness, "Counting…"), "the rows are loading again");
    assert_eq!(
        export_id(&harness),
        settled,
        "the same button while the rows reload"
    );
    harness.key_up(egui::Key::F5);
    harness
        .get_by_role_and_label(Role::Button, "Export…")
        .click();
    harness.run_steps(3);
    wait_for(&mut harness, "No file chosen: nothing was exported.");
}
