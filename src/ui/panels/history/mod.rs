//! The history: the whole ledger in a table that fetches only the rows on screen, filters by
//! date range, profile, state and number, totals for the filter, a daily sales chart, and an
//! export of exactly the filtered rows.

pub mod chart;
pub mod details;
pub mod export;
pub mod filter;
pub mod pages;
pub mod table;

use egui::RichText;

use crate::domain::{Money, Reference, TxState};
use crate::ledger::{TxKind, TxRecord};
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::PanelContext;
use crate::ui::panels::history::chart::daily_sales_ui;
use crate::ui::panels::history::details::{LoadedEvents, details_ui};
use crate::ui::panels::history::export::{ExportPanel, export_controls_ui, export_result_ui};
use crate::ui::panels::history::filter::{FilterForm, filter_ui};
use crate::ui::panels::history::pages::HistoryPages;
use crate::ui::panels::history::table::table_ui;
use crate::ui::panels::{REFRESH, shortcut_text};
use crate::ui::text::error_text::state_text;
use crate::ui::text::numbers::money_text;
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};

/// The history's state.
#[derive(Default)]
pub struct HistoryPanel {
    pub pages: HistoryPages,
    pub form: FilterForm,
    pub export: ExportPanel,
    show_chart: bool,
    started: bool,
    /// The table's vertical scroll offset, shared by its pinned and its sideways part.
    scroll_y: f32,
    /// The row whose details are open, and its event log once read.
    selected: Option<(TxRecord, LoadedEvents)>,
    /// The receipt being printed from the details (its button waits until it is done).
    printing: Option<Reference>,
}

impl HistoryPanel {
    /// A receipt printed from here (or anywhere): its button may be pressed again.
    pub fn receipt_printed(&mut self, reference: &Reference) {
        if self.printing.as_ref() == Some(reference) {
            self.printing = None;
        }
    }

    /// Reads the current filter again from the start (after new operations were recorded).
    pub fn reload(&mut self, run: &mut dyn FnMut(Command)) {
        if self.started {
            let filter = self.pages.filter().clone();
            self.pages.reset(filter, run);
        }
    }
}

impl HistoryPanel {
    /// Opens the details of `record` and reads its event log.
    pub fn select(&mut self, record: TxRecord, run: &mut dyn FnMut(Command)) {
        run(Command::LoadEvents {
            reference: record.reference.clone(),
        });
        self.selected = Some((record, None));
    }

    /// The operation whose details are open.
    pub fn selected(&self) -> Option<&Reference> {
        self.selected.as_ref().map(|(record, _)| &record.reference)
    }

    /// Takes an operation's event log, if its details are still open.
    pub fn events_loaded(
        &mut self,
        reference: &Reference,
        events: Result<Vec<crate::ledger::EventRecord>, Words>,
    ) {
        if let Some((record, loaded)) = &mut self.selected
            && &record.reference == reference
        {
            *loaded = Some(events);
        }
    }
}

/// The colour of a state's text (none for the states of an operation on its way).
pub(crate) fn state_colour(state: TxState) -> Option<egui::Color32> {
    match state {
        TxState::Succeeded => Some(SUCCESS),
        TxState::Failed => Some(FAILURE),
        TxState::Unknown | TxState::Pending => Some(WARNING),
        TxState::Recorded | TxState::Sending => None,
    }
}

