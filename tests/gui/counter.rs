//! The counter: keyboard-only top-ups, the reasons a number is refused, rejected and unknown
//! outcomes, the repeat guard, RechargeKit's remembered choices, favourites, the sales floor.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use saldo::domain::TxState;
use saldo::simulator::{Fault, FaultRule, qvatel};
use saldo::ui::services::DEMO_PROFILE;

use egui::accesskit::Role;

use super::support::*;

/// Alt+digit as egui-winit delivers it: in one frame, with Alt held, the key and then the
/// digit as text (egui-winit drops the text only for Ctrl and Cmd); the release in the next.
fn alt_digit(harness: &mut App, key: Key, digit: &str) {
    let key_event = |pressed| egui::Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers: Modifiers::ALT,
    };
    let input = harness.input_mut();
    input
        .events
        .push(egui::Event::ModifiersChanged(Modifiers::ALT));
    input.events.push(key_event(true));
    input.events.push(egui::Event::Text(digit.to_string()));
    harness.step();
    let input = harness.input_mut();
    input.events.push(key_event(false));
    input
        .events
        .push(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.step();
    harness.run_steps(1);
}

fn at_the_counter(harness: &mut App) {
    wait_for(harness, "Customer number");
    wait_for(harness, "15.00 USD");
}

#[test]
fn a_clerk_tops_up_by_keyboard_alone_and_the_next_customer_starts_in_the_number_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    let before = ledger_count(&harness);
    // The number field has the focus from the start.
    assert!(text_field(&harness, "Customer number").is_focused());
    harness
        .get_by_label("Customer number")
        .type_text("52942387");
    harness.run_steps(2);
    assert!(
        shows(&harness, "Will top up +53 52942387") || shows(&harness, "Will top up +5352942387")
    );
    // Alt+2 picks the second amount while the number field keeps the typing.
    alt_digit(&mut harness, Key::Num2, "2");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(&mut harness, "Amount: 20.00 USD");
    assert!(shows(&harness, "Number: +53 52942387"));
    // Enter after the customer has had a moment to check sends.
    harness.run_steps(4);
    harness.key_press(Key::Enter);
    wait_for(&mut harness, "Top-up succeeded");
    assert!(shows(&harness, "Provider reference: qvatel-"));

    let rows = ledger_rows(&harness, 1);
    assert_eq!(ledger_count(&harness), before + 1);
    assert_eq!(rows[0].state, TxState::Succeeded);
    assert_eq!(rows[0].destination, "+5352942387");
    assert_eq!(rows[0].amount.to_string(), "20.00 USD");
    assert!(shows(
        &harness,
        &format!("Our reference: {}", rows[0].reference)
    ));
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let sends = sim.requests_to("/recharge/send");
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0].param("monto").as_deref(), Some("20.00"));

    // Enter: the next customer, with an empty number field holding the focus.
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let field = text_field(&harness, "Customer number");
    assert_eq!(field.value().as_deref(), Some(""));
    assert!(field.is_focused());
    // The number is now among the recent ones.
    wait_for(&mut harness, "+5352942387");
}

#[test]
fn a_wrong_number_is_explained_and_cannot_be_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    let before = ledger_count(&harness);
    type_into(&mut harness, "Customer number", "5294238");
    assert!(shows(
        &harness,
        "Mobile numbers in Cuba have 8 digits; this one has 7."
    ));
    harness.get_by_label("15.00 USD").click();
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(
        harness.query_by_label("Send top-up").is_none(),
        "review must not open"
    );
    assert_eq!(ledger_count(&harness), before);
    // A letter never lands in the number; the clerk is told why.
    type_into(&mut harness, "Customer number", "x");
    assert_eq!(
        text_field(&harness, "Customer number").value().as_deref(),
        Some("5294238")
    );
    assert!(shows(&harness, "Only digits can be typed here"));
}

#[test]
fn a_refused_top_up_says_why_and_that_nothing_was_charged() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once(
        "/recharge/send",
        Fault::Body {
            body: qvatel::examples::SEND_FAILED.to_string(),
        },
    ));
    send_top_up(&mut harness, "52942387", "15.00 USD");
    wait_for(&mut harness, "Top-up failed");
    assert!(shows(&harness, "Reason: Descripción del error"));
    assert!(shows(&harness, "nothing was charged"));
    assert_eq!(ledger_rows(&harness, 1)[0].state, TxState::Failed);
}

