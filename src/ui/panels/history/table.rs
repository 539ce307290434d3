//! The history's rows: one height, the key columns (time, number, amount, state) pinned on
//! the left, the rest in a part that scrolls sideways; both scroll up and down together. Long
//! cells are cut with "…" and shown whole on hover; a click selects a row for the details.

use egui::RichText;
use egui_extras::{Column, TableBuilder, TableRow};

use crate::domain::time::local_text;
use crate::ledger::TxRecord;
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::history::HistoryPanel;
use crate::ui::panels::history::state_colour;
use crate::ui::text::error_text::{kind_text, outcome_text};
use crate::ui::text::numbers::money_text;

/// The pinned columns: their titles, widths and cells.
const KEY_WIDTHS: [f32; 4] = [150.0, 170.0, 115.0, 115.0];
/// The columns that scroll sideways.
const REST_WIDTHS: [f32; 5] = [170.0, 120.0, 200.0, 160.0, 360.0];

fn key_titles() -> [String; 4] {
    [
        t!("history-col-time"),
        t!("history-col-destination"),
        t!("history-col-amount"),
        t!("history-col-state"),
    ]
}

fn rest_titles() -> [String; 5] {
    [
        t!("history-col-operation"),
        t!("history-col-profile"),
        t!("history-col-reference"),
        t!("history-col-provider-reference"),
        t!("history-col-message"),
    ]
}

/// Which part of the table a row is drawn in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Key,
    Rest,
}

/// The table. Rows not loaded yet show "…" and are asked for.
pub fn table_ui(ui: &mut egui::Ui, panel: &mut HistoryPanel, run: &mut dyn FnMut(Command)) {
    let total = panel.pages.total_rows();
    if total == 0 && !panel.pages.is_loading() {
        ui.label(t!("history-empty"));
        return;
    }
    let height = egui::TextStyle::Body.resolve(ui.style()).size + 8.0;
    let key_width: f32 = KEY_WIDTHS.iter().sum::<f32>() + 4.0 * ui.spacing().item_spacing.x;
    let offset = panel.scroll_y;
    let mut visible = 0..0;
    let mut clicked = None;
    let mut offsets = [offset; 2];
    ui.horizontal_top(|ui| {
        let size = egui::vec2(key_width.min(ui.available_width()), ui.available_height());
        ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
            offsets[0] = part_ui(
                ui,
                panel,
                Part::Key,
                height,
                offset,
                &mut visible,
                &mut clicked,
            );
        });
        egui::ScrollArea::horizontal()
            .id_salt("history-rest")
            .show(ui, |ui| {
                // Top-down inside, or the rows would be laid out beside the header.
                ui.vertical(|ui| {
                    offsets[1] = part_ui(
                        ui,
                        panel,
                        Part::Rest,
                        height,
                        offset,
                        &mut visible,
                        &mut clicked,
                    );
                });
            });
    });
    // The part that was scrolled leads; the other follows on the next frame.
    let moved = offsets.into_iter().find(|o| (o - offset).abs() > 0.5);
    if let Some(moved) = moved {
        panel.scroll_y = moved;
        ui.ctx().request_repaint();
    }
    if let Some(index) = clicked
        && let Some(record) = panel.pages.row(index)
    {
        let record = record.clone();
        panel.select(record, run);
    }
    panel.pages.want(visible, run);
}

/// One part of the table; returns its vertical scroll offset after this frame.
fn part_ui(
    ui: &mut egui::Ui,
    panel: &HistoryPanel,
    part: Part,
    height: f32,
    offset: f32,
    visible: &mut std::ops::Range<usize>,
    clicked: &mut Option<usize>,
) -> f32 {
    let (widths, titles): (&[f32], Vec<String>) = match part {
        Part::Key => (&KEY_WIDTHS, key_titles().to_vec()),
        Part::Rest => (&REST_WIDTHS, rest_titles().to_vec()),
    };
    let mut table = TableBuilder::new(ui)
        .id_salt(match part {
            Part::Key => "history-key",
            Part::Rest => "history-rest-rows",
        })
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .vertical_scroll_offset(offset)
        .animate_scrolling(false)
        .auto_shrink([true, false])
        .max_scroll_height(f32::INFINITY);
    if part == Part::Key {
        // One scroll bar, on the part that scrolls sideways.
        table = table.scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden);
    }
    for width in widths {
        table = table.column(Column::initial(*width).at_least(60.0).clip(true));
    }
    let total = panel.pages.total_rows();
    table
        .header(height, |mut header| {
            for title in titles {
                header.col(|ui| {
                    ui.add(egui::Label::new(RichText::new(title).strong()).truncate());
                });
            }
        })
        .body(|body| {
            body.rows(height, total, |mut row| {
                let index = row.index();
                visible.start = if visible.start == visible.end {
                    index
                } else {
                    visible.start.min(index)
                };
                visible.end = visible.end.max(index + 1);
                match panel.pages.row(index) {
                    Some(record) => {
                        let selected = panel.selected() == Some(&record.reference);
                        row.set_selected(selected);
                        cells_ui(&mut row, record, part, selected);
                    }
                    None => {
                        row.col(|ui| {
                            ui.label(RichText::new("…").weak());
                        });
                    }
                }
                if row.response().clicked() {
                    *clicked = Some(index);
                }
            });
        })
        .state
        .clamped_offset()
        .y
}

/// The cells of one row; a selected row's text is white, so it reads on the selection's
/// primary blue in both themes (the light theme's selection text colour is a blue).
fn cells_ui(row: &mut TableRow<'_, '_>, record: &TxRecord, part: Part, selected: bool) {
    let on_selection = |text: RichText| {
        if selected {
            text.color(egui::Color32::WHITE)
        } else {
            text
        }
    };
    match part {
        Part::Key => {
            let colour = state_colour(record.state);
            for (column, cell) in [
                local_text(record.created_at),
                record.destination.clone(),
                money_text(record.amount),
                outcome_text(record),
            ]
            .into_iter()
            .enumerate()
            {
                row.col(|ui| {
                    let text = match (column, colour) {
                        (3, Some(colour)) => RichText::new(cell).color(colour),
                        _ => RichText::new(cell),
                    };
                    let text = on_selection(text);
                    ui.add(egui::Label::new(text).truncate().selectable(false));
                });
            }
        }
        Part::Rest => {
            for cell in [
                kind_text(record.kind),
                record.profile_name.clone(),
                record.reference.to_string(),
                record.provider_ref.clone().unwrap_or_default(),
            ] {
                row.col(|ui| {
                    let text = on_selection(RichText::new(cell));
                    ui.add(egui::Label::new(text).truncate().selectable(false));
                });
            }
            row.col(|ui| {
                let message = record.provider_message.as_deref().unwrap_or_default();
                let message = crate::ui::text::notes::message_text(message);
                crate::ui::text::rtl::rtl_label(ui, &message);
            });
        }
    }
}
