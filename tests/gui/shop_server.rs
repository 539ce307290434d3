//! The window on the shop's server: it says where the books are and what this counter is
//! called, lists the shop's counters with the profiles whose secrets each one lacks, and
//! History narrows to one counter's sales.

use saldo::domain::{Money, Reference, TxState, Unit};
use saldo::ledger::{Ledger, NewOperation, StateChange, TxKind};
use saldo::providers::ProviderKind;

use egui::accesskit::{Role, Toggled};
use egui_kittest::kittest::{NodeT, Queryable};

use super::support::*;

/// A new database on the test server, as a counter's address; `None` without a test server.
fn fresh_database() -> Option<String> {
    let Ok(admin_url) = std::env::var("SALDO_TEST_POSTGRES") else {
        eprintln!("skipped: set SALDO_TEST_POSTGRES (scripts/test.sh does)");
        return None;
    };
    let admin = saldo::ledger::PgTarget::parse(&admin_url).unwrap();
    let mut conn = saldo::ledger::db::connect_postgres(&admin, None).unwrap();
    let name = format!("gui_{}", uuid::Uuid::new_v4().simple());
    conn.sql()
        .batch(&format!("CREATE DATABASE {name}"))
        .unwrap();
    Some(admin_url.replace("/postgres?", &format!("/{name}?")))
}

#[test]
fn the_window_on_the_shop_server_shows_its_counters_and_filters_history_by_counter() {
    let Some(address) = fresh_database() else {
        return;
    };
    let back_dir = tempfile::tempdir().unwrap();
    let target = saldo::ledger::PgTarget::parse(&address).unwrap();
    // The back office's counter: a profile whose secret its keychain lacks, and one sale.
    let back = Ledger::open_server(&target, None, back_dir.path())
        .unwrap()
        .with_counter("back-office");
    let kind = ProviderKind::Qvatel;
    let profile = back
        .add_profile(
            "cuba",
            kind,
            "https://qvatel.example/api",
            &kind.default_settings(),
        )
        .unwrap();
    let lacks =
        std::collections::BTreeMap::from([("cuba".to_string(), vec!["api_token".to_string()])]);
    back.check_in_counter(&lacks).unwrap();
    let reference = Reference::generate();
    back.record_sending(
        &NewOperation {
            reference: &reference,
            kind: TxKind::TopUp,
            profile_id: profile.id,
            destination: "+5352942387",
            amount: Money::from_minor(2000, Unit::Usd),
            repeat_guard: None,
            request: None,
            batch_row: None,
        },
        &StateChange::default(),
    )
    .unwrap();
    back.transition(&reference, TxState::Succeeded, &StateChange::default())
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut harness = server_app(dir.path(), &address, "front");
    open_panel(&mut harness, "Settings");
    harness.get_by_label("The shop's books").click();
    harness.run_steps(2);
    wait_for(&mut harness, "This counter works on the shop's server: ");
    let shown = target.shown().to_string();
    assert!(
        shows(&harness, &shown),
        "the address, without a password: {shown}"
    );
    assert!(shows(&harness, "This counter's name: front"));
    wait_for(&mut harness, "back-office: lacks the secrets of cuba");

    open_panel(&mut harness, "History");
    wait_for(&mut harness, reference.as_str());
    choose(&mut harness, "Counter", "front");
    wait_for(&mut harness, "No operations match.");
    choose(&mut harness, "Counter", "back-office");
    wait_for(&mut harness, reference.as_str());
}

/// Settings › "The shop's books" on the server, drawn by wgpu in both themes at 1920 and 800
/// points wide: every line of the section inside the window (the address is long), saved
/// under `target/screenshots/` to be looked at.
#[test]
fn the_shop_books_are_drawn_whole_at_1920_and_800_in_both_themes() {
    let Some(address) = fresh_database() else {
        return;
    };
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    for theme in [egui::Theme::Light, egui::Theme::Dark] {
        for size in [[1920.0, 1080.0], [800.0, 600.0]] {
            let dir = tempfile::tempdir().unwrap();
            let mut harness = server_app_drawn(dir.path(), &address, "front", Some(theme), size);
            open_panel(&mut harness, "Settings");
            harness.get_by_label("The shop's books").click();
            harness.run_steps(2);
            wait_for(&mut harness, "This counter works on the shop's server: ");
            wait_for(&mut harness, "front: has every profile's secrets");
            harness.run_steps(4);
            for text in [
                "This counter works on the shop's server: ",
                "This counter's name: front",
                "The shop's server",
                "front: has every profile's secrets",
                "Every counter of the shop gives the same address.",
            ] {
                let node = harness.get_by_label_contains(text);
                let rect = node.rect();
                assert!(
                    rect.min.x >= 0.0 && rect.max.x <= size[0] + 0.5,
                    "{text:?} drawn at {rect:?} in a window {} wide",
                    size[0]
                );
            }
            // The ledger in use is the one chosen, with its address ready to change.
            let picked = harness
                .get_by_role_and_label(Role::RadioButton, "The shop's server")
                .accesskit_node()
                .toggled();
            assert_eq!(
                picked,
                Some(Toggled::True),
                "the server is the choice in use"
            );
            assert!(
                text_field(&harness, "Server address")
                    .value()
                    .is_some_and(|v| v.starts_with("postgres://saldo@127.0.0.1")),
                "the address in use is in its field"
            );
            let image = harness.render().expect("drawn by wgpu");
            let name = format!("settings-books-{theme:?}-{}.png", size[0]).to_lowercase();
            image.save(folder.join(name)).unwrap();
        }
    }
}
