//! The history: every operation in the ledger, newest first.

use egui_extras::{Column, TableBuilder};

use super::backend::Command;
use crate::domain::time::local_text;
use crate::ledger::TxRecord;

/// How many of the newest operations the table shows.
pub const HISTORY_LIMIT: usize = 500;

/// The history's state: the rows last read from the ledger.
#[derive(Default)]
pub struct HistoryPanel {
    rows: Vec<TxRecord>,
    error: Option<String>,
    loading: bool,
}

impl HistoryPanel {
    /// Asks for a fresh read of the ledger.
    pub fn reload(&mut self, run: &mut dyn FnMut(Command)) {
        self.loading = true;
        run(Command::LoadHistory {
            limit: HISTORY_LIMIT,
        });
    }

    /// Takes the rows read from the ledger.
    pub fn loaded(&mut self, result: Result<Vec<TxRecord>, String>) {
        self.loading = false;
        match result {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}

/// The history table.
pub fn history_ui(ui: &mut egui::Ui, panel: &mut HistoryPanel, run: &mut dyn FnMut(Command)) {
    ui.horizontal(|ui| {
        ui.heading("History");
        if ui.button("Refresh").clicked() {
            panel.reload(run);
        }
        if panel.loading {
            ui.spinner();
        }
    });
    if let Some(error) = &panel.error {
        ui.colored_label(egui::Color32::from_rgb(0xb3, 0x26, 0x1e), error);
    }
    if panel.rows.is_empty() && !panel.loading {
        ui.label("No operations yet.");
        return;
    }
    let text_height = egui::TextStyle::Body.resolve(ui.style()).size + 6.0;
    TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .column(Column::auto().at_least(140.0))
        .column(Column::auto().at_least(170.0))
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto().at_least(110.0))
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::remainder())
        .header(text_height, |mut header| {
            for title in [
                "Time",
                "Reference",
                "Operation",
                "Profile",
                "Number or sub-account",
                "Amount",
                "State",
                "Provider reference",
                "Message",
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(text_height, panel.rows.len(), |mut row| {
                let record = &panel.rows[row.index()];
                let cells = [
                    local_text(record.created_at),
                    record.reference.to_string(),
                    record.kind.label().to_string(),
                    record.profile_name.clone(),
                    record.destination.clone(),
                    record.amount.to_string(),
                    record.state.to_string(),
                    record.provider_ref.clone().unwrap_or_default(),
                    record.provider_message.clone().unwrap_or_default(),
                ];
                for cell in cells {
                    row.col(|ui| {
                        ui.label(cell);
                    });
                }
            });
        });
}