#[test]
fn an_unclear_outcome_says_do_not_resend_and_lands_in_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    set_timeout(&harness, 1);
    at_the_counter(&mut harness);
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once("/recharge/send", Fault::TimeoutAfterCommit));
    send_top_up(&mut harness, "52942387", "15.00 USD");
    wait_for(&mut harness, "Outcome unknown — do not resend");
    // One plain sentence (the time limit is the profile's as the window last read it).
    assert!(shows(&harness, "QvaTel did not answer within "));
    assert!(shows(
        &harness,
        "The top-up may have gone through — do not resend; saldo keeps checking."
    ));
    // The technical words wait behind Details.
    assert!(!shows(&harness, "Technical detail"));
    harness.get_by_label("Details").click();
    harness.run_steps(2);
    assert!(shows(
        &harness,
        "Technical detail: No clear answer from the provider ("
    ));
    assert!(shows(&harness, "Outcome unknown"), "the icon says it too");
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(row.state, TxState::Unknown);
    // The same top-up typed again is refused outright while it is open: no "send anyway".
    click(&mut harness, "Next customer");
    harness.run_steps(2);
    send_top_up(&mut harness, "52942387", "15.00 USD");
    wait_for(&mut harness, "is still unknown");
    assert!(harness.query_by_label("Send again anyway").is_none());
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(
        sim.requests_to("/recharge/send").len(),
        1,
        "nothing was sent again"
    );
    // The Review panel lists it with its evidence.
    open_panel(&mut harness, "Needs review");
    wait_for(&mut harness, row.reference.as_str());
}

#[test]
fn a_repeat_at_the_counter_asks_for_a_second_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    let before = ledger_count(&harness);
    for round in 0..3 {
        at_the_counter(&mut harness);
        type_into(&mut harness, "Customer number", "52942387");
        harness.get_by_label("15.00 USD").click();
        harness.run_steps(2);
        click(&mut harness, "Review");
        wait_for_enabled_button(&mut harness, "Send top-up");
        click(&mut harness, "Send top-up");
        if round == 0 {
            wait_for(&mut harness, "Top-up succeeded");
            click(&mut harness, "Next customer");
            harness.run_steps(2);
            continue;
        }
        wait_for(&mut harness, "Same top-up moments ago — send again?");
        assert!(shows(&harness, "This repeats SAL-"));
        if round == 1 {
            click(&mut harness, "Cancel");
            harness.run_steps(2);
            assert_eq!(ledger_count(&harness), before + 1);
        } else {
            wait_for_enabled_button(&mut harness, "Send again anyway");
            click(&mut harness, "Send again anyway");
            wait_for(&mut harness, "Top-up succeeded");
        }
    }
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert_eq!(
        sim.requests_to("/recharge/send").len(),
        2,
        "the cancelled one never left"
    );
    assert_eq!(ledger_count(&harness), before + 2);
}

#[test]
fn a_thousands_separator_is_asked_about_and_the_review_shows_the_amount_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    let before = ledger_count(&harness);
    type_into(&mut harness, "Customer number", "+91 96798 33706");
    run_until(&mut harness, "the India profile", |h| {
        h.get_by_label("Profile").value().as_deref() == Some("demo-india")
    });
    choose(&mut harness, "Operator", "Jio");
    choose(&mut harness, "Circle", "Mumbai");
    type_into(&mut harness, "Amount", "1,000");
    assert!(shows(
        &harness,
        "“1,000” is ambiguous: did you mean 1000 or 1? Type the one you mean."
    ));
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(harness.query_by_label("Send top-up").is_none(), "no review");
    assert_eq!(ledger_count(&harness), before);
    // Typed plainly, the review shows exactly what will be sent.
    text_field(&harness, "Amount").focus();
    harness.run_steps(1);
    for _ in 0..5 {
        harness.key_press(Key::Backspace);
    }
    type_into(&mut harness, "Amount", "1000");
    click(&mut harness, "Review");
    wait_for(&mut harness, "Amount: 1,000.00 INR");
}

