//! The credit statement (Saba Payamak): movements between two Jalali days or the last N,
//! filtered by kind, with totals per kind. Dates show in both calendars; Persian text is drawn
//! joined and right to left.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::Money;
use crate::domain::jalali::JalaliDate;
use crate::providers::registry::capabilities_of;
use crate::providers::{Movement, MovementKind, StatementQuery};
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::PanelContext;
use crate::ui::panels::{REFRESH, shortcut_text};
use crate::ui::text::numbers::money_text;
use crate::ui::text::rtl::rtl_label;
use crate::ui::text::words::Words;
use crate::ui::theme::FAILURE;
use crate::ui::widgets::jalali_picker::{JalaliPicker, gregorian_text, jalali_picker_ui};

/// Which movements to ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Range,
    Last,
}

/// The panel's state.
pub struct StatementPanel {
    profile: Option<String>,
    mode: Mode,
    from: JalaliPicker,
    to: JalaliPicker,
    last_text: String,
    kind: Option<MovementKind>,
    movements: Option<Result<Vec<Movement>, Words>>,
    loading: bool,
    /// The kind filter the shown movements were read with.
    shown_kind: Option<MovementKind>,
}

impl Default for StatementPanel {
    fn default() -> Self {
        let today = JalaliDate::today();
        StatementPanel {
            profile: None,
            mode: Mode::Range,
            from: JalaliPicker::new(today.plus_days(-30)),
            to: JalaliPicker::new(today),
            last_text: "20".to_string(),
            kind: None,
            movements: None,
            loading: false,
            shown_kind: None,
        }
    }
}

impl StatementPanel {
    /// Takes the provider's answer.
    pub fn loaded(&mut self, profile: &str, result: Result<Vec<Movement>, Words>) {
        if self.profile.as_deref() == Some(profile) {
            self.loading = false;
            self.movements = Some(result);
        }
    }

    /// Whether a statement is being read.
    pub fn is_loading(&self) -> bool {
        self.loading
    }
}

/// A movement kind in the window's language.
pub fn movement_kind_text(kind: MovementKind) -> String {
    match kind {
        MovementKind::Send => t!("statement-kind-send"),
        MovementKind::Receive => t!("statement-kind-receive"),
        MovementKind::Purchase => t!("statement-kind-purchase"),
        MovementKind::Refund => t!("statement-kind-refund"),
    }
}

