//! The demo banner and the side bar of panels.

use egui::RichText;

use crate::t;
use crate::ui::app::SaldoApp;
use crate::ui::panels::{Panel, shortcut_text};
use crate::ui::theme::{self, DEMO, WARNING, with_icon};

impl SaldoApp {
    pub(crate) fn demo_banner_ui(&self, ui: &mut egui::Ui) {
        egui::Frame::new()
            .fill(DEMO)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(t!("demo-banner"))
                        .color(egui::Color32::BLACK)
                        .strong(),
                );
            });
    }

    pub(crate) fn side_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(10.0);
        ui.label(RichText::new("saldo").size(24.0).strong());
        ui.add_space(10.0);
        for panel in Panel::ALL {
            let mut title = panel.title();
            let counting = panel == Panel::Review && self.needs_review > 0;
            if counting {
                title = format!("{title} ({})", self.needs_review);
            }
            let selected = self.prefs.panel == panel;
            let mut text = RichText::new(with_icon(panel.icon(), &title)).size(16.0);
            if selected {
                text = text.color(egui::Color32::WHITE);
            } else if counting {
                text = text.color(theme::ink(ui, WARNING)).strong();
            }
            let mut tip = shortcut_text(ui.ctx(), panel.shortcut());
            if counting {
                tip = format!("{} ({tip})", t!("review-count", count = self.needs_review));
            }
            let response = ui.add_sized(
                [ui.available_width(), 34.0],
                egui::Button::selectable(selected, text),
            );
            // Read (and found by tests) by its words; the icon is decoration.
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, &title)
            });
            let response = response.on_hover_text(tip);
            if response.clicked() {
                self.open(panel);
            }
        }
    }
}
