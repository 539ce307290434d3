//! The real shop's window with no keychain on the computer: a top-up is refused before anything
//! is recorded or sent, and the clerk reads why and what to do. The test runs itself again in a
//! child process without a D-Bus session (where the Secret Service lives).

#[path = "gui/support.rs"]
#[allow(dead_code)]
mod support;

use std::process::Command;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use saldo::providers::ProviderKind;
use saldo::simulator::{SimConfig, Simulator};
use saldo::ui::{SaldoApp, Services};
use support::*;

const CHILD: &str = "SALDO_TEST_KEYCHAIN_CHILD";

#[test]
fn with_no_keychain_the_counter_says_so_at_once_and_sells_nothing() {
    if std::env::var_os(CHILD).is_some() {
        no_keychain_child();
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "with_no_keychain_the_counter_says_so_at_once_and_sells_nothing",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir().join("saldo-no-bus"))
        .output()
        .expect("the test runs itself");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed:\n{text}");
    assert!(text.contains("1 passed"), "{text}");
}

fn no_keychain_child() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(Simulator::start(0, SimConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let services = Services::real(Some(dir.path().to_path_buf())).unwrap();
    let ledger = services.engine.ledger().clone();
    let kind = ProviderKind::Qvatel;
    ledger
        .add_profile(
            "cuba",
            kind,
            &sim.qvatel_base_url(),
            &kind.default_settings(),
        )
        .unwrap();
    let mut harness: App = Harness::builder()
        .with_size([1100.0, 720.0])
        .build_eframe(move |cc| SaldoApp::new(cc, services));
    wait_for(&mut harness, "15.00 USD");
    // Said as soon as the counter shows the profile, before the sale is typed.
    wait_for(&mut harness, "The keychain cannot be read");
    assert!(shows(&harness, "No keychain is available on this computer"));
    type_into(&mut harness, "Customer number", "52942387");
    click(&mut harness, "15.00 USD");
    click(&mut harness, "Review");
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::Button, "Send top-up")
            .is_none(),
        "a profile that cannot sell offers no review"
    );
    assert!(
        ledger.history_page(None, 10).unwrap().is_empty(),
        "nothing recorded"
    );
    assert!(sim.requests().is_empty(), "nothing reached the provider");
}
