//! Review: an unknown top-up with its evidence, asked about again, then settled by hand with a
//! note that the ledger keeps.

use egui_kittest::kittest::{NodeT, Queryable};
use saldo::domain::TxState;
use saldo::simulator::{Fault, FaultRule};

use super::support::*;

#[test]
fn an_unknown_top_up_is_settled_by_hand_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    set_timeout(&harness, 1);
    wait_for(&mut harness, "15.00 USD");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once("/recharge/send", Fault::ResetAfterCommit));
    sim.inject(FaultRule::once("/recharge/send", Fault::ResetAfterCommit));
    send_top_up(&mut harness, "52942387", "15.00 USD");
    wait_for(&mut harness, "Outcome unknown — do not resend");
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(row.state, TxState::Unknown);

    open_panel(&mut harness, "Needs review");
    wait_for(&mut harness, row.reference.as_str());
    // The side bar counts what the list shows (as the reconciler last counted it).
    run_until(&mut harness, "the side bar's count", |h| {
        let services = h.state().services();
        let count = services
            .runtime
            .block_on(services.engine.needs_review())
            .unwrap()
            .len();
        shows(h, &format!("Needs review ({count})"))
    });
    let reference = row.reference.to_string();
    // The row of the list (the detail heading, if any, comes after it).
    harness
        .query_all_by_label_contains(&reference)
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    wait_for(&mut harness, "Evidence");
    // Settling needs a note.
    assert!(shows(&harness, "A note is needed to settle by hand."));
    type_into(&mut harness, "Note", "customer shows the airtime arrived");
    click(&mut harness, "Settle as succeeded");
    // What will be recorded is said first; nothing is settled until it is confirmed.
    wait_for(
        &mut harness,
        &format!(
            "Record {reference} as succeeded: 15.00 USD to +5352942387, with the note \
             “customer shows the airtime arrived”. This is final."
        ),
    );
    let ledger = harness.state().services().engine.ledger().clone();
    assert_eq!(
        ledger.transaction(&row.reference).unwrap().state,
        TxState::Unknown
    );
    wait_for_enabled_button(&mut harness, "Record it");
    click(&mut harness, "Record it");
    wait_for(&mut harness, &format!("{reference} is now succeeded"));
    let ledger = harness.state().services().engine.ledger().clone();
    let settled = ledger.transaction(&row.reference).unwrap();
    assert_eq!(settled.state, TxState::Succeeded, "{settled:?}");
    let events = ledger.events(&row.reference).unwrap();
    assert!(events.iter().any(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.contains("customer shows the airtime arrived"))
    }));
    // History says who settled it: a person, not the provider.
    open_panel(&mut harness, "History");
    wait_for(&mut harness, "succeeded (settled by hand)");
}

/// At 800×600 the list and the chosen operation do not overlap: the details come below the
/// list, each row's amount is whole inside the window, and at 1920 px they sit side by side.
#[test]
fn the_list_and_the_details_never_overlap_at_800_or_1920_pixels() {
    for (width, height) in [(800.0, 600.0), (1920.0, 1080.0)] {
        let dir = tempfile::tempdir().unwrap();
        let mut harness = demo_app_sized(dir.path(), [width, height]);
        wait_for(&mut harness, "15.00 USD");
        run_until(&mut harness, "the first reconcile", |h| {
            shows(h, "Needs review (")
        });
        open_panel(&mut harness, "Needs review");
        wait_for(&mut harness, "Evidence");
        // The list's first row: "reference · number"; the details' heading is the reference.
        let (cell, reference) = harness
            .query_all_by(|_| true)
            .filter(|n| {
                let text = node_text(n);
                text.starts_with("SAL-") && text.contains(" · ")
            })
            .map(|n| (n.rect(), node_text(&n)))
            .min_by(|a, b| a.0.min.y.total_cmp(&b.0.min.y))
            .expect("the list's first row");
        let reference = reference.split(" · ").next().unwrap().to_string();
        let row_amount = harness
            .query_all_by(|_| true)
            .filter(|n| {
                let text = node_text(n);
                [" INR", " EUR", " USD", " PTS"]
                    .iter()
                    .any(|u| text.ends_with(u))
            })
            .map(|n| n.rect())
            .find(|r| (r.center().y - cell.center().y).abs() < 8.0)
            .expect("the first row's amount");
        assert!(row_amount.max.x <= width, "the amount is cut at {width} px");
        let heading = harness.get_by_label(&reference).rect();
        if width < 1000.0 {
            assert!(
                heading.min.y > row_amount.max.y,
                "the details overlap the list at {width} px: {heading:?} vs {row_amount:?}"
            );
        } else {
            assert!(
                heading.min.x >= row_amount.max.x,
                "the details overlap the list at {width} px: {heading:?} vs {row_amount:?}"
            );
        }
    }
}

/// What a node says: its label, else its value (a plain label's text).
fn node_text(node: &egui_kittest::Node<'_>) -> String {
    let node = node.accesskit_node();
    node.label()
        .or_else(|| node.value())
        .map(|t| t.to_string())
        .unwrap_or_default()
}
