//! The real window's app driven with egui_kittest over the in-process demo simulator: find
//! widgets by their accessible labels, type, click, and check the screen and the ledger.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use saldo::domain::TxState;
use saldo::simulator::{Fault, FaultRule};
use saldo::ui::services::DEMO_PROFILE;
use saldo::ui::{SaldoApp, Services};

fn demo_app(dir: &std::path::Path, timeout_secs: Option<u64>) -> Harness<'static, SaldoApp> {
    let services = Services::demo_in(dir).expect("demo services start");
    if let Some(secs) = timeout_secs {
        let ledger = services.engine.ledger();
        let mut profile = ledger.profile(DEMO_PROFILE).unwrap();
        profile.settings.request_timeout_secs = secs;
        ledger
            .update_profile(DEMO_PROFILE, &profile.base_url, &profile.settings)
            .unwrap();
    }
    Harness::builder()
        .with_size([1000.0, 700.0])
        .build_eframe(|cc| SaldoApp::new(&cc.egui_ctx, services))
}

/// Runs frames until `done` holds, failing after `limit`.
fn run_until(
    harness: &mut Harness<'_, SaldoApp>,
    what: &str,
    limit: Duration,
    done: impl Fn(&Harness<'_, SaldoApp>) -> bool,
) {
    let start = Instant::now();
    loop {
        harness.step();
        if done(harness) {
            return;
        }
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The newest rows of the app's ledger.
fn ledger_rows(harness: &Harness<'_, SaldoApp>) -> Vec<saldo::ledger::TxRecord> {
    let ledger = harness.state().services().engine.ledger();
    ledger.history_page(None, 10).expect("ledger readable")
}

fn shows(harness: &Harness<'_, SaldoApp>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

fn enter_topup(harness: &mut Harness<'_, SaldoApp>, number: &str, amount: &str) {
    run_until(harness, "the counter", Duration::from_secs(10), |h| {
        shows(h, "Customer number") && shows(h, amount)
    });
    let field = harness.get_by_label("Customer number");
    field.focus();
    field.type_text(number);
    harness.step();
    harness.get_by_label(amount).click();
    harness.step();
    harness.get_by_label("Review").click();
    harness.step();
    harness.step();
}

#[test]
fn a_clerk_tops_up_a_number_and_sees_the_result_and_the_history_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path(), None);
    run_until(
        &mut harness,
        "the demo banner",
        Duration::from_secs(10),
        |h| shows(h, "DEMO"),
    );
    run_until(&mut harness, "the balance", Duration::from_secs(10), |h| {
        shows(h, "Balance (demo-cuba): 500.00 USD")
    });

    // Keyboard only after the amount: Enter reviews, Enter sends.
    run_until(&mut harness, "the counter", Duration::from_secs(10), |h| {
        shows(h, "Customer number")
    });
    let field = harness.get_by_label("Customer number");
    field.focus();
    field.type_text("52942387");
    harness.step();
    // A mouse click leaves keyboard focus on the amount button, as in the real window.
    let amount = harness.get_by_label("20.00 USD");
    amount.click();
    amount.focus();
    harness.step();
    assert!(!harness.get_by_label("Customer number").is_focused());
    harness.key_press(egui::Key::Enter);
    harness.step();
    harness.step();
    assert!(shows(&harness, "Number: +5352942387"));
    assert!(shows(&harness, "Amount: 20.00 USD"));
    harness.key_press(egui::Key::Enter);
    run_until(&mut harness, "the result", Duration::from_secs(15), |h| {
        shows(h, "Top-up succeeded")
    });
    assert!(shows(&harness, "Provider reference: qvatel-23479287356"));
    run_until(
        &mut harness,
        "the new balance",
        Duration::from_secs(10),
        |h| shows(h, "480.00 USD"),
    );

    // The ledger holds exactly this top-up, and the provider received exactly one send.
    let rows = ledger_rows(&harness);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, TxState::Succeeded);
    assert_eq!(rows[0].destination, "+5352942387");
    let reference = rows[0].reference.to_string();
    assert!(shows(&harness, &format!("Our reference: {reference}")));
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let sends = sim.requests_to("/recharge/send");
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0].param("destino").as_deref(), Some("+5352942387"));
    assert_eq!(sends[0].param("monto").as_deref(), Some("20.00"));

    // The History panel shows the new row.
    harness.get_by_label("History").click();
    run_until(
        &mut harness,
        "the history row",
        Duration::from_secs(10),
        |h| shows(h, &reference),
    );
    assert!(shows(&harness, "succeeded"));

    // Back at the counter, the next customer starts with an empty, focused number field.
    harness.get_by_label("Top-up").click();
    harness.step();
    harness.get_by_label("Next customer").click();
    harness.step();
    harness.step();
    let field = harness.get_by_label("Customer number");
    assert_eq!(field.value().as_deref(), Some(""));
    assert!(field.is_focused());
}

