//! The window in Spanish: chosen in Settings, every panel's words change, input errors and the
//! provider's refusal read in Spanish. Its own test binary, because the language is the whole
//! window's (and so the whole process's) setting.

#[path = "gui/support.rs"]
#[allow(dead_code)]
mod support;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use saldo::simulator::{Fault, FaultRule, qvatel};
use saldo::ui::text::i18n::{Language, language};
use support::*;

/// The language is the process's: these tests take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_new_shop_picks_spanish_on_the_welcome_and_reads_where_things_are_kept() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let opened = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut harness = real_app(dir.path(), opened);
    wait_for(&mut harness, "Welcome to saldo");
    harness
        .get_by_role_and_label(Role::ComboBox, "Language")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Español").click();
    harness.run_steps(3);
    assert_eq!(language(), Language::Spanish);
    for text in [
        "Bienvenido a saldo",
        "Dónde se guarda cada cosa",
        "solo en el llavero de este equipo, nunca en un archivo",
        "Añadir su primer proveedor",
        "Probar la demostración",
    ] {
        assert!(shows(&harness, text), "the welcome lacks {text:?}");
    }
    let ledger = dir.path().join(saldo::ledger::FILE_NAME);
    assert!(shows(&harness, &ledger.display().to_string()));
    // The choice is the shop's from now on: Settings opens in Spanish too.
    harness
        .get_by_role_and_label(Role::Button, "Añadir su primer proveedor")
        .click();
    harness.run_steps(2);
    assert!(shows(&harness, "Nuevo perfil"));
    saldo::ui::text::i18n::set_language(Language::English);
}

#[test]
fn a_shop_switches_to_spanish_and_every_panel_speaks_it() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    open_panel(&mut harness, "Settings");
    harness
        .get_by_role_and_label(Role::ComboBox, "Language")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Español").click();
    harness.run_steps(2);
    assert_eq!(language(), Language::Spanish);
    harness.run_steps(2);
    for title in [
        "Mostrador",
        "Saldos",
        "Subcuentas",
        "Historial",
        "Por revisar",
        "Configuración",
    ] {
        assert!(
            harness
                .query_by_role_and_label(Role::Button, title)
                .is_some(),
            "the side bar lacks {title}"
        );
    }
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Counter")
            .is_none()
    );

    open_panel(&mut harness, "Mostrador");
    wait_for(&mut harness, "15,00 USD");
    type_into(&mut harness, "Número del cliente", "5294238");
    assert!(shows(
        &harness,
        "Los números móviles de Cuba tienen 8 dígitos; este tiene 7."
    ));

    // A refusal from the provider: the frame is Spanish, the provider's own words stay.
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once(
        "/recharge/send",
        Fault::Body {
            body: qvatel::examples::SEND_FAILED.to_string(),
        },
    ));
    // One more digit makes it a valid number.
    type_into(&mut harness, "Número del cliente", "7");
    harness.get_by_label("15,00 USD").click();
    harness.run_steps(2);
    click(&mut harness, "Revisar");
    wait_for_enabled_button(&mut harness, "Enviar recarga");
    click(&mut harness, "Enviar recarga");
    wait_for(&mut harness, "Recarga fallida");
    assert!(shows(&harness, "Descripción del error"));
}
