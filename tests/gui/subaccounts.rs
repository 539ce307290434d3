//! Sub-accounts: SMS Partner's list, search, a credit move confirmed with both balances before
//! and after, an unknown outcome landing in Review, a new sub-account; Marketext's transfer.

use egui::Key;
use egui_kittest::kittest::Queryable;
use saldo::domain::TxState;
use saldo::ledger::TxKind;
use saldo::simulator::{Fault, FaultRule};

use egui::accesskit::Role;

use super::support::*;

fn at_sms_partner(harness: &mut App) {
    open_panel(harness, "Sub-accounts");
    wait_for(harness, "Search");
    if harness
        .get_by_role_and_label(Role::ComboBox, "Profile")
        .value()
        .as_deref()
        != Some("demo-france")
    {
        choose(harness, "Profile", "demo-france · SMS Partner (France)");
    }
    wait_for(harness, "shop-01@example.fr");
}

#[test]
fn credit_moves_to_a_sub_account_after_a_confirm_step_with_both_balances() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_sms_partner(&mut harness);
    assert!(shows(&harness, "45 of 45 sub-accounts"));
    type_into(&mut harness, "Search", "shop-01@");
    assert!(shows(&harness, "1 of 45 sub-accounts"));
    harness.get_by_label("1001").click();
    harness.run_steps(2);
    type_into(&mut harness, "Amount (EUR)", "5");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(&mut harness, "Add 5.000 EUR to sub-account 1001?");
    assert!(shows(&harness, "Before"));
    assert!(shows(&harness, "61.800 EUR"), "the sub-account before");
    assert!(shows(&harness, "66.800 EUR"), "the sub-account after");
    click(&mut harness, "Confirm move");
    wait_for(&mut harness, "Credit moved");
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(
        (row.kind, row.state),
        (TxKind::CreditAdd, TxState::Succeeded)
    );
    assert_eq!(row.destination, "1001");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(sim.with_state(|s| s.smspartner.moves.len()), 1);
}

#[test]
fn the_same_move_again_asks_before_it_is_sent_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_sms_partner(&mut harness);
    type_into(&mut harness, "Search", "shop-01@");
    let move_five = |harness: &mut App| {
        wait_for(harness, "1 of 45 sub-accounts");
        harness.get_by_label("1001").click();
        harness.run_steps(2);
        type_into(harness, "Amount (EUR)", "5");
        harness.key_press(Key::Enter);
        harness.run_steps(2);
        click(harness, "Confirm move");
    };
    move_five(&mut harness);
    wait_for(&mut harness, "Credit moved");
    move_five(&mut harness);
    wait_for(&mut harness, "Same top-up moments ago — send again?");
    assert!(shows(&harness, "This repeats SAL-"));
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(
        sim.with_state(|s| s.smspartner.moves.len()),
        1,
        "not sent twice yet"
    );
    click(&mut harness, "Send again anyway");
    wait_for(&mut harness, "Credit moved");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(
        sim.with_state(|s| s.smspartner.moves.len()),
        2,
        "sent once more, on purpose"
    );
}

#[test]
fn an_unknown_credit_move_says_so_and_is_listed_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    let ledger = harness.state().services().engine.ledger().clone();
    let mut profile = ledger.profile("demo-france").unwrap();
    profile.settings.request_timeout_secs = 1;
    ledger
        .update_profile("demo-france", &profile.base_url, &profile.settings)
        .unwrap();
    at_sms_partner(&mut harness);
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::TimeoutAfterCommit,
    ));
    harness.get_by_label("1002").click();
    harness.run_steps(2);
    type_into(&mut harness, "Amount (EUR)", "1");
    click(&mut harness, "Review");
    click(&mut harness, "Confirm move");
    wait_for(&mut harness, "Outcome unknown — do not repeat");
    let row = ledger_rows(&harness, 1).remove(0);
    assert!(!row.state.is_final(), "{:?}", row.state);
    open_panel(&mut harness, "Needs review");
    wait_for(&mut harness, row.reference.as_str());
}

