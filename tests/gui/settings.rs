//! Settings: a profile added through the form, its secret saved and shown only as "saved", the
//! connection tested against the provider, wrong fields explained.

use egui_kittest::kittest::Queryable;

use super::support::*;

#[test]
fn a_new_profile_is_added_given_its_secret_and_tested() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    let sim_url = harness
        .state()
        .services()
        .simulator
        .as_ref()
        .unwrap()
        .qvatel_base_url();
    open_panel(&mut harness, "Settings");
    click(&mut harness, "Add a profile");
    type_into(&mut harness, "Name", "cuba-2");
    let address = text_field(&harness, "Address");
    address.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "Address").type_text(&sim_url);
    harness.run_steps(2);
    type_into(&mut harness, "Warn below (USD)", "oops");
    assert!(shows(&harness, "“oops” is not an amount"));
    let field = text_field(&harness, "Warn below (USD)");
    field.focus();
    for _ in 0..4 {
        harness.key_press(egui::Key::Backspace);
    }
    text_field(&harness, "Warn below (USD)").type_text("100");
    harness.run_steps(2);
    click(&mut harness, "Save");
    wait_for(&mut harness, "Profile cuba-2 saved.");
    let ledger = harness.state().services().engine.ledger().clone();
    let profile = ledger.profile("cuba-2").unwrap();
    assert_eq!(profile.base_url, sim_url);
    assert_eq!(profile.settings.low_balance_minor, Some(10_000));

    wait_for(&mut harness, "not saved yet");
    type_into(
        &mut harness,
        "API token",
        saldo::simulator::qvatel::DEMO_TOKEN,
    );
    click(&mut harness, "Save secrets");
    wait_for(&mut harness, "API token saved in the keychain.");
    wait_for(&mut harness, "saved");
    // The secret is never shown back: the field is empty again.
    assert_eq!(
        text_field(&harness, "API token").value().as_deref(),
        Some("")
    );
    click(&mut harness, "Test connection");
    wait_for(&mut harness, "Connection works: balance 500.00 USD");
}

#[test]
fn a_wrong_secret_fails_the_test_with_the_provider_s_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "Settings");
    wait_for(&mut harness, "demo-cuba · QvaTel (Cuba)");
    harness.get_by_label("demo-cuba · QvaTel (Cuba)").click();
    harness.run_steps(2);
    type_into(&mut harness, "API token", "not-the-token");
    click(&mut harness, "Save secrets");
    wait_for(&mut harness, "API token saved in the keychain.");
    click(&mut harness, "Test connection");
    wait_for(&mut harness, "Connection failed");
}

/// The window refuses at save the address every send would refuse: plain http:// to another
/// computer would carry the API key across the network readable.
#[test]
fn a_plain_http_address_to_another_computer_is_refused_when_saving() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "Settings");
    click(&mut harness, "Add a profile");
    type_into(&mut harness, "Name", "cuba-lan");
    text_field(&harness, "Address").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(&harness, "Address").type_text("http://192.168.1.20:8080/qvatel");
    harness.run_steps(2);
    click(&mut harness, "Save");
    wait_for(
        &mut harness,
        "“http://192.168.1.20:8080/qvatel” uses plain http://",
    );
    let ledger = harness.state().services().engine.ledger().clone();
    assert!(ledger.profile("cuba-lan").is_err(), "nothing was saved");
}