#[test]
fn a_number_with_plus_91_picks_the_india_profile_and_its_choices_are_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    type_into(&mut harness, "Customer number", "+91 96798 33706");
    // The country code chose the RechargeKit profile, which takes any amount.
    run_until(&mut harness, "the India profile", |h| {
        h.get_by_label("Profile").value().as_deref() == Some("demo-india")
    });
    type_into(&mut harness, "Amount", "49");
    assert!(shows(&harness, "Choose the operator and circle."));
    wait_for(
        &mut harness,
        "Operators: RechargeKit's live list (updated just now)",
    );
    assert_eq!(
        choose(&mut harness, "Operator", "Jio").as_deref(),
        Some("Jio")
    );
    assert_eq!(
        choose(&mut harness, "Circle", "Mumbai").as_deref(),
        Some("Mumbai")
    );
    click(&mut harness, "Review");
    assert!(shows(&harness, "Operator: Jio"));
    assert!(shows(&harness, "Circle: Mumbai"));
    wait_for_enabled_button(&mut harness, "Send top-up");
    click(&mut harness, "Send top-up");
    wait_for(&mut harness, "Top-up succeeded");
    let sim = harness.state().services().simulator.as_ref().unwrap();
    let body: serde_json::Value =
        serde_json::from_str(&sim.requests_to("/recharge/prepaid")[0].body).unwrap();
    assert_eq!(
        (body["operator_code"].as_i64(), body["circle"].as_i64()),
        (Some(103), Some(15))
    );
    assert_eq!(ledger_rows(&harness, 1)[0].profile_name, "demo-india");
    // The operators came from the provider's live list, and the counter says so.
    assert_eq!(
        sim.requests_to("/recharge/servicewiseOperatorFetch").len(),
        1
    );

    // The next customer is back on the shop's own (Cuban) profile; the same Indian number
    // typed without +91 is offered to the India profile, and operator and circle come back
    // by themselves.
    click(&mut harness, "Next customer");
    assert!(shows(&harness, "Customer number"), "back at the counter");
    run_until(&mut harness, "the shop's own profile", |h| {
        h.get_by_label("Profile").value().as_deref() == Some(DEMO_PROFILE)
    });
    type_into(&mut harness, "Customer number", "96798 33706");
    click(
        &mut harness,
        "This is a mobile number in India: sell through demo-india",
    );
    run_until(&mut harness, "the India profile", |h| {
        h.get_by_label("Profile").value().as_deref() == Some("demo-india")
    });
    run_until(&mut harness, "the remembered operator", |h| {
        h.get_by_label("Operator").value().as_deref() == Some("Jio")
    });
    assert_eq!(
        harness
            .get_by_role_and_label(Role::ComboBox, "Circle")
            .value()
            .as_deref(),
        Some("Mumbai")
    );
}

#[test]
fn a_favourite_number_is_kept_and_fills_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    type_into(&mut harness, "Customer number", "52942387");
    click(&mut harness, "Add to favourites");
    wait_for(&mut harness, "Remove from favourites");
    let ledger = harness.state().services().engine.ledger().clone();
    let id = ledger.profile(DEMO_PROFILE).unwrap().id;
    assert_eq!(ledger.favourites(id).unwrap()[0].number, "+5352942387");
    // Clear the field, then one click on the favourite fills it again.
    let field = text_field(&harness, "Customer number");
    field.focus();
    for _ in 0..8 {
        harness.key_press(Key::Backspace);
    }
    harness.run_steps(2);
    assert_eq!(
        text_field(&harness, "Customer number").value().as_deref(),
        Some("")
    );
    harness
        .get_all_by_label("+5352942387")
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    assert_eq!(
        text_field(&harness, "Customer number").value().as_deref(),
        Some("52942387")
    );
}

#[test]
fn sales_below_the_floor_are_refused_at_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let harness = demo_app(dir.path());
    let ledger = harness.state().services().engine.ledger().clone();
    let mut profile = ledger.profile(DEMO_PROFILE).unwrap();
    // The demo balance is 500.00 USD: a floor of 490.00 leaves room for no 15.00 sale.
    profile.settings.sales_floor_minor = Some(49_000);
    ledger
        .update_profile(DEMO_PROFILE, &profile.base_url, &profile.settings)
        .unwrap();
    let mut harness = {
        drop(harness);
        demo_app(dir.path())
    };
    at_the_counter(&mut harness);
    wait_for(&mut harness, "Customer number");
    run_until(&mut harness, "the balance", |h| {
        h.state().shop().reading(DEMO_PROFILE).is_some()
    });
    let before = ledger_count(&harness);
    type_into(&mut harness, "Customer number", "52942387");
    harness.get_by_label("15.00 USD").click();
    harness.run_steps(2);
    assert!(shows(&harness, "Sales are paused"));
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(harness.query_by_label("Send top-up").is_none());
    assert_eq!(ledger_count(&harness), before);
    let sim = harness.state().services().simulator.as_ref().unwrap();
    assert!(sim.requests_to("/recharge/send").is_empty());
}
