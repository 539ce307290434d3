//! The window in Spanish: chosen in Settings, every panel's words change, input errors and the
//! provider's refusal read in Spanish. Its own test binary, because the language is the whole
//! window's (and so the whole process's) setting.

#[path = "gui/support.rs"]
#[allow(dead_code)]
mod support;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use saldo::simulator::{Fault, FaultRule, qvatel};
use saldo::ui::i18n::{Language, language};
use support::*;

#[test]
fn a_shop_switches_to_spanish_and_every_panel_speaks_it() {
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
    wait_for(&mut harness, "15.00 USD");
    type_into(&mut harness, "Número del cliente", "5294238");
    assert!(shows(
        &harness,
        "Un número móvil de Cuba tiene 8 dígitos; este tiene 7."
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
    harness.get_by_label("15.00 USD").click();
    harness.run_steps(2);
    click(&mut harness, "Revisar");
    click(&mut harness, "Enviar recarga");
    wait_for(&mut harness, "Recarga fallida");
    assert!(shows(&harness, "Descripción del error"));
}