/// The panel.
pub fn statement_ui(ui: &mut egui::Ui, panel: &mut StatementPanel, cx: &mut PanelContext<'_>) {
    let (shop, run) = (&*cx.shop, &mut *cx.run);
    let profiles = shop.profiles_that(|p| capabilities_of(p.provider).statement);
    ui.heading(t!("statement-title"));
    let Some(first) = profiles.first() else {
        ui.label(t!("statement-no-profile"));
        return;
    };
    let profile = panel
        .profile
        .as_deref()
        .and_then(|name| profiles.iter().find(|p| p.name == name))
        .unwrap_or(first)
        .name
        .clone();
    panel.profile = Some(profile.clone());
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if profiles.len() > 1 {
            let label = ui.label(t!("statement-profile"));
            let mut selected = panel.profile.clone();
            egui::ComboBox::from_id_salt("statement-profile")
                .selected_text(profile.clone())
                .show_ui(ui, |ui| {
                    for p in &profiles {
                        ui.selectable_value(&mut selected, Some(p.name.clone()), &p.name);
                    }
                })
                .response
                .labelled_by(label.id);
            if selected != panel.profile {
                panel.profile = selected;
                panel.movements = None;
                // An answer for the other profile is dropped when it comes.
                panel.loading = false;
            }
        }
        ui.radio_value(&mut panel.mode, Mode::Range, t!("statement-by-dates"));
        ui.radio_value(&mut panel.mode, Mode::Last, t!("statement-last-n"));
        let label = ui.label(t!("statement-kind"));
        egui::ComboBox::from_id_salt("statement-kind")
            .selected_text(
                panel
                    .kind
                    .map_or_else(|| t!("statement-kind-all"), movement_kind_text),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut panel.kind, None, t!("statement-kind-all"));
                for kind in MovementKind::ALL {
                    ui.selectable_value(&mut panel.kind, Some(kind), movement_kind_text(kind));
                }
            })
            .response
            .labelled_by(label.id);
    });
    let mut query = None;
    ui.horizontal_top(|ui| match panel.mode {
        Mode::Range => {
            if jalali_picker_ui(ui, &t!("statement-from"), &mut panel.from) {
                panel.to.open = false;
            }
            if panel.from.open {
                panel.to.open = false;
            }
            jalali_picker_ui(ui, &t!("statement-to"), &mut panel.to);
            if panel.to.open {
                panel.from.open = false;
            }
            query = (panel.from.date <= panel.to.date).then_some(StatementQuery::Range {
                from: panel.from.date,
                to: panel.to.date,
            });
        }
        Mode::Last => {
            let label = ui.label(t!("statement-how-many"));
            ui.add(egui::TextEdit::singleline(&mut panel.last_text).desired_width(60.0))
                .labelled_by(label.id);
            query = panel
                .last_text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .map(|count| StatementQuery::Last {
                    count,
                    kind: panel.kind,
                });
        }
    });
    if query.is_none() {
        let why = match panel.mode {
            Mode::Range => t!("statement-range-reversed"),
            Mode::Last => t!("statement-last-invalid"),
        };
        ui.colored_label(FAILURE, why);
    }
    ui.horizontal(|ui| {
        let show = ui
            .add_enabled(
                query.is_some() && !panel.loading,
                egui::Button::new(t!("statement-show")),
            )
            .on_hover_text(shortcut_text(ui.ctx(), REFRESH));
        let keyed = ui.input_mut(|i| i.consume_shortcut(&REFRESH));
        if let Some(query) = query
            && (show.clicked() || keyed)
            && !panel.loading
        {
            panel.loading = true;
            panel.shown_kind = panel.kind;
            run(Command::LoadStatement {
                profile: profile.clone(),
                query,
            });
        }
        if panel.loading {
            ui.spinner();
        }
    });
    ui.add_space(6.0);
    match &panel.movements {
        None => {
            ui.label(RichText::new(t!("statement-pick-and-show")).weak());
        }
        Some(Err(error)) => {
            ui.colored_label(FAILURE, error);
        }
        Some(Ok(movements)) => {
            let kind = panel.shown_kind;
            let shown: Vec<&Movement> = movements
                .iter()
                .filter(|m| kind.is_none() || m.kind == kind)
                .collect();
            totals_ui(ui, &shown);
            movements_table_ui(ui, &shown);
        }
    }
}

fn totals_ui(ui: &mut egui::Ui, shown: &[&Movement]) {
    if shown.is_empty() {
        ui.label(t!("statement-empty"));
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.strong(t!("statement-count", count = shown.len()));
        for kind in MovementKind::ALL {
            let of_kind: Vec<Money> = shown
                .iter()
                .filter(|m| m.kind == Some(kind))
                .map(|m| m.amount)
                .collect();
            let Some(first) = of_kind.first() else {
                continue;
            };
            let total = of_kind
                .iter()
                .skip(1)
                .try_fold(*first, |sum, m| sum.checked_add(*m));
            if let Some(total) = total {
                ui.separator();
                ui.label(t!(
                    "statement-total",
                    kind = movement_kind_text(kind),
                    count = of_kind.len(),
                    total = money_text(total)
                ));
            }
        }
    });
}

fn movements_table_ui(ui: &mut egui::Ui, shown: &[&Movement]) {
    let height = egui::TextStyle::Body.resolve(ui.style()).size + 8.0;
    TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .column(Column::auto().at_least(150.0))
        .column(Column::auto().at_least(90.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::remainder())
        .header(height, |mut header| {
            for title in [
                t!("statement-col-jalali"),
                t!("statement-col-gregorian"),
                t!("statement-col-time"),
                t!("statement-col-kind"),
                t!("statement-col-amount"),
                t!("statement-col-remaining"),
                t!("statement-col-description"),
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(height, shown.len(), |mut row| {
                let m = shown[row.index()];
                let jalali = m
                    .day
                    .map(crate::ui::widgets::jalali_picker::jalali_text)
                    .unwrap_or_else(|| m.when_text.clone());
                let gregorian = m.day.map(gregorian_text).unwrap_or_default();
                let kind = m
                    .kind
                    .map(movement_kind_text)
                    .unwrap_or_else(|| m.kind_text.clone());
                let cells = [
                    jalali,
                    gregorian,
                    m.time.clone().unwrap_or_default(),
                    kind,
                    money_text(m.amount),
                    money_text(m.remaining),
                    m.description.clone(),
                ];
                // Persian cells (the day's month name, kinds, descriptions) are drawn in visual
                // order by the bidi module; the rest as written.
                for cell in cells {
                    row.col(|ui| {
                        rtl_label(ui, &cell);
                    });
                }
            });
        });
}
