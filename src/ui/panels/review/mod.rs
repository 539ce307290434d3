//! Review: the operations nobody knows the outcome of yet (unknown, interrupted, flagged by the
//! reconciler), with their evidence — balances before and after, the provider's replies with
//! secrets removed, every state change with its time — and the actions a person can take: ask
//! the provider again, or settle it as succeeded or failed with a note.

use crate::ui::text::numbers::money_text;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::TxState;
use crate::domain::time::local_text;
use crate::engine::{ReviewItem, Settlement};
use crate::ledger::TxRecord;
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::PanelContext;
use crate::ui::panels::{REFRESH, shortcut_text};
use crate::ui::text::error_text::{kind_text, outcome_text, state_text};
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING, state_colour};
use crate::ui::widgets::chip::chip_ui;
use crate::ui::widgets::confirm::{Decision, guarded_confirm_ui};
use crate::ui::widgets::event_detail::event_detail_ui;
use crate::ui::widgets::send_guard::SendGuard;

/// The panel's state.
#[derive(Default)]
pub struct ReviewPanel {
    items: Option<Result<Vec<ReviewItem>, Words>>,
    loading: bool,
    selected: Option<String>,
    note: String,
    busy: bool,
    /// What the last action did, as the person reads it.
    outcome: Option<(egui::Color32, Words)>,
    requested: bool,
    /// A settlement chosen and waiting for its confirmation, with its guard.
    confirming: Option<(Settlement, SendGuard)>,
}

impl ReviewPanel {
    /// Asks for the list again.
    pub fn reload(&mut self, run: &mut dyn FnMut(Command)) {
        self.loading = true;
        self.requested = true;
        run(Command::LoadReview);
    }

    /// Takes the list, newest first: the operation a clerk just saw go wrong is on top.
    pub fn loaded(&mut self, result: Result<Vec<ReviewItem>, Words>) {
        self.loading = false;
        self.items = Some(result.map(|mut items| {
            items.sort_by_key(|i| std::cmp::Reverse((i.record.created_at, i.record.id)));
            items
        }));
    }

    /// Takes the outcome of a re-check or a settlement, then reads the list again.
    pub fn acted(&mut self, result: Result<TxRecord, Words>, run: &mut dyn FnMut(Command)) {
        self.busy = false;
        // Worded when drawn, so it follows a change of language.
        self.outcome = Some(match result {
            Ok(record) => {
                let (state, reference) = (record.state, record.reference.to_string());
                let done = state.is_final();
                if done {
                    self.note.clear();
                }
                let words = Words::new(move || {
                    let (reference, state) = (reference.as_str(), state_text(state));
                    if done {
                        t!("review-now", reference = reference, state = state)
                    } else {
                        t!("review-still-open", reference = reference, state = state)
                    }
                });
                (if done { SUCCESS } else { WARNING }, words)
            }
            Err(error) => (FAILURE, error),
        });
        self.reload(run);
    }

    /// Whether the panel waits for an answer.
    pub fn is_busy(&self) -> bool {
        self.busy || self.loading
    }
}

