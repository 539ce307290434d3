//! The details of the history row the person selected: every field whole, the references with
//! copy buttons, and what happened to the operation (its event log), under the table.

use egui::RichText;

use crate::domain::time::local_text;
use crate::ledger::receipts::receipt_allowed;
use crate::ledger::{EventRecord, TxRecord};
use crate::receipt::printer::ReceiptPrinter;
use crate::t;
use crate::ui::panels::history::state_colour;
use crate::ui::text::error_text::{kind_text, outcome_text, state_text};
use crate::ui::text::notes::message_text;
use crate::ui::text::numbers::money_text;
use crate::ui::text::words::Words;
use crate::ui::theme::FAILURE;
use crate::ui::widgets::copy_line::copy_line_ui;
use crate::ui::widgets::event_detail::event_detail_ui;
use crate::ui::widgets::print_button::print_button_ui;

/// The event log of the selected operation, once read.
pub type LoadedEvents = Option<Result<Vec<EventRecord>, Words>>;

/// The pane. Returns whether the person closes it, and whether they asked for its receipt
/// (offered for an operation that went through or is being confirmed).
pub fn details_ui(
    ui: &mut egui::Ui,
    record: &TxRecord,
    events: &LoadedEvents,
    printer: &ReceiptPrinter,
    printing: bool,
) -> (bool, bool) {
    let mut close = false;
    let mut print = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            let title = t!(
                "history-details-title",
                kind = kind_text(record.kind),
                destination = record.destination.as_str()
            );
            ui.strong(title);
            close = ui.button(t!("history-details-close")).clicked();
            if receipt_allowed(record.state) {
                print = print_button_ui(ui, printer, printing, 14.0);
            }
        });
        egui::Grid::new("history-details")
            .num_columns(2)
            .spacing([16.0, 4.0])
            .show(ui, |ui| fields_ui(ui, record));
        ui.add_space(4.0);
        events_ui(ui, events);
    });
    (
        close || ui.input(|i| i.key_pressed(egui::Key::Escape)),
        print,
    )
}

fn fields_ui(ui: &mut egui::Ui, record: &TxRecord) {
    let row = |ui: &mut egui::Ui, label: String, value: RichText| {
        ui.label(RichText::new(label).weak());
        ui.label(value);
        ui.end_row();
    };
    row(
        ui,
        t!("history-col-time"),
        local_text(record.created_at).into(),
    );
    row(
        ui,
        t!("history-col-profile"),
        record.profile_name.as_str().into(),
    );
    row(
        ui,
        t!("history-col-amount"),
        RichText::new(money_text(record.amount)).strong(),
    );
    let state = RichText::new(outcome_text(record));
    row(
        ui,
        t!("history-col-state"),
        state_colour(record.state).map_or(state.clone(), |c| state.color(c)),
    );
    ui.label(RichText::new(t!("history-col-reference")).weak());
    copy_line_ui(ui, record.reference.as_str(), record.reference.as_str());
    ui.end_row();
    if let Some(reference) = &record.provider_ref {
        ui.label(RichText::new(t!("history-col-provider-reference")).weak());
        copy_line_ui(ui, reference.as_str(), reference);
        ui.end_row();
    }
    if let Some(message) = record.provider_message.as_deref().filter(|m| !m.is_empty()) {
        ui.label(RichText::new(t!("history-col-message")).weak());
        let message = message_text(message);
        if crate::ui::text::rtl::has_rtl(&message) {
            crate::ui::text::rtl::rtl_label(ui, &message);
        } else {
            ui.add(egui::Label::new(message).wrap());
        }
        ui.end_row();
    }
    if let Some(reason) = &record.review_reason {
        ui.label(RichText::new(t!("history-details-review")).weak());
        let reason = crate::ui::text::review_reasons::review_reason_text(reason);
        ui.add(egui::Label::new(reason).wrap());
        ui.end_row();
    }
}

fn events_ui(ui: &mut egui::Ui, events: &LoadedEvents) {
    ui.label(RichText::new(t!("history-details-events")).strong());
    match events {
        None => {
            ui.spinner();
        }
        Some(Err(error)) => {
            ui.colored_label(FAILURE, error);
        }
        Some(Ok(events)) => {
            for (index, event) in events.iter().enumerate() {
                let change = match event.from_state {
                    Some(from) => t!(
                        "history-event-change",
                        from = state_text(from),
                        to = state_text(event.to_state)
                    ),
                    None => state_text(event.to_state),
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(local_text(event.at)).monospace());
                    ui.label(change);
                });
                if let Some(detail) = &event.detail {
                    event_detail_ui(ui, detail, ("history-raw", event.at, index));
                }
            }
        }
    }
}