/// The history panel.
pub fn history_ui(ui: &mut egui::Ui, panel: &mut HistoryPanel, cx: &mut PanelContext<'_>) {
    let (shop, run, printer) = (&*cx.shop, &mut *cx.run, &cx.prefs.printer);
    if !panel.started {
        panel.started = true;
        let filter = panel.form.filter(shop).unwrap_or_default();
        panel.pages.reset(filter, run);
    }
    ui.horizontal(|ui| {
        ui.heading(t!("history-title"));
        let refresh = ui
            .button(t!("history-refresh"))
            .on_hover_text(shortcut_text(ui.ctx(), REFRESH));
        if refresh.clicked() || ui.input_mut(|i| i.consume_shortcut(&REFRESH)) {
            panel.reload(run);
        }
        ui.toggle_value(&mut panel.show_chart, t!("history-chart"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            export_controls_ui(ui, &mut panel.export, &panel.pages, run);
            // Drawn after every button: egui knows a widget by its place among those drawn
            // before it, so a spinner coming or going ahead of the buttons made a click
            // pressed in one frame and released in the next miss them.
            if panel.pages.is_loading() {
                ui.spinner();
            }
        });
    });
    if let Some(filter) = filter_ui(ui, &mut panel.form, shop)
        && &filter != panel.pages.filter()
    {
        panel.pages.reset(filter, run);
    }
    if let Some(error) = panel.pages.error() {
        ui.colored_label(FAILURE, error);
    }
    summary_ui(ui, panel);
    export_result_ui(ui, &mut panel.export);
    if panel.show_chart
        && let Some(summary) = panel.pages.summary()
    {
        daily_sales_ui(ui, summary);
    }
    ui.separator();
    if let Some((record, events)) = &panel.selected {
        let mut close = false;
        let mut print = false;
        let printing = panel.printing.as_ref() == Some(&record.reference);
        // At most half of what is left, so the rows stay in view on a small screen.
        let room = ui.available_height();
        egui::Panel::bottom("history-details")
            .resizable(true)
            .default_size(210.0_f32.min(room * 0.5))
            .size_range(80.0_f32.min(room * 0.3)..=(room * 0.5).max(80.0))
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("history-details-scroll")
                    .show(ui, |ui| {
                        (close, print) = details_ui(ui, record, events, printer, printing)
                    });
            });
        if print {
            panel.printing = Some(record.reference.clone());
            run(Command::PrintReceipt {
                reference: record.reference.clone(),
                printer: printer.clone(),
            });
        }
        if close {
            panel.selected = None;
        }
    }
    egui::CentralPanel::default().show(ui, |ui| table_ui(ui, panel, run));
}

/// Below this window height (points) History folds its totals.
pub(crate) const SHORT_WINDOW: f32 = 700.0;

/// One kind's succeeded total in one unit: "Top-ups succeeded: 443, 44,760.00 INR".
fn total_text(total: &crate::ledger::UnitTotal) -> String {
    let amount = money_text(Money::from_minor(total.sum_minor, total.unit));
    match total.kind {
        TxKind::TopUp => t!("history-total-topup", count = total.count, total = amount),
        TxKind::CreditAdd => t!(
            "history-total-credit-add",
            count = total.count,
            total = amount
        ),
        TxKind::CreditRemove => t!(
            "history-total-credit-remove",
            count = total.count,
            total = amount
        ),
        TxKind::Transfer => t!(
            "history-total-transfer",
            count = total.count,
            total = amount
        ),
    }
}

fn summary_ui(ui: &mut egui::Ui, panel: &mut HistoryPanel) {
    ui.horizontal_wrapped(|ui| match panel.pages.summary() {
        None => {
            ui.label(RichText::new(t!("history-counting")).weak());
        }
        Some(summary) => {
            ui.strong(t!("history-count", count = summary.count));
            for (state, count) in &summary.by_state {
                ui.separator();
                let text = format!("{}: {count}", state_text(*state));
                match state_colour(*state) {
                    Some(colour) => ui.colored_label(colour, text),
                    None => ui.label(text),
                };
            }
        }
    });
    // One entry per kind and unit: amounts in different units, and credit given and taken
    // back, are never added together.
    let Some(summary) = panel.pages.summary() else {
        return;
    };
    let totals: Vec<String> = summary.succeeded.iter().map(total_text).collect();
    if totals.is_empty() {
        return;
    }
    let flow = |ui: &mut egui::Ui| {
        ui.horizontal_wrapped(|ui| {
            for (index, total) in totals.iter().enumerate() {
                if index > 0 {
                    ui.separator();
                }
                // Whole: a total moves to the next line rather than breaking inside.
                ui.add(egui::Label::new(total).wrap_mode(egui::TextWrapMode::Extend));
            }
        });
    };
    // On a short window the totals fold away, so the rows keep the room.
    if ui.ctx().content_rect().height() < SHORT_WINDOW {
        egui::CollapsingHeader::new(t!("history-totals", count = totals.len()))
            .id_salt("history-totals")
            .default_open(false)
            .show(ui, flow);
    } else {
        flow(ui);
    }
}
