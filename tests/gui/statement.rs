//! The statement: the last movements with totals, and a Jalali range chosen in the picker
//! (Persian month names, the Gregorian day beside it) sent to the provider as it expects.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use saldo::domain::jalali::JalaliDate;

use super::support::*;

fn at_statement(harness: &mut App) {
    open_panel(harness, "Statement");
    wait_for_button(harness, "Show");
}

#[test]
fn the_last_movements_show_with_totals_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_statement(&mut harness);
    harness.get_by_label("The last movements").click();
    harness.run_steps(2);
    let field = text_field(&harness, "How many");
    field.focus();
    for _ in 0..3 {
        harness.key_press(egui::Key::Backspace);
    }
    text_field(&harness, "How many").type_text("5");
    harness.run_steps(2);
    click(&mut harness, "Show");
    wait_for(&mut harness, "5 movements");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(sim.requests_to("/credit/5").len(), 1);
    assert!(shows(&harness, "Gregorian day"));
}

#[test]
fn a_range_picked_in_the_jalali_calendar_reaches_the_provider() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_statement(&mut harness);
    let today = JalaliDate::today();
    // Open "From" (30 days ago), go back one more month (the grid runs right to left: the
    // earlier month is to the right, ">"), then pick its 3rd day.
    harness.get_by_label_contains("From (Jalali): ").click();
    harness.run_steps(2);
    harness.get_by_label(">").click();
    harness.run_steps(2);
    let month = today.plus_days(-30).first_of_month_plus(-1);
    let third = JalaliDate::new(month.year, month.month, 3).unwrap();
    assert!(
        shows(&harness, month.month_name_latin()),
        "the grid shows {}",
        month.month_name_latin()
    );
    harness.get_by_label("۳").click();
    harness.run_steps(2);
    assert!(shows(&harness, &format!("From (Jalali): {third}")));
    let (y, m, d) = third.to_gregorian();
    assert!(
        shows(&harness, &format!("{y}-{m:02}-{d:02}")),
        "the Gregorian day is shown"
    );
    click(&mut harness, "Show");
    run_until(&mut harness, "the statement", |h| {
        let sim = h.state().services().simulator.as_ref().unwrap();
        // The balance is read at the same path: wait for the range itself.
        sim.requests_to("/credit")
            .iter()
            .any(|r| r.param("StartDate").is_some())
            && h.query_by_role_and_label(Role::Button, "Show").is_some()
            && !h.state().is_busy()
    });
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let asked = sim.requests_to("/credit");
    let asked = asked
        .iter()
        .rfind(|r| r.param("StartDate").is_some())
        .expect("a range request");
    assert_eq!(
        asked.param("StartDate").as_deref(),
        Some(third.to_string().as_str())
    );
    assert_eq!(
        asked.param("EndDate").as_deref(),
        Some(today.to_string().as_str())
    );
    // "N movements" over the table: the demo account has movements every day.
    run_until(&mut harness, "the movement count", |h| {
        h.query_all_by_label_contains(" movements").any(|n| {
            let node = n.accesskit_node();
            node.value()
                .or(node.label())
                .is_some_and(|text| text.starts_with(|c: char| c.is_ascii_digit()))
        })
    });
}
