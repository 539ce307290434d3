//! Exporting exactly the filtered history rows: who the file is for, the separator, the
//! native save dialog (or the documents folder when it cannot be opened), then a progress bar
//! with a cancel button.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::ledger::export::{CsvAudience, CsvStyle};
use crate::t;
use crate::ui::backend::{Command, ExportEnd};
use crate::ui::panels::history::pages::HistoryPages;
use crate::ui::panels::{EXPORT, shortcut_text};
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS};
use crate::ui::widgets::written_file::written_file_ui;

/// The export controls' state.
pub struct ExportPanel {
    audience: CsvAudience,
    semicolon: bool,
    bom: bool,
    /// The export on its way: rows written so far, and its cancel switch.
    running: Option<(u64, Arc<AtomicBool>)>,
    last: Option<ExportEnd>,
    /// Why the folder of the last export could not be opened.
    open_problem: Option<Words>,
}

impl Default for ExportPanel {
    fn default() -> Self {
        ExportPanel {
            audience: CsvAudience::Spreadsheet,
            semicolon: false,
            bom: true,
            running: None,
            last: None,
            open_problem: None,
        }
    }
}

impl ExportPanel {
    /// Rows written so far by the running export.
    pub fn progressed(&mut self, rows: u64) {
        if let Some((written, _)) = &mut self.running {
            *written = rows;
        }
    }

    /// How the export ended.
    pub fn finished(&mut self, end: ExportEnd) {
        self.running = None;
        self.last = Some(end);
        self.open_problem = None;
    }

    /// Whether an export is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// How the last export ended.
    pub fn last(&self) -> Option<&ExportEnd> {
        self.last.as_ref()
    }
}

/// What a written export says: where it is, and that the system's dialog could not be opened
/// when saldo chose the place itself.
pub fn export_done_text(path: &std::path::Path, rows: u64, without_dialog: bool) -> String {
    let path = path.display().to_string();
    if without_dialog {
        t!("history-export-done-no-dialog", rows = rows, path = path)
    } else {
        t!("history-export-done", rows = rows, path = path)
    }
}

/// A file name that says what is in it: `saldo-history-2026-11-22.csv`.
fn suggested_name() -> String {
    format!(
        "saldo-history-{}.csv",
        crate::ui::panels::history::filter::today()
    )
}

/// The export's controls, for the panel's title row: the CSV options behind a menu and the
/// Export button, or the running export's progress and its cancel button.
pub fn export_controls_ui(
    ui: &mut egui::Ui,
    panel: &mut ExportPanel,
    pages: &HistoryPages,
    run: &mut dyn FnMut(Command),
) {
    if let Some((written, cancel)) = &panel.running {
        // Drawn right to left: the cancel button at the far end.
        if ui.button(t!("history-export-cancel")).clicked() {
            cancel.store(true, Ordering::Relaxed);
        }
        let total = pages.summary().map_or(0, |s| s.count).max(1);
        let fraction = (*written as f32 / total as f32).clamp(0.0, 1.0);
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(200.0)
                .text(t!(
                    "history-export-progress",
                    rows = *written,
                    total = total
                )),
        );
        return;
    }
    let rows = pages.summary().map(|s| s.count);
    let button = ui
        .add_enabled(rows != Some(0), egui::Button::new(t!("history-export")))
        .on_hover_text(shortcut_text(ui.ctx(), EXPORT));
    let keyed = ui.input_mut(|i| i.consume_shortcut(&EXPORT));
    ui.menu_button(t!("history-export-options"), |ui| options_ui(ui, panel));
    if (button.clicked() || keyed) && rows != Some(0) {
        let cancel = Arc::new(AtomicBool::new(false));
        panel.running = Some((0, cancel.clone()));
        panel.last = None;
        run(Command::Export {
            filter: pages.filter().clone(),
            style: CsvStyle {
                audience: panel.audience,
                delimiter: if panel.semicolon { b';' } else { b',' },
                bom: panel.bom,
            },
            suggested_name: suggested_name(),
            cancel,
        });
    }
}

/// Who the file is for and how it is written.
fn options_ui(ui: &mut egui::Ui, panel: &mut ExportPanel) {
    ui.label(t!("history-export-for"));
    ui.radio_value(
        &mut panel.audience,
        CsvAudience::Spreadsheet,
        t!("history-export-spreadsheet"),
    )
    .on_hover_text(t!("history-export-spreadsheet-tip"));
    ui.radio_value(
        &mut panel.audience,
        CsvAudience::Import,
        t!("history-export-import"),
    )
    .on_hover_text(t!("history-export-import-tip"));
    ui.separator();
    ui.checkbox(&mut panel.semicolon, t!("history-export-semicolon"))
        .on_hover_text(t!("history-export-semicolon-tip"));
    ui.checkbox(&mut panel.bom, t!("history-export-bom"))
        .on_hover_text(t!("history-export-bom-tip"));
}

/// How the last export ended, on its own line (nothing while there is nothing to say).
pub fn export_result_ui(ui: &mut egui::Ui, panel: &mut ExportPanel) {
    match &panel.last {
        Some(ExportEnd::Written {
            path,
            rows,
            without_dialog,
        }) => {
            let text = export_done_text(path, *rows, *without_dialog);
            written_file_ui(ui, SUCCESS, &text, path, &mut panel.open_problem);
        }
        Some(ExportEnd::Cancelled) => {
            ui.label(t!("history-export-cancelled"));
        }
        Some(ExportEnd::NoFileChosen) => {
            ui.label(t!("history-export-no-file"));
        }
        Some(ExportEnd::Failed(error)) => {
            ui.colored_label(FAILURE, error);
        }
        None => {}
    }
}
