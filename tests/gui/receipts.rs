//! Receipts from the window: a printer chosen in Settings (a fake network printer on
//! 127.0.0.1), the receipt printed by itself after a sale, and "Print receipt" on the result
//! card printing a reprint once however fast it is pressed twice, and History's details
//! printing the next reprint.

use std::io::Read;
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use saldo::domain::TxState;

#[path = "../shop_day/escpos_decoder.rs"]
#[allow(dead_code)]
mod escpos_decoder;

use super::support::*;

/// A network printer on 127.0.0.1: every connection's bytes, in order.
fn fake_printer() -> (String, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        for connection in listener.incoming() {
            let mut bytes = Vec::new();
            if connection
                .and_then(|mut c| c.read_to_end(&mut bytes))
                .is_ok()
            {
                let _ = sender.send(bytes);
            }
        }
    });
    (address, received)
}

/// Runs frames until a notification says `wanted`.
fn wait_for_notification(harness: &mut App, wanted: &str) {
    let owned = wanted.to_string();
    run_until(harness, wanted, move |h| {
        h.state().recent_notifications().iter().any(|n| n == &owned)
    });
}

/// Waits (running frames) for the printer's next receipt.
fn next_print(harness: &mut App, printer: &mpsc::Receiver<Vec<u8>>) -> Vec<u8> {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Ok(bytes) = printer.try_recv() {
            return bytes;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no receipt reached the printer"
        );
        harness.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_sale_prints_its_receipt_by_itself_and_a_double_press_reprints_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let (address, printer) = fake_printer();
    let mut harness = demo_app(dir.path());
    wait_for(&mut harness, "Customer number");

    open_panel(&mut harness, "Settings");
    harness.get_by_label("Receipts").click();
    wait_for(&mut harness, "Save for every counter");
    harness.get_by_label("Network thermal printer").click();
    run_until(&mut harness, "the printer's address field", |h| {
        h.query_by(|n| n.role() == Role::TextInput && n.label().as_deref() == Some("Where"))
            .is_some()
    });
    type_into(&mut harness, "Where", &address);
    harness.get_by_label("58 mm").click();
    harness
        .get_by_label("Print the receipt after every sale")
        .click();
    harness.run_steps(2);

    open_panel(&mut harness, "Counter");
    wait_for(&mut harness, "15.00 USD");
    type_into(&mut harness, "Customer number", "52942387");
    click(&mut harness, "15.00 USD");
    click(&mut harness, "Review");
    wait_for(&mut harness, "Amount: 15.00 USD");
    harness.run_steps(4);
    harness.key_press(Key::Enter);
    wait_for(&mut harness, "Top-up succeeded");
    let sale = ledger_rows(&harness, 1).remove(0);
    assert_eq!(sale.state, TxState::Succeeded);

    // The receipt reached the printer without a press: Spanish (a Cuban profile), 58 mm,
    // its QR code our reference, and no reprint mark.
    let original = escpos_decoder::decode(&next_print(&mut harness, &printer));
    assert_eq!(original.qr_codes, [sale.reference.to_string()]);
    assert!(
        original
            .lines
            .iter()
            .any(|l| l.starts_with("Recibo") && l.ends_with(" 1")),
        "{:#?}",
        original.lines
    );
    assert!(
        original.lines.iter().all(|l| !l.contains("REIMPRESI")),
        "{:#?}",
        original.lines
    );
    assert!(
        original
            .lines
            .iter()
            .all(|l| l.chars().count() <= 32 || l.starts_with('<') || l.starts_with('['))
    );
    wait_for_notification(&mut harness, "Receipt 1 printed");

    // A double click (two presses a few frames apart, the first print perhaps already done
    // over loopback): one reprint.
    wait_for_enabled_button(&mut harness, "Print receipt");
    harness
        .get_by_role_and_label(Role::Button, "Print receipt")
        .click();
    harness.step();
    harness.step();
    if let Some(again) = harness.query_by_role_and_label(Role::Button, "Print receipt") {
        again.click();
    }
    harness.run_steps(2);
    let reprint = escpos_decoder::decode(&next_print(&mut harness, &printer));
    assert!(
        reprint.lines.iter().any(|l| l.contains("REIMPRESIÓN 1")),
        "{:#?}",
        reprint.lines
    );
    wait_for_notification(&mut harness, "Receipt 1 printed again (REPRINT 1)");
    harness.run_steps(10);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        printer.try_recv().is_err(),
        "the second press printed again"
    );
    let ledger = harness.state().services().engine.ledger();
    let prints = ledger.receipt_prints(&sale.reference).unwrap();
    assert_eq!(prints.iter().map(|p| p.copy).collect::<Vec<_>>(), [0, 1]);

    // From History's details, later: the second reprint of the same receipt number.
    open_panel(&mut harness, "History");
    run_until(&mut harness, "the sale's row", |h| shows(h, "+5352942387"));
    harness
        .query_all_by_label("+5352942387")
        .next()
        .unwrap()
        .click();
    wait_for(&mut harness, "What happened");
    wait_for_enabled_button(&mut harness, "Print receipt");
    harness
        .get_by_role_and_label(Role::Button, "Print receipt")
        .click();
    harness.run_steps(2);
    let second = escpos_decoder::decode(&next_print(&mut harness, &printer));
    assert_eq!(second.qr_codes, [sale.reference.to_string()]);
    assert!(
        second.lines.iter().any(|l| l.contains("REIMPRESIÓN 2")),
        "{:#?}",
        second.lines
    );
}
