//! The counter cannot be hurried into a wrong sale: an amount shortcut never changes the
//! number, the review needs a deliberate Enter (not a double press, a bouncing or a held key),
//! closing while a top-up is on its way asks first, the problems of a profile show before the
//! sale is typed, and a sale to another country hands the counter back to the shop's profile.
//! Key events are fed as egui-winit delivers them, with the frame times they arrive at.

use egui::{Event, Key, Modifiers, ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::kittest::Queryable;
use saldo::domain::{Money, Reference, TxState};
use saldo::ledger::{NewOperation, StateChange, TxKind};
use saldo::secrets::SecretKind;
use saldo::simulator::{Fault, FaultRule};
use saldo::ui::services::DEMO_PROFILE;

use super::support::*;

fn at_the_counter(harness: &mut App) {
    wait_for(harness, "Customer number");
    wait_for(harness, "15.00 USD");
}

fn sends(harness: &App) -> usize {
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.requests_to("/recharge/send").len()
}

/// One frame at `at` seconds of egui time carrying `events`, with `modifiers` held (egui-winit
/// says the modifiers with an event before the keys).
fn frame_at(harness: &mut App, at: f64, modifiers: Modifiers, events: Vec<Event>) {
    let input = harness.input_mut();
    input.time = Some(at);
    input.events.push(Event::ModifiersChanged(modifiers));
    input.events.extend(events);
    harness.step();
}

fn enter(pressed: bool) -> Event {
    Event::Key {
        key: Key::Enter,
        physical_key: Some(Key::Enter),
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

fn now(harness: &App) -> f64 {
    harness.ctx.input(|i| i.time)
}

/// Types a valid number and picks 15.00 USD.
fn a_sale_typed(harness: &mut App) {
    at_the_counter(harness);
    type_into(harness, "Customer number", "52942387");
    harness.get_by_label("15.00 USD").click();
    harness.run_steps(2);
}

#[test]
fn alt_digit_picks_the_amount_and_never_types_into_the_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    type_into(&mut harness, "Customer number", "529423");
    let t = now(&harness) + 0.1;
    let key = |key, pressed, modifiers| Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers,
    };
    let alt_2 = |pressed| key(Key::Num2, pressed, Modifiers::ALT);
    // egui-winit sends Alt+2 as the key and the text "2" in the same frame; a digit typed
    // just before it can land in that frame too (the real window under xdotool did): the digit
    // stays, the shortcut's "2" does not.
    frame_at(
        &mut harness,
        t,
        Modifiers::ALT,
        vec![
            key(Key::Num8, true, Modifiers::NONE),
            Event::Text("8".into()),
            key(Key::Num8, false, Modifiers::NONE),
            alt_2(true),
            Event::Text("2".into()),
        ],
    );
    frame_at(&mut harness, t + 0.05, Modifiers::NONE, vec![alt_2(false)]);
    harness.run_steps(2);
    assert_eq!(
        text_field(&harness, "Customer number").value().as_deref(),
        Some("5294238"),
        "the shortcut's digit must not reach the number"
    );
    assert!(shows(
        &harness,
        "Mobile numbers in Cuba have 8 digits; this one has 7."
    ));
    // The number is finished by hand; the review shows it and the amount Alt+2 picked.
    type_into(&mut harness, "Customer number", "7");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(&mut harness, "Number: +53 52942387");
    assert!(shows(&harness, "Amount: 20.00 USD"));
}

#[test]
fn enter_enter_a_bouncing_key_or_a_held_key_never_sends_without_a_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    a_sale_typed(&mut harness);
    // Two presses 120 ms apart: the first opens the review, the second does nothing.
    let t = now(&harness) + 0.1;
    frame_at(&mut harness, t, Modifiers::NONE, vec![enter(true)]);
    frame_at(&mut harness, t + 0.06, Modifiers::NONE, vec![enter(false)]);
    frame_at(&mut harness, t + 0.12, Modifiers::NONE, vec![enter(true)]);
    frame_at(&mut harness, t + 0.18, Modifiers::NONE, vec![enter(false)]);
    assert!(
        shows(&harness, "Number: +53 52942387"),
        "the review is on show"
    );
    // A held Enter: winit repeats the press (egui marks the repeats), then releases.
    let mut at = t + 0.5;
    frame_at(&mut harness, at, Modifiers::NONE, vec![enter(true)]);
    for _ in 0..40 {
        at += 0.033;
        frame_at(&mut harness, at, Modifiers::NONE, vec![enter(true)]);
    }
    frame_at(&mut harness, at + 0.03, Modifiers::NONE, vec![enter(false)]);
    // X11 without detectable auto-repeat: press and release pairs at 30 Hz.
    for _ in 0..30 {
        at += 0.033;
        frame_at(&mut harness, at, Modifiers::NONE, vec![enter(true)]);
        frame_at(&mut harness, at + 0.01, Modifiers::NONE, vec![enter(false)]);
    }
    harness.run_steps(3);
    assert!(
        shows(&harness, "Number: +53 52942387"),
        "still on the review"
    );
    assert_eq!(sends(&harness), 0, "nothing was sent");

    // A deliberate Enter, after a still moment, sends — once.
    let t = now(&harness) + 1.0;
    frame_at(&mut harness, t, Modifiers::NONE, vec![enter(true)]);
    frame_at(&mut harness, t + 0.08, Modifiers::NONE, vec![enter(false)]);
    wait_for(&mut harness, "Top-up succeeded");
    assert_eq!(sends(&harness), 1);
}

