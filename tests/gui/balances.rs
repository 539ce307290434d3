//! The balances board: every balance with its unit and age, refresh, and the low-balance
//! warning that turns a card red and raises a notification.

use egui_kittest::kittest::Queryable;
use saldo::ui::services::DEMO_PROFILE;

use super::support::*;

#[test]
fn the_board_shows_every_balance_and_refreshes_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "Balances");
    wait_for(&mut harness, "500.00 USD");
    wait_for(&mut harness, "25,000.00 INR");
    assert!(shows(&harness, "updated just now"));
    assert!(
        shows(&harness, "This provider's API does not report a balance."),
        "Marketext"
    );
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let reads_before = sim.requests_to("/account/recharge-balance").len();
    // The first card is demo-cuba (profiles by name): its Refresh asks QvaTel again.
    harness.get_all_by_label("Refresh").next().unwrap().click();
    run_until(&mut harness, "a second balance read", |h| {
        let sim = h.state().services().simulator.as_ref().unwrap();
        sim.requests_to("/account/recharge-balance").len() > reads_before
    });
    // The reading is kept in the ledger for the next start.
    let ledger = harness.state().services().engine.ledger().clone();
    let id = ledger.profile(DEMO_PROFILE).unwrap().id;
    assert_eq!(
        ledger.last_balance(id).unwrap().unwrap().amount.to_string(),
        "500.00 USD"
    );
}

#[test]
fn a_balance_below_its_warning_level_is_flagged_and_notified() {
    let dir = tempfile::tempdir().unwrap();
    let harness = demo_app(dir.path());
    let ledger = harness.state().services().engine.ledger().clone();
    let mut profile = ledger.profile(DEMO_PROFILE).unwrap();
    profile.settings.low_balance_minor = Some(60_000);
    ledger
        .update_profile(DEMO_PROFILE, &profile.base_url, &profile.settings)
        .unwrap();
    drop(harness);
    let mut harness = demo_app(dir.path());
    let wanted = "Low balance on demo-cuba: 500.00 USD (warning below 600.00 USD)";
    let start = std::time::Instant::now();
    while !harness
        .state()
        .recent_notifications()
        .iter()
        .any(|n| n == wanted)
    {
        let seen = harness.state().recent_notifications();
        assert!(start.elapsed() < PATIENCE, "notifications so far: {seen:?}");
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    open_panel(&mut harness, "Balances");
    run_until(&mut harness, "the Low chip", |h| {
        h.query_by_label("Low").is_some()
    });
}

/// Every profile's card is on screen, side by side as the width allows, at 800 and 1920 px.
#[test]
fn every_card_is_on_screen_at_800_and_1920_pixels() {
    for (width, height) in [(800.0, 600.0), (1920.0, 1080.0)] {
        let dir = tempfile::tempdir().unwrap();
        let mut harness = demo_app_sized(dir.path(), [width, height]);
        open_panel(&mut harness, "Balances");
        wait_for(&mut harness, "500.00 USD");
        let ledger = harness.state().services().engine.ledger().clone();
        let names: Vec<String> = ledger
            .profiles()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert!(names.len() >= 5, "{names:?}");
        let mut lefts = Vec::new();
        for name in &names {
            let card = harness.get_by_label(name);
            let rect = card.rect();
            assert!(
                rect.min.x >= 0.0 && rect.max.x <= width && rect.max.y <= height,
                "{name} is off screen at {width} px: {rect:?}"
            );
            lefts.push(rect.min.x.round() as i32);
        }
        lefts.sort_unstable();
        lefts.dedup();
        let columns =
            saldo::ui::panels::balances::columns_for(width - saldo::ui::app::SIDE_BAR_WIDTH - 30.0);
        assert_eq!(
            lefts.len(),
            columns.min(names.len()),
            "columns at {width} px: {lefts:?}"
        );
        assert!(
            columns >= if width > 1000.0 { 4 } else { 2 },
            "{columns} at {width}"
        );
    }
}
