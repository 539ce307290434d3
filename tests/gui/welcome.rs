//! The first run: a shop with no profile is welcomed, told where its data and secrets are
//! kept, and can open the demo or go straight to adding its first provider.

use std::sync::{Arc, Mutex};

use egui_kittest::kittest::Queryable;

use super::support::*;

#[test]
fn a_new_shop_is_welcomed_and_led_to_its_first_provider() {
    let dir = tempfile::tempdir().unwrap();
    let opened = Arc::new(Mutex::new(Vec::new()));
    let mut harness = real_app(dir.path(), opened.clone());
    wait_for(&mut harness, "Welcome to saldo");
    let ledger = dir.path().join(saldo::ledger::FILE_NAME);
    assert!(shows(
        &harness,
        &format!("in the ledger on this computer, {}", ledger.display())
    ));
    assert!(shows(
        &harness,
        "only in this computer's keychain, never in a file"
    ));
    assert!(shows(
        &harness,
        &dir.path().join("logs").display().to_string()
    ));
    assert!(shows(
        &harness,
        &dir.path().join("backups").display().to_string()
    ));

    click(&mut harness, "Try the demo");
    assert_eq!(*opened.lock().unwrap(), vec![dir.path().to_path_buf()]);
    wait_for(&mut harness, "The demo is opening in its own window.");

    // Every panel but Settings shows the welcome while there is no profile.
    open_panel(&mut harness, "History");
    assert!(shows(&harness, "Welcome to saldo"));

    click(&mut harness, "Add your first provider");
    assert!(!shows(&harness, "Welcome to saldo"));
    assert!(shows(&harness, "New profile"));
    type_into(&mut harness, "Name", "cuba");
    click(&mut harness, "Save");
    wait_for(&mut harness, "Profile cuba saved.");

    // With a profile, the counter is the counter.
    open_panel(&mut harness, "Counter");
    // The profile list is read again off the UI thread: wait for it, however busy the machine.
    run_until(&mut harness, "the counter", |h| {
        h.query_by_label("Customer number").is_some()
    });
    assert!(!shows(&harness, "Welcome to saldo"));
}
