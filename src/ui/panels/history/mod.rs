//! The history: the whole ledger in a table that fetches only the rows on screen, filters by
//! date range, profile, state and number, totals for the filter, a daily sales chart, and an
//! export of exactly the filtered rows.

pub mod chart;
pub mod export;
pub mod filter;
pub mod pages;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::{Money, TxState, time::local_text};
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::history::chart::daily_sales_ui;
use crate::ui::panels::history::export::{ExportPanel, export_ui};
use crate::ui::panels::history::filter::{FilterForm, filter_ui};
use crate::ui::panels::history::pages::HistoryPages;
use crate::ui::panels::{REFRESH, shortcut_text};
use crate::ui::shop::Shop;
use crate::ui::text::error_text::{kind_text, outcome_text, state_text};
use crate::ui::text::numbers::money_text;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};

/// The history's state.
#[derive(Default)]
pub struct HistoryPanel {
    pub pages: HistoryPages,
    pub form: FilterForm,
    pub export: ExportPanel,
    show_chart: bool,
    started: bool,
}

impl HistoryPanel {
    /// Reads the current filter again from the start (after new operations were recorded).
    pub fn reload(&mut self, run: &mut dyn FnMut(Command)) {
        if self.started {
            let filter = self.pages.filter().clone();
            self.pages.reset(filter, run);
        }
    }
}

fn state_colour(state: TxState) -> Option<egui::Color32> {
    match state {
        TxState::Succeeded => Some(SUCCESS),
        TxState::Failed => Some(FAILURE),
        TxState::Unknown | TxState::Pending => Some(WARNING),
        TxState::Recorded | TxState::Sending => None,
    }
}

/// The history panel.
pub fn history_ui(
    ui: &mut egui::Ui,
    panel: &mut HistoryPanel,
    shop: &Shop,
    run: &mut dyn FnMut(Command),
) {
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
        if panel.pages.is_loading() {
            ui.spinner();
        }
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
    export_ui(ui, &mut panel.export, &panel.pages, run);
    if panel.show_chart
        && let Some(summary) = panel.pages.summary()
    {
        daily_sales_ui(ui, summary);
    }
    ui.separator();
    table_ui(ui, panel, run);
}

fn summary_ui(ui: &mut egui::Ui, panel: &mut HistoryPanel) {
    ui.horizontal_wrapped(|ui| {
        match panel.pages.summary() {
            None => {
                ui.label(RichText::new(t!("history-counting")).weak());
            }
            Some(summary) => {
                ui.strong(t!("history-count", count = summary.count));
                for total in &summary.succeeded {
                    ui.separator();
                    ui.label(t!(
                        "history-succeeded-total",
                        count = total.count,
                        total = money_text(Money::from_minor(total.sum_minor, total.unit))
                    ));
                }
                for (state, count) in &summary.by_state {
                    if *state != TxState::Succeeded {
                        ui.separator();
                        let text = format!("{}: {count}", state_text(*state));
                        match state_colour(*state) {
                            Some(colour) => ui.colored_label(colour, text),
                            None => ui.label(text),
                        };
                    }
                }
            }
        }
        ui.separator();
        ui.toggle_value(&mut panel.show_chart, t!("history-chart"));
    });
}

fn table_ui(ui: &mut egui::Ui, panel: &mut HistoryPanel, run: &mut dyn FnMut(Command)) {
    let total = panel.pages.total_rows();
    if total == 0 && !panel.pages.is_loading() {
        ui.label(t!("history-empty"));
        return;
    }
    let height = egui::TextStyle::Body.resolve(ui.style()).size + 6.0;
    let mut visible = 0..0;
    TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .column(Column::auto().at_least(140.0))
        .column(Column::auto().at_least(170.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::remainder())
        .header(height, |mut header| {
            for title in [
                t!("history-col-time"),
                t!("history-col-reference"),
                t!("history-col-operation"),
                t!("history-col-profile"),
                t!("history-col-destination"),
                t!("history-col-amount"),
                t!("history-col-state"),
                t!("history-col-provider-reference"),
                t!("history-col-message"),
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(height, total, |mut row| {
                let index = row.index();
                visible.start = if visible.is_empty() {
                    index
                } else {
                    visible.start.min(index)
                };
                visible.end = visible.end.max(index + 1);
                let Some(record) = panel.pages.row(index) else {
                    row.col(|ui| {
                        ui.label(RichText::new("…").weak());
                    });
                    return;
                };
                let state = outcome_text(record);
                let cells = [
                    local_text(record.created_at),
                    record.reference.to_string(),
                    kind_text(record.kind),
                    record.profile_name.clone(),
                    record.destination.clone(),
                    money_text(record.amount),
                    state,
                    record.provider_ref.clone().unwrap_or_default(),
                    record.provider_message.clone().unwrap_or_default(),
                ];
                let colour = state_colour(record.state);
                for (column, cell) in cells.into_iter().enumerate() {
                    row.col(|ui| {
                        match (column, colour) {
                            (6, Some(colour)) => ui.colored_label(colour, cell),
                            (8, _) => crate::ui::text::rtl::rtl_label(ui, &cell),
                            _ => ui.label(cell),
                        };
                    });
                }
            });
        });
    panel.pages.want(visible, run);
}