/// The panel.
pub fn review_ui(ui: &mut egui::Ui, panel: &mut ReviewPanel, cx: &mut PanelContext<'_>) {
    let run = &mut *cx.run;
    if !panel.requested {
        panel.reload(run);
    }
    ui.horizontal(|ui| {
        ui.heading(t!("review-title"));
        let refresh = ui
            .button(t!("review-refresh"))
            .on_hover_text(shortcut_text(ui.ctx(), REFRESH));
        if (refresh.clicked() || ui.input_mut(|i| i.consume_shortcut(&REFRESH))) && !panel.loading {
            panel.reload(run);
        }
        if panel.is_busy() {
            ui.spinner();
        }
    });
    ui.label(RichText::new(t!("review-help")).weak());
    if let Some((colour, words)) = &panel.outcome {
        ui.colored_label(*colour, words.text());
    }
    let items = match &panel.items {
        None => return,
        Some(Err(error)) => {
            ui.colored_label(FAILURE, error);
            return;
        }
        Some(Ok(items)) => items.clone(),
    };
    if items.is_empty() {
        ui.add_space(12.0);
        ui.label(
            RichText::new(t!("review-nothing"))
                .size(18.0)
                .color(SUCCESS),
        );
        return;
    }
    let selected_still_there = panel
        .selected
        .as_ref()
        .is_some_and(|r| items.iter().any(|i| i.record.reference.as_str() == r));
    if !selected_still_there {
        // A note typed for an operation that was just settled never moves to another one.
        panel.selected = Some(items[0].record.reference.to_string());
        panel.note.clear();
    }
    let chosen = |selected: Option<&str>| {
        items
            .iter()
            .position(|i| Some(i.record.reference.as_str()) == selected)
    };
    if ui.available_width() < 2.0 * LIST_NEEDS {
        // A small window: the list above, the chosen operation below, each whole.
        let list_size = egui::vec2(ui.available_width(), ui.available_height() * 0.4);
        ui.allocate_ui(list_size, |ui| list_ui(ui, panel, &items));
        ui.separator();
        if let Some(index) = chosen(panel.selected.as_deref()) {
            detail_ui(ui, panel, &items[index], run);
        }
        return;
    }
    ui.columns(2, |columns| {
        list_ui(&mut columns[0], panel, &items);
        if let Some(index) = chosen(panel.selected.as_deref()) {
            detail_ui(&mut columns[1], panel, &items[index], run);
        }
    });
}

/// The width the list's columns need side by side with the details.
const LIST_NEEDS: f32 = 430.0;

/// The list: one row per operation, its state as a coloured chip (pending apart from
/// unknown), every column clipped to its width; the whole row selects.
fn list_ui(ui: &mut egui::Ui, panel: &mut ReviewPanel, items: &[ReviewItem]) {
    let mut picked = None;
    let height = ui.available_height();
    TableBuilder::new(ui)
        .id_salt("review-list")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(height)
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(120.0).clip(true))
        .column(Column::remainder().at_least(80.0).clip(true))
        .column(Column::auto().at_least(70.0))
        .body(|body| {
            body.rows(26.0, items.len(), |mut row| {
                let record = &items[row.index()].record;
                row.set_selected(panel.selected.as_deref() == Some(record.reference.as_str()));
                row.col(|ui| {
                    chip_ui(ui, &state_text(record.state), state_colour(record.state));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(local_text(record.created_at)).selectable(false));
                });
                row.col(|ui| {
                    ui.add(
                        egui::Label::new(format!("{} · {}", record.reference, record.destination))
                            .truncate()
                            .selectable(false),
                    );
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(money_text(record.amount)).selectable(false));
                });
                if row.response().clicked() {
                    picked = Some(record.reference.to_string());
                }
            });
        });
    if let Some(reference) = picked
        && panel.selected.as_deref() != Some(reference.as_str())
    {
        panel.selected = Some(reference);
        panel.note.clear();
        panel.confirming = None;
    }
}

