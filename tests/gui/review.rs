//! Review: an unknown top-up with its evidence, asked about again, then settled by hand with a
//! note that the ledger keeps.

use egui_kittest::kittest::Queryable;
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