#[test]
fn a_wrong_number_is_explained_and_cannot_be_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path(), None);
    enter_topup(&mut harness, "5294238", "15.00 USD");
    assert!(shows(
        &harness,
        "A Cuba mobile number has 8 digits, this one has 7"
    ));
    assert!(
        harness.query_by_label("Send top-up").is_none(),
        "review must not open"
    );
    let ledger = harness.state().services().engine.ledger().clone();
    assert!(ledger.history_page(None, 10).unwrap().is_empty());
}

#[test]
fn an_unclear_outcome_says_do_not_resend() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path(), Some(1));
    harness
        .state()
        .services()
        .simulator
        .as_ref()
        .unwrap()
        .inject(FaultRule::once("/recharge/send", Fault::TimeoutAfterCommit));
    enter_topup(&mut harness, "52942387", "15.00 USD");
    harness.get_by_label("Send top-up").click();
    run_until(
        &mut harness,
        "the unknown outcome",
        Duration::from_secs(15),
        |h| shows(h, "Outcome unknown - do not resend"),
    );
    assert!(shows(&harness, "Do NOT send it again"));
    let rows = ledger_rows(&harness);
    assert_eq!(rows[0].state, TxState::Unknown);
}

/// Opens a labelled drop-down, scrolls to an option and picks it; returns the drop-down's value.
fn choose(harness: &mut Harness<'_, SaldoApp>, dropdown: &str, option: &str) -> Option<String> {
    harness.get_by_label(dropdown).click();
    harness.run_steps(2);
    harness.get_by_label(option).scroll_to_me();
    harness.run_steps(4);
    harness.get_by_label(option).click();
    harness.run_steps(2);
    harness.get_by_label(dropdown).value()
}

#[test]
fn a_rechargekit_top_up_takes_a_typed_amount_an_operator_and_a_circle() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path(), None);
    run_until(&mut harness, "the profiles", Duration::from_secs(10), |h| {
        shows(h, "Customer number")
    });
    let picked = choose(&mut harness, "Profile", "demo-india");
    assert_eq!(picked.as_deref(), Some("demo-india"));
    run_until(&mut harness, "the wallet", Duration::from_secs(10), |h| {
        shows(h, "Balance (demo-india): 25000.00 INR")
    });
    let field = harness.get_by_label("Customer number");
    field.focus();
    field.type_text("96798 33706");
    harness.step();
    let amount = harness.get_by_label("Amount");
    amount.focus();
    amount.type_text("49");
    harness.step();
    assert!(shows(&harness, "Choose the operator and circle."));
    assert_eq!(
        choose(&mut harness, "Operator", "Jio").as_deref(),
        Some("Jio")
    );
    assert_eq!(
        choose(&mut harness, "Circle", "Mumbai").as_deref(),
        Some("Mumbai")
    );
    harness.get_by_label("Review").click();
    harness.step();
    harness.step();
    assert!(shows(&harness, "Number: +919679833706"));
    assert!(shows(&harness, "Amount: 49.00 INR"));
    assert!(shows(&harness, "Operator: Jio"));
    assert!(shows(&harness, "Circle: Mumbai"));
    harness.get_by_label("Send top-up").click();
    run_until(&mut harness, "the result", Duration::from_secs(15), |h| {
        shows(h, "Top-up succeeded")
    });
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let sent = sim.requests_to("/recharge/prepaid");
    assert_eq!(sent.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["operator_code"], 3);
    assert_eq!(body["circle"], 15);
    assert_eq!(body["amount"], 49);
    let rows = ledger_rows(&harness);
    assert_eq!(rows[0].profile_name, "demo-india");
    assert_eq!(rows[0].state, TxState::Succeeded);
}

#[test]
fn a_repeat_at_the_counter_asks_for_a_second_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path(), None);
    for round in 0..3 {
        enter_topup(&mut harness, "52942387", "15.00 USD");
        harness.get_by_label("Send top-up").click();
        if round == 0 {
            run_until(
                &mut harness,
                "the first result",
                Duration::from_secs(15),
                |h| shows(h, "Top-up succeeded"),
            );
            harness.get_by_label("Next customer").click();
            harness.run_steps(2);
            continue;
        }
        run_until(
            &mut harness,
            "the repeat warning",
            Duration::from_secs(15),
            |h| shows(h, "Same top-up moments ago - send again?"),
        );
        assert!(shows(&harness, "looks like a repeat of SAL-"));
        if round == 1 {
            // Cancel: nothing is sent, the counter is ready for the next customer.
            harness.get_by_label("Cancel").click();
            harness.run_steps(2);
            assert_eq!(ledger_rows(&harness).len(), 1);
        } else {
            harness.get_by_label("Send again anyway").click();
            run_until(
                &mut harness,
                "the confirmed repeat",
                Duration::from_secs(15),
                |h| shows(h, "Top-up succeeded"),
            );
        }
    }
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(
        sim.requests_to("/recharge/send").len(),
        2,
        "the cancelled one never left"
    );
    assert_eq!(ledger_rows(&harness).len(), 2);
}