#[test]
fn a_double_click_on_review_does_not_also_click_send() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    a_sale_typed(&mut harness);
    click(&mut harness, "Review");
    let send = harness.get_by_role_and_label(egui::accesskit::Role::Button, "Send top-up");
    assert!(
        egui_kittest::kittest::NodeT::accesskit_node(&send).is_disabled(),
        "Send is disabled for a moment after the review appears"
    );
    send.click();
    harness.run_steps(1);
    assert_eq!(sends(&harness), 0);
    wait_for_enabled_button(&mut harness, "Send top-up");
    click(&mut harness, "Send top-up");
    wait_for(&mut harness, "Top-up succeeded");
    assert_eq!(sends(&harness), 1);
}

fn viewport_commands(harness: &App) -> Vec<ViewportCommand> {
    harness
        .output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

fn ask_to_close(harness: &mut App) -> Vec<ViewportCommand> {
    harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    harness.step();
    viewport_commands(harness)
}

#[test]
fn closing_the_window_while_a_top_up_is_sent_asks_first_and_closes_when_it_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    let sim = harness.state().services().simulator.as_ref().unwrap();
    sim.inject(FaultRule::once(
        "/recharge/send",
        Fault::Latency { ms: 2500 },
    ));
    a_sale_typed(&mut harness);
    click(&mut harness, "Review");
    wait_for_enabled_button(&mut harness, "Send top-up");
    click(&mut harness, "Send top-up");
    assert!(shows(&harness, "do not close saldo"));

    let commands = ask_to_close(&mut harness);
    assert!(
        commands.contains(&ViewportCommand::CancelClose),
        "the close is held: {commands:?}"
    );
    harness.run_steps(1);
    assert!(shows(&harness, "Something is still on its way"));
    assert!(shows(&harness, "a top-up being sent"));
    click(&mut harness, "Close when it is finished");
    run_until(&mut harness, "the close after the send", |h| {
        viewport_commands(h).contains(&ViewportCommand::Close)
    });
    let row = ledger_rows(&harness, 1).remove(0);
    assert_eq!(row.state, TxState::Succeeded, "it closed after the outcome");

    // With nothing on its way a close goes through at once.
    let dir = tempfile::tempdir().unwrap();
    let mut idle = demo_app(dir.path());
    at_the_counter(&mut idle);
    let commands = ask_to_close(&mut idle);
    assert!(!commands.contains(&ViewportCommand::CancelClose));
}

#[test]
fn an_interrupted_send_is_reported_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let reference = {
        // What a saldo killed mid-send leaves: a row committed as sending, nobody's claim.
        let harness = demo_app(dir.path());
        let ledger = harness.state().services().engine.ledger().clone();
        let reference = Reference::generate();
        let profile = ledger.profile(DEMO_PROFILE).unwrap();
        ledger
            .record_sending(
                &NewOperation {
                    reference: &reference,
                    kind: TxKind::TopUp,
                    profile_id: profile.id,
                    destination: "+5352942387",
                    amount: Money::parse("15.00", profile.settings.unit).unwrap(),
                    repeat_guard: None,
                    request: None,
                    batch_row: None,
                },
                &StateChange::default(),
            )
            .unwrap();
        reference
    };
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    let notice = format!("saldo was closed while an operation was on its way ({reference})");
    wait_for(&mut harness, &notice);
    assert!(
        harness
            .state()
            .recent_notifications()
            .iter()
            .any(|n| n.contains(&notice))
    );
}

#[test]
fn a_profile_that_cannot_sell_says_so_before_the_sale_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let harness = demo_app(dir.path());
    let ledger = harness.state().services().engine.ledger().clone();
    let mut profile = ledger.profile(DEMO_PROFILE).unwrap();
    // The demo balance is 500.00 USD: a floor of 600.00 pauses every sale.
    profile.settings.sales_floor_minor = Some(60_000);
    ledger
        .update_profile(DEMO_PROFILE, &profile.base_url, &profile.settings)
        .unwrap();
    drop(harness);
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    // Nothing typed yet, and the counter already says it.
    wait_for(&mut harness, "Sales are paused");
    assert_eq!(
        text_field(&harness, "Customer number").value().as_deref(),
        Some("")
    );

    // A missing API key is said the same way, as soon as the profile is chosen.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = demo_app(dir.path());
    at_the_counter(&mut harness);
    harness
        .state()
        .services()
        .engine
        .secrets()
        .delete("demo-india", SecretKind::ApiToken)
        .unwrap();
    type_into(&mut harness, "Customer number", "+91");
    run_until(&mut harness, "the India profile", |h| {
        h.get_by_label("Profile").value().as_deref() == Some("demo-india")
    });
    wait_for(&mut harness, "Profile “demo-india” has no API token saved");
}