#[test]
fn a_new_sub_account_appears_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_sms_partner(&mut harness);
    click(&mut harness, "New sub-account");
    type_into(&mut harness, "E-mail", "new-shop@example.fr");
    type_into(&mut harness, "First name", "Ana");
    type_into(&mut harness, "Last name", "Pérez");
    click(&mut harness, "Create");
    wait_for(&mut harness, "46 of 46 sub-accounts");
    // The list draws only the rows on screen: the new one is found by a search.
    type_into(&mut harness, "Search", "new-shop@");
    wait_for(&mut harness, "new-shop@example.fr");

    // An empty sub-account can be deleted, after a confirmation.
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let id = sim.with_state(|s| {
        s.smspartner
            .accounts
            .values()
            .flat_map(|a| &a.subaccounts)
            .find(|a| a.email == "new-shop@example.fr")
            .unwrap()
            .id
            .clone()
    });
    wait_for(&mut harness, "1 of 46 sub-accounts");
    harness.get_by_label(&id).click();
    harness.run_steps(2);
    click(&mut harness, "Delete sub-account");
    wait_for(
        &mut harness,
        &format!("Delete sub-account {id} (new-shop@example.fr)? This cannot be undone."),
    );
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert!(
        sim.requests_to("/subaccount/remove").is_empty(),
        "asked first"
    );
    click(&mut harness, "Delete");
    wait_for(&mut harness, "0 of 45 sub-accounts");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(sim.requests_to("/subaccount/remove").len(), 1);
}

#[test]
fn points_go_to_a_marketext_child_after_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "Sub-accounts");
    wait_for(&mut harness, "Search");
    choose(&mut harness, "Profile", "demo-mexico · Marketext (Mexico)");
    wait_for(&mut harness, "Child account id");
    type_into(&mut harness, "Child account id", "mx-child-01");
    type_into(&mut harness, "Amount (PTS)", "250");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(
        &mut harness,
        "Transfer 250 PTS to child account mx-child-01?",
    );
    click(&mut harness, "Confirm transfer");
    wait_for(&mut harness, "Credit moved");
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(
        (row.kind, row.state),
        (TxKind::Transfer, TxState::Succeeded)
    );
    assert_eq!(row.destination, "mx-child-01");
}

#[test]
fn a_new_sub_account_can_start_with_credit_moved_through_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_sms_partner(&mut harness);
    click(&mut harness, "New sub-account");
    type_into(&mut harness, "E-mail", "credit-shop@example.fr");
    type_into(&mut harness, "Starting credit (EUR)", "0");
    assert!(shows(&harness, "The amount must be more than 0"));
    text_field(&harness, "Starting credit (EUR)").focus();
    harness.run_steps(1);
    harness.key_press(egui::Key::Backspace);
    type_into(&mut harness, "Starting credit (EUR)", "5");
    click(&mut harness, "Create");
    wait_for(&mut harness, "46 of 46 sub-accounts");
    type_into(&mut harness, "Search", "credit-shop@");
    wait_for(&mut harness, "credit-shop@example.fr");
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(
        row.state,
        saldo::domain::TxState::Succeeded,
        "{:?}",
        row.provider_message
    );
    assert_eq!(row.amount.to_string(), "5.000 EUR");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let moves = sim.with_state(|s| s.smspartner.moves.clone());
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].milli, 5_000);
}

#[test]
fn a_take_back_cannot_exceed_the_balance_and_is_worded_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_sms_partner(&mut harness);
    type_into(&mut harness, "Search", "shop-01@");
    // The whole row selects, not only the id: click the e-mail.
    harness.get_by_label("shop-01@example.fr").click();
    harness.run_steps(2);
    wait_for(&mut harness, "Move credit: sub-account 1001");
    harness.get_by_label("Take credit back").click();
    harness.run_steps(1);
    // 1001 holds 61.800 EUR.
    type_into(&mut harness, "Amount (EUR)", "100");
    click(&mut harness, "Review");
    wait_for(&mut harness, "Take 100.000 EUR back from sub-account 1001?");
    assert!(shows(
        &harness,
        "The sub-account does not have that much credit"
    ));
    harness.run_steps(4);
    let confirm = harness.get_by_role_and_label(Role::Button, "Confirm move");
    assert!(
        egui_kittest::kittest::NodeT::accesskit_node(&confirm).is_disabled(),
        "Confirm is disabled when taking back more than the balance"
    );
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(
        sim.with_state(|s| s.smspartner.moves.len()),
        0,
        "nothing moved"
    );

    click(&mut harness, "Back");
    text_field(&harness, "Amount (EUR)").focus();
    harness.run_steps(1);
    for _ in 0..3 {
        harness.key_press(Key::Backspace);
    }
    type_into(&mut harness, "Amount (EUR)", "2");
    click(&mut harness, "Review");
    wait_for_enabled_button(&mut harness, "Confirm move");
    click(&mut harness, "Confirm move");
    wait_for(&mut harness, "Credit taken back");
    assert!(shows(&harness, "2.000 EUR back from 1001"));
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(
        (row.kind, row.state),
        (TxKind::CreditRemove, TxState::Succeeded)
    );
}