fn detail_ui(
    ui: &mut egui::Ui,
    panel: &mut ReviewPanel,
    item: &ReviewItem,
    run: &mut dyn FnMut(Command),
) {
    let record = &item.record;
    egui::ScrollArea::vertical()
        .id_salt("review-detail")
        .show(ui, |ui| {
            ui.label(RichText::new(record.reference.as_str()).strong().size(18.0));
            egui::Grid::new("review-facts")
                .num_columns(2)
                .show(ui, |ui| {
                    let facts = [
                        (t!("review-operation"), kind_text(record.kind)),
                        (t!("review-profile"), record.profile_name.clone()),
                        (t!("review-destination"), record.destination.clone()),
                        (t!("review-amount"), money_text(record.amount)),
                        (t!("review-state"), outcome_text(record)),
                        (t!("review-recorded-at"), local_text(record.created_at)),
                        (t!("review-updated-at"), local_text(record.updated_at)),
                        (
                            t!("review-provider-reference"),
                            record.provider_ref.clone().unwrap_or_default(),
                        ),
                        (t!("review-checks"), record.checks.to_string()),
                    ];
                    for (name, value) in facts {
                        ui.label(name);
                        ui.label(value);
                        ui.end_row();
                    }
                });
            if let Some(reason) = &record.review_reason {
                ui.add_space(4.0);
                let reason = crate::ui::text::review_reasons::review_reason_text(reason);
                ui.colored_label(WARNING, t!("review-why", reason = reason));
            }
            // What a person can do comes before the evidence, which can be long.
            ui.add_space(8.0);
            actions_ui(ui, panel, record, run);
            ui.add_space(8.0);
            ui.separator();
            ui.strong(t!("review-evidence"));
            for (index, event) in item.events.iter().enumerate() {
                let change = match event.from_state {
                    Some(from) if from != event.to_state => {
                        format!("{} » {}", state_text(from), state_text(event.to_state))
                    }
                    _ => state_text(event.to_state),
                };
                ui.horizontal(|ui| {
                    ui.label(RichText::new(local_text(event.at)).weak());
                    ui.label(
                        RichText::new(change)
                            .strong()
                            .color(state_colour(event.to_state)),
                    );
                });
                if let Some(detail) = &event.detail {
                    event_detail_ui(ui, detail, ("review-raw", record.id, index));
                }
            }
        });
}

fn actions_ui(
    ui: &mut egui::Ui,
    panel: &mut ReviewPanel,
    record: &TxRecord,
    run: &mut dyn FnMut(Command),
) {
    let idle = !panel.busy;
    if ui
        .add_enabled(idle, egui::Button::new(t!("review-recheck")))
        .on_hover_text(t!("review-recheck-tip"))
        .clicked()
    {
        panel.busy = true;
        panel.outcome = None;
        run(Command::Recheck {
            reference: record.reference.clone(),
        });
    }
    ui.add_space(6.0);
    let label = ui.label(t!("review-note"));
    ui.add(
        egui::TextEdit::multiline(&mut panel.note)
            .hint_text(t!("review-note-hint"))
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let has_note = !panel.note.trim().is_empty();
    if !has_note {
        ui.label(RichText::new(t!("review-note-needed")).weak());
    }
    let mut settle = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                idle && has_note,
                egui::Button::new(RichText::new(t!("review-settle-succeeded")).color(SUCCESS)),
            )
            .clicked()
        {
            settle = Some(Settlement::Succeeded);
        }
        if ui
            .add_enabled(
                idle && has_note,
                egui::Button::new(RichText::new(t!("review-settle-failed")).color(FAILURE)),
            )
            .clicked()
        {
            settle = Some(Settlement::Failed);
        }
    });
    if let Some(outcome) = settle {
        panel.confirming = Some((outcome, SendGuard::new(ui)));
    }
    let Some((outcome, mut guard)) = panel.confirming else {
        return;
    };
    // What will be recorded, said before it is: a settlement by hand is final.
    ui.add_space(8.0);
    let (state, colour) = match outcome {
        Settlement::Succeeded => (TxState::Succeeded, SUCCESS),
        Settlement::Failed => (TxState::Failed, FAILURE),
    };
    egui::Frame::new()
        .fill(crate::ui::theme::tint(ui, colour))
        .stroke((1.0, colour))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(t!(
                    "review-settle-confirm",
                    reference = record.reference.as_str(),
                    state = state_text(state),
                    amount = money_text(record.amount),
                    destination = record.destination.as_str(),
                    note = panel.note.trim()
                ))
                .strong(),
            );
        });
    let decision = guarded_confirm_ui(
        ui,
        &mut guard,
        &t!("review-settle-confirm-button"),
        false,
        idle && has_note,
    );
    panel.confirming = Some((outcome, guard));
    match decision {
        Decision::Confirm => {
            panel.confirming = None;
            panel.busy = true;
            panel.outcome = None;
            run(Command::Settle {
                reference: record.reference.clone(),
                outcome,
                note: panel.note.trim().to_string(),
            });
        }
        Decision::Back => panel.confirming = None,
        Decision::Undecided => {}
    }
}
